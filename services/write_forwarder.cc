#include "services/write_forwarder.h"

#include "absl/strings/str_cat.h"
#include "base/time_proto.h"

namespace salesledger {

std::shared_ptr<v1::EntryService::Stub> WriteForwarder::StubFor(const std::string& address) {
  absl::MutexLock lock(&mu_);
  if (stub_ == nullptr || address_ != address) {
    address_ = address;
    stub_ = v1::EntryService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  return stub_;
}

bool WriteForwarder::ShouldForward(const grpc::ServerContext& context) const {
  return context.client_metadata().count(kForwardedHeader) == 0 && !node_->GetStatus().writer;
}

std::optional<absl::StatusOr<v1::CommandBatchResponse>> WriteForwarder::Forward(const grpc::ServerContext& context,
                                                                                const v1::CommandBatch& batch) {
  const auto& metadata = context.client_metadata();
  if (metadata.find(kForwardedHeader) != metadata.end()) return std::nullopt;
  const ClusterNode::Status status = node_->GetStatus();
  if (status.writer) return std::nullopt;
  if (status.lease.node.empty() || status.lease.expired || status.lease.address.empty()) {
    return absl::StatusOr<v1::CommandBatchResponse>(absl::UnavailableError(absl::StrCat(
        "node ", status.node, " does not write and no node holds the writer role just now (a failover is under way); "
        "retry with the same request_id in a few seconds")));
  }
  grpc::ClientContext forwarded;
  forwarded.set_deadline(context.deadline());
  forwarded.AddMetadata(kForwardedHeader, status.node);
  if (auto auth = metadata.find("authorization"); auth != metadata.end()) {
    forwarded.AddMetadata("authorization", std::string(auth->second.data(), auth->second.size()));
  }
  v1::CommandBatchResponse response;
  const grpc::Status s = StubFor(status.lease.address)->SubmitBatch(&forwarded, batch, &response);
  const bool unknown = s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                       s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                       s.error_code() == grpc::StatusCode::CANCELLED || s.error_code() == grpc::StatusCode::UNKNOWN ||
                       s.error_code() == grpc::StatusCode::INTERNAL;
  if (!s.ok() && !unknown) {
    // The writer refused the call as a whole (authentication, size): its answer, as it gave it.
    return absl::StatusOr<v1::CommandBatchResponse>(
        absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message()));
  }
  if (!s.ok()) {
    return absl::StatusOr<v1::CommandBatchResponse>(absl::Status(
        s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? absl::StatusCode::kDeadlineExceeded
                                                              : absl::StatusCode::kUnavailable,
        absl::StrCat("node ", status.node, " sent the entry to the writer, node ", status.lease.node, " at ",
                     status.lease.address, ", which answered ", s.error_message(),
                     "; whether it was taken is unknown: retry with the same request_id")));
  }
  return absl::StatusOr<v1::CommandBatchResponse>(std::move(response));
}

}  // namespace salesledger
