// One violation explained (SPEC.md §5 ExplainViolation): its rule, parameters and policy
// version, the events behind it (the cause, the entry it concerns, the waiver) and a sentence a
// clerk can read.
// Pure but for the events it reads; thread-safe as its arguments are.
#ifndef SALESLEDGER_QUERIES_EXPLAIN_H_
#define SALESLEDGER_QUERIES_EXPLAIN_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "queries/event_source.h"
#include "salesledger/v1/audit.pb.h"

namespace salesledger {

// NOT_FOUND for an unknown violation. REQUIRES: `state` is a fold of `events`.
absl::StatusOr<v1::ExplainViolationResponse> ExplainViolation(const State& state, const EventSource& events,
                                                              const v1::ExplainViolationRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_EXPLAIN_H_
