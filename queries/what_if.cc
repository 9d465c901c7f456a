#include "queries/what_if.h"

#include <map>

#include "base/status_macros.h"
#include "domain/policy.h"
#include "domain/validation.h"
#include "queries/statements.h"

namespace salesledger {

absl::StatusOr<std::vector<WhatIfRow>> WhatIf(const Refold& refold, const v1::Policy& policy, const std::string& month) {
  RETURN_IF_ERROR(CheckMonth("month", month));
  RETURN_IF_ERROR(CheckPolicy(policy));
  const PolicyOverride judge_by{policy, month};
  ASSIGN_OR_RETURN(const State actual, refold(nullptr));
  ASSIGN_OR_RETURN(const State judged, refold(&judge_by));
  std::map<std::string, WhatIfRow> rows;
  for (const auto& s : AllPenaltyStatements(actual)) {
    if (s.period() != month) continue;
    rows[s.person_id()].actual_fen = s.total_fen();
    rows[s.person_id()].actual_items = s.items_size();
  }
  for (const auto& s : AllPenaltyStatements(judged)) {
    if (s.period() != month) continue;
    rows[s.person_id()].what_if_fen = s.total_fen();
    rows[s.person_id()].what_if_items = s.items_size();
  }
  std::vector<WhatIfRow> out;
  for (auto& [person, row] : rows) {
    row.person_id = person;
    out.push_back(row);
  }
  return out;
}

}  // namespace salesledger
