# `zizhu ledger check` on databases written by the funds tests (a gtest writes
# them when ZIZHU_LEDGER_FIXTURE_DIR is set; see
# src/funds/ledger_service_test.cc, LedgerCommandFixture.Write): exit 0 on a
# consistent ledger, 1 naming each broken invariant, 2 when the check cannot
# start.
set(_ledger_dir "${CMAKE_CURRENT_BINARY_DIR}/ledger-fixtures")
add_test(NAME ledger.fixtures
         COMMAND zizhu_funds_tests --gtest_filter=LedgerCommandFixture.Write)
set_tests_properties(ledger.fixtures PROPERTIES
  ENVIRONMENT "ZIZHU_LEDGER_FIXTURE_DIR=${_ledger_dir}"
  FIXTURES_SETUP ledger_dbs
  LABELS "ledger")

function(zizhu_ledger_check_test name db expected_exit match)
  add_test(NAME ledger.check.${name}
    COMMAND ${CMAKE_COMMAND} -DZIZHU=$<TARGET_FILE:zizhu> -DDB=${db} -DEXIT=${expected_exit} "-DMATCH=${match}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/ledger/check.cmake)
  set_tests_properties(ledger.check.${name} PROPERTIES FIXTURES_REQUIRED ledger_dbs LABELS "ledger")
endfunction()

zizhu_ledger_check_test(consistent ${_ledger_dir}/consistent.db 0
                        "transfers 4, open pending 1.*every invariant holds")
zizhu_ledger_check_test(edited_balance ${_ledger_dir}/edited_balance.db 1
                        "broken: balance_matches_transfers.*broken: debits_equal_credits")
zizhu_ledger_check_test(inserted_transfer ${_ledger_dir}/inserted_transfer.db 1
                        "broken: balance_matches_transfers\\): account 1:.*ledger inconsistent: 2 problems")
zizhu_ledger_check_test(no_database ${_ledger_dir}/absent.db 2 "no database")
