#include "io/file_kind.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "io/file_kind_test_util.h"

namespace zizhu::io {
namespace {

using testing::evidence_seed;

std::string be32(uint32_t v) {
  std::string out(4, '\0');
  for (size_t i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFFu);
  return out;
}

std::string png_chunk(const std::string& type, const std::string& body) {
  return be32(static_cast<uint32_t>(body.size())) + type + body + be32(crc32_iso3309(type + body));
}

const std::string kPngSignature("\x89PNG\r\n\x1A\n", 8);

// tiny.png with its IHDR replaced by one of the given sides, and its CRC fixed.
std::string png_with_size(uint32_t width_px, uint32_t height_px) {
  const std::string tiny = evidence_seed("tiny.png");
  std::string ihdr_body = be32(width_px) + be32(height_px) + tiny.substr(24, 5);
  return kPngSignature + png_chunk("IHDR", ihdr_body) + tiny.substr(33);
}

// tiny.png with `chunk` inserted after IHDR.
std::string png_with_chunk_after_ihdr(const std::string& chunk) {
  const std::string tiny = evidence_seed("tiny.png");
  return tiny.substr(0, 33) + chunk + tiny.substr(33);
}

TEST(FileKind, TheSeedsAreRecognised) {
  struct Case {
    const char* name;
    FileKind kind;
    uint32_t width_px;
    uint32_t height_px;
  };
  for (const Case& c : {Case{"tiny.pdf", FileKind::kPdf, 0, 0}, Case{"tiny.png", FileKind::kPng, 2, 2},
                        Case{"palette.png", FileKind::kPng, 3, 1}, Case{"tiny.jpg", FileKind::kJpeg, 8, 8}}) {
    SCOPED_TRACE(c.name);
    const std::string bytes = evidence_seed(c.name);
    const FileKindResult r = detect_file_kind(bytes);
    EXPECT_EQ(r.kind, c.kind) << r.problem;
    EXPECT_EQ(r.problem, "");
    EXPECT_EQ(r.content_bytes, bytes.size());
    EXPECT_EQ(r.trailing_bytes, 0u);
    EXPECT_EQ(r.width_px, c.width_px);
    EXPECT_EQ(r.height_px, c.height_px);
  }
}

TEST(FileKind, MimeTypeExtensionAndName) {
  EXPECT_EQ(mime_type(FileKind::kPdf), "application/pdf");
  EXPECT_EQ(mime_type(FileKind::kJpeg), "image/jpeg");
  EXPECT_EQ(mime_type(FileKind::kPng), "image/png");
  EXPECT_EQ(mime_type(FileKind::kUnknown), "application/octet-stream");
  EXPECT_EQ(file_extension(FileKind::kPdf), ".pdf");
  EXPECT_EQ(file_extension(FileKind::kJpeg), ".jpg");
  EXPECT_EQ(file_extension(FileKind::kPng), ".png");
  EXPECT_EQ(file_extension(FileKind::kUnknown), "");
  EXPECT_EQ(file_kind_name(FileKind::kJpeg), "jpeg");
  EXPECT_EQ(file_kind_name(FileKind::kUnknown), "unknown");
  // Stored in blob headers: the numbers must never change.
  EXPECT_EQ(static_cast<int>(FileKind::kPdf), 1);
  EXPECT_EQ(static_cast<int>(FileKind::kJpeg), 2);
  EXPECT_EQ(static_cast<int>(FileKind::kPng), 3);
}

TEST(FileKind, OtherContentIsUnknown) {
  for (const std::string& bytes :
       {std::string(), std::string("hello"), std::string("GIF89a\x01\x00\x01\x00", 10), std::string("PK\x03\x04", 4),
        std::string("姓名,身份证号\n张三,110101200001011234\n"), std::string("<html><script>alert(1)</script>"),
        std::string("\xFF\xD8", 2), std::string("\x89PNG", 4), std::string("%PDF")}) {
    const FileKindResult r = detect_file_kind(bytes);
    EXPECT_EQ(r.kind, FileKind::kUnknown) << bytes;
    EXPECT_FALSE(r.problem.empty());
    EXPECT_EQ(r.content_bytes, 0u);
  }
  EXPECT_EQ(detect_file_kind("GIF89a").problem, "not a PDF, JPEG or PNG file");
}

// A file cut anywhere before its end marker is refused: an upload that lost
// its connection half way is never stored as evidence.
TEST(FileKind, EveryTruncationIsRefused) {
  for (const char* name : {"tiny.png", "palette.png", "tiny.jpg", "trailer.jpg"}) {
    SCOPED_TRACE(name);
    const std::string bytes = evidence_seed(name);
    const size_t end = detect_file_kind(bytes).content_bytes;
    ASSERT_GT(end, 0u);
    for (size_t n = 0; n < end; ++n) {
      EXPECT_EQ(detect_file_kind(bytes.substr(0, n)).kind, FileKind::kUnknown) << n;
    }
  }
  const std::string pdf = evidence_seed("tiny.pdf");
  ASSERT_EQ(pdf.substr(pdf.size() - 6), "%%EOF\n");
  for (size_t n = 0; n + 1 < pdf.size(); ++n) {
    EXPECT_EQ(detect_file_kind(pdf.substr(0, n)).kind, n == pdf.size() - 1 ? FileKind::kPdf : FileKind::kUnknown)
        << n;
  }
  EXPECT_EQ(detect_file_kind(pdf.substr(0, pdf.size() / 2)).problem,
            "PDF: no %%EOF in the last 1024 bytes (truncated)");
  EXPECT_EQ(detect_file_kind(evidence_seed("tiny.png").substr(0, 40)).problem, "truncated");
}

TEST(FileKind, PdfTrailingBytesWithinTheTailAreTolerated) {
  const std::string pdf = evidence_seed("tiny.pdf");
  const FileKindResult padded = detect_file_kind(pdf + std::string(100, '\0'));
  EXPECT_EQ(padded.kind, FileKind::kPdf);
  EXPECT_EQ(padded.content_bytes, pdf.size());
  EXPECT_EQ(padded.trailing_bytes, 100u);
  // %%EOF must be in the last 1024 bytes.
  EXPECT_EQ(detect_file_kind(pdf + std::string(1100, ' ')).kind, FileKind::kUnknown);
  // CRLF after %%EOF belongs to the content.
  const std::string crlf = pdf.substr(0, pdf.size() - 1) + "\r\n";
  EXPECT_EQ(detect_file_kind(crlf).content_bytes, crlf.size());
}

TEST(FileKind, PdfNeedsAVersionAndStartxref) {
  const std::string pdf = evidence_seed("tiny.pdf");
  std::string no_version = pdf;
  no_version[5] = 'x';
  EXPECT_EQ(detect_file_kind(no_version).problem, "PDF: bad header");
  const size_t sx = pdf.rfind("startxref");
  std::string no_startxref = pdf;
  no_startxref[sx] = 'S';
  EXPECT_EQ(detect_file_kind(no_startxref).problem, "PDF: no startxref before %%EOF");
  EXPECT_EQ(detect_file_kind("%PDF-1.4\n%%EOF\n").kind, FileKind::kUnknown);
  EXPECT_EQ(detect_file_kind("%PDF-1.4\nstartxref\n%%EOF\n").kind, FileKind::kUnknown);
  EXPECT_EQ(detect_file_kind("%PDF-1.4\nstartxref\n0\n%%EOF").kind, FileKind::kPdf);
}

TEST(FileKind, JpegTrailerAfterEoiIsReported) {
  const std::string jpg = evidence_seed("trailer.jpg");
  const FileKindResult r = detect_file_kind(jpg);
  EXPECT_EQ(r.kind, FileKind::kJpeg) << r.problem;
  EXPECT_EQ(r.trailing_bytes, 13u);
  EXPECT_EQ(jpg.substr(r.content_bytes - 2, 2), "\xFF\xD9");
}

TEST(FileKind, JpegEoiInsideASegmentDoesNotEndTheFile) {
  // A comment holding FF D9, placed before the frame: a search for the last
  // FF D9 would be fooled by a cut file, the segment walk is not.
  const std::string tiny = evidence_seed("tiny.jpg");
  const std::string comment("\xFF\xFE\x00\x06\xFF\xD9\xFF\xD9", 8);
  const std::string jpg = tiny.substr(0, 2) + comment + tiny.substr(2);
  EXPECT_EQ(detect_file_kind(jpg).kind, FileKind::kJpeg);
  EXPECT_EQ(detect_file_kind(jpg.substr(0, 2 + comment.size() + 10)).kind, FileKind::kUnknown);
}

TEST(FileKind, JpegNeedsAFrameAndAScan) {
  EXPECT_EQ(detect_file_kind(std::string("\xFF\xD8\xFF\xD9", 4)).kind, FileKind::kUnknown);
  const std::string tiny = evidence_seed("tiny.jpg");
  // The frame header's height (Y) set to 0: legal with DNL, refused here.
  const size_t sof = tiny.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  std::string zero_height = tiny;
  zero_height[sof + 5] = '\0';
  zero_height[sof + 6] = '\0';
  EXPECT_EQ(detect_file_kind(zero_height).problem, "JPEG: image size out of range");
  // Bytes that are not a marker where one must be.
  std::string garbage = tiny;
  garbage[sof] = 'x';
  EXPECT_EQ(detect_file_kind(garbage).problem, "JPEG: marker expected");
}

TEST(FileKind, JpegEntropyDataMayHoldStuffedBytesAndRestarts) {
  const std::string tiny = evidence_seed("tiny.jpg");
  ASSERT_EQ(tiny.substr(tiny.size() - 3), "\x3F\xFF\xD9");
  const std::string jpg = tiny.substr(0, tiny.size() - 2) + std::string("\xFF\x00\xFF\xD0\x12\xFF\xD9", 7);
  const FileKindResult r = detect_file_kind(jpg);
  EXPECT_EQ(r.kind, FileKind::kJpeg) << r.problem;
  EXPECT_EQ(r.content_bytes, jpg.size());
}

TEST(FileKind, PngChecksEveryCrc) {
  std::string png = evidence_seed("tiny.png");
  png[png.size() - 20] = static_cast<char>(png[png.size() - 20] ^ 1);  // inside IDAT
  EXPECT_EQ(detect_file_kind(png).problem, "PNG: bad chunk CRC");
}

TEST(FileKind, PngSidesMustBeSane) {
  EXPECT_EQ(detect_file_kind(png_with_size(2, 2)).kind, FileKind::kPng);
  EXPECT_EQ(detect_file_kind(png_with_size(0, 2)).problem, "PNG: image size out of range");
  EXPECT_EQ(detect_file_kind(png_with_size(2, 0)).problem, "PNG: image size out of range");
  EXPECT_EQ(detect_file_kind(png_with_size(kImageSidePxMax + 1, 1)).problem, "PNG: image size out of range");
  EXPECT_EQ(detect_file_kind(png_with_size(kImageSidePxMax, kImageSidePxMax)).problem,
            "PNG: image size out of range");  // 400 million pixels
  EXPECT_EQ(detect_file_kind(png_with_size(0x80000000u, 1)).kind, FileKind::kUnknown);
  EXPECT_EQ(detect_file_kind(png_with_size(10000, 10000)).kind, FileKind::kPng);  // (the IDAT is not inflated)
}

TEST(FileKind, PngChunkOrderAndKinds) {
  // Ancillary chunks (lower-case first letter) are skipped; unknown critical
  // ones refused, as a decoder must.
  EXPECT_EQ(detect_file_kind(png_with_chunk_after_ihdr(png_chunk("zzZz", "x"))).kind, FileKind::kPng);
  EXPECT_EQ(detect_file_kind(png_with_chunk_after_ihdr(png_chunk("ZZZZ", "x"))).problem,
            "PNG: unknown critical chunk");
  EXPECT_EQ(detect_file_kind(png_with_chunk_after_ihdr(png_chunk("z1zz", "x"))).problem, "PNG: bad chunk type");
  const std::string tiny = evidence_seed("tiny.png");
  EXPECT_EQ(detect_file_kind(png_with_chunk_after_ihdr(tiny.substr(8, 25))).problem, "PNG: second IHDR");
  // IHDR must come first.
  EXPECT_EQ(detect_file_kind(kPngSignature + png_chunk("tEXt", "a") + tiny.substr(8)).problem,
            "PNG: IHDR is not the first chunk");
  // IEND straight after IHDR: no image data.
  EXPECT_EQ(detect_file_kind(tiny.substr(0, 33) + png_chunk("IEND", "")).problem, "PNG: no IDAT");
  // A palette image without PLTE.
  const std::string palette = evidence_seed("palette.png");
  const size_t plte = palette.find("PLTE") - 4;
  const std::string no_plte = palette.substr(0, plte) + palette.substr(plte + 12 + 9);
  EXPECT_EQ(detect_file_kind(no_plte).problem, "PNG: indexed image without PLTE");
  // Truecolour with bit depth 4 does not exist.
  std::string bad_depth_body = tiny.substr(16, 13);
  bad_depth_body[8] = 4;
  EXPECT_EQ(detect_file_kind(kPngSignature + png_chunk("IHDR", bad_depth_body) + tiny.substr(33)).problem,
            "PNG: bad IHDR");
}

TEST(FileKind, PngTrailingBytesAreReported) {
  const std::string png = evidence_seed("tiny.png");
  const FileKindResult r = detect_file_kind(png + "appended");
  EXPECT_EQ(r.kind, FileKind::kPng);
  EXPECT_EQ(r.content_bytes, png.size());
  EXPECT_EQ(r.trailing_bytes, 8u);
}

TEST(FileKind, Crc32IsTheZlibOne) {
  EXPECT_EQ(crc32_iso3309(""), 0u);
  EXPECT_EQ(crc32_iso3309("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(crc32_iso3309("IEND"), 0xAE426082u);       // every PNG ends with it
}

}  // namespace
}  // namespace zizhu::io
