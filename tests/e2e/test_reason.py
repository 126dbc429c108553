#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reason-phrase explanations: standard, operator and unknown phrases, English
and Russian (locale and preference), user entries from the UAT, hostile input.
Expected texts are read from plugin/catalog/reasons.ini, the frames are found
with the stock SIP dissector's Status-Line (no plugin)."""

import configparser
import os
import re
import shutil
import tempfile
import unittest

from siptxn_e2e import SOURCE_DIR, TsharkTestCase, experts, fields, tshark

CAPTURE = "crafted-vendor-phrases.pcapng"
CYRILLIC = re.compile("[\u0400-\u04ff]")


def catalog():
    """reasons.ini as a plain INI file: [group] -> key -> value."""
    parser = configparser.RawConfigParser(strict=False, comment_prefixes=("#",), delimiters=("=",))
    parser.optionxform = str
    parser.read(os.path.join(SOURCE_DIR, "plugin", "catalog", "reasons.ini"), encoding="utf-8")
    return parser


def frame_of(status_line):
    """The frame whose Status-Line is exactly this text (stock dissector, no plugin)."""
    rows = fields(CAPTURE, ["sip.Status-Line"], plugin="-")
    for frame, row in rows.items():
        if row["sip.Status-Line"] == [status_line]:
            return frame
    raise AssertionError("no frame with Status-Line %r in %s" % (status_line, CAPTURE))


