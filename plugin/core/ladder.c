/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ladder.c: see ladder.h. */

#include <string.h>

#include "ladder.h"
#include "sentences.h"
#include "textformat.h"

#define NS_PER_MS G_GINT64_CONSTANT(1000000)

const char *retransmission_timer(const transaction *transaction, message_role role)
{
    switch (role) {
    case MESSAGE_ROLE_REQUEST_RETRANSMISSION:
    case MESSAGE_ROLE_CANCEL_RETRANSMISSION:
        return transaction->kind == TRANSACTION_KIND_INVITE ? "A" : "E";
    case MESSAGE_ROLE_FINAL_RETRANSMISSION:
        return transaction->kind == TRANSACTION_KIND_INVITE ? "G" : NULL;
    default:
        return NULL;
    }
}

const char *retransmission_timer_section(const char *timer)
{
    if (!timer)
        return "";
    return timer[0] == 'A' ? "17.1.1.2" : timer[0] == 'E' ? "17.1.2.2" : "17.2.1";
}

const char *ladder_label(GString *text, const stored_message *message)
{
    g_string_truncate(text, 0);
    if (message->is_request) {
        const char *method = stored_message_identity(message).method;
        g_string_append(text, method ? method : "?");
    } else {
        text_append_format(text, "%u", message->status_code);
        if (message->reason_phrase && message->reason_phrase[0])
            text_append_format(text, " %s", message->reason_phrase);
    }
    if (text->len > LADDER_LABEL_MAX) {
        /* Cut at a character boundary of UTF-8 text. */
        gsize cut = LADDER_LABEL_MAX - 3;
        while (cut > 0 && ((guchar)text->str[cut] & 0xc0) == 0x80)
            cut--;
        g_string_truncate(text, cut);
        g_string_append(text, "...");
    }
    return text->str;
}

/* A duration as seconds, to the millisecond, without trailing zeros ("1.0",
 * "0.5", "2.25"), with a decimal comma in Russian. */
static const char *seconds_text(GString *text, gint64 ns, siptxn_language language)
{
    gint64 ms = (ns < 0 ? 0 : ns + NS_PER_MS / 2) / NS_PER_MS;
    g_string_truncate(text, 0);
    text_append_format(text, "%u", (guint)(ms / 1000));
    g_string_append_c(text, language == SIPTXN_LANGUAGE_RUSSIAN ? ',' : '.');
    guint fraction = (guint)(ms % 1000);
    char digits[4] = { (char)('0' + fraction / 100), (char)('0' + fraction / 10 % 10), (char)('0' + fraction % 10), 0 };
    gsize length = 3;
    while (length > 1 && digits[length - 1] == '0')
        length--;
    g_string_append_len(text, digits, (gssize)length);
    return text->str;
}

/* Appends " · " and the sentence. */
static void append_part(GString *text, sentence_id id, siptxn_language language, const sentence_value *values,
                        guint count)
{
    g_string_append(text, " \xC2\xB7 ");
    sentence_append(text, sentences_builtin(), id, language, values, count);
}

static void append_retransmission(GString *text, const stored_message *message, siptxn_language language)
{
    const message_details *details = stored_message_details(message);
    if (!details->original_frame) {
        append_part(text, SENTENCE_LADDER_RETRANSMISSION_OF_UNSEEN, language, NULL, 0);
        return;
    }
    const sentence_value copy[] = { SENTENCE_NUMBER("number", details->retransmission_number),
                                    SENTENCE_NUMBER("frame", details->original_frame) };
    append_part(text, SENTENCE_LADDER_RETRANSMISSION, language, copy, G_N_ELEMENTS(copy));
    if (details->interval_ns <= 0)
        return;
    GString *interval = g_string_new(NULL), *expected = g_string_new(NULL);
    const char *timer = retransmission_timer(message->transaction, (message_role)message->role);
    const sentence_value timing[] = {
        SENTENCE_TEXT("interval", seconds_text(interval, details->interval_ns, language)),
        SENTENCE_TEXT("timer", timer),
        SENTENCE_TEXT("expected", seconds_text(expected, details->expected_interval_ns, language)),
    };
    g_string_append_c(text, ' ');
    sentence_append(text, sentences_builtin(),
                    timer && details->expected_interval_ns > 0 ? SENTENCE_LADDER_INTERVAL_TIMER : SENTENCE_LADDER_INTERVAL,
                    language, timing, G_N_ELEMENTS(timing));
    g_string_free(interval, TRUE);
    g_string_free(expected, TRUE);
}

