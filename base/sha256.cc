#include "base/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace salesledger {
namespace {

// SHA-256's implementation, fetched once. Passing EVP_sha256() fetches it from OpenSSL 3's
// provider store (under a read lock) on every hash: 10% of a restart's chain check.
const EVP_MD* Sha256Md() {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();  // OpenSSL cannot hash: nothing after this could be trusted.
  return md;
#else
  return EVP_sha256();
#endif
}

std::string Digest(std::initializer_list<absl::string_view> parts) {
  // One context per thread: creating one per hash costs more than the hash of a small event.
  thread_local EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string out(kHashSize, '\0');
  unsigned int len = 0;
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) == 1;
  for (absl::string_view part : parts) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  if (!ok || EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 || len != kHashSize) {
    std::abort();  // OpenSSL cannot hash: nothing after this could be trusted.
  }
  return out;
}

}  // namespace

std::string Sha256(absl::string_view data) { return Digest({data}); }

std::string Sha256(std::initializer_list<absl::string_view> parts) { return Digest(parts); }

std::string HmacSha256(absl::string_view key, absl::string_view message) {
  std::string out(kHashSize, '\0');
  unsigned int len = 0;
  if (HMAC(Sha256Md(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr ||
      len != kHashSize) {
    std::abort();  // as Digest: OpenSSL cannot hash
  }
  return out;
}

std::string ChainHash(absl::string_view prev_hash, absl::string_view event_bytes) {
  return Digest({prev_hash, event_bytes});
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr) != 1) std::abort();
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Stream::Update(absl::string_view piece) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), piece.data(), piece.size()) != 1) std::abort();
}

std::string Sha256Stream::Finish() {
  std::string out(kHashSize, '\0');
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kHashSize) {
    std::abort();
  }
  return out;
}

const std::string& GenesisPrevHash() {
  static const std::string* zero = new std::string(kHashSize, '\0');
  return *zero;
}

std::string ToHex(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

}  // namespace salesledger
