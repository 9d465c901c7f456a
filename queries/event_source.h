// Read access to the log's events, for the read models that show events beside the derived
// state (the back-dated entries report, violations explained). The fold engine adapts the ledger
// to it (projections/log_event_source.h); tests may give events from memory.
//
// Thread-safety: implementations must allow calls from any thread.
#ifndef SALESLEDGER_QUERIES_EVENT_SOURCE_H_
#define SALESLEDGER_QUERIES_EVENT_SOURCE_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Calls `visit` with the events from_seq..to_seq (both inclusive) in seq order until it returns
  // false. The event is valid only during the call. DATA_LOSS for a missing or undecodable event.
  virtual absl::Status Scan(uint64_t from_seq, uint64_t to_seq,
                            const std::function<bool(const v1::Event&)>& visit) const = 0;
  // The event at `seq`, with its hash. NOT_FOUND past the head.
  virtual absl::StatusOr<v1::Event> Get(uint64_t seq) const = 0;
};

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_EVENT_SOURCE_H_
