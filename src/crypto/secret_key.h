// A 32-byte secret (a master key or a key derived from one) that wipes itself
// when destroyed, so freed heap and stack do not keep key material around.
// Copies are allowed (the ring and the codecs keep their own) and each copy
// wipes itself too. Never printed: there is deliberately no to_string.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace zizhu::crypto {

class SecretKey {
 public:
  static constexpr size_t kBytes = 32;

  SecretKey() = default;
  explicit SecretKey(std::span<const uint8_t, kBytes> bytes);
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  std::span<const uint8_t, kBytes> bytes() const { return bytes_; }
  // The first `n` bytes, for ciphers with shorter keys (SM4 takes 16).
  template <size_t n>
  std::span<const uint8_t, n> first() const {
    static_assert(n <= kBytes);
    return std::span<const uint8_t, kBytes>(bytes_).template first<n>();
  }

 private:
  std::array<uint8_t, kBytes> bytes_{};
};

}  // namespace zizhu::crypto
