#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# generate-capture.py: writes a large, deterministic pcapng of busy SIP traffic for benchmarking siptxn.
#
#   scripts/bench/generate-capture.py --messages 1000000 --seed 1 -o big.pcapng
#
# The capture holds exactly N SIP messages over Ethernet/IPv4, on UDP and on TCP
# (persistent connections with a three-way handshake and consistent sequence and
# acknowledgement numbers), from a few thousand hosts:
#   answered calls   INVITE/100/180/200/ACK (new branch)/BYE/200
#   failed calls     INVITE/100/486 or 403/ACK (the INVITE's branch)
#   cancelled calls  INVITE/100/180/CANCEL/200/487/ACK
#   registrations    REGISTER/401 (digest challenge)/REGISTER/200
#   keep-alives      OPTIONS/200
# Calls last from seconds to minutes and start every few milliseconds, so
# thousands of dialogs are open at once and their messages interleave.  About
# 3% of the messages are retransmissions over UDP: requests re-sent after T1
# (0.5 s) and INVITE final responses re-sent before the ACK arrives.
# The same --messages and --seed always give the same bytes.  Python 3 standard library only.

import argparse
import heapq
import os
import random
import struct
import sys
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapng_writer import interface_description_block, pcapng_block, section_header_block  # noqa: E402

# 2024-01-01T00:00:00Z: capture time t=0.
EPOCH_MICROSECONDS = 1704067200 * 1_000_000
LINKTYPE_ETHERNET = 1
ETHERTYPE_IPV4 = b"\x08\x00"
IP_PROTOCOL_TCP = 6
IP_PROTOCOL_UDP = 17
TCP_FLAG_SYN = 0x02
TCP_FLAG_PSH = 0x08
TCP_FLAG_ACK = 0x10
SIP_PORT = 5060
T1_MICROSECONDS = 500_000

DOMAIN = "example.net"
USER_AGENTS = ("Yealink SIP-T46U 108.86.0.20", "PolycomVVX-VVX_450-UA/6.4.3.5018", "Linphone/5.2.0 (belle-sip/5.2.0)",
               "Grandstream GXP2170 1.0.11.23", "Zoiper v2.10.19.4", "Cisco-CP8865/14.2.1")
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, PRACK"

# Scenario kinds and how often each starts (relative weights).
SCENARIO_WEIGHTS = (
    ("answered", 30),
    ("failed", 12),
    ("cancelled", 8),
    ("register", 22),
    ("options", 28),
)


# ---------------------------------------------------------------- checksums and frames

def ones_complement_sum(data):
    """RFC 1071 sum of 16-bit big-endian words, folded: a number modulo 0xFFFF,
    since 2**16 is 1 modulo 0xFFFF (0xFFFF stands for a non-zero multiple)."""
    if len(data) % 2:
        data += b"\0"
    value = int.from_bytes(data, "big")
    folded = value % 0xFFFF
    return 0xFFFF if folded == 0 and value else folded


def checksum(data):
    return ~ones_complement_sum(data) & 0xFFFF


