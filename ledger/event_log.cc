#include "ledger/event_log.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "ledger/record_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "ledger/stderr_logger.h"
#include "base/time_proto.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace salesledger {

namespace rf = record_format;
using salesledger::v1::Event;

namespace {

// How many events at the tail Open re-verifies: enough to catch a torn or damaged tail at once,
// few enough that a restart stays instant. `ledgerctl verify` checks the whole chain.
constexpr uint64_t kTailCheckEvents = 64;

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(what, ": ", s.ToString()));
}

bool ValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

absl::Status DataLoss(uint64_t seq, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("chain broken at seq ", seq, ": ", why));
}

}  // namespace

class EventLog::Impl {
 public:
  Impl(const EventLogOptions& options, rocksdb::DB* db,
       std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : options_(options), db_(db), handles_(std::move(handles)) {
    clock_ = options.clock != nullptr ? options.clock : RealClock::Get();
    sync_.sync = true;
  }

  ~Impl() {
    {
      absl::MutexLock lock(&mu_);
      closing_ = true;
    }
    if (decider_.joinable()) decider_.join();
    if (syncer_.joinable()) syncer_.join();
    if (answerer_.joinable()) answerer_.join();
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
    delete db_;
  }

  rocksdb::ColumnFamilyHandle* events() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* requests() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* projections() const { return handles_[4]; }
  const rocksdb::WriteOptions& sync() const { return sync_; }
  bool read_only() const { return options_.read_only; }
  const std::string& path() const { return options_.path; }
  const absl::Status& broken_on_open() const { return broken_on_open_; }
  rocksdb::DB* db() const { return db_; }

  absl::Status Recover();
  void StartWriter() {
    decider_ = std::thread([this] { DecideLoop(); });
    syncer_ = std::thread([this] { SyncLoop(); });
    answerer_ = std::thread([this] { AnswerLoop(); });
  }

  absl::StatusOr<Appended> Append(Proposal proposal) {
    std::vector<Proposal> one;
    one.push_back(std::move(proposal));
    return std::move(AppendAll(std::move(one))[0]);
  }

  std::vector<absl::StatusOr<Appended>> AppendAll(std::vector<Proposal> proposals) {
    std::vector<Waiter> waiters(proposals.size());
    for (size_t i = 0; i < proposals.size(); ++i) waiters[i].proposal = std::move(proposals[i]);
    absl::Status refused = Admission();
    if (refused.ok()) {
      absl::MutexLock lock(&mu_);
      if (closing_) {
        refused = absl::UnavailableError("the ledger is shutting down; retry with the same request_id");
      } else if (!failed_.ok()) {
        refused = failed_;
      } else {
        for (Waiter& w : waiters) queue_.push_back(&w);
      }
    }
    std::vector<absl::StatusOr<Appended>> results;
    results.reserve(waiters.size());
    for (Waiter& w : waiters) {
      if (!refused.ok()) {
        results.emplace_back(refused);
        continue;
      }
      w.done.WaitForNotification();
      if (!w.refusal.ok()) {
        results.emplace_back(w.refusal);
      } else {
        results.emplace_back(Appended{*w.event, w.replayed});
      }
    }
    return results;
  }

  // Why this log takes no appends at all, if it does not.
  absl::Status Admission() const {
    if (options_.read_only) return absl::FailedPreconditionError("the ledger was opened read-only");
    if (!broken_on_open_.ok()) {
      return absl::UnavailableError(absl::StrCat("the ledger was opened on a broken chain (", broken_on_open_.message(),
                                                 "); it accepts no entries"));
    }
    return absl::OkStatus();
  }

  void SetCommitListener(CommitListener listener) {
    absl::MutexLock lock(&mu_);
    listener_ = std::move(listener);
  }

  Head GetHead() const {
    absl::MutexLock lock(&head_mu_);
    return head_;
  }

  absl::Status Read(uint64_t from_seq, uint64_t to_seq,
                    const std::function<bool(const StoredEvent&)>& visit) const;
  absl::StatusOr<Head> VerifyChain(uint64_t from_seq, uint64_t to_seq) const;
  absl::StatusOr<std::string> StoredHash(uint64_t seq) const;
  absl::StatusOr<Event> ReadEventAt(uint64_t seq) const;

 private:
  using EventPtr = std::shared_ptr<const Event>;

  struct Waiter {
    Proposal proposal;
    absl::Status refusal;          // not OK: refused (or the log failed)
    EventPtr event;                // the event appended, or the original one it replays
    bool replayed = false;
    absl::Notification done;
  };
  // A request decided but perhaps not yet durable, for idempotency checks across groups in flight.
  struct InFlightRequest {
    std::string digest;
    EventPtr event;
  };
  // One group of decided proposals on its way to the disk.
  struct Group {
    std::vector<Waiter*> waiters;
    std::vector<std::pair<rocksdb::ColumnFamilyHandle*, std::pair<std::string, std::string>>> puts;
    std::vector<EventPtr> fresh;   // the group's new events, in seq order
    Head head;                     // the head after this group
  };

  // The decider thread: takes queued proposals, decides them in order against the head as every
  // earlier group leaves it, and hands each group to the syncer. It never waits for a sync, so
  // deciding the next group overlaps writing the previous one.
  void DecideLoop();
  // The syncer thread: writes every group handed over so far as one synced WriteBatch, then
  // publishes the head, tells the listener and answers the groups' callers.
  void SyncLoop();
  void DecideOne(Waiter& w, Group& group);
  void Answer(Group& group, const absl::Status& written);
  // The answerer thread: wakes the callers of written groups, so that waking dozens of threads
  // does not delay the next write.
  void AnswerLoop();

  // Groups handed to the syncer and not yet taken: at most this many, so memory stays bounded.
  static constexpr size_t kMaxGroupsInFlight = 8;

  const EventLogOptions options_;
  Clock* clock_;
  rocksdb::DB* const db_;
  const std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::WriteOptions sync_;

  absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
  CommitListener listener_ ABSL_GUARDED_BY(mu_);

  mutable absl::Mutex head_mu_;
  Head head_ ABSL_GUARDED_BY(head_mu_);

  absl::Mutex sync_mu_;
  std::deque<std::unique_ptr<Group>> to_sync_ ABSL_GUARDED_BY(sync_mu_);
  bool decider_done_ ABSL_GUARDED_BY(sync_mu_) = false;

  absl::Mutex answer_mu_;
  std::vector<std::pair<std::unique_ptr<Group>, absl::Status>> to_answer_ ABSL_GUARDED_BY(answer_mu_);
  bool syncer_done_ ABSL_GUARDED_BY(answer_mu_) = false;

  absl::Mutex in_flight_mu_;
  absl::flat_hash_map<std::string, InFlightRequest> in_flight_ ABSL_GUARDED_BY(in_flight_mu_);

  Head decided_;                   // the head after the last decided group; decider thread only
  absl::Status broken_on_open_;  // set once by Recover
  std::thread decider_;
  std::thread syncer_;
  std::thread answerer_;
};

absl::Status EventLog::Impl::Recover() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta(), rf::kFormatKey, &value);
  if (s.IsNotFound() && options_.read_only) {
    return absl::NotFoundError(absl::StrCat(options_.path, " holds no ledger"));
  }
  if (s.IsNotFound()) {
    RETURN_IF_ERROR(FromRocks(db_->Put(sync_, meta(), rf::kFormatKey, rf::kFormatVersion), "write format"));
  } else if (!s.ok()) {
    return FromRocks(s, "read format");
  } else if (value != rf::kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir holds format '", value, "', this build reads '", rf::kFormatVersion, "'"));
  }

  Head head{0, GenesisPrevHash(), absl::UnixEpoch()};
  s = db_->Get(rocksdb::ReadOptions(), meta(), rf::kHeadKey, &value);
  const bool have_head = s.ok();
  if (have_head) {
    auto decoded = rf::DecodeHead(value);
    if (!decoded) return absl::DataLossError("the ledger head record is unreadable");
    head = Head{decoded->seq, decoded->hash, decoded->recorded_at};
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "read head");
  }

  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events()));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "read last event"));
  uint64_t last = 0;
  if (it->Valid()) {
    auto seq = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
    if (!seq) return absl::DataLossError("the last event's key is malformed");
    last = *seq;
  }
  absl::Status tail;
  if (last != head.seq) {
    tail = absl::DataLossError(absl::StrCat("the ledger head says seq ", head.seq,
                                            " but the last stored event is seq ", last,
                                            "; the tail is torn or was tampered with"));
  }
  {
    absl::MutexLock lock(&head_mu_);
    head_ = head;
  }
  if (tail.ok() && head.seq > 0) {
    const uint64_t from = head.seq > kTailCheckEvents ? head.seq - kTailCheckEvents + 1 : 1;
    tail = VerifyChain(from, head.seq).status();
  }
  if (!tail.ok() && !options_.tolerate_broken_tail) return tail;
  broken_on_open_ = tail;
  return absl::OkStatus();
}

