// Property: for random command sequences (seeded, 10,000 commands), the incrementally maintained
// state equals a fold of the log from scratch byte for byte, a restart from the checkpoint gives
// the same bytes again, and every statement's total is the sum of its unwaived items.
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/record_format.h"
#include "projections/checkpoint_retention.h"
#include "projections/projector.h"
#include "queries/customers.h"
#include "queries/documents.h"
#include "queries/payments.h"
#include "queries/reports.h"
#include "queries/statements.h"
#include "queries/timeliness.h"
#include "queries/units.h"
#include "queries/views.h"
#include "projections/state_codec.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

// Every query's answer for every record of the state, as text: what readers would see. Compared
// across a reopen, this catches a field that the checkpoint codec forgot (its own bytes cannot:
// both encodings would leave the field out), as long as any view shows that field.
std::string AllAnswers(const State& s, const PersonalFields& fields) {
  std::string out;
  auto add = [&](const auto& answer) {
    ASSERT_TRUE(answer.ok()) << answer.status();
    absl::StrAppend(&out, answer->GetTypeName(), " ", answer->ShortDebugString(), "\n");
  };
  const Person& admin = s.org.people.at("admin");
  const Person& gw01 = s.org.people.at("gw01");  // a reader who sees some phones masked
  for (const auto& [project_id, p] : s.projects) {
    v1::ListUnitsRequest units;
    units.set_project_id(project_id);
    units.set_page_size(1000);
    add(ListUnits(s, units));
    for (const auto& [id, u] : p.units) {
      v1::GetUnitRequest r;
      r.set_project_id(project_id);
      r.set_unit_id(id);
      add(GetUnit(s, r));
    }
    std::vector<std::string> customers;  // a hash map: in id order, not the map's
    for (const auto& [id, c] : p.customers) customers.push_back(id);
    std::sort(customers.begin(), customers.end());
    for (const auto& id : customers) {
      v1::GetCustomerRequest r;
      r.set_project_id(project_id);
      r.set_customer_id(id);
      add(GetCustomer(s, r, admin, fields));
      add(GetCustomer(s, r, gw01, fields));
    }
    for (const auto& [id, sub] : p.subscriptions) {
      v1::GetDocumentRequest r;
      r.set_project_id(project_id);
      r.set_id(id);
      add(GetSubscription(s, r));
    }
    for (const auto& [id, k] : p.contracts) {
      v1::GetDocumentRequest r;
      r.set_project_id(project_id);
      r.set_id(id);
      add(GetContract(s, r));
    }
    v1::ListPaymentsRequest payments;
    payments.set_project_id(project_id);
    payments.set_page_size(1000);
    add(ListPayments(s, payments));
    for (int day = 1; day <= 31; ++day) {
      v1::DailyCashReportRequest r;
      r.set_project_id(project_id);
      r.set_day(absl::StrFormat("2026-03-%02d", day));
      add(GetDailyCashReport(s, r));
    }
    for (auto granularity : {v1::SalesReportRequest::DAY, v1::SalesReportRequest::WEEK, v1::SalesReportRequest::MONTH}) {
      v1::SalesReportRequest r;
      r.set_project_id(project_id);
      r.set_granularity(granularity);
      r.set_from_day("2026-01-01");
      r.set_to_day("2026-12-31");
      add(GetSalesReport(s, r));
    }
    v1::PlanVsActualRequest plan;
    plan.set_project_id(project_id);
    plan.set_year(2026);
    plan.set_product_type("住宅");
    add(GetPlanVsActual(s, plan));
  }
  add(GetTimeliness(s, v1::TimelinessRequest()));
  v1::ListViolationsRequest violations;
  violations.set_page_size(1000);
  for (;;) {
    absl::StatusOr<v1::ListViolationsResponse> page = ListViolations(s, violations);
    add(page);
    if (page->next_page_token().empty()) break;
    violations.set_page_token(page->next_page_token());
  }
  for (const auto& statement : AllPenaltyStatements(s)) absl::StrAppend(&out, statement.ShortDebugString(), "\n");
  return out;
}

class RandomCommands {
 public:
  RandomCommands(testing::LedgerHarness& h, uint32_t seed) : h_(h), rng_(seed) {}

