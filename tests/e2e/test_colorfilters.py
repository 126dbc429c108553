# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin/siptxn.colorfilters: the file is in Wireshark's colouring-rules format,
every filter compiles with the plugin loaded, the expert rules name exactly the
plugin's findings of their severity, and Wireshark's own colouring (tshark --color,
which reads the rules as the GUI does) gives each crafted capture's frames the rule
their scenario comments call for."""

import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

from siptxn_e2e import PLUGIN, RUN_TSHARK, SOURCE_DIR, TsharkTestCase, capture, tshark

COLORFILTERS = os.path.join(SOURCE_DIR, "plugin", "siptxn.colorfilters")
CRAFTED_DIR = os.path.join(SOURCE_DIR, "test-captures", "crafted")
RULE_LINE = re.compile(r"^(!?)@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$")
# tshark --color on a true-colour terminal: foreground, background, then the frame number.
PAINTED_LINE = re.compile(r"\x1b\[38;2;(\d+);(\d+);(\d+)m\x1b\[48;2;(\d+);(\d+);(\d+)m\s*(\d+)\s")

VIOLATION = "siptxn: RFC 3261 violation"
UNANSWERED = "siptxn: unanswered transaction"
WARNING = "siptxn: RFC 3261 warning"
RETRANSMISSION = "siptxn: retransmission"
DUPLICATE = "siptxn: duplicate"
ACK_CLASS = {"2": "siptxn: ACK to a 2xx", "1": "siptxn: ACK to a non-2xx", "0": "siptxn: ACK of unknown class"}
# The rules in the order the file must list them: Wireshark uses the first that matches.
RULE_ORDER = [VIOLATION, UNANSWERED, WARNING, RETRANSMISSION, DUPLICATE, ACK_CLASS["2"], ACK_CLASS["1"],
              ACK_CLASS["0"]]
SEVERITY = {VIOLATION: "PI_ERROR", WARNING: "PI_WARN", UNANSWERED: "PI_WARN"}
UNANSWERED_EXPERT = "siptxn.expert.unanswered"


def read_rules():
    """[(name, filter, background, foreground)] in file order; asserts the format
    (Wireshark's: @name@filter@[background][foreground], 16-bit components)."""
    rules = []
    with open(COLORFILTERS, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or "SPDX-License-Identifier: GPL-2.0-or-later" not in lines[0]:
        raise AssertionError("%s must start with the SPDX header" % COLORFILTERS)
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = RULE_LINE.match(line)
        if not match:
            raise AssertionError("%s:%d is not @name@filter@[r,g,b][r,g,b]: %r" % (COLORFILTERS, number, line))
        if match.group(1):
            raise AssertionError("%s:%d: rule %r is disabled" % (COLORFILTERS, number, match.group(2)))
        components = [int(value) for value in match.groups()[3:]]
        if any(value > 65535 for value in components):
            raise AssertionError("%s:%d: colour components are 16-bit (0-65535)" % (COLORFILTERS, number))
        rules.append((match.group(2), match.group(3), tuple(components[:3]), tuple(components[3:])))
    return rules


def registered_experts():
    """expert field name -> severity (PI_ERROR, PI_WARN, ...) from the plugin's
    ei_register_info tables."""
    experts = {}
    pattern = re.compile(r'\{\s*&\w+\s*,\s*\{\s*"(siptxn\.expert\.[\w.]+)"\s*,\s*PI_\w+\s*,\s*(PI_\w+)')
    for path in glob.glob(os.path.join(SOURCE_DIR, "plugin", "*.c")):
        with open(path, encoding="utf-8") as f:
            for name, severity in pattern.findall(f.read()):
                experts[name] = severity
    return experts


def scenario_expectations(sip_file):
    """frame -> facts stated by the comment that introduces its block in a crafted
    scenario: error, warning, unanswered, no_expert (bools), retransmission ("0"/"1"),
    ack_class ("0"/"1"/"2")."""
    expectations = {}
    comment = []
    with open(sip_file, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                comment.append(line[1:].strip())
                continue
            if line.startswith("=== ") and comment:
                frame = re.search(r"\bframe (\d+)\b", comment[0])
                if frame:
                    text = " ".join(comment)
                    facts = {
                        "error": "expert ERROR" in text,
                        "warning": "expert WARNING" in text,
                        "unanswered": "expert WARNING: no final response within" in text,
                        "no_expert": re.search(r"\bno expert info\b", text, re.IGNORECASE) is not None,
                    }
                    for key, field in (("retransmission", "siptxn.retransmission"), ("ack_class", "siptxn.ack.class")):
                        value = re.search(re.escape(field) + r"=(\d)", text)
                        facts[key] = value.group(1) if value else None
                    # The even roles (2, 4, 6, 8, 10) are the retransmissions.
                    role = re.search(r"\brole=(\d+)", text)
                    if facts["retransmission"] is None and role:
                        facts["retransmission"] = "1" if int(role.group(1)) % 2 == 0 else "0"
                    expectations[int(frame.group(1))] = facts
            comment = []
    return expectations


def luminance(rgb, full=65535):
    """Relative luminance of an (R, G, B) colour, 0 (black) to 1 (white), coarse."""
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / full


def expected_rule(facts):
    """The rule the comment calls for, "" for none, None when the comment does not
    say enough to know."""
    if facts["error"]:
        return VIOLATION
    if facts["unanswered"]:
        return UNANSWERED
    if facts["warning"]:
        return WARNING
    if facts["retransmission"] == "1":
        return RETRANSMISSION
    if facts["ack_class"] is not None:
        return ACK_CLASS[facts["ack_class"]]
    if facts["no_expert"] and facts["retransmission"] == "0":
        return ""
    return None


class ColorfiltersTest(TsharkTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rules = read_rules()
        cls.profile = tempfile.mkdtemp(prefix="siptxn-colorfilters.")
        shutil.copy(COLORFILTERS, os.path.join(cls.profile, "colorfilters"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.profile, ignore_errors=True)

    def rule(self, name):
        for rule in self.rules:
            if rule[0] == name:
                return rule
        self.fail("no rule named %r in %s" % (name, COLORFILTERS))

    def test_rules_in_order(self):
        self.assertEqual([rule[0] for rule in self.rules], RULE_ORDER)

    def test_colours_are_readable(self):
        for name, _, background, foreground in self.rules:
            # The text must stand out from the row.
            self.assertGreater(abs(luminance(foreground) - luminance(background)), 0.4, name)
        backgrounds = [rule[2] for rule in self.rules]
        self.assertEqual(len(set(backgrounds)), len(backgrounds), "two rules share a background colour")

    def test_every_filter_compiles_with_the_plugin(self):
        for name, display_filter, _, _ in self.rules:
            with self.subTest(rule=name):
                tshark(["-r", capture("crafted-ack-branch-mismatch.pcapng"), "-2", "-Y", display_filter])

    def test_filters_are_about_siptxn(self):
        # Every field a rule tests is one of siptxn's: no rule colours a frame for
        # what another dissector found.
        for name, display_filter, _, _ in self.rules:
            with self.subTest(rule=name):
                fields = re.findall(r"[A-Za-z_][\w.]*", display_filter)
                self.assertTrue(fields)
                for field in fields:
                    self.assertTrue(field == "siptxn" or field.startswith("siptxn."), field)

    def test_expert_rules_name_every_finding_of_their_severity(self):
        experts = registered_experts()
        self.assertGreater(len(experts), 10, "found no siptxn expert registrations in plugin/*.c")
        self.assertEqual(self.rule(UNANSWERED)[1], UNANSWERED_EXPERT)
        self.assertEqual(experts.get(UNANSWERED_EXPERT), SEVERITY[UNANSWERED])
        for name in (VIOLATION, WARNING):
            with self.subTest(rule=name):
                named = re.split(r"\s*\|\|\s*", self.rule(name)[1].strip())
                self.assertEqual(len(named), len(set(named)), "a finding is named twice")
                wanted = {expert for expert, severity in experts.items() if severity == SEVERITY[name]}
                wanted.discard(UNANSWERED_EXPERT)
                self.assertEqual(set(named), wanted)

    def test_colouring_of_crafted_captures(self):
        scenarios = sorted(glob.glob(os.path.join(CRAFTED_DIR, "*.sip")))
        self.assertTrue(scenarios, "no crafted scenarios in %s" % CRAFTED_DIR)

        def colour(sip_file):
            name = "crafted-%s.pcapng" % os.path.splitext(os.path.basename(sip_file))[0]
            output = tshark(["-r", capture(name), "-2", "--color", "-T", "fields",
                             "-e", "frame.number", "-e", "frame.coloring_rule.name"],
                            profile_dir=self.profile)
            coloured = {}
            for line in output.splitlines():
                frame, _, rule = line.partition("\t")
                coloured[int(frame)] = rule
            return name, coloured

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(zip(scenarios, pool.map(colour, scenarios)))

        used, checked = set(), 0
        for sip_file, (name, coloured) in results.items():
            used.update(rule for rule in coloured.values() if rule.startswith("siptxn: "))
            for frame, facts in sorted(scenario_expectations(sip_file).items()):
                wanted = expected_rule(facts)
                if wanted is None:
                    continue
                got = coloured.get(frame, "")
                if wanted == "":
                    self.assertFalse(got.startswith("siptxn: "),
                                     "%s frame %d: coloured by %r, expected no siptxn rule" % (name, frame, got))
                else:
                    self.assertEqual(got, wanted, "%s frame %d" % (name, frame))
                checked += 1
        self.assertGreater(checked, 40, "the scenario comments gave too few expectations")
        # Every rule but the duplicates' colours something in the crafted
        # captures; duplicates come from a recorded capture (below).
        self.assertEqual(used, set(RULE_ORDER) - {DUPLICATE})

    def test_duplicates_of_a_recorded_capture(self):
        # capture-duplicates.pcapng: every packet captured on both interfaces
        # of a router, the second copy of each pair (frames 2, 4, ... 16) one
        # hop later (test-captures/README.md, lesson 41).
        output = tshark(["-r", capture("capture-duplicates.pcapng"), "-2", "--color", "-T", "fields",
                         "-e", "frame.number", "-e", "frame.coloring_rule.name"], profile_dir=self.profile)
        coloured = dict(line.split("\t", 1) for line in output.splitlines())
        for frame in range(2, 17, 2):
            self.assertEqual(coloured.get(str(frame)), DUPLICATE, "frame %d" % frame)
        self.assertEqual(coloured.get("3"), RETRANSMISSION, "frame 3: the INVITE re-sent after T1")

    def test_wireshark_reads_the_file_without_complaint(self):
        env = dict(os.environ, SIPTXN_TEST_PROFILE_DIR=self.profile)
        done = subprocess.run([RUN_TSHARK, PLUGIN, "-r", capture("crafted-ack-orphan.pcapng"), "-2", "--color",
                               "-T", "fields", "-e", "frame.coloring_rule.name"],
                              env=env, capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn("colorfilters", done.stderr)
        self.assertNotIn("Could not compile", done.stderr)
        self.assertIn(ACK_CLASS["0"], done.stdout.split("\n"))

    def test_wireshark_paints_the_intended_colours(self):
        # tshark paints the rows of a true-colour terminal with the rule's colours
        # (16-bit components shifted to 8 bits): proof of the background/foreground order.
        if shutil.which("script") is None:
            self.fail("script(1), which gives tshark a terminal, is not installed: apt-get install bsdutils")
        env = dict(os.environ, SIPTXN_TEST_PROFILE_DIR=self.profile, COLORTERM="truecolor")
        rules = {rule[0]: rule for rule in self.rules}
        seen = set()
        for name in ("crafted-timers.pcapng", "crafted-ack-orphan.pcapng", "crafted-ack-branch-mismatch.pcapng"):
            coloured = {}
            for line in tshark(["-r", capture(name), "-2", "--color", "-T", "fields",
                                "-e", "frame.number", "-e", "frame.coloring_rule.name"],
                               profile_dir=self.profile).splitlines():
                frame, _, rule = line.partition("\t")
                coloured[int(frame)] = rule
            command = shlex.join([RUN_TSHARK, PLUGIN, "-r", capture(name), "-2", "--color"])
            done = subprocess.run(["script", "-qec", command, "/dev/null"], env=env, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace", timeout=300, stdin=subprocess.DEVNULL)
            self.assertEqual(done.returncode, 0, done.stdout)
            painted = {int(m.group(7)): (tuple(int(v) for v in m.groups()[3:6]), tuple(int(v) for v in m.groups()[0:3]))
                       for m in PAINTED_LINE.finditer(done.stdout)}
            self.assertTrue(painted, "tshark --color painted nothing: %r" % done.stdout[:300])
            for frame, rule_name in coloured.items():
                if rule_name not in rules:
                    continue
                _, _, background, foreground = rules[rule_name]
                with self.subTest(capture=name, frame=frame, rule=rule_name):
                    self.assertEqual(painted.get(frame), (tuple(v >> 8 for v in background),
                                                          tuple(v >> 8 for v in foreground)))
                    row, text = painted[frame]
                    if rule_name == VIOLATION:
                        # White text on a dark red row.
                        self.assertTrue(row[0] > 2 * row[1] and row[0] > 2 * row[2], row)
                        self.assertLess(luminance(row, 255), 0.3, row)
                        self.assertGreater(luminance(text, 255), 0.9, text)
                    else:
                        # Dark text on a light row, like Wireshark's own rules.
                        self.assertGreater(luminance(row, 255), 0.6, row)
                        self.assertLess(luminance(text, 255), 0.3, text)
                seen.add(rule_name)
        self.assertGreaterEqual(len(seen), 6, seen)
        self.assertIn(VIOLATION, seen)


if __name__ == "__main__":
    unittest.main()
