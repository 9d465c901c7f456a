// An inclusion proof together with the signed checkpoint it proves against: what `ledgerctl
// prove` prints and `ledgerctl check-proof` checks with no server. As text:
//
//   salesledger inclusion proof
//   seq <decimal>
//   tree-size <decimal>
//   leaf-hash <base64>
//   event <base64 of bytes(seq)>      ; optional: the entry itself
//   proof <base64>                    ; one line per hash, bottom up (RFC 9162 §2.1.3.1)
//   checkpoint
//   <the signed note, verbatim, to the end of the file>
//
// or as JSON: {"seq", "tree_size", "leaf_hash", "event", "proof": [...], "checkpoint"}, the hashes
// in base64. Pure; thread-safe as its arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_PROOF_BUNDLE_H_
#define SALESLEDGER_TRANSPARENCY_PROOF_BUNDLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/checkpoint.h"
#include "transparency/note.h"

namespace salesledger {

struct ProofBundle {
  uint64_t seq = 0;              // leaf index + 1
  uint64_t tree_size = 0;
  std::string leaf_hash;         // 32 bytes
  std::string event;             // bytes(seq); empty when left out
  std::vector<std::string> proof;
  std::string checkpoint;        // the signed note

  std::string ToText() const;
  std::string ToJson() const;
};

// Either form. INVALID_ARGUMENT naming the line or field that is malformed.
absl::StatusOr<ProofBundle> ParseProofBundle(absl::string_view text);

// Every check, in this order, each refusal FAILED_PRECONDITION saying which: the checkpoint is
// signed by `log_key` for its origin; the proof is for the checkpoint's tree size; the leaf hash
// is the event's (when the event is there) and `expected_leaf` (when given, e.g. from the entry's
// EntryResponse); the inclusion proof verifies, step by step, against the checkpoint's root.
// Returns the checkpoint.
absl::StatusOr<TreeCheckpoint> CheckProofBundle(const ProofBundle& bundle, const note::Verifier& log_key,
                                                absl::string_view expected_leaf = "");

}  // namespace salesledger

#endif  // SALESLEDGER_TRANSPARENCY_PROOF_BUNDLE_H_
