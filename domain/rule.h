// The policy's rules (SPEC.md §6.1), by id. Violations carry one; reports print its name.
// Pure functions; thread-safe.
#ifndef SALESLEDGER_DOMAIN_RULE_H_
#define SALESLEDGER_DOMAIN_RULE_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace salesledger {

enum class Rule : uint8_t {
  kVisitLate,               // log_visit after the end of its local day
  kSubscriptionBackfilled,  // create_subscription more than the allowed lag after occurred_at
  kPaymentBackfilled,       // record/refund/transfer_payment likewise
  kAuditOverdue,            // standing: an item still unaudited, found by an inspection
  kServiceStepLate,         // record_service_step likewise
  kPlanMissing,             // standing: no sales plan or monthly feedback by its deadline
};

// "visit_late": the rule id of SPEC.md §6.1, as reports and requests spell it.
absl::string_view RuleName(Rule rule);
// The rule a name spells; nullopt for no rule.
std::optional<Rule> ParseRule(absl::string_view name);
// Found by inspections rather than by a late entry: the violation's entry is not its cause.
bool IsStanding(Rule rule);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_RULE_H_
