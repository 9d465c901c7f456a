#include "projections/read_ahead.h"

#include "absl/strings/str_cat.h"

namespace salesledger {

namespace {
constexpr size_t kArenaBlockBytes = 512 << 10;  // ~2 KiB an event: most batches fit

google::protobuf::ArenaOptions FirstBlock(char* block) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = kArenaBlockBytes;
  return options;
}
}  // namespace

ReadAhead::Batch::Batch() : block(new char[kArenaBlockBytes]), arena(FirstBlock(block.get())) {}

ReadAhead::ReadAhead(const EventLog& log, uint64_t from_seq, uint64_t to_seq) {
  for (size_t i = 0; i < kBatches; ++i) {
    owned_.push_back(std::make_unique<Batch>());
    free_.push_back(owned_.back().get());
  }
  reader_ = std::thread([this, &log, from_seq, to_seq] { Run(log, from_seq, to_seq); });
}

ReadAhead::~ReadAhead() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  reader_.join();
}

ReadAhead::Batch* ReadAhead::TakeFree() {
  Batch* b = nullptr;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](ReadAhead* r) ABSL_SHARED_LOCKS_REQUIRED(r->mu_) { return !r->free_.empty() || r->stop_; }, this));
    if (stop_) return nullptr;
    b = free_.back();
    free_.pop_back();
  }
  b->events.clear();
  b->arena.Reset();  // outside the lock: the folding thread never waits for it
  return b;
}

void ReadAhead::Deliver(Batch* batch) {
  absl::MutexLock lock(&mu_);
  full_.push_back(batch);
}

void ReadAhead::Run(const EventLog& log, uint64_t from_seq, uint64_t to_seq) {
  uint64_t next = from_seq;
  Batch* batch = TakeFree();
  absl::Status bad;
  absl::Status read = batch == nullptr ? absl::OkStatus() : log.Read(from_seq, to_seq, [&](const StoredEvent& e) {
    auto* event = google::protobuf::Arena::CreateMessage<v1::Event>(&batch->arena);
    if (e.seq != next || !event->ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = absl::DataLossError(absl::StrCat("event ", next, " is missing or cannot be decoded"));
      return false;
    }
    ++next;
    batch->events.push_back(event);
    if (batch->events.size() == kBatchEvents) {
      Deliver(batch);
      batch = TakeFree();
    }
    return batch != nullptr;
  });
  if (batch != nullptr && !batch->events.empty()) Deliver(batch);
  if (read.ok()) read = bad;
  if (read.ok() && next != to_seq + 1) read = absl::DataLossError(absl::StrCat("event ", next, " is missing"));
  absl::MutexLock lock(&mu_);
  if (!stop_) status_ = read;
  done_ = true;
}

ReadAhead::Batch* ReadAhead::Next() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(+[](ReadAhead* r) ABSL_SHARED_LOCKS_REQUIRED(r->mu_) { return !r->full_.empty() || r->done_; },
                            this));
  if (full_.empty()) return nullptr;
  Batch* b = full_.front();
  full_.pop_front();
  return b;
}

void ReadAhead::Recycle(Batch* batch) {
  absl::MutexLock lock(&mu_);
  free_.push_back(batch);
}

absl::Status ReadAhead::status() {
  absl::MutexLock lock(&mu_);
  return status_;
}

}  // namespace salesledger
