// Subscriptions and contracts with their payments, changes, audit and service progress (SPEC.md
// §5: GetSubscription, GetContract). Pure functions of the state.
#ifndef SALESLEDGER_QUERIES_DOCUMENTS_H_
#define SALESLEDGER_QUERIES_DOCUMENTS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

absl::StatusOr<v1::DocumentView> GetSubscription(const State& state, const v1::GetDocumentRequest& request);
absl::StatusOr<v1::DocumentView> GetContract(const State& state, const v1::GetDocumentRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_DOCUMENTS_H_
