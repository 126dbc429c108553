#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares the plugin's per-message transaction annotations with an expected (golden) table.
"""Compare siptxn's annotations of a capture with its golden table.

    golden_compare.py --plugin BUILD/siptxn.so --capture test-captures/X.pcapng \
                      --expected tests/e2e/golden/X.tsv [--two-pass] \
                      [--tshark-option PREF:VALUE ...]

The plugin runs through scripts/run-tshark.sh.  Its output is read as JSON
(one siptxn tree per SIP message, so the values of one message stay together
even when a frame carries several messages and some fields exist for only one
of them).

What is compared, message by message:
  * the partition: which (frame, message) pairs share a transaction, and that
    the plugin numbers transactions 1..N in order of first appearance;
  * kind, RFC 2543 flag, role, state after the message, ACK class,
    retransmission flag and the RSeq of a reliable provisional response
    (siptxn.kind, .rfc2543, .role, .state, .ack.class, .retransmission,
    .rseq);
  * the top Via's branch and sent-by as the message carries them
    (siptxn.via.branch, .via.sent_by) and the transaction key (siptxn.key);
  * the links request_frame, final_frame, ack_invite_frame,
    ack_response_frame, prack_response_frame (siptxn.prack.response_frame)
    and duplicate_of (siptxn.duplicate.original).  Single pass (tshark -r)
    knows only the past, so a link is expected there only when it points to
    an earlier frame (a link to the message's own frame may be present or
    absent: the target can be a later message of the same segment); with
    --two-pass (tshark -2) every link is expected.

In a table, an empty cell is an absent value; a text cell "" is a value that
is present but empty.  The columns rseq, prack_response_frame and
duplicate_of are compared when the table has them (a table generated before
they existed is compared on the others).  The tables come from
tests/reference/siptxn_reference.py, whose names for the numbered values are
used in the messages; the values compared are the plugin's own.

--tshark-option PREF:VALUE (repeatable) passes a preference to tshark (-o),
e.g. siptxn.transaction_model:rfc3261 for the tables in
tests/e2e/golden/rfc3261/.

Exit status: 0 match, 1 mismatch (a per-message diff is printed), 2 usage or
tool error (one line on standard error).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from typing import Optional

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_TSHARK = os.path.join(HERE, "..", "..", "scripts", "run-tshark.sh")
sys.path.insert(0, os.path.join(HERE, "..", "reference"))

import siptxn_reference as reference  # noqa: E402  (path set up above)

LINK_COLUMNS = ("request_frame", "final_frame", "ack_invite_frame", "ack_response_frame",
                "prack_response_frame", "duplicate_of")
VALUE_COLUMNS = ("kind", "rfc2543", "role", "state", "ack_class", "retransmission", "rseq")
TEXT_COLUMNS = ("via_branch", "via_sent_by", "key")
# Columns a table may lack (added after the first tables): not compared then.
OPTIONAL_COLUMNS = ("rseq", "prack_response_frame", "duplicate_of")
EXPECTED_COLUMNS = tuple(column for column in ("frame", "message_index", "txn") + VALUE_COLUMNS + LINK_COLUMNS
                         + TEXT_COLUMNS if column not in OPTIONAL_COLUMNS)

# Table column -> plugin display-filter field.
PLUGIN_FIELDS = {
    "txn": "siptxn.txn",
    "kind": "siptxn.kind",
    "rfc2543": "siptxn.rfc2543",
    "role": "siptxn.role",
    "state": "siptxn.state",
    "ack_class": "siptxn.ack.class",
    "retransmission": "siptxn.retransmission",
    "request_frame": "siptxn.request_frame",
    "final_frame": "siptxn.final_frame",
    "ack_invite_frame": "siptxn.ack.invite_frame",
    "ack_response_frame": "siptxn.ack.response_frame",
    "rseq": "siptxn.rseq",
    "prack_response_frame": "siptxn.prack.response_frame",
    "duplicate_of": "siptxn.duplicate.original",
    "via_branch": "siptxn.via.branch",
    "via_sent_by": "siptxn.via.sent_by",
    "key": "siptxn.key",
}

# Column -> names of its numbered values (one source: the reference model,
# whose tests check them against the plugin's value_strings).
VALUE_NAMES = {
    "kind": reference.KIND_NAMES,
    "role": reference.ROLE_NAMES,
    "state": reference.STATE_NAMES,
    "ack_class": reference.ACK_CLASS_NAMES,
}


class UsageError(Exception):
    """A problem with the inputs or the tools, not a mismatch."""


class OneLineParser(argparse.ArgumentParser):
    """Reports a usage error on one line, with exit status 2."""

    def error(self, message):
        raise UsageError(f"usage: {message} (see --help)")


def expected_cell(column: str, cell: str):
    """A table cell as a value: None for an empty cell, text for the text
    columns ('""' is the empty text), an int for the others."""
    if not cell.strip():
        return None
    if column in TEXT_COLUMNS:
        return "" if cell == reference.EMPTY_TEXT else cell
    return int(cell)


def read_expected(path: str) -> dict:
    """(frame, message_index) -> {column: value or None}, in file order."""
    rows: dict = {}
    header = None
    try:
        with open(path, encoding="utf-8") as table:
            lines = table.read().splitlines()
    except OSError as error:
        raise UsageError(f"cannot read expected table {path}: {error.strerror}")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            missing = [column for column in EXPECTED_COLUMNS if column not in header]
            if missing:
                raise UsageError(f"{path}:{number}: header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) != len(header):
            raise UsageError(f"{path}:{number}: {len(cells)} cells, header has {len(header)}")
        try:
            row = {column: expected_cell(column, cell) for column, cell in zip(header, cells)}
        except ValueError:
            raise UsageError(f"{path}:{number}: a cell is not a number")
        rows[(row["frame"], row["message_index"])] = row
    if header is None:
        raise UsageError(f"{path}: no header line")
    return rows


def pairs_object(pairs: list) -> list:
    return pairs


def is_object(value) -> bool:
    return isinstance(value, list) and (not value or isinstance(value[0], tuple))


def count_key(tree, key: str) -> int:
    if not is_object(tree):
        return 0
    return sum((name == key) + count_key(value, key) for name, value in tree)


def message_units(tree) -> list:
    """The subtrees holding exactly one siptxn.txn each, in document order."""
    count = count_key(tree, "siptxn.txn")
    if count == 0:
        return []
    if count == 1:
        return [tree]
    units = []
    own = [(name, value) for name, value in tree if name == "siptxn.txn"]
    if own:  # several txn values directly here: cannot be split further
        raise UsageError("a siptxn tree holds several transaction numbers at one level")
    for _, value in tree:
        units.extend(message_units(value))
    return units


def first_value(tree, key: str):
    if not is_object(tree):
        return None
    for name, value in tree:
        if name == key:
            return value
        found = first_value(value, key)
        if found is not None:
            return found
    return None


def plugin_number(text) -> Optional[int]:
    if text is None:
        return None
    if isinstance(text, str) and text.lower() in ("true", "false"):
        return int(text.lower() == "true")
    try:
        return int(text)
    except (TypeError, ValueError):
        raise UsageError(f"unexpected value {text!r} in the plugin's output")


def run_plugin(plugin: str, capture: str, two_pass: bool, tshark_options=()) -> list:
    # run-tshark.sh runs tshark as an unprivileged user when started as root:
    # a capture only its owner can read is handed over as a readable copy.
    if os.getuid() == 0 and not os.stat(capture).st_mode & stat.S_IROTH:
        with tempfile.TemporaryDirectory(prefix="siptxn-golden-") as folder:
            os.chmod(folder, 0o755)
            copy = os.path.join(folder, os.path.basename(capture))
            shutil.copyfile(capture, copy)
            os.chmod(copy, 0o644)
            return run_tshark_with_plugin(plugin, copy, two_pass, tshark_options)
    return run_tshark_with_plugin(plugin, capture, two_pass, tshark_options)


def run_tshark_with_plugin(plugin: str, capture: str, two_pass: bool, tshark_options=()) -> list:
    command = [RUN_TSHARK, plugin, "-n", "-r", capture]
    if two_pass:
        command.append("-2")
    for option in tshark_options:
        command += ["-o", option]
    command += ["-Y", "siptxn", "-T", "json", "-J", "frame siptxn"]
    try:
        completed = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise UsageError(f"cannot run {RUN_TSHARK}: {error.strerror}")
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()
        raise UsageError(f"tshark with the plugin failed: {message[-1] if message else completed.returncode}")
    try:
        return json.loads(completed.stdout or "[]", object_pairs_hook=pairs_object)
    except json.JSONDecodeError as error:
        raise UsageError(f"tshark printed invalid JSON: {error}")


def plugin_rows(packets: list) -> dict:
    """(frame, message_index) -> {column: value or None} from the plugin's JSON."""
    rows: dict = {}
    for packet in packets:
        layers = first_value(first_value(packet, "_source"), "layers")
        frame = int(first_value(first_value(layers, "frame"), "frame.number"))
        units = []
        for name, value in layers:
            if name == "siptxn":
                units.extend(message_units(value))
        for index, unit in enumerate(units, start=1):
            row = {column: first_value(unit, field) if column in TEXT_COLUMNS
                   else plugin_number(first_value(unit, field))
                   for column, field in PLUGIN_FIELDS.items()}
            row["retransmission"] = row["retransmission"] or 0
            rows[(frame, index)] = row
    return rows