void EventLog::Impl::DecideLoop() {
  decided_ = GetHead();
  while (true) {
    auto group = std::make_unique<Group>();
    absl::Status failed;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return !self->queue_.empty() || self->closing_;
          },
          this));
      if (queue_.empty()) break;  // closing and drained
      while (!queue_.empty() && group->waiters.size() < options_.max_group_events) {
        group->waiters.push_back(queue_.front());
        queue_.pop_front();
      }
      failed = failed_;
    }
    if (failed.ok()) {
      for (Waiter* w : group->waiters) DecideOne(*w, *group);
    } else {
      for (Waiter* w : group->waiters) w->refusal = failed;
    }
    group->head = decided_;
    absl::MutexLock lock(&sync_mu_);
    sync_mu_.Await(absl::Condition(
        +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->sync_mu_) {
          return self->to_sync_.size() < kMaxGroupsInFlight;
        },
        this));
    to_sync_.push_back(std::move(group));
  }
  absl::MutexLock lock(&sync_mu_);
  decider_done_ = true;
}

void EventLog::Impl::DecideOne(Waiter& w, Group& group) {
  const Proposal& p = w.proposal;
  if (!ValidRequestId(p.request_id)) {
    w.refusal = absl::InvalidArgumentError("request_id must be 1-128 printable ASCII characters without spaces");
    return;
  }
  if (p.request_digest.size() != kHashSize) {
    w.refusal = absl::InternalError("request digest must be a SHA-256");
    return;
  }
  // Idempotency, forever: first among groups still in flight, then in the durable index. The
  // syncer drops an in-flight entry only after its group is durable, so one of the two has it.
  {
    absl::MutexLock lock(&in_flight_mu_);
    if (auto it = in_flight_.find(p.request_id); it != in_flight_.end()) {
      if (it->second.digest == p.request_digest) {
        w.event = it->second.event;
        w.replayed = true;
      } else {
        w.refusal = absl::AlreadyExistsError(absl::StrCat(
            "request_id '", p.request_id, "' was already used for a different request (seq ",
            it->second.event->seq(), ")"));
      }
      return;
    }
  }
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), requests(), p.request_id, &value);
  if (s.ok()) {
    auto entry = rf::DecodeRequestEntry(value);
    if (!entry) {
      w.refusal = absl::DataLossError(absl::StrCat("request index entry for '", p.request_id, "' is unreadable"));
    } else if (entry->digest != p.request_digest) {
      w.refusal = absl::AlreadyExistsError(absl::StrCat(
          "request_id '", p.request_id, "' was already used for a different request (seq ", entry->seq, ")"));
    } else if (absl::StatusOr<Event> original = ReadEventAt(entry->seq); original.ok()) {
      w.event = std::make_shared<const Event>(*std::move(original));
      w.replayed = true;
    } else {
      w.refusal = original.status();
    }
    return;
  }
  if (!s.IsNotFound()) {
    w.refusal = FromRocks(s, "read request index");
    return;
  }

  auto draft = std::make_shared<Event>();
  const uint64_t seq = decided_.seq + 1;
  // recorded_at never goes backwards along the chain, whatever the clock does.
  const absl::Time recorded_at = std::max(clock_->Now(), decided_.recorded_at);
  draft->set_seq(seq);
  *draft->mutable_recorded_at() = ToProto(recorded_at);
  draft->set_request_id(p.request_id);
  if (absl::Status decided = p.decide(*draft); !decided.ok()) {
    w.refusal = decided;
    return;
  }
  // The envelope's ledger-owned fields are the log's, whatever `decide` did to them.
  draft->set_seq(seq);
  *draft->mutable_recorded_at() = ToProto(recorded_at);
  draft->set_request_id(p.request_id);
  draft->set_prev_hash(decided_.hash);
  draft->clear_hash();
  if (!draft->has_occurred_at()) *draft->mutable_occurred_at() = draft->recorded_at();

  std::string bytes;
  if (!draft->SerializeToString(&bytes)) {
    w.refusal = absl::InternalError("event could not be serialized");
    return;
  }
  std::string hash = ChainHash(decided_.hash, bytes);
  group.puts.push_back({events(), {rf::EncodeSeq(seq), rf::EncodeEventValue(bytes, hash)}});
  group.puts.push_back({requests(), {p.request_id, rf::EncodeRequestEntry({seq, p.request_digest})}});
  draft->set_hash(hash);
  decided_ = Head{seq, std::move(hash), recorded_at};
  w.event = draft;
  group.fresh.push_back(draft);
  absl::MutexLock lock(&in_flight_mu_);
  in_flight_[p.request_id] = InFlightRequest{p.request_digest, draft};
}

