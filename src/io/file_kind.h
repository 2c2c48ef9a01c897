// What an uploaded evidence file (证明材料: a scan or photo of a 低保证, a
// 残疾证, ...) is, told by its content and never by its name (aid-cycle.md,
// OPEN; server.md, "checked by content, not by name"). Three kinds are
// accepted: PDF, JPEG and PNG. A file is recognised only when its structure
// is complete up to the format's own end marker, so a truncated upload (a
// phone that lost the connection half way) is refused, not stored.
//
// Rules (docs/evidence.md gives the reasons):
//   PDF   "%PDF-<digit>.<digit>" at offset 0; the last "%%EOF" within the
//         last 1024 bytes, with "startxref" before it in those bytes.
//   JPEG  FF D8 FF; the marker segments walked one by one (lengths checked)
//         through the entropy-coded data to the EOI marker FF D9; a frame
//         header (SOFn) with non-zero sides and a scan (SOS) before EOI.
//   PNG   the 8-byte signature; IHDR first, with sane sides and a valid
//         bit depth / colour type pair; every chunk's length and CRC-32
//         checked; IDAT (and PLTE for palette images) before IEND.
// Bytes after the end marker (phones append Motion Photo videos and vendor
// trailers after a JPEG's EOI, scanners pad PDFs) are tolerated and reported
// as `trailing_bytes`; callers should keep only the first `content_bytes`.
// No pixel is decoded: this is a gate, not a validator of every byte.
//
// Pure functions of the bytes, no I/O; every loop is bounded by the input's
// length (each step consumes at least one byte).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zizhu::io {

// The numbers are stored (in blob headers, store/blob_store.h): never change
// them, only add.
enum class FileKind : uint8_t {
  kUnknown = 0,
  kPdf = 1,
  kJpeg = 2,
  kPng = 3,
};

// Images larger than this are refused: no certificate scan needs more
// (A3 at 600 dpi is 7016 x 9921 = 70 million pixels), and anything that
// later decodes the image for a thumbnail must not be handed a bomb that
// inflates a small upload into gigabytes of pixels.
inline constexpr uint32_t kImageSidePxMax = 20000;
inline constexpr uint64_t kImagePixelsMax = 100'000'000;
// Where the last "%%EOF" of a PDF must start: within this many bytes of the
// end (what PDF readers such as Acrobat tolerate).
inline constexpr size_t kPdfTailBytes = 1024;

struct FileKindResult {
  FileKind kind = FileKind::kUnknown;
  // Length of the file up to and including its end marker (PDF: the last
  // "%%EOF" and the end-of-line after it, if any). 0 when kUnknown.
  size_t content_bytes = 0;
  // Bytes after `content_bytes`.
  size_t trailing_bytes = 0;
  // Pixel size of an image; 0 for a PDF.
  uint32_t width_px = 0;
  uint32_t height_px = 0;
  // Why the file is kUnknown, in English for logs and tests ("truncated",
  // "PNG: bad CRC in chunk IDAT", ...); empty when recognised. Static text.
  std::string_view problem;
};

FileKindResult detect_file_kind(std::string_view content);

// "application/pdf", "image/jpeg", "image/png"; "application/octet-stream"
// for kUnknown.
std::string_view mime_type(FileKind kind);
// ".pdf", ".jpg", ".png"; empty for kUnknown.
std::string_view file_extension(FileKind kind);
// "pdf", "jpeg", "png", "unknown": a name for messages, JSON and logs.
std::string_view file_kind_name(FileKind kind);

// CRC-32 as PNG (ISO 3309 / ITU-T V.42, the zlib one) computes it, over
// `bytes`; exposed for tests that build PNG chunks.
uint32_t crc32_iso3309(std::string_view bytes);

}  // namespace zizhu::io