def describe(column: str, value) -> str:
    if value is None:
        return "(none)"
    if column in TEXT_COLUMNS:
        return repr(value)
    if column in VALUE_NAMES:
        return f"{value} ({VALUE_NAMES[column].get(value, '?')})"
    return str(value)


def link_agrees(row: dict, column: str, got: Optional[int], two_pass: bool) -> bool:
    """Whether the plugin's link is what the table implies for this pass."""
    value = row[column]
    if value is None or two_pass or value < row["frame"]:
        return got == value
    if value == row["frame"]:
        # The same frame: the target may be a later message of this frame
        # (a TCP segment holding a 180 and a 200), which a single pass may or
        # may not have seen when this message is shown.
        return got in (value, None)
    return got is None  # a forward link: unknown in a single pass


def partition_differences(expected: dict, actual: dict) -> dict:
    """Messages placed differently: (frame, index) -> explanation."""
    differences: dict = {}
    first_of_expected: dict = {}   # expected txn -> first message
    plugin_of_expected: dict = {}  # expected txn -> plugin txn of its first message
    expected_of_plugin: dict = {}  # plugin txn -> expected txn that claimed it first
    for position, row in expected.items():
        if position not in actual:
            continue
        expected_txn, plugin_txn = row["txn"], actual[position]["txn"]
        if expected_txn not in plugin_of_expected:
            first_of_expected[expected_txn] = position
            plugin_of_expected[expected_txn] = plugin_txn
        wanted = plugin_of_expected[expected_txn]
        owner = expected_of_plugin.setdefault(plugin_txn, expected_txn)
        if plugin_txn != wanted:
            frame, index = first_of_expected[expected_txn]
            differences[position] = (f"transaction: should share a transaction with {frame}.{index} "
                                     f"(plugin txn {wanted}), plugin put it in txn {plugin_txn}")
        elif owner != expected_txn:
            frame, index = first_of_expected[owner]
            differences[position] = (f"transaction: plugin txn {plugin_txn} also holds {frame}.{index}, "
                                     f"which belongs to another transaction")
    return differences


