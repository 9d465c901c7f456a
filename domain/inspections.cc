// Inspections and waivers (SPEC.md §3.9): the inspector's daily run (its findings are made by
// rules.cc when it is applied) and the finance lead's waivers.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger {

using namespace salesledger::v1;

absl::Status DecideRunInspection(const State& state, const RunInspectionRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(AccessProject(state, c.actor, r.project_id()).status());
  Record(event, event.mutable_run_inspection(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRunInspection(State&, const Event&, const RunInspectionRequest&) {}  // rules.cc makes the findings

absl::Status DecideWaiveViolation(const State& state, const WaiveViolationRequest& r, const DecideContext& c,
                                  Event& event) {
  std::vector<std::string> parts = absl::StrSplit(r.violation_id(), '.');
  uint64_t seq = 0, n = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &seq) || !absl::SimpleAtoi(parts[1], &n) || seq == 0 || n == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'violation_id' must look like <seq>.<n>, e.g. 34.1; got '", r.violation_id(), "'"));
  }
  RETURN_IF_ERROR(CheckFields(r, {Text("reason")}));
  const Violation* v = state.violations.Find(r.violation_id());
  if (v == nullptr) return absl::NotFoundError(absl::StrCat("violation '", r.violation_id(), "' not found"));
  if (v->subject_id == c.actor.person_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("nobody waives their own violation; ", r.violation_id(), " is ", c.actor.person_id, "'s"));
  }
  if (v->waived) {
    const Waiver* waiver = state.violations.WaiverOf(r.violation_id());
    return absl::FailedPreconditionError(absl::StrCat("violation ", r.violation_id(), " is already waived (seq ",
                                                      v->waiver_seq, waiver ? absl::StrCat(", by ", waiver->waived_by.str()) : "",
                                                      ")"));
  }
  Record(event, event.mutable_waive_violation(), r, v->project_id.str());
  return absl::OkStatus();
}

void ApplyWaiveViolation(State& state, const Event& event, const WaiveViolationRequest& b) {
  Violation& v = *state.violations.Find(b.violation_id());  // decided: it exists
  v.waived = true;
  v.waiver_seq = event.seq();
  state.violations.SetWaiver(v.violation_id, Waiver{b.reason(), event.actor_id()});
}

}  // namespace salesledger
