// A token bucket per key (a client address, an account): `rate_per_minute`
// tokens a minute, up to `burst`. Bounded: at most `keys_max` keys are
// tracked; when full, the ones idle longest are forgotten (they had a full
// bucket anyway). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace zizhu::app {

class RateLimiter {
 public:
  RateLimiter(int rate_per_minute, int burst, size_t keys_max = 100000)
      : rate_per_minute_(rate_per_minute), burst_(burst), keys_max_(keys_max) {}

  // true when `key` may go ahead now (and uses one token); false with
  // `retry_after_s` set when it must wait. A rate of 0 allows everything.
  bool allow(std::string_view key, int64_t now_ms, int64_t* retry_after_s = nullptr);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  void forget_idle(int64_t now_ms);

  int rate_per_minute_;
  int burst_;
  size_t keys_max_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace zizhu::app
