# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz.cmake: the transaction engine's fuzz harness: a corpus replay test and, with clang, the libFuzzer binary.
#
# Included from the top-level CMakeLists.txt when BUILD_TESTING is on, after the
# static libraries siptxn_core and siptxn_catalog are defined.
#
#   fuzz_engine_replay   built with the project compiler (and its sanitizers when
#                        SIPTXN_SANITIZE is on); ctest fuzz.engine.replay replays
#                        tests/fuzz/corpus/ through it.
#   fuzz_engine          the libFuzzer binary (target fuzz_engine_libfuzzer), built when
#                        the project compiler is clang, or with -DSIPTXN_LIBFUZZER=ON
#                        when clang is installed.
#                        ctest fuzz.engine.libfuzzer replays the corpus through it.
#   fuzz.adversarial     ctest: tests/fuzz/test_adversarial.py with the plugin, the hostile captures.
#   fuzz.adversarial.scale  ctest: the same, 50,000 and 200,000 transactions and the memory
#                        they take; labelled thorough (scripts/test.sh --thorough runs it).
#
# Labels: "fuzz" on every test here; "e2e" on those that run tshark with the plugin
# (through scripts/run-tshark.sh, which hands a sanitizer runtime to tshark);
# "thorough" on those only scripts/test.sh --thorough runs.
#
# A long run (new inputs go to the first folder, the committed corpus is only read):
#   mkdir -p /tmp/siptxn-corpus
#   build/fuzz_engine -max_total_time=3600 -jobs=2 -workers=2 /tmp/siptxn-corpus tests/fuzz/corpus
# A crash leaves crash-<sha1> in the current folder; replay it with
#   build/fuzz_engine crash-<sha1>        or        build/fuzz_engine_replay crash-<sha1>
# Inputs worth keeping are minimized with -minimize_crash=1 or merged into the corpus with
#   build/fuzz_engine -merge=1 tests/fuzz/corpus /tmp/siptxn-corpus

option(SIPTXN_LIBFUZZER "Build the libFuzzer binary fuzz_engine with clang even if the project compiler is another" OFF)

