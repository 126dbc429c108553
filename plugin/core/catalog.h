/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reason-phrase catalog: explains SIP status codes, operator reason phrases and Q.850 causes in English and Russian. */

#ifndef SIPTXN_CATALOG_H
#define SIPTXN_CATALOG_H

#include <glib.h>

G_BEGIN_DECLS

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
 * "ru*" gives Russian, anything else English. */
siptxn_language catalog_language_from_locale(void);

typedef struct catalog catalog;

/* The reasons.ini text embedded at build time (not NUL-counted in length). */
const char *catalog_builtin_data(gsize *length);

/* Parses the embedded reasons.ini. */
catalog *catalog_new_builtin(GError **error);

/* Parses a catalog in reasons.ini format; the data need not be NUL-terminated. */
catalog *catalog_new_from_data(const char *data, gsize length, GError **error);

void catalog_free(catalog *self);

/* User entries (from a Wireshark UAT table) win over built-in ones. An empty or NULL
 * phrase makes an entry for the code itself, used when no phrase entry matches.
 * SIPTXN_LANGUAGE_AUTO makes the text apply to every language that has no text of its own. */
void catalog_clear_user_entries(catalog *self);
gboolean catalog_add_user_entry(catalog *self, unsigned code, const char *phrase,
                                siptxn_language language, const char *explanation,
                                GError **error);

typedef enum {
    CATALOG_MATCH_PHRASE,   /* the phrase sent is known for that code (or is its standard phrase) */
    CATALOG_MATCH_CODE,     /* the code is known, the phrase is not */
    CATALOG_MATCH_CLASS     /* the code is unknown: only its class applies (x00 semantics) */
} catalog_match;

typedef struct {
    unsigned code;
    catalog_match match;
    gboolean phrase_is_standard;   /* phrase equals the standard phrase (case-insensitive, whitespace folded) */
    gboolean from_user;            /* a user entry decided */
    const char *class_name;        /* "4xx Client Failure", localized */
    const char *standard_phrase;   /* "Forbidden"; for unknown codes the class's x00 phrase */
    const char *explanation;       /* localized meaning; for an operator phrase, what it means */
    const char *advice;            /* localized typical causes and what to check (may be NULL) */
    const char *source;            /* "RFC 3261 section 21.4.4", "operator phrase", "user entry", ... */
} catalog_explanation;

/* Explains a status line. The phrase is phrase_length bytes (may be NULL when 0) and may hold
 * any bytes. Does not allocate; the strings in out belong to the catalog and stay valid until
 * the user entries change or the catalog is freed. FALSE only if code is outside 100..699. */
gboolean catalog_explain(const catalog *self, unsigned code, const char *phrase,
                         gsize phrase_length, siptxn_language language,
                         catalog_explanation *out);

/* Meaning of a Q.850 cause value (RFC 3326 Reason header field); NULL if unknown. */
const char *catalog_q850_cause(const catalog *self, unsigned cause, siptxn_language language);

G_END_DECLS

#endif /* SIPTXN_CATALOG_H */
