#include "crypto/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace zizhu::crypto {

namespace {

struct FreeQr {
  void operator()(QRcode* qr) const { QRcode_free(qr); }
};

}  // namespace

Result<std::string> qr_svg(std::string_view text) {
  if (text.size() > kQrTextBytesMax) return fail("QR", "二维码内容过长 (text too long for a QR code)");
  const std::string terminated(text);
  // Version 0 lets libqrencode choose the smallest symbol that fits; 8-bit
  // mode keeps the URI's bytes exactly.
  std::unique_ptr<QRcode, FreeQr> qr(QRcode_encodeString8bit(terminated.c_str(), 0, QR_ECLEVEL_M));
  if (!qr) return fail("QR", "无法生成二维码 (libqrencode could not encode the text)");
  const int width = qr->width;
  const int size = width + 2 * kQrQuietZoneModules;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each byte is the module's colour (1 = dark); the other bits
      // describe what the module is for.
      if ((qr->data[y * width + x] & 1) == 0) continue;
      path +=
          'M' + std::to_string(x + kQrQuietZoneModules) + ' ' + std::to_string(y + kQrQuietZoneModules) + "h1v1h-1z";
    }
  }
  const std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
         "\" shape-rendering=\"crispEdges\">"
         "<rect width=\"" +
         n + "\" height=\"" + n +
         "\" fill=\"#fff\"/>"
         "<path fill=\"#000\" d=\"" +
         path + "\"/></svg>";
}

}  // namespace zizhu::crypto
