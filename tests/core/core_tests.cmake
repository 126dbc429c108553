# SPDX-License-Identifier: GPL-2.0-or-later
# core_tests.cmake: unit tests of the pure transaction engine (plain C + GLib, no Wireshark).
#
# Included from the top-level CMakeLists.txt when BUILD_TESTING is on, after the
# static library siptxn_core (plugin/core/transaction.c and ack.c) is defined.
# Each executable is a GLib test program; run one rule alone with
#   test_transaction -p /transaction/rfc3261/17.2.3/request-retransmission-same-branch

foreach(_siptxn_core_test IN ITEMS transaction ack key message_store sipparse textformat textstore)
    add_executable(test_${_siptxn_core_test} "${CMAKE_CURRENT_LIST_DIR}/test_${_siptxn_core_test}.c")
    set_target_properties(test_${_siptxn_core_test} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    target_link_libraries(test_${_siptxn_core_test} PRIVATE siptxn_core)
    add_test(NAME core.${_siptxn_core_test} COMMAND test_${_siptxn_core_test})
    set_tests_properties(core.${_siptxn_core_test} PROPERTIES TIMEOUT 120)
endforeach()
