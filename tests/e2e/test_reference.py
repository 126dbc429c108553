#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests of the reference transaction model used to derive the golden tables.
"""Checks tests/reference/siptxn_reference.py rule by rule, on small message
lists written inline, so the expected tables rest on a model that is itself
tested.  Each expectation follows from the section of RFC 3261 (or RFC 3262,
RFC 6026) named in the test.

Also checks, with the tools the golden tests use (none is skipped: a missing
tool is a failure that says what to install), that the model reads captures
with tshark as intended, that every golden table is exactly what the model
generates, and that the model's names and numbers of roles, kinds, states and
ACK classes are the plugin's (its value_strings in `tshark -G values`).  The
plugin is SIPTXN_PLUGIN (ctest sets it), else build/siptxn.so.
"""

import contextlib
import dataclasses
import io
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
            to_tag=None, call_id="call-1", frame=None, time=None, **packet):
        """packet: further SipMessage fields (rseq, rack, raw, source,
        destination, ip_id, hop_limit, tcp_resent); time in seconds, the
        frame number unless given."""
        first_word, _, rest = start.partition(" ")
        is_response = first_word.startswith("SIP/")
        number, method = cseq.split()
        frame = frame if frame is not None else len(self.messages) + 1
        index = 1 + sum(1 for message in self.messages if message.frame == frame)
        vias = reference.via_parms([via] + ([second_via] if second_via else []))
        self.messages.append(reference.SipMessage(
            frame=frame, index=index, time=float(frame if time is None else time), transport="UDP",
            method=None if is_response else first_word,
            status=int(rest.split()[0]) if is_response else None,
            cseq_number=int(number), cseq_method=method, call_id=call_id,
            top_via=vias[0] if vias else None, second_via=vias[1] if len(vias) > 1 else None,
            from_tag=from_tag, to_tag=to_tag, request_uri=None if is_response else rest, **packet))
        return self

    def rows(self, model=reference.MODEL_RFC6026, detect_duplicates=True):
        return reference.reference_rows(self.messages, model, detect_duplicates)


def column(rows, name):
    return [getattr(row, name) for row in rows]


