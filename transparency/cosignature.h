// Ed25519 cosignatures of checkpoints (c2sp.org/tlog-cosignature, v1): a witness's statement that,
// as of its timestamp, the largest consistent tree it has seen of the log has this root.
//   signed message = "cosignature/v1\n" "time <POSIX seconds>\n" <checkpoint note text>
//   signature line = — <cosigner name> base64(key ID || u64 timestamp (big-endian) || signature)
// with key IDs of signature type 0x04. Pure; thread-safe as their arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_COSIGNATURE_H_
#define SALESLEDGER_TRANSPARENCY_COSIGNATURE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/note.h"

namespace salesledger {

std::string CosignatureMessage(absl::string_view checkpoint_text, uint64_t timestamp);

// `cosigner`'s signature line (its type must be 0x04) for the checkpoint text at `timestamp`.
std::string CosignatureLine(absl::string_view checkpoint_text, const note::Signer& cosigner, uint64_t timestamp);

// Finds `cosigner`'s line in the signed note and verifies it over the note's text; returns its
// timestamp. FAILED_PRECONDITION "not cosigned by <name>" / "the cosignature of <name> does not
// verify".
absl::StatusOr<uint64_t> VerifyCosignature(absl::string_view signed_note, const note::Verifier& cosigner);

}  // namespace salesledger

#endif  // SALESLEDGER_TRANSPARENCY_COSIGNATURE_H_
