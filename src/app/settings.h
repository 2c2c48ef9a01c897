// The security settings of server.md, with their defaults. The serve command
// may change them (tests shorten the timeouts to see them work); every value
// has its unit in its name.
#pragma once

#include <cstdint>

namespace zizhu::app {

struct SecuritySettings {
  // Sessions end after this long without a request, and this long in all.
  int64_t session_idle_ms = 30LL * 60 * 1000;
  int64_t session_absolute_ms = 12LL * 60 * 60 * 1000;
  // A session's last-seen time is written to the database at most this often;
  // between writes it is kept in memory (one write per request would make
  // every read a write).
  int64_t session_touch_interval_ms = 60LL * 1000;
  // Sessions read from the database are trusted from memory for this long, so
  // a logout in another process is seen within it.
  int64_t session_cache_ms = 10LL * 1000;
  // Lockout: this many failures within the window lock the account for
  // lockout_ms.
  int lockout_failures = 5;
  int64_t lockout_window_ms = 15LL * 60 * 1000;
  int64_t lockout_ms = 15LL * 60 * 1000;
  // Recovery codes handed out when TOTP is enrolled (each usable once).
  int recovery_code_count = 10;
};

}  // namespace zizhu::app
