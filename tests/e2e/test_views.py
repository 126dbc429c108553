#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The two views of whole captures, read with plain tshark -r (one pass):

- the "SIP Transactions" flow graph (tshark -z flow,siptxn,standard): one
  arrow per SIP message between network addresses, its label and its
  transaction, written here from the packets and RFC 3261 (each hop of a
  stateful proxy is a transaction of its own, §16.6, §17), and read back from
  tshark's text drawing by the columns of the node headers;
- the response time table (tshark -z siptxn,rtd): per row, the measured
  responses, open requests, discarded responses and repeated requests and
  responses, with the delays computed here from the packets' timestamps.

Expected values come from the stock SIP fields (no plugin)."""

import bisect
import collections
import decimal
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from siptxn_e2e import TsharkTestCase, capture, fields, tshark

THREE_HOSTS = "proxy-call-three-hosts.pcapng"
UAC, PROXY, UAS = "127.0.0.2", "127.0.0.3", "127.0.0.4"
DOT = "\u00b7"

# proxy-call-three-hosts.pcapng as RFC 3261 describes it: frame, sender,
# receiver, method or status code, transaction, comment.  Each hop has its
# own transactions (the proxy is a UAS upstream and a UAC downstream, §16.2,
# §16.6); transactions are numbered in order of first appearance.
CALL = [
    (1, UAC, PROXY, "INVITE", 1, "txn 1 · request"),
    # The proxy's own 100, hop by hop (§16.2, §16.7).
    (2, PROXY, UAC, "100", 1, "txn 1 · provisional response"),
    # The forwarded INVITE: a new client transaction, the proxy's Via on top
    # of the UAC's (§16.6 step 8).
    (3, PROXY, UAS, "INVITE", 2, "txn 2 · request · forwarded from txn 1"),
    (4, UAS, PROXY, "100", 2, "txn 2 · provisional response"),
    (5, UAS, PROXY, "180", 2, "txn 2 · provisional response"),
    (6, PROXY, UAC, "180", 1, "txn 1 · provisional response"),
    (7, UAS, PROXY, "200", 2, "txn 2 · final response"),
    (8, PROXY, UAC, "200", 1, "txn 1 · final response"),
    # The ACK to a 2xx is a transaction of its own on each hop, with a new
    # branch (§13.2.2.4, §17.1.1.3); Record-Route brings it through the proxy
    # (§12.2.1.1, §16.12), which forwards it with a branch of its own.
    (9, UAC, PROXY, "ACK", 3, "txn 3 · ACK 2xx: own txn 3 for txn 1"),
    (10, PROXY, UAS, "ACK", 4, "txn 4 · ACK 2xx: own txn 4 for txn 2 · forwarded from txn 3"),
    (11, UAC, PROXY, "BYE", 5, "txn 5 · request"),
    (12, PROXY, UAS, "BYE", 6, "txn 6 · request · forwarded from txn 5"),
    (13, UAS, PROXY, "200", 6, "txn 6 · final response"),
    (14, PROXY, UAC, "200", 5, "txn 5 · final response"),
]

STOCK_FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "sip.Method",
                "sip.Status-Code", "sip.Status-Line", "sip.Via", "sip.CSeq.seq", "sip.CSeq.method"]

# A ladder label longer than this many bytes is cut and ends in "..." (the
# plugin's rule); tshark's text drawing then shows as many characters as the
# arrow is wide.
LABEL_MAX = 28


class Message:
    """One SIP message as the stock dissector reads it."""

    def __init__(self, frame, row):
        self.frame = frame
        self.time = decimal.Decimal(row["frame.time_epoch"][0])
        self.source, self.destination = row["ip.src"][0], row["ip.dst"][0]
        self.source_port, self.destination_port = int(row["udp.srcport"][0]), int(row["udp.dstport"][0])
        self.method = row["sip.Method"][0] if row["sip.Method"] else None
        self.status = int(row["sip.Status-Code"][0]) if row["sip.Status-Code"] else None
        self.status_line = row["sip.Status-Line"][0] if row["sip.Status-Line"] else None
        vias = [via.strip() for header in row["sip.Via"] for via in header.split(",")]
        self.top_via, self.second_via = via_identity(vias[0]), via_identity(vias[1]) if len(vias) > 1 else None
        self.cseq_number, self.cseq_method = int(row["sip.CSeq.seq"][0]), row["sip.CSeq.method"][0]

    @property
    def is_request(self):
        return self.method is not None

    @property
    def key(self):
        """What identifies its transaction (RFC 3261 §17.1.3, §17.2.3): the top
        Via's branch and sent-by, and the method (a response's is its CSeq's)."""
        return self.top_via + (self.method if self.is_request else self.cseq_method,)

    @property
    def label(self):
        """The ladder label: the method, or "code phrase" of the status line."""
        text = self.method if self.is_request else self.status_line.split(" ", 1)[1]
        if len(text.encode("utf-8")) > LABEL_MAX:
            text = text.encode("utf-8")[:LABEL_MAX - 3].decode("utf-8", "ignore") + "..."
        return text


