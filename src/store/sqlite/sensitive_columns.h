// The storage boundary for sensitive values in the SQLite backend: every
// sensitive column pair (`x`, `x_index`) is bound and read through these two
// functions and nothing else, so the codec (store/sensitive.h) is the one
// place that decides what is written.
#pragma once

#include <optional>

#include "store/sensitive.h"
#include "store/sqlite/db.h"

namespace zizhu::store::sqlite {

// Binds the stored form at `value_param` and the blind index at
// `index_param`; both NULL when the value is absent.
void bind_sensitive(Statement& stmt, int value_param, int index_param, const SensitiveCodec& codec,
                    SensitiveKind kind, const std::optional<SensitiveText>& value);

// Binds only the blind index, for lookups.
void bind_blind_index(Statement& stmt, int param, const SensitiveCodec& codec, SensitiveKind kind,
                      const SensitiveText& value);

// Reads and decodes the stored form at `column` (nullopt for NULL).
Result<std::optional<SensitiveText>> read_sensitive(const Statement& stmt, int column, const SensitiveCodec& codec,
                                                    SensitiveKind kind);

}  // namespace zizhu::store::sqlite
