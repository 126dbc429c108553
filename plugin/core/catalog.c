/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reason-phrase catalog: loads reasons.ini into lookup tables and explains SIP status lines. */

#include "catalog.h"

#include <string.h>

/* Generated at build time from plugin/catalog/reasons.ini by cmake/catalog.cmake. */
extern const unsigned char catalog_builtin_bytes[];
extern const gsize catalog_builtin_size;

#define CLASS_COUNT 6             /* 1xx .. 6xx */
#define CODE_FIRST 100
#define CODE_LAST 699
#define CODE_COUNT (CODE_LAST - CODE_FIRST + 1)
#define Q850_CAUSE_LAST 127
/* "NNN " followed by a folded phrase and a NUL */
#define KEY_SIZE (4 + CATALOG_PHRASE_MAX + 1)
/* Languages a catalog may have, English and Russian included; a language code's longest length. */
#define LANGUAGE_MAX 32
#define LANGUAGE_CODE_MAX 16
/* Word rules: the most words a catalog may list, the most words in a row one entry may be. */
#define WORD_ENTRY_MAX 4096
#define WORD_SPAN_MAX 4
/* A folded phrase as lower-case words: lower-casing may lengthen a character by a byte or two
 * and a space may split letters from digits, so four bytes per byte are always enough. */
#define WORDS_SIZE (4 * KEY_SIZE)

/* English is the plain key, Russian "[ru]"; the data may add others. */
#define ENGLISH_INDEX 0
#define RUSSIAN_INDEX 1

typedef struct {
    const char *name[LANGUAGE_MAX];              /* "4xx Client Error" */
    const char *standard_phrase;
    const char **explanation;                    /* one text per language, as every array below */
    const char **advice;
} class_entry;

typedef struct {
    gboolean present;
    const char *standard_phrase;
    const char *folded_standard_phrase;          /* lower case, spaces folded: "server time-out" */
    const char *compact_standard_phrase;         /* its words run together: "servertimeout" */
    const char *source;
    const char **explanation;
    const char **advice;
} code_entry;

typedef struct {
    const char *source;
    const char **explanation;
    const char **advice;                         /* NULL when the entry has none */
} phrase_entry;

/* The user texts of one code or phrase, indexed by siptxn_language; AUTO applies to all. */
typedef struct {
    unsigned count;
    char *explanation[];
} user_entry;

/* A word rule: what a phrase no entry lists means when one of the rule's words is in it
 * ("Wrong password or domain": "password", authentication). Rules are kept in file order,
 * and the first rule with a word in the phrase decides. */
typedef struct {
    const char *name;                            /* "authentication", from the header [words authentication] */
    const char **problem;                        /* "an authentication problem" */
    const char **explanation;                    /* what the words say happened */
    const char **advice;                         /* what to check */
} word_rule;

/* One word of a rule (or several words in a row: "do not disturb"). */
typedef struct {
    unsigned id;                                 /* 0.. in load order: part of the composed text's key */
    unsigned rule_index;                         /* position of its rule in the file: lower wins */
    const word_rule *rule;
    const char *word;                            /* as the rule lists it */
    const char *source;                          /* "word rule: authentication (password)" */
} word_entry;

struct catalog {
    GStringChunk *strings;                       /* every built-in string */
    GPtrArray *text_arrays;                      /* the per-language arrays, freed with the catalog */
    unsigned language_count;
    const char *language_codes[LANGUAGE_MAX];    /* "en", "ru", then the data's others */
    gboolean language_present[LANGUAGE_MAX];     /* the data has texts in it (Russian may be absent) */
    class_entry classes[CLASS_COUNT];
    code_entry codes[CODE_COUNT];
    GHashTable *phrases;                         /* "NNN folded phrase" -> phrase_entry */
    GHashTable *user_entries;                    /* "NNN folded phrase" ("NNN " for a code) -> user_entry */
    const char **q850_causes[Q850_CAUSE_LAST + 1];
    GPtrArray *word_rules;                       /* word_rule, in file order */
    GHashTable *words;                           /* lower-case words, one space apart -> word_entry */
    unsigned word_count;
    unsigned longest_word_span;                  /* most words in a row of one entry */
    const char **word_template;                  /* [words] explanation */
    GHashTable *word_texts;                      /* (word, code, language) -> composed explanation */
    GStringChunk *word_text_strings;
};

G_DEFINE_QUARK(siptxn-catalog-error-quark, catalog_error)

/* ---- languages -------------------------------------------------------- */

static const char *const default_language_codes[] = { "en", "ru" };

static unsigned language_total(const catalog *self)
{
    return self != NULL ? self->language_count : G_N_ELEMENTS(default_language_codes);
}

static const char *language_code_at(const catalog *self, unsigned index)
{
    return self != NULL ? self->language_codes[index] : default_language_codes[index];
}

/* The index of the language whose code is the first length bytes of name (any case), or -1. */
static int language_with_code(const catalog *self, const char *name, gsize length)
{
    for (unsigned index = 0; index < language_total(self); index++) {
        const char *code = language_code_at(self, index);
        if (strlen(code) == length && g_ascii_strncasecmp(code, name, length) == 0)
            return (int)index;
    }
    return -1;
}

/* "pt_BR.UTF-8@euro" -> "pt_BR@euro" in output; 0 if it does not fit. */
static gsize strip_codeset(const char *name, gsize length, char *output, gsize output_size)
{
    gsize written = 0;
    gboolean in_codeset = FALSE;

    for (gsize position = 0; position < length; position++) {
        if (name[position] == '.')
            in_codeset = TRUE;
        else if (name[position] == '@')
            in_codeset = FALSE;
        if (in_codeset)
            continue;
        if (written + 1 >= output_size)
            return 0;
        output[written++] = name[position];
    }
    output[written] = '\0';
    return written;
}

