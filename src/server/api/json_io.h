// JSON in and out for the handlers: reading a request body into checked
// fields (a bad field names itself), and answers in the shapes of server.md —
// objects, lists `{"total": N, "items": [...]}`, errors
// `{"error": {"code", "message", "field"}}` with the right status.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/paging.h"
#include "core/error.h"
#include "server/http/message.h"

namespace zizhu::server::api {

// The request body as a JSON object (an empty body is an empty object).
// BAD_JSON when it is not one.
Result<boost::json::object> parse_object(std::string_view body);

// A string field: absent → nullopt when optional, BAD_VALUE naming the field
// when required; a non-string or a string over max_bytes → BAD_VALUE.
Result<std::optional<std::string>> optional_string(const boost::json::object& o, std::string_view field,
                                                   size_t max_bytes = 1000);
Result<std::string> required_string(const boost::json::object& o, std::string_view field, size_t max_bytes = 1000);
Result<std::vector<std::string>> string_array(const boost::json::object& o, std::string_view field,
                                              size_t items_max = 20);
Result<std::optional<int64_t>> optional_int(const boost::json::object& o, std::string_view field);
Result<std::optional<bool>> optional_bool(const boost::json::object& o, std::string_view field);

// Query parameters.
Result<app::PageRequest> page_of(const http::Request& request);
Result<std::optional<int64_t>> query_int(const http::Request& request, std::string_view name, int64_t min,
                                         int64_t max);
std::optional<std::string> query_text(const http::Request& request, std::string_view name, size_t max_bytes = 200);
// A path parameter that must be a positive integer; NOT_FOUND otherwise.
Result<int64_t> id_param(std::string_view text);

http::Response json_ok(const boost::json::value& value);
http::Response json_list(int64_t total, boost::json::array items);
// The status for an error code, and the error body. Codes not in the table
// are internal: 500 with a generic message (the detail goes to the log).
int status_for(std::string_view code);
http::Response error_response(const Error& error);
// A file to download (never shown inline in the app's origin).
http::Response attachment_response(std::string bytes, std::string content_type, const std::string& file_name);
http::Response error_response(std::string code, std::string message, std::string field = "");

}  // namespace zizhu::server::api
