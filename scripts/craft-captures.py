#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# craft-captures.py: builds test-captures/crafted-<name>.pcapng from the readable
# scenario files test-captures/crafted/<name>.sip (format: test-captures/crafted/README.md).
#
#   scripts/craft-captures.py            regenerate every crafted capture
#   scripts/craft-captures.py --check    exit 1 if a committed capture differs or is missing
#
# The output is deterministic: timestamps come from the scenario, TCP initial
# sequence numbers and MAC addresses are derived from the endpoints, IPv4
# identifications count up per capture.  Python 3 standard library only.

import argparse
import filecmp
import ipaddress
import pathlib
import re
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from pcapng_writer import (  # noqa: E402  (the shared writer lives next to this script)
    LINKTYPE_ETHERNET, internet_checksum, interface_description_block, pcapng_block, section_header_block)

# 2024-01-01T00:00:00Z: scenario time t=0.
EPOCH_SECONDS = 1704067200
ETHERNET_MTU = 1500
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
IP_PROTOCOL_TCP = 6
IP_PROTOCOL_UDP = 17
IPV6_NEXT_HEADER_FRAGMENT = 44
TCP_FLAG_SYN = 0x02
TCP_FLAG_PSH = 0x08
TCP_FLAG_ACK = 0x10

BLOCK_LINE = re.compile(
    r"^=== t=(?P<seconds>\d+)(?:\.(?P<fraction>\d{1,6}))? (?P<transport>udp|tcp) "
    r"(?P<source>\S+) -> (?P<destination>\S+)(?P<raw> raw)?$")
SEGMENT_SEPARATOR = "+++"
INLINE_DIRECTIVE = re.compile(r"\{\{(hex|repeat|crlf)(?: ([^}]*))?\}\}")
CONTENT_LENGTH_AUTO = re.compile(rb"^(content-length|l)([ \t]*:[ \t]*)auto[ \t]*$", re.IGNORECASE)


class ScenarioError(Exception):
    """A scenario file does not follow the format; carries file and line."""


# ---------------------------------------------------------------- scenario text

def parse_endpoint(text, where):
    """'192.0.2.1:5060' or '[2001:db8::1]:5060' -> (address bytes, port)."""
    match = re.fullmatch(r"\[(?P<v6>[0-9A-Fa-f:.]+)\]:(?P<port>\d+)|(?P<v4>[0-9.]+):(?P<port4>\d+)", text)
    if not match:
        raise ScenarioError(f"{where}: bad endpoint '{text}' (want A.B.C.D:PORT or [IPV6]:PORT)")
    try:
        if match.group("v6"):
            address, port = ipaddress.IPv6Address(match.group("v6")), int(match.group("port"))
        else:
            address, port = ipaddress.IPv4Address(match.group("v4")), int(match.group("port4"))
    except ValueError as error:
        raise ScenarioError(f"{where}: {error}") from None
    if not 0 < port < 65536:
        raise ScenarioError(f"{where}: port {port} out of range")
    return address.packed, port


def expand_line(line, where):
    """Text of one scenario line -> bytes, with {{hex ..}}, {{repeat N text}}, {{crlf}} expanded."""
    output = bytearray()
    position = 0
    for match in INLINE_DIRECTIVE.finditer(line):
        output += line[position:match.start()].encode("utf-8")
        name, argument = match.group(1), match.group(2) or ""
        if name == "hex":
            digits = re.sub(r"\s+", "", argument)
            if not re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", digits):
                raise ScenarioError(f"{where}: {{{{hex}}}} wants pairs of hex digits, got '{argument}'")
            output += bytes.fromhex(digits)
        elif name == "repeat":
            count, _, text = argument.partition(" ")
            if not count.isdigit() or not text:
                raise ScenarioError(f"{where}: {{{{repeat}}}} wants a count and a text, got '{argument}'")
            output += text.encode("utf-8") * int(count)
        else:
            output += b"\r\n"
        position = match.end()
    output += line[position:].encode("utf-8")
    return bytes(output)


def fill_content_length(header_lines, body):
    """Replaces 'Content-Length: auto' (or 'l: auto') by the body's length in bytes."""
    return [CONTENT_LENGTH_AUTO.sub(lambda m: m.group(1) + m.group(2) + str(len(body)).encode(), line)
            for line in header_lines]


