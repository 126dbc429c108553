#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A small SIP user agent in plain Python for the transports no packaged
# client here speaks with what the recordings need: SIP over WebSocket
# (RFC 7118; sip-websocket) and SIP over TLS with a TLS key log (sip-tls).
"""SIP client for the recorder (Python standard library only).

  sip-client.py ws  [--host H] [--port P] --user U register-answer [--wait S]
      REGISTER (expects 200), then answer the first request that arrives on
      the connection with 200 OK, then close the WebSocket
  sip-client.py ws  [--host H] [--port P] --user U message TO TEXT
      OPTIONS to the server (expects 200), then MESSAGE to sip:TO@HOST
      (expects 200), then close the WebSocket
  sip-client.py tls [--host H] [--port P] --user U --cafile PEM
                    --keylog FILE register-invite TO
      REGISTER (expects 200), then INVITE to sip:TO@HOST (expects a final
      response of 300 or more) and its ACK, then close the TLS connection

ws:  the HTTP Upgrade handshake with "Sec-WebSocket-Protocol: sip", then one
     SIP message per masked text frame (RFC 6455 section 5.3), with the Via
     and Contact of a browser client: "SIP/2.0/WS <random>.invalid"
     (RFC 7118 section 5.2).
tls: one TLS connection, the server's certificate checked against PEM, the
     session secrets written to FILE in the NSS key log format
     (SSLContext.keylog_filename) so that Wireshark can decrypt it.

Each SIP message sent or received is printed on one line; "registered"
marks the end of a successful registration.
"""

import argparse
import base64
import hashlib
import os
import random
import socket
import ssl
import string
import struct
import sys

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA


def token(length, alphabet=string.ascii_lowercase + string.digits):
    return "".join(random.choice(alphabet) for _ in range(length))


class Stream:
    """Buffered reads on a socket (plain or TLS)."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def read(self, count):
        while len(self.buffer) < count:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buffer += data
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_until(self, marker):
        while marker not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buffer += data
        head, self.buffer = self.buffer.split(marker, 1)
        return head


class WebSocketTransport:
    """SIP over WebSocket: one SIP message per WebSocket message (RFC 7118
    section 5.1)."""

    name = "WS"

    def __init__(self, host, port, path="/"):
        self.stream = Stream(socket.create_connection((host, port), timeout=10))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\n"
                   f"Host: {host}\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\n"
                   f"Origin: http://{host}\r\n"
                   "Sec-WebSocket-Protocol: sip\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n")
        self.stream.sock.sendall(request.encode())
        head = self.stream.read_until(b"\r\n\r\n").decode("latin-1")
        status = head.split("\r\n", 1)[0]
        if " 101 " not in status + " ":
            raise SystemExit(f"handshake refused: {status}")
        headers = {}
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise SystemExit("handshake: wrong Sec-WebSocket-Accept")
        if headers.get("sec-websocket-protocol", "").lower() != "sip":
            raise SystemExit("handshake: the server did not choose the sip sub-protocol")
        print(f"websocket: {status}", flush=True)
        # RFC 7118 section 5.2: the client cannot know its address.
        self.sent_by = token(12) + ".invalid"
        self.contact_host = self.sent_by

    def settimeout(self, seconds):
        self.stream.sock.settimeout(seconds)

    def send_frame(self, opcode, payload):
        """One final frame, masked as a client must (RFC 6455 section 5.3)."""
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.stream.sock.sendall(header + mask + masked)

    def receive_frame(self):
        """(opcode, payload) of the next whole message; answers pings."""
        message, first_opcode = b"", None
        while True:
            b0, b1 = self.stream.read(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self.stream.read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self.stream.read(8))
            mask = self.stream.read(4) if b1 & 0x80 else None
            payload = self.stream.read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == OP_PING:
                self.send_frame(OP_PONG, payload)
                continue
            if opcode == OP_PONG:
                continue
            if opcode != 0:
                first_opcode = opcode
            message += payload
            if b0 & 0x80:
                return first_opcode, message

    def send(self, data):
        self.send_frame(OP_TEXT, data)

    def receive(self):
        opcode, payload = self.receive_frame()
        if opcode == OP_CLOSE:
            raise SystemExit("the server closed the WebSocket")
        return payload

    def close(self):
        """Close handshake (RFC 6455 section 7): our Close, the server's, FIN."""
        self.send_frame(OP_CLOSE, struct.pack("!H", 1000))
        try:
            while True:
                opcode, _ = self.receive_frame()
                if opcode == OP_CLOSE:
                    break
        except (EOFError, socket.timeout):
            pass
        self.stream.sock.close()