/* language[_territory][.codeset][@modifier]: the whole name but the codeset, then the language. */
static siptxn_language find_language(const catalog *self, const char *name, gsize length)
{
    char stripped[LANGUAGE_CODE_MAX + 1];
    gsize stripped_length = strip_codeset(name, length, stripped, sizeof stripped);
    int index;

    if (stripped_length == 0)
        return SIPTXN_LANGUAGE_AUTO;
    index = language_with_code(self, stripped, stripped_length);
    if (index < 0)
        index = language_with_code(self, stripped, strcspn(stripped, "_@"));
    return index < 0 ? SIPTXN_LANGUAGE_AUTO : (siptxn_language)(index + 1);
}

siptxn_language catalog_language_find(const catalog *self, const char *name)
{
    if (name == NULL)
        return SIPTXN_LANGUAGE_AUTO;
    return find_language(self, name, strlen(name));
}

/* LANGUAGE, LC_ALL, LC_MESSAGES, LANG: the first non-empty one decides. LANGUAGE is a list in
 * order of preference ("eo:ru"), as GNU gettext reads it. */
static siptxn_language locale_language(const catalog *self)
{
    static const char *const variables[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

    for (gsize index = 0; index < G_N_ELEMENTS(variables); index++) {
        const char *value = g_getenv(variables[index]);
        if (value == NULL || value[0] == '\0')
            continue;
        while (*value != '\0') {
            gsize length = index == 0 ? strcspn(value, ":") : strlen(value);
            siptxn_language found = find_language(self, value, length);
            if (found != SIPTXN_LANGUAGE_AUTO)
                return found;
            value += length;
            if (*value == ':')
                value++;
        }
        return SIPTXN_LANGUAGE_ENGLISH;
    }
    return SIPTXN_LANGUAGE_ENGLISH;
}

siptxn_language catalog_language_from_locale(void)
{
    return locale_language(NULL);
}

siptxn_language catalog_language_for_locale(const catalog *self)
{
    return locale_language(self);
}

unsigned catalog_language_count(const catalog *self)
{
    return self->language_count;
}

const char *catalog_language_code(const catalog *self, siptxn_language language)
{
    if ((unsigned)language < 1 || (unsigned)language > self->language_count)
        return NULL;
    return self->language_codes[(unsigned)language - 1];
}

/* Index into the per-language arrays; AUTO follows the locale, a language the catalog lacks is English. */
static unsigned language_index(const catalog *self, siptxn_language language)
{
    if (language == SIPTXN_LANGUAGE_AUTO)
        language = catalog_language_for_locale(self);
    if ((unsigned)language < 1 || (unsigned)language > self->language_count)
        return ENGLISH_INDEX;
    return (unsigned)language - 1;
}

const char *catalog_builtin_data(gsize *length)
{
    if (length != NULL)
        *length = catalog_builtin_size;
    return (const char *)catalog_builtin_bytes;
}

/* Writes the phrase lower-cased (ASCII) with whitespace runs folded to one space and
 * leading/trailing whitespace dropped (RFC 3261 section 7.3.1 treats LWS runs as one SP).
 * Returns FALSE when the result would not fit in output_size (including the NUL)
 * or the phrase contains a NUL byte: such a phrase cannot match any entry. */
static gboolean fold_phrase(const char *phrase, gsize phrase_length, char *output, gsize output_size)
{
    gsize written = 0;
    gboolean pending_space = FALSE;

    if (output_size == 0)
        return FALSE;
    for (gsize index = 0; index < phrase_length; index++) {
        char character = phrase[index];
        if (character == '\0')
            return FALSE;
        if (g_ascii_isspace(character)) {
            pending_space = written > 0;
            continue;
        }
        if (written + (pending_space ? 2 : 1) >= output_size)
            return FALSE;
        if (pending_space)
            output[written++] = ' ';
        pending_space = FALSE;
        output[written++] = g_ascii_tolower(character);
    }
    output[written] = '\0';
    return TRUE;
}

/* Builds "NNN folded phrase" in key (KEY_SIZE bytes); FALSE if the phrase cannot be folded into it. */
static gboolean build_key(unsigned code, const char *phrase, gsize phrase_length, char *key)
{
    key[0] = (char)('0' + code / 100);
    key[1] = (char)('0' + code / 10 % 10);
    key[2] = (char)('0' + code % 10);
    key[3] = ' ';
    return fold_phrase(phrase, phrase_length, key + 4, KEY_SIZE - 4);
}

typedef enum { CHARACTER_SEPARATOR, CHARACTER_LETTER, CHARACTER_DIGIT } character_kind;

static character_kind kind_of(gunichar character, character_kind previous)
{
    if (g_unichar_isalpha(character))
        return CHARACTER_LETTER;
    if (g_unichar_isdigit(character))
        return CHARACTER_DIGIT;
    /* A combining accent belongs to the letter before it. */
    if (g_unichar_ismark(character) && previous == CHARACTER_LETTER)
        return CHARACTER_LETTER;
    return CHARACTER_SEPARATOR;
}

/* Writes text as its words, lower case, one space apart: a word is a run of letters or a run of
 * digits (any script), "ё" counts as "е", everything else only separates words, so
 * "Time-out!" gives "time out" and "100CPS" gives "100 cps". Returns the number of words;
 * -1 if text is not UTF-8 or the words do not fit in output_size. */
static int normalize_words(const char *text, gsize length, char *output, gsize output_size)
{
    const char *cursor = text;
    const char *end = text + length;
    character_kind previous = CHARACTER_SEPARATOR;
    gsize written = 0;
    int words = 0;

    while (cursor < end) {
        gunichar character = g_utf8_get_char_validated(cursor, end - cursor);
        if (character == (gunichar)-1 || character == (gunichar)-2 || character == 0)
            return -1;
        cursor = g_utf8_next_char(cursor);
        character_kind kind = kind_of(character, previous);
        if (kind == CHARACTER_SEPARATOR) {
            previous = kind;
            continue;
        }
        if (kind != previous) {
            if (words > 0) {
                if (written + 1 >= output_size)
                    return -1;
                output[written++] = ' ';
            }
            words++;
        }
        previous = kind;
        character = g_unichar_tolower(character);
        if (character == 0x0451)                 /* ё */
            character = 0x0435;                  /* е */
        char encoded[6];
        gint encoded_length = g_unichar_to_utf8(character, encoded);
        if (written + (gsize)encoded_length >= output_size)
            return -1;
        memcpy(output + written, encoded, (gsize)encoded_length);
        written += (gsize)encoded_length;
    }
    if (output_size == 0)
        return -1;
    output[written] = '\0';
    return words;
}

/* The words of a phrase run together ("Server Time-out" and "server timeout" both give
 * "servertimeout"): phrases that differ only in case, spacing and punctuation compact alike.
 * FALSE if the phrase is not UTF-8 or has no word. */
static gboolean compact_phrase(const char *phrase, char *output, gsize output_size)
{
    gsize written = 0;

    if (normalize_words(phrase, strlen(phrase), output, output_size) <= 0)
        return FALSE;
    for (gsize index = 0; output[index] != '\0'; index++) {
        if (output[index] != ' ')
            output[written++] = output[index];
    }
    output[written] = '\0';
    return TRUE;
}

/* ---- loading ---------------------------------------------------------- */

static gboolean parse_decimal(const char *text, gsize length, unsigned *value)
{
    unsigned result = 0;

    if (length == 0 || length > 3)
        return FALSE;
    for (gsize index = 0; index < length; index++) {
        if (!g_ascii_isdigit(text[index]))
            return FALSE;
        result = result * 10 + (unsigned)(text[index] - '0');
    }
    *value = result;
    return TRUE;
}

/* A language code as a key suffix may hold it: "ru", "pt_BR", "sr@latin". */
static gboolean is_language_code(const char *code, gsize length)
{
    if (length < 2 || length > LANGUAGE_CODE_MAX || !g_ascii_isalpha(code[0]))
        return FALSE;
    for (gsize index = 0; index < length; index++) {
        if (!g_ascii_isalnum(code[index]) && code[index] != '_' && code[index] != '@' && code[index] != '-')
            return FALSE;
    }
    return TRUE;
}

/* The base of a key and its language: "explanation[ru]" -> "explanation", "ru" (NULL for a plain key).
 * FALSE if the key has a malformed language suffix. */
static gboolean split_key(const char *key, char *base, gsize base_size, const char **language, gsize *language_length)
{
    gsize base_length = strcspn(key, "[");

    if (base_length >= base_size)
        return FALSE;
    memcpy(base, key, base_length);
    base[base_length] = '\0';
    *language = NULL;
    *language_length = 0;
    if (key[base_length] == '\0')
        return TRUE;
    *language = key + base_length + 1;
    *language_length = strcspn(*language, "]");
    return (*language)[*language_length] == ']' && (*language)[*language_length + 1] == '\0' &&
           is_language_code(*language, *language_length);
}

/* Finds the languages of the data: English (plain keys) and Russian first, so that they keep
 * their siptxn_language values, then every other "key[xx]" in the order it first appears.
 * "words[xx]" does not make a language: it lists the words of phrases sent in xx. */
static gboolean find_languages(catalog *self, GKeyFile *file, GError **error)
{
    gchar **groups = g_key_file_get_groups(file, NULL);
    gboolean ok = TRUE;

    self->language_codes[ENGLISH_INDEX] = "en";
    self->language_codes[RUSSIAN_INDEX] = "ru";
    self->language_present[ENGLISH_INDEX] = TRUE;
    self->language_count = 2;
    for (gsize group = 0; groups[group] != NULL && ok; group++) {
        gchar **keys = g_key_file_get_keys(file, groups[group], NULL, NULL);
        for (gsize index = 0; keys != NULL && keys[index] != NULL && ok; index++) {
            char base[64];
            const char *language;
            gsize length;
            int found;
            if (!split_key(keys[index], base, sizeof base, &language, &length)) {
                g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                            "[%s] %s: not a key or not a language code in brackets", groups[group], keys[index]);
                ok = FALSE;
                break;
            }
            if (language == NULL || strcmp(base, "words") == 0)
                continue;
            found = language_with_code(self, language, length);
            if (found == ENGLISH_INDEX) {
                g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                            "[%s] %s: English is the key without brackets", groups[group], keys[index]);
                ok = FALSE;
            } else if (found >= 0) {
                self->language_present[found] = TRUE;
            } else if (self->language_count == LANGUAGE_MAX) {
                g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                            "more than %d languages", LANGUAGE_MAX);
                ok = FALSE;
            } else {
                self->language_codes[self->language_count] = g_string_chunk_insert_len(self->strings, language,
                                                                                       (gssize)length);
                self->language_present[self->language_count++] = TRUE;
            }
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    return ok;
}

