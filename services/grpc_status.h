// absl::Status <-> grpc::Status, in one place. The codes share their numbers.
// Pure functions; thread-safe.
#ifndef SALESLEDGER_SERVICES_GRPC_STATUS_H_
#define SALESLEDGER_SERVICES_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace salesledger {

inline grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

inline absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_GRPC_STATUS_H_
