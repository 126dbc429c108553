# SPDX-License-Identifier: GPL-2.0-or-later
"""test_adversarial: tshark with the plugin on hostile captures written by scripts/make-adversarial.py.

Every capture must be read without a crash (exit code 0) and without a
sanitizer report on stderr; wrong input must raise the matching expert info;
the ordinary transaction each capture ends with must still be analysed
(HostileCaptures, ctest fuzz.adversarial); and the memory tshark needs must
grow linearly with the number of transactions (ManyBranches, 50,000 and
200,000 transactions: ctest fuzz.adversarial.scale, a thorough test).
Roles are compared by the names the plugin gives them (tshark -G values).

Environment: SIPTXN_PLUGIN (the plugin under test), SIPTXN_SOURCE_DIR (the
source tree).  A sanitized plugin is detected by its AddressSanitizer symbols;
its runtime is then preloaded into tshark (SIPTXN_TSHARK_PRELOAD, read by
scripts/run-tshark.sh) unless the caller set it already.  The memory test
needs an uninstrumented plugin (AddressSanitizer's allocator pads every
allocation) and is skipped for a sanitized one."""

import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = os.path.abspath(os.environ.get("SIPTXN_SOURCE_DIR",
                                            os.path.join(os.path.dirname(__file__), "..", "..")))
PLUGIN = os.environ.get("SIPTXN_PLUGIN", os.path.join(SOURCE_DIR, "build", "siptxn.so"))
RUN_TSHARK = os.path.join(SOURCE_DIR, "scripts", "run-tshark.sh")
MAKE_ADVERSARIAL = os.path.join(SOURCE_DIR, "scripts", "make-adversarial.py")

BRANCHES_SMALL = 50_000
BRANCHES_LARGE = 200_000
# Growth of tshark's peak memory per extra transaction that siptxn may add on top of
# what Wireshark itself needs for the same frames.
MEMORY_LIMIT_BYTES_PER_TRANSACTION = 2048

HOSTILE_CAPTURES = ["long-call-id", "long-reason-phrase", "many-vias", "missing-headers", "odd-branches",
                    "response-storm", "tiny-tcp-segments", "duplicate-frames", "clock-jumps", "far-future"]

REQUEST, REQUEST_RETRANSMISSION = "request", "request retransmission"
FINAL, FINAL_RETRANSMISSION = "final response", "final response retransmission"

SANITIZER_REPORT = re.compile(r"ERROR: AddressSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer|"
                              r"AddressSanitizer:DEADLYSIGNAL|LeakSanitizer has encountered a fatal error")
OUR_FRAME = re.compile(r"siptxn|/plugin/[A-Za-z0-9_/-]+\.c")
ASSERTION = re.compile(r"assertion .*failed|\*\* \(tshark:\d+\): (CRITICAL|ERROR)", re.IGNORECASE)


def plugin_is_sanitized(path):
    with open(path, "rb") as plugin:
        return b"__asan_init" in plugin.read()


def sanitizer_runtime(path):
    """The AddressSanitizer runtime the plugin was linked with (for LD_PRELOAD)."""
    listing = subprocess.run(["ldd", path], capture_output=True, text=True, check=False).stdout
    match = re.search(r"=>\s*(\S*(?:libasan|libclang_rt\.asan)[^\s]*)", listing)
    if match:
        return match.group(1)
    if shutil.which("clang"):
        return subprocess.run(["clang", "-print-file-name=libclang_rt.asan-x86_64.so"], capture_output=True,
                              text=True, check=True).stdout.strip()
    raise AssertionError(f"{path} is sanitized but its AddressSanitizer runtime was not found")


def plugin_value_names(environment):
    """{field: {number as text: name}} of the plugin's named siptxn fields (tshark -G values)."""
    listing = subprocess.run([RUN_TSHARK, PLUGIN, "-G", "values"], env=environment, capture_output=True,
                             text=True, check=True, timeout=300).stdout
    names = {}
    for line in listing.splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and cells[0] == "V" and cells[1].startswith("siptxn."):
            names.setdefault(cells[1], {})[cells[2]] = cells[3]
    if "siptxn.role" not in names:
        raise AssertionError(f"tshark -G values with {PLUGIN} lists no siptxn.role names: the plugin did not load")
    return names


def leaks_of_ours(stderr):
    """LeakSanitizer stack frames that lie in siptxn (Wireshark's own leaks are not ours)."""
    if "ERROR: LeakSanitizer" not in stderr:
        return []
    report = stderr[stderr.index("ERROR: LeakSanitizer"):]
    return [line for line in report.splitlines() if re.match(r"\s+#\d+ ", line) and OUR_FRAME.search(line)]