class FrameWriter:
    """Wraps SIP messages in UDP or TCP, IPv4 and Ethernet and writes them as
    pcapng Enhanced Packet Blocks; keeps every TCP connection's sequence numbers."""

    def __init__(self, stream, randomness):
        self.stream = stream
        self.randomness = randomness
        self.identification = 0
        self.frames = 0
        self.connections = 0
        self.tcp_next_sequence = {}   # (sender endpoint, receiver endpoint) -> next sequence number
        self.mac_of = {}              # IPv4 address bytes -> MAC address bytes
        stream.write(section_header_block(b"siptxn scripts/bench/generate-capture.py"))
        stream.write(interface_description_block(b"bench"))

    def mac(self, address):
        found = self.mac_of.get(address)
        if found is None:
            found = b"\x02\x00" + struct.pack("!I", zlib.crc32(address))
            self.mac_of[address] = found
        return found

    def write_frame(self, time_us, frame):
        timestamp = EPOCH_MICROSECONDS + time_us
        length = len(frame)
        padding = -length % 4
        block_length = 32 + length + padding
        self.stream.write(struct.pack("<IIIIIII", 0x00000006, block_length, 0, timestamp >> 32,
                                      timestamp & 0xFFFFFFFF, length, length))
        self.stream.write(frame)
        self.stream.write(b"\0" * padding + struct.pack("<I", block_length))
        self.frames += 1

    def write_ip(self, time_us, source, destination, protocol, transport, dont_fragment):
        self.identification = (self.identification + 1) & 0xFFFF
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(transport), self.identification,
                             0x4000 if dont_fragment else 0, 64, protocol, 0, source, destination)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        self.write_frame(time_us, self.mac(destination) + self.mac(source) + ETHERTYPE_IPV4 + header + transport)

    def udp(self, time_us, source, destination, payload):
        """source and destination are (IPv4 address bytes, port)."""
        length = 8 + len(payload)
        header = struct.pack("!HHHH", source[1], destination[1], length, 0)
        pseudo = source[0] + destination[0] + struct.pack("!BBH", 0, IP_PROTOCOL_UDP, length)
        value = checksum(pseudo + header + payload) or 0xFFFF
        self.write_ip(time_us, source[0], destination[0], IP_PROTOCOL_UDP,
                      header[:6] + struct.pack("!H", value) + payload, dont_fragment=False)

    def tcp_segment(self, time_us, source, destination, flags, payload):
        sequence = self.tcp_next_sequence[(source, destination)]
        acknowledgement = self.tcp_next_sequence[(destination, source)] if flags & TCP_FLAG_ACK else 0
        header = struct.pack("!HHIIBBHHH", source[1], destination[1], sequence, acknowledgement,
                             5 << 4, flags, 65535, 0, 0)
        pseudo = source[0] + destination[0] + struct.pack("!BBH", 0, IP_PROTOCOL_TCP, len(header) + len(payload))
        value = checksum(pseudo + header + payload)
        self.write_ip(time_us, source[0], destination[0], IP_PROTOCOL_TCP,
                      header[:16] + struct.pack("!H", value) + header[18:] + payload, dont_fragment=True)
        advance = len(payload) + (1 if flags & TCP_FLAG_SYN else 0)
        self.tcp_next_sequence[(source, destination)] = (sequence + advance) & 0xFFFFFFFF

    def tcp(self, time_us, source, destination, payload):
        """Sends one SIP message on the connection, opening it on first use.
        Messages stay below the MSS (1460 bytes), so one segment each."""
        if (source, destination) not in self.tcp_next_sequence:
            # The user agent (the end not on the SIP port) opens the connection.
            client, server = (destination, source) if source[1] == SIP_PORT != destination[1] else (source, destination)
            self.tcp_next_sequence[(client, server)] = self.randomness.getrandbits(32)
            self.tcp_next_sequence[(server, client)] = self.randomness.getrandbits(32)
            self.tcp_segment(time_us, client, server, TCP_FLAG_SYN, b"")
            self.tcp_segment(time_us, server, client, TCP_FLAG_SYN | TCP_FLAG_ACK, b"")
            self.tcp_segment(time_us, client, server, TCP_FLAG_ACK, b"")
            self.connections += 1
        self.tcp_segment(time_us, source, destination, TCP_FLAG_ACK | TCP_FLAG_PSH, payload)


# ---------------------------------------------------------------- SIP text

class Endpoint:
    """A SIP element: its IPv4 address, a display number and its SIP port."""

    __slots__ = ("address", "text", "number", "name")

    def __init__(self, address, number, name):
        self.address = address
        self.text = ".".join(str(byte) for byte in address)
        self.number = number
        self.name = name


def sdp_body(randomness, host):
    session = randomness.randrange(1, 2**31)
    port = randomness.randrange(16384, 32768, 2)
    return ("v=0\r\n"
            f"o=- {session} {session} IN IP4 {host.text}\r\n"
            "s=-\r\n"
            f"c=IN IP4 {host.text}\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 8 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n")


