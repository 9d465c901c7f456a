// Violations and penalty statements (SPEC.md §6.6: ListViolations, GetPenaltyStatement). A
// statement lists a person's violations of a month, waived ones marked, and totals the unwaived.
// Pure functions of the state.
#ifndef SALESLEDGER_QUERIES_STATEMENTS_H_
#define SALESLEDGER_QUERIES_STATEMENTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

// In the order they arose; INVALID_ARGUMENT for a rule filter that names no rule.
absl::StatusOr<v1::ListViolationsResponse> ListViolations(const State& state, const v1::ListViolationsRequest& request);
absl::StatusOr<v1::PenaltyStatement> GetPenaltyStatement(const State& state, const v1::PenaltyStatementRequest& request);

// Every (person, period) that has a violation, sorted: the statements a scenario report lists.
std::vector<v1::PenaltyStatement> AllPenaltyStatements(const State& state);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_STATEMENTS_H_
