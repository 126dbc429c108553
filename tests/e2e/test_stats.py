#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "SIP Transactions" statistics tree (tshark -z siptxn,tree): its counts on
recorded captures equal counts derived from the stock SIP fields (no plugin)."""

import collections
import re
import unittest

from siptxn_e2e import TsharkTestCase, capture, fields, tshark


FINALS = "Final responses by method, code and phrase"
RESPONSE_TIMES = "Request to final response (ms) by method"
INVITE_ANSWER = "INVITE to first response other than 100 (ms)"


def stats_tree(capture_name, two_pass=False, values=False):
    """Section -> item -> count, from the tree's text output; deeper items are
    named by their path ("INVITE/486/Busy Here").  With values, each item maps
    to (count, average, min, max), the last three None where the tree has none.
    Columns are cut where the header puts them."""
    args = ["-r", capture(capture_name), "-q", "-z", "siptxn,tree"] + (["-2"] if two_pass else [])
    tree, section, path, columns = {}, None, [], None
    for line in tshark(args).splitlines():
        if line.startswith("Topic"):
            columns = [line.index(title) for title in ("Count", "Average", "Min Val", "Max Val", "Rate")]
            continue
        if columns is None or not line.strip() or line.startswith("-") or line.startswith("="):
            continue
        name = line[:columns[0]].rstrip()
        depth = len(name) - len(name.lstrip())
        cells = [line[columns[i]:columns[i + 1]].strip() for i in range(4)]
        count = int(cells[0])
        numbers = [float(cell) if cell not in ("", "-") else None for cell in cells[1:]]
        value = (count, *numbers) if values else count
        if depth == 0:
            section, path = name, []
            tree[section] = {"": value}
        else:
            path = path[:depth - 1] + [name.strip()]
            tree[section]["/".join(path)] = value
    return tree


def stock_counts(capture_name):
    """Requests per method, final responses per CSeq method and ACKs whose branch
    is (non-2xx) or is not (2xx) an INVITE's, from the stock SIP fields."""
    rows = fields(capture_name, ["sip.Method", "sip.Status-Code", "sip.CSeq.method", "sip.Via.branch"], plugin="-")
    requests, finals, acks = collections.Counter(), collections.Counter(), collections.Counter()
    invite_branches = set()
    for frame in sorted(rows):
        row = rows[frame]
        if row["sip.Method"]:
            method, branch = row["sip.Method"][0], row["sip.Via.branch"][0]
            if method == "INVITE":
                invite_branches.add(branch)
            if method == "ACK":
                acks["non-2xx" if branch in invite_branches else "2xx"] += 1
                if branch in invite_branches:
                    continue            # part of the INVITE transaction (RFC 3261 §17.1.1.3)
            requests[method] += 1
        elif row["sip.Status-Code"] and int(row["sip.Status-Code"][0]) >= 200:
            finals[row["sip.CSeq.method"][0]] += 1
    return requests, finals, acks