  // Sends one random, mostly valid command; returns whether it was accepted.
  bool Step() {
    h_.clock().Advance(absl::Minutes(Uniform(0, 90)));
    const int op = Uniform(0, 99);
    const std::string at_lag = h_.At(-Uniform(0, 10) < -5 ? -Uniform(0, 3000) : -Uniform(0, 20));
    auto pick = [&](const std::vector<std::string>& v) { return v.empty() ? std::string("none") : v[Uniform(0, v.size() - 1)]; };
    struct Ids {
      std::vector<std::string> customers, available, subscriptions, active_subscriptions, payments, auditable, violations,
          contracts, changes, earnest;
      std::vector<uint64_t> visit_seqs;
    };
    Ids ids = h_.Read([](const State& s) {
      Ids out;
      const Project& p = s.projects.at("BJF");
      for (const auto& [id, c] : p.customers) out.customers.push_back(id);
      for (const auto& [id, u] : p.units) {
        if (u.status == UnitStatus::kAvailable) out.available.push_back(id);
      }
      for (const auto& [id, sub] : p.subscriptions) {
        out.subscriptions.push_back(id);
        if (sub.status == SubscriptionStatus::kActive) out.active_subscriptions.push_back(id);
        out.auditable.push_back(id);
      }
      for (const auto& [id, k] : p.contracts) out.contracts.push_back(id), out.auditable.push_back(id);
      for (const auto& [id, pay] : p.payments) {
        out.payments.push_back(id);
        out.auditable.push_back(id);
        if (pay.subscription_id.empty()) out.earnest.push_back(id);
      }
      for (const auto& [id, ch] : p.changes) {
        if (ch.status == DecisionStatus::kPending) out.changes.push_back(id);
      }
      for (const Violation& v : s.violations) out.violations.push_back(v.violation_id);
      for (const VoidableEntry& e : p.voidable) {
        if (e.kind() == v1::Event::kLogVisit && !e.voided) out.visit_seqs.push_back(e.seq);
      }
      std::sort(out.customers.begin(), out.customers.end());
      std::sort(out.available.begin(), out.available.end());
      std::sort(out.changes.begin(), out.changes.end());
      std::sort(out.visit_seqs.begin(), out.visit_seqs.end());
      return out;
    });
    const int n = ++counter_;
    std::string actor, cmd, args;
    if (op < 12) {
      actor = "gw0" + std::to_string(Uniform(1, 2));
      cmd = "register_customer";
      args = absl::StrCat(R"({"project_id":"BJF","customer_id":"RC)", n, R"(","name":"客","phone":"1)", 3000000000 + n,
                          R"(","consultant_id":")", actor, R"(","source":"CALL","occurred_at":")", at_lag, R"("})");
    } else if (op < 35) {
      actor = Uniform(0, 3) == 0 ? "desk" : "gw01";
      cmd = "log_visit";
      args = absl::StrCat(R"({"project_id":"BJF","visit_id":"RV)", n, R"(","customer_id":")", pick(ids.customers),
                          R"(","consultant_id":"gw0)", Uniform(1, 2), R"(","kind":"VISIT","occurred_at":")", at_lag, R"("})");
    } else if (op < 40) {
      actor = "kf01";
      cmd = "define_unit";
      args = absl::StrCat(R"({"project_id":"BJF","unit_id":"RU)", n,
                          R"(","building":"R","floor":1,"room":"1","product_type":"住宅","area_x100":9000,"list_price_fen":100000000})");
      if (!h_.Do(actor, cmd, args).ok()) return false;
      if (!h_.Do("xs01", "review_setup", absl::StrCat(R"({"project_id":"BJF","item_ids":["RU)", n, R"("],"approve":true})")).ok()) {
        return false;
      }
      return h_.Do("yx01", "confirm_setup", absl::StrCat(R"({"project_id":"BJF","item_ids":["RU)", n, R"("]})")).ok();
    } else if (op < 50) {
      actor = "kf01";
      cmd = "create_subscription";
      args = absl::StrCat(R"({"project_id":"BJF","subscription_id":"RS)", n, R"(","unit_id":")", pick(ids.available),
                          R"(","customer_ids":[")", pick(ids.customers), R"("],"consultant_id":"gw01","price_fen":)",
                          Uniform(1, 1000) * 100000, R"(,"payment_plan_id":"MORTGAGE30","occurred_at":")", at_lag, R"("})");
    } else if (op < 62) {
      actor = Uniform(0, 5) == 0 ? "kf09" : "sy01";
      cmd = "record_payment";
      const std::string sub = pick(ids.subscriptions);
      const std::string customer = h_.Read([&](const State& s) {
        auto it = s.projects.at("BJF").subscriptions.find(sub);
        return it == s.projects.at("BJF").subscriptions.end() ? std::string("C1") : it->second.customer_ids[0];
      });
      const bool earnest = Uniform(0, 3) == 0;
      args = absl::StrCat(R"({"project_id":"BJF","payment_id":"RP)", n, R"(","customer_id":")", customer, R"(",)",
                          earnest ? "" : absl::StrCat(R"("subscription_id":")", sub, R"(",)"), R"("kind":")",
                          earnest ? "EARNEST" : "DEPOSIT", R"(","amount_fen":)", Uniform(1, 100) * 10000,
                          R"(,"method":"CASH","occurred_at":")", at_lag, R"("})");
    } else if (op < 66) {
      actor = "sy01";
      cmd = "refund_payment";
      args = absl::StrCat(R"({"project_id":"BJF","refund_id":"RF)", n, R"(","payment_id":")", pick(ids.payments),
                          R"(","amount_fen":)", Uniform(1, 20) * 1000, R"(,"reason":"退","occurred_at":")", at_lag, R"("})");
    } else if (op < 68) {
      actor = "sy01";
      cmd = "transfer_payment";
      args = absl::StrCat(R"({"project_id":"BJF","transfer_id":"RT)", n, R"(","payment_id":")", pick(ids.earnest),
                          R"(","subscription_id":")", pick(ids.active_subscriptions), R"(","occurred_at":")", at_lag, R"("})");
    } else if (op < 76) {
      actor = "kj01";
      cmd = Uniform(0, 9) == 0 ? "reject_audit" : "approve_audit";
      args = absl::StrCat(R"({"project_id":"BJF","target_id":")", pick(ids.auditable), R"(","reason":"核对"})");
    } else if (op < 79) {
      actor = "kj01";
      cmd = "unlock_record";
      args = absl::StrCat(R"({"project_id":"BJF","target_id":")", pick(ids.auditable), R"(","reason":"改"})");
    } else if (op < 82) {
      actor = "kf01";
      cmd = "sign_contract";
      args = absl::StrCat(R"({"project_id":"BJF","contract_id":"RK)", n, R"(","subscription_id":")",
                          pick(ids.active_subscriptions), R"(","contract_no":"HT)", n, R"(","price_fen":100000,"occurred_at":")",
                          at_lag, R"("})");
    } else if (op < 86) {
      actor = "kf01";
      cmd = "request_change";
      const char* kinds[] = {"CANCEL", "CHANGE_PRICE", "CHANGE_UNIT"};
      const std::string kind = kinds[Uniform(0, 2)];
      args = absl::StrCat(R"({"project_id":"BJF","change_id":"RCH)", n, R"(","target_id":")",
                          Uniform(0, 1) ? pick(ids.active_subscriptions) : pick(ids.contracts), R"(","kind":")", kind,
                          R"(","reason":"客户","new_price_fen":123400,"new_unit_id":")", pick(ids.available), R"("})");
    } else if (op < 89) {
      actor = "xs01";
      cmd = "decide_change";
      args = absl::StrCat(R"({"project_id":"BJF","change_id":")", pick(ids.changes), R"(","approve":)",
                          Uniform(0, 3) ? "true" : "false", "}");
    } else if (op < 92) {
      actor = "jc01";
      cmd = "run_inspection";
      args = R"({"project_id":"BJF"})";
    } else if (op < 93) {
      actor = "cw01";
      cmd = "waive_violation";
      args = absl::StrCat(R"({"violation_id":")", pick(ids.violations), R"(","reason":"酌情"})");
    } else if (op < 94) {
      // Outages over the last two days, now and then withdrawn: excusals come and go, before and
      // after the violations they cover.
      actor = "cw02";
      if (!outages_.empty() && Uniform(0, 2) == 0) {
        cmd = "withdraw_outage";
        args = absl::StrCat(R"({"outage_id":")", pick(outages_), R"(","reason":"撤回"})");
      } else {
        const absl::Time now = h_.clock().Now();
        const absl::Time from = now - absl::Hours(Uniform(1, 48));
        const absl::Time to = std::min(now, from + absl::Hours(Uniform(1, 12)));
        outages_.push_back(absl::StrCat("OUT", n));
        cmd = "declare_outage";
        args = absl::StrCat(R"({"outage_id":")", outages_.back(), R"(","from":")",
                            absl::FormatTime(absl::RFC3339_sec, from, absl::UTCTimeZone()), R"(","to":")",
                            absl::FormatTime(absl::RFC3339_sec, to, absl::UTCTimeZone()), R"(","reason":"停机"})");
      }
    } else if (op < 96 && !ids.visit_seqs.empty()) {
      const uint64_t seq = ids.visit_seqs[Uniform(0, ids.visit_seqs.size() - 1)];
      const std::string maker =
          h_.Read([&](const State& s) { return s.projects.at("BJF").voidable.Find(seq)->actor_id.str(); });
      if (!h_.Do(maker, "request_void",
                 absl::StrCat(R"({"project_id":"BJF","void_id":"RVD)", n, R"(","target_seq":)", seq, R"(,"reason":"错"})"))
               .ok()) {
        return false;
      }
      return h_.Do("xs01", "decide_void", absl::StrCat(R"({"project_id":"BJF","void_id":"RVD)", n, R"(","approve":true})")).ok();
    } else if (op < 97) {
      // Prints, which the state counts per document: a receipt or the agreement, again and again.
      const bool receipt = Uniform(0, 1) == 0;
      actor = receipt ? "sy01" : "kf01";
      cmd = "print_document";
      args = absl::StrCat(R"({"project_id":"BJF","kind":")", receipt ? "RECEIPT" : "SUBSCRIPTION",
                          R"(","document_id":")", receipt ? pick(ids.payments) : pick(ids.subscriptions), R"("})");
    } else if (op < 98) {
      actor = "admin";
      cmd = "update_person";
      args = absl::StrCat(R"({"person_id":"sy01","name":"苏收银","roles":["CASHIER"],"supervisor_id":")",
                          Uniform(0, 1) ? "cw01" : "cw02", R"(","project_ids":["BJF"],"active":true})");
    } else {
      actor = "cw01";
      cmd = "set_policy";
      v1::Policy policy = h_.Read([](const State& s) { return s.policy(); });
      policy.mutable_visit_late()->set_amount_fen(Uniform(1, 10) * 1000);
      policy.mutable_payment_backfilled()->set_max_lag_minutes(Uniform(10, 60));
      v1::Command command;
      command.mutable_set_policy()->set_request_id(absl::StrCat("policy-", n));
      *command.mutable_set_policy()->mutable_policy() = policy;
      return h_.ledger().Execute(actor, command).ok();
    }
    return h_.Do(actor, cmd, args).ok();
  }

 private:
  int64_t Uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }

  testing::LedgerHarness& h_;
  std::mt19937 rng_;
  int counter_ = 0;
  std::vector<std::string> outages_;
};

