#include "projections/projector.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fault_injection_fs.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

// A state of many pieces.
State LargeState() {
  State state;
  Project& p = state.projects["BJF"];
  p.project_id = "BJF";
  for (int i = 0; i < 200000; ++i) p.AddItem(absl::StrCat("customer-", i), ItemKind::kCustomer, i + 1);
  return state;
}

TEST(WriteCheckpointTest, AFailingDiskFailsTheCheckpointAndKeepsTheOneInForce) {
  testing::TempDir dir;
  testing::FaultInjection faults;
  auto log = EventLog::Open({.path = dir.Sub("ledger"), .env = faults.env.get()});
  ASSERT_THAT(log, IsOk());
  const State state = LargeState();
  constexpr size_t kPieceBytes = 64 << 10;
  ASSERT_THAT(WriteCheckpoint(**log, state, {}, {.piece_bytes = kPieceBytes}), IsOk());
  auto in_force = ReadCheckpoint(**log);
  ASSERT_TRUE(in_force.ok() && *in_force) << in_force.status();
  ASSERT_GT((*in_force)->pieces, 20u);

  faults.fs->FailWrites(true);
  EXPECT_THAT(WriteCheckpoint(**log, state, {}, {.piece_bytes = kPieceBytes}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("write projection checkpoint")));
  faults.fs->FailWrites(false);

  auto after = ReadCheckpoint(**log);
  ASSERT_TRUE(after.ok() && *after) << after.status();
  EXPECT_EQ((*after)->first_piece, (*in_force)->first_piece);
  EXPECT_EQ((*after)->pieces, (*in_force)->pieces);
  EXPECT_EQ(*DigestCheckpointPieces(**log, **after), StateDigest(state));

  // The disk back, the next checkpoint at the same seq takes the names after the one in force.
  ASSERT_THAT(WriteCheckpoint(**log, state, {}, {.piece_bytes = kPieceBytes}), IsOk());
  auto next = ReadCheckpoint(**log);
  ASSERT_TRUE(next.ok() && *next) << next.status();
  EXPECT_EQ((*next)->first_piece, (*in_force)->pieces);
  EXPECT_EQ(*DigestCheckpointPieces(**log, **next), StateDigest(state));
  auto loaded = LoadCheckpointState(**log, **next);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(StateDigest(*loaded), StateDigest(state));
}

}  // namespace
}  // namespace salesledger
