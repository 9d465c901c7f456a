// A State as bytes, for persisted projection checkpoints (a restart resumes from one instead of
// folding the log from event 1) and for checking that a rebuild equals the incremental state.
//
// Deterministic: equal states encode to equal bytes (hash maps and sets are written in key order).
// Format: "SLS1" then the fields of State in declaration order; varints for integers, length-
// prefixed bytes for strings and messages (deterministic protobuf serialization), counts before
// containers. A format change bumps the magic; an unknown magic is refused, never guessed at.
#ifndef SALESLEDGER_PROJECTIONS_SNAPSHOT_H_
#define SALESLEDGER_PROJECTIONS_SNAPSHOT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "projections/state.h"

namespace salesledger {

std::string EncodeState(const State& state);

// DATA_LOSS when `bytes` is not a state this build wrote.
absl::StatusOr<State> DecodeState(absl::string_view bytes);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_SNAPSHOT_H_
