#include "store/sqlite/sensitive_columns.h"

namespace zizhu::store::sqlite {

void bind_sensitive(Statement& stmt, int value_param, int index_param, const SensitiveCodec& codec,
                    SensitiveKind kind, const std::optional<SensitiveText>& value) {
  if (!value) {
    stmt.bind_null(value_param).bind_null(index_param);
    return;
  }
  stmt.bind_text(value_param, codec.encode_for_storage(kind, value->plain()));
  stmt.bind_text(index_param, codec.blind_index(kind, value->plain()));
}

void bind_blind_index(Statement& stmt, int param, const SensitiveCodec& codec, SensitiveKind kind,
                      const SensitiveText& value) {
  stmt.bind_text(param, codec.blind_index(kind, value.plain()));
}

Result<std::optional<SensitiveText>> read_sensitive(const Statement& stmt, int column, const SensitiveCodec& codec,
                                                    SensitiveKind kind) {
  if (stmt.is_null(column)) return std::optional<SensitiveText>();
  auto plain = codec.decode(kind, stmt.text_at(column));
  if (!plain) return tl::unexpected(plain.error());
  return std::optional<SensitiveText>(SensitiveText(std::move(*plain)));
}

}  // namespace zizhu::store::sqlite
