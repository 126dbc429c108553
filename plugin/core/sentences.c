/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sentences.c: loads sentences.ini, checks it against the list of sentences.h
 * and fills in placeholders. */

#include <string.h>

#include "decimal.h"
#include "sentences.h"

/* Generated at build time from plugin/catalog/sentences.ini by cmake/catalog.cmake. */
extern const unsigned char sentences_builtin_bytes[];
extern const gsize sentences_builtin_size;

/* English is the plain key "text", then "text[ru]", then the data's other
 * languages in the order they first appear: the numbering of catalog.h, for a
 * language added to reasons.ini and sentences.ini alike. */
#define LANGUAGE_MAX 8
#define ENGLISH_INDEX 0
#define RUSSIAN_INDEX 1

typedef struct {
    const char *group;
    const char *placeholders;             /* space-separated names */
} sentence_entry;

#define SIPTXN_SENTENCE_ENTRY(id, group, placeholders) { group, placeholders },
static const sentence_entry entries[SENTENCE_COUNT] = { SIPTXN_SENTENCE_LIST(SIPTXN_SENTENCE_ENTRY) };

struct sentences {
    GStringChunk *strings;
    unsigned language_count;
    const char *codes[LANGUAGE_MAX];                  /* "en", "ru", then the data's others */
    const char *texts[SENTENCE_COUNT][LANGUAGE_MAX];
};

/* The key of a language's text: "text", "text[ru]", ... */
static gchar *language_key(const sentences *self, unsigned language)
{
    return language == ENGLISH_INDEX ? g_strdup("text") : g_strdup_printf("text[%s]", self->codes[language]);
}

/* A language code as keys may hold it: 2 to 8 letters, digits, '_' or '-'. */
static gboolean is_language_code(const char *code, gsize length)
{
    if (length < 2 || length > 8)
        return FALSE;
    for (gsize i = 0; i < length; i++)
        if (!g_ascii_isalnum(code[i]) && code[i] != '_' && code[i] != '-')
            return FALSE;
    return TRUE;
}

/* Registers the languages the keys of the file use; FALSE with an error for a
 * key that is not "text" or "text[code]", or too many languages. */
static gboolean find_languages(sentences *self, GKeyFile *file, GError **error)
{
    self->codes[ENGLISH_INDEX] = "en";
    self->codes[RUSSIAN_INDEX] = "ru";
    self->language_count = 2;
    gchar **groups = g_key_file_get_groups(file, NULL);
    gboolean ok = TRUE;
    for (gsize g = 0; groups[g] && ok; g++) {
        gchar **keys = g_key_file_get_keys(file, groups[g], NULL, NULL);
        for (gsize k = 0; keys && keys[k] && ok; k++) {
            const char *key = keys[k];
            if (strcmp(key, "text") == 0)
                continue;
            gsize length = strlen(key);
            if (strncmp(key, "text[", 5) != 0 || key[length - 1] != ']' ||
                !is_language_code(key + 5, length - 6)) {
                g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                            "[%s] has an unknown key %s (text, and text[LANGUAGE] for each language)",
                            groups[g], key);
                ok = FALSE;
                break;
            }
            unsigned language = 0;
            while (language < self->language_count &&
                   (strlen(self->codes[language]) != length - 6 ||
                    strncmp(self->codes[language], key + 5, length - 6) != 0))
                language++;
            if (language < self->language_count)
                continue;
            if (self->language_count == LANGUAGE_MAX) {
                g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                            "more than %d languages", LANGUAGE_MAX);
                ok = FALSE;
                break;
            }
            self->codes[self->language_count++] = g_string_chunk_insert_len(self->strings, key + 5,
                                                                             (gssize)(length - 6));
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    return ok;
}

unsigned sentences_language_count(const sentences *self)
{
    return self->language_count;
}

const char *sentences_language_code(const sentences *self, siptxn_language language)
{
    if ((unsigned)language < 1 || (unsigned)language > self->language_count)
        return NULL;
    return self->codes[(unsigned)language - 1];
}

