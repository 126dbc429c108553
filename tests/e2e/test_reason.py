#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reason-phrase explanations in English and Russian: standard, operator and
unknown phrases, unknown codes, Q.850 and SIP causes of Reason headers (RFC 3326),
the language (locale and preference), user entries (the UAT), hostile input, and
the word rules that explain phrases no catalog lists (in a capture this file
writes).

Every expected text is written here: what RFC 3261 §21 and the documents that
registered the other codes say a code means, and what the operator lists say a
phrase means.  None is read from plugin/catalog/reasons.ini, so a wrong or missing
translation fails.  A handful of entries are compared word for word; the others
by the words that carry their meaning, so the catalog can be reworded without
editing this file.  Frames are found by their Status-Line, read by the stock SIP
dissector (no plugin)."""

import functools
import os
import re
import shutil
import struct
import tempfile
import unittest

from siptxn_e2e import SOURCE_DIR, TsharkTestCase, capture, experts, fields, tshark

CAPTURE = "crafted-vendor-phrases.pcapng"
RUSSIAN = "ru_RU.UTF-8"
CYRILLIC = re.compile("[\u0400-\u04ff]")

# RFC 3261 §7.2: the class names, "4xx Client Error" as the tree shows them.
CLASS_NAMES = {
    1: ("1xx Provisional", "1xx Предварительный ответ"),
    2: ("2xx Success", "2xx Успех"),
    3: ("3xx Redirection", "3xx Перенаправление"),
    4: ("4xx Client Error", "4xx Ошибка клиента"),
    5: ("5xx Server Error", "5xx Ошибка сервера"),
    6: ("6xx Global Failure", "6xx Глобальный отказ"),
}

# The standard phrase of each code in the capture (the IANA SIP response code
# registry; 409 and 411 are RFC 2543's) and the document that defines it.
RFC3261 = "RFC 3261 section "
STANDARD = {
    100: ("Trying", RFC3261 + "21.1.1"),
    180: ("Ringing", RFC3261 + "21.1.2"),
    181: ("Call Is Being Forwarded", RFC3261 + "21.1.3"),
    182: ("Queued", RFC3261 + "21.1.4"),
    183: ("Session Progress", RFC3261 + "21.1.5"),
    199: ("Early Dialog Terminated", "RFC 6228"),
    200: ("OK", RFC3261 + "21.2.1"),
    202: ("Accepted", "RFC 3265|RFC 6665"),
    204: ("No Notification", "RFC 5839"),
    300: ("Multiple Choices", RFC3261 + "21.3.1"),
    301: ("Moved Permanently", RFC3261 + "21.3.2"),
    302: ("Moved Temporarily", RFC3261 + "21.3.3"),
    305: ("Use Proxy", RFC3261 + "21.3.4"),
    380: ("Alternative Service", RFC3261 + "21.3.5"),
    400: ("Bad Request", RFC3261 + "21.4.1"),
    401: ("Unauthorized", RFC3261 + "21.4.2"),
    402: ("Payment Required", RFC3261 + "21.4.3"),
    403: ("Forbidden", RFC3261 + "21.4.4"),
    404: ("Not Found", RFC3261 + "21.4.5"),
    405: ("Method Not Allowed", RFC3261 + "21.4.6"),
    406: ("Not Acceptable", RFC3261 + "21.4.7"),
    407: ("Proxy Authentication Required", RFC3261 + "21.4.8"),
    408: ("Request Timeout", RFC3261 + "21.4.9"),
    409: ("Conflict", "RFC 2543"),
    410: ("Gone", RFC3261 + "21.4.10"),
    411: ("Length Required", "RFC 2543"),
    412: ("Conditional Request Failed", "RFC 3903"),
    413: ("Request Entity Too Large", RFC3261 + "21.4.11"),
    414: ("Request-URI Too Long", RFC3261 + "21.4.12"),
    415: ("Unsupported Media Type", RFC3261 + "21.4.13"),
    416: ("Unsupported URI Scheme", RFC3261 + "21.4.14"),
    417: ("Unknown Resource-Priority", "RFC 4412"),
    420: ("Bad Extension", RFC3261 + "21.4.15"),
    421: ("Extension Required", RFC3261 + "21.4.16"),
    422: ("Session Interval Too Small", "RFC 4028"),
    423: ("Interval Too Brief", RFC3261 + "21.4.17"),
    424: ("Bad Location Information", "RFC 6442"),
    428: ("Use Identity Header", "RFC 8224|RFC 4474"),
    429: ("Provide Referrer Identity", "RFC 3892"),
    433: ("Anonymity Disallowed", "RFC 5079"),
    436: ("Bad Identity Info", "RFC 8224|RFC 4474"),
    437: ("Unsupported Credential", "RFC 8224|RFC 4474"),
    438: ("Invalid Identity Header", "RFC 8224|RFC 4474"),
    439: ("First Hop Lacks Outbound Support", "RFC 5626"),
    440: ("Max-Breadth Exceeded", "RFC 5393"),
    469: ("Bad Info Package", "RFC 6086"),
    470: ("Consent Needed", "RFC 5360"),
    480: ("Temporarily Unavailable", RFC3261 + "21.4.18"),
    481: ("Call/Transaction Does Not Exist", RFC3261 + "21.4.19"),
    482: ("Loop Detected", RFC3261 + "21.4.20"),
    483: ("Too Many Hops", RFC3261 + "21.4.21"),
    484: ("Address Incomplete", RFC3261 + "21.4.22"),
    485: ("Ambiguous", RFC3261 + "21.4.23"),
    486: ("Busy Here", RFC3261 + "21.4.24"),
    487: ("Request Terminated", RFC3261 + "21.4.25"),
    488: ("Not Acceptable Here", RFC3261 + "21.4.26"),
    489: ("Bad Event", "RFC 6665|RFC 3265"),
    491: ("Request Pending", RFC3261 + "21.4.27"),
    493: ("Undecipherable", RFC3261 + "21.4.28"),
    494: ("Security Agreement Required", "RFC 3329"),
    500: ("Server Internal Error", RFC3261 + "21.5.1"),
    501: ("Not Implemented", RFC3261 + "21.5.2"),
    502: ("Bad Gateway", RFC3261 + "21.5.3"),
    503: ("Service Unavailable", RFC3261 + "21.5.4"),
    504: ("Server Time-out", RFC3261 + "21.5.5"),
    505: ("Version Not Supported", RFC3261 + "21.5.6"),
    513: ("Message Too Large", RFC3261 + "21.5.7"),
    580: ("Precondition Failure", "RFC 3312"),
    600: ("Busy Everywhere", RFC3261 + "21.6.1"),
    603: ("Decline", RFC3261 + "21.6.2"),
    604: ("Does Not Exist Anywhere", RFC3261 + "21.6.3"),
    606: ("Not Acceptable", RFC3261 + "21.6.4"),
    607: ("Unwanted", "RFC 8197"),
}
# RFC 3261 §8.1.3.2: an unknown final response is treated as the x00 of its class.
UNKNOWN_CODE = ("Bad Request", "RFC 3261 section 8.1.3.2")

# Phrases that are known variants with a source of their own; every other
# non-standard phrase in the catalog is an "operator phrase".  ("436 Bad
# Identity-Info" differs from the standard phrase only in punctuation: it is the
# standard phrase, and its source, RFC 4474, is one of STANDARD[436]'s.)
PHRASE_SOURCES = {
    "100 trying -- your call is important to us": "Kamailio",
    "437 Unsupported Certificate": "RFC 4474",
    "481 Call Leg/Transaction Does Not Exist": "RFC 2543",
    "500 Internal Server Error": "RFC 2543",
}

# What the operator lists say "403 Wrong Guess" means, as the catalog words it:
# who decided what, in English and in Russian.
WRONG_GUESS = (
    'The server checked the credentials of the request (the digest) and the password did not match: "Wrong Guess" '
    'is how this softswitch reports a wrong password. Sending the request again with the same password will not help.',
    "Сервер проверил учётные данные запроса (дайджест), и пароль не подошёл: так этот софтсвич сообщает о неверном "
    "пароле. Повтор запроса с тем же паролем не поможет.")

# Status-Line (without "SIP/2.0 ") -> words the English explanation must contain,
# words the Russian one must contain.  Each word is a regular expression, matched
# ignoring case, with "ё" read as "е"; "a|b" accepts either wording.
MEANINGS = [
    # 1xx: RFC 3261 §21.1, RFC 6228
    ("100 Trying", ["next hop|next-hop", "received"], ["следующ", "получил"]),
    ("100 trying -- your call is important to us", ["100 Trying", "Kamailio"],
     ["100 Trying", "Kamailio", "по умолчанию"]),
    ("180 Ringing", ["alert|ringing"], ["сигнал|звон"]),
    ("181 Call is Being Forwarded", ["forward"], ["переадрес|перенаправ"]),
    ("181 Call is being forwarded", ["forward"], ["переадрес|перенаправ"]),
    ("182 Call is Queued", ["queue"], ["очеред"]),
    ("182 QUeued", ["queue"], ["очеред"]),
    ("183 Session Progress", ["progress"], ["о ходе|прогресс"]),
    ("199 Early Dialog Terminated", ["early dialog", "terminated"], ["ранн", "диалог", "заверш"]),
    # 2xx: RFC 3261 §21.2, RFC 6665, RFC 5839
    ("200 OK", ["succeeded|success"], ["успешно"]),
    ("202 Accepted", ["accepted", "not complete"], ["принят", "не завершен"]),
    ("204 No Notification", ["NOTIFY", "not be sent|no NOTIFY"], ["NOTIFY", "не будет"]),
    # 3xx: RFC 3261 §21.3
    ("300 Multiple Choices", ["several|multiple"], ["нескольк"]),
    ("301 Moved Permanently", ["no longer"], ["больше не"]),
    ("302 Moved Temporarily", ["temporar", "Contact"], ["временно", "Contact"]),
    ("305 Use Proxy", ["proxy", "Contact"], ["прокси", "Contact"]),
    ("380 Alternative Service", ["alternative"], ["альтернатив"]),
    # 4xx: RFC 3261 §21.4 and the documents named in STANDARD
    ("400 Bad Request", ["syntax"], ["синтакс"]),
    ("401 Unauthorized", ["authenticat"], ["аутентификац"]),
    ("402 Payment Required", ["reserved", "money|payment"], ["зарезервирован", "денег|деньг|оплат"]),
    ("403 Forbidden", ["refus", "authori[sz]ation"], ["отказыва", "авторизац"]),
    ("404 Not found", ["does not exist|not found", "domain"], ["не существует|не найден", "домен"]),
    ("404 Not Found", ["does not exist|not found", "domain"], ["не существует|не найден", "домен"]),
    ("405 Method Not Allowed", ["method", "Allow"], ["метод", "Allow"]),
    ("406 Not Acceptable", ["Accept"], ["Accept", "неприемлем"]),
    ("407 Proxy Authentication Required", ["proxy", "authenticat"], ["прокси", "аутентификац"]),
    ("408 Request Timeout", ["in time|timely"], ["врем"]),
    ("409 Conflict", ["obsolete", "conflict"], ["устарев", "конфликт|противореч"]),
    ("410 Gone", ["no longer", "forwarding"], ["больше", "переадрес"]),
    ("411 Length Required", ["Content-Length"], ["Content-Length", "устарев"]),
    ("412 Conditional Request Failed", ["condition"], ["услов"]),
    ("413 Request Entity Too Large", ["body", "larger|too large"], ["тело", "больше"]),
    ("414 Request-URI Too Long", ["Request-URI", "long"], ["Request-URI", "длин"]),
    ("415 Unsupported Media Type", ["format", "support"], ["формат", "не поддерживает"]),
    ("416 Unsupported URI Scheme", ["scheme"], ["схем"]),
    ("417 Unknown Resource-Priority", ["Resource-Priority"], ["Resource-Priority", "не понимает"]),
    ("420 Bad Extension", ["extension", "Require"], ["расширени", "Require"]),
    ("420 Bad extension", ["extension", "Require"], ["расширени", "Require"]),
    ("421 Extension Required", ["extension", "Supported"], ["расширени", "Supported"]),
    ("422 Session Interval Too Small", ["Session-Expires", "minimum|small"], ["Session-Expires", "меньше|минимал"]),
    ("423 Interval Too Brief", ["expir", "short"], ["время действия|срок", "коротк"]),
    ("424 Bad Location Information", ["location"], ["местоположени"]),
    ("428 Use Identity Header", ["Identity"], ["Identity", "требует"]),
    ("429 Provide Referrer Identity", ["Referred-By"], ["Referred-By", "не получил|нет|отсутству"]),
    ("433 Anonymity Disallowed", ["anonym"], ["аноним"]),
    ("436 Bad Identity-Info", ["Identity-Info"], ["Identity-Info", "недоступ"]),
    ("437 Unsupported Certificate", ["certificate"], ["сертификат"]),
    ("438 Invalid Identity Header", ["signature"], ["подпис"]),
    ("439 First Hop Lacks Outbound Support", ["outbound", "first"], ["outbound", "перв"]),
    ("440 Max-Breadth Exceeded", ["Max-Breadth", "fork"], ["Max-Breadth", "развет"]),
    ("469 Bad Info Package", ["Info Package"], ["пакет", "INFO"]),
    ("470 Consent Needed", ["permission|consent"], ["разрешени|согласи"]),
    ("480 Temporarily Unavailable", ["unavailable"], ["недоступ"]),
    ("481 Call/Transaction Does Not Exist", ["dialog", "transaction"], ["диалог", "транзакц"]),
    ("481 Call Leg/Transaction Does Not Exist", ["RFC 2543", "transaction"], ["RFC 2543", "транзакц"]),
    ("482 Loop Detected", ["loop"], ["петл"]),
    ("483 Too Many Hops", ["Max-Forwards"], ["Max-Forwards", "нул"]),
    ("484 Address Incomplete", ["incomplete"], ["неполн"]),
    ("485 Ambiguous", ["ambiguous"], ["неоднознач"]),
    ("486 Busy Here", ["another call"], ["занят"]),
    ("487 Request Terminated", ["CANCEL|BYE", "terminated"], ["CANCEL|BYE", "прерван|отмен"]),
    ("488 Not Acceptable Here", ["session description"], [r"описани\w* сеанса|описани\w* сессии"]),
    ("488 Not acceptable here", ["session description"], [r"описани\w* сеанса|описани\w* сессии"]),
    ("489 Bad Event", ["event"], ["событи"]),
    ("491 Request Pending", ["pending"], ["не завершен|ожида|обрабатыва"]),
    ("493 Undecipherable", ["S/MIME", "decrypt"], ["S/MIME", "расшифр"]),
    ("494 Security Agreement Required", ["security"], ["безопасност"]),
    # 5xx: RFC 3261 §21.5, RFC 3312
    ("500 Server Internal Error", ["unexpected"], ["непредвиден"]),
    ("500 Internal Server Error", ["RFC 2543", "internal server error"], ["RFC 2543", "внутренн"]),
    ("501 Not Implemented", ["method", "support"], ["метод", "не поддерживает"]),
    ("502 Bad Gateway", ["gateway", "invalid"], ["шлюз", "некорректн|неверн"]),
    ("503 Service Unavailable", ["temporarily", "overload|maintenance"], ["временно", "перегруз|обслуживани"]),
    ("504 Server Time-out", ["timely|in time", "external|another server"],
     ["вовремя|за отведенное время", "внешн|другого сервера"]),
    ("504 Server time-out", ["timely|in time", "external|another server"],
     ["вовремя|за отведенное время", "внешн|другого сервера"]),
    ("505 Version Not Supported", ["version"], ["верси"]),
    ("505 SIP Version not supported", ["version"], ["верси"]),
    ("513 Message Too Large", ["long|large"], ["длин|велик|размер"]),
    ("513 Message too big", ["long|large"], ["длин|велик|размер"]),
    ("580 Precondition Failure", ["precondition"], ["предуслови"]),
    # 6xx: RFC 3261 §21.6, RFC 8197
    ("600 Busy Everywhere", ["busy"], ["занят"]),
    ("600 Busy everywhere", ["busy"], ["занят"]),
    ("603 Decline", ["does not wish|declin|refus"], ["отказыва|отклон|не желает"]),
    ("604 Does Not Exist Anywhere", ["not exist", "anywhere"], ["не существует", "нигде"]),
    ("606 Not Acceptable", ["session description"], [r"описани\w* сеанса|описани\w* сессии"]),
    ("607 Unwanted", ["unwanted|does not want"], ["нежелательн|не хочет"]),
    # What operators and softswitches mean by their own phrases.
    ("401 Expired Authorization", ["expired"], ["истек"]),
    ("401 AUTH Error: Stall nonce", ["nonce", "stale"], ["nonce", "устарев"]),
    ("403 No Such User", ["no such user"], ["нет такого пользователя"]),
    ("403 User Disabled", ["disabled"], ["отключен|заблокирован"]),
    ("403 Wrong Guess", ["password"], ["парол"]),
    ("403 Empty Route Set", ["rout", "gateway"], ["маршрут", "шлюз"]),
    ("403 Caller Not Registered", ["not registered"], ["не зарегистрирован"]),
    ("403 Out of Look-Ahead Retries", ["rout|alternative", "tried|exhausted"], ["маршрут|узл", "опробован|перебор"]),
    ("403 Invalid Phone Number", ["destination|direction", "number"], ["направлени", "номер"]),
    ("403 No license available", ["licen[cs]e"], ["лицензи"]),
    ("403 You", ["truncated", "no such user"], ["обрезан|усечен", "нет такого пользователя"]),
    ("403 You do not have the required right", ["right|permission", "From"], ["прав", "From"]),
    ("403 Conflict", ["already in use"], ["уже используется"]),
    ("403 No Money Left on RFC Account", ["money"], ["денег|денежн|средств"]),
    ("404 Undefined Reason", ["destination|direction", "not defined|undefined"], ["направлени", "не определен"]),
    ("404 Unknown user account", ["login", "not found"], ["логин", "не найден"]),
    ("404 Out of Order", ["gateway"], ["шлюз"]),
    ("406 No codecs match", ["codec"], ["кодек"]),
    ("407 User not found", ["user", "authenticat"], ["пользовател", "аутентификац"]),
    ("408 Login timed out", ["authori[sz]ation|login", "in time|timed out"], ["авторизац", "врем"]),
    ("410 No Route", ["route"], ["маршрут|доступ"]),
    ("415 No Media", ["codec"], ["кодек"]),
    ("416 Unsupported Scheme", ["scheme"], ["схем"]),
    ("480 Invalid Phone Number", ["number", "digits|code"], ["номер", "цифр|код"]),
    ("480 Destination Not Found In Client Plan", ["tariff|plan"], ["тарифн"]),
    ("480 Codec Mismatch", ["codec"], ["кодек"]),
    ("480 Empty Route Set", ["route", "gateway"], ["направлени|маршрут", "шлюз"]),
    ("480 No money left", ["money"], ["денег|денежн|средств"]),
    ("480 No Money Left on RFC Account", ["money"], ["денег|денежн|средств"]),
    ("480 Wrong DB Response", ["database", "wrong response"], [r"баз\w* данных", "неправильн|неверн"]),
    ("480 DB Timeout", ["database", "in time|respond"], [r"баз\w* данных", "вовремя|не ответил"]),
    ("480 Database Error", ["database"], [r"баз\w* данных"]),
    ("488 Codec Mismatch", ["codec", "gateway"], ["кодек", "шлюз"]),
    ("488 Private IP Address", ["private", "RFC 1918"], ["частн", "RFC 1918"]),
    ("493 Undeciperable", ["misspell", "S/MIME"], ["опечатк", "S/MIME"]),
    ("499 Codec Mismatch", ["codec"], ["кодек"]),
    ("500 DB Timeout", ["database"], [r"баз\w* данных"]),
    ("500 Database Error", ["database"], [r"баз\w* данных"]),
    ("500 Wrong DB Response", ["database", "wrong"], [r"баз\w* данных", "неправильн|неверн"]),
    ("500 Undefined Reason", ["undefined|unknown|not defined"], ["неопределен|неизвестн"]),
    ("500 account has been moved to a remote system", ["moved", "remote"], ["перенесен", "удален"]),
    ("500 Call placing quota exceeded", ["calls per second|CPS"], ["в секунду|CPS"]),
    ("501 Method Not Supported Here", ["method", "not supported"], ["метод", "не поддерживается"]),
]


def normalized(text):
    return text.casefold().replace("ё", "е")


def missing_words(text, words):
    """The words (regular expressions) that text does not contain."""
    return [word for word in words if not re.search(normalized(word), normalized(text))]


def source_matches(actual, expected):
    """expected: alternatives separated by "|", each the whole source, or a bare
    "RFC NNNN" that the source starts with (a note may follow it)."""
    for alternative in expected.split("|"):
        if actual == alternative:
            return True
        if re.fullmatch(r"RFC \d+", alternative) and re.match(re.escape(alternative) + r"\b", actual):
            return True
    return False


def folded(phrase):
    """A phrase as the catalog compares it with the standard phrase: case, spacing
    and punctuation ignored ("Server Timeout" is "Server Time-out")."""
    return "".join(re.findall(r"[^\W_]+", phrase.casefold()))


@functools.lru_cache(maxsize=None)
def status_lines():
    """frame -> Status-Line without "SIP/2.0 ", for every response in the capture
    (stock dissector, no plugin)."""
    rows = fields(CAPTURE, ["sip.Status-Line"], plugin="-")
    return {frame: row["sip.Status-Line"][0][len("SIP/2.0 "):] for frame, row in rows.items()
            if row["sip.Status-Line"]}


def frames_of(line):
    """The frames whose Status-Line is "SIP/2.0 " + line; at least one."""
    frames = [frame for frame, text in status_lines().items() if text == line]
    if not frames:
        raise AssertionError("no frame with Status-Line %r in %s" % ("SIP/2.0 " + line, CAPTURE))
    return frames


def frame_of(line):
    return frames_of(line)[0]


FIELDS = ["siptxn.reason.class", "siptxn.reason.standard_phrase", "siptxn.reason.phrase",
          "siptxn.reason.explanation", "siptxn.reason.advice", "siptxn.reason.source",
          "siptxn.reason.nonstandard", "siptxn.reason.q850_cause", "siptxn.reason.q850_explanation",
          "siptxn.reason.sip_cause", "siptxn.reason.sip_explanation"]


@functools.lru_cache(maxsize=None)
def reasons(language):
    """frame -> field -> values, with the locale of the language (English or Russian)."""
    return fields(CAPTURE, FIELDS, language=RUSSIAN if language == "ru" else None)


def value(language, line, field):
    """The one value of a siptxn.reason field on the response with that Status-Line."""
    values = reasons(language)[frame_of(line)][field]
    if len(values) != 1:
        raise AssertionError("%s on %r (%s): %r, expected one value" % (field, line, language, values))
    return values[0]


class WordForWord(TsharkTestCase):
    """A handful of entries whose text is checked exactly, in both languages."""

    def check(self, line, field, english, russian):
        self.assertEqual(value("en", line, field), english)
        self.assertEqual(value("ru", line, field), russian)

    def test_operator_phrases(self):
        # Who decided what, not the phrase again.
        self.check("403 Wrong Guess", "siptxn.reason.explanation", WRONG_GUESS[0], WRONG_GUESS[1])
        self.check("480 No money left", "siptxn.reason.explanation",
                   "The operator's billing refused the call: there is not enough money left on the account for it.",
                   "Биллинг оператора отказал в вызове: на счёте не осталось достаточно денежных средств для него.")
        self.check("500 Call placing quota exceeded", "siptxn.reason.explanation",
                   "The operator limits how many calls per second (CPS) the account or trunk may start, and this call "
                   "went over the limit.",
                   "Оператор ограничивает число вызовов в секунду (CPS), которые может начинать учётная запись или "
                   "транк, и этот вызов превысил лимит.")
        for line in ("403 Wrong Guess", "480 No money left", "500 Call placing quota exceeded"):
            with self.subTest(line=line):
                self.assertEqual(value("en", line, "siptxn.reason.nonstandard"), "1")
                self.assertEqual(value("en", line, "siptxn.reason.source"), "operator phrase")

    def test_operator_advice(self):
        self.check("403 Wrong Guess", "siptxn.reason.advice",
                   "Check the password configured on the device; repeated failures may get the source IP "
                   "address blocked.",
                   "Проверьте пароль, настроенный на устройстве; повторные ошибки могут привести к блокировке "
                   "IP-адреса источника.")

    def test_standard_phrase_rfc3261_21_4_24(self):
        self.check("486 Busy Here", "siptxn.reason.explanation",
                   "The callee was contacted but is not willing or able to take another call at this end system.",
                   "Вызываемый абонент найден, но не хочет или не может принять ещё один вызов на этом "
                   "оконечном устройстве (абонент занят).")
        self.assertEqual(value("en", "486 Busy Here", "siptxn.reason.nonstandard"), "0")

    def test_q850_cause_17_rfc3326(self):
        frame = frames_of("486 Busy Here")
        with_reason = [f for f in frame if reasons("en")[f]["siptxn.reason.q850_cause"]]
        self.assertEqual(len(with_reason), 1, frame)
        for language, text in (("en", "User busy: the called party cannot accept another call."),
                               ("ru", "Абонент занят: вызываемый абонент не может принять ещё один вызов.")):
            row = reasons(language)[with_reason[0]]
            self.assertEqual(row["siptxn.reason.q850_cause"], ["17"])
            self.assertEqual(row["siptxn.reason.q850_explanation"], [text])

    def test_class_names_rfc3261_7_2(self):
        by_class = {}
        for frame, line in status_lines().items():
            by_class.setdefault(int(line[:3]) // 100, []).append(frame)
        self.assertEqual(set(by_class), set(CLASS_NAMES))
        for code_class, frames in sorted(by_class.items()):
            for language, expected in zip(("en", "ru"), CLASS_NAMES[code_class]):
                with self.subTest(code_class=code_class, language=language):
                    names = {tuple(reasons(language)[frame]["siptxn.reason.class"]) for frame in frames}
                    self.assertEqual(names, {(expected,)})


class Meanings(TsharkTestCase):
    """Every response of the capture: its explanation says what the code or
    phrase means, in English and in Russian."""

    def test_every_response_is_in_the_table(self):
        table = {line for line, _, _ in MEANINGS}
        self.assertEqual(len(table), len(MEANINGS), "a Status-Line is listed twice")
        for line, _, russian in MEANINGS:
            self.assertTrue(any(CYRILLIC.search(word) for word in russian), "%s: no Russian word" % line)
        hostile = {"486 Gone fishing", "418 I'm a teapot", "404 "}
        for line in set(status_lines().values()) - table - hostile:
            with self.subTest(line=line):
                # Only the invalid UTF-8 and the 4 kB phrase are left out.
                self.assertTrue("\ufffd" in line or len(line) > 1000, "%r has no expected meaning here" % line)

    def test_english_explanations(self):
        for line, english, _ in MEANINGS:
            with self.subTest(line=line):
                text = value("en", line, "siptxn.reason.explanation")
                self.assertEqual(missing_words(text, english), [], text)
                self.assertNotRegex(text, CYRILLIC)

    def test_russian_explanations(self):
        for line, _, russian in MEANINGS:
            with self.subTest(line=line):
                text = value("ru", line, "siptxn.reason.explanation")
                self.assertEqual(missing_words(text, russian), [], text)
                # Russian sentences, not the English text or a copy of the phrase.
                self.assertGreater(len(CYRILLIC.findall(text)), len(text) // 4, text)

    def test_every_response_of_a_line_gets_the_same_explanation(self):
        for line, _, _ in MEANINGS:
            for language in ("en", "ru"):
                with self.subTest(line=line, language=language):
                    texts = {tuple(reasons(language)[frame]["siptxn.reason.explanation"]) for frame in frames_of(line)}
                    self.assertEqual(len(texts), 1, texts)

    def test_standard_phrase_source_and_nonstandard_flag(self):
        for line, _, _ in MEANINGS:
            code, phrase = int(line[:3]), line[4:]
            standard, source = STANDARD.get(code, UNKNOWN_CODE)
            nonstandard = code not in STANDARD or folded(phrase) != folded(standard)
            if nonstandard:
                source = PHRASE_SOURCES.get(line, "operator phrase")
            with self.subTest(line=line):
                self.assertEqual(value("en", line, "siptxn.reason.standard_phrase"), standard)
                self.assertEqual(value("ru", line, "siptxn.reason.standard_phrase"), standard)
                actual = value("en", line, "siptxn.reason.source")
                self.assertTrue(source_matches(actual, source), "source %r, expected %r" % (actual, source))
                self.assertEqual(value("en", line, "siptxn.reason.nonstandard"), "1" if nonstandard else "0")
                self.assertEqual(value("en", line, "siptxn.reason.phrase"), phrase)

    def test_advice(self):
        cases = [
            # RFC 3261 §22.2: a 401 is answered with credentials; a second one means they are wrong.
            ("401 Unauthorized", ["password"], ["парол"]),
            # §17.1.1.3: the ACK to a 487 belongs to the INVITE transaction.
            ("487 Request Terminated", ["CANCEL", "ACK"], ["CANCEL", "ACK"]),
            # §13.3.1.4: the UAS re-sends the 2xx until the ACK arrives.
            ("200 OK", ["ACK"], ["ACK"]),
            # §21.5.4: Retry-After, and another server.
            ("503 Service Unavailable", ["Retry-After", "alternate|another|other"], ["Retry-After", "друг"]),
            ("480 No money left", ["top up|balance|billing"], ["пополн|баланс|биллинг"]),
        ]
        for line, english, russian in cases:
            with self.subTest(line=line):
                text = value("en", line, "siptxn.reason.advice")
                self.assertEqual(missing_words(text, english), [], text)
                text = value("ru", line, "siptxn.reason.advice")
                self.assertEqual(missing_words(text, russian), [], text)
                self.assertRegex(text, CYRILLIC)

    def test_a_phrase_without_advice_of_its_own_gets_its_codes(self):
        for language in ("en", "ru"):
            with self.subTest(language=language):
                advice = value(language, "100 trying -- your call is important to us", "siptxn.reason.advice")
                self.assertTrue(advice)
                self.assertEqual(advice, value(language, "100 Trying", "siptxn.reason.advice"))


class UnknownPhrasesAndCodes(TsharkTestCase):
    def labels(self, language):
        """frame -> the tree label of siptxn.reason.phrase ("Phrase sent: ... (note)")."""
        found, frame = {}, None
        output = tshark(["-r", capture(CAPTURE), "-T", "pdml"], language=RUSSIAN if language == "ru" else None)
        for line in output.splitlines():
            number = re.search(r'<field name="num" pos="0" show="(\d+)"', line)
            if number:
                frame = int(number.group(1))
            label = re.search(r'<field name="siptxn\.reason\.phrase" showname="([^"]*)"', line)
            if label and frame is not None:
                found[frame] = label.group(1)
        return found

    def test_unknown_phrase_of_a_known_code_gets_the_codes_meaning(self):
        for language in ("en", "ru"):
            with self.subTest(language=language):
                self.assertEqual(value(language, "486 Gone fishing", "siptxn.reason.explanation"),
                                 value(language, "486 Busy Here", "siptxn.reason.explanation"))
        self.assertEqual(value("en", "486 Gone fishing", "siptxn.reason.nonstandard"), "1")
        self.assertEqual(value("en", "486 Gone fishing", "siptxn.reason.standard_phrase"), "Busy Here")
        self.assertEqual(value("en", "486 Gone fishing", "siptxn.reason.source"), STANDARD[486][1])
        found = experts(CAPTURE, two_pass=False)
        self.assertIn("reason.nonstandard", found[frame_of("486 Gone fishing")])
        self.assertNotIn("reason.nonstandard", found[frame_of("486 Busy Here")])

    def test_unknown_code_gets_its_class_meaning_rfc3261_8_1_3_2(self):
        line = "418 I'm a teapot"
        self.assertEqual(value("en", line, "siptxn.reason.standard_phrase"), "Bad Request")
        self.assertEqual(value("en", line, "siptxn.reason.source"), UNKNOWN_CODE[1])
        self.assertEqual(value("en", line, "siptxn.reason.nonstandard"), "1")
        # RFC 3261 §21.4: a 4xx is a definite failure at this server; do not retry unchanged.
        text = value("en", line, "siptxn.reason.explanation")
        self.assertEqual(missing_words(text, ["this server", "retr(y|ied)", "unchanged|without (change|modification)"]),
                         [], text)
        text = value("ru", line, "siptxn.reason.explanation")
        self.assertEqual(missing_words(text, ["этим сервером|этот сервер", "повтор", "без изменени"]), [], text)

    def test_empty_phrase_gets_the_codes_meaning(self):
        self.assertEqual(value("en", "404 ", "siptxn.reason.explanation"),
                         value("en", "404 Not Found", "siptxn.reason.explanation"))
        self.assertEqual(value("en", "404 ", "siptxn.reason.nonstandard"), "1")
        self.assertIn(reasons("en")[frame_of("404 ")]["siptxn.reason.phrase"], ([], [""]))

    def test_the_tree_says_why_in_the_language(self):
        for language, notes in (("en", {"486 Gone fishing": ["non-standard", "standard meaning"],
                                         "418 I'm a teapot": ["not registered", "x00"],
                                         "404 ": ["empty"]}),
                                ("ru", {"486 Gone fishing": ["нестандартн", "стандартное значение"],
                                        "418 I'm a teapot": ["не зарегистрирован", "x00"],
                                        "404 ": ["пуст"]})):
            labels = self.labels(language)
            for line, words in notes.items():
                with self.subTest(language=language, line=line):
                    label = labels[frame_of(line)]
                    self.assertEqual(missing_words(label, words), [], label)
            # A phrase the catalog knows needs no note.
            self.assertNotIn("(", labels[frame_of("403 Wrong Guess")])


class ReasonHeader(TsharkTestCase):
    def test_q850_cause_only_where_sent(self):
        rows = fields(CAPTURE, ["sip.Reason", "siptxn.reason.q850_cause"])
        with_q850 = [f for f, row in rows.items() if any("Q.850" in r for r in row["sip.Reason"])]
        self.assertEqual(len(with_q850), 1)
        self.assertEqual([f for f, row in rows.items() if row["siptxn.reason.q850_cause"]], with_q850)

    def test_sip_cause_487_rfc3326(self):
        frames = [f for f in frames_of("487 Request Terminated") if reasons("en")[f]["siptxn.reason.sip_cause"]]
        self.assertEqual(len(frames), 1)
        for language, words in (("en", ["CANCEL|BYE", "terminated"]), ("ru", ["CANCEL|BYE", "прерван|отмен"])):
            with self.subTest(language=language):
                row = reasons(language)[frames[0]]
                self.assertEqual(row["siptxn.reason.sip_cause"], ["487"])
                self.assertEqual(len(row["siptxn.reason.sip_explanation"]), 1)
                text = row["siptxn.reason.sip_explanation"][0]
                self.assertEqual(missing_words(text, words), [], text)


class LanguagePreference(TsharkTestCase):
    ENGLISH, RUSSIAN_TEXT = WRONG_GUESS

    def text(self, locale, preference):
        rows = fields(CAPTURE, ["siptxn.reason.explanation"], language=locale,
                      extra=["-o", "siptxn.language:" + preference])
        return rows[frame_of("403 Wrong Guess")]["siptxn.reason.explanation"]

    def test_preference_overrides_the_locale(self):
        self.assertEqual(self.text(RUSSIAN, "en"), [self.ENGLISH])
        self.assertEqual(self.text("C.UTF-8", "ru"), [self.RUSSIAN_TEXT])

    def test_automatic_follows_the_locale(self):
        self.assertEqual(self.text("en_US.UTF-8", "auto"), [self.ENGLISH])
        self.assertEqual(self.text(RUSSIAN, "auto"), [self.RUSSIAN_TEXT])
        self.assertEqual(self.text("C.UTF-8", "auto"), [self.ENGLISH])


class UserPhrases(TsharkTestCase):
    TEXT = "Prepaid balance exhausted on the carrier side; top up the account."
    RUSSIAN_TEXT = "Баланс предоплаты у оператора исчерпан; пополните счёт."

    @staticmethod
    def uat(*rows):
        options = []
        for row in rows:
            options += ["-o", "uat:siptxn_reason_phrases:" + ",".join('"%s"' % cell for cell in row)]
        return options

    def explanation(self, line, extra=(), language=None, **kwargs):
        rows = fields(CAPTURE, ["siptxn.reason.explanation", "siptxn.reason.source"], extra=extra,
                      language=language, **kwargs)
        row = rows[frame_of(line)]
        return row["siptxn.reason.explanation"], row["siptxn.reason.source"]

    def test_uat_entry_in_a_profile_wins_over_the_catalog(self):
        profile = tempfile.mkdtemp()
        try:
            with open(os.path.join(profile, "siptxn_reason_phrases"), "w", encoding="utf-8") as table:
                table.write('"480","No money left","en","%s"\n' % self.TEXT)
            found = self.explanation("480 No money left", profile_dir=profile)
        finally:
            shutil.rmtree(profile)
        self.assertEqual(found, ([self.TEXT], ["user entry"]))

    def test_uat_entry_from_the_command_line_adds_a_phrase(self):
        found = self.explanation("486 Gone fishing", extra=self.uat(("486", "Gone fishing", "any", self.TEXT)))
        self.assertEqual(found, ([self.TEXT], ["user entry"]))

    def test_uat_entries_per_language(self):
        rows = (("480", "No money left", "en", self.TEXT), ("480", "No money left", "ru", self.RUSSIAN_TEXT))
        self.assertEqual(self.explanation("480 No money left", extra=self.uat(*rows)), ([self.TEXT], ["user entry"]))
        self.assertEqual(self.explanation("480 No money left", extra=self.uat(*rows), language=RUSSIAN),
                         ([self.RUSSIAN_TEXT], ["user entry"]))

    def test_uat_entry_in_one_language_leaves_the_other_to_the_catalog(self):
        rows = (("480", "No money left", "ru", self.RUSSIAN_TEXT),)
        text, source = self.explanation("480 No money left", extra=self.uat(*rows))
        self.assertEqual(source, ["operator phrase"])
        self.assertEqual(missing_words(text[0], ["money"]), [], text)

    def test_uat_entry_for_a_code_covers_its_unknown_phrases_not_the_catalogs(self):
        # An empty phrase stands for the code: it comes after the catalog's phrases.
        rows = (("486", "", "any", self.TEXT), ("403", "", "any", self.TEXT))
        self.assertEqual(self.explanation("486 Gone fishing", extra=self.uat(*rows)), ([self.TEXT], ["user entry"]))
        self.assertEqual(self.explanation("403 Wrong Guess", extra=self.uat(*rows)),
                         ([WRONG_GUESS[0]], ["operator phrase"]))


class HostilePhrases(TsharkTestCase):
    def test_every_output_format_is_valid_utf8_and_every_response_explained(self):
        # tshark() decodes stdout strictly as UTF-8: invalid bytes would raise.
        for output in (["-V"], ["-T", "json"], ["-T", "pdml"],
                       ["-T", "fields", "-e", "siptxn.reason.phrase", "-e", "siptxn.reason.explanation"]):
            with self.subTest(output=output[-1]):
                text = tshark(["-r", os.path.join(SOURCE_DIR, "test-captures", CAPTURE)] + output)
                self.assertTrue(text)
        stock = fields(CAPTURE, ["sip.Status-Code"], plugin="-")
        ours = reasons("en")
        for frame, row in stock.items():
            if row["sip.Status-Code"]:
                with self.subTest(frame=frame):
                    self.assertEqual(len(ours[frame]["siptxn.reason.explanation"]), len(row["sip.Status-Code"]))

    def test_invalid_utf8_and_long_phrases_get_the_codes_meaning(self):
        # RFC 3261 §7.2: the Status-Code alone decides; the phrase is for humans.
        temporarily = value("en", "480 Temporarily Unavailable", "siptxn.reason.explanation")
        odd = [f for f, line in status_lines().items()
               if line.startswith("480 ") and ("\ufffd" in line or len(line) > 1000)]
        self.assertEqual(len(odd), 2, odd)
        for frame in odd:
            with self.subTest(frame=frame):
                self.assertEqual(reasons("en")[frame]["siptxn.reason.explanation"], [temporarily])
                self.assertEqual(reasons("en")[frame]["siptxn.reason.nonstandard"], ["1"])


# ---------------------------------------------------------------------------
# Word rules: phrases no catalog lists, in a capture this file writes.

# What the explanation of each word rule must speak of, in English and in Russian
# (regular expressions as in MEANINGS): what the phrase's words point to.
WORD_RULE_MEANINGS = {
    "authentication": (["authentication"], ["аутентификац"]),
    "billing": (["billing"], ["оплат"]),
    "licensing": (["licen[cs]e"], ["лицензи"]),
    "media negotiation": (["media", "codec"], ["медиа", "кодек"]),
    "blocking": (["block"], ["блокировк|черн\\w* списк"]),
    "account disabled": (["disabled|suspended", "account"], ["отключ", "учетн\\w* запис"]),
    "caller identity": (["caller's identity|caller id"], ["идентификат"]),
    "permission": (["permission|not allow|rights"], ["прав|не разрешают"]),
    "unknown number or user": (["does not exist|no subscriber"], ["несуществующ|нет абонента"]),
    "number format": (["number", "numbering plan|digits"], ["номер", "нумерации|цифр"]),
    "rate or capacity limit": (["limit", "calls per second|CPS"], ["ограничени", "в секунду|CPS"]),
    "not registered": (["registration|registered"], ["регистрац|зарегистрирован"]),
    "busy": (["busy", "calls"], ["занятост", "вызов"]),
    "do not disturb": (["do not disturb"], ["не беспокоить"]),
    "no answer": (["answer"], ["не ответил"]),
    "security": (["TLS|certificate"], ["TLS|сертификат"]),
    "maintenance": (["maintenance|out of service"], ["обслуживани|выведен"]),
    "database": (["database"], ["баз\\w* данных"]),
    "timeout": (["timeout|timer"], ["тайм-аут|таймер"]),
    "routing": (["rout"], ["маршрут"]),
    "network": (["network", "transport"], ["сети", "транспорт"]),
    "rejected": (["refus"], ["отказ"]),
}

# Phrases written for this test (no operator list has them), each with the rule
# and the word that must decide.
UNCATALOGUED = [
    ("401 Password mismatch", "authentication", "password"),
    ("403 Authentication failure for user", "authentication", "authentication"),
    ("407 Stale nonce, retry", "authentication", "nonce"),
    ("403 Unknown realm", "authentication", "realm"),
    ("402 Prepaid balance exhausted", "billing", "prepaid"),
    ("403 Account in debt", "billing", "debt"),
    ("480 Out of credit", "billing", "credit"),
    ("503 Licence pool empty", "licensing", "licence"),
    ("403 Unlicensed feature", "licensing", "unlicensed"),
    ("488 Codec negotiation failed", "media negotiation", "codec"),
    ("415 Bad SDP", "media negotiation", "sdp"),
    ("488 Fax not supported", "media negotiation", "fax"),
    ("603 Blacklisted number", "blocking", "blacklisted"),
    ("403 Fraud detected", "blocking", "fraud"),
    ("403 Destination barred", "blocking", "barred"),
    ("403 Subscription suspended", "account disabled", "suspended"),
    ("403 User locked", "account disabled", "locked"),
    ("433 Anonymous rejected", "caller identity", "anonymous"),
    ("403 Caller ID withheld", "caller identity", "caller id"),
    ("403 Premium numbers not permitted", "permission", "not permitted"),
    ("403 Restricted destination", "permission", "restricted"),
    ("404 No such user here", "unknown number or user", "no such user"),
    ("404 Subscriber not found", "unknown number or user", "subscriber not found"),
    ("410 Number not in service", "unknown number or user", "not in service"),
    ("400 Bad number", "number format", "bad number"),
    ("404 Missing area code", "number format", "area code"),
    ("503 Call limit reached", "rate or capacity limit", "call limit"),
    ("503 Congestion", "rate or capacity limit", "congestion"),
    ("486 No channels available", "rate or capacity limit", "no channels"),
    ("480 Not logged in", "not registered", "not logged in"),
    ("480 Unregistered subscriber", "not registered", "unregistered"),
    ("486 Busy now", "busy", "busy"),
    ("480 DND enabled", "do not disturb", "dnd"),
    ("480 Unanswered", "no answer", "unanswered"),
    ("403 Secure transport required", "security", "secure transport"),
    ("503 Scheduled maintenance", "maintenance", "maintenance"),
    ("503 System upgrade in progress", "maintenance", "upgrade"),
    ("500 DB error", "database", "db"),
    ("408 Response timeout", "timeout", "timeout"),
    ("504 No response from next hop", "timeout", "no response"),
    ("404 No route", "routing", "route"),
    ("502 Trunk down", "routing", "trunk"),
    ("503 Network error", "network", "network"),
    ("503 Socket error", "network", "socket"),
    ("603 Declined by user", "rejected", "declined"),
    # A code no document registered: its class's meaning, and still the rule.
    ("499 Insufficient funds", "billing", "funds"),
    # Phrases sent in Russian.
    ("403 Неверный логин или пароль", "authentication", "логин"),
    ("402 Недостаточно денег на балансе", "billing", "денег"),
    ("603 Абонент в чёрном списке", "blocking", "чёрном списке"),
    ("403 Доступ запрещён", "permission", "доступ запрещён"),
    ("404 Номер не существует", "unknown number or user", "номер не существует"),
    ("486 Линия занята", "busy", "занята"),
    ("503 Перегрузка", "rate or capacity limit", "перегрузка"),
    ("480 Абонент недоступен", "not registered", "абонент недоступен"),
    ("408 Нет ответа", "timeout", "нет ответа"),
    ("503 Сбой сети", "network", "сети"),
]

# Phrases with no word a rule knows: the code's own meaning.
NO_KNOWN_WORD = ["486 Not my day", "403 Go away", "480 Call me later", "503 Oops", "603 Nope, not today"]

# Catalog entries with a rule's word in them: the entry wins.
CATALOG_ENTRIES = ["403 Wrong password", "480 No money left", "488 Codec Mismatch", "500 DB Timeout"]

# The standard phrase but for punctuation, spacing and case (and the standard
# phrases themselves, some with a rule's word in them): no rule, not non-standard.
PUNCTUATION_ONLY = ["504 Server Timeout", "481 Call Transaction Does Not Exist", "404 Not Found.", "486 Busy-Here",
                    "414 Request URI Too Long", "407 Proxy Authentication Required", "440 Max-Breadth Exceeded"]

# Provisional responses: the words describe progress, not a problem.
PROVISIONAL = ["183 Gateway ringing", "180 Ringing, line busy elsewhere"]


def sip_capture_bytes(status_lines):
    """A libpcap file (Ethernet, IPv4, UDP) with, for each Status-Line, an INVITE
    from 192.0.2.1 to 192.0.2.2 and that response, each call its own dialog and
    branch: frame 2*i+2 is the response to the i-th line."""
    def ipv4_checksum(header):
        total = sum(struct.unpack("!10H", header))
        while total >> 16:
            total = (total & 0xFFFF) + (total >> 16)
        return ~total & 0xFFFF

    def frame(number, payload, source, destination):
        udp = struct.pack("!HHHH", 5060, 5060, 8 + len(payload), 0) + payload
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), number, 0, 64, 17, 0,
                             bytes(source), bytes(destination))
        header = header[:10] + struct.pack("!H", ipv4_checksum(header)) + header[12:]
        ethernet = bytes([2, 0, 0, 0, 0, destination[3]]) + bytes([2, 0, 0, 0, 0, source[3]]) + b"\x08\x00"
        data = ethernet + header + udp
        seconds = 1704067200 + number // 2
        return struct.pack("<IIII", seconds, (number % 2) * 1000, len(data), len(data)) + data

    alice, bob = [192, 0, 2, 1], [192, 0, 2, 2]
    output = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for index, line in enumerate(status_lines):
        dialog = ("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-words-%d\r\n"
                  "From: <sip:alice@192.0.2.1>;tag=a%d\r\n" % (index, index))
        ids = "Call-ID: words-%d@192.0.2.1\r\nCSeq: 1 INVITE\r\n" % index
        invite = ("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n" + dialog + "To: <sip:bob@192.0.2.2>\r\n" + ids +
                  "Max-Forwards: 70\r\nContact: <sip:alice@192.0.2.1:5060>\r\nContent-Length: 0\r\n\r\n")
        response = ("SIP/2.0 " + line + "\r\n" + dialog + "To: <sip:bob@192.0.2.2>;tag=b%d\r\n" % index + ids +
                    "Content-Length: 0\r\n\r\n")
        output += frame(2 * index + 1, invite.encode("utf-8"), alice, bob)
        output += frame(2 * index + 2, response.encode("utf-8"), bob, alice)
    return output


class WordRules(TsharkTestCase):
    """Phrases no catalog lists are explained by the words in them; catalog entries,
    user entries and the standard phrase (punctuation aside) still win."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        standard = sorted({"%d %s" % (int(line[:3]), STANDARD[int(line[:3])][0])
                           for line, _, _ in UNCATALOGUED if int(line[:3]) in STANDARD})
        cls.lines = ([line for line, _, _ in UNCATALOGUED] + NO_KNOWN_WORD + CATALOG_ENTRIES + PUNCTUATION_ONLY +
                     PROVISIONAL + standard)
        cls.folder = tempfile.mkdtemp()
        cls.capture = os.path.join(cls.folder, "word-rules.pcap")
        with open(cls.capture, "wb") as output:
            output.write(sip_capture_bytes(cls.lines))
        cls.rows = {}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder)

    def row(self, language, line, extra=()):
        """The siptxn.reason fields of the response with that Status-Line (a capture
        path is taken as is by capture(), so fields() reads the file written here)."""
        key = (language, tuple(extra))
        if key not in self.rows:
            self.rows[key] = fields(self.capture, FIELDS, extra=extra,
                                    language=RUSSIAN if language == "ru" else None)
        row = self.rows[key][2 * self.lines.index(line) + 2]
        self.assertEqual(row["siptxn.reason.phrase"], [line[4:]])
        return {name: values[0] if len(values) == 1 else values for name, values in row.items()}

    def standard_row(self, language, code):
        return self.row(language, "%d %s" % (code, STANDARD[code][0]))

    def test_the_tree_says_which_word_decided(self):
        # The note beside the phrase sent names the word, in the explanation language.
        english = tshark(["-r", capture(self.capture), "-V", "-O", "siptxn"])
        self.assertIn('Phrase sent: Password mismatch (non-standard phrase, not in the catalog: '
                      'explained by its word "password")', english)
        russian = tshark(["-r", capture(self.capture), "-V", "-O", "siptxn"], language=RUSSIAN)
        self.assertIn("объяснена по слову «password»", russian)

    def test_the_lists_are_long_enough_and_every_rule_is_met(self):
        self.assertGreaterEqual(len(UNCATALOGUED), 40)
        self.assertEqual({rule for _, rule, _ in UNCATALOGUED}, set(WORD_RULE_MEANINGS))
        self.assertTrue(any(CYRILLIC.search(line) for line, _, _ in UNCATALOGUED))

    def test_uncatalogued_phrases_get_their_word_rule(self):
        openings = {"en": "The phrase is not in the catalog; its words (%s) point to ",
                    "ru": "Этой фразы нет в каталоге; её слова (%s) указывают на "}
        for line, rule, word in UNCATALOGUED:
            code = int(line[:3])
            for language in ("en", "ru"):
                with self.subTest(line=line, language=language):
                    row = self.row(language, line)
                    self.assertEqual(row["siptxn.reason.source"], "word rule: %s (%s)" % (rule, word))
                    text = row["siptxn.reason.explanation"]
                    self.assertTrue(text.startswith(openings[language] % word), text)
                    words = WORD_RULE_MEANINGS[rule][0 if language == "en" else 1]
                    self.assertEqual(missing_words(text[len(openings[language] % word):], words), [], text)
                    self.assertEqual(row["siptxn.reason.nonstandard"], "1")
                    self.assertEqual(row["siptxn.reason.standard_phrase"], STANDARD.get(code, UNKNOWN_CODE)[0])
                    self.assertNotEqual(row["siptxn.reason.advice"], "")
                    if language == "ru":
                        self.assertRegex(row["siptxn.reason.advice"], CYRILLIC)
                    else:
                        # English but for the word quoted from a Russian phrase.
                        self.assertNotRegex(text.replace("(%s)" % word, "") + row["siptxn.reason.advice"], CYRILLIC)
                    # The code's own meaning follows (the class's for an unknown code).
                    if code in STANDARD:
                        own = self.standard_row(language, code)["siptxn.reason.explanation"]
                        self.assertTrue(text.endswith(own), text)
                        self.assertNotEqual(row["siptxn.reason.advice"],
                                            self.standard_row(language, code)["siptxn.reason.advice"])

    def test_an_authentication_phrase_word_for_word(self):
        row = self.row("en", "401 Password mismatch")
        self.assertTrue(row["siptxn.reason.explanation"].startswith(
            "The phrase is not in the catalog; its words (password) point to an authentication problem: "))
        self.assertIn("Code 401 by itself means: ", row["siptxn.reason.explanation"])
        row = self.row("ru", "401 Password mismatch")
        self.assertTrue(row["siptxn.reason.explanation"].startswith(
            "Этой фразы нет в каталоге; её слова (password) указывают на проблему с аутентификацией: "))

    def test_phrases_with_no_known_word_keep_the_codes_meaning(self):
        for line in NO_KNOWN_WORD:
            code = int(line[:3])
            for language in ("en", "ru"):
                with self.subTest(line=line, language=language):
                    row, own = self.row(language, line), self.standard_row(language, code)
                    self.assertEqual(row["siptxn.reason.explanation"], own["siptxn.reason.explanation"])
                    self.assertEqual(row["siptxn.reason.advice"], own["siptxn.reason.advice"])
                    self.assertTrue(source_matches(row["siptxn.reason.source"], STANDARD[code][1]))
                    self.assertEqual(row["siptxn.reason.nonstandard"], "1")

    def test_catalog_entries_win_over_word_rules(self):
        for line in CATALOG_ENTRIES:
            for language in ("en", "ru"):
                with self.subTest(line=line, language=language):
                    row = self.row(language, line)
                    self.assertEqual(row["siptxn.reason.source"], "operator phrase")
                    self.assertFalse(row["siptxn.reason.explanation"].startswith(("The phrase is not in the catalog",
                                                                                   "Этой фразы нет в каталоге")))

    def test_punctuation_only_differences_are_the_standard_phrase(self):
        found = experts(self.capture, two_pass=False)
        for line in PUNCTUATION_ONLY:
            code = int(line[:3])
            with self.subTest(line=line):
                row = self.row("en", line)
                self.assertEqual(row["siptxn.reason.nonstandard"], "0")
                self.assertEqual(row["siptxn.reason.standard_phrase"], STANDARD[code][0])
                self.assertTrue(source_matches(row["siptxn.reason.source"], STANDARD[code][1]),
                                row["siptxn.reason.source"])
                self.assertNotIn("reason.nonstandard", found[2 * self.lines.index(line) + 2])
        for line, _, _ in UNCATALOGUED[:3]:
            self.assertIn("reason.nonstandard", found[2 * self.lines.index(line) + 2])

    def test_provisional_responses_get_no_word_rule(self):
        for line in PROVISIONAL:
            with self.subTest(line=line):
                row = self.row("en", line)
                self.assertTrue(source_matches(row["siptxn.reason.source"], STANDARD[int(line[:3])][1]))

    def test_a_user_entry_wins_over_the_word_rule(self):
        text = "Our SBC: the SIP domain is wrong, not the password."
        extra = UserPhrases.uat(("401", "Password mismatch", "any", text), ("403", "", "any", text))
        for line in ("401 Password mismatch", "403 Fraud detected"):
            with self.subTest(line=line):
                row = self.row("en", line, extra=extra)
                self.assertEqual((row["siptxn.reason.explanation"], row["siptxn.reason.source"]),
                                 (text, "user entry"))
        self.assertEqual(self.row("en", "480 Unanswered", extra=extra)["siptxn.reason.source"],
                         "word rule: no answer (unanswered)")


if __name__ == "__main__":
    unittest.main()
