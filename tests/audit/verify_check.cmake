# Runs `zizhu audit verify` and checks its exit code and output.
# -DZIZHU=program -DDB=database [-DKEY_FILE=file] -DEXIT=expected code
# -DMATCH=regular expression the output (stdout and stderr) must match
set(_args audit verify --db "${DB}")
if(DEFINED KEY_FILE AND NOT KEY_FILE STREQUAL "")
  list(APPEND _args --key-file "${KEY_FILE}")
endif()
# The key comes from --key-file or nowhere: never from the caller's ZIZHU_KEYS.
unset(ENV{ZIZHU_KEYS})
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
