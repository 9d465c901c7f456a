#include "domain/rule.h"

namespace salesledger {

absl::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kVisitLate: return "visit_late";
    case Rule::kSubscriptionBackfilled: return "subscription_backfilled";
    case Rule::kPaymentBackfilled: return "payment_backfilled";
    case Rule::kAuditOverdue: return "audit_overdue";
    case Rule::kServiceStepLate: return "service_step_late";
    case Rule::kPlanMissing: return "plan_missing";
  }
  return "?";
}

std::optional<Rule> ParseRule(absl::string_view name) {
  for (Rule r : {Rule::kVisitLate, Rule::kSubscriptionBackfilled, Rule::kPaymentBackfilled, Rule::kAuditOverdue,
                 Rule::kServiceStepLate, Rule::kPlanMissing}) {
    if (RuleName(r) == name) return r;
  }
  return std::nullopt;
}

bool IsStanding(Rule rule) {
  switch (rule) {
    case Rule::kAuditOverdue:
    case Rule::kPlanMissing:
      return true;
    case Rule::kVisitLate:
    case Rule::kSubscriptionBackfilled:
    case Rule::kPaymentBackfilled:
    case Rule::kServiceStepLate:
      return false;
  }
  return false;
}

}  // namespace salesledger