void EventLog::Impl::SyncLoop() {
  std::vector<std::unique_ptr<Group>> groups;
  while (true) {
    groups.clear();
    {
      absl::MutexLock lock(&sync_mu_);
      sync_mu_.Await(absl::Condition(
          +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->sync_mu_) {
            return !self->to_sync_.empty() || self->decider_done_;
          },
          this));
      if (to_sync_.empty()) {  // the decider is done and everything is written
        absl::MutexLock answer_lock(&answer_mu_);
        syncer_done_ = true;
        return;
      }
      while (!to_sync_.empty()) {
        groups.push_back(std::move(to_sync_.front()));
        to_sync_.pop_front();
      }
    }
    absl::Status written;
    {
      absl::MutexLock lock(&mu_);
      written = failed_;
    }
    rocksdb::WriteBatch batch;
    const Head* head = nullptr;
    for (const auto& g : groups) {
      for (const auto& [family, kv] : g->puts) batch.Put(family, kv.first, kv.second);
      if (!g->fresh.empty()) head = &g->head;
    }
    if (written.ok() && head != nullptr) {
      batch.Put(meta(), rf::kHeadKey, rf::EncodeHead({head->seq, head->hash, head->recorded_at}));
      written = FromRocks(db_->Write(sync_, &batch), "ledger write failed");
      if (!written.ok()) {
        // Whether any of it reached the disk is unknown: never acknowledge, never write again.
        absl::MutexLock lock(&mu_);
        failed_ = absl::UnavailableError(
            absl::StrCat(written.message(), "; the ledger accepts no more entries until it is restarted"));
        written = failed_;
      }
    }
    if (written.ok() && head != nullptr) {
      {
        absl::MutexLock lock(&head_mu_);
        head_ = *head;
      }
      CommitListener listener;
      {
        absl::MutexLock lock(&mu_);
        listener = listener_;
      }
      for (const auto& g : groups) {
        if (!listener || g->fresh.empty()) continue;
        std::vector<Event> events;
        events.reserve(g->fresh.size());
        for (const EventPtr& e : g->fresh) events.push_back(*e);
        listener(events);
      }
      absl::MutexLock lock(&in_flight_mu_);
      for (const auto& g : groups) {
        for (const EventPtr& e : g->fresh) in_flight_.erase(e->request_id());
      }
    }
    {
      absl::MutexLock lock(&answer_mu_);
      for (auto& g : groups) to_answer_.push_back({std::move(g), written});
    }
  }
}

