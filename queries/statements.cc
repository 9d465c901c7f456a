#include "queries/statements.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/validation.h"
#include "queries/read_support.h"
#include "queries/views.h"

namespace salesledger {

using namespace salesledger::v1;

absl::StatusOr<ListViolationsResponse> ListViolations(const State& state, const ListViolationsRequest& request) {
  size_t start = 0;
  if (!request.page_token().empty() && !absl::SimpleAtoi(request.page_token(), &start)) {
    return absl::InvalidArgumentError("field 'page_token' is not a token this server gave out");
  }
  if (!request.rule().empty() && !ParseRule(request.rule())) {
    return absl::InvalidArgumentError(absl::StrCat("field 'rule': no rule '", request.rule(),
                                                   "' (visit_late, subscription_backfilled, payment_backfilled, "
                                                   "audit_overdue, service_step_late, plan_missing)"));
  }
  ListViolationsResponse out;
  const int page = PageSize(request.page_size());
  for (size_t i = start; i < state.violations.size(); ++i) {
    const Violation& v = state.violations[i];
    if ((!request.project_id().empty() && v.project_id != request.project_id()) ||
        (!request.person_id().empty() && v.subject_id != request.person_id()) ||
        (!request.period().empty() && v.period != request.period()) ||
        (!request.rule().empty() && RuleName(v.rule) != request.rule())) {
      continue;
    }
    if (out.violations_size() == page) {
      out.set_next_page_token(absl::StrCat(i));
      break;
    }
    *out.add_violations() = ViolationViewOf(state, v);
  }
  return out;
}

absl::StatusOr<PenaltyStatement> GetPenaltyStatement(const State& state, const PenaltyStatementRequest& request) {
  RETURN_IF_ERROR(CheckFields(request, {Id("person_id"), Month("period")}));
  auto person = state.org.people.find(request.person_id());
  if (person == state.org.people.end()) {
    return absl::NotFoundError(absl::StrCat("person '", request.person_id(), "' not found"));
  }
  PenaltyStatement out;
  out.set_person_id(request.person_id());
  out.set_name(person->second.name);
  out.set_period(request.period());
  for (const Violation& v : state.violations) {
    if (v.subject_id != request.person_id() || v.period != request.period()) continue;
    *out.add_items() = ViolationViewOf(state, v);
    if (v.Counts()) out.set_total_fen(out.total_fen() + v.amount_fen);
  }
  return out;
}

std::vector<PenaltyStatement> AllPenaltyStatements(const State& state) {
  std::map<std::pair<std::string, std::string>, PenaltyStatement> by_key;
  for (const Violation& v : state.violations) {
    PenaltyStatement& s = by_key[{v.subject_id, v.period}];
    s.set_person_id(v.subject_id);
    s.set_period(v.period);
    if (auto person = state.org.people.find(v.subject_id); person != state.org.people.end()) {
      s.set_name(person->second.name);
    }
    *s.add_items() = ViolationViewOf(state, v);
    if (v.Counts()) s.set_total_fen(s.total_fen() + v.amount_fen);
  }
  std::vector<PenaltyStatement> out;
  for (auto& [key, s] : by_key) out.push_back(std::move(s));
  return out;
}

}  // namespace salesledger
