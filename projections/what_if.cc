#include "projections/what_if.h"

#include <map>

#include "ledger/status_macros.h"
#include "projections/apply.h"
#include "projections/policy.h"
#include "projections/queries.h"
#include "projections/validation.h"

namespace salesledger {

absl::StatusOr<std::vector<WhatIfRow>> WhatIf(const EventLog& log, const v1::Policy& policy, const std::string& month) {
  RETURN_IF_ERROR(CheckMonth("month", month));
  RETURN_IF_ERROR(CheckPolicy(policy));
  State actual, what_if;
  what_if.what_if_policy = policy;
  what_if.what_if_period = month;
  v1::Event event;
  absl::Status bad;
  RETURN_IF_ERROR(log.Read(1, 0, [&](const StoredEvent& e) {
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = absl::DataLossError("an event cannot be decoded");
      return false;
    }
    Apply(actual, event);
    Apply(what_if, event);
    return true;
  }));
  RETURN_IF_ERROR(bad);
  std::map<std::string, WhatIfRow> rows;
  for (const auto& s : AllPenaltyStatements(actual)) {
    if (s.period() != month) continue;
    rows[s.person_id()].actual_fen = s.total_fen();
    rows[s.person_id()].actual_items = s.items_size();
  }
  for (const auto& s : AllPenaltyStatements(what_if)) {
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
