// The application: what one running zizhu holds for its whole life — the
// keys, the database connections, the security settings, the session cache,
// the audit chain — and the one place the server and the commands get them
// from. The operations themselves live in auth.h, users.h, students.h, org.h
// and audit_log.h; each takes the App, a leased Store and the Actor.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "app/background_jobs.h"
#include "app/rate_limiter.h"
#include "app/session_cache.h"
#include "app/settings.h"
#include "app/store_pool.h"
#include "core/calendar.h"
#include "core/error.h"
#include "crypto/key_ring.h"
#include "crypto/password.h"
#include "crypto/sealed.h"
#include "store/blob_store.h"
#include "store/sealed_codec.h"

namespace zizhu::app {

struct AppOptions {
  std::string db_path;
  // The key file; empty means the ZIZHU_KEYS environment variable.
  std::string key_file;
  SecuritySettings security;
  // Database connections (one per worker thread is enough).
  size_t stores_max = 8;
  // argon2id work per password hash; tests and demo seeding use less.
  crypto::PasswordLimits password_limits = crypto::PasswordLimits::interactive();
  // Logins allowed per client address per minute (0 = no limit), besides the
  // per-account lockout.
  int login_rate_per_minute = 30;
  // Where evidence files are kept (encrypted); empty means `<db_path>.files`.
  std::string files_dir;
  // The working-day calendar (docs/calendar.md); empty means the copy of
  // data/calendar/cn-public-holidays.csv compiled in.
  std::string calendar_file;
  // Requests per client address per minute on the public write routes
  // (objections, anonymous feedback); 0 = no limit.
  int public_write_rate_per_minute = 10;
  // Lets `PUT /api/v1/test/clock` move the server's clock (scenario tests
  // that cross an announcement period). Never on in the demo or production.
  bool test_clock = false;
};

class App {
 public:
  // Loads the keys, opens (and migrates) the database once to fail early, and
  // loads the list of common passwords.
  static Result<std::unique_ptr<App>> open(AppOptions options);

  Result<StorePool::Lease> store() { return pool_->lease(); }
  // Opens a separate store (for commands that run outside the pool).
  Result<std::unique_ptr<store::Store>> open_store() const;

  const SecuritySettings& security() const { return options_.security; }
  const crypto::KeyRing& keys() const { return *keys_; }
  // Evidence files, encrypted under the same key ring (store/blob_store.h).
  const store::BlobStore& blobs() const { return *blobs_; }
  const crypto::Sealer& sealer() const { return *sealer_; }
  const store::SensitiveCodec& codec() const { return *codec_; }
  const crypto::PasswordHasher& hasher() const { return hasher_; }
  const crypto::CommonPasswords& common_passwords() const { return *common_; }
  SessionCache& sessions() { return sessions_; }
  RateLimiter& login_limiter() { return login_limiter_; }
  // The public write routes (objections, anonymous feedback), per address.
  RateLimiter& public_limiter() { return public_limiter_; }
  const WorkCalendar& calendar() const { return calendar_; }
  bool test_clock() const { return options_.test_clock; }
  const std::string& db_path() const { return options_.db_path; }
  // Long work run off the request threads (identification runs).
  BackgroundJobs& jobs() { return *jobs_; }

  // Milliseconds since the Unix epoch. Replaceable for tests.
  int64_t now_ms() const { return clock_() + clock_offset_ms_.load(std::memory_order_relaxed); }
  void set_clock(std::function<int64_t()> clock) { clock_ = std::move(clock); }
  // Moves the clock by an offset (the test clock route; thread-safe).
  void set_clock_offset_ms(int64_t offset_ms) { clock_offset_ms_.store(offset_ms, std::memory_order_relaxed); }
  int64_t clock_offset_ms() const { return clock_offset_ms_.load(std::memory_order_relaxed); }

  // A hash of a random password, verified when the user name is unknown so
  // that a login takes as long for a name that does not exist.
  const std::string& decoy_hash() const { return decoy_hash_; }

 private:
  App(AppOptions options, std::unique_ptr<crypto::KeyRing> keys, const crypto::CommonPasswords* common);

  AppOptions options_;
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<crypto::Sealer> sealer_;
  std::unique_ptr<store::SensitiveCodec> codec_;
  crypto::PasswordHasher hasher_;
  const crypto::CommonPasswords* common_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<store::BlobStore> blobs_;
  SessionCache sessions_;
  RateLimiter login_limiter_;
  RateLimiter public_limiter_;
  WorkCalendar calendar_;
  std::function<int64_t()> clock_;
  std::atomic<int64_t> clock_offset_ms_{0};
  std::string decoy_hash_;
  // Last, so that it goes first: a running job still uses the pool and keys.
  std::unique_ptr<BackgroundJobs> jobs_;
};

}  // namespace zizhu::app
