/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reason-phrase catalog: loads reasons.ini into lookup tables and explains SIP status lines. */

#include "catalog.h"

#include <string.h>

/* Generated at build time from plugin/catalog/reasons.ini by cmake/catalog.cmake. */
extern const unsigned char catalog_builtin_bytes[];
extern const gsize catalog_builtin_size;

#define LANGUAGE_COUNT 2          /* English, Russian */
#define CLASS_COUNT 6             /* 1xx .. 6xx */
#define CODE_FIRST 100
#define CODE_LAST 699
#define CODE_COUNT (CODE_LAST - CODE_FIRST + 1)
#define Q850_CAUSE_LAST 127
/* "NNN " followed by a folded phrase and a NUL */
#define KEY_SIZE (4 + CATALOG_PHRASE_MAX + 1)

static const char *const language_suffixes[LANGUAGE_COUNT] = { "", "[ru]" };

typedef struct {
    const char *name[LANGUAGE_COUNT];            /* "4xx Client Failure" */
    const char *standard_phrase;
    const char *explanation[LANGUAGE_COUNT];
    const char *advice[LANGUAGE_COUNT];
} class_entry;

typedef struct {
    gboolean present;
    const char *standard_phrase;
    const char *folded_standard_phrase;
    const char *source;
    const char *explanation[LANGUAGE_COUNT];
    const char *advice[LANGUAGE_COUNT];
} code_entry;

typedef struct {
    const char *source;
    const char *explanation[LANGUAGE_COUNT];
    const char *advice[LANGUAGE_COUNT];          /* both NULL when the entry has none */
} phrase_entry;

typedef struct {
    char *explanation[LANGUAGE_COUNT + 1];       /* indexed by siptxn_language; AUTO applies to all */
} user_entry;

struct catalog {
    GStringChunk *strings;                       /* every built-in string */
    class_entry classes[CLASS_COUNT];
    code_entry codes[CODE_COUNT];
    GHashTable *phrases;                         /* "NNN folded phrase" -> phrase_entry */
    GHashTable *user_entries;                    /* "NNN folded phrase" ("NNN " for a code) -> user_entry */
    const char *q850_causes[Q850_CAUSE_LAST + 1][LANGUAGE_COUNT];
};

G_DEFINE_QUARK(siptxn-catalog-error-quark, catalog_error)

siptxn_language catalog_language_from_locale(void)
{
    static const char *const variables[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

    for (gsize index = 0; index < G_N_ELEMENTS(variables); index++) {
        const char *value = g_getenv(variables[index]);
        if (value == NULL || value[0] == '\0')
            continue;
        if (g_ascii_strncasecmp(value, "ru", 2) == 0)
            return SIPTXN_LANGUAGE_RUSSIAN;
        return SIPTXN_LANGUAGE_ENGLISH;
    }
    return SIPTXN_LANGUAGE_ENGLISH;
}

/* Index into the per-language arrays; AUTO follows the locale. */
static unsigned language_index(siptxn_language language)
{
    if (language == SIPTXN_LANGUAGE_AUTO)
        language = catalog_language_from_locale();
    return language == SIPTXN_LANGUAGE_RUSSIAN ? 1 : 0;
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

/* Reads key and its translations into values[LANGUAGE_COUNT]; an optional key must be
 * present in every language or in none. */
static gboolean read_localized(catalog *self, GKeyFile *file, const char *group, const char *key,
                               gboolean required, const char **values, GError **error)
{
    unsigned present = 0;

    for (unsigned language = 0; language < LANGUAGE_COUNT; language++) {
        char *localized_key = g_strconcat(key, language_suffixes[language], NULL);
        gboolean ok = read_value(self, file, group, localized_key, required, &values[language], error);
        g_free(localized_key);
        if (!ok)
            return FALSE;
        if (values[language] != NULL)
            present++;
    }
    if (present != 0 && present != LANGUAGE_COUNT) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                    "[%s] %s is not given in every language", group, key);
        return FALSE;
    }
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
    const char *names[LANGUAGE_COUNT];

    if (entry->standard_phrase != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    if (!check_keys(file, group, allowed, error) ||
        !read_localized(self, file, group, "name", TRUE, names, error) ||
        !read_value(self, file, group, "phrase", TRUE, &entry->standard_phrase, error) ||
        !read_localized(self, file, group, "explanation", TRUE, entry->explanation, error) ||
        !read_localized(self, file, group, "advice", TRUE, entry->advice, error))
        return FALSE;
    for (unsigned language = 0; language < LANGUAGE_COUNT; language++) {
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

    if (entry->present) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    if (!check_keys(file, group, allowed, error) ||
        !read_value(self, file, group, "phrase", TRUE, &entry->standard_phrase, error) ||
        !read_value(self, file, group, "source", TRUE, &entry->source, error) ||
        !read_localized(self, file, group, "explanation", TRUE, entry->explanation, error) ||
        !read_localized(self, file, group, "advice", TRUE, entry->advice, error))
        return FALSE;
    if (!fold_phrase(entry->standard_phrase, strlen(entry->standard_phrase), folded, sizeof folded)) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] phrase is too long", group);
        return FALSE;
    }
    entry->folded_standard_phrase = g_string_chunk_insert(self->strings, folded);
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
        !read_localized(self, file, group, "explanation", TRUE, entry->explanation, error) ||
        !read_localized(self, file, group, "advice", FALSE, entry->advice, error)) {
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

    if (self->q850_causes[cause][0] != NULL) {
        g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA, "[%s] appears twice", group);
        return FALSE;
    }
    return check_keys(file, group, allowed, error) &&
           read_localized(self, file, group, "meaning", TRUE, self->q850_causes[cause], error);
}

