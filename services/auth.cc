#include "services/auth.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace salesledger {

absl::StatusOr<Ledger::Principal> AuthenticateCallToken(const grpc::ServerContext& context, const Ledger& ledger) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing 'authorization: Bearer <token>' metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer) || value.size() == kBearer.size()) {
    return absl::UnauthenticatedError("the authorization metadata must be 'Bearer <token>'");
  }
  return ledger.AuthenticateToken(value.substr(kBearer.size()));
}

absl::StatusOr<Person> AuthenticateCall(const grpc::ServerContext& context, const Ledger& ledger) {
  absl::StatusOr<Ledger::Principal> principal = AuthenticateCallToken(context, ledger);
  if (!principal.ok()) return principal.status();
  return std::move(principal->person);
}

}  // namespace salesledger
