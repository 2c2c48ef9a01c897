// Durable ledger transfers per second through the persisted path
// (funds::submit_transfers on SQLite: load -> apply -> write -> commit), in
// batches of 8190 against the same transfers one SQL transaction each
// (issue 6). Run with the store's settings (WAL, synchronous=NORMAL: an
// application crash loses nothing, a power cut may lose the last commits) and
// with synchronous=FULL (every commit fsynced).
//
// Each round measures batched, then one per transaction, each on a fresh
// database (10,000 payee accounts, same transfers: a fixed seed), so the two
// modes alternate under the same machine load; the summary gives the median,
// min and max of the rounds and the ratio of the medians. Every transfer must
// be accepted (`ok`), or the run stops.
//
//   build/bench/ledger_bench [TRANSFERS_BATCHED [TRANSFERS_SINGLE [ROUNDS]]]
//     defaults 245700 (30 batches of 8190), 3000, 3
//   ZIZHU_BENCH_DIR sets the folder for the database (default: the temp folder)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "funds/ledger_service.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using zizhu::funds::LedgerAccount;
using zizhu::funds::LedgerTransfer;
using zizhu::store::sqlite::SqliteStore;

constexpr int64_t kSource = 1;
constexpr int64_t kFirstPayee = 100;
constexpr int64_t kPayees = 10'000;

struct Rng {
  uint64_t s = 88172645463325252ull;
  uint64_t below(uint64_t n) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s % n;
  }
};

std::unique_ptr<SqliteStore> fresh(const std::string& path, bool full_sync) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
  auto db = SqliteStore::open(path);
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().message.c_str());
    std::exit(2);
  }
  if (full_sync && !(*db)->connection().exec("PRAGMA synchronous = FULL")) std::exit(2);
  auto org = (*db)->upsert_org_node({std::nullopt, zizhu::store::OrgKind::kProvince, "620000", "甘肃省"});
  if (!org) std::exit(2);
  std::vector<LedgerAccount> chart;
  LedgerAccount a;
  a.org_id = org->id;
  a.id = kSource;
  a.kind = zizhu::store::LedgerAccountKind::kSourceCentral;
  chart.push_back(a);
  for (int64_t i = 0; i < kPayees; ++i) {
    a.id = kFirstPayee + i;
    a.kind = zizhu::store::LedgerAccountKind::kPayable;
    chart.push_back(a);
    if (chart.size() == zizhu::funds::kBatchTransfersMax) {
      if (!zizhu::funds::create_accounts(**db, chart, 1)) std::exit(2);
      chart.clear();
    }
  }
  if (!chart.empty() && !zizhu::funds::create_accounts(**db, chart, 1)) std::exit(2);
  return std::move(*db);
}

std::vector<LedgerTransfer> transfers(int64_t n) {
  Rng rng;
  std::vector<LedgerTransfer> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    LedgerTransfer& t = out[static_cast<size_t>(i)];
    t.id = i + 1;
    t.debit_account_id = kSource;
    t.credit_account_id = kFirstPayee + static_cast<int64_t>(rng.below(kPayees));
    t.amount_fen = 1 + static_cast<int64_t>(rng.below(500'000));
    t.code = zizhu::store::TransferCode::kPayment;
    t.source = "中央财政";
    t.user_id = 1;
  }
  return out;
}

// Transfers per second, submitting `batch` at a time on a fresh database.
// Only the submitting is timed (not creating the accounts).
double run(const std::string& path, bool full_sync, int64_t n, size_t batch) {
  auto db = fresh(path, full_sync);
  const auto all = transfers(n);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < all.size(); i += batch) {
    const size_t len = std::min(batch, all.size() - i);
    auto r = zizhu::funds::submit_transfers(*db, std::span(all).subspan(i, len), 1);
    if (!r) {
      std::fprintf(stderr, "submit: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    if (r->created.size() != len) {  // a refused transfer would make the figure meaningless
      std::fprintf(stderr, "submit: %zu of %zu transfers accepted\n", r->created.size(), len);
      std::exit(1);
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(n) / s;
}

// The command-line number at argv[i], or `fallback`; exits when outside [lo, hi].
int64_t arg(int argc, char** argv, int i, int64_t fallback, int64_t lo, int64_t hi) {
  if (argc <= i) return fallback;
  char* end = nullptr;
  const long long v = std::strtoll(argv[i], &end, 10);
  if (end == argv[i] || *end != '\0' || v < lo || v > hi) {
    std::fprintf(stderr, "argument %d must be a number from %lld to %lld\n", i, static_cast<long long>(lo),
                 static_cast<long long>(hi));
    std::exit(2);
  }
  return v;
}

struct Summary {
  double median, min, max;
};

Summary summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {median, v.front(), v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t batched = arg(argc, argv, 1, 245'700, 1, 10'000'000);
  const int64_t single = arg(argc, argv, 2, 3000, 1, 1'000'000);
  const int64_t rounds = arg(argc, argv, 3, 3, 1, 20);
  const char* dir_env = std::getenv("ZIZHU_BENCH_DIR");
  const std::string dir = dir_env != nullptr ? dir_env : std::filesystem::temp_directory_path().string();
  const std::string path = dir + "/zizhu-ledger-bench-" + std::to_string(getpid()) + ".db";
  std::printf("durable transfers through funds::submit_transfers on SQLite WAL, database in %s\n", dir.c_str());
  std::printf("%lld transfers batched (8190 a batch), %lld one per transaction, %lld rounds\n",
              static_cast<long long>(batched), static_cast<long long>(single), static_cast<long long>(rounds));
  for (const bool full : {false, true}) {
    const char* sync = full ? "FULL" : "NORMAL";
    std::vector<double> b_rates;
    std::vector<double> one_rates;
    for (int64_t r = 1; r <= rounds; ++r) {
      const double b = run(path, full, batched, zizhu::funds::kBatchTransfersMax);
      const double one = run(path, full, single, 1);
      b_rates.push_back(b);
      one_rates.push_back(one);
      std::printf("synchronous=%-6s round %lld: batched %10.0f/s  one per txn %8.0f/s  ratio %6.1fx\n", sync,
                  static_cast<long long>(r), b, one, b / one);
      std::fflush(stdout);
    }
    const Summary b = summarize(b_rates);
    const Summary one = summarize(one_rates);
    std::printf(
        "synchronous=%-6s median:  batched %10.0f/s (min %.0f, max %.0f)  one per txn %8.0f/s (min %.0f, max %.0f)"
        "  ratio of medians %.1fx\n",
        sync, b.median, b.min, b.max, one.median, one.min, one.max, b.median / one.median);
    std::fflush(stdout);
  }
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
  return 0;
}
