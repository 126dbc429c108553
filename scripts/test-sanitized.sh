#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-sanitized.sh: builds siptxn with AddressSanitizer and UndefinedBehaviorSanitizer in build-sanitize/ and runs every robustness check.
#
#   scripts/test-sanitized.sh
#
# Steps (each bounded; 11 to 15 minutes on two shared cores):
#   1. configure and build build-sanitize/ (-DSIPTXN_SANITIZE=ON, tests on,
#      the libFuzzer binary too when clang is installed);
#   2. the core unit tests and the fuzz corpus replay, instrumented;
#   3. 60 s of libFuzzer on the engine (when clang is installed);
#   4. the end-to-end tests and the adversarial captures, with tshark running
#      the sanitized plugin (its runtime preloaded through SIPTXN_TSHARK_PRELOAD,
#      which scripts/run-tshark.sh hands to tshark alone);
#   5. a bounded editcap fuzz pass: scripts/fuzz.sh --iterations 200 --seconds 300.
# Exits 1 if any step failed, naming them; failing inputs are kept in
# build-sanitize/fuzz-results/.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

build="$SIPTXN_ROOT/build-sanitize"
results="$build/fuzz-results"
libfuzzer_seconds=${SIPTXN_LIBFUZZER_SECONDS:-60}
failures=()
started=$SECONDS

step() { siptxn_say "[$((SECONDS - started)) s] $*"; }
failed() { failures+=("$1"); siptxn_say "FAILED: $1"; }

siptxn_install_build_dependencies
siptxn_install_packages clang llvm
libfuzzer=OFF
command -v clang >/dev/null && libfuzzer=ON

step "building the sanitized configuration in $build"
cmake -S "$SIPTXN_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPTXN_SANITIZE=ON -DBUILD_TESTING=ON \
    -DSIPTXN_LIBFUZZER=$libfuzzer >"$build.cmake.log" 2>&1 ||
    siptxn_die "cmake could not configure $build: see $build.cmake.log"
cmake --build "$build" -j "$(nproc)" >"$build.build.log" 2>&1 ||
    siptxn_die "the sanitized build failed: see $build.build.log"
plugin="$build/siptxn.so"
[ -r "$plugin" ] || siptxn_die "the build made no $plugin"
runtime=$(ldd "$plugin" | awk '/libasan\.so|libclang_rt\.asan/ { print $3; exit }')
[ -n "$runtime" ] || runtime=$(gcc -print-file-name=libasan.so)
[ -r "$runtime" ] || siptxn_die "cannot find the AddressSanitizer runtime of $plugin"
mkdir -p "$results"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_odr_violation=0:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:symbolize=1"

step "core unit tests and the fuzz corpus replay"
(cd "$build" && timeout 600 ctest --output-on-failure -j "$(nproc)" -R '^(core\.|fuzz\.engine\.)') ||
    failed "core unit tests / fuzz corpus replay (ctest -R '^(core\\.|fuzz\\.engine\\.)' in $build)"

if [ -x "$build/fuzz_engine" ]; then
    step "libFuzzer on the engine for $libfuzzer_seconds s"
    corpus=$(mktemp -d "${TMPDIR:-/tmp}/siptxn-corpus.XXXXXX")
    if ! timeout $((libfuzzer_seconds + 120)) "$build/fuzz_engine" -max_total_time="$libfuzzer_seconds" -seed=1 \
            -print_final_stats=1 -artifact_prefix="$results/" "$corpus" "$SIPTXN_ROOT/tests/fuzz/corpus" \
            >"$results/libfuzzer.log" 2>&1; then
        failed "libFuzzer found a failing input: see $results/libfuzzer.log and $results/crash-*"
    fi
    grep -E '^stat::number_of_executed_units' "$results/libfuzzer.log" | sed 's/^/  libFuzzer /' >&2
    rm -rf "$corpus"
else
    siptxn_say "no libFuzzer binary (clang missing, or tests/fuzz/fuzz.cmake not included): skipped"
fi

step "end-to-end tests and adversarial captures with the sanitized plugin"
# Only tshark gets the runtime: python and the shell must not run with it preloaded.
# Leaks: exit code 23 fails the run, as an ASan error does.
# e2e.check and e2e.gui start tshark and Wireshark through their own scripts,
# which do not preload the runtime; every other test runs tshark through
# tests/e2e/run-tshark.sh, which does.
excluded='^(core\.|fuzz\.engine\.|e2e\.check$|e2e\.gui$)'
(cd "$build" && SIPTXN_TSHARK_PRELOAD="$runtime" LSAN_OPTIONS="exitcode=23" \
    timeout 900 ctest --output-on-failure -j "$(nproc)" -E "$excluded") ||
    failed "end-to-end / adversarial tests with the sanitized plugin (ctest -E '$excluded' in $build)"

step "editcap fuzz pass"
"$SIPTXN_ROOT/scripts/fuzz.sh" --plugin "$plugin" --iterations 200 --seconds 300 --results "$results" ||
    failed "scripts/fuzz.sh found a failing capture: see above and $results"

step "done in $((SECONDS - started)) s"
if [ ${#failures[@]} -gt 0 ]; then
    for failure in "${failures[@]}"; do
        printf 'siptxn: sanitized test failed: %s\n' "$failure" >&2
    done
    exit 1
fi
siptxn_say "every sanitized check passed"