def numbering_differences(actual: dict) -> dict:
    """Plugin transaction numbers must be 1..N in order of first appearance."""
    differences: dict = {}
    highest = 0
    for position in sorted(actual):
        txn = actual[position]["txn"]
        if txn is None:
            differences[position] = "transaction: no siptxn.txn"
        elif txn > highest + 1:
            differences[position] = f"numbering: new transaction numbered {txn}, expected {highest + 1}"
        highest = max(highest, txn or 0)
    return differences


def compare(expected: dict, actual: dict, two_pass: bool) -> list:
    """Human-readable mismatch lines, empty when the structure agrees."""
    problems: dict = {}

    def note(position, text):
        problems.setdefault(position, []).append(text)

    for position in expected:
        if position not in actual:
            note(position, "missing: the plugin did not annotate this SIP message")
    for position in actual:
        if position not in expected:
            note(position, "extra: the plugin annotated a SIP message the table does not list")
    for position, text in partition_differences(expected, actual).items():
        note(position, text)
    for position, text in numbering_differences(actual).items():
        note(position, text)
    for position, row in expected.items():
        if position not in actual:
            continue
        got = actual[position]
        for column in VALUE_COLUMNS + TEXT_COLUMNS:
            if column not in row:
                continue  # a column the table does not have
            if row[column] != got[column]:
                note(position, f"{column}: expected {describe(column, row[column])}, "
                               f"plugin {describe(column, got[column])}")
        for column in LINK_COLUMNS:
            if column not in row:
                continue
            if not link_agrees(row, column, got[column], two_pass):
                wanted = row[column] if two_pass or (row[column] or 0) <= row["frame"] else None
                note(position, f"{column}: expected {describe(column, wanted)}, "
                               f"plugin {describe(column, got[column])}")
    lines = []
    for (frame, index) in sorted(problems):
        for text in problems[(frame, index)]:
            lines.append(f"frame {frame} message {index}: {text}")
    return lines


def main(argv: Optional[list] = None) -> int:
    parser = OneLineParser(description="Compare siptxn annotations with a golden table.")
    parser.add_argument("--plugin", required=True, help="the built siptxn.so")
    parser.add_argument("--capture", required=True)
    parser.add_argument("--expected", required=True, help="the golden .tsv table")
    parser.add_argument("--two-pass", action="store_true", help="run tshark -2 and expect forward links too")
    parser.add_argument("--tshark-option", action="append", default=[], metavar="PREF:VALUE",
                        help="a preference for tshark (-o PREF:VALUE), e.g. siptxn.transaction_model:rfc3261; "
                             "repeatable")
    try:
        arguments = parser.parse_args(argv)
        if not os.path.isfile(arguments.capture):
            raise UsageError(f"capture {arguments.capture} not found")
        expected = read_expected(arguments.expected)
        actual = plugin_rows(run_plugin(arguments.plugin, arguments.capture, arguments.two_pass,
                                        arguments.tshark_option))
    except UsageError as error:
        print(f"golden_compare: {error}", file=sys.stderr)
        return 2
    mode = "two-pass" if arguments.two_pass else "single-pass"
    if arguments.tshark_option:
        mode += ", " + ", ".join(arguments.tshark_option)
    problems = compare(expected, actual, arguments.two_pass)
    name = os.path.basename(arguments.capture)
    if problems:
        print(f"{name} ({mode}): {len(problems)} difference(s) from {arguments.expected}:")
        for line in problems:
            print("  " + line)
        return 1
    print(f"{name} ({mode}): {len(expected)} SIP messages match {os.path.basename(arguments.expected)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
