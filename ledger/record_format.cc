#include "ledger/record_format.h"

#include "base/sha256.h"

namespace salesledger::record_format {
namespace {

void PutFixed64BE(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

uint64_t GetFixed64BE(absl::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

std::string EncodeSeq(uint64_t seq) {
  std::string out;
  PutFixed64BE(out, seq);
  return out;
}

std::optional<uint64_t> DecodeSeq(absl::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return GetFixed64BE(key);
}

std::string EncodeNodeKey(int level, uint64_t index) {
  std::string out(1, static_cast<char>(level));
  PutFixed64BE(out, index);
  return out;
}

std::string EncodeEventValue(absl::string_view event_bytes, absl::string_view hash) {
  std::string out;
  out.reserve(event_bytes.size() + hash.size());
  out.append(event_bytes.data(), event_bytes.size());
  out.append(hash.data(), hash.size());
  return out;
}

std::optional<EventValue> DecodeEventValue(absl::string_view value) {
  if (value.size() < kHashSize) return std::nullopt;
  return EventValue{value.substr(0, value.size() - kHashSize), value.substr(value.size() - kHashSize)};
}

std::string EncodeRequestEntry(const RequestEntry& entry) {
  std::string out;
  PutFixed64BE(out, entry.seq);
  out.append(entry.digest);
  return out;
}

std::optional<RequestEntry> DecodeRequestEntry(absl::string_view value) {
  if (value.size() != 8 + kHashSize) return std::nullopt;
  return RequestEntry{GetFixed64BE(value), std::string(value.substr(8))};
}

std::string EncodeHead(const HeadRecord& head) {
  std::string out;
  PutFixed64BE(out, head.seq);
  out.append(head.hash);
  PutFixed64BE(out, static_cast<uint64_t>(absl::ToUnixMicros(head.recorded_at)));
  return out;
}

std::optional<HeadRecord> DecodeHead(absl::string_view value) {
  if (value.size() != 8 + kHashSize + 8) return std::nullopt;
  HeadRecord head;
  head.seq = GetFixed64BE(value);
  head.hash = std::string(value.substr(8, kHashSize));
  head.recorded_at =
      absl::FromUnixMicros(static_cast<int64_t>(GetFixed64BE(value.substr(8 + kHashSize))));
  return head;
}

}  // namespace salesledger::record_format
