// Authentication of gRPC calls (SPEC.md §4, §9); who may then do what is domain/access.h.
// Thread-safe.
#ifndef SALESLEDGER_SERVICES_AUTH_H_
#define SALESLEDGER_SERVICES_AUTH_H_

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "services/ledger.h"

namespace salesledger {

// The principal behind the call's `authorization: Bearer <token>` header; UNAUTHENTICATED when
// the header is missing, malformed, or names an unknown, revoked or expired token.
absl::StatusOr<Person> AuthenticateCall(const grpc::ServerContext& context, const Ledger& ledger);
// The same, with the id of the token the call carries (rotate_token replaces that one).
absl::StatusOr<Ledger::Principal> AuthenticateCallToken(const grpc::ServerContext& context, const Ledger& ledger);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_AUTH_H_
