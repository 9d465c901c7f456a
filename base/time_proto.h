// absl::Time inside, google.protobuf.Timestamp on the wire (DESIGN.md habits).
// Pure functions; thread-safe.
#ifndef SALESLEDGER_BASE_TIME_PROTO_H_
#define SALESLEDGER_BASE_TIME_PROTO_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace salesledger {

inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t nanos = absl::ToUnixNanos(t);
  int64_t seconds = nanos / 1000000000;
  int64_t rem = nanos % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem));
  return ts;
}

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_TIME_PROTO_H_
