#include "app/notices.h"

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"

namespace zizhu::app {

namespace {

NoticeView view_of(const store::Notice& t) {
  return {t.id,   t.county_code, t.county_name, t.title, t.body, china_date(t.published_at_ms).iso(), t.published_at_ms,
          t.withdrawn_at_ms.has_value()};
}

}  // namespace

Result<NoticeView> publish_notice(App& app, store::Store& store, const Actor& actor, std::string_view title,
                                  std::string_view body) {
  if (actor.org_kind != store::OrgKind::kCounty) return fail("RULE", "政策公告由区县资助中心发布：当前账号不属于区县");
  if (title.empty() || title.size() > kNoticeTitleBytesMax) {
    return field_error("BAD_VALUE", "标题不能为空，且不超过 200 字节", "title");
  }
  if (body.empty() || body.size() > kNoticeBodyBytesMax) {
    return field_error("BAD_VALUE", "正文不能为空，且不超过 20000 字节", "body");
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  store::Notice t;
  t.county_id = actor.org_id;
  t.title = std::string(title);
  t.body = std::string(body);
  if (actor.user_id != 0) t.published_by = actor.user_id;
  t.published_at_ms = app.now_ms();
  auto id = store.add_notice(t);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor, {"notice.publish", "notice", std::to_string(*id), "ok",
                                           summary_json({{"title", title}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto saved = store.get_notice(*id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "公告保存后未找到");
  return view_of(**saved);
}

Result<NoticeView> withdraw_notice(App& app, store::Store& store, const Actor& actor, int64_t notice_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto t = store.get_notice(notice_id);
  if (!t) return tl::unexpected(t.error());
  if (!*t || !actor.in_scope((*t)->county_path)) return fail("NOT_FOUND", "公告不存在");
  if ((*t)->withdrawn_at_ms) return fail("STATE_CONFLICT", "公告已撤下");
  if (auto ok = store.withdraw_notice(notice_id, app.now_ms()); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"notice.withdraw", "notice", std::to_string(notice_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  (*t)->withdrawn_at_ms = app.now_ms();
  return view_of(**t);
}

Result<std::vector<NoticeView>> list_notices(App&, store::Store& store, const Actor& actor) {
  auto found = store.notices_for(actor.org_path, true, 500);
  if (!found) return tl::unexpected(found.error());
  std::vector<NoticeView> out;
  for (const auto& t : *found) out.push_back(view_of(t));
  return out;
}

Result<std::vector<NoticeView>> public_notices(App&, store::Store& store,
                                               const std::optional<std::string>& county_code) {
  std::string path = "/";
  if (county_code) {
    auto county = store.find_org_node(*county_code);
    if (!county) return tl::unexpected(county.error());
    if (!*county || (*county)->kind != store::OrgKind::kCounty) return std::vector<NoticeView>();
    path = (*county)->path;
  }
  auto found = store.notices_for(path, false, kPublicNoticesMax);
  if (!found) return tl::unexpected(found.error());
  std::vector<NoticeView> out;
  for (const auto& t : *found) out.push_back(view_of(t));
  return out;
}

}  // namespace zizhu::app
