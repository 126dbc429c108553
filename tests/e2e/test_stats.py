#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "SIP Transactions" statistics tree (tshark -z siptxn,tree): its counts on
recorded captures equal counts derived from the stock SIP fields (no plugin)."""

import collections
import re
import unittest

from siptxn_e2e import TsharkTestCase, capture, fields, tshark


def stats_tree(capture_name, two_pass=False):
    """Section -> item -> count, from the tree's text output."""
    args = ["-r", capture(capture_name), "-q", "-z", "siptxn,tree"] + (["-2"] if two_pass else [])
    tree, section = {}, None
    for line in tshark(args).splitlines():
        match = re.match(r"^(\s*)(\S.*?)\s{2,}(-?\d+)\s", line)
        if not match or line.startswith("Topic"):
            continue
        depth, name, count = len(match.group(1)), match.group(2), int(match.group(3))
        if depth == 0:
            section = name
            tree[section] = {"": count}
        elif depth == 1:
            tree[section][name] = count
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
            self.assertEqual(tree["Final responses by method"][method], count, method)
        for ack_class, count in acks.items():
            self.assertEqual(tree["ACKs by class"][ack_class], count, ack_class)
        self.assertEqual(tree["Retransmissions by method"][""], 0)
        self.assertEqual(tree["Transactions without final response"][""], 0)
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
                         sum(1 for n in copies.values()) - tree["Final responses by method"]["INVITE"])


if __name__ == "__main__":
    unittest.main()
