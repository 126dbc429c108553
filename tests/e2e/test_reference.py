#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests of the reference transaction model used to derive the golden tables.
"""Checks tests/reference/siptxn_reference.py rule by rule, on small message
lists written inline, so the expected tables rest on a model that is itself
tested.  Each expectation follows from the RFC 3261 section named in the test.

Also checks, with the tools the golden tests use (none is skipped: a missing
tool is a failure that says what to install), that the model reads captures
with tshark as intended, that every golden table is exactly what the model
generates, and that the model's names and numbers of roles, kinds, states and
ACK classes are the plugin's (its value_strings in `tshark -G values`).  The
plugin is SIPTXN_PLUGIN (ctest sets it), else build/siptxn.so.
"""

import dataclasses
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))

import siptxn_reference as reference  # noqa: E402  (path set up above)

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_TSHARK = os.path.join(HERE, "..", "..", "scripts", "run-tshark.sh")
PLUGIN = os.environ.get("SIPTXN_PLUGIN", os.path.join(reference.SOURCE_DIR, "build", "siptxn.so"))

UAC = "SIP/2.0/UDP 192.0.2.10:5060;branch={}"
PROXY = "SIP/2.0/UDP 192.0.2.20:5060;branch={}"


class Capture:
    """Builds SipMessage lists: one message per frame unless told otherwise."""

    def __init__(self):
        self.messages = []

    def add(self, start, cseq, via=UAC.format("z9hG4bK1"), second_via=None, from_tag="f1",
            to_tag=None, call_id="call-1", frame=None):
        first_word, _, rest = start.partition(" ")
        is_response = first_word.startswith("SIP/")
        number, method = cseq.split()
        frame = frame if frame is not None else len(self.messages) + 1
        index = 1 + sum(1 for message in self.messages if message.frame == frame)
        vias = reference.via_parms([via] + ([second_via] if second_via else []))
        self.messages.append(reference.SipMessage(
            frame=frame, index=index, time=float(frame), transport="UDP",
            method=None if is_response else first_word,
            status=int(rest.split()[0]) if is_response else None,
            cseq_number=int(number), cseq_method=method, call_id=call_id,
            top_via=vias[0] if vias else None, second_via=vias[1] if len(vias) > 1 else None,
            from_tag=from_tag, to_tag=to_tag, request_uri=None if is_response else rest))
        return self

    def rows(self):
        return reference.reference_rows(self.messages)


def column(rows, name):
    return [getattr(row, name) for row in rows]


class ViaParsingTests(unittest.TestCase):
    def test_first_via_parm_of_a_header_with_several(self):
        # RFC 3261 §7.3.1: "Via: a, b" equals two Via lines; the top one is a.
        vias = reference.via_parms(["SIP/2.0/UDP a.example:5070;branch=z9hG4bKa, SIP/2.0/TCP b.example",
                                    "SIP/2.0/UDP c.example;branch=z9hG4bKc"])
        self.assertEqual([via.sent_by for via in vias], ["a.example:5070", "b.example:5060", "c.example:5060"])
        self.assertEqual(vias[0].branch, "z9hG4bKa")
        self.assertIsNone(vias[1].branch)

    def test_default_port_depends_on_transport(self):
        # RFC 3261 §18.2.1, §19.1.2: 5060, or 5061 for TLS.
        self.assertEqual(reference.parse_via_parm("SIP/2.0/TLS h.example;branch=x").port, 5061)
        self.assertEqual(reference.parse_via_parm("SIP/2.0/TCP h.example;branch=x").port, 5060)

    def test_ipv6_reference_and_quoted_comma(self):
        vias = reference.via_parms(['SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bKv6;x="a,b"'])
        self.assertEqual(len(vias), 1)
        self.assertEqual(vias[0].sent_by, "[2001:db8::1]:5062")

    def test_host_compares_case_insensitively(self):
        # RFC 3261 §19.1.4: hosts compare case-insensitively.
        self.assertEqual(reference.parse_via_parm("SIP/2.0/UDP Host.Example;branch=b").host, "host.example")


