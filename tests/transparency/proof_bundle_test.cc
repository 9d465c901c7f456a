// Inclusion proofs with their checkpoint (transparency/proof_bundle.h): both forms round-trip, a
// true proof verifies, and every forgery of the issue's list is refused with what failed.
#include "transparency/proof_bundle.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

// A log of 11 entries "entry 0".."entry 10", its nodes computed from their definition.
class ProofBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 11; ++i) entries_.push_back(absl::StrCat("entry ", i));
    log_ = *note::NewSigner("example.com/log", note::kEd25519);
  }

  std::string Node(int level, uint64_t index) const {
    const uint64_t begin = index << level, end = (index + 1) << level;
    if (level == 0) return merkle::LeafHash(entries_[begin]);
    return merkle::NodeHash(Node(level - 1, begin >> (level - 1)), Node(level - 1, (begin >> (level - 1)) + 1));
    (void)end;
  }
  merkle::NodeSource Nodes() const {
    return [this](int level, uint64_t index) -> absl::StatusOr<std::string> { return Node(level, index); };
  }

  ProofBundle Bundle(uint64_t seq, uint64_t size, const note::Signer& signer, const std::string& origin) const {
    ProofBundle b;
    b.seq = seq;
    b.tree_size = size;
    b.event = entries_[seq - 1];
    b.leaf_hash = merkle::LeafHash(b.event);
    b.proof = *merkle::InclusionProof(seq - 1, size, Nodes());
    b.checkpoint = SignCheckpoint(TreeCheckpoint{origin, size, *merkle::RootAt(size, Nodes())}, signer);
    return b;
  }
  ProofBundle Bundle(uint64_t seq, uint64_t size) const { return Bundle(seq, size, log_, log_.name); }

  std::vector<std::string> entries_;
  note::Signer log_;
};

TEST_F(ProofBundleTest, EveryEntryAtEverySizeVerifiesInBothForms) {
  for (uint64_t size = 1; size <= entries_.size(); ++size) {
    for (uint64_t seq = 1; seq <= size; ++seq) {
      const ProofBundle b = Bundle(seq, size);
      for (const std::string& text : {b.ToText(), b.ToJson()}) {
        auto parsed = ParseProofBundle(text);
        ASSERT_THAT(parsed.status(), IsOk()) << text;
        EXPECT_EQ(parsed->seq, seq);
        EXPECT_EQ(parsed->proof, b.proof);
        EXPECT_EQ(parsed->checkpoint, b.checkpoint);
        auto checked = CheckProofBundle(*parsed, log_.verifier(), b.leaf_hash);
        ASSERT_THAT(checked.status(), IsOk()) << "seq " << seq << " size " << size;
        EXPECT_EQ(checked->size, size);
      }
    }
  }
}

TEST_F(ProofBundleTest, OneFlippedBitInAnyHashIsRefused) {
  const ProofBundle good = Bundle(6, 11);
  ASSERT_EQ(good.proof.size(), 4u);
  for (size_t i = 0; i < good.proof.size(); ++i) {
    for (int bit : {0, 131, 255}) {
      ProofBundle b = good;
      b.proof[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
      EXPECT_THAT(CheckProofBundle(b, log_.verifier()).status(),
                  StatusIs(Code::kFailedPrecondition, HasSubstr("computes another root"))) << i << " " << bit;
    }
  }
  ProofBundle leaf = good;
  leaf.leaf_hash[0] ^= 1;
  leaf.event.clear();
  EXPECT_THAT(CheckProofBundle(leaf, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("computes another root")));
  ProofBundle event = good;
  event.event[0] ^= 1;
  EXPECT_THAT(CheckProofBundle(event, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("the event is not the one proved")));
}

TEST_F(ProofBundleTest, AWrongIndexALargerSizeAndAWrongLengthAreRefused) {
  const ProofBundle good = Bundle(6, 11);
  ProofBundle index = good;
  index.seq = 5;
  EXPECT_THAT(CheckProofBundle(index, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("computes another root")));
  ProofBundle past = good;
  past.seq = 12;
  EXPECT_THAT(CheckProofBundle(past, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("leaf index 11 is not below the tree size 11")));
  ProofBundle larger = good;
  larger.tree_size = 12;
  EXPECT_THAT(CheckProofBundle(larger, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("the proof is for tree size 12; the checkpoint is of tree size 11")));
  ProofBundle shorter = good;
  shorter.proof.pop_back();
  EXPECT_THAT(CheckProofBundle(shorter, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("the proof is too short")));
  ProofBundle longer = good;
  longer.proof.push_back(good.proof[0]);
  EXPECT_THAT(CheckProofBundle(longer, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("the proof is too long")));
  EXPECT_THAT(CheckProofBundle(good, log_.verifier(), std::string(32, 'x')).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("not of the expected")));
}

TEST_F(ProofBundleTest, AnotherKeyOrAnotherOriginIsRefused) {
  const note::Signer other = *note::NewSigner(log_.name, note::kEd25519);  // same name, another key
  EXPECT_THAT(CheckProofBundle(Bundle(3, 8, other, other.name), log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("not signed by example.com/log")));
  EXPECT_THAT(CheckProofBundle(Bundle(3, 8, log_, "example.com/other"), log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("for origin 'example.com/other'")));
  ProofBundle edited = Bundle(3, 8);
  edited.checkpoint.replace(edited.checkpoint.find("\n8\n"), 3, "\n9\n");  // the size line, re-used signature
  edited.tree_size = 9;
  EXPECT_THAT(CheckProofBundle(edited, log_.verifier()).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("does not verify")));
}

TEST_F(ProofBundleTest, MalformedFilesNameTheLine) {
  EXPECT_THAT(ParseProofBundle("hello\n").status(), StatusIs(Code::kInvalidArgument, HasSubstr("starts with the line")));
  const std::string text = Bundle(2, 4).ToText();
  std::string bad = text;
  bad.replace(bad.find("seq 2"), 5, "seq x");
  EXPECT_THAT(ParseProofBundle(bad).status(), StatusIs(Code::kInvalidArgument, HasSubstr("line 2 ('seq')")));
  bad = text;
  bad.insert(bad.find("checkpoint\n"), "proof AAAA\n");
  EXPECT_THAT(ParseProofBundle(bad).status(), StatusIs(Code::kInvalidArgument, HasSubstr("not the base64 of a 32-byte hash")));
  EXPECT_THAT(ParseProofBundle(R"({"seq":"2","tree_size":"4"})").status(),
              StatusIs(Code::kInvalidArgument, HasSubstr("\"leaf_hash\"")));
}

}  // namespace
}  // namespace salesledger