def via_identity(via):
    """(sent-by, branch) of one via-parm, e.g. "SIP/2.0/UDP 127.0.0.3;branch=z9hG4bK1"."""
    sent_by, *parameters = via.split(";")
    branch = ""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "branch":
            branch = value.strip()
    return sent_by.split()[-1], branch


def messages(capture_name):
    """The SIP messages of a capture of one message per frame, in frame order."""
    rows = fields(capture_name, STOCK_FIELDS, plugin="-")
    found = []
    for frame in sorted(rows):
        row = rows[frame]
        if not row["sip.Method"] and not row["sip.Status-Code"]:
            continue
        if len(row["sip.CSeq.seq"]) != 1:
            raise AssertionError("frame %d of %s holds %d SIP messages" % (frame, capture_name,
                                                                           len(row["sip.CSeq.seq"])))
        found.append(Message(frame, row))
    return found


# ------------------------------------------------------------- flow graph ---

Arrow = collections.namedtuple("Arrow", "conversation source destination source_port destination_port label comment")


def node_columns(header, second_header):
    """The nodes of tshark's drawing, left to right, with the column where
    each one's "| name" starts.  Even nodes are named on the first header
    line, odd ones on the second; what comes before the nodes ("Conv.| Time",
    or "|Time" when one conversation fills the graph) is as wide as the second
    line up to its second "|"."""
    nodes_start = second_header.index("|", second_header.index("|") + 1)
    nodes = []
    for line in (header, second_header):
        for match in re.finditer(r"\| (\S+)", line):
            if match.start() >= nodes_start:
                nodes.append((match.start(), match.group(1)))
    return sorted(nodes)


def flow_arrows(text):
    """The arrows of tshark's flow text, in order.  Wireshark draws an arrow
    from the middle of its source node's column to the middle of its
    destination's, so its first and last characters lie in the columns of
    its two nodes; the arrow head says which one is the source."""
    lines = [line for line in text.splitlines() if line.strip()]
    nodes = node_columns(lines[0], lines[1])
    starts = [column for column, _ in nodes]

    def node_at(column):
        return nodes[bisect.bisect_right(starts, column) - 1][1]

    arrows = []
    body = [line for line in lines[2:] if not re.fullmatch(r"-+", line)]
    for item, drawing in zip(body[0::2], body[1::2]):
        head = re.match(r"^(\d+)?\s*\|(\d+\.\d+)(.*)$", item)
        if not head:
            raise AssertionError("not an item line of the flow: %r" % item)
        comment = re.search(r"txn \d+ %s .*$" % DOT, head.group(3))
        if not comment:
            raise AssertionError("no comment in the flow's line %r" % item)
        label = head.group(3)[:comment.start()].strip(" |")
        line = re.search(r"<-+|-+>", drawing)
        if not line:
            raise AssertionError("no arrow in the flow's line %r" % drawing)
        left, right = node_at(line.start()), node_at(line.end() - 1)
        ports = [int(port) for port in re.findall(r"\((\d+)\)", drawing)]
        rightwards = line.group(0).endswith(">")
        source, destination = (left, right) if rightwards else (right, left)
        source_port, destination_port = ports if rightwards else ports[::-1]
        conversation = int(head.group(1)) if head.group(1) else None
        arrows.append(Arrow(conversation, source, destination, source_port, destination_port, label,
                            comment.group(0)))
    return [name for _, name in nodes], arrows


def shown_label(label, source, destination, nodes):
    """The label as tshark's drawing shows it: no wider than its arrow, which
    spans 20 characters per node it crosses."""
    width = 20 * abs(nodes.index(source) - nodes.index(destination))
    return label[:width]


