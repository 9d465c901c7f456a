// Symbol: an interned string, for the ids and names that recur across many records of the state
// (people, customers, periods, rule names). Millions of visits, payments and violations name the
// same few thousand people; each names them with one pointer to a single shared copy.
//
// Interned strings live as long as the process: the set of distinct values grows with the
// organisation and its sales (people, customers, subscriptions, months), not with the number of
// events. Values unique to one event (visit ids, receipt numbers) are not interned (CompactId).
//
// A Symbol compares, hashes and orders as its text, converts to `const std::string&` and is
// assigned from strings, so records read as before. Interning is thread-safe (the decider and the
// publisher fold on different threads); a Symbol, once made, is immutable.
#ifndef SALESLEDGER_BASE_SYMBOL_H_
#define SALESLEDGER_BASE_SYMBOL_H_

#include <compare>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace salesledger {

class Symbol {
 public:
  Symbol() : text_(&Empty()) {}
  // Implicit on purpose: `record.person = event.person_id()` interns.
  Symbol(absl::string_view text);  // NOLINT
  Symbol(const std::string& text) : Symbol(absl::string_view(text)) {}  // NOLINT
  Symbol(const char* text) : Symbol(absl::string_view(text)) {}         // NOLINT

  const std::string& str() const { return *text_; }
  operator const std::string&() const { return *text_; }  // NOLINT
  operator absl::string_view() const { return *text_; }   // NOLINT: heterogeneous lookup (StrCat needs str())
  bool empty() const { return text_->empty(); }
  size_t size() const { return text_->size(); }
  void clear() { text_ = &Empty(); }

  // Equal texts are one interned copy, so equality is identity.
  friend bool operator==(const Symbol& a, const Symbol& b) { return a.text_ == b.text_; }
  friend bool operator==(const Symbol& a, const std::string& b) { return *a.text_ == b; }
  friend bool operator==(const Symbol& a, absl::string_view b) { return *a.text_ == b; }
  friend bool operator==(const Symbol& a, const char* b) { return *a.text_ == b; }
  friend std::strong_ordering operator<=>(const Symbol& a, const Symbol& b) { return a.str() <=> b.str(); }

  template <typename H>
  friend H AbslHashValue(H h, const Symbol& s) {
    return H::combine(std::move(h), absl::string_view(*s.text_));
  }

 private:
  static const std::string& Empty();
  const std::string* text_;
};

// How many distinct texts have been interned (for tests and memory figures).
size_t InternedSymbolCount();

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_SYMBOL_H_
