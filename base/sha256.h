// SHA-256 and HMAC-SHA256 (OpenSSL), and the chain step of SPEC.md §2.3.
// Thread-safety: Sha256, HmacSha256 and ChainHash may be called from any thread (each thread keeps its own context);
// a Sha256Stream belongs to one thread at a time.
#ifndef SALESLEDGER_BASE_SHA256_H_
#define SALESLEDGER_BASE_SHA256_H_

#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"

namespace salesledger {

inline constexpr size_t kHashSize = 32;

// The 32 raw bytes of SHA-256(data).
std::string Sha256(absl::string_view data);
// SHA-256 of the parts concatenated, without concatenating them.
std::string Sha256(std::initializer_list<absl::string_view> parts);

// SHA-256 of data given in pieces, for inputs too large to hold at once.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(absl::string_view piece);
  // The 32 raw bytes. Call once.
  std::string Finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

// HMAC-SHA256(key, message) (RFC 2104, OpenSSL's HMAC): the 32 raw bytes. The keyed phone index
// of issue 20: without the key, a value tells nothing and no guess can be tested against it.
std::string HmacSha256(absl::string_view key, absl::string_view message);

// hash(n) = SHA-256(hash(n-1) || bytes(n)). REQUIRES: prev_hash.size() == kHashSize.
std::string ChainHash(absl::string_view prev_hash, absl::string_view event_bytes);

// hash(0): 32 zero bytes.
const std::string& GenesisPrevHash();

// Lower-case hex, for messages and reports.
std::string ToHex(absl::string_view bytes);

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_SHA256_H_
