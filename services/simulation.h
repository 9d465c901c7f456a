// Scenario files (SPEC.md §8) run in-process through the same Ledger as the server, with a
// scripted clock and a temporary data dir: `ledgerctl simulate`.
// Thread-safe: each Simulate has its own ledger, clock and scratch directory.
#ifndef SALESLEDGER_SERVICES_SIMULATION_H_
#define SALESLEDGER_SERVICES_SIMULATION_H_

#include <istream>
#include <string>

#include "absl/status/statusor.h"

namespace salesledger {

struct SimulationOptions {
  std::string scratch_dir;   // where the temporary ledger lives; empty = $TMPDIR or /tmp
};

// Runs every line of `scenario` and returns the report of SPEC.md §8 as one JSON object. A refused
// line is reported and the run goes on. Fails only when the scenario cannot be run at all.
absl::StatusOr<std::string> Simulate(std::istream& scenario, const SimulationOptions& options = {});

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_SIMULATION_H_
