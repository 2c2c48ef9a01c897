// libFuzzer target for the evidence file check (io/file_kind.h): any bytes
// must be judged without a crash or a read out of bounds, and the verdict must
// hang together: a recognised file is recognised again from its first
// `content_bytes` alone, with the same sizes, and (JPEG, PNG) a file cut one
// byte short of its end marker is refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/file_kind.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using zizhu::io::FileKind;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const auto r = zizhu::io::detect_file_kind(content);
  if (r.kind == FileKind::kUnknown) {
    if (r.problem.empty() || r.content_bytes != 0 || r.trailing_bytes != 0) std::abort();
    return 0;
  }
  if (!r.problem.empty() || r.content_bytes == 0 || r.content_bytes + r.trailing_bytes != size) std::abort();
  if (zizhu::io::mime_type(r.kind).empty() || zizhu::io::file_extension(r.kind).empty()) std::abort();
  const auto again = zizhu::io::detect_file_kind(content.substr(0, r.content_bytes));
  if (again.kind != r.kind || again.content_bytes != r.content_bytes || again.trailing_bytes != 0 ||
      again.width_px != r.width_px || again.height_px != r.height_px) {
    std::abort();
  }
  if (r.kind != FileKind::kPdf &&
      zizhu::io::detect_file_kind(content.substr(0, r.content_bytes - 1)).kind != FileKind::kUnknown) {
    std::abort();
  }
  return 0;
}
