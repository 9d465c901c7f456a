// The printed documents (SPEC.md §3.11) as PDF: the 收据 and the 退款收据 on A5 landscape, the
// 商品房认购书 on A4, each laid out as the paper ones are, with the QR code of its entry and that
// code's text beneath it. A page is a function of the print_document event and the QR text
// alone: the same print renders to the same bytes. Thread-safe: no shared state.
#ifndef SALESLEDGER_DOCUMENTS_DOCUMENT_PDF_H_
#define SALESLEDGER_DOCUMENTS_DOCUMENT_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// REQUIRES: `print` is a print_document event. INTERNAL when Cairo fails; INVALID_ARGUMENT when
// `qr_text` does not fit in a QR code.
absl::StatusOr<std::string> RenderDocumentPdf(const v1::Event& print, const std::string& qr_text);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_DOCUMENT_PDF_H_
