// IdTable: records kept in the order they were added, each found by the unique id it carries, with
// a hash index of positions. For tables that gain a record for many events of the log (a project's
// ids, the violations): the order is the log's, so a rebuilt table and an incrementally
// maintained one iterate identically and a checkpoint writes the records as they are, with no
// sort; and the index holds 8-byte slots (a position and 32 bits of the id's hash) instead of a
// second copy of each id.
//
// `IdOf(record)` gives a record's id; it must not change while the record is in the table.
// Records are never removed; positions are 32-bit (4e9 records a table). Records are stable in
// memory (a deque): references stay valid as the table grows. A moved-from table may only be
// destroyed or assigned to.
// Thread-safety: none of its own; the owner serialises writers against readers, as for a std::deque.
#ifndef SALESLEDGER_BASE_ID_TABLE_H_
#define SALESLEDGER_BASE_ID_TABLE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace salesledger {

template <typename Record, absl::string_view (*IdOf)(const Record&)>
class IdTable {
 public:
  IdTable() : records_(std::make_unique<std::deque<Record>>()), index_(0, Hash{}, Eq{records_.get()}) {}
  IdTable(const IdTable& other) : IdTable() { *this = other; }
  IdTable& operator=(const IdTable& other) {
    if (this == &other) return *this;
    records_ = std::make_unique<std::deque<Record>>(*other.records_);
    // The slots are copied with their hashes: no id is read or hashed again. (A restart of
    // ledgerd copies tables of millions of ids.)
    index_ = Index(other.index_.begin(), other.index_.end(), other.index_.size(), Hash{}, Eq{records_.get()});
    return *this;
  }
  IdTable(IdTable&&) = default;
  IdTable& operator=(IdTable&&) = default;

  // Adds `record` at the end; false (and nothing changed) when its id is already there.
  bool Add(Record record) {
    const absl::string_view id = IdOf(record);
    const Key key{id, Hash32(id)};
    bool added = false;
    index_.lazy_emplace(key, [&](const auto& construct) {
      const uint32_t hash = key.hash;  // `key.id` views `record`, about to move
      records_->push_back(std::move(record));
      construct(Slot{static_cast<uint32_t>(records_->size() - 1), hash});
      added = true;
    });
    return added;
  }
  // The record with id `id`, or nullptr.
  const Record* Find(absl::string_view id) const {
    auto it = index_.find(Key{id, Hash32(id)});
    return it == index_.end() ? nullptr : &(*records_)[it->position];
  }
  Record* Find(absl::string_view id) { return const_cast<Record*>(std::as_const(*this).Find(id)); }

  size_t size() const { return records_->size(); }
  // In the order added.
  const Record& operator[](size_t position) const { return (*records_)[position]; }
  Record& operator[](size_t position) { return (*records_)[position]; }
  auto begin() const { return records_->cbegin(); }
  auto end() const { return records_->cend(); }

 private:
  // An index element: a position in *records_ and 32 bits of its id's hash. Growing the index
  // rehashes from the slot alone, and a probe compares ids only when their hashes agree, so the
  // index rarely touches the records (which sit in the order added, far apart in memory).
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
    const std::deque<Record>* records;
    bool operator()(const Slot& a, const Slot& b) const { return a.position == b.position; }
    bool operator()(const Slot& a, const Key& b) const { return a.hash == b.hash && IdOf((*records)[a.position]) == b.id; }
    bool operator()(const Key& a, const Slot& b) const { return (*this)(b, a); }
  };
  using Index = absl::flat_hash_set<Slot, Hash, Eq>;

  // On the heap, so that the index's functors keep pointing at it when the table moves.
  std::unique_ptr<std::deque<Record>> records_;
  Index index_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_ID_TABLE_H_
