// CompactTime: an absl::Time in 8 bytes instead of 16, for the timestamps of the state's most
// numerous records (visits, payments, violations). Nanoseconds since the epoch cover 1677..2262;
// entries are after 2000 (validation.h) and recorded now. The infinite past and future, which
// mark "not yet" (e.g. cancelled_at), are kept as the extremes. Converts to and from absl::Time
// implicitly, so records read as before.
// Thread-safety: a value type, like absl::Time.
#ifndef SALESLEDGER_BASE_COMPACT_TIME_H_
#define SALESLEDGER_BASE_COMPACT_TIME_H_

#include <cstdint>
#include <limits>

#include "absl/time/time.h"

namespace salesledger {

class CompactTime {
 public:
  CompactTime() = default;  // the epoch, as absl::Time()
  CompactTime(absl::Time t)  // NOLINT: assigned from absl::Time
      : nanos_(t == absl::InfinitePast()     ? std::numeric_limits<int64_t>::min()
               : t == absl::InfiniteFuture() ? std::numeric_limits<int64_t>::max()
                                             : absl::ToUnixNanos(t)) {}
  absl::Time time() const {
    if (nanos_ == std::numeric_limits<int64_t>::min()) return absl::InfinitePast();
    if (nanos_ == std::numeric_limits<int64_t>::max()) return absl::InfiniteFuture();
    return absl::FromUnixNanos(nanos_);
  }
  operator absl::Time() const { return time(); }  // NOLINT

 private:
  int64_t nanos_ = 0;
};
static_assert(sizeof(CompactTime) == 8);

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_COMPACT_TIME_H_
