// Units and the 销控表 (SPEC.md §5: GetUnit, ListUnits). Pure functions of the state.
#ifndef SALESLEDGER_QUERIES_UNITS_H_
#define SALESLEDGER_QUERIES_UNITS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

absl::StatusOr<v1::UnitView> GetUnit(const State& state, const v1::GetUnitRequest& request);
// The counts by status cover every unit of the building filter, not just the page.
absl::StatusOr<v1::ListUnitsResponse> ListUnits(const State& state, const v1::ListUnitsRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_UNITS_H_
