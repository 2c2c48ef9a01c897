// Evidence files of applications: staff routes under /api/v1/applications and
// /api/v1/evidence, the guardian's under /api/v1/me. Uploads are the file's
// bytes as the body (any content type: the kind is judged by content).
#include <boost/json/array.hpp>

#include "app/evidence.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

// The body limit of an upload: the file's limit and room for nothing else.
inline constexpr uint64_t kEvidenceBodyBytesMax = app::kEvidenceBytesMax;

boost::json::object evidence_json(const app::EvidenceView& e) {
  return boost::json::object({
      {"id", e.id},
      {"application_id", e.application_id},
      {"kind", e.kind},
      {"size_bytes", e.size_bytes},
      {"note", e.note},
      {"sm3", e.sm3},
      {"uploaded_at_ms", e.uploaded_at_ms},
      {"removed", e.removed},
  });
}

http::Response upload(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  const auto note = query_text(c.request, "note", 100);
  auto e = app::add_evidence(c.app, c.store, c.actor, *id, c.request.body, note.value_or(""));
  if (!e) return error_response(e.error());
  return json_ok(evidence_json(*e));
}

http::Response list(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::list_evidence(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& e : *found) items.emplace_back(evidence_json(e));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response download(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto f = app::read_evidence(c.app, c.store, c.actor, *id);
  if (!f) return error_response(f.error());
  http::Response r;
  r.status = 200;
  r.content_type = f->mime_type;
  r.body = std::move(f->bytes);
  // Downloaded, never shown inline by the browser in the app's origin.
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f->file_name + "\"");
  return r;
}

http::Response remove(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto e = app::remove_evidence(c.app, c.store, c.actor, *id);
  if (!e) return error_response(e.error());
  return json_ok(evidence_json(*e));
}

}  // namespace

void add_evidence_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"POST", "/api/v1/applications/{id}/evidence", "application.write", kEvidenceBodyBytesMax, "上传证明材料",
             upload});
  add_route(router, app, {"GET", "/api/v1/applications/{id}/evidence", "application.read", 0, "证明材料列表", list});
  add_route(router, app, {"GET", "/api/v1/evidence/{id}", "application.read", 0, "下载证明材料", download});
  add_route(router, app,
            {"POST", "/api/v1/evidence/{id}/remove", "application.write", kJsonBodyBytesMax, "删除证明材料", remove});
  add_route(router, app,
            {"POST", "/api/v1/me/applications/{id}/evidence", "guardian.self", kEvidenceBodyBytesMax, "上传证明材料",
             upload});
  add_route(router, app, {"GET", "/api/v1/me/applications/{id}/evidence", "guardian.self", 0, "证明材料列表", list});
  add_route(router, app, {"GET", "/api/v1/me/evidence/{id}", "guardian.self", 0, "下载证明材料", download});
  add_route(router, app,
            {"POST", "/api/v1/me/evidence/{id}/remove", "guardian.self", kJsonBodyBytesMax, "删除证明材料", remove});
}

}  // namespace zizhu::server::api
