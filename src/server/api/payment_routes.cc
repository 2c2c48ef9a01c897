// Paying per term (docs/payments.md): payment batches prepared by finance and
// approved by a second person, the bank payment file, the bank's return
// file, the through-school channel and returned remainders. Amounts are yuan
// strings ("1500.00").
#include <array>

#include <boost/json/array.hpp>

#include "app/errors.h"
#include "app/payment_trace.h"
#include "app/payments.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

boost::json::object line_json(const app::PaymentLineView& l) {
  return boost::json::object({
      {"id", l.id},
      {"line_no", l.line_no},
      {"filing_id", l.filing_id},
      {"school_code", l.school_code},
      {"school_name", l.school_name},
      {"student_id", l.student_id},
      {"student_no", l.student_no_masked},
      {"name", l.name},
      {"level", l.level},
      {"amount", l.amount},
      {"card", l.card_masked},
      {"risk", l.risk},
      {"status", l.status},
      {"reason", l.reason},
      {"bank_ref", l.bank_ref},
      {"processed_on", l.processed_on},
  });
}

boost::json::object batch_json(const app::PaymentBatchView& b) {
  static constexpr std::array<std::string_view, 6> kStatuses = {"prepared", "pending",   "paid",
                                                                "failed",   "cancelled", "returned"};
  boost::json::object counts;
  for (size_t i = 0; i < kStatuses.size() && i < b.status_counts.size(); ++i) counts[kStatuses[i]] = b.status_counts[i];
  boost::json::array schools;
  for (const auto& s : b.schools) {
    schools.emplace_back(boost::json::object(
        {{"school_code", s.school_code}, {"school_name", s.school_name}, {"lines", s.lines}, {"amount", s.amount}}));
  }
  boost::json::array lines;
  for (const auto& l : b.lines) lines.emplace_back(line_json(l));
  boost::json::array excluded;
  for (const auto& e : b.excluded) {
    excluded.emplace_back(boost::json::object({{"student_id", e.student_id},
                                               {"school_code", e.school_code},
                                               {"school_name", e.school_name},
                                               {"student_no", e.student_no_masked},
                                               {"name", e.name},
                                               {"amount", e.amount},
                                               {"reason_code", e.reason_code},
                                               {"reason", e.reason}}));
  }
  boost::json::object o({
      {"id", b.id},
      {"cycle_id", b.cycle_id},
      {"term", b.term},
      {"channel", b.channel},
      {"batch_no", b.batch_no},
      {"purpose", b.purpose},
      {"state", b.state},
      {"line_count", b.line_count},
      {"total", b.total},
      {"file_sm3", b.file_sm3},
      {"file_sha256", b.file_sha256},
      {"prepared_by", b.prepared_by},
      {"approved_by", b.approved_by},
      {"prepared_at_ms", b.prepared_at_ms},
      {"risks", b.risks},
      {"status_counts", std::move(counts)},
      {"schools", std::move(schools)},
      {"lines", std::move(lines)},
      {"excluded", std::move(excluded)},
  });
  o["approved_at_ms"] = b.approved_at_ms ? boost::json::value(*b.approved_at_ms) : boost::json::value(nullptr);
  o["closed_at_ms"] = b.closed_at_ms ? boost::json::value(*b.closed_at_ms) : boost::json::value(nullptr);
  // null says "excluded was not computed for this answer" (lists, approve,
  // cancel, return), so an empty array is never mistaken for "nobody left".
  o["excluded_as_of_ms"] =
      b.excluded_as_of_ms ? boost::json::value(*b.excluded_as_of_ms) : boost::json::value(nullptr);
  return o;
}

http::Response batch_answer(const Result<app::PaymentBatchView>& b) {
  if (!b) return error_response(b.error());
  return json_ok(batch_json(*b));
}

http::Response prepare(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto term = optional_int(*body, "term");
  if (!term) return error_response(term.error());
  // The term is judged after the cycle's scope (prepare_batch), so that a
  // cycle out of reach is 404 whatever the body says.
  const int t = *term && (**term == 1 || **term == 2) ? static_cast<int>(**term) : 0;
  auto channel = optional_string(*body, "channel", 10);
  if (!channel) return error_response(channel.error());
  return batch_answer(app::prepare_batch(c.app, c.store, c.actor, *id, t, channel->value_or("direct")));
}

