# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the reason-phrase catalog library (siptxn_catalog) with reasons.ini embedded, and its unit tests.
#
# Included from the top-level CMakeLists.txt. Run as a script
#   cmake -DCATALOG_INPUT=reasons.ini -DCATALOG_OUTPUT=file.c [-DCATALOG_SYMBOL=name] -P catalog.cmake
# it writes the file as a C byte array instead: name_bytes and name_size, catalog_builtin_* by default.

if(CMAKE_SCRIPT_MODE_FILE)
    if(NOT CATALOG_INPUT OR NOT CATALOG_OUTPUT)
        message(FATAL_ERROR "catalog.cmake: set CATALOG_INPUT and CATALOG_OUTPUT")
    endif()
    if(NOT CATALOG_SYMBOL)
        set(CATALOG_SYMBOL catalog_builtin)
    endif()
    get_filename_component(catalog_input_name "${CATALOG_INPUT}" NAME)
    file(READ "${CATALOG_INPUT}" catalog_hex HEX)
    string(LENGTH "${catalog_hex}" catalog_hex_length)
    math(EXPR catalog_size "${catalog_hex_length} / 2")
    # "0xNN, " for each byte, sixteen bytes a line.
    string(REPEAT "[0-9a-f][0-9a-f]" 16 catalog_line_pattern)
    string(REGEX REPLACE "(${catalog_line_pattern})" "\\1\n" catalog_hex "${catalog_hex}")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " catalog_bytes "${catalog_hex}")
    string(REPLACE "\n" "\n    " catalog_bytes "${catalog_bytes}")
    file(WRITE "${CATALOG_OUTPUT}.tmp"
        "/* SPDX-License-Identifier: GPL-2.0-or-later */\n"
        "/* Generated from plugin/catalog/${catalog_input_name} by cmake/catalog.cmake; do not edit. */\n\n"
        "#include <glib.h>\n\n"
        "const unsigned char ${CATALOG_SYMBOL}_bytes[] = {\n    ${catalog_bytes}0x00\n};\n"
        "const gsize ${CATALOG_SYMBOL}_size = ${catalog_size};\n")
    file(RENAME "${CATALOG_OUTPUT}.tmp" "${CATALOG_OUTPUT}")
    return()
endif()

if(NOT TARGET PkgConfig::GLIB)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(GLIB REQUIRED IMPORTED_TARGET glib-2.0)
endif()

get_filename_component(CATALOG_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(CATALOG_DATA "${CATALOG_SOURCE_DIR}/plugin/catalog/reasons.ini")
set(CATALOG_GENERATED "${CMAKE_CURRENT_BINARY_DIR}/catalog_builtin.c")

add_custom_command(
    OUTPUT "${CATALOG_GENERATED}"
    COMMAND "${CMAKE_COMMAND}" "-DCATALOG_INPUT=${CATALOG_DATA}" "-DCATALOG_OUTPUT=${CATALOG_GENERATED}"
            -P "${CMAKE_CURRENT_LIST_FILE}"
    DEPENDS "${CATALOG_DATA}" "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Embedding plugin/catalog/reasons.ini"
    VERBATIM)

add_library(siptxn_catalog STATIC
    "${CATALOG_SOURCE_DIR}/plugin/core/catalog.c"
    "${CATALOG_GENERATED}")
set_target_properties(siptxn_catalog PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    C_STANDARD 99
    C_STANDARD_REQUIRED ON)
target_include_directories(siptxn_catalog PUBLIC "${CATALOG_SOURCE_DIR}/plugin/core")
target_link_libraries(siptxn_catalog PUBLIC PkgConfig::GLIB)

if(BUILD_TESTING)
    add_executable(test_catalog "${CATALOG_SOURCE_DIR}/tests/core/test_catalog.c")
    set_target_properties(test_catalog PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    target_link_libraries(test_catalog PRIVATE siptxn_catalog)
    target_compile_definitions(test_catalog PRIVATE
        "CATALOG_SEED_PHRASES=\"${CATALOG_SOURCE_DIR}/tests/core/seed_phrases.txt\"")
    # Its cases are registered one ctest each by tests/core/core_tests.cmake.
endif()
