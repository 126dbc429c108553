#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""RFC 6076 §4 KPIs (tshark -z siptxn,kpi and scripts/siptxn-check) on the
recorded SIPp load test-captures/sipp-load.pcapng.  Every expected value is
derived here from the scenario the capture was recorded with
(scripts/record-captures.sh rec_sipp-load, scripts/record/load-calls.csv),
never copied from the tool's output."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from siptxn_e2e import PLUGIN, TsharkTestCase, capture, tshark
from test_check import CHECK, check_module, run_check

# The scenario: the calls of load-calls.csv by outcome, and the REGISTERs.
ANSWERED = 6          # 180, 200, held HOLD_MS, BYE, 200
BUSY = 3              # 180, 486 Busy Here (from the UAS, through kamailio)
UNAVAILABLE = 2       # 503 Service Unavailable from kamailio itself
SILENT = 1            # no answer downstream: 408 from kamailio after its fr_timer
HOLD_MS = 1000        # the UAC's pause between its ACK and its BYE
FR_TIMER_MS = 2000    # kamailio-load.cfg: fr_timer, the 408's delay
REGISTERED = 2        # REGISTER, 401, REGISTER with credentials, 200
WRONG_PASSWORD = 1    # REGISTER, 401, REGISTER with a wrong password, 403

CALLS = ANSWERED + BUSY + UNAVAILABLE + SILENT
REGISTRATIONS = REGISTERED + WRONG_PASSWORD

# RFC 6076 §4, applied to the scenario (the first hop of each call, UAC -> kamailio).
EXPECTED_RATIOS = {
    # §4.6: INVITEs with a 200 / (INVITEs - those with a 3xx); no 3xx here.
    "ser": (ANSWERED, CALLS),
    # §4.7: 200, 480, 486, 600, 603 / (INVITEs - 3xx).
    "seer": (ANSWERED + BUSY, CALLS),
    # §4.8: 408, 500, 503, 504 / INVITEs.
    "isa": (UNAVAILABLE + SILENT, CALLS),
    # §4.9: sessions established and ended with a BYE that got its 200 / INVITEs.
    "scr": (ANSWERED, CALLS),
    # §4.10: neither an ineffective attempt nor a failed completion / INVITEs.
    "ssr": (CALLS - UNAVAILABLE - SILENT, CALLS),
    # §4.2: failed attempts (403; a 401 challenge is not a failure) / attempts.
    "ira": (WRONG_PASSWORD, REGISTRATIONS),
}

LOAD = "sipp-load.pcapng"


def kpi_text(capture_name, two_pass=True):
    arguments = ["-r", capture(capture_name), "-q", "-z", "siptxn,kpi"]
    return tshark(arguments + (["-2"] if two_pass else []))


def check_json(arguments):
    done = run_check(["--json"] + list(arguments))
    return done, json.loads(done.stdout)


