#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# make-adversarial.py: writes deterministic hostile SIP captures (huge, malformed, odd) into a folder for robustness tests.
#
#   scripts/make-adversarial.py OUTPUT_FOLDER [--only NAME ...] [--branches N ...] [--list]
#
# The captures are not committed: tests generate them when they run.  Every
# capture ends with one ordinary OPTIONS/200 transaction (branch
# z9hG4bK-after-the-junk, between 192.0.2.50 and 192.0.2.51 over UDP), so a test
# can check that the junk before it did not stop the analysis.  Python 3
# standard library only; the same arguments always give the same bytes.

import argparse
import pathlib
import struct
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from pcapng_writer import internet_checksum  # noqa: E402  (the shared writer lives next to this script)

# 2024-01-01T00:00:00Z, in microseconds (pcapng's default time stamp unit).
START_US = 1704067200 * 1_000_000
LINKTYPE_ETHERNET = 1
IP_PROTOCOL_TCP = 6
IP_PROTOCOL_UDP = 17
TCP_SYN, TCP_PSH, TCP_ACK = 0x02, 0x08, 0x10
TCP_MAXIMUM_SEGMENT = 1460

ALICE = ("192.0.2.1", 5060)
BOB = ("192.0.2.2", 5060)
CHECK_CLIENT = ("192.0.2.50", 5060)
CHECK_SERVER = ("192.0.2.51", 5060)
CHECK_BRANCH = "z9hG4bK-after-the-junk"


# ---------------------------------------------------------------- packets

def address_bytes(text):
    return bytes(int(part) for part in text.split("."))


def ipv4_frame(source, destination, protocol, transport, identification):
    """Ethernet + IPv4 header (no fragmentation) around a UDP datagram or TCP segment."""
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(transport), identification & 0xFFFF, 0x4000, 64,
                         protocol, 0, address_bytes(source), address_bytes(destination))
    header = header[:10] + struct.pack("!H", internet_checksum(header)) + header[12:]
    ethernet = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return ethernet + header + transport


def pseudo_header(source, destination, protocol, length):
    return address_bytes(source) + address_bytes(destination) + struct.pack("!BBH", 0, protocol, length)