class InviteTransactionTests(unittest.TestCase):
    def test_rejected_invite_and_its_ack_form_one_transaction(self):
        # RFC 3261 §17.1.1.3: the ACK to a non-2xx reuses the INVITE's branch
        # and belongs to the INVITE transaction.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 100 Trying", "1 INVITE")
                .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 1])
        self.assertEqual(column(rows, "role"), [1, 3, 5, 7])
        self.assertEqual(column(rows, "ack_class"), [None, None, None, reference.ACK_NON_2XX])
        self.assertEqual(column(rows, "request_frame"), [1, 1, 1, 1])
        self.assertEqual(column(rows, "final_frame"), [3, 3, 3, 3])
        self.assertEqual((rows[3].ack_invite_frame, rows[3].ack_response_frame), (1, 3))

    def test_ack_to_2xx_is_a_transaction_of_its_own(self):
        # RFC 3261 §13.2.2.4, §17.1.1.3: new branch, same CSeq number.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "7 INVITE")
                .add("SIP/2.0 180 Ringing", "7 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "7 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "7 ACK", via=UAC.format("z9hG4bK2"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 2])
        self.assertEqual(column(rows, "role"), [1, 3, 5, 7])
        ack = rows[3]
        self.assertEqual(ack.ack_class, reference.ACK_2XX)
        self.assertEqual((ack.ack_invite_frame, ack.ack_response_frame), (1, 3))
        self.assertEqual((ack.request_frame, ack.final_frame), (4, None))

    def test_retransmissions_of_request_responses_and_ack(self):
        # RFC 3261 §17.1.1.2 (INVITE resent), §13.3.1.4 (2xx resent by the
        # UAS core), §13.2.2.4 (the same ACK answers each resent 2xx).
        ack_via = UAC.format("z9hG4bK2")
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=ack_via, to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=ack_via, to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 2, 5, 6, 7, 6, 8])
        self.assertEqual(column(rows, "retransmission"), [False, True, False, True, False, True, True])
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 1, 2, 1, 2])
        self.assertEqual(column(rows, "ack_response_frame"), [None] * 4 + [3, None, 3])

    def test_non_2xx_ack_retransmission(self):
        # RFC 3261 §17.1.1.2: each retransmitted non-2xx final response is
        # answered by the transaction with the ACK again.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 404 Not Found", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .add("SIP/2.0 404 Not Found", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 5, 7, 6, 8])
        self.assertEqual(column(rows, "ack_class"), [None, None, 1, None, 1])
        self.assertEqual(set(column(rows, "txn")), {1})

    def test_forked_2xx_with_other_to_tag_is_not_a_retransmission(self):
        # RFC 3261 §13.2.2.4: several 2xx with different To tags are separate
        # responses, each acknowledged by its own ACK.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t2")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa1"), to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa2"), to_tag="t2")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 5, 5, 7, 7])
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 2, 3])
        self.assertEqual(column(rows, "ack_response_frame")[3:], [2, 3])
        self.assertEqual(column(rows, "final_frame")[:3], [2, 2, 2])

    def test_provisional_retransmission_needs_same_code_and_to_tag(self):
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t2")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 3, 4, 3, 3])

    def test_ack_with_wrong_branch_to_non_2xx_joins_the_invite_transaction(self):
        # RFC 3261 §17.1.1.3 wants the INVITE's branch on this ACK; with
        # another branch §17.2.3 does not match it, but Call-ID, CSeq number
        # and tags show it acknowledges the 486, and §6 and §17.1.1.3 make the
        # ACK to a non-2xx part of the INVITE transaction: it joins it.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKother"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 1])
        self.assertEqual(column(rows, "role"), [1, 5, 7])
        self.assertEqual((rows[2].ack_class, rows[2].ack_invite_frame, rows[2].ack_response_frame),
                         (reference.ACK_NON_2XX, 1, 2))
        self.assertEqual(column(rows, "state"), [reference.STATE_CALLING, reference.STATE_COMPLETED,
                                                 reference.STATE_CONFIRMED])
        self.assertEqual(rows[2].via_branch, "z9hG4bKother")
        self.assertEqual(rows[2].key, rows[0].key)

    def test_ack_without_any_invite_or_2xx_is_unknown(self):
        rows = Capture().add("ACK sip:b@example.com", "3 ACK", to_tag="t9").rows()
        self.assertEqual((rows[0].txn, rows[0].role, rows[0].ack_class), (1, 7, reference.ACK_UNKNOWN))
        self.assertIsNone(rows[0].ack_invite_frame)

    def test_ack_with_the_invite_branch_and_no_final_response_is_non_2xx(self):
        # Same branch and sent-by (RFC 3261 §17.2.3) but nothing to acknowledge
        # in the capture: part of the INVITE transaction, and non-2xx, since
        # only the ACK to a non-2xx reuses the INVITE's branch (§17.1.1.3; the
        # ACK to a 2xx has a new one, §8.1.1.7, §13.2.2.4).
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1])
        self.assertEqual(rows[1].ack_class, reference.ACK_NON_2XX)
        self.assertEqual((rows[1].ack_invite_frame, rows[1].ack_response_frame), (1, None))

    def test_ack_with_a_new_branch_and_no_final_response_names_its_invite(self):
        # §13.2.2.4: Call-ID, CSeq number and From tag name the INVITE the ACK
        # completes, even when the response it acknowledges is not captured.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKnew"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2])
        self.assertEqual((rows[1].ack_class, rows[1].ack_invite_frame, rows[1].ack_response_frame),
                         (reference.ACK_UNKNOWN, 1, None))

    def test_ack_to_2xx_reusing_the_invite_branch_is_still_separate(self):
        # RFC 3261 §17.2.1: a 2xx ends the INVITE server transaction, so an
        # ACK to that 2xx cannot belong to it, whatever its branch.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2])
        self.assertEqual(rows[2].ack_class, reference.ACK_2XX)

    def test_cancel_is_its_own_transaction_and_487_ack_joins_the_invite(self):
        # RFC 3261 §9.1: CANCEL has the INVITE's branch but its own
        # transaction (method differs, §17.2.3); the 487 and its ACK belong
        # to the INVITE transaction (§17.1.1.3).
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("CANCEL sip:b@example.com", "1 CANCEL")
                .add("SIP/2.0 200 OK", "1 CANCEL", to_tag="t1")
                .add("SIP/2.0 487 Request Terminated", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .add("CANCEL sip:b@example.com", "1 CANCEL")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2, 2, 1, 1, 2])
        self.assertEqual(column(rows, "role"), [1, 3, 9, 5, 5, 7, 10])
        self.assertEqual(rows[5].ack_class, reference.ACK_NON_2XX)
        self.assertEqual(column(rows, "final_frame"), [5, 5, 4, 4, 5, 5, 4])

    def test_2xx_ack_chooses_the_hop_with_the_same_sent_by(self):
        # A proxy chain carries the same 2xx in two INVITE transactions; each
        # hop's ACK (RFC 3261 §16.7, §13.2.2.4) acknowledges its own hop.
        proxy_via = PROXY.format("z9hG4bKp1")
        uac_via = UAC.format("z9hG4bK1")
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via=uac_via)
                .add("INVITE sip:b@example.com", "1 INVITE", via=proxy_via, second_via=uac_via)
                .add("SIP/2.0 200 OK", "1 INVITE", via=proxy_via, second_via=uac_via, to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", via=uac_via, to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa"), to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=PROXY.format("z9hG4bKb"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2, 1, 3, 4])
        self.assertEqual((rows[4].ack_invite_frame, rows[4].ack_response_frame), (1, 4))
        self.assertEqual((rows[5].ack_invite_frame, rows[5].ack_response_frame), (2, 3))


