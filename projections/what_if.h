// What-if (SPEC.md §6.3, §7): a month's penalty statements had another policy been in force for
// the entries recorded that month. Replays the log without writing anything.
#ifndef SALESLEDGER_PROJECTIONS_WHAT_IF_H_
#define SALESLEDGER_PROJECTIONS_WHAT_IF_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/event_log.h"
#include "salesledger/v1/policy.pb.h"

namespace salesledger {

struct WhatIfRow {
  std::string person_id;
  int64_t actual_fen = 0;      // the statement's total as recorded
  int64_t what_if_fen = 0;     // under the other policy
  int actual_items = 0, what_if_items = 0;
};

// One row per person with a violation in `month` under either policy, sorted by person.
// INVALID_ARGUMENT for a malformed month or policy.
absl::StatusOr<std::vector<WhatIfRow>> WhatIf(const EventLog& log, const salesledger::v1::Policy& policy,
                                              const std::string& month);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_WHAT_IF_H_
