#include "app/users.h"

#include <algorithm>
#include <cctype>

#include "app/audit_log.h"
#include "app/auth.h"
#include "app/errors.h"
#include "crypto/password.h"
#include "crypto/random.h"

namespace zizhu::app {

namespace {

constexpr size_t kUsernameBytesMax = 64;
constexpr size_t kDisplayNameBytesMax = 100;

std::string join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t j = std::min(text.find(' ', i), text.size());
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Result<UserView> view_of(store::Store& store, const store::User& u, int64_t now_ms) {
  auto node = store.get_org_node(u.org_id);
  if (!node) return tl::unexpected(node.error());
  UserView v;
  v.id = u.id;
  v.username = u.username;
  v.display_name = u.display_name;
  if (*node) {
    v.org_code = (*node)->code;
    v.org_name = (*node)->name;
  }
  v.roles = u.roles;
  v.disabled = u.disabled;
  v.locked = u.locked_until_ms && *u.locked_until_ms > now_ms;
  v.totp_enabled = u.totp_enabled;
  v.must_change_password = u.must_change_password;
  return v;
}

// The user, if inside the actor's subtree.
Result<store::User> visible_user(store::Store& store, const Actor& actor, int64_t user_id) {
  auto found = store.get_user(user_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("NOT_FOUND", "用户不存在");
  auto node = store.get_org_node((*found)->org_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node || !actor.in_scope((*node)->path)) return fail("NOT_FOUND", "用户不存在");
  return std::move(**found);
}

Result<RoleSet> parse_roles(const std::vector<std::string>& keys) {
  RoleSet set;
  for (const auto& k : keys) {
    auto role = parse_role(k);
    if (!role) return field_error("BAD_VALUE", "未知角色：" + k, "roles");
    set.add(*role);
  }
  return set;
}

std::vector<std::string> role_keys(RoleSet set) {
  std::vector<std::string> out;
  for (Role r : set.list()) out.emplace_back(role_key(r));
  return out;
}

bool valid_username(std::string_view name) {
  if (name.size() < 3 || name.size() > kUsernameBytesMax) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

std::string make_temporary_password() {
  // 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    std::string out;
    for (int group = 0; group < 4; ++group) {
      if (group > 0) out.push_back('-');
      for (int i = 0; i < 4; ++i) out.push_back(kAlphabet[crypto::random_below(static_cast<uint32_t>(kAlphabet.size()))]);
    }
    // A random string may still fall foul of a rule (e.g. one repeated
    // character); draw again.
    if (crypto::check_password_rules(out, "", crypto::CommonPasswords::from_lines(""))) return out;
  }
}

Result<Page<UserView>> list_users(App& app, store::Store& store, const Actor& actor, const UserQuery& query,
                                  const PageRequest& page) {
  store::UserFilter filter;
  filter.username_contains = query.username_contains;
  if (query.org_code) {
    auto node = store.find_org_node(*query.org_code);
    if (!node) return tl::unexpected(node.error());
    if (!*node || !actor.in_scope((*node)->path)) return Page<UserView>{};
    filter.org_id = (*node)->id;
  }
  auto found = store.list_users(actor.org_path, filter, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  Page<UserView> out;
  out.total = found->total;
  for (const auto& u : found->items) {
    auto v = view_of(store, u, app.now_ms());
    if (!v) return tl::unexpected(v.error());
    out.items.push_back(std::move(*v));
  }
  return out;
}

Result<UserView> get_user(App& app, store::Store& store, const Actor& actor, int64_t user_id) {
  auto u = visible_user(store, actor, user_id);
  if (!u) return tl::unexpected(u.error());
  return view_of(store, *u, app.now_ms());
}

Result<CreatedUser> create_user(App& app, store::Store& store, const Actor& actor, const NewUser& input) {
  std::string username;
  for (char c : input.username) username.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (!valid_username(username)) {
    return field_error("BAD_VALUE", "用户名须为 3-64 个小写字母、数字或 . _ -", "username");
  }
  if (input.display_name.empty() || input.display_name.size() > kDisplayNameBytesMax) {
    return field_error("BAD_VALUE", "姓名不能为空，且不超过 100 字节", "display_name");
  }
  auto roles = parse_roles(input.roles);
  if (!roles) return tl::unexpected(roles.error());
  auto node = store.find_org_node(input.org_code);
  if (!node) return tl::unexpected(node.error());
  if (!*node || !actor.in_scope((*node)->path)) return field_error("NOT_FOUND", "机构不存在", "org_code");
  if (auto ok = check_role_assignment(*roles, (*node)->kind); !ok) {
    return field_error(ok.error().code, ok.error().message, "roles");
  }
  if (roles->has(Role::kGuardian) && !input.guardian_id) {
    return field_error("BAD_VALUE", "监护人账号须关联监护人信息", "guardian_id");
  }
  const std::string password = input.password.value_or(make_temporary_password());
  if (auto ok = crypto::check_password_rules(password, username, app.common_passwords()); !ok) {
    return field_error(ok.error().code, ok.error().message, "password");
  }
  auto hash = app.hasher().hash(password);
  if (!hash) return tl::unexpected(hash.error());

  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto existing = store.find_user_by_username(username);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) return field_error("CONFLICT", "用户名已存在", "username");
  store::UserInput u;
  u.username = username;
  u.display_name = input.display_name;
  u.org_id = (*node)->id;
  u.password_hash = *hash;
  u.must_change_password = input.must_change_password;
  u.guardian_id = input.guardian_id;
  u.roles = role_keys(*roles);
  u.created_at_ms = app.now_ms();
  auto id = store.create_user(u);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {"user.create", "user", std::to_string(*id), "ok",
                        summary_json({{"username", username}, {"org", input.org_code}, {"roles", join(u.roles, ',')}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto created = store.get_user(*id);
  if (!created) return tl::unexpected(created.error());
  if (!*created) return fail("INTERNAL", "用户创建后未找到");
  auto view = view_of(store, **created, app.now_ms());
  if (!view) return tl::unexpected(view.error());
  return CreatedUser{std::move(*view), input.password ? std::string() : password};
}

Result<UserView> set_user_roles(App& app, store::Store& store, const Actor& actor, int64_t user_id,
                                const std::vector<std::string>& keys) {
  auto roles = parse_roles(keys);
  if (!roles) return tl::unexpected(roles.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto u = visible_user(store, actor, user_id);
  if (!u) return tl::unexpected(u.error());
  auto node = store.get_org_node(u->org_id);
  if (!node) return tl::unexpected(node.error());
  if (auto ok = check_role_assignment(*roles, (*node)->kind); !ok) {
    return field_error(ok.error().code, ok.error().message, "roles");
  }
  if (roles->has(Role::kGuardian) != (u->guardian_id.has_value())) {
    return field_error("ROLE_CONFLICT", "监护人角色只能属于关联了监护人信息的账号", "roles");
  }
  if (user_id == actor.user_id) return field_error("ROLE_CONFLICT", "不能修改自己的角色", "roles");
  const auto new_keys = role_keys(*roles);
  if (auto ok = store.set_user_roles(user_id, new_keys); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"user.roles", "user", std::to_string(user_id), "ok",
                        summary_json({{"from", join(u->roles, ',')}, {"to", join(new_keys, ',')}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  app.sessions().erase_user(user_id);  // new roles take effect at the next request
  return get_user(app, store, actor, user_id);
}

Result<UserView> set_user_disabled(App& app, store::Store& store, const Actor& actor, int64_t user_id, bool disabled) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto u = visible_user(store, actor, user_id);
  if (!u) return tl::unexpected(u.error());
  if (user_id == actor.user_id) return fail("STATE_CONFLICT", "不能停用自己的账号");
  if (auto ok = store.set_user_disabled(user_id, disabled); !ok) return tl::unexpected(ok.error());
  if (disabled) {
    if (auto ok = store.end_user_sessions(user_id, app.now_ms(), "disabled", ""); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor, {disabled ? "user.disable" : "user.enable", "user", std::to_string(user_id)});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  app.sessions().erase_user(user_id);
  return get_user(app, store, actor, user_id);
}

Result<CreatedUser> reset_password(App& app, store::Store& store, const Actor& actor, int64_t user_id) {
  const std::string password = make_temporary_password();
  auto hash = app.hasher().hash(password);
  if (!hash) return tl::unexpected(hash.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto u = visible_user(store, actor, user_id);
  if (!u) return tl::unexpected(u.error());
  const int64_t now = app.now_ms();
  if (auto ok = store.set_password(user_id, *hash, true, now); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.end_user_sessions(user_id, now, "password_reset", ""); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"user.reset_password", "user", std::to_string(user_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  app.sessions().erase_user(user_id);
  auto view = get_user(app, store, actor, user_id);
  if (!view) return tl::unexpected(view.error());
  return CreatedUser{std::move(*view), password};
}

Result<UserView> unlock_user(App& app, store::Store& store, const Actor& actor, int64_t user_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto u = visible_user(store, actor, user_id);
  if (!u) return tl::unexpected(u.error());
  // No lock, and failures so far no longer count towards the next one
  // (store.h set_lockout; auth.cc note_failure).
  if (auto ok = store.set_lockout(user_id, std::nullopt); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"user.unlock", "user", std::to_string(user_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_user(app, store, actor, user_id);
}

bool api_scope_allowed(std::string_view key) {
  // Another department's system reads, imports rosters, or sends its list
  // (民政局's 低保 list straight into the cycle).
  return key == "org.read" || key == "school.read" || key == "student.read" || key == "student.import" ||
         key == "list.import";
}

namespace {

Result<ApiTokenView> token_view(store::Store& store, const store::ApiToken& t) {
  auto node = store.get_org_node(t.org_id);
  if (!node) return tl::unexpected(node.error());
  ApiTokenView v;
  v.id = t.id;
  v.name = t.name;
  if (*node) v.org_code = (*node)->code;
  v.scopes = split(t.scopes);
  v.created_at_ms = t.created_at_ms;
  v.expires_at_ms = t.expires_at_ms;
  v.revoked_at_ms = t.revoked_at_ms;
  v.last_used_at_ms = t.last_used_at_ms;
  return v;
}

}  // namespace

Result<std::vector<ApiTokenView>> list_api_tokens(App&, store::Store& store, const Actor& actor) {
  auto found = store.list_api_tokens(actor.org_path);
  if (!found) return tl::unexpected(found.error());
  std::vector<ApiTokenView> out;
  for (const auto& t : *found) {
    auto v = token_view(store, t);
    if (!v) return tl::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<CreatedApiToken> create_api_token(App& app, store::Store& store, const Actor& actor, const NewApiToken& input) {
  if (input.name.empty() || input.name.size() > kDisplayNameBytesMax) {
    return field_error("BAD_VALUE", "令牌名称不能为空，且不超过 100 字节", "name");
  }
  if (input.scopes.empty()) return field_error("BAD_VALUE", "至少选择一个权限", "scopes");
  for (const auto& s : input.scopes) {
    if (!api_scope_allowed(s)) return field_error("BAD_VALUE", "接口令牌不能授予此权限：" + s, "scopes");
  }
  if (input.expires_in_days && (*input.expires_in_days < 1 || *input.expires_in_days > 366)) {
    return field_error("BAD_VALUE", "有效期须为 1-366 天", "expires_in_days");
  }
  const int64_t now = app.now_ms();
  CreatedApiToken out;
  out.secret = "zt_" + crypto::random_token(32);
  store::ApiTokenInput t;
  t.name = input.name;
  t.token_hash = token_hash(out.secret);
  t.org_id = actor.org_id;
  t.scopes = join(input.scopes, ' ');
  if (actor.user_id != 0) t.created_by = actor.user_id;  // the command line and the demo have no user
  t.created_at_ms = now;
  if (input.expires_in_days) t.expires_at_ms = now + *input.expires_in_days * 24 * 3600 * 1000;
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto id = store.create_api_token(t);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {"api_token.create", "api_token", std::to_string(*id), "ok",
                        summary_json({{"name", input.name}, {"scopes", t.scopes}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto created = store.get_api_token(*id);
  if (!created) return tl::unexpected(created.error());
  if (!*created) return fail("INTERNAL", "令牌创建后未找到");
  auto v = token_view(store, **created);
  if (!v) return tl::unexpected(v.error());
  out.token = std::move(*v);
  return out;
}

Result<ApiTokenView> revoke_api_token(App& app, store::Store& store, const Actor& actor, int64_t token_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = store.get_api_token(token_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("NOT_FOUND", "令牌不存在");
  auto node = store.get_org_node((*found)->org_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node || !actor.in_scope((*node)->path)) return fail("NOT_FOUND", "令牌不存在");
  if ((*found)->revoked_at_ms) return fail("STATE_CONFLICT", "令牌已吊销");
  if (auto ok = store.revoke_api_token(token_id, app.now_ms()); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"api_token.revoke", "api_token", std::to_string(token_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto after = store.get_api_token(token_id);
  if (!after || !*after) return fail("INTERNAL", "令牌吊销后未找到");
  return token_view(store, **after);
}

}  // namespace zizhu::app
