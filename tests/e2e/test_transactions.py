#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Transaction-level findings (RFC 3261 §17, §18) on recorded and crafted
captures: retransmission timers, unanswered transactions, responses without a
request, CSeq mismatches, RFC 2543 peers, oversized UDP requests, malformed
input, proxy hops and CANCEL links, and which links need a second pass.
Expected values: the comments of test-captures/crafted/*.sip (derived from the
RFC) and the stock SIP dissector's fields (no plugin)."""

import unittest

from siptxn_e2e import TsharkTestCase, experts, fields


def frames_with(found, name):
    return sorted(frame for frame, names in found.items() if name in names)


class Timers(TsharkTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.two_pass = experts("crafted-timers.pcapng")
        cls.single = experts("crafted-timers.pcapng", two_pass=False)

    def test_17_1_1_2_timer_a_doubling_intervals_are_fine(self):
        # frames 2-5: 0.5, 1, 2, 4 s; frames 15-20: up to 16 s (Timer A has no T2 cap).
        for frame in list(range(2, 6)) + list(range(15, 21)):
            self.assertNotIn("retransmission.too_early", self.two_pass[frame])
            self.assertNotIn("retransmission.not_doubled", self.two_pass[frame])
            self.assertIn("retransmission", self.two_pass[frame])

    def test_17_1_2_2_timer_e_too_early_and_not_doubled(self):
        self.assertEqual(frames_with(self.two_pass, "retransmission.too_early"), [9])
        self.assertEqual(frames_with(self.two_pass, "retransmission.not_doubled"), [10, 11, 12])

    def test_17_1_1_2_timer_b_unanswered_needs_the_whole_capture(self):
        self.assertEqual(frames_with(self.two_pass, "unanswered"), [14])
        self.assertEqual(frames_with(self.single, "unanswered"), [])


class Findings(TsharkTestCase):
    def test_18_1_1_udp_request_above_1300_bytes(self):
        found = experts("crafted-udp-large.pcapng", two_pass=False)
        stock = fields("crafted-udp-large.pcapng", ["sip.Method", "udp.length"], plugin="-")
        big = [f for f, row in stock.items() if row["sip.Method"] and row["udp.length"]
               and int(row["udp.length"][0]) - 8 > 1300]
        self.assertTrue(big)
        self.assertEqual(frames_with(found, "udp_too_large"), big)

    def test_17_1_3_responses_without_request(self):
        found = experts("crafted-late-start.pcapng", two_pass=False)
        self.assertEqual(frames_with(found, "response_without_request"), [1, 4])

    def test_8_2_6_2_cseq_method_of_the_response_differs(self):
        found = experts("crafted-cseq-mismatch.pcapng", two_pass=False)
        self.assertEqual(frames_with(found, "cseq_method_mismatch"), [2, 5])

    def test_17_2_3_rfc2543_peers_are_matched_and_noted(self):
        rows = fields("rfc2543-invite.pcapng", ["sip.Method", "sip.Status-Code", "siptxn.txn", "siptxn.rfc2543",
                                                "siptxn.ack.class"])
        sip = {f: r for f, r in rows.items() if r["siptxn.txn"]}
        self.assertTrue(all(r["siptxn.rfc2543"] == ["1"] for r in sip.values()))
        invite = next(f for f, r in sip.items() if r["sip.Method"] == ["INVITE"])
        ack = next(f for f, r in sip.items() if r["sip.Method"] == ["ACK"])
        self.assertEqual(sip[ack]["siptxn.txn"], sip[invite]["siptxn.txn"])
        self.assertEqual(sip[ack]["siptxn.ack.class"], ["1"])
        found = experts("rfc2543-invite.pcapng", two_pass=False)
        self.assertEqual(frames_with(found, "rfc2543"), sorted(sip))


class MalformedInput(TsharkTestCase):
    def test_defects_are_reported_and_the_rest_still_annotated(self):
        found = experts("crafted-malformed.pcapng")
        self.assertEqual(frames_with(found, "malformed.no_via"), [3])
        self.assertEqual(frames_with(found, "malformed.no_cseq"), [4])
        self.assertEqual(frames_with(found, "malformed.no_call_id"), [5])
        self.assertEqual(frames_with(found, "malformed.bad_cseq"), [6, 7, 8])
        self.assertEqual(frames_with(found, "malformed.empty_branch"), [9])
        rows = fields("crafted-malformed.pcapng", ["siptxn.txn", "siptxn.role", "siptxn.request_frame"])
        for frame in (10, 12, 13):                 # junk and invalid status lines: not SIP
            self.assertEqual(rows[frame]["siptxn.txn"], [])
        self.assertEqual(rows[14]["siptxn.txn"], rows[11]["siptxn.txn"])
        self.assertEqual(rows[109]["siptxn.request_frame"], ["63"])      # the 64 kB Call-ID
        self.assertEqual(rows[114]["siptxn.txn"], rows[112]["siptxn.txn"])
        self.assertEqual(rows[114]["siptxn.role"], ["7"])
        numbers = [int(r["siptxn.txn"][0]) for r in rows.values() if r["siptxn.txn"]]
        self.assertEqual(sorted(set(numbers)), list(range(1, max(numbers) + 1)))


class Links(TsharkTestCase):
    def test_16_6_stateful_proxy_hops_are_linked(self):
        stock = fields("proxy-486.pcapng", ["sip.Method", "sip.Via"], plugin="-")
        ours = fields("proxy-486.pcapng", ["siptxn.txn", "siptxn.forwarded_from.txn", "siptxn.forwarded_to.txn"],
                      two_pass=True)
        upstream = next(f for f, r in stock.items() if r["sip.Method"] == ["INVITE"] and len(r["sip.Via"]) == 1)
        downstream = next(f for f, r in stock.items() if r["sip.Method"] == ["INVITE"] and len(r["sip.Via"]) == 2)
        self.assertNotEqual(ours[downstream]["siptxn.txn"], ours[upstream]["siptxn.txn"])
        self.assertEqual(ours[downstream]["siptxn.forwarded_from.txn"], ours[upstream]["siptxn.txn"])
        self.assertEqual(ours[upstream]["siptxn.forwarded_to.txn"], ours[downstream]["siptxn.txn"])

    def test_9_2_cancel_is_its_own_transaction_linked_to_the_invite(self):
        stock = fields("invite-cancel-487.pcapng", ["sip.Method", "sip.Status-Code", "sip.CSeq.method"], plugin="-")
        ours = fields("invite-cancel-487.pcapng", ["siptxn.txn", "siptxn.cancels.frame", "siptxn.cancel_frame"],
                      two_pass=True)
        invite = next(f for f, r in stock.items() if r["sip.Method"] == ["INVITE"])
        cancel = next(f for f, r in stock.items() if r["sip.Method"] == ["CANCEL"])
        terminated = next(f for f, r in stock.items() if r["sip.Status-Code"] == ["487"])
        self.assertNotEqual(ours[cancel]["siptxn.txn"], ours[invite]["siptxn.txn"])
        self.assertEqual(ours[cancel]["siptxn.cancels.frame"], [str(invite)])
        self.assertEqual(ours[invite]["siptxn.cancel_frame"], [str(cancel)])
        self.assertEqual(ours[terminated]["siptxn.txn"], ours[invite]["siptxn.txn"])

    def test_forward_links_appear_with_a_second_pass(self):
        # invite-486: 1 INVITE ... 4 486, 5 ACK.
        single = fields("invite-486.pcapng", ["siptxn.final_frame", "siptxn.ack_frame"])
        double = fields("invite-486.pcapng", ["siptxn.final_frame", "siptxn.ack_frame"], two_pass=True)
        self.assertEqual(single[1], {"siptxn.final_frame": [], "siptxn.ack_frame": []})
        self.assertEqual(double[1], {"siptxn.final_frame": ["4"], "siptxn.ack_frame": ["5"]})
        self.assertEqual(single[5], double[5])


class Transports(TsharkTestCase):
    def test_every_sip_message_annotated_over_tcp_and_ipv6(self):
        for name in ("tcp-invite.pcapng", "ipv6-invite.pcapng"):
            stock = fields(name, ["sip.Method", "sip.Status-Code"], plugin="-")
            ours = fields(name, ["siptxn.txn"])
            for frame, row in stock.items():
                with self.subTest(capture=name, frame=frame):
                    self.assertEqual(len(ours[frame]["siptxn.txn"]),
                                     len(row["sip.Method"]) + len(row["sip.Status-Code"]))


if __name__ == "__main__":
    unittest.main()