class TlsTransport:
    """SIP over TLS: a byte stream, messages delimited by Content-Length
    (RFC 3261 section 18.3)."""

    name = "TLS"

    def __init__(self, host, port, cafile, keylog):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(cafile)
        context.keylog_filename = keylog
        raw = socket.create_connection((host, port), timeout=10)
        sock = context.wrap_socket(raw, server_hostname=host)
        print(f"tls: {sock.version()} {sock.cipher()[0]}", flush=True)
        self.stream = Stream(sock)
        address, local_port = sock.getsockname()[:2]
        self.sent_by = f"{address}:{local_port}"
        self.contact_host = self.sent_by

    def settimeout(self, seconds):
        self.stream.sock.settimeout(seconds)

    def send(self, data):
        self.stream.sock.sendall(data)

    def receive(self):
        head = self.stream.read_until(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() in (b"content-length", b"l"):
                length = int(value.strip())
        return head + b"\r\n\r\n" + self.stream.read(length)

    def close(self):
        sock = self.stream.sock
        try:
            sock.unwrap()  # close_notify both ways
        except (ssl.SSLError, OSError):
            pass
        sock.close()


class SipClient:
    def __init__(self, args, transport):
        self.args = args
        self.transport = transport
        self.new_call()

    def new_call(self):
        self.call_id = token(20)
        self.tag = token(10)
        self.cseq = 0

    def via(self, branch):
        return f"Via: SIP/2.0/{self.transport.name} {self.transport.sent_by};branch={branch}"

    def contact(self):
        return (f"Contact: <sip:{self.args.user}@{self.transport.contact_host}"
                f";transport={self.transport.name.lower()}>")

    def request(self, method, uri, to_uri, extra=(), body="", branch=None, cseq=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        branch = branch or "z9hG4bK" + token(16)
        lines = [f"{method} {uri} SIP/2.0",
                 self.via(branch),
                 "Max-Forwards: 70",
                 f"To: <{to_uri}>",
                 f"From: <sip:{self.args.user}@{self.args.host}>;tag={self.tag}",
                 f"Call-ID: {self.call_id}",
                 f"CSeq: {cseq} {method}"]
        lines += list(extra)
        lines.append(f"Content-Length: {len(body.encode())}")
        self.send("\r\n".join(lines) + "\r\n\r\n" + body)
        return branch

    def send(self, text):
        print("sent: " + text.split("\r\n", 1)[0], flush=True)
        self.transport.send(text.encode())

    def receive(self):
        text = self.transport.receive().decode("utf-8", "replace")
        print("received: " + text.split("\r\n", 1)[0], flush=True)
        return text

    def final_response(self):
        while True:
            text = self.receive()
            status = text.split("\r\n", 1)[0].split(" ")
            if status[0] == "SIP/2.0" and int(status[1]) >= 200:
                return int(status[1]), text

    def expect_200(self, what):
        code, _ = self.final_response()
        if code != 200:
            raise SystemExit(f"{what}: {code}")

    def answer(self, text, code=200, phrase="OK"):
        """A response copying Via, From, To (with a tag), Call-ID and CSeq
        (RFC 3261 section 8.2.6.2)."""
        head = text.split("\r\n\r\n", 1)[0].split("\r\n")
        lines = [f"SIP/2.0 {code} {phrase}"]
        for line in head[1:]:
            name = line.split(":", 1)[0].strip().lower()
            if name in ("via", "v", "from", "f", "call-id", "i", "cseq"):
                lines.append(line)
            elif name in ("to", "t"):
                lines.append(line if ";tag=" in line else line + f";tag={self.tag}")
        lines.append("Content-Length: 0")
        self.send("\r\n".join(lines) + "\r\n\r\n")

    def register(self):
        user, host = self.args.user, self.server()
        self.request("REGISTER", f"sip:{host}", f"sip:{user}@{self.args.host}",
                     [self.contact() + ";expires=600"])
        self.expect_200("REGISTER")
        print("registered", flush=True)

    def server(self):
        """The server as a Request-URI host part."""
        if self.transport.name == "TLS":
            return f"{self.args.host}:{self.args.port};transport=tls"
        return self.args.host


def register_answer(client, args):
    client.register()
    client.transport.settimeout(args.wait)
    request = client.receive()
    client.answer(request)
    client.transport.settimeout(5)
    client.transport.close()


def message(client, args):
    host = args.host
    client.request("OPTIONS", f"sip:{host}", f"sip:{host}", ["Accept: application/sdp"])
    client.expect_200("OPTIONS")
    client.new_call()
    client.request("MESSAGE", f"sip:{args.to}@{host}", f"sip:{args.to}@{host}",
                   ["Content-Type: text/plain"], args.text)
    client.expect_200("MESSAGE")
    client.transport.close()


SDP = ("v=0\r\n"
       "o={user} 2890844526 2890844526 IN IP4 {host}\r\n"
       "s=-\r\n"
       "c=IN IP4 {host}\r\n"
       "t=0 0\r\n"
       "m=audio 49170 RTP/AVP 0\r\n"
       "a=rtpmap:0 PCMU/8000\r\n")


def register_invite(client, args):
    client.register()
    client.new_call()
    uri = f"sip:{args.to}@{client.server()}"
    to_uri = f"sip:{args.to}@{args.host}"
    branch = client.request("INVITE", uri, to_uri,
                            [client.contact(), "Content-Type: application/sdp"],
                            SDP.format(user=args.user, host=args.host))
    code, response = client.final_response()
    if code < 300:
        raise SystemExit(f"INVITE: {code}, expected a failure")
    # The ACK to a non-2xx final response: same branch and CSeq number as
    # the INVITE, the To of the response (RFC 3261 section 17.1.1.3).
    to_line = next(line for line in response.split("\r\n")
                   if line.lower().startswith(("to:", "t:")))
    lines = [f"ACK {uri} SIP/2.0",
             client.via(branch),
             "Max-Forwards: 70",
             to_line,
             f"From: <sip:{args.user}@{args.host}>;tag={client.tag}",
             f"Call-ID: {client.call_id}",
             f"CSeq: {client.cseq} ACK",
             "Content-Length: 0"]
    client.send("\r\n".join(lines) + "\r\n\r\n")
    client.transport.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="transport", required=True)
    for name, port in (("ws", 80), ("tls", 5061)):
        tp = sub.add_parser(name)
        tp.add_argument("--host", default="127.0.0.1")
        tp.add_argument("--port", type=int, default=port)
        tp.add_argument("--user", required=True)
        if name == "tls":
            tp.add_argument("--cafile", required=True)
            tp.add_argument("--keylog", required=True)
        modes = tp.add_subparsers(dest="mode", required=True)
        if name == "ws":
            ra = modes.add_parser("register-answer")
            ra.add_argument("--wait", type=float, default=20)
            msg = modes.add_parser("message")
            msg.add_argument("to")
            msg.add_argument("text")
        else:
            ri = modes.add_parser("register-invite")
            ri.add_argument("to")
    args = parser.parse_args()
    if args.transport == "ws":
        transport = WebSocketTransport(args.host, args.port)
    else:
        transport = TlsTransport(args.host, args.port, args.cafile, args.keylog)
    client = SipClient(args, transport)
    {"register-answer": register_answer, "message": message,
     "register-invite": register_invite}[args.mode](client, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
