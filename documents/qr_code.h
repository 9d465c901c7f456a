// QR codes drawn on a Canvas with libqrencode. Thread-safe: libqrencode keeps no state here.
#ifndef SALESLEDGER_DOCUMENTS_QR_CODE_H_
#define SALESLEDGER_DOCUMENTS_QR_CODE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "documents/canvas.h"

namespace salesledger {

// Draws `data` (bytes, encoded in byte mode, error correction M) as a black-on-white QR code
// filling the square of side `size` at (x, y), its quiet zone included. INVALID_ARGUMENT when
// the data is too long for any QR version.
absl::Status DrawQrCode(Canvas& canvas, double x, double y, double size, absl::string_view data);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_QR_CODE_H_