def build_sip_message(lines):
    """Scenario lines of one SIP message -> wire bytes: CRLF line ends, the
    header part ends with an empty line, body lines each end with CRLF."""
    while lines and lines[0][1] == "":
        lines = lines[1:]
    while lines and lines[-1][1] == "":
        lines = lines[:-1]
    texts = [text for _, text in lines]
    if "" in texts:
        split = texts.index("")
        head, body = lines[:split], lines[split + 1:]
    else:
        head, body = lines, []
    body_bytes = b"".join(expand_line(text, where) + b"\r\n" for where, text in body)
    head_bytes = fill_content_length([expand_line(text, where) for where, text in head], body_bytes)
    return b"".join(line + b"\r\n" for line in head_bytes) + b"\r\n" + body_bytes


def build_raw_payload(lines):
    """Scenario lines of a raw block -> bytes: lines are concatenated as they are."""
    return b"".join(expand_line(text, where) for where, text in lines)


def parse_block_line(text, where):
    """'=== t=1.5 udp A:P -> B:P [raw]' -> dict describing the block."""
    match = BLOCK_LINE.match(text)
    if not match:
        raise ScenarioError(f"{where}: bad block line (want '=== t=SECONDS udp|tcp SRC:PORT -> DST:PORT [raw]')")
    fraction = (match.group("fraction") or "").ljust(6, "0")
    source = parse_endpoint(match.group("source"), where)
    destination = parse_endpoint(match.group("destination"), where)
    if len(source[0]) != len(destination[0]):
        raise ScenarioError(f"{where}: source and destination must both be IPv4 or both IPv6")
    return {
        "time_us": int(match.group("seconds")) * 1_000_000 + int(fraction),
        "transport": match.group("transport"),
        "source": source,
        "destination": destination,
        "raw": bool(match.group("raw")),
        "where": where,
    }


def parse_scenario(path):
    """Scenario file -> list of blocks, each with its payload bytes."""
    blocks = []
    current = None
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        text = text[:-1] if text.endswith("\r") else text
        where = f"{path}:{number}"
        if text.startswith("#"):
            continue
        if text.startswith("==="):
            current = parse_block_line(text, where)
            current["messages"] = [[]]
            blocks.append(current)
        elif current is None:
            if text.strip():
                raise ScenarioError(f"{where}: text before the first '===' block line")
        elif text == SEGMENT_SEPARATOR:
            current["messages"].append([])
        else:
            current["messages"][-1].append((where, text))
    previous_time = 0
    for block in blocks:
        if block["time_us"] < previous_time:
            raise ScenarioError(f"{block['where']}: time goes backwards")
        previous_time = block["time_us"]
        build = build_raw_payload if block["raw"] else build_sip_message
        block["payload"] = b"".join(build(message) for message in block["messages"])
        if not block["payload"]:
            raise ScenarioError(f"{block['where']}: empty block")
    return blocks


# ---------------------------------------------------------------- packets

def pseudo_header(source, destination, protocol, length):
    """RFC 768 / RFC 8200 §8.1 pseudo-header for UDP and TCP checksums."""
    if len(source) == 4:
        return source + destination + struct.pack("!BBH", 0, protocol, length)
    return source + destination + struct.pack("!I3xB", length, protocol)


def udp_datagram(source, destination, payload):
    """UDP header + payload with checksum; source/destination are (address, port)."""
    length = 8 + len(payload)
    header = struct.pack("!HHHH", source[1], destination[1], length, 0)
    checksum = internet_checksum(pseudo_header(source[0], destination[0], IP_PROTOCOL_UDP, length) + header + payload)
    return struct.pack("!HHHH", source[1], destination[1], length, checksum or 0xFFFF) + payload


def tcp_segment(source, destination, sequence, acknowledgement, flags, payload):
    """TCP header (no options, window 65535) + payload with checksum."""
    header = struct.pack("!HHIIBBHHH", source[1], destination[1], sequence, acknowledgement,
                         5 << 4, flags, 65535, 0, 0)
    checksum = internet_checksum(
        pseudo_header(source[0], destination[0], IP_PROTOCOL_TCP, len(header) + len(payload)) + header + payload)
    return header[:16] + struct.pack("!H", checksum) + header[18:] + payload


