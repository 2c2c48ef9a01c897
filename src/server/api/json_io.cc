#include "server/api/json_io.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <iostream>

namespace zizhu::server::api {

namespace {

tl::unexpected<Error> bad_field(std::string_view field, std::string message) {
  Error e = Error::make("BAD_VALUE", std::move(message));
  e.where.column = std::string(field);
  return tl::unexpected(std::move(e));
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<boost::json::object> parse_object(std::string_view body) {
  if (body.empty()) return boost::json::object{};
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return fail("BAD_JSON", "请求内容不是有效的 JSON：" + ec.message());
  if (!v.is_object()) return fail("BAD_JSON", "请求内容须为 JSON 对象");
  return std::move(v.as_object());
}

Result<std::optional<std::string>> optional_string(const boost::json::object& o, std::string_view field,
                                                   size_t max_bytes) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return bad_field(field, std::string(field) + " 须为字符串");
  const auto& s = v->as_string();
  if (s.size() > max_bytes) return bad_field(field, std::string(field) + " 过长");
  return std::optional<std::string>(std::string(s.data(), s.size()));
}

Result<std::string> required_string(const boost::json::object& o, std::string_view field, size_t max_bytes) {
  auto s = optional_string(o, field, max_bytes);
  if (!s) return tl::unexpected(s.error());
  if (!*s || (*s)->empty()) return bad_field(field, "缺少 " + std::string(field));
  return std::move(**s);
}

Result<std::vector<std::string>> string_array(const boost::json::object& o, std::string_view field,
                                              size_t items_max) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || !v->is_array()) return bad_field(field, std::string(field) + " 须为字符串数组");
  const auto& a = v->as_array();
  if (a.size() > items_max) return bad_field(field, std::string(field) + " 项数过多");
  std::vector<std::string> out;
  for (const auto& item : a) {
    if (!item.is_string() || item.as_string().size() > 100) return bad_field(field, std::string(field) + " 须为字符串数组");
    out.emplace_back(item.as_string().data(), item.as_string().size());
  }
  return out;
}

Result<std::optional<int64_t>> optional_int(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (!v->is_int64()) return bad_field(field, std::string(field) + " 须为整数");
  return std::optional<int64_t>(v->as_int64());
}

Result<std::optional<bool>> optional_bool(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return bad_field(field, std::string(field) + " 须为 true 或 false");
  return std::optional<bool>(v->as_bool());
}

Result<app::PageRequest> page_of(const http::Request& request) {
  app::PageRequest p;
  auto page = query_int(request, "page", 1, 1000000);
  if (!page) return tl::unexpected(page.error());
  auto size = query_int(request, "page_size", 1, app::kPageSizeMax);
  if (!size) return tl::unexpected(size.error());
  if (*page) p.page = **page;
  if (*size) p.page_size = **size;
  return p;
}

Result<std::optional<int64_t>> query_int(const http::Request& request, std::string_view name, int64_t min,
                                         int64_t max) {
  auto text = request.query(name);
  if (!text || text->empty()) return std::optional<int64_t>();
  auto v = parse_int(*text);
  if (!v || *v < min || *v > max) {
    return bad_field(name, std::string(name) + " 须为 " + std::to_string(min) + " 到 " + std::to_string(max) + " 的整数");
  }
  return std::optional<int64_t>(*v);
}

std::optional<std::string> query_text(const http::Request& request, std::string_view name, size_t max_bytes) {
  auto text = request.query(name);
  if (!text || text->empty()) return std::nullopt;
  return std::string(text->substr(0, max_bytes));
}

Result<int64_t> id_param(std::string_view text) {
  auto v = parse_int(text);
  if (!v || *v <= 0) return fail("NOT_FOUND", "对象不存在");
  return *v;
}

http::Response json_ok(const boost::json::value& value) { return http::Response::json(200, boost::json::serialize(value)); }

http::Response json_list(int64_t total, boost::json::array items) {
  boost::json::object o(items.storage());  // same storage: the items move, not copy
  o["total"] = total;
  o["items"] = std::move(items);
  return json_ok(o);
}

int status_for(std::string_view code) {
  struct Entry {
    std::string_view code;
    int status;
  };
  static constexpr Entry kTable[] = {
      {"BAD_VALUE", 400},          {"BAD_JSON", 400},          {"BAD_REQUEST", 400},
      {"UNAUTHENTICATED", 401},    {"SESSION_EXPIRED", 401},   {"BAD_CREDENTIALS", 401},
      {"FORBIDDEN", 403},          {"CSRF", 403},              {"ACCOUNT_DISABLED", 403},
      {"PASSWORD_CHANGE_REQUIRED", 403}, {"SECOND_FACTOR_REQUIRED", 403}, {"TOTP_ENROLMENT_REQUIRED", 403},
      {"NOT_FOUND", 404},          {"CONFLICT", 409},          {"STATE_CONFLICT", 409},
      {"TOO_LARGE", 413},          {"WEAK_PASSWORD", 422},     {"ROLE_CONFLICT", 422},
      {"BAD_CODE", 422},           {"NOT_A_ROSTER", 422},      {"NOT_A_LIST", 422},      {"NOT_EVIDENCE", 422},
      {"POLICY", 422},      {"RULE", 422},      {"LEDGER", 422},
      {"RATE_LIMITED", 429},       {"ACCOUNT_LOCKED", 429},    {"BUSY", 503},
      {"CANCELLED", 503},
  };
  for (const Entry& e : kTable) {
    if (e.code == code) return e.status;
  }
  return 500;
}

http::Response error_response(std::string code, std::string message, std::string field) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  err["field"] = field;
  boost::json::object o;
  o["error"] = std::move(err);
  return http::Response::json(static_cast<unsigned>(status_for(code)), boost::json::serialize(o));
}

http::Response error_response(const Error& error) {
  const int status = status_for(error.code);
  if (status == 500) {
    // The detail (a database message, a path) is for the operator, not the
    // client.
    std::cerr << "zizhu serve: internal error " << error.code << ": " << error.describe() << "\n";
    return error_response("INTERNAL", "服务器内部错误，请稍后再试或联系管理员");
  }
  return error_response(error.code, error.message, error.where.column);
}

http::Response attachment_response(std::string bytes, std::string content_type, const std::string& file_name) {
  http::Response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.body = std::move(bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  return r;
}

}  // namespace zizhu::server::api
