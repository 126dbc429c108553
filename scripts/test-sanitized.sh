#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-sanitized.sh: builds siptxn with AddressSanitizer and UndefinedBehaviorSanitizer and runs every robustness check.
#
#   scripts/test-sanitized.sh        (scripts/test.sh --thorough runs it)
#
# The build goes to $SIPTXN_SANITIZE_BUILD, by default $SIPTXN_BUILD-sanitize
# (build-sanitize/).  Steps (each bounded; 11 to 15 minutes on two shared cores):
#   1. install clang and its libFuzzer runtime if missing; configure and build
#      (-DSIPTXN_SANITIZE=ON -DSIPTXN_LIBFUZZER=ON, tests on);
#   2. the tests without the label "e2e": the core unit tests and the fuzz
#      corpus replays, instrumented;
#   3. 60 s of libFuzzer on the engine;
#   4. the tests labelled "e2e" but not "gui" (the end-to-end tests, siptxn-check,
#      the hostile and the many-branches captures), with tshark running the
#      sanitized plugin (its runtime preloaded through SIPTXN_TSHARK_PRELOAD,
#      which scripts/run-tshark.sh hands to tshark alone);
#   5. a bounded editcap fuzz pass: scripts/fuzz.sh --iterations 200 --seconds 300.
# Exits 1 if any step failed, naming them; failing inputs are kept in
# BUILD/fuzz-results/.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

build=${SIPTXN_SANITIZE_BUILD:-${SIPTXN_BUILD%/}-sanitize}
results="$build/fuzz-results"
libfuzzer_seconds=${SIPTXN_LIBFUZZER_SECONDS:-60}
failures=()
started=$SECONDS

step() { siptxn_say "[$((SECONDS - started)) s] $*"; }
failed() { failures+=("$1"); siptxn_say "FAILED: $1"; }

siptxn_install_build_dependencies
siptxn_install_thorough_dependencies
command -v clang >/dev/null ||
    siptxn_die "clang is missing after installing it: the libFuzzer binary cannot be built (apt-get install clang libclang-rt-dev)"

step "building the sanitized configuration in $build"
cmake -S "$SIPTXN_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPTXN_SANITIZE=ON -DBUILD_TESTING=ON \
    -DSIPTXN_LIBFUZZER=ON >"$build.cmake.log" 2>&1 ||
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

step "core unit tests and the fuzz corpus replays"
(cd "$build" && timeout 600 ctest --output-on-failure -j "$(nproc)" -LE '^e2e$') ||
    failed "core unit tests / fuzz corpus replays (ctest -LE '^e2e\$' in $build)"

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
    failed "libFuzzer: the build made no $build/fuzz_engine (see $build.build.log)"
fi

step "end-to-end tests and adversarial captures with the sanitized plugin"
# Only tshark gets the runtime: python and the shell must not run with it preloaded.
# Leaks: exit code 23 fails the run, as an ASan error does.  Every test labelled
# e2e runs tshark through scripts/run-tshark.sh, which hands the runtime to
# tshark alone; the GUI test (label gui) does not run under the sanitizers.
(cd "$build" && SIPTXN_TSHARK_PRELOAD="$runtime" LSAN_OPTIONS="exitcode=23" \
    timeout 1500 ctest --output-on-failure -j "$(nproc)" -L '^e2e$' -LE '^gui$') ||
    failed "end-to-end / adversarial tests with the sanitized plugin (ctest -L '^e2e\$' -LE '^gui\$' in $build)"

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