void EventLog::Impl::AnswerLoop() {
  std::vector<std::pair<std::unique_ptr<Group>, absl::Status>> batch;
  while (true) {
    {
      absl::MutexLock lock(&answer_mu_);
      answer_mu_.Await(absl::Condition(
          +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->answer_mu_) {
            return !self->to_answer_.empty() || self->syncer_done_;
          },
          this));
      if (to_answer_.empty()) return;
      batch.swap(to_answer_);
    }
    for (auto& [g, written] : batch) Answer(*g, written);
    batch.clear();
  }
}

void EventLog::Impl::Answer(Group& group, const absl::Status& written) {
  for (Waiter* w : group.waiters) {
    if (w->refusal.ok() && !written.ok()) w->refusal = written;
    w->done.Notify();
  }
}

absl::Status EventLog::Impl::Read(uint64_t from_seq, uint64_t to_seq,
                                  const std::function<bool(const StoredEvent&)>& visit) const {
  if (to_seq == 0) to_seq = GetHead().seq;
  from_seq = std::max<uint64_t>(from_seq, 1);
  if (from_seq > to_seq) return absl::OkStatus();
  const std::string upper = rf::EncodeSeq(to_seq + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  ro.readahead_size = 2 << 20;  // sequential scans: let the file system read ahead
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events()));
  for (it->Seek(rf::EncodeSeq(from_seq)); it->Valid(); it->Next()) {
    auto seq = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
    auto value = rf::DecodeEventValue(absl::string_view(it->value().data(), it->value().size()));
    if (!seq) return absl::DataLossError("an event key is malformed");
    if (!value) return DataLoss(*seq, "the stored record is too short to hold a hash");
    if (!visit(StoredEvent{*seq, value->event_bytes, value->hash})) return absl::OkStatus();
  }
  if (!it->status().ok()) return absl::DataLossError(absl::StrCat("reading events: ", it->status().ToString()));
  return absl::OkStatus();
}

