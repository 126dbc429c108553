/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the reason-phrase catalog: its data, matching rules, word rules, languages (a made-up one too),
 * user entries, Q.850 causes and hostile input. */

#include "catalog.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static catalog *builtin;

/* ---- shared test functions -------------------------------------------- */

static catalog_explanation explain(unsigned code, const char *phrase, siptxn_language language)
{
    catalog_explanation out;

    g_assert_true(catalog_explain(builtin, code, phrase, phrase != NULL ? strlen(phrase) : 0, language, &out));
    g_assert_nonnull(out.class_name);
    g_assert_nonnull(out.standard_phrase);
    g_assert_nonnull(out.explanation);
    g_assert_nonnull(out.source);
    return out;
}

/* Folds case and whitespace the simple way (split and join), independently of the catalog code. */
static char *fold_words(const char *text)
{
    char *lower = g_ascii_strdown(text, -1);
    char **words = g_strsplit_set(lower, " \t\r\n\v\f", -1);
    GString *folded = g_string_new(NULL);

    for (gsize index = 0; words[index] != NULL; index++) {
        if (words[index][0] == '\0')
            continue;
        if (folded->len > 0)
            g_string_append_c(folded, ' ');
        g_string_append(folded, words[index]);
    }
    g_strfreev(words);
    g_free(lower);
    return g_string_free(folded, FALSE);
}

static gboolean contains_cyrillic(const char *text)
{
    for (const char *cursor = text; *cursor != '\0'; cursor = g_utf8_next_char(cursor)) {
        gunichar character = g_utf8_get_char(cursor);
        if (character >= 0x0400 && character <= 0x04FF)
            return TRUE;
    }
    return FALSE;
}

/* A value of the raw key file that must exist, be non-empty UTF-8, in English and Russian. */
static void assert_localized(GKeyFile *file, const char *group, const char *key)
{
    char *russian_key = g_strconcat(key, "[ru]", NULL);
    char *english = g_key_file_get_string(file, group, key, NULL);
    char *russian = g_key_file_get_string(file, group, russian_key, NULL);

    if (english == NULL || russian == NULL)
        g_error("[%s] lacks %s in English or Russian", group, key);
    g_assert_true(g_utf8_validate(english, -1, NULL));
    g_assert_true(g_utf8_validate(russian, -1, NULL));
    g_assert_cmpuint(strlen(g_strstrip(english)), >, 0);
    g_assert_cmpuint(strlen(g_strstrip(russian)), >, 0);
    if (!contains_cyrillic(russian))
        g_error("[%s] %s has no Russian text", group, russian_key);
    g_free(english);
    g_free(russian);
    g_free(russian_key);
}

static gboolean is_code_text(const char *text, gsize length)
{
    if (length != 3)
        return FALSE;
    for (gsize index = 0; index < 3; index++) {
        if (!g_ascii_isdigit(text[index]))
            return FALSE;
    }
    return text[0] >= '1' && text[0] <= '6';
}

/* ---- data ------------------------------------------------------------- */

/* Every group of the embedded reasons.ini is a well-formed entry with both languages,
 * and no code+phrase appears twice. Reads the raw text, not the catalog's tables. */
static void test_data_entries_complete(void)
{
    gsize length;
    const char *data = catalog_builtin_data(&length);
    GKeyFile *file = g_key_file_new();
    GError *error = NULL;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char **lines;
    gchar **groups;
    unsigned classes = 0, codes = 0, phrases = 0, causes = 0, rules = 0;

    g_assert_true(g_utf8_validate(data, (gssize)length, NULL));
    g_assert_true(g_key_file_load_from_data(file, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, &error));
    g_assert_no_error(error);

    /* GKeyFile merges repeated groups, so look for repeated headers in the text itself. */
    lines = g_strsplit(data, "\n", -1);
    for (gsize index = 0; lines[index] != NULL; index++) {
        char *line = g_strstrip(lines[index]);
        gsize line_length = strlen(line);
        if (line_length < 2 || line[0] != '[' || line[line_length - 1] != ']')
            continue;
        line[line_length - 1] = '\0';
        char *folded = fold_words(line + 1);
        if (g_hash_table_contains(seen, folded))
            g_error("group [%s] appears twice (case and spacing ignored)", line + 1);
        g_hash_table_add(seen, folded);
    }
    g_strfreev(lines);

    groups = g_key_file_get_groups(file, NULL);
    for (gsize index = 0; groups[index] != NULL; index++) {
        const char *group = groups[index];
        gsize group_length = strlen(group);
        if (group_length == 3 && group[1] == 'x' && group[2] == 'x') {
            g_assert_true(group[0] >= '1' && group[0] <= '6');
            assert_localized(file, group, "name");
            assert_localized(file, group, "explanation");
            assert_localized(file, group, "advice");
            g_assert_true(g_key_file_has_key(file, group, "phrase", NULL));
            classes++;
        } else if (strcmp(group, "words") == 0) {
            assert_localized(file, group, "explanation");
        } else if (g_str_has_prefix(group, "words ")) {
            char **words = g_key_file_get_string_list(file, group, "words", NULL, NULL);
            char **russian_words = g_key_file_get_string_list(file, group, "words[ru]", NULL, NULL);
            if (words == NULL && russian_words == NULL)
                g_error("[%s] lists no words", group);
            assert_localized(file, group, "problem");
            assert_localized(file, group, "explanation");
            assert_localized(file, group, "advice");
            g_strfreev(words);
            g_strfreev(russian_words);
            rules++;
        } else if (g_str_has_prefix(group, "Q.850 ")) {
            int cause = atoi(group + 6);
            g_assert_cmpint(cause, >=, 1);
            g_assert_cmpint(cause, <=, 127);
            assert_localized(file, group, "meaning");
            causes++;
        } else if (is_code_text(group, group_length)) {
            char *phrase = g_key_file_get_string(file, group, "phrase", NULL);
            char *source = g_key_file_get_string(file, group, "source", NULL);
            g_assert_nonnull(phrase);
            g_assert_true(g_utf8_validate(phrase, -1, NULL));
            g_assert_nonnull(source);
            g_assert_true(g_str_has_prefix(source, "RFC "));
            assert_localized(file, group, "explanation");
            assert_localized(file, group, "advice");
            /* A code's standard phrase must not also appear as a phrase entry. */
            char *standard_group = g_strdup_printf("%s %s", group, phrase);
            char *folded = fold_words(standard_group);
            if (g_hash_table_contains(seen, folded))
                g_error("[%s] repeats the standard phrase of [%s]", standard_group, group);
            g_free(folded);
            g_free(standard_group);
            g_free(phrase);
            g_free(source);
            codes++;
        } else {
            g_assert_cmpuint(group_length, >, 4);
            g_assert_true(is_code_text(group, 3));
            g_assert_cmpint(group[3], ==, ' ');
            g_assert_true(g_utf8_validate(group, -1, NULL));
            assert_localized(file, group, "explanation");
            if (g_key_file_has_key(file, group, "advice", NULL) || g_key_file_has_key(file, group, "advice[ru]", NULL))
                assert_localized(file, group, "advice");
            phrases++;
        }
    }
    g_strfreev(groups);
    g_test_message("classes %u, codes %u, phrases %u, Q.850 causes %u, word rules %u", classes, codes, phrases,
                   causes, rules);
    g_assert_cmpuint(classes, ==, 6);
    /* 75 IANA-registered codes plus 409 and 411 of RFC 2543 */
    g_assert_cmpuint(codes, ==, 77);
    g_assert_cmpuint(phrases, >=, 50);
    g_assert_cmpuint(causes, >=, 60);
    g_assert_cmpuint(rules, >=, 15);
    g_hash_table_destroy(seen);
    g_key_file_free(file);
}

/* Every "CODE PHRASE" of the reason-phrase source text is explained as an exact phrase. */
static void test_data_seed_phrases(void)
{
    char *contents = NULL;
    GError *error = NULL;
    char **lines;
    unsigned checked = 0;

    g_assert_true(g_file_get_contents(CATALOG_SEED_PHRASES, &contents, NULL, &error));
    g_assert_no_error(error);
    lines = g_strsplit(contents, "\n", -1);
    for (gsize index = 0; lines[index] != NULL; index++) {
        const char *line = g_strstrip(lines[index]);
        if (line[0] == '\0' || line[0] == '#')
            continue;
        g_assert_true(strlen(line) > 4 && is_code_text(line, 3));
        g_assert_cmpint(line[3], ==, ' ');
        unsigned code = (unsigned)atoi(line);
        for (siptxn_language language = SIPTXN_LANGUAGE_ENGLISH; language <= SIPTXN_LANGUAGE_RUSSIAN; language++) {
            catalog_explanation out = explain(code, line + 4, language);
            if (out.match != CATALOG_MATCH_PHRASE)
                g_error("seed phrase \"%s\" is not in the catalog", line);
            g_assert_false(out.from_user);
            g_assert_true(g_utf8_validate(out.explanation, -1, NULL));
        }
        checked++;
    }
    g_strfreev(lines);
    g_free(contents);
    g_test_message("seed phrases checked: %u", checked);
    g_assert_cmpuint(checked, >=, 120);
}

