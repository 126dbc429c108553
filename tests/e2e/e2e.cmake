# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end tests: the real tshark with the freshly built plugin on test-captures/.
#
# Labels: "e2e" on every test here (tshark or Wireshark with the plugin, through
# scripts/run-tshark.sh, which hands a sanitizer runtime to the program alone);
# "gui" on the one that runs the Wireshark GUI (never under sanitizers); a test
# labelled "thorough" runs only in scripts/test.sh --thorough.
# SIPTXN_WIRESHARK_VERSION tells run-tshark.sh the version the plugin is built
# for, which it would otherwise ask tshark for on every run.
if(NOT Python3_EXECUTABLE)
    message(FATAL_ERROR "The end-to-end tests need python3: apt-get install python3")
endif()

set(SIPTXN_E2E_DIR "${CMAKE_CURRENT_LIST_DIR}")
file(GLOB SIPTXN_E2E_TESTS "${SIPTXN_E2E_DIR}/test_*.py")
list(REMOVE_ITEM SIPTXN_E2E_TESTS "${SIPTXN_E2E_DIR}/test_reference.py")
foreach(test_file ${SIPTXN_E2E_TESTS})
    get_filename_component(test_name "${test_file}" NAME_WE)
    string(REGEX REPLACE "^test_" "" test_name "${test_name}")
    add_test(NAME e2e.${test_name}
             COMMAND "${Python3_EXECUTABLE}" "${test_file}" -v
             WORKING_DIRECTORY "${SIPTXN_E2E_DIR}")
    set_tests_properties(e2e.${test_name} PROPERTIES
        ENVIRONMENT "SIPTXN_PLUGIN=$<TARGET_FILE:siptxn>;SIPTXN_SOURCE_DIR=${CMAKE_SOURCE_DIR};SIPTXN_WIRESHARK_VERSION=${SIPTXN_WIRESHARK_VERSION}"
        TIMEOUT 900 LABELS "e2e")
endforeach()
if(TEST e2e.gui)
    set_tests_properties(e2e.gui PROPERTIES LABELS "e2e;gui")
endif()
# COST: the longest tests start first, so that the short ones run beside them.
if(TEST e2e.check)
    set_tests_properties(e2e.check PROPERTIES COST 50)
endif()

add_test(NAME e2e.crafted_captures_reproducible
         COMMAND "${SIPTXN_E2E_DIR}/test_crafted_reproducible.sh" "${CMAKE_SOURCE_DIR}")
set_tests_properties(e2e.crafted_captures_reproducible PROPERTIES LABELS "e2e")
