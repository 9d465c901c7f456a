// AES-256-GCM (OpenSSL's EVP interface): the sealing of personal fields under a customer's data key
// and of data keys under the master key (issue 20). Nothing here is hand-written cryptography.
//
// A sealed value is nonce (12 random bytes) || ciphertext || tag (16 bytes). `aad` — what the value
// is (e.g. "customer C1 phone") — is authenticated but not stored: a sealed value moved to another
// place does not open there.
//
// Thread-safety: every function may be called from any thread.
#ifndef SALESLEDGER_BASE_AEAD_H_
#define SALESLEDGER_BASE_AEAD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 12;
inline constexpr size_t kAeadTagSize = 16;

// A fresh key from OpenSSL's CSPRNG. INTERNAL when it has no entropy.
absl::StatusOr<std::string> NewAeadKey();

// Seals `plaintext` under `key` with a fresh random nonce. INVALID_ARGUMENT when the key is not
// kAeadKeySize bytes.
absl::StatusOr<std::string> AeadSeal(absl::string_view key, absl::string_view plaintext, absl::string_view aad);

// The same with the caller's nonce, for known-answer tests only: a nonce must never repeat under
// one key.
absl::StatusOr<std::string> AeadSealWithNonce(absl::string_view key, absl::string_view nonce,
                                              absl::string_view plaintext, absl::string_view aad);

// Opens what AeadSeal made. DATA_LOSS when the value is too short, or its ciphertext, tag, key or
// `aad` is not the one it was sealed with (GCM cannot tell which); INVALID_ARGUMENT on a key of the
// wrong size.
absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view sealed, absl::string_view aad);

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_AEAD_H_
