#include "app/store_pool.h"

namespace zizhu::app {

StorePool::Lease::~Lease() {
  if (store_ && pool_ != nullptr) {
    // A transaction left open by an early return must not leak into the next
    // request that leases this connection.
    if (store_->in_transaction()) (void)store_->rollback();
    pool_->give_back(std::move(store_));
  }
}

Result<StorePool::Lease> StorePool::lease() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return !idle_.empty() || open_count_ < max_stores_; });
  if (!idle_.empty()) {
    auto store = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(store));
  }
  ++open_count_;
  lock.unlock();
  auto opened = opener_();
  if (!opened) {
    std::lock_guard relock(mutex_);
    --open_count_;
    freed_.notify_one();
    return tl::unexpected(opened.error());
  }
  return Lease(this, std::move(*opened));
}

void StorePool::give_back(std::unique_ptr<store::Store> store) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
  }
  freed_.notify_one();
}

}  // namespace zizhu::app
