#include "documents/canvas.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace salesledger {
namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

PangoLayout* Layout(cairo_t* cr, absl::string_view text, const TextStyle& style, double wrap_width) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, style.mono ? "DejaVu Sans Mono,Noto Sans Mono CJK SC,monospace"
                                          : style.serif ? "Noto Serif CJK SC"
                                                        : "Noto Sans CJK SC");
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  if (wrap_width > 0) {
    pango_layout_set_width(layout, static_cast<int>(wrap_width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(layout, style.align == TextStyle::kCenter  ? PANGO_ALIGN_CENTER
                                     : style.align == TextStyle::kRight ? PANGO_ALIGN_RIGHT
                                                                        : PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  return layout;
}

}  // namespace

absl::StatusOr<CanvasFormat> CanvasFormatOf(absl::string_view file_name) {
  if (absl::EndsWithIgnoreCase(file_name, ".pdf")) return CanvasFormat::kPdf;
  if (absl::EndsWithIgnoreCase(file_name, ".svg")) return CanvasFormat::kSvg;
  if (absl::EndsWithIgnoreCase(file_name, ".png")) return CanvasFormat::kPng;
  return absl::InvalidArgumentError(
      absl::StrCat("'", file_name, "' names no picture format this draws: end it in .pdf, .svg or .png"));
}

Canvas::Canvas(CanvasFormat format, double width, double height, absl::Time created, double png_scale)
    : format_(format), width_(width), height_(height) {
  switch (format) {
    case CanvasFormat::kPdf: {
      surface_ = cairo_pdf_surface_create_for_stream(Append, &out_, width, height);
      const std::string date = absl::FormatTime("%Y-%m-%dT%H:%M:%S", created, absl::UTCTimeZone());
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "salesledger");
      break;
    }
    case CanvasFormat::kSvg:
      surface_ = cairo_svg_surface_create_for_stream(Append, &out_, width, height);
      break;
    case CanvasFormat::kPng:
      surface_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(std::ceil(width * png_scale)),
                                            static_cast<int>(std::ceil(height * png_scale)));
      break;
  }
  cr_ = cairo_create(surface_);
  if (format == CanvasFormat::kPng) cairo_scale(cr_, png_scale, png_scale);
  Rectangle(0, 0, width, height, Rgb{1, 1, 1});
}

Canvas::~Canvas() {
  if (cr_ != nullptr) cairo_destroy(cr_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

double Canvas::Text(double x, double y, absl::string_view text, const TextStyle& style, double wrap_width) {
  PangoLayout* layout = Layout(cr_, text, style, wrap_width);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  const double width = static_cast<double>(w) / PANGO_SCALE, height = static_cast<double>(h) / PANGO_SCALE;
  double left = x;
  if (wrap_width <= 0) {
    if (style.align == TextStyle::kCenter) left = x - width / 2;
    if (style.align == TextStyle::kRight) left = x - width;
  }
  cairo_set_source_rgb(cr_, style.color.r, style.color.g, style.color.b);
  cairo_move_to(cr_, left, y);
  pango_cairo_show_layout(cr_, layout);
  g_object_unref(layout);
  return height;
}

double Canvas::TextHeight(absl::string_view text, const TextStyle& style, double wrap_width) {
  PangoLayout* layout = Layout(cr_, text, style, wrap_width);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  g_object_unref(layout);
  return static_cast<double>(h) / PANGO_SCALE;
}

double Canvas::TextWidth(absl::string_view text, const TextStyle& style) {
  PangoLayout* layout = Layout(cr_, text, style, -1);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  g_object_unref(layout);
  return static_cast<double>(w) / PANGO_SCALE;
}

void Canvas::Rectangle(double x, double y, double w, double h, Rgb fill) {
  cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Canvas::Frame(double x, double y, double w, double h, Rgb line, double line_width) {
  cairo_set_source_rgb(cr_, line.r, line.g, line.b);
  cairo_set_line_width(cr_, line_width);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_stroke(cr_);
}

void Canvas::Line(double x0, double y0, double x1, double y1, Rgb line, double line_width) {
  cairo_set_source_rgb(cr_, line.r, line.g, line.b);
  cairo_set_line_width(cr_, line_width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

absl::StatusOr<std::string> Canvas::Finish() {
  cairo_destroy(cr_);
  cr_ = nullptr;
  if (format_ == CanvasFormat::kPng) {
    cairo_surface_flush(surface_);
    if (cairo_surface_write_to_png_stream(surface_, Append, &out_) != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError("Cairo could not write the PNG");
    }
  }
  cairo_surface_finish(surface_);
  const cairo_status_t status = cairo_surface_status(surface_);
  cairo_surface_destroy(surface_);
  surface_ = nullptr;
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("Cairo could not draw the page: ", cairo_status_to_string(status)));
  }
  return std::move(out_);
}

}  // namespace salesledger
