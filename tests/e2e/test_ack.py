#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ACK classification (RFC 3261 §17.1.1.3 vs §13.2.2.4) and its RFC checks, on
recorded calls and on crafted captures.  Expected values come from the
scenario comments in test-captures/crafted/*.sip, derived from the RFC."""

import unittest

from siptxn_e2e import TsharkTestCase, experts, fields

FIELDS = ["siptxn.txn", "siptxn.kind", "siptxn.role", "siptxn.ack.class", "siptxn.ack.invite_txn",
          "siptxn.ack.invite_frame", "siptxn.ack.response_frame"]

# The ACK-related expert infos; any of them not listed for a frame must be absent.
ACK_EXPERTS = {"ack.branch_mismatch", "ack.2xx_reuses_branch", "ack.cseq_number", "ack.cseq_method",
               "ack.headers_differ", "ack.to_tag_differs", "ack.unprompted_retransmission",
               "final_unacknowledged", "ack.late", "ack.transport_changed", "ack.without_invite"}

NON_2XX, TWO_XX, UNKNOWN = "1", "2", "0"


class AckTestCase(TsharkTestCase):
    def check(self, capture_name, expected):
        """expected: frame -> (ack class, invite frame or None, response frame or None, experts)."""
        rows = fields(capture_name, FIELDS, two_pass=True)
        found = experts(capture_name)
        for frame, (ack_class, invite_frame, response_frame, wanted) in expected.items():
            with self.subTest(capture=capture_name, frame=frame):
                row = rows[frame]
                self.assertEqual(row["siptxn.ack.class"], [ack_class])
                self.assertEqual(row["siptxn.ack.invite_frame"], [str(invite_frame)] if invite_frame else [])
                self.assertEqual(row["siptxn.ack.response_frame"], [str(response_frame)] if response_frame else [])
                self.assertEqual(found.get(frame, set()) & ACK_EXPERTS, set(wanted))
                if ack_class == NON_2XX and invite_frame:
                    # §17.1.1.3: same transaction as the INVITE.
                    self.assertEqual(row["siptxn.txn"], rows[invite_frame]["siptxn.txn"])
                    self.assertEqual(row["siptxn.kind"], ["1"])
                if ack_class == TWO_XX:
                    # §13.2.2.4: a transaction of its own, linked to the INVITE's.
                    self.assertEqual(row["siptxn.kind"], ["3"])
                    if invite_frame:
                        self.assertNotEqual(row["siptxn.txn"], rows[invite_frame]["siptxn.txn"])
                        self.assertEqual(row["siptxn.ack.invite_txn"], rows[invite_frame]["siptxn.txn"])
        return rows


class RecordedCalls(AckTestCase):
    def test_ack_to_486_is_part_of_the_invite_transaction(self):
        # invite-486: 1 INVITE, 2 100, 3 180, 4 486, 5 ACK with the INVITE's branch.
        self.check("invite-486.pcapng", {5: (NON_2XX, 1, 4, set())})

    def test_ack_to_200_is_a_transaction_of_its_own(self):
        # invite-200-bye: 1 INVITE, 2 100, 3 180, 4 200, 5 ACK (new branch), 6 BYE, 7 200.
        self.check("invite-200-bye.pcapng", {5: (TWO_XX, 1, 4, set())})


class AckRules(AckTestCase):
    def test_17_1_1_3_non_2xx_ack_with_another_branch_is_an_error(self):
        self.check("crafted-ack-branch-mismatch.pcapng",
                   {4: (NON_2XX, 1, 3, {"ack.branch_mismatch"}), 7: (NON_2XX, 5, 6, set())})

    def test_13_2_2_4_2xx_ack_reusing_the_invite_branch_is_warned(self):
        self.check("crafted-ack-2xx-reuses-branch.pcapng", {4: (TWO_XX, 1, 3, {"ack.2xx_reuses_branch"})})

    def test_17_1_1_3_ack_cseq_number_and_method(self):
        self.check("crafted-ack-cseq.pcapng",
                   {3: (NON_2XX, 1, 2, {"ack.cseq_number"}), 6: (NON_2XX, 4, 5, {"ack.cseq_method"})})

    def test_17_1_1_3_non_2xx_ack_copies_the_invite_and_response_headers(self):
        self.check("crafted-ack-headers-differ.pcapng",
                   {3: (NON_2XX, 1, 2, {"ack.headers_differ"}),   # Request-URI differs
                    6: (NON_2XX, 4, 5, {"ack.headers_differ"}),   # From tag differs
                    9: (NON_2XX, 7, 8, {"ack.to_tag_differs"})})  # To tag differs from the 486's

    def test_17_1_1_2_ack_resent_only_for_a_resent_final_response(self):
        rows = self.check("crafted-ack-unprompted-retransmission.pcapng",
                          {3: (NON_2XX, 1, 2, set()), 4: (NON_2XX, 1, 2, {"ack.unprompted_retransmission"}),
                           7: (NON_2XX, 5, 6, set()), 9: (NON_2XX, 5, 6, set())})
        self.assertEqual(rows[4]["siptxn.role"], ["8"])
        self.assertEqual(rows[9]["siptxn.role"], ["8"])

    def test_17_2_1_final_response_resent_and_never_acknowledged(self):
        found = experts("crafted-final-never-acked.pcapng")
        self.assertIn("final_unacknowledged", found[3])
        self.assertEqual([f for f, names in found.items() if "final_unacknowledged" in names], [3])
        # Single pass cannot know the capture's end yet: no verdict there.
        single = experts("crafted-final-never-acked.pcapng", two_pass=False)
        self.assertNotIn("final_unacknowledged", single[3])

    def test_17_2_1_timer_h_ack_after_64_t1_is_noted(self):
        self.check("crafted-ack-late.pcapng", {8: (NON_2XX, 6, 7, set()), 9: (NON_2XX, 4, 5, {"ack.late"})})

    def test_18_1_1_ack_over_another_transport_still_belongs_to_its_transaction(self):
        self.check("crafted-ack-transport-change.pcapng",
                   {6: (NON_2XX, 1, 2, {"ack.transport_changed"}), 9: (TWO_XX, 7, 8, set())})

    def test_ack_without_invite_in_the_capture(self):
        self.check("crafted-ack-orphan.pcapng",
                   {1: (UNKNOWN, None, None, {"ack.without_invite"}),
                    2: (UNKNOWN, None, None, {"ack.without_invite"}),
                    5: (TWO_XX, 3, 4, set()),
                    6: (UNKNOWN, None, None, {"ack.without_invite"})})

    def test_13_2_2_4_forked_2xx_each_ack_matched_by_to_tag(self):
        rows = self.check("crafted-ack-forked-2xx.pcapng",
                          {7: (TWO_XX, 1, 5, set()), 8: (TWO_XX, 1, 6, set()), 13: (TWO_XX, 11, 12, set())})
        self.assertNotEqual(rows[7]["siptxn.txn"], rows[8]["siptxn.txn"])
        self.assertNotEqual(rows[11]["siptxn.txn"], rows[1]["siptxn.txn"])   # re-INVITE: distinct

    def test_capture_started_late_class_from_the_evidence(self):
        # frame 3: same branch as the 486 of frame 2; frame 5: To tag of the 200 of frame 4.
        rows = self.check("crafted-late-start.pcapng",
                          {3: (NON_2XX, None, 2, {"ack.without_invite"}),
                           5: (TWO_XX, None, 4, {"ack.without_invite"})})
        self.assertEqual(rows[3]["siptxn.txn"], rows[2]["siptxn.txn"])
        self.assertNotEqual(rows[5]["siptxn.txn"], rows[4]["siptxn.txn"])

    def test_ack_class_filter_by_name(self):
        from siptxn_e2e import frames_matching
        self.assertEqual(frames_matching("crafted-ack-forked-2xx.pcapng", 'siptxn.ack.class == "2xx"'), [7, 8, 13])
        self.assertEqual(frames_matching("crafted-ack-branch-mismatch.pcapng", 'siptxn.ack.class == "non-2xx"'),
                         [4, 7])


if __name__ == "__main__":
    unittest.main()