class MatchingKeyTests(unittest.TestCase):
    def test_same_branch_other_sent_by_is_another_transaction(self):
        # RFC 3261 §17.2.3: the sent-by takes part in the match.
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP a.example;branch=z9hG4bKx")
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP c.example;branch=z9hG4bKx")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2])
        self.assertEqual(column(rows, "role"), [1, 1])

    def test_explicit_default_port_equals_no_port(self):
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP a.example;branch=z9hG4bKx")
                .add("SIP/2.0 200 OK", "1 OPTIONS", via="SIP/2.0/UDP a.example:5060;branch=z9hG4bKx", to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1])

    def test_response_matches_on_cseq_method(self):
        # RFC 3261 §17.1.3: same branch, but the CSeq method selects the
        # transaction (INVITE vs CANCEL).
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("CANCEL sip:b@example.com", "1 CANCEL")
                .add("SIP/2.0 200 OK", "1 CANCEL", to_tag="t")
                .add("SIP/2.0 487 Request Terminated", "1 INVITE", to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2, 1])

    def test_new_branch_makes_a_new_non_invite_transaction(self):
        rows = (Capture()
                .add("REGISTER sip:example.com", "1 REGISTER", via=UAC.format("z9hG4bKr1"))
                .add("SIP/2.0 401 Unauthorized", "1 REGISTER", via=UAC.format("z9hG4bKr1"), to_tag="t")
                .add("REGISTER sip:example.com", "2 REGISTER", via=UAC.format("z9hG4bKr2"))
                .add("SIP/2.0 200 OK", "2 REGISTER", via=UAC.format("z9hG4bKr2"), to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2, 2])
        self.assertEqual(column(rows, "final_frame"), [2, 2, 4, 4])

    def test_response_before_its_request_opens_the_transaction(self):
        # The capture may start after the request: the response still opens a
        # transaction, numbered by first appearance, with no request frame.
        rows = (Capture()
                .add("SIP/2.0 200 OK", "4 BYE", via=UAC.format("z9hG4bKold"), to_tag="t")
                .add("OPTIONS sip:b@example.com", "5 OPTIONS", via=UAC.format("z9hG4bKnew"))
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2])
        self.assertEqual((rows[0].role, rows[0].request_frame, rows[0].final_frame), (5, None, 1))

    def test_branch_without_cookie_uses_rfc2543_rules(self):
        # RFC 3261 §17.2.3: no "z9hG4bK" prefix -> Call-ID, CSeq, From tag,
        # top Via.  Two requests with the same old-style branch but another
        # CSeq number are two transactions.
        old = "SIP/2.0/UDP 192.0.2.10;branch=1234"
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via=old)
                .add("OPTIONS sip:b@example.com", "2 OPTIONS", via=old)
                .add("OPTIONS sip:b@example.com", "2 OPTIONS", via=old)
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2])
        self.assertEqual(column(rows, "role"), [1, 1, 2])

    def test_rfc2543_request_also_matches_on_request_uri_and_to_tag(self):
        # RFC 3261 §17.2.3: an RFC 2543 request matches if the Request-URI, To
        # tag, From tag, Call-ID, CSeq and top Via match those of the request
        # that created the transaction.
        old = "SIP/2.0/UDP 192.0.2.10"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via=old)
                .add("INVITE sip:c@example.com", "1 INVITE", via=old)
                .add("INVITE sip:c@example.com", "1 INVITE", via=old)
                .add("INVITE sip:c@example.com", "1 INVITE", via=old, to_tag="t9")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2, 3])
        self.assertEqual(column(rows, "role"), [1, 1, 2, 1])

    def test_rfc2543_ack_matches_by_to_tag(self):
        # RFC 3261 §17.2.3: an RFC 2543 ACK matches when its To tag equals the
        # To tag of the response sent by the server transaction.
        old = "SIP/2.0/UDP 192.0.2.10"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via=old)
                .add("SIP/2.0 404 Not Found", "1 INVITE", via=old, to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=old, to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=old, to_tag="other")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 2])
        self.assertEqual(column(rows, "ack_class"), [None, None, 1, 0])

    def test_rfc2543_ack_to_2xx(self):
        old = "SIP/2.0/UDP 192.0.2.10"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via=old)
                .add("SIP/2.0 200 OK", "1 INVITE", via=old, to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=old, to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2])
        self.assertEqual((rows[2].ack_class, rows[2].ack_response_frame), (reference.ACK_2XX, 2))

    def test_several_messages_in_one_frame_keep_their_order(self):
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", frame=1)
                .add("SIP/2.0 404 Not Found", "1 INVITE", to_tag="t1", frame=2)
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1", frame=3)
                .add("OPTIONS sip:b@example.com", "2 OPTIONS", via=UAC.format("z9hG4bKo"), frame=3)
                .rows())
        self.assertEqual([(row.frame, row.message_index, row.txn) for row in rows],
                         [(1, 1, 1), (2, 1, 1), (3, 1, 1), (3, 2, 2)])


