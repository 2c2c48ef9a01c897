# cmake -P: runs zizhu identify on the example with --threads 1, 2 and 3; each
# output must equal expected/ byte for byte (so they also equal each other).
foreach(threads 1 2 3)
  set(out "${OUT}/t${threads}")
  file(REMOVE_RECURSE "${out}")
  execute_process(COMMAND "${ZIZHU}" identify --policy ../policy-default.toml
      --students input/students.csv --lists input/lists_a.csv,input/lists_b.csv
      --applications input/applications.csv --history input/history.csv
      --budgets input/budgets.csv --out "${out}" --threads ${threads}
    WORKING_DIRECTORY "${EXAMPLE}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "zizhu identify --threads ${threads} failed (${rc}): ${err}")
  endif()
  foreach(f results.csv schools.csv rejects.csv)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${out}/${f}" "${EXAMPLE}/expected/${f}"
      RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "--threads ${threads}: ${f} differs from expected/${f}")
    endif()
  endforeach()
endforeach()
