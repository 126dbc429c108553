#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench.sh: measures what siptxn adds to tshark (time, CPU, peak memory) on a large generated SIP capture.
#
# Usage: scripts/bench.sh [--messages N] [--rounds R] [--seed S] [--scaling] [--profile]
#                         [--csv FILE] [--build-dir DIR] [--plugin FILE] [--mate-plugin FILE] [--strict]
#
# Builds siptxn (RelWithDebInfo) unless --plugin names a built siptxn.so, generates
# the capture (cached by size, seed and generator version), then runs tshark in
# alternating rounds, each run as its own process measured with /usr/bin/time:
#   A  tshark -r CAPTURE                                       without siptxn
#   B  tshark -r CAPTURE                                       with siptxn
#   C  tshark -r CAPTURE -T fields -e siptxn.txn -e siptxn.role -e siptxn.ack.class   with siptxn
#   D  tshark -r CAPTURE -T fields -e sip.Call-ID -e sip.CSeq.seq -e sip.Method       without siptxn
#   E  tshark -2 -r CAPTURE                                    with siptxn
#   F  tshark -r CAPTURE      with only a reference post-dissector that wants the
#                             same field as siptxn and does nothing (scripts/bench/floor-plugin.c)
#   G  tshark -r CAPTURE      with that post-dissector doing the least any transaction
#                             annotator must do (a model: new state within the memory
#                             target, a few random accesses to it, the Info column text)
#   M  tshark -r CAPTURE -o mate.config:scripts/bench/sip-transactions.mate
#                             with only Wireshark's MATE plugin, grouping the SIP
#                             messages into transactions
# and prints the medians, the ratios B/A, C/D and B/F (siptxn's own work on top
# of what wanting a field costs any post-dissector), M/A, whether siptxn's
# overhead B-A is at most half of MATE's M-A, and the peak RSS growth per
# transaction (RSS_B - RSS_A) / transactions (and MATE's, RSS_M - RSS_A), the
# transactions being the largest siptxn.txn of run C.  --scaling also runs A and B on captures of N/10 and 3N/10
# messages.  Every run's numbers go to the CSV file.  --profile instead runs
# tshark under callgrind on a small capture and ranks the plugin's functions.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
    sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'

  --messages N      SIP messages in the capture (default 1000000)
  --rounds R        rounds of A..G and M; medians are taken over them (default 3)
  --seed S          seed of the generated capture (default 1)
  --scaling         also run A and B at N/10 and 3N/10 messages
  --profile         instead of timing: run tshark under callgrind on a capture of
                    --profile-messages (default 20000) messages and rank the plugin's functions
  --csv FILE        results file (default BUILD-DIR/bench-results.csv)
  --build-dir DIR   where siptxn is built and captures are cached (default build-bench)
  --plugin FILE     use this siptxn.so instead of building one
  --floor-plugin FILE  use this siptxn-floor.so (run F) instead of building one
  --mate-plugin FILE   use this mate.so (run M) instead of Wireshark's own
  --strict          exit 1 when a CPU or memory guardrail is not met (MATE, peak RSS)
EOF
}

messages=1000000
rounds=3
seed=1
scaling=0
profile=0
profile_messages=20000
strict=()
csv=
plugin=
floor_plugin=
mate_plugin=
build_dir=${SIPTXN_BENCH_BUILD:-$SIPTXN_ROOT/build-bench}

number_argument() {
    [[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || siptxn_die "$1 wants a positive whole number, got '${2:-}'"
}
while [ $# -gt 0 ]; do
    case $1 in
        --messages) number_argument "$1" "${2:-}"; messages=$2; shift 2 ;;
        --rounds) number_argument "$1" "${2:-}"; rounds=$2; shift 2 ;;
        --seed) [[ ${2:-} =~ ^[0-9]+$ ]] || siptxn_die "--seed wants a whole number"; seed=$2; shift 2 ;;
        --scaling) scaling=1; shift ;;
        --profile) profile=1; shift ;;
        --profile-messages) number_argument "$1" "${2:-}"; profile_messages=$2; shift 2 ;;
        --csv) csv=${2:?--csv wants a file name}; shift 2 ;;
        --build-dir) build_dir=${2:?--build-dir wants a folder}; shift 2 ;;
        --plugin) plugin=${2:?--plugin wants a siptxn.so}; shift 2 ;;
        --floor-plugin) floor_plugin=${2:?--floor-plugin wants a siptxn-floor.so}; shift 2 ;;
        --mate-plugin) mate_plugin=${2:?--mate-plugin wants a mate.so}; shift 2 ;;
        --strict) strict=(--strict); shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; siptxn_die "unknown argument '$1'" ;;
    esac
