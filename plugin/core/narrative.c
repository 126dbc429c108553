/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.c: which sentence of sentences.ini tells a message's story, for
 * each role and ACK class, and the values of its placeholders. */

#include "narrative.h"
#include "sentences.h"

/* One narrative being written: where, in which language. */
typedef struct {
    GString *text;
    siptxn_language language;
} narrator;

/* Appends a sentence, after a space when it follows another. */
static void say(narrator *teller, sentence_id id, const sentence_value *values, guint count)
{
    if (teller->text->len)
        g_string_append_c(teller->text, ' ');
    sentence_append(teller->text, sentences_builtin(), id, teller->language, values, count);
}

#define SAY(teller, id, ...)                                                             \
    do {                                                                                 \
        const sentence_value values_[] = { __VA_ARGS__ };                                \
        say((teller), (id), values_, G_N_ELEMENTS(values_));                             \
    } while (0)

#define TRANSACTION(owner) SENTENCE_NUMBER("transaction", (owner)->number)

static const final_response *final_in_frame(const transaction *owner, guint32 frame)
{
    for (const final_response *final = owner ? owner->finals : NULL; final; final = final->next)
        if (final->frame == frame)
            return final;
    return NULL;
}

static void tell_request(narrator *teller, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    message_identity identity = stored_message_identity(message);
    const sentence_value method = SENTENCE_TEXT("method", identity.method);
    if (details->findings & FINDING_UNMATCHABLE) {
        SAY(teller, SENTENCE_REQUEST_UNMATCHABLE, method, TRANSACTION(owner));
        return;
    }
    const transaction *cancelled = transaction_links_of(owner)->cancels;
    switch (message->role) {
    case MESSAGE_ROLE_CANCEL:
        if (cancelled && cancelled->request_frame)
            SAY(teller, SENTENCE_CANCEL, SENTENCE_NUMBER("frame", cancelled->request_frame), TRANSACTION(owner),
                SENTENCE_NUMBER("invite_transaction", cancelled->number));
        else
            SAY(teller, SENTENCE_CANCEL_OF_UNSEEN, TRANSACTION(owner));
        return;
    case MESSAGE_ROLE_REQUEST_RETRANSMISSION:
    case MESSAGE_ROLE_CANCEL_RETRANSMISSION:
        if (details->original_frame)
            SAY(teller, transaction_is_rfc2543(owner) ? SENTENCE_REQUEST_COPY_2543 : SENTENCE_REQUEST_COPY, method,
                SENTENCE_NUMBER("frame", details->original_frame), TRANSACTION(owner));
        else
            SAY(teller, SENTENCE_REQUEST_COPY_OF_UNSEEN, method, TRANSACTION(owner));
        return;
    default:
        if (owner->kind == TRANSACTION_KIND_INVITE && owner->transport != SIPMSG_TRANSPORT_UDP &&
            owner->transport != SIPMSG_TRANSPORT_UNKNOWN)
            SAY(teller, SENTENCE_REQUEST_INVITE_RELIABLE, TRANSACTION(owner));
        else if (owner->kind == TRANSACTION_KIND_INVITE)
            SAY(teller, SENTENCE_REQUEST_INVITE, TRANSACTION(owner));
        else
            SAY(teller, SENTENCE_REQUEST_OTHER, method, TRANSACTION(owner));
    }
}

/* The first final response, and what it does to the transaction. */
static void tell_final(narrator *teller, const stored_message *message)
{
    const transaction *owner = message->transaction;
    const sentence_value code = SENTENCE_NUMBER("code", message->status_code);
    gboolean invite = owner->kind == TRANSACTION_KIND_INVITE;
    if (invite && message->status_code < 300)
        SAY(teller, SENTENCE_FINAL_INVITE_ACCEPTED, code, TRANSACTION(owner));
    else if (invite)
        SAY(teller, SENTENCE_FINAL_INVITE_REJECTED, code, TRANSACTION(owner));
    else
        SAY(teller, SENTENCE_FINAL_OTHER, code, SENTENCE_TEXT("method", owner->method), TRANSACTION(owner));
    /* §17.1.1.2 Timer B, §17.1.2.2 Timer F: the client is no longer waiting for it. */
    if (stored_message_details(message)->findings & FINDING_FINAL_LATE)
        say(teller, invite ? SENTENCE_FINAL_LATE_INVITE : SENTENCE_FINAL_LATE_OTHER, NULL, 0);
}

