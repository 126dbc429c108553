#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-matrix.sh: builds siptxn and runs its whole test suite (scripts/test.sh)
# inside Debian chroots, one per suite, i.e. one per Wireshark release, and
# prints a table of the results.  Run as root.
#
# Usage: scripts/test-matrix.sh [--suites bookworm,trixie,forky] [--cache DIR]
#                               [--mirror URL] [--timeout SECONDS] [--logs DIR]
#                               [--refresh] [--no-upgrade] [--head]
#
#   --suites LIST     Debian suites to test, comma-separated (default: bookworm,trixie).
#                     bookworm has Wireshark 4.0, trixie 4.4; forky (testing) and
#                     sid have the newest Debian carries.
#   --cache DIR       where the chroots are kept between runs
#                     (default: /var/cache/siptxn-matrix; one folder per suite).
#   --mirror URL      Debian mirror (default: http://deb.debian.org/debian).
#   --timeout SECONDS limit for each step of a suite: creating the chroot,
#                     updating it, building and testing (default: 2400).
#   --logs DIR        where each suite's full log goes (default: build-matrix/).
#   --refresh         throw the cached chroots of the chosen suites away first.
#   --no-upgrade      use a cached chroot as it is, without apt-get update/upgrade.
#   --head            test the last commit (git archive HEAD) instead of the
#                     work tree as it is now.
#
# A chroot is created once with debootstrap (installed from Debian if missing)
# and reused; each run upgrades it, so the table shows what the suite has today.
# The source tree (git-tracked files plus untracked files that are not ignored)
# is copied afresh into /srv/siptxn in the chroot, where scripts/test.sh installs
# the build dependencies it lacks, builds with the tests and runs ctest.
# Every mount made here is undone on exit, also on failure or interruption, and
# no process started inside a chroot outlives the script.
# Exit status: 0 only if every chosen suite built and passed all its tests.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITES=bookworm,trixie
CACHE=/var/cache/siptxn-matrix
MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=
STEP_TIMEOUT=2400
LOGS=$ROOT/build-matrix
REFRESH=0
UPGRADE=1
HEAD_ONLY=0
# What scripts/test.sh needs is installed by test.sh itself; these are only what
# the chroot needs before it can run test.sh at all.
BASE_PACKAGES=bash,ca-certificates,util-linux

say() { printf 'test-matrix: %s\n' "$*" >&2; }
die() { printf 'test-matrix: error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

while [ $# -gt 0 ]; do
    case $1 in
        --suites) SUITES=${2:?--suites needs a list}; shift 2 ;;
        --suites=*) SUITES=${1#*=}; shift ;;
        --cache) CACHE=${2:?--cache needs a folder}; shift 2 ;;
        --cache=*) CACHE=${1#*=}; shift ;;
        --mirror) MIRROR=${2:?--mirror needs a URL}; shift 2 ;;
        --mirror=*) MIRROR=${1#*=}; shift ;;
        --timeout) STEP_TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
        --timeout=*) STEP_TIMEOUT=${1#*=}; shift ;;
        --logs) LOGS=${2:?--logs needs a folder}; shift 2 ;;
        --logs=*) LOGS=${1#*=}; shift ;;
        --refresh) REFRESH=1; shift ;;
        --no-upgrade) UPGRADE=0; shift ;;
        --head) HEAD_ONLY=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

