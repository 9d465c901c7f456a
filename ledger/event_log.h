// EventLog: the append-only, hash-chained event log on RocksDB (SPEC.md §2, DESIGN.md).
//
// Appends are group-committed. Callers queue; one decider thread takes everything queued and
// decides each proposal in queue order against the head that every earlier proposal leaves; one
// syncer thread writes all groups decided so far as one WriteBatch with sync = true; only then are
// their callers answered. Deciding the next group overlaps writing the previous one. A caller that
// finds nothing queued, deciding or writing runs its group itself, on its own thread, the same
// way (a lone clerk waits for no hand-off between threads); callers arriving meanwhile queue. A
// failed write or sync puts the log in a permanent failed state: every later append is
// UNAVAILABLE until the process reopens the log.
//
// Thread-safety: every public method may be called from any thread; callbacks (Proposal::decide,
// the CommitListener, on_sync) run one at a time, in seq order, on the log's threads or on a lone
// appending caller's, as each says.
//
// The implementation's parts are listed in log_impl.h.
#ifndef SALESLEDGER_LEDGER_EVENT_LOG_H_
#define SALESLEDGER_LEDGER_EVENT_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "ledger/upstream.h"
#include "salesledger/v1/event.pb.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace salesledger {

struct EventLogOptions {
  std::string path;                  // the RocksDB directory; created when missing
  Clock* clock = nullptr;            // not owned; must outlive the log. nullptr = RealClock
  rocksdb::Env* env = nullptr;       // not owned; nullptr = the default Env (tests inject faults)
  size_t max_group_events = 1024;    // at most this many proposals share one fsync
  // Open without taking the directory's lock, for offline tools beside a running server: reads
  // see the log as it was when opened; appends and checkpoints are FAILED_PRECONDITION.
  bool read_only = false;
  // Open even when the head and the last events disagree (a torn or tampered tail), for an
  // investigation: reads work, every append is UNAVAILABLE. broken_on_open() says what was wrong.
  bool tolerate_broken_tail = false;
  // Keep the Merkle tree over the events (RFC 9162). Off only to measure what it costs.
  bool merkle_tree = true;
  // Called by whoever wrote (the syncer thread or a lone caller) after each durable write, with
  // the events it made durable and how long the synced write took (metrics). Must not block.
  std::function<void(size_t events, absl::Duration write)> on_sync;
  // Replicated mode (ledger/upstream.h): every group is committed upstream before it is written
  // here, and appends are admitted only while the upstream says this node may append. Not owned;
  // must outlive the log. nullptr = embedded mode, this RocksDB alone is the ledger.
  LogUpstream* upstream = nullptr;
};

// One command's claim on the next seq. The log calls `decide` exactly once, in queue order (on the
// decider thread, or on a lone caller's thread), after every earlier proposal was decided, with a
// draft whose seq and recorded_at are set.
// `decide` fills the content (actor_id, project_id, occurred_at, policy_version, body) or refuses
// with a status; a refusal leaves no trace. `decide` must not block and must not call the log.
struct Proposal {
  std::string request_id;        // 1-128 printable ASCII (SPEC.md §2.2)
  std::string request_digest;    // kHashSize bytes naming the request's content
  std::function<absl::Status(salesledger::v1::Event& draft)> decide;
};

struct Appended {
  salesledger::v1::Event event;  // as stored, with `hash` set
  bool replayed = false;         // the request_id was seen before with the same content:
                                 // `event` is the original one and nothing was appended
  std::string leaf_hash;         // the event's leaf in the Merkle tree: SHA-256(0x00 || bytes(n))
};

struct Head {
  uint64_t seq = 0;              // 0 for an empty log
  std::string hash;              // hash(seq); 32 zero bytes when seq == 0
  absl::Time recorded_at = absl::UnixEpoch();
};

// One event as stored. The views are valid only during the visitor call.
struct StoredEvent {
  uint64_t seq = 0;
  absl::string_view bytes;        // bytes(n): the serialized Event with `hash` empty
  absl::string_view hash;         // hash(n)
};