class LoadKpis(TsharkTestCase):
    """Each KPI of the call scope equals what the scenario gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = check_module()
        cls.kpi = cls.check.parse_kpi(kpi_text(LOAD).splitlines())

    def test_session_counts(self):
        sessions = self.kpi["call"]["sessions"]
        self.assertEqual(sessions["requests"], CALLS)
        self.assertEqual(sessions["open"], 0)
        self.assertEqual(sessions["established"], ANSWERED)
        self.assertEqual(sessions["effective"], ANSWERED + BUSY)
        self.assertEqual(sessions["ineffective"], UNAVAILABLE + SILENT)
        self.assertEqual(sessions["completed"], ANSWERED)
        self.assertEqual(sessions["redirected"], 0)

    def test_ratios(self):
        for name, (numerator, denominator) in EXPECTED_RATIOS.items():
            with self.subTest(ratio=name):
                ratio = self.kpi["call"]["ratios"][name]
                self.assertEqual((ratio["numerator"], ratio["denominator"]), (numerator, denominator))
                self.assertAlmostEqual(ratio["value"], numerator / denominator, places=6)

    def test_registration_request_delay_spans_the_challenge(self):
        # §4.1: one attempt per first REGISTER; the RRD of a successful one runs to its 200.
        registrations = self.kpi["call"]["registrations"]
        self.assertEqual(registrations["attempts"], REGISTRATIONS)
        self.assertEqual(registrations["challenged"], REGISTRATIONS)
        self.assertEqual(registrations["successful"], REGISTERED)
        self.assertEqual(self.kpi["call"]["delays"]["rrd"]["count"], REGISTERED)

    def test_session_request_delays(self):
        # §4.3.1: the answered calls; §4.3.2: the busy, unavailable and silent ones.
        delays = self.kpi["call"]["delays"]
        self.assertEqual(delays["srd"]["count"], ANSWERED)
        self.assertEqual(delays["srd_failed"]["count"], BUSY + UNAVAILABLE + SILENT)
        # The silent call's first answer is kamailio's 408, after its fr_timer.
        self.assertGreaterEqual(delays["srd_failed"]["max_us"], FR_TIMER_MS * 1000 * 0.9)
        self.assertLess(delays["srd_failed"]["max_us"], FR_TIMER_MS * 1000 * 1.5)

    def test_disconnect_delay_and_duration(self):
        # §4.4: each answered call's BYE got a 200; §4.5: SDT is the hold time.
        disconnects = self.kpi["call"]["disconnects"]
        self.assertEqual((disconnects["requests"], disconnects["successful"]), (ANSWERED, ANSWERED))
        sdt = self.kpi["call"]["delays"]["sdt"]
        self.assertEqual(sdt["count"], ANSWERED)
        self.assertGreaterEqual(sdt["min_us"], HOLD_MS * 1000)
        self.assertLess(sdt["max_us"], HOLD_MS * 1000 * 1.1)
        self.assertTrue(sdt["min_us"] <= sdt["median_us"] <= sdt["p95_us"] <= sdt["max_us"])

    def test_hops(self):
        # Through kamailio: UAC -> kamailio carries every call and REGISTER;
        # kamailio -> each UAS only the calls it sent there (503 never left kamailio).
        hops = {(hop["client"], hop["server"]): hop for hop in self.kpi["hops"]}
        first = hops[("127.0.0.1:5061", "127.0.0.1:5060")]
        self.assertEqual(first["sessions"], self.kpi["call"]["sessions"])
        self.assertEqual(hops[("127.0.0.1:5060", "127.0.0.1:5062")]["sessions"]["established"], ANSWERED)
        self.assertEqual(hops[("127.0.0.1:5060", "127.0.0.1:5063")]["sessions"]["effective"], BUSY)
        silent = hops[("127.0.0.1:5060", "127.0.0.1:5064")]["sessions"]
        # The capture ends before Timer B (64*T1) of the silent INVITE: still open.
        self.assertEqual((silent["requests"], silent["open"]), (SILENT, SILENT))
        self.assertEqual(len(hops), 4)

    def test_one_and_two_passes_agree(self):
        self.assertEqual(self.check.parse_kpi(kpi_text(LOAD, two_pass=False).splitlines()), self.kpi)

    def test_percentiles_from_buckets_agree_with_the_plugin(self):
        # siptxn-check recomputes percentiles only when it adds captures up: the same rule.
        for name, delay in self.kpi["call"]["delays"].items():
            with self.subTest(delay=name):
                merged = self.check.merge_kpis([self.kpi])["call"]["delays"][name]
                self.assertEqual(merged, delay)


class CheckKpis(TsharkTestCase):
    def test_json_has_the_kpis_of_the_tap(self):
        done, document = check_json([capture(LOAD)])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(document["format"], 2)
        tap = check_module().parse_kpi(kpi_text(LOAD).splitlines())
        self.assertEqual(document["captures"][0]["kpi"], tap)
        self.assertEqual(document["kpi"]["call"], tap["call"])

    def test_merge_of_reports_equals_the_merged_capture(self):
        folder = tempfile.mkdtemp(prefix="siptxn-kpi-test.")
        self.addCleanup(shutil.rmtree, folder)
        parts = [capture("register-403.pcapng"), capture(LOAD)]
        merged_capture = os.path.join(folder, "merged.pcapng")
        subprocess.run(["mergecap", "-w", merged_capture] + parts, check=True)
        os.chmod(folder, 0o755)
        os.chmod(merged_capture, 0o644)
        reports = []
        for index, part in enumerate(parts):
            done, _ = check_json([part])
            path = os.path.join(folder, "part%d.json" % index)
            with open(path, "w", encoding="utf-8") as file:
                file.write(done.stdout)
            reports.append(path)
        merged_done, merged = check_json(["--merge"] + reports)
        self.assertEqual(merged_done.returncode, 0, merged_done.stderr)
        _, whole = check_json([merged_capture])
        self.assertEqual(merged["kpi"], whole["kpi"])
        self.assertEqual(merged["total"]["transactions"], whole["total"]["transactions"])
        self.assertEqual(merged["kpi"]["call"]["registrations"]["attempts"], REGISTRATIONS + 1)

    def test_thresholds_pass_and_fail_as_written(self):
        load = capture(LOAD)
        ser = ANSWERED / CALLS
        passing = run_check(["--require", "ser>=%.4f" % (ser - 0.01), "--require", "isa<=26%",
                             "--require", "sdt.median>=%dms" % HOLD_MS, "--require", "srd.count==%d" % ANSWERED,
                             load])
        self.assertEqual(passing.returncode, 0, passing.stdout + passing.stderr)
        self.assertIn("threshold ser>=", passing.stdout)
        failing = run_check(["--require", "ser>=%.4f" % (ser + 0.01), "--require", "srd.p95<=1ms", load])
        self.assertEqual(failing.returncode, 1, failing.stdout + failing.stderr)
        self.assertIn("MISSED", failing.stdout)
        self.assertIn("2 of 2 thresholds missed", failing.stdout.splitlines()[-1])
        _, document = check_json(["--require", "ira<=0.1", load])
        self.assertEqual([(outcome["require"], outcome["passed"]) for outcome in document["thresholds"]],
                         [("ira<=0.1", False)])
        self.assertEqual(document["exit_code"], 1)

    def test_an_undefined_metric_fails_its_threshold(self):
        # register-403 has no INVITE: SER is undefined, which no threshold accepts.
        done = run_check(["--require", "ser>=0.5", capture("register-403.pcapng")])
        self.assertEqual(done.returncode, 1)
        self.assertIn("undefined", done.stdout)

    def test_bad_thresholds_exit_2(self):
        for threshold, fragment in (("ser>=", "give a number"), ("ser", "METRIC OP VALUE"), ("mos>=4", "unknown metric 'mos'"),
                                    ("srd<=2s", "srd.p95"), ("srd.p95<=2", "unit"), ("ser>=150", "ratio"),
                                    ("ser=>0.9", "METRIC OP VALUE")):
            with self.subTest(threshold=threshold):
                done = run_check(["--require", threshold, capture(LOAD)])
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
                self.assertIn(fragment, done.stderr)
                self.assertEqual(done.stdout, "")


class ManyCaptures(TsharkTestCase):
    NAMES = ["sipp-load.pcapng", "invite-486.pcapng", "register-401-200.pcapng", "proxy-200-bye.pcapng"]

    def test_jobs_give_the_same_output_as_one_at_a_time(self):
        captures = [capture(name) for name in self.NAMES]
        sequential = run_check(["--json"] + captures)
        parallel = run_check(["--json", "--jobs", "3"] + captures)
        self.assertEqual(parallel.returncode, sequential.returncode)
        self.assertEqual(json.loads(parallel.stdout), json.loads(sequential.stdout))
        text = run_check(captures)
        self.assertEqual(run_check(["--jobs", "2"] + captures).stdout, text.stdout)

    def test_no_sip_is_an_error_unless_allowed(self):
        no_sip = capture("crafted-no-sip.pcapng")
        done = run_check([no_sip])
        self.assertEqual(done.returncode, 2)
        self.assertIn("no SIP message found", done.stderr)
        allowed, document = check_json(["--allow-no-sip", no_sip])
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        self.assertEqual(document["captures"][0]["sip_messages"], 0)


class TransactionExport(TsharkTestCase):
    FIELDS = ["capture", "transaction", "kind", "method", "call_id", "cseq", "branch", "sent_by", "client", "server",
              "transport", "first_frame", "first_time", "last_frame", "last_time", "messages", "request_frame",
              "final_status", "final_reason", "final_frame", "reason_class", "reason_source", "final_explanation",
              "retransmissions", "ack_class", "ack_frame", "acknowledges_transaction", "cancel_frame",
              "cancels_transaction", "forwarded_from_transaction", "forwarded_to_transaction", "unanswered",
              "findings"]

    def test_one_object_per_transaction_with_stable_fields(self):
        folder = tempfile.mkdtemp(prefix="siptxn-kpi-test.")
        self.addCleanup(shutil.rmtree, folder)
        target = os.path.join(folder, "transactions.ndjson")
        _, document = check_json(["--transactions", target, capture(LOAD)])
        with open(target, encoding="utf-8") as file:
            records = [json.loads(line) for line in file]
        report = document["captures"][0]
        self.assertEqual(len(records), report["transactions"]["total"])
        self.assertEqual([record["transaction"] for record in records],
                         [entry["number"] for entry in report["transactions"]["list"]])
        for record in records:
            self.assertEqual(list(record), self.FIELDS)
        invites = [record for record in records if record["kind"] == "INVITE" and record["client"] == "127.0.0.1:5061"]
        self.assertEqual(len(invites), CALLS)
        self.assertEqual(sorted(record["final_status"] for record in invites),
                         sorted([200] * ANSWERED + [486] * BUSY + [503] * UNAVAILABLE + [408] * SILENT))
        forwarded = [record for record in invites if record["forwarded_to_transaction"]]
        self.assertEqual(len(forwarded), ANSWERED + BUSY + SILENT)   # the 503s never left kamailio
        self.assertTrue(all(record["transport"] == "UDP" for record in records))

    def test_stdout(self):
        done = run_check(["--transactions", "-", capture("invite-486.pcapng")])
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), 1)
        record = json.loads(lines[0])
        self.assertEqual((record["method"], record["final_status"], record["ack_class"]), ("INVITE", 486, "non-2xx"))


class Timing(TsharkTestCase):
    def test_a_small_capture_costs_one_tshark_run(self):
        # The value names come from a cache after the first run: a second run of a
        # 2-packet capture starts tshark once (as run-tshark.sh logs nothing, count time).
        folder = tempfile.mkdtemp(prefix="siptxn-kpi-test.")
        self.addCleanup(shutil.rmtree, folder)
        small = os.path.join(folder, "two.pcapng")
        subprocess.run(["editcap", "-r", capture("invite-486.pcapng"), small, "1-2"], check=True)
        os.chmod(folder, 0o755)
        os.chmod(small, 0o644)
        environment = {"XDG_CACHE_HOME": folder}
        run_check([small], environment=environment)
        cached = [name for name in os.listdir(os.path.join(folder, "siptxn-check")) if name.startswith("values-")]
        self.assertEqual(len(cached), 1)
        started = time.monotonic()
        done = run_check([small], environment=environment)
        one_run = time.monotonic() - started
        self.assertEqual(done.returncode, 0, done.stderr)
        started = time.monotonic()
        tshark(["-r", small, "-2", "-q"])
        plain = time.monotonic() - started
        self.assertLess(one_run, plain * 2.5 + 1.0)


if __name__ == "__main__":
    unittest.main()
