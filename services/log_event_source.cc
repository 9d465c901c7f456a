#include "services/log_event_source.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace salesledger {

absl::Status LogEventSource::Scan(uint64_t from_seq, uint64_t to_seq,
                                  const std::function<bool(const v1::Event&)>& visit) const {
  if (to_seq < from_seq) return absl::OkStatus();  // an empty range; the log reads 0 as "to the head"
  v1::Event event;
  absl::Status bad;
  RETURN_IF_ERROR(log_.Read(from_seq, to_seq, [&](const StoredEvent& e) {
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
      return false;
    }
    event.set_hash(e.hash.data(), e.hash.size());
    return visit(event);
  }));
  return bad;
}

}  // namespace salesledger
