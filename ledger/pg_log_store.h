// PgLogStore: the replicated log in PostgreSQL (issue 19) — the LogUpstream of every node of a
// cluster, and the writer lease that says which node appends.
//
// Tables (created on first connect, under an advisory lock so that nodes starting together agree):
//   ledger_events (seq bigint PRIMARY KEY, request_id text UNIQUE, digest, bytes, hash bytea):
//     every event, with the same bytes and hash as a node's RocksDB. The primary key is the fence:
//     two writers can never both hold seq N; the unique request_id is the idempotency index.
//   ledger_log_key (one row): the verifier key of the log's signing key, recorded by the first
//     node to start, so that a node with another log.key is refused (AgreeOnLogKey).
//   ledger_writer (one row): term, node, address, since, expires_at — the writer lease. A node
//     claims it when it has expired (or is its own, after a restart), which raises the term; every
//     commit checks the term inside its transaction (ledger_fence) and extends the lease, so a
//     writer that was replaced, or that stalled past its lease and woke up, cannot commit.
// Times are PostgreSQL's (now() on the primary), never a node's clock.
//
// Durability: a commit returns only when PostgreSQL says COMMIT, which with synchronous_commit =
// on and a synchronous standby means the WAL is flushed on both; other sessions (the followers'
// reads) see the rows only after that. A commit with no answer within `timeout` is abandoned by
// dropping the connection, never cancelled: a cancelled wait for a standby would make the rows
// visible without a standby's flush. A commit that PostgreSQL reports with the warning that its
// wait for the standby was cancelled is treated as unknown (UNAVAILABLE), not as committed.
//
// Thread-safety: every method may be called from any thread. Commit and WaitForCommit each use a
// connection of their own; the others share a third one under a mutex.
#ifndef SALESLEDGER_LEDGER_PG_LOG_STORE_H_
#define SALESLEDGER_LEDGER_PG_LOG_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/upstream.h"

struct pg_conn;

namespace salesledger {

struct PgLogStoreOptions {
  // libpq connection string (URI or key=value). For a cluster: every host, and
  // target_session_attrs=read-write, so that a reconnect finds the primary after a failover.
  std::string conninfo;
  std::string node;     // this node's name, unique in the cluster
  std::string address;  // host:port of its gRPC server, where the other nodes send writes
  absl::Duration lease = absl::Seconds(5);     // a writer silent this long may be replaced
  absl::Duration timeout = absl::Seconds(10);  // a commit's or read's bound before UNAVAILABLE
};

// The writer lease as the replicated log holds it.
struct WriterLease {
  uint64_t term = 0;       // 0: no node has written yet
  std::string node;
  std::string address;
  absl::Time since;        // when this term began
  bool expired = true;     // by PostgreSQL's clock, when it was read
};

class PgLogStore final : public LogUpstream {
 public:
  // Connects and creates the tables when missing. UNAVAILABLE when PostgreSQL cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgLogStore>> Connect(const PgLogStoreOptions& options);
  ~PgLogStore() override;
  PgLogStore(const PgLogStore&) = delete;
  PgLogStore& operator=(const PgLogStore&) = delete;

  // The last event's seq (0 when the log is empty).
  absl::StatusOr<uint64_t> LastSeq();
  // Records `verifier` (a note verifier key, of this node's log.key) as the log's when none is
  // recorded yet, and returns the one recorded: the caller compares. UNAVAILABLE when PostgreSQL
  // cannot be reached.
  absl::StatusOr<std::string> AgreeOnLogKey(const std::string& verifier);
  // Events from_seq.. in seq order, at most `max`.
  absl::StatusOr<std::vector<ReplicatedEvent>> ReadFrom(uint64_t from_seq, size_t max);

  // Waits up to `timeout` for a commit by the writer (each commit's transaction sends NOTIFY
  // ledger_events), so that a follower reads as soon as there is something to read rather than at
  // its next poll. OK on a notification or at `timeout`; UNAVAILABLE when PostgreSQL cannot be
  // reached (the caller waits its poll interval instead). Uses a connection of its own.
  absl::Status WaitForCommit(absl::Duration timeout);
  // Closes WaitForCommit's connection: a writer, which never waits, must not leave its
  // notifications unread (PostgreSQL keeps them queued for every listener).
  void StopWaitingForCommits();
  // Claims the writer lease if it has expired or is this node's own: the new term. nullopt when
  // another node holds a live lease. Appends stay refused until SetAppending(true).
  absl::StatusOr<std::optional<uint64_t>> Campaign();
  // Extends this node's lease. FAILED_PRECONDITION when it holds none or another node took it
  // (and then it stops appending); UNAVAILABLE when PostgreSQL cannot be reached.
  absl::Status Renew();
  // Who writes, as the replicated log says now; also remembered for CanAppend's message.
  absl::StatusOr<WriterLease> Writer();
  // Opens (after Campaign and catching up) or closes this node for appends.
  void SetAppending(bool appending);
  const std::string& node() const { return options_.node; }
  absl::Duration lease() const { return options_.lease; }
  // Where this node takes entries, as its lease will say; settable until it first campaigns (the
  // gRPC server's port is known only once it listens).
  std::string address() const;
  void SetAddress(std::string address);
  // The term this node holds, 0 when none.
  uint64_t term() const;
  // host:port of the PostgreSQL server the commits go to ("" before the first).
  std::string primary() const;

  absl::Status CanAppend() const override;
  absl::Status Commit(const std::vector<ReplicatedEvent>& events) override;

 private:
  explicit PgLogStore(PgLogStoreOptions options) : options_(std::move(options)), address_(options_.address) {}
  // A live connection in `slot`, reconnecting when it is missing or broken.
  absl::StatusOr<pg_conn*> Connected(pg_conn*& slot);

  const PgLogStoreOptions options_;
  absl::Mutex commit_mu_;  // Commit is called by one thread at a time; this makes sure of it
  pg_conn* commit_conn_ ABSL_GUARDED_BY(commit_mu_) = nullptr;
  // Set by commit_conn_'s notice receiver when PostgreSQL says a wait for the standby was cancelled.
  bool sync_wait_cancelled_ ABSL_GUARDED_BY(commit_mu_) = false;
  absl::Mutex listen_mu_;  // WaitForCommit's connection, which LISTENs on ledger_events
  pg_conn* listen_conn_ ABSL_GUARDED_BY(listen_mu_) = nullptr;
  absl::Mutex conn_mu_;    // held across a round trip: never taken by CanAppend
  pg_conn* conn_ ABSL_GUARDED_BY(conn_mu_) = nullptr;
  mutable absl::Mutex state_mu_;  // never held across a round trip
  uint64_t term_ ABSL_GUARDED_BY(state_mu_) = 0;
  bool appending_ ABSL_GUARDED_BY(state_mu_) = false;
  WriterLease last_seen_ ABSL_GUARDED_BY(state_mu_);
  std::string primary_ ABSL_GUARDED_BY(state_mu_);
  std::string address_ ABSL_GUARDED_BY(state_mu_);
};

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_PG_LOG_STORE_H_
