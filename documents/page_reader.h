// Reading a printed page back, as a person holding it would: its text (poppler) and its QR codes
// (the page rendered by poppler at 300 dpi and scanned by zbar). Thread-safe: no shared state.
#ifndef SALESLEDGER_DOCUMENTS_PAGE_READER_H_
#define SALESLEDGER_DOCUMENTS_PAGE_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger {

struct PageContents {
  std::string text;                   // the text of every page, in reading order, UTF-8
  std::vector<std::string> qr_codes;  // the bytes each QR code found holds, in scan order
};

// INVALID_ARGUMENT when `pdf` is not a PDF poppler can open.
absl::StatusOr<PageContents> ReadPdf(absl::string_view pdf);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_PAGE_READER_H_