/* A new array with one text per language, freed with the catalog. */
static const char **new_texts(catalog *self)
{
    const char **texts = g_new0(const char *, self->language_count);

    g_ptr_array_add(self->text_arrays, texts);
    return texts;
}

/* Reads a required (or optional) non-empty UTF-8 value into the string chunk. */
static gboolean read_value(catalog *self, GKeyFile *file, const char *group, const char *key,
                           gboolean required, const char **value, GError **error)
{
    GError *local_error = NULL;
    char *text = g_key_file_get_string(file, group, key, &local_error);

    *value = NULL;
    if (text == NULL) {
        if (!required && g_error_matches(local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
            g_error_free(local_error);
            return TRUE;
        }
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] %s: %s", group, key,
                    local_error != NULL ? local_error->message : "missing");
        g_clear_error(&local_error);
        return FALSE;
    }
    g_strstrip(text);
    if (text[0] == '\0' || !g_utf8_validate(text, -1, NULL)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] %s is empty or not UTF-8", group, key);
        g_free(text);
        return FALSE;
    }
    *value = g_string_chunk_insert(self->strings, text);
    g_free(text);
    return TRUE;
}

/* Reads key and its translations ("key[xx]") into a new array of texts: an optional key must be
 * given in every language of the data or in none. A language the data lacks (Russian in a
 * catalog without it) gets the English text. *values is NULL for an optional key not given. */
