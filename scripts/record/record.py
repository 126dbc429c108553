#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Reads a recorded capture with tshark and checks or prints its SIP message sequence.
"""Inspect a recorded SIP capture with plain tshark (no plugin).

  record.py check FILE REGEX   exit 1 unless the space-separated sequence of
                               SIP messages (method for a request, status
                               code for a response) matches REGEX
  record.py table FILE         print the frame-by-frame sequence as a
                               Markdown table
  record.py seq FILE           print the sequence that `check` matches
"""

import subprocess
import sys

FIELDS = [
    "frame.number",
    "frame.time_relative",
    "ip.src",
    "ipv6.src",
    "udp.srcport",
    "tcp.srcport",
    "ip.dst",
    "ipv6.dst",
    "udp.dstport",
    "tcp.dstport",
    "sip.Method",
    "sip.Status-Code",
    "sip.Status-Line",
    "sip.Via",
    "sip.CSeq.seq",
    "sip.CSeq.method",
    "sip.to.tag",
]


def read_messages(path):
    """Return one dict per SIP message in the capture, in frame order."""
    cmd = ["tshark", "-r", path, "-Y", "sip", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for field in FIELDS:
        cmd += ["-e", field]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         timeout=60).stdout
    messages = []
    for line in out.splitlines():
        values = line.split("\t")
        values += [""] * (len(FIELDS) - len(values))
        row = dict(zip(FIELDS, values))
        # One frame can hold several SIP messages (TCP); keep the first
        # value of every field for the table, and a token per message.
        methods = [m for m in row["sip.Method"].split("|") if m]
        codes = [c for c in row["sip.Status-Code"].split("|") if c]
        row["tokens"] = methods + codes if methods else codes
        messages.append(row)
    return messages


def first(value):
    return value.split("|")[0] if value else ""


def endpoint(row, side):
    addr = first(row[f"ip.{side}"]) or first(row[f"ipv6.{side}"])
    port = first(row[f"udp.{side}port"]) or first(row[f"tcp.{side}port"])
    if ":" in addr:
        return f"[{addr}]:{port}"
    return f"{addr}:{port}"


def top_via_branch(row):
    """The branch of the top via-parm (RFC 3261 §20.42), not the first
    branch anywhere in the message: a top Via without one has none."""
    top = first(row["sip.Via"]).split(",")[0]
    for parameter in top.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "branch":
            return value.strip()
    return ""


def describe(row):
    method = first(row["sip.Method"])
    if method:
        return method
    line = first(row["sip.Status-Line"])
    parts = line.split(" ", 1)
    text = parts[1] if len(parts) == 2 else line
    return f"{text} ({first(row['sip.CSeq.method'])})"


def sequence(messages):
    return " ".join(tok for row in messages for tok in row["tokens"])


def table(messages):
    lines = ["| frame | time (s) | from | to | message | top Via branch | CSeq |",
             "|---:|---:|---|---|---|---|---|"]
    for row in messages:
        branch = top_via_branch(row) or "(none)"
        cseq = f"{first(row['sip.CSeq.seq'])} {first(row['sip.CSeq.method'])}"
        lines.append(
            f"| {row['frame.number']} | {float(row['frame.time_relative']):.3f} "
            f"| {endpoint(row, 'src')} | {endpoint(row, 'dst')} "
            f"| {describe(row)} | `{branch}` | {cseq} |")
    return "\n".join(lines)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("check", "table", "seq"):
        print(__doc__, file=sys.stderr)
        return 2
    import re
    messages = read_messages(argv[2])
    if argv[1] == "table":
        print(table(messages))
        return 0
    seq = sequence(messages)
    if argv[1] == "seq":
        print(seq)
        return 0
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    if re.search(argv[3], seq):
        print(f"{argv[2]}: {len(messages)} SIP frames: {seq}", file=sys.stderr)
        return 0
    print(f"{argv[2]}: sequence '{seq}' does not match '{argv[3]}'",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
