#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The plugin loads, annotates every SIP message on the first pass with the
message's identity, one annotation per SIP message, and leaves non-SIP alone."""

import re
import unittest

from siptxn_e2e import TsharkTestCase, fields, frames_matching, tshark


def top_via(via_header):
    """(branch, sent-by) of the first via-parm of a Via header value, parsed
    from the text here, independently of the plugin (RFC 3261 §20.42)."""
    first = via_header.split(",")[0].strip()
    sent_by = re.match(r"SIP\s*/\s*2\.0\s*/\s*\S+\s+([^;\s]+)", first).group(1)
    branch = re.search(r";\s*branch=([^;,\s]+)", first)
    return (branch.group(1) if branch else None), sent_by


class PluginLoads(TsharkTestCase):
    def test_listed_by_tshark_as_a_dissector_plugin(self):
        listing = tshark(["-G", "plugins"])
        self.assertRegex(listing, r"(?m)^siptxn\.so\s+\d+\.\d+\.\d+\s+dissector\s")

    def test_protocol_registered_with_filter_name_siptxn(self):
        protocols = tshark(["-G", "protocols"])
        self.assertRegex(protocols, r"(?m)^SIP Transaction Analysis\tSIPTXN\tsiptxn(\t|$)")


class IdentityOnRecordedCalls(TsharkTestCase):
    """siptxn's identity fields equal what the stock SIP dissector parsed, with the
    top Via taken from the first Via header's text."""

    STOCK = ["sip.Method", "sip.Status-Code", "sip.Call-ID", "sip.CSeq.seq", "sip.CSeq.method", "sip.Via"]
    OURS = ["siptxn.method", "siptxn.status_code", "siptxn.call_id", "siptxn.cseq.number",
            "siptxn.cseq.method", "siptxn.via.branch", "siptxn.via.sent_by", "siptxn.txn"]

    def check_capture(self, name):
        stock = fields(name, self.STOCK, plugin="-")
        ours = fields(name, self.OURS)
        sip_frames = [frame for frame, row in stock.items() if row["sip.Via"]]
        self.assertGreater(len(sip_frames), 3)
        for frame in sip_frames:
            s, o = stock[frame], ours[frame]
            with self.subTest(capture=name, frame=frame):
                self.assertEqual(o["siptxn.method"], s["sip.Method"])
                self.assertEqual(o["siptxn.status_code"], s["sip.Status-Code"])
                self.assertEqual(o["siptxn.call_id"], s["sip.Call-ID"])
                self.assertEqual(o["siptxn.cseq.number"], s["sip.CSeq.seq"])
                self.assertEqual(o["siptxn.cseq.method"], s["sip.CSeq.method"])
                branch, sent_by = top_via(s["sip.Via"][0])
                self.assertEqual(o["siptxn.via.branch"], [branch] if branch else [])
                self.assertEqual(o["siptxn.via.sent_by"], [sent_by])
                self.assertEqual(len(o["siptxn.txn"]), 1)

    def test_direct_call_rejected_with_486(self):
        self.check_capture("invite-486.pcapng")

    def test_call_answered_and_ended(self):
        self.check_capture("invite-200-bye.pcapng")


class IdentityOnCraftedMessages(TsharkTestCase):
    """test-captures/crafted/identity.sip: only the TOP Via identifies the transaction."""

    def setUp(self):
        self.rows = fields("crafted-identity.pcapng",
                           ["siptxn.txn", "siptxn.via.branch", "siptxn.via.sent_by", "siptxn.rfc2543",
                            "siptxn.request_frame"])

    def test_top_via_without_branch_is_not_given_the_second_vias_branch(self):
        # Frame 4: "Via: SIP/2.0/UDP 192.0.2.30:5060" (no branch) above carol's Via.
        self.assertEqual(self.rows[4]["siptxn.via.branch"], [])
        self.assertEqual(self.rows[4]["siptxn.via.sent_by"], ["192.0.2.30:5060"])
        self.assertEqual(self.rows[4]["siptxn.rfc2543"], ["1"])
        # ... so it is a new transaction, not a retransmission of frame 3's REGISTER.
        self.assertNotEqual(self.rows[4]["siptxn.txn"], self.rows[3]["siptxn.txn"])
        self.assertEqual(self.rows[5]["siptxn.txn"], self.rows[4]["siptxn.txn"])

    def test_two_via_parms_on_one_line_the_first_is_the_top_via(self):
        self.assertEqual(self.rows[8]["siptxn.via.branch"], ["z9hG4bKaaa"])
        self.assertEqual(self.rows[8]["siptxn.via.sent_by"], ["a.example.com:5070"])
        self.assertEqual(self.rows[9]["siptxn.txn"], self.rows[8]["siptxn.txn"])
        self.assertEqual(self.rows[10]["siptxn.txn"], self.rows[7]["siptxn.txn"])
        self.assertEqual(self.rows[10]["siptxn.request_frame"], ["7"])


class SeveralMessagesInOneSegment(TsharkTestCase):
    """crafted/two-in-one-segment.sip: frame 5 carries a 180 and a 200 of the INVITE
    of frame 4; frame 7 carries an OPTIONS and a BYE, two new transactions; frame 8
    their two 200 OKs, in the other order."""

    def setUp(self):
        self.rows = fields("crafted-two-in-one-segment.pcapng",
                           ["siptxn.txn", "siptxn.role", "siptxn.status_code", "siptxn.method",
                            "siptxn.request_frame"])

    def test_each_message_gets_its_own_annotation(self):
        self.assertEqual(self.rows[5]["siptxn.status_code"], ["180", "200"])
        self.assertEqual(self.rows[5]["siptxn.role"], ["3", "5"])
        invite = self.rows[4]["siptxn.txn"][0]
        self.assertEqual(self.rows[5]["siptxn.txn"], [invite, invite])

    def test_each_message_in_its_own_transaction(self):
        options, bye = self.rows[7]["siptxn.txn"]
        self.assertEqual(self.rows[7]["siptxn.method"], ["OPTIONS", "BYE"])
        self.assertNotEqual(options, bye)
        self.assertEqual(self.rows[8]["siptxn.txn"], [bye, options])
        self.assertEqual(self.rows[8]["siptxn.request_frame"], ["7", "7"])


class NothingWithoutSip(TsharkTestCase):
    def test_capture_without_sip_gets_no_siptxn_tree(self):
        self.assertEqual(frames_matching("crafted-no-sip.pcapng", "siptxn"), [])
        self.assertEqual(frames_matching("crafted-no-sip.pcapng", "frame"), [1, 2, 3, 4])


class FirstPass(TsharkTestCase):
    def test_every_sip_message_annotated_in_single_pass(self):
        stock = frames_matching("invite-200-bye.pcapng", "sip", plugin="-")
        self.assertEqual(frames_matching("invite-200-bye.pcapng", "siptxn.txn"), stock)

    def test_second_pass_shows_the_same_transactions(self):
        one = fields("invite-200-bye.pcapng", ["siptxn.txn", "siptxn.role"])
        two = fields("invite-200-bye.pcapng", ["siptxn.txn", "siptxn.role"], two_pass=True)
        self.assertEqual(one, two)


if __name__ == "__main__":
    unittest.main()
