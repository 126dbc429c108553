/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_sentences.c: the sentence data a translator edits: a third language is
 * copy the keys, translate, rebuild; broken data is refused with the reason. */

#include <string.h>

#include <glib.h>

#include "sentences.h"

/* The built-in data with every sentence also in a made-up language "eo": the
 * English text behind "EO: ", so the placeholders stay the same.  skip names a
 * group left without it (NULL: none). */
static gchar *with_esperanto(const char *skip, gsize *length)
{
    gsize size;
    const char *data = sentences_builtin_data(&size);
    GKeyFile *file = g_key_file_new();
    g_assert_true(g_key_file_load_from_data(file, data, size, G_KEY_FILE_KEEP_TRANSLATIONS | G_KEY_FILE_KEEP_COMMENTS,
                                            NULL));
    gchar **groups = g_key_file_get_groups(file, NULL);
    for (gsize i = 0; groups[i]; i++) {
        if (skip && strcmp(groups[i], skip) == 0)
            continue;
        gchar *english = g_key_file_get_string(file, groups[i], "text", NULL);
        gchar *translated = g_strconcat("EO: ", english, NULL);
        g_key_file_set_string(file, groups[i], "text[eo]", translated);
        g_free(translated);
        g_free(english);
    }
    g_strfreev(groups);
    gchar *result = g_key_file_to_data(file, length, NULL);
    g_key_file_free(file);
    return result;
}

static void test_builtin_languages(void)
{
    const sentences *builtin = sentences_builtin();
    g_assert_cmpuint(sentences_language_count(builtin), ==, 2);
    g_assert_cmpstr(sentences_language_code(builtin, SIPTXN_LANGUAGE_ENGLISH), ==, "en");
    g_assert_cmpstr(sentences_language_code(builtin, SIPTXN_LANGUAGE_RUSSIAN), ==, "ru");
    g_assert_null(sentences_language_code(builtin, (siptxn_language)3));
    /* A language the data lacks reads as English. */
    g_assert_cmpstr(sentence_text(builtin, SENTENCE_NOTE_EMPTY_PHRASE, (siptxn_language)3), ==,
                    sentence_text(builtin, SENTENCE_NOTE_EMPTY_PHRASE, SIPTXN_LANGUAGE_ENGLISH));
}

/* Copy the keys, translate, rebuild: the third language is language 3. */
static void test_third_language(void)
{
    gsize length;
    gchar *data = with_esperanto(NULL, &length);
    GError *error = NULL;
    sentences *loaded = sentences_new_from_data(data, length, &error);
    g_assert_no_error(error);
    g_assert_nonnull(loaded);
    g_assert_cmpuint(sentences_language_count(loaded), ==, 3);
    g_assert_cmpstr(sentences_language_code(loaded, (siptxn_language)3), ==, "eo");
    GString *text = g_string_new(NULL);
    const sentence_value values[] = { SENTENCE_NUMBER("transaction", 7) };
    sentence_append(text, loaded, SENTENCE_REQUEST_INVITE, (siptxn_language)3, values, G_N_ELEMENTS(values));
    g_assert_true(g_str_has_prefix(text->str, "EO: "));
    g_assert_nonnull(strstr(text->str, "7"));
    g_assert_null(strstr(text->str, "{transaction}"));
    g_string_free(text, TRUE);
    sentences_free(loaded);
    g_free(data);
}

/* A sentence missing in one language: the data is refused, naming the key. */
static void test_missing_translation_refused(void)
{
    gsize length;
    gchar *data = with_esperanto("note.empty_phrase", &length);
    GError *error = NULL;
    g_assert_null(sentences_new_from_data(data, length, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "[note.empty_phrase] text[eo]"));
    g_error_free(error);
    g_free(data);
}

/* A translation must keep the placeholders, and keys are text or text[LANGUAGE] only. */
static void test_placeholders_and_keys_checked(void)
{
    gsize size;
    const char *builtin = sentences_builtin_data(&size);
    gchar *renamed = g_strdup(builtin);
    /* The Russian narrative of an INVITE loses its {transaction}. */
    gchar *at = strstr(renamed, "[narrative.request.invite]");
    g_assert_nonnull(at);
    gchar *russian = strstr(at, "text[ru]=");
    gchar *placeholder = strstr(russian, "{transaction}");
    g_assert_nonnull(placeholder);
    memcpy(placeholder, "N            ", 13);
    GError *error = NULL;
    g_assert_null(sentences_new_from_data(renamed, strlen(renamed), &error));
    g_assert_nonnull(strstr(error->message, "same placeholders"));
    g_clear_error(&error);
    g_free(renamed);

    gchar *unknown = g_strconcat(builtin, "\n[note.empty_phrase]\ntxt=typo\n", NULL);
    g_assert_null(sentences_new_from_data(unknown, strlen(unknown), &error));
    g_assert_nonnull(strstr(error->message, "unknown key txt"));
    g_clear_error(&error);
    g_free(unknown);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sentences/builtin-languages", test_builtin_languages);
    g_test_add_func("/sentences/third-language", test_third_language);
    g_test_add_func("/sentences/missing-translation-refused", test_missing_translation_refused);
    g_test_add_func("/sentences/placeholders-and-keys-checked", test_placeholders_and_keys_checked);
    return g_test_run();
}
