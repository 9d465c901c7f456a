#include "tests/testing/fault_injection_fs.h"

namespace salesledger::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

IOStatus Cut() { return IOStatus::IOError("injected: power cut"); }

// Holds appended bytes until Sync, so that a power cut can lose them.
class UnsyncedBytesFile final : public rocksdb::FSWritableFile {
 public:
  UnsyncedBytesFile(std::unique_ptr<rocksdb::FSWritableFile> base, FaultInjectionFs* fs)
      : base_(std::move(base)), fs_(fs) {}

  IOStatus Append(const Slice& data, const IOOptions&, IODebugContext*) override {
    if (fs_->cut()) return Cut();
    if (fs_->WriteFails()) return IOStatus::IOError("injected: write failed");
    pending_.append(data.data(), data.size());
    return IOStatus::OK();
  }
  IOStatus Flush(const IOOptions&, IODebugContext*) override { return fs_->cut() ? Cut() : IOStatus::OK(); }
  IOStatus Sync(const IOOptions& opts, IODebugContext* dbg) override {
    if (fs_->cut()) return Cut();
    if (fs_->SyncFails()) return IOStatus::IOError("injected: sync failed");
    IOStatus s = WriteThrough(opts, dbg);
    return s.ok() ? base_->Sync(opts, dbg) : s;
  }
  IOStatus Fsync(const IOOptions& opts, IODebugContext* dbg) override { return Sync(opts, dbg); }
  IOStatus RangeSync(uint64_t, uint64_t, const IOOptions&, IODebugContext*) override {
    return fs_->cut() ? Cut() : IOStatus::OK();
  }
  IOStatus Truncate(uint64_t size, const IOOptions& opts, IODebugContext* dbg) override {
    if (fs_->cut()) return Cut();
    IOStatus s = WriteThrough(opts, dbg);
    return s.ok() ? base_->Truncate(size, opts, dbg) : s;
  }
  IOStatus Close(const IOOptions& opts, IODebugContext* dbg) override {
    if (fs_->cut()) {
      pending_.clear();
      base_->Close(opts, dbg).PermitUncheckedError();
      return Cut();
    }
    IOStatus s = WriteThrough(opts, dbg);
    IOStatus c = base_->Close(opts, dbg);
    return s.ok() ? c : s;
  }
  uint64_t GetFileSize(const IOOptions& opts, IODebugContext* dbg) override {
    return base_->GetFileSize(opts, dbg) + pending_.size();
  }
  bool IsSyncThreadSafe() const override { return false; }

 private:
  IOStatus WriteThrough(const IOOptions& opts, IODebugContext* dbg) {
    if (pending_.empty()) return IOStatus::OK();
    IOStatus s = base_->Append(Slice(pending_), opts, dbg);
    if (s.ok()) s = base_->Flush(opts, dbg);
    pending_.clear();
    return s;
  }

  std::unique_ptr<rocksdb::FSWritableFile> base_;
  FaultInjectionFs* fs_;
  std::string pending_;
};

}  // namespace

FaultInjectionFs::FaultInjectionFs() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}

IOStatus FaultInjectionFs::NewWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                           std::unique_ptr<rocksdb::FSWritableFile>* result,
                                           IODebugContext* dbg) {
  if (cut()) return Cut();
  std::unique_ptr<rocksdb::FSWritableFile> base;
  IOStatus s = target()->NewWritableFile(fname, opts, &base, dbg);
  if (s.ok()) result->reset(new UnsyncedBytesFile(std::move(base), this));
  return s;
}

IOStatus FaultInjectionFs::ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& opts,
                                              std::unique_ptr<rocksdb::FSWritableFile>* result,
                                              IODebugContext* dbg) {
  if (cut()) return Cut();
  std::unique_ptr<rocksdb::FSWritableFile> base;
  IOStatus s = target()->ReopenWritableFile(fname, opts, &base, dbg);
  if (s.ok()) result->reset(new UnsyncedBytesFile(std::move(base), this));
  return s;
}

IOStatus FaultInjectionFs::RenameFile(const std::string& src, const std::string& target_name,
                                      const IOOptions& opts, IODebugContext* dbg) {
  if (cut()) return Cut();
  return target()->RenameFile(src, target_name, opts, dbg);
}

IOStatus FaultInjectionFs::DeleteFile(const std::string& fname, const IOOptions& opts, IODebugContext* dbg) {
  if (cut()) return Cut();
  return target()->DeleteFile(fname, opts, dbg);
}

FaultInjection::FaultInjection()
    : fs(std::make_shared<FaultInjectionFs>()), env(rocksdb::NewCompositeEnv(fs)) {}

}  // namespace salesledger::testing
