// The witness's decision (transparency/witness.h): a first checkpoint, a grown tree with a true
// consistency proof, and every refusal — another key or origin, a smaller tree, another root at
// one size, a proof that does not verify — saying what failed.
#include "transparency/witness.h"

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

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = *note::NewSigner("example.com/log", note::kEd25519);
    for (int i = 0; i < 20; ++i) leaves_.push_back(merkle::LeafHash(absl::StrCat("entry ", i)));
    state_.log_key = log_.verifier();
    state_.accepted_at = absl::FromUnixSeconds(1767225600);
  }

  // Leaves [0, size) of `leaves`, as a node source.
  static merkle::NodeSource Nodes(const std::vector<std::string>& leaves) {
    return [leaves](int level, uint64_t index) -> absl::StatusOr<std::string> {
      std::vector<std::string> row = leaves;
      for (int l = 0; l < level; ++l) {
        std::vector<std::string> up;
        for (size_t i = 0; i + 1 < row.size(); i += 2) up.push_back(merkle::NodeHash(row[i], row[i + 1]));
        row = up;
      }
      return row.at(index);
    };
  }
  std::string Checkpoint(uint64_t size, const std::vector<std::string>& leaves) const {
    return SignCheckpoint(TreeCheckpoint{log_.name, size, *merkle::RootAt(size, Nodes(leaves))}, log_);
  }
  ConsistencyFetcher Fetcher(const std::vector<std::string>& leaves) const {
    return [leaves](uint64_t a, uint64_t b) { return merkle::ConsistencyProof(a, b, Nodes(leaves)); };
  }

  note::Signer log_;
  std::vector<std::string> leaves_;
  WitnessState state_;
};

TEST_F(WitnessTest, AcceptsTheFirstAndThenEveryConsistentGrowth) {
  auto first = CheckNextCheckpoint(state_, Checkpoint(5, leaves_), Fetcher(leaves_));
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_EQ(first->size, 5u);
  state_.checkpoint = Checkpoint(5, leaves_);
  for (uint64_t size : {5, 6, 8, 13, 20}) {
    auto next = CheckNextCheckpoint(state_, Checkpoint(size, leaves_), Fetcher(leaves_));
    ASSERT_THAT(next.status(), IsOk()) << size;
    EXPECT_EQ(next->size, size);
  }
}

TEST_F(WitnessTest, TheStateRoundTrips) {
  state_.checkpoint = Checkpoint(7, leaves_);
  auto parsed = ParseWitnessState(state_.ToText());
  ASSERT_THAT(parsed.status(), IsOk());
  EXPECT_EQ(parsed->log_key.ToString(), log_.verifier().ToString());
  EXPECT_EQ(parsed->checkpoint, state_.checkpoint);
  EXPECT_EQ(parsed->accepted_at, state_.accepted_at);
  WitnessState fresh{log_.verifier(), "", absl::Time()};
  EXPECT_THAT(ParseWitnessState(fresh.ToText()).status(), IsOk());
  EXPECT_THAT(ParseWitnessState("salesledger witness\nsize 3\n").status(),
              StatusIs(Code::kInvalidArgument, HasSubstr("'size 3' is not part of a witness state")));
}

TEST_F(WitnessTest, RefusesWhatTheIssueLists) {
  state_.checkpoint = Checkpoint(8, leaves_);
  const note::Signer other = *note::NewSigner(log_.name, note::kEd25519);
  EXPECT_THAT(CheckNextCheckpoint(state_, SignCheckpoint(TreeCheckpoint{log_.name, 9, leaves_[0]}, other), Fetcher(leaves_))
                  .status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("refused: the note is not signed by example.com/log")));
  const note::Signer elsewhere = *note::NewSigner("example.com/other", note::kEd25519);
  WitnessState trusting_elsewhere = state_;
  trusting_elsewhere.log_key = elsewhere.verifier();
  trusting_elsewhere.checkpoint.clear();
  EXPECT_THAT(CheckNextCheckpoint(trusting_elsewhere,
                                  SignCheckpoint(TreeCheckpoint{log_.name, 9, leaves_[0]}, elsewhere), Fetcher(leaves_))
                  .status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("for origin 'example.com/log', not 'example.com/other'")));
  EXPECT_THAT(CheckNextCheckpoint(state_, Checkpoint(7, leaves_), Fetcher(leaves_)).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("smaller tree (size 7) than the checkpoint accepted at 2026-01-01T00:00:00+00:00 (tree size 8")));

  // The operator's rewrite: entry 3 changed, every hash after it recomputed, signed with the key.
  std::vector<std::string> rewritten = leaves_;
  rewritten[3] = merkle::LeafHash("entry 3, back-dated");
  EXPECT_THAT(CheckNextCheckpoint(state_, Checkpoint(8, rewritten), Fetcher(rewritten)).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("for the same tree size as the checkpoint accepted")));
  EXPECT_THAT(CheckNextCheckpoint(state_, Checkpoint(12, rewritten), Fetcher(rewritten)).status(),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("tree of size 12 is not consistent with the checkpoint accepted at 2026-01-01T00:00:00+00:00 "
                                 "(tree size 8")));
  // A proof for the true tree does not make the rewritten one consistent either.
  EXPECT_THAT(CheckNextCheckpoint(state_, Checkpoint(12, rewritten), Fetcher(leaves_)).status(),
              StatusIs(Code::kFailedPrecondition, HasSubstr("does not rebuild the new root")));
  // A failed fetch is the fetch's error.
  EXPECT_THAT(CheckNextCheckpoint(state_, Checkpoint(12, leaves_),
                                  [](uint64_t, uint64_t) -> absl::StatusOr<std::vector<std::string>> {
                                    return absl::UnavailableError("server down");
                                  })
                  .status(),
              StatusIs(Code::kUnavailable, "server down"));
}

}  // namespace
}  // namespace salesledger
