// EventLog's implementation, shared by the files that hold its parts. Internal to ledger/:
//   event_log.cc       opening, and the public methods
//   recovery.cc        what Open checks (format, head against the last events, the tail's chain)
//   group_commit.cc    the append pipeline: decider, syncer and answerer threads
//   log_reader.cc      reads and chain verification
//   checkpoint_store.cc  projection checkpoints and backups
//   tree_store.cc      the Merkle tree: building it, proofs, signed tree heads
// Threading: as event_log.h states; each member says which thread owns it or which mutex guards it.
#ifndef SALESLEDGER_LEDGER_LOG_IMPL_H_
#define SALESLEDGER_LEDGER_LOG_IMPL_H_

#include <deque>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "ledger/event_log.h"
#include "ledger/record_format.h"
#include "transparency/merkle.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace salesledger {

namespace rf = record_format;
using salesledger::v1::Event;

// A RocksDB status as ours: UNAVAILABLE, saying what was being done.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);
// DATA_LOSS "chain broken at seq N: why".
absl::Status DataLoss(uint64_t seq, absl::string_view why);

// One proposal waiting for its answer.
struct Waiter {
  Proposal proposal;
  absl::Status refusal;          // not OK: refused (or the log failed)
  std::shared_ptr<const Event> event;  // the event appended, or the original one it replays
  bool replayed = false;
  std::string leaf_hash;         // the event's Merkle leaf
  absl::Notification done;
};

// The proposals of one AppendAll or Submit, in order; `refused` when none was queued.
struct PendingAppends::Waiters {
  explicit Waiters(std::vector<Proposal> proposals) : list(proposals.size()) {
    for (size_t i = 0; i < proposals.size(); ++i) list[i].proposal = std::move(proposals[i]);
  }
  std::vector<Waiter> list;
  absl::Status refused;
};

// Blocks until each waiter is answered (unless none was queued); their results, in order.
inline std::vector<absl::StatusOr<Appended>> CollectAnswers(PendingAppends::Waiters& waiters) {
  std::vector<absl::StatusOr<Appended>> results;
  results.reserve(waiters.list.size());
  for (Waiter& w : waiters.list) {
    if (!waiters.refused.ok()) {
      results.emplace_back(waiters.refused);
      continue;
    }
    w.done.WaitForNotification();
    if (!w.refusal.ok()) {
      results.emplace_back(w.refusal);
    } else {
      results.emplace_back(Appended{*w.event, w.replayed, std::move(w.leaf_hash)});
    }
  }
  return results;
}

