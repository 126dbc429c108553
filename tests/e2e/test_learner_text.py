#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every sentence of the siptxn tree whole, in English and in Russian: Wireshark
cuts a tree label at 240 bytes (ITEM_LABEL_LENGTH) and marks it "[truncated]",
and a Cyrillic letter takes two.  A long text (narrative, explanation, advice,
Reason header meanings, the ACK class sentence) is shown as lines under a
short first line, while the field's value keeps the whole text."""

import glob
import os
import re
import unittest
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree

from siptxn_e2e import SOURCE_DIR, TsharkTestCase, capture, experts, fields, frames_matching, tshark

RUSSIAN = "ru_RU.UTF-8"
# language -> (locale, tshark options)
LANGUAGES = {"en": (None, []), "ru": (RUSSIAN, ["-o", "siptxn.language:ru"])}
CYRILLIC = re.compile("[\u0400-\u04ff]")
CAPTURES = sorted(os.path.basename(path) for path in glob.glob(os.path.join(SOURCE_DIR, "test-captures", "*.pcapng")))
# The fields whose text is a sentence or more.
LONG_TEXTS = ("siptxn.narrative", "siptxn.reason.explanation", "siptxn.reason.advice",
              "siptxn.reason.q850_explanation", "siptxn.reason.sip_explanation")
LINE_CHARACTERS, LINE_BYTES = 100, 200      # plugin/core/textwrap.h
LABEL_CHARACTERS = 110                      # a first line, or a label of one line


def in_every_language(run):
    """run(capture, language) for every capture and language, two at a time: {(capture, language): result}."""
    jobs = [(name, language) for name in CAPTURES for language in LANGUAGES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: run(*job), jobs)
        return dict(zip(jobs, results))


def verbose(name, language):
    locale, options = LANGUAGES[language]
    return tshark(["-r", capture(name), "-2", "-V"] + options, language=locale)


def pdml(name, language):
    locale, options = LANGUAGES[language]
    return ElementTree.fromstring(tshark(["-r", capture(name), "-2", "-T", "pdml"] + options, language=locale))


def siptxn_lines(output):
    """The lines of the siptxn subtrees of tshark -V, indentation removed, with
    whether each is part of an expert info (a message that is not wrapped)."""
    inside, expert_depth = False, None
    for line in output.splitlines():
        depth = len(line) - len(line.lstrip(" "))
        if depth == 0:
            inside = line.startswith("SIP Transaction Analysis")
            expert_depth = None
            continue
        if not inside:
            continue
        if expert_depth is not None and depth <= expert_depth:
            expert_depth = None
        if expert_depth is None and line.lstrip().startswith("[Expert Info"):
            expert_depth = depth
        yield line.strip(), expert_depth is not None


def label(line):
    """A -V line without the brackets of a generated item."""
    return line[1:-1] if line.startswith("[") and line.endswith("]") else line


def rejoin(lines, value):
    """The lines joined as the plugin cut them: with a space where a line broke at
    spaces, with nothing where a word longer than a line was cut."""
    text = lines[0]
    for line in lines[1:]:
        text += " " + line if value.startswith(text + " " + line) else line
    return text


def one_spaced(text):
    return re.sub(r"\s+", " ", text).strip()


class WholeLabels(TsharkTestCase):
    def test_no_siptxn_line_is_truncated_in_either_language(self):
        for (name, language), output in in_every_language(verbose).items():
            with self.subTest(capture=name, language=language):
                lines = list(siptxn_lines(output))
                if name != "crafted-no-sip.pcapng":
                    self.assertTrue(lines, "no siptxn tree")
                truncated = [line for line, _ in lines if "[truncated]" in line]
                self.assertEqual(truncated, [])
                for line, expert in lines:
                    self.assertLess(len(line.encode()), 240, line)
                    if not expert:
                        self.assertLessEqual(len(label(line)), LABEL_CHARACTERS, line)


