#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh: installs what is missing, builds siptxn with its tests and runs them
# all: through ctest the core unit tests, the fuzz corpus replay and the tshark
# end-to-end tests on test-captures/ (and the GUI test under Xvfb); then the
# same suite with the plugin built with AddressSanitizer and
# UndefinedBehaviorSanitizer, plus a bounded fuzz pass (scripts/test-sanitized.sh).
# Usage: scripts/test.sh [--quick] [ctest arguments, e.g. -R ack]
#   --quick   skip the sanitized run (ctest arguments also skip it)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

sanitized=yes
if [ "${1:-}" = "--quick" ]; then
    sanitized=no
    shift
fi
[ $# -eq 0 ] || sanitized=no

siptxn_install_build_dependencies
siptxn_install_packages clang llvm
# The GUI test opens the real Wireshark under a virtual X server ("wireshark"
# pulls in the Qt program: wireshark-qt on Debian 12, itself from Debian 13 on).
siptxn_install_packages wireshark xvfb xdotool x11-apps netpbm
siptxn_build -DBUILD_TESTING=ON
siptxn_say "running the tests"
(cd "$SIPTXN_BUILD" && ctest --output-on-failure -j "$(nproc)" "$@")
if [ "$sanitized" = yes ]; then
    siptxn_say "running the tests again under AddressSanitizer and UndefinedBehaviorSanitizer"
    "$SIPTXN_ROOT/scripts/test-sanitized.sh"
fi
