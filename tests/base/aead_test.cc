#include "base/aead.h"

#include <string>

#include "absl/strings/escaping.h"
#include "base/sha256.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

std::string Hex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

// Known answers: test cases 13, 14 and 16 of McGrew and Viega's GCM specification (AES-256).
struct KnownAnswer {
  const char* name;
  const char *key, *nonce, *plaintext, *aad, *ciphertext, *tag;
};
constexpr KnownAnswer kKnownAnswers[] = {
    {"tc13, empty", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "",
     "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"tc14, one block", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"tc16, with aad", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba"
     "637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abc"
     "c9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(AeadTest, KnownAnswersSealAndOpen) {
  for (const KnownAnswer& t : kKnownAnswers) {
    const std::string expected = Hex(t.nonce) + Hex(t.ciphertext) + Hex(t.tag);
    absl::StatusOr<std::string> sealed = AeadSealWithNonce(Hex(t.key), Hex(t.nonce), Hex(t.plaintext), Hex(t.aad));
    ASSERT_THAT(sealed, IsOk()) << t.name;
    EXPECT_EQ(absl::BytesToHexString(*sealed), absl::BytesToHexString(expected)) << t.name;
    absl::StatusOr<std::string> opened = AeadOpen(Hex(t.key), expected, Hex(t.aad));
    ASSERT_THAT(opened, IsOk()) << t.name;
    EXPECT_EQ(*opened, Hex(t.plaintext)) << t.name;
  }
}

TEST(AeadTest, EveryTamperingIsDataLoss) {
  const std::string key = *NewAeadKey(), other_key = *NewAeadKey();
  const std::string sealed = *AeadSeal(key, "13800000001", "customer C1 phone");
  std::string flipped_ciphertext = sealed, flipped_tag = sealed, flipped_nonce = sealed;
  flipped_ciphertext[kAeadNonceSize] ^= 1;
  flipped_tag.back() ^= 1;
  flipped_nonce[0] ^= 1;
  struct Case {
    const char* name;
    std::string key, sealed, aad;
    const char* message = "does not open with this key for what it is said to be";
  };
  const Case cases[] = {
      {"another key", other_key, sealed, "customer C1 phone"},
      {"another aad", key, sealed, "customer C2 phone"},
      {"ciphertext", key, flipped_ciphertext, "customer C1 phone"},
      {"tag", key, flipped_tag, "customer C1 phone"},
      {"nonce", key, flipped_nonce, "customer C1 phone"},
      {"truncated", key, sealed.substr(0, kAeadNonceSize + kAeadTagSize - 1), "customer C1 phone",
       "a sealed value is at least 28 bytes, this one 27"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(AeadOpen(c.key, c.sealed, c.aad), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(c.message))) << c.name;
  }
  EXPECT_THAT(AeadOpen(key, sealed, "customer C1 phone"), testing::IsOkAndHolds(std::string("13800000001")));
}

TEST(AeadTest, FreshNoncesAndKeysAndKeySizeChecked) {
  const std::string key = *NewAeadKey();
  EXPECT_EQ(key.size(), kAeadKeySize);
  EXPECT_NE(key, *NewAeadKey());
  const std::string a = *AeadSeal(key, "王", "n"), b = *AeadSeal(key, "王", "n");
  EXPECT_NE(a.substr(0, kAeadNonceSize), b.substr(0, kAeadNonceSize));
  EXPECT_EQ(a.size(), kAeadNonceSize + std::string("王").size() + kAeadTagSize);
  EXPECT_THAT(AeadSeal("short", "x", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("an AES-256-GCM key is 32 bytes, not 5")));
  EXPECT_THAT(AeadOpen(Sha256("k").substr(0, 16), a, "n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32 bytes, not 16")));
}

}  // namespace
}  // namespace salesledger