class CallThroughProxy(TsharkTestCase):
    """proxy-call-three-hosts.pcapng: the expected ladder is what the packets say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.messages = {message.frame: message for message in messages(THREE_HOSTS)}

    def test_the_call_is_the_packets(self):
        self.assertEqual(sorted(self.messages), [row[0] for row in CALL])
        for frame, source, destination, start, _, _ in CALL:
            message = self.messages[frame]
            self.assertEqual((message.source, message.destination), (source, destination), frame)
            self.assertEqual(message.method or str(message.status), start, frame)

    def test_17_one_transaction_per_key_numbered_in_order(self):
        number_of_key = {}
        for frame, _, _, _, transaction, _ in CALL:
            number_of_key.setdefault(self.messages[frame].key, len(number_of_key) + 1)
            self.assertEqual(number_of_key[self.messages[frame].key], transaction, frame)

    def test_16_6_forwarded_request_carries_the_upstream_top_via_second(self):
        # A request is forwarded from the transaction whose top Via is its second.
        first_request = {}
        for frame, _, _, _, transaction, comment in CALL:
            message = self.messages[frame]
            if not message.is_request:
                continue
            first_request.setdefault(transaction, message)
            upstream = [number for number, request in first_request.items()
                        if message.second_via and request.top_via == message.second_via]
            forwarded = re.search(r"forwarded from txn (\d+)", comment)
            self.assertEqual(upstream, [int(forwarded.group(1))] if forwarded else [], frame)

    def test_13_2_2_4_each_2xx_ack_names_the_invite_of_its_hop(self):
        invites = {transaction: self.messages[frame] for frame, _, _, start, transaction, _ in CALL
                   if start == "INVITE"}
        for frame, _, _, start, transaction, comment in CALL:
            if start != "ACK":
                continue
            ack = self.messages[frame]
            invite_transaction = int(re.search(r"for txn (\d+)", comment).group(1))
            invite = invites[invite_transaction]
            # Sent by the element that sent the INVITE, with its CSeq number.
            self.assertEqual(ack.top_via[0], invite.top_via[0], frame)
            self.assertNotEqual(ack.top_via[1], invite.top_via[1], frame)
            self.assertEqual(ack.cseq_number, invite.cseq_number, frame)
            answers = [self.messages[f].status for f, _, _, _, t, _ in CALL
                       if t == invite_transaction and not self.messages[f].is_request]
            self.assertIn(200, answers, frame)
            self.assertIn("own txn %d" % transaction, comment)

    def expected_arrows(self, nodes, rows=CALL):
        expected = []
        for frame, source, destination, _, transaction, comment in rows:
            message = self.messages[frame]
            expected.append(Arrow(transaction, source, destination, message.source_port,
                                  message.destination_port,
                                  shown_label(message.label, source, destination, nodes), comment))
        return expected

    def test_ladder_one_arrow_per_message_between_addresses(self):
        nodes, arrows = flow_arrows(tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,standard"]))
        # Nodes in order of first appearance, source before destination.
        self.assertEqual(nodes, [UAC, PROXY, UAS])
        self.assertEqual(arrows, self.expected_arrows(nodes))

    def test_ladder_network_addresses_draw_the_same(self):
        standard = flow_arrows(tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,standard"]))
        network = flow_arrows(tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,network"]))
        self.assertEqual(network, standard)

    def test_ladder_label_cut_to_its_arrow(self):
        # Frame 2: kamailio's "100 trying -- your call is important to us".
        _, arrows = flow_arrows(tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,standard"]))
        self.assertEqual(self.messages[2].label, "100 trying -- your call i...")
        self.assertEqual(arrows[1].label, "100 trying -- your c")

    def check_filtered(self, display_filter, frames, expected_nodes):
        text = tshark(["-r", capture(THREE_HOSTS), "-q", "-z", "flow,siptxn,standard," + display_filter])
        nodes, arrows = flow_arrows(text)
        self.assertEqual(nodes, expected_nodes)
        rows = [row for row in CALL if row[0] in frames]
        # One conversation: tshark leaves the Conv. column out.
        expected = [arrow._replace(conversation=None) for arrow in self.expected_arrows(nodes, rows)]
        self.assertEqual(arrows, expected)

    def test_ladder_of_one_transaction_upstream(self):
        self.check_filtered("siptxn.txn==1", [1, 2, 6, 8], [UAC, PROXY])

    def test_ladder_of_one_transaction_downstream(self):
        self.check_filtered("siptxn.txn==2", [3, 4, 5, 7], [PROXY, UAS])

    def test_ladder_of_the_2xx_acks(self):
        text = tshark(["-r", capture(THREE_HOSTS), "-q", "-z", 'flow,siptxn,standard,siptxn.ack.class=="2xx"'])
        nodes, arrows = flow_arrows(text)
        self.assertEqual(nodes, [UAC, PROXY, UAS])
        self.assertEqual(arrows, self.expected_arrows(nodes, [row for row in CALL if row[0] in (9, 10)]))


# ---------------------------------------------------- response time table ---

ROWS = ["INVITE to first response other than 100", "INVITE to final response", "REGISTER", "BYE", "CANCEL",
        "OPTIONS", "SUBSCRIBE", "NOTIFY", "MESSAGE", "INFO", "UPDATE", "PRACK", "REFER", "PUBLISH",
        "other methods"]
TOLERANCE_MS = 0.01


class RowCounts:
    def __init__(self):
        self.delays = []            # (milliseconds, frame of the response)
        self.open = 0
        self.discarded = 0
        self.duplicate_requests = 0
        self.duplicate_responses = 0


def rows_of(method):
    """The table rows of a request method: INVITE has two."""
    if method == "INVITE":
        return ["INVITE to first response other than 100", "INVITE to final response"]
    return [method if method in ROWS else "other methods"]


def expected_response_times(capture_name):
    """Row -> RowCounts, from the packets: a request's first copy opens its
    transaction, a re-sent copy (same key) is a duplicate; a response's first
    copy (a status code not yet seen in its transaction) is measured from the
    request's first copy when it is the first final response (and, for
    INVITE, the first response other than 100, RFC 6076 §4.2); a re-sent one
    is a duplicate; one whose request is not in the capture is discarded; a
    response counts in the rows it could end.  ACKs have no response and are
    not counted."""
    table = collections.defaultdict(RowCounts)
    transactions = {}
    for message in messages(capture_name):
        if message.method == "ACK":
            continue
        transaction = transactions.setdefault(message.key, {"request": None, "codes": set(), "final": False,
                                                            "answered": False, "method": message.key[2]})
        rows = rows_of(transaction["method"])
        if message.is_request:
            if transaction["request"] is None:
                transaction["request"] = message
                for row in rows:
                    table[row].open += 1
            else:
                for row in rows:
                    table[row].duplicate_requests += 1
            continue
        # A response concerns the row it may end: a final response its method's
        # row, any response other than 100 INVITE's first-answer row.
        concerned = ([rows[-1]] if message.status >= 200 else []) + \
            ([rows[0]] if transaction["method"] == "INVITE" and message.status != 100 else [])
        if message.status in transaction["codes"]:
            for row in concerned:
                table[row].duplicate_responses += 1
            continue
        transaction["codes"].add(message.status)
        request = transaction["request"]
        if request is None:
            for row in concerned:
                table[row].discarded += 1
            continue
        delay = float((message.time - request.time) * 1000)
        if message.status >= 200 and not transaction["final"]:
            transaction["final"] = True
            table[rows[-1]].delays.append((delay, message.frame))
            table[rows[-1]].open -= 1
        if transaction["method"] == "INVITE" and message.status != 100 and not transaction["answered"]:
            transaction["answered"] = True
            table[rows[0]].delays.append((delay, message.frame))
            table[rows[0]].open -= 1
    return table


def number(cell):
    """The number a cell starts with: "204.78 msec" -> 204.78, "4 (400.00%)" -> 4."""
    return float(cell.split()[0])


def rtd_output(capture_path):
    """tshark -z siptxn,rtd.  tshark's -z NAME,rtd (ui/cli/tap-rtd.c) keeps its
    table until exit for every protocol (-z radius,rtd too), so under the
    sanitized run LeakSanitizer would report Wireshark's leak, not siptxn's:
    leaks are not checked for this one command."""
    saved = os.environ.get("ASAN_OPTIONS")
    if saved is not None:
        os.environ["ASAN_OPTIONS"] = saved + ":detect_leaks=0"
    try:
        return tshark(["-r", capture_path, "-q", "-z", "siptxn,rtd"])
    finally:
        if saved is not None:
            os.environ["ASAN_OPTIONS"] = saved


def response_time_table(capture_path):
    """Row -> cells of tshark -z siptxn,rtd: messages, min, max and average
    delay (ms), frames of the min and max, open requests, discarded
    responses, duplicate requests, duplicate responses."""
    table = {}
    inside = False
    for line in rtd_output(capture_path).splitlines():
        if line.startswith("Type"):
            inside = True
            continue
        if not inside or "|" not in line:
            continue
        cells = [cell.strip() for cell in line.split("|")]
        table[cells[0]] = {
            "messages": int(cells[1]), "min": number(cells[2]), "max": number(cells[3]), "avg": number(cells[4]),
            "min_frame": int(cells[5]), "max_frame": int(cells[6]), "open": int(cells[7]),
            "discarded": int(cells[8]), "duplicate_requests": int(number(cells[9])),
            "duplicate_responses": int(number(cells[10])),
        }
    return table


class ResponseTimes(TsharkTestCase):
    def check(self, capture_name, printed_rows):
        expected = expected_response_times(capture_name)
        table = response_time_table(capture(capture_name))
        # tshark prints only the rows that measured a response (ui/cli/tap-rtd.c):
        # open requests and discarded responses show only beside a measurement.
        self.assertEqual(sorted(table), sorted(row for row, counts in expected.items() if counts.delays))
        self.assertEqual(sorted(table), sorted(printed_rows))
        for row, cells in table.items():
            counts = expected[row]
            delays = sorted(counts.delays)
            self.assertEqual(cells["messages"], len(delays), row)
            self.assertAlmostEqual(cells["min"], delays[0][0], delta=TOLERANCE_MS, msg=row)
            self.assertAlmostEqual(cells["max"], delays[-1][0], delta=TOLERANCE_MS, msg=row)
            self.assertAlmostEqual(cells["avg"], sum(d for d, _ in delays) / len(delays), delta=TOLERANCE_MS,
                                   msg=row)
            self.assertEqual((cells["min_frame"], cells["max_frame"]), (delays[0][1], delays[-1][1]), row)
            self.assertEqual(cells["open"], counts.open, row)
            self.assertEqual(cells["discarded"], counts.discarded, row)
            self.assertEqual(cells["duplicate_requests"], counts.duplicate_requests, row)
            self.assertEqual(cells["duplicate_responses"], counts.duplicate_responses, row)
        return table

    def test_call_through_a_proxy_each_hop_measured(self):
        table = self.check(THREE_HOSTS, ROWS[:2] + ["BYE"])
        self.assertEqual(table["INVITE to final response"]["messages"], 2)

    def test_cancel_measured_apart_from_the_invite(self):
        # The INVITE ends with 487; the CANCEL, same branch, is answered by its own 200 (§9.2).
        self.check("invite-cancel-487.pcapng", ROWS[:2] + ["CANCEL"])

    def test_17_1_1_2_unanswered_retransmitted_invite_stays_open(self):
        # The proxy's INVITE, sent 5 times, is never answered; the caller gets a 408.
        table = self.check("udp-invite-timeout.pcapng", ROWS[:2])
        self.assertEqual(table["INVITE to final response"]["open"], 1)
        self.assertEqual(table["INVITE to final response"]["duplicate_requests"], 4)

    def test_17_2_1_retransmitted_final_response_is_a_duplicate(self):
        table = self.check("udp-final-retransmit.pcapng", ROWS[:2])
        self.assertEqual(table["INVITE to final response"]["duplicate_responses"], 5)

    def test_two_register_transactions(self):
        self.check("register-401-200.pcapng", ["REGISTER"])

    def test_responses_whose_request_is_not_in_the_capture_are_discarded(self):
        # proxy-call-three-hosts without its first frame: the caller's INVITE.
        folder = tempfile.mkdtemp(prefix="siptxn-views.")
        try:
            cut = os.path.join(folder, "without-first-invite.pcapng")
            editcap = shutil.which("editcap")
            if not editcap:
                raise AssertionError("editcap is missing: apt-get install tshark")
            subprocess.run([editcap, capture(THREE_HOSTS), cut, "1"], check=True, capture_output=True, timeout=60)
            table = self.check(cut, ROWS[:2] + ["BYE"])
            # The upstream hop's 200 could have ended the INVITE; its 180 and 200 could have answered it.
            self.assertEqual(table["INVITE to final response"]["discarded"], 1)
            self.assertEqual(table["INVITE to first response other than 100"]["discarded"], 2)
        finally:
            shutil.rmtree(folder)


if __name__ == "__main__":
    unittest.main()
