// The auditor's tools end to end: import a history into a real ledgerd, find the back-dated
// entries, look at a unit as of an earlier seq.
#include <signal.h>

#include <atomic>
#include <algorithm>
#include <fstream>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

std::string Ago(absl::Duration d) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", absl::Now() - d, absl::FixedTimeZone(8 * 3600));
}

class AuditE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, dir_.Sub("data")); }
  void TearDown() override { EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0); }

  // Runs ledgerctl with the server flags and `token_file` (default: the admin's).
  int Ctl(const std::string& args, std::string* output, std::string token_file = "") {
    if (token_file.empty()) token_file = dir_.Sub("data") + "/admin.token";
    return testing::RunCommand(
        absl::StrCat(LEDGERCTL_PATH, " ", args, " --server ", ledgerd_->address(), " --token-file ", token_file), output);
  }
  std::string File(const std::string& name, const std::string& text) {
    std::ofstream(dir_.Sub(name)) << text;
    return dir_.Sub(name);
  }

  // Defines project BJF and `person` with `role` on it, and returns the person's new token.
  std::string ProjectWith(const std::string& person, const std::string& role) {
    std::string out;
    EXPECT_EQ(Ctl("import --quiet " + File("project.jsonl", absl::StrCat(
        R"({"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府"}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":")", person, R"(","name":"x","roles":[")", role,
        R"("],"project_ids":["BJF"]}})", "\n")),
                  &out), 0) << out;
    EXPECT_EQ(Ctl(absl::StrCat("token issue --person ", person, " --token-id t-", person), &out), 0) << out;
    return std::string(absl::StripAsciiWhitespace(out));
  }

  // Keeps `clients` threads recording competitors as `token` (a MARKETING person) until `stop`,
  // counting acknowledged and refused entries.
  std::vector<std::thread> KeepWriting(int clients, const std::string& token, std::atomic<bool>& stop,
                                       std::atomic<int>& acked, std::atomic<int>& refused) {
    std::vector<std::thread> writers;
    for (int t = 0; t < clients; ++t) {
      writers.emplace_back([&, t, token] {
        auto entry = v1::EntryService::NewStub(ledgerd_->Channel());
        for (int i = 0; !stop; ++i) {
          grpc::ClientContext ctx;
          testing::Authorize(ctx, token);
          v1::RecordCompetitorRequest r;
          r.set_request_id(absl::StrCat("c", t, "-", i));
          r.set_project_id("BJF");
          r.set_competitor_id(absl::StrCat("CP", t, "-", i));
          r.set_name("对手");
          r.set_avg_price_fen_per_m2(3000000);
          r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
          v1::EntryResponse response;
          ++(entry->RecordCompetitor(&ctx, r, &response).ok() ? acked : refused);
        }
      });
    }
    return writers;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
};