class Explanations(TsharkTestCase):
    FIELDS = ["siptxn.reason.explanation", "siptxn.reason.standard_phrase", "siptxn.reason.nonstandard",
              "siptxn.reason.source", "siptxn.reason.class", "siptxn.reason.q850_explanation"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ini = catalog()
        cls.english = fields(CAPTURE, cls.FIELDS)
        cls.russian = fields(CAPTURE, cls.FIELDS, language="ru_RU.UTF-8")

    def explanation(self, rows, line):
        return rows[frame_of(line)]["siptxn.reason.explanation"]

    def test_operator_phrase_in_english(self):
        for group, line in [("403 Wrong Guess", "SIP/2.0 403 Wrong Guess"),
                            ("480 No money left", "SIP/2.0 480 No money left"),
                            ("500 Call placing quota exceeded", "SIP/2.0 500 Call placing quota exceeded")]:
            with self.subTest(group=group):
                self.assertEqual(self.explanation(self.english, line), [self.ini[group]["explanation"]])
                row = self.english[frame_of(line)]
                self.assertEqual(row["siptxn.reason.nonstandard"], ["1"])
                self.assertEqual(row["siptxn.reason.source"], ["operator phrase"])
        self.assertIn("password", self.explanation(self.english, "SIP/2.0 403 Wrong Guess")[0].lower())

    def test_operator_phrase_in_russian_from_the_locale(self):
        text = self.explanation(self.russian, "SIP/2.0 403 Wrong Guess")
        self.assertEqual(text, [self.ini["403 Wrong Guess"]["explanation[ru]"]])
        self.assertRegex(text[0], CYRILLIC)
        self.assertRegex(self.russian[frame_of("SIP/2.0 486 Busy Here")]["siptxn.reason.class"][0], CYRILLIC)

    def test_standard_phrase(self):
        row = self.english[frame_of("SIP/2.0 486 Busy Here")]
        self.assertEqual(row["siptxn.reason.nonstandard"], ["0"])
        self.assertEqual(row["siptxn.reason.standard_phrase"], ["Busy Here"])
        self.assertEqual(row["siptxn.reason.explanation"], [self.ini["486"]["explanation"]])

    def test_unknown_phrase_of_a_known_code_gets_the_codes_meaning(self):
        row = self.english[frame_of("SIP/2.0 486 Gone fishing")]
        self.assertEqual(row["siptxn.reason.nonstandard"], ["1"])
        self.assertEqual(row["siptxn.reason.explanation"], [self.ini["486"]["explanation"]])
        found = experts(CAPTURE, two_pass=False)
        self.assertIn("reason.nonstandard", found[frame_of("SIP/2.0 486 Gone fishing")])
        self.assertNotIn("reason.nonstandard", found[frame_of("SIP/2.0 486 Busy Here")])

    def test_unknown_code_gets_its_class_meaning(self):
        row = self.english[frame_of("SIP/2.0 418 I'm a teapot")]
        self.assertEqual(row["siptxn.reason.explanation"], [self.ini["4xx"]["explanation"]])
        self.assertEqual(row["siptxn.reason.standard_phrase"], ["Bad Request"])   # x00, RFC 3261 §21

    def test_reason_header_q850_cause(self):
        rows = fields(CAPTURE, ["sip.Reason", "siptxn.reason.q850_cause", "siptxn.reason.q850_explanation"])
        with_q850 = [f for f, row in rows.items() if any("Q.850" in r for r in row["sip.Reason"])]
        self.assertTrue(with_q850)
        for frame in with_q850:
            self.assertEqual(rows[frame]["siptxn.reason.q850_cause"], ["17"])
            self.assertEqual(rows[frame]["siptxn.reason.q850_explanation"], [self.ini["Q.850 17"]["meaning"]])


class LanguagePreference(TsharkTestCase):
    def text(self, language, preference):
        rows = fields(CAPTURE, ["siptxn.reason.explanation"], language=language,
                      extra=["-o", "siptxn.language:" + preference])
        return rows[frame_of("SIP/2.0 403 Wrong Guess")]["siptxn.reason.explanation"][0]

    def test_preference_overrides_the_locale(self):
        self.assertNotRegex(self.text("ru_RU.UTF-8", "en"), CYRILLIC)
        self.assertRegex(self.text("C.UTF-8", "ru"), CYRILLIC)
        self.assertNotRegex(self.text("en_US.UTF-8", "auto"), CYRILLIC)
        self.assertRegex(self.text("ru_RU.UTF-8", "auto"), CYRILLIC)


class UserPhrases(TsharkTestCase):
    TEXT = "Prepaid balance exhausted on the carrier side; top up the account."

    def test_uat_entry_in_a_profile_wins_over_the_catalog(self):
        profile = tempfile.mkdtemp()
        try:
            with open(os.path.join(profile, "siptxn_reason_phrases"), "w", encoding="utf-8") as table:
                table.write('"480","No money left","en","%s"\n' % self.TEXT)
            rows = fields(CAPTURE, ["siptxn.reason.explanation", "siptxn.reason.source"], profile_dir=profile)
        finally:
            shutil.rmtree(profile)
        row = rows[frame_of("SIP/2.0 480 No money left")]
        self.assertEqual(row["siptxn.reason.explanation"], [self.TEXT])
        self.assertEqual(row["siptxn.reason.source"], ["user entry"])

    def test_uat_entry_from_the_command_line_adds_a_phrase(self):
        rows = fields(CAPTURE, ["siptxn.reason.explanation"],
                      extra=["-o", 'uat:siptxn_reason_phrases:"486","Gone fishing","any","%s"' % self.TEXT])
        self.assertEqual(rows[frame_of("SIP/2.0 486 Gone fishing")]["siptxn.reason.explanation"], [self.TEXT])


class HostilePhrases(TsharkTestCase):
    def test_every_output_format_is_valid_utf8_and_every_response_explained(self):
        # tshark() decodes stdout strictly as UTF-8: invalid bytes would raise.
        for output in (["-V"], ["-T", "json"], ["-T", "pdml"],
                       ["-T", "fields", "-e", "siptxn.reason.phrase", "-e", "siptxn.reason.explanation"]):
            with self.subTest(output=output[-1]):
                text = tshark(["-r", os.path.join(SOURCE_DIR, "test-captures", CAPTURE)] + output)
                self.assertTrue(text)
        stock = fields(CAPTURE, ["sip.Status-Code"], plugin="-")
        ours = fields(CAPTURE, ["siptxn.reason.explanation"])
        for frame, row in stock.items():
            if row["sip.Status-Code"]:
                with self.subTest(frame=frame):
                    self.assertEqual(len(ours[frame]["siptxn.reason.explanation"]), len(row["sip.Status-Code"]))

    def test_empty_and_long_phrases(self):
        rows = fields(CAPTURE, ["sip.Status-Line", "siptxn.reason.phrase", "siptxn.reason.explanation"])
        empty = [f for f, r in rows.items() if r["sip.Status-Line"] and re.fullmatch(r"SIP/2.0 \d+ ?", r["sip.Status-Line"][0])]
        long = [f for f, r in rows.items() if r["sip.Status-Line"] and len(r["sip.Status-Line"][0]) > 1000]
        self.assertTrue(empty and long)
        for frame in empty + long:
            self.assertEqual(len(rows[frame]["siptxn.reason.explanation"]), 1)


if __name__ == "__main__":
    unittest.main()
