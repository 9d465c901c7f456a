#include "services/ledger.h"

#include <algorithm>
#include <random>
#include <thread>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/time_proto.h"
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

// Expiry is judged by the ledger's clock when a call authenticates; the holder rotates their own
// token; administrators see what expires within 14 days.
TEST(LedgerTest, TokensExpireByTheClockAndRotate) {
  testing::LedgerHarness h;
  auto issued = h.Run("admin", "issue_token", R"({"person_id":"gw01","token_id":"t-gw01","valid_days":1})");
  ASSERT_TRUE(issued.ok()) << issued.status();
  ASSERT_EQ(issued->token.size(), 64u);
  auto ninety = h.Run("admin", "issue_token", R"({"person_id":"gw02","token_id":"t-gw02"})");
  ASSERT_TRUE(ninety.ok());
  auto who = h.ledger().AuthenticateToken(issued->token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->person.person_id, "gw01");
  EXPECT_EQ(who->token_id, "t-gw01");
  // Only the one-day token is within the 14 days' warning.
  const Ledger::Status status = h.ledger().GetStatus();
  ASSERT_EQ(status.expiring_tokens.size(), 1u);
  EXPECT_EQ(status.expiring_tokens[0].token_id, "t-gw01");
  EXPECT_EQ(status.expiring_tokens[0].expires_at, FromProto(issued->event.recorded_at()) + absl::Hours(24));

  // Rotated after 20 hours: the old one stops at once, the new one lives a day from now.
  h.clock().Advance(absl::Hours(20));
  v1::Command rotate;
  rotate.mutable_rotate_token()->set_request_id("rotate-1");
  rotate.mutable_rotate_token()->set_token_id("t-gw01");
  auto rotated = h.ledger().Execute("gw01", rotate);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  ASSERT_EQ(rotated->token.size(), 64u);
  EXPECT_NE(rotated->token, issued->token);
  EXPECT_EQ(rotated->event.rotate_token().replaces_token_id(), "t-gw01");
  EXPECT_EQ(rotated->event.rotate_token().token_id(), absl::StrCat("gw01-", rotated->event.seq()));
  EXPECT_EQ(rotated->event.rotate_token().token_sha256(), Sha256(rotated->token));  // the hash, never the token
  auto old = h.ledger().AuthenticateToken(issued->token);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(old.status().message(), "token 't-gw01' was revoked");
  ASSERT_TRUE(h.ledger().AuthenticateToken(rotated->token).ok());
  // A retry of the rotation shows no token: only its hash was kept.
  auto again = h.ledger().Execute("gw01", rotate);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->token, "");

  h.clock().Advance(absl::Hours(24));
  auto expired = h.ledger().AuthenticateToken(rotated->token);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  const std::string expiry = absl::FormatTime(absl::RFC3339_sec, FromProto(rotated->event.recorded_at()) + absl::Hours(24),
                                              absl::UTCTimeZone());
  EXPECT_EQ(expired.status().message(),
            absl::StrCat("token 'gw01-", rotated->event.seq(), "' expired at ", expiry,
                         "; ask your administrator to issue a new one (rotate a token before it expires: ledgerctl "
                         "token rotate)"));
  EXPECT_TRUE(h.ledger().AuthenticateToken(ninety->token).ok());
}

// The ledger's own starts: a clean close and a crash are told apart at the next Open.
TEST(LedgerTest, StartsSayWhetherThePreviousStopWasClean) {
  testing::LedgerHarness h;
  EXPECT_TRUE(h.ledger().previous_stop_clean());
  const Head before = h.ledger().log().GetHead();
  auto started = h.ledger().RecordStart("test");
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->event.seq(), before.seq + 1);
  EXPECT_EQ(started->event.actor_id(), "system");
  EXPECT_TRUE(started->event.server_started().previous_stop_clean());
  EXPECT_EQ(FromProto(started->event.server_started().last_recorded_at()), before.recorded_at);
  h.Reopen();
  EXPECT_TRUE(h.ledger().previous_stop_clean());
  // A run that never closed leaves its marker behind (the close removes it; a crash does not).
  h.Close();
  std::ofstream(h.data_dir() + "/ledger.running") << "4242\n";
  h.Reopen();
  EXPECT_FALSE(h.ledger().previous_stop_clean());
  auto after_crash = h.ledger().RecordStart("test");
  ASSERT_TRUE(after_crash.ok());
  EXPECT_FALSE(after_crash->event.server_started().previous_stop_clean());
}

}  // namespace
}  // namespace salesledger
