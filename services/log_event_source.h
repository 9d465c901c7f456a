// The ledger's events as the read models' EventSource (queries/event_source.h). Thread-safe, as
// EventLog's reads are.
#ifndef SALESLEDGER_SERVICES_LOG_EVENT_SOURCE_H_
#define SALESLEDGER_SERVICES_LOG_EVENT_SOURCE_H_

#include "ledger/event_log.h"
#include "queries/event_source.h"

namespace salesledger {

class LogEventSource final : public EventSource {
 public:
  explicit LogEventSource(const EventLog& log) : log_(log) {}  // not owned; must outlive this

  absl::Status Scan(uint64_t from_seq, uint64_t to_seq,
                    const std::function<bool(const v1::Event&)>& visit) const override;
  absl::StatusOr<v1::Event> Get(uint64_t seq) const override { return log_.ReadEvent(seq); }

 private:
  const EventLog& log_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_LOG_EVENT_SOURCE_H_