class WrappedLines(TsharkTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trees = in_every_language(pdml)

    def long_texts(self):
        """(capture, language, field element) for every long text of every capture."""
        for (name, language), root in self.trees.items():
            for proto in root.iter("proto"):
                if proto.get("name") != "siptxn":
                    continue
                for field in proto.iter("field"):
                    if field.get("name") in LONG_TEXTS:
                        yield name, language, field

    def test_the_value_is_the_whole_text_and_the_lines_show_it(self):
        wrapped = {"en": 0, "ru": 0}
        for name, language, field in self.long_texts():
            value = one_spaced(field.get("show"))
            lines = [child.get("show") for child in field if not child.get("name")]
            showname = field.get("showname")
            with self.subTest(capture=name, language=language, field=field.get("name"), value=value[:60]):
                if not lines:
                    # Short enough for one label: "Name: value".
                    self.assertTrue(showname.endswith(": " + field.get("show")), showname)
                    self.assertLessEqual(len(showname), LABEL_CHARACTERS)
                    continue
                wrapped[language] += 1
                self.assertEqual(rejoin(lines, value), value)
                for line in lines:
                    self.assertLessEqual(len(line), LINE_CHARACTERS, line)
                    self.assertLessEqual(len(line.encode()), LINE_BYTES, line)
                # The first line: the field's name and the text's beginning.
                self.assertLessEqual(len(showname), LABEL_CHARACTERS, showname)
                self.assertTrue(showname.endswith("…"), showname)
                beginning = showname.split(": ", 1)[1][:-1]
                self.assertTrue(value.startswith(beginning), showname)
        self.assertGreater(wrapped["en"], 50)
        self.assertGreater(wrapped["ru"], 100)

    def test_the_ack_class_sentence_in_lines_under_the_class(self):
        root = self.trees[("invite-486.pcapng", "en")]
        classes = [field for field in root.iter("field") if field.get("name") == "siptxn.ack.class"]
        self.assertEqual(len(classes), 1)
        self.assertEqual(classes[0].get("showname"), "ACK class: non-2xx")
        lines = [child.get("show") for child in classes[0] if not child.get("name")]
        self.assertEqual(" ".join(lines), "ACK to a non-2xx final response: part of the INVITE transaction, same "
                                          "branch, sent hop by hop (RFC 3261 §17.1.1.3)")


class WholeValues(TsharkTestCase):
    def test_fields_print_the_whole_narrative(self):
        rows = fields("invite-486.pcapng", ["siptxn.narrative"])
        self.assertRegex(rows[5]["siptxn.narrative"][0],
                         r"^This ACK acknowledges the 486 response in frame 4, so it belongs to INVITE transaction 1 "
                         r"\(same branch \S+\) and is sent hop by hop \(RFC 3261 §17\.1\.1\.3\)\.$")

    def test_a_filter_finds_words_across_a_line_break(self):
        # "(same" ends the first line of frame 5's narrative, "branch" starts the second.
        self.assertEqual(frames_matching("invite-486.pcapng", 'siptxn.narrative contains "(same branch"'), [5])
        self.assertEqual(frames_matching("invite-486.pcapng", 'siptxn.narrative contains "из кадра 4"',
                                         language=RUSSIAN), [5])

    def test_json_carries_the_whole_text(self):
        import json
        packets = json.loads(tshark(["-r", capture("invite-486.pcapng"), "-T", "json", "-o", "siptxn.language:ru"],
                                    language=RUSSIAN))
        narrative = packets[4]["_source"]["layers"]["siptxn"]["siptxn.narrative"]
        self.assertTrue(narrative.endswith("(RFC 3261 §17.1.1.3)."), narrative)
        self.assertGreater(len(narrative.encode()), 240)



def expert_messages(name, language, extra=()):
    """frame -> {siptxn expert name: its message}, from PDML (two passes)."""
    locale, options = LANGUAGES[language]
    root = ElementTree.fromstring(tshark(["-r", capture(name), "-2", "-T", "pdml"] + options + list(extra),
                                         language=locale))
    found = {}
    for packet in root.iter("packet"):
        frame = int(next(field.get("show") for field in packet.iter("field") if field.get("name") == "num"))
        for expert in packet.iter("field"):
            if expert.get("name") != "_ws.expert":
                continue
            names = [child.get("name") for child in expert if child.get("name", "").startswith("siptxn.expert.")]
            messages = [child.get("show") for child in expert if child.get("name") == "_ws.expert.message"]
            if names:
                found.setdefault(frame, {})[names[0]] = messages[0]
    return found


class RussianExpertsAndInfoColumn(TsharkTestCase):
    """In Russian the expert infos and the Info column follow the explanation
    language; field names and value names stay English: they are what filters use."""

    def test_expert_infos_follow_the_explanation_language(self):
        for name in ("crafted-ack-branch-mismatch.pcapng", "crafted-timers.pcapng", "crafted-malformed.pcapng",
                     "crafted-vendor-phrases.pcapng"):
            with self.subTest(capture=name):
                english, russian = expert_messages(name, "en"), expert_messages(name, "ru")
                # The same expert fields on the same frames.
                self.assertEqual({frame: set(found) for frame, found in english.items()},
                                 {frame: set(found) for frame, found in russian.items()})
                self.assertTrue(english)
                for frame, found in russian.items():
                    for expert, message in found.items():
                        self.assertRegex(message, CYRILLIC, (frame, expert))
                        self.assertNotRegex(english[frame][expert], CYRILLIC, (frame, expert))
        russian = expert_messages("crafted-ack-branch-mismatch.pcapng", "ru")
        self.assertEqual(russian[4]["siptxn.expert.ack.branch_mismatch"],
                         "ACK на ответ не-2xx с ветвью, отличной от ветви INVITE (RFC 3261 §17.1.1.3)")
        english = expert_messages("crafted-ack-branch-mismatch.pcapng", "en")
        self.assertEqual(english[4]["siptxn.expert.ack.branch_mismatch"],
                         "ACK to a non-2xx response with a branch different from the INVITE's (RFC 3261 §17.1.1.3)")

    def test_timer_values_with_a_decimal_comma_in_russian(self):
        # crafted-timers frame 9: an OPTIONS re-sent 0.1 s after the first copy, Timer E gives 0.5 s.
        self.assertEqual(expert_messages("crafted-timers.pcapng", "ru")[9]["siptxn.expert.retransmission.too_early"],
                         "Повторная передача через 0,100 с, а таймер RFC 3261 (таймер E, §17.1.2.2) даёт здесь 0,500 с")
        self.assertEqual(expert_messages("crafted-timers.pcapng", "en")[9]["siptxn.expert.retransmission.too_early"],
                         "Retransmission after 0.100 s, but the RFC 3261 timer (Timer E, §17.1.2.2) gives 0.500 s here")

    def test_info_column_follows_the_explanation_language(self):
        # tshark's one-line summaries (-e _ws.col.Info misses a post-dissector's text from 4.4 on).
        def summaries(name, extra=()):
            return tshark(["-r", capture(name), *extra], language=RUSSIAN).splitlines()
        lines = summaries("invite-486.pcapng", ["-o", "siptxn.language:ru"])
        self.assertTrue(lines[0].endswith("| [транзакция 1 · запрос]"), lines[0])
        self.assertTrue(lines[1].endswith("[транзакция 1 · предварительный ответ]"), lines[1])
        self.assertTrue(lines[4].endswith("[транзакция 1 · ACK на не-2xx]"), lines[4])
        lines = summaries("invite-200-bye.pcapng")
        self.assertTrue(lines[4].endswith("[транзакция 2 · ACK на 2xx]"), lines[4])
        lines = summaries("invite-486.pcapng", ["-o", "siptxn.language:en"])
        self.assertTrue(lines[4].endswith("[txn 1 · ACK non-2xx]"), lines[4])

    def test_field_and_value_names_stay_english(self):
        root = pdml("invite-486.pcapng", "ru")
        labels = {field.get("name"): field.get("showname") for field in root.iter("field")
                  if field.get("name", "").startswith("siptxn.") and field.get("name") != "siptxn.narrative"}
        self.assertEqual(labels["siptxn.ack.class"], "ACK class: non-2xx")
        self.assertEqual(labels["siptxn.state"], "State after this message: Confirmed (5)")
        self.assertEqual(labels["siptxn.role"], "Role: ACK (7)")
        self.assertEqual(frames_matching("invite-486.pcapng", 'siptxn.ack.class == "non-2xx" && siptxn.role == 7',
                                         language=RUSSIAN), [5])


class LateAndUnanswered(TsharkTestCase):
    """RFC 3261 §17.1.1.2 Timer B, §17.1.2.2 Timer F: 64*T1 after a request the client gives up."""

    def test_a_final_response_after_timer_b_is_late_on_the_first_pass(self):
        # crafted-timers: INVITE at 0 s (frame 1), no provisional response, 408 at 8 s (frame 6).
        # With T1 = 100 ms Timer B fires at 6.4 s: the 408 comes when the client has given up.
        fast = ["-o", "siptxn.t1:100"]
        found = experts("crafted-timers.pcapng", two_pass=False, extra=fast)
        self.assertEqual([frame for frame, names in found.items() if "final_late" in names], [6])
        text = fields("crafted-timers.pcapng", ["siptxn.narrative"], extra=fast)[6]["siptxn.narrative"][0]
        self.assertIn("Timer B has fired, the client has already given up, and this response is late", text)
        russian = expert_messages("crafted-timers.pcapng", "ru", extra=fast)
        self.assertIn("клиент уже прекратил ожидание", russian[6]["siptxn.expert.final_late"])
        self.assertEqual(expert_messages("crafted-timers.pcapng", "en", extra=fast)[6]["siptxn.expert.final_late"],
                         "Final response after Timer B/F (64*T1 after the request): the client has already given up: "
                         "this response is late (RFC 3261 §17.1.1.2, §17.1.2.2)")
        # The INVITE was not answered within 64*T1 either (a verdict on the whole capture).
        self.assertIn("unanswered", experts("crafted-timers.pcapng", extra=fast)[1])
        # The check follows the timeouts switch.
        off = experts("crafted-timers.pcapng", two_pass=False, extra=fast + ["-o", "siptxn.check_timeouts:FALSE"])
        self.assertEqual([frame for frame, names in off.items() if "final_late" in names], [])

    def test_a_provisional_response_stops_timer_b(self):
        # udp-invite-timeout: the proxy's 100 Trying (frame 2) moves transaction 1 to Proceeding, where
        # Timer B does not run: its 408 (frame 8, 7.98 s) is not late even when 64*T1 is 6.4 s.
        found = experts("udp-invite-timeout.pcapng", extra=["-o", "siptxn.t1:100"])
        self.assertNotIn("final_late", found[8])
        self.assertNotIn("unanswered", found[1])

    def test_no_late_response_with_the_default_timers(self):
        for name in CAPTURES:
            with self.subTest(capture=name):
                found = experts(name, two_pass=False)
                self.assertEqual([frame for frame, names in found.items() if "final_late" in names], [])


if __name__ == "__main__":
    unittest.main()
