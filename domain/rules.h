// The policy's rules (SPEC.md §6): the deadlines of entries, the daily inspection's standing rules,
// violations with their ids, and timeliness. Internal to domain/: Apply runs them after folding
// every event, so violations are part of the derived state and never depend on when a fold runs.
// Not thread-safe: writes `state`, which the caller holds exclusively (as for Apply).
#ifndef SALESLEDGER_DOMAIN_RULES_H_
#define SALESLEDGER_DOMAIN_RULES_H_

#include "domain/apply.h"
#include "domain/state.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// Judges `event` (already folded into `state`) by the policy version it was recorded under, or
// by `judge_by` when that covers it: records timeliness, raises violations, marks what an
// inspection found.
void ApplyRules(State& state, const v1::Event& event, const PolicyOverride* judge_by);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_RULES_H_
