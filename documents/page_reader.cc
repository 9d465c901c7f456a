#include "documents/page_reader.h"

#include <memory>

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <zbar.h>

namespace salesledger {
namespace {

constexpr double kScanDpi = 300;  // what an office scanner would give

// The QR codes zbar finds in a page rendered in 8-bit grey.
std::vector<std::string> Scan(const poppler::image& grey) {
  // zbar wants tightly packed rows; poppler's may be padded.
  std::string pixels;
  pixels.reserve(static_cast<size_t>(grey.width()) * grey.height());
  for (int row = 0; row < grey.height(); ++row) pixels.append(grey.const_data() + row * grey.bytes_per_row(), grey.width());
  zbar::ImageScanner scanner;
  scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);  // the bytes, not a guessed charset
  zbar::Image image(grey.width(), grey.height(), "Y800", pixels.data(), pixels.size());
  std::vector<std::string> found;
  if (scanner.scan(image) > 0) {
    for (zbar::Image::SymbolIterator symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol) {
      found.push_back(symbol->get_data());
    }
  }
  image.set_data(nullptr, 0);  // the pixels are ours
  return found;
}

}  // namespace

absl::StatusOr<PageContents> ReadPdf(absl::string_view pdf) {
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (doc == nullptr || doc->is_locked()) return absl::InvalidArgumentError("the file is not a PDF that can be read");
  PageContents out;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, false);
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page == nullptr) continue;
    const poppler::byte_array utf8 = page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    out.text.append(utf8.data(), utf8.size());
    out.text += '\n';
    const poppler::image image = renderer.render_page(page.get(), kScanDpi, kScanDpi);
    if (!image.is_valid()) continue;
    for (std::string& code : Scan(image)) out.qr_codes.push_back(std::move(code));
  }
  return out;
}

}  // namespace salesledger
