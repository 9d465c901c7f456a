#include "documents/document_check.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace salesledger {
namespace {

// What follows "label：" on the page's line that has it; nullopt when no line does.
std::optional<std::string> ValueOnPage(absl::string_view page, const std::string& label) {
  const std::string key = label + "：";
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    const size_t at = line.find(key);
    // The label must start the line or follow a space, so that 金额（小写） is not found in 退款金额（小写）.
    if (at == absl::string_view::npos || (at > 0 && line[at - 1] != ' ')) continue;
    return std::string(line.substr(at + key.size()));
  }
  return std::nullopt;
}

void Check(absl::string_view page, const std::string& label, const std::string& expected,
           std::vector<std::string>& differences) {
  const std::optional<std::string> value = ValueOnPage(page, label);
  if (!value) {
    differences.push_back(absl::StrCat(label, ": the page has none; the ledger says ", expected));
  } else if (value->rfind(expected, 0) != 0 || (value->size() > expected.size() && (*value)[expected.size()] != ' ')) {
    differences.push_back(absl::StrCat(label, ": the page says ", *value, "; the ledger says ", expected));
  }
}

}  // namespace

std::vector<std::string> CompareWithPage(const DocumentText& expected, absl::string_view page_text) {
  std::vector<std::string> differences;
  Check(page_text, expected.number_label, expected.number, differences);
  for (const DocumentLine& line : expected.lines) {
    if (!line.names_sealed) {
      Check(page_text, line.label, line.value, differences);
      continue;
    }
    // Only the ids can be compared: each "（id）" of the ledger's, in order, on the page's line.
    const std::optional<std::string> value = ValueOnPage(page_text, line.label);
    size_t from = 0;
    for (absl::string_view id : absl::StrSplit(line.value, "、")) {
      const size_t at = value ? value->find(std::string(id), from) : std::string::npos;
      if (at == std::string::npos) {
        differences.push_back(absl::StrCat(line.label, ": the page says ", value.value_or("nothing"),
                                           "; the ledger says ", line.value, " (names sealed)"));
        break;
      }
      from = at + id.size();
    }
  }
  if (page_text.find(expected.copy) == absl::string_view::npos) {
    differences.push_back(absl::StrCat("the copy: the page does not say ", expected.copy, ", which this print is"));
  }
  for (const std::string& stamp : expected.stamps) {
    if (page_text.find(stamp) == absl::string_view::npos) {
      differences.push_back(absl::StrCat("the page is not stamped ", stamp, ", as the record was when printed"));
    }
  }
  return differences;
}

std::vector<std::string> CompareWithEntry(const v1::Event& print, const v1::Event& entry) {
  const v1::DocumentPrinted& d = print.print_document();
  std::vector<std::string> differences;
  auto same = [&](absl::string_view what, const auto& printed, const auto& entered) {
    if (printed != entered) {
      differences.push_back(absl::StrCat(what, ": the print says ", printed, "; the entry (seq ", entry.seq(), ") says ",
                                         entered));
    }
  };
  if (entry.seq() != d.entry_seq()) same("the entry's seq", d.entry_seq(), entry.seq());
  if (entry.occurred_at().seconds() != d.occurred_at().seconds()) {
    same("when it happened (unix seconds)", d.occurred_at().seconds(), entry.occurred_at().seconds());
  }
  switch (d.kind()) {
    case v1::DocumentKind::RECEIPT: {
      if (!entry.has_record_payment()) return {absl::StrCat("entry ", entry.seq(), " is not a payment")};
      const v1::RecordPaymentRequest& p = entry.record_payment();
      same("the payment", d.document_id(), p.payment_id());
      same("the receipt number", d.document_no(), entry.receipt_no());
      same("the amount (fen)", d.amount_fen(), p.amount_fen());
      same("the payer", d.parties_size() == 1 ? d.parties(0).customer_id() : "", p.customer_id());
      same("the kind of payment", PaymentKindName(d.payment_kind()), PaymentKindName(p.kind()));
      same("the method", PaymentMethodName(d.method()), PaymentMethodName(p.method()));
      same("the fee item", d.fee_item(), p.fee_item());
      break;
    }
    case v1::DocumentKind::REFUND_RECEIPT: {
      if (!entry.has_refund_payment()) return {absl::StrCat("entry ", entry.seq(), " is not a refund")};
      const v1::RefundPaymentRequest& r = entry.refund_payment();
      same("the refund", d.document_id(), r.refund_id());
      same("the amount (fen)", d.amount_fen(), r.amount_fen());
      break;
    }
    case v1::DocumentKind::SUBSCRIPTION:
    default: {
      if (!entry.has_create_subscription()) return {absl::StrCat("entry ", entry.seq(), " is not a subscription")};
      const v1::CreateSubscriptionRequest& s = entry.create_subscription();
      same("the subscription", d.document_id(), s.subscription_id());
      same("the price (fen)", d.amount_fen(), s.price_fen());
      same("the unit", d.unit_id(), s.unit_id());
      std::vector<std::string> buyers;
      for (const auto& p : d.parties()) buyers.push_back(p.customer_id());
      same("the buyers", absl::StrJoin(buyers, ","), absl::StrJoin(s.customer_ids(), ","));
      break;
    }
  }
  return differences;
}

}  // namespace salesledger