/* Group kinds: "4xx" class, "403" code, "403 Wrong Guess" phrase, "Q.850 16" cause.
 * Phrases are loaded in a second pass (second_pass) so that they can be checked against the codes. */
static gboolean load_group(catalog *self, GKeyFile *file, const char *group, gboolean second_pass, GError **error)
{
    gsize length = strlen(group);
    unsigned number;

    if (length == 3 && group[0] >= '1' && group[0] <= '6' && group[1] == 'x' && group[2] == 'x')
        return second_pass || load_class(self, file, group, (unsigned)(group[0] - '0'), error);
    if (g_str_has_prefix(group, "Q.850 ") && parse_decimal(group + 6, length - 6, &number) &&
        number >= 1 && number <= Q850_CAUSE_LAST)
        return second_pass || load_q850_cause(self, file, group, number, error);
    if (length >= 3 && parse_decimal(group, 3, &number) && number >= CODE_FIRST && number <= CODE_LAST) {
        if (length == 3)
            return second_pass || load_code(self, file, group, number, error);
        if (group[3] == ' ')
            return !second_pass || load_phrase(self, file, group, number, group + 4, error);
    }
    g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_DATA,
                "[%s] is neither a class, a code, a phrase nor a Q.850 cause", group);
    return FALSE;
}

static gboolean load_key_file(catalog *self, GKeyFile *file, GError **error)
{
    gchar **groups = g_key_file_get_groups(file, NULL);
    gboolean ok = TRUE;

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
    return ok;
}

static void user_entry_free(gpointer data)
{
    user_entry *entry = data;

    for (unsigned language = 0; language <= LANGUAGE_COUNT; language++)
        g_free(entry->explanation[language]);
    g_free(entry);
}

catalog *catalog_new_from_data(const char *data, gsize length, GError **error)
{
    catalog *self = g_new0(catalog, 1);
    GKeyFile *file = g_key_file_new();
    gboolean ok;

    self->strings = g_string_chunk_new(16384);
    self->phrases = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    self->user_entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, user_entry_free);
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
    g_hash_table_destroy(self->user_entries);
    g_hash_table_destroy(self->phrases);
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
    if ((unsigned)language > SIPTXN_LANGUAGE_RUSSIAN) {
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
        entry = g_new0(user_entry, 1);
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

/* Precedence: user phrase, built-in phrase, user code, built-in code, class.
 * Unknown codes take the meaning of their class's x00 code (RFC 3261 section 8.1.3.2). */
gboolean catalog_explain(const catalog *self, unsigned code, const char *phrase, gsize phrase_length,
                         siptxn_language language, catalog_explanation *out)
{
    char key[KEY_SIZE];
    char code_key[5];
    unsigned index = language_index(language);
    const class_entry *class_found;
    const code_entry *code_found;
    const phrase_entry *phrase_found;
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
    out->phrase_is_standard = have_phrase && code_found != NULL &&
                              strcmp(key + 4, code_found->folded_standard_phrase) == 0;
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
        if (phrase_found->advice[index] != NULL)
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
    if (cause > Q850_CAUSE_LAST)
        return NULL;
    return self->q850_causes[cause][language_index(language)];
}
