// An open-addressing hash map from 64-bit keys to 32-bit values, for the joins
// of the identification run (ID numbers and 学籍号 as integers). Linear
// probing in one flat array: no allocation per entry, cache-friendly.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace zizhu::identify {

class FlatMap {
 public:
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // never a key: callers use kNoKey for "none"

  explicit FlatMap(std::size_t expected = 16) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, Slot{kEmpty, 0});
    mask_ = cap - 1;
  }

  // The value for `key`, inserting `value` when absent; `inserted` says which.
  uint32_t& find_or_insert(uint64_t key, uint32_t value, bool& inserted) {
    assert(key != kEmpty);
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = hash(key) & mask_;
    while (true) {
      Slot& s = slots_[i];
      if (s.key == key) {
        inserted = false;
        return s.value;
      }
      if (s.key == kEmpty) {
        s.key = key;
        s.value = value;
        ++size_;
        inserted = true;
        return s.value;
      }
      i = (i + 1) & mask_;
    }
  }

  const uint32_t* find(uint64_t key) const {
    std::size_t i = hash(key) & mask_;
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kEmpty) return nullptr;
      i = (i + 1) & mask_;
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key;
    uint32_t value;
  };
  static std::size_t hash(uint64_t k) {
    // A 64-bit mix (the finaliser of MurmurHash3): keys such as ID numbers
    // share long prefixes, so their low bits alone would cluster.
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, Slot{kEmpty, 0});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key == kEmpty) continue;
      bool inserted = false;
      find_or_insert(s.key, s.value, inserted);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace zizhu::identify