static gboolean read_localized(catalog *self, GKeyFile *file, const char *group, const char *key,
                               gboolean required, const char ***values, GError **error)
{
    const char **texts = new_texts(self);
    const char *missing = NULL;
    unsigned present = 0, expected = 0;

    *values = NULL;
    for (unsigned language = 0; language < self->language_count; language++) {
        if (!self->language_present[language])
            continue;
        char *localized_key = language == ENGLISH_INDEX
                                  ? g_strdup(key)
                                  : g_strdup_printf("%s[%s]", key, self->language_codes[language]);
        gboolean ok = read_value(self, file, group, localized_key, required, &texts[language], error);
        g_free(localized_key);
        if (!ok)
            return FALSE;
        expected++;
        if (texts[language] != NULL)
            present++;
        else if (missing == NULL)
            missing = language == ENGLISH_INDEX ? "English" : self->language_codes[language];
    }
    if (present != 0 && present != expected) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] %s is not given in every language (%s is missing)", group, key, missing);
        return FALSE;
    }
    if (present == 0)
        return TRUE;
    for (unsigned language = 0; language < self->language_count; language++) {
        if (texts[language] == NULL)
            texts[language] = texts[ENGLISH_INDEX];
    }
    *values = texts;
    return TRUE;
}

/* Rejects keys that no entry kind uses, so a misspelt key does not silently vanish. */
static gboolean check_keys(GKeyFile *file, const char *group, const char *const *allowed, GError **error)
{
    gchar **keys = g_key_file_get_keys(file, group, NULL, NULL);
    gboolean ok = TRUE;

    for (gsize index = 0; keys != NULL && keys[index] != NULL && ok; index++) {
        gsize base_length = strcspn(keys[index], "[");
        gboolean known = FALSE;
        for (gsize allowed_index = 0; allowed[allowed_index] != NULL; allowed_index++) {
            if (strlen(allowed[allowed_index]) == base_length &&
                strncmp(allowed[allowed_index], keys[index], base_length) == 0)
                known = TRUE;
        }
        if (!known) {
            g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] unknown key %s", group, keys[index]);
            ok = FALSE;
        }
    }
    g_strfreev(keys);
    return ok;
}

static gboolean load_class(catalog *self, GKeyFile *file, const char *group, unsigned class_digit, GError **error)
{
    static const char *const allowed[] = { "name", "phrase", "explanation", "advice", NULL };
    class_entry *entry = &self->classes[class_digit - 1];
    const char **names;

    if (entry->standard_phrase != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    if (!check_keys(file, group, allowed, error) ||
        !read_localized(self, file, group, "name", TRUE, &names, error) ||
        !read_value(self, file, group, "phrase", TRUE, &entry->standard_phrase, error) ||
        !read_localized(self, file, group, "explanation", TRUE, &entry->explanation, error) ||
        !read_localized(self, file, group, "advice", TRUE, &entry->advice, error))
        return FALSE;
    for (unsigned language = 0; language < self->language_count; language++) {
        char *full_name = g_strdup_printf("%uxx %s", class_digit, names[language]);
        entry->name[language] = g_string_chunk_insert(self->strings, full_name);
        g_free(full_name);
    }
    return TRUE;
}

static gboolean load_code(catalog *self, GKeyFile *file, const char *group, unsigned code, GError **error)
{
    static const char *const allowed[] = { "phrase", "source", "explanation", "advice", NULL };
    code_entry *entry = &self->codes[code - CODE_FIRST];
    char folded[CATALOG_PHRASE_MAX + 1];
    char compact[WORDS_SIZE];

    if (entry->present) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    if (!check_keys(file, group, allowed, error) ||
        !read_value(self, file, group, "phrase", TRUE, &entry->standard_phrase, error) ||
        !read_value(self, file, group, "source", TRUE, &entry->source, error) ||
        !read_localized(self, file, group, "explanation", TRUE, &entry->explanation, error) ||
        !read_localized(self, file, group, "advice", TRUE, &entry->advice, error))
        return FALSE;
    if (!fold_phrase(entry->standard_phrase, strlen(entry->standard_phrase), folded, sizeof folded) ||
        !compact_phrase(folded, compact, sizeof compact)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] phrase is too long or has no word", group);
        return FALSE;
    }
    entry->folded_standard_phrase = g_string_chunk_insert(self->strings, folded);
    entry->compact_standard_phrase = g_string_chunk_insert(self->strings, compact);
    entry->present = TRUE;
    return TRUE;
}