def mac_address(ip_address):
    """Locally administered MAC derived from the IP address."""
    return b"\x02\x00" + struct.pack("!I", zlib.crc32(ip_address))


class PacketBuilder:
    """Turns transport payloads into Ethernet frames; keeps the per-capture
    IP identification counter and the state of every TCP connection."""

    def __init__(self):
        self.frames = []              # (time_us, frame bytes)
        self.identification = 0
        self.tcp_next_sequence = {}   # endpoint pair (sender, receiver) -> next sequence number

    def add_ip_packets(self, time_us, source, destination, protocol, transport_bytes, dont_fragment):
        """Wraps a UDP datagram or TCP segment in IP (fragmenting when needed) and Ethernet."""
        self.identification += 1
        ethernet_v4 = mac_address(destination) + mac_address(source) + struct.pack("!H", ETHERTYPE_IPV4)
        ethernet_v6 = mac_address(destination) + mac_address(source) + struct.pack("!H", ETHERTYPE_IPV6)
        if len(source) == 4:
            for offset, chunk, more in self.fragments(transport_bytes, ETHERNET_MTU - 20):
                flags_offset = (0x4000 if dont_fragment else 0) | (0x2000 if more else 0) | (offset // 8)
                header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), self.identification & 0xFFFF,
                                     flags_offset, 64, protocol, 0, source, destination)
                header = header[:10] + struct.pack("!H", internet_checksum(header)) + header[12:]
                self.frames.append((time_us, ethernet_v4 + header + chunk))
            return
        if len(transport_bytes) + 40 <= ETHERNET_MTU:
            header = struct.pack("!IHBB16s16s", 6 << 28, len(transport_bytes), protocol, 64, source, destination)
            self.frames.append((time_us, ethernet_v6 + header + transport_bytes))
            return
        # RFC 8200 §4.5: Fragment extension header.
        for offset, chunk, more in self.fragments(transport_bytes, ETHERNET_MTU - 48):
            fragment = struct.pack("!BBHI", protocol, 0, offset | (1 if more else 0), self.identification)
            header = struct.pack("!IHBB16s16s", 6 << 28, 8 + len(chunk), IPV6_NEXT_HEADER_FRAGMENT, 64,
                                 source, destination)
            self.frames.append((time_us, ethernet_v6 + header + fragment + chunk))

    @staticmethod
    def fragments(data, room):
        """Splits data into (offset, chunk, more) pieces of at most room bytes, 8-byte aligned."""
        size = room - room % 8
        pieces = [(offset, data[offset:offset + size]) for offset in range(0, len(data), size)]
        return [(offset, chunk, index + 1 < len(pieces)) for index, (offset, chunk) in enumerate(pieces)]

    def add_udp(self, time_us, source, destination, payload):
        self.add_ip_packets(time_us, source[0], destination[0], IP_PROTOCOL_UDP,
                            udp_datagram(source, destination, payload), dont_fragment=False)

    def add_tcp_segment(self, time_us, source, destination, flags, payload):
        sequence = self.tcp_next_sequence[(source, destination)]
        acknowledgement = self.tcp_next_sequence[(destination, source)] if flags & TCP_FLAG_ACK else 0
        segment = tcp_segment(source, destination, sequence, acknowledgement, flags, payload)
        self.add_ip_packets(time_us, source[0], destination[0], IP_PROTOCOL_TCP, segment, dont_fragment=True)
        self.tcp_next_sequence[(source, destination)] = (sequence + len(payload) + (1 if flags & TCP_FLAG_SYN else 0)) & 0xFFFFFFFF

    def open_tcp_connection(self, time_us, client, server):
        """Three-way handshake; initial sequence numbers derived from the endpoints."""
        for sender, receiver in ((client, server), (server, client)):
            self.tcp_next_sequence[(sender, receiver)] = zlib.crc32(sender[0] + struct.pack("!H", sender[1]))
        self.add_tcp_segment(time_us, client, server, TCP_FLAG_SYN, b"")
        self.add_tcp_segment(time_us, server, client, TCP_FLAG_SYN | TCP_FLAG_ACK, b"")
        self.add_tcp_segment(time_us, client, server, TCP_FLAG_ACK, b"")

    def add_tcp(self, time_us, source, destination, payload):
        """Sends payload on the connection (opened on first use), split at the MSS."""
        if (source, destination) not in self.tcp_next_sequence:
            self.open_tcp_connection(time_us, source, destination)
        maximum_segment = ETHERNET_MTU - 20 - (20 if len(source[0]) == 4 else 40)
        for offset in range(0, len(payload), maximum_segment):
            chunk = payload[offset:offset + maximum_segment]
            last = offset + maximum_segment >= len(payload)
            self.add_tcp_segment(time_us, source, destination, TCP_FLAG_ACK | (TCP_FLAG_PSH if last else 0), chunk)

    def add_block(self, block):
        send = self.add_udp if block["transport"] == "udp" else self.add_tcp
        send(block["time_us"], block["source"], block["destination"], block["payload"])


