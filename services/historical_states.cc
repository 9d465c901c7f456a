#include "services/historical_states.h"

#include "absl/strings/str_cat.h"

namespace salesledger {

absl::StatusOr<std::shared_ptr<const State>> HistoricalStates::Get(uint64_t seq) {
  const absl::Time deadline = absl::Now() + wait_;
  absl::MutexLock lock(&mu_);
  bool expired = false;
  while (true) {
    auto it = entries_.find(seq);
    if (it != entries_.end() && it->second.state != nullptr) {
      // Folded already: share it.
      ++it->second.holders;
      std::shared_ptr<const State> keep = it->second.state;
      const State* raw = keep.get();
      return std::shared_ptr<const State>(raw, [this, seq, keep = std::move(keep)](const State*) { Release(seq); });
    }
    if (it == entries_.end() && entries_.size() < max_states_) break;  // a free slot: fold it here
    if (expired) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "as-of reads are busy: ", entries_.size(), " historical state(s) are in use, at most ", max_states_,
          " at once, and none came free within ", absl::FormatDuration(wait_),
          "; try again shortly (an as-of read folds the log up to its seq)"));
    }
    // Being folded by another caller, or no slot free: wait for a change, then look again.
    ++waiting_;
    expired = changed_.WaitWithDeadline(&mu_, deadline);
    --waiting_;
  }
  entries_[seq] = Entry{nullptr, 1};
  mu_.Unlock();
  absl::StatusOr<std::unique_ptr<State>> folded = fold_(seq);
  mu_.Lock();
  if (!folded.ok()) {
    entries_.erase(seq);  // waiters for this seq fold it themselves
    changed_.SignalAll();
    return folded.status();
  }
  Entry& entry = entries_[seq];
  entry.state = std::shared_ptr<const State>(std::move(*folded));
  changed_.SignalAll();
  std::shared_ptr<const State> keep = entry.state;
  const State* raw = keep.get();
  return std::shared_ptr<const State>(raw, [this, seq, keep = std::move(keep)](const State*) { Release(seq); });
}

void HistoricalStates::Release(uint64_t seq) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(seq);
  if (it == entries_.end() || --it->second.holders > 0) return;
  entries_.erase(it);  // the last holder's copy (in its deleter) frees the state after this
  changed_.SignalAll();
}

HistoricalStates::Usage HistoricalStates::usage() const {
  absl::MutexLock lock(&mu_);
  return Usage{entries_.size(), waiting_};
}

}  // namespace salesledger