static gboolean load_phrase(catalog *self, GKeyFile *file, const char *group, unsigned code,
                            const char *phrase, GError **error)
{
    static const char *const allowed[] = { "source", "explanation", "advice", NULL };
    const code_entry *code_entry_found = &self->codes[code - CODE_FIRST];
    char key[KEY_SIZE];
    phrase_entry *entry;

    if (!build_key(code, phrase, strlen(phrase), key) || key[4] == '\0') {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] phrase is empty or longer than %d bytes", group, CATALOG_PHRASE_MAX);
        return FALSE;
    }
    if (code_entry_found->present && strcmp(key + 4, code_entry_found->folded_standard_phrase) == 0) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] repeats the standard phrase of [%u]", group, code);
        return FALSE;
    }
    if (g_hash_table_contains(self->phrases, key)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] duplicates another phrase of code %u", group, code);
        return FALSE;
    }
    entry = g_new0(phrase_entry, 1);
    if (!check_keys(file, group, allowed, error) ||
        !read_value(self, file, group, "source", FALSE, &entry->source, error) ||
        !read_localized(self, file, group, "explanation", TRUE, &entry->explanation, error) ||
        !read_localized(self, file, group, "advice", FALSE, &entry->advice, error)) {
        g_free(entry);
        return FALSE;
    }
    if (entry->source == NULL)
        entry->source = "operator phrase";
    g_hash_table_insert(self->phrases, g_string_chunk_insert(self->strings, key), entry);
    return TRUE;
}

static gboolean load_q850_cause(catalog *self, GKeyFile *file, const char *group, unsigned cause, GError **error)
{
    static const char *const allowed[] = { "meaning", NULL };

    if (self->q850_causes[cause] != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    return check_keys(file, group, allowed, error) &&
           read_localized(self, file, group, "meaning", TRUE, &self->q850_causes[cause], error);
}

/* ---- word rules ------------------------------------------------------- */

/* The placeholders of the [words] explanation, what expand_word_template() puts there. */
typedef struct {
    const char *words;                           /* the word found: "password" */
    const char *problem;                         /* the rule's problem: "an authentication problem" */
    const char *meaning;                         /* the rule's explanation */
    const char *code;                            /* "403" */
    const char *code_meaning;                    /* the explanation of the code (or of its class) */
} word_template_values;

/* Appends template to output with {words}, {problem}, {meaning}, {code} and {code_meaning}
 * replaced. FALSE at any other "{...}" or a "{" left open. */
static gboolean expand_word_template(GString *output, const char *template, const word_template_values *values)
{
    const struct {
        const char *name;
        const char *value;
    } placeholders[] = {
        { "{words}", values->words },     { "{problem}", values->problem },
        { "{meaning}", values->meaning }, { "{code}", values->code },
        { "{code_meaning}", values->code_meaning },
    };

    for (const char *cursor = template; *cursor != '\0';) {
        const char *open = strchr(cursor, '{');
        if (open == NULL) {
            g_string_append(output, cursor);
            break;
        }
        g_string_append_len(output, cursor, open - cursor);
        gsize index = 0;
        while (index < G_N_ELEMENTS(placeholders) &&
               strncmp(open, placeholders[index].name, strlen(placeholders[index].name)) != 0)
            index++;
        if (index == G_N_ELEMENTS(placeholders))
            return FALSE;
        g_string_append(output, placeholders[index].value);
        cursor = open + strlen(placeholders[index].name);
    }
    return TRUE;
}

/* [words]: the sentence that an explanation by a word rule is made of. Every placeholder but
 * {code} must be there, in every language, and no other. */
static gboolean load_word_template(catalog *self, GKeyFile *file, const char *group, GError **error)
{
    static const char *const allowed[] = { "explanation", NULL };
    static const char *const required[] = { "{words}", "{problem}", "{meaning}", "{code_meaning}" };
    const word_template_values probe = { "", "", "", "", "" };

    if (self->word_template != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    if (!check_keys(file, group, allowed, error) ||
        !read_localized(self, file, group, "explanation", TRUE, &self->word_template, error))
        return FALSE;
    for (unsigned language = 0; language < self->language_count; language++) {
        const char *template = self->word_template[language];
        GString *expanded = g_string_new(NULL);
        gboolean ok = expand_word_template(expanded, template, &probe);
        g_string_free(expanded, TRUE);
        for (gsize index = 0; index < G_N_ELEMENTS(required) && ok; index++)
            ok = strstr(template, required[index]) != NULL;
        if (!ok) {
            g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                        "[%s] explanation (%s) must have {words}, {problem}, {meaning} and {code_meaning}, "
                        "may have {code}, and no other {...}", group, self->language_codes[language]);
            return FALSE;
        }
    }
    return TRUE;
}

/* Adds one listed word of a rule; a word may belong to one rule only. */
static gboolean add_rule_word(catalog *self, const char *group, const word_rule *rule, unsigned rule_index,
                              const char *listed, GError **error)
{
    char normalized[WORDS_SIZE];
    int count = normalize_words(listed, strlen(listed), normalized, sizeof normalized);
    const word_entry *other;
    word_entry *entry;

    if (count <= 0 || count > WORD_SPAN_MAX || strlen(normalized) > CATALOG_PHRASE_MAX) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] \"%s\" is not 1 to %d words of UTF-8 text", group, listed, WORD_SPAN_MAX);
        return FALSE;
    }
    other = g_hash_table_lookup(self->words, normalized);
    if (other != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] \"%s\" is already a word of [words %s]", group, listed, other->rule->name);
        return FALSE;
    }
    if (self->word_count == WORD_ENTRY_MAX) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "more than %d words in word rules",
                    WORD_ENTRY_MAX);
        return FALSE;
    }
    entry = g_new0(word_entry, 1);
    entry->id = self->word_count++;
    entry->rule_index = rule_index;
    entry->rule = rule;
    entry->word = g_string_chunk_insert(self->strings, listed);
    char *source = g_strdup_printf("word rule: %s (%s)", rule->name, listed);
    entry->source = g_string_chunk_insert(self->strings, source);
    g_free(source);
    g_hash_table_insert(self->words, g_string_chunk_insert(self->strings, normalized), entry);
    self->longest_word_span = MAX(self->longest_word_span, (unsigned)count);
    return TRUE;
}

