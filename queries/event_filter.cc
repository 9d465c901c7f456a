#include "queries/event_filter.h"

#include "base/time_proto.h"
#include "domain/apply.h"

namespace salesledger {

using v1::Event;

bool MatchesFilters(const v1::ReadEventsRequest& r, const Event& e) {
  if (!r.project_id().empty() && e.project_id() != r.project_id()) return false;
  if (!r.actor_id().empty() && e.actor_id() != r.actor_id()) return false;
  if (!r.kind().empty() && EventKind(e) != r.kind()) return false;
  if (!r.subject_id().empty()) {
    const std::string subject = e.has_log_visit()           ? e.log_visit().consultant_id()
                                : e.has_register_customer() ? e.register_customer().consultant_id()
                                                            : e.actor_id();
    if (subject != r.subject_id()) return false;
  }
  const absl::Time recorded = FromProto(e.recorded_at()), occurred = FromProto(e.occurred_at());
  if (r.has_recorded_from() && recorded < FromProto(r.recorded_from())) return false;
  if (r.has_recorded_to() && recorded >= FromProto(r.recorded_to())) return false;
  if (r.has_occurred_from() && occurred < FromProto(r.occurred_from())) return false;
  if (r.has_occurred_to() && occurred >= FromProto(r.occurred_to())) return false;
  return true;
}

}  // namespace salesledger
