/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_narrative.c: the sentences of sentences.ini (both languages, the same
 * placeholders, what the loader refuses) and the narrative made of them. */

#include <string.h>

#include <glib.h>

#include "stored_capture.h"
#include "narrative.h"
#include "sentences.h"

/* ---------- the data file ---------- */

static sentences *load(const char *data, GError **error)
{
    return sentences_new_from_data(data, strlen(data), error);
}

/* The builtin data with one group's text (or text[ru]) replaced; NULL removes the key. */
static char *builtin_with(const char *group, const char *key, const char *value)
{
    gsize length;
    const char *data = sentences_builtin_data(&length);
    GKeyFile *file = g_key_file_new();
    g_assert_true(g_key_file_load_from_data(file, data, length, G_KEY_FILE_KEEP_TRANSLATIONS, NULL));
    if (value)
        g_key_file_set_string(file, group, key, value);
    else if (key)
        g_key_file_remove_key(file, group, key, NULL);
    else
        g_key_file_remove_group(file, group, NULL);
    char *changed = g_key_file_to_data(file, NULL, NULL);
    g_key_file_free(file);
    return changed;
}

static void assert_refused(char *data, const char *words)
{
    GError *error = NULL;
    sentences *loaded = load(data, &error);
    g_assert_null(loaded);
    g_assert_nonnull(error);
    if (!strstr(error->message, words))
        g_error("\"%s\" does not say \"%s\"", error->message, words);
    g_error_free(error);
    g_free(data);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The placeholder names of a text, sorted, space-separated. */
static char *placeholders_of(const char *text)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (const char *open = strchr(text, '{'); open; open = strchr(open + 1, '{')) {
        const char *close = strchr(open, '}');
        g_assert_nonnull(close);
        char *name = g_strndup(open + 1, (gsize)(close - open - 1));
        gboolean seen = FALSE;
        for (guint i = 0; i < names->len; i++)
            seen = seen || strcmp(names->pdata[i], name) == 0;
        if (seen)
            g_free(name);
        else
            g_ptr_array_add(names, name);
    }
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    char *joined = g_strjoinv(" ", (char **)names->pdata);
    g_ptr_array_unref(names);
    return joined;
}

static gboolean has_cyrillic(const char *text)
{
    for (const char *at = text; *at; at = g_utf8_next_char(at)) {
        gunichar letter = g_utf8_get_char(at);
        if (letter >= 0x0400 && letter <= 0x04FF)
            return TRUE;
    }
    return FALSE;
}

static void test_every_sentence_in_both_languages(void)
{
    gsize length;
    const char *data = sentences_builtin_data(&length);
    GError *error = NULL;
    sentences *loaded = sentences_new_from_data(data, length, &error);
    g_assert_no_error(error);
    g_assert_nonnull(loaded);
    for (int id = 0; id < SENTENCE_COUNT; id++) {
        const char *english = sentence_text(loaded, id, SIPTXN_LANGUAGE_ENGLISH);
        const char *russian = sentence_text(loaded, id, SIPTXN_LANGUAGE_RUSSIAN);
        g_assert_cmpstr(english, !=, "");
        g_assert_cmpstr(russian, !=, "");
        g_assert_false(has_cyrillic(english));
        /* Method and value names read the same in both languages. */
        if (strcmp(english, "ACK") != 0 && strcmp(english, "CANCEL") != 0)
            g_assert_true(has_cyrillic(russian));
    }
    sentences_free(loaded);
}

static void test_both_languages_use_the_same_placeholders(void)
{
    const sentences *builtin = sentences_builtin();
    for (int id = 0; id < SENTENCE_COUNT; id++) {
        char *english = placeholders_of(sentence_text(builtin, id, SIPTXN_LANGUAGE_ENGLISH));
        char *russian = placeholders_of(sentence_text(builtin, id, SIPTXN_LANGUAGE_RUSSIAN));
        if (strcmp(english, russian) != 0)
            g_error("[%s]: {%s} in English, {%s} in Russian", sentence_group(id), english, russian);
        g_free(english);
        g_free(russian);
    }
}

static void test_refuses_a_missing_translation(void)
{
    assert_refused(builtin_with("narrative.cancel", "text[ru]", NULL), "[narrative.cancel] text[ru] is missing");
}

static void test_refuses_different_placeholders(void)
{
    assert_refused(builtin_with("narrative.cancel", "text[ru]", "Этот CANCEL (кадр {frame})."),
                   "both must use the same placeholders");
}

