#include "crypto/qr_svg.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <utility>

namespace zizhu::crypto {
namespace {

struct Drawn {
  int size = 0;
  std::set<std::pair<int, int>> dark;  // (x, y) in SVG units
};

Drawn parse(const std::string& svg) {
  Drawn d;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re"))) << svg;
  d.size = std::stoi(m[1]);
  EXPECT_EQ(m[1], m[2]);
  const std::regex square(R"(M(\d+) (\d+)h1v1h-1z)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), square); it != std::sregex_iterator(); ++it) {
    d.dark.insert({std::stoi((*it)[1]), std::stoi((*it)[2])});
  }
  return d;
}

// The symbol's structure, checked on the drawing: a quiet zone of 4 empty
// modules, and the 7x7 finder patterns (dark ring, light ring, dark 3x3) in
// three corners.
TEST(QrSvg, QuietZoneAndFinderPatterns) {
  auto svg = qr_svg("otpauth://totp/zizhu:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=zizhu");
  ASSERT_TRUE(svg.has_value()) << svg.error().message;
  EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  const Drawn d = parse(*svg);
  const int width = d.size - 2 * kQrQuietZoneModules;
  ASSERT_GE(width, 21);
  EXPECT_EQ((width - 17) % 4, 0);  // QR symbols are 17 + 4 * version modules wide
  for (const auto& [x, y] : d.dark) {
    EXPECT_GE(x, kQrQuietZoneModules);
    EXPECT_GE(y, kQrQuietZoneModules);
    EXPECT_LT(x, d.size - kQrQuietZoneModules);
    EXPECT_LT(y, d.size - kQrQuietZoneModules);
  }
  auto finder_dark = [](int dx, int dy) {
    const bool ring = dx == 0 || dx == 6 || dy == 0 || dy == 6;
    const bool core = dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4;
    return ring || core;
  };
  const int q = kQrQuietZoneModules;
  const std::pair<int, int> corners[] = {{q, q}, {q + width - 7, q}, {q, q + width - 7}};
  for (const auto& [cx, cy] : corners) {
    for (int dy = 0; dy < 7; ++dy) {
      for (int dx = 0; dx < 7; ++dx) {
        EXPECT_EQ(d.dark.contains({cx + dx, cy + dy}), finder_dark(dx, dy))
            << cx << "," << cy << " +" << dx << "," << dy;
      }
    }
  }
  // The separator beside the top-left finder is light.
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(d.dark.contains({q + 7, q + i}));
}

TEST(QrSvg, LongerTextMakesALargerSymbolAndTooLongIsAnError) {
  const Drawn small = parse(*qr_svg("a"));
  const Drawn large = parse(*qr_svg(std::string(300, 'a')));
  EXPECT_EQ(small.size, 21 + 8);
  EXPECT_GT(large.size, small.size);
  auto too_long = qr_svg(std::string(kQrTextBytesMax + 1, 'a'));
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, "QR");
}

}  // namespace
}  // namespace zizhu::crypto
