/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sentences.c: loads sentences.ini, checks it against the list of sentences.h
 * and fills in placeholders. */

#include <string.h>

#include "decimal.h"
#include "sentences.h"

/* Generated at build time from plugin/catalog/sentences.ini by cmake/catalog.cmake. */
extern const unsigned char sentences_builtin_bytes[];
extern const gsize sentences_builtin_size;

#define LANGUAGE_COUNT 2                  /* English, Russian */
static const char *const language_keys[LANGUAGE_COUNT] = { "text", "text[ru]" };

typedef struct {
    const char *group;
    const char *placeholders;             /* space-separated names */
} sentence_entry;

#define SIPTXN_SENTENCE_ENTRY(id, group, placeholders) { group, placeholders },
static const sentence_entry entries[SENTENCE_COUNT] = { SIPTXN_SENTENCE_LIST(SIPTXN_SENTENCE_ENTRY) };

struct sentences {
    GStringChunk *strings;
    const char *texts[SENTENCE_COUNT][LANGUAGE_COUNT];
};

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
    gchar **keys = g_key_file_get_keys(file, group, NULL, NULL);
    for (gsize i = 0; keys && keys[i]; i++) {
        if (strcmp(keys[i], language_keys[0]) != 0 && strcmp(keys[i], language_keys[1]) != 0) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                        "[%s] has an unknown key %s (text and text[ru] only)", group, keys[i]);
            g_strfreev(keys);
            return FALSE;
        }
    }
    g_strfreev(keys);
    GString *names[LANGUAGE_COUNT] = { g_string_new(NULL), g_string_new(NULL) };
    gboolean ok = TRUE;
    for (unsigned language = 0; language < LANGUAGE_COUNT && ok; language++) {
        /* KEEP_TRANSLATIONS: "text[ru]" is a key of its own, whatever the locale. */
        gchar *text = g_key_file_get_string(file, group, language_keys[language], NULL);
        const char *value = text ? g_strstrip(text) : NULL;
        if (!value || !*value || !g_utf8_validate(value, -1, NULL)) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[%s] %s is missing, empty or not UTF-8", group, language_keys[language]);
            ok = FALSE;
        } else {
            ok = read_placeholders(value, id, language_keys[language], names[language], error);
            if (ok)
                self->texts[id][language] = g_string_chunk_insert(self->strings, value);
        }
        g_free(text);
    }
    if (ok && !same_placeholders(names[0]->str, names[1]->str)) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[%s] text uses {%s}, text[ru] uses {%s}: both must use the same placeholders", group,
                    names[0]->str, names[1]->str);
        ok = FALSE;
    }
    g_string_free(names[0], TRUE);
    g_string_free(names[1], TRUE);
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
                  check_groups(file, error);
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
            for (unsigned id = 0; id < SENTENCE_COUNT; id++)
                builtin->texts[id][0] = builtin->texts[id][1] = entries[id].group;
        }
    }
    return builtin;
}

const char *sentence_text(const sentences *self, sentence_id id, siptxn_language language)
{
    if ((unsigned)id >= SENTENCE_COUNT)
        return "";
    return self->texts[id][language == SIPTXN_LANGUAGE_RUSSIAN ? 1 : 0];
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