class StatisticsTree(TsharkTestCase):
    def check(self, capture_name):
        requests, finals, acks = stock_counts(capture_name)
        tree = stats_tree(capture_name)
        self.assertEqual(tree["Transactions by method"][""], sum(requests.values()))
        for method, count in requests.items():
            self.assertEqual(tree["Transactions by method"][method], count, method)
        for method, count in finals.items():
            self.assertEqual(tree[FINALS][method], count, method)
        for ack_class, count in acks.items():
            self.assertEqual(tree["ACKs by class"][ack_class], count, ack_class)
        self.assertEqual(tree["Retransmissions by method"][""], 0)
        self.assertEqual(tree["Transactions without final response"][""], 0)
        self.assertEqual(tree["INVITE final responses without ACK"][""], 0)
        self.assertEqual(tree, stats_tree(capture_name, two_pass=True))

    def test_call_through_a_stateful_proxy(self):
        # Two hops: each INVITE, BYE and 2xx ACK is a transaction per hop.
        self.check("proxy-200-bye.pcapng")

    def test_forked_call(self):
        self.check("proxy-fork.pcapng")

    def test_retransmissions_and_unanswered(self):
        # udp-invite-timeout: the proxy's INVITE is re-sent 4 times, never answered
        # downstream; upstream gets a 408.
        rows = fields("udp-invite-timeout.pcapng", ["sip.Method", "sip.Via.branch"], plugin="-")
        copies = collections.Counter(row["sip.Via.branch"][0] for row in rows.values()
                                     if row["sip.Method"] == ["INVITE"])
        tree = stats_tree("udp-invite-timeout.pcapng")
        self.assertEqual(tree["Retransmissions by method"]["INVITE"], sum(n - 1 for n in copies.values()))
        self.assertEqual(tree["Transactions without final response"]["INVITE"],
                         sum(1 for n in copies.values()) - tree[FINALS]["INVITE"])

    def test_sections_in_order(self):
        # The order an engineer reads them in, whatever the counts.
        args = ["-r", capture("invite-486.pcapng"), "-q", "-z", "siptxn,tree"]
        sections = [line.split("  ")[0] for line in tshark(args).splitlines()
                    if line and not line[0].isspace() and "  " in line and not line.startswith("Topic")]
        self.assertEqual(sections, [
            "Transactions by method", FINALS, "ACKs by class", "Retransmissions by method", RESPONSE_TIMES,
            INVITE_ANSWER, "Transactions without final response", "INVITE final responses without ACK"])

    def test_codes_and_phrases(self):
        # invite-cancel-487: the INVITE ends with 487 Request Terminated, the CANCEL with 200 OK (RFC 3261 §9.2).
        tree = stats_tree("invite-cancel-487.pcapng")
        self.assertEqual(tree[FINALS]["INVITE/487"], 1)
        self.assertEqual(tree[FINALS]["INVITE/487/Request Terminated"], 1)
        self.assertEqual(tree[FINALS]["CANCEL/200/OK"], 1)

    def test_response_times_to_the_microsecond(self):
        # Request to final response, computed here from the frames' time stamps.
        rows = fields("invite-cancel-487.pcapng", ["frame.time_epoch", "sip.Method", "sip.Status-Code",
                                                   "sip.CSeq.method"], plugin="-")
        times = {}
        for frame in sorted(rows):
            row = rows[frame]
            key = (row["sip.Method"] or ["response"])[0], (row["sip.Status-Code"] or [""])[0], \
                row["sip.CSeq.method"][0]
            times.setdefault(key, float(row["frame.time_epoch"][0]))
        invite_ms = (times[("response", "487", "INVITE")] - times[("INVITE", "", "INVITE")]) * 1000
        cancel_ms = (times[("response", "200", "CANCEL")] - times[("CANCEL", "", "CANCEL")]) * 1000
        ringing_ms = (times[("response", "180", "INVITE")] - times[("INVITE", "", "INVITE")]) * 1000
        tree = stats_tree("invite-cancel-487.pcapng", values=True)
        count, _, low, high = tree[RESPONSE_TIMES]["INVITE"]
        self.assertEqual(count, 1)
        self.assertAlmostEqual(low, invite_ms, delta=0.001)
        self.assertAlmostEqual(high, invite_ms, delta=0.001)
        self.assertAlmostEqual(tree[RESPONSE_TIMES]["CANCEL"][2], cancel_ms, delta=0.001)
        self.assertAlmostEqual(tree[INVITE_ANSWER][""][2], ringing_ms, delta=0.001)

    def test_final_response_never_acknowledged(self):
        # crafted-final-never-acked: 300-699 and 2xx finals re-sent with no ACK in the capture.
        rows = fields("crafted-final-never-acked.pcapng", ["sip.Method", "sip.Status-Code", "sip.CSeq.method",
                                                           "sip.Via.branch", "sip.to.tag"], plugin="-")
        finals, acked = set(), set()
        for row in rows.values():
            if row["sip.Status-Code"] and int(row["sip.Status-Code"][0]) >= 200 and row["sip.CSeq.method"] == ["INVITE"]:
                finals.add((row["sip.Status-Code"][0], (row["sip.to.tag"] or [""])[0]))
            if row["sip.Method"] == ["ACK"]:
                acked.add((row["sip.to.tag"] or [""])[0])
        expected = sum(1 for code, tag in finals if tag not in acked)
        tree = stats_tree("crafted-final-never-acked.pcapng")
        self.assertEqual(tree["INVITE final responses without ACK"][""], expected)


if __name__ == "__main__":
    unittest.main()
