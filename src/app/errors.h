// Errors of the application layer that name the field they concern, so that
// the API answers with it and the front end shows the message beside it.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace zizhu::app {

inline tl::unexpected<Error> field_error(std::string code, std::string message, std::string field) {
  Error e = Error::make(std::move(code), std::move(message));
  e.where.column = std::move(field);
  return tl::unexpected(std::move(e));
}

// Free text that users type and that is kept in the database and the audit
// log (a reveal's reason, a decision's reason, a flag's resolution): a run of
// six or more digits is refused (BAD_VALUE naming `field`), so that no ID
// number or bank card reaches the log through it.
inline Result<void> refuse_id_like_digits(std::string_view text, std::string field) {
  size_t digits = 0;
  for (char ch : text) {
    digits = (ch >= '0' && ch <= '9') ? digits + 1 : 0;
    if (digits >= 6) return field_error("BAD_VALUE", "请不要填写证件号、卡号等个人信息", std::move(field));
  }
  return {};
}

}  // namespace zizhu::app
