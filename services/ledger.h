// Ledger: the event log together with the state derived from it, as one server holds them.
//
// Commands go through the log's decide role (event_log.h): each is decided against the *working* state,
// which already includes every earlier decided command (so two clients racing for one unit get
// exactly one success), and applied to it at once. Readers see the *published* state, folded by
// the log's commit listener after each group's fsync: it holds exactly the durable events, so no
// reader ever sees an entry that a crash could still take back.
//
// Thread-safe.
#ifndef SALESLEDGER_SERVICES_LEDGER_H_
#define SALESLEDGER_SERVICES_LEDGER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "ledger/event_log.h"
#include "projections/projector.h"
#include "services/historical_states.h"
#include "services/personal_data.h"
#include "services/tree_head_signer.h"
#include "domain/state.h"
#include "salesledger/v1/commands.pb.h"

namespace salesledger {

struct LedgerOptions {
  std::string data_dir;              // holds ledger/ (RocksDB), admin.token and log.key
  // The log's origin, fixed when log.key is made at the first start (log_key.h); empty = the
  // default name, or whatever name the key already has.
  std::string log_name;
  Clock* clock = nullptr;            // not owned; nullptr = RealClock
  rocksdb::Env* env = nullptr;       // not owned; nullptr = default
  // A projection checkpoint is written at close, and in the background once this many events
  // arrived since the last one, or a tenth of the log if that is more (see CheckpointDue;
  // 0 = only at close).
  uint64_t checkpoint_every_events = 100000;
  // How many of those checkpoints are kept, spread over the history, for as-of reads to start
  // from (checkpoint_retention.h); each costs the disk of a whole state (about 90 bytes an event).
  size_t retained_checkpoints = 4;
  // Open checks the whole chain and refuses a broken one (DATA_LOSS naming the first bad seq)...
  bool verify_chain_on_open = true;
  // ...unless this is set: then it opens for investigation and refuses every write.
  bool allow_broken_chain = false;
  // As-of reads: at most this many historical states at once; a caller waits this long for one
  // (HistoricalStates).
  size_t max_historical_states = 2;
  absl::Duration historical_state_wait = absl::Seconds(10);
  // The log's synced writes, for metrics (EventLogOptions::on_sync).
  std::function<void(size_t events, absl::Duration write)> on_sync;
  // Replicated mode (ledger/upstream.h): the log commits every group there first, and an empty
  // ledger gets no genesis at Open — it comes from the replicated log, or from CreateGenesis when
  // this node is the first writer of an empty cluster. Not owned. nullptr = embedded mode.
  LogUpstream* upstream = nullptr;
  // Issue 20: customers' names and phones are sealed under their own data keys (<data_dir>/keys,
  // under <data_dir>/master.key; services/personal_data.h) and 撞单 compares a keyed index. Embedded
  // mode only for now: in replicated mode a node's key store would not follow the log to the other
  // nodes, so there they stay in the clear as before (README).
  bool seal_personal_data = true;
};

struct CommandOutcome {
  salesledger::v1::Event event;      // the event appended (the original one on a retry)
  bool replayed = false;
  std::string token;                 // issue_token: the new bearer token; empty on a retry
  std::string leaf_hash;             // the event's Merkle leaf
};

// Commands queued by Ledger::SubmitAll, answered in the background. Not thread-safe: one owner.
// Neither copyable nor movable: the queued decisions point into it.
class PendingOutcomes {
 public:
  explicit PendingOutcomes(std::string actor_id) : actor_id_(std::move(actor_id)) {}
  PendingOutcomes(const PendingOutcomes&) = delete;
  PendingOutcomes& operator=(const PendingOutcomes&) = delete;

  // Blocks until every command is answered; one outcome per command, in order, as ExecuteAll's.
  // Call at most once.
  std::vector<absl::StatusOr<CommandOutcome>> Wait();

 private:
  friend class Ledger;
  std::vector<absl::StatusOr<CommandOutcome>> Finish(std::vector<absl::StatusOr<Appended>> appended);

  const std::string actor_id_;
  std::vector<std::string> tokens_, token_hashes_;  // issue_token, rotate_token: made here
  std::vector<absl::StatusOr<CommandOutcome>> outcomes_;
  std::vector<absl::StatusOr<PersonalData::RegistrationKeys>> registration_keys_;  // register_customer: made here
  std::vector<size_t> proposed_;                     // the command of each proposal
  std::unique_ptr<PendingAppends> appends_;
};

class Ledger {
 public:
  // Opens <data_dir>/ledger. On an empty ledger it first writes a new admin token to
  // <data_dir>/admin.token (mode 0600), then appends the genesis event holding its SHA-256.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(const LedgerOptions& options);
  ~Ledger();