static void test_refuses_an_unknown_placeholder(void)
{
    assert_refused(builtin_with("narrative.ack.copy", "text", "It repeats the ACK of {fram}."),
                   "unknown placeholder {fram}");
    assert_refused(builtin_with("narrative.ack.copy", "text", "It repeats the ACK of {frame."), "without");
}

static void test_refuses_a_group_the_plugin_does_not_know(void)
{
    assert_refused(builtin_with("narrative.request.invte", "text", "Typo."), "[narrative.request.invte] is not");
}

static void test_refuses_a_missing_sentence(void)
{
    assert_refused(builtin_with("expert.final_late", NULL, NULL), "[expert.final_late] is missing");
}

static void test_refuses_an_unknown_key(void)
{
    assert_refused(builtin_with("ack_class.2xx", "texte", "ACK to a 2xx"), "unknown key texte");
    /* A language given for one sentence only: every other sentence lacks it. */
    assert_refused(builtin_with("ack_class.2xx", "text[de]", "ACK auf 2xx"), "text[de] is missing");
}

static void test_append_fills_placeholders(void)
{
    GString *text = g_string_new(NULL);
    const sentence_value values[] = { SENTENCE_NUMBER("frame", 223), SENTENCE_TEXT("method", "INVITE"),
                                      SENTENCE_NUMBER("transaction", 7) };
    sentence_append(text, sentences_builtin(), SENTENCE_REQUEST_COPY, SIPTXN_LANGUAGE_RUSSIAN, values, 3);
    g_assert_true(g_str_has_prefix(text->str, "Этот INVITE — повторная передача запроса из кадра 223: "));
    g_assert_nonnull(strstr(text->str, "относится к транзакции № 7 "));
    g_string_truncate(text, 0);
    const sentence_value unknown[] = { SENTENCE_TEXT("method", NULL) };
    sentence_append(text, sentences_builtin(), SENTENCE_REQUEST_COPY, SIPTXN_LANGUAGE_ENGLISH, unknown, 1);
    g_assert_true(g_str_has_prefix(text->str, "This ? is a re-sent copy of the request in frame {frame}:"));
    g_string_free(text, TRUE);
}

/* The Info column's English role and class words are the value names of siptxn.role and siptxn.ack.class. */
static void test_english_info_words_are_the_value_names(void)
{
    const sentences *builtin = sentences_builtin();
    for (int role = MESSAGE_ROLE_REQUEST; role <= MESSAGE_ROLE_CANCEL_RETRANSMISSION; role++)
        g_assert_cmpstr(sentence_text(builtin, SENTENCE_ROLE_REQUEST + (role - MESSAGE_ROLE_REQUEST),
                                      SIPTXN_LANGUAGE_ENGLISH), ==, message_role_name(role));
    for (int class_ = ACK_CLASS_UNKNOWN; class_ <= ACK_CLASS_2XX; class_++)
        g_assert_cmpstr(sentence_text(builtin, SENTENCE_INFO_ACK_CLASS_UNKNOWN + class_, SIPTXN_LANGUAGE_ENGLISH), ==,
                        ack_class_name(class_));
}

/* An expert info is one label of at most 240 bytes, "Expert Info (Warning/Malformed): " before it. */
static void test_expert_sentences_fit_one_label(void)
{
    const sentence_value longest[] = {
        SENTENCE_NUMBER("number", G_MAXUINT32), SENTENCE_NUMBER("frame", G_MAXUINT32),
        SENTENCE_NUMBER("code", 699), SENTENCE_TEXT("interval", "4294967.295"),
        SENTENCE_TEXT("expected", "4294967.295"), SENTENCE_TEXT("timer", "G"), SENTENCE_TEXT("section", "17.1.1.2"),
        /* the phrase as quoted (reason.c): at most 60 bytes and an ellipsis */
        SENTENCE_TEXT("phrase", "ЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙ…"),
        SENTENCE_TEXT("standard", "Session Interval Too Small"),
    };
    GString *text = g_string_new(NULL);
    for (int id = 0; id < SENTENCE_COUNT; id++) {
        if (!g_str_has_prefix(sentence_group(id), "expert"))
            continue;
        for (int language = SIPTXN_LANGUAGE_ENGLISH; language <= SIPTXN_LANGUAGE_RUSSIAN; language++) {
            g_string_assign(text, "Expert Info (Warning/Malformed): ");
            sentence_append(text, sentences_builtin(), id, language, longest, G_N_ELEMENTS(longest));
            if (text->len >= 240)
                g_error("[%s] is %" G_GSIZE_FORMAT " bytes in its label: %s", sentence_group(id), text->len, text->str);
        }
    }
    g_string_free(text, TRUE);
}

