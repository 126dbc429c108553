# SPDX-License-Identifier: GPL-2.0-or-later
# golden.cmake: end-to-end tests comparing the plugin with the golden tables in tests/e2e/golden.
#
# Included from the top-level CMakeLists.txt when BUILD_TESTING is on, after
# find_package(Python3 COMPONENTS Interpreter).  Every tests/e2e/golden/X.tsv
# is checked against test-captures/X.pcapng (or X.pcap, or the same in
# test-captures/crafted) twice: a single pass
# (e2e.golden.X, only backward links expected) and a two-pass run
# (e2e.golden2.X, tshark -2, forward links expected too).  The reference model
# behind the tables has its own tests (e2e.reference): its rules, that every
# table is what it generates (tests/reference/siptxn_reference.py --regenerate),
# and that its value names are the plugin's.

set(_siptxn_e2e_dir "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(_siptxn_source_dir "${_siptxn_e2e_dir}/../.." ABSOLUTE)

file(GLOB _siptxn_golden_tables CONFIGURE_DEPENDS "${_siptxn_e2e_dir}/golden/*.tsv")
list(SORT _siptxn_golden_tables)

foreach(_siptxn_table IN LISTS _siptxn_golden_tables)
    get_filename_component(_siptxn_capture_name "${_siptxn_table}" NAME_WE)
    set(_siptxn_capture "")
    foreach(_siptxn_folder IN ITEMS test-captures test-captures/crafted)
        foreach(_siptxn_extension IN ITEMS pcapng pcap)
            set(_siptxn_candidate "${_siptxn_source_dir}/${_siptxn_folder}/${_siptxn_capture_name}.${_siptxn_extension}")
            if(NOT _siptxn_capture AND EXISTS "${_siptxn_candidate}")
                set(_siptxn_capture "${_siptxn_candidate}")
            endif()
        endforeach()
    endforeach()
    if(NOT _siptxn_capture)
        message(WARNING "golden table ${_siptxn_table} has no capture test-captures/${_siptxn_capture_name}.pcapng")
        continue()
    endif()

    add_test(NAME e2e.golden.${_siptxn_capture_name}
        COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/golden_compare.py"
            --plugin $<TARGET_FILE:siptxn>
            --capture "${_siptxn_capture}"
            --expected "${_siptxn_table}")
    add_test(NAME e2e.golden2.${_siptxn_capture_name}
        COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/golden_compare.py"
            --plugin $<TARGET_FILE:siptxn>
            --capture "${_siptxn_capture}"
            --expected "${_siptxn_table}"
            --two-pass)
    set_tests_properties(e2e.golden.${_siptxn_capture_name} e2e.golden2.${_siptxn_capture_name}
        PROPERTIES LABELS "e2e;golden" ENVIRONMENT "SIPTXN_WIRESHARK_VERSION=${SIPTXN_WIRESHARK_VERSION}")
endforeach()

add_test(NAME e2e.reference
    COMMAND ${Python3_EXECUTABLE} "${_siptxn_e2e_dir}/test_reference.py")
set_tests_properties(e2e.reference PROPERTIES LABELS "e2e;reference"
    ENVIRONMENT "SIPTXN_PLUGIN=$<TARGET_FILE:siptxn>" TIMEOUT 600)
