// Encodings of input files (identify.md "Reading files"): a file that is valid
// UTF-8 as a whole (with or without a BOM) is UTF-8; any other file is GB18030,
// which is what Excel on a Chinese Windows writes as "CSV".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zizhu::io {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Strict UTF-8 (RFC 3629 / Unicode table 3-7): no overlong forms, no
// surrogates, nothing above U+10FFFF. Fed block by block, so a file is judged
// whole without being held in memory; a sequence may straddle two blocks.
class Utf8Validator {
 public:
  // Returns false once the bytes fed so far cannot be UTF-8.
  bool feed(std::string_view bytes);
  // True when everything fed is valid and no sequence was left unfinished.
  bool finish() const { return ok_ && carry_size_ == 0; }
  bool ok() const { return ok_; }

 private:
  bool ok_ = true;
  unsigned char carry_[4] = {};  // an unfinished sequence from the previous block
  size_t carry_size_ = 0;
};

// Whole-buffer check (the same rules).
bool is_valid_utf8(std::string_view bytes);

// Converts GB18030 text to UTF-8 with glibc's iconv. On success returns true
// and `out` holds the text. On a byte sequence that is not GB18030 (or one cut
// off at the end) returns false, `bad_offset` is its offset in `in`, and `out`
// holds the text converted before it (so a caller can name the row).
bool gb18030_to_utf8(std::string_view in, std::string& out, size_t& bad_offset);

}  // namespace zizhu::io
