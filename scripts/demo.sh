#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh: installs what is missing, builds and installs siptxn, and shows it
# explaining a bundled capture (a call through a stateful proxy) with tshark.
# As root the plugin goes to Wireshark's system plugin folder (a privileged
# Wireshark ignores personal folders); otherwise to your personal one.
# Usage: scripts/demo.sh [capture]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

capture=${1:-$SIPTXN_ROOT/test-captures/invite-486.pcapng}
[ -r "$capture" ] || siptxn_die "cannot read '$capture': give the path of a capture file"

siptxn_install_build_dependencies
if [ "$(id -u)" = 0 ]; then
    siptxn_build -DSIPTXN_INSTALL_SYSTEM=ON
else
    siptxn_build -DSIPTXN_INSTALL_SYSTEM=OFF
fi
cmake --install "$SIPTXN_BUILD" >/dev/null || siptxn_die "cmake --install failed: see the messages above"
siptxn_say "installed into $(sed -n 's/^SIPTXN_PLUGIN_DIR:PATH=//p' "$SIPTXN_BUILD/CMakeCache.txt")"
tshark -G plugins 2>/dev/null | grep -q '^siptxn' ||
    siptxn_die "tshark does not load siptxn: check 'tshark -G plugins' and the folder above"

echo
echo "== One line per SIP message: frame, message, transaction, role, ACK class, linked frames"
tshark -r "$capture" -2 -Y sip -T fields -E header=y \
    -e frame.number -e _ws.col.Info -e siptxn.txn -e siptxn.role -e siptxn.ack.class \
    -e siptxn.request_frame -e siptxn.final_frame -e siptxn.ack_frame 2>/dev/null
ack=$(tshark -r "$capture" -Y 'siptxn.role == "ACK"' -T fields -e frame.number 2>/dev/null | head -n 1)
if [ -n "$ack" ]; then
    echo
    echo "== The siptxn tree of the ACK in frame $ack"
    tshark -r "$capture" -2 -Y "frame.number == $ack" -O siptxn -V 2>/dev/null |
        sed -n '/^SIP Transaction Analysis/,$p'
fi
