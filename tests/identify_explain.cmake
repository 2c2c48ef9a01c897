# `zizhu identify --explain 学籍号` on the spec's worked example: the answer to
# a parent's "why" names the list entry that proved the category, the score
# parts, the rank and the budget outcome.
set(_example "${CMAKE_SOURCE_DIR}/../shared/spec/example")
if(EXISTS "${_example}/input/students.csv")
  add_test(NAME identify.explain
    COMMAND ${CMAKE_COMMAND} -DZIZHU=$<TARGET_FILE:zizhu> -DEXAMPLE=${_example}
            -DOUT=${CMAKE_CURRENT_BINARY_DIR}/explain-out -P ${CMAKE_CURRENT_SOURCE_DIR}/identify/explain_check.cmake)
  set_tests_properties(identify.explain PROPERTIES LABELS "golden")
endif()
