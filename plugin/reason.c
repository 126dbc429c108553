/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reason.c: explains a response's status code, reason phrase and Reason header
 * from the phrase catalog, in the chosen language; and the "SIP reason phrases"
 * UAT through which users add or override explanations without recompiling. */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/uat.h>

#include "catalog.h"
#include "fields.h"
#include "reason.h"
#include "render.h"
#include "sentences.h"
#include "textformat.h"

static catalog *phrase_catalog;
static gboolean phrase_catalog_failed;

static catalog *current_catalog(void)
{
    if (!phrase_catalog && !phrase_catalog_failed) {
        GError *error = NULL;
        phrase_catalog = catalog_new_builtin(&error);
        if (!phrase_catalog) {
            phrase_catalog_failed = TRUE;
            g_warning("siptxn: the built-in reason-phrase catalog is unusable: %s",
                      error ? error->message : "unknown error");
            g_clear_error(&error);
        }
    }
    return phrase_catalog;
}

static siptxn_language resolved_language = SIPTXN_LANGUAGE_ENGLISH;

/* Preference 0/1/2 are the catalog's AUTO/ENGLISH/RUSSIAN; AUTO reads the locale
 * once per capture, not once per message, and finds any language of the catalog
 * (a third one added to reasons.ini and sentences.ini is chosen by LANGUAGE). */
void reason_choose_language(void)
{
    const catalog *phrases = current_catalog();
    if (siptxn_pref_language == SIPTXN_LANGUAGE_ENGLISH || siptxn_pref_language == SIPTXN_LANGUAGE_RUSSIAN)
        resolved_language = (siptxn_language)siptxn_pref_language;
    else
        resolved_language = phrases ? catalog_language_for_locale(phrases) : catalog_language_from_locale();
}

static siptxn_language chosen_language(void)
{
    return resolved_language;
}

int reason_language(void)
{
    return resolved_language;
}

/* Text shown in the tree must be valid UTF-8 whatever bytes the wire had. */
static const char *printable(packet_info *pinfo, const char *text)
{
    if (!text || g_utf8_validate(text, -1, NULL))
        return text;
    gchar *valid = g_utf8_make_valid(text, -1);
    const char *copy = wmem_strdup(pinfo->pool, valid);
    g_free(valid);
    return copy;
}

static void add_text(proto_tree *tree, int field, tvbuff_t *tvb, const char *value)
{
    if (value)
        render_add_text(tree, field, tvb, value, NULL);
}

/* How much of an odd phrase a label or an expert info quotes, in characters
 * and bytes (sentences.ini: an expert info stays within one label); the tree
 * shows it whole under "Phrase sent". */
#define PHRASE_PREVIEW 60

static void render_reason_header(proto_tree *tree, tvbuff_t *tvb, const sipmsg_reason *causes,
                                 const catalog *phrases, siptxn_language language)
{
    if (causes->has_q850_cause) {
        proto_item *item = proto_tree_add_uint(tree, hf_siptxn_reason_q850_cause, tvb, 0, 0, causes->q850_cause);
        proto_item_set_generated(item);
        add_text(tree, hf_siptxn_reason_q850_explanation, tvb,
                 catalog_q850_cause(phrases, causes->q850_cause, language));
    }
    if (causes->has_sip_cause) {
        proto_item *item = proto_tree_add_uint(tree, hf_siptxn_reason_sip_cause, tvb, 0, 0, causes->sip_cause);
        proto_item_set_generated(item);
        catalog_explanation cause;
        if (catalog_explain(phrases, causes->sip_cause, NULL, 0, language, &cause))
            add_text(tree, hf_siptxn_reason_sip_explanation, tvb, cause.explanation);
    }
}

void render_reason(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const stored_message *message)
{
    const catalog *phrases = current_catalog();
    siptxn_language language = chosen_language();
    catalog_explanation meaning;
    const char *phrase = message->reason_phrase ? message->reason_phrase : "";

    if (!phrases || !catalog_explain(phrases, message->status_code, phrase, strlen(phrase), language, &meaning))
        return;

    proto_item *root = proto_tree_add_item(tree, proto_siptxn, tvb, 0, 0, ENC_NA);
    static GString *label;
    if (!label)
        label = g_string_sized_new(64);
    g_string_truncate(label, 0);
    text_append_format(label, "Reason phrase: %u ", message->status_code);
    render_append_preview(label, printable(pinfo, phrase), PHRASE_PREVIEW, PHRASE_PREVIEW);
    proto_item_set_text(root, "%s", label->str);
    proto_tree *reason = proto_item_add_subtree(root, ett_siptxn_reason);

    add_text(reason, hf_siptxn_reason_class, tvb, meaning.class_name);
    add_text(reason, hf_siptxn_reason_standard_phrase, tvb, meaning.standard_phrase);
    /* Why a word rule, the code's or the class's meaning applies (sentences.ini). */
    sentence_id note = SENTENCE_COUNT;
    if (phrase[0] == '\0')
        note = SENTENCE_NOTE_EMPTY_PHRASE;
    else if (meaning.match == CATALOG_MATCH_CLASS)
        note = SENTENCE_NOTE_UNKNOWN_CODE;
    else if (meaning.word_rule)
        note = SENTENCE_NOTE_WORD_RULE;
    else if (meaning.match == CATALOG_MATCH_CODE)
        note = SENTENCE_NOTE_UNKNOWN_PHRASE;
    static GString *note_text;
    if (!note_text)
        note_text = g_string_sized_new(128);
    g_string_truncate(note_text, 0);
    if (note < SENTENCE_COUNT) {
        const sentence_value word[] = { SENTENCE_TEXT("word", meaning.word) };
        sentence_append(note_text, sentences_builtin(), note, language, word, G_N_ELEMENTS(word));
    }
    render_add_text(reason, hf_siptxn_reason_phrase, tvb, printable(pinfo, phrase),
                    note < SENTENCE_COUNT ? note_text->str : NULL);
    add_text(reason, hf_siptxn_reason_explanation, tvb, meaning.explanation);
    add_text(reason, hf_siptxn_reason_advice, tvb, meaning.advice);
    add_text(reason, hf_siptxn_reason_source, tvb, meaning.source);
    proto_item *nonstandard = proto_tree_add_boolean(reason, hf_siptxn_reason_nonstandard, tvb, 0, 0,
                                                     !meaning.phrase_is_standard);
    proto_item_set_generated(nonstandard);
    if (!meaning.phrase_is_standard && phrase[0] != '\0') {
        g_string_truncate(label, 0);
        render_append_preview(label, printable(pinfo, phrase), PHRASE_PREVIEW, PHRASE_PREVIEW);
        const sentence_value values[] = {
            SENTENCE_TEXT("phrase", label->str),
            SENTENCE_NUMBER("code", message->status_code),
            SENTENCE_TEXT("standard", meaning.standard_phrase ? meaning.standard_phrase : ""),
        };
        render_add_expert(pinfo, nonstandard, &ei_siptxn_nonstandard_phrase, SENTENCE_EXPERT_NONSTANDARD_PHRASE_OF,
                          values, G_N_ELEMENTS(values));
    }
    render_reason_header(reason, tvb, &stored_message_details(message)->reason, phrases, language);
}

