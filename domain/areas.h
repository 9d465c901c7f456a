// The areas of the domain (DESIGN.md): each decides its own commands and applies its own events.
// Internal to projections/; decide.cc and apply.cc dispatch to them.
//
// DecideX returns nullopt when the command is not one of its area's; ApplyX returns false when the
// event is not one of its area's.
#ifndef SALESLEDGER_DOMAIN_AREAS_H_
#define SALESLEDGER_DOMAIN_AREAS_H_

#include <optional>

#include "absl/status/status.h"
#include "domain/apply.h"
#include "domain/decide.h"
#include "domain/state.h"

namespace salesledger::areas {

using salesledger::v1::Command;
using salesledger::v1::Event;

#define SL_AREA(Name)                                                                              \
  std::optional<absl::Status> Decide##Name(const State& state, const Command& command,            \
                                           const DecideContext& context, Event& event);            \
  bool Apply##Name(State& state, const Event& event)

SL_AREA(Org);          // org.cc: projects, people, tokens, policy
SL_AREA(Setup);        // setup.cc: units, payment plans, review and confirmation, holds
SL_AREA(Customers);    // customers.cc: customers and visits
SL_AREA(Sales);        // sales.cc: reservations, subscriptions, contracts, changes
SL_AREA(Money);        // money.cc: payments, refunds, transfers
SL_AREA(Audit);        // audit.cc: audits, locks, invoices
SL_AREA(Services);     // services.cc: contract filing, mortgage, ... handover steps
SL_AREA(Plans);        // plans.cc: sales plans, feedback, marketing spend, competitors
SL_AREA(Voids);        // voids.cc: void requests and decisions
SL_AREA(Inspections);  // inspections.cc: inspections and waivers

#undef SL_AREA

// rules.cc: the policy's deadline rules, run by Apply after every event. Records violations and
// marks what inspections found.
void ApplyRules(State& state, const Event& event, const PolicyOverride* judge_by);

}  // namespace salesledger::areas

#endif  // SALESLEDGER_DOMAIN_AREAS_H_
