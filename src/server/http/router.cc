#include "server/http/router.h"

namespace zizhu::server::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 1;  // paths start with '/'
  while (i <= path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string_view RouteMatch::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

void Router::add(Route route) {
  std::vector<std::string> segs;
  for (auto s : split_path(route.pattern)) segs.emplace_back(s);
  segments_.push_back(std::move(segs));
  routes_.push_back(std::move(route));
}

Router::Found Router::find(std::string_view method, std::string_view path) const {
  Found found;
  if (path.empty() || path.front() != '/') return found;
  const auto parts = split_path(path);
  // Literal segments win over parameters: "/students/import" before
  // "/students/{id}" whatever the order of registration.
  int best_literals = -1;
  for (size_t r = 0; r < routes_.size(); ++r) {
    const auto& segs = segments_[r];
    if (segs.size() != parts.size()) continue;
    RouteMatch match;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (is_param(segs[i])) {
        if (parts[i].empty()) ok = false;
        match.params.emplace_back(segs[i].substr(1, segs[i].size() - 2), std::string(parts[i]));
      } else if (segs[i] == parts[i]) {
        ++literals;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (routes_[r].method != method) {
      if (found.route == nullptr) {
        found.status = 405;
        if (found.allow.find(routes_[r].method) == std::string::npos) {
          if (!found.allow.empty()) found.allow += ", ";
          found.allow += routes_[r].method;
        }
      }
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      found.route = &routes_[r];
      found.match = std::move(match);
      found.status = 200;
    }
  }
  return found;
}

uint64_t Router::body_limit(std::string_view method, std::string_view path) const {
  const Found f = find(method, path);
  return f.route ? f.route->body_limit_bytes : 0;
}

Response Router::dispatch(const Request& request) const {
  const Found f = find(request.method, request.path);
  if (f.route) return f.route->handler(request, f.match);
  if (f.status == 405) {
    Response r = Response::error(405, "METHOD_NOT_ALLOWED", "不支持此请求方法");
    r.headers.emplace_back("Allow", f.allow);
    return r;
  }
  return Response::error(404, "NOT_FOUND", "接口不存在");
}

}  // namespace zizhu::server::http
