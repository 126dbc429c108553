#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Wire fidelity on recorded captures: reliable provisional responses and PRACK
# (RFC 3262), the ACK class from the branch, RFC 6026's Accepted state, duplicate
# packets and TCP re-sends, timers by the Via's transport.
"""Expected values come from the packets, as test-captures/README.md describes
them (lessons 39-42), not from the plugin's output:

prack-100rel.pcapng: 1 INVITE (Require: 100rel), 2 100, 3 180 RSeq 4711,
4 PRACK RAck 4711, 5 200, 6 183 RSeq 4712, 7 and 8 the 183 re-sent 0.503 s and
1.004 s later, 9 PRACK RAck 4712, 10 200, 11 PRACK RAck 4718 (never sent),
12 481, 13 200 (INVITE), 14 ACK, 15 BYE, 16 200.
ack-final-lost.pcapng: 1 INVITE, 2 100, 3 180, 4 ACK with a new branch (the
200 was left out by the capture filter), 5 BYE, 6 200.
capture-duplicates.pcapng: every packet twice (same IP ID and bytes, TTL 64 then
63); frame 3 is the INVITE re-sent by Timer A 0.503 s after frame 1.
tcp-retransmission.pcapng: frame 5 is TCP's re-send of frame 4's INVITE segment.
"""

import unittest

from siptxn_e2e import TsharkTestCase, experts, fields, tshark, capture

REQUEST, REQUEST_RETRANSMISSION, PROVISIONAL, PROVISIONAL_RETRANSMISSION = "1", "2", "3", "4"
FINAL, DUPLICATE = "5", "11"
CALLING, PROCEEDING, TERMINATED, ACCEPTED = "1", "3", "6", "7"
ACK_2XX = "2"

# Tell the SIP dissector to hand over a segment TCP re-sent (off by default).
TCP_RESEND_VISIBLE = ["-o", "tcp.desegment_tcp_streams:FALSE", "-o", "tcp.no_subdissector_on_error:FALSE"]


class ReliableProvisionalResponses(TsharkTestCase):
    def test_a_new_rseq_is_a_new_response_and_the_same_rseq_a_retransmission(self):
        rows = fields("prack-100rel.pcapng", ["siptxn.role", "siptxn.rseq", "siptxn.retransmission.original"])
        self.assertEqual(rows[3]["siptxn.role"], [PROVISIONAL])
        self.assertEqual(rows[3]["siptxn.rseq"], ["4711"])
        self.assertEqual(rows[6]["siptxn.role"], [PROVISIONAL], "183 with RSeq 4712 is a new response")
        self.assertEqual(rows[6]["siptxn.rseq"], ["4712"])
        for copy in (7, 8):
            self.assertEqual(rows[copy]["siptxn.role"], [PROVISIONAL_RETRANSMISSION])
            self.assertEqual(rows[copy]["siptxn.rseq"], ["4712"])
            self.assertEqual(rows[copy]["siptxn.retransmission.original"], ["6"])
        self.assertEqual(rows[2]["siptxn.rseq"], [], "100 Trying is never reliable")

    def test_resends_follow_t1_doubling(self):
        # 0.503 s after the first copy (T1 = 0.5 s), then 1.004 s (2*T1): no timer finding.
        found = experts("prack-100rel.pcapng")
        for frame in (7, 8):
            self.assertNotIn("retransmission.too_early", found[frame])
            self.assertNotIn("retransmission.not_doubled", found[frame])
        rows = fields("prack-100rel.pcapng", ["siptxn.retransmission.expected"])
        self.assertAlmostEqual(float(rows[7]["siptxn.retransmission.expected"][0]), 0.5)
        self.assertAlmostEqual(float(rows[8]["siptxn.retransmission.expected"][0]), 1.0)

    def test_prack_links_both_ways(self):
        rows = fields("prack-100rel.pcapng", ["siptxn.txn", "siptxn.kind", "siptxn.prack.rseq",
                                              "siptxn.prack.response_frame", "siptxn.prack.frame"], two_pass=True)
        self.assertEqual(rows[4]["siptxn.kind"], ["2"], "PRACK is a non-INVITE transaction")
        self.assertNotEqual(rows[4]["siptxn.txn"], rows[1]["siptxn.txn"])
        self.assertEqual(rows[4]["siptxn.prack.rseq"], ["4711"])
        self.assertEqual(rows[4]["siptxn.prack.response_frame"], ["3"])
        self.assertEqual(rows[9]["siptxn.prack.response_frame"], ["6"])
        self.assertEqual(rows[3]["siptxn.prack.frame"], ["4"])
        for frame in (6, 7, 8):
            self.assertEqual(rows[frame]["siptxn.prack.frame"], ["9"], "frame %d" % frame)
        self.assertEqual(rows[11]["siptxn.prack.response_frame"], [])

    def test_a_rack_naming_nothing_is_reported(self):
        found = experts("prack-100rel.pcapng")
        self.assertEqual([frame for frame, names in found.items() if "prack.unmatched" in names], [11])

    def test_the_role_text_shows_the_rseq(self):
        output = tshark(["-r", capture("prack-100rel.pcapng")])
        lines = output.splitlines()
        self.assertIn("[txn 1 · provisional response, reliable, RSeq 4711]", lines[2])
        self.assertIn("[txn 1 · provisional response retransmission, reliable, RSeq 4712]", lines[6])
        russian = tshark(["-r", capture("prack-100rel.pcapng")], language="ru").splitlines()
        self.assertIn("[транзакция 1 · надёжный предварительный ответ, RSeq 4711]", russian[2])