TEST(RebuildPropertyTest, IncrementalStateEqualsAFoldFromScratch) {
  testing::LedgerHarness h;
  RandomCommands commands(h, 20261127);
  int accepted = 0;
  constexpr int kCommands = 10000;
  for (int i = 0; i < kCommands; ++i) accepted += commands.Step() ? 1 : 0;
  EXPECT_GT(accepted, kCommands / 2) << "the generator should mostly make valid commands";

  const std::string incremental = h.Read([](const State& s) { return EncodeState(s); });
  auto fresh = FoldFromScratch(h.ledger().log());
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->head_seq, h.head());
  EXPECT_TRUE(EncodeState(*fresh) == incremental) << "a rebuild differs from the incrementally maintained state";
  auto decoded = DecodeState(incremental);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(EncodeState(*decoded) == incremental);

  size_t violations = 0, excused = 0;
  h.Read([&](const State& s) {
    for (const auto& statement : AllPenaltyStatements(s)) {
      int64_t sum = 0;
      for (const auto& item : statement.items()) {
        const bool out = item.waived() || !item.excused_by_outage().empty();
        sum += out ? 0 : item.amount_fen();
        excused += item.excused_by_outage().empty() ? 0 : 1;
      }
      EXPECT_EQ(statement.total_fen(), sum) << statement.person_id() << " " << statement.period();
      violations += statement.items_size();
    }
    return 0;
  });
  EXPECT_GT(violations, 100u) << "the run should produce violations worth checking";
  EXPECT_GT(excused, 10u) << "and outages that excuse some of them";

  // A restart resumes from the checkpoint written at close and gives the same bytes, and every
  // query answers as before it and as a fresh fold does.
  const std::string answers = h.Read([&](const State& s) { return AllAnswers(s, h.ledger().personal_fields()); });
  EXPECT_GT(answers.size(), 100000u) << "the answers should cover a sizeable state";
  EXPECT_TRUE(AllAnswers(*fresh, h.ledger().personal_fields()) == answers) << "a rebuild answers queries differently";
  h.Reopen();
  EXPECT_EQ(h.ledger().fold_report().checkpoint_seq, h.head());
  EXPECT_EQ(h.ledger().fold_report().events_folded, 0u);
  EXPECT_TRUE(h.Read([](const State& s) { return EncodeState(s); }) == incremental);
  EXPECT_TRUE(h.Read([&](const State& s) { return AllAnswers(s, h.ledger().personal_fields()); }) == answers)
      << "after a restart from the checkpoint, queries answer differently";
}

