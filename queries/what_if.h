// What-if (SPEC.md §6.3, §7): a month's penalty statements had another policy been in force for
// the entries recorded that month. Nothing is written: the log is folded afresh twice, once as it
// was judged and once judged by the other policy, and the two states' statements are compared.
// Thread-safety: WhatIf calls `refold` on the calling thread only.
#ifndef SALESLEDGER_QUERIES_WHAT_IF_H_
#define SALESLEDGER_QUERIES_WHAT_IF_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/apply.h"
#include "domain/state.h"
#include "salesledger/v1/policy.pb.h"

namespace salesledger {

struct WhatIfRow {
  std::string person_id;
  int64_t actual_fen = 0;      // the statement's total as recorded
  int64_t what_if_fen = 0;     // under the other policy
  int actual_items = 0, what_if_items = 0;
};

// Folds the whole log afresh into a new state, judging entries by `judge_by` when it is set (the
// fold engine's FoldFromScratch). Called twice, never concurrently.
using Refold = std::function<absl::StatusOr<State>(const PolicyOverride* judge_by)>;

// One row per person with a violation in `month` under either policy, sorted by person.
// INVALID_ARGUMENT for a malformed month or policy; a fold's error as it is.
absl::StatusOr<std::vector<WhatIfRow>> WhatIf(const Refold& refold, const salesledger::v1::Policy& policy,
                                              const std::string& month);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_WHAT_IF_H_