// Appends queued by EventLog::Submit and answered in the background. Not thread-safe: one owner.
class PendingAppends {
 public:
  struct Waiters;  // log_impl.h
  explicit PendingAppends(std::unique_ptr<Waiters> waiters);
  // Waits for the answers if Wait was not called: the log still points into them until then.
  ~PendingAppends();
  PendingAppends(const PendingAppends&) = delete;
  PendingAppends& operator=(const PendingAppends&) = delete;

  // Blocks until every proposal is answered; one result per proposal, in order, as AppendAll's.
  // Call at most once.
  std::vector<absl::StatusOr<Appended>> Wait();

 private:
  std::unique_ptr<Waiters> waiters_;
};

// Called by whoever wrote (the syncer thread or a lone caller) after a group is durable and
// before its callers are answered, with the group's new events in seq order. Must not block for
// long and must not append.
using CommitListener = std::function<void(const std::vector<salesledger::v1::Event>&)>;

class EventLog {
 public:
  // Opens or creates the log and checks that the head and the last events agree (a torn or
  // corrupted tail is DATA_LOSS, never skipped).
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(const EventLogOptions& options);

  // Answers everything queued (appending what it decides), stops the log's threads, closes RocksDB.
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends one event durably. Blocks until it is on stable storage or refused.
  //  - the request_id was appended before with the same digest: OK with replayed = true;
  //  - ... with another digest: ALREADY_EXISTS;
  //  - `decide` refused: its status;
  //  - storage failed now or earlier, or the log is closing: UNAVAILABLE.
  absl::StatusOr<Appended> Append(Proposal proposal);

  // Appends each proposal as Append would, queued together in this order (no other caller's
  // proposal comes between them), so they share fsyncs. Blocks until every one is answered.
  std::vector<absl::StatusOr<Appended>> AppendAll(std::vector<Proposal> proposals);

  // Queues the proposals as AppendAll does and returns at once; the decider thread decides them
  // (never the caller's), so a caller can queue its next batch while this one is being written:
  // a later Submit or Append is decided after every proposal of this one. Each `decide` must stay
  // callable until the returned object's Wait returns.
  std::unique_ptr<PendingAppends> Submit(std::vector<Proposal> proposals);

  // Appends an event whose content is already complete (seq, recorded_at and hashes are set by
  // the log). A convenience over Append for callers with nothing to decide.
  absl::StatusOr<Appended> AppendEvent(std::string request_id, std::string request_digest,
                                       salesledger::v1::Event content);

  // Appends events the upstream already holds (a follower's replica, or a writer catching up
  // before it appends): each must follow the head, by seq and by chain hash, and decode to an
  // event that says so; they are written as one synced batch, and the CommitListener is told, as
  // for any group. Nothing is written unless every one checks out: DATA_LOSS naming the seq that
  // does not follow. FAILED_PRECONDITION while appends of this node's own are in flight;
  // UNAVAILABLE as Append.
  absl::Status AppendReplicated(const std::vector<ReplicatedEvent>& events);

  // The log's permanent failure (a failed write, or an upstream commit that failed), after which
  // it takes no appends until it is reopened; OK while it has none.
  absl::Status failure() const;

  // Installs the listener; replaces any earlier one. REQUIRES: no append in flight.
  void SetCommitListener(CommitListener listener);

  Head GetHead() const;

  // What Open found wrong when tolerate_broken_tail let it open anyway; OK otherwise.
  absl::Status broken_on_open() const;

  // Calls `visit` for events from_seq..to_seq (inclusive; to_seq 0 = the head) in seq order until
  // it returns false. Storage errors and undecodable records are DATA_LOSS naming the seq.
  absl::Status Read(uint64_t from_seq, uint64_t to_seq,
                    const std::function<bool(const StoredEvent&)>& visit) const;

  // Events from_seq..to_seq (inclusive) as a replicated log holds them, with their request index
  // entries (an embedded ledger moving into a cluster). DATA_LOSS as Read, or when an event's
  // request_id has no entry.
  absl::StatusOr<std::vector<ReplicatedEvent>> ReadReplicated(uint64_t from_seq, uint64_t to_seq) const;

  // The parsed event at `seq` with its hash set. NOT_FOUND past the head.
  absl::StatusOr<salesledger::v1::Event> ReadEvent(uint64_t seq) const;

