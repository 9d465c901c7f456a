// Reading the log and verifying its chain (event_log.h).
#include <algorithm>
#include <thread>

#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "ledger/log_impl.h"
#include "transparency/merkle.h"

namespace salesledger {

absl::Status EventLog::Impl::Read(uint64_t from_seq, uint64_t to_seq,
                                  const std::function<bool(const StoredEvent&)>& visit) const {
  if (to_seq == 0) to_seq = GetHead().seq;
  from_seq = std::max<uint64_t>(from_seq, 1);
  if (from_seq > to_seq) return absl::OkStatus();
  const std::string upper = rf::EncodeSeq(to_seq + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  ro.readahead_size = 2 << 20;  // sequential scans: let the file system read ahead
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events()));
  for (it->Seek(rf::EncodeSeq(from_seq)); it->Valid(); it->Next()) {
    auto seq = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
    auto value = rf::DecodeEventValue(absl::string_view(it->value().data(), it->value().size()));
    if (!seq) return absl::DataLossError("an event key is malformed");
    if (!value) return DataLoss(*seq, "the stored record is too short to hold a hash");
    if (!visit(StoredEvent{*seq, value->event_bytes, value->hash})) return absl::OkStatus();
  }
  if (!it->status().ok()) return absl::DataLossError(absl::StrCat("reading events: ", it->status().ToString()));
  return absl::OkStatus();
}

absl::StatusOr<rf::EventValue> EventLog::Impl::StoredRecord(uint64_t seq, std::string& buffer) const {
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events(), rf::EncodeSeq(seq), &buffer);
  if (s.IsNotFound()) return DataLoss(seq, "the event is missing");
  if (!s.ok()) return absl::DataLossError(absl::StrCat("reading seq ", seq, ": ", s.ToString()));
  auto decoded = rf::DecodeEventValue(buffer);
  if (!decoded) return DataLoss(seq, "the stored record is too short to hold a hash");
  return *decoded;
}

absl::StatusOr<std::string> EventLog::Impl::StoredHash(uint64_t seq) const {
  std::string buffer;
  ASSIGN_OR_RETURN(const rf::EventValue record, StoredRecord(seq, buffer));
  return std::string(record.hash);
}

absl::StatusOr<std::string> EventLog::Impl::StoredLeafHash(uint64_t seq) const {
  std::string buffer;
  ASSIGN_OR_RETURN(const rf::EventValue record, StoredRecord(seq, buffer));
  return merkle::LeafHash(record.event_bytes);
}

absl::StatusOr<Event> EventLog::Impl::ReadEventAt(uint64_t seq) const {
  if (seq == 0 || seq > GetHead().seq) return absl::NotFoundError(absl::StrCat("no event at seq ", seq));
  std::string buffer;
  ASSIGN_OR_RETURN(const rf::EventValue record, StoredRecord(seq, buffer));
  Event event;
  if (!event.ParseFromArray(record.event_bytes.data(), record.event_bytes.size())) {
    return DataLoss(seq, "the stored event cannot be decoded");
  }
  event.set_hash(std::string(record.hash));
  return event;
}

absl::StatusOr<Head> EventLog::Impl::VerifyChain(uint64_t from_seq, uint64_t to_seq) const {
  const Head head = GetHead();
  if (to_seq == 0) to_seq = head.seq;
  if (to_seq > head.seq) {
    return absl::InvalidArgumentError(absl::StrCat("to_seq ", to_seq, " is past the head (seq ", head.seq, ")"));
  }
  from_seq = std::max<uint64_t>(from_seq, 1);
  if (from_seq > to_seq) return Head{to_seq, to_seq == 0 ? GenesisPrevHash() : "", absl::UnixEpoch()};

  std::string running = GenesisPrevHash();
  if (from_seq > 1) {
    ASSIGN_OR_RETURN(running, StoredHash(from_seq - 1));
  }
  uint64_t expected = from_seq;
  absl::Time last_recorded = absl::UnixEpoch();
  absl::Status bad;
  Event event;
  RETURN_IF_ERROR(Read(from_seq, to_seq, [&](const StoredEvent& e) {
    if (e.seq != expected) {
      bad = DataLoss(expected, absl::StrCat("the event is missing (the next stored one is seq ", e.seq, ")"));
      return false;
    }
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = DataLoss(e.seq, "the stored event cannot be decoded");
      return false;
    }
    if (event.seq() != e.seq) {
      bad = DataLoss(e.seq, absl::StrCat("the event stored here says it is seq ", event.seq(),
                                         " (events reordered or moved)"));
      return false;
    }
    if (event.prev_hash() != running) {
      bad = DataLoss(e.seq, "its prev_hash is not the hash of the event before it");
      return false;
    }
    std::string hash = ChainHash(running, e.bytes);
    if (hash != e.hash) {
      bad = DataLoss(e.seq, "its bytes do not match its hash (the event was changed)");
      return false;
    }
    running = std::move(hash);
    last_recorded = FromProto(event.recorded_at());
    ++expected;
    return true;
  }));
  RETURN_IF_ERROR(bad);
  if (expected != to_seq + 1) return DataLoss(expected, "the event is missing");
  if (to_seq == head.seq && running != head.hash) {
    return DataLoss(to_seq, "the ledger head's hash differs from the last event's hash");
  }
  return Head{to_seq, running, last_recorded};
}

// ---------------------------------------------------------------------------------------------


absl::StatusOr<Head> EventLog::VerifyChain(uint64_t from_seq, uint64_t to_seq) const {
  // Every record carries its own hash, so each link hash(n) = SHA-256(hash(n-1) || bytes(n)) can
  // be checked on its own: long ranges are split across the cores, each part anchored at the
  // stored hash before it (which the part before checks). The first bad seq is the lowest found.
  const uint64_t head = impl_->GetHead().seq;
  const uint64_t from = std::max<uint64_t>(from_seq, 1), to = to_seq == 0 ? head : to_seq;
  constexpr uint64_t kMinPart = 100000;
  const uint64_t parts = std::min<uint64_t>(std::max(1u, std::thread::hardware_concurrency()),
                                            to >= from ? (to - from + 1) / kMinPart : 0);
  if (parts <= 1 || to > head) return impl_->VerifyChain(from_seq, to_seq);
  std::vector<absl::StatusOr<Head>> results(parts, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  const uint64_t size = (to - from + 1) / parts;
  for (uint64_t i = 0; i < parts; ++i) {
    const uint64_t a = from + i * size, b = i + 1 == parts ? to : a + size - 1;
    threads.emplace_back([this, &results, i, a, b] { results[i] = impl_->VerifyChain(a, b); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    if (!r.ok()) return r.status();  // parts are in seq order: the first failure is the lowest seq
  }
  return results.back();
}

}  // namespace salesledger
