// The ledger's on-disk format, written down once.
//
// RocksDB column families and their records:
//
//   events     key   := seq                          ; uint64, 8 bytes big-endian (sorts by seq)
//              value := event_bytes hash             ; event_bytes = bytes(n): the serialized
//                                                    ;   salesledger.v1.Event with `hash` empty
//                                                    ; hash = hash(n), the last 32 bytes
//   requests   key   := request_id                   ; 1-128 printable ASCII
//              value := seq request_digest           ; 8 bytes BE, then 32 bytes
//   meta       key "head"   := seq hash recorded_us  ; 8 BE, 32, 8 BE (unix micros, two's complement)
//              key "format" := "salesledger-1"
//              key "merkle" := size                  ; 8 BE: the tree covers events 1..size
//   merkle     key   := level index                  ; 1 byte (4..63), 8 BE: a complete node of
//              value := hash                         ;   RFC 9162's tree at level >= 4; a node
//                                                    ;   below is hashed from its <= 8 events
//                                                    ;   when a proof needs it
//   tree_heads key   := size                         ; 8 BE
//              value := a signed checkpoint          ; C2SP signed note, as the log signed it
//   projections  (owned by projections/; the ledger never reads it)
//
// One append group is one WriteBatch holding its events, their request index entries, the Merkle
// nodes they complete, the tree's size and the new head, written with sync = true: a crash leaves
// all of it or none of it. A ledger written before the tree existed has no "merkle" size; the
// tree is built from its events when it is first opened for writing.
// Pure encoding functions; thread-safe.
#ifndef SALESLEDGER_LEDGER_RECORD_FORMAT_H_
#define SALESLEDGER_LEDGER_RECORD_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/time/time.h"

namespace salesledger::record_format {

inline constexpr char kEventsFamily[] = "events";
inline constexpr char kRequestsFamily[] = "requests";
inline constexpr char kMetaFamily[] = "meta";
inline constexpr char kProjectionsFamily[] = "projections";
inline constexpr char kMerkleFamily[] = "merkle";
inline constexpr char kTreeHeadsFamily[] = "tree_heads";
inline constexpr char kMerkleSizeKey[] = "merkle";
// The lowest level of the tree whose nodes are stored: one node per 16 events, so that the tree
// adds a sixteenth of a record to each group's batch, and a proof reads at most 15 events more.
inline constexpr int kLowestStoredLevel = 4;
inline constexpr char kHeadKey[] = "head";
inline constexpr char kFormatKey[] = "format";
inline constexpr char kFormatVersion[] = "salesledger-1";

std::string EncodeSeq(uint64_t seq);
// nullopt unless `key` is exactly 8 bytes.
std::optional<uint64_t> DecodeSeq(absl::string_view key);

// A Merkle node's key: its level (1 byte) and its index within the level (8 bytes big-endian).
std::string EncodeNodeKey(int level, uint64_t index);

std::string EncodeEventValue(absl::string_view event_bytes, absl::string_view hash);
struct EventValue {
  absl::string_view event_bytes;
  absl::string_view hash;
};
// nullopt when the value is too short to hold a hash. The views point into `value`.
std::optional<EventValue> DecodeEventValue(absl::string_view value);

struct RequestEntry {
  uint64_t seq = 0;
  std::string digest;
};
std::string EncodeRequestEntry(const RequestEntry& entry);
std::optional<RequestEntry> DecodeRequestEntry(absl::string_view value);

struct HeadRecord {
  uint64_t seq = 0;
  std::string hash;            // hash(seq); 32 zero bytes when seq == 0
  absl::Time recorded_at = absl::UnixEpoch();
};
std::string EncodeHead(const HeadRecord& head);
std::optional<HeadRecord> DecodeHead(absl::string_view value);

}  // namespace salesledger::record_format

#endif  // SALESLEDGER_LEDGER_RECORD_FORMAT_H_
