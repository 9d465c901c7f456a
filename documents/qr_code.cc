#include "documents/qr_code.h"

#include <cairo.h>
#include <qrencode.h>

#include "absl/strings/str_cat.h"

namespace salesledger {

absl::Status DrawQrCode(Canvas& canvas, double x, double y, double size, absl::string_view data) {
  QRcode* code = QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()),
                                   0, QR_ECLEVEL_M);
  if (code == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("the QR code's text (", data.size(), " bytes) is too long"));
  }
  constexpr int kQuietModules = 4;  // the margin the standard asks for
  const int width = code->width;
  const double module = size / (width + 2 * kQuietModules);
  canvas.Rectangle(x, y, size, size, Rgb{1, 1, 1});
  // Each row's runs of dark modules as one rectangle, unsmoothed: no seams between modules.
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < width; ++row) {
    for (int col = 0; col < width;) {
      if ((code->data[row * width + col] & 1) == 0) {
        ++col;
        continue;
      }
      int end = col;
      while (end < width && (code->data[row * width + end] & 1) != 0) ++end;
      cairo_rectangle(cr, x + (col + kQuietModules) * module, y + (row + kQuietModules) * module,
                      (end - col) * module, module);
      col = end;
    }
  }
  cairo_fill(cr);
  cairo_restore(cr);
  QRcode_free(code);
  return absl::OkStatus();
}

}  // namespace salesledger
