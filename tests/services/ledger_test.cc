#include "services/ledger.h"

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/scenario_line.h"
#include "tests/testing/ledger_harness.h"

namespace salesledger {
namespace {

TEST(LedgerTest, CheckpointsComeEveryNEventsOrEveryTenthOfTheLog) {
  EXPECT_FALSE(CheckpointDue(99999, 0, 100000));
  EXPECT_TRUE(CheckpointDue(100000, 0, 100000));
  EXPECT_TRUE(CheckpointDue(1100000, 1000000, 100000));  // a tenth of 1M is the interval itself
  EXPECT_FALSE(CheckpointDue(10999999, 10000000, 100000));
  EXPECT_TRUE(CheckpointDue(11000000, 10000000, 100000));
  EXPECT_FALSE(CheckpointDue(50000000, 0, 0));  // 0: only at close
}

// Idempotency storm: 32 clients retry the same 1,000 requests 10 times each, in different orders.
// Exactly 1,000 events are appended, and every answer to a request names the same seq.
TEST(LedgerTest, IdempotencyStormAppendsEachRequestOnce) {
  testing::LedgerHarness h;
  const uint64_t before = h.head();
  constexpr int kRequests = 1000, kClients = 32, kRetries = 10;
  std::vector<v1::Command> commands;
  for (int i = 0; i < kRequests; ++i) {
    auto line = ParseScenarioLine(
        absl::StrCat(R"({"cmd":"record_competitor","args":{"project_id":"BJF","competitor_id":"CP)", i,
                     R"(","name":"对手","avg_price_fen_per_m2":3000000,"occurred_at":"2026-03-01T09:00:00+08:00"}})"),
        absl::StrCat("storm-", i));
    ASSERT_TRUE(line.ok());
    commands.push_back(line->command);
  }
  std::vector<std::vector<uint64_t>> seqs(kRequests, std::vector<uint64_t>());
  std::mutex mu;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::vector<int> order(kRequests * kRetries);
      for (size_t i = 0; i < order.size(); ++i) order[i] = i % kRequests;
      std::shuffle(order.begin(), order.end(), std::mt19937(c));
      for (int i : order) {
        auto outcome = h.ledger().Execute("yx01", commands[i]);
        if (!outcome.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        seqs[i].push_back(outcome->event.seq());
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(h.head(), before + kRequests);
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_EQ(seqs[i].size(), static_cast<size_t>(kClients * kRetries));
    EXPECT_TRUE(std::all_of(seqs[i].begin(), seqs[i].end(), [&](uint64_t s) { return s == seqs[i][0]; }))
        << "request " << i << " answered with different seqs";
  }
}

}  // namespace
}  // namespace salesledger
