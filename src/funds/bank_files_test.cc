#include "funds/bank_files.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <limits>
#include <string>
#include <vector>

#include "io/csv_reader.h"
#include "io/csv_test_util.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"

namespace zizhu::funds {
namespace {

using io::testing::PlainRow;
using io::testing::read_all;
using io::testing::temp_path;
using io::testing::write_file;

Fen fen(int64_t v) { return Fen::from_fen(v); }

PaymentBatch sample_batch() {
  PaymentBatch b;
  b.batch_no = "PB-2026-0001";
  b.purpose = "2026-2027学年第一学期义务教育资助";
  b.lines = {
      {"L000001", "张三", "6222021234567890123", "中国工商银行某某支行", fen(62500)},
      {"L000002", "李四,小名", "6217000010001234567", "", fen(50000)},
      {"L000003", "王\"五\"", "621700001000123", "农行", fen(1)},
  };
  return b;
}

std::vector<PlainRow> read_csv_bytes(const std::string& name, const std::string& bytes) {
  auto r = io::open_csv(write_file(name, bytes));
  EXPECT_TRUE(r.has_value()) << r.error().describe();
  if (!r) return {};
  auto rows = read_all(**r);
  rows.insert(rows.begin(), PlainRow{1, (*r)->header()});
  return rows;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(static_cast<intptr_t>(-1)));
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &o, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// --------------------------------------------------------------- payment file

TEST(PaymentCsv, RoundTripsThroughTheCsvReader) {
  const PaymentBatch b = sample_batch();
  auto f = write_payment_csv(b);
  ASSERT_TRUE(f.has_value()) << f.error().describe();
  EXPECT_TRUE(f->csv.starts_with("\xEF\xBB\xBF批次号,明细流水号,收款人姓名,收款账号,开户行,金额,用途\r\n"));
  EXPECT_TRUE(f->csv.ends_with("\r\n"));
  EXPECT_EQ(f->line_count, 3u);
  EXPECT_EQ(f->total, fen(112501));

  const auto rows = read_csv_bytes("payment.csv", f->csv);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].cells, std::vector<std::string>(kPaymentColumns.begin(), kPaymentColumns.end()));
  for (size_t i = 0; i < b.lines.size(); ++i) {
    const auto& c = rows[i + 1].cells;
    ASSERT_EQ(c.size(), 7u);
    EXPECT_EQ(c[0], b.batch_no);
    EXPECT_EQ(c[1], b.lines[i].line_id);
    EXPECT_EQ(c[2], b.lines[i].payee_name);
    EXPECT_EQ(c[3], b.lines[i].account);
    EXPECT_EQ(c[4], b.lines[i].bank_name);
    EXPECT_EQ(parse_yuan(c[5]), b.lines[i].amount);
    EXPECT_EQ(c[6], b.purpose);
  }
  EXPECT_EQ(rows[1].cells[5], "625.00");
  EXPECT_EQ(rows[3].cells[5], "0.01");
  EXPECT_EQ(rows[4].cells, (std::vector<std::string>{"合计", "笔数", "3", "总金额", "1125.01"}));
}

TEST(PaymentCsv, DigestsAreOfTheCsvBytes) {
  auto f = write_payment_csv(sample_batch());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->sm3_hex, sm3_hex(f->csv));
  EXPECT_EQ(f->sha256_hex, sha256_hex(f->csv));
  EXPECT_EQ(f->sm3_hex.size(), 64u);
  // Known answers: SHA-256("abc") (FIPS 180-2) and SM3("abc") (GB/T 32905 A.1).
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sm3_hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  // Same batch, same bytes: a retried file has the same digest.
  auto again = write_payment_csv(sample_batch());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->csv, f->csv);
  EXPECT_EQ(again->sha256_hex, f->sha256_hex);
}

