#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The former home of scripts/run-tshark.sh, kept for the callers that still name
# it: runs tshark with the given plugin, isolated (see scripts/run-tshark.sh,
# which reads SIPTXN_TSHARK_PRELOAD, SIPTXN_TEST_LANG and SIPTXN_TEST_PROFILE_DIR).
exec "$(dirname "${BASH_SOURCE[0]}")/../../scripts/run-tshark.sh" "$@"