http::Response list(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::list_batches(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& b : *found) items.emplace_back(batch_json(b));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return batch_answer(app::get_batch(c.app, c.store, c.actor, *id));
}

http::Response approve(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto sm3 = optional_string(*body, "file_sm3", 64);
  if (!sm3) return error_response(sm3.error());
  return batch_answer(app::approve_batch(c.app, c.store, c.actor, *id, sm3->value_or("")));
}

http::Response cancel(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto reason = required_string(*body, "reason", 300);
  if (!reason) return error_response(reason.error());
  return batch_answer(app::cancel_batch(c.app, c.store, c.actor, *id, *reason));
}

http::Response file(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto f = app::batch_file(c.app, c.store, c.actor, *id, query_text(c.request, "format", 8).value_or("csv"));
  if (!f) return error_response(f.error());
  return attachment_response(std::move(f->bytes), std::move(f->content_type), f->file_name);
}

http::Response bank_return(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto r = app::import_bank_return(c.app, c.store, c.actor, *id, query_text(c.request, "name", 200).value_or(""),
                                   c.request.body);
  if (!r) return error_response(r.error());
  boost::json::array problems;
  for (const auto& p : r->problems) {
    problems.emplace_back(boost::json::object({{"row", p.row}, {"line_no", p.line_no}, {"problem", p.problem}}));
  }
  return json_ok(boost::json::object({
      {"matched_success", r->matched_success},
      {"matched_failure", r->matched_failure},
      {"unknown_line", r->unknown_line},
      {"amount_mismatch", r->amount_mismatch},
      {"already_settled", r->already_settled},
      {"rejected_rows", r->rejected_rows},
      {"paid", r->paid},
      {"failed", r->failed},
      {"file_sm3", r->file_sm3},
      {"problems", std::move(problems)},
      {"batch", batch_json(r->batch)},
  }));
}

