// Read-your-writes on any node of a cluster (issue 19): a call that carries the metadata
// `x-salesledger-min-seq: N` (the seq of the caller's own earlier entry) is served only once this
// node's published state holds event N. It waits for that up to the call's deadline, at most
// kMaxMinSeqWait; if the replica is still behind then, the call fails UNAVAILABLE saying how far
// it is, and the caller retries (here or on another node). A malformed value is INVALID_ARGUMENT.
// Calls without the header are untouched.
// Thread-safe: gRPC makes one interceptor per call.
#ifndef SALESLEDGER_SERVICES_MIN_SEQ_INTERCEPTOR_H_
#define SALESLEDGER_SERVICES_MIN_SEQ_INTERCEPTOR_H_

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "services/ledger.h"

namespace salesledger {

inline constexpr char kMinSeqHeader[] = "x-salesledger-min-seq";
inline constexpr absl::Duration kMaxMinSeqWait = absl::Seconds(10);

// `ledger` is not owned and must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMinSeqInterceptorFactory(const Ledger* ledger);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_MIN_SEQ_INTERCEPTOR_H_
