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

// An erased customer's entries as ReadEvents and Subscribe show them (issue 20): the name
// 已删除, no phone. An entry from before sealing holds them in the clear in its stored bytes: those
// only an AUDITOR gets, who proves the chain with them.
void ShowErasures(const Ledger& ledger, const Person& reader, v1::ReadEventsResponse& response) {
  Event& e = *response.mutable_event();
  if (!e.has_register_customer() && !e.has_print_document()) return;
  auto erased = [&](const std::string& customer_id) {
    return ledger.Read([&](const State& s) {
      const Project* p = s.FindProject(e.project_id());
      if (p == nullptr) return false;
      auto it = p->customers.find(customer_id);
      return it != p->customers.end() && it->second.erased_seq != 0;
    });
  };
  bool in_the_clear = false;
  if (e.has_register_customer() && erased(e.register_customer().customer_id())) {
    v1::RegisterCustomerRequest& b = *e.mutable_register_customer();
    in_the_clear = !b.name().empty();
    b.set_name(kErasedName);
    b.clear_phone();
    b.clear_sealed_name();
    b.clear_sealed_phone();
    b.clear_phone_index();
  }
  for (auto& party : *e.mutable_print_document()->mutable_parties()) {
    if (!erased(party.customer_id())) continue;
    in_the_clear = in_the_clear || (!party.name().empty() && party.name() != kErasedName);
    party.set_name(kErasedName);
    party.clear_sealed_name();
  }
  if (in_the_clear && !reader.roles.Has(v1::AUDITOR)) response.clear_raw();
}

}  // namespace

absl::StatusOr<Person> AuditServiceImpl::Authorize(const grpc::ServerContext& context,
                                                   const google::protobuf::Message& request,
                                                   absl::string_view action) const {
  RETURN_IF_ERROR(CheckRequestSize(request));
  ASSIGN_OR_RETURN(Person person, AuthenticateCall(context, *ledger_));
  RETURN_IF_ERROR(RequireRole(person, kHistoryReaders, action));
  return person;
}

grpc::Status AuditServiceImpl::GetHead(grpc::ServerContext* context, const v1::GetHeadRequest* request,
                                       v1::GetHeadResponse* response) {
  if (absl::Status s = Authorize(*context, *request, "read the ledger head").status(); !s.ok()) return ToGrpc(s);
  const Head head = ledger_->log().GetHead();
  response->set_seq(head.seq);
  response->set_hash(head.hash);
  *response->mutable_recorded_at() = ToProto(head.recorded_at);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  absl::StatusOr<Person> reader = Authorize(*context, *request, "read events");
  if (!reader.ok()) return ToGrpc(reader.status());
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
    ShowErasures(*ledger_, *reader, response);
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
  if (absl::Status s = Authorize(*context, *request, "verify the chain").status(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Head> verified = ledger_->log().VerifyChain(request->from_seq(), request->to_seq());
  if (!verified.ok()) return ToGrpc(verified.status());
  response->set_verified_from(std::max<uint64_t>(request->from_seq(), 1));
  response->set_verified_to(verified->seq);
  response->set_hash(verified->hash);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                                         grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  absl::StatusOr<Person> reader = Authorize(*context, *request, "subscribe to events");
  if (!reader.ok()) return ToGrpc(reader.status());
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
      ShowErasures(*ledger_, *reader, response);
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
  if (absl::Status s = Authorize(*context, *request, "read the back-dated entries report").status(); !s.ok()) return ToGrpc(s);
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
  if (absl::Status s = Authorize(*context, *request, "explain violations").status(); !s.ok()) return ToGrpc(s);
  const LogEventSource events(ledger_->log());
  absl::StatusOr<v1::ExplainViolationResponse> explained =
      ledger_->Read([&](const State& state) { return salesledger::ExplainViolation(state, events, *request); });
  if (!explained.ok()) return ToGrpc(explained.status());
  *response = *std::move(explained);
  return grpc::Status::OK;
}

}  // namespace salesledger
