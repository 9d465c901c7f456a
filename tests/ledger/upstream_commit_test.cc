// EventLog with a LogUpstream (replicated mode, issue 19): every group is committed upstream
// before it is written locally, in one order; an upstream failure fails the log and nothing after
// it reaches the local store.
#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "base/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/event_log.h"
#include "ledger/upstream.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using salesledger::v1::Event;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

// An upstream in memory: takes each commit after `delay` (so that groups queue up behind it) and
// fails every commit from the `fail_from`th on.
class MemoryUpstream final : public LogUpstream {
 public:
  MemoryUpstream(absl::Duration delay, int fail_from) : delay_(delay), fail_from_(fail_from) {}
  absl::Status CanAppend() const override { return absl::OkStatus(); }
  absl::Status Commit(const std::vector<ReplicatedEvent>& events) override {
    absl::SleepFor(delay_);
    absl::MutexLock lock(&mu_);
    if (++commits_ >= fail_from_) return absl::UnavailableError("the store went away");
    for (const ReplicatedEvent& e : events) {
      if (e.seq != events_.size() + 1) return absl::InternalError(absl::StrCat("seq ", e.seq, " out of order"));
      events_.push_back(e);
    }
    return absl::OkStatus();
  }
  std::vector<ReplicatedEvent> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  uint64_t last() const {
    absl::MutexLock lock(&mu_);
    return events_.size();
  }

 private:
  const absl::Duration delay_;
  const int fail_from_;
  mutable absl::Mutex mu_;
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<ReplicatedEvent> events_ ABSL_GUARDED_BY(mu_);
};

class UpstreamCommitTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventLog> Open(LogUpstream* upstream) {
    EventLogOptions options;
    options.path = dir_.Sub("ledger");
    options.upstream = upstream;
    auto log = EventLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  static absl::StatusOr<Appended> Put(EventLog& log, const std::string& request_id) {
    Event e;
    e.set_actor_id("kf01");
    e.set_project_id("BJF");
    e.set_policy_version(1);
    e.mutable_genesis()->set_ledger_id(request_id);
    return log.AppendEvent(request_id, Sha256(request_id), e);
  }

  // Every local event is the upstream's at its seq, byte for byte.
  static void ExpectLocalIsUpstreamsPrefix(const EventLog& log, const MemoryUpstream& upstream) {
    const std::vector<ReplicatedEvent> theirs = upstream.events();
    ASSERT_LE(log.GetHead().seq, theirs.size());
    for (uint64_t seq = 1; seq <= log.GetHead().seq; ++seq) {
      absl::StatusOr<Event> ours = log.ReadEvent(seq);
      ASSERT_THAT(ours, IsOk());
      EXPECT_EQ(ours->hash(), theirs[seq - 1].hash) << "seq " << seq;
      EXPECT_EQ(ours->request_id(), theirs[seq - 1].request_id) << "seq " << seq;
    }
  }

  testing::TempDir dir_;
};

TEST_F(UpstreamCommitTest, ConcurrentAppendersAreCommittedUpstreamBeforeLocallyInOneOrder) {
  MemoryUpstream upstream(absl::Milliseconds(2), /*fail_from=*/1 << 30);
  auto log = Open(&upstream);
  // Told after each local write: the upstream must already hold every event of it.
  std::atomic<int> ahead_of_upstream{0};
  log->SetCommitListener([&](const std::vector<Event>& events) {
    if (events.back().seq() > upstream.last()) ++ahead_of_upstream;
  });
  constexpr int kThreads = 16, kEach = 60;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  absl::Mutex mu;
  std::set<uint64_t> acknowledged;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::StatusOr<Appended> a = Put(*log, absl::StrCat("t", t, "-", i));
        if (!a.ok()) {
          ++failed;
          continue;
        }
        absl::MutexLock lock(&mu);
        acknowledged.insert(a->event.seq());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(ahead_of_upstream, 0);
  ASSERT_EQ(acknowledged.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*acknowledged.rbegin(), static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(upstream.last(), static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(log->GetHead().seq, static_cast<uint64_t>(kThreads * kEach));
  ExpectLocalIsUpstreamsPrefix(*log, upstream);
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

TEST_F(UpstreamCommitTest, AFailedUpstreamCommitFailsTheLogAndNothingAfterItIsWrittenLocally) {
  MemoryUpstream upstream(absl::Milliseconds(2), /*fail_from=*/20);
  auto log = Open(&upstream);
  constexpr int kThreads = 16, kEach = 40;
  std::vector<std::thread> threads;
  absl::Mutex mu;
  std::vector<uint64_t> acknowledged;
  std::vector<std::string> other_errors;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::StatusOr<Appended> a = Put(*log, absl::StrCat("t", t, "-", i));
        absl::MutexLock lock(&mu);
        if (a.ok()) {
          acknowledged.push_back(a->event.seq());
        } else if (a.status().code() != absl::StatusCode::kUnavailable ||
                   !absl::StrContains(a.status().message(), "retry with the same request_id")) {
          other_errors.push_back(a.status().ToString());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_THAT(other_errors, ::testing::IsEmpty());
  ASSERT_FALSE(acknowledged.empty());
  // Whatever was acknowledged is upstream and local; the local log holds nothing the upstream
  // does not; and the log stays failed.
  for (uint64_t seq : acknowledged) {
    EXPECT_LE(seq, log->GetHead().seq);
    EXPECT_LE(seq, upstream.last());
  }
  ExpectLocalIsUpstreamsPrefix(*log, upstream);
  EXPECT_THAT(Put(*log, "after"), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("the store went away")));
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

}  // namespace
}  // namespace salesledger