class AdversarialTestCase(unittest.TestCase):
    """Each test reads one or more captures generated once for the whole class
    (make-adversarial.py with the arguments in GENERATE)."""

    GENERATE = []
    folder = None
    environment = None
    sanitized = False
    role_names = {}

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(PLUGIN):
            raise AssertionError(f"plugin {PLUGIN} not built: run cmake --build first")
        cls.sanitized = plugin_is_sanitized(PLUGIN)
        cls.environment = dict(os.environ)
        if cls.sanitized:
            if not cls.environment.get("SIPTXN_TSHARK_PRELOAD"):
                cls.environment["SIPTXN_TSHARK_PRELOAD"] = sanitizer_runtime(PLUGIN)
            cls.environment.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:detect_odr_violation=0")
            cls.environment.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
            # Leaks are judged by their frames below; Wireshark's own must not fail the run.
            cls.environment.setdefault("LSAN_OPTIONS", "exitcode=0")
        cls.role_names = plugin_value_names(cls.environment)["siptxn.role"]
        cls.folder = tempfile.mkdtemp(prefix="siptxn-adversarial-")
        subprocess.run([sys.executable, MAKE_ADVERSARIAL, cls.folder] + cls.GENERATE, check=True,
                       capture_output=True, timeout=900)

    @classmethod
    def tearDownClass(cls):
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)

    def capture(self, name):
        return os.path.join(self.folder, f"{name}.pcapng")

    def tshark(self, name, arguments, plugin=None, measure_memory=False):
        """Runs tshark on the capture; checks exit code, sanitizer reports and
        assertions; returns (stdout, peak RSS in kB or None)."""
        command = [RUN_TSHARK, plugin or PLUGIN, "-r", self.capture(name)] + list(arguments)
        if measure_memory:
            command = ["/usr/bin/time", "-f", "peak-rss-kb=%M"] + command
        done = subprocess.run(command, env=self.environment, capture_output=True, text=True, errors="replace",
                              timeout=1800)
        stderr = done.stderr
        where = f"{name} {' '.join(arguments)}"
        self.assertIsNone(SANITIZER_REPORT.search(stderr), f"sanitizer report for {where}:\n{stderr[-6000:]}")
        self.assertEqual(leaks_of_ours(stderr), [], f"siptxn leaked memory on {where}:\n{stderr[-6000:]}")
        self.assertIsNone(ASSERTION.search(stderr), f"assertion for {where}:\n{stderr[-3000:]}")
        self.assertEqual(done.returncode, 0, f"tshark exited with {done.returncode} on {where}:\n{stderr[-3000:]}")
        self.assertNotRegex(done.stdout, r"Dissector bug, protocol SIPTXN|Malformed Packet: SIPTXN")
        peak = None
        if measure_memory:
            found = re.findall(r"peak-rss-kb=(\d+)", stderr)
            self.assertTrue(found, f"/usr/bin/time printed no peak RSS: {stderr[-500:]}")
            peak = int(found[-1])
        return done.stdout, peak

    def frames(self, name, fields, two_pass=True, **kwargs):
        """frame number -> {field: [values]} for the frames that have any of the fields;
        siptxn.role values are the roles' names."""
        arguments = (["-2"] if two_pass else []) + ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;",
                                                    "-e", "frame.number"]
        for field in fields:
            arguments += ["-e", field]
        stdout, peak = self.tshark(name, arguments, **kwargs)
        rows = {}
        for line in stdout.splitlines():
            cells = line.split("\t")
            values = {field: cells[i + 1].split(";") if i + 1 < len(cells) and cells[i + 1] else []
                      for i, field in enumerate(fields)}
            if "siptxn.role" in values:
                values["siptxn.role"] = [self.role_names.get(role, role) for role in values["siptxn.role"]]
            if any(values.values()):
                rows[int(cells[0])] = values
        return rows, peak

    def assert_check_transaction_analysed(self, rows, name):
        """The ordinary OPTIONS/200 at the end: its own transaction, request then final response."""
        last = max(rows)
        request_row, response_row = rows.get(last - 1), rows[last]
        self.assertIsNotNone(request_row, f"{name}: the closing OPTIONS has no siptxn tree")
        self.assertEqual(request_row["siptxn.role"], [REQUEST], name)
        self.assertEqual(response_row["siptxn.role"], [FINAL], name)
        self.assertEqual(request_row["siptxn.txn"], response_row["siptxn.txn"],
                         f"{name}: the closing 200 is not matched to its OPTIONS")



