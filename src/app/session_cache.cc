#include "app/session_cache.h"

namespace zizhu::app {

std::optional<SessionEntry> SessionCache::find(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void SessionCache::put(SessionEntry entry) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= entries_max_ && !entries_.contains(entry.token_hash)) {
    // Full: drop everything. Each session is then read again from the
    // database once; nothing is lost but a little time.
    entries_.clear();
  }
  std::string key = entry.token_hash;
  entries_.insert_or_assign(std::move(key), std::move(entry));
}

bool SessionCache::touch(const std::string& token_hash, int64_t now_ms, int64_t write_interval_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return false;
  if (now_ms > it->second.last_seen_at_ms) it->second.last_seen_at_ms = now_ms;
  return now_ms - it->second.last_written_ms >= write_interval_ms;
}

void SessionCache::written(const std::string& token_hash, int64_t at_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it != entries_.end()) it->second.last_written_ms = at_ms;
}

void SessionCache::erase(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  entries_.erase(token_hash);
}

void SessionCache::erase_user(int64_t user_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [user_id](const auto& kv) { return kv.second.actor.user_id == user_id; });
}

}  // namespace zizhu::app
