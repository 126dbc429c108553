#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh: installs what is missing, builds siptxn with its tests into
# $SIPTXN_BUILD (default build/) and runs them through ctest.
#
# Usage: scripts/test.sh [--thorough] [ctest arguments, e.g. -R ack]
#
#   (no option)  the fast suite, every test not labelled "thorough": the core
#                unit tests, the fuzz corpus replay, tshark with the plugin on
#                test-captures/ (golden tables, features, siptxn-check), the
#                hostile captures and the GUI under Xvfb.  1.5 to 4 minutes on
#                two shared cores from a clean build folder.
#   --thorough   the fast suite, then the thorough part: the tests labelled
#                "thorough" (50,000 and 200,000 transactions and the memory they
#                take), and scripts/test-sanitized.sh: the suite again with the
#                plugin built with AddressSanitizer and UndefinedBehaviorSanitizer,
#                60 s of libFuzzer on the core and a bounded editcap fuzz pass.
#                Installs clang and the libFuzzer runtime.  About 11 minutes.
#                Every part runs even when an earlier one failed; the exit
#                status says whether any did.
#   --quick      the fast suite (the same as no option)
# ctest arguments (fast suite only) choose tests: -R NAME, -L LABEL, ...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

thorough=no
case ${1:-} in
    --thorough) thorough=yes; shift ;;
    --quick) shift ;;
esac
[ "$thorough" = no ] || [ $# -eq 0 ] ||
    siptxn_die "--thorough runs every test: give ctest arguments without it"

siptxn_install_build_dependencies
# The GUI test opens the real Wireshark under a virtual X server ("wireshark"
# pulls in the Qt program: wireshark-qt on Debian 12, itself from Debian 13 on).
siptxn_install_packages wireshark xvfb xdotool x11-apps netpbm
[ "$thorough" = no ] || siptxn_install_thorough_dependencies
siptxn_build -DBUILD_TESTING=ON

started=$SECONDS
failed=()
siptxn_say "running the fast suite"
(cd "$SIPTXN_BUILD" && ctest --output-on-failure -j "$(nproc)" -LE thorough "$@") || failed+=("the fast suite")
siptxn_say "fast suite: $((SECONDS - started)) s"
if [ "$thorough" = yes ]; then
    siptxn_say "running the thorough tests"
    (cd "$SIPTXN_BUILD" && ctest --output-on-failure -j "$(nproc)" -L thorough) || failed+=("the thorough tests")
    siptxn_say "running the tests again under AddressSanitizer and UndefinedBehaviorSanitizer"
    "$SIPTXN_ROOT/scripts/test-sanitized.sh" || failed+=("scripts/test-sanitized.sh")
    siptxn_say "fast suite and thorough part: $((SECONDS - started)) s"
fi
if [ ${#failed[@]} -gt 0 ]; then
    siptxn_die "failed: ${failed[*]} (see above)"
fi
siptxn_say "every test passed"
