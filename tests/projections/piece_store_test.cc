#include "projections/piece_store.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::ElementsAre;
using testing::IsOk;
using testing::StatusIs;

TEST(PieceStoreTest, StoresCopiesOfThePiecesInOrder) {
  std::vector<std::string> stored;
  PieceStore store([&](absl::string_view piece) {
    stored.emplace_back(piece);
    return absl::OkStatus();
  });
  std::string buffer;
  for (int i = 0; i < 100; ++i) {
    buffer = absl::StrCat("piece ", i);
    ASSERT_THAT(store.Push(buffer), IsOk());
    buffer.assign("overwritten");  // what was pushed is a copy
  }
  ASSERT_THAT(store.Finish(), IsOk());
  ASSERT_EQ(stored.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(stored[i], absl::StrCat("piece ", i));
}

TEST(PieceStoreTest, TheFirstErrorStopsStoringAndIsReturnedFromThenOn) {
  std::vector<std::string> stored;
  PieceStore store([&](absl::string_view piece) {
    if (piece == "3") return absl::UnavailableError("disk full at piece 3");
    stored.emplace_back(piece);
    return absl::OkStatus();
  });
  absl::Status first_refusal;
  int pushed = 0;
  for (int i = 0; i < 1000 && first_refusal.ok(); ++i) {
    first_refusal = store.Push(absl::StrCat(i));
    if (first_refusal.ok()) ++pushed;
  }
  // Pushing stops within the pieces in flight after the failure, not at the end of the input.
  EXPECT_THAT(first_refusal, StatusIs(absl::StatusCode::kUnavailable, "disk full at piece 3"));
  EXPECT_LE(pushed, 4 + static_cast<int>(PieceStore::kInFlight) + 1);
  EXPECT_THAT(store.Push("late"), StatusIs(absl::StatusCode::kUnavailable, "disk full at piece 3"));
  EXPECT_THAT(store.Finish(), StatusIs(absl::StatusCode::kUnavailable, "disk full at piece 3"));
  EXPECT_THAT(stored, ElementsAre("0", "1", "2"));  // nothing after the failed piece
}

TEST(PieceStoreTest, AnErrorOnTheLastPieceIsReturnedByFinish) {
  PieceStore store([](absl::string_view piece) {
    return piece == "last" ? absl::DataLossError("bad") : absl::OkStatus();
  });
  ASSERT_THAT(store.Push("first"), IsOk());
  ASSERT_THAT(store.Push("last"), IsOk());
  EXPECT_THAT(store.Finish(), StatusIs(absl::StatusCode::kDataLoss, "bad"));
}

}  // namespace
}  // namespace salesledger
