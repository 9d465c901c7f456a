#include "base/compact_time.h"

#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(CompactTimeTest, KeepsTimesToTheNanosecondAndTheInfinities) {
  const absl::Time t = absl::FromUnixNanos(1772326800123456789);
  for (absl::Time x : {t, absl::UnixEpoch(), absl::InfinitePast(), absl::InfiniteFuture(),
                       absl::FromCivil(absl::CivilSecond(2000, 1, 1, 0, 0, 0), absl::UTCTimeZone())}) {
    EXPECT_EQ(CompactTime(x).time(), x);
  }
  EXPECT_EQ(CompactTime().time(), absl::Time());
  const CompactTime c = t;
  EXPECT_LT(c, t + absl::Nanoseconds(1));  // compares as an absl::Time
  EXPECT_EQ(c - absl::Seconds(1), t - absl::Seconds(1));
  static_assert(sizeof(CompactTime) == 8);
}

}  // namespace
}  // namespace salesledger