class KeyAndViaColumnTests(unittest.TestCase):
    """The key, rfc2543, via_branch and via_sent_by columns."""

    def test_rfc3261_key_text(self):
        # RFC 3261 §17.2.3: branch + sent-by + method; hosts compare
        # case-insensitively (§19.1.4), so the key writes them lower-cased.
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP A.Example;branch=z9hG4bKAbC")
                .rows())
        self.assertEqual(rows[0].key, "branch=z9hG4bKAbC sent-by=a.example:5060 method=OPTIONS")
        self.assertEqual((rows[0].via_branch, rows[0].via_sent_by, rows[0].rfc2543),
                         ("z9hG4bKAbC", "A.Example", False))

    def test_rfc2543_key_text(self):
        # RFC 3261 §17.2.3: Call-ID, CSeq, From tag and top Via, with the method.
        rows = Capture().add("INVITE sip:b@example.com", "4 INVITE", via="SIP/2.0/UDP 192.0.2.10:5070").rows()
        self.assertEqual(rows[0].key, "rfc2543 call-id=call-1 cseq=4 method=INVITE from-tag=f1 "
                                      "sent-by=192.0.2.10:5070")
        self.assertEqual((rows[0].via_branch, rows[0].via_sent_by, rows[0].rfc2543), (None, "192.0.2.10:5070", True))

    def test_only_the_top_via_counts(self):
        # RFC 3261 §17.2.3: the top Via has no magic cookie, so the RFC 2543
        # rules apply, whatever branch a Via below it carries.
        lower = "SIP/2.0/UDP 192.0.2.5:5064;branch=z9hG4bKbelow"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via="SIP/2.0/UDP 192.0.2.10", second_via=lower)
                .add("SIP/2.0 486 Busy Here", "1 INVITE", via="SIP/2.0/UDP 192.0.2.10", second_via=lower,
                     to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via="SIP/2.0/UDP 192.0.2.10", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 1])
        self.assertEqual(column(rows, "rfc2543"), [True, True, True])
        self.assertEqual(column(rows, "via_branch"), [None, None, None])
        self.assertTrue(rows[0].key.startswith("rfc2543 "))
        self.assertEqual(rows[2].ack_class, reference.ACK_NON_2XX)

    def test_same_branch_from_two_hosts_has_two_keys(self):
        # RFC 3261 §17.2.3: "the sent-by value is used as part of the matching
        # process because there could be accidental or malicious duplication
        # of branch parameters from different clients".
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via="SIP/2.0/UDP 127.0.0.2:5061;branch=z9hG4bKs")
                .add("INVITE sip:b@example.com", "1 INVITE", via="SIP/2.0/UDP 127.0.0.3:5061;branch=z9hG4bKs",
                     call_id="call-2", from_tag="f2")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 1])
        self.assertEqual(column(rows, "key"), ["branch=z9hG4bKs sent-by=127.0.0.2:5061 method=INVITE",
                                               "branch=z9hG4bKs sent-by=127.0.0.3:5061 method=INVITE"])

    def test_default_ports_of_tls_and_wss(self):
        # RFC 3261 §18.2.2, §19.1.2: 5061 for TLS; likewise WSS (RFC 7118).
        for transport, port in (("TLS", 5061), ("WSS", 5061), ("WS", 5060), ("TCP", 5060)):
            rows = Capture().add("OPTIONS sip:b@example.com", "1 OPTIONS",
                                 via=f"SIP/2.0/{transport} h.example;branch=z9hG4bKp").rows()
            self.assertIn(f" sent-by=h.example:{port} ", rows[0].key)
            self.assertEqual(rows[0].via_sent_by, "h.example")

    def test_ipv6_sent_by_is_written_without_brackets(self):
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP [2001:DB8::1];branch=z9hG4bK6")
                .add("SIP/2.0 200 OK", "1 OPTIONS", via="SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK6", to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1])
        self.assertEqual(column(rows, "via_sent_by"), ["2001:DB8::1", "2001:db8::1:5060"])
        self.assertEqual(rows[1].key, "branch=z9hG4bK6 sent-by=2001:db8::1:5060 method=OPTIONS")

    def test_empty_branch_is_present_but_empty(self):
        # An empty branch has no magic cookie: RFC 2543 rules (§17.2.3).
        rows = Capture().add("OPTIONS sip:b@example.com", "1 OPTIONS", via="SIP/2.0/UDP 192.0.2.10;branch=").rows()
        self.assertEqual((rows[0].via_branch, rows[0].rfc2543), ("", True))
        self.assertEqual(rows[0].cells()[reference.COLUMNS.index("via_branch")], reference.EMPTY_TEXT)

    def test_message_without_via_is_a_transaction_of_its_own(self):
        # RFC 3261 §8.1.1: Via is mandatory; without it nothing matches.
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="")
                .add("OPTIONS sip:b@example.com", "1 OPTIONS", via="")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2])
        self.assertEqual(column(rows, "role"), [1, 1])
        self.assertEqual(column(rows, "key"), [reference.UNMATCHABLE_KEY] * 2)
        self.assertEqual(column(rows, "rfc2543"), [False, False])
        self.assertEqual(column(rows, "via_sent_by"), [None, None])

    def test_rfc2543_request_needs_a_valid_cseq(self):
        # RFC 3261 §8.1.1.5: the CSeq number is below 2**31; the RFC 2543
        # key needs it, the RFC 3261 key does not.
        self.assertEqual(reference.parse_cseq("2147483647 INVITE"), (2147483647, "INVITE"))
        for text in ("abc INVITE", "4294967297 INVITE", "-1 INVITE", "2147483648 INVITE"):
            self.assertIsNone(reference.parse_cseq(text)[0], text)
        message = reference.SipMessage(
            frame=1, index=1, time=0.0, transport="UDP", method="OPTIONS", status=None, cseq_number=None,
            cseq_method="OPTIONS", call_id="c", top_via=reference.parse_via_parm("SIP/2.0/UDP h"),
            second_via=None, from_tag="f", to_tag=None, request_uri="sip:b@example.com")
        self.assertIsNone(reference.transaction_key(message, "OPTIONS"))
        cookie = dataclasses.replace(message, top_via=reference.parse_via_parm("SIP/2.0/UDP h;branch=z9hG4bKc"))
        self.assertEqual(reference.transaction_key(cookie, "OPTIONS")[0], "rfc3261")


