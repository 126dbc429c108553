#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-tshark.sh: runs tshark, or the Wireshark GUI, with one given plugin and
# nothing of the user's own Wireshark set-up.  Every script and test that runs
# a plugin under test goes through here: scripts/siptxn-check, the end-to-end
# and adversarial tests, scripts/fuzz.sh, scripts/bench.sh and
# scripts/gui-screenshot.sh.
#
# Usage: scripts/run-tshark.sh [options] PLUGIN.so|- [program arguments...]
#
#   PLUGIN.so   the plugin to load: copied into HOME/plugins/MAJOR.MINOR/epan/
#               under its own name (as siptxn.so if its name does not end in
#               .so), and WIRESHARK_PLUGIN_DIR points at HOME/plugins.  That
#               folder replaces Wireshark's system plugin folder, so an
#               installed siptxn cannot shadow the one under test.
#   -           no plugin at all: an empty plugin folder.
#
# What the program gets:
#   - a home folder of its own: HOME, XDG_CONFIG_HOME (an empty personal
#     configuration), XDG_RUNTIME_DIR, and an empty extcap folder
#     (WIRESHARK_EXTCAP_DIR: tshark starts every extcap helper for -G plugins
#     or -D, and with a sanitizer runtime preloaded some never return);
#   - the locale C.UTF-8 (LANG, LC_ALL; LANGUAGE empty) unless --locale says;
#   - a copy in the home folder of every capture given with -r FILE (one
#     already inside the home folder is read where it is);
#   - run as root: the unprivileged user 65534 ("nobody"), to whom the home
#     folder is given, because a privileged Wireshark ignores
#     WIRESHARK_PLUGIN_DIR and personal folders;
#   - the caller's other environment variables except Wireshark's own
#     (WIRESHARK_*), or only PATH and TZ with --clean-environment;
#   - LD_PRELOAD=$SIPTXN_TSHARK_PRELOAD when that is set: the sanitizer
#     runtime a sanitized plugin needs goes to the program alone, not to this
#     script (ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS are passed on).
#
# The plugin folder is named after the program's major.minor version, which
# this script asks the program for (P --version), unless the caller says it in
# SIPTXN_WIRESHARK_VERSION (the tests do: CMake knows the version the plugin is
# built for, and asking costs a quarter of a second per run).
#
# Options (before PLUGIN):
#   --program P         the program: tshark (default), wireshark, or a path to one
#   --home DIR          lay the home folder out in DIR (created if missing) and
#                       keep it; the program then replaces this script, with the
#                       same process id.  Default: a temporary folder, removed
#                       when the program ends.
#   --profile DIR       copy DIR's files into the personal configuration folder
#                       (preferences, colorfilters, a UAT table); default
#                       $SIPTXN_TEST_PROFILE_DIR
#   --locale L          LANG and LC_ALL, e.g. ru_RU.UTF-8; default
#                       $SIPTXN_TEST_LANG, then C.UTF-8
#   --env NAME=VALUE    one more environment variable for the program (repeatable)
#   --clean-environment start from an empty environment (PATH and TZ are kept)
#   --command           the arguments after PLUGIN are a whole command line that
#                       runs the program, e.g. /usr/bin/time -o F tshark -r C:
#                       a measuring tool runs as the same user, in the same
#                       environment
#
# Exit status: the program's; 125 when this script could not set it up (the
# reason is on stderr, after "run-tshark.sh: ").
#
# Examples:
#   scripts/run-tshark.sh build/siptxn.so -r test-captures/invite-486.pcapng -Y siptxn
#   scripts/run-tshark.sh build/siptxn.so -G values | grep siptxn.role
#   SIPTXN_TSHARK_PRELOAD=$(gcc -print-file-name=libasan.so) \
#       scripts/run-tshark.sh build-sanitize/siptxn.so -r test-captures/invite-486.pcapng -2 -V
set -euo pipefail

fail() { printf 'run-tshark.sh: %s\n' "$*" >&2; exit 125; }

program=tshark
home=
keep_home=0
profile=${SIPTXN_TEST_PROFILE_DIR:-}
locale=${SIPTXN_TEST_LANG:-C.UTF-8}
extra_environment=()
clean_environment=0
whole_command=0
while [ $# -gt 0 ]; do
    case $1 in
        --program) [ $# -ge 2 ] || fail "--program needs a program"; program=$2; shift 2 ;;
        --home) [ $# -ge 2 ] || fail "--home needs a folder"; home=$2; keep_home=1; shift 2 ;;
        --profile) [ $# -ge 2 ] || fail "--profile needs a folder"; profile=$2; shift 2 ;;
        --locale) [ $# -ge 2 ] || fail "--locale needs a locale"; locale=$2; shift 2 ;;
        --env) [[ ${2:-} == [A-Za-z_]*=* ]] || fail "--env needs NAME=VALUE"; extra_environment+=("$2"); shift 2 ;;
        --clean-environment) clean_environment=1; shift ;;
        --command) whole_command=1; shift ;;
        --) shift; break ;;
        -*) [ "$1" = - ] && break; fail "unknown option '$1' (see the top of $0)" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || fail "usage: run-tshark.sh [options] PLUGIN.so|- [program arguments...] (see the top of $0)"
