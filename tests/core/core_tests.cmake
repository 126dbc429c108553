# SPDX-License-Identifier: GPL-2.0-or-later
# core_tests.cmake: unit tests of the pure core (plain C + GLib, no Wireshark), one ctest per case.
#
# Included from the top-level CMakeLists.txt when BUILD_TESTING is on, after the
# static libraries siptxn_core and siptxn_catalog are defined.  Every
# tests/core/test_NAME.c is a GLib test program test_NAME (test_catalog is built
# by cmake/catalog.cmake, which gives it the seed phrases), and every case it adds
# with g_test_add_func("/path", ...) or g_test_add("/path", ...) is a ctest:
#   core.NAME./path      runs    test_NAME -p /path
# The paths are read from the source when cmake configures, and cmake configures
# again when a test file changes or a new one appears.  Write the path as a string
# on the line of the call (or the line after it).  core.NAME.all-cases-registered
# compares the ctests with what test_NAME -l lists: a case added another way (a
# loop, a macro), a program that cannot list its cases or lists none, fails there.
# A program that needs more than siptxn_core gets it after this file is included
# (target_sources(test_NAME ...), target_link_libraries(test_NAME ...)), or is
# defined before it, as cmake/catalog.cmake defines test_catalog.
#
# Run as a script by that test:
#   cmake -DPROGRAM=path/to/test_NAME -DREGISTERED=file-with-one-path-a-line -P core_tests.cmake

if(CMAKE_SCRIPT_MODE_FILE)
    cmake_policy(VERSION 3.16)
    if(NOT PROGRAM OR NOT REGISTERED)
        message(FATAL_ERROR "core_tests.cmake: set PROGRAM and REGISTERED")
    endif()
    get_filename_component(program_name "${PROGRAM}" NAME)
    execute_process(COMMAND "${PROGRAM}" -l
                    RESULT_VARIABLE status OUTPUT_VARIABLE listing ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${program_name} -l cannot list its test cases (${status}):\n${listing}${errors}")
    endif()
    string(REPLACE "\n" ";" listed "${listing}")
    # GLib 2.80 and later list in TAP form: "# /path".
    list(TRANSFORM listed REPLACE "^# (/)" "\\1")
    list(FILTER listed INCLUDE REGEX "^/")
    file(STRINGS "${REGISTERED}" registered)
    if(NOT listed)
        message(FATAL_ERROR "${program_name} -l lists no test cases:\n${listing}")
    endif()
    set(not_registered ${listed})
    if(registered)
        list(REMOVE_ITEM not_registered ${registered})
    endif()
    set(not_listed ${registered})
    list(REMOVE_ITEM not_listed ${listed})
    if(not_registered)
        list(JOIN not_registered "\n  " not_registered)
        message(FATAL_ERROR "${program_name} has cases that no ctest runs (added in a loop or by a macro?):\n"
                "  ${not_registered}\n"
                "Add each with its path as a string on the line of the g_test_add_func() call, "
                "then configure again (cmake -S . -B build).")
    endif()
    if(not_listed)
        list(JOIN not_listed "\n  " not_listed)
        message(FATAL_ERROR "ctests for paths ${program_name} does not have (in a comment, or #if 0?):\n"
                "  ${not_listed}")
    endif()
    list(LENGTH listed count)
    message(STATUS "${program_name}: ${count} cases, each a ctest")
    return()
endif()

file(GLOB _siptxn_core_test_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/test_*.c")
list(SORT _siptxn_core_test_sources)
set(_siptxn_core_test_lists "${CMAKE_CURRENT_BINARY_DIR}/core-test-cases")
file(MAKE_DIRECTORY "${_siptxn_core_test_lists}")

foreach(_siptxn_source IN LISTS _siptxn_core_test_sources)
    get_filename_component(_siptxn_program "${_siptxn_source}" NAME_WE)
    string(REGEX REPLACE "^test_" "" _siptxn_name "${_siptxn_program}")
    if(NOT TARGET ${_siptxn_program})
        add_executable(${_siptxn_program} "${_siptxn_source}")
        set_target_properties(${_siptxn_program} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
        target_link_libraries(${_siptxn_program} PRIVATE siptxn_core)
    endif()

    # The case paths: the first string argument of each g_test_add*() call.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_siptxn_source}")
    file(READ "${_siptxn_source}" _siptxn_text)
    string(REGEX MATCHALL "g_test_add[a-z_]*[ \t]*\\([ \t\r\n]*\"/[^\"]*\"" _siptxn_calls "${_siptxn_text}")
    set(_siptxn_paths)
    foreach(_siptxn_call IN LISTS _siptxn_calls)
        string(REGEX REPLACE "^[^\"]*\"([^\"]*)\"$" "\\1" _siptxn_path "${_siptxn_call}")
        list(APPEND _siptxn_paths "${_siptxn_path}")
    endforeach()
    list(REMOVE_DUPLICATES _siptxn_paths)
    if(NOT _siptxn_paths)
        message(WARNING "${_siptxn_source}: no g_test_add_func(\"/path\", ...) found; "
                        "ctest core.${_siptxn_name}.all-cases-registered will fail")
    endif()
    list(JOIN _siptxn_paths "\n" _siptxn_path_lines)
    set(_siptxn_registered "${_siptxn_core_test_lists}/${_siptxn_program}.txt")
    file(WRITE "${_siptxn_registered}" "${_siptxn_path_lines}\n")

    foreach(_siptxn_path IN LISTS _siptxn_paths)
        add_test(NAME core.${_siptxn_name}.${_siptxn_path} COMMAND ${_siptxn_program} -p ${_siptxn_path})
        # GLib exits 0 when -p names no case ("1..0") and when a case skips itself.
        set_tests_properties(core.${_siptxn_name}.${_siptxn_path} PROPERTIES
            TIMEOUT 120
            FAIL_REGULAR_EXPRESSION "\n1\\.\\.0\n;# SKIP")
    endforeach()
    add_test(NAME core.${_siptxn_name}.all-cases-registered
             COMMAND "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:${_siptxn_program}>"
                     "-DREGISTERED=${_siptxn_registered}" -P "${CMAKE_CURRENT_LIST_FILE}")
    set_tests_properties(core.${_siptxn_name}.all-cases-registered PROPERTIES TIMEOUT 120)
endforeach()
