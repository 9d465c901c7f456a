// DataKeyStore: the data keys of the people whose personal fields the ledger seals (issue 20), kept
// outside the chain so that destroying one erases what it sealed without touching an event: a
// RocksDB of its own (conventionally <data-dir>/keys), each key sealed (AES-256-GCM, base/aead.h)
// under the master key with its subject as the aad, so that a sealed key copied to another subject
// does not open.
//
// Erase replaces the subject's sealed key with a tombstone, then flushes and compacts the whole
// store, so that once it returns no file of the store (SST, write-ahead log) holds the sealed key
// any more; the tombstone stays, so that an erased subject is told apart from one that never had a
// key, and never gets a new key by accident.
//
// Durability: KeyFor and Erase return only after a synced write. Thread-safety: every method may be
// called from any thread; KeyFor makes at most one key per subject.
#ifndef SALESLEDGER_LEDGER_DATA_KEY_STORE_H_
#define SALESLEDGER_LEDGER_DATA_KEY_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "absl/synchronization/mutex.h"

namespace rocksdb {
class DB;
}

namespace salesledger {

class DataKeyStore {
 public:
  // Opens the store at `path`, creating it when missing. `master_key` is kAeadKeySize bytes
  // (INVALID_ARGUMENT otherwise); UNAVAILABLE when RocksDB cannot open the store.
  static absl::StatusOr<std::unique_ptr<DataKeyStore>> Open(const std::string& path, std::string master_key);
  ~DataKeyStore();
  DataKeyStore(const DataKeyStore&) = delete;
  DataKeyStore& operator=(const DataKeyStore&) = delete;

  // The subject's key, made (and synced) when it has none yet. FAILED_PRECONDITION when the
  // subject's data was erased; DATA_LOSS when its sealed key does not open under the master key.
  absl::StatusOr<std::string> KeyFor(absl::string_view subject);
  // KeyFor of each subject, the new keys written in one synced batch (an import's registrations
  // share one fsync). One answer per subject, in order.
  std::vector<absl::StatusOr<std::string>> KeysFor(absl::Span<const std::string> subjects);
  // The subject's key. NOT_FOUND when it never had one; FAILED_PRECONDITION when it was erased;
  // DATA_LOSS as KeyFor.
  absl::StatusOr<std::string> Get(absl::string_view subject) const;
  // Destroys the subject's key (see above). NOT_FOUND when it has none; FAILED_PRECONDITION when it
  // was erased already; UNAVAILABLE when the write, flush or compaction fails: then call again,
  // which finishes the flush and compaction before it says FAILED_PRECONDITION.
  absl::Status Erase(absl::string_view subject);
  // A consistent copy of the store at `path` (a new directory; a RocksDB checkpoint). UNAVAILABLE
  // when RocksDB cannot make it.
  absl::Status Backup(const std::string& path) const;

 private:
  DataKeyStore(rocksdb::DB* db, std::string master_key) : db_(db), master_key_(std::move(master_key)) {}
  absl::StatusOr<std::string> Unseal(absl::string_view subject, const std::string& stored) const;

  rocksdb::DB* const db_;
  const std::string master_key_;
  absl::Mutex mu_;  // serializes KeyFor's read-then-make and Erase
};

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_DATA_KEY_STORE_H_
