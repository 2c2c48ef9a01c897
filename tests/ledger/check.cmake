# Runs `zizhu ledger check` and checks its exit code and output.
# -DZIZHU=program -DDB=database -DEXIT=expected code
# -DMATCH=regular expression the output (stdout and stderr) must match
set(_args ledger check --db "${DB}")
execute_process(COMMAND "${ZIZHU}" ${_args}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
set(_all "${_out}${_err}")
if(NOT _rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "zizhu ${_args}: exit ${_rc}, expected ${EXIT}\n${_all}")
endif()
if(NOT _all MATCHES "${MATCH}")
  message(FATAL_ERROR "zizhu ${_args}: output does not match '${MATCH}':\n${_all}")
endif()
message(STATUS "exit ${_rc}: ${_all}")
