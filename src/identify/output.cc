#include "identify/output.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <span>
#include <thread>

#include "core/student_no.h"
#include "io/csv_writer.h"

namespace zizhu::identify {
namespace {

std::string_view int_text(int64_t v, char* buf) {
  auto r = std::to_chars(buf, buf + 24, v);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

// Joins the set bits' names with ';' into `out`.
void join_categories(uint64_t mask, const Policy& policy, std::string& out) {
  out.clear();
  for (size_t c = 0; c < policy.categories.size(); ++c) {
    if (!(mask >> c & 1)) continue;
    if (!out.empty()) out += ';';
    out += policy.categories[c].code;
  }
}
void join_flags(uint16_t flags, std::string& out) {
  out.clear();
  for (size_t b = 0; b < kFlagNames.size(); ++b) {
    if (!(flags >> b & 1)) continue;
    if (!out.empty()) out += ';';
    out += kFlagNames[b];
  }
}

bool included(const Outcome& out, size_t i) {
  return out.application[i] >= 0 || out.matched[i] != 0 || out.flags[i] != 0;
}

}  // namespace

std::vector<uint32_t> result_rows(const Dataset& data, const Outcome& out) {
  std::vector<uint32_t> rows;
  // NOT_ENROLLED rows have an empty school code: they come first, by 学籍号.
  std::vector<uint32_t> ne = out.not_enrolled;
  std::sort(ne.begin(), ne.end(), [&](uint32_t a, uint32_t b) {
    const auto ta = data.side_text.get(data.applications.student_no[a]);
    const auto tb = data.side_text.get(data.applications.student_no[b]);
    return ta != tb ? ta < tb : a < b;
  });
  for (uint32_t a : ne) rows.push_back(a | 0x80000000u);
  const Students& st = data.students;
  std::vector<std::vector<uint32_t>> by_school(data.school_codes.size());
  for (size_t i = 0; i < st.size(); ++i)
    if (included(out, i)) by_school[st.school[i]].push_back(static_cast<uint32_t>(i));
  for (auto& list : by_school) {
    std::sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
      const bool ra = out.rank[a] > 0, rb = out.rank[b] > 0;
      if (ra != rb) return ra;
      if (ra) return out.rank[a] < out.rank[b];
      return st.no_key[a] < st.no_key[b];
    });
    rows.insert(rows.end(), list.begin(), list.end());
  }
  return rows;
}

namespace {

// A 学籍号 from its key into `out` (19 bytes), as student_no_from_key writes
// it, without a string per row.
std::string_view student_no_chars(uint64_t key, char* out) {
  constexpr int kKindShift = 60;
  const auto kind = static_cast<StudentNoKind>(key >> kKindShift);
  uint64_t body = key & ((uint64_t{1} << kKindShift) - 1);
  if (kind == StudentNoKind::kG) {
    out[0] = 'G';
    const uint64_t check = body % 11;
    body /= 11;
    out[18] = check == 10 ? 'X' : static_cast<char>('0' + check);
    for (int i = 17; i >= 1; --i, body /= 10) out[i] = static_cast<char>('0' + body % 10);
  } else {
    out[0] = kind == StudentNoKind::kJ ? 'J' : 'L';
    for (int i = 18; i >= 1; --i, body /= 10) out[i] = static_cast<char>('0' + body % 10);
  }
  return std::string_view(out, 19);
}

// results.csv rows [begin, end) of `rows`, formatted into `csv`.
void write_result_rows(io::CsvWriter& csv, std::span<const uint32_t> rows, const Dataset& data, const Policy& policy,
                       const Outcome& out) {
  char num[32], money[40], no[19];
  std::string categories, flags;
  const Students& st = data.students;
  for (uint32_t r : rows) {
    if (is_not_enrolled_row(r)) {
      const uint32_t a = application_of_row(r);
      csv.row({data.side_text.get(data.applications.student_no[a]), "", "", "BLOCKED", "", "", "0", "", "NOT_ENROLLED", ""});
      continue;
    }
    const uint32_t i = r;
    csv.field(student_no_chars(st.no_key[i], no));
    csv.field(data.text.get(st.name[i]));
    csv.field(data.school_codes[st.school[i]]);
    csv.field(status_code(out.status[i]));
    csv.field(out.level[i] >= 0 ? int_text(policy.levels[static_cast<size_t>(out.level[i])].number, num) : "");
    if (out.status[i] == Status::kFunded) {
      const size_t len = format_yuan(out.amount[i], money);
      csv.field(std::string_view(money, len));
    } else {
      csv.field("");
    }
    csv.field(int_text(out.score[i], num));
    join_categories(out.verified[i], policy, categories);
    csv.field(categories);
    join_flags(out.flags[i], flags);
    csv.field(flags);
    csv.field(out.rank[i] > 0 ? int_text(out.rank[i], num) : "");
    csv.end_row();
  }
}

}  // namespace

