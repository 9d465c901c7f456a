#include "projections/piece_store.h"

#include <utility>

namespace salesledger {

PieceStore::PieceStore(Store store) : store_(std::move(store)), thread_([this] { Run(); }) {}

PieceStore::~PieceStore() { Finish().IgnoreError(); }

absl::Status PieceStore::Push(absl::string_view piece) {
  std::string copy(piece);  // outside the lock: the store's thread never waits for it
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](PieceStore* p) ABSL_SHARED_LOCKS_REQUIRED(p->mu_) { return p->queue_.size() < kInFlight || !p->status_.ok(); },
      this));
  if (!status_.ok()) return status_;
  queue_.push_back(std::move(copy));
  return absl::OkStatus();
}

absl::Status PieceStore::Finish() {
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  return status_;
}

void PieceStore::Run() {
  bool failed = false;
  for (;;) {
    std::string piece;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](PieceStore* p) ABSL_SHARED_LOCKS_REQUIRED(p->mu_) { return !p->queue_.empty() || p->done_; }, this));
      if (queue_.empty()) return;
      piece = std::move(queue_.front());
      queue_.pop_front();
    }
    if (failed) continue;  // still drained, so that no Push waits for room that never comes
    absl::Status s = store_(piece);
    if (!s.ok()) {
      failed = true;
      absl::MutexLock lock(&mu_);
      status_ = std::move(s);
    }
  }
}

}  // namespace salesledger
