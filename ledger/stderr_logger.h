// RocksDB's own diagnostics, sent to stderr instead of a LOG file in the data dir.
//
// Why: a LOG file shares the disk with the ledger. When the disk fills, RocksDB keeps writing to
// its LOG after a failed write, and Debian's build (assertions on) aborts in the logger before the
// ledger can answer UNAVAILABLE. Logging to stderr keeps a full disk an error, not a crash, and
// puts RocksDB's warnings next to ledgerd's own messages.
#ifndef SALESLEDGER_LEDGER_STDERR_LOGGER_H_
#define SALESLEDGER_LEDGER_STDERR_LOGGER_H_

#include <memory>

#include "rocksdb/env.h"

namespace salesledger {

// Logs messages at `level` and above, prefixed "rocksdb: ". Thread-safe.
std::shared_ptr<rocksdb::Logger> NewStderrLogger(rocksdb::InfoLogLevel level = rocksdb::InfoLogLevel::WARN_LEVEL);

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_STDERR_LOGGER_H_
