// A State as bytes, for persisted projection checkpoints (a restart resumes from one instead of
// folding the log from event 1) and for checking that a rebuild equals the incremental state.
//
// Deterministic: a state encodes to the same bytes however it was reached, by a rebuild or
// incrementally. The format is written down once, as a grammar, at the top of state_codec.cc. A
// format change bumps the magic; an unknown magic is refused, never guessed at. So does a change
// of what the fold derives (a rule read differently): a checkpoint holds derived values.
//
// Thread-safety: the functions keep no state; `state` must not change while it is encoded.
#ifndef SALESLEDGER_PROJECTIONS_STATE_CODEC_H_
#define SALESLEDGER_PROJECTIONS_STATE_CODEC_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/state.h"

namespace salesledger {

// The magic that starts an encoding; bumped with every change of the format.
inline constexpr absl::string_view kStateFormat = "SL13";

// Encodings are handed over in pieces of exactly this many bytes by default (the last may be
// shorter); a boundary may fall anywhere.
inline constexpr size_t kStatePieceBytes = 4 << 20;
using StatePieceSink = std::function<absl::Status(absl::string_view piece)>;
// The next piece, or nullopt after the last.
using StatePieceSource = std::function<absl::StatusOr<std::optional<std::string>>()>;

// Streams the encoding to `sink`, so that a large state is never held twice. Returns the first
// error `sink` returned (encoding stops being delivered after it).
absl::Status EncodeState(const State& state, const StatePieceSink& sink, size_t piece_bytes = kStatePieceBytes);
std::string EncodeState(const State& state);

// SHA-256 of EncodeState(state), computed piece by piece: equal digests, equal states.
std::string StateDigest(const State& state);

// Decodes the pieces `source` yields, which must add up to `total_bytes` (a bound on every count
// read, so that corruption is never taken for a size to allocate). DATA_LOSS when they are not a
// state this build wrote; a source error is returned as is.
absl::StatusOr<State> DecodeState(uint64_t total_bytes, const StatePieceSource& source);
absl::StatusOr<State> DecodeState(absl::string_view bytes);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_STATE_CODEC_H_
