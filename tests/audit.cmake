# `zizhu audit verify` on databases written by the oversight tests (a gtest
# writes them when ZIZHU_AUDIT_FIXTURE_DIR is set; see
# src/oversight/audit_chain_test.cc, AuditCommandFixture.Write): exit 0 on the
# intact chain, 1 naming the first bad record on each tampered copy, 2 when
# the check cannot start.
set(_audit_dir "${CMAKE_CURRENT_BINARY_DIR}/audit-fixtures")
add_test(NAME audit.fixtures
         COMMAND zizhu_oversight_tests --gtest_filter=AuditCommandFixture.Write)
set_tests_properties(audit.fixtures PROPERTIES
  ENVIRONMENT "ZIZHU_AUDIT_FIXTURE_DIR=${_audit_dir}"
  FIXTURES_SETUP audit_dbs
  LABELS "audit")

function(zizhu_audit_verify_test name db key_file expected_exit match)
  add_test(NAME audit.verify.${name}
    COMMAND ${CMAKE_COMMAND} -DZIZHU=$<TARGET_FILE:zizhu> -DDB=${db} -DKEY_FILE=${key_file}
            -DEXIT=${expected_exit} "-DMATCH=${match}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/audit/verify_check.cmake)
  set_tests_properties(audit.verify.${name} PROPERTIES FIXTURES_REQUIRED audit_dbs LABELS "audit")
endfunction()

zizhu_audit_verify_test(intact ${_audit_dir}/intact.db ${_audit_dir}/keys 0 "audit log intact: 8 records")
zizhu_audit_verify_test(changed ${_audit_dir}/changed.db ${_audit_dir}/keys 1 "seq 4: changed")
zizhu_audit_verify_test(removed ${_audit_dir}/removed.db ${_audit_dir}/keys 1 "seq 4: removed")
zizhu_audit_verify_test(truncated ${_audit_dir}/truncated.db ${_audit_dir}/keys 1 "seq 8: truncated")
zizhu_audit_verify_test(inserted ${_audit_dir}/inserted.db ${_audit_dir}/keys 1 "seq 9: inserted")
zizhu_audit_verify_test(reordered ${_audit_dir}/reordered.db ${_audit_dir}/keys 1 "seq 3: reordered")
zizhu_audit_verify_test(no_database ${_audit_dir}/absent.db ${_audit_dir}/keys 2 "no database")
zizhu_audit_verify_test(no_keys ${_audit_dir}/intact.db "" 2 "ZIZHU_KEYS")
