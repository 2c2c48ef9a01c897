#include "funds/bank_files.h"

#include <openssl/evp.h>

#include <memory>
#include <span>
#include <string>
#include <utility>

#include "core/bank_card.h"
#include "crypto/sm3.h"
#include "funds/assert.h"
#include "io/csv_record.h"
#include "io/encoding.h"
#include "io/header_map.h"
#include "io/trim.h"
#include "io/xlsx_writer.h"

namespace zizhu::funds {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kTrailerLabel = "合计";
constexpr std::string_view kCountLabel = "笔数";
constexpr std::string_view kTotalLabel = "总金额";

bool is_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

// A cell a spreadsheet would run as a formula when the CSV is opened in it
// (OWASP "CSV injection"). Tab and CR are control characters, refused anyway.
bool formula_start(std::string_view s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}

// C0 controls, DEL, and the C1 controls U+0080–U+009F (UTF-8 C2 80–C2 9F).
bool has_control(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return true;
    }
  }
  return false;
}

// The problem with a free-text field, in Chinese; empty when it is fine.
std::string text_problem(std::string_view s, size_t bytes_max, bool required) {
  if (s.empty()) return required ? "不能为空" : "";
  if (s.size() > bytes_max) return "超过" + std::to_string(bytes_max) + "字节";
  if (!io::is_valid_utf8(s)) return "不是有效的UTF-8文本";
  if (has_control(s)) return "含有控制字符";
  if (io::trim(s).size() != s.size()) return "首尾有空白";
  if (formula_start(s)) return "以=、+、-或@开头（表格公式注入风险）";
  return "";
}

std::string id_problem(std::string_view s, size_t bytes_max) {
  if (s.empty()) return "不能为空";
  if (s.size() > bytes_max) return "超过" + std::to_string(bytes_max) + "个字符";
  for (char c : s) {
    if (!is_id_char(c)) return "只能由字母、数字、-和_组成";
  }
  if (formula_start(s)) return "不能以-开头（表格公式注入风险）";
  return "";
}

tl::unexpected<Error> batch_fault(std::string_view field, const std::string& problem) {
  return fail("BAD_BATCH", "批量代发文件：" + std::string(field) + problem, Location{"", 0, std::string(field)});
}

tl::unexpected<Error> line_fault(size_t index, std::string_view line_id, std::string_view field,
                                 const std::string& problem) {
  const long row = static_cast<long>(index) + 2;  // the header is row 1
  std::string msg = "批量代发文件第" + std::to_string(row) + "行";
  if (!line_id.empty() && id_problem(line_id, kLineIdBytesMax).empty()) {
    msg += "（明细流水号 " + std::string(line_id) + "）";
  }
  msg += "：" + std::string(field) + problem;
  return fail("BAD_BATCH", std::move(msg), Location{"", row, std::string(field)});
}

