# cmake -P script: runs the DuckDB peer on the spec example and compares its
# three outputs with the expected ones byte for byte.
file(REMOVE_RECURSE "${OUT}")
execute_process(
  COMMAND "${NODE}" "${RUN}" --policy ../policy-default.toml
    --students input/students.csv --lists input/lists_a.csv,input/lists_b.csv
    --applications input/applications.csv --history input/history.csv
    --budgets input/budgets.csv --out "${OUT}"
  WORKING_DIRECTORY "${EXAMPLE}"
  RESULT_VARIABLE rc
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run.mjs failed (${rc}): ${err}")
endif()
foreach(f results.csv schools.csv rejects.csv)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${OUT}/${f}" "${EXAMPLE}/expected/${f}"
    RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    message(FATAL_ERROR "${f} differs from ${EXAMPLE}/expected/${f}")
  endif()
endforeach()
