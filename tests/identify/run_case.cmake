# cmake -P: runs one golden case of tests/identify/cases/<name>/ (see its README).
#   -DZIZHU=path to zizhu  -DCASE=case folder  -DOUT=scratch folder
#   -DDEFAULT_POLICY=data/policy-default.toml
# The case's `args` file holds the options (without --out); the token
# @default-policy stands for DEFAULT_POLICY. The run is done with --threads 1
# and --threads 2 (unless args gives --threads) and both must match expected/.
file(READ "${CASE}/args" args_text)
string(STRIP "${args_text}" args_text)
string(REPLACE "@default-policy" "${DEFAULT_POLICY}" args_text "${args_text}")
separate_arguments(args UNIX_COMMAND "${args_text}")

set(thread_runs 1 2)
if(args_text MATCHES "--threads")
  set(thread_runs given)
endif()

foreach(threads IN LISTS thread_runs)
  set(out "${OUT}/t${threads}")
  file(REMOVE_RECURSE "${OUT}/t${threads}")
  set(thread_args)
  if(NOT threads STREQUAL "given")
    set(thread_args --threads ${threads})
  endif()
  execute_process(COMMAND "${ZIZHU}" identify ${args} --out "${out}" ${thread_args}
    WORKING_DIRECTORY "${CASE}" RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)

  if(EXISTS "${CASE}/expected/exit_code")
    file(READ "${CASE}/expected/exit_code" want_rc)
    string(STRIP "${want_rc}" want_rc)
    if(NOT rc STREQUAL want_rc)
      message(FATAL_ERROR "exit code ${rc}, expected ${want_rc}; stderr: ${stderr}")
    endif()
    if(EXISTS "${CASE}/expected/stderr_contains")
      file(STRINGS "${CASE}/expected/stderr_contains" wants ENCODING UTF-8)
      foreach(want IN LISTS wants)
        string(FIND "${stderr}" "${want}" at)
        if(at EQUAL -1)
          message(FATAL_ERROR "stderr lacks \"${want}\"; stderr: ${stderr}")
        endif()
      endforeach()
    endif()
    if(NOT want_rc EQUAL 0 AND EXISTS "${out}")
      message(FATAL_ERROR "exit ${rc} but the output folder was created: ${out}")
    endif()
  else()
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "--threads ${threads}: exit code ${rc}; stderr: ${stderr}")
    endif()
  endif()

  foreach(f results.csv schools.csv rejects.csv)
    if(EXISTS "${CASE}/expected/${f}")
      execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${out}/${f}" "${CASE}/expected/${f}"
        RESULT_VARIABLE differs)
      if(NOT differs EQUAL 0)
        execute_process(COMMAND diff -u "${CASE}/expected/${f}" "${out}/${f}" OUTPUT_VARIABLE d)
        message(FATAL_ERROR "--threads ${threads}: ${f} differs from expected/${f}:\n${d}")
      endif()
    endif()
  endforeach()
endforeach()
