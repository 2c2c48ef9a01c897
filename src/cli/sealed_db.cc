#include "cli/sealed_db.h"

#include <unistd.h>

#include <chrono>

#include "oversight/audit_chain.h"

namespace zizhu::cli {

Result<SealedDb> open_sealed_db(const std::string& db_path, const std::string& key_file) {
  SealedDb out;
  auto keys = crypto::KeyRing::load(key_file);
  if (!keys) return tl::unexpected(keys.error());
  out.keys = std::make_unique<crypto::KeyRing>(std::move(*keys));
  out.codec = std::make_unique<store::SealedCodec>(*out.keys);
  auto db = store::sqlite::SqliteStore::open(db_path, {.codec = out.codec.get()});
  if (!db) return tl::unexpected(db.error());
  out.store = std::move(*db);
  return out;
}

Result<void> audit_cli_action(SealedDb& db, std::string action, std::string object_type, std::string object_id,
                              std::string summary_json) {
  oversight::AuditEntry e;
  e.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  const char* login = getlogin();
  e.username = std::string("system:cli:") + (login != nullptr ? login : "unknown");
  e.org_path = "/";
  e.ip = "local";
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.summary = std::move(summary_json);
  const std::string& key_id = db.keys->active_id();
  auto key = db.keys->audit_key(key_id);
  if (!key) return tl::unexpected(key.error());
  static oversight::AuditChain chain;
  auto appended = chain.append(*db.store, e, key_id, *key);
  if (!appended) return tl::unexpected(appended.error());
  return {};
}

}  // namespace zizhu::cli