class HostileCaptures(AdversarialTestCase):
    GENERATE = [argument for name in HOSTILE_CAPTURES for argument in ("--only", name)]

    # ------------------------------------------------------------ every capture

    def test_every_capture_is_read_cleanly_and_still_analysed(self):
        for name in HOSTILE_CAPTURES:
            with self.subTest(capture=name):
                rows, _ = self.frames(name, ["siptxn.txn", "siptxn.role"])
                self.assert_check_transaction_analysed(rows, name)
                rows, _ = self.frames(name, ["siptxn.txn", "siptxn.role"], two_pass=False)
                self.assert_check_transaction_analysed(rows, name)
                self.tshark(name, ["-V"])

    # ------------------------------------------------------------ wrong input

    def test_missing_headers_raise_expert_infos(self):
        experts = ["siptxn.expert.malformed.no_via", "siptxn.expert.malformed.no_cseq",
                   "siptxn.expert.malformed.bad_cseq", "siptxn.expert.malformed.no_call_id"]
        rows, _ = self.frames("missing-headers", ["siptxn.txn"] + experts)
        expected = {
            1: "siptxn.expert.malformed.no_via",      # OPTIONS without Via
            2: "siptxn.expert.malformed.no_cseq",     # OPTIONS without CSeq
            3: "siptxn.expert.malformed.bad_cseq",    # CSeq: 4294967297 INVITE
            4: "siptxn.expert.malformed.bad_cseq",    # CSeq: -1 INVITE
            5: "siptxn.expert.malformed.no_call_id",  # OPTIONS without Call-ID
            6: "siptxn.expert.malformed.no_via",      # 200 without Via
        }
        for frame, expert in expected.items():
            self.assertIn(frame, rows, f"frame {frame} has no siptxn tree")
            self.assertTrue(rows[frame][expert], f"frame {frame}: {expert} missing")
            self.assertTrue(rows[frame]["siptxn.txn"], f"frame {frame}: no transaction")
        numbers = [rows[frame]["siptxn.txn"][0] for frame in expected]
        self.assertEqual(len(set(numbers)), len(numbers), "messages without keys must not share a transaction")

    def test_odd_branches_still_pair_requests_and_responses(self):
        rows, _ = self.frames("odd-branches", ["siptxn.txn", "siptxn.role"])
        for request_frame in range(1, 13, 2):
            self.assertEqual(rows[request_frame]["siptxn.role"], [REQUEST], f"frame {request_frame}")
            self.assertEqual(rows[request_frame + 1]["siptxn.role"], [FINAL], f"frame {request_frame + 1}")
            self.assertEqual(rows[request_frame]["siptxn.txn"], rows[request_frame + 1]["siptxn.txn"],
                             f"the 200 in frame {request_frame + 1} is not matched to its OPTIONS")

    def test_response_storm_makes_one_transaction_per_branch(self):
        rows, _ = self.frames("response-storm", ["siptxn.txn", "siptxn.role",
                                                 "siptxn.expert.response_without_request"])
        storm = {frame: row for frame, row in rows.items() if frame <= 5000}
        self.assertEqual(len(storm), 5000, "every 200 of the storm is analysed")
        roles = collections.Counter(row["siptxn.role"][0] for row in storm.values())
        self.assertEqual(roles[FINAL], 1000)
        self.assertEqual(roles[FINAL_RETRANSMISSION], 4000)
        self.assertEqual(len({row["siptxn.txn"][0] for row in storm.values()}), 1000)
        self.assertEqual(sum(1 for row in storm.values() if row["siptxn.expert.response_without_request"]), 1000)

    # ------------------------------------------------------------ transport oddities

    def test_message_in_tiny_tcp_segments_is_analysed_once(self):
        rows, _ = self.frames("tiny-tcp-segments", ["siptxn.txn", "siptxn.role"])
        invite = [frame for frame, row in rows.items() if row["siptxn.role"] == [REQUEST]]
        finals = [frame for frame, row in rows.items() if row["siptxn.role"] == [FINAL]]
        self.assertEqual(len(invite), 2, "the INVITE and the closing OPTIONS, once each")
        self.assertEqual(rows[invite[0]]["siptxn.txn"], rows[finals[0]]["siptxn.txn"])
        self.assertGreater(invite[0], 100, "the INVITE is analysed where its last segment completes it")

    def test_duplicate_frames_are_duplicates_of_the_first_copy(self):
        # Every frame twice, the same IP identification and bytes at the same
        # time stamp: the packet captured twice, not a SIP retransmission.
        rows, _ = self.frames("duplicate-frames", ["siptxn.txn", "siptxn.role", "siptxn.retransmission",
                                                   "siptxn.duplicate.original"])
        for copy in range(2, 13, 2):
            self.assertEqual(rows[copy]["siptxn.role"], ["duplicate"], f"frame {copy} repeats frame {copy - 1}")
            self.assertEqual(rows[copy]["siptxn.txn"], rows[copy - 1]["siptxn.txn"])
            self.assertEqual(rows[copy]["siptxn.duplicate.original"], [str(copy - 1)])
            self.assertIn(rows[copy]["siptxn.retransmission"], (["0"], ["False"]))

    def test_huge_headers_keep_their_transactions(self):
        for name in ("long-call-id", "long-reason-phrase", "many-vias"):
            with self.subTest(capture=name):
                rows, _ = self.frames(name, ["siptxn.txn", "siptxn.role"])
                requests = [frame for frame, row in rows.items() if row["siptxn.role"] == [REQUEST]]
                self.assertEqual(len(requests), 2, f"{name}: the big request and the closing OPTIONS")
                response = min(frame for frame, row in rows.items() if row["siptxn.role"] == [FINAL])
                self.assertEqual(rows[requests[0]]["siptxn.txn"], rows[response]["siptxn.txn"],
                                 f"{name}: the response is not matched to the request")

    def test_clock_jumps_keep_retransmissions(self):
        for name, copies in (("clock-jumps", {2: 1, 4: 3}), ("far-future", {2: 1})):
            with self.subTest(capture=name):
                rows, _ = self.frames(name, ["siptxn.role", "siptxn.retransmission.original"])
                for copy, original in copies.items():
                    self.assertEqual(rows[copy]["siptxn.role"], [REQUEST_RETRANSMISSION])
                    self.assertEqual(rows[copy]["siptxn.retransmission.original"], [str(original)])



