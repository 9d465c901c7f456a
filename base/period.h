// Period: the month an entry counts in (SPEC.md §6: violations and timeliness are per person and
// month, by the local date of recorded_at in the project's time zone).
#ifndef SALESLEDGER_BASE_PERIOD_H_
#define SALESLEDGER_BASE_PERIOD_H_

#include <string>

#include "absl/time/time.h"

namespace salesledger {

// YYYY-MM of `t` in `zone`: the same text as absl::FormatTime("%Y-%m", t, zone), at a fraction of
// its cost (a fold asks for every entry). Remembers, per thread, the last answer and the span of
// time after it over which the month and the zone's UTC offset stay the same, so that entries
// folded in log order rarely convert at all.
std::string Period(absl::Time t, const absl::TimeZone& zone);

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_PERIOD_H_