done
[ "$rounds" -ge 3 ] || siptxn_say "warning: $rounds round(s): medians of fewer than 3 runs are easily skewed by other load"

# ---------------------------------------------------------------- tools

command -v tshark >/dev/null || siptxn_die "tshark is not installed: apt-get install tshark"
command -v python3 >/dev/null || siptxn_die "python3 is not installed: apt-get install python3"
[ -x /usr/bin/time ] || siptxn_die "/usr/bin/time is not installed (the shell keyword cannot report memory): apt-get install time"
run_tshark=$SIPTXN_ROOT/scripts/run-tshark.sh
if [ "$profile" = 1 ]; then
    command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
        siptxn_die "--profile needs valgrind and callgrind_annotate: apt-get install valgrind"
fi

mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
csv=${csv:-$build_dir/bench-results.csv}
bench_dir=$SIPTXN_ROOT/scripts/bench
started=$SECONDS

# ---------------------------------------------------------------- plugin

SIPTXN_BUILD=$build_dir
if [ -z "$plugin" ]; then
    siptxn_say "building siptxn (RelWithDebInfo) in $build_dir"
    siptxn_build -DSIPTXN_SANITIZE=OFF -DBUILD_TESTING=OFF
    plugin=$build_dir/siptxn.so
fi
[ -r "$plugin" ] || siptxn_die "plugin '$plugin' not found"
if [ -z "$floor_plugin" ]; then
    siptxn_say "building the reference post-dissector (run F) in $build_dir"
    cmake -S "$SIPTXN_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
        siptxn_die "cmake could not configure $build_dir: see the messages above"
    cmake --build "$build_dir" --target siptxn_floor >/dev/null ||
        siptxn_die "the reference post-dissector did not build: run 'cmake --build $build_dir --target siptxn_floor'"
    floor_plugin=$build_dir/siptxn-floor.so
fi
[ -r "$floor_plugin" ] || siptxn_die "reference post-dissector '$floor_plugin' not found"
if [ -z "$mate_plugin" ]; then
    # Wireshark's own MATE plugin, from the system plugin folder the runs do without.
    mate_plugin=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p' | head -n 1)/epan/mate.so
fi
[ -r "$mate_plugin" ] ||
    siptxn_die "Wireshark's MATE plugin '$mate_plugin' not found (run M): reinstall tshark's libraries (apt-get install --reinstall libwireshark16) or pass --mate-plugin FILE"

# Every tshark runs through run-tshark.sh in one home folder that this script
# keeps (the capture is copied into it once): an empty environment, an empty
# personal configuration, and, as root, the user nobody (Wireshark ignores
# personal plugin folders when privileged).  Each run's plugin folder holds
# its one plugin, or nothing.  This script's own files go next to the home.
work=$(mktemp -d /tmp/siptxn-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
home=$work/home
mkdir -p "$home"
mate_config=$home/sip-transactions.mate
cp "$bench_dir/sip-transactions.mate" "$mate_config"

# Run G's model for the reference post-dissector, per SIP message: bytes of new
# state, random accesses to it, Info column text (1: yes).  100 bytes per message
# (256 bytes per transaction at the generated captures' 2.5 messages per
# transaction, the old memory target); 4 accesses stand for an index probe, the
# transaction, its key text and one more (a response or a text).
floor_model=100:4:1

# plugin_of CONFIGURATION: the plugin file a run loads, or - for none.
plugin_of() {
    case $1 in
        A|D) echo - ;;
        B|C|E) echo "$plugin" ;;
        F|G) echo "$floor_plugin" ;;
        M) echo "$mate_plugin" ;;
    esac
}

# in_home PLUGIN [run-tshark.sh options] -- COMMAND...: COMMAND (tshark, or a
# tool that runs it) as the benchmark's user, with PLUGIN alone.
in_home() {
    local loaded_plugin=$1 options=()
    shift
    while [ "$1" != -- ]; do
        options+=("$1")
        shift
    done
    shift
    "$run_tshark" --home "$home" --clean-environment "${options[@]}" --command "$loaded_plugin" "$@"
}

