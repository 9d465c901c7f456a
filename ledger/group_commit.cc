// The append pipeline (event_log.h): the decider, syncer and answerer threads.
#include <algorithm>

#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "ledger/log_impl.h"
#include "transparency/merkle.h"

namespace salesledger {

namespace {

bool ValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

}  // namespace

void EventLog::Impl::DecideLoop() {
  while (true) {
    auto group = std::make_unique<Group>();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return !self->lone_ && (!self->queue_.empty() || self->closing_);
          },
          this));
      if (queue_.empty()) break;  // closing and drained
      while (!queue_.empty() && group->waiters.size() < options_.max_group_events) {
        group->waiters.push_back(queue_.front());
        queue_.pop_front();
      }
      deciding_ = true;
    }
    DecideGroup(*group);
    {
      absl::MutexLock lock(&sync_mu_);
      sync_mu_.Await(absl::Condition(
          +[](EventLog::Impl* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->sync_mu_) {
            return self->to_sync_.size() < kMaxGroupsInFlight;
          },
          this));
      to_sync_.push_back(std::move(group));
    }
    // Only now: until the group is in to_sync_, a caller must not find the pipeline idle.
    absl::MutexLock lock(&mu_);
    deciding_ = false;
  }
  absl::MutexLock lock(&sync_mu_);
  decider_done_ = true;
}

void EventLog::Impl::DecideGroup(Group& group) {
  absl::Status failed;
  {
    absl::MutexLock lock(&mu_);
    failed = failed_;
  }
  if (failed.ok()) {
    for (Waiter* w : group.waiters) DecideOne(*w, group);
  } else {
    for (Waiter* w : group.waiters) w->refusal = failed;
  }
  group.head = decided_;
}

void EventLog::Impl::RunLoneGroup(std::vector<Waiter>& waiters) {
  std::vector<std::unique_ptr<Group>> groups;
  groups.push_back(std::make_unique<Group>());
  for (Waiter& w : waiters) groups[0]->waiters.push_back(&w);
  DecideGroup(*groups[0]);
  const absl::Status written = Write(groups);
  {
    absl::MutexLock lock(&mu_);
    lone_ = false;
  }
  Answer(*groups[0], written);
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
        w.leaf_hash = it->second.leaf_hash;
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
    } else if (absl::StatusOr<Event> original = ReadEventAt(entry->seq); !original.ok()) {
      w.refusal = original.status();
    } else if (absl::StatusOr<std::string> leaf = StoredLeafHash(entry->seq); !leaf.ok()) {
      w.refusal = leaf.status();
    } else {
      w.event = std::make_shared<const Event>(*std::move(original));
      w.leaf_hash = *std::move(leaf);
      w.replayed = true;
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
  if (options_.upstream != nullptr) {
    group.upstream.push_back(ReplicatedEvent{seq, bytes, hash, p.request_id, p.request_digest});
  }
  group.puts.push_back({events(), {rf::EncodeSeq(seq), rf::EncodeEventValue(bytes, hash)}});
  group.puts.push_back({requests(), {p.request_id, rf::EncodeRequestEntry({seq, p.request_digest})}});
  w.leaf_hash = merkle::LeafHash(bytes);
  if (merkle() != nullptr) {
    // The stored nodes this leaf completes go into the same batch as the event.
    for (const merkle::CompactRange::Node& node : tree_.Append(w.leaf_hash)) {
      if (node.level < rf::kLowestStoredLevel) continue;
      group.puts.push_back({merkle(), {rf::EncodeNodeKey(node.level, node.index), node.hash}});
    }
  }
  draft->set_hash(hash);
  decided_ = Head{seq, std::move(hash), recorded_at};
  w.event = draft;
  group.fresh.push_back(draft);
  absl::MutexLock lock(&in_flight_mu_);
  in_flight_[p.request_id] = InFlightRequest{p.request_digest, draft, w.leaf_hash};
}