class ResponseCSeqMethodTests(unittest.TestCase):
    def test_response_with_another_cseq_method_joins_its_branch(self):
        # RFC 3261 §17.1.3 matches on branch, sent-by and CSeq method, and
        # §8.2.6.2 says the response copies the request's CSeq: a response
        # naming a transaction by branch and sent-by but with another CSeq
        # method is that transaction's, with a broken CSeq.
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS")
                .add("SIP/2.0 200 OK", "1 INFO", to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1])
        self.assertEqual(column(rows, "role"), [1, 5])
        self.assertEqual(column(rows, "final_frame"), [2, 2])
        self.assertEqual(column(rows, "state"), [reference.STATE_TRYING, reference.STATE_COMPLETED])

    def test_the_last_transaction_of_the_branch_takes_it(self):
        # An INVITE and its CANCEL share branch and sent-by (§9.1): the
        # CANCEL's transaction, opened last, takes the odd response.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("CANCEL sip:b@example.com", "1 CANCEL")
                .add("SIP/2.0 200 OK", "1 BYE", to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2])

    def test_response_with_an_unknown_branch_opens_a_transaction(self):
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS")
                .add("SIP/2.0 200 OK", "1 INFO", via=UAC.format("z9hG4bKelse"), to_tag="t")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2])
        self.assertEqual(rows[1].request_frame, None)


