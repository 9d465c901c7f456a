#include "projections/snapshot.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using testing::StatusIs;

TEST(SnapshotTest, RoundTripsAndRefusesGarbage) {
  testing::LedgerHarness h;
  const std::string bytes = h.Read([](const State& s) { return EncodeState(s); });
  auto decoded = DecodeState(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeState(*decoded), bytes);
  EXPECT_THAT(DecodeState("nope").status(), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("format")));
  EXPECT_THAT(DecodeState(bytes.substr(0, bytes.size() / 2)).status(),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated")));
  // Found by stored_state_fuzz: a huge element count must be corruption, not an allocation.
  EXPECT_THAT(DecodeState(std::string("SLS1F\0\0\0Y\0", 10)).status(),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated")));
}

}  // namespace
}  // namespace salesledger
