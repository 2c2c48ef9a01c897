// The announcement as an A4 PDF: cairo draws into an in-memory PDF stream and
// pango lays out the Chinese text in Noto Sans CJK SC. Two passes over one
// cairo context: the first measures every table row (a long school name wraps,
// so rows differ in height) and cuts the pages, so that the footer can say
// 共 N 页; the second draws. Sizes are in PDF points (1/72 inch).
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "print/announcement.h"

namespace zizhu::print {

namespace {

constexpr double kPageW = 595.2755905511811;  // A4, 210 mm
constexpr double kPageH = 841.8897637795276;  // A4, 297 mm
constexpr double kMarginX = 50;               // about 18 mm
constexpr double kMarginTop = 48;
constexpr double kMarginBottom = 40;
constexpr double kContentW = kPageW - 2 * kMarginX;
constexpr double kPadX = 4;        // inside a table cell
constexpr double kPadY = 4;
constexpr double kRuleW = 0.6;     // table lines
constexpr double kStampGap = 28;   // above the issuer: room for the school's stamp
constexpr size_t kPdfBytesMax = 64u << 20;  // 10000 rows make a few MiB

constexpr const char* kFamily = "Noto Sans CJK SC";
constexpr double kTitlePt = 17;
constexpr double kBodyPt = 10.5;
constexpr double kSmallPt = 9;

struct Column {
  std::string_view name;
  double width;
  PangoAlignment align;
};
constexpr std::array<Column, 6> kColumns = {{
    {"序号", 44, PANGO_ALIGN_CENTER},
    {"姓名", 72, PANGO_ALIGN_CENTER},
    {"学校", 150, PANGO_ALIGN_LEFT},
    {"年级", 62, PANGO_ALIGN_CENTER},
    {"班级", 90, PANGO_ALIGN_CENTER},
    {"资助等级", kContentW - 44 - 72 - 150 - 62 - 90, PANGO_ALIGN_CENTER},
}};
static_assert(kColumns[5].width > 60, "the level column must hold 资助等级");

struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectFree {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectFree>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontFree>;

// cairo's write callback: appends to a string, at most kPdfBytesMax bytes.
cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::string*>(closure);
  if (out->size() + length > kPdfBytesMax) return CAIRO_STATUS_WRITE_ERROR;
  out->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

FontPtr font(double size_pt, PangoWeight weight) {
  FontPtr f(pango_font_description_new());
  pango_font_description_set_family(f.get(), kFamily);
  pango_font_description_set_weight(f.get(), weight);
  pango_font_description_set_size(f.get(), pango_units_from_double(size_pt));
  return f;
}

// Where things go, from the measuring pass.
struct Plan {
  double title_h = 0;        // page 1: title, gap, period line
  double period_h = 0;
  double cont_h = 0;         // later pages: the 「（续）」 heading
  double header_h = 0;       // the table's header row
  double closing_h = 0;      // gap, issuer, date
  double footer_h = 0;       // contact, page number
  double footer_top = 0;
  double body_bottom = 0;    // table rows end above this
  double first_top = 0;      // where the table starts on page 1
  double cont_top = 0;       // ... and on later pages
  std::vector<double> row_h;  // one per row; one (the 无名单 note) for an empty list
  std::vector<PageRows> pages;
};

class Doc {
 public:
  // Draws into `sink` (nullptr: measures only, the bytes are dropped).
  explicit Doc(std::string* sink) : sink_(sink) {}

  Result<void> open(const Announcement& a) {
    surface_.reset(cairo_pdf_surface_create_for_stream(append_bytes, sink_ != nullptr ? sink_ : &dropped_,
                                                       kPageW, kPageH));
    if (auto ok = status(); !ok) return ok;
    // Same input, same bytes: the creation date is the issue date, not the clock.
    const std::string created = a.issued_on.iso() + "T00:00:00";
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, a.title.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_AUTHOR, a.issued_by.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "zizhu");
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
    cr_.reset(cairo_create(surface_.get()));
    context_.reset(pango_cairo_create_context(cr_.get()));
    // Font sizes in points are PDF units (pango assumes 96 dpi otherwise), and
    // unhinted metrics, so that measuring and drawing agree.
    pango_cairo_context_set_resolution(context_.get(), 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
    title_ = font(kTitlePt, PANGO_WEIGHT_BOLD);
    body_ = font(kBodyPt, PANGO_WEIGHT_NORMAL);
    bold_ = font(kBodyPt, PANGO_WEIGHT_BOLD);
    small_ = font(kSmallPt, PANGO_WEIGHT_NORMAL);
    return check_font();
  }

  LayoutPtr layout(std::string_view text, const FontPtr& f, double width, PangoAlignment align) const {
    LayoutPtr l(pango_layout_new(context_.get()));
    pango_layout_set_font_description(l.get(), f.get());
    pango_layout_set_width(l.get(), pango_units_from_double(width));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    return l;
  }

  static double height(const LayoutPtr& l) {
    PangoRectangle logical{};
    pango_layout_get_extents(l.get(), nullptr, &logical);
    return pango_units_to_double(logical.height);
  }

  double text_height(std::string_view text, const FontPtr& f, double width) const {
    return height(layout(text, f, width, PANGO_ALIGN_LEFT));
  }

  void show(const LayoutPtr& l, double x, double y) {
    cairo_move_to(cr_.get(), x, y);
    pango_cairo_show_layout(cr_.get(), l.get());
  }

  cairo_t* cr() { return cr_.get(); }
  const FontPtr& title_font() const { return title_; }
  const FontPtr& body_font() const { return body_; }
  const FontPtr& bold_font() const { return bold_; }
  const FontPtr& small_font() const { return small_; }

  Result<void> status() const {
    const cairo_status_t s = cr_ ? cairo_status(cr_.get()) : cairo_surface_status(surface_.get());
    if (s != CAIRO_STATUS_SUCCESS) return fail("PDF", std::string("生成 PDF 失败（cairo: ") + cairo_status_to_string(s) + "）");
    return {};
  }

  // Ends the document: cairo writes the rest of the PDF to the sink.
  Result<void> finish() {
    cairo_surface_finish(surface_.get());
    const cairo_status_t s = cairo_surface_status(surface_.get());
    if (s != CAIRO_STATUS_SUCCESS) return fail("PDF", std::string("生成 PDF 失败（cairo: ") + cairo_status_to_string(s) + "）");
    return status();
  }

 private:
  // fontconfig quietly substitutes a missing family; a notice board must not
  // get whatever font happens to be there (or boxes), so ask what was loaded.
  Result<void> check_font() {
    std::unique_ptr<PangoFont, GObjectFree> loaded(pango_context_load_font(context_.get(), body_.get()));
    std::string family;
    if (loaded) {
      FontPtr d(pango_font_describe(loaded.get()));
      if (const char* f = pango_font_description_get_family(d.get()); f != nullptr) family = f;
    }
    if (family != kFamily) {
      return fail("FONT", std::string("缺少字体 ") + kFamily + "（请安装 fonts-noto-cjk），找到的是: " +
                              (family.empty() ? "无" : family));
    }
    return {};
  }

  std::string* sink_;
  std::string dropped_;  // measuring only: cairo still writes; bounded by kPdfBytesMax
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface_;
  std::unique_ptr<cairo_t, CairoFree> cr_;
  std::unique_ptr<PangoContext, GObjectFree> context_;
  FontPtr title_, body_, bold_, small_;
};

std::string continued_heading(const Announcement& a) { return a.title + "（续）"; }

std::string page_label(size_t page, size_t pages) {
  return "第 " + std::to_string(page + 1) + " 页 / 共 " + std::to_string(pages) + " 页";
}

// The texts of one row's cells, in column order.
std::array<std::string, 6> cells(const AnnouncementRow& r, size_t index) {
  return {std::to_string(index + 1), r.name_masked, r.school_name, std::string(grade_label(r.grade)),
          r.class_name, r.level_label};
}

double row_height(const Doc& doc, const std::array<std::string, 6>& texts, const FontPtr& f) {
  double h = 0;
  for (size_t c = 0; c < kColumns.size(); ++c) {
    h = std::max(h, doc.text_height(texts[c], f, kColumns[c].width - 2 * kPadX));
  }
  return h + 2 * kPadY;
}

std::array<std::string, 6> header_texts() {
  std::array<std::string, 6> t;
  for (size_t c = 0; c < kColumns.size(); ++c) t[c] = std::string(kColumns[c].name);
  return t;
}

// Cuts the rows into pages. A row never splits; the header repeats on every
// page; the closing block (issuer, date) stays with the last row, which moves
// to a new page when both do not fit; only when the last row fills a page by
// itself does the closing block get a page of its own.
Result<void> paginate(Plan& p, size_t rows) {
  if (rows == 0) {
    p.pages.push_back(PageRows{0, 0});  // the header, the 无名单 note, the closing block
    return {};
  }
  bool closing_placed = false;
  double top = p.first_top;
  size_t i = 0;
  while (i < rows) {
    assert(p.pages.size() < rows);  // each page takes at least one row
    PageRows page{i, 0};
    double y = top + p.header_h;
    while (i < rows) {
      const bool last = i + 1 == rows;
      if (y + p.row_h[i] + (last ? p.closing_h : 0) <= p.body_bottom) {
        y += p.row_h[i];
        ++i, ++page.row_count;
        closing_placed = last;
        continue;
      }
      if (page.row_count == 0) {
        // Only the last row with its closing block can fail to fit an empty
        // page here; the bounds on the texts keep any row below a page.
        if (y + p.row_h[i] > p.body_bottom) return fail("PDF", "第 " + std::to_string(i + 1) + " 行过高，一页放不下");
        y += p.row_h[i];
        ++i, ++page.row_count;
      }
      break;
    }
    p.pages.push_back(page);
    top = p.cont_top;
  }
  if (!closing_placed) p.pages.push_back(PageRows{rows, 0});
  return {};
}

Result<Plan> measure(const Doc& doc, const Announcement& a) {
  Plan p;
  p.title_h = doc.text_height(a.title, doc.title_font(), kContentW);
  p.period_h = doc.text_height(period_line(a), doc.body_font(), kContentW);
  p.cont_h = doc.text_height(continued_heading(a), doc.small_font(), kContentW);
  p.header_h = row_height(doc, header_texts(), doc.bold_font());
  p.closing_h = kStampGap + doc.text_height(a.issued_by, doc.body_font(), kContentW) +
                doc.text_height(date_label(a.issued_on), doc.body_font(), kContentW);
  p.footer_h = doc.text_height(a.contact, doc.small_font(), kContentW) + 3 +
               doc.text_height(page_label(0, 1), doc.small_font(), kContentW);
  p.footer_top = kPageH - kMarginBottom - p.footer_h;
  p.body_bottom = p.footer_top - 10;
  p.first_top = kMarginTop + p.title_h + 6 + p.period_h + 14;
  p.cont_top = kMarginTop + p.cont_h + 8;
  p.row_h.reserve(std::max<size_t>(a.rows.size(), 1));
  for (size_t i = 0; i < a.rows.size(); ++i) p.row_h.push_back(row_height(doc, cells(a.rows[i], i), doc.body_font()));
  if (a.rows.empty()) p.row_h.push_back(doc.text_height(kNoRowsText, doc.body_font(), kContentW) + 4 * kPadY);
  // Page 1 must hold the header, one row and the closing block; only huge
  // texts (bounded by check_announcement) could break this.
  if (p.first_top + p.header_h + p.row_h[0] + p.closing_h > p.body_bottom) {
    return fail("PDF", "标题、异议渠道或公示单位过长，第 1 页放不下");
  }
  if (auto ok = paginate(p, a.rows.size()); !ok) return tl::unexpected(ok.error());
  return p;
}

void set_gray(cairo_t* cr, double level) { cairo_set_source_rgb(cr, level, level, level); }

// One table row at `y`: cell borders, the texts centred vertically; the
// header row is shaded and centred throughout.
void draw_row(Doc& doc, const std::array<std::string, 6>& texts, const FontPtr& f, double y, double h, bool header) {
  cairo_t* cr = doc.cr();
  double x = kMarginX;
  for (size_t c = 0; c < kColumns.size(); ++c) {
    const double w = kColumns[c].width;
    if (header) {
      set_gray(cr, 0.88);
      cairo_rectangle(cr, x, y, w, h);
      cairo_fill(cr);
    }
    set_gray(cr, 0);
    cairo_set_line_width(cr, kRuleW);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);
    const LayoutPtr l = doc.layout(texts[c], f, w - 2 * kPadX, header ? PANGO_ALIGN_CENTER : kColumns[c].align);
    doc.show(l, x + kPadX, y + (h - Doc::height(l)) / 2);
    x += w;
  }
}

void draw_page(Doc& doc, const Plan& p, const Announcement& a, size_t page) {
  cairo_t* cr = doc.cr();
  const PageRows& rows = p.pages[page];
  const bool last_page = page + 1 == p.pages.size();
  double y = 0;
  set_gray(cr, 0);
  if (page == 0) {
    doc.show(doc.layout(a.title, doc.title_font(), kContentW, PANGO_ALIGN_CENTER), kMarginX, kMarginTop);
    doc.show(doc.layout(period_line(a), doc.body_font(), kContentW, PANGO_ALIGN_CENTER), kMarginX,
             kMarginTop + p.title_h + 6);
    y = p.first_top;
  } else {
    set_gray(cr, 0.35);
    doc.show(doc.layout(continued_heading(a), doc.small_font(), kContentW, PANGO_ALIGN_CENTER), kMarginX,
             kMarginTop);
    y = p.cont_top;
  }
  const bool closing_only = rows.row_count == 0 && !a.rows.empty();
  if (!closing_only) {
    draw_row(doc, header_texts(), doc.bold_font(), y, p.header_h, true);
    y += p.header_h;
  }
  if (a.rows.empty()) {
    const double h = p.row_h[0];
    set_gray(cr, 0);
    cairo_set_line_width(cr, kRuleW);
    cairo_rectangle(cr, kMarginX, y, kContentW, h);
    cairo_stroke(cr);
    const LayoutPtr l = doc.layout(kNoRowsText, doc.body_font(), kContentW, PANGO_ALIGN_CENTER);
    doc.show(l, kMarginX, y + (h - Doc::height(l)) / 2);
    y += h;
  }
  for (size_t i = rows.first_row; i < rows.first_row + rows.row_count; ++i) {
    draw_row(doc, cells(a.rows[i], i), doc.body_font(), y, p.row_h[i], false);
    y += p.row_h[i];
  }
  set_gray(cr, 0);
  if (last_page) {
    // Right-aligned, as a 公示 is signed: the issuer (stamped over), then the date.
    y += kStampGap;
    const LayoutPtr issuer = doc.layout(a.issued_by, doc.body_font(), kContentW, PANGO_ALIGN_RIGHT);
    doc.show(issuer, kMarginX, y);
    y += Doc::height(issuer);
    doc.show(doc.layout(date_label(a.issued_on), doc.body_font(), kContentW, PANGO_ALIGN_RIGHT), kMarginX, y);
  }
  // Footer: a thin rule, the objection channel, the page number.
  set_gray(cr, 0.5);
  cairo_set_line_width(cr, 0.4);
  cairo_move_to(cr, kMarginX, p.footer_top - 4);
  cairo_line_to(cr, kMarginX + kContentW, p.footer_top - 4);
  cairo_stroke(cr);
  set_gray(cr, 0);
  const LayoutPtr contact = doc.layout(a.contact, doc.small_font(), kContentW, PANGO_ALIGN_LEFT);
  doc.show(contact, kMarginX, p.footer_top);
  doc.show(doc.layout(page_label(page, p.pages.size()), doc.small_font(), kContentW, PANGO_ALIGN_CENTER), kMarginX,
           p.footer_top + Doc::height(contact) + 3);
  cairo_show_page(cr);
}

}  // namespace

Result<std::vector<PageRows>> announcement_pages(const Announcement& a) {
  if (auto ok = check_announcement(a); !ok) return tl::unexpected(ok.error());
  Doc doc(nullptr);
  if (auto ok = doc.open(a); !ok) return tl::unexpected(ok.error());
  auto plan = measure(doc, a);
  if (!plan) return tl::unexpected(plan.error());
  return std::move(plan->pages);
}

Result<std::string> announcement_pdf(const Announcement& a) {
  if (auto ok = check_announcement(a); !ok) return tl::unexpected(ok.error());
  std::string out;
  {
    Doc doc(&out);
    if (auto ok = doc.open(a); !ok) return tl::unexpected(ok.error());
    auto plan = measure(doc, a);
    if (!plan) return tl::unexpected(plan.error());
    for (size_t page = 0; page < plan->pages.size(); ++page) draw_page(doc, *plan, a, page);
    if (auto ok = doc.finish(); !ok) return tl::unexpected(ok.error());
  }
  return out;
}

}  // namespace zizhu::print
