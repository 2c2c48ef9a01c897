# The DuckDB peer (bench/duckdb/run.mjs) reproduces the spec's worked example
# byte for byte, and `zizhu gen` is deterministic.
find_program(ZIZHU_NODE node)
set(ZIZHU_SPEC_EXAMPLE "${CMAKE_SOURCE_DIR}/../shared/spec/example")
if(ZIZHU_NODE AND EXISTS "${ZIZHU_SPEC_EXAMPLE}/expected"
   AND EXISTS "${CMAKE_SOURCE_DIR}/node_modules/@duckdb/node-api")
  add_test(NAME peer.duckdb_example
    COMMAND ${CMAKE_COMMAND}
      -DNODE=${ZIZHU_NODE}
      -DRUN=${CMAKE_SOURCE_DIR}/bench/duckdb/run.mjs
      -DEXAMPLE=${ZIZHU_SPEC_EXAMPLE}
      -DOUT=${CMAKE_CURRENT_BINARY_DIR}/peer_duckdb_example
      -P ${CMAKE_CURRENT_SOURCE_DIR}/peer/compare_example.cmake)
  set_tests_properties(peer.duckdb_example PROPERTIES LABELS "peer")
endif()

add_test(NAME gen.deterministic
  COMMAND ${CMAKE_COMMAND}
    -DZIZHU=$<TARGET_FILE:zizhu>
    -DOUT=${CMAKE_CURRENT_BINARY_DIR}/gen_deterministic
    -P ${CMAKE_CURRENT_SOURCE_DIR}/peer/gen_determinism.cmake)
set_tests_properties(gen.deterministic PROPERTIES LABELS "gen")
