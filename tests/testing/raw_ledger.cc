#include "tests/testing/raw_ledger.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/sha256.h"
#include "base/time_proto.h"
#include "ledger/record_format.h"
#include "rocksdb/write_batch.h"

namespace salesledger::testing {
namespace {

void Check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "RawLedger %s: %s\n", what, s.ToString().c_str());
    std::abort();
  }
}

}  // namespace

RawLedger::RawLedger(const std::string& path) {
  std::vector<std::string> names;
  Check(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names), "list families");
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  Check(rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles_, &db_), "open");
}

RawLedger::~RawLedger() {
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  Check(db_->Close(), "close");
  delete db_;
}

namespace {
rocksdb::ColumnFamilyHandle* Find(const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                                  const std::string& name) {
  for (auto* h : handles) {
    if (h->GetName() == name) return h;
  }
  std::abort();
}
}  // namespace

std::optional<std::string> RawLedger::GetEvent(uint64_t seq) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Find(handles_, record_format::kEventsFamily),
                               record_format::EncodeSeq(seq), &value);
  if (s.IsNotFound()) return std::nullopt;
  Check(s, "get");
  return value;
}

void RawLedger::PutEvent(uint64_t seq, const std::string& value) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  Check(db_->Put(sync, Find(handles_, record_format::kEventsFamily), record_format::EncodeSeq(seq), value),
        "put");
}

void RawLedger::DeleteEvent(uint64_t seq) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  Check(db_->Delete(sync, Find(handles_, record_format::kEventsFamily), record_format::EncodeSeq(seq)),
        "delete");
}

void RawLedger::Rewrite(uint64_t seq, const salesledger::v1::Event& replacement) {
  rocksdb::ColumnFamilyHandle* events = Find(handles_, record_format::kEventsFamily);
  std::string prev = seq == 1 ? GenesisPrevHash()
                              : std::string(record_format::DecodeEventValue(*GetEvent(seq - 1))->hash);
  rocksdb::WriteBatch batch;
  salesledger::v1::Event event = replacement;
  uint64_t n = seq;
  absl::Time recorded;
  for (;; ++n) {
    if (n > seq) {
      std::optional<std::string> stored = GetEvent(n);
      if (!stored) break;
      const auto value = record_format::DecodeEventValue(*stored);
      if (!event.ParseFromArray(value->event_bytes.data(), value->event_bytes.size())) std::abort();
    }
    event.set_prev_hash(prev);
    event.clear_hash();
    const std::string bytes = event.SerializeAsString();
    prev = ChainHash(prev, bytes);
    recorded = FromProto(event.recorded_at());
    Check(batch.Put(events, record_format::EncodeSeq(n), record_format::EncodeEventValue(bytes, prev)), "batch");
  }
  Check(batch.Put(Find(handles_, record_format::kMetaFamily), record_format::kHeadKey,
                  record_format::EncodeHead({n - 1, prev, recorded})),
        "batch");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  Check(db_->Write(sync, &batch), "rewrite");
}

void RawLedger::DropTree() {
  rocksdb::WriteBatch batch;
  for (const char* family : {record_format::kMerkleFamily, record_format::kTreeHeadsFamily}) {
    rocksdb::ColumnFamilyHandle* h = Find(handles_, family);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), h));
    for (it->SeekToFirst(); it->Valid(); it->Next()) Check(batch.Delete(h, it->key()), "batch");
    Check(it->status(), "scan");
  }
  Check(batch.Delete(Find(handles_, record_format::kMetaFamily), record_format::kMerkleSizeKey), "batch");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  Check(db_->Write(sync, &batch), "drop the tree");
}

void RawLedger::DropFamily(const std::string& family) {
  rocksdb::ColumnFamilyHandle* h = Find(handles_, family);
  Check(db_->DropColumnFamily(h), "drop a family");
  Check(db_->DestroyColumnFamilyHandle(h), "drop a family");
  handles_.erase(std::find(handles_.begin(), handles_.end(), h));
}

std::vector<std::string> RawLedger::Keys(const std::string& family) {
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Find(handles_, family)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
  Check(it->status(), "scan");
  return keys;
}

void RawLedger::PutRecord(const std::string& family, const std::string& key, const std::string& value) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  Check(db_->Put(sync, Find(handles_, family), key, value), "put");
}

}  // namespace salesledger::testing
