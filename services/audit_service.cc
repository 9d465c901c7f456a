#include "services/audit_service.h"

#include "absl/strings/str_cat.h"
#include "base/time_proto.h"
#include "domain/access.h"
#include "domain/apply.h"
#include "queries/backdated.h"
#include "queries/event_filter.h"
#include "queries/explain.h"
#include "services/auth.h"
#include "services/grpc_status.h"
#include "services/request_size.h"
#include "base/status_macros.h"
#include "services/log_event_source.h"

namespace salesledger {

using salesledger::v1::Event;

namespace {

// The stored event as ReadEvents and Subscribe send it: parsed, with its hash, and its raw bytes
// when asked for.
absl::Status ToResponse(const StoredEvent& e, bool include_raw, v1::ReadEventsResponse& response) {
  response.Clear();
  if (!response.mutable_event()->ParseFromArray(e.bytes.data(), e.bytes.size())) {
    return absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
  }
  response.mutable_event()->set_hash(e.hash.data(), e.hash.size());
  if (include_raw) response.set_raw(e.bytes.data(), e.bytes.size());
  return absl::OkStatus();
}

}  // namespace

absl::Status AuditServiceImpl::Authorize(const grpc::ServerContext& context, const google::protobuf::Message& request,
                                         absl::string_view action) const {
  RETURN_IF_ERROR(CheckRequestSize(request));
  absl::StatusOr<Person> person = AuthenticateCall(context, *ledger_);
  if (!person.ok()) return person.status();
  return RequireRole(*person, kHistoryReaders, action);
}

grpc::Status AuditServiceImpl::GetHead(grpc::ServerContext* context, const v1::GetHeadRequest* request,
                                       v1::GetHeadResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read the ledger head"); !s.ok()) return ToGrpc(s);
  const Head head = ledger_->log().GetHead();
  response->set_seq(head.seq);
  response->set_hash(head.hash);
  *response->mutable_recorded_at() = ToProto(head.recorded_at);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  if (absl::Status s = Authorize(*context, *request, "read events"); !s.ok()) return ToGrpc(s);
  v1::ReadEventsResponse response;
  absl::Status failure;
  absl::Status read = ledger_->log().Read(request->from_seq(), request->to_seq(), [&](const StoredEvent& e) {
    if (context->IsCancelled()) {
      failure = absl::CancelledError("the client cancelled the read");
      return false;
    }
    failure = ToResponse(e, request->include_raw(), response);
    if (!failure.ok()) return false;
    if (!MatchesFilters(*request, response.event())) return true;
    if (!writer->Write(response)) {
      failure = absl::CancelledError("the client went away");
      return false;
    }
    return true;
  });
  if (!read.ok()) return ToGrpc(read);
  return ToGrpc(failure);
}

grpc::Status AuditServiceImpl::VerifyChain(grpc::ServerContext* context, const v1::VerifyChainRequest* request,
                                           v1::VerifyChainResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "verify the chain"); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Head> verified = ledger_->log().VerifyChain(request->from_seq(), request->to_seq());
  if (!verified.ok()) return ToGrpc(verified.status());
  response->set_verified_from(std::max<uint64_t>(request->from_seq(), 1));
  response->set_verified_to(verified->seq);
  response->set_hash(verified->hash);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                                         grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  if (absl::Status s = Authorize(*context, *request, "subscribe to events"); !s.ok()) return ToGrpc(s);
  uint64_t last = std::max<uint64_t>(request->from_seq(), 1) - 1;  // the last seq sent
  bool caught_up = false;
  v1::ReadEventsResponse response;
  while (true) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    if (stopping_) {
      return ToGrpc(absl::UnavailableError(absl::StrCat("the server is stopping; resubscribe from seq ", last + 1)));
    }
    // Only events the readers may see: the published head, never a group still being synced.
    const uint64_t head = ledger_->WaitForPublished(last, absl::Seconds(1));
    if (caught_up && head - last > kMaxSubscriberLag) {
      return ToGrpc(absl::ResourceExhaustedError(absl::StrCat("the subscriber fell ", head - last,
                                                              " events behind; resubscribe from seq ", last + 1)));
    }
    absl::Status failure;
    absl::Status read = ledger_->log().Read(last + 1, head, [&](const StoredEvent& e) {
      failure = ToResponse(e, request->include_raw(), response);
      if (!failure.ok()) return false;
      if (!writer->Write(response)) {
        failure = absl::CancelledError("the subscriber went away");
        return false;
      }
      last = e.seq;
      return !stopping_;
    });
    if (!read.ok()) return ToGrpc(read);
    if (!failure.ok()) return ToGrpc(failure);
    caught_up = caught_up || last >= head;
  }
}

grpc::Status AuditServiceImpl::FindBackdated(grpc::ServerContext* context, const v1::FindBackdatedRequest* request,
                                             v1::FindBackdatedResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read the back-dated entries report"); !s.ok()) return ToGrpc(s);
  const LogEventSource events(ledger_->log());
  absl::StatusOr<v1::FindBackdatedResponse> report;
  if (request->as_of_seq() == 0) {
    report = ledger_->Read([&](const State& state) { return salesledger::FindBackdated(state, events, *request); });
  } else {
    auto state = ledger_->StateAt(request->as_of_seq());
    if (!state.ok()) return ToGrpc(state.status());
    report = salesledger::FindBackdated(**state, events, *request);
  }
  if (!report.ok()) return ToGrpc(report.status());
  *response = *std::move(report);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ExplainViolation(grpc::ServerContext* context, const v1::ExplainViolationRequest* request,
                                                v1::ExplainViolationResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "explain violations"); !s.ok()) return ToGrpc(s);
  const LogEventSource events(ledger_->log());
  absl::StatusOr<v1::ExplainViolationResponse> explained =
      ledger_->Read([&](const State& state) { return salesledger::ExplainViolation(state, events, *request); });
  if (!explained.ok()) return ToGrpc(explained.status());
  *response = *std::move(explained);
  return grpc::Status::OK;
}

}  // namespace salesledger
