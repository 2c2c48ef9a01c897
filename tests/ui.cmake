# Browser tests (docs/web.md): tests/ui/*.test.mjs drive Debian's chromium
# (headless, through playwright-core) against a real `zizhu demo` server that
# serves the built web/dist; scripts/install.sh installs chromium and builds
# web/dist. Screenshots of every page visited go to ui-screenshots/ here.
find_program(NODE_PROGRAM node REQUIRED)
file(GLOB _zizhu_ui_tests CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/ui/*.test.mjs")
foreach(_test IN LISTS _zizhu_ui_tests)
  get_filename_component(_name "${_test}" NAME_WE)
  add_test(NAME ui.${_name}
           COMMAND "${NODE_PROGRAM}" --test --test-reporter=spec "${_test}")
  set_tests_properties(ui.${_name} PROPERTIES
    LABELS "ui"
    # The whole year (year.test.mjs) takes ~2.5 min on a loaded 2-core machine.
    TIMEOUT 900
    ENVIRONMENT "ZIZHU=$<TARGET_FILE:zizhu>;ZIZHU_WEB_DIST=${CMAKE_SOURCE_DIR}/web/dist;ZIZHU_UI_OUT=${CMAKE_BINARY_DIR}/ui-screenshots/${_name}")
endforeach()
