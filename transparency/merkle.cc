#include "transparency/merkle.h"

#include <bit>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"

namespace salesledger::merkle {
namespace {

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// MTH(D[begin:end]): one stored node when the range is a complete subtree, else the split.
absl::StatusOr<std::string> RangeHash(uint64_t begin, uint64_t end, const NodeSource& nodes) {
  const uint64_t n = end - begin;
  if (IsPowerOfTwo(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return nodes(level, begin >> level);
  }
  const uint64_t k = SplitPoint(n);
  ASSIGN_OR_RETURN(const std::string left, RangeHash(begin, begin + k, nodes));
  ASSIGN_OR_RETURN(const std::string right, RangeHash(begin + k, end, nodes));
  return NodeHash(left, right);
}

// PATH(m, D[begin:end]) of RFC 9162 §2.1.3.1, appended to `out` bottom up.
absl::Status Path(uint64_t m, uint64_t begin, uint64_t end, const NodeSource& nodes, std::vector<std::string>& out) {
  if (end - begin == 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(end - begin);
  if (m < begin + k) {
    RETURN_IF_ERROR(Path(m, begin, begin + k, nodes, out));
    ASSIGN_OR_RETURN(std::string sibling, RangeHash(begin + k, end, nodes));
    out.push_back(std::move(sibling));
  } else {
    RETURN_IF_ERROR(Path(m, begin + k, end, nodes, out));
    ASSIGN_OR_RETURN(std::string sibling, RangeHash(begin, begin + k, nodes));
    out.push_back(std::move(sibling));
  }
  return absl::OkStatus();
}

// SUBPROOF(m, D[begin:end], b) of RFC 9162 §2.1.4.1, with m counted from `begin`.
absl::Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool complete, const NodeSource& nodes,
                      std::vector<std::string>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (complete) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::string hash, RangeHash(begin, end, nodes));
    out.push_back(std::move(hash));
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    RETURN_IF_ERROR(SubProof(m, begin, begin + k, complete, nodes, out));
    ASSIGN_OR_RETURN(std::string right, RangeHash(begin + k, end, nodes));
    out.push_back(std::move(right));
  } else {
    RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, nodes, out));
    ASSIGN_OR_RETURN(std::string left, RangeHash(begin, begin + k, nodes));
    out.push_back(std::move(left));
  }
  return absl::OkStatus();
}

absl::Status Refuse(absl::string_view what) { return absl::FailedPreconditionError(std::string(what)); }

absl::Status CheckHashSize(absl::string_view what, absl::string_view hash) {
  if (hash.size() == kHashBytes) return absl::OkStatus();
  return Refuse(absl::StrCat(what, " has ", hash.size(), " bytes; a SHA-256 hash has 32"));
}

}  // namespace

std::string LeafHash(absl::string_view entry) { return Sha256({absl::string_view("\x00", 1), entry}); }

std::string NodeHash(absl::string_view left, absl::string_view right) {
  return Sha256({absl::string_view("\x01", 1), left, right});
}

const std::string& EmptyRoot() {
  static const std::string* empty = new std::string(Sha256(""));
  return *empty;
}

uint64_t SplitPoint(uint64_t n) { return uint64_t{1} << (63 - std::countl_zero(n - 1)); }

absl::StatusOr<std::string> RootAt(uint64_t size, const NodeSource& nodes) {
  if (size == 0) return EmptyRoot();
  return RangeHash(0, size, nodes);
}

absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t size, const NodeSource& nodes) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat("leaf index ", index, " is not in a tree of ", size, " leaves"));
  }
  std::vector<std::string> proof;
  RETURN_IF_ERROR(Path(index, 0, size, nodes, proof));
  return proof;
}

absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                                          const NodeSource& nodes) {
  if (old_size == 0 || old_size > new_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("a consistency proof needs 0 < old size <= new size; got ", old_size, " and ", new_size));
  }
  std::vector<std::string> proof;
  if (old_size == new_size) return proof;
  RETURN_IF_ERROR(SubProof(old_size, 0, new_size, true, nodes, proof));
  return proof;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size, absl::string_view leaf_hash,
                             const std::vector<std::string>& proof, absl::string_view root) {
  if (index >= size) return Refuse(absl::StrCat("leaf index ", index, " is not below the tree size ", size));
  RETURN_IF_ERROR(CheckHashSize("the leaf hash", leaf_hash));
  RETURN_IF_ERROR(CheckHashSize("the root", root));
  uint64_t fn = index, sn = size - 1;
  std::string r(leaf_hash);
  for (size_t i = 0; i < proof.size(); ++i) {
    const std::string& p = proof[i];
    RETURN_IF_ERROR(CheckHashSize(absl::StrCat("proof hash ", i), p));
    if (sn == 0) {
      return Refuse(absl::StrCat("the proof is too long: step ", i, " of ", proof.size(),
                                 " comes after the root was reached"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Refuse(absl::StrCat("the proof is too short: ", proof.size(), " hashes do not reach the root of a tree of ",
                               size, " leaves"));
  }
  if (r != root) {
    return Refuse(absl::StrCat("the proof of leaf ", index, " computes another root than the tree of ", size,
                               " leaves has"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const std::vector<std::string>& proof,
                               absl::string_view old_root, absl::string_view new_root) {
  RETURN_IF_ERROR(CheckHashSize("the old root", old_root));
  RETURN_IF_ERROR(CheckHashSize("the new root", new_root));
  if (old_size > new_size) {
    return Refuse(absl::StrCat("the new tree (", new_size, " leaves) is smaller than the old one (", old_size, ")"));
  }
  if (old_size == new_size) {
    if (!proof.empty()) return Refuse("a proof between two trees of one size must be empty");
    if (old_root != new_root) return Refuse(absl::StrCat("two different roots for one tree size (", old_size, ")"));
    return absl::OkStatus();
  }
  if (old_size == 0) return proof.empty() ? absl::OkStatus() : Refuse("a proof from the empty tree must be empty");
  if (proof.empty()) return Refuse("the consistency proof is empty");
  for (size_t i = 0; i < proof.size(); ++i) RETURN_IF_ERROR(CheckHashSize(absl::StrCat("proof hash ", i), proof[i]));
  std::vector<std::string> path;
  if (IsPowerOfTwo(old_size)) path.emplace_back(old_root);  // the old tree is a node of the new
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) {
      return Refuse(absl::StrCat("the proof is too long: hash ", i, " comes after the new root was reached"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Refuse("the proof is too short to reach the new root");
  if (fr != old_root) {
    return Refuse(absl::StrCat("the proof does not rebuild the old root: the tree of ", old_size,
                               " leaves is not a prefix of the tree of ", new_size));
  }
  if (sr != new_root) return Refuse(absl::StrCat("the proof does not rebuild the new root of ", new_size, " leaves"));
  return absl::OkStatus();
}

absl::StatusOr<CompactRange> CompactRange::Load(uint64_t size, const NodeSource& nodes) {
  CompactRange range;
  range.size_ = size;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    if (((size >> level) & 1) == 0) continue;
    ASSIGN_OR_RETURN(std::string hash, nodes(level, begin >> level));
    range.edge_.push_back(Node{level, begin >> level, std::move(hash)});
    begin += uint64_t{1} << level;
  }
  return range;
}

std::vector<CompactRange::Node> CompactRange::Append(std::string leaf_hash) {
  std::vector<Node> completed;
  edge_.push_back(Node{0, size_, std::move(leaf_hash)});
  ++size_;
  while (edge_.size() >= 2 && edge_[edge_.size() - 2].level == edge_.back().level) {
    Node right = std::move(edge_.back());
    edge_.pop_back();
    Node& left = edge_.back();
    left.hash = NodeHash(left.hash, right.hash);
    ++left.level;
    left.index >>= 1;
    completed.push_back(left);
  }
  return completed;
}

std::string CompactRange::Root() const {
  if (edge_.empty()) return EmptyRoot();
  std::string root = edge_.back().hash;
  for (size_t i = edge_.size() - 1; i-- > 0;) root = NodeHash(edge_[i].hash, root);
  return root;
}

}  // namespace salesledger::merkle