  // True when this Open created the ledger (and admin.token).
  bool created() const { return created_; }
  // Whether the run before this Open closed the ledger (false after kill -9, a crash or a power
  // cut; true on a new ledger), and the last event's recorded_at before it.
  bool previous_stop_clean() const { return previous_stop_clean_; }
  // On an empty ledger: writes a new admin token to <data_dir>/admin.token (mode 0600) and appends
  // the genesis event holding its SHA-256. Open does this itself in embedded mode; in replicated
  // mode the node that first writes to an empty cluster does. FAILED_PRECONDITION when not empty.
  absl::Status CreateGenesis();
  // Replicated mode: takes events the replicated log holds past this node's head into the log
  // (EventLog::AppendReplicated) and into both states. REQUIRES: this node takes no appends of its
  // own meanwhile (its upstream refuses them: a follower, or a writer still catching up).
  absl::Status ApplyReplicated(const std::vector<ReplicatedEvent>& events);

  // Appends server_started as the `system` principal (SPEC.md §3.12); ledgerd calls it at start.
  absl::StatusOr<CommandOutcome> RecordStart(absl::string_view version);
  // True when this Open made the log's signing key (log.key).
  bool log_key_created() const { return log_key_created_; }
  // The signer of the tree's checkpoints: its origin and verifier key, and the latest checkpoint.
  TreeHeadSigner& tree_heads() { return *tree_heads_; }
  const TreeHeadSigner& tree_heads() const { return *tree_heads_; }
  // How Open folded the state: from which checkpoint, how many events, how long.
  const FoldReport& fold_report() const { return fold_report_; }
  // Not OK when opened with allow_broken_chain on a broken chain: why writes are refused.
  const absl::Status& broken_chain() const { return broken_chain_; }
  absl::Duration open_time() const { return open_time_; }

  // Writes the published state as the projection checkpoint, kept with retained_checkpoints - 1
  // earlier ones for as-of reads; `fresh_history` keeps none of them (after a rebuild, the earlier
  // ones were derived by whatever code wrote them).
  absl::Status Checkpoint(bool fresh_history = false);

  // A consistent copy of the data dir at `path` (a new directory): a RocksDB checkpoint of the
  // ledger, admin.token and log.key. Appends go on meanwhile. Returns the head the copy holds.
  absl::StatusOr<Head> Backup(const std::string& path);

  struct Status {
    Head head;
    uint64_t projection_seq = 0, checkpoint_seq = 0, disk_bytes = 0;
    double events_per_second = 0;
    std::vector<Token> expiring_tokens;  // live ones expiring within kExpiryWarning, soonest first
    HistoricalStates::Usage historical;  // as-of states held, and callers waiting for one
  };
  static constexpr absl::Duration kExpiryWarning = absl::Hours(24 * 14);
  Status GetStatus() const;
  std::string admin_token_path() const;

  // The person a bearer token belongs to, and the token. UNAUTHENTICATED for an unknown, revoked
  // or expired token (judged by the ledger's clock now) or an inactive person.
  struct Principal {
    Person person;
    std::string token_id;
  };
  absl::StatusOr<Principal> AuthenticateToken(absl::string_view bearer_token) const;
  absl::StatusOr<Person> Authenticate(absl::string_view bearer_token) const;

  // Runs `command` as the person `actor_id` (already authenticated): decides it, appends its event
  // durably, and returns it; or the refusal of SPEC.md §4. The request_id inside the command is
  // the idempotency key. An add_cosignature that passes the domain's checks is then checked
  // against the log's key and tree (tree_audit.h CheckCosignature).
  absl::StatusOr<CommandOutcome> Execute(const std::string& actor_id, const salesledger::v1::Command& command);

  // Runs each command as Execute would, in order and queued together so that they share fsyncs
  // (batch imports). A refusal does not stop the rest. One outcome per command, in order.
  std::vector<absl::StatusOr<CommandOutcome>> ExecuteAll(const std::string& actor_id,
                                                         absl::Span<const salesledger::v1::Command* const> commands);

  // Queues the commands as ExecuteAll does and returns at once, so that a stream of batches
  // (SubmitStream) has the next one decided while this one is written: a later SubmitAll or
  // Execute is decided after all of these. The commands must outlive the returned object's Wait.
  std::unique_ptr<PendingOutcomes> SubmitAll(const std::string& actor_id,
                                             absl::Span<const salesledger::v1::Command* const> commands);

