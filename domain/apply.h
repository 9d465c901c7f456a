// apply: folds one event into the state (DESIGN.md). Pure and deterministic: it never reads the
// clock, so folding the same events gives the same state on any day. Not thread-safe: the caller
// holds `state` exclusively. Each event's own fold is its Apply<Command> function (commands.h),
// reached from one exhaustive switch in apply.cc, followed by the policy's rules (rules.h).
#ifndef SALESLEDGER_DOMAIN_APPLY_H_
#define SALESLEDGER_DOMAIN_APPLY_H_

#include <string>

#include "domain/state.h"
#include "salesledger/v1/policy.pb.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// A policy that judges some entries instead of the version they were recorded under: what-if
// replays (SPEC.md §6.3). Entries recorded in `period` (YYYY-MM, local to their project) are judged
// by `policy`; every other entry by its own version.
struct PolicyOverride {
  salesledger::v1::Policy policy;
  std::string period;
};

// REQUIRES: event.seq() == state.head_seq + 1, and the event was accepted by Decide against
// `state` (events read back from the ledger always were). `judge_by` (not owned) is for what-if
// folds only: a state folded with it is a hypothesis, never the ledger's own.
void Apply(State& state, const salesledger::v1::Event& event, const PolicyOverride* judge_by = nullptr);

// The event's kind: the command name of its body ("log_visit"), or "genesis".
std::string EventKind(const salesledger::v1::Event& event);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_APPLY_H_
