# Golden cases of the identification run: every folder of
# tests/identify/cases/ with an `args` file is one test (see its README).
file(GLOB _identify_cases LIST_DIRECTORIES true CONFIGURE_DEPENDS
     "${CMAKE_CURRENT_SOURCE_DIR}/identify/cases/*")
foreach(_case IN LISTS _identify_cases)
  if(EXISTS "${_case}/args")
    get_filename_component(_name "${_case}" NAME)
    add_test(NAME identify.golden.${_name}
      COMMAND ${CMAKE_COMMAND} -DZIZHU=$<TARGET_FILE:zizhu> -DCASE=${_case}
              -DOUT=${CMAKE_CURRENT_BINARY_DIR}/identify-golden/${_name}
              -DDEFAULT_POLICY=${CMAKE_SOURCE_DIR}/data/policy-default.toml
              -P ${CMAKE_CURRENT_SOURCE_DIR}/identify/run_case.cmake)
    set_tests_properties(identify.golden.${_name} PROPERTIES LABELS "golden")
  endif()
endforeach()
