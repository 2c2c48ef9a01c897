// Routes by method and path pattern ("/api/v1/students/{id}"). Patterns are
// split into segments once; matching walks segments, no regex per request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/message.h"

namespace zizhu::server::http {

struct RouteMatch {
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view param(std::string_view name) const;
};

using RouteHandler = std::function<Response(const Request&, const RouteMatch&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string permission;  // opaque here: the API layer's guard reads it
  uint64_t body_limit_bytes = 0;
  std::string summary;
  RouteHandler handler;
};

class Router {
 public:
  void add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  struct Found {
    const Route* route = nullptr;  // null: see status
    RouteMatch match;
    unsigned status = 404;  // 404 no such path, 405 path exists with other methods
    std::string allow;      // for 405
  };
  Found find(std::string_view method, std::string_view path) const;

  // The body limit of the route a request goes to (0 when none matches: no
  // body is read for a request that will be refused anyway).
  uint64_t body_limit(std::string_view method, std::string_view path) const;

  // Finds the route and calls it; 404/405 answers otherwise.
  Response dispatch(const Request& request) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // per route
};

}  // namespace zizhu::server::http
