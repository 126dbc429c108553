/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ladder.c: see ladder.h. */

#include <string.h>

#include "ladder.h"
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

/* A duration as seconds, to the millisecond, without trailing zeros: "1.0", "0.5", "2.25". */
static void append_seconds(GString *text, gint64 ns)
{
    gint64 ms = (ns < 0 ? 0 : ns + NS_PER_MS / 2) / NS_PER_MS;
    text_append_format(text, "%u.", (guint)(ms / 1000));
    guint fraction = (guint)(ms % 1000);
    char digits[4] = { (char)('0' + fraction / 100), (char)('0' + fraction / 10 % 10), (char)('0' + fraction % 10), 0 };
    gsize length = 3;
    while (length > 1 && digits[length - 1] == '0')
        length--;
    g_string_append_len(text, digits, (gssize)length);
}

static void append_retransmission(GString *text, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    if (!details->original_frame) {
        g_string_append(text, " \xC2\xB7 retransmission (the first copy is not in the capture)");
        return;
    }
    text_append_format(text, " \xC2\xB7 retransmission %u of frame %u", details->retransmission_number,
                       details->original_frame);
    if (details->interval_ns <= 0)
        return;
    g_string_append(text, " (+");
    append_seconds(text, details->interval_ns);
    g_string_append(text, " s");
    const char *timer = retransmission_timer(message->transaction, (message_role)message->role);
    if (timer && details->expected_interval_ns > 0) {
        text_append_format(text, ", Timer %s expects ", timer);
        append_seconds(text, details->expected_interval_ns);
        g_string_append(text, " s");
    }
    g_string_append_c(text, ')');
}

static void append_ack(GString *text, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    guint32 own = message->transaction->number;
    switch (details->ack_class) {
    case ACK_CLASS_NON_2XX:
        text_append_format(text, "ACK non-2xx: completes txn %u", own);
        break;
    case ACK_CLASS_2XX:
        text_append_format(text, "ACK 2xx: own txn %u", own);
        if (details->ack_invite)
            text_append_format(text, " for txn %u", details->ack_invite->number);
        break;
    default:
        text_append_format(text, "ACK of unknown class: own txn %u", own);
        break;
    }
}

const char *ladder_comment(GString *text, const stored_message *message)
{
    const transaction *owner = message->transaction;
    const message_role role = (message_role)message->role;
    const transaction_links *links = transaction_links_of(owner);
    g_string_truncate(text, 0);
    text_append_format(text, "txn %u \xC2\xB7 ", owner->number);
    if (message_role_is_ack(role))
        append_ack(text, message);
    else
        g_string_append(text, message_role_name(role));
    if ((role == MESSAGE_ROLE_CANCEL || role == MESSAGE_ROLE_CANCEL_RETRANSMISSION) && links->cancels)
        text_append_format(text, " \xC2\xB7 CANCEL of txn %u", links->cancels->number);
    if (message->opened && links->forwarded_from)
        text_append_format(text, " \xC2\xB7 forwarded from txn %u", links->forwarded_from->number);
    if (message_role_is_retransmission(role))
        append_retransmission(text, message);
    return text->str;
}
