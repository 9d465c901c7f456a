#include "base/period.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace salesledger {
namespace {

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

std::string Expected(absl::Time t, const absl::TimeZone& zone) { return absl::FormatTime("%Y-%m", t, zone); }

// Zones with offset changes at midnight (São Paulo until 2019), a skipped day (Apia, 2011-12-30),
// half-hour DST (Lord Howe), a quarter-hour offset (Kathmandu), and none (Shanghai, UTC).
const std::vector<std::string> kZones = {"Asia/Shanghai", "UTC", "America/Sao_Paulo", "America/New_York",
                                         "Pacific/Apia", "Australia/Lord_Howe", "Asia/Kathmandu"};

TEST(PeriodTest, EqualsFormatTimeForwardThroughTransitionsAndMonthEnds) {
  for (const std::string& name : kZones) {
    const absl::TimeZone zone = Zone(name);
    // Every 17 minutes and 3 seconds for two years, plus a nanosecond jitter: entries folded in
    // log order, the case the remembered span serves.
    for (absl::Time t = absl::FromCivil(absl::CivilSecond(2011, 1, 1), absl::UTCTimeZone());
         t < absl::FromCivil(absl::CivilSecond(2013, 1, 1), absl::UTCTimeZone());
         t += absl::Minutes(17) + absl::Seconds(3) + absl::Nanoseconds(1)) {
      ASSERT_EQ(Period(t, zone), Expected(t, zone)) << name << " " << absl::FormatTime(t);
    }
  }
}

TEST(PeriodTest, EqualsFormatTimeBackwardAndAcrossZonesInTurn) {
  const absl::TimeZone shanghai = Zone("Asia/Shanghai"), sao_paulo = Zone("America/Sao_Paulo");
  for (absl::Time t = absl::FromCivil(absl::CivilSecond(2012, 12, 31), absl::UTCTimeZone());
       t > absl::FromCivil(absl::CivilSecond(2011, 1, 1), absl::UTCTimeZone()); t -= absl::Minutes(29)) {
    ASSERT_EQ(Period(t, shanghai), Expected(t, shanghai)) << absl::FormatTime(t);
    ASSERT_EQ(Period(t, sao_paulo), Expected(t, sao_paulo)) << absl::FormatTime(t);
  }
}

TEST(PeriodTest, TheLastNanosecondOfAMonthAndTheFirstOfTheNext) {
  const absl::TimeZone shanghai = Zone("Asia/Shanghai");
  const absl::Time march = absl::FromCivil(absl::CivilSecond(2026, 3, 1), shanghai);
  EXPECT_EQ(Period(march - absl::Hours(1), shanghai), "2026-02");  // remembers February from here
  EXPECT_EQ(Period(march - absl::Nanoseconds(1), shanghai), "2026-02");
  EXPECT_EQ(Period(march, shanghai), "2026-03");
  EXPECT_EQ(Period(march - absl::Nanoseconds(1), shanghai), "2026-02");  // and back
  EXPECT_EQ(Period(march, absl::UTCTimeZone()), "2026-02");              // 16:00 UTC on Feb 28
}

TEST(PeriodTest, YearsOutsideFourDigitsFallBackToFormatTime) {
  const absl::Time far = absl::FromCivil(absl::CivilSecond(12026, 5, 1), absl::UTCTimeZone());
  EXPECT_EQ(Period(far, absl::UTCTimeZone()), "12026-05");
  EXPECT_EQ(Period(absl::InfiniteFuture(), absl::UTCTimeZone()), Expected(absl::InfiniteFuture(), absl::UTCTimeZone()));
  EXPECT_EQ(Period(absl::InfinitePast(), absl::UTCTimeZone()), Expected(absl::InfinitePast(), absl::UTCTimeZone()));
}

}  // namespace
}  // namespace salesledger
