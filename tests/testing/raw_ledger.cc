#include "tests/testing/raw_ledger.h"

#include <cstdio>
#include <cstdlib>

#include "ledger/record_format.h"

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

}  // namespace salesledger::testing
