#include "queries/documents.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "queries/read_support.h"
#include "queries/views.h"

namespace salesledger {

absl::StatusOr<v1::DocumentView> GetSubscription(const State& state, const v1::GetDocumentRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  auto it = p.subscriptions.find(request.id());
  if (it == p.subscriptions.end()) return absl::NotFoundError(absl::StrCat("subscription '", request.id(), "' not found"));
  return DocumentViewOf(p, it->second, nullptr);
}

absl::StatusOr<v1::DocumentView> GetContract(const State& state, const v1::GetDocumentRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  auto it = p.contracts.find(request.id());
  if (it == p.contracts.end()) return absl::NotFoundError(absl::StrCat("contract '", request.id(), "' not found"));
  return DocumentViewOf(p, p.subscriptions.at(it->second.subscription_id), &it->second);
}

}  // namespace salesledger
