// Plain HTTP request and response values for the handlers: no Beast types
// beyond the shell (server.cc), so handlers are easy to call from tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zizhu::server::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;       // names lower case
  std::string body;
  std::string remote_ip;

  // The first value of a query parameter / header (name lower case) / cookie.
  std::optional<std::string_view> query(std::string_view name) const;
  std::optional<std::string_view> header(std::string_view name) const;
  std::optional<std::string_view> cookie(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, Retry-After, ...)

  static Response json(unsigned status, std::string body);
  // The project's error shape: {"error": {"code", "message", "field"}}.
  static Response error(unsigned status, std::string_view code, std::string_view message);
};

// Percent-decoding of a path or query component ('+' as space only in a
// query). nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits a target into its decoded path and query parameters; false when the
// target is malformed.
bool parse_target(std::string_view target, Request& request);

}  // namespace zizhu::server::http
