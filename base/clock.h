// The one clock the server reads (SPEC.md §2.4). Derived state never reads it; only the ledger's
// writer (for recorded_at), authentication (is a token past its expires_at?) and the inspection
// scheduler do.
#ifndef SALESLEDGER_BASE_CLOCK_H_
#define SALESLEDGER_BASE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace salesledger {

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// Wall-clock time, truncated to whole microseconds so that stored timestamps stay readable.
class RealClock final : public Clock {
 public:
  absl::Time Now() override;
  static RealClock* Get();  // process-wide instance, never destroyed
};

// A clock that only moves when told to: tests and `ledgerctl simulate`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}
  absl::Time Now() override;
  void Set(absl::Time t);
  void Advance(absl::Duration d);

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_CLOCK_H_
