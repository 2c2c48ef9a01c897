// libFuzzer target for what the server parses from outside: the request
// target (path and query), cookies, and JSON bodies with the field readers
// the handlers use. Invariants: no crash, no decoded NUL, bounded output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/api/json_io.h"
#include "server/http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  zizhu::server::http::Request request;
  if (zizhu::server::http::parse_target(input, request)) {
    if (request.path.find('\0') != std::string::npos) __builtin_trap();
    if (request.query_params.size() > 100) __builtin_trap();
    for (const auto& [k, v] : request.query_params) {
      if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos) __builtin_trap();
    }
    (void)zizhu::server::api::page_of(request);
  }
  request.headers = {{"cookie", std::string(input)}};
  (void)request.cookie("zizhu_session");
  auto object = zizhu::server::api::parse_object(input);
  if (object) {
    (void)zizhu::server::api::optional_string(*object, "username", 64);
    (void)zizhu::server::api::string_array(*object, "roles", 7);
    (void)zizhu::server::api::optional_int(*object, "expires_in_days");
  }
  return 0;
}