class Dialog:
    """What one scenario's messages share: the two hosts and their ports, the
    two parties (numbers), transport, Call-ID and tags."""

    def __init__(self, randomness, caller, callee, caller_party, callee_party, transport, caller_port, callee_port):
        self.randomness = randomness
        self.caller = caller                # host sending the first request
        self.callee = callee
        self.caller_party = caller_party    # whose number appears in From
        self.callee_party = callee_party
        self.transport = transport          # "UDP" or "TCP"
        self.caller_port = caller_port
        self.callee_port = callee_port
        self.call_id = f"{randomness.getrandbits(96):024x}@{caller.text}"
        self.from_tag = f"{randomness.getrandbits(40):010x}"
        self.to_tag = f"{randomness.getrandbits(40):010x}"
        self.user_agent = randomness.choice(USER_AGENTS)

    def branch(self):
        return f"z9hG4bK{self.randomness.getrandbits(64):016x}"

    def request(self, method, cseq, branch, from_caller=True, to_tag=True, uri=None, extra="", body=""):
        """A request from the caller (or, in-dialog, from the callee)."""
        sender, receiver = (self.caller, self.callee) if from_caller else (self.callee, self.caller)
        sender_port = self.caller_port if from_caller else self.callee_port
        local_tag, remote_tag = (self.from_tag, self.to_tag) if from_caller else (self.to_tag, self.from_tag)
        from_party, to_party = ((self.caller_party, self.callee_party) if from_caller
                                else (self.callee_party, self.caller_party))
        receiver_port = self.callee_port if from_caller else self.caller_port
        target = uri or f"sip:{to_party.number}@{receiver.text}:{receiver_port}"
        to_suffix = f";tag={remote_tag}" if to_tag else ""
        head = (f"{method} {target} SIP/2.0\r\n"
                f"Via: SIP/2.0/{self.transport} {sender.text}:{sender_port};branch={branch};rport\r\n"
                "Max-Forwards: 70\r\n"
                f"From: \"{from_party.name}\" <sip:{from_party.number}@{DOMAIN}>;tag={local_tag}\r\n"
                f"To: <sip:{to_party.number}@{DOMAIN}>{to_suffix}\r\n"
                f"Call-ID: {self.call_id}\r\n"
                f"CSeq: {cseq} {method}\r\n")
        if method != "ACK" and method != "CANCEL":
            head += (f"Contact: <sip:{from_party.number}@{sender.text}:{sender_port}"
                     f";transport={self.transport.lower()}>\r\n"
                     f"User-Agent: {self.user_agent}\r\n")
        return (head + extra + self.content(body)).encode("ascii")

    def response(self, request_text, status, phrase, to_tag=True, extra="", body=""):
        """A response copying Via, From, To, Call-ID and CSeq from the request text."""
        lines = request_text.split(b"\r\n")
        copied = []
        for line in lines[1:]:
            if not line:
                break
            name = line[:line.index(b":")].lower()
            if name in (b"via", b"from", b"call-id", b"cseq"):
                copied.append(line.decode("ascii"))
            elif name == b"to":
                text = line.decode("ascii")
                if to_tag and ";tag=" not in text:
                    text += f";tag={self.to_tag}"
                copied.append(text)
        head = f"SIP/2.0 {status} {phrase}\r\n" + "\r\n".join(copied) + "\r\n"
        return (head + extra + self.content(body)).encode("ascii")

    @staticmethod
    def content(body):
        if body:
            return f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n{body}"
        return "Content-Length: 0\r\n\r\n"


# ---------------------------------------------------------------- scenarios

class Timeline:
    """One scenario's messages with their times; injects UDP retransmissions."""

    def __init__(self, randomness, start_us, transport, retransmission_probability):
        self.randomness = randomness
        self.now = start_us
        self.udp = transport == "UDP"
        self.probability = retransmission_probability
        self.events = []     # (time_us, from caller?, message bytes)
        self.retransmissions = 0

    def wait(self, low_ms, high_ms):
        self.now += self.randomness.randrange(low_ms * 1000, high_ms * 1000 + 1)

    def send(self, from_caller, message, may_repeat=False):
        """Sends message now; a UDP request or INVITE final response may be
        re-sent T1 later (the next message then comes after the copy)."""
        self.events.append((self.now, from_caller, message))
        if may_repeat and self.udp and self.randomness.random() < self.probability:
            self.now += T1_MICROSECONDS
            self.events.append((self.now, from_caller, message))
            self.retransmissions += 1
        self.now += self.randomness.randrange(200, 2000)


