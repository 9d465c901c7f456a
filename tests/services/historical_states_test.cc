// HistoricalStates: as-of states shared between concurrent callers of one seq, bounded in number,
// waited for, and refused with RESOURCE_EXHAUSTED when none comes free in time.
#include "services/historical_states.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

// A fold that records each seq it folds, and waits for `release` when given one.
struct FakeFold {
  std::atomic<int> folds{0};
  absl::Notification* release = nullptr;
  HistoricalStates::Fold fn() {
    return [this](uint64_t seq) -> absl::StatusOr<std::unique_ptr<State>> {
      ++folds;
      if (release != nullptr) release->WaitForNotification();
      if (seq == 666) return absl::DataLossError("event 666 does not decode");
      auto s = std::make_unique<State>();
      s->head_seq = seq;
      return s;
    };
  }
};

TEST(HistoricalStatesTest, ConcurrentCallersOfOneSeqShareOneFold) {
  FakeFold fold;
  absl::Notification release;
  fold.release = &release;
  HistoricalStates states(fold.fn(), 2, absl::Seconds(30));
  std::shared_ptr<const State> a, b;
  std::thread first([&] { a = *states.Get(7); });
  while (states.usage().in_use == 0) absl::SleepFor(absl::Milliseconds(1));
  std::thread second([&] { b = *states.Get(7); });
  while (states.usage().waiting == 0) absl::SleepFor(absl::Milliseconds(1));  // waits for the fold
  release.Notify();
  first.join();
  second.join();
  EXPECT_EQ(fold.folds.load(), 1);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->head_seq, 7u);
  EXPECT_EQ(states.usage().in_use, 1u);
  a.reset();
  EXPECT_EQ(states.usage().in_use, 1u);  // b still holds it
  b.reset();
  EXPECT_EQ(states.usage().in_use, 0u);
  // Released: the next caller folds afresh.
  fold.release = nullptr;
  EXPECT_EQ((*states.Get(7))->head_seq, 7u);
  EXPECT_EQ(fold.folds.load(), 2);
}

TEST(HistoricalStatesTest, NoMoreThanTheBoundAndTheRestWaitOrAreTurnedAway) {
  FakeFold fold;
  HistoricalStates states(fold.fn(), 1, absl::Milliseconds(100));
  auto held = states.Get(5);
  ASSERT_TRUE(held.ok());
  auto refused = states.Get(6);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("as-of reads are busy: 1 historical state(s) are in use, at most 1 at once, and none came free "
                        "within 100ms; try again shortly"));
  EXPECT_EQ(fold.folds.load(), 1);
  EXPECT_EQ((*states.Get(5))->head_seq, 5u);  // the held seq is shared, whatever the bound
  // A caller that waits gets the slot when it is released.
  HistoricalStates patient(fold.fn(), 1, absl::Seconds(30));
  auto first = patient.Get(1);
  absl::StatusOr<std::shared_ptr<const State>> second;
  std::thread waiter([&] { second = patient.Get(2); });
  while (patient.usage().waiting == 0) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(patient.usage().in_use, 1u);
  first->reset();
  waiter.join();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*second)->head_seq, 2u);
  EXPECT_EQ(patient.usage().waiting, 0u);
}

TEST(HistoricalStatesTest, AFailedFoldIsAnsweredAndLeavesNothing) {
  FakeFold fold;
  HistoricalStates states(fold.fn(), 1, absl::Seconds(1));
  auto failed = states.Get(666);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(states.usage().in_use, 0u);
  EXPECT_TRUE(states.Get(3).ok());  // the slot is free again
}

}  // namespace
}  // namespace salesledger
