#include "app/evidence.h"

#include "app/applications.h"
#include "app/audit_log.h"
#include "app/errors.h"
#include "io/file_kind.h"

namespace zizhu::app {

namespace {

constexpr size_t kNoteBytesMax = 100;

EvidenceView view_of(const store::Evidence& e) {
  return {e.id, e.application_id, e.kind, e.size_bytes, e.note, e.sm3, e.uploaded_at_ms, e.removed_at_ms.has_value()};
}

io::FileKind kind_of(std::string_view name) {
  if (name == "pdf") return io::FileKind::kPdf;
  if (name == "jpeg") return io::FileKind::kJpeg;
  if (name == "png") return io::FileKind::kPng;
  return io::FileKind::kUnknown;
}

// The evidence row and its application, if the actor may reach it.
Result<store::Evidence> reachable_evidence(App& app, store::Store& store, const Actor& actor, int64_t evidence_id,
                                           bool changing) {
  auto e = store.get_evidence(evidence_id);
  if (!e) return tl::unexpected(e.error());
  if (!*e) return fail("NOT_FOUND", "证明材料不存在");
  auto a = reachable_application(app, store, actor, (*e)->application_id, false);
  if (!a) return fail("NOT_FOUND", "证明材料不存在");
  if (changing) {
    if (auto ok = reachable_application(app, store, actor, (*e)->application_id, true); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return std::move(**e);
}

}  // namespace

Result<EvidenceView> add_evidence(App& app, store::Store& store, const Actor& actor, int64_t application_id,
                                  std::string_view content, std::string_view note) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto application = reachable_application(app, store, actor, application_id, true);
  if (!application) return tl::unexpected(application.error());
  if (note.empty() || note.size() > kNoteBytesMax) {
    return field_error("BAD_VALUE", "请说明这是什么材料（100 字节以内），如“低保证”", "note");
  }
  if (content.size() > kEvidenceBytesMax) return fail("TOO_LARGE", "证明材料不能超过 10 MB");
  const io::FileKindResult kind = io::detect_file_kind(content);
  if (kind.kind == io::FileKind::kUnknown) {
    return fail("NOT_EVIDENCE", "证明材料须为 PDF、JPG 或 PNG 文件（按文件内容判断）");
  }
  auto existing = store.evidence_of(application_id);
  if (!existing) return tl::unexpected(existing.error());
  size_t kept = 0;
  for (const auto& e : *existing) kept += e.removed_at_ms ? 0u : 1u;
  if (kept >= kEvidencePerApplicationMax) return fail("RULE", "每份申请最多 10 份证明材料");
  // The file itself, without what follows its end marker.
  const std::string_view file = content.substr(0, kind.content_bytes);
  auto ref = app.blobs().put(file, kind.kind);
  if (!ref) return tl::unexpected(ref.error());
  store::Evidence e;
  e.application_id = application_id;
  e.sm3 = ref->sm3_hex;
  e.size_bytes = static_cast<int64_t>(ref->size_bytes);
  e.kind = std::string(io::file_kind_name(kind.kind));
  e.note = std::string(note);
  e.uploaded_by = actor.user_id;
  e.uploaded_at_ms = app.now_ms();
  auto id = store.add_evidence(e);
  if (!id) return tl::unexpected(id.error());
  e.id = *id;
  if (auto ok = record(app, store, actor,
                       {"application.evidence_add", "application", std::to_string(application_id), "ok",
                        summary_json({{"evidence_id", std::to_string(*id)},
                                      {"kind", e.kind},
                                      {"size_bytes", std::to_string(e.size_bytes)},
                                      {"sm3", e.sm3},
                                      {"note", note}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(e);
}

Result<std::vector<EvidenceView>> list_evidence(App& app, store::Store& store, const Actor& actor,
                                                int64_t application_id) {
  auto application = reachable_application(app, store, actor, application_id, false);
  if (!application) return tl::unexpected(application.error());
  auto rows = store.evidence_of(application_id);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<EvidenceView> out;
  for (const auto& e : *rows) out.push_back(view_of(e));
  return out;
}

Result<EvidenceFile> read_evidence(App& app, store::Store& store, const Actor& actor, int64_t evidence_id) {
  auto e = reachable_evidence(app, store, actor, evidence_id, false);
  if (!e) return tl::unexpected(e.error());
  if (e->removed_at_ms) return fail("NOT_FOUND", "证明材料已删除");
  const io::FileKind kind = kind_of(e->kind);
  auto bytes = app.blobs().get({e->sm3, static_cast<uint64_t>(e->size_bytes), kind});
  if (!bytes) return tl::unexpected(bytes.error());
  // A view of a family's documents is a view of personal data: recorded
  // before the bytes leave.
  if (auto ok = record(app, store, actor,
                       {"application.evidence_view", "application", std::to_string(e->application_id), "ok",
                        summary_json({{"evidence_id", std::to_string(evidence_id)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  EvidenceFile f;
  f.evidence = view_of(*e);
  f.bytes = std::move(*bytes);
  f.mime_type = std::string(io::mime_type(kind));
  f.file_name = "evidence-" + std::to_string(evidence_id) + std::string(io::file_extension(kind));
  return f;
}

Result<EvidenceView> remove_evidence(App& app, store::Store& store, const Actor& actor, int64_t evidence_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto e = reachable_evidence(app, store, actor, evidence_id, true);
  if (!e) return tl::unexpected(e.error());
  if (e->removed_at_ms) return fail("STATE_CONFLICT", "证明材料已删除");
  if (auto ok = store.remove_evidence(evidence_id, app.now_ms()); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"application.evidence_remove", "application", std::to_string(e->application_id), "ok",
                        summary_json({{"evidence_id", std::to_string(evidence_id)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  e->removed_at_ms = app.now_ms();
  return view_of(*e);
}

}  // namespace zizhu::app
