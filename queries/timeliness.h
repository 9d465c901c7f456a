// Timeliness (SPEC.md §6.5, GetTimeliness): per project, subject, entry kind and month of
// recorded_at: entries, late entries, on-time rate and lag percentiles, rolled up per role and per
// project. Who may read whose rows is the service's business (domain/access.h). Pure.
#ifndef SALESLEDGER_QUERIES_TIMELINESS_H_
#define SALESLEDGER_QUERIES_TIMELINESS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

absl::StatusOr<v1::TimelinessResponse> GetTimeliness(const State& state, const v1::TimelinessRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_TIMELINESS_H_