[ "$(id -u)" = 0 ] || die "run as root: debootstrap, chroot and mount need it"
[[ $STEP_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a number of seconds, not '$STEP_TIMEOUT'"
case $CACHE in /*) ;; *) CACHE=$PWD/$CACHE ;; esac
case $LOGS in /*) ;; *) LOGS=$PWD/$LOGS ;; esac
[[ $CACHE =~ ^/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$ ]] || die "--cache must be a plain path without spaces, not '$CACHE'"
[ "$CACHE" != / ] || die "--cache cannot be /"
if [ "$HEAD_ONLY" = 1 ]; then
    git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null || die "--head needs a git checkout with a commit"
fi
SECURITY_MIRROR=${MIRROR%/debian}/debian-security
IFS=, read -r -a SUITE_LIST <<<"$SUITES"
[ ${#SUITE_LIST[@]} -gt 0 ] || die "--suites names no suite"
for suite in "${SUITE_LIST[@]}"; do
    [[ $suite =~ ^[a-z][a-z0-9-]*$ ]] || die "'$suite' is not a Debian suite name"
done

# ---- the chroot that is in use, and how it is put back ----------------------

CURRENT_CHROOT=
CHILD=
exec {STDERR}>&2

# Mount points below $1, deepest first (from /proc/self/mountinfo, whose paths
# escape blanks as octal; our paths have none).
mounts_below() {
    awk -v prefix="$1/" 'index($5, prefix) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Ends the processes whose root folder is the chroot $1: only what this script
# started there can be running in it.
end_processes_in() {
    local dir=$1 signal pid pids
    for signal in TERM KILL; do
        pids=()
        for pid in /proc/[0-9]*; do
            [ "$(readlink "$pid/root" 2>/dev/null)" = "$dir" ] && pids+=("${pid#/proc/}")
        done
        [ ${#pids[@]} -eq 0 ] && return 0
        say "ending processes left in $dir: ${pids[*]}"
        kill -s "$signal" "${pids[@]}" 2>/dev/null || true
        sleep 2
    done
}

unmount_below() {
    local dir=$1 target
    for target in $(mounts_below "$dir"); do
        umount -R "$target" 2>/dev/null || umount -R -l "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
    done
    if [ -n "$(mounts_below "$dir")" ]; then
        say "warning: could not unmount: $(mounts_below "$dir" | tr '\n' ' ')"
        return 1
    fi
}

release_chroot() {
    local dir=$CURRENT_CHROOT
    [ -n "$dir" ] || return 0
    end_processes_in "$dir"
    unmount_below "$dir" || true
    CURRENT_CHROOT=
CHILD=
exec {STDERR}>&2
}

# Deletes a chroot folder, never crossing into a mount that is still there.
remove_chroot() {
    local dir=$1
    [ -e "$dir" ] || return 0
    end_processes_in "$dir"
    unmount_below "$dir" || die "mounts remain below $dir: not deleting it"
    rm -rf --one-file-system "$dir"
}

on_exit() {
    local status=$?
    # Clean up whatever fails on the way, and tell it on the terminal's stderr
    # even if the signal came while a step's output went to a log.
    set +e
    exec 2>&"$STDERR"
    if [ -n "$CHILD" ]; then
        # timeout(1) passes the signal on to everything it started.
        kill -TERM "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    release_chroot
    exit "$status"
}
trap on_exit EXIT
trap 'say "interrupted" 2>&"$STDERR"; exit 130' INT TERM HUP

# Runs "$@" bounded by --timeout.  It runs in the background and is waited for,
# so that a signal to this script is acted on at once, not when it ends.
bounded() {
    local status=0
    timeout -k 30 "$STEP_TIMEOUT" "$@" &
    CHILD=$!
    wait "$CHILD" || status=$?
    CHILD=
    return "$status"
}

# ---- steps ------------------------------------------------------------------

ensure_debootstrap() {
    command -v debootstrap >/dev/null && return 0
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
        die "apt-get update failed; install debootstrap by hand"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
        --no-install-recommends debootstrap >/dev/null ||
        die "could not install debootstrap"
}

# debootstrap knows the suites that existed when it was packaged; newer ones
# (an older debootstrap and forky, say) are made the way sid is.
debootstrap_script() {
    local suite=$1
    if [ -e "/usr/share/debootstrap/scripts/$suite" ]; then
        echo "/usr/share/debootstrap/scripts/$suite"
    else
        echo /usr/share/debootstrap/scripts/sid
    fi
}

# The sources a suite's chroot uses: released suites get their updates and
# security fixes too, as an installed system of that release would.
write_sources() {
    local dir=$1 suite=$2
    {
        echo "deb $MIRROR $suite main"
        case $suite in
            sid|unstable|testing|experimental) ;;
            *)
                if wget_ok "$MIRROR/dists/$suite-updates/Release"; then
                    echo "deb $MIRROR $suite-updates main"
                fi
                if wget_ok "$SECURITY_MIRROR/dists/$suite-security/Release"; then
                    echo "deb $SECURITY_MIRROR $suite-security main"
                fi
                ;;
        esac
    } >"$dir/etc/apt/sources.list.new"
    mv "$dir/etc/apt/sources.list.new" "$dir/etc/apt/sources.list"
}

# Whether a URL answers (through apt's own downloader, which the host has).
wget_ok() {
    local tmp status
    tmp=$(mktemp -d)
    /usr/lib/apt/apt-helper download-file "$1" "$tmp/file" >/dev/null 2>&1 && status=0 || status=1
    rm -rf "$tmp"
    return $status
}

# Mounts /proc, /sys, /dev and what is below /dev (/dev/pts, /dev/shm) in the
# chroot.  The bind mounts are made slaves, so unmounting them later cannot
# reach the host's own mounts.
mount_chroot() {
    local dir=$1
    CURRENT_CHROOT=$dir
    mount -t proc proc "$dir/proc" &&
        mount --bind /sys "$dir/sys" && mount --make-rslave "$dir/sys" &&
        mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev" || return 1
    # --rbind brings /dev/pts along; bind it explicitly where it did not.
    if ! awk -v t="$dir/dev/pts" '$5 == t { found = 1 } END { exit !found }' /proc/self/mountinfo; then
        mkdir -p "$dir/dev/pts" && mount --bind /dev/pts "$dir/dev/pts" || return 1
    fi
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

# Runs a command in the chroot with a clean environment, bounded in time; the
# output is appended to the log.
in_chroot() {
    local dir=$1 log=$2
    shift 2
    bounded chroot "$dir" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
        TERM=dumb "$@" </dev/null >>"$log" 2>&1
}

create_chroot() {
    local suite=$1 dir=$2 log=$3 partial=$2.partial
    remove_chroot "$partial"
    say "$suite: creating the chroot with debootstrap (this downloads a few hundred MB)"
    CURRENT_CHROOT=$partial
    if ! bounded debootstrap --variant=minbase --include="$BASE_PACKAGES" \
        "$suite" "$partial" "$MIRROR" "$(debootstrap_script "$suite")" </dev/null >>"$log" 2>&1; then
        release_chroot
        remove_chroot "$partial"
        return 1
    fi
    release_chroot
    # No daemons may start inside the chroot when packages are installed.
    printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
    chmod 755 "$partial/usr/sbin/policy-rc.d"
    write_sources "$partial" "$suite"
    # A mirror may serve testing's or sid's Release file a while after its
    # Valid-Until date; the signatures are still checked.
    echo 'Acquire::Check-Valid-Until "false";' >"$partial/etc/apt/apt.conf.d/99siptxn-matrix"
    mv "$partial" "$dir"
}

# ctest's summary: "100% tests passed, 0 tests failed out of 37".
ctest_counts() {
    local log=$1 line total failed
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1) || true
    if [ -z "$line" ]; then
        echo "- -"
        return
    fi
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/' <<<"$line")
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    echo "$((total - failed)) $failed"
}

format_seconds() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Copies the source tree: git-tracked files and untracked files that are not
# ignored (or, with --head, the last commit); without git, everything but build
# folders and .git.
copy_sources() {
    local dest=$1
    rm -rf --one-file-system "$dest"
    mkdir -p "$dest"
    if [ "$HEAD_ONLY" = 1 ]; then
        git -C "$ROOT" archive --format=tar HEAD | tar -xf - -C "$dest"
    elif git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -co --exclude-standard -z |
            while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
            tar --null -T - -cf -) | tar -xf - -C "$dest"
    else
        (cd "$ROOT" && tar --exclude=./.git --exclude='./build' --exclude='./build-*' -cf - .) |
            tar -xf - -C "$dest"
    fi
}

# Runs one suite; fills RESULT_* and returns 0 when it built and passed.
# It runs as an if condition, where errexit is off: every step is checked.
run_suite() {
    local suite=$1 dir=$CACHE/$1 log=$LOGS/$1.log start now fresh=0
    RESULT_VERSION=-; RESULT_BUILD=no; RESULT_PASSED=-; RESULT_FAILED=-
    RESULT_SETUP=0; RESULT_TEST=0; RESULT_NOTE=
    : >"$log"
    start=$(date +%s)

    if [ "$REFRESH" = 1 ]; then
        say "$suite: removing the cached chroot"
        remove_chroot "$dir"
    fi
    if [ ! -x "$dir/bin/bash" ]; then
        remove_chroot "$dir"
        if ! create_chroot "$suite" "$dir" "$log"; then
            RESULT_NOTE="debootstrap failed"
            RESULT_SETUP=$(($(date +%s) - start))
            return 1
        fi
        fresh=1
    fi

    if ! mount_chroot "$dir"; then
        RESULT_NOTE="could not mount /proc, /sys, /dev in the chroot"
        release_chroot
        return 1
    fi
    if [ "$fresh" = 1 ] || [ "$UPGRADE" = 1 ]; then
        say "$suite: updating the chroot"
        if ! in_chroot "$dir" "$log" sh -c 'apt-get update -q && apt-get dist-upgrade -y -q --no-install-recommends && apt-get clean'; then
            RESULT_NOTE="apt-get update/upgrade failed"
            RESULT_SETUP=$(($(date +%s) - start))
            release_chroot
            return 1
        fi
    fi
    now=$(date +%s)
    RESULT_SETUP=$((now - start))

    say "$suite: copying the sources and running scripts/test.sh"
    if ! copy_sources "$dir/srv/siptxn"; then
        RESULT_NOTE="could not copy the sources into the chroot"
        release_chroot
        return 1
    fi
    echo "==== scripts/test.sh ====" >>"$log"
    local status=0
    # The fast suite: the thorough part (sanitizers, fuzzing) is the same on every release and runs in CI.
    in_chroot "$dir" "$log" bash -c 'cd /srv/siptxn && scripts/test.sh' || status=$?
    [ "$status" = 124 ] && RESULT_NOTE="timed out after ${STEP_TIMEOUT}s"

    # shellcheck disable=SC2016 # ${Version} is dpkg-query's, not the shell's
    RESULT_VERSION=$(chroot "$dir" dpkg-query -W -f='${Version}' tshark 2>/dev/null |
        sed -E 's/^[0-9]+://; s/[-+~].*//') || true
    [ -n "$RESULT_VERSION" ] || RESULT_VERSION=-
    if grep -Eq '^siptxn: running the (tests|fast suite)' "$log"; then
        RESULT_BUILD=yes
    elif grep -q '^siptxn: error: the build failed' "$log"; then
        # test.sh hides the compiler's output: build once more to log it.
        echo "==== compiler output ====" >>"$log"
        in_chroot "$dir" "$log" cmake --build /srv/siptxn/build -j 1 -- -k || true
        RESULT_NOTE="build errors in $log"
    else
        [ -n "$RESULT_NOTE" ] || RESULT_NOTE="test.sh stopped before building (see $log)"
    fi
    read -r RESULT_PASSED RESULT_FAILED < <(ctest_counts "$log")
    RESULT_TEST=$(($(date +%s) - now))
    release_chroot
    [ "$status" = 0 ] && [ "$RESULT_BUILD" = yes ] && [ "$RESULT_FAILED" = 0 ]
}

# ---- main -------------------------------------------------------------------

ensure_debootstrap
mkdir -p "$CACHE" "$LOGS"

rows=()
all_ok=1
for suite in "${SUITE_LIST[@]}"; do
    # One run at a time per suite's chroot, also across concurrent invocations.
    exec {lock}>"$CACHE/$suite.lock"
    flock -w "$STEP_TIMEOUT" "$lock" || die "$suite: its chroot stays locked by another run"
    if run_suite "$suite"; then outcome=pass; else outcome=FAIL; all_ok=0; fi
    exec {lock}>&-
    rows+=("$suite|$RESULT_VERSION|$RESULT_BUILD|$RESULT_PASSED|$RESULT_FAILED|$(format_seconds "$RESULT_SETUP")|$(format_seconds "$RESULT_TEST")|$outcome|$RESULT_NOTE")
    say "$suite: $outcome (log: $LOGS/$suite.log)"
done

{
    printf '%-10s %-10s %-6s %-7s %-7s %-9s %-9s %-6s %s\n' \
        suite wireshark build passed failed setup test result note
    for row in "${rows[@]}"; do
        IFS='|' read -r s v b p f su te o n <<<"$row"
        printf '%-10s %-10s %-6s %-7s %-7s %-9s %-9s %-6s %s\n' "$s" "$v" "$b" "$p" "$f" "$su" "$te" "$o" "$n"
    done
}
[ "$all_ok" = 1 ]
