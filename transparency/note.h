// C2SP signed notes (c2sp.org/signed-note): text signed by one or more keys, and the key formats
// that name those keys. A note is its text (ending in a newline), a blank line, and signature lines
//   — <key name> base64(key ID (4 bytes, big-endian) || signature)
// key ID = SHA-256(key name || 0x0A || signature type || public key)[:4].
// Verifier keys are "<name>+<key ID, 8 hex digits>+<base64(type || public key)>"; private keys,
// as Go's golang.org/x/mod/sumdb/note writes them, "PRIVATE+KEY+<name>+<key ID>+<base64(type ||
// seed)>".
//
// Value types and pure functions; thread-safe as their arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_NOTE_H_
#define SALESLEDGER_TRANSPARENCY_NOTE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transparency/ed25519.h"

namespace salesledger::note {

// Signature types of signed-note §"Signature types".
inline constexpr uint8_t kEd25519 = 0x01;            // a log's own signature
inline constexpr uint8_t kEd25519Cosignature = 0x04;  // tlog-cosignature v1 (cosignature.h)

uint32_t KeyId(absl::string_view name, uint8_t type, absl::string_view public_key);
// INVALID_ARGUMENT unless `name` is a key name: non-empty UTF-8 with no spaces and no '+'.
absl::Status CheckKeyName(absl::string_view name);

struct Verifier {
  std::string name;
  uint32_t id = 0;
  uint8_t type = kEd25519;
  std::string public_key;        // 32 bytes
  std::string ToString() const;  // the verifier key text
};
// INVALID_ARGUMENT naming what is wrong with the text; the key ID must match the key.
absl::StatusOr<Verifier> ParseVerifierKey(absl::string_view text);

struct Signer {
  std::string name;
  uint8_t type = kEd25519;
  Ed25519PrivateKey key;
  uint32_t id() const { return KeyId(name, type, key.public_key()); }
  Verifier verifier() const { return Verifier{name, id(), type, key.public_key()}; }
  std::string ToString() const;  // the private key text: keep it secret
};
absl::StatusOr<Signer> NewSigner(absl::string_view name, uint8_t type);
absl::StatusOr<Signer> ParseSignerKey(absl::string_view text);

struct Signature {
  std::string name;
  uint32_t id = 0;
  std::string bytes;  // what follows the key ID
};
struct Note {
  std::string text;  // ends in a newline
  std::vector<Signature> signatures;
};

// INVALID_ARGUMENT naming what is malformed: not UTF-8, a control character, no blank line before
// the signatures, a signature line that is not one, too many of them (over 100), over 1 MiB.
absl::StatusOr<Note> ParseNote(absl::string_view note);
std::string SignatureLine(const Signature& signature);
// `text` (ending in a newline) with `signer`'s Ed25519 signature (type 0x01): a whole note.
std::string Sign(absl::string_view text, const Signer& signer);
// The note's text, when a signature line of `verifier` (name and key ID) verifies over it.
// FAILED_PRECONDITION otherwise: "not signed by <name>" or "the signature of <name> does not
// verify". Signatures of other keys are ignored, as the spec asks.
absl::StatusOr<std::string> Open(absl::string_view note, const Verifier& verifier);

}  // namespace salesledger::note

#endif  // SALESLEDGER_TRANSPARENCY_NOTE_H_