class ValueNameTests(unittest.TestCase):
    def test_accepted_state_and_duplicate_role(self):
        # The plugin gains the same (PluginNameTests compares them all).
        self.assertEqual(reference.STATE_NAMES[reference.STATE_ACCEPTED], "Accepted")
        self.assertEqual(reference.ROLE_NAMES[reference.ROLE_DUPLICATE], "duplicate")
        self.assertEqual((reference.STATE_ACCEPTED, reference.ROLE_DUPLICATE), (7, 11))
        self.assertNotIn(reference.ROLE_DUPLICATE, reference.RETRANSMISSION_ROLES)


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

    def test_ack_with_a_new_branch_and_no_final_response_is_the_ack_to_a_2xx(self):
        # §13.2.2.4: Call-ID, CSeq number and From tag name the INVITE the ACK
        # completes, even when the response it acknowledges is not captured.
        # Both are RFC 3261 requests (magic cookie), and the ACK to a non-2xx
        # would carry the INVITE's branch (§17.1.1.3): a new branch makes it
        # the ACK to a 2xx, a transaction of its own.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKnew"), to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKnew"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2, 2])
        self.assertEqual(column(rows, "kind")[2:], [reference.KIND_ACK] * 2)
        self.assertEqual(column(rows, "role")[2:], [reference.ROLE_ACK, reference.ROLE_ACK_RETRANSMISSION])
        self.assertEqual([(row.ack_class, row.ack_invite_frame, row.ack_response_frame) for row in rows[2:]],
                         [(reference.ACK_2XX, 1, None)] * 2)
        self.assertEqual(column(rows, "state"), [1, 3, None, None])

    def test_ack_with_a_new_branch_stays_unknown_without_both_cookies(self):
        # The branch rule holds for RFC 3261 elements only (§8.1.1.7): an
        # RFC 2543 INVITE or ACK leaves the class unknown, still linked to
        # the INVITE of the dialog.
        for invite_via, ack_via in (("SIP/2.0/UDP 192.0.2.10:5060;branch=1234", UAC.format("z9hG4bKnew")),
                                    (UAC.format("z9hG4bK1"), "SIP/2.0/UDP 192.0.2.10:5060;branch=5678")):
            with self.subTest(invite=invite_via, ack=ack_via):
                rows = (Capture()
                        .add("INVITE sip:b@example.com", "1 INVITE", via=invite_via)
                        .add("ACK sip:b@example.com", "1 ACK", via=ack_via, to_tag="t1")
                        .rows())
                self.assertEqual(column(rows, "txn"), [1, 2])
                self.assertEqual((rows[1].ack_class, rows[1].ack_invite_frame, rows[1].ack_response_frame),
                                 (reference.ACK_UNKNOWN, 1, None))

    def test_ack_with_a_new_branch_to_an_invite_with_a_final_response_stays_unknown(self):
        # The INVITE has a final response in the capture (a 486 with another
        # To tag): the rule for a lost final response does not apply.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKnew"), to_tag="t2")
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 1, 2])
        self.assertEqual((rows[2].ack_class, rows[2].ack_invite_frame), (reference.ACK_UNKNOWN, 1))

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

    def invite_answered_with_2xx(self):
        return (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa"), to_tag="t1"))

    def test_invite_answered_with_2xx(self):
        # RFC 6026 §7.1, §7.2 (Figures 5 and 7): a 2xx moves the INVITE
        # transaction to Accepted, where it absorbs 2xx retransmissions; the
        # ACK to it is a transaction of its own, without a state machine
        # (RFC 3261 §17.1.1.3).
        rows = self.invite_answered_with_2xx().rows()
        self.assertEqual(column(rows, "state"), [1, 7, 7, None])
        self.assertEqual(column(rows, "kind"), [1, 1, 1, reference.KIND_ACK])

    def test_invite_answered_with_2xx_in_the_rfc3261_model(self):
        # RFC 3261 Figure 5 as published: a 2xx terminates it.
        rows = self.invite_answered_with_2xx().rows(reference.MODEL_RFC3261)
        self.assertEqual(column(rows, "state"), [1, 6, 6, None])

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
        # A 2xx moves even a Completed INVITE transaction (another fork's 486
        # came first) to Accepted (RFC 6026), or Terminated (RFC 3261); a
        # non-2xx after a 2xx leaves it there; after the ACK confirmed it,
        # another final changes nothing.
        after_486 = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1"))
        self.assertEqual(column(after_486.rows(), "state"), [1, 4, 7])
        self.assertEqual(column(after_486.rows(reference.MODEL_RFC3261), "state"), [1, 4, 6])
        after_200 = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t3")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2"))
        self.assertEqual(column(after_200.rows(), "state"), [1, 7, 7, 7])
        self.assertEqual(column(after_200.rows(reference.MODEL_RFC3261), "state"), [1, 6, 6, 6])
        confirmed = (Capture()
                     .add("INVITE sip:b@example.com", "1 INVITE")
                     .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t2")
                     .add("ACK sip:b@example.com", "1 ACK", to_tag="t2")
                     .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1"))
        for model in (reference.MODEL_RFC6026, reference.MODEL_RFC3261):
            self.assertEqual(column(confirmed.rows(model), "state"), [1, 4, 5, 5])

    def test_accepted_ends_64_t1_after_the_first_2xx(self):
        # RFC 6026 §8.4 (Timer M) and §8.7 (Timer L): 64*T1 = 32 s after the
        # first 2xx the transaction is gone; a message of it strictly later
        # finds it Terminated, and it stays so.  The RFC 3261 model has no
        # Accepted state to leave.
        capture = (Capture()
                   .add("INVITE sip:b@example.com", "1 INVITE", time=0)
                   .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", time=1)
                   .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", time=33)            # 32 s: not later
                   .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t2", time=33, time_ns=33_000_000_001)  # forked, 1 ns later
                   .add("SIP/2.0 486 Busy Here", "1 INVITE", to_tag="t3", time=34)
                   .add("INVITE sip:b@example.com", "1 INVITE", time=35))
        rows = capture.rows()
        self.assertEqual(column(rows, "state"), [1, 7, 7, 6, 6, 6])
        self.assertEqual(column(rows, "role"), [1, 5, 6, 5, 5, 2])
        self.assertEqual(column(capture.rows(reference.MODEL_RFC3261), "state"), [1, 6, 6, 6, 6, 6])

    def test_the_timer_counts_from_the_first_2xx(self):
        # A retransmitted or forked 2xx does not restart Timer L/M.
        rows = (Capture()
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", time=0)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", time=20)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t2", time=30)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", time=40)
                .rows())
        self.assertEqual(column(rows, "state"), [7, 7, 7, 6])

    def test_accepted_is_reached_from_non_invite_never(self):
        # Accepted belongs to the INVITE transaction: a non-INVITE one is
        # Completed by its 2xx in both models (RFC 3261 §17.1.2.2).
        rows = (Capture()
                .add("BYE sip:b@example.com", "2 BYE")
                .add("SIP/2.0 200 OK", "2 BYE", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "state"), [2, 4])

    def test_transaction_opened_by_a_response(self):
        # The request is not in the capture: the transaction starts where its
        # request would have left it (Calling or Trying).
        rows = (Capture()
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 200 OK", "2 BYE", via=UAC.format("z9hG4bKbye"), to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "state"), [3, 4])
        self.assertEqual(column(rows, "kind"), [1, 2])


class ReliableProvisionalTests(unittest.TestCase):
    """RFC 3262: RSeq on provisional responses, PRACK."""

    def test_same_code_and_tag_with_a_new_rseq_is_a_new_response(self):
        # RFC 3262 §3: each new reliable provisional response carries the
        # next RSeq; the UAS core re-sends one with the same RSeq.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=1)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=1)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=2)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 3, 4, 3, 3, 4])
        self.assertEqual(column(rows, "rseq"), [None, 1, 1, 2, None, None])
        self.assertEqual(column(rows, "retransmission"), [False, False, True, False, False, True])

    def test_retransmission_of_the_last_provisional_only(self):
        # RFC 3261 §17.2.1: the server transaction re-sends its LAST
        # provisional response; an older one seen again is a new response.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1")
                .rows())
        self.assertEqual(column(rows, "role"), [1, 3, 3, 3, 4])

    def test_only_101_to_199_are_reliable(self):
        # RFC 3262 §3: 100 is never sent reliably; RSeq means nothing on a
        # final response.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 100 Trying", "1 INVITE", rseq=5)
                .add("SIP/2.0 101 Early", "1 INVITE", to_tag="t1", rseq=6)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", rseq=7)
                .rows())
        self.assertEqual(column(rows, "rseq"), [None, None, 6, None])

    def prack_call(self):
        return (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=11)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=11)
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag="t1",
                     rack=(11, 1, "INVITE"))
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag="t1",
                     rack=(11, 1, "INVITE"))
                .add("SIP/2.0 200 OK", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag="t1"))

    def test_prack_links_to_the_first_copy_of_its_provisional(self):
        # RFC 3262 §7.2: RAck names the response by RSeq and the INVITE's
        # CSeq; the PRACK is a non-INVITE transaction of its own, and its
        # retransmission links like it.
        rows = self.prack_call().rows()
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 2, 2, 2])
        self.assertEqual(column(rows, "kind")[3:], [reference.KIND_NON_INVITE] * 3)
        self.assertEqual(column(rows, "role")[3:], [1, 2, 5])
        self.assertEqual(column(rows, "prack_response_frame"), [None, None, None, 2, 2, None])

    def test_prack_naming_no_captured_provisional_links_nowhere(self):
        # RFC 3262 §3: no such response (another RSeq, another To tag, or an
        # INVITE of another CSeq number): the UAS answers 481; no link.
        for rack, to_tag in (((12, 1, "INVITE"), "t1"), ((11, 1, "INVITE"), "t9"), ((11, 7, "INVITE"), "t1")):
            with self.subTest(rack=rack, to_tag=to_tag):
                rows = (Capture()
                        .add("INVITE sip:b@example.com", "1 INVITE")
                        .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=11)
                        .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag=to_tag,
                             rack=rack)
                        .rows())
                self.assertIsNone(rows[2].prack_response_frame)

    def test_prack_before_its_provisional_links_nowhere(self):
        # Single pass: only what was captured before the PRACK counts.
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag="t1",
                     rack=(1, 1, "INVITE"))
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=1)
                .rows())
        self.assertIsNone(rows[1].prack_response_frame)

    def test_prack_without_to_tag_or_provisional_without_to_tag_still_links(self):
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", rseq=3)
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp1"), to_tag="t1",
                     rack=(3, 1, "INVITE"))
                .rows())
        self.assertEqual(rows[2].prack_response_frame, 2)

    def test_prack_chooses_the_hop_it_travels(self):
        # A proxy chain has one INVITE transaction per hop, each with its
        # copy of the 183: the PRACK from the proxy to the UAS acknowledges
        # the copy of the proxy's hop (client = PRACK source, server = PRACK
        # destination).
        uac, proxy, uas = "192.0.2.10:5060", "192.0.2.20:5060", "192.0.2.30:5060"
        uac_via, proxy_via = UAC.format("z9hG4bK1"), PROXY.format("z9hG4bKp1")
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", via=uac_via, source=uac, destination=proxy)
                .add("INVITE sip:b@example.com", "1 INVITE", via=proxy_via, second_via=uac_via,
                     source=proxy, destination=uas)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", via=proxy_via, second_via=uac_via, to_tag="t1",
                     rseq=1, source=uas, destination=proxy)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", via=uac_via, to_tag="t1", rseq=1,
                     source=proxy, destination=uac)
                .add("PRACK sip:b@192.0.2.30", "2 PRACK", via=UAC.format("z9hG4bKpr"), to_tag="t1",
                     rack=(1, 1, "INVITE"), source=uac, destination=proxy)
                .add("PRACK sip:b@192.0.2.30", "2 PRACK", via=PROXY.format("z9hG4bKpr2"),
                     second_via=UAC.format("z9hG4bKpr"), to_tag="t1", rack=(1, 1, "INVITE"),
                     source=proxy, destination=uas)
                .rows())
        self.assertEqual(column(rows, "txn"), [1, 2, 2, 1, 3, 4])
        self.assertEqual(column(rows, "prack_response_frame")[4:], [4, 3])

    def test_prack_of_a_reinvite_names_it_by_cseq(self):
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=1)
                .add("INVITE sip:b@192.0.2.20", "3 INVITE", via=UAC.format("z9hG4bK3"), to_tag="t1")
                .add("SIP/2.0 183 Session Progress", "3 INVITE", via=UAC.format("z9hG4bK3"), to_tag="t1", rseq=1)
                .add("PRACK sip:b@192.0.2.20", "4 PRACK", via=UAC.format("z9hG4bKp"), to_tag="t1",
                     rack=(1, 3, "INVITE"))
                .rows())
        self.assertEqual(rows[4].prack_response_frame, 4)

    def test_rseq_and_rack_values(self):
        # RFC 3262 §7.1, §7.2: response-num is 1 to 2**32 - 1; RAck is
        # response-num, CSeq number and method.
        self.assertEqual([reference.parse_rseq(text) for text in (" 1 ", "4294967295", "0", "4294967296", "x", "1 2")],
                         [1, 4294967295, None, None, None, None])
        self.assertEqual(reference.parse_rack("776656 1 INVITE"), (776656, 1, "INVITE"))
        for text in ("0 1 INVITE", "1 INVITE", "1 1", "1 x INVITE", "1 1 INVITE extra", None):
            self.assertIsNone(reference.parse_rack(text), text)

    def test_header_values_from_the_message_bytes(self):
        # RFC 3261 §7.3.1: names compare case-insensitively; a line starting
        # with white space continues the header above; the header part ends
        # at the first empty line.
        raw = (b"SIP/2.0 183 Session Progress\r\nrseq: 7\r\nRAck: 1\r\n 2 INVITE\r\nRSeq: 8\r\n\r\n"
               b"RSeq: 9\r\n")
        self.assertEqual(reference.raw_header_values(raw, "RSeq"), ["7", "8"])
        self.assertEqual(reference.raw_header_values(raw, "rack"), ["1 2 INVITE"])


