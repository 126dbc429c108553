#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# HEP v3 (Homer Encapsulation Protocol) for the hep-siptrace recording: a
# collector that receives what kamailio's siptrace module sends, and a
# reader that lists the SIP messages inside the HEP packets of a capture.
"""HEP v3 collector and capture reader (Python standard library and tshark).

  hep.py collect ADDRESS PORT  receive HEP over UDP, print one line per
                               packet (inner endpoints, transport, first
                               line of the SIP message) until stopped
  hep.py check FILE REGEX      exit 1 unless the space-separated sequence of
                               the SIP messages inside the HEP packets of
                               FILE (method or status code) matches REGEX
  hep.py table FILE            print them frame by frame as a Markdown table
  hep.py seq FILE              print the sequence that `check` matches

tshark 4.0 has no HEP dissector: the reader takes each UDP payload from
tshark (-e udp.payload) and decodes the HEP chunks itself.  The reference
model (tests/reference/siptxn_reference.py) reads the chunks with
read_chunks().
"""

import re
import socket
import struct
import subprocess
import sys

# Generic chunk types (vendor 0x0000) of HEP v3.
CHUNK_IP_FAMILY = 1
CHUNK_IP_PROTO = 2
CHUNK_IPV4_SRC = 3
CHUNK_IPV4_DST = 4
CHUNK_IPV6_SRC = 5
CHUNK_IPV6_DST = 6
CHUNK_SRC_PORT = 7
CHUNK_DST_PORT = 8
CHUNK_TIME_SEC = 9
CHUNK_TIME_USEC = 10
CHUNK_PROTO_TYPE = 11
CHUNK_CAPTURE_ID = 12
CHUNK_PAYLOAD = 15
CHUNK_CORRELATION_ID = 17

IP_PROTOCOLS = {6: "TCP", 17: "UDP", 132: "SCTP"}


def read_chunks(data):
    """The HEP v3 packet at the start of data: its generic chunks (vendor 0)
    as {chunk type: value bytes} (a type given twice: the last one) and its
    total length from the header; None if data does not start with one.
    Nothing is read past the total length or the bytes there are."""
    if len(data) < 6 or data[:4] != b"HEP3":
        return None
    (total,) = struct.unpack("!H", data[4:6])
    end = min(total, len(data))
    chunks = {}
    offset = 6
    while offset + 6 <= end:
        vendor, kind, length = struct.unpack("!HHH", data[offset:offset + 6])
        if length < 6:
            break
        value = data[offset + 6:min(offset + length, end)]
        if vendor == 0:
            chunks[kind] = value
        offset += length
    return chunks, total


def decode(data):
    """The chunks of one HEP v3 packet as a dict, or None if it is not one."""
    read = read_chunks(data)
    if read is None:
        return None
    chunks, _ = read
    hep = {}
    if CHUNK_IP_PROTO in chunks:
        hep["proto"] = chunks[CHUNK_IP_PROTO][0]
    if CHUNK_IPV4_SRC in chunks:
        hep["src"] = socket.inet_ntop(socket.AF_INET, chunks[CHUNK_IPV4_SRC])
    if CHUNK_IPV4_DST in chunks:
        hep["dst"] = socket.inet_ntop(socket.AF_INET, chunks[CHUNK_IPV4_DST])
    if CHUNK_IPV6_SRC in chunks:
        hep["src"] = "[%s]" % socket.inet_ntop(socket.AF_INET6, chunks[CHUNK_IPV6_SRC])
    if CHUNK_IPV6_DST in chunks:
        hep["dst"] = "[%s]" % socket.inet_ntop(socket.AF_INET6, chunks[CHUNK_IPV6_DST])
    for kind, name in ((CHUNK_SRC_PORT, "sport"), (CHUNK_DST_PORT, "dport")):
        if kind in chunks:
            (hep[name],) = struct.unpack("!H", chunks[kind])
    if CHUNK_TIME_SEC in chunks and CHUNK_TIME_USEC in chunks:
        (sec,) = struct.unpack("!I", chunks[CHUNK_TIME_SEC])
        (usec,) = struct.unpack("!I", chunks[CHUNK_TIME_USEC])
        hep["time"] = sec + usec / 1e6
    if CHUNK_PROTO_TYPE in chunks:
        hep["type"] = chunks[CHUNK_PROTO_TYPE][0]
    if CHUNK_CAPTURE_ID in chunks:
        (hep["capture_id"],) = struct.unpack("!I", chunks[CHUNK_CAPTURE_ID])
    if CHUNK_CORRELATION_ID in chunks:
        hep["correlation"] = chunks[CHUNK_CORRELATION_ID].decode("utf-8", "replace")
    hep["payload"] = chunks.get(CHUNK_PAYLOAD, b"").decode("utf-8", "replace")
    return hep