/* Every expert field of the plugin has its sentence (packet-siptxn.c reads its summary from it). */
static void test_sentence_found_by_group(void)
{
    g_assert_cmpint(sentence_find("expert.final_late"), ==, SENTENCE_EXPERT_FINAL_LATE);
    g_assert_cmpint(sentence_find("expert.reason.nonstandard"), ==, SENTENCE_EXPERT_NONSTANDARD_PHRASE);
    g_assert_cmpint(sentence_find("expert.no_such_thing"), ==, SENTENCE_COUNT);
    g_assert_cmpstr(sentence_group(SENTENCE_ACK_2XX), ==, "narrative.ack.2xx");
}

/* ---------- the narrative ---------- */


/* The narrative of a message in a language, owned by the caller. */
static char *narrative(const stored_message *message, siptxn_language language)
{
    GString *text = g_string_new(NULL);
    const narrative_style style = { language, FALSE };
    narrative_write(text, message, &style);
    return g_string_free(text, FALSE);
}

static void assert_says(const stored_message *message, siptxn_language language, const char *words)
{
    char *text = narrative(message, language);
    if (!strstr(text, words))
        g_error("\"%s\" does not say \"%s\"", text, words);
    g_free(text);
}

static void assert_does_not_say(const stored_message *message, siptxn_language language, const char *words)
{
    char *text = narrative(message, language);
    if (strstr(text, words))
        g_error("\"%s\" says \"%s\"", text, words);
    g_free(text);
}

/* §17.2.3: the message is re-sent, not the frame. */
static void test_request_copy_names_the_request(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *copy = keep(&call, request("INVITE", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG,
                                                     NULL));
    assert_says(copy, SIPTXN_LANGUAGE_ENGLISH, "This INVITE is a re-sent copy of the request in frame 1:");
    assert_says(copy, SIPTXN_LANGUAGE_RUSSIAN, "Этот INVITE — повторная передача запроса из кадра 1:");
    close_capture(&call);
}

/* §17.1.2: "транзакция не-INVITE", the transaction's kind after the word. */
static void test_non_invite_transaction(void)
{
    capture call = open_capture();
    const stored_message *bye = keep(&call, request("BYE", 1, 0, BRANCH, ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, TO_TAG));
    assert_says(bye, SIPTXN_LANGUAGE_ENGLISH, "This BYE request opens non-INVITE transaction 1");
    assert_says(bye, SIPTXN_LANGUAGE_RUSSIAN, "Этот запрос BYE открывает транзакцию не-INVITE № 1");
    assert_does_not_say(bye, SIPTXN_LANGUAGE_RUSSIAN, "не-INVITE-транзакц");
    close_capture(&call);
}

/* §13.2.2.4: the ACK to a 2xx is the end-to-end ACK of the dialog the 2xx
 * established, a transaction of its own: it does not complete the INVITE transaction. */
static void test_ack_to_2xx_is_the_dialogs_end_to_end_ack(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *ok = keep(&call, response(200, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG,
                                                    TO_TAG));
    const stored_message *ack = keep(&call, request("ACK", 3, 200, "z9hG4bKnashds8", ALICE_HOST, 0, 1, CALL_ID,
                                                    FROM_TAG, TO_TAG));
    g_assert_cmpuint(stored_message_details(ack)->ack_class, ==, ACK_CLASS_2XX);
    assert_says(ack, SIPTXN_LANGUAGE_ENGLISH, "This ACK acknowledges the 200 response in frame 2. It is the "
                "end-to-end ACK of the dialog that this 200 of INVITE transaction 1 established: a transaction of "
                "its own (2)");
    assert_does_not_say(ack, SIPTXN_LANGUAGE_ENGLISH, "completing");
    assert_says(ack, SIPTXN_LANGUAGE_RUSSIAN, "Этот ACK квитирует ответ 200 из кадра 2 в диалоге, который установил "
                "этот ответ транзакции INVITE № 1.");
    assert_says(ack, SIPTXN_LANGUAGE_RUSSIAN, "передаётся между оконечными устройствами (end-to-end)");
    assert_does_not_say(ack, SIPTXN_LANGUAGE_RUSSIAN, "завершающ");
    assert_does_not_say(ack, SIPTXN_LANGUAGE_RUSSIAN, "из конца в конец");
    assert_says(ok, SIPTXN_LANGUAGE_RUSSIAN, "между оконечными устройствами (end-to-end)");
    /* RFC 6026 §7.1: the 2xx moves the transaction to Accepted; the ACK leaves it there. */
    assert_says(ok, SIPTXN_LANGUAGE_ENGLISH, "INVITE transaction 1 enters the Accepted state");
    assert_says(ok, SIPTXN_LANGUAGE_RUSSIAN, "переходит в состояние Accepted");
    assert_says(ack, SIPTXN_LANGUAGE_ENGLISH, "It does not complete INVITE transaction 1: that transaction stays "
                "Accepted until Timer L/M ends it");
    assert_says(ack, SIPTXN_LANGUAGE_RUSSIAN, "Транзакцию INVITE № 1 он не завершает: она остаётся в состоянии "
                "Accepted");
    close_capture(&call);
}