class DuplicateTests(unittest.TestCase):
    """The same packet captured twice, or re-sent by TCP, is not a SIP
    retransmission."""

    A, B = "192.0.2.10:5060", "192.0.2.20:5060"
    OPTIONS = b"OPTIONS sip:b@example.com SIP/2.0\r\n...\r\n\r\n"

    def options(self, capture, time, ip_id=1, raw=OPTIONS, source=A, destination=B, **packet):
        return capture.add("OPTIONS sip:b@example.com", "1 OPTIONS", time=time, raw=raw, source=source,
                           destination=destination, ip_id=ip_id, **packet)

    def test_same_bytes_and_ip_id_within_t1_over_10(self):
        capture = Capture()
        self.options(capture, 0.0, hop_limit=64)
        self.options(capture, 0.010, hop_limit=63)   # a second capture point
        self.options(capture, 0.5, ip_id=2)          # Timer E: a real retransmission
        self.options(capture, 0.549, ip_id=2)        # its copy
        rows = capture.rows()
        self.assertEqual(column(rows, "role"), [1, reference.ROLE_DUPLICATE, 2, reference.ROLE_DUPLICATE])
        self.assertEqual(column(rows, "duplicate_of"), [None, 1, None, 3])
        self.assertEqual(column(rows, "retransmission"), [False, False, True, False])
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 1])
        self.assertEqual(column(rows, "state"), [2, 2, 2, 2])
        self.assertEqual(column(rows, "request_frame"), [1, 1, 1, 1])

    def test_what_is_not_a_duplicate(self):
        for label, second in (("another IP identification", dict(ip_id=2)),
                              ("T1/10 apart", dict(time=0.05)),
                              ("other bytes", dict(raw=b"OPTIONS sip:b@example.com SIP/2.0\r\n.\r\n\r\n")),
                              ("another source", dict(source="192.0.2.11:5060")),
                              ("another destination", dict(destination="192.0.2.21:5060")),
                              ("the other way", dict(source=self.B, destination=self.A)),
                              ("bytes unknown", dict(raw=None))):
            with self.subTest(label):
                capture = self.options(Capture(), 0.0)
                self.options(capture, **dict(dict(time=0.01), **second))
                rows = capture.rows()
                self.assertEqual(column(rows, "role"), [1, 2])
                self.assertEqual(column(rows, "duplicate_of"), [None, None])

    def test_zero_or_absent_ip_identification_says_nothing(self):
        # RFC 6864 §4.1: atomic datagrams may carry identification 0; IPv6
        # has none.
        for first, second in ((0, 5), (5, 0), (None, None)):
            with self.subTest(first=first, second=second):
                capture = self.options(Capture(), 0.0, ip_id=first)
                self.options(capture, 0.01, ip_id=second)
                self.assertEqual(column(capture.rows(), "role"), [1, reference.ROLE_DUPLICATE])

    def test_tcp_retransmission_is_a_duplicate_however_late(self):
        capture = self.options(Capture(), 0.0, ip_id=1)
        self.options(capture, 3.0, ip_id=9, tcp_resent=True)
        self.options(capture, 4.0, ip_id=10, raw=b"OPTIONS other\r\n\r\n", tcp_resent=True)
        rows = capture.rows()
        self.assertEqual(column(rows, "role"), [1, reference.ROLE_DUPLICATE, 2])
        self.assertEqual(column(rows, "duplicate_of"), [None, 1, None])

    def test_a_copy_of_a_copy_names_the_original(self):
        capture = self.options(Capture(), 0.0)
        self.options(capture, 0.01)
        self.options(capture, 0.02)
        self.assertEqual(column(capture.rows(), "duplicate_of"), [None, 1, 1])

    def test_the_latest_original_is_copied(self):
        # Identification 0 cannot tell which of two sends a copy repeats:
        # the copy names the latest message it may copy.
        capture = self.options(Capture(), 0.0, ip_id=3)
        self.options(capture, 0.02, ip_id=4)
        self.options(capture, 0.03, ip_id=0)
        rows = capture.rows()
        self.assertEqual(column(rows, "role"), [1, 2, reference.ROLE_DUPLICATE])
        self.assertEqual(column(rows, "duplicate_of"), [None, None, 2])

    def test_messages_of_one_frame_are_not_copies_of_each_other(self):
        capture = self.options(Capture(), 0.0)
        capture.add("OPTIONS sip:b@example.com", "1 OPTIONS", frame=1, raw=self.OPTIONS, source=self.A,
                    destination=self.B, ip_id=1)
        self.assertEqual(column(capture.rows(), "role"), [1, 2])

    def test_a_duplicate_changes_no_state_and_judges_nothing(self):
        # The copy of the 200 comes after Timer L: it does not terminate the
        # transaction; the copy of the ACK to the 2xx has no class or links;
        # the copy of the 183 keeps its RSeq.
        final, ack = b"SIP/2.0 200 OK\r\n\r\n", b"ACK\r\n\r\n"
        provisional = b"SIP/2.0 183 Session Progress\r\nRSeq: 4\r\n\r\n"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE", time=0)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=4, raw=provisional,
                     source=self.B, destination=self.A, time=0.1)
                .add("SIP/2.0 183 Session Progress", "1 INVITE", to_tag="t1", rseq=4, raw=provisional,
                     source=self.B, destination=self.A, time=0.11)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", raw=final, source=self.B, destination=self.A,
                     time=1, tcp_resent=False)
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa"), to_tag="t1", raw=ack,
                     source=self.A, destination=self.B, time=1.01)
                .add("ACK sip:b@example.com", "1 ACK", via=UAC.format("z9hG4bKa"), to_tag="t1", raw=ack,
                     source=self.A, destination=self.B, time=1.02)
                .add("SIP/2.0 200 OK", "1 INVITE", to_tag="t1", raw=final, source=self.B, destination=self.A,
                     time=40, tcp_resent=True)
                .rows())
        self.assertEqual(column(rows, "role"), [1, 3, 11, 5, 7, 11, 11])
        self.assertEqual(column(rows, "state"), [1, 3, 3, 7, None, None, 7])
        self.assertEqual(column(rows, "rseq"), [None, 4, 4, None, None, None, None])
        self.assertEqual(column(rows, "ack_class"), [None, None, None, None, reference.ACK_2XX, None, None])
        self.assertEqual(column(rows, "ack_response_frame")[4:6], [4, None])
        self.assertEqual(column(rows, "duplicate_of"), [None, None, 2, None, None, 5, 4])
        self.assertEqual(column(rows, "txn"), [1, 1, 1, 1, 2, 2, 1])

    def test_a_duplicate_prack_does_not_link(self):
        prack = b"PRACK sip:b@192.0.2.20 SIP/2.0\r\nRAck: 1 1 INVITE\r\n\r\n"
        rows = (Capture()
                .add("INVITE sip:b@example.com", "1 INVITE")
                .add("SIP/2.0 180 Ringing", "1 INVITE", to_tag="t1", rseq=1)
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp"), to_tag="t1",
                     rack=(1, 1, "INVITE"), raw=prack, source=self.A, destination=self.B, time=3)
                .add("PRACK sip:b@192.0.2.20", "2 PRACK", via=UAC.format("z9hG4bKp"), to_tag="t1",
                     rack=(1, 1, "INVITE"), raw=prack, source=self.A, destination=self.B, time=3.001)
                .rows())
        self.assertEqual(column(rows, "prack_response_frame"), [None, None, 2, None])
        self.assertEqual(column(rows, "duplicate_of"), [None, None, None, 3])

    def test_detection_off(self):
        # siptxn.detect_duplicates off: every copy is a message of its own.
        capture = self.options(Capture(), 0.0)
        self.options(capture, 0.01)
        rows = capture.rows(detect_duplicates=False)
        self.assertEqual(column(rows, "role"), [1, 2])
        self.assertEqual(column(rows, "duplicate_of"), [None, None])


