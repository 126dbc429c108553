# SPDX-License-Identifier: GPL-2.0-or-later
# golden.cmake: end-to-end tests comparing the plugin with the golden tables in tests/e2e/golden.
#
# Included from the top-level CMakeLists.txt when BUILD_TESTING is on, after
# find_package(Python3 COMPONENTS Interpreter).  Every tests/e2e/golden/X.tsv
# is checked against test-captures/X.pcapng (or X.pcap, or the same in
# test-captures/crafted) twice: a single pass
# (e2e.golden.X, only backward links expected) and a two-pass run
# (e2e.golden2.X, tshark -2, forward links expected too).  These tables follow
# the plugin's default transaction model (RFC 6026: a 2xx moves an INVITE
# transaction to Accepted).  Every tests/e2e/golden/rfc3261/X.tsv holds the
# same capture in the RFC 3261 model (a 2xx terminates it): it is checked the
# same two ways with -o siptxn.transaction_model:rfc3261
# (e2e.golden.rfc3261.X, e2e.golden2.rfc3261.X).  The reference model behind
# the tables has its own tests (e2e.reference): its rules, that every table is
# what it generates (tests/reference/siptxn_reference.py --regenerate), and
# that its value names are the plugin's.

set(_siptxn_e2e_dir "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(_siptxn_source_dir "${_siptxn_e2e_dir}/../.." ABSOLUTE)

# One golden table, both ways: NAME_PREFIX names the tests (e2e.golden.NAME_PREFIX<capture>),
# the arguments after TABLE are tshark preferences (PREF:VALUE).
function(_siptxn_golden_tests name_prefix table)
    get_filename_component(_capture_name "${table}" NAME_WE)
    set(_capture "")
    foreach(_folder IN ITEMS test-captures test-captures/crafted)
        foreach(_extension IN ITEMS pcapng pcap)
            set(_candidate "${_siptxn_source_dir}/${_folder}/${_capture_name}.${_extension}")
            if(NOT _capture AND EXISTS "${_candidate}")
                set(_capture "${_candidate}")
            endif()
        endforeach()
    endforeach()
    if(NOT _capture)
        message(WARNING "golden table ${table} has no capture test-captures/${_capture_name}.pcapng")
        return()
    endif()

    set(_options "")
    foreach(_preference IN LISTS ARGN)
        list(APPEND _options --tshark-option "${_preference}")
    endforeach()
    add_test(NAME e2e.golden.${name_prefix}${_capture_name}
        COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/golden_compare.py"
            --plugin $<TARGET_FILE:siptxn>
            --capture "${_capture}"
            --expected "${table}"
            ${_options})
    add_test(NAME e2e.golden2.${name_prefix}${_capture_name}
        COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/golden_compare.py"
            --plugin $<TARGET_FILE:siptxn>
            --capture "${_capture}"
            --expected "${table}"
            --two-pass
            ${_options})
    set_tests_properties(e2e.golden.${name_prefix}${_capture_name} e2e.golden2.${name_prefix}${_capture_name}
        PROPERTIES LABELS "e2e;golden" ENVIRONMENT "SIPTXN_WIRESHARK_VERSION=${SIPTXN_WIRESHARK_VERSION}")
endfunction()

file(GLOB _siptxn_golden_tables CONFIGURE_DEPENDS "${_siptxn_e2e_dir}/golden/*.tsv")
list(SORT _siptxn_golden_tables)
foreach(_siptxn_table IN LISTS _siptxn_golden_tables)
    _siptxn_golden_tests("" "${_siptxn_table}")
endforeach()

file(GLOB _siptxn_rfc3261_tables CONFIGURE_DEPENDS "${_siptxn_e2e_dir}/golden/rfc3261/*.tsv")
list(SORT _siptxn_rfc3261_tables)
foreach(_siptxn_table IN LISTS _siptxn_rfc3261_tables)
    _siptxn_golden_tests("rfc3261." "${_siptxn_table}" "siptxn.transaction_model:rfc3261")
endforeach()

add_test(NAME e2e.reference
    COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/test_reference.py")
set_tests_properties(e2e.reference PROPERTIES LABELS "e2e;reference"
    ENVIRONMENT "SIPTXN_PLUGIN=$<TARGET_FILE:siptxn>" TIMEOUT 600)