TEST(RebuildPropertyTest, ResumingFoldsOnlyTheEventsAfterTheCheckpoint) {
  testing::LedgerHarness h;
  RandomCommands commands(h, 7);
  for (int i = 0; i < 300; ++i) commands.Step();
  ASSERT_TRUE(h.ledger().Checkpoint().ok());
  const uint64_t checkpoint = h.head();
  for (int i = 0; i < 300; ++i) commands.Step();
  ASSERT_GT(h.head(), checkpoint);
  FoldReport report;
  auto resumed = FoldResuming(h.ledger().log(), &report);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(report.checkpoint_seq, checkpoint);
  EXPECT_EQ(report.events_folded, h.head() - checkpoint);
  EXPECT_TRUE(EncodeState(*resumed) == h.Read([](const State& s) { return EncodeState(s); }));

  // A checkpoint stored in many pieces resumes to the same bytes, and a missing piece is noticed.
  // The state is read in full before `encoded` is called; what it becomes after is not written.
  State changing = *resumed;
  int calls = 0;
  ASSERT_TRUE(WriteCheckpoint(h.ledger().log(), changing, [&] {
                ++calls;
                changing = State();
              }, {.piece_bytes = 64}).ok());
  EXPECT_EQ(calls, 1);
  auto stored = ReadCheckpoint(h.ledger().log());
  ASSERT_TRUE(stored.ok() && *stored) << stored.status();
  EXPECT_EQ((*stored)->pieces, ((*stored)->state_bytes + 63) / 64);
  EXPECT_EQ(*DigestCheckpointPieces(h.ledger().log(), **stored), StateDigest(*resumed));
  auto from_pieces = FoldResuming(h.ledger().log(), &report);
  ASSERT_TRUE(from_pieces.ok()) << from_pieces.status();
  EXPECT_EQ(report.checkpoint_seq, h.head());
  EXPECT_TRUE(EncodeState(*from_pieces) == EncodeState(*resumed));

  // Written again at the same seq (a rebuild with no new events), the pieces take the names after
  // the old ones, which are removed.
  ASSERT_TRUE(WriteCheckpoint(h.ledger().log(), *resumed, {}, {.piece_bytes = 64}).ok());
  auto again = ReadCheckpoint(h.ledger().log());
  ASSERT_TRUE(again.ok() && *again) << again.status();
  EXPECT_EQ((*again)->seq, (*stored)->seq);
  EXPECT_EQ((*again)->first_piece, (*stored)->first_piece + (*stored)->pieces);
  EXPECT_EQ((*again)->pieces, (*stored)->pieces);
  EXPECT_EQ(*DigestCheckpointPieces(h.ledger().log(), **again), StateDigest(*resumed));
  EXPECT_THAT(DigestCheckpointPieces(h.ledger().log(), **stored).status(),
              testing::StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("piece 0 of")));
  from_pieces = FoldResuming(h.ledger().log(), &report);
  ASSERT_TRUE(from_pieces.ok()) << from_pieces.status();
  EXPECT_EQ(report.checkpoint_seq, h.head());
  EXPECT_TRUE(EncodeState(*from_pieces) == EncodeState(*resumed));

  ASSERT_TRUE(h.ledger().log().DeleteCheckpoints("state/", "state0").ok());
  EXPECT_THAT(LoadCheckpointState(h.ledger().log(), **again).status(),
              testing::StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("missing")));

  // A checkpoint that does not match the log is not trusted: the fold starts from event 1.
  ASSERT_TRUE(h.ledger().log().PutCheckpoint("state", "CKP1garbage").ok());
  auto rebuilt = FoldResuming(h.ledger().log(), &report);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(report.checkpoint_seq, 0u);
  EXPECT_FALSE(report.note.empty());
  EXPECT_TRUE(EncodeState(*rebuilt) == EncodeState(*resumed));
}