class AckClassFromTheBranch(TsharkTestCase):
    def test_a_new_branch_without_the_final_response_is_the_2xx_ack(self):
        rows = fields("ack-final-lost.pcapng", ["siptxn.ack.class", "siptxn.ack.evidence", "siptxn.ack.invite_frame",
                                                "siptxn.ack.response_frame", "siptxn.kind", "siptxn.txn"])
        ack = rows[4]
        self.assertEqual(ack["siptxn.ack.class"], [ACK_2XX])
        self.assertEqual(ack["siptxn.ack.evidence"], ["new branch; the INVITE's final response is not in the capture"])
        self.assertEqual(ack["siptxn.ack.invite_frame"], ["1"])
        self.assertEqual(ack["siptxn.ack.response_frame"], [])
        self.assertEqual(ack["siptxn.kind"], ["3"])
        self.assertNotEqual(ack["siptxn.txn"], rows[1]["siptxn.txn"])

    def test_only_a_2xx_ack_is_called_one_in_the_tree(self):
        for name in ("ack-final-lost.pcapng", "crafted-ack-orphan.pcapng", "crafted-late-start.pcapng"):
            with self.subTest(capture=name):
                output = tshark(["-r", capture(name), "-V", "-Y", "siptxn.ack.class"])
                for line in output.splitlines():
                    if line.startswith("SIP Transaction Analysis:") and "ACK to a 2xx" in line:
                        self.assertTrue(line.endswith("ACK 2xx") or line.endswith("ACK retransmission 2xx"), line)


class AcceptedState(TsharkTestCase):
    def test_a_2xx_moves_the_invite_transaction_to_accepted(self):
        rows = fields("invite-200-bye.pcapng", ["siptxn.state", "siptxn.narrative"])
        self.assertEqual(rows[4]["siptxn.state"], [ACCEPTED])
        self.assertIn("enters the Accepted state", rows[4]["siptxn.narrative"][0])
        self.assertIn("RFC 6026", rows[4]["siptxn.narrative"][0])
        self.assertIn("does not complete INVITE transaction 1", rows[5]["siptxn.narrative"][0])

    def test_the_rfc3261_model_terminates_it(self):
        rows = fields("invite-200-bye.pcapng", ["siptxn.state", "siptxn.narrative"],
                      extra=["-o", "siptxn.transaction_model:rfc3261"])
        self.assertEqual(rows[4]["siptxn.state"], [TERMINATED])
        self.assertIn("RFC 3261 §17.1.1.2", rows[4]["siptxn.narrative"][0])

    def test_the_russian_narrative_names_the_state(self):
        rows = fields("invite-200-bye.pcapng", ["siptxn.narrative"], language="ru")
        self.assertIn("переходит в состояние Accepted", rows[4]["siptxn.narrative"][0])
        self.assertIn("Транзакцию INVITE № 1 он не завершает", rows[5]["siptxn.narrative"][0])


