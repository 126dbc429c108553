# SPDX-License-Identifier: GPL-2.0-or-later
"""pcapng_writer: the pieces of a pcapng file and of IP checksums that the
capture generators share (scripts/craft-captures.py, scripts/make-adversarial.py,
scripts/bench/generate-capture.py).  Python 3 standard library only."""

import struct

LINKTYPE_ETHERNET = 1


def internet_checksum(data):
    """RFC 1071 one's complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def pcapng_option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def pcapng_block(block_type, body):
    length = 12 + len(body)
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def section_header_block(application):
    """Section Header Block, little endian, version 1.0, unknown section length;
    application (bytes) goes into shb_userappl."""
    options = pcapng_option(4, application) + pcapng_option(0, b"")
    return pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + options)


def interface_description_block(name, tsresol=6):
    """Interface Description Block: Ethernet, timestamps in units of
    10**-tsresol seconds (if_tsresol; 6, microseconds, unless told)."""
    options = pcapng_option(2, name) + pcapng_option(9, bytes([tsresol])) + pcapng_option(0, b"")
    return pcapng_block(0x00000001, struct.pack("<HHI", LINKTYPE_ETHERNET, 0, 262144) + options)


def enhanced_packet_block(interface, timestamp, frame):
    """Enhanced Packet Block: frame on interface (its index) at timestamp,
    in the units of that interface's if_tsresol since 1970."""
    body = struct.pack("<IIIII", interface, timestamp >> 32, timestamp & 0xFFFFFFFF, len(frame), len(frame))
    return pcapng_block(0x00000006, body + frame + b"\0" * (-len(frame) % 4))
