#include "identify/load.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <memory>
#include <thread>
#include <string_view>
#include <unordered_set>

#include "core/ascii.h"
#include "core/bank_card.h"
#include "core/resident_id.h"
#include "core/school_code.h"
#include "core/student_no.h"
#include "identify/flat_map.h"
#include "identify/input/fields.h"
#include "identify/input/repeated.h"
#include "identify/input/resident_id_read.h"
#include "identify/input/schemas.h"
#include "identify/input/students.h"
#include "io/csv_chunks.h"
#include "io/header_map.h"
#include "io/table.h"
#include "io/trim.h"

namespace zizhu::identify {
namespace {

// A file opened and its header mapped, before any row is read: every file is
// checked this way before the run starts, so that a missing column stops the
// run before anything is written.
struct OpenFile {
  std::unique_ptr<io::TableReader> reader;     // streaming, or
  std::optional<io::CsvFileChunks> chunked;    // a CSV roster read in parallel chunks
  io::HeaderMap columns;
  uint32_t index = 0;  // in Dataset::file_names
};

tl::unexpected<Error> missing_column(const std::string& path, const io::ColumnSpec& col) {
  return fail("MISSING_COLUMN", path + ": 缺少必需的列 “" + std::string(col.chinese) + "”（" + std::string(col.key) + "）",
              {path, 1, std::string(col.chinese)});
}

// A table whose header has every required column of `spec`.
template <size_t N>
Result<OpenFile> open_reader(std::unique_ptr<io::TableReader> reader, const std::array<io::ColumnSpec, N>& spec,
                             uint32_t index) {
  OpenFile f;
  f.columns = io::map_header(reader->header(), spec);
  if (f.columns.first_missing_required) return missing_column(reader->path(), spec[*f.columns.first_missing_required]);
  f.reader = std::move(reader);
  f.index = index;
  return f;
}

template <size_t N>
Result<OpenFile> open_checked(const std::string& path, const std::array<io::ColumnSpec, N>& spec, uint32_t index) {
  auto reader = io::open_table(path);
  if (!reader) return tl::unexpected(reader.error());
  return open_reader(std::move(*reader), spec, index);
}

void add_reject(Dataset& d, const OpenFile& f, const io::Row& row, int column, std::string_view why) {
  Reject r;
  r.file = f.index;
  r.row = row.number;
  r.reason = why;
  if (column >= 0) {
    r.column = f.columns.names[static_cast<size_t>(column)];
    r.value = std::string(cell_at(row, f.columns.position[static_cast<size_t>(column)]).text);
  }
  d.rejects.push_back(std::move(r));
}

// 学校标识码 as a number: ten digits, so numeric order is byte order.
uint64_t school_number(std::string_view code) {
  uint64_t v = 0;
  for (char c : code) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

int32_t date_days_or(std::optional<Date> d, int32_t otherwise) { return d ? d->days() : otherwise; }

// The accepted rows of one part of the roster (the whole file, or one chunk
// of it read on its own thread), with the text they point into.
struct RosterPart {
  Students s;
  TextArena text;
  std::vector<Reject> rejects;
  std::vector<uint64_t> school_numbers;
  std::vector<uint8_t> lower_x;  // the 学籍号 was written with a final 'x' (for duplicate rejects)
  long rows = 0;
  Result<void> done{};
};

// Room for `rows` rows in every column, so that ten million rows are appended
// without regrowing (and copying) seventeen vectors.
void reserve_rows(RosterPart& part, size_t rows) {
  Students& s = part.s;
  auto r = [rows](auto& v) { v.reserve(rows); };
  r(s.no_key), r(s.name), r(s.grade), r(s.boarding), r(s.gender), r(s.birth_days), r(s.has_id), r(s.id_key);
  r(s.id_valid), r(s.id_birth_days), r(s.id_male), r(s.id_mismatch), r(s.guardian_key), r(s.card_value);
  r(s.card_digits), r(s.card_luhn_bad), r(s.row), r(part.school_numbers), r(part.lower_x);
  part.text.reserve(rows * 12);  // names: a few CJK characters each
}

void read_roster_part(io::TableReader& reader, const io::HeaderMap& columns, uint32_t file_index,
                      const Policy& policy, RosterPart& part) {
  Students& s = part.s;
  std::vector<uint8_t>& lower_x = part.lower_x;
  std::vector<uint64_t>& school_numbers = part.school_numbers;
  StudentRow r;
  RowFault fault;
  io::Row row;
  const int32_t reference_days = policy.reference_date.days();
  while (true) {
    auto more = reader.next(row);
    if (!more) {
      part.done = tl::unexpected(more.error());
      return;
    }
    if (!*more) break;
    ++part.rows;
    if (!check_student_row(row, columns, policy.reference_date, r, fault)) {
      Reject rj;
      rj.file = file_index;
      rj.row = row.number;
      rj.reason = fault.reason;
      rj.column = columns.names[static_cast<size_t>(fault.column)];
      rj.value = std::string(cell_at(row, columns.position[static_cast<size_t>(fault.column)]).text);
      part.rejects.push_back(std::move(rj));
      continue;
    }
    s.no_key.push_back(r.no_key);
    s.name.push_back(part.text.add(r.name));
    school_numbers.push_back(school_number(r.school_code));
    s.grade.push_back(static_cast<uint8_t>(r.grade));
    s.boarding.push_back(r.boarding ? 1 : 0);
    s.gender.push_back(r.gender);
    s.birth_days.push_back(date_days_or(r.birth_date, kNoDate));
    // The effective ID: 身份证号 when given, else the 18 characters after a G.
    std::string_view eff = r.id_number;
    if (eff.empty() && r.student_no[0] == 'G') eff = r.student_no.substr(1);
    s.has_id.push_back(eff.empty() ? 0 : 1);
    const ResidentIdFacts id = eff.empty() ? ResidentIdFacts{} : read_resident_id(eff, reference_days);
    s.id_key.push_back(id.shaped ? id.key : kNoKey);
    if (!eff.empty() && !id.shaped) s.odd_ids.emplace_back(static_cast<uint32_t>(s.no_key.size() - 1), std::string(eff));
    s.id_valid.push_back(id.valid ? 1 : 0);
    s.id_birth_days.push_back(id.valid ? id.birth_days : kNoDate);
    s.id_male.push_back(id.valid && id.male ? 1 : 0);
    s.id_mismatch.push_back(r.student_no[0] == 'G' && !r.id_number.empty() && r.id_number != r.student_no.substr(1));
    s.guardian_key.push_back(r.guardian_id.empty() ? kNoKey : r.guardian_key);
    uint64_t card = 0;
    for (char c : r.bank_card) card = card * 10 + static_cast<uint64_t>(c - '0');  // at most 19 digits: fits
    s.card_value.push_back(card);
    s.card_digits.push_back(static_cast<uint8_t>(r.bank_card.size()));
    s.card_luhn_bad.push_back(!r.bank_card.empty() && !luhn_valid(r.bank_card));
    s.row.push_back(row.number);
    lower_x.push_back(cell_at(row, columns.position[students_col::kStudentNo]).text.back() == 'x');
  }
}

// Appends a part's columns to `s`, moving its text refs and roster indexes.
void append_part(Students& s, TextArena& text, RosterPart& part) {
  if (s.size() == 0 && text.size() == 0) {  // the first part: take it whole, no copy
    s = std::move(part.s);
    text = std::move(part.text);
    return;
  }
  const uint64_t base = text.append(part.text);
  const auto first = static_cast<uint32_t>(s.size());
  auto append = [](auto& to, auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  for (auto& ref : part.s.name) ref.offset += base;
  for (auto& odd : part.s.odd_ids) odd.first += first;
  append(s.no_key, part.s.no_key), append(s.name, part.s.name), append(s.grade, part.s.grade);
  append(s.boarding, part.s.boarding), append(s.gender, part.s.gender), append(s.birth_days, part.s.birth_days);
  append(s.has_id, part.s.has_id), append(s.id_key, part.s.id_key), append(s.id_valid, part.s.id_valid);
  append(s.id_birth_days, part.s.id_birth_days), append(s.id_male, part.s.id_male);
  append(s.id_mismatch, part.s.id_mismatch), append(s.guardian_key, part.s.guardian_key);
  append(s.card_value, part.s.card_value), append(s.card_digits, part.s.card_digits);
  append(s.card_luhn_bad, part.s.card_luhn_bad), append(s.row, part.s.row);
  for (auto& odd : part.s.odd_ids) s.odd_ids.push_back(std::move(odd));
}

// Reads the roster (in parallel chunks when the caller opened a CSV roster so)
// (the chunks give exactly the rows of the streaming reader), then rejects
// every row whose 学籍号 is on more than one otherwise-right row.
Result<void> load_students(Dataset& d, OpenFile& f, const Policy& policy,
                           std::vector<uint64_t>& school_numbers, int threads) {
  std::vector<RosterPart> chunks;
  if (f.chunked) {
    const int count = f.chunked->chunk_count();
    chunks.resize(static_cast<size_t>(count));
    std::vector<std::thread> workers;
    std::vector<io::CsvChunkView> views;
    for (int c = 0; c < count; ++c) {
      views.push_back(f.chunked->chunk(c));
      // The first part's columns become the roster's and the others are
      // appended to them: room for every row there, so that appending does
      // not reallocate (and copy) seventeen ten-million-row columns.
      const long next = c + 1 < count && c > 0 ? f.chunked->rows_before(c + 1) : f.chunked->records_total();
      reserve_rows(chunks[static_cast<size_t>(c)], static_cast<size_t>(std::max(0L, next - f.chunked->rows_before(c))));
    }
    for (int c = 1; c < count; ++c)
      workers.emplace_back([&, c] {
        read_roster_part(views[static_cast<size_t>(c)], f.columns, f.index, policy, chunks[static_cast<size_t>(c)]);
      });
    if (count > 0) read_roster_part(views[0], f.columns, f.index, policy, chunks[0]);
    for (auto& w : workers) w.join();
  } else {
    chunks.resize(1);
    read_roster_part(*f.reader, f.columns, f.index, policy, chunks[0]);
  }
  Students& s = d.students;
  std::vector<uint8_t> lower_x;
  size_t accepted = 0;
  for (const auto& part : chunks) accepted += part.school_numbers.size();
  school_numbers.reserve(accepted);
  lower_x.reserve(accepted);
  for (auto& part : chunks) {
    if (!part.done) return tl::unexpected(part.done.error());
    d.roster_rows += part.rows;
    append_part(s, d.text, part);
    school_numbers.insert(school_numbers.end(), part.school_numbers.begin(), part.school_numbers.end());
    lower_x.insert(lower_x.end(), part.lower_x.begin(), part.lower_x.end());
    d.rejects.insert(d.rejects.end(), std::make_move_iterator(part.rejects.begin()),
                     std::make_move_iterator(part.rejects.end()));
    part = RosterPart{};  // free the part's memory before the next one is appended
  }
  const size_t reject_start = 0;

  // Every row whose 学籍号 is on more than one otherwise-right row is rejected.
  const std::vector<uint8_t> repeated = mark_repeated(s.no_key, threads);
  std::vector<uint8_t> keep(s.size(), 1);
  bool any_duplicate = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (repeated[i]) {
      keep[i] = 0;
      any_duplicate = true;
      Reject rj;
      rj.file = f.index;
      rj.row = s.row[i];
      rj.column = f.columns.names[students_col::kStudentNo];
      rj.value = student_no_from_key(s.no_key[i]);  // as written: only a final x may differ
      if (lower_x[i]) rj.value.back() = 'x';
      rj.reason = reason::kDuplicateStudentNo;
      d.rejects.push_back(std::move(rj));
    }
  }
  if (any_duplicate) {
    auto compact = [&keep](auto& v) {
      size_t out = 0;
      for (size_t i = 0; i < v.size(); ++i)
        if (keep[i]) v[out++] = v[i];
      v.resize(out);
    };
    // The columns are independent: half of them on a second thread.
    auto first_half = [&] {
      compact(s.no_key), compact(s.name), compact(school_numbers), compact(s.grade), compact(s.boarding);
      compact(s.gender), compact(s.birth_days), compact(s.has_id), compact(s.id_key);
    };
    auto second_half = [&] {
      compact(s.id_valid), compact(s.id_birth_days), compact(s.id_male), compact(s.id_mismatch);
      compact(s.guardian_key), compact(s.card_value), compact(s.card_digits), compact(s.card_luhn_bad);
      compact(s.row);
    };
    if (threads > 1) {
      std::thread other(second_half);
      first_half();
      other.join();
    } else {
      first_half();
      second_half();
    }
    // Roster indexes of the odd IDs move with the compaction.
    std::vector<uint32_t> new_index(keep.size());
    uint32_t next = 0;
    for (size_t i = 0; i < keep.size(); ++i) new_index[i] = keep[i] ? next++ : UINT32_MAX;
    std::vector<std::pair<uint32_t, std::string>> odd;
    for (auto& [i, text] : s.odd_ids)
      if (keep[i]) odd.emplace_back(new_index[i], std::move(text));
    s.odd_ids = std::move(odd);
    std::stable_sort(d.rejects.begin() + static_cast<std::ptrdiff_t>(reject_start), d.rejects.end(),
                     [](const Reject& a, const Reject& b) { return a.row < b.row; });
  }
  return {};
}


Result<void> load_lists(Dataset& d, OpenFile& f, const Policy& policy) {
  using namespace lists_col;
  ListEntries& l = d.lists;
  io::Row row;
  while (true) {
    auto more = f.reader->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    auto cell = [&](int c) { return cell_at(row, f.columns.position[static_cast<size_t>(c)]); };
    const io::Cell id = cell(kIdNumber);
    if (id.text.empty()) { add_reject(d, f, row, kIdNumber, reason::kMissingValue); continue; }
    if (id.type == io::CellType::kNumber) { add_reject(d, f, row, kIdNumber, reason::kNumericCell); continue; }
    const ResidentIdFacts id_facts = read_resident_id(id.text, policy.reference_date.days());
    if (!id_facts.valid) { add_reject(d, f, row, kIdNumber, reason::kBadId); continue; }
    const std::string_view category = cell(kCategory).text;
    if (category.empty()) { add_reject(d, f, row, kCategory, reason::kMissingValue); continue; }
    const int c = policy.category_index(category);
    if (c < 0) { add_reject(d, f, row, kCategory, reason::kUnknownCategory); continue; }
    std::optional<Date> from, to;
    const io::Cell from_cell = cell(kValidFrom);
    if (!from_cell.text.empty() && !(from = parse_date_cell(from_cell))) {
      add_reject(d, f, row, kValidFrom, reason::kBadDate);
      continue;
    }
    const io::Cell to_cell = cell(kValidTo);
    if (!to_cell.text.empty() && !(to = parse_date_cell(to_cell))) {
      add_reject(d, f, row, kValidTo, reason::kBadDate);
      continue;
    }
    l.id_key.push_back(id_facts.key);
    l.category.push_back(static_cast<uint8_t>(c));
    l.valid_from_days.push_back(date_days_or(from, INT32_MIN));
    l.valid_to_days.push_back(date_days_or(to, INT32_MAX));
    l.file.push_back(f.index);
    l.row.push_back(row.number);
    l.source.push_back(d.text.add(cell(kSource).text));
  }
  return {};
}

// Claimed categories: codes or names separated by ';' or '；'.
void parse_claims(std::string_view text, const Policy& policy, uint64_t& claimed, uint8_t& unknown) {
  claimed = 0;
  unknown = 0;
  constexpr std::string_view kWideSemicolon = "；";
  while (!text.empty()) {
    size_t cut = text.size(), skip = 0;
    const size_t narrow = text.find(';');
    const size_t wide = text.find(kWideSemicolon);
    if (narrow != std::string_view::npos) cut = narrow, skip = 1;
    if (wide != std::string_view::npos && wide < cut) cut = wide, skip = kWideSemicolon.size();
    const std::string_view part = io::trim(text.substr(0, cut));
    text = cut == text.size() ? std::string_view{} : text.substr(cut + skip);
    if (part.empty()) continue;
    const int c = policy.category_index(part);
    if (c < 0) {
      unknown = 1;
    } else {
      claimed |= uint64_t{1} << c;
    }
  }
}

Result<void> load_applications(Dataset& d, OpenFile& f, const Policy& policy) {
  using namespace applications_col;
  Applications& a = d.applications;
  // Sized from the file (an application line is ~40 bytes) so that two
  // million 学籍号 do not grow the table from 1,024 slots through eleven rehashes.
  std::error_code size_error;
  const auto file_bytes = std::filesystem::file_size(f.reader->path(), size_error);
  FlatMap seen_keys(size_error ? 1024 : std::clamp<size_t>(static_cast<size_t>(file_bytes / 48), 1024, size_t{1} << 24));
  std::unordered_set<std::string> seen_other;  // 学籍号 of another shape (rare)
  io::Row row;
  char buffer[64];
  while (true) {
    auto more = f.reader->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    auto cell = [&](int c) { return cell_at(row, f.columns.position[static_cast<size_t>(c)]); };
    const std::string_view no_raw = cell(kStudentNo).text;
    if (no_raw.empty()) { add_reject(d, f, row, kStudentNo, reason::kMissingValue); continue; }
    const std::string_view size_text = cell(kHouseholdSize).text;
    if (size_text.empty()) { add_reject(d, f, row, kHouseholdSize, reason::kMissingValue); continue; }
    const auto size = parse_count(size_text, 30);
    if (!size || *size < 1) { add_reject(d, f, row, kHouseholdSize, reason::kBadNumber); continue; }
    const std::string_view income_text = cell(kHouseholdIncome).text;
    if (income_text.empty()) { add_reject(d, f, row, kHouseholdIncome, reason::kMissingValue); continue; }
    const auto income = parse_yuan(income_text);
    if (!income) { add_reject(d, f, row, kHouseholdIncome, reason::kBadMoney); continue; }
    uint64_t claimed = 0;
    uint8_t unknown = 0;
    parse_claims(cell(kClaimed).text, policy, claimed, unknown);
    const auto illness = parse_boolean(cell(kSeriousIllness).text);
    if (!illness) { add_reject(d, f, row, kSeriousIllness, reason::kBadBoolean); continue; }
    const auto hardship = parse_boolean(cell(kSuddenHardship).text);
    if (!hardship) { add_reject(d, f, row, kSuddenHardship, reason::kBadBoolean); continue; }
    const auto single = parse_boolean(cell(kSingleParent).text);
    if (!single) { add_reject(d, f, row, kSingleParent, reason::kBadBoolean); continue; }
    const std::string_view siblings_text = cell(kSiblings).text;
    int32_t siblings = -1;
    if (!siblings_text.empty()) {
      const auto n = parse_count(siblings_text, INT32_MAX);
      if (!n) { add_reject(d, f, row, kSiblings, reason::kBadNumber); continue; }
      siblings = static_cast<int32_t>(*n);
    }
    // The first right application for a 学籍号 stands.
    const std::string_view no = no_raw.size() <= sizeof buffer ? upper_final_x(no_raw, buffer) : no_raw;
    const auto key = student_no_key(no);
    bool first = false;
    if (key) {
      seen_keys.find_or_insert(*key, 0, first);
    } else {
      first = seen_other.emplace(no).second;
    }
    if (!first) { add_reject(d, f, row, kStudentNo, reason::kDuplicateApplication); continue; }
    a.student_no.push_back(d.text.add(no));
    a.no_key.push_back(key ? *key : kNoKey);
    a.household_size.push_back(static_cast<int32_t>(*size));
    a.income.push_back(*income);
    a.claimed.push_back(claimed);
    a.claimed_unknown.push_back(unknown);
    a.serious_illness.push_back(*illness ? 1 : 0);
    a.sudden_hardship.push_back(*hardship ? 1 : 0);
    a.single_parent.push_back(*single ? 1 : 0);
    a.siblings.push_back(siblings);
    a.row.push_back(row.number);
  }
  return {};
}

Result<void> load_history(Dataset& d, OpenFile& f, const Policy& policy) {
  using namespace history_col;
  History& h = d.history;
  io::Row row;
  char buffer[2][64];
  while (true) {
    auto more = f.reader->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    auto cell = [&](int c) { return cell_at(row, f.columns.position[static_cast<size_t>(c)]); };
    const std::string_view no = cell(kStudentNo).text;
    const std::string_view id = cell(kIdNumber).text;
    if (no.empty() && id.empty()) { add_reject(d, f, row, -1, reason::kMissingValue); continue; }
    const std::string_view school = cell(kSchoolCode).text;
    if (school.empty()) { add_reject(d, f, row, kSchoolCode, reason::kMissingValue); continue; }
    const std::string_view year = cell(kSchoolYear).text;
    if (year.empty()) { add_reject(d, f, row, kSchoolYear, reason::kMissingValue); continue; }
    if (year != policy.school_year) continue;  // only this school year can raise DUP_FUNDING
    h.student_no.push_back(d.text.add(no.size() <= 64 ? upper_final_x(no, buffer[0]) : no));
    h.id_text.push_back(d.text.add(id.size() <= 64 ? upper_final_x(id, buffer[1]) : id));
    h.school_code.push_back(d.text.add(school));
    h.row.push_back(row.number);
  }
  return {};
}

Result<void> load_budgets(Dataset& d, OpenFile& f, std::vector<std::pair<uint64_t, Fen>>& budgets) {
  using namespace budgets_col;
  io::Row row;
  FlatMap seen(256);
  while (true) {
    auto more = f.reader->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    auto cell = [&](int c) { return cell_at(row, f.columns.position[static_cast<size_t>(c)]); };
    const std::string_view code = cell(kSchoolCode).text;
    if (code.empty()) { add_reject(d, f, row, kSchoolCode, reason::kMissingValue); continue; }
    if (!school_code_valid(code)) { add_reject(d, f, row, kSchoolCode, reason::kBadSchoolCode); continue; }
    const std::string_view amount_text = cell(kBudget).text;
    if (amount_text.empty()) { add_reject(d, f, row, kBudget, reason::kMissingValue); continue; }
    const auto amount = parse_yuan(amount_text);
    if (!amount) { add_reject(d, f, row, kBudget, reason::kBadMoney); continue; }
    bool first = false;
    seen.find_or_insert(school_number(code), 0, first);
    if (!first) { add_reject(d, f, row, kSchoolCode, reason::kDuplicateSchool); continue; }
    budgets.emplace_back(school_number(code), *amount);
  }
  return {};
}

std::string school_code_text(uint64_t n) {
  std::string s(10, '0');
  for (size_t i = 10; i-- > 0;) {
    s[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  return s;
}

// History needs one of its two key columns.
Result<void> check_history_columns(const OpenFile& f, const std::string& name) {
  if (f.columns.position[history_col::kStudentNo] < 0 && f.columns.position[history_col::kIdNumber] < 0) {
    return fail("MISSING_COLUMN", name + ": 缺少 “学籍号” 或 “身份证号” 列（student_no / id_number）",
                {name, 1, "学籍号"});
  }
  return {};
}

// Reads the opened tables into `d` (whose file_names are set): the roster on
// its own thread, the rest on this one, then the schools and budgets.
Result<void> load_opened(Dataset& d, OpenFile& roster, std::vector<OpenFile>& lists,
                         std::optional<OpenFile>& applications, std::optional<OpenFile>& history,
                         std::optional<OpenFile>& budgets, const Policy& policy, int threads) {
  OpenFile* students = &roster;
  // The roster (the largest file) is read on its own thread while this one
  // reads the other files into `side`; the two share nothing until merged.
  std::vector<uint64_t> school_numbers;
  Result<void> students_done{};
  std::thread roster_thread([&] { students_done = load_students(d, *students, policy, school_numbers, threads); });
  Dataset side;
  std::vector<std::pair<uint64_t, Fen>> budget_rows;
  Result<void> side_done = [&]() -> Result<void> {
    for (auto& f : lists)
      if (auto r = load_lists(side, f, policy); !r) return r;
    if (applications)
      if (auto r = load_applications(side, *applications, policy); !r) return r;
    if (history)
      if (auto r = load_history(side, *history, policy); !r) return r;
    if (budgets)
      if (auto r = load_budgets(side, *budgets, budget_rows); !r) return r;
    return {};
  }();
  roster_thread.join();
  if (!students_done) return tl::unexpected(students_done.error());
  if (!side_done) return tl::unexpected(side_done.error());
  d.lists = std::move(side.lists);
  d.applications = std::move(side.applications);
  d.history = std::move(side.history);
  d.side_text = std::move(side.text);
  d.rejects.insert(d.rejects.end(), std::make_move_iterator(side.rejects.begin()),
                   std::make_move_iterator(side.rejects.end()));

  // Schools: every code with an accepted roster or budget row, in code order.
  // The distinct codes (tens of thousands) are collected in a small hash
  // table that stays in cache, then sorted: not ten million codes sorted.
  FlatMap index(4096);
  std::vector<uint64_t> codes;
  auto collect = [&](uint64_t code) {
    bool inserted = false;
    index.find_or_insert(code, 0, inserted);
    if (inserted) codes.push_back(code);
  };
  uint64_t last = ~uint64_t{0};
  for (const uint64_t code : school_numbers) {
    if (code != last) collect(code);  // rows of one school are usually together
    last = code;
  }
  for (const auto& b : budget_rows) collect(b.first);
  std::sort(codes.begin(), codes.end());
  d.school_codes.reserve(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    bool inserted = false;
    index.find_or_insert(codes[i], 0, inserted) = static_cast<uint32_t>(i);
    d.school_codes.push_back(school_code_text(codes[i]));
  }
  d.budget.assign(codes.size(), Fen{});
  for (const auto& b : budget_rows) d.budget[*index.find(b.first)] = b.second;
  d.students.school.resize(school_numbers.size());
  auto map_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) d.students.school[i] = *index.find(school_numbers[i]);
  };
  const size_t half = school_numbers.size() / 2;
  if (threads > 1 && half > 100000) {
    std::thread second([&] { map_range(half, school_numbers.size()); });
    map_range(0, half);
    second.join();
  } else {
    map_range(0, school_numbers.size());
  }
  return {};
}

}  // namespace

std::string Students::id_text(size_t i) const {
  if (!has_id[i]) return {};
  if (id_key[i] != kNoKey) return resident_id_from_key(id_key[i]);
  for (const auto& [k, text] : odd_ids)
    if (k == i) return text;
  return {};
}

Result<Dataset> load_dataset(const InputPaths& paths, const Policy& policy, int threads) {
  if (policy.categories.size() > 64) {
    return fail("POLICY", "策略的类别超过 64 个，本程序不支持 (more than 64 categories)", {});
  }
  Dataset d;
  // Open every file and check its header before reading any row.
  d.file_names.push_back(paths.students);
  auto open_roster = [&]() -> Result<OpenFile> {
    if (threads < 2 || !ascii_iends_with(paths.students, ".csv")) return open_checked(paths.students, kStudentColumns, 0);
    auto chunks = io::CsvFileChunks::open(paths.students, threads);
    if (!chunks) return tl::unexpected(chunks.error());
    OpenFile f;
    f.columns = io::map_header(chunks->header(), kStudentColumns);
    if (f.columns.first_missing_required) return missing_column(paths.students, kStudentColumns[*f.columns.first_missing_required]);
    f.chunked = std::move(*chunks);
    return f;
  };
  // The other files, opened in the order of the command line (their file
  // indexes follow the roster's). Opening a CSV checks the whole file's
  // encoding, so with two threads they are opened while the roster is mapped
  // and split; errors are still reported in the same order (roster first).
  std::vector<OpenFile> lists;
  std::optional<OpenFile> applications, history, budgets;
  auto open_others = [&]() -> Result<void> {
    for (const auto& p : paths.lists) {
      d.file_names.push_back(p);
      auto f = open_checked(p, kListColumns, static_cast<uint32_t>(d.file_names.size() - 1));
      if (!f) return tl::unexpected(f.error());
      lists.push_back(std::move(*f));
    }
    if (paths.applications) {
      d.file_names.push_back(*paths.applications);
      d.applications_file = static_cast<int>(d.file_names.size() - 1);
      auto f = open_checked(*paths.applications, kApplicationColumns, static_cast<uint32_t>(d.file_names.size() - 1));
      if (!f) return tl::unexpected(f.error());
      applications = std::move(*f);
    }
    if (paths.history) {
      d.file_names.push_back(*paths.history);
      d.history_file = static_cast<int>(d.file_names.size() - 1);
      auto f = open_checked(*paths.history, kHistoryColumns, static_cast<uint32_t>(d.file_names.size() - 1));
      if (!f) return tl::unexpected(f.error());
      if (auto ok = check_history_columns(*f, *paths.history); !ok) return tl::unexpected(ok.error());
      history = std::move(*f);
    }
    if (paths.budgets) {
      d.file_names.push_back(*paths.budgets);
      auto f = open_checked(*paths.budgets, kBudgetColumns, static_cast<uint32_t>(d.file_names.size() - 1));
      if (!f) return tl::unexpected(f.error());
      budgets = std::move(*f);
    }
    return {};
  };
  // Only open_others touches `d` until both are done.
  Result<OpenFile> students = tl::unexpected(Error{});
  Result<void> others{};
  if (threads >= 2) {
    std::thread side([&] { others = open_others(); });
    students = open_roster();
    side.join();
  } else {
    students = open_roster();
    if (students) others = open_others();
  }
  if (!students) return tl::unexpected(students.error());
  if (!others) return tl::unexpected(others.error());

  if (auto ok = load_opened(d, *students, lists, applications, history, budgets, policy, threads); !ok) {
    return tl::unexpected(ok.error());
  }
  return d;
}

Result<Dataset> load_dataset(InputTables tables, const Policy& policy) {
  if (policy.categories.size() > 64) {
    return fail("POLICY", "策略的类别超过 64 个，本程序不支持 (more than 64 categories)", {});
  }
  if (!tables.students) return fail("IO", "缺少学生名册 (no roster)");
  Dataset d;
  auto next_index = [&](const io::TableReader& t) {
    d.file_names.push_back(t.path());
    return static_cast<uint32_t>(d.file_names.size() - 1);
  };
  const uint32_t roster_index = next_index(*tables.students);
  auto students = open_reader(std::move(tables.students), kStudentColumns, roster_index);
  if (!students) return tl::unexpected(students.error());
  std::vector<OpenFile> lists;
  for (auto& t : tables.lists) {
    const uint32_t index = next_index(*t);
    auto f = open_reader(std::move(t), kListColumns, index);
    if (!f) return tl::unexpected(f.error());
    lists.push_back(std::move(*f));
  }
  std::optional<OpenFile> applications, history, budgets;
  if (tables.applications) {
    const uint32_t index = next_index(*tables.applications);
    d.applications_file = static_cast<int>(index);
    auto f = open_reader(std::move(tables.applications), kApplicationColumns, index);
    if (!f) return tl::unexpected(f.error());
    applications = std::move(*f);
  }
  if (tables.history) {
    const uint32_t index = next_index(*tables.history);
    d.history_file = static_cast<int>(index);
    const std::string name = tables.history->path();
    auto f = open_reader(std::move(tables.history), kHistoryColumns, index);
    if (!f) return tl::unexpected(f.error());
    if (auto ok = check_history_columns(*f, name); !ok) return tl::unexpected(ok.error());
    history = std::move(*f);
  }
  if (tables.budgets) {
    const uint32_t index = next_index(*tables.budgets);
    auto f = open_reader(std::move(tables.budgets), kBudgetColumns, index);
    if (!f) return tl::unexpected(f.error());
    budgets = std::move(*f);
  }
  if (auto ok = load_opened(d, *students, lists, applications, history, budgets, policy, 1); !ok) {
    return tl::unexpected(ok.error());
  }
  return d;
}

}  // namespace zizhu::identify