/* ---------- the "SIP reason phrases" UAT ---------- */

/* One user row: a code, a phrase (empty: the code itself), a language, a text. */
typedef struct {
    guint code;
    gchar *phrase;
    gchar *language;
    gchar *explanation;
} user_phrase;

static user_phrase *user_phrases;
static guint user_phrase_count;

static void *user_phrase_copy(void *destination, const void *source, size_t length _U_)
{
    user_phrase *to = destination;
    const user_phrase *from = source;
    to->code = from->code;
    to->phrase = g_strdup(from->phrase);
    to->language = g_strdup(from->language);
    to->explanation = g_strdup(from->explanation);
    return to;
}

static void user_phrase_free(void *record)
{
    user_phrase *doomed = record;
    g_free(doomed->phrase);
    g_free(doomed->language);
    g_free(doomed->explanation);
}

static siptxn_language language_of(const char *name)
{
    if (!name || !*name || g_ascii_strcasecmp(name, "any") == 0 || g_ascii_strcasecmp(name, "auto") == 0)
        return SIPTXN_LANGUAGE_AUTO;
    if (g_ascii_strncasecmp(name, "ru", 2) == 0)
        return SIPTXN_LANGUAGE_RUSSIAN;
    return SIPTXN_LANGUAGE_ENGLISH;
}

static siptxn_uat_bool user_phrase_check(void *record, char **error)
{
    const user_phrase *row = record;
    if (row->code < 100 || row->code > 699) {
        *error = g_strdup_printf("Status code %u is outside 100-699 (RFC 3261 \xC2\xA7" "7.2)", row->code);
        return FALSE;
    }
    if (row->language && *row->language && g_ascii_strcasecmp(row->language, "en") != 0 &&
        g_ascii_strcasecmp(row->language, "ru") != 0 && g_ascii_strcasecmp(row->language, "any") != 0) {
        *error = g_strdup_printf("Language \"%s\" is not one of en, ru, any", row->language);
        return FALSE;
    }
    if (!row->explanation || !*row->explanation) {
        *error = g_strdup("The explanation is empty");
        return FALSE;
    }
    return TRUE;
}

static void user_phrases_apply(void)
{
    catalog *phrases = current_catalog();
    if (!phrases)
        return;
    catalog_clear_user_entries(phrases);
    for (guint i = 0; i < user_phrase_count; i++) {
        GError *error = NULL;
        const user_phrase *row = &user_phrases[i];
        if (!catalog_add_user_entry(phrases, row->code, row->phrase, language_of(row->language), row->explanation,
                                    &error)) {
            g_warning("siptxn: SIP reason phrases row %u ignored: %s", i + 1, error ? error->message : "invalid");
            g_clear_error(&error);
        }
    }
}

UAT_DEC_CB_DEF(user_phrases, code, user_phrase)
UAT_CSTRING_CB_DEF(user_phrases, phrase, user_phrase)
UAT_CSTRING_CB_DEF(user_phrases, language, user_phrase)
UAT_CSTRING_CB_DEF(user_phrases, explanation, user_phrase)

void reason_register_user_table(module_t *siptxn_module)
{
    static uat_field_t columns[] = {
        UAT_FLD_DEC(user_phrases, code, "Code", "SIP status code, 100-699"),
        UAT_FLD_CSTRING(user_phrases, phrase, "Phrase",
                        "Reason phrase as sent (case and runs of spaces do not matter); empty: the code itself"),
        UAT_FLD_CSTRING(user_phrases, language, "Language", "en, ru, or any"),
        UAT_FLD_CSTRING(user_phrases, explanation, "Explanation", "What the code and phrase mean"),
        UAT_END_FIELDS
    };
    uat_t *table = uat_new("SIP reason phrases", sizeof(user_phrase), "siptxn_reason_phrases", TRUE,
                           &user_phrases, &user_phrase_count, UAT_AFFECTS_DISSECTION, NULL,
                           user_phrase_copy, user_phrase_check, user_phrase_free, user_phrases_apply, NULL,
                           columns);
    prefs_register_uat_preference(siptxn_module, "reason_phrases", "SIP reason phrases",
                                  "Your own explanations of status codes and reason phrases. "
                                  "They take precedence over the built-in catalog.", table);
}
