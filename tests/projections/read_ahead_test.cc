#include "projections/read_ahead.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

// More events than the batches in flight can hold, so that the reader waits for recycled batches.
constexpr uint64_t kEvents = ReadAhead::kBatchEvents * ReadAhead::kBatches * 2 + 37;

class ReadAheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = Open();
    std::vector<Proposal> proposals;
    for (uint64_t i = 1; i <= kEvents; ++i) {
      proposals.push_back({absl::StrCat("r-", i), Sha256(absl::StrCat(i)), [i](v1::Event& draft) {
                             draft.set_actor_id(absl::StrCat("a", i));
                             draft.set_project_id("BJF");
                             draft.mutable_genesis()->set_ledger_id("x");
                             return absl::OkStatus();
                           }});
    }
    for (const auto& appended : log->AppendAll(std::move(proposals))) ASSERT_THAT(appended, IsOk());
  }

  std::unique_ptr<EventLog> Open() {
    EventLogOptions options;
    options.path = dir_.Sub("ledger");
    options.clock = &clock_;
    auto log = EventLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  // Drains `r`, checking that each event is the one appended at its seq; returns the seqs.
  static std::vector<uint64_t> Drain(ReadAhead& r) {
    std::vector<uint64_t> seqs;
    while (ReadAhead::Batch* b = r.Next()) {
      for (const v1::Event* e : b->events) {
        EXPECT_EQ(e->actor_id(), absl::StrCat("a", e->seq()));
        seqs.push_back(e->seq());
      }
      r.Recycle(b);
    }
    return seqs;
  }

  testing::TempDir dir_;
  ManualClock clock_{absl::FromUnixSeconds(1772326800)};
};

TEST_F(ReadAheadTest, DeliversTheRangeInOrder) {
  auto log = Open();
  ReadAhead r(*log, 5, kEvents - 3);
  const std::vector<uint64_t> seqs = Drain(r);
  ASSERT_EQ(seqs.size(), kEvents - 7);
  for (size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], 5 + i);
  EXPECT_THAT(r.status(), IsOk());
}

TEST_F(ReadAheadTest, AMissingEventEndsTheStreamWithDataLossAtItsSeq) {
  { testing::RawLedger(dir_.Sub("ledger")).DeleteEvent(1500); }
  EventLogOptions options;
  options.path = dir_.Sub("ledger");
  options.clock = &clock_;
  auto log = EventLog::Open(options);
  ASSERT_THAT(log, IsOk());
  ReadAhead r(**log, 1, kEvents);
  const std::vector<uint64_t> seqs = Drain(r);
  EXPECT_EQ(seqs.size(), 1499u);  // everything before the gap, nothing after it
  EXPECT_THAT(r.status(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("event 1500 ")));
}

TEST_F(ReadAheadTest, ARangePastTheHeadEndsWithDataLoss) {
  auto log = Open();
  ReadAhead r(*log, kEvents - 1, kEvents + 1);
  EXPECT_EQ(Drain(r).size(), 2u);
  EXPECT_THAT(r.status(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("event " + std::to_string(kEvents + 1))));
}

TEST_F(ReadAheadTest, StoppingEarlyJoinsTheReader) {
  auto log = Open();
  {
    ReadAhead r(*log, 1, kEvents);
    ReadAhead::Batch* b = r.Next();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->events[0]->seq(), 1u);
  }  // the reader is blocked on a full queue: the destructor must stop it, not hang
}

}  // namespace
}  // namespace salesledger
