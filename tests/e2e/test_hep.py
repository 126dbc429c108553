#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SIP inside HEP v3 (plugin/hep.c): test-captures/hep-siptrace.pcapng, in
which kamailio's siptrace module mirrors every SIP message of a call through
the proxy to a HEP collector, and HEP packets written here for what that
capture does not show (a packet seen twice, damaged packets).

Expected values come from the packets, not from the plugin:
scripts/record/hep.py decodes each HEP packet's chunks itself, from the UDP
payloads the stock tshark (no plugin) prints; the transaction numbers below
follow from the top Via branches of its table (RFC 3261 §17.1.3, §17.2.3),
numbered in order of first appearance:

  python3 scripts/record/hep.py table test-captures/hep-siptrace.pcapng

(the same table is in test-captures/README.md).  Role and state numbers are
not used: names go through display filters."""

import importlib.util
import os
import re
import shutil
import struct
import sys
import tempfile
import unittest

from siptxn_e2e import SOURCE_DIR, TsharkTestCase, capture, experts, fields, tshark

sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts", "record"))
import hep as hep_reader  # noqa: E402  (scripts/record/hep.py, the recording's own HEP reader)

CAPTURE = "hep-siptrace.pcapng"
FRAMES = list(range(1, 15))
# Where kamailio sent every HEP packet: its UDP socket to the collector.
KAMAILIO = ("127.0.0.1", "5060")
COLLECTOR = ("127.0.0.9", "9060")

# The transaction of each frame, from hep.py's table.  Caller's hop (TCP, branches
# z9hG4bK-10076-1-*), callee's hop (UDP, branches z9hG4bK6e4f.* and z9hG4bK2e4f.*):
#   1 INVITE -10076-1-0 opens 1; 2 (100), 6 (180), 8 (200) answer it;
#   3 INVITE 6e4f.ca9a... opens 2; 4 (100), 5 (180), 7 (200) answer it;
#   9 ACK -10076-1-4: the 2xx ACK has a branch of its own (§13.2.2.4), 3;
#   10 ACK 6e4f.5c6e...: likewise, 4;
#   11 BYE -10076-1-6 opens 5, answered by 14; 12 BYE 2e4f.958b... opens 6, answered by 13.
TRANSACTIONS = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 1, 7: 2, 8: 1, 9: 3, 10: 4, 11: 5, 12: 6, 13: 6, 14: 5}

# The Source and Destination columns and the ports (pinfo->src, srcport,
# dst, destport), printed with -T tabs: column fields (_ws.col.*) are named
# differently from one Wireshark release to the next.
COLUMNS = ["-o", 'gui.column.format:"No.","%m","Source","%s","SrcPort","%uS","Destination","%d",'
                 '"DstPort","%uD"']


def endpoint_columns(capture_path, extra=()):
    """frame -> [source, source port, destination, destination port] as the columns show them."""
    output = tshark(["-r", capture_path] + list(extra) + COLUMNS + ["-T", "tabs"])
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) >= 5 and cells[0].isdigit():
            rows[int(cells[0])] = cells[1:5]
    return rows

# Expert infos that only a retransmission timer (Timer A, E, G) or a re-sent message raises.
RETRANSMISSION_EXPERTS = re.compile(r"^(retransmission|final_retransmitted|ack\.unprompted_retransmission)")


def hep_packets(capture_path, extra=()):
    """frame -> what scripts/record/hep.py reads in the frame's UDP payload
    (None if it is not HEP v3), from the stock tshark."""
    rows = fields(capture_path, ["udp.payload"], extra=extra, plugin="-")
    return {frame: hep_reader.decode(bytes.fromhex(row["udp.payload"][0].replace(":", "")))
            for frame, row in rows.items() if row["udp.payload"]}


def frames_matching(capture_name, display_filter, two_pass=False, extra=(), **kwargs):
    """Frame numbers for which the display filter is true, with more tshark options."""
    args = ["-r", capture(capture_name)] + (["-2"] if two_pass else []) + list(extra)
    args += ["-Y", display_filter, "-T", "fields", "-e", "frame.number"]
    return [int(line) for line in tshark(args, **kwargs).split()]


def sentence_tail(group):
    """The English text of a sentence of plugin/catalog/sentences.ini after its
    {transaction} placeholder: what a narrative naming any transaction contains."""
    with open(os.path.join(SOURCE_DIR, "plugin", "catalog", "sentences.ini"), encoding="utf-8") as catalog:
        text = catalog.read()
    match = re.search(r"(?m)^\[" + re.escape(group) + r"\]\n(?:#.*\n)*text=(.*)$", text)
    if not match:
        raise AssertionError("sentences.ini has no English text for [%s]" % group)
    return match.group(1).split("{transaction}", 1)[1]


class SipInsideHep(TsharkTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.packets = hep_packets(CAPTURE)
        cls.rows = fields(CAPTURE, ["sip.Method", "sip.Status-Code", "sip.CSeq.method", "siptxn.txn",
                                    "siptxn.retransmission", "siptxn.ack.invite_txn", "siptxn.ack.invite_frame",
                                    "siptxn.ack.response_frame", "siptxn.narrative",
                                    "ip.src", "ip.dst", "udp.srcport", "udp.dstport",
                                    "hepv3.src_ip", "hepv3.dst_ip", "hepv3.src_port", "hepv3.dst_port",
                                    "hepv3.ip_protocol", "hepv3.proto_type", "hepv3.capture_id",
                                    "hepv3.payload_length", "hepv3.timestamp.seconds",
                                    "hepv3.timestamp.microseconds"],
                          two_pass=True)
        cls.columns = endpoint_columns(capture(CAPTURE), ["-2"])
        cls.experts = experts(CAPTURE)

    def test_the_reader_sees_fourteen_hep_packets_of_sip(self):
        self.assertEqual(sorted(self.packets), FRAMES)
        for frame in FRAMES:
            self.assertEqual(self.packets[frame]["type"], 1)

    def test_every_frame_is_one_sip_message_of_its_hep_packet(self):
        for frame in FRAMES:
            with self.subTest(frame=frame):
                row = self.rows[frame]
                token = hep_reader.sip_summary(self.packets[frame]["payload"])[0]
                self.assertEqual(row["sip.Method"] + row["sip.Status-Code"], [token])
                self.assertEqual(len(row["siptxn.txn"]), 1)

    def test_without_the_hep_dissector_there_is_no_sip(self):
        self.assertEqual(frames_matching(CAPTURE, "sip", extra=["--disable-protocol", "hepv3"]), [])
        self.assertEqual(frames_matching(CAPTURE, "sip", plugin="-"), [])

    def test_decode_as_on_the_collectors_udp_port(self):
        heuristic_off = ["--disable-heuristic", "hepv3_udp"]
        self.assertEqual(frames_matching(CAPTURE, "sip", extra=heuristic_off), [])
        self.assertEqual(frames_matching(CAPTURE, "sip && hepv3",
                                         extra=heuristic_off + ["-d", "udp.port==9060,hepv3"]), FRAMES)

    def test_transaction_of_every_message(self):
        for frame, transaction in TRANSACTIONS.items():
            with self.subTest(frame=frame):
                self.assertEqual(self.rows[frame]["siptxn.txn"], [str(transaction)])

    def test_one_pass_gives_the_same_transactions(self):
        single = fields(CAPTURE, ["siptxn.txn"])
        self.assertEqual({frame: row["siptxn.txn"] for frame, row in single.items()},
                         {frame: [str(transaction)] for frame, transaction in TRANSACTIONS.items()})

    def test_columns_show_the_sip_messages_own_endpoints(self):
        # pinfo->src/dst and ports: what the SIP layer and siptxn (extract.c) read.
        for frame in FRAMES:
            with self.subTest(frame=frame):
                packet, columns = self.packets[frame], self.columns[frame]
                self.assertEqual(columns[0:2], [packet["src"], str(packet["sport"])])
                self.assertEqual(columns[2:4], [packet["dst"], str(packet["dport"])])
                self.assertNotEqual((packet["dst"], str(packet["dport"])), COLLECTOR)

    def test_outer_ip_and_udp_keep_the_path_to_the_collector(self):
        stock = fields(CAPTURE, ["ip.src", "ip.dst", "udp.srcport", "udp.dstport"], plugin="-")
        for frame in FRAMES:
            with self.subTest(frame=frame):
                row = self.rows[frame]
                for name in ("ip.src", "ip.dst", "udp.srcport", "udp.dstport"):
                    self.assertEqual(row[name], stock[frame][name])
                self.assertEqual((row["ip.src"] + row["udp.srcport"], row["ip.dst"] + row["udp.dstport"]),
                                 (list(KAMAILIO), list(COLLECTOR)))

    def test_hep_fields_are_the_chunks(self):
        for frame in FRAMES:
            with self.subTest(frame=frame):
                packet, row = self.packets[frame], self.rows[frame]
                self.assertEqual(row["hepv3.src_ip"], [packet["src"]])
                self.assertEqual(row["hepv3.dst_ip"], [packet["dst"]])
                self.assertEqual(row["hepv3.src_port"], [str(packet["sport"])])
                self.assertEqual(row["hepv3.dst_port"], [str(packet["dport"])])
                self.assertEqual(row["hepv3.ip_protocol"], [str(packet["proto"])])
                self.assertEqual(row["hepv3.proto_type"], [str(packet["type"])])
                self.assertEqual(row["hepv3.capture_id"], [str(packet["capture_id"])])
                self.assertEqual(row["hepv3.payload_length"], [str(len(packet["payload"].encode("utf-8")))])
                seconds = int(row["hepv3.timestamp.seconds"][0])
                microseconds = int(row["hepv3.timestamp.microseconds"][0])
                self.assertAlmostEqual(seconds + microseconds / 1e6, packet["time"], places=6)

    def test_13_2_2_4_the_tcp_hops_ack_acknowledges_the_callers_invite(self):
        # Frame 9 (TCP, 127.0.0.1:5061 -> :5060) acknowledges the proxy's 200 in frame 8,
        # the answer to the caller's INVITE in frame 1 on the same hop; the callee's
        # hop (INVITE 3, 200 in 7) has the same Call-ID, CSeq and From tag.
        self.assertEqual(self.packets[9]["proto"], 6)
        self.assertEqual(frames_matching(CAPTURE, 'siptxn.ack.class == "2xx"', two_pass=True), [9, 10])
        row = self.rows[9]
        self.assertEqual((row["siptxn.ack.invite_txn"], row["siptxn.ack.invite_frame"],
                          row["siptxn.ack.response_frame"]), (["1"], ["1"], ["8"]))
        row = self.rows[10]
        self.assertEqual((row["siptxn.ack.invite_txn"], row["siptxn.ack.invite_frame"],
                          row["siptxn.ack.response_frame"]), (["2"], ["3"], ["7"]))

    def test_17_1_1_2_no_timer_a_on_the_tcp_hop(self):
        tcp_frames = [frame for frame in FRAMES if self.packets[frame]["proto"] == 6]
        self.assertEqual(tcp_frames, [1, 2, 6, 8, 9, 11, 14])
        for frame in FRAMES:
            with self.subTest(frame=frame):
                self.assertEqual({name for name in self.experts[frame] if RETRANSMISSION_EXPERTS.match(name)},
                                 set())
                self.assertEqual(self.rows[frame]["siptxn.retransmission"], ["0"])
        # The INVITE of the TCP hop is told it is not re-sent; the UDP hop's, that it is.
        self.assertIn(sentence_tail("narrative.request.invite_reliable"), self.rows[1]["siptxn.narrative"][0])
        self.assertIn(sentence_tail("narrative.request.invite"), self.rows[3]["siptxn.narrative"][0])


def load_capture_writer():
    """scripts/make-adversarial.py's CaptureWriter (Ethernet/IPv4/UDP frames in a pcapng)."""
    path = os.path.join(SOURCE_DIR, "scripts", "make-adversarial.py")
    spec = importlib.util.spec_from_file_location("make_adversarial", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CaptureWriter


def hep_chunk(chunk_type, value, length=None, vendor=0):
    """One HEP v3 chunk; length: the length to write, if not the true one."""
    return struct.pack("!HHH", vendor, chunk_type, 6 + len(value) if length is None else length) + value


def hep_packet(chunks, total=None):
    """A HEP v3 packet of the chunks; total: the total length to write, if not the true one."""
    body = b"".join(chunks)
    return b"HEP3" + struct.pack("!H", 6 + len(body) if total is None else total) + body


class WrittenCaptures(TsharkTestCase):
    """HEP packets written into a capture of their own, sent like kamailio's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.mkdtemp(prefix="siptxn-hep-")
        cls.packets = hep_packets(CAPTURE)
        cls.payloads = {frame: bytes.fromhex(row["udp.payload"][0].replace(":", ""))
                        for frame, row in fields(CAPTURE, ["udp.payload"], plugin="-").items()}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def write(self, name, payloads, collector_port=9060):
        """A capture of UDP datagrams from kamailio to the collector, 1 ms apart
        (each with a new IP identification)."""
        path = os.path.join(self.folder, name + ".pcapng")
        capture = load_capture_writer()(path)
        for payload in payloads:
            capture.udp(("127.0.0.1", 5060), ("127.0.0.9", collector_port), payload)
        capture.close()
        return path

    def test_a_hep_packet_seen_twice_is_a_duplicate_not_a_retransmission(self):
        # The callee hop's INVITE (frame 3, UDP) reaches the collector twice, 1 ms
        # apart, in two IP packets with different identifications: the same SIP
        # packet (a second capture agent, a mirrored mirror), not a re-sent INVITE,
        # which Timer A would send 500 ms later at the earliest (RFC 3261 §17.1.1.2).
        path = self.write("hep-twice", [self.payloads[3], self.payloads[3]])
        rows = fields(path, ["ip.id", "siptxn.txn", "siptxn.duplicate.original", "siptxn.retransmission"])
        self.assertNotEqual(rows[1]["ip.id"], rows[2]["ip.id"])
        self.assertEqual(rows[2]["siptxn.txn"], rows[1]["siptxn.txn"])
        self.assertEqual(rows[2]["siptxn.duplicate.original"], ["1"])
        self.assertNotIn("retransmission.too_early", experts(path)[2])

    def test_damaged_hep_packets_get_expert_infos_and_the_next_one_is_read(self):
        frame_14 = self.payloads[14]
        good_chunks = frame_14[6:]  # family, protocol, source and destination: 34 bytes
        family = hep_chunk(1, b"\x02")
        payload = hep_chunk(15, b"OPTIONS sip:x SIP/2.0\r\n\r\n")
        damaged = [
            # 1: a zero-length chunk: reading stops there, before the payload.
            hep_packet([family, hep_chunk(2, b"\x11", length=0), payload]),
            # 2: a chunk longer than the packet.
            hep_packet([family, hep_chunk(15, b"INVITE", length=4000)]),
            # 3: a source port of 3 bytes.
            hep_packet([family, hep_chunk(7, b"\x13\xc4\x00"), payload]),
            # 4: 3 bytes after the last chunk.
            hep_packet([family, payload, b"\x00\x00\x0f"]),
            # 5: a total length beyond the datagram: not taken by the heuristic, only by Decode As.
            hep_packet([good_chunks[:34]], total=len(frame_14)),
            # 6: the total length less than the header.
            hep_packet([family, payload], total=2),
            # 7: no payload chunk.
            hep_packet([family]),
            # 8: a sound packet after them: frame 14, the proxy's 200 to the BYE.
            frame_14,
        ]
        path = self.write("hep-damaged", damaged)
        heuristic = self.hep_experts(path, [])
        decode_as = self.hep_experts(path, ["-d", "udp.port==9060,hepv3"])
        expected = {1: {"chunk.too_short", "no_payload"}, 2: {"chunk.truncated", "no_payload"}, 3: {"chunk.wrong_size"},
                    4: {"trailing_bytes"}, 5: {"truncated", "no_payload"}, 6: {"total_too_short"},
                    7: {"no_payload"}, 8: set()}
        self.assertEqual(decode_as, expected)
        del expected[5], expected[6]
        self.assertEqual(heuristic, expected)
        # No exception escaped: the damage is told by expert infos, not "Malformed Packet (Exception occurred)".
        rows = fields(path, ["sip.Status-Code", "siptxn.txn", "_ws.malformed.expert"],
                      extra=["-d", "udp.port==9060,hepv3"])
        self.assertEqual(rows[8]["sip.Status-Code"], ["200"])
        self.assertEqual(rows[8]["siptxn.txn"], ["1"])
        self.assertEqual([frame for frame, row in rows.items()
                          if row["_ws.malformed.expert"]], [])

    def test_ipv6_endpoints(self):
        options = (b"OPTIONS sip:bob@[2001:db8::2] SIP/2.0\r\n"
                   b"Via: SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK-hep-ipv6\r\n"
                   b"From: <sip:alice@[2001:db8::1]>;tag=a\r\nTo: <sip:bob@[2001:db8::2]>\r\n"
                   b"Call-ID: hep-ipv6@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        source, destination = bytes.fromhex("20010db8" + "0" * 23 + "1"), bytes.fromhex("20010db8" + "0" * 23 + "2")
        packet = hep_packet([hep_chunk(1, b"\x0a"), hep_chunk(2, b"\x11"), hep_chunk(5, source),
                             hep_chunk(6, destination), hep_chunk(7, struct.pack("!H", 5070)),
                             hep_chunk(8, struct.pack("!H", 5060)), hep_chunk(11, b"\x01"), hep_chunk(15, options)])
        path = self.write("hep-ipv6", [packet])
        rows = fields(path, ["sip.Method", "siptxn.txn", "hepv3.src_ipv6", "hepv3.dst_ipv6"])
        columns = endpoint_columns(path)
        self.assertEqual(rows[1]["sip.Method"], ["OPTIONS"])
        self.assertEqual(rows[1]["siptxn.txn"], ["1"])
        self.assertEqual(rows[1]["hepv3.src_ipv6"] + rows[1]["hepv3.dst_ipv6"], ["2001:db8::1", "2001:db8::2"])
        self.assertEqual(columns[1], ["2001:db8::1", "5070", "2001:db8::2", "5060"])

    def test_hep_over_tcp_one_packet_a_segment(self):
        path = os.path.join(self.folder, "hep-tcp.pcapng")
        capture = load_capture_writer()(path)
        capture.tcp(("127.0.0.1", 40000), ("127.0.0.9", 9061), self.payloads[14])
        capture.close()
        rows = fields(path, ["tcp.dstport", "hepv3.src_port", "sip.Status-Code", "siptxn.txn"])
        self.assertEqual([frame for frame, row in rows.items() if row["hepv3.src_port"]], [4])
        self.assertEqual(rows[4]["tcp.dstport"], ["9061"])
        self.assertEqual((rows[4]["hepv3.src_port"], rows[4]["sip.Status-Code"], rows[4]["siptxn.txn"]),
                         (["5060"], ["200"], ["1"]))

    def hep_experts(self, path, extra):
        """frame -> the hepv3 expert infos (without "hepv3.expert."), for frames dissected as HEP."""
        text = tshark(["-r", path] + extra + ["-T", "pdml"])
        found, frame = {}, None
        for line in text.splitlines():
            number = re.search(r'<field name="num" pos="0" show="(\d+)"', line)
            if number:
                frame = int(number.group(1))
            if '<proto name="hepv3"' in line:
                found.setdefault(frame, set())
            name = re.search(r'<field name="hepv3\.expert\.([^"]+)"', line)
            if name:
                found.setdefault(frame, set()).add(name.group(1))
        return found


if __name__ == "__main__":
    unittest.main()
