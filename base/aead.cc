#include "base/aead.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "openssl/evp.h"
#include "openssl/rand.h"

namespace salesledger {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(absl::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

absl::Status CheckKey(absl::string_view key) {
  if (key.size() == kAeadKeySize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("an AES-256-GCM key is ", kAeadKeySize, " bytes, not ", key.size()));
}

}  // namespace

absl::StatusOr<std::string> NewAeadKey() {
  std::string key(kAeadKeySize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    return absl::InternalError("OpenSSL's random generator gave no key");
  }
  return key;
}

absl::StatusOr<std::string> AeadSeal(absl::string_view key, absl::string_view plaintext, absl::string_view aad) {
  std::string nonce(kAeadNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), nonce.size()) != 1) {
    return absl::InternalError("OpenSSL's random generator gave no nonce");
  }
  return AeadSealWithNonce(key, nonce, plaintext, aad);
}

absl::StatusOr<std::string> AeadSealWithNonce(absl::string_view key, absl::string_view nonce,
                                              absl::string_view plaintext, absl::string_view aad) {
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  if (nonce.size() != kAeadNonceSize) return absl::InvalidArgumentError("an AES-256-GCM nonce is 12 bytes");
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string sealed(nonce);
  sealed.resize(kAeadNonceSize + plaintext.size() + kAeadTagSize);
  auto* out = reinterpret_cast<unsigned char*>(sealed.data()) + kAeadNonceSize;
  int n = 0, tail = 0;
  const bool ok = ctx != nullptr && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) == 1 &&
                  (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &n, Bytes(aad), aad.size()) == 1) &&
                  EVP_EncryptUpdate(ctx.get(), out, &n, Bytes(plaintext), plaintext.size()) == 1 &&
                  EVP_EncryptFinal_ex(ctx.get(), out + n, &tail) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagSize, out + plaintext.size()) == 1;
  if (!ok) return absl::InternalError("OpenSSL could not seal the value (AES-256-GCM)");
  return sealed;
}

absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view sealed, absl::string_view aad) {
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  if (sealed.size() < kAeadNonceSize + kAeadTagSize) {
    return absl::DataLossError(absl::StrCat("a sealed value is at least ", kAeadNonceSize + kAeadTagSize,
                                            " bytes, this one ", sealed.size()));
  }
  const absl::string_view nonce = sealed.substr(0, kAeadNonceSize);
  const absl::string_view ciphertext = sealed.substr(kAeadNonceSize, sealed.size() - kAeadNonceSize - kAeadTagSize);
  std::string tag(sealed.substr(sealed.size() - kAeadTagSize));
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string plaintext(ciphertext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  int n = 0, tail = 0;
  const bool ready = ctx != nullptr &&
                     EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) == 1 &&
                     (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &n, Bytes(aad), aad.size()) == 1) &&
                     EVP_DecryptUpdate(ctx.get(), out, &n, Bytes(ciphertext), ciphertext.size()) == 1 &&
                     EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagSize, tag.data()) == 1;
  if (!ready) return absl::InternalError("OpenSSL could not open the value (AES-256-GCM)");
  // The tag is checked here: a wrong key, aad, ciphertext or tag all end the same way.
  if (EVP_DecryptFinal_ex(ctx.get(), out + n, &tail) != 1) {
    return absl::DataLossError("the sealed value does not open with this key for what it is said to be");
  }
  return plaintext;
}

}  // namespace salesledger