TEST_F(AuditE2eTest, BackdatedPaymentsAreFoundWorstFirstAndUnitsReadAsOf) {
  const std::string setup = File("setup.jsonl", absl::StrCat(
      R"({"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府"}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"xs01","name":"许","roles":["SALES_LEAD"],"project_ids":["BJF"]}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"cw01","name":"陈","roles":["FINANCE_LEAD"]}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"sy01","name":"苏","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"kf01","name":"柯","roles":["CUSTOMER_SERVICE","CONSULTANT"],"project_ids":["BJF"]}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"yx01","name":"杨","roles":["MARKETING"],"project_ids":["BJF"]}})", "\n"));
  std::string out;
  ASSERT_EQ(Ctl("import --quiet " + setup, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("6 accepted, 0 already there, 0 refused"));
  ASSERT_EQ(Ctl("import --quiet " + setup, &out), 0) << out;  // resumable: nothing twice
  EXPECT_THAT(out, HasSubstr("0 accepted, 6 already there, 0 refused"));
  for (const char* person : {"sy01", "kf01", "yx01", "xs01"}) {
    ASSERT_EQ(Ctl(absl::StrCat("token issue --person ", person, " --token-id t-", person), &out), 0) << out;
    std::ofstream(dir_.Sub(absl::StrCat(person, ".token"))) << out;
  }
  auto token = [&](const std::string& p) { return dir_.Sub(p + ".token"); };
  ASSERT_EQ(Ctl("import --quiet " + File("units.jsonl", absl::StrCat(
      R"({"cmd":"define_unit","args":{"project_id":"BJF","unit_id":"A1","building":"A","floor":1,"room":"1","product_type":"住宅","area_x100":9000,"list_price_fen":100000000}})", "\n",
      R"({"cmd":"define_payment_plan","args":{"project_id":"BJF","plan_id":"FULL","name":"全款","kind":"FULL","discount_bp":0}})", "\n",
      R"({"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C1","name":"王","phone":"13800000001","consultant_id":"kf01","source":"VISIT"}})", "\n")),
                &out, token("kf01")), 0) << out;
  ASSERT_EQ(Ctl("import --quiet " + File("review.jsonl", R"({"cmd":"review_setup","args":{"project_id":"BJF","item_ids":["A1","FULL"],"approve":true}})" "\n"),
                &out, token("xs01")), 0) << out;
  ASSERT_EQ(Ctl("import --quiet " + File("confirm.jsonl", R"({"cmd":"confirm_setup","args":{"project_id":"BJF","item_ids":["A1","FULL"]}})" "\n"),
                &out, token("yx01")), 0) << out;
  ASSERT_EQ(Ctl("import --quiet " + File("sub.jsonl", absl::StrCat(
      R"({"cmd":"create_subscription","args":{"project_id":"BJF","subscription_id":"S1","unit_id":"A1","customer_ids":["C1"],"consultant_id":"kf01","price_fen":100000000,"payment_plan_id":"FULL","occurred_at":")", Ago(absl::Minutes(5)), R"("}})", "\n",
      R"({"cmd":"log_visit","args":{"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"kf01","kind":"VISIT","occurred_at":")", Ago(absl::Minutes(20)), R"("}})", "\n")),
                &out, token("kf01")), 0) << out;
  // The cashier types in three payments hours after taking them, and one at once.
  ASSERT_EQ(Ctl("import --quiet " + File("payments.jsonl", absl::StrCat(
      R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":1000000,"method":"CASH","occurred_at":")", Ago(absl::Hours(3)), R"("}})", "\n",
      R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P2","customer_id":"C1","subscription_id":"S1","kind":"HOUSE_PAYMENT","amount_fen":2000000,"method":"CARD","occurred_at":")", Ago(absl::Hours(6)), R"("}})", "\n",
      R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P3","customer_id":"C1","subscription_id":"S1","kind":"HOUSE_PAYMENT","amount_fen":3000000,"method":"CARD","occurred_at":")", Ago(absl::Minutes(1)), R"("}})", "\n",
      R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P4","customer_id":"C1","subscription_id":"S1","kind":"HOUSE_PAYMENT","amount_fen":4000000,"method":"CARD","occurred_at":")", Ago(absl::Hours(1)), R"("}})", "\n")),
                &out, token("sy01")), 0) << out;

  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  const std::string month = absl::FormatTime("%Y-%m", absl::Now(), shanghai);
  ASSERT_EQ(Ctl("backdated --min-lag 30m --json --month " + month, &out), 0) << out;
  std::vector<std::string> lines = absl::StrSplit(std::string(absl::StripTrailingAsciiWhitespace(out)), '\n');
  ASSERT_EQ(lines.size(), 3u) << out;  // exactly the three late payments, worst first
  EXPECT_THAT(lines[0], HasSubstr(R"("kind":"record_payment")"));
  EXPECT_THAT(lines[0], ::testing::ContainsRegex(R"("lag_seconds":"2[01][0-9]{3}")"));  // ~6 h
  EXPECT_THAT(lines[1], ::testing::ContainsRegex(R"("lag_seconds":"1[01][0-9]{3}")"));  // ~3 h
  EXPECT_THAT(lines[2], ::testing::ContainsRegex(R"("lag_seconds":"3[56][0-9]{2}")"));  // ~1 h
  for (const auto& line : lines) {
    EXPECT_THAT(line, HasSubstr(R"("subject_id":"sy01")"));
    EXPECT_THAT(line, HasSubstr(R"("late":true)"));
    EXPECT_THAT(line, ::testing::ContainsRegex(R"("violation_ids":\["[0-9]+\.1","[0-9]+\.2"\])"));  // cashier + supervisor
  }
  ASSERT_EQ(Ctl("backdated --min-lag 30m --month " + month, &out), 0) << out;  // the table prints too
  EXPECT_THAT(out, HasSubstr("violations"));
  {
    // The worst entry's violations, explained.
    const std::string ids = lines[0].substr(lines[0].find(R"("violation_ids":[")") + 18);
    const std::string first = ids.substr(0, ids.find('"'));
    auto audit = v1::AuditService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd_->AdminToken());
    v1::ExplainViolationRequest r;
    r.set_violation_id(first);
    v1::ExplainViolationResponse why;
    ASSERT_TRUE(audit->ExplainViolation(&ctx, r, &why).ok());
    EXPECT_EQ(why.rule(), "payment_backfilled");
    EXPECT_EQ(why.subject_id(), "sy01");
    EXPECT_EQ(why.amount_fen(), 10000);
    EXPECT_EQ(why.policy_version(), 1u);
    EXPECT_THAT(why.parameters(), HasSubstr("max_lag_minutes=30"));
    EXPECT_TRUE(why.cause().has_record_payment());
    EXPECT_EQ(why.cause().record_payment().payment_id(), "P2");
    EXPECT_THAT(why.explanation(), HasSubstr("minutes after the moment it records"));
  }

  // The unit before and after the payments: as-of reads the history.
  ASSERT_EQ(Ctl("events --kind record_payment", &out), 0) << out;
  const auto first_payment = out.substr(out.find(R"("seq":")") + 7);
  const uint64_t seq = std::stoull(first_payment.substr(0, first_payment.find('"')));
  ASSERT_EQ(Ctl(absl::StrCat("as-of ", seq - 1, " unit BJF A1"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(R"("status": "SUBSCRIBED")"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr(R"("paid_fen")")));  // nothing paid yet (zero is omitted)
  ASSERT_EQ(Ctl(absl::StrCat("as-of ", seq, " unit BJF A1"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(R"("paid_fen": "1000000")"));
  ASSERT_EQ(Ctl("as-of 999999 unit BJF A1", &out), 1);
  EXPECT_THAT(out, HasSubstr("INVALID_ARGUMENT"));
}

TEST_F(AuditE2eTest, BackupUnderWriteLoadRestoresAndServes) {
  std::string out;
  const std::string yx = ProjectWith("yx01", "MARKETING");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0}, refused{0};
  std::vector<std::thread> writers = KeepWriting(4, yx, stop, written, refused);
  while (written < 200) absl::SleepFor(absl::Milliseconds(10));
  const std::string backup = dir_.Sub("backup");
  const int rc = Ctl("backup --to " + backup, &out);
  const int during = written;
  for (int i = 0; i < 1000 && written <= during; ++i) absl::SleepFor(absl::Milliseconds(10));
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("backed up events 1.."));
  const uint64_t backed_up = std::stoull(out.substr(out.find("1..") + 3));
  EXPECT_GT(backed_up, 200u);
  EXPECT_GT(written.load(), during);  // writes went on during and after the backup
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " restore --from ", backup, " --data-dir ", dir_.Sub("restored")),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("restored events 1..", backed_up, " ")));
  EXPECT_THAT(out, HasSubstr("chain verified"));
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " restore --from ", backup, " --data-dir ", dir_.Sub("restored")),
                                &out),
            1);  // never over an existing dir
  testing::LedgerdProcess restored(LEDGERD_PATH, dir_.Sub("restored"));
  {
    auto audit = v1::AuditService::NewStub(restored.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, restored.AdminToken());
    v1::GetHeadResponse head;
    ASSERT_TRUE(audit->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
    EXPECT_EQ(head.seq(), backed_up + 1);  // and the restored ledger's first start
  }
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " status --server ", restored.address(), " --token-file ",
                                             dir_.Sub("restored"), "/admin.token"),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("head            ", backed_up + 1)));
  restored.Stop(SIGTERM);
}

