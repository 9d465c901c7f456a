#include "documents/document_lines.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/time_proto.h"
#include "documents/chinese_amount.h"

namespace salesledger {
namespace {

using v1::DocumentKind;
using v1::DocumentPrinted;

std::string LocalTime(const google::protobuf::Timestamp& t, const std::string& zone_name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) zone = absl::UTCTimeZone();
  return absl::FormatTime("%Y年%m月%d日 %H:%M", FromProto(t), zone);
}

std::string Parties(const DocumentPrinted& d) {
  std::vector<std::string> names;
  for (const auto& p : d.parties()) names.push_back(absl::StrCat(p.name(), "（", p.customer_id(), "）"));
  return names.empty() ? "—" : absl::StrJoin(names, "、");
}

bool NamesSealed(const DocumentPrinted& d) {
  for (const auto& p : d.parties()) {
    if (p.name().empty() && !p.sealed_name().empty()) return true;
  }
  return false;
}

std::string UnitText(const DocumentPrinted& d) {
  if (d.unit_id().empty()) return "—";
  return absl::StrCat(d.unit_id(), "（", d.building(), "栋 ", d.floor(), "层 ", d.room(), "室）");
}

std::string Person(const std::string& name, const std::string& id) {
  if (id.empty()) return "—";
  return name.empty() ? id : absl::StrCat(name, "（", id, "）");
}

std::string Item(const DocumentPrinted& d) {
  std::string kind = PaymentKindName(d.payment_kind());
  if (!d.fee_item().empty()) absl::StrAppend(&kind, "·", d.fee_item());
  return kind;
}

}  // namespace

std::string PaymentKindName(v1::RecordPaymentRequest::Kind kind) {
  switch (kind) {
    case v1::RecordPaymentRequest::EARNEST:
      return "诚意金";
    case v1::RecordPaymentRequest::DEPOSIT:
      return "定金";
    case v1::RecordPaymentRequest::HOUSE_PAYMENT:
      return "房款";
    case v1::RecordPaymentRequest::COLLECTED_FEE:
      return "代收费用";
    default:
      return "—";
  }
}

std::string PaymentMethodName(v1::RecordPaymentRequest::Method method) {
  switch (method) {
    case v1::RecordPaymentRequest::CASH:
      return "现金";
    case v1::RecordPaymentRequest::CARD:
      return "刷卡";
    case v1::RecordPaymentRequest::TRANSFER:
      return "转账";
    case v1::RecordPaymentRequest::CHEQUE:
      return "支票";
    default:
      return "—";
  }
}

DocumentText DocumentTextOf(const v1::Event& print) {
  const DocumentPrinted& d = print.print_document();
  const std::string& zone = d.time_zone();
  DocumentText t;
  t.copy = d.copy() <= 1 ? "原件" : absl::StrCat("补打 副本 ", d.copy());
  const std::string amount = YuanFigures(d.amount_fen());
  const std::string words = "人民币" + ChineseCapitalAmount(d.amount_fen());
  const std::string printed = absl::StrCat(LocalTime(print.recorded_at(), zone), "，", print.actor_id(), "，第 ",
                                           d.copy(), " 次打印");
  switch (d.kind()) {
    case DocumentKind::RECEIPT:
      t.title = "收  据";
      t.number_label = "收据编号";
      t.number = d.document_no();
      t.lines = {{"交款人", Parties(d), NamesSealed(d)},
                 {"款项", Item(d)},
                 {"房号", UnitText(d)},
                 {"金额（小写）", amount},
                 {"收款方式", PaymentMethodName(d.method())},
                 {"金额（大写）", words},
                 {"收款时间", LocalTime(d.occurred_at(), zone)},
                 {"录入时间", LocalTime(d.entry_recorded_at(), zone)},
                 {"收款人", Person(d.staff_name(), d.staff_id())},
                 {"打印", printed}};
      break;
    case DocumentKind::REFUND_RECEIPT:
      t.title = "退 款 收 据";
      t.number_label = "退款单号";
      t.number = d.document_no();
      t.lines = {{"原收据编号", d.related_no()},
                 {"原款项", Item(d)},
                 {"收款人", Parties(d), NamesSealed(d)},
                 {"房号", UnitText(d)},
                 {"退款金额（小写）", amount},
                 {"退款金额（大写）", words},
                 {"退款时间", LocalTime(d.occurred_at(), zone)},
                 {"录入时间", LocalTime(d.entry_recorded_at(), zone)},
                 {"经办人", Person(d.staff_name(), d.staff_id())},
                 {"打印", printed}};
      break;
    case DocumentKind::SUBSCRIPTION:
    default:
      t.title = "商品房认购书";
      t.number_label = "认购书编号";
      t.number = d.document_no();
      t.lines = {{"出卖人", d.company()},
                 {"买受人", Parties(d), NamesSealed(d)},
                 {"房号", UnitText(d)},
                 {"产品类型", d.product_type().empty() ? "—" : d.product_type()},
                 {"建筑面积", absl::StrFormat("%d.%02d 平方米", d.area_x100() / 100, d.area_x100() % 100)},
                 {"认购总价（小写）", amount},
                 {"付款方式", d.payment_plan_name().empty() ? "—" : d.payment_plan_name()},
                 {"认购总价（大写）", words},
                 {"置业顾问", Person(d.consultant_name(), d.consultant_id())},
                 {"认购时间", LocalTime(d.occurred_at(), zone)},
                 {"录入时间", LocalTime(d.entry_recorded_at(), zone)},
                 {"打印", printed}};
      break;
  }
  if (d.voided()) t.stamps.push_back("已作废");
  if (d.transferred()) t.stamps.push_back("已转定");
  if (d.refunded_fen() > 0) {
    t.stamps.push_back(d.refunded_fen() >= d.amount_fen() ? "已全额退款"
                                                          : absl::StrCat("已退款 ", YuanFigures(d.refunded_fen())));
  }
  if (d.cancelled()) t.stamps.push_back("已取消");
  if (!d.contract_id().empty()) t.stamps.push_back(absl::StrCat("已签约 ", d.contract_id()));
  return t;
}

}  // namespace salesledger
