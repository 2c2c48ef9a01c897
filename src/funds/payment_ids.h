// The transfer ids of payments (docs/payments.md "The money's path in the
// ledger"), in one place: app/payments.cc writes them, funds/ledger_check.cc
// reads them back to tie each payment transfer to its payment line.
//
// Client-chosen ids stay below 2^40; a filing's commitment is 2^41 + filing
// and its post 2^41 + 2^40 + filing. A payment line's shares (one per source
// it is paid from, at most five) are 2^42 + line × 8 + share, their post or
// void 2^43 + line × 8 + share, and the return of a failed line's money
// 2^44 + line.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zizhu::funds {

// An organisation node's account of a kind (docs/funds.md "Accounts"): sixteen
// ids per node, one per kind (ten kinds today). app/funds_in makes them;
// ledger_check finds a county's source accounts by them.
inline int64_t ledger_account_id(int64_t org_id, int kind_index) { return org_id * 16 + kind_index + 1; }

inline constexpr int64_t kPaymentShareIdBase = int64_t{1} << 42;
inline constexpr int64_t kPaymentSettleIdBase = int64_t{1} << 43;
inline constexpr int64_t kLineReturnIdBase = int64_t{1} << 44;
inline constexpr int kPaymentSharesMax = 5;

inline int64_t payment_share_id(int64_t line_id, int share) { return kPaymentShareIdBase + line_id * 8 + share; }
inline int64_t payment_settle_id(int64_t share_id) { return kPaymentSettleIdBase + (share_id - kPaymentShareIdBase); }
inline int64_t line_return_id(int64_t line_id) { return kLineReturnIdBase + line_id; }

// The payment line a share or its settlement belongs to, if `id` is one.
inline std::optional<int64_t> payment_line_of(int64_t id) {
  if (id >= kPaymentShareIdBase && id < kPaymentSettleIdBase) return (id - kPaymentShareIdBase) / 8;
  if (id >= kPaymentSettleIdBase && id < kLineReturnIdBase) return (id - kPaymentSettleIdBase) / 8;
  return std::nullopt;
}

// A payment share's `source`: the kind of fund source it is paid from, in
// the order of store::LedgerAccountKind's first five kinds (kSourceCentral …
// kSourceSchool), which is also the order sources are drawn on.
inline constexpr std::array<std::string_view, 5> kSourceKindKeys = {"central", "provincial", "local", "donor",
                                                                    "school"};

}  // namespace zizhu::funds