TEST(PaymentXlsx, OpensWithTheXlsxReaderAndKeepsAccountsAsText) {
  const PaymentBatch b = sample_batch();
  const std::string path = temp_path("payment.xlsx");
  auto w = write_payment_xlsx(b, path);
  ASSERT_TRUE(w.has_value()) << w.error().describe();
  auto r = io::open_xlsx(path);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_EQ((*r)->header(), std::vector<std::string>(kPaymentColumns.begin(), kPaymentColumns.end()));
  io::Row row;
  for (size_t i = 0; i < b.lines.size(); ++i) {
    auto got = (*r)->next(row);
    ASSERT_TRUE(got.has_value() && *got);
    ASSERT_GE(row.cells.size(), 7u);
    EXPECT_EQ(row.cells[3].type, io::CellType::kText);
    EXPECT_EQ(row.cells[3].text, b.lines[i].account);
    EXPECT_EQ(row.cells[1].text, b.lines[i].line_id);
    EXPECT_EQ(row.cells[2].text, b.lines[i].payee_name);
    EXPECT_EQ(row.cells[5].type, io::CellType::kNumber);
    EXPECT_EQ(parse_yuan(row.cells[5].text), b.lines[i].amount);
  }
  auto got = (*r)->next(row);
  ASSERT_TRUE(got.has_value() && *got);
  ASSERT_GE(row.cells.size(), 5u);
  EXPECT_EQ(row.cells[0].text, "合计");
  EXPECT_EQ(row.cells[2].text, "3");
  EXPECT_EQ(parse_yuan(row.cells[4].text), fen(112501));
  got = (*r)->next(row);
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(*got);
}

// Every refusal: the error names the row and the field.
struct Refusal {
  const char* what;
  void (*edit)(PaymentBatch&);
  long row;
  const char* column;
};

class PaymentRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(PaymentRefusal, IsAnErrorNamingLineAndField) {
  PaymentBatch b = sample_batch();
  GetParam().edit(b);
  auto f = write_payment_csv(b);
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code, "BAD_BATCH");
  EXPECT_EQ(f.error().where.row, GetParam().row) << f.error().message;
  EXPECT_EQ(f.error().where.column, GetParam().column) << f.error().message;
  EXPECT_NE(f.error().message.find(GetParam().column), std::string::npos);
  if (GetParam().row > 0) {
    EXPECT_NE(f.error().message.find("第" + std::to_string(GetParam().row) + "行"), std::string::npos);
  }
  // The XLSX writer refuses the same and writes nothing.
  const std::string path = temp_path(std::string("refused_") + GetParam().what + ".xlsx");
  EXPECT_FALSE(write_payment_xlsx(b, path).has_value());
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

