#include "io/file_kind.h"

#include <array>
#include <cstring>

namespace zizhu::io {

namespace {

constexpr std::string_view kNotAccepted = "not a PDF, JPEG or PNG file";
constexpr std::string_view kTruncated = "truncated";

uint8_t byte_at(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

uint32_t be16(std::string_view s, size_t i) {
  return (static_cast<uint32_t>(byte_at(s, i)) << 8) | static_cast<uint32_t>(byte_at(s, i + 1));
}

uint32_t be32(std::string_view s, size_t i) { return (be16(s, i) << 16) | be16(s, i + 2); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// PDF white space (ISO 32000-1, 7.2.2): NUL, TAB, LF, FF, CR, SP.
bool is_pdf_space(char c) { return c == '\0' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }

FileKindResult unknown(std::string_view problem) {
  FileKindResult r;
  r.problem = problem;
  return r;
}

FileKindResult recognised(FileKind kind, size_t content_bytes, size_t total_bytes, uint32_t width_px = 0,
                          uint32_t height_px = 0) {
  FileKindResult r;
  r.kind = kind;
  r.content_bytes = content_bytes;
  r.trailing_bytes = total_bytes - content_bytes;
  r.width_px = width_px;
  r.height_px = height_px;
  return r;
}

bool image_size_ok(uint32_t width_px, uint32_t height_px) {
  return width_px >= 1 && height_px >= 1 && width_px <= kImageSidePxMax && height_px <= kImageSidePxMax &&
         static_cast<uint64_t>(width_px) * height_px <= kImagePixelsMax;
}

// ---- PDF ----------------------------------------------------------------

FileKindResult detect_pdf(std::string_view c) {
  // "%PDF-1.7": the version is checked loosely (any digit.digit), since
  // writers put 1.0 to 2.0 there and readers ignore it.
  if (c.size() < 8 || !is_digit(c[5]) || c[6] != '.' || !is_digit(c[7])) return unknown("PDF: bad header");
  const size_t tail_start = c.size() > kPdfTailBytes ? c.size() - kPdfTailBytes : 0;
  const size_t found = c.substr(tail_start).rfind("%%EOF");
  if (found == std::string_view::npos) return unknown("PDF: no %%EOF in the last 1024 bytes (truncated)");
  const size_t eof = tail_start + found;
  // ISO 32000-1, 7.5.5: "startxref" EOL <byte offset> EOL "%%EOF". Walked
  // backwards from %%EOF: white space, the digits, white space, the keyword.
  size_t p = eof;
  while (p > tail_start && is_pdf_space(c[p - 1])) --p;
  const size_t digits_end = p;
  while (p > tail_start && is_digit(c[p - 1]) && digits_end - p < 20) --p;
  if (p == digits_end) return unknown("PDF: no cross-reference offset before %%EOF");
  const size_t digits_start = p;
  while (p > tail_start && is_pdf_space(c[p - 1])) --p;
  constexpr std::string_view kStartXref = "startxref";
  if (p == digits_start || p < tail_start + kStartXref.size() ||
      c.substr(p - kStartXref.size(), kStartXref.size()) != kStartXref) {
    return unknown("PDF: no startxref before %%EOF");
  }
  size_t end = eof + 5;
  if (end < c.size() && c[end] == '\r') ++end;
  if (end < c.size() && c[end] == '\n') ++end;
  return recognised(FileKind::kPdf, end, c.size());
}

// ---- JPEG (ITU-T T.81, Annex B) -------------------------------------------

bool is_sof(uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool is_rst(uint8_t marker) { return marker >= 0xD0 && marker <= 0xD7; }

FileKindResult detect_jpeg(std::string_view c) {
  size_t pos = 2;  // after SOI (FF D8)
  bool frame = false;
  bool scan = false;
  uint32_t width_px = 0;
  uint32_t height_px = 0;
  // Every pass consumes at least two bytes: bounded by the length.
  while (true) {
    if (pos >= c.size()) return unknown(kTruncated);
    if (byte_at(c, pos) != 0xFF) return unknown("JPEG: marker expected");
    while (pos < c.size() && byte_at(c, pos) == 0xFF) ++pos;  // fill bytes (B.1.1.2)
    if (pos >= c.size()) return unknown(kTruncated);
    const uint8_t marker = byte_at(c, pos++);
    if (marker == 0xD9) {  // EOI
      if (!frame || !scan) return unknown("JPEG: ends before a frame and a scan");
      return recognised(FileKind::kJpeg, pos, c.size(), width_px, height_px);
    }
    if (marker == 0xD8 || marker == 0x00) return unknown("JPEG: unexpected marker");
    if (is_rst(marker) || marker == 0x01) continue;  // markers without a segment
    if (c.size() - pos < 2) return unknown(kTruncated);
    const uint32_t length = be16(c, pos);  // counts itself, not the marker
    if (length < 2) return unknown("JPEG: bad segment length");
    if (c.size() - pos < length) return unknown(kTruncated);
    const std::string_view segment = c.substr(pos + 2, length - 2);
    pos += length;
    if (is_sof(marker) && !frame) {
      // P, Y (lines), X (samples per line), Nf, then 3 bytes per component.
      if (segment.size() < 6 || segment.size() != 6 + 3 * static_cast<size_t>(byte_at(segment, 5)) ||
          byte_at(segment, 5) == 0) {
        return unknown("JPEG: bad frame header");
      }
      height_px = be16(segment, 1);
      width_px = be16(segment, 3);
      // A height of 0 (defined later by a DNL marker) is legal but no camera
      // or scanner writes it; refusing it keeps the size check whole.
      if (!image_size_ok(width_px, height_px)) return unknown("JPEG: image size out of range");
      frame = true;
    }
    if (marker != 0xDA) continue;
    if (!frame) return unknown("JPEG: scan before the frame header");
    scan = true;
    // Entropy-coded data: runs to the next marker, i.e. FF followed by a byte
    // that is neither a stuffed 00 nor a restart marker.
    while (true) {
      const void* hit = std::memchr(c.data() + pos, 0xFF, c.size() - pos);
      if (hit == nullptr) return unknown(kTruncated);
      const size_t ff = static_cast<size_t>(static_cast<const char*>(hit) - c.data());
      if (ff + 1 >= c.size()) return unknown(kTruncated);
      const uint8_t next = byte_at(c, ff + 1);
      if (next == 0x00 || is_rst(next)) {
        pos = ff + 2;
        continue;
      }
      pos = ff;
      break;
    }
  }
}

// ---- PNG (ISO/IEC 15948, PNG 2nd edition) ---------------------------------

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1A\n";
constexpr uint32_t kPngLengthMax = 0x7FFFFFFFu;  // 2^31 - 1 (5.3)

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t v = n;
    for (int k = 0; k < 8; ++k) v = (v & 1u) != 0 ? 0xEDB88320u ^ (v >> 1) : v >> 1;
    table[n] = v;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

bool is_ascii_letter(char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); }

// Bit depths allowed for each colour type (Table 11.1).
bool png_depth_ok(uint8_t colour_type, uint8_t bit_depth) {
  switch (colour_type) {
    case 0:  // greyscale
      return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8 || bit_depth == 16;
    case 3:  // indexed
      return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8;
    case 2:  // truecolour
    case 4:  // greyscale with alpha
    case 6:  // truecolour with alpha
      return bit_depth == 8 || bit_depth == 16;
    default:
      return false;
  }
}

FileKindResult detect_png(std::string_view c) {
  size_t pos = kPngSignature.size();
  bool first = true;
  bool palette = false;
  bool data = false;
  uint8_t colour_type = 0;
  uint32_t width_px = 0;
  uint32_t height_px = 0;
  // Every chunk is at least 12 bytes: bounded by the length.
  while (true) {
    if (c.size() - pos < 8) return unknown(kTruncated);
    const uint32_t length = be32(c, pos);
    if (length > kPngLengthMax) return unknown("PNG: bad chunk length");
    const std::string_view type = c.substr(pos + 4, 4);
    for (char ch : type) {
      if (!is_ascii_letter(ch)) return unknown("PNG: bad chunk type");
    }
    if (c.size() - pos - 8 < static_cast<size_t>(length) + 4) return unknown(kTruncated);
    const std::string_view body = c.substr(pos + 8, length);
    if (crc32_iso3309(c.substr(pos + 4, 4 + static_cast<size_t>(length))) != be32(c, pos + 8 + length)) {
      return unknown("PNG: bad chunk CRC");
    }
    pos += 12 + static_cast<size_t>(length);
    if (first) {
      if (type != "IHDR" || length != 13) return unknown("PNG: IHDR is not the first chunk");
      width_px = be32(body, 0);
      height_px = be32(body, 4);
      const uint8_t bit_depth = byte_at(body, 8);
      colour_type = byte_at(body, 9);
      if (!image_size_ok(width_px, height_px)) return unknown("PNG: image size out of range");
      if (!png_depth_ok(colour_type, bit_depth) || byte_at(body, 10) != 0 || byte_at(body, 11) != 0 ||
          byte_at(body, 12) > 1) {
        return unknown("PNG: bad IHDR");
      }
      first = false;
      continue;
    }
    if (type == "IHDR") return unknown("PNG: second IHDR");
    if (type == "PLTE") {
      if (length == 0 || length % 3 != 0 || length > 3 * 256 || data) return unknown("PNG: bad PLTE");
      palette = true;
    } else if (type == "IDAT") {
      if (colour_type == 3 && !palette) return unknown("PNG: indexed image without PLTE");
      data = true;
    } else if (type == "IEND") {
      if (length != 0) return unknown("PNG: bad IEND");
      if (!data) return unknown("PNG: no IDAT");
      return recognised(FileKind::kPng, pos, c.size(), width_px, height_px);
    } else if ((static_cast<uint8_t>(type[0]) & 0x20u) == 0) {
      // An unknown critical chunk (upper-case first letter): a decoder must
      // refuse the image (5.4), so we do too.
      return unknown("PNG: unknown critical chunk");
    }
  }
}

}  // namespace

uint32_t crc32_iso3309(std::string_view bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : bytes) crc = kCrcTable[(crc ^ static_cast<uint8_t>(ch)) & 0xFFu] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

FileKindResult detect_file_kind(std::string_view content) {
  if (content.substr(0, 5) == "%PDF-") return detect_pdf(content);
  if (content.size() >= 3 && content.substr(0, 3) == "\xFF\xD8\xFF") return detect_jpeg(content);
  if (content.substr(0, kPngSignature.size()) == kPngSignature) return detect_png(content);
  return unknown(kNotAccepted);
}

std::string_view mime_type(FileKind kind) {
  switch (kind) {
    case FileKind::kPdf:
      return "application/pdf";
    case FileKind::kJpeg:
      return "image/jpeg";
    case FileKind::kPng:
      return "image/png";
    case FileKind::kUnknown:
      break;
  }
  return "application/octet-stream";
}

std::string_view file_extension(FileKind kind) {
  switch (kind) {
    case FileKind::kPdf:
      return ".pdf";
    case FileKind::kJpeg:
      return ".jpg";
    case FileKind::kPng:
      return ".png";
    case FileKind::kUnknown:
      break;
  }
  return "";
}

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::kPdf:
      return "pdf";
    case FileKind::kJpeg:
      return "jpeg";
    case FileKind::kPng:
      return "png";
    case FileKind::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace zizhu::io