class EventLog::Impl {
 public:
  Impl(const EventLogOptions& options, rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : options_(options), db_(db), handles_(std::move(handles)) {
    clock_ = options.clock != nullptr ? options.clock : RealClock::Get();
    sync_.sync = true;
    events_ = Family(rf::kEventsFamily);
    requests_ = Family(rf::kRequestsFamily);
    meta_ = Family(rf::kMetaFamily);
    projections_ = Family(rf::kProjectionsFamily);
    merkle_ = options.merkle_tree ? Family(rf::kMerkleFamily) : nullptr;
    tree_heads_ = Family(rf::kTreeHeadsFamily);
  }

  ~Impl() {
    {
      absl::MutexLock lock(&mu_);
      closing_ = true;
    }
    if (decider_.joinable()) decider_.join();  // it waits for a lone caller's group first
    if (syncer_.joinable()) syncer_.join();
    if (answerer_.joinable()) answerer_.join();
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
    delete db_;
  }

  rocksdb::ColumnFamilyHandle* events() const { return events_; }
  rocksdb::ColumnFamilyHandle* requests() const { return requests_; }
  rocksdb::ColumnFamilyHandle* meta() const { return meta_; }
  rocksdb::ColumnFamilyHandle* projections() const { return projections_; }
  // Null when the tree is off, or a read-only open found a ledger from before the tree.
  rocksdb::ColumnFamilyHandle* merkle() const { return merkle_; }
  rocksdb::ColumnFamilyHandle* tree_heads() const { return tree_heads_; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& families() const { return handles_; }
  const rocksdb::WriteOptions& sync() const { return sync_; }
  bool read_only() const { return options_.read_only; }
  const std::string& path() const { return options_.path; }
  const absl::Status& broken_on_open() const { return broken_on_open_; }
  rocksdb::DB* db() const { return db_; }

  absl::Status Recover();
  void StartWriter() {
    decided_ = GetHead();
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
    PendingAppends::Waiters waiters(std::move(proposals));
    if (Enqueue(waiters, /*may_run_lone=*/true)) RunLoneGroup(waiters.list);
    return CollectAnswers(waiters);
  }

  std::unique_ptr<PendingAppends> Submit(std::vector<Proposal> proposals) {
    auto waiters = std::make_unique<PendingAppends::Waiters>(std::move(proposals));
    Enqueue(*waiters, /*may_run_lone=*/false);
    return std::make_unique<PendingAppends>(std::move(waiters));
  }

  // Queues the waiters together, or sets `refused` when the log takes none. Returns true instead
  // when `may_run_lone` and the pipeline is idle: the caller then runs them (RunLoneGroup).
  bool Enqueue(PendingAppends::Waiters& waiters, bool may_run_lone) {
    waiters.refused = Admission();
    if (!waiters.refused.ok()) return false;
    absl::MutexLock lock(&mu_);
    if (closing_) {
      waiters.refused = absl::UnavailableError("the ledger is shutting down; retry with the same request_id");
    } else if (!failed_.ok()) {
      waiters.refused = failed_;
    } else if (may_run_lone && waiters.list.size() <= options_.max_group_events && PipelineIdle()) {
      lone_ = true;
      return true;
    } else {
      for (Waiter& w : waiters.list) queue_.push_back(&w);
    }
    return false;
  }

  // Why this log takes no appends at all, if it does not.
  absl::Status Admission() const {
    if (options_.read_only) return absl::FailedPreconditionError("the ledger was opened read-only");
    if (!broken_on_open_.ok()) {
      return absl::UnavailableError(absl::StrCat("the ledger was opened on a broken chain (", broken_on_open_.message(),
                                                 "); it accepts no entries"));
    }
    if (options_.upstream != nullptr) return options_.upstream->CanAppend();
    return absl::OkStatus();
  }

  absl::Status AppendReplicated(const std::vector<ReplicatedEvent>& events);

  absl::Status failure() const {
    absl::MutexLock lock(&mu_);
    return failed_;
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
  // The record stored at seq, its views into `buffer`. DATA_LOSS when missing or malformed.
  absl::StatusOr<rf::EventValue> StoredRecord(uint64_t seq, std::string& buffer) const;
  // SHA-256(0x00 || bytes(seq)): the event's Merkle leaf.
  absl::StatusOr<std::string> StoredLeafHash(uint64_t seq) const;

  // The tree (tree_store.cc). tree_size(): the durable tree's size (0 without a tree).
  uint64_t tree_size() const {
    absl::MutexLock lock(&head_mu_);
    return tree_size_;
  }
  absl::Status RequireTree(uint64_t size) const;
  // The stored complete node (level, index); level 0 is hashed from the event.
  absl::StatusOr<std::string> Node(int level, uint64_t index) const;
  merkle::NodeSource Nodes() const {
    return [this](int level, uint64_t index) { return Node(level, index); };
  }
  // Builds the tree from the stored size (0 when there is none) up to the head, in batches, and
  // loads the decider's compact range. Called by Recover before the writer starts.
  absl::Status BuildTree();
  // Drops the stored tree and builds it again. REQUIRES: no append in flight, none until it returns.
  absl::Status RebuildTree();

 private:
  using EventPtr = std::shared_ptr<const Event>;

  // A request decided but perhaps not yet durable, for idempotency checks across groups in flight.
  struct InFlightRequest {
    std::string digest;
    EventPtr event;
    std::string leaf_hash;
  };
  // One group of decided proposals on its way to the disk.
  struct Group {
    std::vector<Waiter*> waiters;
    std::vector<std::pair<rocksdb::ColumnFamilyHandle*, std::pair<std::string, std::string>>> puts;
    std::vector<EventPtr> fresh;   // the group's new events, in seq order
    Head head;                     // the head after this group
    // Replicated mode: the new events as the upstream is to hold them; empty for a group that
    // came from the upstream (AppendReplicated), which is not committed there again.
    std::vector<ReplicatedEvent> upstream;
  };

  // The decider thread: takes queued proposals, decides them in order against the head as every
  // earlier group leaves it, and hands each group to the syncer. It never waits for a sync, so
  // deciding the next group overlaps writing the previous one.
  void DecideLoop();
  // The syncer thread: writes every group handed over so far (Write), then hands them to the
  // answerer.
  void SyncLoop();
  // Decides the group's waiters in order (or refuses them all with the log's failure). Called by
  // whoever holds the decide role: the decider thread, or a lone caller.
  void DecideGroup(Group& group);
  void DecideOne(Waiter& w, Group& group);
  // Checks that `events` follow the decided head (AppendReplicated), then takes them into the
  // group as DecideOne does its decisions. Changes nothing unless every event checks out.
  absl::Status TakeReplicated(const std::vector<ReplicatedEvent>& events, Group& group);
  // Writes the groups as one synced WriteBatch, then publishes the head, tells the listener and
  // forgets their in-flight requests. Returns the write's status (the log's failure, if any).
  absl::Status Write(const std::vector<std::unique_ptr<Group>>& groups);
  void Answer(Group& group, const absl::Status& written);
  // Whether nothing is queued, being decided or being written, so that a caller may run its own
  // group on its thread (LevelDB's DBImpl::Write leader, without the hand-offs to the decider,
  // syncer and answerer threads that a lone caller would wait through for nothing).
  bool PipelineIdle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!queue_.empty() || deciding_ || lone_) return false;
    absl::MutexLock lock(&sync_mu_);
    return to_sync_.empty() && !syncing_;
  }
  // On the caller's thread, holding both roles (lone_): decides, writes and answers the waiters.
  void RunLoneGroup(std::vector<Waiter>& waiters);
  // The answerer thread: wakes the callers of written groups, so that waking dozens of threads
  // does not delay the next write.
  void AnswerLoop();

  rocksdb::ColumnFamilyHandle* Family(absl::string_view name) const {
    for (auto* h : handles_) {
      if (h->GetName() == name) return h;
    }
    return nullptr;
  }

  // Groups handed to the syncer and not yet taken: at most this many, so memory stays bounded.
  static constexpr size_t kMaxGroupsInFlight = 8;

  const EventLogOptions options_;
  Clock* clock_;
  rocksdb::DB* const db_;
  const std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle *events_, *requests_, *meta_, *projections_, *merkle_, *tree_heads_;
  rocksdb::WriteOptions sync_;

  // Lock order: mu_ before sync_mu_ (PipelineIdle); no other lock is held while taking another.
  mutable absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  // The decider thread holds a group it has not yet handed to the syncer.
  bool deciding_ ABSL_GUARDED_BY(mu_) = false;
  // A lone caller holds the decide and write roles (RunLoneGroup); the decider waits.
  bool lone_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
  CommitListener listener_ ABSL_GUARDED_BY(mu_);

  mutable absl::Mutex head_mu_;
  Head head_ ABSL_GUARDED_BY(head_mu_);
  uint64_t tree_size_ ABSL_GUARDED_BY(head_mu_) = 0;  // the durable tree's size; 0 without one

  absl::Mutex sync_mu_;
  std::deque<std::unique_ptr<Group>> to_sync_ ABSL_GUARDED_BY(sync_mu_);
  bool syncing_ ABSL_GUARDED_BY(sync_mu_) = false;  // the syncer is writing groups it took
  bool decider_done_ ABSL_GUARDED_BY(sync_mu_) = false;

  absl::Mutex answer_mu_;
  std::vector<std::pair<std::unique_ptr<Group>, absl::Status>> to_answer_ ABSL_GUARDED_BY(answer_mu_);
  bool syncer_done_ ABSL_GUARDED_BY(answer_mu_) = false;

  absl::Mutex in_flight_mu_;
  absl::flat_hash_map<std::string, InFlightRequest> in_flight_ ABSL_GUARDED_BY(in_flight_mu_);

  // The head after the last decided group, and the tree's right edge after its last event: only
  // whoever holds the decide role touches them (the decider thread, or a lone caller).
  Head decided_;
  merkle::CompactRange tree_;
  absl::Status broken_on_open_;  // set once by Recover
  std::thread decider_;
  std::thread syncer_;
  std::thread answerer_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_LOG_IMPL_H_