/* The RFC 3261 model, chosen in the preferences: the 2xx terminates the INVITE transaction. */
static void test_rfc3261_model_says_terminated(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *ok = keep(&call, response(200, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG,
                                                    TO_TAG));
    const stored_message *ack = keep(&call, request("ACK", 3, 200, "z9hG4bKnashds8", ALICE_HOST, 0, 1, CALL_ID,
                                                    FROM_TAG, TO_TAG));
    GString *text = g_string_new(NULL);
    const narrative_style rfc3261 = { SIPTXN_LANGUAGE_ENGLISH, TRUE };
    narrative_write(text, ok, &rfc3261);
    g_assert_nonnull(strstr(text->str, "terminates INVITE transaction 1 at once (RFC 3261 §17.1.1.2"));
    narrative_write(text, ack, &rfc3261);
    g_assert_nonnull(strstr(text->str, "the 2xx had already terminated it (RFC 3261 §17.1.1.2)"));
    g_string_free(text, TRUE);
    close_capture(&call);
}

/* §17.1.1.3: with the final response missing, a new branch makes the 2xx ACK. */
static void test_ack_new_branch_without_final(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *ack = keep(&call, request("ACK", 2, 200, "z9hG4bKnew", ALICE_HOST, 0, 1, CALL_ID,
                                                    FROM_TAG, TO_TAG));
    assert_says(ack, SIPTXN_LANGUAGE_ENGLISH, "but its branch z9hG4bKnew is new");
    assert_says(ack, SIPTXN_LANGUAGE_ENGLISH, "end-to-end ACK to a 2xx of INVITE transaction 1");
    assert_says(ack, SIPTXN_LANGUAGE_RUSSIAN, "но ветвь z9hG4bKnew у него новая");
    close_capture(&call);
}

/* RFC 3262: the reliable provisional response, its copy, and the PRACK. */
static void test_reliable_provisional_and_prack(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    sipmsg ringing = response(180, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG);
    ringing.rseq = 867584;
    const stored_message *reliable = keep(&call, ringing);
    ringing.frame = 3;
    ringing.time_ns += 500 * G_GINT64_CONSTANT(1000000);
    const stored_message *copy = keep(&call, ringing);
    sipmsg prack = request("PRACK", 4, 700, "z9hG4bKprack", ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, TO_TAG);
    prack.rack.rseq = 867584;
    prack.rack.cseq_number = 1;
    prack.rack.method = "INVITE";
    const stored_message *pr = keep(&call, prack);
    assert_says(reliable, SIPTXN_LANGUAGE_ENGLISH, "This 180 provisional response is sent reliably: it carries RSeq "
                "867584 (RFC 3262 §3).");
    assert_says(reliable, SIPTXN_LANGUAGE_RUSSIAN, "передаётся надёжно: в нём есть RSeq 867584");
    assert_says(copy, SIPTXN_LANGUAGE_ENGLISH, "re-sent copy of the reliable provisional response in frame 2 (the "
                "same RSeq 867584)");
    assert_says(pr, SIPTXN_LANGUAGE_ENGLISH, "This PRACK acknowledges the reliable provisional response in frame 2");
    assert_says(pr, SIPTXN_LANGUAGE_RUSSIAN, "Этот PRACK квитирует надёжный предварительный ответ из кадра 2");
    close_capture(&call);
}

