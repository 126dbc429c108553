#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Independent reference model of RFC 3261 §17 transaction matching, built on stock tshark SIP fields.
"""Reference model of SIP transactions (RFC 3261 §17), independent of the plugin.

The model reads a capture with stock tshark (no siptxn plugin), takes every
SIP message in frame order (several per frame over TCP), and applies a
deliberately small set of RFC 3261 rules to tell which messages form one
transaction.  Its output is the expected per-message table the end-to-end
tests compare the plugin against:

    frame, message_index, txn, role, ack_class, retransmission,
    request_frame, final_frame, ack_invite_frame, ack_response_frame

Usage:
    siptxn_reference.py CAPTURE [--output FILE.tsv] [--listing]

--listing prints a readable per-message listing (identity and derived key)
instead of the table, to check the table by hand against the packets.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from typing import Iterable, Optional

# RFC 3261 §8.1.1.7: a branch created by an RFC 3261 element begins with this.
MAGIC_COOKIE = "z9hG4bK"

# Values of the role column (same numbering as the plugin's siptxn.role).
ROLE_REQUEST = 1
ROLE_REQUEST_RETRANSMISSION = 2
ROLE_PROVISIONAL = 3
ROLE_PROVISIONAL_RETRANSMISSION = 4
ROLE_FINAL = 5
ROLE_FINAL_RETRANSMISSION = 6
ROLE_ACK = 7
ROLE_ACK_RETRANSMISSION = 8
ROLE_CANCEL = 9
ROLE_CANCEL_RETRANSMISSION = 10

# Values of the ack_class column (same numbering as siptxn.ack.class).
ACK_UNKNOWN = 0
ACK_NON_2XX = 1
ACK_2XX = 2

KIND_INVITE = "INVITE"
KIND_NON_INVITE = "non-INVITE"
KIND_ACK = "ACK"

COLUMNS = (
    "frame", "message_index", "txn", "role", "ack_class", "retransmission",
    "request_frame", "final_frame", "ack_invite_frame", "ack_response_frame",
)


@dataclasses.dataclass(frozen=True)
class Via:
    """One via-parm (RFC 3261 §20.42): transport, sent-by and branch."""

    transport: str
    host: str
    port: int
    branch: Optional[str]

    @property
    def sent_by(self) -> str:
        return f"{self.host}:{self.port}"


@dataclasses.dataclass(frozen=True)
class SipMessage:
    """The fields of one SIP message that transaction matching looks at."""

    frame: int
    index: int  # 1 for the first SIP message of the frame, 2 for the next...
    time: float
    transport: str
    method: Optional[str]  # requests only
    status: Optional[int]  # responses only
    cseq_number: Optional[int]
    cseq_method: Optional[str]
    call_id: Optional[str]
    top_via: Optional[Via]
    second_via: Optional[Via]
    from_tag: Optional[str]
    to_tag: Optional[str]
    request_uri: Optional[str]

    @property
    def is_request(self) -> bool:
        return self.method is not None


@dataclasses.dataclass
class Transaction:
    number: int
    kind: str
    rfc2543: bool
    request: Optional[SipMessage] = None
    first_final: Optional[SipMessage] = None
    finals: list = dataclasses.field(default_factory=list)
    responses_seen: set = dataclasses.field(default_factory=set)
    ack_seen: bool = False


@dataclasses.dataclass
class Row:
    """One line of the expected table."""

    frame: int
    message_index: int
    txn: int
    role: int
    ack_class: Optional[int] = None
    retransmission: bool = False
    request_frame: Optional[int] = None
    final_frame: Optional[int] = None
    ack_invite_frame: Optional[int] = None
    ack_response_frame: Optional[int] = None

    def cells(self) -> list:
        values = dataclasses.astuple(self)
        return ["" if value is None else str(int(value)) for value in values]


# ---------------------------------------------------------------------------
# Header value parsing (only what the rules below need).
# ---------------------------------------------------------------------------

def split_outside_quotes(text: str, separator: str) -> list:
    """Split on separator, ignoring separators inside a quoted string."""
    parts, current, quoted, escaped = [], [], False, False
    for character in text:
        if escaped:
            escaped = False
        elif character == "\\" and quoted:
            escaped = True
        elif character == '"':
            quoted = not quoted
        elif character == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    return parts


def default_port(transport: str) -> int:
    # RFC 3261 §18.2.1 and §19.1.2: a sent-by without a port means 5060, or
    # 5061 when the transport is TLS.
    return 5061 if transport.upper() == "TLS" else 5060


def parse_sent_by(text: str, transport: str) -> tuple:
    """Split sent-by (RFC 3261 §20.42: host [":" port]) into (host, port)."""
    text = text.strip()
    if text.startswith("["):  # IPv6 reference
        closing = text.find("]")
        host, rest = text[:closing + 1], text[closing + 1:]
        port_text = rest[1:] if rest.startswith(":") else ""
    elif ":" in text:
        host, port_text = text.rsplit(":", 1)
    else:
        host, port_text = text, ""
    port = int(port_text) if port_text.strip().isdigit() else default_port(transport)
    # RFC 3261 §19.1.4: host names compare case-insensitively.
    return host.strip().lower(), port


def parse_via_parm(text: str) -> Optional[Via]:
    """Parse one via-parm: 'SIP/2.0/UDP host:port;branch=...;...'."""
    fields = split_outside_quotes(text.strip(), ";")
    protocol_and_host = fields[0].split(None, 1)
    if len(protocol_and_host) != 2:
        return None
    protocol = [part.strip() for part in protocol_and_host[0].split("/")]
    transport = protocol[2] if len(protocol) == 3 else ""
    host, port = parse_sent_by(protocol_and_host[1], transport)
    branch = None
    for parameter in fields[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "branch":
            branch = value.strip()
    return Via(transport.upper(), host, port, branch)


def via_parms(header_values: Iterable[str]) -> list:
    """All via-parms of the Via header fields, top first (RFC 3261 §7.3.1)."""
    result = []
    for value in header_values:
        for part in split_outside_quotes(value, ","):
            if part.strip():
                via = parse_via_parm(part)
                if via is not None:
                    result.append(via)
    return result


# ---------------------------------------------------------------------------
# Reading a capture with stock tshark.
# ---------------------------------------------------------------------------

def json_pairs(pairs: list) -> list:
    """Keep tshark's JSON objects as ordered (key, value) lists: its objects
    repeat keys (one "sip" per message, one "sip.Via" per header line)."""
    return pairs


def first_value(pairs, key: str):
    """Depth-first search for the first value of key in a pairs tree."""
    if not isinstance(pairs, list):
        return None
    for name, value in pairs:
        if name == key:
            return value
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            found = first_value(value, key)
            if found is not None:
                return found
    return None


def direct_values(pairs, key: str) -> list:
    return [value for name, value in pairs if name == key] if isinstance(pairs, list) else []


def frame_transport(protocols: str) -> str:
    layers = protocols.split(":")
    for name in ("tls", "sctp", "tcp", "udp"):
        if name in layers:
            return name.upper()
    return ""


def to_int(text) -> Optional[int]:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def sip_message_from_json(frame: int, index: int, time: float, transport: str, sip) -> SipMessage:
    request_line = first_value(sip, "sip.Request-Line_tree")
    status_line = first_value(sip, "sip.Status-Line_tree")
    headers = first_value(sip, "sip.msg_hdr_tree") or []
    vias = via_parms(direct_values(headers, "sip.Via"))
    cseq = first_value(headers, "sip.CSeq_tree")
    return SipMessage(
        frame=frame,
        index=index,
        time=time,
        transport=transport,
        method=first_value(request_line, "sip.Method") if request_line else None,
        status=to_int(first_value(status_line, "sip.Status-Code")) if status_line else None,
        cseq_number=to_int(first_value(cseq, "sip.CSeq.seq")),
        cseq_method=first_value(cseq, "sip.CSeq.method"),
        call_id=first_value(headers, "sip.Call-ID"),
        top_via=vias[0] if vias else None,
        second_via=vias[1] if len(vias) > 1 else None,
        from_tag=first_value(first_value(headers, "sip.From_tree"), "sip.from.tag"),
        to_tag=first_value(first_value(headers, "sip.To_tree"), "sip.to.tag"),
        request_uri=first_value(request_line, "sip.r-uri") if request_line else None,
    )


def run_tshark_json(capture: str) -> list:
    # A fresh, empty configuration folder: default preferences, no plugins
    # from anybody's home, whoever runs this.
    with tempfile.TemporaryDirectory(prefix="siptxn-reference-") as home:
        environment = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
        command = ["tshark", "-n", "-r", capture, "-Y", "sip", "-T", "json", "-J", "frame sip"]
        completed = subprocess.run(command, capture_output=True, text=True, env=environment)
    if completed.returncode != 0:
        raise RuntimeError(f"tshark failed on {capture}: {completed.stderr.strip()}")
    return json.loads(completed.stdout or "[]", object_pairs_hook=json_pairs)


def read_sip_messages(capture: str) -> list:
    """Every SIP message of the capture, in frame order then message order."""
    messages = []
    for packet in run_tshark_json(capture):
        layers = first_value(first_value(packet, "_source"), "layers")
        frame_layer = first_value(layers, "frame")
        frame = int(first_value(frame_layer, "frame.number"))
        time = float(first_value(frame_layer, "frame.time_relative"))
        transport = frame_transport(first_value(frame_layer, "frame.protocols") or "")
        for index, sip in enumerate(direct_values(layers, "sip"), start=1):
            messages.append(sip_message_from_json(frame, index, time, transport, sip))
    return messages


# ---------------------------------------------------------------------------
# Transaction rules.
# ---------------------------------------------------------------------------

def has_magic_cookie(via: Optional[Via]) -> bool:
    # RFC 3261 §17.2.3: the RFC 3261 matching rules apply when the top Via
    # branch begins with the magic cookie "z9hG4bK".  Tokens compare
    # case-insensitively (§7.3.1).
    return bool(via and via.branch and via.branch.lower().startswith(MAGIC_COOKIE.lower()))


def matching_method(message: SipMessage) -> Optional[str]:
    # RFC 3261 §17.2.3: an ACK matches the INVITE that created the server
    # transaction.  RFC 3261 §17.1.3: a response matches the client
    # transaction whose method equals the CSeq method of the response.
    if message.is_request:
        return "INVITE" if message.method == "ACK" else message.method
    return message.cseq_method


def transaction_key(message: SipMessage, method: Optional[str]) -> tuple:
    via = message.top_via
    if has_magic_cookie(via):
        # RFC 3261 §17.2.3 (server side) and §17.1.3 (client side): the top
        # Via branch, the top Via sent-by and the method identify the
        # transaction.  Branch values compare case-insensitively (§7.3.1).
        return ("rfc3261", via.branch.lower(), via.sent_by, method)
    # RFC 3261 §17.2.3, backwards compatibility with RFC 2543: without the
    # cookie, the transaction is identified by Call-ID, CSeq number, From tag
    # and top Via (here its sent-by), with the method.  The Request-URI and
    # To tag parts of the RFC 2543 rule are left out on purpose (the To tag is
    # used only to match an ACK to its response, below).
    sent_by = via.sent_by if via else None
    return ("rfc2543", message.call_id, message.cseq_number, message.from_tag, sent_by, method)


def response_class(status: int) -> int:
    return status // 100


def final_for_ack(transaction: Transaction, ack: SipMessage) -> Optional[SipMessage]:
    # RFC 3261 §17.1.1.3: the ACK's To header field equals the To of the
    # response being acknowledged.
    for final in transaction.finals:
        if final.to_tag == ack.to_tag:
            return final
    return transaction.first_final


class ReferenceModel:
    """Walks the messages in order and assigns each to a transaction."""

    def __init__(self) -> None:
        self.transactions: dict = {}
        self.ordered: list = []
        # (Call-ID, CSeq number, From tag, To tag) -> [(final response to an
        # INVITE, its INVITE transaction)], first seen first
        self.invite_finals: dict = {}
        self.placements: list = []  # (message, transaction, role, ack_class, invite txn, response)

    def transaction_for(self, key: tuple, kind: str, rfc2543: bool) -> Transaction:
        transaction = self.transactions.get(key)
        if transaction is None:
            transaction = Transaction(number=len(self.ordered) + 1, kind=kind, rfc2543=rfc2543)
            self.transactions[key] = transaction
            self.ordered.append(transaction)
        return transaction

    def place(self, message: SipMessage, transaction: Transaction, role: int,
              ack_class: Optional[int] = None, invite: Optional[Transaction] = None,
              acknowledged: Optional[SipMessage] = None) -> None:
        self.placements.append((message, transaction, role, ack_class, invite, acknowledged))

    def add(self, message: SipMessage) -> None:
        if message.is_request and message.method == "ACK":
            self.add_ack(message)
        elif message.is_request:
            self.add_request(message)
        elif message.status is not None:
            self.add_response(message)

    def add_request(self, message: SipMessage) -> None:
        key = transaction_key(message, matching_method(message))
        kind = KIND_INVITE if message.method == "INVITE" else KIND_NON_INVITE
        transaction = self.transaction_for(key, kind, key[0] == "rfc2543")
        # RFC 3261 §17.2.3: a request matching an existing server transaction
        # is a retransmission of the request that created it.
        retransmission = transaction.request is not None
        if transaction.request is None:
            transaction.request = message
        # RFC 3261 §9.1: CANCEL is a request of its own transaction.
        if message.method == "CANCEL":
            role = ROLE_CANCEL_RETRANSMISSION if retransmission else ROLE_CANCEL
        else:
            role = ROLE_REQUEST_RETRANSMISSION if retransmission else ROLE_REQUEST
        self.place(message, transaction, role)

    def same_branch_transaction(self, message: SipMessage) -> Optional[Transaction]:
        # RFC 3261 §17.1.3 matches a response on the top Via branch, sent-by
        # AND CSeq method, and §8.2.6.2 says a response copies the request's
        # CSeq.  A response whose branch and sent-by name a transaction but
        # whose CSeq method is another is that transaction's response with a
        # broken CSeq, not the response to a request missing from the
        # capture: nothing else carries that branch.  With several such
        # transactions (an INVITE and its CANCEL), the last one opened.
        via = message.top_via
        if not has_magic_cookie(via):
            return None
        found = None
        for key, transaction in self.transactions.items():
            if (key[0] == "rfc3261" and key[1] == via.branch.lower() and key[2] == via.sent_by
                    and transaction.kind != KIND_ACK and (found is None or transaction.number > found.number)):
                found = transaction
        return found

    def add_response(self, message: SipMessage) -> None:
        key = transaction_key(message, matching_method(message))
        kind = KIND_INVITE if message.cseq_method == "INVITE" else KIND_NON_INVITE
        transaction = self.transactions.get(key) or self.same_branch_transaction(message)
        if transaction is None:
            transaction = self.transaction_for(key, kind, key[0] == "rfc2543")
        # A response is a retransmission when the transaction already carried
        # the same status code with the same To tag (RFC 3261 §17.1.1.2 and
        # §17.2.1: the server transaction resends its last response; RFC 3261
        # §13.3.1.4: the UAS core resends its 2xx).
        identity = (message.status, message.to_tag)
        retransmission = identity in transaction.responses_seen
        transaction.responses_seen.add(identity)
        if response_class(message.status) == 1:
            role = ROLE_PROVISIONAL_RETRANSMISSION if retransmission else ROLE_PROVISIONAL
        else:
            role = ROLE_FINAL_RETRANSMISSION if retransmission else ROLE_FINAL
            if not retransmission:
                transaction.finals.append(message)
                if transaction.first_final is None:
                    transaction.first_final = message
                if message.cseq_method == "INVITE":
                    dialog = (message.call_id, message.cseq_number, message.from_tag, message.to_tag)
                    self.invite_finals.setdefault(dialog, []).append((message, transaction))
        self.place(message, transaction, role)

    def add_ack(self, message: SipMessage) -> None:
        key = transaction_key(message, matching_method(message))
        invite = self.transactions.get(key)
        if invite is not None and invite.kind == KIND_INVITE:
            final = final_for_ack(invite, message)
            # RFC 2543 ACK matching (RFC 3261 §17.2.3): the ACK's To tag
            # equals the To tag of the response sent by the transaction.
            tags_agree = final is None or not invite.rfc2543 or final.to_tag == message.to_tag
            if tags_agree and (final is None or response_class(final.status) != 2):
                # RFC 3261 §17.1.1.3: the ACK to a non-2xx final response is
                # part of the INVITE transaction (same branch).  Without any
                # final response seen, the ACK still matches the transaction
                # but what it acknowledges is unknown.
                ack_class = ACK_NON_2XX if final is not None else ACK_UNKNOWN
                role = ROLE_ACK_RETRANSMISSION if invite.ack_seen else ROLE_ACK
                invite.ack_seen = True
                self.place(message, invite, role, ack_class, invite, final)
                return
        self.add_ack_outside_invite(message)

    def add_ack_outside_invite(self, message: SipMessage) -> None:
        # RFC 3261 §17.1.1.3 and §13.2.2.4: the ACK to a 2xx is a transaction
        # of its own (new branch, same CSeq number).  It acknowledges the final
        # response of the same Call-ID, CSeq number, From tag and To tag.
        dialog = (message.call_id, message.cseq_number, message.from_tag, message.to_tag)
        candidates = self.invite_finals.get(dialog, [])
        # Several INVITE transactions can carry the same 2xx (one per hop of a
        # proxy chain): the ACK sent by the element that sent the INVITE
        # (same top Via sent-by) acknowledges that hop's 2xx.
        same_hop = [candidate for candidate in candidates
                    if candidate[1].request is not None and message.top_via is not None
                    and candidate[1].request.top_via is not None
                    and candidate[1].request.top_via.sent_by == message.top_via.sent_by]
        chosen = (same_hop or candidates or [(None, None)])[0]
        if chosen[0] is not None and response_class(chosen[0].status) != 2:
            # RFC 3261 §6 and §17.1.1.3 define the ACK to a non-2xx as part
            # of the INVITE transaction.  An ACK that fails the §17.2.3 match
            # (another branch, against §17.1.1.3) but names a non-2xx by
            # Call-ID, CSeq number, From tag and To tag acknowledges that
            # response all the same: it joins its INVITE transaction, and
            # the wrong branch is the ACK's fault, not a new transaction.
            invite = chosen[1]
            role = ROLE_ACK_RETRANSMISSION if invite.ack_seen else ROLE_ACK
            invite.ack_seen = True
            self.place(message, invite, role, ACK_NON_2XX, invite, chosen[0])
            return
        key = transaction_key(message, "ACK")
        transaction = self.transaction_for(key, KIND_ACK, key[0] == "rfc2543")
        retransmission = transaction.request is not None
        if transaction.request is None:
            transaction.request = message
        ack_class = ACK_UNKNOWN if chosen[0] is None else ACK_2XX
        role = ROLE_ACK_RETRANSMISSION if retransmission else ROLE_ACK
        self.place(message, transaction, role, ack_class, chosen[1], chosen[0])

    def rows(self) -> list:
        """The table, with links filled from the whole capture."""
        result = []
        for message, transaction, role, ack_class, invite, acknowledged in self.placements:
            row = Row(frame=message.frame, message_index=message.index, txn=transaction.number, role=role)
            row.retransmission = role in (ROLE_REQUEST_RETRANSMISSION, ROLE_PROVISIONAL_RETRANSMISSION,
                                          ROLE_FINAL_RETRANSMISSION, ROLE_ACK_RETRANSMISSION,
                                          ROLE_CANCEL_RETRANSMISSION)
            row.request_frame = transaction.request.frame if transaction.request else None
            row.final_frame = transaction.first_final.frame if transaction.first_final else None
            if message.method == "ACK":
                row.ack_class = ack_class
                if invite is not None and invite.request is not None:
                    row.ack_invite_frame = invite.request.frame
                row.ack_response_frame = acknowledged.frame if acknowledged is not None else None
            result.append(row)
        return result


def reference_rows(messages: Iterable[SipMessage]) -> list:
    model = ReferenceModel()
    for message in messages:
        model.add(message)
    return model.rows()


# ---------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------

def table_text(rows: Iterable[Row]) -> str:
    lines = ["\t".join(COLUMNS)]
    lines.extend("\t".join(row.cells()) for row in rows)
    return "\n".join(lines) + "\n"


def via_text(via: Optional[Via]) -> str:
    if via is None:
        return "-"
    return f"{via.transport} {via.sent_by} branch={via.branch}"


def listing_text(messages: list, rows: list) -> str:
    lines = []
    for message, row in zip(messages, rows):
        start = message.method if message.is_request else str(message.status)
        lines.append(
            f"{message.frame}.{message.index} t={message.time:.3f} {message.transport} {start} "
            f"CSeq={message.cseq_number} {message.cseq_method} Call-ID={message.call_id} "
            f"from-tag={message.from_tag} to-tag={message.to_tag}\n"
            f"    via1={via_text(message.top_via)} via2={via_text(message.second_via)}\n"
            f"    -> " + " ".join(f"{name}={cell}" for name, cell in zip(COLUMNS[2:], row.cells()[2:]) if cell))
    return "\n".join(lines) + "\n"


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture")
    parser.add_argument("--output", "-o", help="write the table here instead of standard output")
    parser.add_argument("--listing", action="store_true", help="print a readable per-message listing")
    arguments = parser.parse_args(argv)
    try:
        messages = read_sip_messages(arguments.capture)
    except (OSError, RuntimeError, ValueError) as error:
        print(f"siptxn_reference: {error}", file=sys.stderr)
        return 2
    rows = reference_rows(messages)
    text = listing_text(messages, rows) if arguments.listing else table_text(rows)
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as output:
            output.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
