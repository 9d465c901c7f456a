// The entries of a project that request_void may name (SPEC.md §3.8), by the seq of the entry.
// Entries arrive in seq order as the log is folded, so they are kept appended in that order and
// found by binary search: no hash table per entry, and encoding needs no sort.
// Thread-safety: none of its own; part of State, whose owner serialises writers against readers.
#ifndef SALESLEDGER_DOMAIN_VOIDABLE_H_
#define SALESLEDGER_DOMAIN_VOIDABLE_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>

#include "base/compact_id.h"
#include "base/symbol.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// An entry that request_void may name: its kind and the record it created.
// Packed into 32 bytes: there is one for most entries of the log.
struct VoidableEntry {
  uint64_t seq : 48 = 0;                     // 2.8e14 entries
  uint64_t voided : 1 = false;
  uint64_t kind_number : 15 = salesledger::v1::Event::BODY_NOT_SET;
  Symbol actor_id;
  CompactId item_id;

  VoidableEntry() = default;
  VoidableEntry(uint64_t seq, salesledger::v1::Event::BodyCase kind, bool voided, Symbol actor_id, CompactId item_id)
      : seq(seq), voided(voided), kind_number(kind), actor_id(std::move(actor_id)), item_id(std::move(item_id)) {}
  salesledger::v1::Event::BodyCase kind() const { return static_cast<salesledger::v1::Event::BodyCase>(kind_number); }
};
static_assert(sizeof(VoidableEntry) == 32);

class VoidableEntries {
 public:
  // Adds `entry`, replacing one with the same seq. O(1) when seqs arrive in increasing order, as
  // they do in a fold.
  void Add(VoidableEntry entry) {
    if (entries_.empty() || entries_.back().seq < entry.seq) {
      entries_.push_back(std::move(entry));
      return;
    }
    auto it = LowerBound(entry.seq);
    if (it != entries_.end() && it->seq == entry.seq) {
      *it = std::move(entry);
    } else {
      entries_.insert(it, std::move(entry));
    }
  }
  // The entry at `seq`, or nullptr.
  const VoidableEntry* Find(uint64_t seq) const { return const_cast<VoidableEntries*>(this)->Find(seq); }
  VoidableEntry* Find(uint64_t seq) {
    auto it = LowerBound(seq);
    return it != entries_.end() && it->seq == seq ? &*it : nullptr;
  }
  size_t size() const { return entries_.size(); }
  // In seq order.
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  // For decoding a checkpoint, which lists the entries in seq order.
  std::deque<VoidableEntry>& entries() { return entries_; }

 private:
  std::deque<VoidableEntry>::iterator LowerBound(uint64_t seq) {
    return std::lower_bound(entries_.begin(), entries_.end(), seq,
                            [](const VoidableEntry& e, uint64_t s) { return e.seq < s; });
  }
  std::deque<VoidableEntry> entries_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_VOIDABLE_H_
