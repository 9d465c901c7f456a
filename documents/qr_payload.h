// What a printed document's QR code holds (and the page prints beneath it): enough to check the
// page against the ledger without taking the server's word for it.
//
//   salesledger document v1
//   entry <seq> <base64 leaf hash>     ; the entry the page is of: payment, refund or subscription
//   print <seq>                        ; the print_document event that printed this copy
//   <a signed checkpoint holding the entry, verbatim: origin, size, root, blank line, signatures>
//
// The checkpoint's first line is the ledger's origin. Pure; thread-safe.
#ifndef SALESLEDGER_DOCUMENTS_QR_PAYLOAD_H_
#define SALESLEDGER_DOCUMENTS_QR_PAYLOAD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger {

struct QrPayload {
  uint64_t entry_seq = 0;
  std::string entry_leaf;   // 32 bytes
  uint64_t print_seq = 0;
  std::string checkpoint;   // a signed note

  std::string ToText() const;
};

// INVALID_ARGUMENT naming the line that is not what the format says.
absl::StatusOr<QrPayload> ParseQrPayload(absl::string_view text);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_QR_PAYLOAD_H_
