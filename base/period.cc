#include "base/period.h"

#include <algorithm>

namespace salesledger {
namespace {

std::string Convert(const absl::TimeZone::CivilInfo& local, absl::Time t, const absl::TimeZone& zone) {
  const int64_t year = local.cs.year();
  if (year < 1000 || year > 9999) return absl::FormatTime("%Y-%m", t, zone);
  const int month = local.cs.month();
  const char text[7] = {static_cast<char>('0' + year / 1000),     static_cast<char>('0' + year / 100 % 10),
                        static_cast<char>('0' + year / 10 % 10),   static_cast<char>('0' + year % 10),
                        '-', static_cast<char>('0' + month / 10), static_cast<char>('0' + month % 10)};
  return std::string(text, sizeof(text));
}

}  // namespace

std::string Period(absl::Time t, const absl::TimeZone& zone) {
  // The answer holds for [from, until): from the instant it was computed for (so only forward,
  // where local time is t's plus the elapsed time) to the month's end at that offset or the
  // zone's next offset change, whichever comes first.
  struct Memo {
    absl::TimeZone zone;
    absl::Time from = absl::InfiniteFuture(), until = absl::InfinitePast();
    std::string text;
  };
  thread_local Memo memo;
  if (zone == memo.zone && t >= memo.from && t < memo.until) return memo.text;

  const absl::TimeZone::CivilInfo local = zone.At(t);
  std::string text = Convert(local, t, zone);
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return text;
  const absl::CivilSecond month_end(absl::CivilMonth(local.cs) + 1);
  absl::Time until = t - local.subsecond + absl::Seconds(month_end - local.cs);
  absl::TimeZone::CivilTransition next;
  if (zone.NextTransition(t, &next)) until = std::min(until, zone.At(next.to).trans);
  memo = Memo{zone, t, until, text};
  return text;
}

}  // namespace salesledger
