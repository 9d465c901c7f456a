// The Merkle tree of RFC 9162 §2.1 over a log's entries: hashing, the compact range that appends
// leaves in O(1) amortised hashes, and inclusion and consistency proofs, built from stored nodes
// and verified by every step of §2.1.3.2 and §2.1.4.2.
//
//   leaf hash   = SHA-256(0x00 || entry bytes)
//   node hash   = SHA-256(0x01 || left || right)
//   MTH(D[n])   = the split at k, the largest power of two below n: node(MTH(D[0:k]), MTH(D[k:n]))
//   empty tree  = SHA-256("")
//
// A node is named by its level (0 = leaves) and its index within the level: it covers the leaves
// [index * 2^level, (index + 1) * 2^level). Only complete nodes exist.
//
// Pure functions and value types; thread-safe as their arguments are.
#ifndef SALESLEDGER_TRANSPARENCY_MERKLE_H_
#define SALESLEDGER_TRANSPARENCY_MERKLE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger::merkle {

inline constexpr size_t kHashBytes = 32;

std::string LeafHash(absl::string_view entry);
std::string NodeHash(absl::string_view left, absl::string_view right);
const std::string& EmptyRoot();

// The largest power of two strictly below n (REQUIRES: n >= 2).
uint64_t SplitPoint(uint64_t n);

// The complete node (level, index), from wherever the caller keeps them. Its error is returned
// as is by whatever asked for it.
using NodeSource = std::function<absl::StatusOr<std::string>(int level, uint64_t index)>;

// The root of the first `size` leaves: O(log size) nodes read.
absl::StatusOr<std::string> RootAt(uint64_t size, const NodeSource& nodes);

// The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1), bottom up.
// INVALID_ARGUMENT unless index < size.
absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t size, const NodeSource& nodes);

// The proof that the tree of `old_size` leaves is a prefix of the one of `new_size` (§2.1.4.1).
// INVALID_ARGUMENT unless 0 < old_size <= new_size; empty when the sizes are equal.
absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                                          const NodeSource& nodes);

// §2.1.3.2. OK, or FAILED_PRECONDITION saying which check or step failed.
absl::Status VerifyInclusion(uint64_t index, uint64_t size, absl::string_view leaf_hash,
                             const std::vector<std::string>& proof, absl::string_view root);

// §2.1.4.2. OK, or FAILED_PRECONDITION saying which check or step failed.
absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const std::vector<std::string>& proof,
                               absl::string_view old_root, absl::string_view new_root);

// The right edge of a growing tree: the roots of the complete subtrees that cover the leaves
// [0, size), largest first. Appending a leaf completes the nodes it finishes, which the caller
// stores; the root is folded from the edge.
class CompactRange {
 public:
  struct Node {
    int level = 0;
    uint64_t index = 0;
    std::string hash;
  };

  CompactRange() = default;
  // The range of a tree of `size` leaves, its edge read from `nodes`.
  static absl::StatusOr<CompactRange> Load(uint64_t size, const NodeSource& nodes);

  uint64_t size() const { return size_; }
  // Appends a leaf; returns the nodes it completes above level 0, lowest first.
  std::vector<Node> Append(std::string leaf_hash);
  std::string Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Node> edge_;  // levels strictly decreasing
};

}  // namespace salesledger::merkle

#endif  // SALESLEDGER_TRANSPARENCY_MERKLE_H_
