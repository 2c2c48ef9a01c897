// Sessions recently seen, in memory, so that an authenticated GET costs no
// database read and no write: the database holds the truth (session table),
// the cache holds a copy for at most SecuritySettings::session_cache_ms and
// the last-seen time, written back at most once per touch interval.
// Bounded (entries_max); thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/actor.h"

namespace zizhu::app {

struct SessionEntry {
  std::string token_hash;  // the key: SM3 hex of the cookie token
  std::string csrf_hash;   // SM3 hex of the session's anti-CSRF token
  int64_t created_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  int64_t last_written_ms = 0;  // last_seen as the database has it
  int64_t loaded_at_ms = 0;     // when this copy was read from the database
  bool second_factor_passed = false;
  Actor actor;  // the user, roles and organisation as loaded
};

class SessionCache {
 public:
  explicit SessionCache(size_t entries_max = 200000) : entries_max_(entries_max) {}

  std::optional<SessionEntry> find(const std::string& token_hash);
  void put(SessionEntry entry);
  // Records a request at now_ms; returns true when the database copy of
  // last_seen is older than `write_interval_ms` (the caller then writes it
  // and calls written()).
  bool touch(const std::string& token_hash, int64_t now_ms, int64_t write_interval_ms);
  void written(const std::string& token_hash, int64_t at_ms);
  void erase(const std::string& token_hash);
  // Every session of a user (disabled, password changed, roles changed).
  void erase_user(int64_t user_id);

 private:
  std::mutex mutex_;
  size_t entries_max_;
  std::unordered_map<std::string, SessionEntry> entries_;
};

}  // namespace zizhu::app