INSTANTIATE_TEST_SUITE_P(
    All, PaymentRefusal,
    ::testing::Values(
        Refusal{"empty", [](PaymentBatch& b) { b.lines.clear(); }, 0, "明细"},
        Refusal{"no_batch_no", [](PaymentBatch& b) { b.batch_no.clear(); }, 0, "批次号"},
        Refusal{"batch_no_chinese", [](PaymentBatch& b) { b.batch_no = "批次1"; }, 0, "批次号"},
        Refusal{"no_purpose", [](PaymentBatch& b) { b.purpose.clear(); }, 0, "用途"},
        Refusal{"purpose_formula", [](PaymentBatch& b) { b.purpose = "=1+1"; }, 0, "用途"},
        Refusal{"duplicate", [](PaymentBatch& b) { b.lines[2].line_id = "L000001"; }, 4, "明细流水号"},
        Refusal{"empty_id", [](PaymentBatch& b) { b.lines[1].line_id.clear(); }, 3, "明细流水号"},
        Refusal{"id_formula", [](PaymentBatch& b) { b.lines[1].line_id = "-L2"; }, 3, "明细流水号"},
        Refusal{"id_comma", [](PaymentBatch& b) { b.lines[1].line_id = "L,2"; }, 3, "明细流水号"},
        Refusal{"card_short", [](PaymentBatch& b) { b.lines[0].account = "62220212345"; }, 2, "收款账号"},
        Refusal{"card_letters", [](PaymentBatch& b) { b.lines[0].account = "6222O21234567890"; }, 2, "收款账号"},
        Refusal{"card_long", [](PaymentBatch& b) { b.lines[0].account = "62220212345678901234"; }, 2, "收款账号"},
        Refusal{"zero", [](PaymentBatch& b) { b.lines[1].amount = Fen(); }, 3, "金额"},
        Refusal{"negative", [](PaymentBatch& b) { b.lines[1].amount = Fen::from_fen(-100); }, 3, "金额"},
        Refusal{"overflow",
                [](PaymentBatch& b) {
                  b.lines[0].amount = Fen::from_fen(std::numeric_limits<int64_t>::max());
                },
                3, "金额"},
        Refusal{"name_empty", [](PaymentBatch& b) { b.lines[0].payee_name.clear(); }, 2, "收款人姓名"},
        Refusal{"name_eq", [](PaymentBatch& b) { b.lines[0].payee_name = "=HYPERLINK(\"x\")"; }, 2, "收款人姓名"},
        Refusal{"name_plus", [](PaymentBatch& b) { b.lines[0].payee_name = "+张三"; }, 2, "收款人姓名"},
        Refusal{"name_minus", [](PaymentBatch& b) { b.lines[0].payee_name = "-2+3"; }, 2, "收款人姓名"},
        Refusal{"name_at", [](PaymentBatch& b) { b.lines[0].payee_name = "@SUM(A1)"; }, 2, "收款人姓名"},
        Refusal{"name_tab", [](PaymentBatch& b) { b.lines[0].payee_name = "张\t三"; }, 2, "收款人姓名"},
        Refusal{"name_newline", [](PaymentBatch& b) { b.lines[0].payee_name = "张三\n"; }, 2, "收款人姓名"},
        Refusal{"name_c1", [](PaymentBatch& b) { b.lines[0].payee_name = "张\xC2\x85三"; }, 2, "收款人姓名"},
        Refusal{"name_space", [](PaymentBatch& b) { b.lines[0].payee_name = " 张三"; }, 2, "收款人姓名"},
        Refusal{"name_not_utf8", [](PaymentBatch& b) { b.lines[0].payee_name = "\xD5\xC5"; }, 2, "收款人姓名"},
        Refusal{"name_long", [](PaymentBatch& b) { b.lines[0].payee_name = std::string(91, 'a'); }, 2, "收款人姓名"},
        Refusal{"bank_formula", [](PaymentBatch& b) { b.lines[2].bank_name = "@bank"; }, 4, "开户行"},
        Refusal{"bank_control", [](PaymentBatch& b) { b.lines[2].bank_name = "农行\x7F"; }, 4, "开户行"}),
    [](const ::testing::TestParamInfo<Refusal>& p) { return std::string(p.param.what); });

TEST(PaymentCsv, AtMostTheLineBound) {
  PaymentBatch b = sample_batch();
  b.lines.clear();
  for (size_t i = 0; i <= kPaymentLinesMax; ++i) {
    b.lines.push_back({"L" + std::to_string(i), "张三", "6222021234567890123", "", fen(100)});
  }
  auto f = write_payment_csv(b);
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().where.column, "明细");
  b.lines.pop_back();
  auto ok = write_payment_csv(b);
  ASSERT_TRUE(ok.has_value()) << ok.error().describe();
  EXPECT_EQ(ok->line_count, kPaymentLinesMax);
  EXPECT_EQ(ok->total, fen(100 * static_cast<int64_t>(kPaymentLinesMax)));
}

// ---------------------------------------------------------------- return file

const char* const kReturnHeader = "明细流水号,状态,失败原因,银行流水号,处理日期\r\n";

