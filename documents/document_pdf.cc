#include "documents/document_pdf.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "documents/canvas.h"
#include "documents/document_lines.h"
#include "documents/qr_code.h"

namespace salesledger {
namespace {

constexpr Rgb kInk{0.1, 0.1, 0.1};
constexpr Rgb kRule{0.35, 0.35, 0.35};
constexpr Rgb kRed{0.75, 0.08, 0.08};
constexpr Rgb kGrey{0.4, 0.4, 0.4};

// Which lines of a document span both columns of its table.
bool Wide(const DocumentLine& line) {
  return line.label.find("大写") != std::string::npos || line.label == "房号" || line.label == "买受人" ||
         line.label == "出卖人" || line.label == "打印";
}

// The document's lines as a bordered table of two columns (wide lines across both). Returns the
// table's bottom edge.
double Table(Canvas& c, const DocumentText& t, double x, double y, double width, double font) {
  const TextStyle style{.size = font, .color = kInk};
  const double pad = 0.35 * font, half = width / 2;
  std::vector<const DocumentLine*> row;
  auto flush = [&] {
    if (row.empty()) return;
    double height = 0;
    for (const DocumentLine* l : row) {
      height = std::max(height, c.TextHeight(l->Text(), style, (row.size() == 1 ? width : half) - 2 * pad));
    }
    height += 2 * pad;
    for (size_t i = 0; i < row.size(); ++i) {
      const double cell_x = x + i * half, cell_w = row.size() == 1 ? width : half;
      c.Frame(cell_x, y, cell_w, height, kRule);
      c.Text(cell_x + pad, y + pad, row[i]->Text(), style, cell_w - 2 * pad);
    }
    y += height;
    row.clear();
  };
  for (const DocumentLine& line : t.lines) {
    if (line.label == "打印") continue;  // the footer's
    if (Wide(line)) {
      flush();
      row.push_back(&line);
      flush();
      continue;
    }
    row.push_back(&line);
    if (row.size() == 2) flush();
  }
  flush();
  return y;
}

// The record's state in red boxes below the table, where nothing else is written, upright so that
// the page's text still reads it.
void Stamps(Canvas& c, const DocumentText& t, double cx, double cy) {
  double y = cy;
  for (const std::string& stamp : t.stamps) {
    const TextStyle style{.size = 16, .bold = true, .color = kRed, .align = TextStyle::kCenter};
    const double h = c.TextHeight(stamp, style);
    const double w = c.TextWidth(stamp, style) + 24;
    c.Frame(cx - w / 2, y - 4, w, h + 8, kRed, 2.0);
    c.Text(cx, y, stamp, style);
    y += h + 16;
  }
}

// The QR code at (x, y) with its text beneath, across `text_width` from `text_x`.
absl::Status Qr(Canvas& c, double x, double y, double size, const std::string& qr_text, double text_x, double text_y,
                double text_width) {
  RETURN_IF_ERROR(DrawQrCode(c, x, y, size, qr_text));
  c.Text(text_x, text_y, qr_text, TextStyle{.size = 4.6, .mono = true, .color = kGrey}, text_width);
  return absl::OkStatus();
}

void Header(Canvas& c, const v1::DocumentPrinted& d, const DocumentText& t, double margin, double title_size) {
  const double w = c.width();
  c.Text(w / 2, margin, d.company(), TextStyle{.size = 13, .serif = true, .bold = true, .align = TextStyle::kCenter});
  c.Text(w / 2, margin + 19, t.title,
         TextStyle{.size = title_size, .serif = true, .bold = true, .align = TextStyle::kCenter});
  c.Text(w - margin, margin + 4, absl::StrCat(t.number_label, "：", t.number),
         TextStyle{.size = 9.5, .bold = true, .color = kRed, .align = TextStyle::kRight});
  c.Text(margin, margin + 4, absl::StrCat("项目：", d.project_name()), TextStyle{.size = 9});
  const bool reprint = d.copy() > 1;
  const TextStyle copy{.size = 9.5, .bold = reprint, .color = reprint ? kRed : kInk};
  c.Text(margin, margin + 18, t.copy, copy);
}

absl::StatusOr<std::string> Receipt(const v1::Event& print, const DocumentText& t, const std::string& qr_text) {
  const v1::DocumentPrinted& d = print.print_document();
  Canvas c(CanvasFormat::kPdf, 210 * kMm, 148 * kMm, FromProto(print.recorded_at()));
  const double m = 10 * kMm, w = c.width() - 2 * m;
  Header(c, d, t, m, 20);
  const double qr = 32 * kMm;
  double y = Table(c, t, m, m + 52, w, 9.5);
  // Signatures on the left, the QR code on the right, its text beneath both.
  const TextStyle sign{.size = 9.5};
  c.Text(m, y + 16, "收款单位（盖章）：", sign);
  c.Text(m + 0.38 * w, y + 16, "收款人签字：", sign);
  c.Line(m + 0.38 * w + 58, y + 28, m + 0.38 * w + 140, y + 28, kRule);
  c.Text(m, y + 44, "交款人签字：", sign);
  c.Line(m + 58, y + 56, m + 0.38 * w - 12, y + 56, kRule);
  for (const DocumentLine& line : t.lines) {
    if (line.label == "打印") c.Text(m, y + 66, line.Text(), TextStyle{.size = 7.5, .color = kGrey});
  }
  c.Text(m, y + 78, "本收据由系统录入后打印，手写、涂改无效；扫描二维码可核验。", TextStyle{.size = 7.5, .color = kGrey});
  const double qr_y = y + 6;
  RETURN_IF_ERROR(Qr(c, m + w - qr, qr_y, qr, qr_text, m, std::max(qr_y + qr, y + 92) + 2, w));
  Stamps(c, t, m + 0.78 * w - qr / 2, y + 12);
  return c.Finish();
}

absl::StatusOr<std::string> Agreement(const v1::Event& print, const DocumentText& t, const std::string& qr_text) {
  const v1::DocumentPrinted& d = print.print_document();
  Canvas c(CanvasFormat::kPdf, 210 * kMm, 297 * kMm, FromProto(print.recorded_at()));
  const double m = 18 * kMm, w = c.width() - 2 * m;
  Header(c, d, t, m, 22);
  double y = Table(c, t, m, m + 60, w, 10.5);
  const TextStyle clause{.size = 10, .serif = true};
  const char* clauses[] = {
      "一、买受人自愿认购上述房屋，出卖人同意出售；认购价格、面积以双方签订的《商品房买卖合同》为准。",
      "二、买受人应于认购之日起七日内与出卖人签订《商品房买卖合同》；逾期未签的，出卖人有权另行出售该房屋。",
      "三、认购期间如需换房、更名、变更付款方式或退房，须经出卖人审批，以系统记录的变更为准。",
      "四、本认购书由出卖人在销售系统录入后打印，手写、涂改无效；扫描右下二维码可核验其与系统记录一致。",
      "五、本认购书一式两份，出卖人、买受人各执一份，自双方签字（盖章）之日起生效。",
  };
  y += 14;
  for (const char* text : clauses) y += c.Text(m, y, text, clause, w) + 5;
  y += 18;
  const TextStyle sign{.size = 10.5};
  c.Text(m, y, "出卖人（盖章）：", sign);
  c.Text(m + w / 2, y, "买受人（签字）：", sign);
  c.Line(m + w / 2 + 84, y + 14, m + w - 6, y + 14, kRule);
  y += 34;
  c.Text(m, y, "置业顾问（签字）：", sign);
  c.Line(m + 92, y + 14, m + w / 2 - 12, y + 14, kRule);
  c.Text(m + w / 2, y, "签署日期：      年    月    日", sign);
  y += 34;
  for (const DocumentLine& line : t.lines) {
    if (line.label == "打印") c.Text(m, y, line.Text(), TextStyle{.size = 8, .color = kGrey});
  }
  const double qr = 30 * kMm, qr_y = c.height() - m - qr - 40;
  RETURN_IF_ERROR(Qr(c, m + w - qr, qr_y, qr, qr_text, m, qr_y + qr + 4, w));
  Stamps(c, t, m + w / 2, c.height() - m - 30 * kMm - 40);
  return c.Finish();
}

}  // namespace

absl::StatusOr<std::string> RenderDocumentPdf(const v1::Event& print, const std::string& qr_text) {
  const DocumentText text = DocumentTextOf(print);
  if (print.print_document().kind() == v1::DocumentKind::SUBSCRIPTION) return Agreement(print, text, qr_text);
  return Receipt(print, text, qr_text);
}

}  // namespace salesledger
