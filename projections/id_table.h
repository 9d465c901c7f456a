// IdTable: values keyed by id, kept in the order their ids were first added, with a hash index of
// positions. For tables that gain an entry for most events of the log (a project's ids): the
// order is the log's, so a rebuilt table and an incrementally maintained one iterate identically
// and a checkpoint writes the entries as they are, with no sort; and the index holds 8-byte
// slots (a position and a hash) instead of a second copy of each id.
//
// Ids are never removed; positions are 32-bit (4e9 ids a table). Entries are stable in memory (a
// deque): references stay valid as the table grows. A moved-from table may only be destroyed or
// assigned to.
#ifndef SALESLEDGER_PROJECTIONS_ID_TABLE_H_
#define SALESLEDGER_PROJECTIONS_ID_TABLE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "projections/compact_id.h"

namespace salesledger {

template <typename V>
class IdTable {
 public:
  using Entry = std::pair<CompactId, V>;

  IdTable() : entries_(std::make_unique<std::deque<Entry>>()), index_(0, Hash{}, Eq{entries_.get()}) {}
  IdTable(const IdTable& other) : IdTable() { *this = other; }
  IdTable& operator=(const IdTable& other) {
    if (this == &other) return *this;
    entries_ = std::make_unique<std::deque<Entry>>(*other.entries_);
    RebuildIndex();
    return *this;
  }
  IdTable(IdTable&&) = default;
  IdTable& operator=(IdTable&&) = default;

  // Adds `id` with `value` at the end; false (and nothing changed) when `id` is already there.
  bool Add(absl::string_view id, V value) {
    const Key key{id, Hash32(id)};
    bool added = false;
    index_.lazy_emplace(key, [&](const auto& construct) {
      entries_->emplace_back(CompactId(id), std::move(value));
      construct(Slot{static_cast<uint32_t>(entries_->size() - 1), key.hash});
      added = true;
    });
    return added;
  }
  // The value of `id`, or nullptr.
  const V* Find(absl::string_view id) const {
    auto it = index_.find(Key{id, Hash32(id)});
    return it == index_.end() ? nullptr : &(*entries_)[it->position].second;
  }
  V* Find(absl::string_view id) { return const_cast<V*>(std::as_const(*this).Find(id)); }

  size_t size() const { return entries_->size(); }
  // (id, value) pairs in the order added.
  auto begin() const { return entries_->cbegin(); }
  auto end() const { return entries_->cend(); }

 private:
  // An index element: a position in *entries_ and 32 bits of its id's hash. Growing the index
  // rehashes from the slot alone, and a probe compares ids only when their hashes agree, so the
  // index rarely touches the entries (which sit in id-creation order, far apart in memory).
  struct Slot {
    uint32_t position;
    uint32_t hash;
  };
  struct Key {
    absl::string_view id;
    uint32_t hash;
  };
  static uint32_t Hash32(absl::string_view id) {
    const uint64_t h = absl::Hash<absl::string_view>()(id);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }
  struct Hash {
    using is_transparent = void;
    // Spread over 64 bits: the index takes its probe position from the high bits.
    static size_t Spread(uint32_t hash) { return hash * uint64_t{0x9E3779B97F4A7C15}; }
    size_t operator()(const Slot& s) const { return Spread(s.hash); }
    size_t operator()(const Key& k) const { return Spread(k.hash); }
  };
  struct Eq {
    using is_transparent = void;
    const std::deque<Entry>* entries;
    bool operator()(const Slot& a, const Slot& b) const { return a.position == b.position; }
    bool operator()(const Slot& a, const Key& b) const {
      return a.hash == b.hash && (*entries)[a.position].first.view() == b.id;
    }
    bool operator()(const Key& a, const Slot& b) const { return (*this)(b, a); }
  };
  using Index = absl::flat_hash_set<Slot, Hash, Eq>;

  void RebuildIndex() {
    index_ = Index(entries_->size(), Hash{}, Eq{entries_.get()});
    for (uint32_t i = 0; i < entries_->size(); ++i) index_.insert(Slot{i, Hash32((*entries_)[i].first.view())});
  }

  // On the heap, so that the index's functors keep pointing at it when the table moves.
  std::unique_ptr<std::deque<Entry>> entries_;
  Index index_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_ID_TABLE_H_