const char *sentence_group(sentence_id id)
{
    return (unsigned)id < SENTENCE_COUNT ? entries[id].group : "";
}

sentence_id sentence_find(const char *group)
{
    for (unsigned id = 0; id < SENTENCE_COUNT; id++)
        if (strcmp(entries[id].group, group) == 0)
            return (sentence_id)id;
    return SENTENCE_COUNT;
}

/* Whether name (length bytes) is one of the space-separated names of list. */
static gboolean listed(const char *list, const char *name, gsize length)
{
    for (const char *at = list; *at;) {
        gsize word = strcspn(at, " ");
        if (word == length && strncmp(at, name, length) == 0)
            return TRUE;
        at += word;
        while (*at == ' ')
            at++;
    }
    return FALSE;
}

/* The placeholders of text, in order of first use, space-separated, into names;
 * FALSE with an error for a brace without its pair or an unknown placeholder. */
static gboolean read_placeholders(const char *text, sentence_id id, const char *key, GString *names,
                                  GError **error)
{
    g_string_truncate(names, 0);
    for (const char *at = text; *at; at++) {
        if (*at == '}') {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[%s] %s: \"}\" without \"{\"", entries[id].group, key);
            return FALSE;
        }
        if (*at != '{')
            continue;
        const char *end = strchr(at + 1, '}');
        gsize length = end ? (gsize)(end - at - 1) : 0;
        if (!end || length == 0 || memchr(at + 1, '{', length)) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[%s] %s: \"{\" without a placeholder name and \"}\"", entries[id].group, key);
            return FALSE;
        }
        if (!listed(entries[id].placeholders, at + 1, length)) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[%s] %s: unknown placeholder {%.*s} (this sentence may use: %s)", entries[id].group, key,
                        (int)length, at + 1, entries[id].placeholders[0] ? entries[id].placeholders : "none");
            return FALSE;
        }
        if (!listed(names->str, at + 1, length)) {
            if (names->len)
                g_string_append_c(names, ' ');
            g_string_append_len(names, at + 1, (gssize)length);
        }
        at = end;
    }
    return TRUE;
}

/* Both languages use the same placeholders. */
static gboolean same_placeholders(const char *english, const char *russian)
{
    for (const char *at = english; *at;) {
        gsize word = strcspn(at, " ");
        if (!listed(russian, at, word))
            return FALSE;
        at += word;
        while (*at == ' ')
            at++;
    }
    return strlen(english) == strlen(russian);
}

static gboolean load_sentence(sentences *self, GKeyFile *file, sentence_id id, GError **error)
{
    const char *group = entries[id].group;
    if (!g_key_file_has_group(file, group)) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "[%s] is missing", group);
        return FALSE;
    }
    GString *english = g_string_new(NULL), *names = g_string_new(NULL);
    gboolean ok = TRUE;
    for (unsigned language = 0; language < self->language_count && ok; language++) {
        gchar *key = language_key(self, language);
        /* KEEP_TRANSLATIONS: "text[ru]" is a key of its own, whatever the locale. */
        gchar *text = g_key_file_get_string(file, group, key, NULL);
        const char *value = text ? g_strstrip(text) : NULL;
        GString *used = language == ENGLISH_INDEX ? english : names;
        g_string_truncate(used, 0);
        if (!value || !*value || !g_utf8_validate(value, -1, NULL)) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[%s] %s is missing, empty or not UTF-8", group, key);
            ok = FALSE;
        } else if ((ok = read_placeholders(value, id, key, used, error))) {
            self->texts[id][language] = g_string_chunk_insert(self->strings, value);
            /* Every language uses the placeholders English uses. */
            if (language != ENGLISH_INDEX && !same_placeholders(english->str, names->str)) {
                g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                            "[%s] text uses {%s}, %s uses {%s}: both must use the same placeholders", group,
                            english->str, key, names->str);
                ok = FALSE;
            }
        }
        g_free(text);
        g_free(key);
    }
    g_string_free(english, TRUE);
    g_string_free(names, TRUE);
    return ok;
}