def open_call(dialog, timeline, randomness, allow):
    """The caller's INVITE (re-sent on loss) and the callee's 100 Trying: how
    every call scenario starts.  Returns the INVITE's branch and the INVITE."""
    branch = dialog.branch()
    invite = dialog.request("INVITE", 1, branch, to_tag=False, extra=allow,
                            body=sdp_body(randomness, dialog.caller))
    timeline.send(True, invite, may_repeat=True)
    timeline.wait(5, 40)
    timeline.send(False, dialog.response(invite, 100, "Trying", to_tag=False))
    return branch, invite


def answered_call(dialog, timeline, randomness):
    branch, invite = open_call(dialog, timeline, randomness, f"Allow: {ALLOW}\r\nSupported: replaces, timer\r\n")
    timeline.wait(100, 1500)
    timeline.send(False, dialog.response(invite, 180, "Ringing"))
    timeline.wait(1000, 9000)
    contact = f"Contact: <sip:{dialog.callee_party.number}@{dialog.callee.text}:{dialog.callee_port}>\r\n"
    timeline.send(False, dialog.response(invite, 200, "OK", extra=contact + f"Allow: {ALLOW}\r\n",
                                         body=sdp_body(randomness, dialog.callee)), may_repeat=True)
    timeline.wait(10, 60)
    timeline.send(True, dialog.request("ACK", 1, dialog.branch()))
    timeline.wait(5000, 180000)
    from_caller = randomness.random() < 0.6
    bye = dialog.request("BYE", 2 if from_caller else 1, dialog.branch(), from_caller=from_caller,
                         extra="Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\n")
    timeline.send(from_caller, bye, may_repeat=True)
    timeline.wait(5, 40)
    timeline.send(not from_caller, dialog.response(bye, 200, "OK"))


def failed_call(dialog, timeline, randomness):
    branch, invite = open_call(dialog, timeline, randomness, f"Allow: {ALLOW}\r\n")
    timeline.wait(50, 3000)
    if randomness.random() < 0.6:
        final = dialog.response(invite, 486, "Busy Here")
    else:
        final = dialog.response(invite, 403, "Forbidden",
                                extra="Reason: SIP;cause=403;text=\"Caller not authorised\"\r\n")
    timeline.send(False, final, may_repeat=True)
    timeline.wait(5, 40)
    # RFC 3261 §17.1.1.3: the ACK to a non-2xx final takes the INVITE's branch and the response's To.
    ack = dialog.request("ACK", 1, branch)
    timeline.send(True, ack)


def cancelled_call(dialog, timeline, randomness):
    branch, invite = open_call(dialog, timeline, randomness, f"Allow: {ALLOW}\r\n")
    timeline.wait(100, 1000)
    timeline.send(False, dialog.response(invite, 180, "Ringing"))
    timeline.wait(2000, 20000)
    cancel = dialog.request("CANCEL", 1, branch, to_tag=False)
    timeline.send(True, cancel, may_repeat=True)
    timeline.wait(5, 40)
    timeline.send(False, dialog.response(cancel, 200, "OK"))
    timeline.wait(1, 20)
    timeline.send(False, dialog.response(invite, 487, "Request Terminated"), may_repeat=True)
    timeline.wait(5, 40)
    timeline.send(True, dialog.request("ACK", 1, branch))