void csv_field(std::string& out, std::string_view v) {
  // Control characters are refused before writing, so only ',' and '"' need quoting.
  if (v.find_first_of(",\"") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void csv_row(std::string& out, std::span<const std::string_view> cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    csv_field(out, cells[i]);
  }
  out += kCrlf;
}

std::string hex_of(std::span<const uint8_t> bytes) { return crypto::to_hex(bytes); }

// A value as kept in a reject: cut at a UTF-8 character boundary.
std::string cut(std::string_view v) {
  if (v.size() <= kRejectValueBytesMax) return std::string(v);
  size_t n = kRejectValueBytesMax;
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  return std::string(v.substr(0, n));
}

// 处理日期: YYYY-MM-DD or YYYYMMDD only (a bank file has no business with
// other spellings, and YYYY/M/D would be a sign of a hand-edited file).
std::optional<Date> parse_return_date(std::string_view s) {
  const bool dashed = s.size() == 10 && s[4] == '-' && s[7] == '-';
  bool compact = s.size() == 8;
  for (char c : s) {
    if (c < '0' || c > '9') compact = false;
  }
  if (!dashed && !compact) return std::nullopt;
  return parse_date(s);
}

// A CSV held in memory (already UTF-8, BOM removed) as a TableReader, with the
// same grammar and trimming as io's CSV reader (io/csv_record.h).
class BytesCsvTable final : public io::TableReader {
 public:
  BytesCsvTable(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {}

  Result<bool> read_header() {
    while (true) {
      const io::ParseStatus st = parser_.parse(text_.data(), text_.size(), pos_, true);
      if (st != io::ParseStatus::kRecord) {
        return fail("NO_HEADER", "文件 " + name_ + " 没有表头行", Location{name_, 0, ""});
      }
      ++record_;
      if (parser_.blank()) continue;
      for (const auto& c : parser_.cells()) header_.emplace_back(c.text);
      return true;
    }
  }

  const std::string& path() const override { return name_; }
  const std::vector<std::string>& header() const override { return header_; }
  Result<bool> next(io::Row& row) override {
    while (true) {
      const io::ParseStatus st = parser_.parse(text_.data(), text_.size(), pos_, true);
      if (st != io::ParseStatus::kRecord) return false;
      ++record_;
      if (parser_.blank()) continue;
      row.number = record_;
      row.cells = parser_.cells();
      return true;
    }
  }

 private:
  std::string name_;
  std::string text_;
  io::CsvRecordParser parser_;
  size_t pos_ = 0;
  long record_ = 0;
  std::vector<std::string> header_;
};

enum Col : size_t { kLineId, kStatus, kReason, kBankRef, kDate, kAmount, kColCount };

constexpr std::array<io::ColumnSpec, kColCount> kReturnColumns = {{
    {"明细流水号", "line_id", true},
    {"状态", "status", true},
    {"失败原因", "reason", true},
    {"银行流水号", "bank_ref", true},
    {"处理日期", "processed_on", true},
    {"金额", "amount", false},
}};

constexpr size_t kReturnLineIdBytesMax = 64;

}  // namespace

// ---------------------------------------------------------------- payment file

std::string sm3_hex(std::string_view bytes) { return hex_of(crypto::sm3(bytes)); }

std::string sha256_hex(std::string_view bytes) {
  std::array<uint8_t, 32> md{};
  unsigned int len = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr);
  ZIZHU_LEDGER_ASSERT(ok == 1 && len == md.size());
  return hex_of(md);
}

