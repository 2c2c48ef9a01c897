# The spec's worked example (../shared/spec/example) must come out byte for
# byte, and the same with one thread and with two.
set(_example "${CMAKE_SOURCE_DIR}/../shared/spec/example")
if(EXISTS "${_example}/input/students.csv")
  add_test(NAME spec.example
    COMMAND ${CMAKE_COMMAND} -DZIZHU=$<TARGET_FILE:zizhu> -DEXAMPLE=${_example}
            -DOUT=${CMAKE_CURRENT_BINARY_DIR}/spec-example -P ${CMAKE_CURRENT_SOURCE_DIR}/spec/run_example.cmake)
  set_tests_properties(spec.example PROPERTIES LABELS "golden")
endif()