static void tell_response(narrator *teller, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    gboolean invite = owner->kind == TRANSACTION_KIND_INVITE;
    const sentence_value code = SENTENCE_NUMBER("code", message->status_code);
    const sentence_value original = SENTENCE_NUMBER("frame", details->original_frame);
    if (details->findings & FINDING_UNMATCHABLE) {
        SAY(teller, SENTENCE_RESPONSE_UNMATCHABLE, code, TRANSACTION(owner));
        return;
    }
    switch (message->role) {
    case MESSAGE_ROLE_PROVISIONAL:
        SAY(teller, invite ? SENTENCE_PROVISIONAL_INVITE : SENTENCE_PROVISIONAL_OTHER, code, TRANSACTION(owner));
        return;
    case MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION:
        SAY(teller, SENTENCE_PROVISIONAL_COPY, code, original, TRANSACTION(owner));
        return;
    case MESSAGE_ROLE_FINAL_RETRANSMISSION:
        SAY(teller, invite ? SENTENCE_FINAL_INVITE_COPY : SENTENCE_FINAL_OTHER_COPY, code, original,
            TRANSACTION(owner));
        return;
    default:
        tell_final(teller, message);
    }
}

static void tell_ack(narrator *teller, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    const final_response *final = final_in_frame(details->ack_invite, details->ack_response_frame);
    const sentence_value branch = SENTENCE_TEXT("branch", stored_message_identity(message).branch);
    switch (details->ack_class) {
    case ACK_CLASS_NON_2XX:
        if (!final) {
            SAY(teller, SENTENCE_ACK_NON_2XX_BY_BRANCH, TRANSACTION(owner));
            break;
        }
        if (transaction_is_rfc2543(owner))
            SAY(teller, SENTENCE_ACK_NON_2XX_2543, SENTENCE_NUMBER("code", final->status_code),
                SENTENCE_NUMBER("frame", final->frame), TRANSACTION(owner));
        else
            SAY(teller, (details->findings & FINDING_ACK_BRANCH_MISMATCH) ? SENTENCE_ACK_NON_2XX_OTHER_BRANCH
                                                                          : SENTENCE_ACK_NON_2XX,
                SENTENCE_NUMBER("code", final->status_code), SENTENCE_NUMBER("frame", final->frame),
                TRANSACTION(owner), branch);
        break;
    case ACK_CLASS_2XX:
        /* §13.2.2.4: the ACK of the dialog that this 2xx established, not a part of its INVITE transaction. */
        SAY(teller, (details->findings & FINDING_ACK_2XX_REUSES_BRANCH) ? SENTENCE_ACK_2XX_SAME_BRANCH
                                                                         : SENTENCE_ACK_2XX,
            SENTENCE_NUMBER("code", final ? final->status_code : 200u),
            SENTENCE_NUMBER("frame", details->ack_response_frame), TRANSACTION(owner),
            SENTENCE_NUMBER("invite_transaction", details->ack_invite ? details->ack_invite->number : 0u));
        break;
    default:
        SAY(teller, SENTENCE_ACK_UNKNOWN, TRANSACTION(owner));
        break;
    }
    if (message->role == MESSAGE_ROLE_ACK_RETRANSMISSION && details->original_frame)
        SAY(teller, SENTENCE_ACK_COPY, SENTENCE_NUMBER("frame", details->original_frame));
}

void narrative_write(GString *text, const stored_message *message, siptxn_language language)
{
    g_string_truncate(text, 0);
    if (!message || !message->transaction)
        return;
    narrator teller = { text, language };
    if (message_role_is_ack((message_role)message->role))
        tell_ack(&teller, message);
    else if (message->is_request)
        tell_request(&teller, message);
    else
        tell_response(&teller, message);
}
