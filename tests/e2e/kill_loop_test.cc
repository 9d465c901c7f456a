// kill -9 under load: 64 gRPC clients write while ledgerd is SIGKILLed at random moments and
// restarted. After every cycle each acknowledged entry is in the log, the chain verifies from seq
// 1 (so no gaps), and the served projections equal a fresh fold. CI runs 5 cycles; set
// SALESLEDGER_KILL_CYCLES=50 for the full run (README).
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

TEST(KillLoopTest, AcknowledgedEntriesSurviveSigkillUnderLoad) {
  const char* env = std::getenv("SALESLEDGER_KILL_CYCLES");
  const int cycles = env != nullptr ? std::atoi(env) : 5;
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  std::string token;
  {
    testing::LedgerdProcess ledgerd(LEDGERD_PATH, data);
    auto admin = v1::AdminService::NewStub(ledgerd.Channel());
    auto call = [&](auto method, auto request, v1::EntryResponse* r) {
      grpc::ClientContext ctx;
      testing::Authorize(ctx, ledgerd.AdminToken());
      return ((*admin).*method)(&ctx, request, r);
    };
    v1::EntryResponse r;
    v1::DefineProjectRequest project;
    project.set_request_id("p");
    project.set_project_id("BJF");
    project.set_name("滨江府");
    ASSERT_TRUE(call(&v1::AdminService::Stub::DefineProject, project, &r).ok());
    v1::AddPersonRequest person;
    person.set_request_id("yx");
    person.set_person_id("yx01");
    person.set_name("杨");
    person.add_roles(v1::MARKETING);
    person.add_project_ids("BJF");
    ASSERT_TRUE(call(&v1::AdminService::Stub::AddPerson, person, &r).ok());
    v1::IssueTokenRequest issue;
    issue.set_request_id("t");
    issue.set_person_id("yx01");
    issue.set_token_id("t-yx01");
    ASSERT_TRUE(call(&v1::AdminService::Stub::IssueToken, issue, &r).ok());
    token = r.token();
    ledgerd.Stop(SIGTERM);
  }
  std::mt19937 rng(20261127);
  std::mutex mu;
  std::set<std::string> acked;  // request ids
  for (int cycle = 0; cycle < cycles; ++cycle) {
    testing::LedgerdProcess ledgerd(LEDGERD_PATH, data);
    std::atomic<bool> stop{false};
    std::atomic<int> acked_this_cycle{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 64; ++c) {
      clients.emplace_back([&, c] {
        auto entry = v1::EntryService::NewStub(ledgerd.Channel());
        for (int i = 0; !stop; ++i) {
          grpc::ClientContext ctx;
          testing::Authorize(ctx, token);
          ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          v1::RecordCompetitorRequest r;
          r.set_request_id(absl::StrCat("k", cycle, "-", c, "-", i));
          r.set_project_id("BJF");
          r.set_competitor_id(absl::StrCat("CP", cycle, "-", c, "-", i));
          r.set_name("对手");
          r.set_avg_price_fen_per_m2(3000000);
          r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
          v1::EntryResponse response;
          if (entry->RecordCompetitor(&ctx, r, &response).ok()) {
            std::lock_guard<std::mutex> lock(mu);
            acked.insert(r.request_id());
            ++acked_this_cycle;
          } else {
            return;  // the server died: this client is done for the cycle
          }
        }
      });
    }
    // Kill once this cycle has acknowledged entries, at a random moment after that.
    for (int i = 0; i < 10000 && acked_this_cycle < 50; ++i) absl::SleepFor(absl::Milliseconds(1));
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(0, 150)(rng)));
    EXPECT_EQ(ledgerd.Stop(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_GT(acked_this_cycle.load(), 0) << "cycle " << cycle;
  }

  // After the last kill: everything acknowledged is there, the chain is whole, projections equal
  // a fresh fold of the log.
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, data);
  auto audit = v1::AuditService::NewStub(ledgerd.Channel());
  std::set<std::string> stored;
  {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::ReadEventsRequest read;
    read.set_kind("record_competitor");
    auto reader = audit->ReadEvents(&ctx, read);
    v1::ReadEventsResponse r;
    while (reader->Read(&r)) stored.insert(r.event().request_id());
    ASSERT_TRUE(reader->Finish().ok());
  }
  for (const auto& id : acked) ASSERT_TRUE(stored.count(id)) << "acknowledged " << id << " lost";
  std::string out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --server ", ledgerd.address(), " --token-file ",
                                             data, "/admin.token"),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, ::testing::HasSubstr("chain: OK"));
  EXPECT_THAT(out, ::testing::HasSubstr("equals a fresh fold"));
  ledgerd.Stop(SIGTERM);
}

}  // namespace
}  // namespace salesledger
