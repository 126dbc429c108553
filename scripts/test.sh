#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh: installs what is missing, builds siptxn with its tests and runs them
# all through ctest: core unit tests and tshark end-to-end tests on test-captures/.
# Usage: scripts/test.sh [ctest arguments, e.g. -R ack]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

siptxn_install_build_dependencies
siptxn_install_packages clang llvm
# The GUI test opens the real Wireshark under a virtual X server ("wireshark"
# pulls in the Qt program: wireshark-qt on Debian 12, itself from Debian 13 on).
siptxn_install_packages wireshark xvfb xdotool x11-apps netpbm
siptxn_build -DBUILD_TESTING=ON
siptxn_say "running the tests"
cd "$SIPTXN_BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
