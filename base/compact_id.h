// CompactId: an id as kept in the state's largest tables (every id ever used, every voidable
// entry). Ids of up to 15 bytes, nearly all of them, are stored in place; longer ones on the heap.
// It takes 16 bytes where a std::string takes 32, which on a log of ten million entries is
// hundreds of megabytes.
//
// A CompactId compares, hashes and orders as its text and converts to absl::string_view and
// std::string; tables keyed by it are looked up by any text (CompactIdHash, CompactIdEq).
// Thread-safety: a value type; distinct objects may be used from any threads, one object like an int.
#ifndef SALESLEDGER_BASE_COMPACT_ID_H_
#define SALESLEDGER_BASE_COMPACT_ID_H_

#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace salesledger {

class CompactId {
 public:
  static constexpr size_t kInline = 15;

  CompactId() { bytes_[kInline] = 0; }
  CompactId(absl::string_view text) { Assign(text); }  // NOLINT: ids are assigned from strings
  CompactId(const std::string& text) : CompactId(absl::string_view(text)) {}  // NOLINT
  CompactId(const char* text) : CompactId(absl::string_view(text)) {}         // NOLINT
  CompactId(const CompactId& other) { Assign(other.view()); }
  CompactId(CompactId&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
    other.bytes_[kInline] = 0;
  }
  CompactId& operator=(const CompactId& other) {
    if (this != &other) {
      Release();
      Assign(other.view());
    }
    return *this;
  }
  CompactId& operator=(CompactId&& other) noexcept {
    if (this != &other) {
      Release();
      std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
      other.bytes_[kInline] = 0;
    }
    return *this;
  }
  ~CompactId() { Release(); }

  absl::string_view view() const {
    if (!OnHeap()) return absl::string_view(bytes_, static_cast<unsigned char>(bytes_[kInline]));
    const char* data;
    uint32_t size;
    std::memcpy(&data, bytes_, sizeof(data));
    std::memcpy(&size, bytes_ + sizeof(data), sizeof(size));
    return absl::string_view(data, size);
  }
  std::string str() const { return std::string(view()); }
  operator absl::string_view() const { return view(); }  // NOLINT
  operator std::string() const { return str(); }         // NOLINT
  bool empty() const { return view().empty(); }
  void clear() { *this = CompactId(); }
  size_t size() const { return view().size(); }

  friend bool operator==(const CompactId& a, const CompactId& b) { return a.view() == b.view(); }
  friend bool operator==(const CompactId& a, absl::string_view b) { return a.view() == b; }
  friend bool operator==(const CompactId& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const CompactId& a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const CompactId& a, const CompactId& b) {
    const int c = a.view().compare(b.view());
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  template <typename H>
  friend H AbslHashValue(H h, const CompactId& id) {
    return H::combine(std::move(h), id.view());
  }

 private:
  static constexpr char kHeapTag = static_cast<char>(0xff);
  bool OnHeap() const { return bytes_[kInline] == kHeapTag; }
  void Assign(absl::string_view text) {
    if (text.size() <= kInline) {
      std::memcpy(bytes_, text.data(), text.size());
      bytes_[kInline] = static_cast<char>(text.size());
      return;
    }
    char* data = new char[text.size()];
    std::memcpy(data, text.data(), text.size());
    const auto size = static_cast<uint32_t>(text.size());  // ids are at most 128 bytes (SPEC.md §2.2)
    std::memcpy(bytes_, &data, sizeof(data));
    std::memcpy(bytes_ + sizeof(data), &size, sizeof(size));
    bytes_[kInline] = kHeapTag;
  }
  void Release() {
    if (!OnHeap()) return;
    char* data;
    std::memcpy(&data, bytes_, sizeof(data));
    delete[] data;
    bytes_[kInline] = 0;
  }

  // In place: bytes 0..14 the text, byte 15 its size. On the heap: a pointer and a 32-bit size,
  // byte 15 kHeapTag.
  char bytes_[kInline + 1];
};
static_assert(sizeof(CompactId) == 16);

// For tables keyed by CompactId and looked up by any text, without building a CompactId.
struct CompactIdHash {
  using is_transparent = void;
  size_t operator()(absl::string_view text) const { return absl::Hash<absl::string_view>()(text); }
};
struct CompactIdEq {
  using is_transparent = void;
  bool operator()(absl::string_view a, absl::string_view b) const { return a == b; }
};
template <typename V>
using CompactIdMap = absl::flat_hash_map<CompactId, V, CompactIdHash, CompactIdEq>;

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_COMPACT_ID_H_
