// What differs between a printed page's text and the document the ledger says it is: each line
// of DocumentTextOf(the print event), and the copy marker, looked for on the page. Pure.
#ifndef SALESLEDGER_DOCUMENTS_DOCUMENT_CHECK_H_
#define SALESLEDGER_DOCUMENTS_DOCUMENT_CHECK_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "documents/document_lines.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// One sentence per difference, e.g. "金额（小写）: the page says ¥10,001.00; the ledger says
// ¥10,000.00", or "收据编号: the page has none; the ledger says BJF-R000001". Empty when every
// line the ledger prints is on the page as printed.
std::vector<std::string> CompareWithPage(const DocumentText& expected, absl::string_view page_text);

// What differs between a print_document event and the entry it says it printed (the payment,
// refund or subscription event): the kind of entry, its id and number, the amount, the parties,
// the unit, the kind and method of payment, when it happened. Empty when they agree.
std::vector<std::string> CompareWithEntry(const v1::Event& print, const v1::Event& entry);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_DOCUMENT_CHECK_H_
