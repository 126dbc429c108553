#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh: installs what is missing, builds siptxn with its tests and runs them
# all through ctest: core unit tests and tshark end-to-end tests on test-captures/.
# Usage: scripts/test.sh [ctest arguments, e.g. -R ack]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

siptxn_install_build_dependencies
siptxn_install_packages clang llvm
# The GUI test opens the real Wireshark under a virtual X server (the Qt
# program is "wireshark-qt" on Debian 12, "wireshark" from Debian 13 on).
if apt-cache show wireshark-qt >/dev/null 2>&1; then
    siptxn_install_packages wireshark-qt xvfb xdotool x11-apps netpbm
else
    siptxn_install_packages wireshark xvfb xdotool x11-apps netpbm
fi
siptxn_build -DBUILD_TESTING=ON
siptxn_say "running the tests"
cd "$SIPTXN_BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
