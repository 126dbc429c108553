/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.c: which sentence of sentences.ini tells a message's story, for
 * each role and ACK class, and the values of its placeholders. */

#include <string.h>

#include "narrative.h"
#include "sentences.h"
#include "textformat.h"

/* One narrative being written: where, in which language. */
typedef struct {
    GString *text;
    siptxn_language language;
    gboolean rfc3261_states;
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
    if (identity.method && strcmp(identity.method, "PRACK") == 0 && message->role == MESSAGE_ROLE_REQUEST) {
        /* RFC 3262 §7.2: the provisional response its RAck names. */
        if (details->prack_response_frame)
            SAY(teller, SENTENCE_REQUEST_PRACK, SENTENCE_NUMBER("frame", details->prack_response_frame),
                SENTENCE_NUMBER("rseq", details->rseq), TRANSACTION(owner));
        else
            SAY(teller, SENTENCE_REQUEST_PRACK_UNMATCHED, SENTENCE_NUMBER("rseq", details->rseq), TRANSACTION(owner));
        return;
    }
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
        SAY(teller, teller->rfc3261_states ? SENTENCE_FINAL_INVITE_ACCEPTED_RFC3261 : SENTENCE_FINAL_INVITE_ACCEPTED,
            code, TRANSACTION(owner));
    else if (invite)
        SAY(teller, SENTENCE_FINAL_INVITE_REJECTED, code, TRANSACTION(owner));
    else
        SAY(teller, SENTENCE_FINAL_OTHER, code, SENTENCE_TEXT("method", owner->method), TRANSACTION(owner));
    /* §17.1.1.2 Timer B, §17.1.2.2 Timer F, RFC 6026 Timer M: the client is no longer waiting for it. */
    guint32 findings = stored_message_details(message)->findings;
    if (findings & FINDING_FINAL_LATE)
        say(teller,
            (findings & FINDING_ADDITIONAL_FINAL) ? SENTENCE_FINAL_LATE_FORKED
            : invite                              ? SENTENCE_FINAL_LATE_INVITE
                                                  : SENTENCE_FINAL_LATE_OTHER,
            NULL, 0);
}

static void tell_response(narrator *teller, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    gboolean invite = owner->kind == TRANSACTION_KIND_INVITE;
    const sentence_value code = SENTENCE_NUMBER("code", message->status_code);
    const sentence_value original = SENTENCE_NUMBER("frame", details->original_frame);
    const sentence_value rseq = SENTENCE_NUMBER("rseq", details->rseq);
    if (details->findings & FINDING_UNMATCHABLE) {
        SAY(teller, SENTENCE_RESPONSE_UNMATCHABLE, code, TRANSACTION(owner));
        return;
    }
    switch (message->role) {
    case MESSAGE_ROLE_PROVISIONAL:
        if (details->rseq)
            SAY(teller, SENTENCE_PROVISIONAL_RELIABLE, code, rseq, TRANSACTION(owner));
        else
            SAY(teller, invite ? SENTENCE_PROVISIONAL_INVITE : SENTENCE_PROVISIONAL_OTHER, code, TRANSACTION(owner));
        return;
    case MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION:
        if (details->rseq)
            SAY(teller, SENTENCE_PROVISIONAL_RELIABLE_COPY, code, original, rseq, TRANSACTION(owner));
        else
            SAY(teller, SENTENCE_PROVISIONAL_COPY, code, original, TRANSACTION(owner));
        return;
    case MESSAGE_ROLE_FINAL_RETRANSMISSION:
        /* §13.3.1.4: a 2xx is re-sent by the UAS core; §17.2.1 Timer G re-sends a non-2xx. */
        SAY(teller,
            !invite                       ? SENTENCE_FINAL_OTHER_COPY
            : message->status_code < 300 && !teller->rfc3261_states ? SENTENCE_FINAL_INVITE_2XX_COPY
                                                                     : SENTENCE_FINAL_INVITE_COPY,
            code, original, TRANSACTION(owner));
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
    case ACK_CLASS_2XX: {
        const sentence_value invite = SENTENCE_NUMBER("invite_transaction",
                                                      details->ack_invite ? details->ack_invite->number : 0u);
        /* §13.2.2.4: the ACK of the dialog that this 2xx established, not a part of its INVITE transaction. */
        if (!final)
            SAY(teller, SENTENCE_ACK_2XX_WITHOUT_FINAL, TRANSACTION(owner), invite, branch);
        else
            SAY(teller, (details->findings & FINDING_ACK_2XX_REUSES_BRANCH) ? SENTENCE_ACK_2XX_SAME_BRANCH
                                                                             : SENTENCE_ACK_2XX,
                SENTENCE_NUMBER("code", final->status_code), SENTENCE_NUMBER("frame", details->ack_response_frame),
                TRANSACTION(owner), invite);
        /* RFC 6026 §7.1, §7.2: the INVITE transaction waits in Accepted, whatever the ACK does. */
        if (details->ack_invite && message->role == MESSAGE_ROLE_ACK)
            say(teller,
                teller->rfc3261_states                     ? SENTENCE_ACK_2XX_RFC3261
                : (details->findings & FINDING_ACK_LATE)  ? SENTENCE_ACK_2XX_AFTER_ACCEPTED
                                                           : SENTENCE_ACK_2XX_WHILE_ACCEPTED,
                &invite, 1);
        break;
    }
    default:
        SAY(teller, SENTENCE_ACK_UNKNOWN, TRANSACTION(owner));
        break;
    }
    if (message->role == MESSAGE_ROLE_ACK_RETRANSMISSION && details->original_frame)
        SAY(teller, SENTENCE_ACK_COPY, SENTENCE_NUMBER("frame", details->original_frame));
}

/* The same packet seen twice, or a segment TCP re-sent: no part in the transaction. */
static void tell_duplicate(narrator *teller, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    char interval[32];
    text_thousandths(interval, sizeof interval, details->interval_ns, G_GINT64_CONSTANT(1000000),
                     teller->language == SIPTXN_LANGUAGE_RUSSIAN);
    const sentence_value frame = SENTENCE_NUMBER("frame", details->original_frame);
    const sentence_value elapsed = SENTENCE_TEXT("interval", interval);
    switch (details->duplicate) {
    case DUPLICATE_SECOND_CAPTURE_POINT:
        SAY(teller, SENTENCE_DUPLICATE_SECOND_CAPTURE_POINT, frame, elapsed,
            SENTENCE_NUMBER("ttl", details->ttl_before), TRANSACTION(message->transaction));
        break;
    case DUPLICATE_TCP_RESEND:
        SAY(teller, SENTENCE_DUPLICATE_TCP_RESEND, frame, TRANSACTION(message->transaction));
        break;
    default:
        SAY(teller, SENTENCE_DUPLICATE_SAME_PACKET, frame, elapsed, TRANSACTION(message->transaction));
        break;
    }
}

void narrative_write(GString *text, const stored_message *message, const narrative_style *style)
{
    g_string_truncate(text, 0);
    if (!message || !message->transaction)
        return;
    narrator teller = { text, style->language, style->rfc3261_states };
    if (message->role == MESSAGE_ROLE_DUPLICATE)
        tell_duplicate(&teller, message);
    else if (message_role_is_ack((message_role)message->role))
        tell_ack(&teller, message);
    else if (message->is_request)
        tell_request(&teller, message);
    else
        tell_response(&teller, message);
}
