#include "queries/backdated.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "base/period.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/apply.h"
#include "domain/deadlines.h"

namespace salesledger {

absl::StatusOr<v1::FindBackdatedResponse> FindBackdated(const State& state, const EventSource& events,
                                                        const v1::FindBackdatedRequest& request) {
  if (request.min_lag_seconds() < 0) return absl::InvalidArgumentError("field 'min_lag_seconds' must be 0 or more");
  const size_t limit = request.limit() <= 0 ? 100 : std::min(request.limit(), 10000);
  std::multimap<uint64_t, std::string> caused;  // entry seq -> violation ids
  for (const Violation& v : state.violations) {
    if (v.entry_seq == v.event_seq) caused.emplace(v.entry_seq, v.violation_id);
  }
  std::vector<v1::BackdatedEntry> found;
  RETURN_IF_ERROR(events.Scan(1, state.head_seq, [&](const v1::Event& event) {
    const Project* project = state.FindProject(event.project_id());
    if (project == nullptr || !event.has_occurred_at()) return true;
    const absl::Time recorded = FromProto(event.recorded_at());
    const int64_t lag = absl::ToInt64Seconds(recorded - FromProto(event.occurred_at()));
    if (lag <= request.min_lag_seconds()) return true;
    if (!request.project_id().empty() && event.project_id() != request.project_id()) return true;
    if (!request.period().empty() && Period(recorded, project->zone) != request.period()) return true;
    const std::string subject = EntrySubject(state, *project, event);
    if (!request.subject_id().empty() && subject != request.subject_id()) return true;
    v1::BackdatedEntry entry;
    entry.set_seq(event.seq());
    entry.set_kind(EventKind(event));
    entry.set_project_id(event.project_id());
    entry.set_actor_id(event.actor_id());
    entry.set_subject_id(subject);
    *entry.mutable_occurred_at() = event.occurred_at();
    *entry.mutable_recorded_at() = event.recorded_at();
    entry.set_lag_seconds(lag);
    if (event.policy_version() >= 1 && event.policy_version() <= state.policies.size()) {
      if (auto deadline = DeadlineOf(state.policies[event.policy_version() - 1], *project, event)) {
        *entry.mutable_deadline() = ToProto(deadline->at);
        entry.set_late(deadline->Late(recorded));
      }
    }
    for (auto [it, end] = caused.equal_range(event.seq()); it != end; ++it) entry.add_violation_ids(it->second);
    if (const VoidableEntry* v = project->voidable.Find(event.seq())) entry.set_voided(v->voided);
    found.push_back(std::move(entry));
    return true;
  }));
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.lag_seconds() > b.lag_seconds(); });
  v1::FindBackdatedResponse out;
  for (size_t i = 0; i < found.size() && i < limit; ++i) *out.add_entries() = std::move(found[i]);
  return out;
}

}  // namespace salesledger