absl::StatusOr<std::string> EventLog::Impl::StoredHash(uint64_t seq) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events(), rf::EncodeSeq(seq), &value);
  if (s.IsNotFound()) return DataLoss(seq, "the event is missing");
  if (!s.ok()) return absl::DataLossError(absl::StrCat("reading seq ", seq, ": ", s.ToString()));
  auto decoded = rf::DecodeEventValue(value);
  if (!decoded) return DataLoss(seq, "the stored record is too short to hold a hash");
  return std::string(decoded->hash);
}

absl::StatusOr<Event> EventLog::Impl::ReadEventAt(uint64_t seq) const {
  if (seq == 0 || seq > GetHead().seq) return absl::NotFoundError(absl::StrCat("no event at seq ", seq));
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events(), rf::EncodeSeq(seq), &value);
  if (s.IsNotFound()) return DataLoss(seq, "the event is missing");
  if (!s.ok()) return absl::DataLossError(absl::StrCat("reading seq ", seq, ": ", s.ToString()));
  auto decoded = rf::DecodeEventValue(value);
  Event event;
  if (!decoded || !event.ParseFromArray(decoded->event_bytes.data(), decoded->event_bytes.size())) {
    return DataLoss(seq, "the stored event cannot be decoded");
  }
  event.set_hash(std::string(decoded->hash));
  return event;
}

