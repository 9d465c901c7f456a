#include "services/command_services.h"

#include <deque>
#include <filesystem>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/time_proto.h"
#include "domain/access.h"
#include "services/auth.h"
#include "services/grpc_status.h"
#include "base/status_macros.h"
#include "services/request_size.h"

namespace salesledger {
void FillEntryResponse(const CommandOutcome& outcome, v1::EntryResponse* response) {
  response->set_seq(outcome.event.seq());
  *response->mutable_recorded_at() = outcome.event.recorded_at();
  response->set_replayed(outcome.replayed);
  response->set_receipt_no(outcome.event.receipt_no());
  response->set_token(outcome.token);
  response->set_leaf_hash(outcome.leaf_hash);
}

namespace {

// The writer's answer to `command`, when this node is a follower that forwards it.
std::optional<grpc::Status> ForwardOne(WriteForwarder* forwarder, const grpc::ServerContext& context,
                                       const v1::Command& command, v1::EntryResponse* response) {
  if (forwarder == nullptr) return std::nullopt;
  v1::CommandBatch batch;
  *batch.add_commands() = command;
  std::optional<absl::StatusOr<v1::CommandBatchResponse>> answered = forwarder->Forward(context, batch);
  if (!answered.has_value()) return std::nullopt;
  if (!answered->ok()) return ToGrpc(answered->status());
  if ((*answered)->results_size() != 1) {
    return ToGrpc(absl::UnavailableError("the writer's answer to a forwarded entry held no result; retry with the same request_id"));
  }
  const v1::CommandResult& result = (*answered)->results(0);
  if (result.code() != 0) return grpc::Status(static_cast<grpc::StatusCode>(result.code()), result.message());
  *response = result.response();
  return grpc::Status::OK;
}

}  // namespace

grpc::Status RunCommand(Ledger& ledger, WriteForwarder* forwarder, const grpc::ServerContext& context,
                        const google::protobuf::Message& request, const v1::Command& command,
                        v1::EntryResponse* response) {
  if (absl::Status s = CheckRequestSize(request); !s.ok()) return ToGrpc(s);
  if (std::optional<grpc::Status> forwarded = ForwardOne(forwarder, context, command, response)) return *forwarded;
  absl::StatusOr<Person> person = AuthenticateCall(context, ledger);
  if (!person.ok()) return ToGrpc(person.status());
  absl::StatusOr<CommandOutcome> outcome = ledger.Execute(person->person_id, command);
  if (!outcome.ok()) return ToGrpc(outcome.status());
  FillEntryResponse(*outcome, response);
  return grpc::Status::OK;
}

namespace {

// What SubmitBatch checks of the call as a whole: size, the caller, the number of commands.
absl::StatusOr<Person> AdmitBatch(Ledger& ledger, const grpc::ServerContext& context, const v1::CommandBatch& batch) {
  RETURN_IF_ERROR(CheckRequestSize(batch));
  ASSIGN_OR_RETURN(Person person, AuthenticateCall(context, ledger));
  if (batch.commands_size() > kMaxBatchCommands) {
    return absl::InvalidArgumentError(absl::StrCat("a batch carries at most ", kMaxBatchCommands,
                                                   " commands; this one has ", batch.commands_size()));
  }
  return person;
}

std::vector<const v1::Command*> CommandsOf(const v1::CommandBatch& batch) {
  std::vector<const v1::Command*> commands;
  commands.reserve(batch.commands_size());
  for (const v1::Command& c : batch.commands()) commands.push_back(&c);
  return commands;
}

void FillBatchResponse(const std::vector<absl::StatusOr<CommandOutcome>>& outcomes, v1::CommandBatchResponse* response) {
  for (const auto& outcome : outcomes) {
    v1::CommandResult* result = response->add_results();
    if (outcome.ok()) {
      FillEntryResponse(*outcome, result->mutable_response());
    } else {
      result->set_code(static_cast<int>(outcome.status().code()));
      result->set_message(std::string(outcome.status().message()));
    }
  }
}

}  // namespace

grpc::Status EntryServiceImpl::SubmitBatch(grpc::ServerContext* context, const v1::CommandBatch* request,
                                           v1::CommandBatchResponse* response) {
  if (forwarder_ != nullptr) {
    if (absl::Status s = CheckRequestSize(*request); !s.ok()) return ToGrpc(s);
    if (std::optional<absl::StatusOr<v1::CommandBatchResponse>> answered = forwarder_->Forward(*context, *request)) {
      if (!answered->ok()) return ToGrpc(answered->status());
      *response = **std::move(answered);
      return grpc::Status::OK;
    }
  }
  absl::StatusOr<Person> person = AdmitBatch(*ledger_, *context, *request);
  if (!person.ok()) return ToGrpc(person.status());
  FillBatchResponse(ledger_->ExecuteAll(person->person_id, CommandsOf(*request)), response);
  return grpc::Status::OK;
}

grpc::Status EntryServiceImpl::SubmitStream(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::CommandBatchResponse, v1::CommandBatch>* stream) {
  // On a follower, each batch goes to the writer as one SubmitBatch, one at a time and in order (a
  // batch's round trip each, not the pipeline below); a batch that reaches this node after it
  // became the writer runs here.
  if (forwarder_ != nullptr && forwarder_->ShouldForward(*context)) {
    for (v1::CommandBatch batch; stream->Read(&batch);) {
      v1::CommandBatchResponse response;
      grpc::Status s = SubmitBatch(context, &batch, &response);
      if (!s.ok()) return s;
      if (!stream->Write(response)) break;  // the client went away: what it sent is decided
    }
    return grpc::Status::OK;
  }
  // This thread reads and queues batches; `answerer` waits for each in order and writes its answer.
  struct InFlight {
    v1::CommandBatch batch;                    // the commands the queued decisions point into
    std::unique_ptr<PendingOutcomes> pending;
  };
  struct Queue {
    absl::Mutex mu;
    std::deque<std::unique_ptr<InFlight>> in_flight;  // guarded by mu, like reading_done
    bool reading_done = false;
  } q;
  std::thread answerer([&] {
    bool client_gone = false;
    while (true) {
      InFlight* next;
      {
        absl::MutexLock lock(&q.mu);
        q.mu.Await(absl::Condition(+[](Queue* q) { return !q->in_flight.empty() || q->reading_done; }, &q));
        if (q.in_flight.empty()) return;
        next = q.in_flight.front().get();
      }
      v1::CommandBatchResponse response;
      FillBatchResponse(next->pending->Wait(), &response);
      // A client that went away is no reason not to wait for what it queued.
      if (!client_gone) client_gone = !stream->Write(response);
      absl::MutexLock lock(&q.mu);
      q.in_flight.pop_front();
    }
  });
  absl::Status ended;
  for (auto batch = std::make_unique<InFlight>(); stream->Read(&batch->batch); batch = std::make_unique<InFlight>()) {
    absl::StatusOr<Person> person = AdmitBatch(*ledger_, *context, batch->batch);
    if (!person.ok()) {
      ended = person.status();
      break;
    }
    {
      // Only this thread adds, so the room it waited for is still there when it adds.
      absl::MutexLock lock(&q.mu);
      q.mu.Await(absl::Condition(+[](Queue* q) { return q->in_flight.size() < kStreamBatchesInFlight; }, &q));
    }
    batch->pending = ledger_->SubmitAll(person->person_id, CommandsOf(batch->batch));
    absl::MutexLock lock(&q.mu);
    q.in_flight.push_back(std::move(batch));
  }
  {
    absl::MutexLock lock(&q.mu);
    q.reading_done = true;
  }
  answerer.join();
  return ToGrpc(ended);
}

namespace {

absl::Status RequireAdmin(Ledger& ledger, const grpc::ServerContext& context, const google::protobuf::Message& request,
                          absl::string_view action) {
  RETURN_IF_ERROR(CheckRequestSize(request));
  absl::StatusOr<Person> person = AuthenticateCall(context, ledger);
  if (!person.ok()) return person.status();
  return RequireRole(*person, kOperators, action);
}

}  // namespace

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context, const v1::BackupRequest* request,
                                      v1::BackupResponse* response) {
  if (absl::Status s = RequireAdmin(*ledger_, *context, *request, "back up the ledger"); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Head> head = ledger_->Backup(request->path());
  if (!head.ok()) return ToGrpc(head.status());
  response->set_seq(head->seq);
  response->set_hash(head->hash);
  std::error_code ec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(request->path(), ec)) {
    if (f.is_regular_file(ec)) response->set_bytes(response->bytes() + f.file_size(ec));
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                                         v1::GetStatusResponse* response) {
  if (absl::Status s = RequireAdmin(*ledger_, *context, *request, "read the server status"); !s.ok()) return ToGrpc(s);
  const Ledger::Status status = ledger_->GetStatus();
  response->set_head_seq(status.head.seq);
  response->set_head_hash(status.head.hash);
  *response->mutable_head_recorded_at() = ToProto(status.head.recorded_at);
  response->set_projection_seq(status.projection_seq);
  response->set_checkpoint_seq(status.checkpoint_seq);
  response->set_events_per_second(status.events_per_second);
  response->set_disk_bytes(status.disk_bytes);
  response->set_broken_chain(std::string(ledger_->broken_chain().message()));
  for (const Token& token : status.expiring_tokens) {
    auto* expiring = response->add_expiring_tokens();
    expiring->set_token_id(token.token_id);
    expiring->set_person_id(token.person_id);
    *expiring->mutable_expires_at() = ToProto(token.expires_at);
  }
  if (cluster_ != nullptr) {
    const ClusterNode::Status node = cluster_->GetStatus();
    v1::GetStatusResponse::Cluster* c = response->mutable_cluster();
    c->set_node(node.node);
    c->set_role(node.writer ? "writer" : "follower");
    c->set_term(node.lease.term);
    c->set_writer_node(node.lease.node);
    c->set_writer_address(node.lease.address);
    c->set_lag_events(node.upstream_seq > node.head ? node.upstream_seq - node.head : 0);
    c->set_postgresql_primary(node.primary);
    if (node.lease.term > 0) *c->mutable_last_failover() = ToProto(node.lease.since);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RotateToken(grpc::ServerContext* context, const v1::RotateTokenRequest* request,
                                           v1::EntryResponse* response) {
  if (absl::Status s = CheckRequestSize(*request); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Ledger::Principal> caller = AuthenticateCallToken(*context, *ledger_);
  if (!caller.ok()) return ToGrpc(caller.status());
  v1::Command command;
  *command.mutable_rotate_token() = *request;
  command.mutable_rotate_token()->set_token_id(caller->token_id);
  if (std::optional<grpc::Status> forwarded = ForwardOne(forwarder_, *context, command, response)) return *forwarded;
  absl::StatusOr<CommandOutcome> outcome = ledger_->Execute(caller->person.person_id, command);
  if (!outcome.ok()) return ToGrpc(outcome.status());
  FillEntryResponse(*outcome, response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::VerifyProjections(grpc::ServerContext* context, const v1::VerifyProjectionsRequest* request,
                                                 v1::VerifyProjectionsResponse* response) {
  if (absl::Status s = RequireAdmin(*ledger_, *context, *request, "verify projections"); !s.ok()) return ToGrpc(s);
  auto verified = ledger_->VerifyPublished();
  if (!verified.ok()) return ToGrpc(verified.status());
  response->set_seq(verified->first);
  response->set_equal(verified->second);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RebuildProjections(grpc::ServerContext* context, const v1::RebuildProjectionsRequest* request,
                                                  grpc::ServerWriter<v1::RebuildProgress>* writer) {
  if (absl::Status s = RequireAdmin(*ledger_, *context, *request, "rebuild projections"); !s.ok()) return ToGrpc(s);
  const absl::Time start = absl::Now();
  absl::Time last_sent = absl::InfinitePast();
  auto progress = [&](uint64_t folded, uint64_t target) {
    if (absl::Now() - last_sent < absl::Milliseconds(200) && folded < target) return;
    last_sent = absl::Now();
    v1::RebuildProgress p;
    p.set_folded_seq(folded);
    p.set_target_seq(target);
    p.set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
    writer->Write(p);  // a client that stopped listening does not stop the rebuild
  };
  absl::StatusOr<uint64_t> swapped = ledger_->RebuildOnline(progress);
  if (!swapped.ok()) return ToGrpc(swapped.status());
  v1::RebuildProgress done;
  done.set_folded_seq(*swapped);
  done.set_target_seq(*swapped);
  done.set_done(true);
  done.set_swapped_at_seq(*swapped);
  done.set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
  writer->Write(done);
  return grpc::Status::OK;
}

}  // namespace salesledger
