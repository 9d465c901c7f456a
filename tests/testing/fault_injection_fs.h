// A RocksDB FileSystem for tests that models what a power cut or a failing disk does.
//
// Bytes appended to a file stay in memory (the "page cache") until the file is synced; PowerCut()
// throws every such unsynced byte away and makes all later file operations fail, as if the machine
// had stopped. FailSyncs / FailWrites make syncs or appends return IOError from now on;
// FailRandomly makes a random share of them fail.
//
// Thread-safe. Simplification: closing a file writes its unsynced bytes through (RocksDB syncs
// every file it relies on before it relies on it, so this only makes the model kinder, never
// hides a missing sync of the write-ahead log, which is never closed mid-append).
#ifndef SALESLEDGER_TESTS_TESTING_FAULT_INJECTION_FS_H_
#define SALESLEDGER_TESTS_TESTING_FAULT_INJECTION_FS_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace salesledger::testing {

class FaultInjectionFs final : public rocksdb::FileSystemWrapper {
 public:
  FaultInjectionFs();

  static const char* kClassName() { return "SalesledgerFaultInjectionFs"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& target,
                               const rocksdb::IOOptions& opts, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& fname, const rocksdb::IOOptions& opts,
                               rocksdb::IODebugContext* dbg) override;

  // Loses every unsynced byte; every later write, sync, create, rename or delete fails.
  void PowerCut() { cut_ = true; }
  void FailSyncs(bool fail) { fail_syncs_ = fail; }
  void FailWrites(bool fail) { fail_writes_ = fail; }

  // From now on each append and each sync also fails with probability 1/one_in (0: never), drawn
  // from a generator seeded with `seed`, so that a failing run can be replayed.
  void FailRandomly(uint32_t one_in, uint64_t seed) {
    std::lock_guard<std::mutex> lock(random_mu_);
    random_one_in_ = one_in;
    random_.seed(seed);
  }

  bool cut() const { return cut_; }
  // Whether this append (or sync) fails: a fixed fault, or a random one.
  bool WriteFails() { return fail_writes_ || RandomFault(); }
  bool SyncFails() { return fail_syncs_ || RandomFault(); }
  uint64_t random_faults() const { return random_faults_; }

 private:
  bool RandomFault() {
    std::lock_guard<std::mutex> lock(random_mu_);
    if (random_one_in_ == 0 || random_() % random_one_in_ != 0) return false;
    ++random_faults_;
    return true;
  }
  std::mutex random_mu_;
  std::mt19937_64 random_;
  uint32_t random_one_in_ = 0;
  std::atomic<uint64_t> random_faults_{0};
  std::atomic<bool> cut_{false};
  std::atomic<bool> fail_syncs_{false};
  std::atomic<bool> fail_writes_{false};
};

// A file system and the Env over it that goes in rocksdb::DBOptions::env.
struct FaultInjection {
  FaultInjection();
  std::shared_ptr<FaultInjectionFs> fs;
  std::unique_ptr<rocksdb::Env> env;
};

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_TESTING_FAULT_INJECTION_FS_H_
