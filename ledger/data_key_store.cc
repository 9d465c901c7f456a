#include "ledger/data_key_store.h"

#include "absl/strings/str_cat.h"
#include "base/aead.h"
#include "base/status_macros.h"
#include "absl/container/flat_hash_map.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/utilities/checkpoint.h"

namespace salesledger {
namespace {

// A stored value is one tag byte and then the sealed key, or the tag alone for a tombstone.
constexpr char kSealed = 'k';
constexpr char kErased = 'x';

rocksdb::Slice Key(absl::string_view subject) { return rocksdb::Slice(subject.data(), subject.size()); }

std::string Aad(absl::string_view subject) { return absl::StrCat("salesledger data key v1 ", subject); }

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  return absl::UnavailableError(absl::StrCat("data key store: ", what, ": ", s.ToString()));
}

absl::Status Erased(absl::string_view subject) {
  return absl::FailedPreconditionError(absl::StrCat("the personal data of ", subject, " was erased"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<DataKeyStore>> DataKeyStore::Open(const std::string& path, std::string master_key) {
  if (master_key.size() != kAeadKeySize) {
    return absl::InvalidArgumentError(absl::StrCat("the master key is ", kAeadKeySize, " bytes, not ", master_key.size()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  // A flushed write-ahead log is deleted at once (not archived), so that Erase's flush takes the
  // erased key's WAL record off the disk.
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  options.recycle_log_file_num = 0;
  rocksdb::DB* db = nullptr;
  if (rocksdb::Status s = rocksdb::DB::Open(options, path, &db); !s.ok()) return FromRocks(s, "open " + path);
  return std::unique_ptr<DataKeyStore>(new DataKeyStore(db, std::move(master_key)));
}

DataKeyStore::~DataKeyStore() { delete db_; }

absl::StatusOr<std::string> DataKeyStore::Unseal(absl::string_view subject, const std::string& stored) const {
  if (stored.size() == 1 && stored[0] == kErased) return Erased(subject);
  if (stored.empty() || stored[0] != kSealed) {
    return absl::DataLossError(absl::StrCat("the data key of ", subject, " is unreadable"));
  }
  absl::StatusOr<std::string> key = AeadOpen(master_key_, absl::string_view(stored).substr(1), Aad(subject));
  if (!key.ok()) {
    return absl::DataLossError(
        absl::StrCat("the data key of ", subject, " does not open under this master key (", key.status().message(), ")"));
  }
  return key;
}

absl::StatusOr<std::string> DataKeyStore::Get(absl::string_view subject) const {
  std::string stored;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Key(subject), &stored);
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat(subject, " has no data key"));
  if (!s.ok()) return FromRocks(s, "read");
  return Unseal(subject, stored);
}

absl::StatusOr<std::string> DataKeyStore::KeyFor(absl::string_view subject) {
  const std::string one[] = {std::string(subject)};
  return std::move(KeysFor(one)[0]);
}

std::vector<absl::StatusOr<std::string>> DataKeyStore::KeysFor(absl::Span<const std::string> subjects) {
  absl::MutexLock lock(&mu_);
  std::vector<absl::StatusOr<std::string>> keys;
  rocksdb::WriteBatch batch;
  absl::flat_hash_map<std::string, size_t> made;  // subject -> its first answer, made in this batch
  std::vector<size_t> new_ones;
  for (const std::string& subject : subjects) {
    if (auto it = made.find(subject); it != made.end()) {
      keys.push_back(keys[it->second]);
      new_ones.push_back(keys.size() - 1);
      continue;
    }
    absl::StatusOr<std::string> existing = Get(subject);
    if (!absl::IsNotFound(existing.status())) {
      keys.push_back(std::move(existing));
      continue;
    }
    absl::StatusOr<std::string> key = NewAeadKey();
    absl::StatusOr<std::string> sealed = key.ok() ? AeadSeal(master_key_, *key, Aad(subject)) : key.status();
    if (sealed.ok()) batch.Put(Key(subject), std::string(1, kSealed) + *sealed);
    keys.push_back(sealed.ok() ? std::move(key) : sealed.status());
    made.emplace(subject, keys.size() - 1);
    new_ones.push_back(keys.size() - 1);
  }
  if (batch.Count() == 0) return keys;
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (rocksdb::Status s = db_->Write(sync, &batch); !s.ok()) {
    for (size_t i : new_ones) keys[i] = FromRocks(s, "write");
  }
  return keys;
}

absl::Status DataKeyStore::Erase(absl::string_view subject) {
  absl::MutexLock lock(&mu_);
  std::string stored;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Key(subject), &stored);
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat(subject, " has no data key"));
  if (!s.ok()) return FromRocks(s, "read");
  // Erased already is refused; a retry after a failed flush or compaction below writes the same
  // tombstone again and goes on.
  const bool tombstone = stored.size() == 1 && stored[0] == kErased;
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (!tombstone) {
    if (s = db_->Put(sync, Key(subject), std::string(1, kErased)); !s.ok()) return FromRocks(s, "write");
  }
  // The tombstone hides the key from reads; the flush and a forced compaction of every level drop
  // the record under it from the disk, and the flushed write-ahead log is deleted.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (s = db_->Flush(flush); !s.ok()) return FromRocks(s, "flush");
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (s = db_->CompactRange(compact, nullptr, nullptr); !s.ok()) return FromRocks(s, "compaction");
  return tombstone ? Erased(subject) : absl::OkStatus();
}

absl::Status DataKeyStore::Backup(const std::string& path) const {
  rocksdb::Checkpoint* raw = nullptr;
  if (rocksdb::Status s = rocksdb::Checkpoint::Create(db_, &raw); !s.ok()) return FromRocks(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Flushed first (log_size_for_flush 0), so that the copy holds no write-ahead log to replay.
  if (rocksdb::Status s = checkpoint->CreateCheckpoint(path, 0); !s.ok()) return FromRocks(s, "checkpoint " + path);
  return absl::OkStatus();
}

}  // namespace salesledger
