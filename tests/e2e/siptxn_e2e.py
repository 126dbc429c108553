# SPDX-License-Identifier: GPL-2.0-or-later
"""siptxn_e2e: runs the real tshark with the built plugin on a capture and
returns what it printed, frame by frame, for the end-to-end tests.

The plugin and source tree come from the environment (SIPTXN_PLUGIN,
SIPTXN_SOURCE_DIR), which ctest sets."""

import os
import subprocess
import unittest

SOURCE_DIR = os.environ.get("SIPTXN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PLUGIN = os.environ.get("SIPTXN_PLUGIN", os.path.join(SOURCE_DIR, "build", "siptxn.so"))
# Runs tshark with one plugin, isolated, as an unprivileged user when root.
RUN_TSHARK = os.path.join(SOURCE_DIR, "scripts", "run-tshark.sh")
AGGREGATOR = "\x1f"
# tshark 4.0 prints booleans in -T fields as 1/0, 4.4 and later as True/False.
BOOLEANS = {"True": "1", "False": "0"}


def capture(name):
    """Path of a capture in test-captures/."""
    return os.path.join(SOURCE_DIR, "test-captures", name)


def tshark(args, plugin=PLUGIN, language=None, profile_dir=None, check=True):
    """Runs tshark (with the plugin unless plugin is "-"); returns stdout."""
    options = []
    if language:
        options += ["--locale", language]
    if profile_dir:
        options += ["--profile", profile_dir]
    done = subprocess.run([RUN_TSHARK] + options + [plugin] + list(args), capture_output=True, text=True,
                          encoding="utf-8", errors="strict", timeout=300)
    if check and done.returncode != 0:
        raise AssertionError("tshark %s failed (%d): %s" % (" ".join(args), done.returncode, done.stderr))
    return done.stdout


def fields(capture_name, names, two_pass=False, extra=(), **kwargs):
    """One dict per frame: field -> list of values (one per occurrence, i.e. per
    SIP message for siptxn fields), keyed by frame number."""
    args = ["-r", capture(capture_name)]
    if two_pass:
        args.append("-2")
    args += list(extra)
    args += ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + AGGREGATOR, "-e", "frame.number"]
    for name in names:
        args += ["-e", name]
    rows = {}
    for line in tshark(args, **kwargs).splitlines():
        cells = line.split("\t")
        frame = int(cells[0])
        rows[frame] = {name: ([BOOLEANS.get(value, value) for value in cells[i + 1].split(AGGREGATOR)]
                              if cells[i + 1] else [])
                       for i, name in enumerate(names)}
    return rows


def frames_matching(capture_name, display_filter, two_pass=False, **kwargs):
    """Frame numbers for which the display filter is true."""
    args = ["-r", capture(capture_name)]
    if two_pass:
        args.append("-2")
    args += ["-Y", display_filter, "-T", "fields", "-e", "frame.number"]
    return [int(line) for line in tshark(args, **kwargs).split()]


class TsharkTestCase(unittest.TestCase):
    """Base class: fails early with a clear message if the plugin is missing."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(PLUGIN):
            raise AssertionError("plugin %s not built: run cmake --build first" % PLUGIN)


def experts(capture_name, two_pass=True, extra=(), **kwargs):
    """frame -> set of siptxn expert names (without the "siptxn.expert." prefix),
    read from tshark's PDML output."""
    import re
    args = ["-r", capture(capture_name)] + (["-2"] if two_pass else []) + list(extra) + ["-T", "pdml"]
    found = {}
    frame = None
    for line in tshark(args, **kwargs).splitlines():
        number = re.search(r'<field name="num" pos="0" show="(\d+)"', line)
        if number:
            frame = int(number.group(1))
            found.setdefault(frame, set())
        name = re.search(r'<field name="siptxn\.expert\.([^"]+)"', line)
        if name and frame is not None:
            found[frame].add(name.group(1))
    return found
