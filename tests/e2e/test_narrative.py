#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The learner's narrative per role and ACK class in English and Russian, the
Info column annotation, and the preferences that switch them (set with -o)."""

import re
import unittest

from siptxn_e2e import TsharkTestCase, capture, experts, fields, tshark

CYRILLIC = re.compile("[\u0400-\u04ff]")


def narratives(capture_name, language=None, extra=()):
    rows = fields(capture_name, ["siptxn.narrative"], language=language, extra=extra)
    return {frame: row["siptxn.narrative"] for frame, row in rows.items()}


class EnglishNarrative(TsharkTestCase):
    def test_call_rejected_with_486(self):
        # invite-486: 1 INVITE, 2 100, 3 180, 4 486, 5 ACK (same branch).
        text = narratives("invite-486.pcapng")
        self.assertIn("opens INVITE transaction 1", text[1][0])
        self.assertIn("Timer A", text[1][0])
        self.assertIn("provisional response", text[2][0])
        self.assertIn("486 rejects the INVITE", text[4][0])
        self.assertRegex(text[5][0], r"acknowledges the 486 response in frame 4, so it belongs to INVITE "
                                     r"transaction 1 \(same branch \S+\) and is sent hop by hop "
                                     r"\(RFC 3261 §17\.1\.1\.3\)")

    def test_call_answered_ack_is_its_own_transaction(self):
        # invite-200-bye: 4 200, 5 ACK (new branch), 6 BYE, 7 200.
        text = narratives("invite-200-bye.pcapng")
        self.assertIn("200 accepts the INVITE", text[4][0])
        self.assertIn("acknowledges the 200 response in frame 4", text[5][0])
        # RFC 3261 §13.2.2.4: the ACK of the dialog the 2xx established, not a part of the INVITE transaction.
        self.assertIn("It is the end-to-end ACK of the dialog that this 200 of INVITE transaction 1 established: "
                      "a transaction of its own (2)", text[5][0])
        self.assertNotIn("completing", text[5][0])
        self.assertIn("§13.2.2.4", text[5][0])
        self.assertIn("BYE request opens non-INVITE transaction 3", text[6][0])

    def test_cancel_and_retransmissions(self):
        # crafted-cancel-race: 1 INVITE, 3 CANCEL, 4 CANCEL again, 6 408, 7 ACK.
        text = narratives("crafted-cancel-race.pcapng")
        self.assertIn("CANCEL asks the server to stop the INVITE of frame 1 (INVITE transaction 1)", text[3][0])
        self.assertIn("re-sent copy of the request in frame 3", text[4][0])
        # crafted-final-never-acked: 3 486, 4 its first re-sent copy (Timer G).
        text = narratives("crafted-final-never-acked.pcapng")
        self.assertIn("re-sent copy of the final response in frame 3 of transaction 1", text[4][0])
        self.assertIn("Timer G", text[4][0])

    def test_unknown_ack(self):
        text = narratives("crafted-ack-orphan.pcapng")
        self.assertIn("is not in the capture", text[1][0])


class RussianNarrative(TsharkTestCase):
    def test_every_role_in_russian(self):
        text = narratives("invite-486.pcapng", language="ru_RU.UTF-8")
        for frame in range(1, 6):
            self.assertRegex(text[frame][0], CYRILLIC)
        self.assertIn("открывает транзакцию INVITE № 1", text[1][0])
        self.assertIn("квитирует ответ 486 из кадра 4", text[5][0])
        self.assertIn("передаётся от узла к узлу (hop-by-hop) (RFC 3261 §17.1.1.3)", text[5][0])
        text = narratives("invite-200-bye.pcapng", language="ru_RU.UTF-8")
        self.assertIn("в диалоге, который установил этот ответ транзакции INVITE № 1", text[5][0])
        self.assertIn("передаётся между оконечными устройствами (end-to-end) и образует отдельную транзакцию № 2",
                      text[5][0])
        self.assertNotIn("завершающ", text[5][0])
        self.assertIn("транзакцию не-INVITE № 3", text[6][0])

    def test_a_retransmission_is_of_the_request_not_of_the_frame(self):
        text = narratives("crafted-cancel-race.pcapng", language="ru_RU.UTF-8")
        self.assertIn("Этот CANCEL — повторная передача запроса из кадра 3:", text[4][0])

    def test_language_preference_overrides_the_locale(self):
        text = narratives("invite-486.pcapng", language="ru_RU.UTF-8", extra=["-o", "siptxn.language:en"])
        self.assertNotRegex(text[5][0], CYRILLIC)


class Preferences(TsharkTestCase):
    def test_narrative_can_be_turned_off(self):
        text = narratives("invite-486.pcapng", extra=["-o", "siptxn.narrative:FALSE"])
        self.assertEqual(text[5], [])

    def test_info_column_annotation_on_and_off(self):
        # tshark's one-line summary per frame ends with the Info column.
        on = tshark(["-r", capture("invite-486.pcapng")]).splitlines()
        self.assertTrue(on[4].endswith("[txn 1 · ACK non-2xx]"), on[4])
        self.assertTrue(on[0].endswith("[txn 1 · request]"), on[0])
        off = tshark(["-r", capture("invite-486.pcapng"), "-o", "siptxn.info_column:FALSE"]).splitlines()
        self.assertEqual(len(off), 5)
        self.assertNotIn("[txn", off[4])

    def test_info_column_one_separator_one_bracket_per_frame(self):
        # The SIP dissector ends its text with " | "; the label follows it after one space.
        # A TCP segment with two messages gets one bracket naming both, in message order.
        # (tshark's one-line summaries: -e _ws.col.Info misses a post-dissector's text on 4.4.)
        lines = tshark(["-r", capture("crafted-two-in-one-segment.pcapng")]).splitlines()
        self.assertTrue(lines[3].endswith("Request: INVITE sip:bob@example.com | [txn 1 · request]"), lines[3])
        self.assertTrue(lines[4].endswith("Status: 180 Ringing | Status: 200 OK (INVITE) | "
                                          "[txn 1 · provisional response; txn 1 · final response]"), lines[4])
        self.assertTrue(lines[7].endswith("Status: 200 OK (BYE) | Status: 200 OK (OPTIONS) | "
                                          "[txn 4 · final response; txn 3 · final response]"), lines[7])
        for name in ("invite-486.pcapng", "proxy-fork.pcapng", "tcp-invite.pcapng"):
            for number, line in enumerate(tshark(["-r", capture(name)]).splitlines(), 1):
                self.assertNotIn("  [txn", line, (name, number))
                self.assertLessEqual(line.count("[txn"), 1, (name, number))

    def test_check_groups_can_be_switched_off(self):
        cases = [("crafted-ack-branch-mismatch.pcapng", 4, "ack.branch_mismatch", "siptxn.check_ack_rules"),
                 ("crafted-timers.pcapng", 9, "retransmission.too_early", "siptxn.check_retransmission_timers"),
                 ("crafted-timers.pcapng", 14, "unanswered", "siptxn.check_timeouts"),
                 ("crafted-udp-large.pcapng", None, "udp_too_large", "siptxn.check_message_size")]
        for name, frame, expert, preference in cases:
            with self.subTest(preference=preference):
                on = experts(name)
                off = experts(name, extra=["-o", preference + ":FALSE"])
                flagged = [f for f, names in on.items() if expert in names]
                self.assertTrue(flagged)
                if frame:
                    self.assertIn(frame, flagged)
                self.assertEqual([f for f, names in off.items() if expert in names], [])
                # The transactions themselves do not change.
                self.assertEqual(fields(name, ["siptxn.txn", "siptxn.role"]),
                                 fields(name, ["siptxn.txn", "siptxn.role"], extra=["-o", preference + ":FALSE"]))

    def test_timer_t1_preference_changes_the_expected_interval(self):
        # crafted-timers: the INVITE's first re-sent copy, 0.5 s after the first (Timer A = T1).
        default = fields("crafted-timers.pcapng", ["siptxn.retransmission.expected"])
        slow = fields("crafted-timers.pcapng", ["siptxn.retransmission.expected"], extra=["-o", "siptxn.t1:1000"])
        first_copy = min(f for f, row in default.items() if row["siptxn.retransmission.expected"])
        self.assertAlmostEqual(float(default[first_copy]["siptxn.retransmission.expected"][0]), 0.5)
        self.assertAlmostEqual(float(slow[first_copy]["siptxn.retransmission.expected"][0]), 1.0)


if __name__ == "__main__":
    unittest.main()
