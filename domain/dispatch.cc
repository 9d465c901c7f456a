// Decide and Apply: route each command and event to its area (areas.h).
#include "absl/strings/str_cat.h"
#include "domain/apply.h"
#include "domain/areas.h"
#include "domain/decide.h"

namespace salesledger {

using salesledger::v1::Command;
using salesledger::v1::Event;

absl::Status Decide(const State& state, const Command& command, const DecideContext& context, Event& event) {
  using Decider = std::optional<absl::Status> (*)(const State&, const Command&, const DecideContext&, Event&);
  static constexpr Decider kAreas[] = {
      areas::DecideOrg,   areas::DecideSetup, areas::DecideCustomers, areas::DecideSales,    areas::DecideMoney,
      areas::DecideAudit, areas::DecideServices, areas::DecidePlans,  areas::DecideVoids, areas::DecideInspections,
  };
  for (Decider decide : kAreas) {
    if (std::optional<absl::Status> decided = decide(state, command, context, event)) return *decided;
  }
  return absl::InvalidArgumentError("the request names no command");
}

void Apply(State& state, const Event& event, const PolicyOverride* judge_by) {
  using Applier = bool (*)(State&, const Event&);
  static constexpr Applier kAreas[] = {
      areas::ApplyOrg,   areas::ApplySetup,    areas::ApplyCustomers, areas::ApplySales,  areas::ApplyMoney,
      areas::ApplyAudit, areas::ApplyServices, areas::ApplyPlans,     areas::ApplyVoids, areas::ApplyInspections,
  };
  for (Applier apply : kAreas) {
    if (apply(state, event)) break;
  }
  areas::ApplyRules(state, event, judge_by);
  state.head_seq = event.seq();
}

std::string CommandName(const Command& command) {
  const auto* field = Command::descriptor()->FindFieldByNumber(command.command_case());
  return field == nullptr ? "" : field->name();
}

std::string EventKind(const Event& event) {
  const auto* field = Event::descriptor()->FindFieldByNumber(event.body_case());
  return field == nullptr ? "" : field->name();
}

}  // namespace salesledger
