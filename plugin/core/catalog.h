/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reason-phrase catalog: explains SIP status codes, operator reason phrases and Q.850 causes in English, Russian
 * and any other language the catalog data has. */

#ifndef SIPTXN_CATALOG_H
#define SIPTXN_CATALOG_H

#include <glib.h>

G_BEGIN_DECLS

/* A language of the catalog. English (the plain keys of reasons.ini) is always 1 and Russian
 * ("key[ru]") always 2; the other languages of the data follow from 3 in the order they first
 * appear there (catalog_language_find() gives their values). */
typedef enum {
    SIPTXN_LANGUAGE_AUTO = 0,
    SIPTXN_LANGUAGE_ENGLISH = 1,
    SIPTXN_LANGUAGE_RUSSIAN = 2
} siptxn_language;

/* Longest reason phrase, in bytes after whitespace folding, that a catalog entry can hold. */
#define CATALOG_PHRASE_MAX 200

#define CATALOG_ERROR (catalog_error_quark())

typedef enum {
    CATALOG_ERROR_INVALID_DATA,   /* the catalog text is malformed or incomplete */
    CATALOG_ERROR_INVALID_ENTRY   /* a user entry was rejected */
} catalog_error;

GQuark catalog_error_quark(void);

/* LANGUAGE, LC_ALL, LC_MESSAGES, LANG in that order; the first non-empty one decides:
 * "ru*" gives Russian, anything else English. For callers without a catalog; with one,
 * catalog_language_for_locale() also finds the catalog's other languages. */
siptxn_language catalog_language_from_locale(void);

typedef struct catalog catalog;

/* How many languages the catalog has (English and Russian count even if the data lacks Russian). */
unsigned catalog_language_count(const catalog *self);

/* The language's code in the data: "en", "ru", "eo"; NULL if the catalog has no such language. */
const char *catalog_language_code(const catalog *self, siptxn_language language);

/* The catalog's language for a language or locale name ("eo", "ru_RU.UTF-8", "pt_BR", "EN"):
 * the whole name without its codeset first, then its language part. SIPTXN_LANGUAGE_AUTO (0)
 * if the catalog has none. */
siptxn_language catalog_language_find(const catalog *self, const char *name);

/* As catalog_language_from_locale(), but any language of the catalog: LANGUAGE may list several
 * ("eo:ru"), the first the catalog has wins. English if the deciding variable names none. */
siptxn_language catalog_language_for_locale(const catalog *self);

/* The reasons.ini text embedded at build time (not NUL-counted in length). */
const char *catalog_builtin_data(gsize *length);

/* Parses the embedded reasons.ini. */
catalog *catalog_new_builtin(GError **error);

/* Parses a catalog in reasons.ini format; the data need not be NUL-terminated. */
catalog *catalog_new_from_data(const char *data, gsize length, GError **error);

void catalog_free(catalog *self);

/* User entries (from a Wireshark UAT table) win over built-in ones. An empty or NULL
 * phrase makes an entry for the code itself, used when no phrase entry matches; it wins over
 * the word rules too. SIPTXN_LANGUAGE_AUTO makes the text apply to every language that has no
 * text of its own. */
void catalog_clear_user_entries(catalog *self);
gboolean catalog_add_user_entry(catalog *self, unsigned code, const char *phrase,
                                siptxn_language language, const char *explanation,
                                GError **error);

typedef enum {
    CATALOG_MATCH_PHRASE,   /* the phrase sent is known for that code (or is its standard phrase) */
    CATALOG_MATCH_CODE,     /* the code is known, the phrase is not (a word rule may still explain it) */
    CATALOG_MATCH_CLASS     /* the code is unknown: only its class applies (x00 semantics) */
} catalog_match;

typedef struct {
    unsigned code;
    catalog_match match;
    gboolean phrase_is_standard;   /* phrase is the standard phrase but for case, spacing and punctuation */
    gboolean from_user;            /* a user entry decided */
    const char *class_name;        /* "4xx Client Error", localized */
    const char *standard_phrase;   /* "Forbidden"; for unknown codes the class's x00 phrase (183 for 1xx) */
    const char *explanation;       /* localized meaning; for an operator phrase, what it means */
    const char *advice;            /* localized typical causes and what to check (may be NULL) */
    const char *source;            /* "RFC 3261 section 21.4.4", "operator phrase", "user entry",
                                    * "word rule: authentication (password)", ... */
    const char *word_rule;         /* the word rule that explained a phrase no entry lists
                                    * ("authentication"), or NULL */
    const char *word;              /* the word of the phrase it went by, as the rule lists it
                                    * ("password", "do not disturb"), or NULL */
} catalog_explanation;

/* Explains a status line. The phrase is phrase_length bytes (may be NULL when 0) and may hold
 * any bytes. Precedence: user entry for the phrase, catalog entry for the phrase, user entry
 * for the code, word rule (4xx-6xx only), the code's meaning, the class's meaning.
 * The strings in out belong to the catalog and stay valid until the user entries change or the
 * catalog is freed. Only a word rule's text allocates, once per rule word, code and language.
 * Not thread-safe. FALSE only if code is outside 100..699. */
gboolean catalog_explain(const catalog *self, unsigned code, const char *phrase,
                         gsize phrase_length, siptxn_language language,
                         catalog_explanation *out);

/* Meaning of a Q.850 cause value (RFC 3326 Reason header field); NULL if unknown. */
const char *catalog_q850_cause(const catalog *self, unsigned cause, siptxn_language language);

G_END_DECLS

#endif /* SIPTXN_CATALOG_H */
