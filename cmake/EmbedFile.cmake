# zizhu_embed_file(TARGET SYMBOL FILE): compiles FILE's bytes into TARGET as
# `std::string_view zizhu::embedded::SYMBOL()`, regenerated when FILE changes.
# For documents the program serves as they are kept in the repository (the
# OpenAPI description), so the served copy cannot drift from the reviewed one.
function(zizhu_embed_file target symbol file)
  set(out "${CMAKE_BINARY_DIR}/generated/embed_${symbol}.cc")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DIN=${file}" "-DOUT=${out}" "-DSYMBOL=${symbol}"
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_file_script.cmake"
    DEPENDS "${file}" "${CMAKE_SOURCE_DIR}/cmake/embed_file_script.cmake"
    COMMENT "Embedding ${file}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
