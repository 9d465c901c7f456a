#include "base/symbol.h"

#include <deque>
#include <mutex>
#include <shared_mutex>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace salesledger {
namespace {

// Looks interned strings up by their text without building a std::string.
struct TextHash {
  using is_transparent = void;
  size_t operator()(absl::string_view s) const { return absl::Hash<absl::string_view>()(s); }
  size_t operator()(const std::string* s) const { return (*this)(absl::string_view(*s)); }
};
struct TextEq {
  using is_transparent = void;
  static absl::string_view View(absl::string_view s) { return s; }
  static absl::string_view View(const std::string* s) { return *s; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const { return View(a) == View(b); }
};

class Pool {
 public:
  const std::string* Intern(absl::string_view text) {
    {
      std::shared_lock lock(mu_);
      if (auto it = index_.find(text); it != index_.end()) return *it;
    }
    std::unique_lock lock(mu_);
    if (auto it = index_.find(text); it != index_.end()) return *it;  // another thread won
    const std::string* s = &texts_.emplace_back(text);
    index_.insert(s);
    return s;
  }
  size_t size() {
    std::shared_lock lock(mu_);
    return texts_.size();
  }

 private:
  std::shared_mutex mu_;
  std::deque<std::string> texts_;  // a deque never moves its elements: Symbols point into it
  absl::flat_hash_set<const std::string*, TextHash, TextEq> index_;
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: Symbols in static states may outlive main
  return *pool;
}

}  // namespace

const std::string& Symbol::Empty() {
  static const std::string* empty = new std::string();
  return *empty;
}

namespace {

// Interns through a small per-thread cache: a fold interns the same few people and periods for
// every event, and the cache answers those without touching the pool's lock.
const std::string* InternCached(absl::string_view text) {
  constexpr size_t kSlots = 1024;
  thread_local const std::string* cache[kSlots] = {};
  const std::string*& slot = cache[absl::Hash<absl::string_view>()(text) % kSlots];
  if (slot == nullptr || *slot != text) slot = ThePool().Intern(text);
  return slot;
}

}  // namespace

Symbol::Symbol(absl::string_view text) : text_(text.empty() ? &Empty() : InternCached(text)) {}

size_t InternedSymbolCount() { return ThePool().size(); }

}  // namespace salesledger