// As-of reads start from the nearest retained checkpoint at or below their seq; the ledger keeps
// retained_checkpoints (4) of those it writes, thinned as ThinCheckpoints says, and removes the
// pieces of the rest. Whatever it starts from, the state is the fold from scratch, byte for byte.
TEST(RebuildPropertyTest, AsOfStartsFromTheNearestRetainedCheckpointAndEqualsAFoldFromScratch) {
  testing::LedgerHarness h;
  const EventLog& log = h.ledger().log();
  RandomCommands commands(h, 11);
  std::vector<StoredCheckpoint> written;
  std::vector<uint64_t> expected;  // the rule applied at each write, as the ledger does
  for (int round = 0; round < 7; ++round) {
    for (int i = 0; i < 60 + 40 * round; ++i) commands.Step();
    ASSERT_THAT(h.ledger().Checkpoint(), testing::IsOk());
    auto in_force = ReadCheckpoint(log);
    ASSERT_TRUE(in_force.ok() && *in_force) << in_force.status();
    written.push_back(**in_force);
    expected.push_back(h.head());
    expected = ThinCheckpoints(expected, 4);
  }
  for (int i = 0; i < 50; ++i) commands.Step();  // events past the last checkpoint

  auto retained = ReadRetainedCheckpoints(log);
  ASSERT_THAT(retained, testing::IsOk());
  std::vector<uint64_t> kept;
  for (const StoredCheckpoint& c : *retained) kept.push_back(c.seq);
  ASSERT_EQ(kept, expected);
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(kept.back(), written.back().seq);
  for (const StoredCheckpoint& c : written) {
    const bool is_kept = std::find(kept.begin(), kept.end(), c.seq) != kept.end();
    auto digest = DigestCheckpointPieces(log, c);
    if (is_kept) {
      ASSERT_THAT(digest, testing::IsOk()) << "kept at seq " << c.seq;
      EXPECT_EQ(*digest, c.state_digest) << "kept at seq " << c.seq;
    } else {
      EXPECT_THAT(digest.status(), testing::StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("missing")))
          << "thinned out at seq " << c.seq;
    }
  }

  // Seqs around every kept checkpoint, the first event and the head.
  std::vector<uint64_t> seqs = {1, kept.front() - 1, h.head()};
  for (uint64_t k : kept) seqs.insert(seqs.end(), {k - 1, k, k + 1});
  for (uint64_t seq : seqs) {
    uint64_t from = 0;
    for (uint64_t k : kept) from = k <= seq ? k : from;
    FoldReport report;
    auto at = FoldAt(log, seq, &report);
    ASSERT_THAT(at, testing::IsOk());
    EXPECT_EQ(report.checkpoint_seq, from) << "as of seq " << seq;
    EXPECT_EQ(report.events_folded, seq - from) << "as of seq " << seq;
    EXPECT_EQ(report.note, "") << "as of seq " << seq;
    auto scratch = FoldFromScratch(log, seq);
    ASSERT_THAT(scratch, testing::IsOk());
    EXPECT_TRUE(EncodeState(*at) == EncodeState(*scratch)) << "as of seq " << seq;
  }
  EXPECT_THAT(FoldAt(log, h.head() + 1).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("past the head")));

  // A kept checkpoint whose pieces went missing is passed over for the one below it.
  const StoredCheckpoint& lost = (*retained)[2];
  const std::string first = absl::StrCat("state/", record_format::EncodeSeq(lost.seq),
                                         record_format::EncodeSeq(lost.first_piece));
  ASSERT_THAT(h.ledger().log().DeleteCheckpoints(first, absl::StrCat(first, "\xff")), testing::IsOk());
  FoldReport report;
  auto passed_over = FoldAt(log, lost.seq + 1, &report);
  ASSERT_THAT(passed_over, testing::IsOk());
  EXPECT_EQ(report.checkpoint_seq, kept[1]);
  EXPECT_THAT(report.note, ::testing::HasSubstr(absl::StrCat("piece 0 of the checkpoint at seq ", lost.seq)));
  EXPECT_TRUE(EncodeState(*passed_over) == EncodeState(*FoldFromScratch(log, lost.seq + 1)));

  // An online rebuild keeps none of the earlier ones.
  ASSERT_THAT(h.ledger().RebuildOnline({}), testing::IsOk());
  auto after = ReadRetainedCheckpoints(log);
  ASSERT_THAT(after, testing::IsOk());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().seq, h.head());
  EXPECT_THAT(DigestCheckpointPieces(log, (*retained)[0]).status(),
              testing::StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("missing")));
}

}  // namespace
}  // namespace salesledger