set(SIPTXN_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")

add_executable(fuzz_engine_replay "${SIPTXN_FUZZ_DIR}/fuzz_engine.c")
set_target_properties(fuzz_engine_replay PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
target_link_libraries(fuzz_engine_replay PRIVATE siptxn_core siptxn_catalog)
add_test(NAME fuzz.engine.replay COMMAND fuzz_engine_replay "${SIPTXN_FUZZ_DIR}/corpus")
set_tests_properties(fuzz.engine.replay PROPERTIES TIMEOUT 120 LABELS "fuzz")

# Hostile captures (scripts/make-adversarial.py) through tshark with the plugin: no crash,
# no sanitizer report, expert infos, memory linear in transactions.
if(Python3_EXECUTABLE)
    add_test(NAME fuzz.adversarial
             COMMAND "${Python3_EXECUTABLE}" "${SIPTXN_FUZZ_DIR}/test_adversarial.py" -v HostileCaptures
             WORKING_DIRECTORY "${SIPTXN_FUZZ_DIR}")
    add_test(NAME fuzz.adversarial.scale
             COMMAND "${Python3_EXECUTABLE}" "${SIPTXN_FUZZ_DIR}/test_adversarial.py" -v ManyBranches
             WORKING_DIRECTORY "${SIPTXN_FUZZ_DIR}")
    set_tests_properties(fuzz.adversarial fuzz.adversarial.scale PROPERTIES
        ENVIRONMENT "SIPTXN_PLUGIN=$<TARGET_FILE:siptxn>;SIPTXN_SOURCE_DIR=${CMAKE_SOURCE_DIR};SIPTXN_WIRESHARK_VERSION=${SIPTXN_WIRESHARK_VERSION}"
        TIMEOUT 1800)
    # COST: the longest test starts first, so that the short ones run beside it.
    set_tests_properties(fuzz.adversarial PROPERTIES LABELS "fuzz;e2e" COST 60)
    set_tests_properties(fuzz.adversarial.scale PROPERTIES LABELS "fuzz;e2e;thorough")
endif()

# The libFuzzer binary compiles the core's sources itself with coverage
# instrumentation, so it does not depend on the compiler that built siptxn_core.
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(SIPTXN_FUZZ_CLANG "${CMAKE_C_COMPILER}")
elseif(SIPTXN_LIBFUZZER)
    find_program(SIPTXN_FUZZ_CLANG NAMES clang clang-16 clang-15 clang-14)
    if(NOT SIPTXN_FUZZ_CLANG)
        message(FATAL_ERROR "SIPTXN_LIBFUZZER=ON needs clang: apt-get install clang")
    endif()
endif()

if(SIPTXN_FUZZ_CLANG)
    set(_siptxn_fuzz_sources "${SIPTXN_FUZZ_DIR}/fuzz_engine.c")
    set(_siptxn_fuzz_dependencies "${SIPTXN_FUZZ_DIR}/fuzz_engine.c")
    set(_siptxn_fuzz_includes)
    foreach(_siptxn_fuzz_library siptxn_core siptxn_catalog)
        get_target_property(_siptxn_library_sources ${_siptxn_fuzz_library} SOURCES)
        get_target_property(_siptxn_library_folder ${_siptxn_fuzz_library} SOURCE_DIR)
        foreach(_siptxn_source IN LISTS _siptxn_library_sources)
            get_filename_component(_siptxn_source "${_siptxn_source}" ABSOLUTE BASE_DIR "${_siptxn_library_folder}")
            list(APPEND _siptxn_fuzz_sources "${_siptxn_source}")
            # Generated sources (the embedded catalog) are made by their library's own
            # rule; depending on the library below avoids running that rule twice.
            string(FIND "${_siptxn_source}" "${CMAKE_BINARY_DIR}/" _siptxn_in_build_tree)
            if(NOT _siptxn_in_build_tree EQUAL 0)
                list(APPEND _siptxn_fuzz_dependencies "${_siptxn_source}")
            endif()
        endforeach()
        get_target_property(_siptxn_library_includes ${_siptxn_fuzz_library} INCLUDE_DIRECTORIES)
        foreach(_siptxn_include IN LISTS _siptxn_library_includes)
            get_filename_component(_siptxn_include "${_siptxn_include}" ABSOLUTE BASE_DIR "${_siptxn_library_folder}")
            list(APPEND _siptxn_fuzz_includes "-I${_siptxn_include}")
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES _siptxn_fuzz_sources)
    list(REMOVE_DUPLICATES _siptxn_fuzz_dependencies)
    list(REMOVE_DUPLICATES _siptxn_fuzz_includes)

    add_custom_command(
        OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/fuzz_engine"
        COMMAND "${SIPTXN_FUZZ_CLANG}" -std=gnu11 -g -O1 -fno-omit-frame-pointer
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
                -DSIPTXN_LIBFUZZER ${_siptxn_fuzz_includes} ${GLIB_CFLAGS}
                ${_siptxn_fuzz_sources} ${GLIB_LDFLAGS}
                -o "${CMAKE_CURRENT_BINARY_DIR}/fuzz_engine"
        DEPENDS ${_siptxn_fuzz_dependencies} siptxn_core siptxn_catalog
        COMMENT "Building the libFuzzer binary fuzz_engine with ${SIPTXN_FUZZ_CLANG}"
        VERBATIM)
    add_custom_target(fuzz_engine_libfuzzer ALL DEPENDS "${CMAKE_CURRENT_BINARY_DIR}/fuzz_engine")

    # Files, not the folder: libFuzzer would add new inputs to a folder it is given.
    add_test(NAME fuzz.engine.libfuzzer
             COMMAND sh -c "exec \"$0\" -runs=0 \"$1\"/*" "${CMAKE_CURRENT_BINARY_DIR}/fuzz_engine"
                     "${SIPTXN_FUZZ_DIR}/corpus")
    set_tests_properties(fuzz.engine.libfuzzer PROPERTIES TIMEOUT 120 LABELS "fuzz")
endif()
