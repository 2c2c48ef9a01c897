// A QR code as a small SVG image, for showing a TOTP otpauth:// URI to scan.
// Drawn on the server so that the secret never goes to a third-party service
// or a front-end library.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace zizhu::crypto {

inline constexpr int kQrQuietZoneModules = 4;    // ISO/IEC 18004 asks for 4
inline constexpr size_t kQrTextBytesMax = 1024;  // an otpauth URI is about 150

// An SVG whose user units are modules: a white square of (width + 8) units,
// and one black 1x1 square per dark module at (x + 4, y + 4), all in a single
// path. Error correction level M. "QR" when the text is too long to encode.
Result<std::string> qr_svg(std::string_view text);

}  // namespace zizhu::crypto
