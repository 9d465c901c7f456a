#include "services/audit_service.h"

#include "absl/strings/str_cat.h"
#include "ledger/status_macros.h"
#include "ledger/time_proto.h"
#include "services/auth.h"
#include "services/grpc_status.h"

namespace salesledger {

using salesledger::v1::Event;

absl::Status AuditServiceImpl::Authorize(const grpc::ServerContext& context,
                                         absl::string_view action) const {
  absl::StatusOr<Person> person = AuthenticateCall(context, *ledger_);
  if (!person.ok()) return person.status();
  return RequireAnyRole(*person, {kRoleAuditor, kRoleAdmin, kRoleFinanceLead}, action);
}

grpc::Status AuditServiceImpl::GetHead(grpc::ServerContext* context, const v1::GetHeadRequest*,
                                       v1::GetHeadResponse* response) {
  if (absl::Status s = Authorize(*context, "read the ledger head"); !s.ok()) return ToGrpc(s);
  const Head head = ledger_->log().GetHead();
  response->set_seq(head.seq);
  response->set_hash(head.hash);
  *response->mutable_recorded_at() = ToProto(head.recorded_at);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  if (absl::Status s = Authorize(*context, "read events"); !s.ok()) return ToGrpc(s);
  v1::ReadEventsResponse response;
  absl::Status failure;
  absl::Status read = ledger_->log().Read(request->from_seq(), request->to_seq(), [&](const StoredEvent& e) {
    if (context->IsCancelled()) {
      failure = absl::CancelledError("the client cancelled the read");
      return false;
    }
    response.Clear();
    Event* event = response.mutable_event();
    if (!event->ParseFromArray(e.bytes.data(), e.bytes.size())) {
      failure = absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
      return false;
    }
    event->set_hash(e.hash.data(), e.hash.size());
    if (request->include_raw()) response.set_raw(e.bytes.data(), e.bytes.size());
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
  if (absl::Status s = Authorize(*context, "verify the chain"); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Head> verified = ledger_->log().VerifyChain(request->from_seq(), request->to_seq());
  if (!verified.ok()) return ToGrpc(verified.status());
  response->set_verified_from(std::max<uint64_t>(request->from_seq(), 1));
  response->set_verified_to(verified->seq);
  response->set_hash(verified->hash);
  return grpc::Status::OK;
}

}  // namespace salesledger
