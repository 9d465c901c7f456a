// ClusterNode: one ledgerd of a replicated cluster (issue 19). While another node writes, it
// follows the replicated log into its Ledger (each event verified as it arrives); when the writer's
// lease has expired, it claims the lease, catches up with everything committed before, and writes.
//
// Crash-only: when this node can no longer go on safely — it lost the lease while writing, its log
// failed a commit, or its replica disagrees with the replicated log — it reports once through
// `on_fatal` and stops; ledgerd then exits and its supervisor starts it again, and the start is the
// recovery (reopen the replica, catch up, campaign). Nothing a failed commit decided is ever in
// the replica: the log writes locally only what the replicated log committed.
//
// Thread-safety: GetStatus from any thread; Start and Stop from one.
#ifndef SALESLEDGER_SERVICES_CLUSTER_NODE_H_
#define SALESLEDGER_SERVICES_CLUSTER_NODE_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/pg_log_store.h"
#include "services/ledger.h"

namespace salesledger {

struct ClusterNodeOptions {
  // A follower reads the replicated log when the writer commits (PgLogStore::WaitForCommit), and
  // after this long at the latest.
  absl::Duration poll = absl::Milliseconds(20);
  size_t batch = 2000;                           // events per read
  std::string version = "ledgerd";               // its server_started event's version, as writer
  // Called once, from the node's thread, when it must stop (see above). Must not call Stop.
  std::function<void(const absl::Status&)> on_fatal;
  // A line for the operator: took the writer role, caught up, a transient error.
  std::function<void(const std::string&)> report;
};

class ClusterNode {
 public:
  // Neither is owned; both must outlive the node. `ledger` must be opened with `store` as its
  // upstream.
  ClusterNode(PgLogStore* store, Ledger* ledger, ClusterNodeOptions options);
  ~ClusterNode();  // Stop()

  // Checks that this node signs with the cluster's log key (the first node's, FAILED_PRECONDITION
  // naming both verifier keys otherwise) and that the replica agrees with the replicated log where
  // both hold events (FAILED_PRECONDITION naming the seq where they differ, or the seqs only the
  // replica holds), then starts following.
  absl::Status Start();
  void Stop();

  struct Status {
    std::string node;               // this node's name
    bool writer = false;
    uint64_t head = 0;              // this replica's last seq
    uint64_t upstream_seq = 0;      // the replicated log's last seq, when last read
    WriterLease lease;              // who writes (and the term), when last read; its own when writer
    std::string primary;            // the PostgreSQL server this node talks to
    absl::Time became_writer;       // InfinitePast when it has not
  };
  Status GetStatus() const;

 private:
  void Run();
  // One round: the writer renews its lease and checks its log; a follower catches up and, when the
  // lease is free, campaigns. An error it returns is fatal only when `fatal` is set.
  absl::Status Step(bool& fatal);
  absl::Status CatchUp();
  absl::Status TakeOver(uint64_t term);

  PgLogStore* const store_;
  Ledger* const ledger_;
  const ClusterNodeOptions options_;
  absl::Time last_renewal_ = absl::InfinitePast();  // the node's thread only
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_CLUSTER_NODE_H_
