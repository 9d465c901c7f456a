// Projector: folds the log into a State, resuming from the persisted projection checkpoint when
// it matches the log, and writes checkpoints (DESIGN.md, SPEC.md §5 "a server restart resumes
// from persisted projection state, not from event 1").
//
// Checkpoint records (projections column family). The state is stored in pieces, so that neither
// writing nor reading it ever holds the whole encoding:
//   "state"                     := "CKP3" seq hash first_piece pieces state_bytes state_digest
//   "state/" seq piece_index    := piece piece_index - first_piece of EncodeState(state as of seq)
// seq, first_piece, pieces, piece_index and state_bytes are 8 bytes BE; hash = hash(seq) and
// state_digest = SHA-256 of the encoding, 32 bytes each. The pieces are written first and the
// manifest ("state") last and synced, so a crash part way leaves the previous checkpoint in force;
// every other piece is then removed. first_piece is 0, or just past the pieces of the checkpoint
// it replaces when both are at one seq, so that no two checkpoints share a record name. A
// checkpoint is used only when the log's stored hash(seq) equals its hash; otherwise the fold
// starts from event 1 (and says so).
// Retained checkpoints, for as-of reads (checkpoint_retention.h):
//   "history"                   := "HST1" manifest*   (each a "state" value, ascending by seq)
// written after "state", listing the one in force and the earlier ones kept; the pieces of every
// checkpoint not listed (nor in force) are removed after it is written.
// Thread-safety: the functions keep no state of their own. A fold writes only the State it is
// given; WriteCheckpoint reads `state` until `encoded` is called; at most one WriteCheckpoint
// runs on a log at a time (EventLog::PutCheckpoints).
#ifndef SALESLEDGER_PROJECTIONS_PROJECTOR_H_
#define SALESLEDGER_PROJECTIONS_PROJECTOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/apply.h"
#include "ledger/event_log.h"
#include "projections/state_codec.h"
#include "domain/state.h"

namespace salesledger {

struct FoldReport {
  uint64_t checkpoint_seq = 0;     // 0: folded from event 1
  uint64_t events_folded = 0;      // after the checkpoint
  std::string note;                // why a checkpoint was not used, if one existed
};

// Called now and then with (seq folded, target seq).
using FoldProgress = std::function<void(uint64_t, uint64_t)>;

// Folds events state.head_seq+1..to_seq into `state`. DATA_LOSS for a missing or undecodable event.
// `judge_by`: see Apply (what-if folds only).
absl::Status FoldInto(const EventLog& log, State& state, uint64_t to_seq, const FoldProgress& progress = {},
                      const PolicyOverride* judge_by = nullptr);

// Folds events 1..to_seq (0 = head) into a fresh state, ignoring any checkpoint.
absl::StatusOr<State> FoldFromScratch(const EventLog& log, uint64_t to_seq = 0, const FoldProgress& progress = {},
                                      const PolicyOverride* judge_by = nullptr);

// The state at the head: the checkpoint (if valid) plus the events after it.
absl::StatusOr<State> FoldResuming(const EventLog& log, FoldReport* report = nullptr,
                                   const FoldProgress& progress = {});

struct CheckpointOptions {
  // How many checkpoints to keep for as-of reads, this one included (ThinCheckpoints). 1 keeps
  // only this one, as a rebuild must: the earlier ones were derived by the code that wrote them.
  size_t retain = 1;
  size_t piece_bytes = kStatePieceBytes;  // for tests
};

// Writes `state` (which must reflect durable events 1..state.head_seq) as the checkpoint.
// `encoded`, when set, is called once `state` has been read in full, before the checkpoint is
// made durable (a file sync and an ingestion), so that a caller holding a lock over `state` can
// release it early; `state` may change after that. Not called when encoding fails.
absl::Status WriteCheckpoint(EventLog& log, const State& state, const std::function<void()>& encoded = {},
                             const CheckpointOptions& options = {});

// The stored checkpoint's manifest; nullopt when there is none.
struct StoredCheckpoint {
  uint64_t seq = 0;
  std::string hash;
  uint64_t first_piece = 0;
  uint64_t pieces = 0;
  uint64_t state_bytes = 0;
  std::string state_digest;
};
absl::StatusOr<std::optional<StoredCheckpoint>> ReadCheckpoint(const EventLog& log);

// The retained checkpoints' manifests, ascending by seq, the one in force among them (also when it
// was written before checkpoints were retained). DATA_LOSS when the history record is malformed.
absl::StatusOr<std::vector<StoredCheckpoint>> ReadRetainedCheckpoints(const EventLog& log);

// The state right after event `seq` (at most the head): the nearest retained checkpoint at or
// below `seq` that matches the log and decodes, then events up to `seq`; from event 1 when none
// does. `report` names the checkpoint used and why a nearer one was not. A checkpoint thinned out
// by a concurrent WriteCheckpoint while it is read is passed over like one that does not decode.
absl::StatusOr<State> FoldAt(const EventLog& log, uint64_t seq, FoldReport* report = nullptr);

// The checkpoint's state, decoded as its pieces are read. DATA_LOSS when a piece is missing or the
// pieces do not decode.
absl::StatusOr<State> LoadCheckpointState(const EventLog& log, const StoredCheckpoint& checkpoint);

// SHA-256 of the checkpoint's stored pieces, to hold against its state_digest.
absl::StatusOr<std::string> DigestCheckpointPieces(const EventLog& log, const StoredCheckpoint& checkpoint);

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_PROJECTOR_H_