/* The same packet twice: a duplicate, not a retransmission. */
static void test_duplicate(void)
{
    capture call = open_capture();
    sipmsg invite = request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    invite.digest = 99;
    invite.packet.path = 5;
    invite.packet.ip_id = 0x1234;
    invite.packet.has_ip_id = TRUE;
    keep(&call, invite);
    invite.frame = 2;
    invite.time_ns += 800000;
    const stored_message *copy = keep(&call, invite);
    g_assert_cmpuint(copy->role, ==, MESSAGE_ROLE_DUPLICATE);
    assert_says(copy, SIPTXN_LANGUAGE_ENGLISH, "This is the same packet as frame 1, captured twice 0.800 ms apart");
    assert_says(copy, SIPTXN_LANGUAGE_RUSSIAN, "Это тот же пакет, что в кадре 1, попавший в запись дважды с "
                "разницей 0,800 мс");
    close_capture(&call);
}

/* §17.1.1.3: the ACK to a non-2xx belongs to the INVITE transaction and goes hop by hop. */
static void test_ack_to_non_2xx_is_hop_by_hop(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    keep(&call, response(486, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    const stored_message *ack = keep(&call, request("ACK", 3, 200, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG,
                                                    TO_TAG));
    assert_says(ack, SIPTXN_LANGUAGE_ENGLISH, "so it belongs to INVITE transaction 1 (same branch " BRANCH
                ") and is sent hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3).");
    assert_says(ack, SIPTXN_LANGUAGE_RUSSIAN, "Этот ACK квитирует ответ 486 из кадра 2, поэтому он входит в "
                "транзакцию INVITE № 1 (та же ветвь " BRANCH ") и передаётся от узла к узлу (hop-by-hop)");
    const stored_message *copy = keep(&call, request("ACK", 4, 700, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG,
                                                     TO_TAG));
    assert_says(copy, SIPTXN_LANGUAGE_ENGLISH, "(RFC 3261 \xC2\xA7" "17.1.1.3). It is a re-sent copy of the ACK in "
                "frame 3.");
    assert_says(copy, SIPTXN_LANGUAGE_RUSSIAN, ". Это повторная передача ACK из кадра 3.");
    close_capture(&call);
}

/* §17.1.1.2, §17.1.2.2: a final response after Timer B/F says the client has given up. */
static void test_late_final_response(void)
{
    capture call = open_capture();
    keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *late = keep(&call, response(408, 2, 40000, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID,
                                                      FROM_TAG, TO_TAG));
    assert_says(late, SIPTXN_LANGUAGE_ENGLISH, "rejects the INVITE");
    assert_says(late, SIPTXN_LANGUAGE_ENGLISH, ". It comes more than 64*T1 after the INVITE's first copy");
    assert_says(late, SIPTXN_LANGUAGE_ENGLISH, "Timer B has fired, the client has already given up, and this "
                "response is late (RFC 3261 \xC2\xA7" "17.1.1.2).");
    assert_says(late, SIPTXN_LANGUAGE_RUSSIAN, "таймер B уже сработал, клиент прекратил ожидание, и этот ответ опоздал");
    keep(&call, request("OPTIONS", 3, 50000, "z9hG4bKoptions", ALICE_HOST, 0, 9, CALL_ID, FROM_TAG, NULL));
    const stored_message *in_time = keep(&call, response(200, 4, 50100, "z9hG4bKoptions", ALICE_HOST, 0, 9, "OPTIONS",
                                                         CALL_ID, FROM_TAG, TO_TAG));
    assert_does_not_say(in_time, SIPTXN_LANGUAGE_ENGLISH, "late");
    close_capture(&call);
}

/* Every role of a call with a CANCEL, copies and an ACK without its response:
 * no placeholder is left unfilled, in either language. */
static void test_every_placeholder_filled(void)
{
    capture call = open_capture();
    const stored_message *messages[] = {
        keep(&call, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL)),
        keep(&call, request("INVITE", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL)),
        keep(&call, response(180, 3, 600, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, response(180, 4, 700, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, request("CANCEL", 5, 800, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL)),
        keep(&call, response(200, 6, 900, BRANCH, ALICE_HOST, 0, 1, "CANCEL", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, response(487, 7, 950, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, response(487, 8, 1450, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, request("ACK", 9, 1460, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, request("ACK", 10, 1500, "z9hG4bKorphan", PROXY_HOST, 0, 5, "other-call", "x", "y")),
        keep(&call, request("OPTIONS", 11, 2000, "z9hG4bKopt", ALICE_HOST, 0, 3, CALL_ID, FROM_TAG, NULL)),
        keep(&call, response(100, 12, 2100, "z9hG4bKopt", ALICE_HOST, 0, 3, "OPTIONS", CALL_ID, FROM_TAG, NULL)),
        keep(&call, response(200, 13, 2200, "z9hG4bKopt", ALICE_HOST, 0, 3, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG)),
        keep(&call, response(200, 14, 2300, "z9hG4bKopt", ALICE_HOST, 0, 3, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG)),
    };
    for (guint i = 0; i < G_N_ELEMENTS(messages); i++)
        for (int language = SIPTXN_LANGUAGE_ENGLISH; language <= SIPTXN_LANGUAGE_RUSSIAN; language++) {
            char *text = narrative(messages[i], language);
            if (!*text || strchr(text, '{') || strchr(text, '}') || strstr(text, "  ") || !g_utf8_validate(text, -1, NULL))
                g_error("frame %u: \"%s\"", i + 1, text);
            g_assert_cmpint(has_cyrillic(text), ==, language == SIPTXN_LANGUAGE_RUSSIAN);
            g_free(text);
        }
    assert_says(messages[4], SIPTXN_LANGUAGE_RUSSIAN, "прекратить обработку INVITE из кадра 1 (транзакция INVITE № 1)");
    assert_says(messages[3], SIPTXN_LANGUAGE_RUSSIAN, "повторная передача предварительного ответа из кадра 3");
    assert_says(messages[7], SIPTXN_LANGUAGE_RUSSIAN, "повторная передача окончательного ответа из кадра 7");
    assert_says(messages[9], SIPTXN_LANGUAGE_RUSSIAN, "нет в записи");
    close_capture(&call);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sentences/every-sentence-in-both-languages", test_every_sentence_in_both_languages);
    g_test_add_func("/sentences/both-languages-use-the-same-placeholders",
                    test_both_languages_use_the_same_placeholders);
    g_test_add_func("/sentences/refuses-a-missing-translation", test_refuses_a_missing_translation);
    g_test_add_func("/sentences/refuses-different-placeholders", test_refuses_different_placeholders);
    g_test_add_func("/sentences/refuses-an-unknown-placeholder", test_refuses_an_unknown_placeholder);
    g_test_add_func("/sentences/refuses-a-group-the-plugin-does-not-know",
                    test_refuses_a_group_the_plugin_does_not_know);
    g_test_add_func("/sentences/refuses-a-missing-sentence", test_refuses_a_missing_sentence);
    g_test_add_func("/sentences/refuses-an-unknown-key", test_refuses_an_unknown_key);
    g_test_add_func("/sentences/append-fills-placeholders", test_append_fills_placeholders);
    g_test_add_func("/sentences/english-info-words-are-the-value-names", test_english_info_words_are_the_value_names);
    g_test_add_func("/sentences/expert-sentences-fit-one-label", test_expert_sentences_fit_one_label);
    g_test_add_func("/sentences/sentence-found-by-group", test_sentence_found_by_group);
    g_test_add_func("/narrative/rfc3261/17.2.3/request-copy-names-the-request", test_request_copy_names_the_request);
    g_test_add_func("/narrative/rfc3261/17.1.2/non-invite-transaction", test_non_invite_transaction);
    g_test_add_func("/narrative/rfc3261/13.2.2.4/ack-to-2xx-is-the-dialogs-end-to-end-ack",
                    test_ack_to_2xx_is_the_dialogs_end_to_end_ack);
    g_test_add_func("/narrative/rfc3261/17.1.1.3/ack-to-non-2xx-is-hop-by-hop", test_ack_to_non_2xx_is_hop_by_hop);
    g_test_add_func("/narrative/rfc3261/17.1.1.2/rfc3261-model-says-terminated", test_rfc3261_model_says_terminated);
    g_test_add_func("/narrative/rfc3261/17.1.1.3/ack-new-branch-without-final", test_ack_new_branch_without_final);
    g_test_add_func("/narrative/rfc3262/3/reliable-provisional-and-prack", test_reliable_provisional_and_prack);
    g_test_add_func("/narrative/duplicate", test_duplicate);
    g_test_add_func("/narrative/rfc3261/17.1.1.2/late-final-response", test_late_final_response);
    g_test_add_func("/narrative/every-placeholder-filled", test_every_placeholder_filled);
    return g_test_run();
}
