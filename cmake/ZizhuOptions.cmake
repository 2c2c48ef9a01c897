# Warnings, sanitizers and the per-layer library/test/fuzz convention.

function(zizhu_strict target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(ZIZHU_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

option(ZIZHU_WERROR "Treat warnings as errors" ON)
if(ZIZHU_FUZZ)
  # Fuzzing builds (clang) instrument every library for coverage.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(ZIZHU_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# zizhu_layer(NAME DEPS ...): builds src/NAME/**/*.cc (not tests or fuzzers)
# into zizhu_NAME, its *_test.cc into zizhu_NAME_tests (registered with CTest),
# and, with ZIZHU_FUZZ, each *_fuzz.cc into its own libFuzzer program.
function(zizhu_layer name)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  set(dir "${CMAKE_SOURCE_DIR}/src/${name}")
  file(GLOB_RECURSE all CONFIGURE_DEPENDS "${dir}/*.cc")
  set(lib_sources)
  set(test_sources)
  set(fuzz_sources)
  foreach(f IN LISTS all)
    if(f MATCHES "_test\\.cc$")
      list(APPEND test_sources ${f})
    elseif(f MATCHES "_fuzz\\.cc$")
      list(APPEND fuzz_sources ${f})
    else()
      list(APPEND lib_sources ${f})
    endif()
  endforeach()
  if(NOT lib_sources)
    # A layer still being built up: an empty library keeps the links valid.
    set(empty "${CMAKE_BINARY_DIR}/empty_${name}.cc")
    file(WRITE ${empty} "// no sources yet\n")
    set(lib_sources ${empty})
  endif()
  add_library(zizhu_${name} STATIC ${lib_sources})
  target_include_directories(zizhu_${name} PUBLIC "${CMAKE_SOURCE_DIR}/src")
  target_link_libraries(zizhu_${name} PUBLIC ${L_DEPS})
  zizhu_strict(zizhu_${name})
  if(test_sources)
    add_executable(zizhu_${name}_tests ${test_sources})
    target_link_libraries(zizhu_${name}_tests PRIVATE zizhu_${name} GTest::gtest_main GTest::gmock)
    target_compile_definitions(zizhu_${name}_tests PRIVATE
      ZIZHU_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      ZIZHU_SPEC_DIR="${CMAKE_SOURCE_DIR}/../shared/spec")
    zizhu_strict(zizhu_${name}_tests)
    gtest_discover_tests(zizhu_${name}_tests DISCOVERY_TIMEOUT 60
      PROPERTIES LABELS "unit;${name}")
  endif()
  if(ZIZHU_FUZZ AND fuzz_sources)
    foreach(f IN LISTS fuzz_sources)
      get_filename_component(stem ${f} NAME_WE)
      add_executable(${stem} ${f})
      target_link_options(${stem} PRIVATE -fsanitize=fuzzer)
      target_link_libraries(${stem} PRIVATE zizhu_${name})
    endforeach()
  endif()
endfunction()
