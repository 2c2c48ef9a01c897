// /api/v1/funds/...: money into the aid — the county's accounts and their
// balances, receipts per source, allocations to schools, and the commitment
// of an approved list (docs/funds.md). Amounts are yuan strings ("1500.00").
#include <boost/json/array.hpp>

#include "app/errors.h"
#include "app/funds_in.h"
#include "app/payables.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

boost::json::object account_json(const app::FundAccountView& a) {
  return boost::json::object({
      {"id", a.id},
      {"org_code", a.org_code},
      {"org_name", a.org_name},
      {"kind", a.kind},
      {"kind_label", a.kind_label},
      {"debits_posted", a.debits_posted},
      {"credits_posted", a.credits_posted},
      {"debits_pending", a.debits_pending},
      {"credits_pending", a.credits_pending},
      {"balance", a.balance},
  });
}

http::Response transfer_answer(const Result<app::FundTransferView>& t) {
  if (!t) return error_response(t.error());
  return json_ok(to_json(*t));
}

Result<int64_t> transfer_id_of(const boost::json::object& body) {
  auto id = optional_int(body, "transfer_id");
  if (!id) return tl::unexpected(id.error());
  if (!*id) return app::field_error("BAD_VALUE", "请给出转账编号（重试时使用同一编号）", "transfer_id");
  return **id;
}

Result<Fen> amount_of(const boost::json::object& body) {
  auto text = required_string(body, "amount", 24);
  if (!text) return tl::unexpected(text.error());
  const auto fen = parse_yuan(*text);
  if (!fen) return app::field_error("BAD_VALUE", "金额须为元，最多两位小数，如 \"1500.00\"", "amount");
  return *fen;
}

http::Response accounts(Call& c) {
  auto found = app::fund_accounts(c.app, c.store, c.actor, query_text(c.request, "county", 6));
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& a : *found) items.emplace_back(account_json(a));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

boost::json::object transfer_item_json(const app::FundTransferItem& t, bool receipt) {
  boost::json::object o({
      {"id", t.id},
      {"amount", t.amount},
      {"cycle_id", t.cycle_id ? boost::json::value(*t.cycle_id) : boost::json::value(nullptr)},
      {"booked_by", t.booked_by},
      {"booked_at_ms", t.booked_at_ms},
  });
  if (receipt) {
    o["source"] = t.source;
    o["source_label"] = t.source_label;
    o["source_name"] = t.source_name;
    o["budget_doc"] = t.budget_doc;
    o["corrected"] = t.corrected;
  } else {
    o["school_code"] = t.school_code;
    o["school_name"] = t.school_name;
  }
  return o;
}

// GET /funds/receipts and /funds/allocations: `cycle_id` optional, paged.
http::Response transfer_list(Call& c, bool receipt) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  std::optional<int64_t> cycle;
  if (auto text = query_text(c.request, "cycle_id", 20)) {
    auto id = id_param(*text);
    if (!id) return error_response("BAD_VALUE", "资助周期编号不正确", "cycle_id");
    cycle = *id;
  }
  auto found = receipt ? app::list_receipts(c.app, c.store, c.actor, cycle, *page)
                       : app::list_allocations(c.app, c.store, c.actor, cycle, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& t : found->items) items.emplace_back(transfer_item_json(t, receipt));
  return json_list(found->total, std::move(items));
}

http::Response receipts(Call& c) { return transfer_list(c, true); }
http::Response allocations(Call& c) { return transfer_list(c, false); }

http::Response receipt(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto id = transfer_id_of(*body);
  if (!id) return error_response(id.error());
  auto source_key = required_string(*body, "source", 20);
  if (!source_key) return error_response(source_key.error());
  const auto source = app::parse_fund_source(*source_key);
  if (!source) return error_response("BAD_VALUE", "资金来源须为 central、provincial、local、donor 或 school", "source");
  auto name = optional_string(*body, "source_name", 120);
  if (!name) return error_response(name.error());
  auto amount = amount_of(*body);
  if (!amount) return error_response(amount.error());
  auto doc = optional_string(*body, "budget_doc", 120);
  if (!doc) return error_response(doc.error());
  auto cycle = optional_int(*body, "cycle_id");
  if (!cycle) return error_response(cycle.error());
  return transfer_answer(app::record_receipt(c.app, c.store, c.actor, *id, *source, name->value_or(""), *amount,
                                             doc->value_or(""), *cycle));
}