absl::StatusOr<Head> EventLog::Impl::VerifyChain(uint64_t from_seq, uint64_t to_seq) const {
  const Head head = GetHead();
  if (to_seq == 0) to_seq = head.seq;
  if (to_seq > head.seq) {
    return absl::InvalidArgumentError(absl::StrCat("to_seq ", to_seq, " is past the head (seq ", head.seq, ")"));
  }
  from_seq = std::max<uint64_t>(from_seq, 1);
  if (from_seq > to_seq) return Head{to_seq, to_seq == 0 ? GenesisPrevHash() : "", absl::UnixEpoch()};

  std::string running = GenesisPrevHash();
  if (from_seq > 1) {
    ASSIGN_OR_RETURN(running, StoredHash(from_seq - 1));
  }
  uint64_t expected = from_seq;
  absl::Time last_recorded = absl::UnixEpoch();
  absl::Status bad;
  Event event;
  RETURN_IF_ERROR(Read(from_seq, to_seq, [&](const StoredEvent& e) {
    if (e.seq != expected) {
      bad = DataLoss(expected, absl::StrCat("the event is missing (the next stored one is seq ", e.seq, ")"));
      return false;
    }
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = DataLoss(e.seq, "the stored event cannot be decoded");
      return false;
    }
    if (event.seq() != e.seq) {
      bad = DataLoss(e.seq, absl::StrCat("the event stored here says it is seq ", event.seq(),
                                         " (events reordered or moved)"));
      return false;
    }
    if (event.prev_hash() != running) {
      bad = DataLoss(e.seq, "its prev_hash is not the hash of the event before it");
      return false;
    }
    std::string hash = ChainHash(running, e.bytes);
    if (hash != e.hash) {
      bad = DataLoss(e.seq, "its bytes do not match its hash (the event was changed)");
      return false;
    }
    running = std::move(hash);
    last_recorded = FromProto(event.recorded_at());
    ++expected;
    return true;
  }));
  RETURN_IF_ERROR(bad);
  if (expected != to_seq + 1) return DataLoss(expected, "the event is missing");
  if (to_seq == head.seq && running != head.hash) {
    return DataLoss(to_seq, "the ledger head's hash differs from the last event's hash");
  }
  return Head{to_seq, running, last_recorded};
}

// ---------------------------------------------------------------------------------------------

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
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, cf_options},
      {rf::kEventsFamily, cf_options},
      {rf::kRequestsFamily, cf_options},
      {rf::kMetaFamily, cf_options},
      {rf::kProjectionsFamily, cf_options},
  };
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

void EventLog::SetCommitListener(CommitListener listener) { impl_->SetCommitListener(std::move(listener)); }
Head EventLog::GetHead() const { return impl_->GetHead(); }
absl::Status EventLog::broken_on_open() const { return impl_->broken_on_open(); }

absl::Status EventLog::Read(uint64_t from_seq, uint64_t to_seq,
                            const std::function<bool(const StoredEvent&)>& visit) const {
  return impl_->Read(from_seq, to_seq, visit);
}

absl::StatusOr<Event> EventLog::ReadEvent(uint64_t seq) const { return impl_->ReadEventAt(seq); }

absl::StatusOr<Head> EventLog::VerifyChain(uint64_t from_seq, uint64_t to_seq) const {
  // Every record carries its own hash, so each link hash(n) = SHA-256(hash(n-1) || bytes(n)) can
  // be checked on its own: long ranges are split across the cores, each part anchored at the
  // stored hash before it (which the part before checks). The first bad seq is the lowest found.
  const uint64_t head = impl_->GetHead().seq;
  const uint64_t from = std::max<uint64_t>(from_seq, 1), to = to_seq == 0 ? head : to_seq;
  constexpr uint64_t kMinPart = 100000;
  const uint64_t parts = std::min<uint64_t>(std::max(1u, std::thread::hardware_concurrency()),
                                            to >= from ? (to - from + 1) / kMinPart : 0);
  if (parts <= 1 || to > head) return impl_->VerifyChain(from_seq, to_seq);
  std::vector<absl::StatusOr<Head>> results(parts, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  const uint64_t size = (to - from + 1) / parts;
  for (uint64_t i = 0; i < parts; ++i) {
    const uint64_t a = from + i * size, b = i + 1 == parts ? to : a + size - 1;
    threads.emplace_back([this, &results, i, a, b] { results[i] = impl_->VerifyChain(a, b); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    if (!r.ok()) return r.status();  // parts are in seq order: the first failure is the lowest seq
  }
  return results.back();
}

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

rocksdb::DB* EventLog::db() const { return impl_->db(); }

}  // namespace salesledger