/* "txn 9 · ACK 2xx: own txn 9 for txn 7" */
static void append_ack(GString *text, const stored_message *message, siptxn_language language)
{
    const message_details *details = stored_message_details(message);
    const sentence_value values[] = {
        SENTENCE_NUMBER("transaction", message->transaction->number),
        SENTENCE_NUMBER("invite_transaction", details->ack_invite ? details->ack_invite->number : 0u),
    };
    sentence_id id = SENTENCE_LADDER_ACK_UNKNOWN;
    if (details->ack_class == ACK_CLASS_NON_2XX)
        id = SENTENCE_LADDER_ACK_NON_2XX;
    else if (details->ack_class == ACK_CLASS_2XX)
        id = details->ack_invite ? SENTENCE_LADDER_ACK_2XX_FOR : SENTENCE_LADDER_ACK_2XX;
    sentence_append(text, sentences_builtin(), id, language, values, G_N_ELEMENTS(values));
}

void ladder_append_role(GString *text, const stored_message *message, siptxn_language language)
{
    G_STATIC_ASSERT(SENTENCE_ROLE_DUPLICATE - SENTENCE_ROLE_REQUEST == MESSAGE_ROLE_DUPLICATE - MESSAGE_ROLE_REQUEST);
    const message_role role = (message_role)message->role;
    const guint32 rseq = stored_message_details(message)->rseq;
    /* RFC 3262 §3: a reliable provisional response shows its RSeq. */
    if (rseq && (role == MESSAGE_ROLE_PROVISIONAL || role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION)) {
        const sentence_value value = SENTENCE_NUMBER("rseq", rseq);
        sentence_append(text, sentences_builtin(),
                        role == MESSAGE_ROLE_PROVISIONAL ? SENTENCE_ROLE_PROVISIONAL_RELIABLE
                                                         : SENTENCE_ROLE_PROVISIONAL_RELIABLE_RETRANSMISSION,
                        language, &value, 1);
        return;
    }
    guint index = role >= MESSAGE_ROLE_REQUEST && role <= MESSAGE_ROLE_DUPLICATE ? role - MESSAGE_ROLE_REQUEST : 0;
    g_string_append(text, sentence_text(sentences_builtin(), (sentence_id)(SENTENCE_ROLE_REQUEST + index), language));
}

const char *ladder_comment(GString *text, const stored_message *message, siptxn_language language)
{
    const transaction *owner = message->transaction;
    const message_role role = (message_role)message->role;
    const transaction_links *links = transaction_links_of(owner);
    g_string_truncate(text, 0);
    if (message_role_is_ack(role)) {
        append_ack(text, message, language);
    } else {
        GString *role_text = g_string_new(NULL);
        ladder_append_role(role_text, message, language);
        const sentence_value label[] = {
            SENTENCE_NUMBER("transaction", owner->number),
            SENTENCE_TEXT("role", role_text->str),
        };
        sentence_append(text, sentences_builtin(), SENTENCE_INFO_LABEL, language, label, G_N_ELEMENTS(label));
        g_string_free(role_text, TRUE);
    }
    const message_details *details = stored_message_details(message);
    if (role == MESSAGE_ROLE_DUPLICATE) {
        const sentence_value original = SENTENCE_NUMBER("frame", details->original_frame);
        append_part(text, SENTENCE_LADDER_DUPLICATE, language, &original, 1);
        return text->str;
    }
    if (details->prack_response_frame) {
        const sentence_value prack[] = { SENTENCE_NUMBER("rseq", details->rseq),
                                         SENTENCE_NUMBER("frame", details->prack_response_frame) };
        append_part(text, SENTENCE_LADDER_PRACK_OF, language, prack, G_N_ELEMENTS(prack));
    }
    if ((role == MESSAGE_ROLE_CANCEL || role == MESSAGE_ROLE_CANCEL_RETRANSMISSION) && links->cancels) {
        const sentence_value cancelled[] = { SENTENCE_NUMBER("transaction", links->cancels->number) };
        append_part(text, SENTENCE_LADDER_CANCEL_OF, language, cancelled, 1);
    }
    if (message->opened && links->forwarded_from) {
        const sentence_value upstream[] = { SENTENCE_NUMBER("transaction", links->forwarded_from->number) };
        append_part(text, SENTENCE_LADDER_FORWARDED_FROM, language, upstream, 1);
    }
    if (message_role_is_retransmission(role))
        append_retransmission(text, message, language);
    return text->str;
}
