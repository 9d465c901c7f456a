// Deadlines of entries (SPEC.md §6.1, §6.5) and whom an entry concerns. Shared by the rules
// that fine late entries, the timeliness metrics and the auditor's back-dated report.
// Pure functions; thread-safe as their arguments are.
#ifndef SALESLEDGER_DOMAIN_DEADLINES_H_
#define SALESLEDGER_DOMAIN_DEADLINES_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/state.h"
#include "salesledger/v1/event.pb.h"
#include "salesledger/v1/policy.pb.h"

namespace salesledger {

// An entry's deadline: on time when recorded before `at` (end-of-day cutoffs) or at most at `at`
// (lags: "recorded <= N minutes after occurred_at").
struct Deadline {
  absl::Time at;
  bool inclusive;
  bool Late(absl::Time recorded) const { return inclusive ? recorded > at : recorded >= at; }
};

// The deadline of `event` under `policy`; nullopt for kinds without one.
std::optional<Deadline> DeadlineOf(const salesledger::v1::Policy& policy, const Project& project,
                                   const salesledger::v1::Event& event);

// The person an entry concerns: the named consultant for visits and customers; otherwise the actor,
// or the project's sales lead when the actor is a shared account. While the project has no sales
// lead, that is the shared account itself, which is never fined (its timeliness still counts).
std::string EntrySubject(const State& state, const Project& project, const salesledger::v1::Event& event);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DEADLINES_H_
