// ReadAhead: reads and parses a range of the log on a thread of its own, in batches, while the
// caller folds the batches already parsed. On a rebuild, reading (RocksDB iteration, decompression)
// plus parsing cost about as much as folding, so the two overlap on two cores.
#ifndef SALESLEDGER_PROJECTIONS_READ_AHEAD_H_
#define SALESLEDGER_PROJECTIONS_READ_AHEAD_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ledger/event_log.h"
#include "google/protobuf/arena.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

class ReadAhead {
 public:
  // A batch's events live on its arena, which the reader resets when it takes the batch back:
  // parsing then allocates from one block instead of freeing and reallocating every sub-message.
  struct Batch {
    Batch();
    // The arena's first block, kept across resets: a batch parses without allocating blocks.
    std::unique_ptr<char[]> block;
    google::protobuf::Arena arena;
    std::vector<const v1::Event*> events;
  };

  // Starts reading events from_seq..to_seq (both >= 1, from_seq <= to_seq).
  ReadAhead(const EventLog& log, uint64_t from_seq, uint64_t to_seq);
  // Stops the reader (if still running) and waits for it.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch, in seq order and gap-free, or nullptr when there are no more: then status()
  // is OK if every event of the range was delivered, DATA_LOSS naming the seq otherwise. Hand each
  // batch back with Recycle before asking for more than kBatches.
  Batch* Next();
  void Recycle(Batch* batch);
  absl::Status status();

  static constexpr size_t kBatchEvents = 256;
  static constexpr size_t kBatches = 8;

 private:
  void Run(const EventLog& log, uint64_t from_seq, uint64_t to_seq);
  Batch* TakeFree();
  void Deliver(Batch* batch);

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Batch>> owned_;
  std::vector<Batch*> free_ ABSL_GUARDED_BY(mu_);
  std::deque<Batch*> full_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread reader_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_READ_AHEAD_H_
