// Projection checkpoints, in their own column family, and backups of the whole store (event_log.h).
#include <filesystem>

#include "rocksdb/convenience.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "ledger/log_impl.h"

namespace salesledger {

absl::Status EventLog::PutCheckpoint(absl::string_view name, absl::string_view value) {
  if (impl_->read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  return FromRocks(impl_->db()->Put(impl_->sync(), impl_->projections(), rocksdb::Slice(name.data(), name.size()),
                                    rocksdb::Slice(value.data(), value.size())),
                   "write projection checkpoint");
}

absl::Status EventLog::PutCheckpoints(const std::function<absl::Status(const CheckpointAdd& add)>& fill) {
  if (impl_->read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  rocksdb::DB* db = impl_->db();
  rocksdb::Options options(db->GetDBOptions(), db->GetOptions(impl_->projections()));
  // Checkpoints are dense varints, read once at a restart: compressing them costs more time than
  // the disk it saves. XXH3 block checksums: Debian's RocksDB has no hardware CRC32C.
  options.compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions table;
  table.checksum = rocksdb::kXXH3;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  const std::string file = (std::filesystem::path(impl_->path()) / "checkpoint.sst.tmp").string();
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, impl_->projections());
  RETURN_IF_ERROR(FromRocks(writer.Open(file), "write projection checkpoint"));
  bool any = false;
  absl::Status s = fill([&](absl::string_view name, absl::string_view value) {
    any = true;
    return FromRocks(writer.Put(rocksdb::Slice(name.data(), name.size()), rocksdb::Slice(value.data(), value.size())),
                     "write projection checkpoint");
  });
  if (s.ok() && any) s = FromRocks(writer.Finish(), "write projection checkpoint");  // synced
  if (s.ok() && any) {
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;
    s = FromRocks(db->IngestExternalFile(impl_->projections(), {file}, ingest), "ingest projection checkpoint");
  }
  std::error_code ignored;
  std::filesystem::remove(file, ignored);  // moved when ingested; otherwise unwanted
  return s;
}

absl::Status EventLog::DeleteCheckpoints(absl::string_view begin, absl::string_view end) {
  if (impl_->read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  rocksdb::DB* db = impl_->db();
  const rocksdb::Slice from(begin.data(), begin.size()), to(end.data(), end.size());
  // Whole files first: a checkpoint is one ingested file, dropped here without being read.
  RETURN_IF_ERROR(FromRocks(rocksdb::DeleteFilesInRange(db, impl_->projections(), &from, &to, /*include_end=*/false),
                            "remove old projection checkpoints"));
  // Then what is left, record by record (a checkpoint has few records, of megabytes each). A range
  // tombstone would do it in one write, but its bounds would make the flushed file overlap the
  // names of later checkpoints, whose files would then be ingested into level 0 and compacted.
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &to;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, impl_->projections()));
  rocksdb::WriteBatch batch;
  for (it->Seek(from); it->Valid(); it->Next()) batch.Delete(impl_->projections(), it->key());
  RETURN_IF_ERROR(FromRocks(it->status(), "remove old projection checkpoints"));
  if (batch.Count() == 0) return absl::OkStatus();
  return FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "remove old projection checkpoints");
}

absl::StatusOr<std::optional<std::string>> EventLog::GetCheckpoint(absl::string_view name) const {
  std::string value;
  rocksdb::Status s = impl_->db()->Get(rocksdb::ReadOptions(), impl_->projections(),
                                       rocksdb::Slice(name.data(), name.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(s, "read projection checkpoint"));
  return value;
}

absl::StatusOr<Head> EventLog::Backup(const std::string& path) const {
  if (impl_->read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  if (std::filesystem::exists(path)) {
    return absl::AlreadyExistsError(absl::StrCat(path, " already exists; back up into a new directory"));
  }
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(impl_->db(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (s.ok()) s = checkpoint->CreateCheckpoint(path);
  RETURN_IF_ERROR(FromRocks(s, absl::StrCat("back up to ", path)));
  // What the copy holds: open it read-only and check its chain end to end.
  EventLogOptions options;
  options.path = path;
  options.read_only = true;
  ASSIGN_OR_RETURN(std::unique_ptr<EventLog> copy, EventLog::Open(options));
  return copy->VerifyChain(0, 0);
}

void EventLog::SettleCompactions() const {
  rocksdb::DB* db = impl_->db();
  for (;;) {
    uint64_t pending = 0, running = 0, flushing = 0;
    db->GetAggregatedIntProperty("rocksdb.compaction-pending", &pending);
    db->GetIntProperty("rocksdb.num-running-compactions", &running);
    db->GetIntProperty("rocksdb.num-running-flushes", &flushing);
    if (pending + running + flushing == 0) return;
    absl::SleepFor(absl::Milliseconds(100));
  }
}

}  // namespace salesledger
