// The auditor's report of back-dated entries (SPEC.md §5 FindBackdated, §7 `ledgerctl backdated`):
// every entry of `events` up to the state's head whose recorded_at - occurred_at exceeds the
// threshold, worst first, with its subject, deadline and the violations it caused. Reads every
// event once; the state supplies what derived facts it needs.
// Pure but for the events it reads; thread-safe as its arguments are.
#ifndef SALESLEDGER_QUERIES_BACKDATED_H_
#define SALESLEDGER_QUERIES_BACKDATED_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "queries/event_source.h"
#include "salesledger/v1/audit.pb.h"

namespace salesledger {

// REQUIRES: `state` is the fold of `events` 1..state.head_seq.
absl::StatusOr<v1::FindBackdatedResponse> FindBackdated(const State& state, const EventSource& events,
                                                        const v1::FindBackdatedRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_BACKDATED_H_
