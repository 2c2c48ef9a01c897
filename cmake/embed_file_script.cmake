# cmake -DIN=<file> -DOUT=<file.cc> -DSYMBOL=<name> -P embed_file_script.cmake
# Writes the bytes of IN as a char array (hex, so any content is safe).
if(NOT IN OR NOT OUT OR NOT SYMBOL)
  message(FATAL_ERROR "usage: cmake -DIN=<file> -DOUT=<file.cc> -DSYMBOL=<name> -P embed_file_script.cmake")
endif()
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(([^,]*,){24})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/embed_file_script.cmake; do not edit.\n"
  "#include <string_view>\n\nnamespace zizhu::embedded {\n\nnamespace {\nconst char kData[] = {\n  ${bytes}'\\0'};\n}  // namespace\n\n"
  "std::string_view ${SYMBOL}() { return {kData, ${size}}; }\n\n}  // namespace zizhu::embedded\n")
