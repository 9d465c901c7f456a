#include "documents/timeliness_chart.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "documents/chinese_amount.h"

namespace salesledger {
namespace {

// Entry kinds as the policy names them.
std::string KindName(const std::string& kind) {
  static const std::map<std::string, std::string>* names = new std::map<std::string, std::string>{
      {"log_visit", "来电来访"},       {"register_customer", "客户登记"}, {"create_subscription", "认购"},
      {"sign_contract", "签约"},       {"record_payment", "收款"},        {"refund_payment", "退款"},
      {"transfer_payment", "转定"},    {"reserve_unit", "小订"},          {"approve_audit", "审核"},
      {"record_service_step", "权证按揭"}, {"set_sales_plan", "年度计划"}, {"record_plan_feedback", "月度反馈"},
  };
  auto it = names->find(kind);
  return it == names->end() ? kind : it->second;
}

Rgb BarColour(int64_t on_time_bp) {
  if (on_time_bp >= 9500) return Rgb{0.36, 0.68, 0.36};
  if (on_time_bp >= 8000) return Rgb{0.98, 0.70, 0.25};
  return Rgb{0.85, 0.30, 0.27};
}

constexpr double kMargin = 36, kNameW = 150, kKindW = 80, kBarW = 260, kRowH = 18, kTotalW = 110;

}  // namespace

absl::StatusOr<std::string> DrawTimelinessChart(const TimelinessChartInput& input, CanvasFormat format) {
  std::map<std::string, std::vector<const v1::TimelinessRow*>> by_person;
  for (const v1::TimelinessRow& r : input.rows) by_person[r.person_id()].push_back(&r);
  for (const auto& [person, total] : input.penalty_fen) by_person[person];  // fined with no timed entries
  double height = 2 * kMargin + 70;
  for (const auto& [person, rows] : by_person) height += std::max<size_t>(rows.size(), 1) * kRowH + 12;
  const double width = 2 * kMargin + kNameW + kKindW + kBarW + 60 + kTotalW;
  Canvas c(format, width, height);
  c.Text(kMargin, kMargin, absl::StrCat(input.project_name, " 录入及时率 ", input.period),
         TextStyle{.size = 16, .bold = true});
  const TextStyle head{.size = 8.5, .color = Rgb{0.4, 0.4, 0.4}};
  double y = kMargin + 34;
  c.Text(kMargin, y, "人员", head);
  c.Text(kMargin + kNameW, y, "录入类别", head);
  c.Text(kMargin + kNameW + kKindW, y, "按时录入比例（条数）", head);
  c.Text(width - kMargin, y, "当月罚款", TextStyle{.size = 8.5, .color = Rgb{0.4, 0.4, 0.4}, .align = TextStyle::kRight});
  y += 18;
  const TextStyle text{.size = 9};
  for (const auto& [person, rows] : by_person) {
    c.Line(kMargin, y - 4, width - kMargin, y - 4, Rgb{0.8, 0.8, 0.8}, 0.5);
    auto name = input.names.find(person);
    c.Text(kMargin, y, name == input.names.end() ? person : absl::StrCat(name->second, "（", person, "）"), text);
    if (auto fine = input.penalty_fen.find(person); fine != input.penalty_fen.end()) {
      const int64_t fen = fine->second;
      c.Text(width - kMargin, y, fen == 0 ? "—" : YuanFigures(fen),
             TextStyle{.size = 9, .bold = fen > 0, .color = fen > 0 ? Rgb{0.75, 0.08, 0.08} : Rgb{},
                       .align = TextStyle::kRight});
    }
    double row_y = y;
    for (const v1::TimelinessRow* r : rows) {
      c.Text(kMargin + kNameW, row_y, KindName(r->kind()), text);
      const double bar_x = kMargin + kNameW + kKindW;
      c.Rectangle(bar_x, row_y + 2, kBarW, kRowH - 6, Rgb{0.93, 0.93, 0.93});
      c.Rectangle(bar_x, row_y + 2, kBarW * r->on_time_bp() / 10000.0, kRowH - 6, BarColour(r->on_time_bp()));
      c.Text(bar_x + kBarW + 6, row_y,
             absl::StrFormat("%d.%d%%（%d/%d）", r->on_time_bp() / 100, r->on_time_bp() % 100 / 10,
                             r->entries() - r->late(), r->entries()),
             TextStyle{.size = 8.5});
      row_y += kRowH;
    }
    y += std::max<size_t>(rows.size(), 1) * kRowH + 12;
  }
  return c.Finish();
}

}  // namespace salesledger
