// libFuzzer: what is read back from disk, as any bytes: a stored event record, an event, and a
// projection checkpoint. Decoding must refuse garbage, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/record_format.h"
#include "projections/state_codec.h"
#include "salesledger/v1/event.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto value = salesledger::record_format::DecodeEventValue(bytes)) {
    salesledger::v1::Event event;
    (void)event.ParseFromArray(value->event_bytes.data(), static_cast<int>(value->event_bytes.size()));
  }
  (void)salesledger::record_format::DecodeHead(bytes);
  (void)salesledger::record_format::DecodeRequestEntry(bytes);
  (void)salesledger::DecodeState(std::string(salesledger::kStateFormat) + std::string(bytes));
  return 0;
}
