// The RFC 9162 Merkle tree against the reference test data published with RFC 6962 and by
// transparency-dev/merkle (testonly/constants.go, testdata/): the 8-leaf tree, the root at each
// size, and the published inclusion and consistency proofs. Every expected value below is the
// published one, written out here; none is this project's own output.
#include "transparency/merkle.h"

#include <map>
#include <random>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::merkle {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

std::string Hex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

const std::vector<std::string>& Leaves() {
  static const auto* leaves = new std::vector<std::string>{
      Hex(""),         Hex("00"),       Hex("10"),       Hex("2021"),
      Hex("3031"),     Hex("40414243"), Hex("5051525354555657"), Hex("606162636465666768696a6b6c6d6e6f")};
  return *leaves;
}

// Published roots, by tree size.
const char* const kRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // empty
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// Every complete node of the 8-leaf tree, as published (level, index -> hash).
std::map<std::pair<int, uint64_t>, std::string> PublishedNodes() {
  const std::vector<std::vector<const char*>> levels = {
      {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
       "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
       "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
       "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
       "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
       "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
       "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
      {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
       "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
      {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
      {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
  };
  std::map<std::pair<int, uint64_t>, std::string> out;
  for (size_t l = 0; l < levels.size(); ++l) {
    for (size_t i = 0; i < levels[l].size(); ++i) out[{static_cast<int>(l), i}] = Hex(levels[l][i]);
  }
  return out;
}

// Nodes computed by appending the leaves, as the ledger stores them.
class Store {
 public:
  explicit Store(size_t leaves) {
    for (size_t i = 0; i < leaves; ++i) {
      const std::string leaf = LeafHash(Leaves()[i % Leaves().size()] + std::string(i / Leaves().size(), 'x'));
      nodes_[{0, i}] = leaf;
      for (const auto& n : range_.Append(leaf)) nodes_[{n.level, n.index}] = n.hash;
    }
  }
  NodeSource Source() const {
    return [this](int level, uint64_t index) -> absl::StatusOr<std::string> {
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) return absl::NotFoundError("no such node");
      return it->second;
    };
  }
  const CompactRange& range() const { return range_; }
  const std::map<std::pair<int, uint64_t>, std::string>& nodes() const { return nodes_; }

 private:
  CompactRange range_;
  std::map<std::pair<int, uint64_t>, std::string> nodes_;
};

std::vector<std::string> Hexes(std::initializer_list<const char*> hexes) {
  std::vector<std::string> out;
  for (const char* h : hexes) out.push_back(Hex(h));
  return out;
}

TEST(MerkleTest, ReproducesThePublishedRootsAndNodes) {
  EXPECT_EQ(EmptyRoot(), Hex(kRoots[0]));
  Store store(8);
  EXPECT_EQ(store.nodes(), PublishedNodes());  // every complete node, computed by appending
  CompactRange range;
  for (size_t size = 1; size <= 8; ++size) {
    range.Append(LeafHash(Leaves()[size - 1]));
    EXPECT_EQ(range.Root(), Hex(kRoots[size])) << "size " << size;
    EXPECT_EQ(*RootAt(size, store.Source()), Hex(kRoots[size])) << "size " << size;
    auto loaded = CompactRange::Load(size, store.Source());
    ASSERT_THAT(loaded.status(), IsOk());
    EXPECT_EQ(loaded->Root(), Hex(kRoots[size]));
  }
}

struct InclusionVector {
  uint64_t index, size;
  std::vector<std::string> proof;
};
struct ConsistencyVector {
  uint64_t old_size, new_size;
  std::vector<std::string> proof;
};

// transparency-dev/merkle testdata/inclusion/{0..4}/happy-path.json and the RFC 6962 tests.
std::vector<InclusionVector> PublishedInclusion() {
  return {
      {0, 1, {}},
      {0, 8,
       Hexes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       Hexes({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, Hexes({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       Hexes({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
}

// testdata/consistency/{0..4}/happy-path.json.
std::vector<ConsistencyVector> PublishedConsistency() {
  return {
      {1, 1, {}},
      {1, 8,
       Hexes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hexes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hexes({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       Hexes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
}

TEST(MerkleTest, ReproducesAndVerifiesThePublishedInclusionProofs) {
  Store store(8);
  for (const auto& v : PublishedInclusion()) {
    auto proof = InclusionProof(v.index, v.size, store.Source());
    ASSERT_THAT(proof.status(), IsOk());
    EXPECT_EQ(*proof, v.proof) << v.index << " in " << v.size;
    EXPECT_THAT(VerifyInclusion(v.index, v.size, LeafHash(Leaves()[v.index]), v.proof, Hex(kRoots[v.size])), IsOk());
  }
}

TEST(MerkleTest, ReproducesAndVerifiesThePublishedConsistencyProofs) {
  Store store(8);
  for (const auto& v : PublishedConsistency()) {
    auto proof = ConsistencyProof(v.old_size, v.new_size, store.Source());
    ASSERT_THAT(proof.status(), IsOk());
    EXPECT_EQ(*proof, v.proof) << v.old_size << " -> " << v.new_size;
    EXPECT_THAT(VerifyConsistency(v.old_size, v.new_size, v.proof, Hex(kRoots[v.old_size]), Hex(kRoots[v.new_size])),
                IsOk());
  }
}

// Forged proofs are refused at the step they break (immudb's CVE-2022-36111 accepted one whose
// last step was not checked).
TEST(MerkleTest, RefusesForgedInclusionProofs) {
  const InclusionVector v = PublishedInclusion()[2];  // leaf 5 of 8
  const std::string leaf = LeafHash(Leaves()[5]), root = Hex(kRoots[8]);
  for (size_t i = 0; i < v.proof.size(); ++i) {
    for (int bit : {0, 7, 255}) {
      std::vector<std::string> flipped = v.proof;
      flipped[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
      EXPECT_THAT(VerifyInclusion(5, 8, leaf, flipped, root),
                  StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("computes another root"))) << i << " " << bit;
    }
  }
  std::string bad_leaf = leaf;
  bad_leaf[0] ^= 1;
  EXPECT_THAT(VerifyInclusion(5, 8, bad_leaf, v.proof, root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("another root")));
  EXPECT_THAT(VerifyInclusion(4, 8, leaf, v.proof, root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("another root")));
  EXPECT_THAT(VerifyInclusion(8, 8, leaf, v.proof, root),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("leaf index 8 is not below the tree size 8")));
  EXPECT_THAT(VerifyInclusion(5, 16, leaf, v.proof, root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too short")));
  // (A path of leaf 5 of 8 also has the shape of one in a tree of 7: only a signed checkpoint says
  // which size a root is of, so that the size a proof claims must be the checkpoint's.)
  std::vector<std::string> longer = v.proof;
  longer.push_back(root);
  EXPECT_THAT(VerifyInclusion(5, 8, leaf, longer, root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too long")));
  std::vector<std::string> shorter(v.proof.begin(), v.proof.end() - 1);
  EXPECT_THAT(VerifyInclusion(5, 8, leaf, shorter, root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too short")));
  std::vector<std::string> truncated_hash = v.proof;
  truncated_hash[1].pop_back();
  EXPECT_THAT(VerifyInclusion(5, 8, leaf, truncated_hash, root),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("proof hash 1 has 31 bytes")));
}

TEST(MerkleTest, RefusesForgedConsistencyProofs) {
  const ConsistencyVector v = PublishedConsistency()[2];  // 6 -> 8
  const std::string old_root = Hex(kRoots[6]), new_root = Hex(kRoots[8]);
  for (size_t i = 0; i < v.proof.size(); ++i) {
    std::vector<std::string> flipped = v.proof;
    flipped[i][31] ^= 0x01;
    EXPECT_THAT(VerifyConsistency(6, 8, flipped, old_root, new_root),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not rebuild"))) << i;
  }
  EXPECT_THAT(VerifyConsistency(6, 8, v.proof, Hex(kRoots[5]), new_root),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("old root")));
  EXPECT_THAT(VerifyConsistency(6, 8, v.proof, old_root, Hex(kRoots[7])),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("new root")));
  EXPECT_THAT(VerifyConsistency(8, 6, v.proof, new_root, old_root),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("smaller than the old one")));
  EXPECT_THAT(VerifyConsistency(6, 8, {}, old_root, new_root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("empty")));
  std::vector<std::string> longer = v.proof;
  longer.push_back(new_root);
  EXPECT_THAT(VerifyConsistency(6, 8, longer, old_root, new_root), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too long")));
  std::vector<std::string> shorter(v.proof.begin(), v.proof.end() - 1);
  EXPECT_THAT(VerifyConsistency(6, 8, shorter, old_root, new_root), StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(VerifyConsistency(5, 8, v.proof, Hex(kRoots[5]), new_root), StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  EXPECT_THAT(VerifyConsistency(8, 8, {}, new_root, old_root),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("two different roots")));
}

// Beyond the published tree: every proof of every pair of sizes of a 300-leaf tree verifies, and
// its root matches a root folded independently from the leaves.
TEST(MerkleTest, EveryProofOfALargerTreeVerifies) {
  Store store(300);
  std::vector<std::string> roots(301);
  CompactRange range;
  roots[0] = EmptyRoot();
  for (size_t size = 1; size <= 300; ++size) {
    range.Append(store.nodes().at({0, size - 1}));
    roots[size] = range.Root();
    ASSERT_EQ(*RootAt(size, store.Source()), roots[size]);
  }
  for (uint64_t size = 1; size <= 300; size += 7) {
    for (uint64_t index = 0; index < size; ++index) {
      auto proof = InclusionProof(index, size, store.Source());
      ASSERT_THAT(proof.status(), IsOk());
      ASSERT_THAT(VerifyInclusion(index, size, store.nodes().at({0, index}), *proof, roots[size]), IsOk())
          << index << " in " << size;
    }
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    const uint64_t b = 1 + rng() % 300, a = 1 + rng() % b;
    auto proof = ConsistencyProof(a, b, store.Source());
    ASSERT_THAT(proof.status(), IsOk());
    ASSERT_THAT(VerifyConsistency(a, b, *proof, roots[a], roots[b]), IsOk()) << a << " -> " << b;
  }
}

}  // namespace
}  // namespace salesledger::merkle