absl::Status EventLog::Impl::TakeReplicated(const std::vector<ReplicatedEvent>& events, Group& group) {
  std::vector<EventPtr> parsed;
  parsed.reserve(events.size());
  Head head = decided_;
  for (const ReplicatedEvent& e : events) {
    if (e.seq != head.seq + 1) {
      return DataLoss(e.seq, absl::StrCat("the replicated log sent it after seq ", head.seq));
    }
    if (e.hash != ChainHash(head.hash, e.bytes)) {
      return DataLoss(e.seq, "its hash is not SHA-256(hash of the seq before || its bytes)");
    }
    auto event = std::make_shared<Event>();
    if (!event->ParseFromString(e.bytes) || event->seq() != e.seq || event->prev_hash() != head.hash ||
        event->request_id() != e.request_id || e.request_digest.size() != kHashSize) {
      return DataLoss(e.seq, "its bytes do not decode to the event the replicated log says it is");
    }
    event->set_hash(e.hash);
    head = Head{e.seq, e.hash, FromProto(event->recorded_at())};
    parsed.push_back(std::move(event));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const ReplicatedEvent& e = events[i];
    group.puts.push_back({this->events(), {rf::EncodeSeq(e.seq), rf::EncodeEventValue(e.bytes, e.hash)}});
    group.puts.push_back({requests(), {e.request_id, rf::EncodeRequestEntry({e.seq, e.request_digest})}});
    if (merkle() != nullptr) {
      for (const merkle::CompactRange::Node& node : tree_.Append(merkle::LeafHash(e.bytes))) {
        if (node.level < rf::kLowestStoredLevel) continue;
        group.puts.push_back({merkle(), {rf::EncodeNodeKey(node.level, node.index), node.hash}});
      }
    }
    group.fresh.push_back(std::move(parsed[i]));
  }
  decided_ = head;
  group.head = head;
  return absl::OkStatus();
}

absl::Status EventLog::Impl::AppendReplicated(const std::vector<ReplicatedEvent>& events) {
  RETURN_IF_ERROR(options_.read_only ? absl::FailedPreconditionError("the ledger was opened read-only")
                                     : absl::OkStatus());
  if (events.empty()) return absl::OkStatus();
  {
    absl::MutexLock lock(&mu_);
    if (closing_) return absl::UnavailableError("the ledger is shutting down");
    if (!failed_.ok()) return failed_;
    if (!PipelineIdle()) {
      return absl::FailedPreconditionError(
          "this node has appends of its own in flight; a replica takes the replicated log's events only while it "
          "appends nothing itself");
    }
    lone_ = true;  // the decide and write roles, as a lone caller holds them
  }
  std::vector<std::unique_ptr<Group>> groups;
  groups.push_back(std::make_unique<Group>());
  absl::Status status = TakeReplicated(events, *groups[0]);
  if (status.ok()) status = Write(groups);
  absl::MutexLock lock(&mu_);
  lone_ = false;
  return status;
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
      syncing_ = true;
    }
    const absl::Status written = Write(groups);
    {
      // Idle before anyone is answered, as after a lone group: a caller told its entry is written
      // that appends again at once finds the pipeline idle and runs its own group.
      absl::MutexLock lock(&sync_mu_);
      syncing_ = false;
    }
    absl::MutexLock lock(&answer_mu_);
    for (auto& g : groups) to_answer_.push_back({std::move(g), written});
  }
}

absl::Status EventLog::Impl::Write(const std::vector<std::unique_ptr<Group>>& groups) {
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
  if (!written.ok() || head == nullptr) return written;
  if (options_.upstream != nullptr) {
    std::vector<ReplicatedEvent> upstream;
    for (const auto& g : groups) {
      for (ReplicatedEvent& e : g->upstream) upstream.push_back(std::move(e));
    }
    if (!upstream.empty()) {
      if (absl::Status committed = options_.upstream->Commit(upstream); !committed.ok()) {
        // The decided head is now ahead of what the upstream holds (or may hold): this node
        // appends nothing more until it is reopened and caught up from the upstream.
        absl::MutexLock lock(&mu_);
        failed_ = absl::UnavailableError(absl::StrCat(
            "the replicated log did not take the entry (", committed.message(),
            "); retry with the same request_id, on any node"));
        return failed_;
      }
    }
  }
  batch.Put(meta(), rf::kHeadKey, rf::EncodeHead({head->seq, head->hash, head->recorded_at}));
  if (merkle() != nullptr) batch.Put(meta(), rf::kMerkleSizeKey, rf::EncodeSeq(head->seq));
  const absl::Time write_start = absl::Now();
  written = FromRocks(db_->Write(sync_, &batch), "ledger write failed");
  if (!written.ok()) {
    // Whether any of it reached the disk is unknown: never acknowledge, never write again.
    absl::MutexLock lock(&mu_);
    failed_ = absl::UnavailableError(
        absl::StrCat(written.message(), "; the ledger accepts no more entries until it is restarted"));
    return failed_;
  }
  if (options_.on_sync) {
    size_t events = 0;
    for (const auto& g : groups) events += g->fresh.size();
    options_.on_sync(events, absl::Now() - write_start);
  }
  {
    absl::MutexLock lock(&head_mu_);
    head_ = *head;
    if (merkle() != nullptr) tree_size_ = head->seq;
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
  return absl::OkStatus();
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

}  // namespace salesledger