class CaptureWriter:
    """Streams a pcapng file: one section, one Ethernet interface, Enhanced Packet Blocks."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.identification = 0
        self.time_us = START_US
        self.frames = 0
        self.tcp_sequence = {}
        self.file.write(self.block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        self.file.write(self.block(0x00000001, struct.pack("<HHI", LINKTYPE_ETHERNET, 0, 262144)))

    @staticmethod
    def block(block_type, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", block_type, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))

    def frame(self, data, time_us=None):
        """Writes one frame at time_us (default: the current time, then 1 ms later)."""
        if time_us is None:
            time_us = self.time_us
            self.time_us += 1000
        header = struct.pack("<IIIII", 0, (time_us >> 32) & 0xFFFFFFFF, time_us & 0xFFFFFFFF, len(data), len(data))
        self.file.write(self.block(0x00000006, header + data))
        self.frames += 1

    def udp_frame(self, source, destination, payload):
        """Ethernet/IPv4/UDP bytes of one datagram (UDP checksum filled in)."""
        self.identification += 1
        length = 8 + len(payload)
        header = struct.pack("!HHHH", source[1], destination[1], length, 0)
        total = internet_checksum(pseudo_header(source[0], destination[0], IP_PROTOCOL_UDP, length) + header + payload)
        datagram = struct.pack("!HHHH", source[1], destination[1], length, total or 0xFFFF) + payload
        return ipv4_frame(source[0], destination[0], IP_PROTOCOL_UDP, datagram, self.identification)

    def udp(self, source, destination, payload, time_us=None):
        self.frame(self.udp_frame(source, destination, payload), time_us)

    def tcp_segment(self, source, destination, flags, payload):
        self.identification += 1
        sequence = self.tcp_sequence[(source, destination)]
        acknowledgement = self.tcp_sequence[(destination, source)] if flags & TCP_ACK else 0
        header = struct.pack("!HHIIBBHHH", source[1], destination[1], sequence, acknowledgement, 5 << 4, flags,
                             65535, 0, 0)
        total = internet_checksum(pseudo_header(source[0], destination[0], IP_PROTOCOL_TCP, 20 + len(payload)) + header + payload)
        segment = header[:16] + struct.pack("!H", total) + header[18:] + payload
        self.frame(ipv4_frame(source[0], destination[0], IP_PROTOCOL_TCP, segment, self.identification))
        self.tcp_sequence[(source, destination)] = (sequence + len(payload) + (1 if flags & TCP_SYN else 0)) & 0xFFFFFFFF

    def tcp(self, source, destination, payload, segment_size=TCP_MAXIMUM_SEGMENT):
        """Sends payload over the connection (opened with a handshake on first use) in segments."""
        if (source, destination) not in self.tcp_sequence:
            self.tcp_sequence[(source, destination)] = 1000
            self.tcp_sequence[(destination, source)] = 5000
            self.tcp_segment(source, destination, TCP_SYN, b"")
            self.tcp_segment(destination, source, TCP_SYN | TCP_ACK, b"")
            self.tcp_segment(source, destination, TCP_ACK, b"")
        for offset in range(0, len(payload), segment_size):
            last = offset + segment_size >= len(payload)
            self.tcp_segment(source, destination, TCP_ACK | (TCP_PSH if last else 0),
                             payload[offset:offset + segment_size])

    def close(self):
        self.file.close()


# ---------------------------------------------------------------- SIP text

def sip_message(start_line, headers, body=b""):
    """Start line + headers (bytes or str each) + Content-Length + body, CRLF line ends."""
    lines = [start_line if isinstance(start_line, bytes) else start_line.encode()]
    for header in headers:
        lines.append(header if isinstance(header, bytes) else header.encode())
    lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def request(method, branch, call_id, cseq="1", sent_by="192.0.2.1:5060", transport="UDP", extra=(), vias=None,
            to_tag=None):
    """A request from Alice to Bob; vias replaces the single Via header when given."""
    via_headers = vias if vias is not None else [b"Via: SIP/2.0/%s %s;branch=%s" % (
        transport.encode(), sent_by.encode(), branch if isinstance(branch, bytes) else branch.encode())]
    headers = list(via_headers) + [
        "Max-Forwards: 70",
        "From: <sip:alice@example.com>;tag=alice-tag",
        "To: <sip:bob@example.org>" + (f";tag={to_tag}" if to_tag else ""),
        (b"Call-ID: " + (call_id if isinstance(call_id, bytes) else call_id.encode())) if call_id is not None else None,
        f"CSeq: {cseq} {method}" if cseq is not None else None,
    ] + list(extra)
    return sip_message(f"{method} sip:bob@example.org SIP/2.0", [h for h in headers if h is not None])


def response(code, phrase, method, branch, call_id, cseq="1", sent_by="192.0.2.1:5060", transport="UDP",
             to_tag="bob-tag", vias=None):
    via_headers = vias if vias is not None else [b"Via: SIP/2.0/%s %s;branch=%s" % (
        transport.encode(), sent_by.encode(), branch if isinstance(branch, bytes) else branch.encode())]
    headers = list(via_headers) + [
        "From: <sip:alice@example.com>;tag=alice-tag",
        f"To: <sip:bob@example.org>;tag={to_tag}",
        b"Call-ID: " + (call_id if isinstance(call_id, bytes) else call_id.encode()),
        f"CSeq: {cseq} {method}",
    ]
    status = b"SIP/2.0 %d " % code + (phrase if isinstance(phrase, bytes) else phrase.encode())
    return sip_message(status, headers)


def check_transaction(capture):
    """The ordinary OPTIONS/200 every capture ends with."""
    sent_by = "%s:%d" % CHECK_CLIENT
    capture.udp(CHECK_CLIENT, CHECK_SERVER, request("OPTIONS", CHECK_BRANCH, "after-the-junk@example.com",
                                                    sent_by=sent_by))
    capture.udp(CHECK_SERVER, CHECK_CLIENT, response(200, "OK", "OPTIONS", CHECK_BRANCH,
                                                     "after-the-junk@example.com", sent_by=sent_by))


# ---------------------------------------------------------------- the captures

def many_branches(capture, count):
    """count OPTIONS/200 pairs over UDP, each with its own branch and Call-ID."""
    for number in range(count):
        branch = f"z9hG4bK-{number:07d}"
        call_id = f"{number:07d}@example.com"
        capture.udp(ALICE, BOB, request("OPTIONS", branch, call_id))
        capture.udp(BOB, ALICE, response(200, "OK", "OPTIONS", branch, call_id))


def long_call_id(capture):
    """INVITE and 200 over TCP with a 64 kB Call-ID."""
    call_id = b"x" * 65536 + b"@example.com"
    capture.tcp(ALICE, BOB, request("INVITE", "z9hG4bK-long-call-id", call_id, transport="TCP"))
    capture.tcp(BOB, ALICE, response(200, "OK", "INVITE", "z9hG4bK-long-call-id", call_id, transport="TCP"))


def long_reason_phrase(capture):
    """INVITE and a 486 over TCP whose reason phrase is 64 kB."""
    phrase = (b"Busy Here " * 6554)[:65536]
    capture.tcp(ALICE, BOB, request("INVITE", "z9hG4bK-long-phrase", "long-phrase@example.com", transport="TCP"))
    capture.tcp(BOB, ALICE, response(486, phrase, "INVITE", "z9hG4bK-long-phrase", "long-phrase@example.com",
                                     transport="TCP"))


def many_vias(capture, count=500):
    """A request and its response over TCP, each with count Via headers (the top one ours)."""
    vias = [b"Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-many-vias"]
    vias += [b"Via: SIP/2.0/TCP proxy%d.example.net:5060;branch=z9hG4bK-hop-%d" % (hop, hop) for hop in range(count - 1)]
    capture.tcp(ALICE, BOB, request("OPTIONS", None, "many-vias@example.com", vias=vias))
    capture.tcp(BOB, ALICE, response(200, "OK", "OPTIONS", None, "many-vias@example.com", vias=vias))


def missing_headers(capture):
    """Requests without Via, without CSeq, and with CSeq numbers that are not 32-bit unsigned."""
    capture.udp(ALICE, BOB, request("OPTIONS", None, "no-via@example.com", vias=[]))
    capture.udp(ALICE, BOB, request("OPTIONS", "z9hG4bK-no-cseq", "no-cseq@example.com", cseq=None))
    capture.udp(ALICE, BOB, request("INVITE", "z9hG4bK-cseq-too-big", "cseq-too-big@example.com", cseq="4294967297"))
    capture.udp(ALICE, BOB, request("INVITE", "z9hG4bK-cseq-negative", "cseq-negative@example.com", cseq="-1"))
    capture.udp(ALICE, BOB, request("OPTIONS", "z9hG4bK-no-call-id", None))
    capture.udp(BOB, ALICE, response(200, "OK", "OPTIONS", None, "no-via@example.com", vias=[]))


def odd_branches(capture):
    """Branches holding NUL, bytes that are not UTF-8, and control characters."""
    for number, branch in enumerate([b"z9hG4bK-nul\x00after", b"z9hG4bK-\xff\xfe\xc0\xaf", b"z9hG4bK-\x01\x02\x1b[31m",
                                     b"z9hG4bK-\x7f", b"\x00", b"z9hG4bK-\xd0"]):
        call_id = b"odd-%d@example.com" % number
        capture.udp(ALICE, BOB, request("OPTIONS", branch, call_id))
        capture.udp(BOB, ALICE, response(200, "OK", "OPTIONS", branch, call_id))


def response_storm(capture, count=5000, distinct=1000):
    """count 200 OKs to OPTIONS nobody sent, distinct branches each re-sent count/distinct times."""
    for number in range(count):
        branch = f"z9hG4bK-storm-{number % distinct:05d}"
        capture.udp(BOB, ALICE, response(200, "OK", "OPTIONS", branch, f"storm-{number % distinct}@example.com"))


def tiny_tcp_segments(capture):
    """One INVITE split into 3-byte TCP segments, then its 200 in one segment."""
    invite = request("INVITE", "z9hG4bK-tiny-segments", "tiny-segments@example.com", transport="TCP",
                     extra=["Subject: split into many small segments"])
    capture.tcp(ALICE, BOB, invite, segment_size=3)
    capture.tcp(BOB, ALICE, response(200, "OK", "INVITE", "z9hG4bK-tiny-segments", "tiny-segments@example.com",
                                     transport="TCP"))


def duplicate_frames(capture):
    """A call over UDP in which every frame appears twice, with the same time stamp."""
    branch, ack_branch, call_id = "z9hG4bK-duplicate", "z9hG4bK-duplicate-ack", "duplicate@example.com"
    messages = [
        (ALICE, BOB, request("INVITE", branch, call_id)),
        (BOB, ALICE, response(100, "Trying", "INVITE", branch, call_id)),
        (BOB, ALICE, response(200, "OK", "INVITE", branch, call_id)),
        (ALICE, BOB, request("ACK", ack_branch, call_id, to_tag="bob-tag")),
        (ALICE, BOB, request("BYE", "z9hG4bK-duplicate-bye", call_id, cseq="2", to_tag="bob-tag")),
        (BOB, ALICE, response(200, "OK", "BYE", "z9hG4bK-duplicate-bye", call_id, cseq="2")),
    ]
    for source, destination, payload in messages:
        data = capture.udp_frame(source, destination, payload)
        time_us = capture.time_us
        capture.time_us += 1000
        capture.frame(data, time_us)
        capture.frame(data, time_us)


def clock_jumps(capture):
    """Re-sent requests whose time stamps jump between 1970 and 2024, both ways."""
    options = request("OPTIONS", "z9hG4bK-clock-forward", "clock-forward@example.com")
    capture.udp(ALICE, BOB, options, time_us=0)
    capture.udp(ALICE, BOB, options, time_us=START_US)
    invite = request("INVITE", "z9hG4bK-clock-backward", "clock-backward@example.com")
    capture.udp(ALICE, BOB, invite, time_us=START_US + 1000)
    capture.udp(ALICE, BOB, invite, time_us=1_000_000)
    capture.udp(BOB, ALICE, response(200, "OK", "INVITE", "z9hG4bK-clock-backward", "clock-backward@example.com"),
                time_us=START_US + 2000)


def far_future(capture):
    """An INVITE, its re-sent copy and a 486 in the year 2286: nanoseconds since 1970 exceed 64 bits."""
    base = 10_000_000_000 * 1_000_000
    invite = request("INVITE", "z9hG4bK-far-future", "far-future@example.com")
    capture.udp(ALICE, BOB, invite, time_us=base)
    capture.udp(ALICE, BOB, invite, time_us=base + 500_000)
    capture.udp(BOB, ALICE, response(486, "Busy Here", "INVITE", "z9hG4bK-far-future", "far-future@example.com"),
                time_us=base + 600_000)
    capture.time_us = base + 700_000


CAPTURES = {
    "long-call-id": long_call_id,
    "long-reason-phrase": long_reason_phrase,
    "many-vias": many_vias,
    "missing-headers": missing_headers,
    "odd-branches": odd_branches,
    "response-storm": response_storm,
    "tiny-tcp-segments": tiny_tcp_segments,
    "duplicate-frames": duplicate_frames,
    "clock-jumps": clock_jumps,
    "far-future": far_future,
}
DEFAULT_BRANCH_COUNTS = (200_000,)


def write_capture(folder, name, build):
    path = folder / f"{name}.pcapng"
    capture = CaptureWriter(path)
    try:
        build(capture)
        check_transaction(capture)
    finally:
        capture.close()
    return path, capture.frames


def main():
    parser = argparse.ArgumentParser(description="Write hostile SIP captures for robustness tests.")
    parser.add_argument("output", type=pathlib.Path, nargs="?", help="folder to write the captures into")
    parser.add_argument("--only", action="append", metavar="NAME", default=[],
                        help="write only this capture (repeatable); many-branches-N names the branch captures")
    parser.add_argument("--branches", action="append", type=int, metavar="N", default=[],
                        help="write many-branches-N.pcapng with N OPTIONS/200 pairs (repeatable; default 200000)")
    parser.add_argument("--list", action="store_true", help="list the capture names and exit")
    arguments = parser.parse_args()
    branch_counts = arguments.branches or list(DEFAULT_BRANCH_COUNTS)
    builders = dict(CAPTURES)
    for count in branch_counts:
        if count < 1:
            parser.error("--branches wants a positive number")
        builders[f"many-branches-{count}"] = lambda capture, count=count: many_branches(capture, count)
    if arguments.list:
        print("\n".join(builders))
        return 0
    if arguments.output is None:
        parser.error("the output folder is missing")
    unknown = [name for name in arguments.only if name not in builders]
    if unknown:
        parser.error(f"unknown capture {', '.join(unknown)}; --list shows the names")
    arguments.output.mkdir(parents=True, exist_ok=True)
    for name, build in builders.items():
        if arguments.only and name not in arguments.only:
            continue
        path, frames = write_capture(arguments.output, name, build)
        print(f"wrote {path} ({frames} frames)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
