// The Merkle tree the event log keeps (ledger/tree_store.cc): its roots and proofs against a tree
// computed here from RFC 9162's definition, kept across restarts, built for a ledger from before
// it, checked and rebuilt; and the signed tree heads' store.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/sha256.h"
#include "ledger/event_log.h"
#include "ledger/record_format.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

using salesledger::v1::Event;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

// MTH(D[begin:end]) straight from RFC 9162 §2.1.1, recursively, over the leaf hashes.
std::string Mth(const std::vector<std::string>& leaves, uint64_t begin, uint64_t end) {
  if (end == begin) return Sha256("");
  if (end - begin == 1) return leaves[begin];
  uint64_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return Sha256({absl::string_view("\x01", 1), Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end)});
}

class TreeStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventLog> Open(bool tree = true, bool read_only = false) {
    EventLogOptions options;
    options.path = dir_.Sub("ledger");
    options.merkle_tree = tree;
    options.read_only = read_only;
    auto log = EventLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  // Appends `n` events; remembers each one's leaf hash from the stored bytes.
  void Append(EventLog& log, int n) {
    for (int i = 0; i < n; ++i) {
      Event e;
      e.set_actor_id(absl::StrCat("a", leaves_.size()));
      e.mutable_genesis()->set_ledger_id(absl::StrCat("l", leaves_.size()));
      auto appended = log.AppendEvent(absl::StrCat("r", leaves_.size()), Sha256(e.actor_id()), e);
      ASSERT_THAT(appended, IsOk());
      Event stored = appended->event;
      stored.clear_hash();
      leaves_.push_back(Sha256({absl::string_view("\x00", 1), stored.SerializeAsString()}));
      ASSERT_EQ(appended->leaf_hash, leaves_.back());
    }
  }

  void ExpectRootsAndProofs(const EventLog& log) {
    ASSERT_EQ(log.tree_size(), leaves_.size());
    for (uint64_t size = 1; size <= leaves_.size(); ++size) {
      auto root = log.TreeRoot(size);
      ASSERT_THAT(root, IsOk());
      ASSERT_EQ(*root, Mth(leaves_, 0, size)) << "size " << size;
      for (uint64_t seq = 1; seq <= size; ++seq) {
        auto proof = log.InclusionProof(seq, size);
        ASSERT_THAT(proof, IsOk());
        ASSERT_THAT(merkle::VerifyInclusion(seq - 1, size, leaves_[seq - 1], *proof, *root), IsOk())
            << "seq " << seq << " size " << size;
      }
      for (uint64_t old_size = 1; old_size <= size; ++old_size) {
        auto proof = log.ConsistencyProof(old_size, size);
        ASSERT_THAT(proof, IsOk());
        ASSERT_THAT(merkle::VerifyConsistency(old_size, size, *proof, Mth(leaves_, 0, old_size), *root), IsOk())
            << old_size << " -> " << size;
      }
    }
  }

  testing::TempDir dir_;
  std::vector<std::string> leaves_;
};

TEST_F(TreeStoreTest, EverySizeHasTheRootOfRfc9162AndProofsThatVerify) {
  auto log = Open();
  Append(*log, 37);
  ExpectRootsAndProofs(*log);
  EXPECT_THAT(log->LeafHash(5), IsOk());
  EXPECT_EQ(*log->LeafHash(5), leaves_[4]);
  EXPECT_EQ(*log->TreeRoot(0), Sha256(""));
  auto verified = log->VerifyTree();
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(*verified, Mth(leaves_, 0, 37));
}

TEST_F(TreeStoreTest, SizesPastTheHeadAreRefused) {
  auto log = Open();
  Append(*log, 4);
  EXPECT_THAT(log->TreeRoot(5), StatusIs(Code::kInvalidArgument, HasSubstr("tree size 5 is past the head: the tree has 4")));
  EXPECT_THAT(log->InclusionProof(5, 5), StatusIs(Code::kInvalidArgument, HasSubstr("tree size 5")));
  EXPECT_THAT(log->InclusionProof(4, 3), StatusIs(Code::kInvalidArgument, HasSubstr("seq 4 is not in a tree of 3")));
  EXPECT_THAT(log->InclusionProof(0, 3), StatusIs(Code::kInvalidArgument, HasSubstr("seq 0")));
  EXPECT_THAT(log->ConsistencyProof(3, 9), StatusIs(Code::kInvalidArgument, HasSubstr("tree size 9")));
  EXPECT_THAT(log->LeafHash(5), StatusIs(Code::kNotFound, HasSubstr("seq 5")));
}

TEST_F(TreeStoreTest, ARetryCarriesTheOriginalLeafHash) {
  auto log = Open();
  Append(*log, 3);
  Event e;
  e.set_actor_id("a1");
  e.mutable_genesis()->set_ledger_id("l1");
  auto again = log->AppendEvent("r1", Sha256("a1"), e);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->leaf_hash, leaves_[1]);
  EXPECT_EQ(log->tree_size(), 3u);
}

TEST_F(TreeStoreTest, TheTreeSurvivesARestartAndGrowsOn) {
  {
    auto log = Open();
    Append(*log, 20);
  }
  auto log = Open();
  EXPECT_EQ(log->tree_size(), 20u);
  Append(*log, 13);
  ExpectRootsAndProofs(*log);
  EXPECT_THAT(log->VerifyTree(), IsOk());
}

