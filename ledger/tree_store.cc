// The Merkle tree over the events (event_log.h): building it, its nodes, proofs, verification and
// the signed tree heads. Nodes from level kLowestStoredLevel up live in the merkle column family
// (record_format.h); one below is hashed from its events when a proof needs it.
#include <algorithm>
#include <bit>

#include "base/status_macros.h"
#include "ledger/log_impl.h"
#include "rocksdb/write_batch.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

// Nodes written per batch while a tree is built: the build resumes from the last batch written.
constexpr uint64_t kBuildBatchLeaves = 65536;

}  // namespace

absl::Status EventLog::Impl::RequireTree(uint64_t size) const {
  if (merkle() == nullptr || (tree_size() == 0 && GetHead().seq > 0)) {
    return absl::FailedPreconditionError(
        "this ledger has no Merkle tree yet: it is built at the first start of ledgerd of this version");
  }
  if (size > tree_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", size, " is past the head: the tree has ", tree_size(), " leaves"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> EventLog::Impl::Node(int level, uint64_t index) const {
  if (level == 0) return StoredLeafHash(index + 1);
  if (level < rf::kLowestStoredLevel) {
    // At most 8 neighbouring events: one seek, no read-ahead (Read's is for long scans).
    const uint64_t first = (index << level) + 1, last = (index + 1) << level;
    const std::string upper = rf::EncodeSeq(last + 1);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events()));
    merkle::CompactRange subtree;
    for (it->Seek(rf::EncodeSeq(first)); it->Valid(); it->Next()) {
      auto value = rf::DecodeEventValue(absl::string_view(it->value().data(), it->value().size()));
      if (!value) return DataLoss(first + subtree.size(), "the stored record is too short to hold a hash");
      subtree.Append(merkle::LeafHash(value->event_bytes));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "read events for a Merkle node"));
    if (subtree.size() != last - first + 1) return DataLoss(first + subtree.size(), "the event is missing");
    return subtree.Root();
  }
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), merkle(), rf::EncodeNodeKey(level, index), &value);
  if (s.IsNotFound() || (s.ok() && value.size() != merkle::kHashBytes)) {
    return absl::DataLossError(absl::StrCat("Merkle node (level ", level, ", index ", index, ") is missing or malformed"));
  }
  if (!s.ok()) return absl::DataLossError(absl::StrCat("reading a Merkle node: ", s.ToString()));
  return value;
}

absl::Status EventLog::Impl::BuildTree() {
  const uint64_t head = GetHead().seq;
  uint64_t size = tree_size();
  ASSIGN_OR_RETURN(tree_, merkle::CompactRange::Load(size, Nodes()));
  while (size < head) {
    const uint64_t to = std::min(head, size + kBuildBatchLeaves);
    rocksdb::WriteBatch batch;
    RETURN_IF_ERROR(Read(size + 1, to, [&](const StoredEvent& e) {
      for (const merkle::CompactRange::Node& node : tree_.Append(merkle::LeafHash(e.bytes))) {
        if (node.level >= rf::kLowestStoredLevel) batch.Put(merkle(), rf::EncodeNodeKey(node.level, node.index), node.hash);
      }
      return true;
    }));
    if (tree_.size() != to) return DataLoss(tree_.size() + 1, "the event is missing");
    batch.Put(meta(), rf::kMerkleSizeKey, rf::EncodeSeq(to));
    // RocksDB's log keeps batches in order: the last one synced makes every earlier one durable.
    rocksdb::WriteOptions options;
    options.sync = to == head;
    RETURN_IF_ERROR(FromRocks(db_->Write(options, &batch), "write the Merkle tree"));
    size = to;
  }
  absl::MutexLock lock(&head_mu_);
  tree_size_ = head;
  return absl::OkStatus();
}

uint64_t EventLog::tree_size() const { return impl_->tree_size(); }

absl::StatusOr<std::string> EventLog::TreeRoot(uint64_t size) const {
  RETURN_IF_ERROR(impl_->RequireTree(size));
  return merkle::RootAt(size, impl_->Nodes());
}

absl::StatusOr<std::string> EventLog::LeafHash(uint64_t seq) const {
  if (seq == 0 || seq > GetHead().seq) return absl::NotFoundError(absl::StrCat("no event at seq ", seq));
  return impl_->StoredLeafHash(seq);
}

absl::StatusOr<std::vector<std::string>> EventLog::InclusionProof(uint64_t seq, uint64_t size) const {
  RETURN_IF_ERROR(impl_->RequireTree(size));
  if (seq == 0 || seq > size) {
    return absl::InvalidArgumentError(absl::StrCat("seq ", seq, " is not in a tree of ", size, " events"));
  }
  return merkle::InclusionProof(seq - 1, size, impl_->Nodes());
}

absl::StatusOr<std::vector<std::string>> EventLog::ConsistencyProof(uint64_t old_size, uint64_t new_size) const {
  RETURN_IF_ERROR(impl_->RequireTree(new_size));
  return merkle::ConsistencyProof(old_size, new_size, impl_->Nodes());
}

