// The policy's rules (SPEC.md §6) applied to entries on an in-memory state: each row an entry and
// the violations it raises, exactly (ids <seq>.<n>, rule, subject, amount, joint). The cast's last
// event is seq 27; the clock stands at 2026-03-01 09:00 +08:00 unless a row moves it.
#include "domain/rules.h"

#include "domain/apply.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::testing {
namespace {

// A violation as a row shows it.
std::string Show(const Violation& v) {
  return absl::StrCat(v.violation_id.view(), " ", RuleName(v.rule), " ", v.subject_id.str(), " ", v.amount_fen,
                      v.joint ? absl::StrCat(" joins ", v.joins.view()) : "");
}

struct Row {
  std::string why;
  absl::Duration advance;       // the clock moves first
  std::string actor, cmd, args;
  std::vector<std::string> raised;  // the violations the entry raises, in id order
};

void RunEntries(DomainHarness& h, const std::vector<Row>& rows) {
  for (const Row& r : rows) {
    h.Advance(r.advance);
    const size_t before = h.state().violations.size();
    ASSERT_THAT(h.Run(r.actor, r.cmd, r.args).status(), IsOk()) << r.why;
    std::vector<std::string> raised;
    for (size_t i = before; i < h.state().violations.size(); ++i) raised.push_back(Show(h.state().violations[i]));
    EXPECT_EQ(raised, r.raised) << r.why;
  }
}

std::string Visit(const std::string& id, const std::string& occurred, const std::string& consultant = "gw01") {
  return R"({"project_id":"BJF","visit_id":")" + id + R"(","customer_id":"C1","consultant_id":")" + consultant +
         R"(","kind":"CALL","occurred_at":")" + occurred + R"("})";
}

TEST(RulesTest, LateEntriesAndWhoPays) {
  DomainHarness h;
  RunEntries(h, {
      {"a visit the same day is on time", absl::ZeroDuration(), "gw01", "log_visit", Visit("V1", "$AT[-60]"), {}},
      {"the next day: the month's first late visit is a warning", absl::Hours(24), "gw01", "log_visit",
       Visit("V2", "$AT[-1440]"), {"29.1 visit_late gw01 0"}},
      {"the second late visit of the month is fined", absl::ZeroDuration(), "desk", "log_visit",
       Visit("V3", "$AT[-1440]"), {"30.1 visit_late gw01 5000"}},
      {"a subscription 31 minutes late: the specialist and the project's lead", absl::ZeroDuration(), "kf01",
       "create_subscription",
       R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
       R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$AT[-31]"})",
       {"31.1 subscription_backfilled kf01 10000", "31.2 subscription_backfilled xs01 10000 joins 31.1"}},
      {"a payment exactly 30 minutes late is on time", absl::ZeroDuration(), "sy01", "record_payment",
       R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
       R"("amount_fen":100,"method":"CASH","occurred_at":"$AT[-30]"})",
       {}},
      {"a refund 31 minutes late: the cashier and their supervisor", absl::ZeroDuration(), "sy01", "refund_payment",
       R"({"project_id":"BJF","refund_id":"RF1","payment_id":"P1","amount_fen":100,"reason":"x","occurred_at":"$AT[-31]"})",
       {"33.1 payment_backfilled sy01 10000", "33.2 payment_backfilled cw01 10000 joins 33.1"}},
      {"an inspection 25 h later: the unaudited subscription and payment, the refund, to the accountant",
       absl::Hours(25), "jc01", "run_inspection", R"({"project_id":"BJF"})",
       {"34.1 audit_overdue kj01 10000", "34.2 audit_overdue cw01 10000 joins 34.1", "34.3 audit_overdue kj01 10000",
        "34.4 audit_overdue cw01 10000 joins 34.3", "34.5 audit_overdue kj01 10000",
        "34.6 audit_overdue cw01 10000 joins 34.5"}},
      {"a second inspection charges nothing twice", absl::Hours(1), "jc01", "run_inspection", R"({"project_id":"BJF"})",
       {}},
  });
  const auto& cell = h.state().timeliness.at(TimelinessKey{"BJF", "gw01", "log_visit", "2026-03"});
  EXPECT_EQ(cell.entries, 3);
  EXPECT_EQ(cell.late, 2);
}

// What-if folds judge some entries by another policy (PolicyOverride): the state is a hypothesis.
TEST(RulesTest, APolicyOverrideJudgesOnlyItsMonth) {
  DomainHarness h;
  h.Advance(absl::Hours(24));  // 2026-03-02
  const State before = h.state();
  absl::StatusOr<v1::Event> late = h.Run("gw01", "log_visit", Visit("V1", "$AT[-1440]"));  // seq 28
  ASSERT_THAT(late.status(), IsOk());
  EXPECT_EQ(Show(h.state().violations[0]), "28.1 visit_late gw01 0");  // the month's warning
  v1::Policy no_warnings = h.state().policy();
  no_warnings.mutable_visit_late()->set_warnings_per_month(0);
  State march = before, april = before;
  const PolicyOverride in_march{no_warnings, "2026-03"}, in_april{no_warnings, "2026-04"};
  Apply(march, *late, &in_march);
  Apply(april, *late, &in_april);
  EXPECT_EQ(Show(march.violations[0]), "28.1 visit_late gw01 5000");
  EXPECT_EQ(Show(april.violations[0]), "28.1 visit_late gw01 0");
  EXPECT_EQ(Show(h.state().violations[0]), "28.1 visit_late gw01 0");  // the ledger's own state is untouched
}

}  // namespace
}  // namespace salesledger::testing
