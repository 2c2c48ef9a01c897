// Database connections for the worker threads. Each request leases one Store
// (one SQLite connection) for its duration and gives it back; SQLite's WAL lets
// the readers run side by side while writes take turns. Bounded: at most
// `max_stores` connections exist, and a lease waits for a free one.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

class StorePool {
 public:
  using Opener = std::function<Result<std::unique_ptr<store::Store>>()>;
  StorePool(Opener opener, size_t max_stores) : opener_(std::move(opener)), max_stores_(max_stores) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<store::Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    store::Store& operator*() const { return *store_; }
    store::Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> store_;
  };

  // A store for this thread to use until the lease ends. Opens a new
  // connection while fewer than max_stores exist; otherwise waits.
  Result<Lease> lease();

 private:
  void give_back(std::unique_ptr<store::Store> store);

  Opener opener_;
  size_t max_stores_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<store::Store>> idle_;
  size_t open_count_ = 0;
};

}  // namespace zizhu::app
