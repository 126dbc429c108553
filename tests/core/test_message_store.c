/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_message_store.c: what the first pass keeps of each message, and what
 * every later pass reads back from it. */

#include <string.h>

#include <glib.h>

#include "stored_capture.h"


/* An INVITE (frame 1) rejected with 486 (frame 2) and its ACK (frame 3), which is returned. */
static const stored_message *keep_rejected_call(capture *into)
{
    keep(into, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    keep(into, response(486, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    return keep(into, request("ACK", 3, 200, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, TO_TAG));
}

static void assert_identity(const stored_message *stored, const char *method, const char *cseq_method,
                            guint32 cseq_number, const char *branch, const char *host, guint16 port)
{
    message_identity identity = stored_message_identity(stored);
    g_assert_cmpstr(identity.method, ==, method);
    g_assert_cmpstr(identity.cseq_method, ==, cseq_method);
    g_assert_cmpuint(identity.cseq_number, ==, cseq_number);
    g_assert_cmpstr(identity.branch, ==, branch);
    g_assert_cmpstr(identity.sent_by_host, ==, host);
    g_assert_cmpuint(identity.sent_by_port, ==, port);
}

/* A request, its retransmission and its responses say what their transaction says: they share its identity. */
static void test_identity_shared_with_transaction(void)
{
    capture c = open_capture();
    const stored_message *invite = keep(&c, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *again = keep(&c, request("INVITE", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *ringing = keep(&c, response(180, 3, 600, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID,
                                                      FROM_TAG, TO_TAG));
    g_assert_null(invite->identity);
    g_assert_null(again->identity);
    g_assert_null(ringing->identity);
    assert_identity(invite, "INVITE", "INVITE", 1, BRANCH, ALICE_HOST, 0);
    assert_identity(ringing, NULL, "INVITE", 1, BRANCH, ALICE_HOST, 0);
    g_assert_cmpstr(stored_message_identity(ringing).call_id, ==, CALL_ID);
    close_capture(&c);
}

/* RFC 3261 §17.1.1.3: the ACK to a non-2xx joins the INVITE transaction with its own method: its own identity. */
static void test_identity_of_its_own(void)
{
    capture c = open_capture();
    const stored_message *ack = keep_rejected_call(&c);
    g_assert_cmpuint(ack->transaction->number, ==, 1);
    g_assert_nonnull(ack->identity);
    assert_identity(ack, "ACK", "ACK", 1, BRANCH, ALICE_HOST, 0);
    /* A response whose sent-by is written with a port: its own too. */
    const stored_message *other = keep(&c, response(486, 4, 300, BRANCH, "PC33.atlanta.com", 5060, 1, "INVITE",
                                                    CALL_ID, FROM_TAG, TO_TAG));
    g_assert_nonnull(other->identity);
    assert_identity(other, NULL, "INVITE", 1, BRANCH, "PC33.atlanta.com", 5060);
    close_capture(&c);
}

/* RFC 3261 §8.1.1.5: a message without a CSeq number keeps its defects, so the tree shows no number. */
static void test_identity_keeps_defects(void)
{
    capture c = open_capture();
    sipmsg broken = request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 0, CALL_ID, FROM_TAG, NULL);
    broken.defects = SIPMSG_DEFECT_NO_CSEQ;
    const stored_message *stored = keep(&c, broken);
    message_identity identity = stored_message_identity(stored);
    g_assert_cmpuint(identity.defects, ==, SIPMSG_DEFECT_NO_CSEQ);
    g_assert_false(sipmsg_cseq_number_valid(identity.defects));
    close_capture(&c);
}

/* The store keeps copies: the message's own buffers may go once it is kept. */
static void test_texts_outlive_the_message(void)
{
    capture c = open_capture();
    char call_id[] = "temporary@call", branch[] = "z9hG4bKtemporary", host[] = "host.example", phrase[] = "Busy";
    sipmsg busy = response(486, 1, 0, branch, host, 5062, 4, "INVITE", call_id, FROM_TAG, TO_TAG);
    busy.reason_phrase = phrase;
    busy.defects = SIPMSG_DEFECT_NO_CALL_ID;   /* an identity of its own, whatever the transaction */
    const stored_message *stored = keep(&c, busy);
    memset(call_id, 'x', sizeof(call_id) - 1);
    memset(branch, 'x', sizeof(branch) - 1);
    memset(host, 'x', sizeof(host) - 1);
    memset(phrase, 'x', sizeof(phrase) - 1);
    assert_identity(stored, NULL, "INVITE", 4, "z9hG4bKtemporary", "host.example", 5062);
    g_assert_cmpstr(stored_message_identity(stored).call_id, ==, "temporary@call");
    g_assert_cmpstr(stored->reason_phrase, ==, "Busy");
    g_assert_cmpuint(stored->status_code, ==, 486);
    close_capture(&c);
}

/* Only messages with findings, retransmissions, ACK targets or Reason causes keep details. */
static void test_details_only_when_needed(void)
{
    capture c = open_capture();
    const stored_message *options = keep(&c, request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_null(options->details);
    g_assert_cmpuint(stored_message_details(options)->findings, ==, 0);
    /* RFC 3261 §17.1.2.2 Timer E: re-sent after T1. */
    const stored_message *again = keep(&c, request("OPTIONS", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_nonnull(again->details);
    g_assert_cmpuint(again->role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(again->details->original_frame, ==, 1);
    g_assert_cmpuint(again->details->retransmission_number, ==, 1);
    g_assert_cmpint(again->details->interval_ns, ==, MS_TO_NS(500));
    g_assert_cmpint(again->details->expected_interval_ns, ==, MS_TO_NS(500));
    /* RFC 3326: a Reason header's causes are kept with the response. */
    sipmsg unavailable = response(480, 3, 600, BRANCH, ALICE_HOST, 0, 1, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG);
    unavailable.reason.has_q850_cause = TRUE;
    unavailable.reason.q850_cause = 18;
    const stored_message *final = keep(&c, unavailable);
    g_assert_nonnull(final->details);
    g_assert_true(final->details->reason.has_q850_cause);
    g_assert_cmpuint(final->details->reason.q850_cause, ==, 18);
    g_assert_cmpuint(final->state, ==, TRANSACTION_STATE_COMPLETED);
    close_capture(&c);
}

/* RFC 3261 §17.1.1.3: an ACK keeps its class and what it acknowledges. */
static void test_ack_details(void)
{
    capture c = open_capture();
    const stored_message *ack = keep_rejected_call(&c);
    const message_details *details = stored_message_details(ack);
    g_assert_cmpuint(details->ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(details->ack_evidence, ==, ACK_EVIDENCE_FINAL_RESPONSE);
    g_assert_cmpuint(details->ack_response_frame, ==, 2);
    g_assert_true(details->ack_invite == ack->transaction);
    close_capture(&c);
}

/* A TCP segment with two messages: both kept, in message order, found by the frame. */
static void test_frames(void)
{
    capture c = open_capture();
    sipmsg messages[2] = {
        request("OPTIONS", 7, 0, "z9hG4bKone", ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL),
        request("OPTIONS", 7, 0, "z9hG4bKtwo", ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, NULL),
    };
    message_result results[2];
    engine_process(c.engine, &messages[0], &results[0]);
    engine_process(c.engine, &messages[1], &results[1]);
    message_store_keep_frame(c.store, 7, messages, results, 2);
    guint32 first;
    g_assert_cmpuint(message_store_frame(c.store, 7, &first), ==, 2);
    g_assert_cmpuint(message_store_message(c.store, first)->transaction->number, ==, 1);
    g_assert_cmpuint(message_store_message(c.store, first + 1)->transaction->number, ==, 2);
    g_assert_null(message_store_message(c.store, first + 2));
    g_assert_cmpuint(message_store_frame(c.store, 6, &first), ==, 0);
    g_assert_cmpuint(message_store_frame(c.store, 8, &first), ==, 0);
    g_assert_cmpuint(message_store_frame(c.store, 100000, &first), ==, 0);
    /* A frame is kept once: a second pass's attempt changes nothing. */
    message_store_keep_frame(c.store, 7, messages, results, 1);
    g_assert_cmpuint(message_store_count(c.store), ==, 2);
    g_assert_cmpuint(message_store_frame(c.store, 7, &first), ==, 2);
    close_capture(&c);
}

/* A frame with more messages than one block of stored messages holds. */
static void test_large_frame(void)
{
    capture c = open_capture();
    const guint count = 5000;
    sipmsg *messages = g_new0(sipmsg, count);
    message_result *results = g_new0(message_result, count);
    char **branches = g_new0(char *, count);
    for (guint i = 0; i < count; i++) {
        branches[i] = g_strdup_printf("z9hG4bK%u", i);
        messages[i] = request("MESSAGE", 1, 0, branches[i], ALICE_HOST, 0, i + 1, CALL_ID, FROM_TAG, NULL);
        engine_process(c.engine, &messages[i], &results[i]);
    }
    message_store_keep_frame(c.store, 2, messages, results, 1);   /* frame 2 first: frames come in any order */
    message_store_keep_frame(c.store, 1, messages + 1, results + 1, count - 1);
    guint32 first;
    g_assert_cmpuint(message_store_frame(c.store, 1, &first), ==, count - 1);
    g_assert_cmpuint(first, ==, 1);
    for (guint i = 1; i < count; i++)
        g_assert_cmpuint(message_store_message(c.store, first + i - 1)->transaction->number, ==, i + 1);
    g_assert_cmpstr(stored_message_identity(message_store_message(c.store, first + count - 2)).branch, ==,
                    "z9hG4bK4999");
    g_assert_cmpuint(message_store_frame(c.store, 2, &first), ==, 1);
    g_assert_cmpstr(stored_message_identity(message_store_message(c.store, first)).branch, ==, "z9hG4bK0");
    for (guint i = 0; i < count; i++)
        g_free(branches[i]);
    g_free(branches);
    g_free(results);
    g_free(messages);
    close_capture(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/message_store/identity/shared-with-transaction", test_identity_shared_with_transaction);
    g_test_add_func("/message_store/identity/rfc3261/17.1.1.3/of-its-own", test_identity_of_its_own);
    g_test_add_func("/message_store/identity/rfc3261/8.1.1.5/keeps-defects", test_identity_keeps_defects);
    g_test_add_func("/message_store/identity/texts-outlive-the-message", test_texts_outlive_the_message);
    g_test_add_func("/message_store/details/only-when-needed", test_details_only_when_needed);
    g_test_add_func("/message_store/details/rfc3261/17.1.1.3/ack", test_ack_details);
    g_test_add_func("/message_store/frames/in-message-order", test_frames);
    g_test_add_func("/message_store/frames/large-frame", test_large_frame);
    return g_test_run();
}