http::Response school_lines(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::school_payment_lines(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& l : *found) items.emplace_back(line_json(l));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response school_payment(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto paid = optional_bool(*body, "paid");
  if (!paid) return error_response(paid.error());
  if (!*paid) return error_response("BAD_VALUE", "请说明是否已发放（paid: true 或 false）", "paid");
  auto reference = optional_string(*body, "reference", 64);
  if (!reference) return error_response(reference.error());
  auto on = optional_string(*body, "processed_on", 10);
  if (!on) return error_response(on.error());
  auto reason = optional_string(*body, "reason", 300);
  if (!reason) return error_response(reason.error());
  auto line = app::record_school_payment(c.app, c.store, c.actor, *id, **paid, reference->value_or(""),
                                         on->value_or(""), reason->value_or(""));
  if (!line) return error_response(line.error());
  return json_ok(line_json(*line));
}

http::Response line_return(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto reason = required_string(*body, "reason", 300);
  if (!reason) return error_response(reason.error());
  auto line = app::return_failed_line(c.app, c.store, c.actor, *id, *reason);
  if (!line) return error_response(line.error());
  return json_ok(line_json(*line));
}

http::Response trace(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto t = app::trace_payment(c.app, c.store, c.actor, *id);
  if (!t) return error_response(t.error());
  auto opt_int = [](const std::optional<int>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  auto opt_ms = [](const std::optional<int64_t>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  boost::json::array transfers;
  for (const auto& x : t->transfers) {
    transfers.emplace_back(boost::json::object({{"id", x.id},
                                                {"code", x.code},
                                                {"kind", x.kind},
                                                {"amount", x.amount},
                                                {"source", x.source},
                                                {"timestamp_ms", x.timestamp_ms}}));
  }
  return json_ok(boost::json::object({
      {"line", line_json(t->line)},
      {"batch", boost::json::object({{"batch_no", t->batch_no},
                                     {"state", t->batch_state},
                                     {"prepared_by", t->prepared_by},
                                     {"approved_by", t->approved_by},
                                     {"approved_at_ms", opt_ms(t->approved_at_ms)}})},
      {"filing", boost::json::object({{"id", t->filing_id},
                                      {"round", t->filing_round},
                                      {"state", t->filing_state},
                                      {"snapshot_sm3", t->filing_sm3},
                                      {"decided_at_ms", opt_ms(t->filing_decided_at_ms)}})},
      {"entry", boost::json::object({{"level", opt_int(t->entry_level)},
                                     {"amount", t->entry_amount},
                                     {"basis", t->entry_basis}})},
      {"basis", boost::json::object({{"level", opt_int(t->basis_level)},
                                     {"amount", t->basis_amount},
                                     {"suggested_level", opt_int(t->basis_suggested_level)},
                                     {"votes", t->basis_votes},
                                     {"reason", t->basis_reason},
                                     {"cause", t->basis_cause},
                                     {"change_id", opt_ms(t->basis_change_id)},
                                     {"decided_at_ms", t->basis_decided_at_ms}})},
      {"transfers", std::move(transfers)},
  }));
}

http::Response remainder(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto transfer_id = optional_int(*body, "transfer_id");
  if (!transfer_id) return error_response(transfer_id.error());
  if (!*transfer_id) return error_response("BAD_VALUE", "请给出转账编号（重试时使用同一编号）", "transfer_id");
  auto cycle = optional_int(*body, "cycle_id");
  if (!cycle) return error_response(cycle.error());
  if (!*cycle) return error_response("BAD_VALUE", "请给出资助周期", "cycle_id");
  auto school = required_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  auto text = required_string(*body, "amount", 24);
  if (!text) return error_response(text.error());
  const auto amount = parse_yuan(*text);
  if (!amount) return error_response("BAD_VALUE", "金额须为元，最多两位小数，如 \"1500.00\"", "amount");
  auto reason = optional_string(*body, "reason", 400);
  if (!reason) return error_response(reason.error());
  auto t = app::return_remainder(c.app, c.store, c.actor, **transfer_id, **cycle, *school, *amount,
                                 reason->value_or(""));
  if (!t) return error_response(t.error());
  return json_ok(to_json(*t));
}

}  // namespace

void add_payment_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/payment-batches", "funds.manage", kJsonBodyBytesMax,
             "制作付款批次（某学期）", prepare});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/payment-batches", "funds.read", 0, "付款批次列表", list});
  add_route(router, app, {"GET", "/api/v1/payment-batches/{id}", "funds.read", 0, "付款批次及明细", detail});
  add_route(router, app,
            {"POST", "/api/v1/payment-batches/{id}/approve", "funds.approve", kJsonBodyBytesMax,
             "审批付款批次（须由制单人以外的人）", approve});
  add_route(router, app,
            {"POST", "/api/v1/payment-batches/{id}/cancel", "funds.manage", kJsonBodyBytesMax, "作废待审批的付款批次",
             cancel});
  add_route(router, app,
            {"GET", "/api/v1/payment-batches/{id}/file", "funds.manage", 0, "下载银行代发文件（CSV 或 XLSX）", file});
  add_route(router, app,
            {"POST", "/api/v1/payment-batches/{id}/return", "funds.manage", kRosterBodyBytesMax,
             "导入银行回盘文件", bank_return});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/school-payments", "funds.school_pay", 0, "本校通过学校发放的付款明细",
             school_lines});
  add_route(router, app,
            {"POST", "/api/v1/payment-lines/{id}/school-payment", "funds.school_pay", kJsonBodyBytesMax,
             "学校登记一笔发放结果", school_payment});
  add_route(router, app,
            {"GET", "/api/v1/payment-lines/{id}/trace", "funds.read", 0,
             "追溯一笔付款：批次、备案名单、名单条目、评审决定或名单变更、账务分录", trace});
  add_route(router, app,
            {"POST", "/api/v1/payment-lines/{id}/return", "funds.manage", kJsonBodyBytesMax,
             "退回发放失败明细的资金", line_return});
  add_route(router, app,
            {"POST", "/api/v1/funds/returns", "funds.manage", kJsonBodyBytesMax, "退回学校未发放的余额", remainder});
}

}  // namespace zizhu::server::api