# Each run loads the plugin it should, and only that one.
for configuration in A B F M; do
    loaded=$(in_home "$(plugin_of $configuration)" -- tshark -G plugins 2>&1 || true)
    case $configuration in
        A) ! grep -q 'siptxn' <<< "$loaded" ||
               siptxn_die "tshark loads a siptxn plugin even with an empty plugin folder: remove the installed one" ;;
        B) grep -q 'siptxn\.so' <<< "$loaded" ||
               siptxn_die "tshark does not load $plugin: run 'scripts/run-tshark.sh $plugin -G plugins' to see why" ;;
        F) grep -q 'siptxn-floor\.so' <<< "$loaded" ||
               siptxn_die "tshark does not load $floor_plugin: run 'scripts/run-tshark.sh $floor_plugin -G plugins' to see why" ;;
        M) grep -q 'mate\.so' <<< "$loaded" ||
               siptxn_die "tshark does not load $mate_plugin: run 'scripts/run-tshark.sh $mate_plugin -G plugins' to see why" ;;
    esac
done
# Run M's configuration is read and groups transactions (checked on a small capture).
grouped=$(in_home "$mate_plugin" -- tshark -o "mate.config:$mate_config" -r "$SIPTXN_ROOT/test-captures/invite-486.pcapng" \
          -T fields -e mate.sip_transaction 2> "$work/mate-check.txt" || true)
[ "$(sort -u <<< "$grouped")" = 1 ] ||
    siptxn_die "MATE does not group the 5 messages of test-captures/invite-486.pcapng into one transaction with" \
        "$bench_dir/sip-transactions.mate (got '$(tr '\n' ' ' <<< "$grouped")'): $(tail -n 3 "$work/mate-check.txt")"

# ---------------------------------------------------------------- captures

generator_version=$(sha256sum "$bench_dir/generate-capture.py" | cut -c1-12)
capture_dir=$build_dir/bench-captures
mkdir -p "$capture_dir"

# Prints the path of the capture with $1 messages, generating it when it is not cached.
capture_for() {
    local size=$1 file
    file=$capture_dir/sip-$size-seed$seed-$generator_version.pcapng
    if [ ! -s "$file" ]; then
        siptxn_say "generating $size SIP messages (seed $seed)"
        python3 "$bench_dir/generate-capture.py" --messages "$size" --seed "$seed" -o "$file" >&2 ||
            siptxn_die "generate-capture.py failed"
    fi
    # A copy in the home folder, which run-tshark.sh gives to the benchmark's user
    # and does not copy again for every run.
    if [ ! -s "$home/$(basename "$file")" ]; then
        cp "$file" "$home/$(basename "$file")" || siptxn_die "cannot copy $file into $home"
    fi
    file=$home/$(basename "$file")
    cat "$file" > /dev/null   # into the page cache, so the first run does not pay for the disk
    printf '%s\n' "$file"
}

# ---------------------------------------------------------------- measuring

runs=$work/runs.tsv
: > "$runs"

# measure SIZE CONFIGURATION ROUND CAPTURE: one timed tshark run, appended to $runs.
measure() {
    local size=$1 configuration=$2 round=$3 capture=$4 output=/dev/null
    local arguments=(-r "$capture") model=()
    case $configuration in
        C) output=$work/fields-C.txt
           arguments+=(-T fields -e siptxn.txn -e siptxn.role -e siptxn.ack.class) ;;
        D) output=$work/fields-D.txt
           arguments+=(-T fields -e sip.Call-ID -e sip.CSeq.seq -e sip.Method) ;;
        E) arguments=(-2 "${arguments[@]}") ;;
        G) model=(--env SIPTXNFLOOR_MODEL="$floor_model") ;;
        M) arguments=(-o "mate.config:$mate_config" "${arguments[@]}") ;;
    esac
    # /usr/bin/time runs inside, as the benchmark's user: it measures tshark alone.
    if ! in_home "$(plugin_of "$configuration")" "${model[@]}" -- \
            /usr/bin/time -f '%e %U %S %M' -o "$home/time.txt" tshark "${arguments[@]}" \
            > "$output" 2> "$work/stderr.txt"; then
        cat "$work/stderr.txt" >&2
        siptxn_die "run $configuration (tshark ${arguments[*]}) failed"
    fi
    local wall user system rss
    read -r wall user system rss < <(tail -n 1 "$home/time.txt")
    printf '%s %s %s %s %s %s %s\n' "$size" "$configuration" "$round" "$wall" "$user" "$system" "$rss" >> "$runs"
    awk -v size="$size" -v round="$round" -v run="$configuration" -v wall="$wall" \
        -v user="$user" -v kernel="$system" -v rss="$rss" 'BEGIN {
            printf "  %8d messages  round %d  %s  wall %7.2f s  CPU %7.2f s  peak RSS %7.1f MiB\n",
                   size, round, run, wall, user + kernel, rss / 1024 }' >&2
}