/* The words of a rule: "words" and every "words[xx]", lists separated by ";". */
static gboolean load_rule_words(catalog *self, GKeyFile *file, const char *group, const word_rule *rule,
                                unsigned rule_index, GError **error)
{
    gchar **keys = g_key_file_get_keys(file, group, NULL, NULL);
    unsigned added = 0;
    gboolean ok = TRUE;

    for (gsize index = 0; keys != NULL && keys[index] != NULL && ok; index++) {
        if (strncmp(keys[index], "words", 5) != 0 || (keys[index][5] != '\0' && keys[index][5] != '['))
            continue;
        gchar **listed = g_key_file_get_string_list(file, group, keys[index], NULL, NULL);
        for (gsize word = 0; listed != NULL && listed[word] != NULL && ok; word++) {
            g_strstrip(listed[word]);
            if (listed[word][0] == '\0')
                continue;
            ok = add_rule_word(self, group, rule, rule_index, listed[word], error);
            added++;
        }
        g_strfreev(listed);
    }
    g_strfreev(keys);
    if (ok && added == 0) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] lists no words", group);
        ok = FALSE;
    }
    return ok;
}

/* [words NAME]: a word rule, named in the source of what it explains. */
static gboolean load_word_rule(catalog *self, GKeyFile *file, const char *group, const char *name, GError **error)
{
    static const char *const allowed[] = { "problem", "explanation", "advice", "words", NULL };
    word_rule *rule = g_new0(word_rule, 1);

    g_ptr_array_add(self->word_rules, rule);
    rule->name = g_string_chunk_insert(self->strings, name);
    return check_keys(file, group, allowed, error) &&
           read_localized(self, file, group, "problem", TRUE, &rule->problem, error) &&
           read_localized(self, file, group, "explanation", TRUE, &rule->explanation, error) &&
           read_localized(self, file, group, "advice", TRUE, &rule->advice, error) &&
           load_rule_words(self, file, group, rule, self->word_rules->len - 1, error);
}

/* Group kinds: "4xx" class, "403" code, "403 Wrong Guess" phrase, "Q.850 16" cause,
 * "words" the word rules' sentence, "words NAME" a word rule. Phrases are loaded in a second
 * pass (second_pass) so that they can be checked against the codes. */
static gboolean load_group(catalog *self, GKeyFile *file, const char *group, gboolean second_pass, GError **error)
{
    gsize length = strlen(group);
    unsigned number;

    if (length == 3 && group[0] >= '1' && group[0] <= '6' && group[1] == 'x' && group[2] == 'x')
        return second_pass || load_class(self, file, group, (unsigned)(group[0] - '0'), error);
    if (g_str_has_prefix(group, "Q.850 ") && parse_decimal(group + 6, length - 6, &number) &&
        number >= 1 && number <= Q850_CAUSE_LAST)
        return second_pass || load_q850_cause(self, file, group, number, error);
    if (strcmp(group, "words") == 0)
        return second_pass || load_word_template(self, file, group, error);
    if (g_str_has_prefix(group, "words ") && group[6] != '\0' && group[6] != ' ' && group[length - 1] != ' ')
        return second_pass || load_word_rule(self, file, group, group + 6, error);
    if (length >= 3 && parse_decimal(group, 3, &number) && number >= CODE_FIRST && number <= CODE_LAST) {
        if (length == 3)
            return second_pass || load_code(self, file, group, number, error);
        if (group[3] == ' ')
            return !second_pass || load_phrase(self, file, group, number, group + 4, error);
    }
    g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                "[%s] is neither a class, a code, a phrase, a word rule nor a Q.850 cause", group);
    return FALSE;
}

static gboolean load_key_file(catalog *self, GKeyFile *file, GError **error)
{
    gchar **groups = g_key_file_get_groups(file, NULL);
    gboolean ok = find_languages(self, file, error);

    for (int pass = 0; pass < 2 && ok; pass++) {
        for (gsize index = 0; groups[index] != NULL && ok; index++)
            ok = load_group(self, file, groups[index], pass == 1, error);
    }
    g_strfreev(groups);
    for (unsigned class_digit = 1; class_digit <= CLASS_COUNT && ok; class_digit++) {
        if (self->classes[class_digit - 1].standard_phrase == NULL) {
            g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "class [%uxx] is missing", class_digit);
            ok = FALSE;
        }
    }
    if (ok && self->word_rules->len > 0 && self->word_template == NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "word rules need a [words] group");
        ok = FALSE;
    }
    return ok;
}

static void user_entry_free(gpointer data)
{
    user_entry *entry = data;

    for (unsigned language = 0; language < entry->count; language++)
        g_free(entry->explanation[language]);
    g_free(entry);
}

