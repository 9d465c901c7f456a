// C2SP transparency log checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is the
// log's origin, its tree size in decimal and its root hash in base64, one per line.
// Value types and pure functions; thread-safe as their arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_CHECKPOINT_H_
#define SALESLEDGER_TRANSPARENCY_CHECKPOINT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/note.h"

namespace salesledger {

struct TreeCheckpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root;  // 32 bytes
  // The note text: "<origin>\n<size>\n<base64 root>\n".
  std::string Body() const;
};

// INVALID_ARGUMENT naming the line that is wrong. Extension lines are refused: this log writes
// none, and a witness makes no statement about them.
absl::StatusOr<TreeCheckpoint> ParseCheckpointBody(absl::string_view text);

// The checkpoint signed by `log` (whose key name must be the origin).
std::string SignCheckpoint(const TreeCheckpoint& checkpoint, const note::Signer& log);

// The checkpoint of a signed note, when the log's `verifier` signed it and its origin is the
// verifier's name. FAILED_PRECONDITION "signed by another key" / "for another origin"; what
// note::Open and ParseCheckpointBody refuse, as they do.
absl::StatusOr<TreeCheckpoint> OpenCheckpoint(absl::string_view note, const note::Verifier& log);

}  // namespace salesledger

#endif  // SALESLEDGER_TRANSPARENCY_CHECKPOINT_H_