TEST(ReturnFile, ParsesUtf8WithBomAndBothDateForms) {
  const std::string csv = std::string("\xEF\xBB\xBF") + kReturnHeader +
                          "L000001,成功,,B20260901001,2026-09-01\r\n"
                          "L000002,失败,户名与账号不符,,20260902\r\n";
  auto r = parse_return_csv("回盘.csv", csv);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_TRUE(r->rejects.empty());
  ASSERT_EQ(r->lines.size(), 2u);
  EXPECT_EQ(r->lines[0].row, 2);
  EXPECT_EQ(r->lines[0].line_id, "L000001");
  EXPECT_TRUE(r->lines[0].succeeded);
  EXPECT_EQ(r->lines[0].bank_ref, "B20260901001");
  EXPECT_EQ(r->lines[0].processed_on.iso(), "2026-09-01");
  EXPECT_FALSE(r->lines[0].amount.has_value());
  EXPECT_EQ(r->lines[1].line_id, "L000002");
  EXPECT_FALSE(r->lines[1].succeeded);
  EXPECT_EQ(r->lines[1].reason, "户名与账号不符");
  EXPECT_EQ(r->lines[1].processed_on.iso(), "2026-09-02");
}

TEST(ReturnFile, ReadsGb18030) {
  const std::string utf8 = std::string("银行流水号,处理日期,明细流水号,状态,失败原因,金额\r\n") +
                           "B1,2026-09-01,L000001,成功,,625.00\r\n"
                           "B2,2026-09-01,L000002,失败,账户已销户,500\r\n";
  const std::string gb = to_gb18030(utf8);
  ASSERT_NE(gb, utf8);
  auto r = parse_return_csv("回盘.csv", gb);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_TRUE(r->rejects.empty());
  ASSERT_EQ(r->lines.size(), 2u);
  EXPECT_EQ(r->lines[0].amount, fen(62500));
  EXPECT_EQ(r->lines[1].reason, "账户已销户");
  EXPECT_EQ(r->lines[1].amount, fen(50000));
  EXPECT_EQ(r->lines[1].bank_ref, "B2");
}

TEST(ReturnFile, EnglishKeysAreHeadersToo) {
  auto r = parse_return_csv("r.csv", "line_id,status,reason,bank_ref,processed_on\nL1,成功,,B,20260101\n");
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  ASSERT_EQ(r->lines.size(), 1u);
}

TEST(ReturnFile, BadRowsAreRejectedNotFatal) {
  const std::string csv = std::string("明细流水号,状态,失败原因,银行流水号,处理日期,金额\n") +
                          "L1,成功,,B1,2026-09-01,1.00\n"   // row 2 ok
                          ",成功,,B2,2026-09-01,\n"          // 3 no id
                          "L3,处理中,,B3,2026-09-01,\n"      // 4 bad status
                          "L4,成功,,B4,2026/9/1,\n"          // 5 date form not accepted
                          "L5,成功,,B5,2026-02-30,\n"        // 6 not on the calendar
                          "L6,成功,,B6,2026-09-01,1.234\n"   // 7 bad amount
                          "L1,失败,重复,B7,2026-09-01,\n"    // 8 duplicate id
                          "\n"                               // 9 blank, skipped
                          "L9,失败,,,20260901,-5\n"          // 10 bad amount and ok otherwise
                          "L10,x,,,x,x\n"                     // 11 three bad cells
                          "L11,失败\n";                        // 12 short row: no date
  auto r = parse_return_csv("回盘.csv", csv);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  ASSERT_EQ(r->lines.size(), 1u);
  EXPECT_EQ(r->lines[0].line_id, "L1");
  EXPECT_EQ(r->lines[0].amount, fen(100));
  struct Want {
    long row;
    const char* column;
    const char* value;
    const char* code;
  };
  const std::vector<Want> want = {
      {3, "明细流水号", "", "MISSING_LINE_ID"}, {4, "状态", "处理中", "BAD_STATUS"},
      {5, "处理日期", "2026/9/1", "BAD_DATE"},   {6, "处理日期", "2026-02-30", "BAD_DATE"},
      {7, "金额", "1.234", "BAD_AMOUNT"},        {8, "明细流水号", "L1", "DUPLICATE_LINE_ID"},
      {10, "金额", "-5", "BAD_AMOUNT"},          {11, "状态", "x", "BAD_STATUS"},
      {11, "处理日期", "x", "BAD_DATE"},         {11, "金额", "x", "BAD_AMOUNT"},
      {12, "处理日期", "", "BAD_DATE"},
  };
  ASSERT_EQ(r->rejects.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r->rejects[i].row, want[i].row) << i;
    EXPECT_EQ(r->rejects[i].column, want[i].column) << i;
    EXPECT_EQ(r->rejects[i].value, want[i].value) << i;
    EXPECT_EQ(r->rejects[i].code, want[i].code) << i;
  }
}

