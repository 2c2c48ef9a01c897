// Errors of the application layer that name the field they concern, so that
// the API answers with it and the front end shows the message beside it.
#pragma once

#include <string>
#include <utility>

#include "core/error.h"

namespace zizhu::app {

inline tl::unexpected<Error> field_error(std::string code, std::string message, std::string field) {
  Error e = Error::make(std::move(code), std::move(message));
  e.where.column = std::move(field);
  return tl::unexpected(std::move(e));
}

}  // namespace zizhu::app
