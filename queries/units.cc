#include "queries/units.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "queries/read_support.h"
#include "queries/views.h"

namespace salesledger {

absl::StatusOr<v1::UnitView> GetUnit(const State& state, const v1::GetUnitRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  auto it = p.units.find(request.unit_id());
  if (it == p.units.end()) return absl::NotFoundError(absl::StrCat("unit '", request.unit_id(), "' not found"));
  return UnitViewOf(p, it->second);
}

absl::StatusOr<v1::ListUnitsResponse> ListUnits(const State& state, const v1::ListUnitsRequest& request) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  v1::ListUnitsResponse out;
  const int page = PageSize(request.page_size());
  for (const auto& [id, u] : p.units) {
    if (request.building().empty() || u.building == request.building()) {
      (*out.mutable_counts_by_status())[UnitStatusName(u.status)]++;
    }
  }
  for (auto it = p.units.upper_bound(request.page_token()); it != p.units.end(); ++it) {
    const Unit& u = it->second;
    if (!request.building().empty() && u.building != request.building()) continue;
    if (!request.status().empty() && request.status() != UnitStatusName(u.status)) continue;
    if (out.units_size() == page) {
      out.set_next_page_token(out.units(page - 1).unit_id());
      break;
    }
    *out.add_units() = UnitViewOf(p, u);
  }
  return out;
}

}  // namespace salesledger