# ---------------------------------------------------------------- pcapng

def enhanced_packet_block(time_us, frame):
    """Enhanced Packet Block on interface 0 with an absolute microsecond timestamp."""
    timestamp = EPOCH_SECONDS * 1_000_000 + time_us
    body = struct.pack("<IIIII", 0, timestamp >> 32, timestamp & 0xFFFFFFFF, len(frame), len(frame))
    return pcapng_block(0x00000006, body + frame + b"\0" * (-len(frame) % 4))


def capture_bytes(blocks):
    """Whole pcapng file for the scenario's blocks."""
    builder = PacketBuilder()
    for block in blocks:
        builder.add_block(block)
    return (section_header_block(b"siptxn scripts/craft-captures.py") + interface_description_block(b"crafted")
            + b"".join(enhanced_packet_block(time_us, frame) for time_us, frame in builder.frames))


# ---------------------------------------------------------------- driver

def capture_name(scenario):
    return f"crafted-{scenario.stem}.pcapng"


def write_captures(scenario_directory, output_directory):
    """Builds every scenario; returns the names of the files written."""
    names = []
    for scenario in sorted(scenario_directory.glob("*.sip")):
        data = capture_bytes(parse_scenario(scenario))
        (output_directory / capture_name(scenario)).write_bytes(data)
        names.append(capture_name(scenario))
    return names


def check_captures(scenario_directory, capture_directory):
    """Lists committed captures that are missing, differ from a fresh build, or have no scenario."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="siptxn-crafted-") as temporary:
        fresh = pathlib.Path(temporary)
        names = write_captures(scenario_directory, fresh)
        for name in names:
            committed = capture_directory / name
            if not committed.exists():
                problems.append(f"missing: {committed}")
            elif not filecmp.cmp(committed, fresh / name, shallow=False):
                problems.append(f"differs: {committed}")
    for committed in sorted(capture_directory.glob("crafted-*.pcapng")):
        if committed.name not in names:
            problems.append(f"no scenario: {committed}")
    return names, problems


def main():
    parser = argparse.ArgumentParser(description="Build test-captures/crafted-*.pcapng from test-captures/crafted/*.sip.")
    parser.add_argument("--source", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent,
                        help="source tree (default: the one holding this script)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a committed capture is missing or differs")
    arguments = parser.parse_args()
    scenario_directory = arguments.source / "test-captures" / "crafted"
    capture_directory = arguments.source / "test-captures"
    if not any(scenario_directory.glob("*.sip")):
        print(f"craft-captures: no scenario files in {scenario_directory}", file=sys.stderr)
        return 2
    try:
        if arguments.check:
            names, problems = check_captures(scenario_directory, capture_directory)
            for problem in problems:
                print(problem)
            if problems:
                print("craft-captures: run scripts/craft-captures.py and commit the result", file=sys.stderr)
                return 1
            print(f"craft-captures: {len(names)} crafted captures match their scenarios")
            return 0
        for name in write_captures(scenario_directory, capture_directory):
            print(f"wrote {capture_directory / name}")
        return 0
    except ScenarioError as error:
        print(f"craft-captures: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