catalog *catalog_new_from_data(const char *data, gsize length, GError **error)
{
    catalog *self = g_new0(catalog, 1);
    GKeyFile *file = g_key_file_new();
    gboolean ok;

    self->strings = g_string_chunk_new(16384);
    self->text_arrays = g_ptr_array_new_with_free_func(g_free);
    self->phrases = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    self->user_entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, user_entry_free);
    self->word_rules = g_ptr_array_new_with_free_func(g_free);
    self->words = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    self->word_texts = g_hash_table_new(g_direct_hash, g_direct_equal);
    self->word_text_strings = g_string_chunk_new(4096);
    /* KEEP_TRANSLATIONS: otherwise GKeyFile drops translations not matching the current locale. */
    ok = g_key_file_load_from_data(file, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, error) &&
         load_key_file(self, file, error);
    g_key_file_free(file);
    if (!ok) {
        catalog_free(self);
        return NULL;
    }
    return self;
}

catalog *catalog_new_builtin(GError **error)
{
    gsize length;
    const char *data = catalog_builtin_data(&length);

    return catalog_new_from_data(data, length, error);
}

void catalog_free(catalog *self)
{
    if (self == NULL)
        return;
    g_hash_table_destroy(self->word_texts);
    g_string_chunk_free(self->word_text_strings);
    g_hash_table_destroy(self->words);
    g_ptr_array_free(self->word_rules, TRUE);
    g_hash_table_destroy(self->user_entries);
    g_hash_table_destroy(self->phrases);
    g_ptr_array_free(self->text_arrays, TRUE);
    g_string_chunk_free(self->strings);
    g_free(self);
}

/* ---- user entries ----------------------------------------------------- */

void catalog_clear_user_entries(catalog *self)
{
    g_hash_table_remove_all(self->user_entries);
}

gboolean catalog_add_user_entry(catalog *self, unsigned code, const char *phrase,
                                siptxn_language language, const char *explanation, GError **error)
{
    char key[KEY_SIZE];
    user_entry *entry;
    char *text;

    if (phrase == NULL)
        phrase = "";
    if (code < CODE_FIRST || code > CODE_LAST) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY, "status code %u is outside 100..699", code);
        return FALSE;
    }
    if ((unsigned)language > self->language_count) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY, "unknown language %d", (int)language);
        return FALSE;
    }
    if (!g_utf8_validate(phrase, -1, NULL) || !build_key(code, phrase, strlen(phrase), key)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY,
                    "the phrase is not UTF-8 or longer than %d bytes", CATALOG_PHRASE_MAX);
        return FALSE;
    }
    if (explanation == NULL || !g_utf8_validate(explanation, -1, NULL)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY, "the explanation is missing or not UTF-8");
        return FALSE;
    }
    text = g_strstrip(g_strdup(explanation));
    if (text[0] == '\0') {
        g_free(text);
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_ENTRY, "the explanation is empty");
        return FALSE;
    }
    entry = g_hash_table_lookup(self->user_entries, key);
    if (entry == NULL) {
        entry = g_malloc0(sizeof *entry + (self->language_count + 1) * sizeof entry->explanation[0]);
        entry->count = self->language_count + 1;
        g_hash_table_insert(self->user_entries, g_strdup(key), entry);
    }
    g_free(entry->explanation[language]);
    entry->explanation[language] = text;
    return TRUE;
}

/* The user text for key in the language at language_index, or NULL. */
static const char *user_explanation(const catalog *self, const char *key, unsigned language_index)
{
    const user_entry *entry;

    if (g_hash_table_size(self->user_entries) == 0)
        return NULL;
    entry = g_hash_table_lookup(self->user_entries, key);
    if (entry == NULL)
        return NULL;
    if (entry->explanation[language_index + 1] != NULL)
        return entry->explanation[language_index + 1];
    return entry->explanation[SIPTXN_LANGUAGE_AUTO];
}

/* ---- lookups ---------------------------------------------------------- */

/* The word-rule word in a folded phrase whose rule comes first in the file; the earliest in the
 * phrase among that rule's words. Words are matched whole, several words in a row as listed. */
static const word_entry *find_rule_word(const catalog *self, const char *folded_phrase)
{
    char words[WORDS_SIZE];
    char span[WORDS_SIZE];
    gsize starts[CATALOG_PHRASE_MAX + 1];
    gsize ends[CATALOG_PHRASE_MAX + 1];
    const word_entry *best = NULL;
    gsize position = 0;
    int count;

    if (self->word_count == 0)
        return NULL;
    count = normalize_words(folded_phrase, strlen(folded_phrase), words, sizeof words);
    if (count <= 0 || count > CATALOG_PHRASE_MAX + 1)
        return NULL;
    /* Where each word starts and ends: they are one space apart. */
    for (gsize word = 0; word < (gsize)count; word++) {
        starts[word] = position;
        while (words[position] != ' ' && words[position] != '\0')
            position++;
        ends[word] = position++;
    }
    for (gsize first = 0; first < (gsize)count; first++) {
        for (gsize span_words = MIN((gsize)self->longest_word_span, (gsize)count - first); span_words > 0;
             span_words--) {
            gsize length = ends[first + span_words - 1] - starts[first];
            memcpy(span, words + starts[first], length);
            span[length] = '\0';
            const word_entry *entry = g_hash_table_lookup(self->words, span);
            if (entry != NULL && (best == NULL || entry->rule_index < best->rule_index))
                best = entry;
        }
    }
    return best;
}

/* "The phrase is not in the catalog; its words (password) point to an authentication problem: ..."
 * made once per word, code and language from the [words] sentence, and kept with the catalog:
 * at most the words of the rules times 600 codes times the languages. */