class Duplicates(TsharkTestCase):
    def test_the_same_packet_twice_is_a_duplicate(self):
        rows = fields("capture-duplicates.pcapng", ["siptxn.role", "siptxn.txn", "siptxn.duplicate.original",
                                                    "siptxn.retransmission", "ip.ttl"])
        for copy in range(2, 17, 2):
            with self.subTest(frame=copy):
                self.assertEqual(rows[copy]["siptxn.role"], [DUPLICATE])
                self.assertEqual(rows[copy]["siptxn.txn"], rows[copy - 1]["siptxn.txn"])
                self.assertEqual(rows[copy]["siptxn.duplicate.original"], [str(copy - 1)])
                self.assertEqual(rows[copy]["siptxn.retransmission"], ["0"])
        self.assertEqual(rows[3]["siptxn.role"], [REQUEST_RETRANSMISSION], "a new datagram after T1")

    def test_a_duplicate_gets_a_note_and_no_timer_warning(self):
        found = experts("capture-duplicates.pcapng")
        for copy in range(2, 17, 2):
            self.assertIn("duplicate", found[copy])
            self.assertNotIn("retransmission", found[copy])
            self.assertNotIn("retransmission.too_early", found[copy])
        output = tshark(["-r", capture("capture-duplicates.pcapng"), "-V", "-Y", "frame.number == 2"])
        self.assertIn("Duplicate of frame 1 from a second capture point: same IP identification and bytes, "
                      "TTL 64 there", output)

    def test_the_preference_turns_detection_off(self):
        rows = fields("capture-duplicates.pcapng", ["siptxn.role"], extra=["-o", "siptxn.detect_duplicates:FALSE"])
        self.assertEqual(rows[2]["siptxn.role"], [REQUEST_RETRANSMISSION])

    def test_statistics_do_not_count_duplicates(self):
        output = tshark(["-r", capture("capture-duplicates.pcapng"), "-q", "-z", "siptxn,tree"])
        retransmissions = [line for line in output.splitlines() if line.startswith(" Retransmissions by method")
                           or line.startswith("Retransmissions by method")]
        self.assertTrue(retransmissions, output)
        self.assertEqual(retransmissions[0].split()[3], "1", retransmissions[0])


class TcpResend(TsharkTestCase):
    def test_by_default_the_resent_segment_carries_no_sip(self):
        rows = fields("tcp-retransmission.pcapng", ["siptxn.role", "tcp.analysis.retransmission"])
        self.assertEqual(rows[5]["siptxn.role"], [])

    def test_a_segment_tcp_resent_is_a_duplicate_not_a_retransmission(self):
        rows = fields("tcp-retransmission.pcapng", ["siptxn.role", "siptxn.duplicate.original",
                                                    "siptxn.duplicate.reason"], extra=TCP_RESEND_VISIBLE)
        self.assertEqual(rows[5]["siptxn.role"], [DUPLICATE])
        self.assertEqual(rows[5]["siptxn.duplicate.original"], ["4"])
        self.assertEqual(rows[5]["siptxn.duplicate.reason"], ["TCP re-sent the segment (same bytes)"])

    def test_without_tcp_analysis_the_same_request_on_a_stream_is_tcps(self):
        # No tcp.analysis flag, a new IP ID, 206 ms later: over TCP the SIP layer
        # re-sends no request (RFC 3261 §17.1.1.2), so it is still TCP's copy.
        rows = fields("tcp-retransmission.pcapng", ["siptxn.role", "siptxn.duplicate.original"],
                      extra=["-o", "tcp.analyze_sequence_numbers:FALSE"])
        self.assertEqual(rows[5]["siptxn.role"], [DUPLICATE])
        self.assertEqual(rows[5]["siptxn.duplicate.original"], ["4"])


class RetransmissionBytes(TsharkTestCase):
    def test_a_changed_copy_is_noted(self):
        found = experts("crafted-retransmission-differs.pcapng")
        self.assertIn("retransmission.differs", found[2])
        self.assertNotIn("retransmission.differs", found[5])


if __name__ == "__main__":
    unittest.main()
