// IdTable: values keyed by id, kept in the order their ids were first added, with a hash index of
// positions. For tables that gain an entry for most events of the log (a project's ids): the
// order is the log's, so a rebuilt table and an incrementally maintained one iterate identically
// and a checkpoint writes the entries as they are, with no sort; and the index holds 4-byte
// positions instead of a second copy of each id.
//
// Ids are never removed. Entries are stable in memory (a deque): references stay valid as the
// table grows. A moved-from table may only be destroyed or assigned to.
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

  IdTable() : entries_(std::make_unique<std::deque<Entry>>()), index_(0, Hash{entries_.get()}, Eq{entries_.get()}) {}
  IdTable(const IdTable& other) : IdTable() { *this = other; }
  IdTable& operator=(const IdTable& other) {
    if (this == &other) return *this;
    *entries_ = *other.entries_;
    RebuildIndex();
    return *this;
  }
  IdTable(IdTable&&) = default;
  IdTable& operator=(IdTable&&) = default;

  // Adds `id` with `value` at the end; false (and nothing changed) when `id` is already there.
  bool Add(absl::string_view id, V value) {
    bool added = false;
    index_.lazy_emplace(id, [&](const auto& construct) {
      entries_->emplace_back(CompactId(id), std::move(value));
      construct(static_cast<uint32_t>(entries_->size() - 1));
      added = true;
    });
    return added;
  }
  // The value of `id`, or nullptr.
  const V* Find(absl::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &(*entries_)[*it].second;
  }
  V* Find(absl::string_view id) { return const_cast<V*>(std::as_const(*this).Find(id)); }

  size_t size() const { return entries_->size(); }
  // (id, value) pairs in the order added.
  auto begin() const { return entries_->cbegin(); }
  auto end() const { return entries_->cend(); }

 private:
  // The index's elements are positions in *entries_; it hashes and compares them as their ids, so
  // it can be searched by any text.
  struct Hash {
    using is_transparent = void;
    const std::deque<Entry>* entries;
    size_t operator()(absl::string_view id) const { return absl::Hash<absl::string_view>()(id); }
    size_t operator()(uint32_t position) const { return (*this)((*entries)[position].first.view()); }
  };
  struct Eq {
    using is_transparent = void;
    const std::deque<Entry>* entries;
    absl::string_view Id(absl::string_view id) const { return id; }
    absl::string_view Id(uint32_t position) const { return (*entries)[position].first.view(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const { return Id(a) == Id(b); }
  };
  using Index = absl::flat_hash_set<uint32_t, Hash, Eq>;

  void RebuildIndex() {
    index_ = Index(entries_->size(), Hash{entries_.get()}, Eq{entries_.get()});
    for (uint32_t i = 0; i < entries_->size(); ++i) index_.insert(i);
  }

  // On the heap, so that the index's functors keep pointing at it when the table moves.
  std::unique_ptr<std::deque<Entry>> entries_;
  Index index_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_PROJECTIONS_ID_TABLE_H_
