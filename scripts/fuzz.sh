#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz.sh: mutates test-captures/*.pcapng with editcap -E and runs tshark with the sanitized plugin on each, stopping at the first crash.
#
#   scripts/fuzz.sh [--plugin PATH] [--iterations N] [--seconds S] [--rates "0.003 0.02 0.1"]
#                   [--seed N] [--results DIR] [--timeout S] [--captures DIR]
#
# One iteration takes one capture, changes each of its bytes with the given
# probability (editcap -E RATE --seed SEED: Wireshark's own fuzzing method) and
# runs tshark three times on the result: single pass with fields, two passes
# (-2) and single pass with the full tree (-V).  Captures go round first, then
# rates, then seeds, so the first iterations cover every capture at every rate.
#
# It stops at the first failure:
#   - tshark killed by a signal or exiting with a code >= 128 (a crash), or
#     running longer than --timeout seconds (a hang);
#   - an AddressSanitizer or UndefinedBehaviorSanitizer report on stderr;
#   - a LeakSanitizer report with a frame in siptxn (leaks that are all
#     Wireshark's own are counted and logged, not failures);
#   - a GLib/Wireshark assertion or critical message on stderr, or a
#     "Dissector bug"/"Malformed Packet" blamed on SIPTXN in the output;
# keeps the mutated capture, tshark's output and a reproduction command in the
# results folder, prints the command and exits 1.  Exit 0: no failure found
# within the bounds.  Without --plugin it builds the sanitized plugin in
# build-sanitize/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
plugin=""
iterations=1000
seconds=600
rates="0.003 0.02 0.1"
seed=1
results="$root/build-sanitize/fuzz-results"
run_timeout=300
captures_dir="$root/test-captures"

say() { printf 'fuzz: %s\n' "$*" >&2; }
die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '4,6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --plugin) plugin=${2:?}; shift 2 ;;
        --iterations) iterations=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        --rates) rates=${2:?}; shift 2 ;;
        --seed) seed=${2:?}; shift 2 ;;
        --results) results=${2:?}; shift 2 ;;
        --timeout) run_timeout=${2:?}; shift 2 ;;
        --captures) captures_dir=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) say "unknown argument '$1'"; usage ;;
    esac
done
[[ "$iterations" =~ ^[0-9]+$ && "$seconds" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ && "$run_timeout" =~ ^[0-9]+$ ]] ||
    die "--iterations, --seconds, --seed and --timeout take whole numbers"