class StateTests(unittest.TestCase):
    """State after each message, RFC 3261 §17 Figures 5 to 8."""

    def test_invite_rejected_and_acknowledged(self):
        # Figure 5/7: Calling, Proceeding (1xx), Completed (300-699),
        # Confirmed (ACK); re-sent 486 and ACK leave it Confirmed.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "state"), [1, 3, 4, 5, 5, 5])
        self.assertEqual(column(rows, "kind"), [reference.KIND_INVITE] * 6)

    def test_invite_answered_with_2xx(self):
        # Figure 5: a 2xx terminates the INVITE transaction; the ACK to it is
        # a transaction of its own, without a state machine (§17.1.1.3).
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "state"), [1, 6, 6, None])
        self.assertEqual(column(rows, "kind"), [1, 1, 1, reference.KIND_ACK])

    def test_non_invite(self):
        # Figure 6/8: Trying, Proceeding (1xx), Completed (final); a re-sent
        # request changes nothing.
        rows = (Capture()
                .add("OPTIONS sip:b@example.com", "1 OPTIONS")
                .add("SIP/2.0 100 Trying", "1 OPTIONS")
                .add("SIP/2.0 200 OK", "1 OPTIONS", to_tag="t")
                .add("OPTIONS sip:b@example.com", "1 OPTIONS")
                .rows())
        self.assertEqual(column(rows, "state"), [2, 3, 4, 4])
        self.assertEqual(column(rows, "kind"), [reference.KIND_NON_INVITE] * 4)

    def test_forked_finals(self):
        # A 2xx terminates even a Completed INVITE transaction (another fork's
        # 486 came first); a non-2xx after a 2xx leaves it Terminated; after
        # the ACK confirmed it, another final changes nothing.
        after_486 = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                     .rows())
        self.assertEqual(column(after_486, "state"), [1, 4, 6])
        after_200 = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2")
                     .rows())
        self.assertEqual(column(after_200, "state"), [1, 6, 6])
        confirmed = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2")
                     .add("ACK sip:b@example.com", "1 ACK", to_tag="t2")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                     .rows())
        self.assertEqual(column(confirmed, "state"), [1, 4, 5, 5])

    def test_transaction_opened_by_a_response(self):
        # The request is not in the capture: the transaction starts where its
        # request would have left it (Calling or Trying).
        rows = (Capture()
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "2 BYE", via=UAC.format("z9hG4bKbye"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "state"), [3, 4])
        self.assertEqual(column(rows, "kind"), [1, 2])