http::Response correction(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto id = transfer_id_of(*body);
  if (!id) return error_response(id.error());
  auto receipt = optional_int(*body, "receipt_id");
  if (!receipt) return error_response(receipt.error());
  if (!*receipt) return error_response("BAD_VALUE", "请指明要更正的到账记录", "receipt_id");
  auto amount = amount_of(*body);
  if (!amount) return error_response(amount.error());
  auto reason = required_string(*body, "reason", 120);
  if (!reason) return error_response(reason.error());
  return transfer_answer(app::correct_receipt(c.app, c.store, c.actor, *id, **receipt, *amount, *reason));
}

http::Response allocation(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto id = transfer_id_of(*body);
  if (!id) return error_response(id.error());
  auto school = required_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  auto amount = amount_of(*body);
  if (!amount) return error_response(amount.error());
  auto cycle = optional_int(*body, "cycle_id");
  if (!cycle) return error_response(cycle.error());
  return transfer_answer(app::allocate_to_school(c.app, c.store, c.actor, *id, *school, *amount, *cycle));
}

http::Response commitment(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return transfer_answer(app::commit_filing(c.app, c.store, c.actor, *id));
}

http::Response payables(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  // The term is judged after the cycle's scope (term_payables), so that a
  // cycle out of reach is 404 whatever the query says.
  const auto text = query_text(c.request, "term", 4);
  const int term = text == "1" ? 1 : text == "2" ? 2 : 0;
  auto p = app::term_payables(c.app, c.store, c.actor, *id, term);
  if (!p) return error_response(p.error());
  boost::json::array items;
  for (const auto& l : p->lines) {
    items.emplace_back(boost::json::object({
        {"filing_id", l.filing_id},
        {"school_code", l.school_code},
        {"school_name", l.school_name},
        {"student_id", l.student_id},
        {"student_no", l.student_no_masked},
        {"name", l.name},
        {"grade", l.grade},
        {"class_name", l.class_name},
        {"level", l.level},
        {"amount", format_yuan(Fen::from_fen(l.amount_fen))},
    }));
  }
  boost::json::array pending;
  for (const auto& s : p->schools_not_approved) pending.emplace_back(s);
  return json_ok(boost::json::object({
      {"cycle_id", p->cycle_id},
      {"term", p->term},
      {"total", format_yuan(Fen::from_fen(p->total_fen))},
      {"count", static_cast<int64_t>(p->lines.size())},
      {"items", std::move(items)},
      {"schools_not_approved", std::move(pending)},
  }));
}

}  // namespace

void add_funds_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/funds/accounts", "funds.read", 0, "资金账户及余额", accounts});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/payables", "funds.read", 0, "某学期应发放名单（来自已备案名单）", payables});
  add_route(router, app, {"GET", "/api/v1/funds/receipts", "funds.read", 0, "资金到账记录", receipts});
  add_route(router, app, {"GET", "/api/v1/funds/allocations", "funds.read", 0, "资金分配记录", allocations});
  add_route(router, app,
            {"POST", "/api/v1/funds/receipts", "funds.manage", kJsonBodyBytesMax, "资金到账（按来源入专户）", receipt});
  add_route(router, app,
            {"POST", "/api/v1/funds/corrections", "funds.manage", kJsonBodyBytesMax, "更正到账记录（冲回部分或全部）",
             correction});
  add_route(router, app,
            {"POST", "/api/v1/funds/allocations", "funds.manage", kJsonBodyBytesMax, "分配资金到学校", allocation});
  add_route(router, app,
            {"POST", "/api/v1/filings/{id}/commitment", "funds.manage", kJsonBodyBytesMax, "为已备案名单承诺资金",
             commitment});
}

}  // namespace zizhu::server::api
