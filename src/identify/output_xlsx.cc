// results.xlsx: what a school opens in Excel — the rows of results.csv, in the
// same order, with Chinese headers and labels.
#include <array>

#include "core/student_no.h"
#include "identify/output.h"
#include "io/xlsx_writer.h"

namespace zizhu::identify {
namespace {

std::string_view status_label(Status s) {
  switch (s) {
    case Status::kBlocked: return "已拦截";
    case Status::kNotApplied: return "未申请";
    case Status::kNotEligible: return "不符合条件";
    case Status::kFunded: return "已资助";
    case Status::kWaitlist: return "候补";
  }
  return "";
}

// Chinese labels of the flags, in the order of kFlagNames.
constexpr std::array<std::string_view, 13> kFlagLabels = {
    "年龄与年级不符", "银行卡校验位不符", "申报类别未核实", "预算不足降档", "重复学籍",
    "本学年已在他校受助", "性别与身份证不符", "身份证号无效", "学籍号与身份证号不符", "名单已过期或未生效",
    "不在名册中", "学校无预算", "银行卡被多户共用"};
static_assert(kFlagLabels.size() == kFlagNames.size());

}  // namespace

Result<void> write_results_xlsx(const std::string& path, const Dataset& data, const Policy& policy,
                                const Outcome& out) {
  auto created = io::XlsxWriter::create(path, "认定结果");
  if (!created) return tl::unexpected(created.error());
  io::XlsxWriter& x = **created;
  const std::array<std::string_view, 10> headers = {"学籍号", "姓名",     "学校标识码", "状态", "等级",
                                                    "金额（元）", "得分", "认定类别",   "标记", "排名"};
  x.header(headers);
  const Students& st = data.students;
  std::string text;
  for (uint32_t r : result_rows(data, out)) {
    if (is_not_enrolled_row(r)) {
      x.text(data.side_text.get(data.applications.student_no[application_of_row(r)]));
      x.empty(), x.empty();
      x.text(status_label(Status::kBlocked));
      x.empty(), x.empty();
      x.integer(0);
      x.empty();
      x.text(kFlagLabels[10]);
      x.empty();
      x.end_row();
      continue;
    }
    const uint32_t i = r;
    x.text(student_no_from_key(st.no_key[i]));
    x.text(data.text.get(st.name[i]));
    x.text(data.school_codes[st.school[i]]);
    x.text(status_label(out.status[i]));
    if (out.level[i] >= 0) {
      x.text(policy.levels[static_cast<size_t>(out.level[i])].name);
    } else {
      x.empty();
    }
    if (out.status[i] == Status::kFunded) {
      x.money_fen(out.amount[i].value());
    } else {
      x.empty();
    }
    x.integer(out.score[i]);
    text.clear();
    for (size_t c = 0; c < policy.categories.size(); ++c) {
      if (!(out.verified[i] >> c & 1)) continue;
      if (!text.empty()) text += "；";
      text += policy.categories[c].name;
    }
    x.text(text);
    text.clear();
    for (size_t b = 0; b < kFlagLabels.size(); ++b) {
      if (!(out.flags[i] >> b & 1)) continue;
      if (!text.empty()) text += "；";
      text += kFlagLabels[b];
    }
    x.text(text);
    if (out.rank[i] > 0) {
      x.integer(out.rank[i]);
    } else {
      x.empty();
    }
    x.end_row();
  }
  return x.close();
}

}  // namespace zizhu::identify
