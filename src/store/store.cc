#include "store/store.h"

namespace zizhu::store {

Result<Transaction> Transaction::begin(Store& store) {
  if (auto ok = store.begin(); !ok) return tl::unexpected(ok.error());
  return Transaction(&store);
}

Transaction::Transaction(Transaction&& other) noexcept : store_(other.store_) { other.store_ = nullptr; }

Transaction::~Transaction() {
  if (store_ != nullptr) {
    // Nothing useful can be done with a failed rollback here; the database
    // itself discards an unfinished transaction when the connection closes.
    (void)store_->rollback();
  }
}

Result<void> Transaction::commit() {
  if (store_ == nullptr) return fail("DB", "事务已结束 (transaction already finished)");
  Store* store = store_;
  store_ = nullptr;
  auto ok = store->commit();
  if (!ok) {
    (void)store->rollback();
    return ok;
  }
  return {};
}

}  // namespace zizhu::store