/* The IANA SIP response code registry, with the registered phrases. */
static const struct {
    unsigned code;
    const char *phrase;
} registered_codes[] = {
    { 100, "Trying" }, { 180, "Ringing" }, { 181, "Call Is Being Forwarded" }, { 182, "Queued" },
    { 183, "Session Progress" }, { 199, "Early Dialog Terminated" }, { 200, "OK" }, { 202, "Accepted" },
    { 204, "No Notification" }, { 300, "Multiple Choices" }, { 301, "Moved Permanently" },
    { 302, "Moved Temporarily" }, { 305, "Use Proxy" }, { 380, "Alternative Service" },
    { 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" }, { 403, "Forbidden" },
    { 404, "Not Found" }, { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" }, { 408, "Request Timeout" }, { 410, "Gone" },
    { 412, "Conditional Request Failed" }, { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" }, { 415, "Unsupported Media Type" }, { 416, "Unsupported URI Scheme" },
    { 417, "Unknown Resource-Priority" }, { 420, "Bad Extension" }, { 421, "Extension Required" },
    { 422, "Session Interval Too Small" }, { 423, "Interval Too Brief" }, { 424, "Bad Location Information" },
    { 425, "Bad Alert Message" }, { 428, "Use Identity Header" }, { 429, "Provide Referrer Identity" },
    { 430, "Flow Failed" }, { 433, "Anonymity Disallowed" }, { 436, "Bad Identity Info" },
    { 437, "Unsupported Credential" }, { 438, "Invalid Identity Header" },
    { 439, "First Hop Lacks Outbound Support" }, { 440, "Max-Breadth Exceeded" }, { 469, "Bad Info Package" },
    { 470, "Consent Needed" }, { 480, "Temporarily Unavailable" }, { 481, "Call/Transaction Does Not Exist" },
    { 482, "Loop Detected" }, { 483, "Too Many Hops" }, { 484, "Address Incomplete" }, { 485, "Ambiguous" },
    { 486, "Busy Here" }, { 487, "Request Terminated" }, { 488, "Not Acceptable Here" }, { 489, "Bad Event" },
    { 491, "Request Pending" }, { 493, "Undecipherable" }, { 494, "Security Agreement Required" },
    { 500, "Server Internal Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
    { 503, "Service Unavailable" }, { 504, "Server Time-out" }, { 505, "Version Not Supported" },
    { 513, "Message Too Large" }, { 555, "Push Notification Service Not Supported" },
    { 580, "Precondition Failure" }, { 600, "Busy Everywhere" }, { 603, "Decline" },
    { 604, "Does Not Exist Anywhere" }, { 606, "Not Acceptable" }, { 607, "Unwanted" }, { 608, "Rejected" },
};

static void test_data_registered_codes(void)
{
    g_assert_cmpuint(G_N_ELEMENTS(registered_codes), ==, 75);
    for (gsize index = 0; index < G_N_ELEMENTS(registered_codes); index++) {
        catalog_explanation out = explain(registered_codes[index].code, registered_codes[index].phrase,
                                          SIPTXN_LANGUAGE_ENGLISH);
        g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
        g_assert_true(out.phrase_is_standard);
        g_assert_cmpstr(out.standard_phrase, ==, registered_codes[index].phrase);
        g_assert_true(g_str_has_prefix(out.source, "RFC "));
        g_assert_nonnull(out.advice);
        /* A phrase nobody registered still gets the code's own meaning. */
        catalog_explanation unknown = explain(registered_codes[index].code, "zz unheard of zz", SIPTXN_LANGUAGE_RUSSIAN);
        g_assert_cmpint(unknown.match, ==, CATALOG_MATCH_CODE);
        g_assert_false(unknown.phrase_is_standard);
        g_assert_true(contains_cyrillic(unknown.explanation));
    }
}

/* A minimal valid catalog in reasons.ini format, plus one extra text appended. */
static char *minimal_catalog(const char *extra)
{
    GString *text = g_string_new(NULL);

    for (unsigned class_digit = 1; class_digit <= 6; class_digit++)
        g_string_append_printf(text,
                               "[%uxx]\nname=Class %u\nname[ru]=Класс %u\nphrase=Phrase %u\n"
                               "explanation=E\nexplanation[ru]=Р\nadvice=A\nadvice[ru]=С\n\n",
                               class_digit, class_digit, class_digit, class_digit);
    g_string_append(text, "[403]\nphrase=Forbidden\nsource=RFC 3261\nexplanation=E\nexplanation[ru]=Р\n"
                          "advice=A\nadvice[ru]=С\n\n");
    g_string_append(text, extra);
    return g_string_free(text, FALSE);
}

static void assert_rejected(const char *extra)
{
    char *text = minimal_catalog(extra);
    GError *error = NULL;
    catalog *loaded = catalog_new_from_data(text, strlen(text), &error);

    if (loaded != NULL)
        g_error("catalog with \"%s\" was accepted", extra);
    g_assert_nonnull(error);
    g_test_message("rejected: %s", error->message);
    g_error_free(error);
    g_free(text);
}

static void test_data_rejects_bad_entries(void)
{
    char *text = minimal_catalog("[403 Wrong Guess]\nexplanation=Wrong password.\nexplanation[ru]=Неверный пароль.\n");
    GError *error = NULL;
    catalog *loaded = catalog_new_from_data(text, strlen(text), &error);
    catalog_explanation out;

    g_assert_no_error(error);
    g_assert_nonnull(loaded);
    g_assert_true(catalog_explain(loaded, 403, "wrong guess", 11, SIPTXN_LANGUAGE_RUSSIAN, &out));
    g_assert_cmpstr(out.explanation, ==, "Неверный пароль.");
    g_assert_cmpstr(out.source, ==, "operator phrase");
    g_assert_cmpstr(out.class_name, ==, "4xx Класс 4");
    catalog_free(loaded);
    g_free(text);

    assert_rejected("[403 Wrong Guess]\nexplanation=Wrong password.\n");                     /* no Russian */
    assert_rejected("[403 Wrong Guess]\nexplanation[ru]=Неверный пароль.\n");               /* no English */
    assert_rejected("[403 Wrong Guess]\nexplanation=W\nexplanation[ru]=Н\n"
                    "[403 WRONG   guess]\nexplanation=W\nexplanation[ru]=Н\n");             /* duplicate */
    assert_rejected("[403 forbidden]\nexplanation=W\nexplanation[ru]=Н\n");                 /* standard phrase */
    assert_rejected("[403 Wrong Guess]\nexplanation=W\nexplanation[ru]=Н\nadvice=A\n");     /* advice in English only */
    assert_rejected("[403 Wrong Guess]\nexplanation=W\nexplanation[ru]=Н\nexplaination=X\n"); /* misspelt key */
    assert_rejected("[404]\nphrase=Not Found\nexplanation=E\nexplanation[ru]=Р\nadvice=A\nadvice[ru]=С\n"); /* no source */
    assert_rejected("[700]\nphrase=Huh\nsource=none\nexplanation=E\nexplanation[ru]=Р\nadvice=A\nadvice[ru]=С\n");
    assert_rejected("[Something else]\nexplanation=E\nexplanation[ru]=Р\n");
    assert_rejected("[Q.850 128]\nmeaning=M\nmeaning[ru]=З\n");
    assert_rejected("[403 Wrong Guess]\nexplanation=\xff\xfe\nexplanation[ru]=Н\n");         /* not UTF-8 */

    /* A missing class is an error too. */
    const char *no_classes = "[403]\nphrase=Forbidden\nsource=RFC 3261\nexplanation=E\nexplanation[ru]=Р\nadvice=A\nadvice[ru]=С\n";
    g_assert_null(catalog_new_from_data(no_classes, strlen(no_classes), &error));
    g_assert_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA);
    g_clear_error(&error);
}

/* ---- matching --------------------------------------------------------- */

static void test_matching_standard_phrase(void)
{
    catalog_explanation out = explain(403, "Forbidden", SIPTXN_LANGUAGE_ENGLISH);

    g_assert_cmpuint(out.code, ==, 403);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_true(out.phrase_is_standard);
    g_assert_false(out.from_user);
    g_assert_cmpstr(out.class_name, ==, "4xx Client Error");
    g_assert_cmpstr(out.standard_phrase, ==, "Forbidden");
    g_assert_cmpstr(out.source, ==, "RFC 3261 section 21.4.4");

    out = explain(200, "OK", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.class_name, ==, "2xx Success");
    out = explain(183, "Session Progress", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.class_name, ==, "1xx Provisional");
    out = explain(302, "Moved Temporarily", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.class_name, ==, "3xx Redirection");
    out = explain(503, "Service Unavailable", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.class_name, ==, "5xx Server Error");
    out = explain(603, "Decline", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.class_name, ==, "6xx Global Failure");
    g_assert_cmpstr(out.source, ==, "RFC 3261 section 21.6.2");
}

static void test_matching_folding(void)
{
    catalog_explanation exact = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH);
    catalog_explanation folded = explain(403, " \t wRoNg \t\t  GUESS  \r\n", SIPTXN_LANGUAGE_ENGLISH);

    g_assert_cmpint(exact.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_false(exact.phrase_is_standard);
    g_assert_true(strstr(exact.explanation, "password") != NULL);
    g_assert_cmpint(folded.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_true(folded.explanation == exact.explanation);
    g_assert_cmpstr(folded.standard_phrase, ==, "Forbidden");

    catalog_explanation standard = explain(404, "  NOT    found ", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(standard.phrase_is_standard);
    g_assert_cmpint(standard.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_cmpstr(standard.standard_phrase, ==, "Not Found");

    /* Inner whitespace cannot be dropped, only folded. */
    catalog_explanation glued = explain(403, "WrongGuess", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(glued.match, ==, CATALOG_MATCH_CODE);
}

static void test_matching_operator_phrases(void)
{
    catalog_explanation out = explain(500, "Call placing quota exceeded", SIPTXN_LANGUAGE_ENGLISH);

    g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_false(out.phrase_is_standard);
    g_assert_cmpstr(out.source, ==, "operator phrase");
    g_assert_cmpstr(out.standard_phrase, ==, "Server Internal Error");
    g_assert_true(strstr(out.explanation, "CPS") != NULL);
    out = explain(500, "Call placing quota exceeded", SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_true(strstr(out.explanation, "CPS") != NULL);
    g_assert_true(contains_cyrillic(out.explanation));

    out = explain(488, "Private IP Address", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(strstr(out.explanation, "1918") != NULL);
    out = explain(480, "No money left", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(strstr(out.explanation, "money") != NULL);
    out = explain(480, "No money left", SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_true(strstr(out.explanation, "денежных") != NULL);
    /* A phrase without advice of its own shows the code's advice. */
    out = explain(416, "Unsupported Scheme", SIPTXN_LANGUAGE_ENGLISH);
    catalog_explanation code = explain(416, "Unsupported URI Scheme", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_nonnull(out.advice);
    g_assert_true(out.advice == code.advice);
    g_assert_false(out.explanation == code.explanation);
    out = explain(100, "trying -- your call is important to us", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.source, ==, "Kamailio");
    g_assert_cmpstr(out.standard_phrase, ==, "Trying");
}

static void test_matching_unknown_phrase(void)
{
    catalog_explanation out = explain(403, "Go away", SIPTXN_LANGUAGE_ENGLISH);
    catalog_explanation standard = explain(403, "Forbidden", SIPTXN_LANGUAGE_ENGLISH);

    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    g_assert_false(out.phrase_is_standard);
    g_assert_true(out.explanation == standard.explanation);
    g_assert_cmpstr(out.standard_phrase, ==, "Forbidden");

    /* A phrase is matched only together with its own code. */
    out = explain(404, "Forbidden", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    g_assert_false(out.phrase_is_standard);
    out = explain(480, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    out = explain(403, "", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
}

static void test_matching_unknown_code(void)
{
    static const struct {
        unsigned code;
        const char *class_name;
        const char *x00_phrase;
    } unknown[] = {
        /* RFC 3261 section 8.1.3.2: an unknown 1xx other than 100 is treated as 183. */
        { 150, "1xx Provisional", "Session Progress" },
        { 299, "2xx Success", "OK" },
        { 399, "3xx Redirection", "Multiple Choices" },
        { 418, "4xx Client Error", "Bad Request" },
        { 599, "5xx Server Error", "Server Internal Error" },
        { 699, "6xx Global Failure", "Busy Everywhere" },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(unknown); index++) {
        catalog_explanation out = explain(unknown[index].code, "I'm a teapot", SIPTXN_LANGUAGE_ENGLISH);
        g_assert_cmpint(out.match, ==, CATALOG_MATCH_CLASS);
        g_assert_false(out.phrase_is_standard);
        g_assert_cmpstr(out.class_name, ==, unknown[index].class_name);
        g_assert_cmpstr(out.standard_phrase, ==, unknown[index].x00_phrase);
        g_assert_cmpstr(out.source, ==, "RFC 3261 section 8.1.3.2");
    }
    /* 499 is registered nowhere, but one of its phrases is known. */
    catalog_explanation out = explain(499, "Whatever", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CLASS);
    out = explain(499, "Codec Mismatch", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_cmpstr(out.standard_phrase, ==, "Bad Request");
    g_assert_true(strstr(out.explanation, "codec") != NULL);
    /* Codes of RFC 2543 that RFC 3261 removed are still explained. */
    out = explain(409, "Something", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    g_assert_cmpstr(out.standard_phrase, ==, "Conflict");
}

/* A phrase that differs from the standard one only in case, spacing and punctuation is the
 * standard phrase: no non-standard flag, the code's meaning. */
static void test_matching_punctuation(void)
{
    static const struct {
        unsigned code;
        const char *phrase;
    } variants[] = {
        { 504, "Server Timeout" }, { 504, "server time out" }, { 504, "SERVER-TIME-OUT" },
        { 481, "Call Transaction Does Not Exist" }, { 414, "Request URI too long" }, { 404, "Not Found." },
        { 403, "Forbidden!!" }, { 486, "busy-here" }, { 440, "Max Breadth Exceeded" }, { 404, "NotFound" },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(variants); index++) {
        catalog_explanation out = explain(variants[index].code, variants[index].phrase, SIPTXN_LANGUAGE_ENGLISH);
        catalog_explanation standard = explain(variants[index].code, NULL, SIPTXN_LANGUAGE_ENGLISH);
        if (!out.phrase_is_standard)
            g_error("\"%u %s\" is not taken as the standard phrase", variants[index].code, variants[index].phrase);
        g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
        g_assert_true(out.explanation == standard.explanation);
        g_assert_null(out.word_rule);
    }
    /* A punctuation variant that has an entry of its own keeps it, and is still standard. */
    catalog_explanation out = explain(436, "Bad Identity-Info", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.phrase_is_standard);
    g_assert_cmpstr(out.source, ==, "RFC 4474");
    g_assert_true(strstr(out.explanation, "Identity-Info") != NULL);
    /* More or other words are not punctuation. */
    g_assert_false(explain(404, "Not Found here", SIPTXN_LANGUAGE_ENGLISH).phrase_is_standard);
    g_assert_false(explain(504, "Server Time", SIPTXN_LANGUAGE_ENGLISH).phrase_is_standard);
    g_assert_false(explain(480, "Temporarily \xc3\x28 Unavailable", SIPTXN_LANGUAGE_ENGLISH).phrase_is_standard);
}

/* ---- word rules ------------------------------------------------------- */

/* What each rule must say, in English and in Russian: words of its problem, written here. */
static const struct {
    const char *rule;
    const char *english;
    const char *russian;
} rule_meanings[] = {
    { "authentication", "authentication", "аутентификац" },
    { "billing", "billing", "оплат" },
    { "licensing", "licence", "лицензи" },
    { "media negotiation", "media", "медиа" },
    { "blocking", "block", "блокировк" },
    { "account disabled", "disabled account", "отключённ" },
    { "caller identity", "caller's identity", "идентификац" },
    { "permission", "permission", "прав" },
    { "unknown number or user", "does not exist", "несуществующ" },
    { "number format", "number", "формат номера" },
    { "rate or capacity limit", "limit", "ограничение" },
    { "not registered", "not registered", "не зарегистрирован" },
    { "busy", "busy", "занятость" },
    { "do not disturb", "Do Not Disturb", "не беспокоить" },
    { "no answer", "did not answer", "не ответил" },
    { "security", "security", "безопасност" },
    { "maintenance", "maintenance", "обслуживание" },
    { "database", "back-end", "внутренней системы" },
    { "timeout", "timeout", "тайм-аут" },
    { "routing", "routing", "маршрутизац" },
    { "network", "network", "сети" },
    { "rejected", "refusal", "отказ" },
};

/* Phrases no catalog lists, written for this test, with the rule and the word that must decide. */
static const struct {
    unsigned code;
    const char *phrase;
    const char *rule;
    const char *word;
} uncatalogued[] = {
    { 403, "Wrong password or domain", "authentication", "password" },
    { 401, "Invalid credentials", "authentication", "credentials" },
    { 403, "Auth failed", "authentication", "auth" },
    { 401, "Nonce expired, please retry", "authentication", "nonce" },
    { 403, "Login incorrect", "authentication", "login" },
    { 407, "Bad Realm", "authentication", "realm" },
    { 402, "Insufficient funds", "billing", "funds" },
    { 403, "Low balance", "billing", "balance" },
    { 480, "Credit limit reached", "billing", "credit" },
    { 503, "Payment overdue", "billing", "payment" },
    { 403, "Licence expired", "licensing", "licence" },
    { 503, "Max licensed channels in use", "licensing", "licensed" },
    { 500, "License limit exceeded", "licensing", "license" },
    { 488, "Incompatible SDP", "media negotiation", "sdp" },
    { 415, "No common codec", "media negotiation", "codec" },
    { 500, "RTP timeout", "media negotiation", "rtp" },
    { 606, "Video not allowed", "media negotiation", "video" },
    { 403, "Caller blacklisted", "blocking", "blacklisted" },
    { 603, "Blocked by anti-spam", "blocking", "blocked" },
    { 403, "Suspected fraud", "blocking", "fraud" },
    { 607, "Number banned", "blocking", "banned" },
    { 403, "Account suspended", "account disabled", "suspended" },
    { 403, "Subscriber inactive", "account disabled", "inactive" },
    { 433, "Anonymous calls not accepted", "caller identity", "anonymous" },
    { 403, "Invalid CLI", "caller identity", "cli" },
    { 403, "International calls not allowed", "permission", "not allowed" },
    { 403, "Access denied", "permission", "denied" },
    { 405, "Method prohibited by policy", "permission", "prohibited" },
    { 404, "User unknown", "unknown number or user", "user unknown" },
    { 404, "No such number", "unknown number or user", "no such number" },
    { 604, "Number does not exist", "unknown number or user", "number does not exist" },
    { 404, "Unallocated number", "unknown number or user", "unallocated" },
    { 484, "Too many digits", "number format", "too many digits" },
    { 400, "Invalid number format", "number format", "invalid number" },
    { 404, "Wrong country code", "number format", "country code" },
    { 503, "CPS limit exceeded", "rate or capacity limit", "cps" },
    { 503, "Too many concurrent calls", "rate or capacity limit", "too many" },
    { 486, "All circuits busy", "rate or capacity limit", "all circuits" },
    { 503, "Server overloaded", "rate or capacity limit", "overloaded" },
    { 480, "User not registered", "not registered", "not registered" },
    { 480, "Subscriber offline", "not registered", "offline" },
    { 404, "Subscriber unreachable", "not registered", "subscriber unreachable" },
    { 486, "User busy", "busy", "busy" },
    { 600, "Line engaged", "busy", "engaged" },
    { 480, "Do-Not-Disturb", "do not disturb", "do not disturb" },
    { 486, "DND active", "do not disturb", "dnd" },
    { 480, "No answer", "no answer", "no answer" },
    { 408, "Ring timeout", "no answer", "ring timeout" },
    { 403, "TLS required", "security", "tls" },
    { 488, "Certificate expired", "security", "certificate" },
    { 503, "Under maintenance", "maintenance", "maintenance" },
    { 503, "Server restarting", "maintenance", "restarting" },
    { 500, "Database connection lost", "database", "database" },
    { 503, "RADIUS server not responding", "database", "radius" },
    { 408, "Gateway timeout", "timeout", "timeout" },
    { 504, "Upstream timed out", "timeout", "timed out" },
    { 404, "No route to destination", "routing", "route" },
    { 502, "Gateway error", "routing", "gateway" },
    { 503, "No carrier available", "routing", "carrier" },
    { 503, "Connection refused", "network", "connection" },
    { 502, "DNS failure", "network", "dns" },
    { 603, "Call rejected", "rejected", "rejected" },
    { 403, "Request refused", "rejected", "refused" },
    /* Codes no document registered: their class's meaning, and still the rule. */
    { 418, "Insufficient balance", "billing", "balance" },
    { 499, "Wrong password", "authentication", "password" },
    /* Phrases sent in Russian. */
    { 403, "Неверный пароль", "authentication", "пароль" },
    { 403, "Ошибка аутентификации", "authentication", "аутентификации" },
    { 403, "Учетные данные неверны", "authentication", "учётные данные" },
    { 402, "Недостаточно средств на счёте", "billing", "средств" },
    { 403, "Нет лицензии", "licensing", "лицензии" },
    { 488, "Кодек не поддерживается", "media negotiation", "кодек" },
    { 403, "Номер заблокирован", "blocking", "заблокирован" },
    { 403, "Учётная запись отключена", "account disabled", "отключена" },
    { 404, "Абонент не существует", "unknown number or user", "абонент не существует" },
    { 484, "Неверный формат номера", "number format", "неверный формат" },
    { 503, "Превышен лимит вызовов", "rate or capacity limit", "превышен" },
    { 480, "Абонент не зарегистрирован", "not registered", "не зарегистрирован" },
    { 486, "Абонент занят", "busy", "занят" },
    { 480, "Не беспокоить", "do not disturb", "не беспокоить" },
    { 480, "Абонент не отвечает", "no answer", "абонент не отвечает" },
    { 503, "Технические работы", "maintenance", "технические работы" },
    { 500, "Ошибка базы данных", "database", "базы данных" },
    { 408, "Тайм-аут", "timeout", "тайм-аут" },
    { 404, "Нет маршрута", "routing", "маршрута" },
    { 603, "Вызов отклонён", "rejected", "отклонён" },
};

/* Whether text contains word, ignoring the case of any script. */
static gboolean contains_word(const char *text, const char *word)
{
    char *lower_text = g_utf8_strdown(text, -1);
    char *lower_word = g_utf8_strdown(word, -1);
    gboolean found = strstr(lower_text, lower_word) != NULL;

    g_free(lower_text);
    g_free(lower_word);
    return found;
}

static void assert_word_rule(unsigned code, const char *phrase, const char *rule, const char *word,
                             siptxn_language language)
{
    catalog_explanation out = explain(code, phrase, language);
    catalog_explanation own = explain(code, NULL, language);
    const char *expected_problem = NULL;
    char *source = g_strdup_printf("word rule: %s (%s)", rule, word);
    char *opening = language == SIPTXN_LANGUAGE_RUSSIAN
                        ? g_strdup_printf("Этой фразы нет в каталоге; её слова (%s) указывают на ", word)
                        : g_strdup_printf("The phrase is not in the catalog; its words (%s) point to ", word);

    for (gsize index = 0; index < G_N_ELEMENTS(rule_meanings); index++) {
        if (strcmp(rule_meanings[index].rule, rule) == 0)
            expected_problem = language == SIPTXN_LANGUAGE_RUSSIAN ? rule_meanings[index].russian
                                                                   : rule_meanings[index].english;
    }
    g_assert_nonnull(expected_problem);
    if (g_strcmp0(out.word_rule, rule) != 0 || g_strcmp0(out.word, word) != 0)
        g_error("\"%u %s\": word rule %s (%s), expected %s (%s)", code, phrase, out.word_rule, out.word, rule, word);
    g_assert_cmpstr(out.source, ==, source);
    g_assert_cmpint(out.match, ==, own.match == CATALOG_MATCH_CLASS ? CATALOG_MATCH_CLASS : CATALOG_MATCH_CODE);
    g_assert_false(out.phrase_is_standard);
    g_assert_false(out.from_user);
    if (!g_str_has_prefix(out.explanation, opening))
        g_error("\"%u %s\" (%d): %s", code, phrase, (int)language, out.explanation);
    if (!contains_word(out.explanation + strlen(opening), expected_problem))
        g_error("\"%u %s\" (%d) does not speak of \"%s\": %s", code, phrase, (int)language, expected_problem,
                out.explanation);
    /* The code's own meaning follows the words' (for an unknown code, its class's). */
    g_assert_true(g_str_has_suffix(out.explanation, own.explanation));
    g_assert_nonnull(out.advice);
    g_assert_false(out.advice == own.advice);
    g_assert_cmpint(contains_cyrillic(out.advice), ==, language == SIPTXN_LANGUAGE_RUSSIAN);
    g_free(opening);
    g_free(source);
}

static void test_words_uncatalogued_phrases(void)
{
    GHashTable *rules_seen = g_hash_table_new(g_str_hash, g_str_equal);

    g_assert_cmpuint(G_N_ELEMENTS(uncatalogued), >=, 40);
    for (gsize index = 0; index < G_N_ELEMENTS(uncatalogued); index++) {
        /* Not an entry of the catalog: only the word rule can explain it. */
        char *key = g_strdup_printf("%u %s", uncatalogued[index].code, uncatalogued[index].phrase);
        gsize length;
        const char *data = catalog_builtin_data(&length);
        char *header = g_strdup_printf("[%s]", key);
        g_assert_null(g_strstr_len(data, (gssize)length, header));
        g_free(header);
        g_free(key);
        assert_word_rule(uncatalogued[index].code, uncatalogued[index].phrase, uncatalogued[index].rule,
                         uncatalogued[index].word, SIPTXN_LANGUAGE_ENGLISH);
        assert_word_rule(uncatalogued[index].code, uncatalogued[index].phrase, uncatalogued[index].rule,
                         uncatalogued[index].word, SIPTXN_LANGUAGE_RUSSIAN);
        g_hash_table_add(rules_seen, (gpointer)uncatalogued[index].rule);
    }
    /* Every rule written above is met by some phrase. */
    g_assert_cmpuint(g_hash_table_size(rules_seen), ==, G_N_ELEMENTS(rule_meanings));
    g_hash_table_destroy(rules_seen);
}

/* A phrase with no word any rule knows keeps the code's meaning (or the class's). */
static void test_words_no_known_word(void)
{
    static const struct {
        unsigned code;
        const char *phrase;
    } phrases[] = {
        { 403, "Go away" }, { 486, "Gone fishing" }, { 480, "Please try later" }, { 503, "Oops" },
        { 404, "Nobody here by that name" }, { 500, "Something went wrong" }, { 603, "Not today" },
        { 480, "Не сейчас" }, { 606, "Nope" }, { 418, "I'm a teapot" },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(phrases); index++) {
        for (siptxn_language language = SIPTXN_LANGUAGE_ENGLISH; language <= SIPTXN_LANGUAGE_RUSSIAN; language++) {
            catalog_explanation out = explain(phrases[index].code, phrases[index].phrase, language);
            catalog_explanation own = explain(phrases[index].code, NULL, language);
            if (out.word_rule != NULL)
                g_error("\"%u %s\" got word rule %s (%s)", phrases[index].code, phrases[index].phrase, out.word_rule,
                        out.word);
            g_assert_null(out.word);
            g_assert_true(out.explanation == own.explanation);
            g_assert_true(out.advice == own.advice);
            g_assert_cmpstr(out.source, ==, own.source);
        }
    }
}

/* Catalog entries and the standard phrase win over word rules, even with a rule's word in them. */
static void test_words_exact_entries_win(void)
{
    static const struct {
        unsigned code;
        const char *phrase;
    } entries[] = {
        { 403, "Wrong password" }, { 480, "No money left" }, { 500, "Call placing quota exceeded" },
        { 488, "Codec Mismatch" }, { 480, "DB Timeout" }, { 410, "No Route" }, { 403, "No license available" },
        { 403, "Forbidden auth ID" }, { 401, "AUTH Error: Stall nonce" },
    };
    static const struct {
        unsigned code;
        const char *phrase;
    } standard[] = {
        { 407, "Proxy Authentication Required" }, { 504, "Server Time-out" }, { 504, "Server Timeout" },
        { 440, "Max-Breadth Exceeded" }, { 486, "Busy Here" }, { 600, "Busy Everywhere" },
        { 415, "Unsupported Media Type" }, { 437, "Unsupported Credential" }, { 402, "Payment Required" },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(entries); index++) {
        catalog_explanation out = explain(entries[index].code, entries[index].phrase, SIPTXN_LANGUAGE_ENGLISH);
        g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
        g_assert_null(out.word_rule);
        g_assert_false(g_str_has_prefix(out.explanation, "The phrase is not in the catalog"));
        g_assert_false(g_str_has_prefix(out.source, "word rule"));
    }
    for (gsize index = 0; index < G_N_ELEMENTS(standard); index++) {
        catalog_explanation out = explain(standard[index].code, standard[index].phrase, SIPTXN_LANGUAGE_RUSSIAN);
        g_assert_true(out.phrase_is_standard);
        g_assert_null(out.word_rule);
        g_assert_true(out.explanation == explain(standard[index].code, NULL, SIPTXN_LANGUAGE_RUSSIAN).explanation);
    }
}

/* A user entry for the phrase, or for the code, wins over the word rules. */
static void test_words_user_entries_win(void)
{
    GError *error = NULL;
    catalog_explanation out;

    g_assert_true(catalog_add_user_entry(builtin, 403, "Wrong password or domain", SIPTXN_LANGUAGE_AUTO,
                                         "Our SBC: the SIP domain is wrong", &error));
    g_assert_true(catalog_add_user_entry(builtin, 480, NULL, SIPTXN_LANGUAGE_AUTO, "Our PBX: callee away", &error));
    g_assert_no_error(error);
    out = explain(403, "Wrong password or domain", SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_true(out.from_user);
    g_assert_null(out.word_rule);
    g_assert_cmpstr(out.explanation, ==, "Our SBC: the SIP domain is wrong");
    out = explain(480, "Subscriber offline", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.from_user);
    g_assert_null(out.word_rule);
    g_assert_cmpstr(out.explanation, ==, "Our PBX: callee away");
    /* Other codes are untouched. */
    g_assert_cmpstr(explain(403, "Auth failed", SIPTXN_LANGUAGE_ENGLISH).word_rule, ==, "authentication");
    catalog_clear_user_entries(builtin);
    g_assert_cmpstr(explain(480, "Subscriber offline", SIPTXN_LANGUAGE_ENGLISH).word_rule, ==, "not registered");
}

/* Words are matched whole and in any case; punctuation separates them; several in a row must be in a row. */
static void test_words_whole_words(void)
{
    static const struct {
        unsigned code;
        const char *phrase;
        const char *rule;           /* NULL: no rule may decide */
    } cases[] = {
        { 403, "PASSWORD", "authentication" },
        { 403, "ПАРОЛЬ НЕВЕРЕН", "authentication" },
        { 403, "Пароль", "authentication" },
        { 480, "do_not_disturb", "do not disturb" },
        { 503, "100CPS max", "rate or capacity limit" },
        { 408, "Time-out", "timeout" },
        { 403, "(blacklisted)", "blocking" },
        { 403, "Passwordless mode", NULL },
        { 503, "Blockchain error", NULL },
        { 480, "Rerouted twice", NULL },
        { 403, "Nonces", NULL },
        { 486, "Overbusy", NULL },
        { 480, "Not really registered", NULL },
        { 480, "Disturb me not", NULL },
        { 403, "Паролька", NULL },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(cases); index++) {
        catalog_explanation out = explain(cases[index].code, cases[index].phrase, SIPTXN_LANGUAGE_ENGLISH);
        if (g_strcmp0(out.word_rule, cases[index].rule) != 0)
            g_error("\"%u %s\": word rule %s, expected %s", cases[index].code, cases[index].phrase, out.word_rule,
                    cases[index].rule);
    }
}

/* In a 1xx, 2xx or 3xx the same words describe progress or a redirection, not a problem. */
static void test_words_failures_only(void)
{
    static const struct {
        unsigned code;
        const char *phrase;
    } cases[] = {
        { 100, "Routing your call" }, { 183, "Gateway ringing" }, { 180, "Ringing, line busy elsewhere" },
        { 200, "OK, licence expires soon" }, { 302, "Moved to another gateway" }, { 199, "Media timeout" },
    };

    for (gsize index = 0; index < G_N_ELEMENTS(cases); index++) {
        catalog_explanation out = explain(cases[index].code, cases[index].phrase, SIPTXN_LANGUAGE_ENGLISH);
        g_assert_null(out.word_rule);
        g_assert_true(out.explanation == explain(cases[index].code, NULL, SIPTXN_LANGUAGE_ENGLISH).explanation);
    }
}

/* Phrases longer than a catalog phrase, or not UTF-8, are not read for words. */
static void test_words_long_or_invalid(void)
{
    char *long_phrase = g_strnfill(CATALOG_PHRASE_MAX + 50, 'x');
    catalog_explanation out;

    memcpy(long_phrase, "Wrong password ", 15);
    out = explain(403, long_phrase, SIPTXN_LANGUAGE_ENGLISH);
    g_assert_null(out.word_rule);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    out = explain(403, "Wrong password \xff\xfe", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_null(out.word_rule);
    out = explain(403, "Неверный \xd0 пароль", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_null(out.word_rule);
    g_free(long_phrase);
}

#define WORDS_TEMPLATE \
    "[words]\nexplanation=Not listed; ({words}) {problem}: {meaning} {code}: {code_meaning}\n" \
    "explanation[ru]=Нет; ({words}) {problem}: {meaning} {code}: {code_meaning}\n"
#define WORDS_RULE(name, words) \
    "[words " name "]\nwords=" words "\nproblem=P\nproblem[ru]=П\nexplanation=E\nexplanation[ru]=Р\n" \
    "advice=A\nadvice[ru]=С\n"

static void test_words_rejects_bad_rules(void)
{
    char *text = minimal_catalog(WORDS_TEMPLATE WORDS_RULE("alpha", "beta; gamma delta") WORDS_RULE("zeta", "eta"));
    GError *error = NULL;
    catalog *loaded = catalog_new_from_data(text, strlen(text), &error);
    catalog_explanation out;

    g_assert_no_error(error);
    g_assert_true(catalog_explain(loaded, 403, "Beta!", 5, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_cmpstr(out.explanation, ==, "Not listed; (beta) P: E 403: E");
    g_assert_cmpstr(out.source, ==, "word rule: alpha (beta)");
    g_assert_true(catalog_explain(loaded, 599, "eta and Gamma-Delta", 19, SIPTXN_LANGUAGE_RUSSIAN, &out));
    g_assert_cmpstr(out.explanation, ==, "Нет; (gamma delta) П: Р 599: Р");   /* the first rule wins */
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CLASS);
    g_assert_true(catalog_explain(loaded, 403, "gamma", 5, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_null(out.word_rule);
    catalog_free(loaded);
    g_free(text);

    assert_rejected(WORDS_RULE("alpha", "beta"));                                     /* no [words] */
    assert_rejected(WORDS_TEMPLATE WORDS_RULE("alpha", "beta") WORDS_RULE("zeta", "BETA"));   /* a word twice */
    assert_rejected(WORDS_TEMPLATE WORDS_RULE("alpha", " ; "));                       /* no words */
    assert_rejected(WORDS_TEMPLATE WORDS_RULE("alpha", "one two three four five"));   /* too many in a row */
    assert_rejected(WORDS_TEMPLATE "[words alpha]\nwords=beta\nproblem=P\nexplanation=E\nexplanation[ru]=Р\n"
                    "advice=A\nadvice[ru]=С\n");                                      /* no Russian problem */
    assert_rejected(WORDS_TEMPLATE "[words alpha]\nwords=beta\nwordz=gamma\nproblem=P\nproblem[ru]=П\n"
                    "explanation=E\nexplanation[ru]=Р\nadvice=A\nadvice[ru]=С\n");    /* misspelt key */
    assert_rejected("[words]\nexplanation={words} {problem} {meaning} {code_meaning} {phrase}\n"
                    "explanation[ru]={words} {problem} {meaning} {code_meaning}\n");  /* unknown placeholder */
    assert_rejected("[words]\nexplanation={words} {problem} {meaning} {code_meaning}\n"
                    "explanation[ru]={words} {problem} {code_meaning}\n");            /* {meaning} missing */
    assert_rejected("[words]\nexplanation={words} {problem} {meaning} {code_meaning\n"
                    "explanation[ru]={words} {problem} {meaning} {code_meaning}\n");  /* left open */
}

static void test_matching_out_of_range(void)
{
    static const unsigned codes[] = { 0, 1, 99, 700, 999, 1000, 40300, UINT_MAX };
    catalog_explanation out;

    for (gsize index = 0; index < G_N_ELEMENTS(codes); index++)
        g_assert_false(catalog_explain(builtin, codes[index], "Forbidden", 9, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_true(catalog_explain(builtin, 100, "Trying", 6, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_true(catalog_explain(builtin, 699, NULL, 0, SIPTXN_LANGUAGE_ENGLISH, &out));
}

/* ---- languages -------------------------------------------------------- */

static void set_locale(const char *language, const char *all, const char *messages, const char *lang)
{
    const char *names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
    const char *values[] = { language, all, messages, lang };

    for (gsize index = 0; index < G_N_ELEMENTS(names); index++) {
        if (values[index] == NULL)
            g_unsetenv(names[index]);
        else
            g_setenv(names[index], values[index], TRUE);
    }
}

static void test_language_from_locale(void)
{
    set_locale(NULL, NULL, NULL, NULL);
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);
    set_locale(NULL, NULL, NULL, "ru_RU.UTF-8");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_RUSSIAN);
    set_locale(NULL, NULL, NULL, "en_US.UTF-8");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);
    set_locale(NULL, "en_GB.UTF-8", NULL, "ru_RU.UTF-8");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);
    set_locale(NULL, NULL, "ru_UA.UTF-8", "en_US.UTF-8");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_RUSSIAN);
    set_locale("ru:en", "C", "C", "C");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_RUSSIAN);
    set_locale("", "", "", "ru_RU.KOI8-R");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_RUSSIAN);
    set_locale("de_DE", NULL, NULL, "ru_RU.UTF-8");
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);
    set_locale("C", NULL, NULL, NULL);
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);

    /* AUTO follows the locale. */
    catalog_explanation russian = explain(486, "Busy Here", SIPTXN_LANGUAGE_RUSSIAN);
    catalog_explanation english = explain(486, "Busy Here", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_false(russian.explanation == english.explanation);
    g_assert_true(contains_cyrillic(russian.explanation));
    g_assert_false(contains_cyrillic(english.explanation));
    set_locale(NULL, NULL, NULL, "ru_RU.UTF-8");
    g_assert_true(explain(486, "Busy Here", SIPTXN_LANGUAGE_AUTO).explanation == russian.explanation);
    g_assert_cmpstr(explain(486, "Busy Here", SIPTXN_LANGUAGE_AUTO).class_name, ==, russian.class_name);
    set_locale(NULL, NULL, NULL, "en_US.UTF-8");
    g_assert_true(explain(486, "Busy Here", SIPTXN_LANGUAGE_AUTO).explanation == english.explanation);
    set_locale(NULL, NULL, NULL, NULL);
}

static void test_language_class_names(void)
{
    for (unsigned class_digit = 1; class_digit <= 6; class_digit++) {
        unsigned code = class_digit * 100 + 98;
        catalog_explanation english = explain(code, NULL, SIPTXN_LANGUAGE_ENGLISH);
        catalog_explanation russian = explain(code, NULL, SIPTXN_LANGUAGE_RUSSIAN);
        char *prefix = g_strdup_printf("%uxx ", class_digit);
        g_assert_true(g_str_has_prefix(english.class_name, prefix));
        g_assert_true(g_str_has_prefix(russian.class_name, prefix));
        g_assert_true(contains_cyrillic(russian.class_name));
        g_assert_true(g_utf8_validate(russian.class_name, -1, NULL));
        g_free(prefix);
    }
}

/* A catalog in English, Russian and a made-up third language ("eo"), every text marked with its language. */
static char *three_language_catalog(const char *omit)
{
    GString *text = g_string_new(NULL);

    for (unsigned class_digit = 1; class_digit <= 6; class_digit++)
        g_string_append_printf(text,
                               "[%uxx]\nname=Class %u\nname[ru]=Класс %u\nname[eo]=Klaso %u\nphrase=Phrase %u\n"
                               "explanation=E\nexplanation[ru]=Р\nexplanation[eo]=EO\nadvice=A\nadvice[ru]=С\n"
                               "advice[eo]=KONSILO\n\n",
                               class_digit, class_digit, class_digit, class_digit, class_digit);
    g_string_append(text, "[403]\nphrase=Forbidden\nsource=RFC 3261\nexplanation=Refused\nexplanation[ru]=Отказ\n"
                          "explanation[eo]=Rifuzo\nadvice=A\nadvice[ru]=С\nadvice[eo]=Kontrolu\n\n"
                          "[403 Wrong Guess]\nexplanation=Wrong password.\nexplanation[ru]=Неверный пароль.\n"
                          "explanation[eo]=Malĝusta pasvorto.\n\n"
                          "[Q.850 16]\nmeaning=Normal call clearing\nmeaning[ru]=Нормальное разъединение\n"
                          "meaning[eo]=Normala malkonekto\n\n"
                          "[words]\nexplanation=({words}) {problem}: {meaning} {code_meaning}\n"
                          "explanation[ru]=({words}) {problem}: {meaning} {code_meaning}\n"
                          "explanation[eo]=Ne en la katalogo; ({words}) {problem}: {meaning} {code_meaning}\n\n"
                          "[words authentication]\nwords=password\nwords[eo]=pasvorto\nproblem=P\nproblem[ru]=П\n"
                          "problem[eo]=aŭtentigo\nexplanation=E\nexplanation[ru]=Р\nexplanation[eo]=E\n"
                          "advice=A\nadvice[ru]=С\nadvice[eo]=Kontrolu la pasvorton\n");
    if (omit != NULL) {
        /* Drops one translation line, to see the catalog refuse it. */
        char *found = strstr(text->str, omit);
        g_assert_nonnull(found);
        g_string_erase(text, found - text->str, (gssize)strcspn(found, "\n") + 1);
    }
    return g_string_free(text, FALSE);
}

/* A third language is "copy the keys, translate, rebuild": the catalog finds it in the data,
 * gives it the next value after English (1) and Russian (2), and chooses it by name or locale. */
static void test_language_from_data(void)
{
    char *text = three_language_catalog(NULL);
    GError *error = NULL;
    catalog *loaded = catalog_new_from_data(text, strlen(text), &error);
    catalog_explanation out;
    GError *user_error = NULL;

    g_assert_no_error(error);
    g_assert_nonnull(loaded);
    g_assert_cmpuint(catalog_language_count(loaded), ==, 3);
    g_assert_cmpstr(catalog_language_code(loaded, SIPTXN_LANGUAGE_ENGLISH), ==, "en");
    g_assert_cmpstr(catalog_language_code(loaded, SIPTXN_LANGUAGE_RUSSIAN), ==, "ru");
    g_assert_cmpstr(catalog_language_code(loaded, (siptxn_language)3), ==, "eo");
    g_assert_null(catalog_language_code(loaded, (siptxn_language)4));
    g_assert_null(catalog_language_code(loaded, SIPTXN_LANGUAGE_AUTO));

    siptxn_language esperanto = catalog_language_find(loaded, "eo");
    g_assert_cmpint(esperanto, ==, 3);
    g_assert_cmpint(catalog_language_find(loaded, "EO"), ==, esperanto);
    g_assert_cmpint(catalog_language_find(loaded, "eo_XX.UTF-8"), ==, esperanto);
    g_assert_cmpint(catalog_language_find(loaded, "ru_RU.UTF-8"), ==, SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_cmpint(catalog_language_find(loaded, "en_GB"), ==, SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(catalog_language_find(loaded, "de_DE.UTF-8"), ==, SIPTXN_LANGUAGE_AUTO);
    g_assert_cmpint(catalog_language_find(loaded, "C"), ==, SIPTXN_LANGUAGE_AUTO);
    g_assert_cmpint(catalog_language_find(loaded, ""), ==, SIPTXN_LANGUAGE_AUTO);
    g_assert_cmpint(catalog_language_find(loaded, NULL), ==, SIPTXN_LANGUAGE_AUTO);

    /* Every kind of text comes in the third language. */
    g_assert_true(catalog_explain(loaded, 403, "Forbidden", 9, esperanto, &out));
    g_assert_cmpstr(out.explanation, ==, "Rifuzo");
    g_assert_cmpstr(out.advice, ==, "Kontrolu");
    g_assert_cmpstr(out.class_name, ==, "4xx Klaso 4");
    g_assert_true(catalog_explain(loaded, 403, "wrong guess", 11, esperanto, &out));
    g_assert_cmpstr(out.explanation, ==, "Malĝusta pasvorto.");
    g_assert_cmpstr(out.advice, ==, "Kontrolu");
    g_assert_true(catalog_explain(loaded, 450, NULL, 0, esperanto, &out));
    g_assert_cmpstr(out.explanation, ==, "EO");
    g_assert_cmpstr(out.advice, ==, "KONSILO");
    g_assert_cmpstr(catalog_q850_cause(loaded, 16, esperanto), ==, "Normala malkonekto");
    /* words[eo] are words of phrases sent in Esperanto, matched whatever the language shown. */
    g_assert_true(catalog_explain(loaded, 403, "Malĝusta pasvorto", 18, esperanto, &out));
    g_assert_cmpstr(out.explanation, ==, "Ne en la katalogo; (pasvorto) aŭtentigo: E Rifuzo");
    g_assert_cmpstr(out.advice, ==, "Kontrolu la pasvorton");
    g_assert_true(catalog_explain(loaded, 403, "Malĝusta pasvorto", 18, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_cmpstr(out.explanation, ==, "(pasvorto) P: E Refused");
    /* English and Russian keep their texts. */
    g_assert_true(catalog_explain(loaded, 403, "Forbidden", 9, SIPTXN_LANGUAGE_RUSSIAN, &out));
    g_assert_cmpstr(out.explanation, ==, "Отказ");
    g_assert_true(catalog_explain(loaded, 403, "Forbidden", 9, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_cmpstr(out.explanation, ==, "Refused");

    /* The locale chooses it: LANGUAGE is a list in order of preference. */
    set_locale("eo", NULL, NULL, NULL);
    g_assert_cmpint(catalog_language_for_locale(loaded), ==, esperanto);
    g_assert_true(catalog_explain(loaded, 403, "Forbidden", 9, SIPTXN_LANGUAGE_AUTO, &out));
    g_assert_cmpstr(out.explanation, ==, "Rifuzo");
    set_locale("de:eo:ru", NULL, NULL, "ru_RU.UTF-8");
    g_assert_cmpint(catalog_language_for_locale(loaded), ==, esperanto);
    set_locale(NULL, NULL, NULL, "eo.UTF-8");
    g_assert_cmpint(catalog_language_for_locale(loaded), ==, esperanto);
    set_locale("de", NULL, NULL, "eo");
    g_assert_cmpint(catalog_language_for_locale(loaded), ==, SIPTXN_LANGUAGE_ENGLISH);
    /* Without a catalog only English and Russian are known. */
    set_locale("eo", NULL, NULL, NULL);
    g_assert_cmpint(catalog_language_from_locale(), ==, SIPTXN_LANGUAGE_ENGLISH);
    set_locale(NULL, NULL, NULL, NULL);

    /* User entries may be in the third language too. */
    g_assert_true(catalog_add_user_entry(loaded, 403, "Wrong Guess", esperanto, "Nia PBX: malĝusta PIN", &user_error));
    g_assert_no_error(user_error);
    g_assert_true(catalog_explain(loaded, 403, "Wrong Guess", 11, esperanto, &out));
    g_assert_true(out.from_user);
    g_assert_cmpstr(out.explanation, ==, "Nia PBX: malĝusta PIN");
    g_assert_true(catalog_explain(loaded, 403, "Wrong Guess", 11, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_false(out.from_user);
    g_assert_false(catalog_add_user_entry(loaded, 403, "x", (siptxn_language)4, "x", &user_error));
    g_clear_error(&user_error);

    catalog_free(loaded);
    g_free(text);
}

/* A translation missing from one key refuses the catalog and names the language; English must be
 * the plain key; a catalog without Russian answers Russian in English. */
static void test_language_incomplete_translation(void)
{
    static const char *const omitted[] = { "explanation[eo]=Rifuzo\n", "name[eo]=Klaso 3\n", "meaning[eo]=",
                                           "problem[eo]=", "explanation[eo]=Ne en la katalogo" };
    GError *error = NULL;

    for (gsize index = 0; index < G_N_ELEMENTS(omitted); index++) {
        char *text = three_language_catalog(omitted[index]);
        g_assert_null(catalog_new_from_data(text, strlen(text), &error));
        g_assert_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA);
        g_test_message("rejected: %s", error->message);
        g_assert_nonnull(strstr(error->message, "eo"));
        g_clear_error(&error);
        g_free(text);
    }
    assert_rejected("[404]\nphrase=Not Found\nsource=RFC 3261\nexplanation=E\nexplanation[en]=E\n"
                    "explanation[ru]=Р\nadvice=A\nadvice[ru]=С\n");
    assert_rejected("[404]\nphrase=Not Found\nsource=RFC 3261\nexplanation=E\nexplanation[ru]=Р\n"
                    "explanation[r]=Р\nadvice=A\nadvice[ru]=С\n");

    const char *english_only =
        "[1xx]\nname=P\nphrase=Trying\nexplanation=E1\nadvice=A\n[2xx]\nname=S\nphrase=OK\nexplanation=E2\nadvice=A\n"
        "[3xx]\nname=R\nphrase=M\nexplanation=E3\nadvice=A\n[4xx]\nname=C\nphrase=B\nexplanation=E4\nadvice=A\n"
        "[5xx]\nname=S\nphrase=S\nexplanation=E5\nadvice=A\n[6xx]\nname=G\nphrase=B\nexplanation=E6\nadvice=A\n";
    catalog *loaded = catalog_new_from_data(english_only, strlen(english_only), &error);
    catalog_explanation out;
    g_assert_no_error(error);
    g_assert_cmpuint(catalog_language_count(loaded), ==, 2);
    g_assert_true(catalog_explain(loaded, 450, NULL, 0, SIPTXN_LANGUAGE_RUSSIAN, &out));
    g_assert_cmpstr(out.explanation, ==, "E4");
    g_assert_cmpstr(out.class_name, ==, "4xx C");
    catalog_free(loaded);
}

/* ---- user entries ----------------------------------------------------- */

static void test_user_entries(void)
{
    GError *error = NULL;
    catalog_explanation out;

    g_assert_true(catalog_add_user_entry(builtin, 403, "wrong  guess", SIPTXN_LANGUAGE_ENGLISH,
                                         "Our PBX: the PIN is wrong", &error));
    g_assert_no_error(error);
    out = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.from_user);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
    g_assert_cmpstr(out.explanation, ==, "Our PBX: the PIN is wrong");
    g_assert_cmpstr(out.standard_phrase, ==, "Forbidden");
    /* No Russian user text yet: the built-in Russian entry applies. */
    out = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_false(out.from_user);
    g_assert_true(strstr(out.explanation, "парол") != NULL);
    g_assert_true(catalog_add_user_entry(builtin, 403, "Wrong Guess", SIPTXN_LANGUAGE_AUTO,
                                         "Неверный ПИН-код", &error));
    out = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_RUSSIAN);
    g_assert_true(out.from_user);
    g_assert_cmpstr(out.explanation, ==, "Неверный ПИН-код");
    out = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpstr(out.explanation, ==, "Our PBX: the PIN is wrong");
    /* A later entry for the same phrase and language replaces the earlier one. */
    g_assert_true(catalog_add_user_entry(builtin, 403, "WRONG GUESS", SIPTXN_LANGUAGE_ENGLISH,
                                         "Wrong PIN", &error));
    g_assert_cmpstr(explain(403, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH).explanation, ==, "Wrong PIN");

    /* A code entry (empty phrase) replaces the code's meaning but not a known phrase's. */
    g_assert_true(catalog_add_user_entry(builtin, 480, "", SIPTXN_LANGUAGE_ENGLISH, "Callee offline in our network", &error));
    out = explain(480, "Something odd", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.from_user);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    g_assert_cmpstr(out.explanation, ==, "Callee offline in our network");
    out = explain(480, "Temporarily Unavailable", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.from_user);
    g_assert_true(out.phrase_is_standard);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_PHRASE);
    out = explain(480, "No money left", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_false(out.from_user);

    /* Unknown codes can be explained by the user too. */
    g_assert_true(catalog_add_user_entry(builtin, 499, "Codec Mismatch", SIPTXN_LANGUAGE_ENGLISH, "Our SBC: transcoding off", &error));
    out = explain(499, "codec mismatch", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_true(out.from_user);
    g_assert_cmpstr(out.explanation, ==, "Our SBC: transcoding off");
    g_assert_cmpstr(out.standard_phrase, ==, "Bad Request");
    g_assert_true(catalog_add_user_entry(builtin, 418, NULL, SIPTXN_LANGUAGE_ENGLISH, "Teapot", &error));
    out = explain(418, "I'm a teapot", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_cmpint(out.match, ==, CATALOG_MATCH_CODE);
    g_assert_cmpstr(out.explanation, ==, "Teapot");

    catalog_clear_user_entries(builtin);
    out = explain(403, "Wrong Guess", SIPTXN_LANGUAGE_ENGLISH);
    g_assert_false(out.from_user);
    g_assert_true(strstr(out.explanation, "password") != NULL);
    g_assert_false(explain(480, "Something odd", SIPTXN_LANGUAGE_ENGLISH).from_user);
    g_assert_cmpint(explain(418, "I'm a teapot", SIPTXN_LANGUAGE_ENGLISH).match, ==, CATALOG_MATCH_CLASS);

    /* Rejected entries. */
    char *long_phrase = g_strnfill(CATALOG_PHRASE_MAX + 1, 'a');
    g_assert_false(catalog_add_user_entry(builtin, 99, "x", SIPTXN_LANGUAGE_ENGLISH, "x", &error));
    g_assert_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY);
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 700, "x", SIPTXN_LANGUAGE_ENGLISH, "x", &error));
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 403, "x", SIPTXN_LANGUAGE_ENGLISH, "   ", &error));
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 403, "x", SIPTXN_LANGUAGE_ENGLISH, NULL, &error));
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 403, "\xff\xfe", SIPTXN_LANGUAGE_ENGLISH, "x", &error));
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 403, long_phrase, SIPTXN_LANGUAGE_ENGLISH, "x", &error));
    g_clear_error(&error);
    g_assert_false(catalog_add_user_entry(builtin, 403, "x", (siptxn_language)7, "x", &error));
    g_clear_error(&error);
    g_free(long_phrase);
    g_assert_false(explain(403, "x", SIPTXN_LANGUAGE_ENGLISH).from_user);
}

/* ---- Q.850 ------------------------------------------------------------ */

static void test_q850_causes(void)
{
    unsigned defined = 0;

    g_assert_true(g_str_has_prefix(catalog_q850_cause(builtin, 16, SIPTXN_LANGUAGE_ENGLISH), "Normal call clearing"));
    g_assert_true(strstr(catalog_q850_cause(builtin, 16, SIPTXN_LANGUAGE_RUSSIAN), "разъединение") != NULL);
    g_assert_true(g_str_has_prefix(catalog_q850_cause(builtin, 17, SIPTXN_LANGUAGE_ENGLISH), "User busy"));
    g_assert_true(g_str_has_prefix(catalog_q850_cause(builtin, 1, SIPTXN_LANGUAGE_ENGLISH), "Unallocated"));
    g_assert_true(g_str_has_prefix(catalog_q850_cause(builtin, 34, SIPTXN_LANGUAGE_ENGLISH), "No circuit/channel available"));
    g_assert_true(g_str_has_prefix(catalog_q850_cause(builtin, 127, SIPTXN_LANGUAGE_ENGLISH), "Interworking, unspecified"));
    g_assert_null(catalog_q850_cause(builtin, 0, SIPTXN_LANGUAGE_ENGLISH));
    g_assert_null(catalog_q850_cause(builtin, 10, SIPTXN_LANGUAGE_ENGLISH));
    g_assert_null(catalog_q850_cause(builtin, 128, SIPTXN_LANGUAGE_ENGLISH));
    g_assert_null(catalog_q850_cause(builtin, UINT_MAX, SIPTXN_LANGUAGE_RUSSIAN));
    for (unsigned cause = 0; cause <= 200; cause++) {
        const char *english = catalog_q850_cause(builtin, cause, SIPTXN_LANGUAGE_ENGLISH);
        const char *russian = catalog_q850_cause(builtin, cause, SIPTXN_LANGUAGE_RUSSIAN);
        g_assert_true((english == NULL) == (russian == NULL));
        if (english == NULL)
            continue;
        g_assert_cmpuint(cause, <=, 127);
        g_assert_true(g_utf8_validate(english, -1, NULL));
        g_assert_true(g_utf8_validate(russian, -1, NULL));
        g_assert_true(contains_cyrillic(russian));
        defined++;
    }
    g_test_message("Q.850 causes defined: %u", defined);
    g_assert_cmpuint(defined, >=, 60);
}

/* ---- hostile input ---------------------------------------------------- */

static void assert_explains(unsigned code, const char *phrase, gsize length, catalog_match expected)
{
    catalog_explanation out;

    g_assert_true(catalog_explain(builtin, code, phrase, length, SIPTXN_LANGUAGE_ENGLISH, &out));
    g_assert_cmpint(out.match, ==, expected);
    g_assert_nonnull(out.explanation);
}

static void test_hostile_input(void)
{
    const gsize huge = 64 * 1024;
    char *letters = g_malloc(huge);
    char *padded = g_malloc(2 * huge + 9);
    /* Exactly the phrase bytes, no terminating NUL: reading past them would be caught by ASan. */
    char *unterminated = g_malloc(11);

    assert_explains(403, NULL, 0, CATALOG_MATCH_CODE);
    assert_explains(403, "", 0, CATALOG_MATCH_CODE);
    assert_explains(403, "   \t ", 5, CATALOG_MATCH_CODE);

    memset(letters, 'A', huge);
    assert_explains(403, letters, huge, CATALOG_MATCH_CODE);
    assert_explains(418, letters, huge, CATALOG_MATCH_CLASS);

    memset(padded, ' ', 2 * huge + 9);
    memcpy(padded + huge, "Forbidden", 9);
    assert_explains(403, padded, 2 * huge + 9, CATALOG_MATCH_PHRASE);

    assert_explains(403, "\xff\xfe\xc0\x80", 4, CATALOG_MATCH_CODE);
    assert_explains(403, "Wrong\0Guess", 11, CATALOG_MATCH_CODE);
    assert_explains(403, "Wrong Guess\0", 12, CATALOG_MATCH_CODE);
    assert_explains(403, "\0", 1, CATALOG_MATCH_CODE);
    /* Only phrase_length bytes count. */
    assert_explains(403, "Wrong Guess and more", 11, CATALOG_MATCH_PHRASE);

    memcpy(unterminated, "Wrong Guess", 11);
    assert_explains(403, unterminated, 11, CATALOG_MATCH_PHRASE);

    for (gsize length = CATALOG_PHRASE_MAX - 2; length <= CATALOG_PHRASE_MAX + 2; length++)
        assert_explains(403, letters, length, CATALOG_MATCH_CODE);

    /* Random bytes of every value: never a crash, always a complete answer. */
    for (unsigned round = 0; round < 20000; round++) {
        guint8 bytes[300];
        gsize length = (gsize)g_test_rand_int_range(0, sizeof bytes + 1);
        unsigned code = (unsigned)g_test_rand_int_range(0, 800);
        catalog_explanation out;
        for (gsize index = 0; index < length; index++)
            bytes[index] = (guint8)g_test_rand_int_range(0, 256);
        gboolean in_range = code >= 100 && code <= 699;
        g_assert_true(catalog_explain(builtin, code, (const char *)bytes, length,
                                      (siptxn_language)g_test_rand_int_range(0, 3), &out) == in_range);
        if (in_range) {
            g_assert_nonnull(out.explanation);
            g_assert_nonnull(out.class_name);
            g_assert_nonnull(out.standard_phrase);
        }
    }
    g_free(unterminated);
    g_free(padded);
    g_free(letters);
}

int main(int argc, char **argv)
{
    GError *error = NULL;
    int result;

    g_test_init(&argc, &argv, NULL);
    builtin = catalog_new_builtin(&error);
    g_assert_no_error(error);
    g_assert_nonnull(builtin);

    g_test_add_func("/catalog/data/entries-complete", test_data_entries_complete);
    g_test_add_func("/catalog/data/seed-phrases", test_data_seed_phrases);
    g_test_add_func("/catalog/data/registered-codes", test_data_registered_codes);
    g_test_add_func("/catalog/data/rejects-bad-entries", test_data_rejects_bad_entries);
    g_test_add_func("/catalog/matching/standard-phrase", test_matching_standard_phrase);
    g_test_add_func("/catalog/matching/folding", test_matching_folding);
    g_test_add_func("/catalog/matching/operator-phrases", test_matching_operator_phrases);
    g_test_add_func("/catalog/matching/unknown-phrase", test_matching_unknown_phrase);
    g_test_add_func("/catalog/matching/unknown-code", test_matching_unknown_code);
    g_test_add_func("/catalog/matching/punctuation", test_matching_punctuation);
    g_test_add_func("/catalog/matching/out-of-range", test_matching_out_of_range);
    g_test_add_func("/catalog/words/uncatalogued-phrases", test_words_uncatalogued_phrases);
    g_test_add_func("/catalog/words/no-known-word", test_words_no_known_word);
    g_test_add_func("/catalog/words/exact-entries-win", test_words_exact_entries_win);
    g_test_add_func("/catalog/words/user-entries-win", test_words_user_entries_win);
    g_test_add_func("/catalog/words/whole-words", test_words_whole_words);
    g_test_add_func("/catalog/words/failures-only", test_words_failures_only);
    g_test_add_func("/catalog/words/long-or-invalid", test_words_long_or_invalid);
    g_test_add_func("/catalog/words/rejects-bad-rules", test_words_rejects_bad_rules);
    g_test_add_func("/catalog/language/from-locale", test_language_from_locale);
    g_test_add_func("/catalog/language/class-names", test_language_class_names);
    g_test_add_func("/catalog/language/from-data", test_language_from_data);
    g_test_add_func("/catalog/language/incomplete-translation", test_language_incomplete_translation);
    g_test_add_func("/catalog/user/entries", test_user_entries);
    g_test_add_func("/catalog/q850/causes", test_q850_causes);
    g_test_add_func("/catalog/hostile/input", test_hostile_input);

    result = g_test_run();
    catalog_free(builtin);
    return result;
}
