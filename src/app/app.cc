#include "app/app.h"

#include <chrono>

#include "crypto/random.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::embedded {
std::string_view default_calendar_csv();  // data/calendar/cn-public-holidays.csv, compiled in
}  // namespace zizhu::embedded

namespace zizhu::app {

namespace {

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

App::App(AppOptions options, std::unique_ptr<crypto::KeyRing> keys, const crypto::CommonPasswords* common)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      sealer_(std::make_unique<crypto::Sealer>(*keys_)),
      codec_(std::make_unique<store::SealedCodec>(*keys_)),
      hasher_(options_.password_limits),
      common_(common),
      login_limiter_(options_.login_rate_per_minute, std::max(1, options_.login_rate_per_minute / 2)),
      public_limiter_(options_.public_write_rate_per_minute, std::max(1, options_.public_write_rate_per_minute / 2)),
      clock_(system_now_ms) {
  pool_ = std::make_unique<StorePool>([this] { return open_store(); }, options_.stores_max);
  jobs_ = std::make_unique<BackgroundJobs>([this] { return now_ms(); });
}

Result<std::unique_ptr<App>> App::open(AppOptions options) {
  if (options.db_path.empty()) return fail("ARGS", "没有指定数据库 (no --db)");
  auto keys = crypto::KeyRing::load(options.key_file);
  if (!keys) return tl::unexpected(keys.error());
  // Fail closed: without the list no password can be judged.
  auto common = crypto::default_common_passwords();
  if (!common) return tl::unexpected(common.error());
  std::unique_ptr<App> app(
      new App(std::move(options), std::make_unique<crypto::KeyRing>(std::move(*keys)), *common));
  auto calendar = app->options_.calendar_file.empty()
                      ? WorkCalendar::parse(embedded::default_calendar_csv(), "data/calendar/cn-public-holidays.csv")
                      : WorkCalendar::load(app->options_.calendar_file);
  if (!calendar) return tl::unexpected(calendar.error());
  app->calendar_ = std::move(*calendar);
  const std::string files = app->options_.files_dir.empty() ? app->options_.db_path + ".files" : app->options_.files_dir;
  auto blobs = store::BlobStore::open(files, *app->keys_);
  if (!blobs) return tl::unexpected(blobs.error());
  app->blobs_ = std::make_unique<store::BlobStore>(std::move(*blobs));
  // Opening once applies the migrations before any request runs.
  auto first = app->pool_->lease();
  if (!first) return tl::unexpected(first.error());
  auto decoy = app->hasher_.hash(crypto::random_token(16));
  if (!decoy) return tl::unexpected(decoy.error());
  app->decoy_hash_ = std::move(*decoy);
  return app;
}

Result<std::unique_ptr<store::Store>> App::open_store() const {
  store::sqlite::SqliteOptions o;
  o.codec = codec_.get();
  auto opened = store::sqlite::SqliteStore::open(options_.db_path, o);
  if (!opened) return tl::unexpected(opened.error());
  return std::unique_ptr<store::Store>(std::move(*opened));
}

}  // namespace zizhu::app