TEST_F(TreeStoreTest, ALedgerFromBeforeTheTreeGetsItAtItsFirstWritableOpen) {
  {
    auto log = Open(/*tree=*/false);
    Append(*log, 70);
    EXPECT_EQ(log->tree_size(), 0u);
    EXPECT_THAT(log->TreeRoot(1), StatusIs(Code::kFailedPrecondition, HasSubstr("no Merkle tree yet")));
  }
  {
    testing::RawLedger raw(dir_.Sub("ledger"));  // as the build before the tree left it
    raw.DropFamily(record_format::kMerkleFamily);
    raw.DropFamily(record_format::kTreeHeadsFamily);
  }
  {
    auto reader = Open(/*tree=*/true, /*read_only=*/true);  // reads; never builds
    EXPECT_EQ(reader->tree_size(), 0u);
    EXPECT_THAT(reader->InclusionProof(1, 1), StatusIs(Code::kFailedPrecondition, HasSubstr("no Merkle tree yet")));
    auto heads = reader->LatestTreeHead();
    ASSERT_THAT(heads, IsOk());
    EXPECT_FALSE(heads->has_value());
  }
  auto log = Open();
  EXPECT_EQ(log->tree_size(), 70u);
  Append(*log, 5);
  ExpectRootsAndProofs(*log);
}

TEST_F(TreeStoreTest, ABuildResumesFromTheSizeItStored) {
  {
    auto log = Open();
    Append(*log, 9);
  }
  {
    auto log = Open(/*tree=*/false);  // events 10..30 arrive with no tree kept: its size stays 9
    Append(*log, 21);
  }
  auto log = Open();
  EXPECT_EQ(log->tree_size(), 30u);
  ExpectRootsAndProofs(*log);
  EXPECT_THAT(log->VerifyTree(), IsOk());
}

TEST_F(TreeStoreTest, OnlyNodesFromTheLowestStoredLevelUpAreKept) {
  {
    auto log = Open();
    Append(*log, 70);
  }
  testing::RawLedger raw(dir_.Sub("ledger"));
  using record_format::EncodeNodeKey;
  EXPECT_THAT(raw.Keys(record_format::kMerkleFamily),
              ElementsAre(EncodeNodeKey(4, 0), EncodeNodeKey(4, 1), EncodeNodeKey(4, 2), EncodeNodeKey(4, 3),
                          EncodeNodeKey(5, 0), EncodeNodeKey(5, 1), EncodeNodeKey(6, 0)));
}

TEST_F(TreeStoreTest, VerifyFindsAChangedOrAnExtraNodeAndRebuildRepairsIt) {
  {
    auto log = Open();
    Append(*log, 64);
  }
  {
    testing::RawLedger raw(dir_.Sub("ledger"));
    raw.PutRecord(record_format::kMerkleFamily, record_format::EncodeNodeKey(4, 1), std::string(32, 'x'));
  }
  {
    auto log = Open();
    EXPECT_THAT(log->VerifyTree(), StatusIs(Code::kDataLoss, HasSubstr("node (level 4, index 1), completed by seq 32")));
    ASSERT_THAT(log->RebuildTree(), IsOk());
    EXPECT_THAT(log->VerifyTree(), IsOk());
    ExpectRootsAndProofs(*log);
  }
  {
    testing::RawLedger raw(dir_.Sub("ledger"));
    raw.PutRecord(record_format::kMerkleFamily, record_format::EncodeNodeKey(4, 9), std::string(32, 'y'));
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyTree(), StatusIs(Code::kDataLoss, HasSubstr("holds 8 nodes; 64 events complete 7")));
}

TEST_F(TreeStoreTest, ChangedEventsAreNotTheTreeAnyMore) {
  {
    auto log = Open();
    Append(*log, 40);
  }
  {
    testing::RawLedger raw(dir_.Sub("ledger"));
    Event changed;
    changed.set_seq(3);
    changed.set_actor_id("someone else");
    changed.mutable_genesis()->set_ledger_id("l2");
    raw.Rewrite(3, changed);  // the chain is recomputed; the tree is not
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
  EXPECT_THAT(log->VerifyTree(), StatusIs(Code::kDataLoss, HasSubstr("node (level 4, index 0), completed by seq 16")));
}

TEST_F(TreeStoreTest, SignedTreeHeadsAreKeptBySize) {
  auto log = Open();
  Append(*log, 3);
  auto none = log->LatestTreeHead();
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->has_value());
  ASSERT_THAT(log->PutTreeHead(2, "note at 2\n"), IsOk());
  ASSERT_THAT(log->PutTreeHead(3, "note at 3\n"), IsOk());
  auto latest = log->LatestTreeHead();
  ASSERT_THAT(latest, IsOk());
  EXPECT_THAT(**latest, Pair(3u, "note at 3\n"));
  EXPECT_EQ(**log->TreeHeadAt(2), "note at 2\n");
  EXPECT_FALSE(log->TreeHeadAt(1)->has_value());
  std::vector<uint64_t> sizes;
  ASSERT_THAT(log->ReadTreeHeads([&](uint64_t size, absl::string_view) {
    sizes.push_back(size);
    return true;
  }),
              IsOk());
  EXPECT_THAT(sizes, ElementsAre(2u, 3u));
}

}  // namespace
}  // namespace salesledger
