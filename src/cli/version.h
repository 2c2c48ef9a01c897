#pragma once

namespace zizhu::cli {
inline constexpr const char* kVersion = "0.1.0";
}
