#include "domain/deadlines.h"

#include "base/time_proto.h"

namespace salesledger {

using salesledger::v1::Event;
using salesledger::v1::Policy;

// An entry's deadline: on time when recorded before `at` (end-of-day cutoffs) or at most at `at`
// (lags: "recorded <= N minutes after occurred_at").
std::optional<Deadline> DeadlineOf(const Policy& policy, const Project& project, const Event& event) {
  const absl::Time occurred = FromProto(event.occurred_at());
  auto end_of_day = [&] {
    const absl::CivilDay day = absl::ToCivilDay(occurred, project.zone);
    return Deadline{
        absl::FromCivil(absl::CivilMinute(day) + policy.visit_late().cutoff_minute_of_day(), project.zone), false};
  };
  auto lag = [&](int64_t minutes) { return Deadline{occurred + absl::Minutes(minutes), true}; };
  switch (event.body_case()) {
    case Event::kLogVisit:
    case Event::kRegisterCustomer:
      return end_of_day();
    case Event::kCreateSubscription:
      return lag(policy.subscription_backfilled().max_lag_minutes());
    case Event::kRecordPayment:
    case Event::kRefundPayment:
    case Event::kTransferPayment:
      return lag(policy.payment_backfilled().max_lag_minutes());
    case Event::kRecordServiceStep:
      return lag(policy.service_step_late().max_lag_minutes());
    case Event::kReserveUnit:
      return lag(policy.reserve_unit_minutes());
    case Event::kSignContract:
      return lag(policy.sign_contract_minutes());
    case Event::kRequestChange:
      return lag(policy.request_change_minutes());
    default:
      return std::nullopt;
  }
}

std::string EntrySubject(const State& state, const Project& project, const Event& event) {
  if (event.has_log_visit()) return event.log_visit().consultant_id();
  if (event.has_register_customer()) return event.register_customer().consultant_id();
  auto actor = state.org.people.find(event.actor_id());
  if (actor != state.org.people.end() && actor->second.shared) {
    return project.sales_lead_id.empty() ? event.actor_id() : project.sales_lead_id;
  }
  return event.actor_id();
}

}  // namespace salesledger