def udp_packet(payload, source_port=5060):
    udp = struct.pack("!HHHH", source_port, 5060, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20]))
    return ip + udp


def tcp_packet(payload, sequence):
    tcp = struct.pack("!HHIIBBHHH", 5080, 5060, sequence, 1, 5 << 4, 0x18, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0,
                     bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20]))
    return ip + tcp


def sip_text(start, headers):
    return ("\r\n".join([start] + headers + ["Content-Length: 0", "", ""])).encode()


def read_packets(packets):
    """read_sip_messages() of a raw IPv4 pcap holding these packets."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "reading.pcap")
        with open(path, "wb") as capture:
            capture.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
            for number, packet in enumerate(packets):
                capture.write(struct.pack("<IIII", 100 + number, 0, len(packet), len(packet)) + packet)
        os.chmod(folder, 0o755)
        return reference.read_sip_messages(path)


def require_tshark():
    """The tests that read captures need tshark: fail, never skip, without it."""
    if shutil.which("tshark") is None:
        raise AssertionError("tshark is not installed: apt-get install tshark")


class CaptureReadingTests(unittest.TestCase):
    """read_sip_messages() on a capture written here (raw IPv4 pcap)."""

    @classmethod
    def setUpClass(cls):
        require_tshark()

    def test_fields_and_several_messages_per_tcp_segment(self):
        invite = sip_text("INVITE sip:bob@example.com SIP/2.0", [
            "Via: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKinv, SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKup",
            "From: <sip:alice@example.com>;tag=alice1", "To: <sip:bob@example.com>",
            "Call-ID: abc@192.0.2.10", "CSeq: 11 INVITE", "Max-Forwards: 70"])
        ack = sip_text("ACK sip:bob@example.com SIP/2.0", [
            "v: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKack", "f: <sip:alice@example.com>;tag=alice1",
            "t: <sip:bob@example.com>;tag=bob1", "i: abc@192.0.2.10", "CSeq: 11 ACK", "Max-Forwards: 70"])
        options = sip_text("OPTIONS sip:bob@example.com SIP/2.0", [
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKopt", "From: <sip:alice@example.com>;tag=a2",
            "To: <sip:bob@example.com>", "Call-ID: opt@192.0.2.10", "CSeq: 1 OPTIONS", "Max-Forwards: 70"])
        messages = read_packets([udp_packet(options), tcp_packet(invite + ack, 1)])
        self.assertEqual([(m.frame, m.index, m.method) for m in messages],
                         [(1, 1, "OPTIONS"), (2, 1, "INVITE"), (2, 2, "ACK")])
        options_message, invite_message, ack_message = messages
        self.assertEqual(options_message.top_via.sent_by, "192.0.2.10:5060")
        self.assertEqual(options_message.transport, "UDP")
        self.assertEqual(invite_message.top_via,
                         reference.Via("TCP", "192.0.2.10", 5080, "z9hG4bKinv", "192.0.2.10", 5080))
        self.assertEqual(invite_message.second_via,
                         reference.Via("UDP", "198.51.100.1", 5060, "z9hG4bKup", "198.51.100.1", None))
        self.assertEqual((invite_message.cseq_number, invite_message.cseq_method), (11, "INVITE"))
        self.assertEqual((invite_message.from_tag, invite_message.to_tag), ("alice1", None))
        self.assertEqual(invite_message.request_uri, "sip:bob@example.com")
        self.assertEqual(invite_message.transport, "TCP")
        self.assertEqual((ack_message.call_id, ack_message.to_tag, ack_message.cseq_method),
                         ("abc@192.0.2.10", "bob1", "ACK"))
        self.assertEqual(ack_message.top_via.branch, "z9hG4bKack")

    def test_cseq_value_and_top_via_are_read_from_the_headers(self):
        # Stock tshark turns "4294967297" into 1; the model reads the value
        # (RFC 3261 §8.1.1.5).  The first Via line is the top Via, even
        # without a branch while the next one has one (§17.2.3).
        register = sip_text("REGISTER sip:example.com SIP/2.0", [
            "Via: SIP/2.0/UDP 192.0.2.30", "Via: SIP/2.0/UDP 192.0.2.11:5062;branch=z9hG4bKbelow",
            "From: <sip:carol@example.com>;tag=c1", "To: <sip:carol@example.com>",
            "Call-ID: reg@192.0.2.11", "CSeq: 4294967297 REGISTER", "Max-Forwards: 69"])
        (message,) = read_packets([udp_packet(register)])
        self.assertEqual((message.cseq_number, message.cseq_method), (None, "REGISTER"))
        self.assertEqual(message.top_via, reference.Via("UDP", "192.0.2.30", 5060, None, "192.0.2.30", None))
        self.assertEqual(message.second_via.branch, "z9hG4bKbelow")
        self.assertIsNone(reference.transaction_key(message, "REGISTER"))



class GoldenTableTests(unittest.TestCase):
    """The golden tables are generated by the model, never edited."""

    @classmethod
    def setUpClass(cls):
        require_tshark()

    def test_every_capture_has_its_table_as_the_model_generates_it(self):
        stale = reference.stale_tables(reference.capture_names())
        self.assertEqual(stale, [], f"regenerate with: {reference.REGENERATE_COMMAND}")

    def test_every_table_has_a_capture(self):
        tables = sorted(name[:-len(".tsv")] for name in os.listdir(reference.GOLDEN_DIR) if name.endswith(".tsv"))
        self.assertEqual(sorted(set(tables) - set(reference.capture_names())), [])

    def test_regenerating_keeps_the_notes(self):
        with open(reference.golden_path("invite-486"), encoding="utf-8") as table:
            text = table.read()
        notes = reference.split_golden(text)
        self.assertTrue(notes and notes[0] == "#" and len(notes) > 1)
        self.assertIn("\n".join(notes) + "\n" + "\t".join(reference.COLUMNS) + "\n", text)


class PluginNameTests(unittest.TestCase):
    """The model's names and numbers are the plugin's value_strings."""

    @classmethod
    def setUpClass(cls):
        require_tshark()
        if not os.path.exists(PLUGIN):
            raise AssertionError(f"plugin {PLUGIN} not built: build it (cmake --build BUILD) and set "
                                 "SIPTXN_PLUGIN=BUILD/siptxn.so (ctest sets it)")
        done = subprocess.run([RUN_TSHARK, PLUGIN, "-G", "values"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise AssertionError(f"tshark -G values with the plugin failed: {done.stderr.strip()}")
        cls.values = {}
        for line in done.stdout.splitlines():
            cells = line.split("\t")
            if len(cells) == 4 and cells[0] == "V" and cells[1].startswith("siptxn."):
                cls.values.setdefault(cells[1], {})[int(cells[2])] = cells[3]

    def test_value_names_are_the_plugins(self):
        for field, names in reference.NAMED_FIELDS.items():
            with self.subTest(field=field):
                self.assertEqual(self.values.get(field), names)


if __name__ == "__main__":
    unittest.main()