/* Every group of the file is a sentence of the list. */
static gboolean check_groups(GKeyFile *file, GError **error)
{
    gchar **groups = g_key_file_get_groups(file, NULL);
    gboolean ok = TRUE;
    for (gsize i = 0; groups[i] && ok; i++) {
        if (sentence_find(groups[i]) == SENTENCE_COUNT) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                        "[%s] is not a sentence siptxn knows (plugin/core/sentences.h)", groups[i]);
            ok = FALSE;
        }
    }
    g_strfreev(groups);
    return ok;
}

sentences *sentences_new_from_data(const char *data, gsize length, GError **error)
{
    sentences *self = g_new0(sentences, 1);
    self->strings = g_string_chunk_new(8192);
    GKeyFile *file = g_key_file_new();
    gboolean ok = g_key_file_load_from_data(file, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, error) &&
                  check_groups(file, error) && find_languages(self, file, error);
    for (unsigned id = 0; id < SENTENCE_COUNT && ok; id++)
        ok = load_sentence(self, file, (sentence_id)id, error);
    g_key_file_free(file);
    if (!ok) {
        sentences_free(self);
        return NULL;
    }
    return self;
}

void sentences_free(sentences *self)
{
    if (!self)
        return;
    g_string_chunk_free(self->strings);
    g_free(self);
}

const char *sentences_builtin_data(gsize *length)
{
    if (length)
        *length = sentences_builtin_size;
    return (const char *)sentences_builtin_bytes;
}

const sentences *sentences_builtin(void)
{
    static sentences *builtin;
    if (!builtin) {
        gsize length;
        const char *data = sentences_builtin_data(&length);
        GError *error = NULL;
        builtin = sentences_new_from_data(data, length, &error);
        if (!builtin) {
            g_warning("siptxn: the built-in sentences are unusable: %s", error ? error->message : "unknown error");
            g_clear_error(&error);
            /* Every sentence reads as its group's name. */
            builtin = g_new0(sentences, 1);
            builtin->codes[ENGLISH_INDEX] = "en";
            builtin->codes[RUSSIAN_INDEX] = "ru";
            builtin->language_count = 2;
            for (unsigned id = 0; id < SENTENCE_COUNT; id++)
                builtin->texts[id][ENGLISH_INDEX] = builtin->texts[id][RUSSIAN_INDEX] = entries[id].group;
        }
    }
    return builtin;
}

const char *sentence_text(const sentences *self, sentence_id id, siptxn_language language)
{
    if ((unsigned)id >= SENTENCE_COUNT)
        return "";
    /* AUTO and a language the data lacks read as English. */
    unsigned index = (unsigned)language >= 1 && (unsigned)language <= self->language_count ? (unsigned)language - 1
                                                                                           : ENGLISH_INDEX;
    return self->texts[id][index];
}

void sentence_append(GString *text, const sentences *self, sentence_id id, siptxn_language language,
                     const sentence_value *values, guint count)
{
    const char *cursor = sentence_text(self, id, language);
    for (;;) {
        const char *open = strchr(cursor, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            g_string_append(text, cursor);
            return;
        }
        g_string_append_len(text, cursor, open - cursor);
        gsize length = (gsize)(close - open - 1);
        const sentence_value *value = NULL;
        for (guint i = 0; i < count && !value; i++)
            if (strlen(values[i].name) == length && strncmp(values[i].name, open + 1, length) == 0)
                value = &values[i];
        if (!value) {
            g_string_append_len(text, open, close - open + 1);
        } else if (value->is_text) {
            g_string_append(text, value->text ? value->text : "?");
        } else {
            char digits[10];
            g_string_append_len(text, digits, (gssize)siptxn_write_decimal(digits, value->number));
        }
        cursor = close + 1;
    }
}