class ManyBranches(AdversarialTestCase):
    GENERATE = ["--branches", str(BRANCHES_SMALL), "--branches", str(BRANCHES_LARGE),
                "--only", f"many-branches-{BRANCHES_SMALL}", "--only", f"many-branches-{BRANCHES_LARGE}"]

    def test_many_branches_memory_is_linear(self):
        fields = ["siptxn.txn", "siptxn.role"]
        peaks = {}
        for count in (BRANCHES_SMALL, BRANCHES_LARGE):
            name = f"many-branches-{count}"
            rows, peaks[count] = self.frames(name, fields, two_pass=False, measure_memory=True)
            self.assertEqual(len(rows), 2 * count + 2, f"{name}: every message analysed")
            numbers = {int(row["siptxn.txn"][0]) for row in rows.values()}
            self.assertEqual(numbers, set(range(1, count + 2)), f"{name}: one transaction per branch, numbered 1..N")
            roles = collections.Counter(row["siptxn.role"][0] for row in rows.values())
            self.assertEqual(roles[REQUEST], count + 1)
            self.assertEqual(roles[FINAL], count + 1)
        if self.sanitized:
            self.skipTest("memory growth is not measured with a sanitized plugin (ASan pads every allocation)")
        # Wireshark's own growth for the same frames, with the same SIP fields asked for.
        baseline = {}
        for count in (BRANCHES_SMALL, BRANCHES_LARGE):
            _, baseline[count] = self.tshark(f"many-branches-{count}",
                                             ["-T", "fields", "-e", "sip.Call-ID", "-e", "sip.Via.branch",
                                              "-e", "sip.CSeq.seq"], plugin="-", measure_memory=True)
        extra_transactions = BRANCHES_LARGE - BRANCHES_SMALL
        total = (peaks[BRANCHES_LARGE] - peaks[BRANCHES_SMALL]) * 1024 / extra_transactions
        wireshark = (baseline[BRANCHES_LARGE] - baseline[BRANCHES_SMALL]) * 1024 / extra_transactions
        siptxn = total - wireshark
        print(f"\nmemory per transaction: {total:.0f} bytes in all, {wireshark:.0f} for Wireshark's own frames, "
              f"{siptxn:.0f} for siptxn (peak RSS {peaks[BRANCHES_SMALL]} kB at {BRANCHES_SMALL} transactions, "
              f"{peaks[BRANCHES_LARGE]} kB at {BRANCHES_LARGE}; without siptxn {baseline[BRANCHES_SMALL]} kB and "
              f"{baseline[BRANCHES_LARGE]} kB)", file=sys.stderr)
        self.assertLess(siptxn, MEMORY_LIMIT_BYTES_PER_TRANSACTION,
                        f"siptxn needs {siptxn:.0f} bytes per transaction")


if __name__ == "__main__":
    unittest.main()
