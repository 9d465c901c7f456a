// Ed25519 (RFC 8032) through OpenSSL 3's EVP interface: key generation, signing, verification.
// Thread-safe: a key is immutable once made; the functions keep no state.
#ifndef SALESLEDGER_TRANSPARENCY_ED25519_H_
#define SALESLEDGER_TRANSPARENCY_ED25519_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger {

inline constexpr size_t kEd25519KeyBytes = 32;        // a seed (private key) or a public key
inline constexpr size_t kEd25519SignatureBytes = 64;

class Ed25519PrivateKey {
 public:
  // A new key from the system's random source.
  static absl::StatusOr<Ed25519PrivateKey> Generate();
  // The key of a 32-byte seed; INVALID_ARGUMENT for another length.
  static absl::StatusOr<Ed25519PrivateKey> FromSeed(absl::string_view seed);

  const std::string& seed() const { return seed_; }
  const std::string& public_key() const { return public_key_; }
  // The 64-byte signature of `message`.
  std::string Sign(absl::string_view message) const;

 private:
  std::string seed_, public_key_;
};

// Whether `signature` is `public_key`'s signature of `message` (false for malformed inputs).
bool Ed25519Verify(absl::string_view public_key, absl::string_view message, absl::string_view signature);

}  // namespace salesledger

#endif  // SALESLEDGER_TRANSPARENCY_ED25519_H_