COMPACT = {"v": "via", "i": "call-id", "f": "from", "t": "to"}


def sip_summary(text):
    """First line, top Via and CSeq of a SIP message."""
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    first = head[0] if head else ""
    via = cseq = ""
    for line in head[1:]:
        name, _, value = line.partition(":")
        name = COMPACT.get(name.strip().lower(), name.strip().lower())
        if name == "via" and not via:
            via = value.strip().split(",")[0]
        elif name == "cseq" and not cseq:
            cseq = value.strip()
    match = re.match(r"SIP/2\.0 (\d{3}) ?(.*)", first)
    if match:
        token = match.group(1)
        message = "%s %s (%s)" % (match.group(1), match.group(2), cseq.split(" ")[-1])
    else:
        token = first.split(" ", 1)[0]
        message = token
    branch = ""
    for parameter in via.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "branch":
            branch = value.strip()
    return token, message, branch, cseq, via


def endpoint(address, port):
    return "%s:%s" % (address, port)


def collect(address, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, int(port)))
    print("HEP collector on %s:%s" % (address, port), flush=True)
    while True:
        data, peer = sock.recvfrom(65535)
        hep = decode(data)
        if hep is None:
            print("%s: %d bytes, not HEP v3" % (endpoint(*peer), len(data)), flush=True)
            continue
        token, message, branch, cseq, _ = sip_summary(hep["payload"])
        print("%s: %s -> %s %s %s [%s] %s" % (
            endpoint(*peer), endpoint(hep.get("src"), hep.get("sport")),
            endpoint(hep.get("dst"), hep.get("dport")),
            IP_PROTOCOLS.get(hep.get("proto"), hep.get("proto")),
            message, branch, cseq), flush=True)


def read_capture(path):
    """One dict per HEP packet of the capture, in frame order."""
    cmd = ["tshark", "-r", path, "-Y", "udp", "-T", "fields", "-E", "separator=\t",
           "-e", "frame.number", "-e", "frame.time_relative",
           "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
           "-e", "udp.payload"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         timeout=60).stdout
    rows = []
    for line in out.splitlines():
        frame, time, src, sport, dst, dport, payload = (line.split("\t") + [""] * 7)[:7]
        hep = decode(bytes.fromhex(payload.replace(":", "")))
        if hep is None:
            continue
        hep.update(frame=frame, rel=float(time), outer_src=endpoint(src, sport),
                   outer_dst=endpoint(dst, dport))
        hep["token"], hep["message"], hep["branch"], hep["cseq"], hep["via"] = \
            sip_summary(hep["payload"])
        rows.append(hep)
    return rows


def table(rows):
    lines = ["| frame | time (s) | HEP from | HEP to | transport | message | top Via branch | CSeq |",
             "|---:|---:|---|---|---|---|---|---|"]
    for row in rows:
        lines.append("| %s | %.3f | %s | %s | %s | %s | `%s` | %s |" % (
            row["frame"], row["rel"], endpoint(row.get("src"), row.get("sport")),
            endpoint(row.get("dst"), row.get("dport")),
            IP_PROTOCOLS.get(row.get("proto"), row.get("proto")),
            row["message"], row["branch"] or "(none)", row["cseq"]))
    return "\n".join(lines)


def main(argv):
    if len(argv) == 4 and argv[1] == "collect":
        try:
            collect(argv[2], argv[3])
        except KeyboardInterrupt:
            pass
        return 0
    if len(argv) < 3 or argv[1] not in ("check", "table", "seq"):
        print(__doc__, file=sys.stderr)
        return 2
    rows = read_capture(argv[2])
    if argv[1] == "table":
        print(table(rows))
        return 0
    seq = " ".join(row["token"] for row in rows)
    if argv[1] == "seq":
        print(seq)
        return 0
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    if re.search(argv[3], seq):
        print("%s: %d HEP packets: %s" % (argv[2], len(rows), seq), file=sys.stderr)
        return 0
    print("%s: sequence '%s' does not match '%s'" % (argv[2], seq, argv[3]),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