plugin=$1
shift
[ "$whole_command" = 0 ] || [ $# -ge 1 ] || fail "--command needs the command after PLUGIN"

command -v "$program" >/dev/null || fail "$program was not found: install it (apt-get install ${program##*/})"
version=${SIPTXN_WIRESHARK_VERSION:-}
if [ -z "$version" ]; then
    version_text=$("$program" --version 2>/dev/null | head -n 1) || true
    version=$(sed -n 's/.* \([0-9]\+\.[0-9]\+\)\.[0-9].*/\1/p' <<< "$version_text")
    [ -n "$version" ] ||
        fail "'${program##*/} --version' failed: check the ${program##*/} installation (apt-get install --reinstall ${program##*/})"
fi
[[ $version =~ ^[0-9]+\.[0-9]+$ ]] || fail "SIPTXN_WIRESHARK_VERSION must look like 4.0, not '$version'"

if [ "$plugin" != - ]; then
    [ -f "$plugin" ] && [ -r "$plugin" ] || fail "plugin '$plugin' not found: build it first (cmake --build build)"
fi
[ -z "$profile" ] || [ -d "$profile" ] || fail "profile folder '$profile' not found"

if [ -z "$home" ]; then
    home=$(mktemp -d /tmp/siptxn-home.XXXXXX) || fail "cannot create a home folder in /tmp"
    trap 'rm -rf "$home"' EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
else
    mkdir -p "$home" || fail "cannot create the home folder '$home'"
fi
home=$(cd "$home" && pwd -P)

# The home folder: configuration, runtime and extcap folders, the plugin alone.
mkdir -p "$home/.config/wireshark" "$home/runtime" "$home/extcap" || fail "cannot write into '$home'"
rm -rf "$home/plugins"
mkdir -p "$home/plugins/$version/epan"
if [ "$plugin" != - ]; then
    name=$(basename "$plugin")
    [[ $name == *.so ]] || name=siptxn.so
    cp "$plugin" "$home/plugins/$version/epan/$name" || fail "cannot copy '$plugin' into '$home'"
fi
if [ -n "$profile" ]; then
    cp -r "$profile"/. "$home/.config/wireshark/" || fail "cannot copy the profile '$profile'"
fi

# Captures given with -r are copied into the home folder: the unprivileged user
# may not reach the caller's folders (a checkout under /root, say).
arguments=()
copies=0
while [ $# -gt 0 ]; do
    if { [ "$1" = -r ] || [ "$1" = --read-file ]; } && [ $# -gt 1 ] && [ "$2" != - ]; then
        [ -r "$2" ] || fail "cannot read capture '$2'"
        capture=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
        if [[ $capture != "$home"/* ]]; then
            # One folder per copy: the copy keeps the capture's name (the GUI's title).
            copies=$((copies + 1))
            mkdir -p "$home/captures/$copies"
            capture=$home/captures/$copies/$(basename "$2")
            cp "$2" "$capture" || fail "cannot copy capture '$2' into '$home'"
        fi
        arguments+=("$1" "$capture")
        shift 2
    else
        arguments+=("$1")
        shift
    fi
done

as_user=()
chmod -R a+rX "$home"
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || fail "setpriv is needed to run ${program##*/} unprivileged: apt-get install util-linux"
    chown -R 65534:65534 "$home"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod 700 "$home/runtime"

environment=(HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$home/runtime"
             WIRESHARK_PLUGIN_DIR="$home/plugins" WIRESHARK_EXTCAP_DIR="$home/extcap"
             LANG="$locale" LC_ALL="$locale" LANGUAGE=)
if [ "$clean_environment" = 1 ]; then
    environment_start=(-i PATH="$PATH")
    [ -z "${TZ+set}" ] || environment_start+=(TZ="$TZ")
    for name in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        [ -z "${!name:-}" ] || environment+=("$name=${!name}")
    done
else
    environment_start=()
    for name in $(compgen -e); do
        [[ $name != WIRESHARK_* ]] || environment_start+=(-u "$name")
    done
fi
[ -z "${SIPTXN_TSHARK_PRELOAD:-}" ] || environment+=(LD_PRELOAD="$SIPTXN_TSHARK_PRELOAD")
environment+=("${extra_environment[@]}")

if [ "$whole_command" = 1 ]; then
    command=("${arguments[@]}")
else
    command=("$program" "${arguments[@]}")
fi
if [ "$keep_home" = 1 ]; then
    exec "${as_user[@]}" env "${environment_start[@]}" "${environment[@]}" "${command[@]}"
fi
"${as_user[@]}" env "${environment_start[@]}" "${environment[@]}" "${command[@]}"