  // Checks the chain over from_seq..to_seq (to_seq 0 = the head), anchored at the stored hash of
  // from_seq - 1. Returns hash(to_seq), or DATA_LOSS naming the first bad seq: a changed,
  // missing, reordered or inserted event.
  absl::StatusOr<Head> VerifyChain(uint64_t from_seq, uint64_t to_seq) const;

  // The Merkle tree over the events (RFC 9162, transparency/merkle.h): leaf index = seq - 1,
  // leaf hash = SHA-256(0x00 || bytes(seq)). Each reads O(log size) stored nodes. Sizes may not
  // pass the head (INVALID_ARGUMENT); FAILED_PRECONDITION when the ledger has no tree yet (a ledger from
  // before the tree, opened read-only before any start of this version, or merkle_tree = false).
  uint64_t tree_size() const;
  absl::StatusOr<std::string> TreeRoot(uint64_t size) const;
  absl::StatusOr<std::string> LeafHash(uint64_t seq) const;
  absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t seq, uint64_t size) const;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;
  // Rebuilds the tree from every event and compares each stored node with it, and that no node
  // lies past the head. DATA_LOSS naming the first node that differs. Returns the root.
  absl::StatusOr<std::string> VerifyTree() const;
  // Throws the stored tree away and builds it again from the events (`ledgerctl rebuild`).
  // REQUIRES: no append in flight, and none until it returns.
  absl::Status RebuildTree();

  // Signed checkpoints of the tree (C2SP notes), by tree size, kept apart from the chain.
  absl::Status PutTreeHead(uint64_t size, absl::string_view signed_note);
  // The latest: (size, note); nullopt when none was signed.
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> LatestTreeHead() const;
  absl::StatusOr<std::optional<std::string>> TreeHeadAt(uint64_t size) const;
  // The first signed checkpoint of a tree of at least `size` leaves: (size, note); nullopt when none
  // is yet. The earliest that holds an entry, which a page printed of it carries.
  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> FirstTreeHeadFrom(uint64_t size) const;
  // Every signed checkpoint, by size, until `visit` returns false.
  absl::Status ReadTreeHeads(const std::function<bool(uint64_t size, absl::string_view note)>& visit) const;

  // Bytes on disk of each column family's table files (what the benchmark reports).
  std::vector<std::pair<std::string, uint64_t>> BytesByFamily() const;

  // Projection checkpoints, in their own column family (never part of the chain).
  // A synced Put of one record.
  absl::Status PutCheckpoint(absl::string_view name, absl::string_view value);
  // Writes many records in bulk: `fill` calls `add` with names in ascending order, and the records
  // go straight into a table file that is then ingested, so that a large checkpoint passes through
  // neither the write-ahead log nor the memtables (nor is replayed from the log at the next open).
  // When OK, every record is durable; when not, none is visible. Calls must not overlap (one
  // scratch file in the data dir).
  using CheckpointAdd = std::function<absl::Status(absl::string_view name, absl::string_view value)>;
  absl::Status PutCheckpoints(const std::function<absl::Status(const CheckpointAdd& add)>& fill);
  // Removes the checkpoint records with names in [begin, end). Table files holding nothing else
  // (outside level 0) are dropped at once: a checkpoint written by PutCheckpoints frees its disk
  // without a compaction rewriting it.
  absl::Status DeleteCheckpoints(absl::string_view begin, absl::string_view end);
  // nullopt when there is none.
  absl::StatusOr<std::optional<std::string>> GetCheckpoint(absl::string_view name) const;

  // A consistent copy of the whole store at `path` (a directory that must not exist), while
  // appends go on: a RocksDB checkpoint (hard links where the file system allows). Returns the
  // head the copy holds, its chain verified end to end. FAILED_PRECONDITION when read-only.
  absl::StatusOr<Head> Backup(const std::string& path) const;

  // Waits until RocksDB runs and owes no flush or compaction (the benchmark measures a settled
  // store, not one still compacting a bulk load).
  void SettleCompactions() const;

 private:
  class Impl;
  explicit EventLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_EVENT_LOG_H_