def registration(dialog, timeline, randomness):
    registrar_uri = f"sip:{DOMAIN}"
    first_cseq = randomness.randrange(1, 5000)
    common = f"Expires: 3600\r\nAllow: {ALLOW}\r\n"
    register = dialog.request("REGISTER", first_cseq, dialog.branch(), to_tag=False, uri=registrar_uri,
                              extra=common)
    timeline.send(True, register, may_repeat=True)
    timeline.wait(2, 30)
    nonce = f"{randomness.getrandbits(128):032x}"
    challenge = (f"WWW-Authenticate: Digest realm=\"{DOMAIN}\", nonce=\"{nonce}\", "
                 "algorithm=MD5, qop=\"auth\"\r\n")
    timeline.send(False, dialog.response(register, 401, "Unauthorized", extra=challenge))
    timeline.wait(5, 80)
    credentials = (f"Authorization: Digest username=\"{dialog.caller_party.number}\", realm=\"{DOMAIN}\", "
                   f"nonce=\"{nonce}\", uri=\"{registrar_uri}\", response=\"{randomness.getrandbits(128):032x}\", "
                   f"algorithm=MD5, cnonce=\"{randomness.getrandbits(64):016x}\", qop=auth, nc=00000001\r\n")
    register = dialog.request("REGISTER", first_cseq + 1, dialog.branch(), to_tag=False, uri=registrar_uri,
                              extra=common + credentials)
    timeline.send(True, register, may_repeat=True)
    timeline.wait(2, 30)
    contact = (f"Contact: <sip:{dialog.caller_party.number}@{dialog.caller.text}:{dialog.caller_port}>"
               ";expires=3600\r\n")
    timeline.send(False, dialog.response(register, 200, "OK", extra=contact))


def keep_alive(dialog, timeline, randomness):
    options = dialog.request("OPTIONS", randomness.randrange(1, 100000), dialog.branch(), to_tag=False,
                             extra="Accept: application/sdp\r\n")
    timeline.send(True, options, may_repeat=True)
    timeline.wait(1, 50)
    timeline.send(False, dialog.response(options, 200, "OK",
                                         extra=f"Allow: {ALLOW}\r\nAccept: application/sdp\r\n"))


SCENARIOS = {
    "answered": answered_call,
    "failed": failed_call,
    "cancelled": cancelled_call,
    "register": registration,
    "options": keep_alive,
}


# ---------------------------------------------------------------- the capture

class Population:
    """User agents on 10.x.y.z, each with its home proxy on 172.16.0.z and its
    transport (TCP agents keep one connection to their proxy)."""

    PROXIES = 4

    def __init__(self, randomness, hosts, tcp_share):
        self.agents = []
        for index in range(hosts):
            value = 0x0A000000 + 256 + index * 7 + randomness.randrange(7)   # skips 10.0.0.x, spreads the addresses
            self.agents.append(Endpoint(struct.pack("!I", value), f"+1555{index:07d}", f"User {index}"))
        self.proxies = [Endpoint(bytes((172, 16, 0, index + 1)), f"proxy{index + 1}", f"Proxy {index + 1}")
                        for index in range(self.PROXIES)]
        self.home = [randomness.randrange(self.PROXIES) for _ in range(hosts)]
        self.transport = ["TCP" if randomness.random() < tcp_share else "UDP" for _ in range(hosts)]
        self.port = [randomness.randrange(32768, 61000) if transport == "TCP" else SIP_PORT
                     for transport in self.transport]


