#include "documents/unit_chart.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "documents/chinese_amount.h"

namespace salesledger {
namespace {

struct StatusStyle {
  const char* status;  // UnitView.status
  const char* name;    // as the sales office says it
  Rgb fill;
};

// The colours a 销控表 is usually painted in: green for sale, yellow and orange for the steps of a
// sale, red for sold, grey for held and not yet on sale.
constexpr StatusStyle kStatuses[] = {
    {"AVAILABLE", "可售", {0.55, 0.80, 0.47}},     {"HELD", "销控", {0.62, 0.62, 0.72}},
    {"RESERVED", "小订", {0.99, 0.87, 0.40}},      {"SUBSCRIBED", "认购", {0.98, 0.62, 0.28}},
    {"CONTRACTED", "签约", {0.89, 0.33, 0.30}},    {"", "未开盘", {0.86, 0.86, 0.86}},
};

const StatusStyle& StyleOf(const std::string& status) {
  for (const StatusStyle& s : kStatuses) {
    if (status == s.status) return s;
  }
  return kStatuses[std::size(kStatuses) - 1];  // DRAFT, REVIEWED: not on sale yet
}

constexpr double kCellW = 62, kCellH = 30, kMargin = 36, kLabelW = 36;

// A unit's column: its room with the floor's number taken off the front, so that "1203" on floor
// 12 and "03" are both the third position of the floor.
std::string Column(const v1::UnitView& u) {
  const std::string floor = absl::StrCat(u.floor());
  for (const std::string& prefix : {floor, absl::StrCat("0", floor)}) {
    if (u.room().size() > prefix.size() && u.room().compare(0, prefix.size(), prefix) == 0) {
      return u.room().substr(prefix.size());
    }
  }
  return u.room();
}

}  // namespace

absl::StatusOr<std::string> DrawUnitChart(const UnitChartInput& input, CanvasFormat format) {
  // building -> floor -> room -> unit
  std::map<std::string, std::map<int, std::map<std::string, const v1::UnitView*>>> grid;
  std::map<std::string, std::set<std::string>> rooms;
  std::map<std::string, int> counts;
  for (const v1::UnitView& u : input.units) {
    grid[u.building()][u.floor()][Column(u)] = &u;
    rooms[u.building()].insert(Column(u));
    ++counts[StyleOf(u.status()).name];
  }
  double width = 2 * kMargin + 420, height = 2 * kMargin + 100;
  for (const auto& [building, floors] : grid) {
    width = std::max(width, 2 * kMargin + kLabelW + kCellW * rooms[building].size());
    height += 40 + kCellH * (floors.empty() ? 0 : floors.rbegin()->first - floors.begin()->first + 1);
  }
  Canvas c(format, width, height);
  c.Text(kMargin, kMargin, absl::StrCat(input.project_name, " 销控表"), TextStyle{.size = 18, .bold = true});
  c.Text(kMargin, kMargin + 26, absl::StrCat(input.as_of, "，共 ", input.units.size(), " 套"),
         TextStyle{.size = 9, .color = Rgb{0.4, 0.4, 0.4}});
  // The legend, with the count of each status.
  double x = kMargin;
  const double legend_y = kMargin + 46;
  for (const StatusStyle& s : kStatuses) {
    c.Rectangle(x, legend_y, 14, 14, s.fill);
    c.Frame(x, legend_y, 14, 14, Rgb{0.3, 0.3, 0.3}, 0.5);
    const std::string label = absl::StrCat(s.name, " ", counts[s.name]);
    c.Text(x + 18, legend_y, label, TextStyle{.size = 9.5});
    x += 26 + c.TextWidth(label, TextStyle{.size = 9.5}) + 10;
  }
  double y = legend_y + 36;
  for (const auto& [building, floors] : grid) {
    c.Text(kMargin, y, absl::StrCat(building, " 栋"), TextStyle{.size = 12, .bold = true});
    y += 20;
    const std::vector<std::string> columns(rooms[building].begin(), rooms[building].end());
    for (size_t col = 0; col < columns.size(); ++col) {
      c.Text(kMargin + kLabelW + kCellW * (col + 0.5), y - 2, columns[col],
             TextStyle{.size = 8, .color = Rgb{0.4, 0.4, 0.4}, .align = TextStyle::kCenter});
    }
    y += 10;
    for (int floor = floors.rbegin()->first; floor >= floors.begin()->first; --floor) {
      c.Text(kMargin + kLabelW - 6, y + kCellH / 2 - 6, absl::StrCat(floor, "F"),
             TextStyle{.size = 9, .align = TextStyle::kRight});
      auto row = floors.find(floor);
      for (size_t col = 0; col < columns.size(); ++col) {
        const double cx = kMargin + kLabelW + kCellW * col;
        const v1::UnitView* u = nullptr;
        if (row != floors.end()) {
          if (auto it = row->second.find(columns[col]); it != row->second.end()) u = it->second;
        }
        if (u == nullptr) continue;
        const StatusStyle& s = StyleOf(u->status());
        c.Rectangle(cx + 1, y + 1, kCellW - 2, kCellH - 2, s.fill);
        c.Frame(cx + 1, y + 1, kCellW - 2, kCellH - 2, Rgb{0.3, 0.3, 0.3}, 0.5);
        c.Text(cx + kCellW / 2, y + 3, u->unit_id(), TextStyle{.size = 7.5, .bold = true, .align = TextStyle::kCenter});
        const int64_t price = u->price_fen() > 0 ? u->price_fen() : u->list_price_fen();
        c.Text(cx + kCellW / 2, y + 15, absl::StrCat(s.name, " ", price / 1000000, "万"),
               TextStyle{.size = 7, .align = TextStyle::kCenter});
      }
      y += kCellH;
    }
    y += 10;
  }
  return c.Finish();
}

}  // namespace salesledger