Result<Fen> check_payment_batch(const PaymentBatch& batch) {
  if (auto p = id_problem(batch.batch_no, kBatchNoBytesMax); !p.empty()) return batch_fault("批次号", p);
  if (auto p = text_problem(batch.purpose, kPurposeBytesMax, true); !p.empty()) return batch_fault("用途", p);
  if (batch.lines.empty()) return batch_fault("明细", "为空：批次没有任何代发明细");
  if (batch.lines.size() > kPaymentLinesMax) {
    return batch_fault("明细", "超过" + std::to_string(kPaymentLinesMax) + "笔，请拆分批次");
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(batch.lines.size());
  Fen total;
  for (size_t i = 0; i < batch.lines.size(); ++i) {
    const PaymentLine& l = batch.lines[i];
    if (auto p = id_problem(l.line_id, kLineIdBytesMax); !p.empty()) return line_fault(i, "", "明细流水号", p);
    if (!seen.insert(l.line_id).second) return line_fault(i, l.line_id, "明细流水号", "与前面的明细重复");
    if (auto p = text_problem(l.payee_name, kPayeeNameBytesMax, true); !p.empty()) {
      return line_fault(i, l.line_id, "收款人姓名", p);
    }
    if (!bank_card_valid(l.account)) return line_fault(i, l.line_id, "收款账号", "不是12至19位数字");
    if (auto p = text_problem(l.bank_name, kBankNameBytesMax, false); !p.empty()) {
      return line_fault(i, l.line_id, "开户行", p);
    }
    if (l.amount.value() <= 0) return line_fault(i, l.line_id, "金额", "必须大于0");
    const auto sum = total.checked_add(l.amount);
    if (!sum) return line_fault(i, l.line_id, "金额", "累计总额溢出");
    total = *sum;
  }
  return total;
}

Result<PaymentFile> write_payment_csv(const PaymentBatch& batch) {
  auto total = check_payment_batch(batch);
  if (!total) return tl::unexpected(total.error());
  PaymentFile f;
  f.line_count = batch.lines.size();
  f.total = *total;
  std::string& out = f.csv;
  out.reserve(128 + batch.lines.size() * (96 + batch.purpose.size()));
  out += io::kUtf8Bom;
  csv_row(out, kPaymentColumns);
  char yuan[kFormatYuanMax];
  for (const PaymentLine& l : batch.lines) {
    const std::string_view amount(yuan, format_yuan(l.amount, yuan));
    const std::array<std::string_view, 7> cells = {batch.batch_no, l.line_id, l.payee_name, l.account,
                                                   l.bank_name,    amount,    batch.purpose};
    csv_row(out, cells);
  }
  const std::string count = std::to_string(f.line_count);
  const std::string total_yuan = format_yuan(f.total);
  const std::array<std::string_view, 5> trailer = {kTrailerLabel, kCountLabel, count, kTotalLabel, total_yuan};
  csv_row(out, trailer);
  f.sm3_hex = sm3_hex(out);
  f.sha256_hex = sha256_hex(out);
  return f;
}

Result<void> write_payment_xlsx(const PaymentBatch& batch, const std::string& path) {
  auto total = check_payment_batch(batch);
  if (!total) return tl::unexpected(total.error());
  auto w = io::XlsxWriter::create(path, "代发明细");
  if (!w) return tl::unexpected(w.error());
  io::XlsxWriter& x = **w;
  x.header(kPaymentColumns);
  for (const PaymentLine& l : batch.lines) {
    x.text(batch.batch_no);
    x.text(l.line_id);
    x.text(l.payee_name);
    x.text(l.account);  // text, so Excel shows every digit (never 6.22E+18)
    if (l.bank_name.empty()) {
      x.empty();
    } else {
      x.text(l.bank_name);
    }
    x.money_fen(l.amount.value());
    x.text(batch.purpose);
    x.end_row();
  }
  x.text(kTrailerLabel);
  x.text(kCountLabel);
  x.integer(static_cast<int64_t>(batch.lines.size()));
  x.text(kTotalLabel);
  x.money_fen(total->value());
  x.end_row();
  return x.close();
}

// ----------------------------------------------------------------- return file

Result<ReturnFile> parse_return_csv(const std::string& name, std::string_view bytes) {
  if (bytes.size() > kReturnFileBytesMax) {
    return fail("TOO_LARGE", "文件 " + name + " 超过" + std::to_string(kReturnFileBytesMax >> 20) + " MiB",
                Location{name, 0, ""});
  }
  std::string text;
  if (io::is_valid_utf8(bytes)) {
    if (bytes.starts_with(io::kUtf8Bom)) bytes.remove_prefix(io::kUtf8Bom.size());
    text.assign(bytes);
  } else {
    auto converted = io::csv_from_gb18030(name, bytes);
    if (!converted) return tl::unexpected(converted.error());
    text = std::move(*converted);
  }
  BytesCsvTable table(name, std::move(text));
  auto header = table.read_header();
  if (!header) return tl::unexpected(header.error());
  return read_return_table(table);
}

Result<ReturnFile> read_return_table(io::TableReader& table) {
  const std::string& name = table.path();
  const io::HeaderMap map = io::map_header(table.header(), kReturnColumns);
  if (map.first_missing_required) {
    const std::string_view col = kReturnColumns[*map.first_missing_required].chinese;
    return fail("MISSING_COLUMN", "文件 " + name + " 缺少列“" + std::string(col) + "”",
                Location{name, 1, std::string(col)});
  }
  ReturnFile out;
  std::unordered_set<std::string> seen;
  io::Row row;
  long data_rows = 0;
  while (true) {
    auto more = table.next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    if (++data_rows > kReturnRowsMax) {
      return fail("TOO_MANY_ROWS", "文件 " + name + " 超过" + std::to_string(kReturnRowsMax) + "行",
                  Location{name, row.number, ""});
    }
    auto cell = [&](Col c) -> std::string_view {
      const int pos = map.position[c];
      if (pos < 0 || static_cast<size_t>(pos) >= row.cells.size()) return {};
      return row.cells[static_cast<size_t>(pos)].text;
    };
    const size_t rejects_before = out.rejects.size();
    auto reject = [&](Col c, std::string_view value, std::string_view code) {
      out.rejects.push_back(ReturnReject{row.number, map.names[c], cut(value), std::string(code)});
    };

    ReturnLine line;
    line.row = row.number;
    const std::string_view id = cell(kLineId);
    if (id.empty()) {
      reject(kLineId, id, "MISSING_LINE_ID");
    } else if (id.size() > kReturnLineIdBytesMax || has_control(id)) {
      reject(kLineId, id, "BAD_LINE_ID");
    } else if (!seen.emplace(id).second) {
      reject(kLineId, id, "DUPLICATE_LINE_ID");
    }
    const std::string_view status = cell(kStatus);
    if (status == "成功") {
      line.succeeded = true;
    } else if (status != "失败") {
      reject(kStatus, status, "BAD_STATUS");
    }
    const std::string_view date_text = cell(kDate);
    const auto date = parse_return_date(date_text);
    if (date) {
      line.processed_on = *date;
    } else {
      reject(kDate, date_text, "BAD_DATE");
    }
    if (map.position[kAmount] >= 0) {
      const std::string_view amount_text = cell(kAmount);
      if (!amount_text.empty()) {
        line.amount = parse_yuan(amount_text);
        if (!line.amount) reject(kAmount, amount_text, "BAD_AMOUNT");
      }
    }
    if (out.rejects.size() != rejects_before) continue;
    line.line_id.assign(id);
    line.reason.assign(cell(kReason));
    line.bank_ref.assign(cell(kBankRef));
    out.lines.push_back(std::move(line));
  }
  return out;
}

// ------------------------------------------------------------- reconciliation

std::string_view return_class_key(ReturnClass c) {
  switch (c) {
    case ReturnClass::kMatchedSuccess: return "matched_success";
    case ReturnClass::kMatchedFailure: return "matched_failure";
    case ReturnClass::kUnknownLine: return "unknown_line";
    case ReturnClass::kAmountMismatch: return "amount_mismatch";
    case ReturnClass::kAlreadySettled: return "already_settled";
  }
  return "unknown";
}

Result<Reconciliation> reconcile_return(const std::unordered_map<std::string, Fen>& batch_amounts,
                                        const std::unordered_set<std::string>& settled,
                                        const ReturnFile& file) {
  Reconciliation r;
  r.lines.reserve(file.lines.size());
  for (size_t i = 0; i < file.lines.size(); ++i) {
    const ReturnLine& l = file.lines[i];
    ReturnClass cls;
    const auto it = batch_amounts.find(l.line_id);
    if (settled.contains(l.line_id)) {
      cls = ReturnClass::kAlreadySettled;
    } else if (it == batch_amounts.end()) {
      cls = ReturnClass::kUnknownLine;
    } else if (l.amount && *l.amount != it->second) {
      cls = ReturnClass::kAmountMismatch;
    } else {
      cls = l.succeeded ? ReturnClass::kMatchedSuccess : ReturnClass::kMatchedFailure;
      Fen& sum = l.succeeded ? r.success_total : r.failure_total;
      const auto next = sum.checked_add(it->second);
      if (!next) return fail("OVERFLOW", "回盘对账：金额合计超出范围");
      sum = *next;
    }
    r.lines.push_back(ClassifiedLine{i, cls});
    ++r.count[static_cast<size_t>(cls)];
  }
  return r;
}

}  // namespace zizhu::funds
