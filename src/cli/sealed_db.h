// Opening the database from a command with the installation's keys: every
// command that writes personal data seals it (store/sealed_codec.h), so none
// may open the database without the key ring.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "crypto/key_ring.h"
#include "store/sealed_codec.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

struct SealedDb {
  std::unique_ptr<crypto::KeyRing> keys;
  std::unique_ptr<store::SealedCodec> codec;
  std::unique_ptr<store::sqlite::SqliteStore> store;  // declared last: destroyed first
};

// `key_file` when given, else the ZIZHU_KEYS environment variable.
Result<SealedDb> open_sealed_db(const std::string& db_path, const std::string& key_file);

// Records a command-line action in the audit chain (user "system:cli", the
// operating-system user in the summary), as the server records a user's.
Result<void> audit_cli_action(SealedDb& db, std::string action, std::string object_type, std::string object_id,
                              std::string summary_json);

}  // namespace zizhu::cli
