// Recovery codes for a lost second-factor device: codes a person can copy by
// hand ("k7dq-3m9x-p2fa"), shown once. The caller stores only a hash of each
// (of its normalised form) and crosses a code off when it is used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zizhu::crypto {

inline constexpr size_t kRecoveryCodesMax = 100;

// `n` codes (at most kRecoveryCodesMax) of three groups of four characters
// from 31 letters and digits without 0/o, 1/l/i: about 59 bits each.
std::vector<std::string> make_recovery_codes(size_t n = 10);

// The canonical form of a code as a person typed it — lower case, spaces and
// hyphens dropped, regrouped as xxxx-xxxx-xxxx — or nullopt when it cannot be
// one of ours. Hash this form, at creation and at use.
std::optional<std::string> normalize_recovery_code(std::string_view typed);

}  // namespace zizhu::crypto
