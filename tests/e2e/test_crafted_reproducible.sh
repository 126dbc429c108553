#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks that the committed crafted captures are exactly what
# scripts/craft-captures.py builds from test-captures/crafted/*.sip:
# test_crafted_reproducible.sh SOURCE_DIR
set -euo pipefail

source_dir=${1:?usage: test_crafted_reproducible.sh SOURCE_DIR}
python3 "$source_dir/scripts/craft-captures.py" --source "$source_dir" --check