# rounds SIZE CAPTURE CONFIGURATION...: $rounds rounds, odd ones in the order given and
# even ones reversed, so slow drifts of the machine's load hit every configuration alike.
measure_rounds() {
    local size=$1 capture=$2 round configuration order
    shift 2
    for round in $(seq 1 "$rounds"); do
        order=("$@")
        if [ $((round % 2)) = 0 ]; then
            order=()
            for configuration in "$@"; do
                order=("$configuration" "${order[@]}")
            done
        fi
        for configuration in "${order[@]}"; do
            measure "$size" "$configuration" "$round" "$capture"
        done
    done
}

# ---------------------------------------------------------------- machine

machine() {
    local model memory
    model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
    memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    printf 'machine: %s, %s CPUs (nproc), %s RAM, %s; %s\n' "${model:-unknown CPU}" "$(nproc)" "$memory" \
        "$(uname -sr)" "$(tshark --version 2>/dev/null | head -n 1)"
    printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------- profile

# callgrind SIZE: tshark under callgrind without siptxn, without it but with a
# protocol tree, and with it; then where the added instructions go.
callgrind() {
    local size=$1 capture name loaded_plugin
    local filter=()
    capture=$(capture_for "$size")
    for name in without tree with; do
        loaded_plugin=- filter=()
        [ "$name" = with ] && loaded_plugin=$plugin
        [ "$name" = tree ] && filter=(-Y frame)
        siptxn_say "callgrind: tshark -r ${filter[*]} ($name siptxn) on $size messages"
        if ! in_home "$loaded_plugin" -- valgrind --tool=callgrind \
                --callgrind-out-file="$home/callgrind.$name.out" tshark -r "$capture" "${filter[@]}" \
                > /dev/null 2> "$work/callgrind.$name.log"; then
            cat "$work/callgrind.$name.log" >&2
            siptxn_die "callgrind run '$name' failed"
        fi
        cp "$home/callgrind.$name.out" "$build_dir/callgrind.$name.out"
    done
    python3 "$bench_dir/measure.py" profile --messages "$size" --without "$build_dir/callgrind.without.out" \
        --tree "$build_dir/callgrind.tree.out" --with "$build_dir/callgrind.with.out"
    printf '\ncallgrind outputs: %s/callgrind.{without,tree,with}.out (kcachegrind or callgrind_annotate)\n' \
        "$build_dir"
}

# ---------------------------------------------------------------- the benchmark

machine
if [ "$profile" = 1 ]; then
    callgrind "$profile_messages"
    printf 'bench.sh took %d s\n' $((SECONDS - started))
    exit 0
fi

capture=$(capture_for "$messages")
siptxn_say "$rounds round(s) of A-G and M on $messages messages: $capture"
measure_rounds "$messages" "$capture" A B C D E F G M

transactions=$(python3 "$bench_dir/measure.py" transactions "$work/fields-C.txt")
matched=$(awk -F'\t' '{ n += split($2, roles, ",") } END { print n + 0 }' "$work/fields-C.txt")
dissected=$(python3 "$bench_dir/measure.py" messages "$work/fields-D.txt")
printf 'SIP messages: %s generated, %s dissected by SIP (run D), %s in transactions (run C); %s transactions\n' \
    "$messages" "$dissected" "$matched" "$transactions"
[ "$dissected" = "$messages" ] || siptxn_say "warning: tshark found $dissected SIP messages, not $messages"
[ "$transactions" -gt 0 ] || siptxn_die "run C shows no siptxn.txn: the plugin did not analyse the capture"

report=(--csv "$csv" --messages "$messages" --transactions "$transactions" --model "$floor_model" "${strict[@]}")
if [ "$scaling" = 1 ]; then
    for size in $((messages / 10)) $((messages * 3 / 10)); do
        [ "$size" -gt 0 ] || continue
        smaller=$(capture_for "$size")
        siptxn_say "scaling: $rounds round(s) of A and B on $size messages"
        measure_rounds "$size" "$smaller" A B
    done
    report+=(--scaling)
fi

status=0
python3 "$bench_dir/measure.py" report "$runs" "${report[@]}" || status=$?
printf 'bench.sh took %d s\n' $((SECONDS - started))
exit "$status"
