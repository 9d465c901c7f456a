// PieceStore: hands pieces of an encoding, in order, to a store function running on a thread of
// its own, so that one piece is stored while the next is encoded. A checkpoint uses it: encoding
// the state took two thirds of a checkpoint's time, digesting and writing the pieces one third.
#ifndef SALESLEDGER_PROJECTIONS_PIECE_STORE_H_
#define SALESLEDGER_PROJECTIONS_PIECE_STORE_H_

#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace salesledger {

class PieceStore {
 public:
  // Called with each piece, in the order pushed, on the store's thread; never again once it has
  // returned an error.
  using Store = std::function<absl::Status(absl::string_view piece)>;
  explicit PieceStore(Store store);
  // Finishes (see Finish) if the owner did not.
  ~PieceStore();
  PieceStore(const PieceStore&) = delete;
  PieceStore& operator=(const PieceStore&) = delete;

  // Queues a copy of `piece`, waiting while kInFlight pieces are queued. Once storing has failed,
  // returns that error and queues nothing.
  absl::Status Push(absl::string_view piece);
  // Waits until every queued piece is stored (what `store` changed is then visible to the caller);
  // the first error storing one. No Push after it.
  absl::Status Finish();

  static constexpr size_t kInFlight = 2;

 private:
  void Run();

  const Store store_;
  absl::Mutex mu_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_PIECE_STORE_H_