static const char *word_rule_text(const catalog *self, const word_entry *entry, unsigned code,
                                  const char *code_meaning, unsigned language)
{
    guint key = ((entry->id * CODE_COUNT + (code - CODE_FIRST)) * LANGUAGE_MAX + language) + 1;
    const char *text = g_hash_table_lookup(self->word_texts, GUINT_TO_POINTER(key));
    char code_text[4];

    if (text != NULL)
        return text;
    g_snprintf(code_text, sizeof code_text, "%u", code);
    word_template_values values = {
        .words = entry->word,
        .problem = entry->rule->problem[language],
        .meaning = entry->rule->explanation[language],
        .code = code_text,
        .code_meaning = code_meaning,
    };
    GString *composed = g_string_new(NULL);
    expand_word_template(composed, self->word_template[language], &values);   /* checked when loaded */
    text = g_string_chunk_insert(self->word_text_strings, composed->str);
    g_string_free(composed, TRUE);
    g_hash_table_insert(self->word_texts, GUINT_TO_POINTER(key), (gpointer)text);
    return text;
}

/* Whether the folded phrase is the code's standard phrase but for case, spacing and punctuation
 * ("server timeout" for "Server Time-out"). */
static gboolean is_standard_phrase(const code_entry *code_found, const char *folded_phrase)
{
    char compact[WORDS_SIZE];

    if (strcmp(folded_phrase, code_found->folded_standard_phrase) == 0)
        return TRUE;
    return compact_phrase(folded_phrase, compact, sizeof compact) &&
           strcmp(compact, code_found->compact_standard_phrase) == 0;
}

/* Precedence: user phrase, built-in phrase, user code, word rule, built-in code, class.
 * Unknown codes take the meaning of their class's x00 code, unknown 1xx that of 183
 * (RFC 3261 section 8.1.3.2). Word rules explain failures only: in a 1xx, 2xx or 3xx the same
 * words describe progress or a redirection, not a problem. */
gboolean catalog_explain(const catalog *self, unsigned code, const char *phrase, gsize phrase_length,
                         siptxn_language language, catalog_explanation *out)
{
    char key[KEY_SIZE];
    char code_key[5];
    unsigned index = language_index(self, language);
    const class_entry *class_found;
    const code_entry *code_found;
    const phrase_entry *phrase_found;
    const word_entry *word_found;
    const char *fallback_advice;
    const char *text;
    gboolean have_phrase;

    memset(out, 0, sizeof *out);
    if (code < CODE_FIRST || code > CODE_LAST)
        return FALSE;
    if (phrase == NULL)
        phrase_length = 0;
    class_found = &self->classes[code / 100 - 1];
    code_found = &self->codes[code - CODE_FIRST];
    if (!code_found->present)
        code_found = NULL;
    have_phrase = build_key(code, phrase, phrase_length, key) && key[4] != '\0';

    out->code = code;
    out->class_name = class_found->name[index];
    out->standard_phrase = code_found != NULL ? code_found->standard_phrase : class_found->standard_phrase;
    out->phrase_is_standard = have_phrase && code_found != NULL && is_standard_phrase(code_found, key + 4);
    fallback_advice = code_found != NULL ? code_found->advice[index] : class_found->advice[index];
    out->advice = fallback_advice;

    if (have_phrase && (text = user_explanation(self, key, index)) != NULL) {
        out->match = CATALOG_MATCH_PHRASE;
        out->from_user = TRUE;
        out->explanation = text;
        out->source = "user entry";
        return TRUE;
    }
    if (have_phrase && (phrase_found = g_hash_table_lookup(self->phrases, key)) != NULL) {
        out->match = CATALOG_MATCH_PHRASE;
        out->explanation = phrase_found->explanation[index];
        if (phrase_found->advice != NULL)
            out->advice = phrase_found->advice[index];
        out->source = phrase_found->source;
        return TRUE;
    }
    memcpy(code_key, key, 4);
    code_key[4] = '\0';
    if ((text = user_explanation(self, code_key, index)) != NULL) {
        out->match = out->phrase_is_standard ? CATALOG_MATCH_PHRASE : CATALOG_MATCH_CODE;
        out->from_user = TRUE;
        out->explanation = text;
        out->source = "user entry";
        return TRUE;
    }
    if (have_phrase && !out->phrase_is_standard && code >= 400 &&
        (word_found = find_rule_word(self, key + 4)) != NULL) {
        out->match = code_found != NULL ? CATALOG_MATCH_CODE : CATALOG_MATCH_CLASS;
        out->explanation = word_rule_text(self, word_found, code,
                                          code_found != NULL ? code_found->explanation[index]
                                                             : class_found->explanation[index],
                                          index);
        out->advice = word_found->rule->advice[index];
        out->source = word_found->source;
        out->word_rule = word_found->rule->name;
        out->word = word_found->word;
        return TRUE;
    }
    if (code_found != NULL) {
        out->match = out->phrase_is_standard ? CATALOG_MATCH_PHRASE : CATALOG_MATCH_CODE;
        out->explanation = code_found->explanation[index];
        out->source = code_found->source;
        return TRUE;
    }
    out->match = CATALOG_MATCH_CLASS;
    out->explanation = class_found->explanation[index];
    out->source = "RFC 3261 section 8.1.3.2";
    return TRUE;
}

const char *catalog_q850_cause(const catalog *self, unsigned cause, siptxn_language language)
{
    if (cause > Q850_CAUSE_LAST || self->q850_causes[cause] == NULL)
        return NULL;
    return self->q850_causes[cause][language_index(self, language)];
}