read -r -a rate_list <<<"$rates"
[ ${#rate_list[@]} -gt 0 ] || die "--rates is empty"
for rate in "${rate_list[@]}"; do
    [[ "$rate" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "rate '$rate' is not a probability between 0 and 1"
done
command -v editcap >/dev/null || die "editcap is missing: apt-get install tshark"
command -v tshark >/dev/null || die "tshark is missing: apt-get install tshark"
run_tshark="$root/scripts/run-tshark.sh"
[ -x "$run_tshark" ] || die "$run_tshark is missing"

shopt -s nullglob
captures=("$captures_dir"/*.pcapng "$captures_dir"/*.pcap)
shopt -u nullglob
[ ${#captures[@]} -gt 0 ] || die "no captures in $captures_dir"

if [ -z "$plugin" ]; then
    build="$root/build-sanitize"
    say "building the sanitized plugin in $build"
    cmake -S "$root" -B "$build" -DSIPTXN_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.cmake.log" 2>&1 ||
        die "cmake failed: see $build.cmake.log"
    cmake --build "$build" --target siptxn -j "$(nproc)" >"$build.build.log" 2>&1 ||
        die "the build failed: see $build.build.log"
    plugin="$build/siptxn.so"
fi
[ -r "$plugin" ] || die "plugin '$plugin' not found"
plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")

# A sanitized plugin needs its runtime loaded first into the (uninstrumented)
# tshark: run-tshark.sh hands SIPTXN_TSHARK_PRELOAD to tshark alone.
preload=""
if grep -aq __asan_init "$plugin"; then
    preload=$(ldd "$plugin" | awk '/libasan\.so|libclang_rt\.asan/ { print $3; exit }')
    if [ -z "$preload" ] && command -v clang >/dev/null; then
        preload=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
    fi
    { [ -n "$preload" ] && [ -r "$preload" ]; } || die "cannot find the AddressSanitizer runtime the plugin was built with"
else
    say "note: $plugin is not built with sanitizers: only crashes and assertions can be found"
fi

mkdir -p "$results"
results=$(cd "$results" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/siptxn-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod a+rx "$work"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:symbolize=1:detect_odr_violation=0:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:symbolize=1"
export LSAN_OPTIONS="exitcode=23"

modes=(single-pass two-pass verbose)
mode_arguments() {
    case "$1" in
        single-pass) echo "-T fields -e frame.number -e siptxn.txn -e siptxn.role -e siptxn.state -e siptxn.ack.class" ;;
        two-pass) echo "-2" ;;
        verbose) echo "-V" ;;
    esac
}

# Prints why a run failed, or nothing.  Arguments: exit status, stdout file, stderr file.
failure_reason() {
    local status=$1 out=$2 err=$3
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "tshark ran longer than $run_timeout s (hang?)"; return
    fi
    if grep -q "ERROR: AddressSanitizer" "$err"; then
        echo "AddressSanitizer: $(grep -m1 'ERROR: AddressSanitizer' "$err" | sed 's/^==[0-9]*==//')"; return
    fi
    if grep -q "runtime error:" "$err"; then
        echo "UndefinedBehaviorSanitizer: $(grep -m1 'runtime error:' "$err")"; return
    fi
    if grep -q "ERROR: LeakSanitizer" "$err"; then
        if sed -n '/ERROR: LeakSanitizer/,$p' "$err" | grep -E '^ +#[0-9]+ ' |
            grep -Eq 'siptxn|/plugin/[A-Za-z0-9_/-]+\.c'; then
            echo "LeakSanitizer: memory allocated by siptxn leaked"; return
        fi
    fi
    if grep -q "LeakSanitizer has encountered a fatal error" "$err"; then
        echo "LeakSanitizer could not run (ptrace not permitted?): set ASAN_OPTIONS detect_leaks=0 by hand"; return
    fi
    if grep -Eiq 'assertion .*failed|\*\* \(tshark:[0-9]+\): (CRITICAL|ERROR)|ERROR:.*assertion|DISSECTOR_ASSERT' "$err"; then
        echo "assertion: $(grep -Eim1 'assertion .*failed|\*\* \(tshark:[0-9]+\): (CRITICAL|ERROR)|ERROR:.*assertion|DISSECTOR_ASSERT' "$err")"; return
    fi
    if grep -Eq 'Dissector bug, protocol SIPTXN|Malformed Packet: SIPTXN' "$out"; then
        echo "siptxn threw: $(grep -Em1 'Dissector bug, protocol SIPTXN|Malformed Packet: SIPTXN' "$out")"; return
    fi
    if [ "$status" -ge 128 ]; then
        echo "tshark died with signal $((status - 128))"; return
    fi
    if [ "$status" -ne 0 ] && ! { [ "$status" -eq 23 ] && grep -q "ERROR: LeakSanitizer" "$err"; }; then
        echo "tshark exited with status $status: $(tail -n1 "$err")"; return
    fi
}

reproduce_command() {
    local capture=$1 arguments=$2
    local prefix=""
    [ -n "$preload" ] && prefix="SIPTXN_TSHARK_PRELOAD=$preload ASAN_OPTIONS='$ASAN_OPTIONS' UBSAN_OPTIONS='$UBSAN_OPTIONS' LSAN_OPTIONS='$LSAN_OPTIONS' "
    echo "${prefix}$run_tshark $plugin -r $capture $arguments"
}

say "plugin $plugin"
# editcap 4.0 cannot rewrite a pcapng that holds TLS secrets: such a capture is
# mutated without them, and its key log put back afterwards.
declare -A keylog_of=()
for index in "${!captures[@]}"; do
    source=${captures[index]}
    stripped="$work/$(basename "${source%.*}")-packets.pcapng"
    keylog="$work/$(basename "${source%.*}").keys"
    status=0
    python3 "$root/scripts/pcapng-secrets.py" split "$source" "$stripped" "$keylog" || status=$?
    case $status in
        0) captures[index]=$stripped; keylog_of[$stripped]=$keylog ;;
        3) ;;
        *) die "cannot read the secrets of $source" ;;
    esac
done

say "${#captures[@]} captures, rates ${rate_list[*]}, seed $seed, at most $iterations iterations or $seconds s"
start=$SECONDS
iteration=0
foreign_leaks=0
mutated="$work/mutated.pcapng"
while [ "$iteration" -lt "$iterations" ] && [ $((SECONDS - start)) -lt "$seconds" ]; do
    capture=${captures[iteration % ${#captures[@]}]}
    rate=${rate_list[(iteration / ${#captures[@]}) % ${#rate_list[@]}]}
    iteration_seed=$((seed + iteration))
    editcap -E "$rate" --seed "$iteration_seed" "$capture" "$mutated" >"$work/editcap.log" 2>&1 ||
        die "editcap -E $rate --seed $iteration_seed $capture failed: $(cat "$work/editcap.log")"
    if [ -n "${keylog_of[$capture]:-}" ]; then
        mv "$mutated" "$work/mutated-packets.pcapng"
        editcap --inject-secrets "tls,${keylog_of[$capture]}" "$work/mutated-packets.pcapng" "$mutated" \
            >"$work/editcap.log" 2>&1 || die "editcap --inject-secrets into $capture failed: $(cat "$work/editcap.log")"
    fi
    chmod a+r "$mutated"
    for mode in "${modes[@]}"; do
        arguments=$(mode_arguments "$mode")
        status=0
        # shellcheck disable=SC2086 # the mode's arguments are split on purpose
        env ${preload:+SIPTXN_TSHARK_PRELOAD=$preload} timeout -k 10 "$run_timeout" \
            "$run_tshark" "$plugin" -r "$mutated" $arguments >"$work/out" 2>"$work/err" || status=$?
        reason=$(failure_reason "$status" "$work/out" "$work/err")
        if [ -z "$reason" ]; then
            if grep -q "ERROR: LeakSanitizer" "$work/err"; then
                foreign_leaks=$((foreign_leaks + 1))
                cat "$work/err" >>"$results/foreign-leaks.log"
            fi
            continue
        fi
        name="$(basename "${capture%.*}")-E$rate-seed$iteration_seed"
        kept="$results/$name.pcapng"
        cp "$mutated" "$kept"
        cp "$work/err" "$results/$name.$mode.stderr"
        cp "$work/out" "$results/$name.$mode.stdout"
        {
            echo "# $reason"
            echo "# iteration $iteration, $mode; the capture was made with:"
            echo "#   editcap -E $rate --seed $iteration_seed $capture $kept"
            reproduce_command "$kept" "$arguments"
        } >"$results/$name.reproduce"
        say "FAILURE after $((iteration + 1)) iterations ($((SECONDS - start)) s): $reason"
        say "capture kept: $kept (made with: editcap -E $rate --seed $iteration_seed $capture)"
        say "stderr: $results/$name.$mode.stderr"
        say "reproduce with:"
        reproduce_command "$kept" "$arguments" >&2
        exit 1
    done
    iteration=$((iteration + 1))
done
say "$iteration iterations ($((iteration * ${#modes[@]})) tshark runs) in $((SECONDS - start)) s: no failure"
if [ "$foreign_leaks" -gt 0 ]; then
    say "$foreign_leaks runs reported leaks with no siptxn frame (Wireshark's own): $results/foreign-leaks.log"
fi
