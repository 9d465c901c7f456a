#include "queries/timeliness.h"

#include <map>
#include <tuple>

#include "base/status_macros.h"
#include "domain/validation.h"
#include "queries/read_support.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

struct Acc {
  int64_t entries = 0, late = 0, excused = 0;
  std::vector<uint32_t> lags;
};

TimelinessRow Row(const std::string& project, const std::string& person, const std::string& kind,
                  const std::string& period, int64_t entries, int64_t late, int64_t excused,
                  const std::vector<uint32_t>& lags) {
  TimelinessRow r;
  r.set_project_id(project);
  r.set_person_id(person);
  r.set_kind(kind);
  r.set_period(period);
  r.set_entries(entries);
  r.set_late(late);
  r.set_on_time_bp(entries == 0 ? 10000 : (entries - late) * 10000 / entries);
  r.set_lag_p50_s(Percentile(lags, 50));
  r.set_lag_p90_s(Percentile(lags, 90));
  r.set_lag_max_s(Percentile(lags, 100));
  r.set_excused(excused);
  return r;
}

}  // namespace

absl::StatusOr<TimelinessResponse> GetTimeliness(const State& state, const TimelinessRequest& request) {
  if (!request.period().empty()) RETURN_IF_ERROR(CheckMonth("period", request.period()));
  std::map<std::tuple<std::string, std::string, std::string>, Acc> by_role, by_project;
  TimelinessResponse out;
  for (const auto& [key, cell] : state.timeliness) {
    if (!request.project_id().empty() && key.project_id != request.project_id()) continue;
    if (!request.period().empty() && key.period != request.period()) continue;
    if (!request.person_id().empty() && key.person_id != request.person_id()) continue;
    // Late entries whose deadline fell inside an outage stay late, and are counted as excused too.
    int64_t excused = 0;
    if (!state.outages.empty()) {
      for (const CompactTime& deadline : cell.late_deadlines) {
        if (state.ExcusingOutage(key.project_id, deadline) != nullptr) ++excused;
      }
    }
    *out.add_rows() = Row(key.project_id, key.person_id, key.kind, key.period, cell.entries, cell.late, excused,
                          cell.lag_seconds);
    auto add = [&cell = cell, excused](Acc& a) {
      a.entries += cell.entries;
      a.late += cell.late;
      a.excused += excused;
      a.lags.insert(a.lags.end(), cell.lag_seconds.begin(), cell.lag_seconds.end());
    };
    if (auto person = state.org.people.find(key.person_id); person != state.org.people.end()) {
      for (v1::Role role : person->second.roles.list()) add(by_role[{key.project_id, v1::Role_Name(role), key.period}]);
    }
    add(by_project[{key.project_id, "*", key.period}]);
  }
  for (const auto& [k, a] : by_role) *out.add_by_role() = Row(std::get<0>(k), std::get<1>(k), "*", std::get<2>(k), a.entries, a.late, a.excused, a.lags);
  for (const auto& [k, a] : by_project) *out.add_by_project() = Row(std::get<0>(k), "*", "*", std::get<2>(k), a.entries, a.late, a.excused, a.lags);
  return out;
}

}  // namespace salesledger