// A long import goes in several batches: every good line lands once and in file order, and each
// bad line is reported by its number, whether it is not a command or the server refused it.
TEST_F(AuditE2eTest, ImportAcrossBatchesReportsEachRefusedLineAndKeepsFileOrder) {
  std::string text;
  for (int i = 1; i <= 1203; ++i) {
    if (i == 2) {
      text += "{not json\n";
    } else if (i == 700) {
      text += "\n";  // blank: skipped, not refused
    } else if (i == 1001) {
      text += R"({"cmd":"add_person","args":{"person_id":"p1","name":"again","roles":["CONSULTANT"]}})" "\n";
    } else {
      text += absl::StrCat(R"({"cmd":"add_person","args":{"person_id":"p)", i, R"(","name":"x","roles":["CONSULTANT"]}})", "\n");
    }
  }
  std::string out;
  EXPECT_EQ(Ctl("import --quiet " + File("people.jsonl", text), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("1200 accepted, 0 already there, 2 refused"));
  EXPECT_THAT(out, HasSubstr("line 2: "));
  EXPECT_THAT(out, HasSubstr("line 1001: "));
  EXPECT_THAT(out, HasSubstr("[ALREADY_EXISTS]"));
  // File order: person p<i> is the event right after p<i-1> (seq 1 is the genesis).
  std::string events;
  ASSERT_EQ(Ctl("events --kind add_person", &events), 0);
  std::vector<std::string> ids;
  for (absl::string_view line : absl::StrSplit(events, '\n', absl::SkipEmpty())) {
    constexpr absl::string_view kKey = "\"person_id\":\"";
    const size_t at = line.find(kKey);
    if (at == absl::string_view::npos) continue;
    const size_t begin = at + kKey.size();
    ids.emplace_back(line.substr(begin, line.find('"', begin) - begin));
  }
  ASSERT_EQ(ids.size(), 1200u) << events.substr(0, 500);
  EXPECT_EQ(ids.front(), "p1");
  EXPECT_EQ(ids[1], "p3");
  EXPECT_EQ(ids.back(), "p1203");
  ASSERT_EQ(Ctl("import --quiet " + dir_.Sub("people.jsonl"), &out), 1) << out;  // resumable: nothing twice
  EXPECT_THAT(out, HasSubstr("0 accepted, 1200 already there, 2 refused"));
}

// Online rebuild while eight clients keep writing: nothing refused or lost, and afterwards the
// stored projections equal a fresh fold.
TEST_F(AuditE2eTest, OnlineRebuildUnderEightWriters) {
  std::string out;
  const std::string yx = ProjectWith("yx01", "MARKETING");
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0}, refused{0};
  std::vector<std::thread> writers = KeepWriting(8, yx, stop, acked, refused);
  while (acked < 500) absl::SleepFor(absl::Milliseconds(10));
  const int rc = Ctl("rebuild --server " + ledgerd_->address(), &out);
  const int acked_during = acked;
  for (int i = 0; i < 1000 && acked <= acked_during; ++i) absl::SleepFor(absl::Milliseconds(10));
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("swapped in at seq"));
  EXPECT_EQ(refused.load(), 0);
  EXPECT_GT(acked.load(), acked_during);
  // Every acknowledged entry is in the log, and the readers see all of them.
  ASSERT_EQ(Ctl("events --kind record_competitor", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), acked.load());
  ASSERT_EQ(Ctl("status", &out), 0) << out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", dir_.Sub("data")), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("equals a fresh fold"));
  ASSERT_EQ(Ctl("verify", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("the served state at seq"));
}

