# API tests: each tests/api/*.test.mjs starts a real `zizhu demo` server on a
# temporary database and talks HTTP to it (node:test, Node's own fetch).
find_program(NODE_PROGRAM node REQUIRED)
file(GLOB _zizhu_api_tests CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/api/*.test.mjs")
foreach(_test IN LISTS _zizhu_api_tests)
  get_filename_component(_name "${_test}" NAME_WE)
  add_test(NAME api.${_name}
           COMMAND "${NODE_PROGRAM}" --test --test-reporter=spec "${_test}")
  set_tests_properties(api.${_name} PROPERTIES
    LABELS "api"
    TIMEOUT 300
    ENVIRONMENT "ZIZHU=$<TARGET_FILE:zizhu>")
endforeach()