Result<void> write_outputs(const std::string& dir, const Dataset& data, const Policy& policy, const Outcome& out) {
  char num[32], money[40];
  {
    auto w = io::CsvWriter::open(dir + "/results.csv");
    if (!w) return tl::unexpected(w.error());
    auto& csv = **w;
    csv.row({"student_no", "name", "school_code", "status", "level", "amount", "score", "categories", "flags", "rank"});
    const std::vector<uint32_t> rows = result_rows(data, out);
    // Millions of rows: the second half is formatted on another thread while
    // this one formats and writes the first; the bytes are the same.
    const bool split = rows.size() >= 200000 && std::thread::hardware_concurrency() > 1;
    const size_t half = split ? rows.size() / 2 : rows.size();
    std::string second;
    std::thread other;
    if (split) {
      other = std::thread([&] {
        auto part = io::CsvWriter::to_string(&second);
        write_result_rows(*part, std::span(rows).subspan(half), data, policy, out);
        (void)part->close();
      });
    }
    write_result_rows(csv, std::span(rows).first(half), data, policy, out);
    if (split) {
      other.join();
      csv.raw(second);
    }
    if (auto c = csv.close(); !c) return c;
  }
  {
    auto w = io::CsvWriter::open(dir + "/schools.csv");
    if (!w) return tl::unexpected(w.error());
    auto& csv = **w;
    for (std::string_view h : {"school_code", "students", "applicants", "candidates", "funded"}) csv.field(h);
    for (const auto& level : policy.levels) csv.field("funded_l" + std::to_string(level.number));
    for (std::string_view h : {"waitlist", "blocked", "budget", "allocated", "remaining"}) csv.field(h);
    csv.end_row();
    for (size_t s = 0; s < data.school_codes.size(); ++s) {
      const SchoolSummary& sum = out.schools[s];
      csv.field(data.school_codes[s]);
      for (int64_t v : {sum.students, sum.applicants, sum.candidates, sum.funded}) csv.field(int_text(v, num));
      for (int64_t v : sum.funded_by_level) csv.field(int_text(v, num));
      for (int64_t v : {sum.waitlist, sum.blocked}) csv.field(int_text(v, num));
      for (Fen v : {sum.budget, sum.allocated, sum.remaining}) {
        const size_t len = format_yuan(v, money);
        csv.field(std::string_view(money, len));
      }
      csv.end_row();
    }
    if (auto c = csv.close(); !c) return c;
  }
  {
    auto w = io::CsvWriter::open(dir + "/rejects.csv");
    if (!w) return tl::unexpected(w.error());
    auto& csv = **w;
    csv.row({"file", "row", "column", "value", "reason"});
    for (const Reject& r : data.rejects) {
      csv.row({data.file_names[r.file], int_text(r.row, num), r.column, r.value, r.reason});
    }
    if (auto c = csv.close(); !c) return c;
  }
  return {};
}

}  // namespace zizhu::identify