// Subscribe: catch-up, then live, across a server restart when resumed from the last seq received.
TEST_F(AuditE2eTest, SubscribeDeliversEveryEventOnceInOrderAcrossARestart) {
  const std::string yx = ProjectWith("yx01", "MARKETING");
  int next = 0;
  auto append = [&](testing::LedgerdProcess& server, int n) {
    auto entry = v1::EntryService::NewStub(server.Channel());
    for (int i = 0; i < n; ++i, ++next) {
      grpc::ClientContext ctx;
      testing::Authorize(ctx, yx);
      v1::RecordMarketingSpendRequest r;
      r.set_request_id(absl::StrCat("spend-", next));
      r.set_project_id("BJF");
      r.set_spend_id(absl::StrCat("M", next));
      r.set_month("2026-03");
      r.set_channel("抖音");
      r.set_amount_fen(100 + next);
      r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
      v1::EntryResponse response;
      ASSERT_TRUE(entry->RecordMarketingSpend(&ctx, r, &response).ok());
    }
  };
  auto head_of = [&](testing::LedgerdProcess& server) {
    auto audit = v1::AuditService::NewStub(server.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, server.AdminToken());
    v1::GetHeadResponse head;
    EXPECT_TRUE(audit->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
    return head.seq();
  };
  std::mutex mu;
  std::vector<uint64_t> received;
  grpc::Status ended;
  // Subscribes from `from` until the stream ends; `ctx` lets the test cancel it.
  auto subscribe = [&](testing::LedgerdProcess& server, uint64_t from, grpc::ClientContext* ctx) {
    auto audit = v1::AuditService::NewStub(server.Channel());
    testing::Authorize(*ctx, server.AdminToken());
    v1::SubscribeRequest request;
    request.set_from_seq(from);
    auto reader = audit->Subscribe(ctx, request);
    v1::ReadEventsResponse r;
    while (reader->Read(&r)) {
      std::lock_guard<std::mutex> lock(mu);
      received.push_back(r.event().seq());
    }
    ended = reader->Finish();
  };
  auto wait_for = [&](uint64_t seq) {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!received.empty() && received.back() >= seq) return;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    FAIL() << "the subscriber never received seq " << seq;
  };

  append(*ledgerd_, 50);
  grpc::ClientContext first_ctx;
  std::thread first([&] { subscribe(*ledgerd_, 1, &first_ctx); });
  wait_for(head_of(*ledgerd_));  // caught up
  append(*ledgerd_, 50);         // live
  wait_for(head_of(*ledgerd_));
  EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0);
  first.join();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(ended.error_message(), HasSubstr("resubscribe from seq"));

  ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, dir_.Sub("data"));
  append(*ledgerd_, 30);  // written while nobody listens
  uint64_t resume;
  {
    std::lock_guard<std::mutex> lock(mu);
    resume = received.back() + 1;
  }
  grpc::ClientContext second_ctx;
  std::thread second([&] { subscribe(*ledgerd_, resume, &second_ctx); });
  wait_for(head_of(*ledgerd_));
  append(*ledgerd_, 20);
  const uint64_t head = head_of(*ledgerd_);
  wait_for(head);
  second_ctx.TryCancel();
  second.join();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(received.size(), head);
  for (uint64_t i = 0; i < received.size(); ++i) ASSERT_EQ(received[i], i + 1) << "at position " << i;
}

}  // namespace
}  // namespace salesledger
