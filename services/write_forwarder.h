// WriteForwarder: how a follower of a replicated cluster (issue 19) takes an entry. It sends the
// commands to the node that writes, as one SubmitBatch carrying the caller's own authorization
// header and deadline, and answers with exactly what the writer answered, so that a client may
// call any node. The writer authenticates and decides; the follower judges nothing itself (its
// replica may lag behind a token just issued).
//
// A forwarded call is marked, and a node never forwards a marked call again: a node that lost the
// writer role while the call was on its way answers UNAVAILABLE, and the client retries with the
// same request_id.
//
// Thread-safety: Forward may be called from gRPC's threads concurrently.
#ifndef SALESLEDGER_SERVICES_WRITE_FORWARDER_H_
#define SALESLEDGER_SERVICES_WRITE_FORWARDER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/cluster_node.h"

namespace salesledger {

class WriteForwarder {
 public:
  explicit WriteForwarder(const ClusterNode* node) : node_(node) {}  // not owned

  // nullopt when this node should run the commands itself: it writes, or the call was already
  // forwarded to it. Otherwise the writer's answers (one per command), or UNAVAILABLE when no
  // writer is known or it cannot be reached — the entries may or may not have been taken, so the
  // message says to retry with the same request_ids.
  std::optional<absl::StatusOr<v1::CommandBatchResponse>> Forward(const grpc::ServerContext& context,
                                                                   const v1::CommandBatch& batch);

  // Whether Forward would send a call with this context to the writer just now.
  bool ShouldForward(const grpc::ServerContext& context) const;

 private:
  std::shared_ptr<v1::EntryService::Stub> StubFor(const std::string& address);

  const ClusterNode* node_;
  absl::Mutex mu_;
  std::string address_ ABSL_GUARDED_BY(mu_);  // the writer the stub talks to
  std::shared_ptr<v1::EntryService::Stub> stub_ ABSL_GUARDED_BY(mu_);
};

// The metadata key a forwarded call carries.
inline constexpr char kForwardedHeader[] = "x-salesledger-forwarded-by";

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_WRITE_FORWARDER_H_
