#include "app/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace zizhu::app {

bool RateLimiter::allow(std::string_view key, int64_t now_ms, int64_t* retry_after_s) {
  if (rate_per_minute_ <= 0) return true;
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(std::string(key));
  if (found == buckets_.end()) {
    if (buckets_.size() >= keys_max_) forget_idle(now_ms);
    found = buckets_.emplace(std::string(key), Bucket{static_cast<double>(burst_), now_ms}).first;
  }
  Bucket& b = found->second;
  const double per_ms = static_cast<double>(rate_per_minute_) / 60000.0;
  const auto elapsed_ms = static_cast<double>(std::max<int64_t>(0, now_ms - b.updated_ms));
  b.tokens = std::min(static_cast<double>(burst_), b.tokens + elapsed_ms * per_ms);
  b.updated_ms = now_ms;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_s != nullptr) {
    *retry_after_s = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_ms / 1000.0)));
  }
  return false;
}

void RateLimiter::forget_idle(int64_t now_ms) {
  // A bucket idle long enough to be full again carries no information.
  const auto full_after_ms = static_cast<int64_t>(60000.0 * burst_ / std::max(1, rate_per_minute_));
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now_ms - it->second.updated_ms >= full_after_ms) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  // Still full: forget everything rather than grow without bound; at worst a
  // flooding client gets a fresh bucket.
  if (buckets_.size() >= keys_max_) buckets_.clear();
}

}  // namespace zizhu::app
