#include "transparency/cosignature.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace salesledger {
namespace {

std::string BigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

}  // namespace

std::string CosignatureMessage(absl::string_view checkpoint_text, uint64_t timestamp) {
  return absl::StrCat("cosignature/v1\ntime ", timestamp, "\n", checkpoint_text);
}

std::string CosignatureLine(absl::string_view checkpoint_text, const note::Signer& cosigner, uint64_t timestamp) {
  const std::string signature = cosigner.key.Sign(CosignatureMessage(checkpoint_text, timestamp));
  return note::SignatureLine(note::Signature{cosigner.name, cosigner.id(), BigEndian64(timestamp) + signature});
}

absl::StatusOr<uint64_t> VerifyCosignature(absl::string_view signed_note, const note::Verifier& cosigner) {
  ASSIGN_OR_RETURN(const note::Note parsed, note::ParseNote(signed_note));
  for (const note::Signature& s : parsed.signatures) {
    if (s.name != cosigner.name || s.id != cosigner.id) continue;
    if (cosigner.type != note::kEd25519Cosignature || s.bytes.size() != 8 + kEd25519SignatureBytes) {
      return absl::FailedPreconditionError(absl::StrCat("the cosignature of ", cosigner.name, " is not a v1 cosignature"));
    }
    uint64_t timestamp = 0;
    for (int i = 0; i < 8; ++i) timestamp = (timestamp << 8) | static_cast<unsigned char>(s.bytes[i]);
    if (timestamp > (uint64_t{1} << 63) - 1 ||
        !Ed25519Verify(cosigner.public_key, CosignatureMessage(parsed.text, timestamp), s.bytes.substr(8))) {
      return absl::FailedPreconditionError(absl::StrCat("the cosignature of ", cosigner.name, " does not verify"));
    }
    return timestamp;
  }
  return absl::FailedPreconditionError(absl::StrCat("the checkpoint is not cosigned by ", cosigner.name));
}

}  // namespace salesledger
