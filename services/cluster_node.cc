#include "services/cluster_node.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace salesledger {

ClusterNode::ClusterNode(PgLogStore* store, Ledger* ledger, ClusterNodeOptions options)
    : store_(store), ledger_(ledger), options_(std::move(options)) {
  status_.became_writer = absl::InfinitePast();
}

ClusterNode::~ClusterNode() { Stop(); }

absl::Status ClusterNode::Start() {
  // One log, one signing key: checkpoints signed by two keys would be two logs to a witness.
  const std::string mine = ledger_->tree_heads().verifier().ToString();
  ASSIGN_OR_RETURN(const std::string theirs, store_->AgreeOnLogKey(mine));
  if (theirs != mine) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this node's log.key (verifier ", mine, ") is not the cluster's (verifier ", theirs,
        "): move this data dir aside (its replica is rebuilt from the replicated log) and start the node on a new "
        "one holding a copy of a cluster node's log.key"));
  }
  const Head head = ledger_->log().GetHead();
  ASSIGN_OR_RETURN(const uint64_t upstream, store_->LastSeq());
  if (head.seq > 0 && upstream > 0) {
    const uint64_t both = std::min(head.seq, upstream);
    ASSIGN_OR_RETURN(std::vector<ReplicatedEvent> theirs, store_->ReadFrom(both, 1));
    ASSIGN_OR_RETURN(salesledger::v1::Event ours, ledger_->log().ReadEvent(both));
    if (theirs.size() != 1 || theirs[0].hash != ours.hash()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "this node's replica and the replicated log differ at seq ", both,
          ": it belongs to another ledger; move the data dir aside and start again to replicate afresh"));
    }
  }
  if (head.seq > upstream && upstream > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this node's replica holds seqs ", upstream + 1, "..", head.seq,
        " that the replicated log does not; move the data dir aside and start again to replicate afresh"));
  }
  if (head.seq > 0 && upstream == 0) {
    // An embedded ledger moving into an empty cluster: whoever writes first uploads it (TakeOver).
    if (options_.report) options_.report(absl::StrCat("the replicated log is empty; this node holds ", head.seq,
                                                      " events, which it uploads when it writes"));
  }
  ASSIGN_OR_RETURN(WriterLease lease, store_->Writer());
  {
    absl::MutexLock lock(&mu_);
    status_.head = head.seq;
    status_.upstream_seq = upstream;
    status_.lease = lease;
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void ClusterNode::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  store_->SetAppending(false);
}

ClusterNode::Status ClusterNode::GetStatus() const {
  absl::MutexLock lock(&mu_);
  Status s = status_;
  s.head = ledger_->log().GetHead().seq;
  s.primary = store_->primary();
  s.node = store_->node();
  return s;
}

void ClusterNode::Run() {
  absl::Status last_error;
  while (true) {
    bool fatal = false;
    const absl::Status s = Step(fatal);
    if (!s.ok() && fatal) {
      store_->SetAppending(false);
      if (options_.on_fatal) options_.on_fatal(s);
      return;
    }
    // A transient error (PostgreSQL away, failing over) is reported once, and retried.
    if (!s.ok() && s != last_error && options_.report) options_.report(absl::StrCat("retrying: ", s.message()));
    last_error = s;
    bool writer;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      writer = status_.writer;
    }
    // A follower reads again when the writer commits, or after a poll interval at the latest.
    if (!writer && store_->WaitForCommit(options_.poll).ok()) continue;
    if (writer) store_->StopWaitingForCommits();
    absl::MutexLock lock(&mu_);
    const absl::Duration wait = writer ? store_->lease() / 10 : options_.poll;
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait)) return;
  }
}

absl::Status ClusterNode::Step(bool& fatal) {
  bool writer;
  {
    absl::MutexLock lock(&mu_);
    writer = status_.writer;
  }
  // A failed commit (as writer, or while taking over) leaves the log ahead of the replicated one.
  if (absl::Status failed = ledger_->log().failure(); !failed.ok()) {
    fatal = true;
    return failed;
  }
  if (writer) {
    if (absl::Now() - last_renewal_ < store_->lease() / 3) return absl::OkStatus();
    absl::Status renewed = store_->Renew();
    // Lost: another node writes now. Unreachable: keep trying; commits are fenced meanwhile.
    fatal = absl::IsFailedPrecondition(renewed);
    if (renewed.ok()) last_renewal_ = absl::Now();
    return renewed;
  }
  // The lease first: a follower forwards entries to the writer it names, even while catching up.
  ASSIGN_OR_RETURN(WriterLease lease, store_->Writer());
  {
    absl::MutexLock lock(&mu_);
    status_.lease = lease;
  }
  absl::Status caught_up = CatchUp();
  if (!caught_up.ok()) {
    fatal = !absl::IsUnavailable(caught_up);  // DATA_LOSS: the replica does not follow
    return caught_up;
  }
  if (!lease.expired && lease.node != store_->node()) return absl::OkStatus();  // another node writes
  // Free, or this node's own from before a restart (reclaimed at once, with a new term).
  ASSIGN_OR_RETURN(std::optional<uint64_t> term, store_->Campaign());
  if (!term.has_value()) return absl::OkStatus();  // another node was quicker
  absl::Status taken = TakeOver(*term);
  fatal = !taken.ok() && !absl::IsUnavailable(taken);
  return taken;
}

absl::Status ClusterNode::CatchUp() {
  while (true) {
    const uint64_t head = ledger_->log().GetHead().seq;
    ASSIGN_OR_RETURN(std::vector<ReplicatedEvent> events, store_->ReadFrom(head + 1, options_.batch));
    if (events.empty()) {
      absl::MutexLock lock(&mu_);
      status_.upstream_seq = std::max(status_.upstream_seq, head);
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(ledger_->ApplyReplicated(events));
    absl::MutexLock lock(&mu_);
    status_.upstream_seq = std::max(status_.upstream_seq, events.back().seq);
  }
}

absl::Status ClusterNode::TakeOver(uint64_t term) {
  // The lease is this node's: every commit of an earlier writer has finished (its fence held the
  // lease row until then), so what the replicated log holds now is all there is.
  RETURN_IF_ERROR(CatchUp());
  ASSIGN_OR_RETURN(const uint64_t upstream, store_->LastSeq());
  const uint64_t head = ledger_->log().GetHead().seq;
  store_->SetAppending(true);
  if (upstream == 0 && head > 0) {
    // An embedded ledger moving into an empty cluster: its events, as they are, in batches.
    for (uint64_t from = 1; from <= head; from += options_.batch) {
      ASSIGN_OR_RETURN(std::vector<ReplicatedEvent> events,
                       ledger_->log().ReadReplicated(from, std::min(head, from + options_.batch - 1)));
      RETURN_IF_ERROR(store_->Commit(events));
    }
  }
  if (head == 0) RETURN_IF_ERROR(ledger_->CreateGenesis());
  ASSIGN_OR_RETURN(CommandOutcome started, ledger_->RecordStart(options_.version));
  last_renewal_ = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    status_.writer = true;
    status_.lease = WriterLease{term, store_->node(), store_->address(), absl::Now(), false};
    status_.became_writer = absl::Now();
  }
  if (options_.report) {
    options_.report(absl::StrCat("this node writes now (term ", term, "), from seq ", head + 1,
                                 "; start recorded at seq ", started.event.seq()));
  }
  return absl::OkStatus();
}

}  // namespace salesledger
