#include "io/csv_record.h"

#include <bit>
#include <cstring>

#include "io/trim.h"

namespace zizhu::io {

namespace {

const char* find(const char* p, const char* end, char c) {
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

}  // namespace

ParseStatus CsvRecordParser::parse(const char* data, size_t size, size_t& pos, bool final) {
  count_ = 0;
  scratch_.clear();
  pending_.clear();
  blank_ = true;
  if (pos >= size) return final ? ParseStatus::kEnd : ParseStatus::kNeedMore;
  const char* p = data + pos;
  const char* const end = data + size;
  // The first LF after p; every unquoted field ends at a ',' before it or at it.
  const char* line_end = find(p, end, '\n');
  if (line_end == nullptr) {
    if (!final) return ParseStatus::kNeedMore;
    line_end = end;
  }
  for (;;) {  // one field per turn
    const char* value_begin = p;
    const char* value_end = p;
    bool in_scratch = false;
    const size_t scratch_offset = scratch_.size();
    if (p < end && *p == '"') {
      const char* segment = p + 1;
      const char* q = segment;
      bool closed = false;
      for (;;) {
        const char* quote = find(q, end, '"');
        if (quote == nullptr) {
          if (!final) return ParseStatus::kNeedMore;
          break;  // unterminated: the field runs to the end of the input
        }
        if (quote + 1 == end && !final) return ParseStatus::kNeedMore;  // "" or close?
        if (quote + 1 < end && quote[1] == '"') {
          in_scratch = true;
          scratch_.append(segment, quote + 1);  // keeps one quote
          segment = quote + 2;
          q = segment;
          continue;
        }
        if (in_scratch) {
          scratch_.append(segment, quote);
        } else {
          value_begin = segment;
          value_end = quote;
        }
        p = quote + 1;
        closed = true;
        break;
      }
      if (!closed) {
        if (in_scratch) {
          scratch_.append(segment, end);
        } else {
          value_begin = segment;
          value_end = end;
        }
        p = end;
      } else {
        if (line_end < p) {  // the quoted value held line ends
          line_end = find(p, end, '\n');
          if (line_end == nullptr) {
            if (!final) return ParseStatus::kNeedMore;
            line_end = end;
          }
        }
        // Text after the closing quote is kept literally.
        const char* comma = find(p, line_end, ',');
        const char* delim = comma != nullptr ? comma : line_end;
        if (delim != p) {
          if (!in_scratch) {
            in_scratch = true;
            scratch_.append(value_begin, value_end);
          }
          scratch_.append(p, delim);
        }
        p = delim;
      }
    } else {
      const char* comma = find(p, line_end, ',');
      value_end = comma != nullptr ? comma : line_end;
      p = value_end;
    }
    if (in_scratch) {
      pending_.push_back(Pending{count_, scratch_offset, scratch_.size() - scratch_offset});
      add_cell(Cell{});
    } else {
      const std::string_view text =
          trim(std::string_view(value_begin, static_cast<size_t>(value_end - value_begin)));
      blank_ = blank_ && text.empty();
      add_cell(Cell{text, CellType::kText});
    }
    if (p == end) {
      pos = size;
      break;
    }
    if (*p == ',') {
      ++p;
      continue;
    }
    pos = static_cast<size_t>(p + 1 - data);  // past the LF
    break;
  }
  for (const Pending& f : pending_) {
    const std::string_view text = trim(std::string_view(scratch_).substr(f.offset, f.size));
    blank_ = blank_ && text.empty();
    cells_[f.cell].text = text;
  }
  return ParseStatus::kRecord;
}

long count_newlines(const char* p, const char* end) {
  long n = 0;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  while (end - p >= 8) {
    uint64_t x = 0;
    std::memcpy(&x, p, 8);
    x ^= kOnes * '\n';  // LF bytes become zero
    // High bit set exactly in the bytes that are not zero.
    const uint64_t nonzero = (((x & kLow7) + kLow7) | x) & ~kLow7;
    // Sum of the eight 0/1 bytes by one multiplication (std::popcount is a
    // libgcc call without -mpopcnt, a visible cost on a gigabyte).
    n += 8 - static_cast<long>(((nonzero >> 7) * kOnes) >> 56);
    p += 8;
  }
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

namespace {

// The state after the bytes [p, stop) of an unquoted stretch with no quote in
// it, entered in state `s` (kFieldStart or kUnquoted).
LexState after_unquoted(const char* p, const char* stop, LexState s) {
  if (stop == p) return s;
  const char last = stop[-1];
  return (last == ',' || last == '\n') ? LexState::kFieldStart : LexState::kUnquoted;
}

}  // namespace

LexScan lex_scan(const char* p, const char* end, LexState state, bool count_records) {
  LexScan r;
  while (p < end) {
    switch (state) {
      case LexState::kQuoted: {
        const char* q = find(p, end, '"');
        if (q == nullptr) {
          p = end;
          break;
        }
        p = q + 1;
        state = LexState::kQuoteSeen;
        break;
      }
      case LexState::kQuoteSeen: {
        const char c = *p++;
        if (c == '"') {
          state = LexState::kQuoted;
        } else if (c == ',') {
          state = LexState::kFieldStart;
        } else if (c == '\n') {
          state = LexState::kFieldStart;
          if (count_records) ++r.records_ended;
        } else {
          state = LexState::kUnquoted;
        }
        break;
      }
      case LexState::kFieldStart:
        if (*p == '"') {
          state = LexState::kQuoted;
          ++p;
          break;
        }
        [[fallthrough]];
      case LexState::kUnquoted: {
        const char* q = find(p, end, '"');
        const char* stop = q != nullptr ? q : end;
        if (count_records) r.records_ended += count_newlines(p, stop);
        state = after_unquoted(p, stop, state);
        p = stop;
        if (q != nullptr && state == LexState::kUnquoted) ++p;  // a literal quote
        break;
      }
    }
  }
  r.state = state;
  return r;
}

const char* lex_next_record_start(const char* p, const char* end, LexState state) {
  while (p < end) {
    switch (state) {
      case LexState::kQuoted: {
        const char* q = find(p, end, '"');
        if (q == nullptr) return end;
        p = q + 1;
        state = LexState::kQuoteSeen;
        break;
      }
      case LexState::kQuoteSeen: {
        const char c = *p++;
        if (c == '"') {
          state = LexState::kQuoted;
        } else if (c == ',') {
          state = LexState::kFieldStart;
        } else if (c == '\n') {
          return p;
        } else {
          state = LexState::kUnquoted;
        }
        break;
      }
      case LexState::kFieldStart:
        if (*p == '"') {
          state = LexState::kQuoted;
          ++p;
          break;
        }
        [[fallthrough]];
      case LexState::kUnquoted: {
        const char* q = find(p, end, '"');
        const char* stop = q != nullptr ? q : end;
        const char* nl = find(p, stop, '\n');
        if (nl != nullptr) return nl + 1;
        state = after_unquoted(p, stop, state);
        p = stop;
        if (q != nullptr && state == LexState::kUnquoted) ++p;
        break;
      }
    }
  }
  return end;
}

}  // namespace zizhu::io

#include "io/encoding.h"

namespace zizhu::io {

Result<std::string> csv_from_gb18030(const std::string& path, std::string_view bytes) {
  std::string out;
  size_t bad_offset = 0;
  if (gb18030_to_utf8(bytes, out, bad_offset)) return out;
  // The row is the record the bad bytes fall in: count the records that end
  // in the text converted before them.
  const long row = 1 + lex_scan(out.data(), out.data() + out.size(), LexState::kFieldStart).records_ended;
  return fail("BAD_ENCODING",
              "文件既不是 UTF-8 也不是 GB18030 编码（第 " + std::to_string(bad_offset) +
                  " 字节处无法识别）: " + path,
              Location{path, row, ""});
}

}  // namespace zizhu::io