absl::StatusOr<std::string> EventLog::VerifyTree() const {
  const uint64_t size = tree_size();
  RETURN_IF_ERROR(impl_->RequireTree(size));
  merkle::CompactRange tree;
  absl::Status bad;
  uint64_t nodes = 0;
  RETURN_IF_ERROR(Read(1, size, [&](const StoredEvent& e) {
    for (const merkle::CompactRange::Node& node : tree.Append(merkle::LeafHash(e.bytes))) {
      if (node.level < rf::kLowestStoredLevel) continue;
      ++nodes;
      absl::StatusOr<std::string> stored = impl_->Node(node.level, node.index);
      if (!stored.ok() || *stored != node.hash) {
        bad = absl::DataLossError(absl::StrCat("the stored Merkle tree differs from the events at node (level ",
                                               node.level, ", index ", node.index, "), completed by seq ", e.seq,
                                               "; run 'ledgerctl rebuild' to build it again"));
        return false;
      }
    }
    return true;
  }));
  RETURN_IF_ERROR(bad);
  if (tree.size() != size) return DataLoss(tree.size() + 1, "the event is missing");
  // No node beyond those the events complete: every one a tree of `size` leaves has, nothing more.
  uint64_t stored = 0;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db()->NewIterator(rocksdb::ReadOptions(), impl_->merkle()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++stored;
  RETURN_IF_ERROR(FromRocks(it->status(), "read the Merkle tree"));
  if (stored != nodes) {
    return absl::DataLossError(absl::StrCat("the Merkle tree holds ", stored, " nodes; ", size, " events complete ",
                                            nodes));
  }
  return tree.Root();
}

absl::Status EventLog::Impl::RebuildTree() {
  if (read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  if (merkle() == nullptr) return absl::FailedPreconditionError("this log keeps no Merkle tree");
  RETURN_IF_ERROR(FromRocks(db_->DeleteRange(sync_, merkle(), std::string(1, '\0'), std::string(9, '\xff')),
                            "drop the Merkle tree"));
  RETURN_IF_ERROR(FromRocks(db_->Delete(sync_, meta(), rf::kMerkleSizeKey), "drop the Merkle tree"));
  {
    absl::MutexLock lock(&head_mu_);
    tree_size_ = 0;
  }
  return BuildTree();
}

absl::Status EventLog::RebuildTree() { return impl_->RebuildTree(); }

absl::Status EventLog::PutTreeHead(uint64_t size, absl::string_view signed_note) {
  if (impl_->read_only()) return absl::FailedPreconditionError("the ledger was opened read-only");
  return FromRocks(impl_->db()->Put(impl_->sync(), impl_->tree_heads(), rf::EncodeSeq(size),
                                    rocksdb::Slice(signed_note.data(), signed_note.size())),
                   "store the signed tree head");
}

absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> EventLog::LatestTreeHead() const {
  if (impl_->tree_heads() == nullptr) return std::nullopt;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db()->NewIterator(rocksdb::ReadOptions(), impl_->tree_heads()));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "read the signed tree heads"));
  if (!it->Valid()) return std::nullopt;
  auto size = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
  if (!size) return absl::DataLossError("a signed tree head's key is malformed");
  return std::make_pair(*size, it->value().ToString());
}

absl::StatusOr<std::optional<std::string>> EventLog::TreeHeadAt(uint64_t size) const {
  if (impl_->tree_heads() == nullptr) return std::nullopt;
  std::string value;
  rocksdb::Status s = impl_->db()->Get(rocksdb::ReadOptions(), impl_->tree_heads(), rf::EncodeSeq(size), &value);
  if (s.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(s, "read a signed tree head"));
  return value;
}

absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> EventLog::FirstTreeHeadFrom(uint64_t size) const {
  if (impl_->tree_heads() == nullptr) return std::nullopt;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db()->NewIterator(rocksdb::ReadOptions(), impl_->tree_heads()));
  it->Seek(rf::EncodeSeq(size));
  RETURN_IF_ERROR(FromRocks(it->status(), "read the signed tree heads"));
  if (!it->Valid()) return std::nullopt;
  auto found = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
  if (!found) return absl::DataLossError("a signed tree head's key is malformed");
  return std::make_pair(*found, it->value().ToString());
}

absl::Status EventLog::ReadTreeHeads(const std::function<bool(uint64_t size, absl::string_view note)>& visit) const {
  if (impl_->tree_heads() == nullptr) return absl::OkStatus();
  std::unique_ptr<rocksdb::Iterator> it(impl_->db()->NewIterator(rocksdb::ReadOptions(), impl_->tree_heads()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto size = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
    if (!size) return absl::DataLossError("a signed tree head's key is malformed");
    if (!visit(*size, absl::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "read the signed tree heads");
}

std::vector<std::pair<std::string, uint64_t>> EventLog::BytesByFamily() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (rocksdb::ColumnFamilyHandle* h : impl_->families()) {
    rocksdb::ColumnFamilyMetaData data;
    impl_->db()->GetColumnFamilyMetaData(h, &data);
    out.emplace_back(h->GetName(), data.size);
  }
  return out;
}

}  // namespace salesledger
