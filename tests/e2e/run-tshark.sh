#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the real tshark with the freshly built siptxn plugin (and nothing else of
# the user's configuration): run-tshark.sh PLUGIN.so [tshark arguments...]
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
chmod -R a+rX "$home"

if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    exec_prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    exec_prefix=()
fi
# Input files must be readable by the unprivileged user: callers pass paths
# inside the source tree, which is world-readable.
"${exec_prefix[@]}" env HOME="$home" XDG_CONFIG_HOME="$home/.config" WIRESHARK_PLUGIN_DIR="$home/plugins" \
    ${SIPTXN_TEST_LANG:+LANG=$SIPTXN_TEST_LANG LC_ALL=$SIPTXN_TEST_LANG LANGUAGE=} \
    ${LD_PRELOAD:+LD_PRELOAD=$LD_PRELOAD} ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
    tshark "$@"
