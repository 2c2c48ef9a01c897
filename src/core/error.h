// Expected errors as values (LevelDB's Status habit): every function that can
// fail on outside input returns Result<T>; exceptions never cross a layer.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace zizhu {

// Where a fault was found in outside input. Empty parts are not known or not
// relevant (a policy key has no row; a whole-file fault has no column).
struct Location {
  std::string file;
  long row = 0;         // 1-based, as a spreadsheet shows it (header is row 1); 0 = none
  std::string column;   // the header as written in the file, or a policy key
};

struct Error {
  std::string code;     // stable, for programs: "BAD_ID", "IO", "POLICY", ...
  std::string message;  // for people; names the file, row and column when known
  Location where;

  static Error make(std::string code_, std::string message_, Location where_ = {}) {
    return Error{std::move(code_), std::move(message_), std::move(where_)};
  }
  // "file:row: column: message" with the parts that are known.
  std::string describe() const;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string code, std::string message, Location where = {}) {
  return tl::unexpected<Error>(Error::make(std::move(code), std::move(message), std::move(where)));
}

}  // namespace zizhu