def udp_packet(payload, source_port=5060, identification=0, ttl=64):
    udp = struct.pack("!HHHH", source_port, 5060, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), identification, 0, ttl, 17, 0,
                     bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20]))
    return ip + udp


def tcp_packet(payload, sequence, identification=0):
    tcp = struct.pack("!HHIIBBHHH", 5080, 5060, sequence, 1, 5 << 4, 0x18, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), identification, 0, 64, 6, 0,
                     bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20]))
    return ip + tcp


def sip_text(start, headers):
    return ("\r\n".join([start] + headers + ["Content-Length: 0", "", ""])).encode()


def write_pcap(path, packets):
    """A raw IPv4 pcap of these packets, one second apart."""
    with open(path, "wb") as capture:
        capture.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for number, packet in enumerate(packets):
            capture.write(struct.pack("<IIII", 100 + number, 0, len(packet), len(packet)) + packet)


def read_packets(packets):
    """read_sip_messages() of a raw IPv4 pcap holding these packets."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "reading.pcap")
        write_pcap(path, packets)
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

    def test_bytes_endpoints_and_ip_facts_of_each_message(self):
        # Each message's own bytes, also two in one TCP segment; the IPv4
        # identification and TTL; the endpoints as address:port; the frame
        # time in whole nanoseconds (pcap records here: second 100 + n).
        provisional = sip_text("SIP/2.0 183 Session Progress", [
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKr", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>;tag=b", "Call-ID: r@192.0.2.10", "CSeq: 1 INVITE", "rseq:  42"])
        prack = sip_text("PRACK sip:b@192.0.2.20 SIP/2.0", [
            "Via: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKp", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>;tag=b", "Call-ID: r@192.0.2.10", "CSeq: 2 PRACK", "RAck: 42 1 INVITE",
            "Max-Forwards: 70"])
        options = sip_text("OPTIONS sip:b@192.0.2.20 SIP/2.0", [
            "Via: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKo", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>", "Call-ID: o@192.0.2.10", "CSeq: 1 OPTIONS", "Max-Forwards: 70"])
        messages = read_packets([udp_packet(provisional, identification=0x1234, ttl=61),
                                 tcp_packet(prack + options, 1, identification=7)])
        first, second, third = messages
        self.assertEqual((first.raw, second.raw, third.raw), (provisional, prack, options))
        self.assertEqual((first.rseq, first.reliable_rseq, first.rack), (42, 42, None))
        self.assertEqual((second.rseq, second.rack), (None, (42, 1, "INVITE")))
        self.assertEqual((first.source, first.destination), ("192.0.2.10:5060", "192.0.2.20:5060"))
        self.assertEqual((second.source, second.destination), ("192.0.2.10:5080", "192.0.2.20:5060"))
        self.assertEqual((first.ip_id, first.hop_limit, second.ip_id, second.hop_limit), (0x1234, 61, 7, 64))
        self.assertEqual((first.tcp_resent, second.tcp_resent), (False, False))
        self.assertEqual((first.nanoseconds, second.nanoseconds, third.nanoseconds),
                         (0, 1_000_000_000, 1_000_000_000))

    def test_relative_time_text_as_nanoseconds(self):
        self.assertEqual([reference.relative_ns(text) for text in ("12.000500000", "0.1", "-0.5", "3")],
                         [12_000_500_000, 100_000_000, -500_000_000, 3_000_000_000])



def hep_chunk(kind, value):
    """One generic HEP v3 chunk (vendor 0)."""
    return struct.pack("!HHH", 0, kind, 6 + len(value)) + value


def hep_packet(payload, source, destination, source_port, destination_port, protocol=17, protocol_type=1,
               family=None):
    """A HEP v3 packet as kamailio's siptrace sends it: addresses (4 bytes
    IPv4, 16 IPv6), ports, IP protocol (chunk 2; None: no chunk), time,
    protocol type (1 SIP), capture agent and payload."""
    address_chunks = (3, 4) if len(source) == 4 else (5, 6)
    chunks = b"".join([
        hep_chunk(1, bytes([family if family is not None else 2 if len(source) == 4 else 10])),
        hep_chunk(2, bytes([protocol])) if protocol is not None else b"",
        hep_chunk(address_chunks[0], source), hep_chunk(address_chunks[1], destination),
        hep_chunk(7, struct.pack("!H", source_port)), hep_chunk(8, struct.pack("!H", destination_port)),
        hep_chunk(9, struct.pack("!I", 1_700_000_000)), hep_chunk(10, struct.pack("!I", 0)),
        hep_chunk(11, bytes([protocol_type])), hep_chunk(12, struct.pack("!I", 2001)),
        hep_chunk(15, payload)])
    return b"HEP3" + struct.pack("!H", 6 + len(chunks)) + chunks


def write_pcapng(path, packets):
    """An Ethernet pcapng (scripts/pcapng_writer.py) of (seconds, IPv4 packet)."""
    ethernet = b"\x02\x00\x00\x00\x00\x09" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    with open(path, "wb") as capture:
        capture.write(reference.pcapng.section_header_block(b"test_reference.py")
                      + reference.pcapng.interface_description_block(b"collector"))
        for seconds, packet in packets:
            capture.write(reference.pcapng.enhanced_packet_block(0, round((100 + seconds) * 1_000_000),
                                                                 ethernet + packet))


class HepTests(unittest.TestCase):
    """SIP inside HEP v3: the chunks (no tshark), then a capture's reading."""

    V4_CALLER, V4_PROXY = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20])
    V6_A, V6_B = bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex("20010db8000000000000000000000002")

    def test_the_sip_a_hep_packet_carries(self):
        sip = sip_text("OPTIONS sip:b@example.com SIP/2.0", ["Via: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKh"])
        hep = reference.hep_sip(hep_packet(sip, self.V4_CALLER, self.V4_PROXY, 5080, 5060, protocol=6))
        self.assertEqual(hep, reference.HepSip(self.V4_CALLER, self.V4_PROXY, 5080, 5060, 6, sip))
        self.assertEqual(hep.transport, "TCP")
        hep = reference.hep_sip(hep_packet(sip, self.V6_A, self.V6_B, 5062, 5060))
        self.assertEqual((hep.source, hep.destination, hep.transport), (self.V6_A, self.V6_B, "UDP"))
        # No chunk 2: the transport is unknown, as for a frame without any.
        self.assertEqual(reference.hep_sip(hep_packet(sip, self.V6_A, self.V6_B, 1, 2, protocol=None)).transport,
                         "")
        # Not SIP (protocol type 5, RTCP), not HEP v3, no ports: nothing.
        self.assertIsNone(reference.hep_sip(hep_packet(sip, self.V4_CALLER, self.V4_PROXY, 1, 2, protocol_type=5)))
        self.assertIsNone(reference.hep_sip(b"HEP2" + hep_packet(sip, self.V4_CALLER, self.V4_PROXY, 1, 2)[4:]))
        no_ports = hep_packet(sip, self.V4_CALLER, self.V4_PROXY, 1, 2)
        no_ports = no_ports.replace(hep_chunk(7, struct.pack("!H", 1)), b"")
        no_ports = no_ports[:4] + struct.pack("!H", len(no_ports)) + no_ports[6:]
        self.assertIsNone(reference.hep_sip(no_ports))
        # The family chunk names the pair: IPv6 named, only IPv4 given.
        self.assertIsNone(reference.hep_sip(hep_packet(sip, self.V4_CALLER, self.V4_PROXY, 1, 2, family=10)))

    def test_hep_packets_back_to_back(self):
        # Over TCP a segment may hold several HEP packets; over UDP one.
        first = hep_packet(b"a", self.V4_CALLER, self.V4_PROXY, 1, 2)
        second = hep_packet(b"bc", self.V4_PROXY, self.V4_CALLER, 2, 1)
        self.assertEqual(reference.hep_packets(first + second), [first, second])
        self.assertEqual(reference.hep_packets(first + b"SIP/2.0 200 OK"), [first])
        # Only whole packets: the rest of one cut short is not read.
        self.assertEqual(reference.hep_packets(first + second[:-1]), [first])
        self.assertEqual(reference.hep_packets(first[:-1]), [])
        self.assertEqual(reference.hep_packets(b"INVITE " + first), [])

    def test_reading_unwraps_hep_in_each_frame(self):
        # Frame 1: plain SIP.  2: HEP over UDP, an INVITE its endpoints sent
        # over TCP (ports 5080 -> 5060).  3: the same HEP message 10 ms later
        # in another collector datagram (another IPv4 identification).  4:
        # HEP of protocol type 5 (not SIP).  5: HEP, an IPv6 MESSAGE over UDP
        # between ports that are not SIP's.  6: a TCP segment to the
        # collector holding two HEP packets, the INVITE's 100 and 180.
        require_tshark()
        call = ["From: <sip:a@example.com>;tag=a", "To: <sip:b@example.com>", "Call-ID: hep@192.0.2.10",
                "CSeq: 1 INVITE"]
        via = "Via: SIP/2.0/TCP 192.0.2.10:5080;branch=z9hG4bKhep"
        options = sip_text("OPTIONS sip:b@192.0.2.20 SIP/2.0", [
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKo", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>", "Call-ID: o@192.0.2.10", "CSeq: 1 OPTIONS", "Max-Forwards: 70"])
        invite = sip_text("INVITE sip:b@192.0.2.20 SIP/2.0", [via] + call + ["Max-Forwards: 70"])
        trying = sip_text("SIP/2.0 100 Trying", [via] + call)
        ringing = sip_text("SIP/2.0 180 Ringing", [via] + call[:1] + ["To: <sip:b@example.com>;tag=b"] + call[2:])
        message = sip_text("MESSAGE sip:b@[2001:db8::2]:15070 SIP/2.0", [
            "Via: SIP/2.0/UDP [2001:db8::1]:15062;branch=z9hG4bKm", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>", "Call-ID: m@2001:db8::1", "CSeq: 1 MESSAGE", "Max-Forwards: 70"])
        hep_invite = hep_packet(invite, self.V4_CALLER, self.V4_PROXY, 5080, 5060, protocol=6)
        to_caller = (self.V4_PROXY, self.V4_CALLER, 5060, 5080)
        packets = [
            (0.0, udp_packet(options, identification=1)),
            (1.0, udp_packet(hep_invite, source_port=9060, identification=2)),
            (1.01, udp_packet(hep_invite, source_port=9060, identification=3)),
            (1.5, udp_packet(hep_packet(b"RTCP", self.V4_CALLER, self.V4_PROXY, 5082, 5084, protocol_type=5),
                             source_port=9060, identification=4)),
            (2.0, udp_packet(hep_packet(message, self.V6_A, self.V6_B, 15062, 15070), source_port=9060,
                             identification=5)),
            (3.25, tcp_packet(hep_packet(trying, *to_caller, protocol=6)
                              + hep_packet(ringing, *to_caller, protocol=6), 1, identification=6)),
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "hep.pcapng")
            write_pcapng(path, packets)
            os.chmod(folder, 0o755)
            messages = reference.read_sip_messages(path)
        start = [message.method or message.status for message in messages]
        self.assertEqual([(m.frame, m.index) for m in messages], [(1, 1), (2, 1), (3, 1), (5, 1), (6, 1), (6, 2)])
        self.assertEqual(start, ["OPTIONS", "INVITE", "INVITE", "MESSAGE", 100, 180])
        self.assertEqual([m.hep for m in messages], [False, True, True, True, True, True])
        self.assertEqual([m.transport for m in messages], ["UDP", "TCP", "TCP", "UDP", "TCP", "TCP"])
        self.assertEqual([(m.source, m.destination) for m in messages], [
            ("192.0.2.10:5060", "192.0.2.20:5060"), ("192.0.2.10:5080", "192.0.2.20:5060"),
            ("192.0.2.10:5080", "192.0.2.20:5060"), ("[2001:db8::1]:15062", "[2001:db8::2]:15070"),
            ("192.0.2.20:5060", "192.0.2.10:5080"), ("192.0.2.20:5060", "192.0.2.10:5080")])
        self.assertEqual([m.raw for m in messages], [options, invite, invite, message, trying, ringing])
        self.assertEqual([m.nanoseconds for m in messages],
                         [0, 1_000_000_000, 1_010_000_000, 2_000_000_000, 3_250_000_000, 3_250_000_000])
        # The collector's IP identification and TTL are not the message's.
        self.assertEqual((messages[0].ip_id, messages[0].hop_limit), (1, 64))
        self.assertEqual({(m.ip_id, m.hop_limit, m.tcp_resent) for m in messages[1:]}, {(None, None, False)})
        # Frame 3 is frame 2 again (same bytes, endpoints and transport, 10
        # ms later): a duplicate, though the collector's datagrams differ.
        rows = reference.reference_rows(messages)
        self.assertEqual(column(rows, "role"), [1, 1, 11, 1, 3, 3])
        self.assertEqual(column(rows, "duplicate_of"), [None, None, 2, None, None, None])
        self.assertEqual(column(rows, "txn"), [1, 2, 2, 3, 2, 2])
        self.assertEqual(column(rows, "request_frame"), [1, 2, 2, 5, 2, 2])


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
        self.assertEqual(sorted(set(reference.rfc3261_table_names()) - set(reference.capture_names())), [])

    def test_the_rfc3261_model_has_tables_of_its_own(self):
        # tests/e2e/golden.cmake runs the plugin with
        # siptxn.transaction_model: rfc3261 against these.
        self.assertTrue(reference.rfc3261_table_names())
        for name in reference.rfc3261_table_names():
            with open(reference.golden_path(name, reference.MODEL_RFC3261), encoding="utf-8") as table:
                text = table.read()
            self.assertIn("siptxn.transaction_model: rfc3261", text)
            self.assertTrue(len(reference.split_golden(text)) > 1, f"{name}: no notes")

    def test_regenerating_creates_a_missing_table(self):
        # A new capture has no table yet: --regenerate writes one (without
        # notes); --regenerate --rfc3261 NAME writes its RFC 3261 table.
        invite = sip_text("INVITE sip:bob@example.com SIP/2.0", [
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKn", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>", "Call-ID: n@192.0.2.10", "CSeq: 1 INVITE", "Max-Forwards: 70"])
        ok = sip_text("SIP/2.0 200 OK", [
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKn", "From: <sip:a@example.com>;tag=a",
            "To: <sip:b@example.com>;tag=b", "Call-ID: n@192.0.2.10", "CSeq: 1 INVITE"])
        saved = reference.CAPTURES_DIR, reference.GOLDEN_DIR
        with tempfile.TemporaryDirectory() as folder:
            reference.CAPTURES_DIR, reference.GOLDEN_DIR = folder, os.path.join(folder, "golden")
            try:
                write_pcap(os.path.join(folder, "new-call.pcapng"), [udp_packet(invite), udp_packet(ok)])
                os.chmod(folder, 0o755)
                (stale,) = reference.stale_tables(["new-call"])
                self.assertTrue(stale.endswith(os.path.join("golden", "new-call.tsv")), stale)
                report = io.StringIO()
                with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
                    reference.regenerate(reference.golden_tables(["new-call"]))
                    reference.regenerate(reference.golden_tables(["new-call"], only_rfc3261=True))
                self.assertIn("new-call.tsv: add notes on the capture after the header", report.getvalue())
                self.assertEqual(reference.rfc3261_table_names(), ["new-call"])
                self.assertEqual(reference.stale_tables(["new-call"]), [])
                states = {}
                for model in (reference.MODEL_RFC6026, reference.MODEL_RFC3261):
                    with open(reference.golden_path("new-call", model), encoding="utf-8") as table:
                        states[model] = [line.split("\t")[reference.COLUMNS.index("state")]
                                         for line in table.read().splitlines() if line[:1].isdigit()]
                self.assertEqual(states, {reference.MODEL_RFC6026: ["1", "7"], reference.MODEL_RFC3261: ["1", "6"]})
            finally:
                reference.CAPTURES_DIR, reference.GOLDEN_DIR = saved

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
