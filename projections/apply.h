// apply: folds one event into the state (DESIGN.md). Pure and deterministic: it never reads the
// clock, so folding the same events gives the same state on any day.
#ifndef SALESLEDGER_PROJECTIONS_APPLY_H_
#define SALESLEDGER_PROJECTIONS_APPLY_H_

#include "projections/state.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// REQUIRES: event.seq() == state.head_seq + 1, and the event was accepted by Decide against
// `state` (events read back from the ledger always were).
void Apply(State& state, const salesledger::v1::Event& event);

// The event's kind: the command name of its body ("log_visit"), or "genesis".
std::string EventKind(const salesledger::v1::Event& event);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_APPLY_H_
