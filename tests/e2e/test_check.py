#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scripts/siptxn-check, the CI gate: exit codes, text, --quiet and --json output,
thresholds, and bad input.  Expected counts are derived from plain tshark (no
plugin) with the RFC 3261 §17.1.3/§17.2.3 matching rules; expected findings come
from the scenario comments in test-captures/crafted/*.sip."""

import importlib.machinery
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

from siptxn_e2e import PLUGIN, SOURCE_DIR, TsharkTestCase, capture, tshark

CHECK = os.path.join(SOURCE_DIR, "scripts", "siptxn-check")
OUTCOMES = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "none"]


def check_module():
    """scripts/siptxn-check loaded as a module, for its parts."""
    loader = importlib.machinery.SourceFileLoader("siptxn_check", CHECK)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("siptxn_check", loader))
    loader.exec_module(module)
    return module


def run_check(arguments, plugin=PLUGIN, environment=None):
    """Runs siptxn-check; returns the finished process (stdout, stderr as text)."""
    env = dict(os.environ)
    env.pop("SIPTXN_PLUGIN", None)
    if environment:
        env.update(environment)
    command = [sys.executable, CHECK] + (["--plugin", plugin] if plugin else []) + list(arguments)
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)


def plain_sip_messages(capture_name):
    """Every SIP message of a capture as plain tshark (without siptxn) decodes it:
    frame, method or status, CSeq, top Via branch and sent-by, To tag."""
    root = ElementTree.fromstring(tshark(["-r", capture(capture_name), "-T", "pdml", "-J", "sip"], plugin="-"))
    messages = []
    for packet in root.iter("packet"):
        frame = None
        for proto in packet.findall("proto"):
            if proto.get("name") == "geninfo":
                frame = int(next(field.get("show") for field in proto if field.get("name") == "num"))
            if proto.get("name") != "sip":
                continue
            first = {}
            for field in proto.iter("field"):
                first.setdefault(field.get("name"), field.get("show"))
            if "sip.CSeq.method" not in first:
                continue
            messages.append({
                "frame": frame, "method": first.get("sip.Method"),
                "status": int(first["sip.Status-Code"]) if "sip.Status-Code" in first else None,
                "cseq_method": first["sip.CSeq.method"], "branch": first.get("sip.Via.branch"),
                "sent_by": (first.get("sip.Via.sent-by.address"), first.get("sip.Via.sent-by.port")),
                "to_tag": first.get("sip.to.tag")})
    return messages


def expected_report(capture_name):
    """Transactions, ACK classes and retransmissions of a capture, derived from the
    plain SIP messages: a transaction is identified by the top Via branch, sent-by and
    CSeq method (§17.1.3, §17.2.3); an ACK with the branch of an INVITE belongs to that
    INVITE's transaction (non-2xx ACK, §17.1.1.3), any other ACK is a transaction of its
    own (2xx ACK, §13.2.2.4); a copy of a request or response already seen is a
    retransmission."""
    transactions = {}
    seen = set()
    acks = {"non_2xx": 0, "2xx": 0}
    retransmissions = 0
    invite_requests = 0
    for message in plain_sip_messages(capture_name):
        assert message["branch"] and message["branch"].startswith("z9hG4bK"), \
            "%s frame %d: the derivation needs RFC 3261 branches" % (capture_name, message["frame"])
        if message["method"]:
            method = message["method"]
            identity = (message["branch"], message["sent_by"], method)
            if identity in seen:
                retransmissions += 1
                continue
            seen.add(identity)
            if method == "ACK":
                if (message["branch"], message["sent_by"], "INVITE") in transactions:
                    acks["non_2xx"] += 1
                    continue
                acks["2xx"] += 1
            if method == "INVITE":
                invite_requests += 1
            transactions[identity] = {"method": method, "final": None, "provisional": False}
        else:
            key = (message["branch"], message["sent_by"], message["cseq_method"])
            identity = key + (message["status"], message["to_tag"])
            if identity in seen:
                retransmissions += 1
                continue
            seen.add(identity)
            transaction = transactions[key]
            if message["status"] >= 200:
                if transaction["final"] is None:
                    transaction["final"] = message["status"]
            else:
                transaction["provisional"] = True
    by_method = {}
    for transaction in transactions.values():
        if transaction["method"] == "ACK":
            continue
        if transaction["final"] is not None:
            outcome = "%dxx" % (transaction["final"] // 100)
        else:
            outcome = "1xx" if transaction["provisional"] else "none"
        counts = by_method.setdefault(transaction["method"], {name: 0 for name in OUTCOMES})
        counts[outcome] += 1
    return {"transactions": len(transactions), "invite_requests": invite_requests,
            "ack_transactions": acks["2xx"], "by_method": by_method, "acks": acks,
            "retransmissions": retransmissions}


class CheckTestCase(TsharkTestCase):
    def assert_one_line_error(self, done, *fragments):
        """Exit code 2, one line on stderr naming the problem, no traceback."""
        self.assertEqual(done.returncode, 2, done.stderr)
        lines = done.stderr.splitlines()
        self.assertEqual(len(lines), 1, done.stderr)
        self.assertTrue(lines[0].startswith("siptxn-check: "), lines[0])
        self.assertNotIn("Traceback", done.stderr + done.stdout)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def check_json(self, arguments):
        done = run_check(["--json"] + list(arguments))
        self.assertNotIn("Traceback", done.stderr)
        return done, json.loads(done.stdout)


class ExitCodes(CheckTestCase):
    def test_clean_recorded_call_exits_0(self):
        done = run_check([capture("invite-200-bye.pcapng")])
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(done.stderr, "")
        self.assertIn("violations (warn or worse): none", done.stdout)
        self.assertRegex(done.stdout.splitlines()[-1],
                         r"^total: 1 capture checked, 3 transactions, 0 violations at or above warn$")

    def test_crafted_violation_exits_1_and_names_the_frame(self):
        # crafted/ack-branch-mismatch.sip: frame 4 is the ACK to the 486 with another
        # branch, an ERROR by §17.1.1.3; frame 7 is the correct control ACK.
        done = run_check([capture("crafted-ack-branch-mismatch.pcapng")])
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("frame ")]
        self.assertEqual(len(lines), 1, done.stdout)
        self.assertTrue(lines[0].startswith("frame 4: error: "), lines[0])
        self.assertIn("§17.1.1.3", lines[0])
        self.assertIn("siptxn.expert.ack.branch_mismatch", lines[0])
        self.assertIn("1 violation at or above warn (error 1)", done.stdout.splitlines()[-1])

    def test_violation_frame_agrees_with_plain_sip(self):
        # Independently of siptxn: the ACKs whose INVITE got a non-2xx final response
        # but which carry another branch than that INVITE (same Call-ID and CSeq number).
        root = ElementTree.fromstring(tshark(["-r", capture("crafted-ack-branch-mismatch.pcapng"), "-T", "pdml",
                                              "-J", "sip"], plugin="-"))
        invites, finals, acks = {}, {}, []
        for packet in root.iter("packet"):
            first = {}
            for field in packet.iter("field"):
                first.setdefault(field.get("name"), field.get("show"))
            dialog = (first.get("sip.Call-ID"), first.get("sip.CSeq.seq"))
            if first.get("sip.Method") == "INVITE":
                invites[dialog] = first["sip.Via.branch"]
            elif first.get("sip.Method") == "ACK":
                acks.append((int(first["num"]), dialog, first["sip.Via.branch"]))
            elif first.get("sip.Status-Code") and int(first["sip.Status-Code"]) >= 200:
                finals.setdefault(dialog, int(first["sip.Status-Code"]))
        wrong = [frame for frame, dialog, branch in acks
                 if finals.get(dialog, 200) >= 300 and invites.get(dialog) not in (None, branch)]
        self.assertEqual(wrong, [4])
        _, document = self.check_json([capture("crafted-ack-branch-mismatch.pcapng")])
        self.assertEqual([violation["frame"] for violation in document["captures"][0]["violations"]], wrong)

    def test_thresholds_change_the_exit_code(self):
        # crafted/ack-late.sip: only frame 9 has a finding, a NOTE (ACK after Timer H, §17.2.1).
        late = capture("crafted-ack-late.pcapng")
        self.assertEqual(run_check([late]).returncode, 0)
        self.assertEqual(run_check(["--fail-on", "error", late]).returncode, 0)
        noted = run_check(["--fail-on", "note", late])
        self.assertEqual(noted.returncode, 1, noted.stdout)
        self.assertIn("frame 9: note: ", noted.stdout)
        self.assertIn("siptxn.expert.ack.late", noted.stdout)
        # crafted/ack-branch-mismatch.sip: an ERROR fails even the strictest threshold.
        mismatch = capture("crafted-ack-branch-mismatch.pcapng")
        self.assertEqual(run_check(["--fail-on", "error", mismatch]).returncode, 1)

    def test_whole_capture_verdicts_need_two_passes(self):
        # crafted/timers.sip: the INVITE in frame 14 is never answered while the capture
        # goes on past Timer B (§17.1.1.2); only the second pass can say so.
        timers = capture("crafted-timers.pcapng")
        _, two = self.check_json([timers])
        _, one = self.check_json(["--single-pass", timers])
        self.assertTrue(two["two_pass"])
        self.assertFalse(one["two_pass"])
        unanswered = [violation for violation in two["captures"][0]["violations"]
                      if violation["expert"] == "siptxn.expert.unanswered"]
        self.assertEqual([violation["frame"] for violation in unanswered], [14])
        self.assertEqual(two["captures"][0]["unanswered"], [unanswered[0]["transaction"]])
        self.assertEqual(one["captures"][0]["unanswered"], [])
        self.assertNotIn("siptxn.expert.unanswered",
                         [violation["expert"] for violation in one["captures"][0]["violations"]])


class Output(CheckTestCase):
    def test_preferences_reach_tshark(self):
        # crafted/timers.sip, frame 10: an OPTIONS retransmission 0.5 s after the previous
        # copy, its second one; Timer E gives 2*T1 there (§17.1.2.2): 1 s with the default
        # T1 of 500 ms (a timer finding), 0.5 s with T1 = 250 ms (on time).
        timers = capture("crafted-timers.pcapng")
        _, default = self.check_json([timers])
        _, short = self.check_json(["-o", "siptxn.t1:250", timers])
        timer_findings = ("siptxn.expert.retransmission.too_early", "siptxn.expert.retransmission.not_doubled")

        def timing(document):
            return [violation["frame"] for violation in document["captures"][0]["violations"]
                    if violation["expert"] in timer_findings]
        self.assertIn(10, timing(default))
        self.assertNotIn(10, timing(short))

    def test_quiet_prints_only_violations_and_the_total(self):
        mismatch = capture("crafted-ack-branch-mismatch.pcapng")
        done = run_check(["--quiet", mismatch])
        self.assertEqual(done.returncode, 1)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), 2, done.stdout)
        self.assertTrue(lines[0].startswith(mismatch + ": frame 4: error: "), lines[0])
        self.assertTrue(lines[1].startswith("total: "), lines[1])
        clean = run_check(["-q", capture("invite-486.pcapng")])
        self.assertEqual(clean.returncode, 0)
        self.assertEqual(len(clean.stdout.splitlines()), 1, clean.stdout)

    def test_json_counts_match_plain_tshark(self):
        names = ["invite-200-bye.pcapng", "invite-486.pcapng", "invite-cancel-487.pcapng",
                 "register-401-200.pcapng", "proxy-200-bye.pcapng", "udp-invite-timeout.pcapng",
                 "udp-final-retransmit.pcapng", "crafted-two-in-one-segment.pcapng"]
        done, document = self.check_json([capture(name) for name in names])
        self.assertEqual(document["exit_code"], done.returncode)
        self.assertEqual([report["file"] for report in document["captures"]], [capture(name) for name in names])
        for name, report in zip(names, document["captures"]):
            with self.subTest(capture=name):
                expected = expected_report(name)
                transactions = report["transactions"]
                self.assertIsNone(report["error"])
                self.assertEqual(transactions["total"], expected["transactions"])
                self.assertEqual(transactions["invite"], expected["invite_requests"])
                self.assertEqual(transactions["ack"], expected["ack_transactions"])
                self.assertEqual(transactions["total"],
                                 transactions["invite"] + transactions["non_invite"] + transactions["ack"])
                self.assertEqual(transactions["by_method"], expected["by_method"])
                self.assertEqual(report["acks"]["non_2xx"], expected["acks"]["non_2xx"])
                self.assertEqual(report["acks"]["2xx"], expected["acks"]["2xx"])
                self.assertEqual(report["retransmissions"]["total"], expected["retransmissions"])
                self.assertEqual(len(transactions["list"]), transactions["total"])
        self.assertEqual(document["total"]["transactions"],
                         sum(report["transactions"]["total"] for report in document["captures"]))

    def test_json_violations_and_thresholds(self):
        _, document = self.check_json(["--fail-on", "note", capture("udp-final-retransmit.pcapng")])
        report = document["captures"][0]
        self.assertEqual(document["fail_on"], "note")
        self.assertEqual(set(report["violation_counts"]), {"note", "warn", "error"})
        self.assertEqual(set(report["below_threshold"]), {"chat"})
        self.assertEqual(len(report["violations"]), sum(report["violation_counts"].values()))
        for violation in report["violations"]:
            self.assertIn(violation["severity"], ("note", "warn", "error"))
            self.assertTrue(violation["expert"].startswith("siptxn.expert."))
            self.assertIn("RFC 3261 §", violation["message"])
            self.assertIsInstance(violation["frame"], int)
        self.assertEqual(document["total"]["violations"], len(report["violations"]))
        self.assertEqual(document["exit_code"], 1 if report["violations"] else 0)

    def test_language_reaches_the_explanations(self):
        # invite-486: one INVITE transaction, final response 486 in frame 4.
        _, english = self.check_json(["--language", "en", capture("invite-486.pcapng")])
        _, russian = self.check_json(["--language", "ru", capture("invite-486.pcapng")])
        english_entry = english["captures"][0]["transactions"]["list"][0]
        russian_entry = russian["captures"][0]["transactions"]["list"][0]
        self.assertEqual((english_entry["final_status"], english_entry["final_frame"]), (486, 4))
        self.assertTrue(english_entry["final_explanation"].isascii())
        self.assertTrue(any("\u0400" <= letter <= "\u04ff" for letter in russian_entry["final_explanation"]))


class BadInput(CheckTestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="siptxn-check-test.")
        self.addCleanup(shutil.rmtree, self.folder)

    def write(self, name, content):
        path = os.path.join(self.folder, name)
        with open(path, "wb") as file:
            file.write(content)
        return path

    def test_text_file(self):
        text = self.write("notes.pcapng", b"INVITE sip:bob@example.com SIP/2.0\r\n\r\n")
        self.assert_one_line_error(run_check([text]), text, "not a pcap or pcapng")

    def test_empty_file(self):
        empty = self.write("empty.pcapng", b"")
        self.assert_one_line_error(run_check([empty]), empty, "empty")

    def test_truncated_capture(self):
        with open(capture("invite-200-bye.pcapng"), "rb") as file:
            whole = file.read()
        cut = self.write("cut.pcapng", whole[:len(whole) // 2])
        self.assert_one_line_error(run_check([cut]), cut, "truncated")

    def test_missing_file(self):
        missing = os.path.join(self.folder, "missing.pcapng")
        self.assert_one_line_error(run_check([missing]), missing, "no such file")

    def test_capture_without_sip(self):
        # Nothing decoded as SIP (wrong port, Decode As needed) is an error, not a pass.
        self.assertEqual(tshark(["-r", capture("crafted-no-sip.pcapng"), "-Y", "sip"], plugin="-").strip(), "")
        self.assert_one_line_error(run_check([capture("crafted-no-sip.pcapng")]), "no SIP message found",
                                   "--allow-no-sip", "-d udp.port==PORT,sip")
        done, document = self.check_json(["--allow-no-sip", capture("crafted-no-sip.pcapng")])
        self.assertEqual(done.returncode, 0, done.stderr)
        report = document["captures"][0]
        self.assertEqual((report["sip_messages"], report["transactions"]["total"]), (0, 0))
        self.assertEqual(report["violations"], [])

    def test_one_bad_capture_among_good_ones(self):
        missing = os.path.join(self.folder, "missing.pcapng")
        done = run_check([capture("invite-486.pcapng"), missing])
        self.assert_one_line_error(done, missing)
        self.assertIn(capture("invite-486.pcapng"), done.stdout)
        self.assertIn("1 capture could not be checked", done.stdout.splitlines()[-1])
        done, document = self.check_json([capture("invite-486.pcapng"), missing])
        self.assertEqual(done.returncode, 2)
        self.assertEqual(document["exit_code"], 2)
        self.assertIsNone(document["captures"][0]["error"])
        self.assertIn("no such file", document["captures"][1]["error"])

    def test_bad_option(self):
        done = run_check(["--no-such-option", capture("invite-486.pcapng")])
        self.assert_one_line_error(done, "--no-such-option")
        self.assertEqual(done.stdout, "")
        self.assert_one_line_error(run_check(["--fail-on", "fatal", capture("invite-486.pcapng")]), "--fail-on")
        self.assert_one_line_error(run_check([]), "CAPTURE")

    def test_rejected_preference(self):
        done = run_check(["-o", "siptxn.t1:soon", capture("invite-486.pcapng"), capture("invite-200-bye.pcapng")])
        self.assert_one_line_error(done, "siptxn.t1:soon", "-o/--option")
        self.assert_one_line_error(run_check(["-o", "no-colon", capture("invite-486.pcapng")]), "NAME:VALUE")

    def test_file_that_is_not_a_plugin(self):
        not_a_plugin = self.write("siptxn.so", b"not a shared object\n")
        done = run_check([capture("invite-486.pcapng")], plugin=not_a_plugin)
        self.assert_one_line_error(done, "did not load the siptxn plugin", not_a_plugin)

    def test_help(self):
        done = run_check(["--help"], plugin=None)
        self.assertEqual(done.returncode, 0)
        for option in ("--fail-on", "--json", "--quiet", "--language", "--single-pass", "--plugin", "--require",
                       "--transactions", "--jobs", "--merge", "--allow-no-sip", "--decode-as"):
            self.assertIn(option, done.stdout)

    def test_missing_plugin(self):
        absent = os.path.join(self.folder, "siptxn.so")
        self.assert_one_line_error(run_check([capture("invite-486.pcapng")], plugin=absent), absent, "--plugin")

    def test_missing_tshark(self):
        done = run_check([capture("invite-486.pcapng")], environment={"PATH": self.folder})
        self.assert_one_line_error(done, "tshark was not found")

    def test_failing_tshark(self):
        # A tshark that answers --version but fails to read any capture.
        os.chmod(self.folder, 0o755)
        fake = self.write("tshark", b"#!/bin/sh\n"
                                    b"[ \"$1\" = --version ] && { echo 'TShark (Wireshark) 4.0.17'; exit 0; }\n"
                                    b"echo 'tshark: simulated failure' >&2\nexit 1\n")
        os.chmod(fake, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        path = os.pathsep.join([self.folder, "/usr/bin", "/bin"])
        done = run_check([capture("invite-486.pcapng")], environment={"PATH": path})
        self.assert_one_line_error(done, "simulated failure")


class ValueNames(TsharkTestCase):
    """siptxn-check reads the names of roles, kinds and ACK classes from the plugin
    (tshark -G values) and counts by name: the numbers are the plugin's."""

    ROLES = ["request", "request retransmission", "provisional response", "provisional response retransmission",
             "final response", "final response retransmission", "ACK", "ACK retransmission", "CANCEL",
             "CANCEL retransmission", "duplicate"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = check_module()

    def listing(self, roles, kinds=("INVITE", "non-INVITE", "ACK"), classes=("unknown", "non-2xx", "2xx"),
                first=1):
        """A "tshark -G values" listing numbering the names in the order given, from first."""
        lines = []
        for field, names in (("siptxn.role", roles), ("siptxn.kind", kinds), ("siptxn.ack.class", classes)):
            lines += ["V\t%s\t%d\t%s" % (field, first + number, name) for number, name in enumerate(names)]
        return "\n".join(["V\tsip.Method\t1\tINVITE"] + lines) + "\n"

    def test_the_plugin_names_every_value_the_report_counts(self):
        names = self.check.ValueNames(tshark(["-G", "values"]))
        names.require(self.check.NAMES_USED)
        self.assertEqual(sorted(names.fields["siptxn.role"].values()), sorted(self.ROLES))

    def test_roles_are_counted_by_name_not_by_number(self):
        # The same INVITE transaction (request, 486, its retransmission, the ACK) with the
        # names numbered backwards from 20: the report must not change.
        roles = list(reversed(self.ROLES))
        names = self.check.ValueNames(self.listing(roles, kinds=("ACK", "non-INVITE", "INVITE"), first=20))
        number = {name: str(20 + index) for index, name in enumerate(roles)}

        def message(frame, role, **extra):
            fields = {"siptxn.txn": "1", "siptxn.role": number[role], "siptxn.kind": "22",
                      "siptxn.method": "INVITE", "siptxn.final_status": "486", **extra}
            return {"frame": frame, "fields": fields, "experts": []}
        messages = [message(1, "request"), message(2, "provisional response"), message(3, "final response"),
                    message(4, "final response retransmission"),
                    message(5, "ACK", **{"siptxn.ack.class": "21"})]
        report = self.check.summarise("call.pcapng", messages, "warn", names)
        self.assertEqual((report["transactions"]["invite"], report["transactions"]["total"]), (1, 1))
        self.assertEqual(report["transactions"]["by_method"]["INVITE"]["4xx"], 1)
        self.assertEqual((report["acks"]["non_2xx"], report["acks"]["2xx"]), (1, 0))
        self.assertEqual((report["retransmissions"]["final"], report["retransmissions"]["total"]), (1, 1))

    def test_a_plugin_without_a_name_is_refused(self):
        names = self.check.ValueNames(self.listing([role for role in self.ROLES if role != "ACK retransmission"]))
        with self.assertRaises(self.check.CheckError) as raised:
            names.require(self.check.NAMES_USED)
        self.assertIn("siptxn.role", str(raised.exception))
        self.assertIn("'ACK retransmission'", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