TEST(ReturnFile, LongValuesAreCutInRejects) {
  std::string id(70, 'x');
  std::string status;
  for (int i = 0; i < 60; ++i) status += "失";
  auto r = parse_return_csv("r.csv", std::string(kReturnHeader) + id + "," + status + ",,,20260101\n");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->rejects.size(), 2u);
  EXPECT_EQ(r->rejects[0].code, "BAD_LINE_ID");
  EXPECT_EQ(r->rejects[1].code, "BAD_STATUS");
  EXPECT_LE(r->rejects[1].value.size(), kRejectValueBytesMax);
  EXPECT_EQ(r->rejects[1].value.size() % 3, 0u);  // whole characters only
}

TEST(ReturnFile, FileLevelErrorsNameFileAndColumn) {
  auto missing = parse_return_csv("回盘.csv", "明细流水号,状态,失败原因,银行流水号\nL1,成功,,B\n");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "MISSING_COLUMN");
  EXPECT_EQ(missing.error().where.column, "处理日期");
  EXPECT_NE(missing.error().message.find("回盘.csv"), std::string::npos);
  EXPECT_NE(missing.error().message.find("处理日期"), std::string::npos);

  auto empty = parse_return_csv("空.csv", "\n\n");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, "NO_HEADER");
  EXPECT_NE(empty.error().message.find("空.csv"), std::string::npos);

  auto garbage = parse_return_csv("坏.csv", std::string(kReturnHeader) + "\x81\x20\n");
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error().code, "BAD_ENCODING");

  std::string big(kReturnFileBytesMax + 1, ' ');
  auto too_large = parse_return_csv("大.csv", big);
  ASSERT_FALSE(too_large.has_value());
  EXPECT_EQ(too_large.error().code, "TOO_LARGE");
}

TEST(ReturnFile, AtMostTheRowBound) {
  std::string csv = kReturnHeader;
  for (long i = 0; i <= kReturnRowsMax; ++i) csv += "L" + std::to_string(i) + ",成功,,,20260101\n";
  auto r = parse_return_csv("r.csv", csv);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "TOO_MANY_ROWS");
}

TEST(ReturnFile, ReadsXlsxThroughTheTableReader) {
  const std::string path = temp_path("return.xlsx");
  {
    auto w = io::XlsxWriter::create(path, "回盘");
    ASSERT_TRUE(w.has_value());
    const std::vector<std::string_view> header = {"明细流水号", "状态", "失败原因", "银行流水号", "处理日期",
                                                  "金额"};
    (*w)->header(header);
    (*w)->text("L000001");
    (*w)->text("成功");
    (*w)->empty();
    (*w)->text("B1");
    (*w)->integer(20260901);  // a date typed as a number
    (*w)->money_fen(62500);
    (*w)->end_row();
    ASSERT_TRUE((*w)->close().has_value());
  }
  auto t = io::open_xlsx(path);
  ASSERT_TRUE(t.has_value()) << t.error().describe();
  auto r = read_return_table(**t);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  ASSERT_EQ(r->lines.size(), 1u) << (r->rejects.empty() ? "" : r->rejects[0].code);
  EXPECT_EQ(r->lines[0].processed_on.iso(), "2026-09-01");
  EXPECT_EQ(r->lines[0].amount, fen(62500));
}

// ------------------------------------------------------------- reconciliation