class Generator:
    def __init__(self, messages, seed, hosts, rate, retransmission_probability):
        self.randomness = random.Random(seed)
        self.target = messages
        self.population = Population(self.randomness, hosts, tcp_share=0.3)
        self.mean_gap_us = 1_000_000 / rate
        self.probability = retransmission_probability
        self.kinds = [kind for kind, _ in SCENARIO_WEIGHTS]
        self.weights = [weight for _, weight in SCENARIO_WEIGHTS]
        self.statistics = {kind: 0 for kind in self.kinds}
        self.retransmissions = 0
        self.tcp_messages = 0
        self.tcp_connections = 0
        self.most_concurrent = 0

    def dialog_for(self, kind):
        """Every message runs between a user agent and its home proxy: calls go
        out (agent -> proxy) or come in (proxy -> agent), registrations go out,
        keep-alives go either way."""
        randomness = self.randomness
        population = self.population
        index = randomness.randrange(len(population.agents))
        agent = population.agents[index]
        proxy = population.proxies[population.home[index]]
        agent_port = population.port[index]
        transport = population.transport[index]
        if kind == "register":
            outgoing = True
            parties = (agent, proxy)
        elif kind == "options":
            outgoing = randomness.random() < 0.5
            parties = (agent, proxy) if outgoing else (proxy, agent)
        else:
            outgoing = randomness.random() < 0.5
            remote = population.agents[randomness.randrange(len(population.agents))]
            parties = (agent, remote) if outgoing else (remote, agent)
        if outgoing:
            return Dialog(randomness, agent, proxy, parties[0], parties[1], transport, agent_port, SIP_PORT)
        return Dialog(randomness, proxy, agent, parties[0], parties[1], transport, SIP_PORT, agent_port)

    def scenario(self, start_us, sequence):
        """Builds one scenario; returns its heap entries."""
        kind = self.randomness.choices(self.kinds, self.weights)[0]
        dialog = self.dialog_for(kind)
        timeline = Timeline(self.randomness, start_us, dialog.transport, self.probability)
        SCENARIOS[kind](dialog, timeline, self.randomness)
        self.statistics[kind] += 1
        self.retransmissions += timeline.retransmissions
        caller = (dialog.caller.address, dialog.caller_port)
        callee = (dialog.callee.address, dialog.callee_port)
        entries = []
        for order, (time_us, from_caller, message) in enumerate(timeline.events):
            source, destination = (caller, callee) if from_caller else (callee, caller)
            entries.append((time_us, sequence, order, dialog.transport, source, destination, message))
        return entries

    def write(self, stream):
        writer = FrameWriter(stream, random.Random(self.randomness.getrandbits(64)))
        pending = []           # heap of (time, scenario number, order, transport, source, destination, message)
        scheduled = 0
        written = 0
        start_us = 0
        sequence = 0

        def emit(entry):
            nonlocal written
            time_us, _, _, transport, source, destination, message = entry
            if transport == "UDP":
                writer.udp(time_us, source, destination, message)
            else:
                writer.tcp(time_us, source, destination, message)
                self.tcp_messages += 1
            written += 1

        while scheduled < self.target:
            start_us += int(self.randomness.expovariate(1.0) * self.mean_gap_us) + 1
            while pending and pending[0][0] < start_us:
                emit(heapq.heappop(pending))
            entries = self.scenario(start_us, sequence)
            sequence += 1
            # The last scenario is cut short so the capture holds exactly N messages.
            entries = entries[:self.target - scheduled]
            scheduled += len(entries)
            for entry in entries:
                heapq.heappush(pending, entry)
            if sequence % 256 == 0:
                self.most_concurrent = max(self.most_concurrent, len({entry[1] for entry in pending}))
        while pending:
            emit(heapq.heappop(pending))
        self.tcp_connections = writer.connections
        return written, writer.frames


def main():
    parser = argparse.ArgumentParser(description="Write a deterministic pcapng of busy SIP traffic (UDP and TCP).")
    parser.add_argument("--messages", type=int, default=100000, help="number of SIP messages (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--hosts", type=int, default=6000, help="number of user agent hosts (default 6000)")
    parser.add_argument("--rate", type=float, default=120.0,
                        help="scenarios (calls, registrations, keep-alives) started per second (default 120)")
    parser.add_argument("--retransmission-probability", type=float, default=0.095,
                        help="chance that a UDP request or INVITE final response is re-sent (default 0.095,"
                             " about 3%% of all messages)")
    parser.add_argument("-o", "--output", required=True, help="pcapng file to write")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    arguments = parser.parse_args()
    if arguments.messages < 1 or arguments.hosts < 2 or arguments.rate <= 0:
        parser.error("--messages must be at least 1, --hosts at least 2, --rate positive")

    began = time.monotonic()
    generator = Generator(arguments.messages, arguments.seed, arguments.hosts, arguments.rate,
                          arguments.retransmission_probability)
    temporary = arguments.output + ".part"
    with open(temporary, "wb", buffering=1 << 20) as stream:
        messages, frames = generator.write(stream)
    os.replace(temporary, arguments.output)
    if not arguments.quiet:
        scenarios = ", ".join(f"{count} {kind}" for kind, count in generator.statistics.items())
        print(f"generate-capture: {messages} SIP messages in {frames} frames -> {arguments.output} "
              f"({time.monotonic() - began:.1f} s)\n"
              f"  scenarios: {scenarios}\n"
              f"  retransmissions: {generator.retransmissions} ({100.0 * generator.retransmissions / messages:.1f}%),"
              f" over TCP: {generator.tcp_messages} messages, TCP connections: {generator.tcp_connections},"
              f" most scenarios in flight: {generator.most_concurrent}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
