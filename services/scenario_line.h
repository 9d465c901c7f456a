// One line of a scenario or import file (SPEC.md §8), parsed.
// Pure; thread-safe.
#ifndef SALESLEDGER_SERVICES_SCENARIO_LINE_H_
#define SALESLEDGER_SERVICES_SCENARIO_LINE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "salesledger/v1/commands.pb.h"
#include "services/request_size.h"

namespace salesledger {

struct ScenarioLine {
  std::optional<absl::Time> at;      // scenario files only
  std::string actor;
  salesledger::v1::Command command;  // with its request_id set
};

// Parses `text` ({"at":..., "actor":..., "cmd":..., "request_id":..., "args":{...}}). A missing
// request_id becomes `default_request_id`. Errors carry the code a server would answer with:
// INVALID_ARGUMENT for malformed JSON, unknown commands, fields or enum values; RESOURCE_EXHAUSTED
// for a line over 1 MiB.
absl::StatusOr<ScenarioLine> ParseScenarioLine(const std::string& text, const std::string& default_request_id);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_SCENARIO_LINE_H_
