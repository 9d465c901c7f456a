// Authentication and role checks for gRPC calls (SPEC.md §1, §4, §9).
#ifndef SALESLEDGER_SERVICES_AUTH_H_
#define SALESLEDGER_SERVICES_AUTH_H_

#include <initializer_list>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "domain/org_state.h"
#include "services/ledger.h"

namespace salesledger {

// The principal behind the call's `authorization: Bearer <token>` header; UNAUTHENTICATED when
// the header is missing, malformed, or names an unknown or revoked token.
absl::StatusOr<Person> AuthenticateCall(const grpc::ServerContext& context, const Ledger& ledger);

// PERMISSION_DENIED unless `person` holds one of `roles`; the message names what is needed.
absl::Status RequireAnyRole(const Person& person, std::initializer_list<const char*> roles,
                            absl::string_view action);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_AUTH_H_