  // Calls `read` with the published state under a reader lock. `read` must not call the ledger.
  template <typename F>
  auto Read(F&& read) const {
    absl::ReaderMutexLock lock(&mu_);
    return read(published_);
  }

  // Rebuilds the published (read) state from event 1 while commands and queries go on: folds a
  // fresh state, catches it up, then swaps it in under the lock and checkpoints it. `progress` is
  // called with (folded seq, head) now and then. Returns the seq the swapped state reflected. The
  // decision state is folded afresh at every start.
  absl::StatusOr<uint64_t> RebuildOnline(const std::function<void(uint64_t, uint64_t)>& progress);

  // Folds the log afresh and compares it with the published state at the same seq (encoded
  // byte for byte). Returns the seq compared and whether they are equal.
  absl::StatusOr<std::pair<uint64_t, bool>> VerifyPublished() const;

  // Waits until the published state holds an event after `seq`, or `timeout`; returns the
  // published head seq.
  uint64_t WaitForPublished(uint64_t seq, absl::Duration timeout) const;

  // The state right after event `seq`, from the nearest retained checkpoint at or below it and
  // the events after that (for as_of_seq queries), shared with concurrent readers of the same seq
  // and bounded in number (HistoricalStates: RESOURCE_EXHAUSTED when none is free in time).
  // INVALID_ARGUMENT past the head. The pointer must not outlive the ledger.
  absl::StatusOr<std::shared_ptr<const State>> StateAt(uint64_t seq) const;

  EventLog& log() { return *log_; }
  const EventLog& log() const { return *log_; }

  // Opens customers' sealed fields for the read models (queries/personal_fields.h); opens nothing
  // when this ledger does not seal.
  const PersonalFields& personal_fields() const;
  // The erasures the published state holds, one line each: "<project>\t<customer>\t<seq>" in
  // seq order (what Backup writes to erasures.tsv and `ledgerctl restore --erasures` re-applies).
  std::string ErasureList() const;

 private:
  Ledger() = default;
  absl::Time Now() const;  // the clock of the options, or the real one
  void Publish(const std::vector<salesledger::v1::Event>& events);
  // Fills `pending` for `commands` (the outcomes of those refused before the log) and returns the
  // proposals for the rest, whose decisions point into `pending` and `commands`.
  std::vector<Proposal> Prepare(PendingOutcomes& pending, absl::Span<const salesledger::v1::Command* const> commands);
  // In the log's decide role: decides `command` against the working state and applies it there.
  absl::Status DecideAndApply(const std::string& actor_id, const salesledger::v1::Command& command,
                              const std::string& token_sha256,
                              const absl::StatusOr<PersonalData::RegistrationKeys>* keys,
                              salesledger::v1::Event& draft);
  // Destroys the data keys of the customers whose erasure `events` approve (after the events are
  // durable), and of every customer erased in the state (at Open: one a crash interrupted).
  void DestroyErasedKeys(const std::vector<std::pair<std::string, std::string>>& customers);

  void CheckpointLoop();

  LedgerOptions options_;
  std::unique_ptr<HistoricalStates> historical_;
  bool created_ = false;
  bool previous_stop_clean_ = true;
  bool log_key_created_ = false;
  std::unique_ptr<TreeHeadSigner> tree_heads_;  // ~Ledger stops it before it closes log_
  FoldReport fold_report_;
  absl::Status broken_chain_;
  absl::Duration open_time_;
  mutable absl::Mutex checkpoint_mu_;  // serialises checkpoints
  uint64_t last_checkpoint_seq_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
  mutable absl::Mutex rate_mu_;
  std::pair<absl::Time, uint64_t> rate_then_ ABSL_GUARDED_BY(rate_mu_), rate_now_ ABSL_GUARDED_BY(rate_mu_);
  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread checkpointer_;
  std::unique_ptr<PersonalData> personal_;  // nullptr when not sealing
  std::unique_ptr<EventLog> log_;
  State working_;                    // the log's decide role only (and Open)
  mutable absl::Mutex mu_;
  State published_ ABSL_GUARDED_BY(mu_);
};

// The request_id inside a command, and the command with it cleared (what the digest covers).
std::string RequestIdOf(const salesledger::v1::Command& command);

// Whether the background checkpointer writes a checkpoint with the log at `head` and the last one
// at `last`: after `every` events (0 = never), or after a tenth of the log when that is more.
// Encoding holds back publishing for about 0.2 s per million events of state, so a fixed interval
// would stall a large ledger ever more often; this way the stalls take a bounded share of the
// time, and a restart after a crash folds at most about a tenth of the log after the checkpoint.
bool CheckpointDue(uint64_t head, uint64_t last, uint64_t every);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_LEDGER_H_
