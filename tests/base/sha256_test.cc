#include "base/sha256.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace salesledger {
namespace {

// FIPS 180-2 examples.
constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kTwoBlocks[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kTwoBlocksText[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256("abc")), kAbc);
  EXPECT_EQ(ToHex(Sha256("")), kEmpty);
  EXPECT_EQ(ToHex(Sha256(kTwoBlocksText)), kTwoBlocks);
}

TEST(Sha256Test, ChainHashIsTheHashOfPrevThenBytes) {
  const std::string prev = Sha256("previous");
  EXPECT_EQ(ChainHash(prev, "event bytes"), Sha256(prev + "event bytes"));
  EXPECT_EQ(ToHex(ChainHash("ab", "c")), kAbc);
  EXPECT_EQ(GenesisPrevHash(), std::string(kHashSize, '\0'));
}

TEST(Sha256Test, AStreamInPiecesEqualsTheWhole) {
  Sha256Stream stream;
  stream.Update("abcdbcdecdefdefg");
  stream.Update("");
  stream.Update("efghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(ToHex(stream.Finish()), kTwoBlocks);
}

// RFC 4231's test cases 1 and 2.
TEST(Sha256Test, HmacMatchesRfc4231) {
  EXPECT_EQ(ToHex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256Test, ThreadsHashIndependently) {
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      std::string h;
      for (int n = 0; n < 1000; ++n) h = ToHex(Sha256(i % 2 == 0 ? "abc" : ""));
      results[i] = h;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) EXPECT_EQ(results[i], i % 2 == 0 ? kAbc : kEmpty) << i;
}

}  // namespace
}  // namespace salesledger
