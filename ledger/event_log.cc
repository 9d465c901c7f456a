// Opening the log, and the public methods (see log_impl.h for where each part lives).
#include "ledger/event_log.h"

#include <algorithm>
#include <filesystem>

#include "base/status_macros.h"
#include "ledger/log_impl.h"
#include "ledger/stderr_logger.h"
#include "rocksdb/options.h"

namespace salesledger {

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(what, ": ", s.ToString()));
}

absl::Status DataLoss(uint64_t seq, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("chain broken at seq ", seq, ": ", why));
}

EventLog::EventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventLog::~EventLog() = default;

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(const EventLogOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  // A torn record at the WAL's end is a batch that was never acknowledged (sync = true answers only
  // after the whole batch is on disk), so recovery stops before it; Recover() then checks that the
  // head and the events agree.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (options.env != nullptr) db_options.env = options.env;
  db_options.info_log = NewStderrLogger();

  rocksdb::ColumnFamilyOptions cf_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  // A read-only open cannot create a family: one a ledger from before it lacks is left out.
  std::vector<std::string> existing;
  const bool listed = rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing).ok();
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), rf::kEventsFamily, rf::kRequestsFamily,
                           rf::kMetaFamily, rf::kProjectionsFamily, rf::kMerkleFamily, rf::kTreeHeadsFamily}) {
    const bool present = listed && std::find(existing.begin(), existing.end(), name) != existing.end();
    if (options.read_only && listed && !present) continue;
    families.emplace_back(name, cf_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  if (!options.read_only) {
    // RocksDB would create it too, after logging an error about reading a missing directory.
    std::error_code ec;
    std::filesystem::create_directories(options.path, ec);
  }
  rocksdb::Status s = options.read_only
                          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, families, &handles, &db)
                          : rocksdb::DB::Open(db_options, options.path, families, &handles, &db);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the data dir ", options.path, " is in use by another process: ", s.ToString()));
    }
    if (s.IsCorruption()) return absl::DataLossError(absl::StrCat("opening ", options.path, ": ", s.ToString()));
    return absl::UnavailableError(absl::StrCat("opening ", options.path, ": ", s.ToString()));
  }
  auto impl = std::make_unique<Impl>(options, db, std::move(handles));
  RETURN_IF_ERROR(impl->Recover());
  if (!options.read_only) impl->StartWriter();
  return std::unique_ptr<EventLog>(new EventLog(std::move(impl)));
}

absl::StatusOr<Appended> EventLog::Append(Proposal proposal) { return impl_->Append(std::move(proposal)); }

std::unique_ptr<PendingAppends> EventLog::Submit(std::vector<Proposal> proposals) {
  return impl_->Submit(std::move(proposals));
}

PendingAppends::PendingAppends(std::unique_ptr<Waiters> waiters) : waiters_(std::move(waiters)) {}

PendingAppends::~PendingAppends() {
  if (waiters_ != nullptr && waiters_->refused.ok()) {
    for (Waiter& w : waiters_->list) w.done.WaitForNotification();
  }
}

std::vector<absl::StatusOr<Appended>> PendingAppends::Wait() {
  std::vector<absl::StatusOr<Appended>> results = CollectAnswers(*waiters_);
  waiters_.reset();
  return results;
}

std::vector<absl::StatusOr<Appended>> EventLog::AppendAll(std::vector<Proposal> proposals) {
  return impl_->AppendAll(std::move(proposals));
}

absl::StatusOr<Appended> EventLog::AppendEvent(std::string request_id, std::string request_digest,
                                               Event content) {
  Proposal p;
  p.request_id = std::move(request_id);
  p.request_digest = std::move(request_digest);
  p.decide = [content = std::move(content)](Event& draft) {
    const Event envelope = draft;
    draft = content;
    draft.set_seq(envelope.seq());
    *draft.mutable_recorded_at() = envelope.recorded_at();
    return absl::OkStatus();
  };
  return impl_->Append(std::move(p));
}

absl::Status EventLog::AppendReplicated(const std::vector<ReplicatedEvent>& events) {
  return impl_->AppendReplicated(events);
}

absl::Status EventLog::failure() const { return impl_->failure(); }

void EventLog::SetCommitListener(CommitListener listener) { impl_->SetCommitListener(std::move(listener)); }
Head EventLog::GetHead() const { return impl_->GetHead(); }
absl::Status EventLog::broken_on_open() const { return impl_->broken_on_open(); }

absl::Status EventLog::Read(uint64_t from_seq, uint64_t to_seq,
                            const std::function<bool(const StoredEvent&)>& visit) const {
  return impl_->Read(from_seq, to_seq, visit);
}

absl::StatusOr<Event> EventLog::ReadEvent(uint64_t seq) const { return impl_->ReadEventAt(seq); }

absl::StatusOr<std::vector<ReplicatedEvent>> EventLog::ReadReplicated(uint64_t from_seq, uint64_t to_seq) const {
  std::vector<ReplicatedEvent> events;
  absl::Status failed;
  RETURN_IF_ERROR(impl_->Read(from_seq, to_seq, [&](const StoredEvent& e) {
    Event parsed;
    std::string entry;
    std::optional<rf::RequestEntry> request;
    if (!parsed.ParseFromArray(e.bytes.data(), static_cast<int>(e.bytes.size()))) {
      failed = DataLoss(e.seq, "its bytes do not decode");
    } else if (!impl_->db()->Get(rocksdb::ReadOptions(), impl_->requests(), parsed.request_id(), &entry).ok() ||
               !(request = rf::DecodeRequestEntry(entry)) || request->seq != e.seq) {
      failed = DataLoss(e.seq, absl::StrCat("request_id '", parsed.request_id(), "' has no index entry naming it"));
    } else {
      events.push_back(ReplicatedEvent{e.seq, std::string(e.bytes), std::string(e.hash), parsed.request_id(),
                                       request->digest});
    }
    return failed.ok();
  }));
  RETURN_IF_ERROR(failed);
  return events;
}

}  // namespace salesledger
