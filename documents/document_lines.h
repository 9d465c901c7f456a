// What a printed document says, line by line: the title, the labelled lines ("交款人：王芳 (C1)"),
// the copy marker and the stamps, from the print_document event alone. The renderer draws these
// lines and `ledgerctl verify-document` looks for each on the page, so the two cannot drift apart.
// Pure; thread-safe.
#ifndef SALESLEDGER_DOCUMENTS_DOCUMENT_LINES_H_
#define SALESLEDGER_DOCUMENTS_DOCUMENT_LINES_H_

#include <string>
#include <vector>

#include "salesledger/v1/event.pb.h"

namespace salesledger {

struct DocumentLine {
  std::string label;  // e.g. "金额（大写）"
  std::string value;  // e.g. "人民币壹万元整"
  // The parties' line of a print whose names are sealed (issue 20) and not opened: the value holds
  // only their ids, "（C1）、（C2）", and a page is checked for those ids, not for the names.
  bool names_sealed = false;
  // On the page as label, the full-width colon, value: "金额（大写）：人民币壹万元整".
  std::string Text() const { return label + "：" + value; }
};

struct DocumentText {
  std::string title;                 // 收据, 退款收据, 商品房认购书
  std::string number_label;          // the number's label, shown top right with the number
  std::string number;
  std::vector<DocumentLine> lines;   // in page order
  std::string copy;                  // "原件", or "补打 副本 2"
  std::vector<std::string> stamps;   // 已作废, 已退款 ¥1,000.00, 已转定, 已取消, 已签约 K1
};

// REQUIRES: `print` is a print_document event.
DocumentText DocumentTextOf(const v1::Event& print);

// The payment kind and method as the page names them: 诚意金, 定金, 房款, 代收费用; 现金, 刷卡 ...
std::string PaymentKindName(v1::RecordPaymentRequest::Kind kind);
std::string PaymentMethodName(v1::RecordPaymentRequest::Method method);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_DOCUMENT_LINES_H_