TEST(Reconcile, ClassifiesEveryCase) {
  const std::unordered_map<std::string, Fen> batch = {
      {"L1", fen(62500)}, {"L2", fen(50000)}, {"L3", fen(100)}, {"L4", fen(700)}};
  const std::unordered_set<std::string> settled = {"L4"};
  const std::string csv = std::string("明细流水号,状态,失败原因,银行流水号,处理日期,金额\n") +
                          "L1,成功,,B1,2026-09-01,625.00\n"
                          "L2,失败,账号错误,,2026-09-01,\n"
                          "L3,成功,,B3,2026-09-01,1.01\n"
                          "L4,成功,,B4,2026-09-01,7.00\n"
                          "X9,成功,,B9,2026-09-01,1.00\n";
  auto file = parse_return_csv("r.csv", csv);
  ASSERT_TRUE(file.has_value());
  auto r = reconcile_return(batch, settled, *file);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->lines.size(), 5u);
  const std::vector<ReturnClass> want = {ReturnClass::kMatchedSuccess, ReturnClass::kMatchedFailure,
                                         ReturnClass::kAmountMismatch, ReturnClass::kAlreadySettled,
                                         ReturnClass::kUnknownLine};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r->lines[i].index, i);
    EXPECT_EQ(return_class_key(r->lines[i].cls), return_class_key(want[i])) << i;
    EXPECT_EQ(r->count[static_cast<size_t>(want[i])], 1u);
  }
  EXPECT_EQ(r->success_total, fen(62500));
  EXPECT_EQ(r->failure_total, fen(50000));
}

TEST(Reconcile, ImportingTwiceChangesNothing) {
  std::unordered_map<std::string, Fen> batch = {{"L1", fen(100)}, {"L2", fen(200)}};
  std::unordered_set<std::string> settled;
  auto file = parse_return_csv("r.csv", std::string(kReturnHeader) +
                                             "L1,成功,,B1,20260901\nL2,失败,已销户,,20260901\n");
  ASSERT_TRUE(file.has_value());
  auto first = reconcile_return(batch, settled, *file);
  ASSERT_TRUE(first.has_value());
  // What the importer does: settle what matched.
  for (const auto& c : first->lines) {
    if (c.cls == ReturnClass::kMatchedSuccess || c.cls == ReturnClass::kMatchedFailure) {
      settled.insert(file->lines[c.index].line_id);
      batch.erase(file->lines[c.index].line_id);
    }
  }
  EXPECT_EQ(settled.size(), 2u);
  auto second = reconcile_return(batch, settled, *file);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->count[static_cast<size_t>(ReturnClass::kAlreadySettled)], 2u);
  EXPECT_EQ(second->success_total, Fen());
  EXPECT_EQ(second->failure_total, Fen());
  EXPECT_EQ(return_class_key(ReturnClass::kAlreadySettled), "already_settled");
}

TEST(Reconcile, OverflowIsAnError) {
  const std::unordered_map<std::string, Fen> batch = {
      {"L1", Fen::from_fen(std::numeric_limits<int64_t>::max())}, {"L2", fen(1)}};
  auto file = parse_return_csv("r.csv", std::string(kReturnHeader) + "L1,成功,,,20260901\nL2,成功,,,20260901\n");
  ASSERT_TRUE(file.has_value());
  auto r = reconcile_return(batch, {}, *file);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "OVERFLOW");
}

TEST(PaymentToReturn, TheBanksAnswerToOurFileReconciles) {
  // A bank that echoes our file with a status column: everything matches.
  const PaymentBatch b = sample_batch();
  std::string csv = "明细流水号,状态,失败原因,银行流水号,处理日期,金额\r\n";
  std::unordered_map<std::string, Fen> amounts;
  for (const auto& l : b.lines) {
    csv += l.line_id + ",成功,,B" + l.line_id + ",20260901," + format_yuan(l.amount) + "\r\n";
    amounts.emplace(l.line_id, l.amount);
  }
  auto file = parse_return_csv("r.csv", csv);
  ASSERT_TRUE(file.has_value());
  auto r = reconcile_return(amounts, {}, *file);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->count[static_cast<size_t>(ReturnClass::kMatchedSuccess)], 3u);
  EXPECT_EQ(r->success_total, write_payment_csv(b)->total);
}

}  // namespace
}  // namespace zizhu::funds
