#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the real tshark with the freshly built siptxn plugin (and nothing else of
# the user's configuration): run-tshark.sh PLUGIN.so [tshark arguments...]
# The locale is C.UTF-8 unless SIPTXN_TEST_LANG names another (e.g. ru_RU.UTF-8).
#
# Wireshark ignores personal plugin folders when started privileged, so when we
# are root the plugin goes into a throw-away home folder and tshark runs as the
# unprivileged user "nobody".  Without a plugin path ("-"), tshark runs plain.
set -euo pipefail

plugin=${1:?usage: run-tshark.sh PLUGIN.so|- [tshark arguments...]}
shift

version=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]\+\.[0-9]\+\)\..*/\1/p')
[ -n "$version" ] || { echo "run-tshark.sh: cannot run tshark: install it (apt-get install tshark)" >&2; exit 2; }

home=$(mktemp -d /tmp/siptxn-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.config/wireshark"
# An empty extcap folder: tshark starts every extcap helper for -G plugins or -D,
# and with a sanitizer runtime preloaded some (androiddump) never return.
mkdir -p "$home/extcap"
if [ "$plugin" != "-" ]; then
    [ -r "$plugin" ] || { echo "run-tshark.sh: plugin '$plugin' not found: build it first (cmake --build build)" >&2; exit 2; }
    # WIRESHARK_PLUGIN_DIR replaces the system plugin folder, so an older
    # siptxn installed there cannot shadow the one under test.
    mkdir -p "$home/plugins/$version/epan"
    cp "$plugin" "$home/plugins/$version/epan/siptxn.so"
else
    mkdir -p "$home/plugins/$version/epan"
fi
# Profiles and extra files the caller prepared (e.g. a UAT table) can be put in
# place by setting SIPTXN_TEST_PROFILE_DIR: it is copied to the personal config.
if [ -n "${SIPTXN_TEST_PROFILE_DIR:-}" ]; then
    cp -r "$SIPTXN_TEST_PROFILE_DIR"/. "$home/.config/wireshark/"
fi
# The unprivileged user may not reach the caller's folders (a checkout under
# /root, say): capture files given with -r are copied into the home folder.
arguments=()
while [ $# -gt 0 ]; do
    if [ "$1" = "-r" ] && [ $# -gt 1 ] && [ "$2" != "-" ]; then
        [ -r "$2" ] || { echo "run-tshark.sh: cannot read capture '$2'" >&2; exit 2; }
        copy="$home/input-${#arguments[@]}-$(basename "$2")"
        cp "$2" "$copy"
        arguments+=(-r "$copy")
        shift 2
    else
        arguments+=("$1")
        shift
    fi
done
chmod -R a+rX "$home"
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    exec_prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    exec_prefix=()
fi
"${exec_prefix[@]}" env HOME="$home" XDG_CONFIG_HOME="$home/.config" WIRESHARK_PLUGIN_DIR="$home/plugins" \
    WIRESHARK_EXTCAP_DIR="$home/extcap" \
    LANG="${SIPTXN_TEST_LANG:-C.UTF-8}" LC_ALL="${SIPTXN_TEST_LANG:-C.UTF-8}" LANGUAGE= \
    ${SIPTXN_TSHARK_PRELOAD:+LD_PRELOAD=$SIPTXN_TSHARK_PRELOAD} ${LD_PRELOAD:+LD_PRELOAD=$LD_PRELOAD} \
    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
    ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} \
    tshark "${arguments[@]}"
