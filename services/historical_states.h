// Historical states for as-of reads (SPEC.md §5 as_of_seq). A state as of seq N is folded from the
// log's first N events: it costs time and memory like the live state, so a handful of auditors at
// once could exhaust the server. Here: concurrent callers of the same seq share one fold, at most
// `max_states` historical states exist at once, and a caller finding none free waits up to `wait`
// for one, then gets RESOURCE_EXHAUSTED saying so — never an unbounded allocation.
//
// Thread-safe.
#ifndef SALESLEDGER_SERVICES_HISTORICAL_STATES_H_
#define SALESLEDGER_SERVICES_HISTORICAL_STATES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/state.h"

namespace salesledger {

class HistoricalStates {
 public:
  // Folds the state right after event `seq`; called without any lock held.
  using Fold = std::function<absl::StatusOr<std::unique_ptr<State>>(uint64_t seq)>;

  HistoricalStates(Fold fold, size_t max_states, absl::Duration wait)
      : fold_(std::move(fold)), max_states_(max_states), wait_(wait) {}

  // The state as of `seq`, shared with every other holder of the same seq; it is freed when the
  // last holder drops it. The fold's own error, or RESOURCE_EXHAUSTED when no state was free
  // within the wait. The returned pointer must not outlive this object.
  absl::StatusOr<std::shared_ptr<const State>> Get(uint64_t seq);

  struct Usage {
    size_t in_use = 0;   // historical states held or being folded
    size_t waiting = 0;  // callers waiting for one
  };
  Usage usage() const;

 private:
  struct Entry {
    std::shared_ptr<const State> state;  // null while being folded
    int holders = 0;
  };
  void Release(uint64_t seq);

  const Fold fold_;
  const size_t max_states_;
  const absl::Duration wait_;
  mutable absl::Mutex mu_;
  absl::CondVar changed_;  // an entry was folded, failed or released
  std::map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  size_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_HISTORICAL_STATES_H_
