# cmake -P: runs --explain for a funded student of the example whose category
# came from a list, and for a NOT_ENROLLED application, and checks the text.
function(explain no out_var)
  file(REMOVE_RECURSE "${OUT}")
  execute_process(COMMAND "${ZIZHU}" identify --policy ${EXAMPLE}/../policy-default.toml
      --students ${EXAMPLE}/input/students.csv --lists ${EXAMPLE}/input/lists_a.csv,${EXAMPLE}/input/lists_b.csv
      --applications ${EXAMPLE}/input/applications.csv --history ${EXAMPLE}/input/history.csv
      --budgets ${EXAMPLE}/input/budgets.csv --out "${OUT}" --explain ${no}
    RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "--explain ${no} failed (${rc}): ${err}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(expect text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${needle}' in:\n${text}")
  endif()
endfunction()

# Funded at level 1 with DESTITUTE verified (results.csv of the example).
explain(G620102201811181453 t)
expect("${t}" "杜平铭")
expect("${t}" "DESTITUTE")
expect("${t}" "在有效期内，认定")
expect("${t}" "得分 105")
expect("${t}" "已资助 FUNDED")
expect("${t}" "排第 1 位")
expect("${t}" "资助 2000.00 元")
# The ID is masked (the 学籍号 the officer typed is echoed; it is a G number).
string(REPLACE "G620102201811181453" "" without_no "${t}")
string(FIND "${without_no}" "620102201811181453" plain)
if(NOT plain EQUAL -1)
  message(FATAL_ERROR "the explanation shows an unmasked ID number")
endif()
# A waitlisted student: the budget ran out.
explain(G621223201707181283 w)
expect("${w}" "候补 WAITLIST")
expect("${w}" "剩余预算不足")
# An unknown 学籍号 is an error, not silence.
execute_process(COMMAND "${ZIZHU}" identify --policy ${EXAMPLE}/../policy-default.toml
    --students ${EXAMPLE}/input/students.csv --lists ${EXAMPLE}/input/lists_a.csv
    --out "${OUT}" --explain G000000000000000000 RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "--explain of an unknown 学籍号 should fail")
endif()
