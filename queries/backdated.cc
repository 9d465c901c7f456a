#include "queries/backdated.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/period.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/apply.h"
#include "domain/deadlines.h"

namespace salesledger {
namespace {

// The document an entry prints as, if it prints as one (SPEC.md §3.11).
std::optional<std::string> DocumentOf(const v1::Event& event) {
  switch (event.body_case()) {
    case v1::Event::kRecordPayment:
      return PrintKey(v1::DocumentKind::RECEIPT, event.record_payment().payment_id());
    case v1::Event::kRefundPayment:
      return PrintKey(v1::DocumentKind::REFUND_RECEIPT, event.refund_payment().refund_id());
    case v1::Event::kCreateSubscription:
      return PrintKey(v1::DocumentKind::SUBSCRIPTION, event.create_subscription().subscription_id());
    default:
      return std::nullopt;
  }
}

}  // namespace

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
    if (std::optional<std::string> document = DocumentOf(event)) {
      if (auto prints = project->prints.find(*document); prints != project->prints.end()) {
        entry.set_prints(prints->second.copies);
        *entry.mutable_first_printed_at() = ToProto(prints->second.first_at);
        entry.set_print_lag_seconds(absl::ToInt64Seconds(prints->second.first_at.time() - recorded));
      }
    }
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
