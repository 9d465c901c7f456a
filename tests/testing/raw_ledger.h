// Direct RocksDB access to a closed ledger's events, for tests that tamper with stored bytes the
// way an attacker with the data dir would: through the RocksDB API, checksums and all.
#ifndef SALESLEDGER_TESTS_TESTING_RAW_LEDGER_H_
#define SALESLEDGER_TESTS_TESTING_RAW_LEDGER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger::testing {

class RawLedger {
 public:
  // Opens the ledger's RocksDB with all its column families. Aborts the test process on failure.
  explicit RawLedger(const std::string& path);
  ~RawLedger();

  std::optional<std::string> GetEvent(uint64_t seq);
  void PutEvent(uint64_t seq, const std::string& value);
  void DeleteEvent(uint64_t seq);

  // Replaces event `seq` with `event` and recomputes the chain from there to the head, as whoever
  // holds the data dir could: every later event's prev_hash and hash, and the head record. The
  // ledger then verifies; only what was seen of it before can tell.
  void Rewrite(uint64_t seq, const salesledger::v1::Event& event);

  // Throws away the Merkle tree, its size record and every signed checkpoint, as the same holder
  // would after a Rewrite: the next writable open builds the tree again from the events.
  void DropTree();
  // Drops a whole column family, as a ledger written before it existed lacks it.
  void DropFamily(const std::string& family);
  // The keys of every record of a column family, in order.
  std::vector<std::string> Keys(const std::string& family);
  // Any record of any column family, synced.
  void PutRecord(const std::string& family, const std::string& key, const std::string& value);

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_TESTING_RAW_LEDGER_H_
