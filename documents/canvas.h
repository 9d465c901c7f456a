// A page to draw on with Cairo, text laid out by Pango in the Noto CJK fonts, written as PDF, SVG
// or PNG. Sizes are in points (1/72 inch). A Canvas belongs to one thread.
#ifndef SALESLEDGER_DOCUMENTS_CANVAS_H_
#define SALESLEDGER_DOCUMENTS_CANVAS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;

namespace salesledger {

enum class CanvasFormat { kPdf, kSvg, kPng };

// The format a file name asks for: .pdf, .svg or .png; INVALID_ARGUMENT otherwise.
absl::StatusOr<CanvasFormat> CanvasFormatOf(absl::string_view file_name);

inline constexpr double kMm = 72.0 / 25.4;  // points per millimetre

struct Rgb {
  double r = 0, g = 0, b = 0;
};

struct TextStyle {
  double size = 10;             // points
  bool serif = false;           // Noto Serif CJK SC, else Noto Sans CJK SC; mono for hashes
  bool bold = false;
  bool mono = false;
  Rgb color{};
  enum Align { kLeft, kCenter, kRight } align = kLeft;
};

class Canvas {
 public:
  // A page of `width` x `height` points. A PDF's creation date is `created`, so that the same
  // document renders to the same bytes; PNGs are drawn at `png_scale` pixels per point.
  Canvas(CanvasFormat format, double width, double height, absl::Time created = absl::UnixEpoch(),
         double png_scale = 2.0);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  double width() const { return width_; }
  double height() const { return height_; }
  cairo_t* cr() { return cr_; }

  // Draws `text` (UTF-8; '\n' breaks lines) with its top edge at y; x is the left edge, the centre
  // or the right edge by the alignment; `wrap_width` > 0 wraps at that width. Returns the height.
  double Text(double x, double y, absl::string_view text, const TextStyle& style, double wrap_width = -1);
  // The height and the width `text` would take.
  double TextHeight(absl::string_view text, const TextStyle& style, double wrap_width = -1);
  double TextWidth(absl::string_view text, const TextStyle& style);

  void Rectangle(double x, double y, double w, double h, Rgb fill);
  void Frame(double x, double y, double w, double h, Rgb line, double line_width = 0.6);
  void Line(double x0, double y0, double x1, double y1, Rgb line, double line_width = 0.6);

  // Ends the page and returns the file's bytes. INTERNAL when Cairo reports an error.
  absl::StatusOr<std::string> Finish();

 private:
  CanvasFormat format_;
  double width_, height_;
  std::string out_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_CANVAS_H_
