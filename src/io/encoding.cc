#include "io/encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace zizhu::io {

namespace {

enum class Scan { kValid, kIncomplete, kInvalid };

// Validates [p, end). `done` is set to the number of bytes that form complete,
// valid sequences. kIncomplete: the bytes after `done` begin a sequence that
// may still be completed by more input.
Scan scan_utf8(const unsigned char* p, const unsigned char* end, size_t& done) {
  const unsigned char* const start = p;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  for (;;) {
    // ASCII fast path, 16 bytes at a time.
    while (end - p >= 16) {
      uint64_t a = 0;
      uint64_t b = 0;
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + 8, 8);
      if (((a | b) & kHigh) != 0) break;
      p += 16;
    }
    while (p < end && *p < 0x80) {
      ++p;
      if ((reinterpret_cast<uintptr_t>(p) & 7) == 0 && end - p >= 16) break;
    }
    if (p == end) {
      done = static_cast<size_t>(p - start);
      return Scan::kValid;
    }
    if (*p < 0x80) continue;  // back to the fast path
    const unsigned char c = *p;
    size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      need = 2;
    } else if (c == 0xED) {
      need = 2, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      need = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      need = 3;
    } else if (c == 0xF4) {
      need = 3, hi = 0x8F;
    } else {
      done = static_cast<size_t>(p - start);
      return Scan::kInvalid;
    }
    const size_t avail = static_cast<size_t>(end - p) - 1;
    const size_t have = avail < need ? avail : need;
    for (size_t i = 1; i <= have; ++i) {
      const unsigned char x = p[i];
      const bool good = i == 1 ? (x >= lo && x <= hi) : (x >= 0x80 && x <= 0xBF);
      if (!good) {
        done = static_cast<size_t>(p - start);
        return Scan::kInvalid;
      }
    }
    if (have < need) {
      done = static_cast<size_t>(p - start);
      return Scan::kIncomplete;
    }
    p += need + 1;
  }
}

}  // namespace

bool Utf8Validator::feed(std::string_view bytes) {
  if (!ok_) return false;
  auto p = reinterpret_cast<const unsigned char*>(bytes.data());
  auto end = p + bytes.size();
  if (carry_size_ > 0) {
    // Finish the sequence cut at the end of the previous block.
    unsigned char tmp[8];
    std::memcpy(tmp, carry_, carry_size_);
    size_t take = static_cast<size_t>(end - p);
    if (take > 4) take = 4;
    std::memcpy(tmp + carry_size_, p, take);
    size_t done = 0;
    const Scan s = scan_utf8(tmp, tmp + carry_size_ + take, done);
    if (s == Scan::kInvalid && done == 0) return ok_ = false;
    if (done == 0) {  // still incomplete: the block was tiny
      std::memcpy(carry_ + carry_size_, p, take);
      carry_size_ += take;
      return true;
    }
    // `done` covers the carried sequence (and maybe a few bytes after it).
    p += done - carry_size_;
    carry_size_ = 0;
  }
  size_t done = 0;
  const Scan s = scan_utf8(p, end, done);
  if (s == Scan::kInvalid) return ok_ = false;
  if (s == Scan::kIncomplete) {
    carry_size_ = static_cast<size_t>(end - p) - done;
    std::memcpy(carry_, p + done, carry_size_);
  }
  return true;
}

bool is_valid_utf8(std::string_view bytes) {
  auto p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t done = 0;
  return scan_utf8(p, p + bytes.size(), done) == Scan::kValid;
}

bool gb18030_to_utf8(std::string_view in, std::string& out, size_t& bad_offset) {
  out.clear();
  bad_offset = 0;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  // GB18030 uses at most 4 bytes per character and UTF-8 at most 4, and a
  // 2-byte GB18030 character becomes 3 UTF-8 bytes: 2x the input always fits.
  out.resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  bool ok = true;
  while (src_left > 0) {
    const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {  // cannot happen with the bound above; grow anyway
      const size_t used = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    ok = false;  // EILSEQ (not GB18030) or EINVAL (cut off at the end)
    break;
  }
  iconv_close(cd);
  out.resize(static_cast<size_t>(dst - out.data()));
  if (!ok) bad_offset = in.size() - src_left;
  return ok;
}

}  // namespace zizhu::io
