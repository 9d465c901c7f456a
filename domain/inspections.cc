// Inspections and waivers (SPEC.md §3.9): the inspector's daily run (its findings are made by
// rules.cc when it is applied) and the finance lead's waivers.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {

using namespace salesledger::v1;

std::optional<absl::Status> DecideInspections(const State& state, const Command& command, const DecideContext& c,
                                              Event& event) {
  switch (command.command_case()) {
    case Command::kRunInspection: {
      const auto& r = command.run_inspection();
      if (auto s = RequireRole(c.actor, {kRoleInspector}, "run_inspection"); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      StoreBody(event.mutable_run_inspection(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kWaiveViolation: {
      const auto& r = command.waive_violation();
      if (auto s = RequireRole(c.actor, {kRoleFinanceLead}, "waive_violation"); !s.ok()) return s;
      std::vector<std::string> parts = absl::StrSplit(r.violation_id(), '.');
      uint64_t seq = 0, n = 0;
      if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &seq) || !absl::SimpleAtoi(parts[1], &n) || seq == 0 ||
          n == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("field 'violation_id' must look like <seq>.<n>, e.g. 34.1; got '", r.violation_id(), "'"));
      }
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      const Violation* found = state.violations.Find(r.violation_id());
      if (found == nullptr) return absl::NotFoundError(absl::StrCat("violation '", r.violation_id(), "' not found"));
      const Violation& v = *found;
      if (v.subject_id == c.actor.person_id) {
        return absl::PermissionDeniedError(
            absl::StrCat("nobody waives their own violation; ", r.violation_id(), " is ", c.actor.person_id, "'s"));
      }
      if (v.waived) {
        return absl::FailedPreconditionError(absl::StrCat("violation ", r.violation_id(), " is already waived (seq ",
                                                          v.waiver_seq, ")"));
      }
      StoreBody(event.mutable_waive_violation(), r);
      event.set_project_id(v.project_id);
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyInspections(State& state, const Event& event) {
  switch (event.body_case()) {
    case Event::kRunInspection:
      return true;  // rules.cc makes the findings
    case Event::kWaiveViolation: {
      Violation& v = *state.violations.Find(event.waive_violation().violation_id());  // decided: it exists
      v.waived = true;
      v.waiver_seq = event.seq();
      state.violations.SetWaiver(v.violation_id, Waiver{event.waive_violation().reason(), event.actor_id()});
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
