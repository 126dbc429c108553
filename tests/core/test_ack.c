/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ack.c: the two ACKs of RFC 3261 (§17.1.1.3 non-2xx vs §13.2.2.4 2xx), their matching and checks. */

#include <string.h>

#include <glib.h>

#include "message_builder.h"
#include "transaction.h"

#define ACK_BRANCH  "z9hG4bK-ack-776asdhds" /* a new branch, as the UAC core uses for the ACK to a 2xx */
#define TO_TAG_B    "314159"                /* a second UAS of a forked INVITE */

static sipmsg invite(guint32 frame, gint64 time_ms, guint32 cseq, const char *branch, const char *to_tag)
{
    return request("INVITE", frame, time_ms, branch, ALICE_HOST, 5060, cseq, CALL_ID, FROM_TAG, to_tag);
}

static sipmsg invite_response(guint status_code, guint32 frame, gint64 time_ms, guint32 cseq, const char *branch,
                              const char *to_tag)
{
    return response(status_code, frame, time_ms, branch, ALICE_HOST, 5060, cseq, "INVITE", CALL_ID, FROM_TAG, to_tag);
}

static sipmsg ack(guint32 frame, gint64 time_ms, guint32 cseq, const char *branch, const char *to_tag)
{
    return request("ACK", frame, time_ms, branch, ALICE_HOST, 5060, cseq, CALL_ID, FROM_TAG, to_tag);
}

/* The ACK to a 2xx goes to the remote target, the Contact of the 2xx (RFC 3261 §12.2.1.1, §13.2.2.4). */
static sipmsg ack_to_2xx(guint32 frame, gint64 time_ms, guint32 cseq, const char *branch, const char *to_tag)
{
    sipmsg message = ack(frame, time_ms, cseq, branch, to_tag);
    message.request_uri = BOB_CONTACT;
    return message;
}

/* INVITE (frame 1, t=0) and 486 Busy Here (frame 2, t=100 ms) with To tag TO_TAG. */
static transaction *busy_call(engine *e)
{
    message_result inv = feed(e, invite(1, 0, 1, BRANCH, NULL));
    feed(e, invite_response(486, 2, 100, 1, BRANCH, TO_TAG));
    return inv.transaction;
}

/* INVITE (frame 1, t=0) and 200 OK (frame 2, t=100 ms) with To tag TO_TAG. */
static transaction *answered_call(engine *e)
{
    message_result inv = feed(e, invite(1, 0, 1, BRANCH, NULL));
    feed(e, invite_response(200, 2, 100, 1, BRANCH, TO_TAG));
    return inv.transaction;
}

/* ---------- §17.1.1.3 ACK to a non-2xx ---------- */

/* RFC 3261 §17.1.1.3: the ACK to a 300-699 response has the INVITE's branch and is part of its transaction. */
static void test_ack_to_non_2xx_joins_invite(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = busy_call(e);
    message_result r = feed(e, ack(3, 150, 1, BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_FINAL_RESPONSE);
    g_assert_true(r.transaction == inv);
    g_assert_true(r.details.ack_invite == inv);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_ACK);
    g_assert_cmpuint(r.state, ==, TRANSACTION_STATE_CONFIRMED);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 2);
    g_assert_cmpuint(r.details.findings, ==, 0);
    g_assert_cmpuint(inv->ack_frame, ==, 3);
    g_assert_cmpuint(transaction_first_final(inv)->ack_frame, ==, 3);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: each retransmission of the 300-699 response is answered by a copy of the ACK. */
static void test_ack_to_non_2xx_retransmission(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = busy_call(e);
    feed(e, ack(3, 150, 1, BRANCH, TO_TAG));
    feed(e, invite_response(486, 4, 600, 1, BRANCH, TO_TAG));
    message_result again = feed(e, ack(5, 610, 1, BRANCH, TO_TAG));
    g_assert_true(again.transaction == inv);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_ACK_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 3);
    g_assert_cmpuint(again.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(again.details.findings, ==, 0);
    g_assert_cmpuint(again.state, ==, TRANSACTION_STATE_CONFIRMED);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: an ACK with the INVITE's branch whose final response is not in the capture is a non-2xx ACK. */
static void test_ack_branch_only(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, 1, BRANCH, NULL));
    message_result r = feed(e, ack(2, 3000, 1, BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_BRANCH_ONLY);
    g_assert_true(r.transaction == inv.transaction);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_ACK);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 0);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: an ACK that matches no INVITE in the capture cannot be classified. */
static void test_ack_without_invite(void)
{
    engine *e = engine_new(NULL);
    message_result other = feed(e, request("OPTIONS", 1, 0, "z9hG4bK-opt", ALICE_HOST, 5060, 7, CALL_ID, FROM_TAG,
                                           NULL));
    message_result r = feed(e, ack(2, 100, 1, BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_UNKNOWN);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_NO_INVITE);
    g_assert_true(r.details.findings & FINDING_ACK_WITHOUT_INVITE);
    g_assert_nonnull(r.transaction);
    g_assert_true(r.transaction != other.transaction);
    g_assert_cmpint(r.transaction->kind, ==, TRANSACTION_KIND_ACK);
    g_assert_cmpuint(r.transaction->number, ==, 2);
    g_assert_null(r.details.ack_invite);
    engine_free(e);
}

/* RFC 3261 §17.1.3, §17.1.1.3: an ACK to a final response whose INVITE is not in the capture joins that response's transaction. */
static void test_ack_after_response_without_request(void)
{
    engine *e = engine_new(NULL);
    message_result busy = feed(e, invite_response(486, 1, 0, 1, BRANCH, TO_TAG));
    message_result r = feed(e, ack(2, 50, 1, BRANCH, TO_TAG));
    g_assert_true(r.transaction == busy.transaction);
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_FINAL_RESPONSE);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 1);
    g_assert_true(r.details.findings & FINDING_ACK_WITHOUT_INVITE);
    g_assert_cmpuint(r.state, ==, TRANSACTION_STATE_CONFIRMED);
    engine_free(e);
}

/* ---------- §13.2.2.4 ACK to a 2xx ---------- */

/* RFC 3261 §13.2.2.4, §17.1.1.3: the ACK to a 2xx has a new branch and is a transaction of its own. */
static void test_ack_to_2xx_own_transaction(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = answered_call(e);
    message_result r = feed(e, ack_to_2xx(3, 150, 1, ACK_BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_FINAL_RESPONSE);
    g_assert_true(r.transaction != inv);
    g_assert_cmpint(r.transaction->kind, ==, TRANSACTION_KIND_ACK);
    g_assert_cmpuint(r.transaction->number, ==, 2);
    g_assert_true(transaction_links_of(r.transaction)->invite == inv);
    g_assert_true(r.details.ack_invite == inv);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_ACK);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 2);
    g_assert_cmpuint(r.details.findings, ==, 0);
    const final_response *ok = transaction_first_final(inv);
    g_assert_cmpuint(ok->ack_frame, ==, 3);
    g_assert_cmpuint(ok->ack_transaction, ==, r.transaction->number);
    g_assert_true(transaction_links_of(r.transaction)->acknowledges == ok);
    /* RFC 6026 §7.1, §7.2: the 2xx ACK passes; the INVITE transaction stays Accepted. */
    g_assert_cmpuint(inv->state, ==, TRANSACTION_STATE_ACCEPTED);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3, §13.2.2.4: the INVITE is in the capture, its final
 * response is not; an ACK with a new z9hG4bK branch can only be the 2xx ACK. */
static void test_ack_new_branch_without_final_is_2xx(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, 1, BRANCH, NULL));
    message_result r = feed(e, ack_to_2xx(2, 150, 1, ACK_BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_NO_FINAL_NEW_BRANCH);
    g_assert_true(r.details.ack_invite == inv.transaction);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 0);
    g_assert_cmpint(r.transaction->kind, ==, TRANSACTION_KIND_ACK);
    g_assert_true(transaction_links_of(r.transaction)->invite == inv.transaction);
    g_assert_false(r.details.findings & FINDING_ACK_BRANCH_MISMATCH);
    engine_free(e);
}

/* RFC 3261 §17.2.3: an ACK branch without the magic cookie says nothing about its class. */
static void test_ack_new_branch_without_final_rfc2543_unknown(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, 1, BRANCH, NULL));
    message_result r = feed(e, ack_to_2xx(2, 150, 1, "old-branch-2", TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_UNKNOWN);
    g_assert_cmpuint(r.details.ack_evidence, ==, ACK_EVIDENCE_NO_FINAL_NEW_BRANCH);
    engine_free(e);
}

/* RFC 3261 §13.2.2.4: the UAC core re-sends the same ACK (same branch) for each 2xx retransmission. */
static void test_ack_to_2xx_retransmission(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = answered_call(e);
    message_result first = feed(e, ack_to_2xx(3, 150, 1, ACK_BRANCH, TO_TAG));
    feed(e, invite_response(200, 4, 600, 1, BRANCH, TO_TAG));
    message_result again = feed(e, ack_to_2xx(5, 610, 1, ACK_BRANCH, TO_TAG));
    g_assert_true(again.transaction == first.transaction);
    g_assert_true(again.transaction != inv);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_ACK_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 3);
    g_assert_cmpuint(again.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(again.details.findings, ==, 0);
    g_assert_cmpuint(engine_transaction_count(e), ==, 2);
    engine_free(e);
}

/* RFC 3261 §13.2.2.4: every 2xx of a forked INVITE (one per To tag) is acknowledged by its own ACK. */
static void test_forked_2xx_each_ack_matched(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, 1, BRANCH, NULL));
    message_result ok_a = feed(e, invite_response(200, 2, 100, 1, BRANCH, TO_TAG));
    message_result ok_b = feed(e, invite_response(200, 3, 120, 1, BRANCH, TO_TAG_B));
    g_assert_true(ok_b.transaction == inv.transaction);
    g_assert_cmpuint(ok_b.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_true(ok_b.details.findings & FINDING_ADDITIONAL_FINAL);
    g_assert_false(ok_a.details.findings & FINDING_ADDITIONAL_FINAL);

    message_result ack_b = feed(e, ack_to_2xx(4, 150, 1, "z9hG4bK-ack-b", TO_TAG_B));
    message_result ack_a = feed(e, ack_to_2xx(5, 160, 1, "z9hG4bK-ack-a", TO_TAG));
    g_assert_cmpuint(ack_b.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(ack_a.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(ack_b.details.ack_response_frame, ==, 3);
    g_assert_cmpuint(ack_a.details.ack_response_frame, ==, 2);
    g_assert_true(ack_a.transaction != ack_b.transaction);
    g_assert_true(transaction_links_of(ack_a.transaction)->invite == inv.transaction);
    g_assert_true(transaction_links_of(ack_b.transaction)->invite == inv.transaction);
    const final_response *first = transaction_first_final(inv.transaction);
    g_assert_cmpuint(first->frame, ==, 2);
    g_assert_cmpuint(first->ack_frame, ==, 5);
    g_assert_nonnull(first->next);
    g_assert_cmpuint(first->next->frame, ==, 3);
    g_assert_cmpuint(first->next->ack_frame, ==, 4);
    g_assert_cmpuint(ack_a.details.findings, ==, 0);
    g_assert_cmpuint(ack_b.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §14.1, §13.2.2.4: a re-INVITE (CSeq + 1) is another transaction, and its ACK completes it, not the first. */
static void test_reinvite_distinct(void)
{
    engine *e = engine_new(NULL);
    transaction *first = answered_call(e);
    message_result first_ack = feed(e, ack_to_2xx(3, 150, 1, ACK_BRANCH, TO_TAG));
    sipmsg reinvite = invite(4, 5000, 2, "z9hG4bK-reinvite", TO_TAG);
    reinvite.request_uri = BOB_CONTACT;
    message_result re = feed(e, reinvite);
    feed(e, invite_response(200, 5, 5100, 2, "z9hG4bK-reinvite", TO_TAG));
    message_result re_ack = feed(e, ack_to_2xx(6, 5150, 2, "z9hG4bK-reinvite-ack", TO_TAG));
    g_assert_true(re.transaction != first);
    g_assert_cmpuint(re.role, ==, MESSAGE_ROLE_REQUEST);
    g_assert_true(first_ack.details.ack_invite == first);
    g_assert_true(re_ack.details.ack_invite == re.transaction);
    g_assert_true(transaction_links_of(re_ack.transaction)->invite == re.transaction);
    g_assert_cmpuint(re_ack.details.ack_response_frame, ==, 5);
    g_assert_cmpuint(re_ack.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_cmpuint(re_ack.details.findings, ==, 0);
    g_assert_cmpuint(transaction_first_final(first)->ack_frame, ==, 3);
    engine_free(e);
}

/* RFC 3261 §13.2.2.4, §12.2.1.1: the ACK to a 2xx is sent to the remote target; its Request-URI differing from the INVITE's is right. */
static void test_ack_to_2xx_request_uri_is_remote_target(void)
{
    engine *e = engine_new(NULL);
    answered_call(e);
    message_result r = feed(e, ack_to_2xx(3, 150, 1, ACK_BRANCH, TO_TAG));
    g_assert_false(r.details.findings & FINDING_ACK_HEADERS_DIFFER);
    engine_free(e);
}

/* ---------- violations ---------- */

/* RFC 3261 §17.1.1.3: the ACK to a 300-699 response must reuse the INVITE's branch. */
static void test_ack_branch_mismatch(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = busy_call(e);
    message_result r = feed(e, ack(3, 150, 1, ACK_BRANCH, TO_TAG));
    g_assert_true(r.details.findings & FINDING_ACK_BRANCH_MISMATCH);
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_true(r.details.ack_invite == inv);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 2);
    engine_free(e);
}

/* RFC 3261 §8.1.1.7, §13.2.2.4: the ACK to a 2xx must carry a new branch, not the INVITE's. */
static void test_ack_2xx_reuses_branch(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = answered_call(e);
    message_result r = feed(e, ack_to_2xx(3, 150, 1, BRANCH, TO_TAG));
    g_assert_true(r.details.findings & FINDING_ACK_2XX_REUSES_BRANCH);
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_true(r.details.ack_invite == inv);
    g_assert_true(r.transaction != inv);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: the ACK's CSeq number equals the INVITE's. */
static void test_ack_cseq_number(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = busy_call(e);
    message_result r = feed(e, ack(3, 150, 2, BRANCH, TO_TAG));
    g_assert_true(r.details.findings & FINDING_ACK_CSEQ_NUMBER);
    g_assert_true(r.transaction == inv);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: the ACK's CSeq method is ACK. */
static void test_ack_cseq_method(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    sipmsg bad = ack(3, 150, 1, BRANCH, TO_TAG);
    bad.cseq_method = "INVITE";
    message_result r = feed(e, bad);
    g_assert_true(r.details.findings & FINDING_ACK_CSEQ_METHOD);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: the ACK to a 300-699 response has the INVITE's Request-URI. */
static void test_ack_request_uri_differs(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    sipmsg bad = ack(3, 150, 1, BRANCH, TO_TAG);
    bad.request_uri = BOB_CONTACT;
    message_result r = feed(e, bad);
    g_assert_true(r.details.findings & FINDING_ACK_HEADERS_DIFFER);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: the ACK to a 300-699 response has the INVITE's From (tag included). */
static void test_ack_from_tag_differs(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    sipmsg bad = ack(3, 150, 1, BRANCH, TO_TAG);
    bad.from_tag = "456248";
    message_result r = feed(e, bad);
    g_assert_true(r.details.findings & FINDING_ACK_HEADERS_DIFFER);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3: the ACK's To equals the To of the response being acknowledged (with its tag). */
static void test_ack_to_tag_differs(void)
{
    engine *e = engine_new(NULL);
    transaction *inv = busy_call(e);
    message_result r = feed(e, ack(3, 150, 1, BRANCH, TO_TAG_B));
    g_assert_true(r.details.findings & FINDING_ACK_TO_TAG_DIFFERS);
    g_assert_true(r.transaction == inv);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: the ACK is re-sent only when the final response is re-sent. */
static void test_ack_unprompted_retransmission(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    message_result first = feed(e, ack(3, 150, 1, BRANCH, TO_TAG));
    message_result again = feed(e, ack(4, 650, 1, BRANCH, TO_TAG));
    g_assert_false(first.details.findings & FINDING_ACK_UNPROMPTED_RETRANSMISSION);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_ACK_RETRANSMISSION);
    g_assert_true(again.details.findings & FINDING_ACK_UNPROMPTED_RETRANSMISSION);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: an ACK re-sent after a re-sent final response is what the client must do. */
static void test_ack_retransmission_prompted_by_final(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    feed(e, ack(3, 150, 1, BRANCH, TO_TAG));
    feed(e, invite_response(486, 4, 600, 1, BRANCH, TO_TAG));
    message_result again = feed(e, ack(5, 650, 1, BRANCH, TO_TAG));
    g_assert_false(again.details.findings & FINDING_ACK_UNPROMPTED_RETRANSMISSION);
    feed(e, invite_response(486, 6, 1600, 1, BRANCH, TO_TAG));
    message_result third = feed(e, ack(7, 1650, 1, BRANCH, TO_TAG));
    g_assert_false(third.details.findings & FINDING_ACK_UNPROMPTED_RETRANSMISSION);
    g_assert_cmpuint(third.details.retransmission_number, ==, 2);
    engine_free(e);
}

/* RFC 3261 §13.2.2.4: the UAC core re-sends the ACK to a 2xx only for a re-sent 2xx. */
static void test_ack_2xx_unprompted_retransmission(void)
{
    engine *e = engine_new(NULL);
    answered_call(e);
    feed(e, ack_to_2xx(3, 150, 1, ACK_BRANCH, TO_TAG));
    message_result again = feed(e, ack_to_2xx(4, 650, 1, ACK_BRANCH, TO_TAG));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_ACK_RETRANSMISSION);
    g_assert_true(again.details.findings & FINDING_ACK_UNPROMPTED_RETRANSMISSION);
    engine_free(e);
}

/* RFC 3261 §17.2.1 Timer H: an ACK more than 64*T1 after the final response comes after the server gave up. */
static void test_ack_late(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    message_result r = feed(e, ack(3, 100 + 32500, 1, BRANCH, TO_TAG));
    g_assert_true(r.details.findings & FINDING_ACK_LATE);
    engine_free(e);
}

/* RFC 3261 §17.2.1 Timer H: an ACK within 64*T1 of the final response is in time. */
static void test_ack_in_time(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    message_result r = feed(e, ack(3, 100 + 31500, 1, BRANCH, TO_TAG));
    g_assert_false(r.details.findings & FINDING_ACK_LATE);
    engine_free(e);
}

/* RFC 3261 §13.3.1.4: an ACK to a 2xx more than 64*T1 after it comes after the UAS gave up. */
static void test_ack_2xx_late(void)
{
    engine *e = engine_new(NULL);
    answered_call(e);
    message_result r = feed(e, ack_to_2xx(3, 100 + 33000, 1, ACK_BRANCH, TO_TAG));
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_true(r.details.findings & FINDING_ACK_LATE);
    engine_free(e);
}

/* RFC 3261 §17.1.1.3, §18.1.1: the ACK to a non-2xx goes where the INVITE went, the same way (here TCP after UDP). */
static void test_ack_transport_changed(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    message_result r = feed(e, over_tcp(ack(3, 150, 1, BRANCH, TO_TAG)));
    g_assert_true(r.details.findings & FINDING_ACK_TRANSPORT_CHANGED);
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    engine_free(e);
}

/* RFC 3261 §18.1.1: an ACK is a request; above 1300 bytes it should not go over UDP. */
static void test_ack_udp_too_large(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    sipmsg big = ack(3, 150, 1, BRANCH, TO_TAG);
    big.length = 1500;
    message_result r = feed(e, big);
    g_assert_true(r.details.findings & FINDING_UDP_TOO_LARGE);
    engine_free(e);
}

/* ---------- §16 proxies ---------- */

#define HOP1_BRANCH "z9hG4bKnashds8"
#define HOP2_BRANCH "z9hG4bK77ef4c2312983.1"

/* Alice -> proxy (hop 1) and proxy -> Bob (hop 2), the proxy's Via on top of Alice's (RFC 3261 §16.6). */
static sipmsg hop1(sipmsg message)
{
    return message.is_request ? between(message, ALICE_ENDPOINT, PROXY_ENDPOINT)
                              : between(message, PROXY_ENDPOINT, ALICE_ENDPOINT);
}

static sipmsg hop2(sipmsg message)
{
    message = via_pushed(message, PROXY_HOST, 5060, HOP2_BRANCH);
    return message.is_request ? between(message, PROXY_ENDPOINT, BOB_ENDPOINT)
                              : between(message, BOB_ENDPOINT, PROXY_ENDPOINT);
}

/* RFC 3261 §16.7, §17.1.1.3: each hop acknowledges a 300-699 response within its own INVITE transaction. */
static void test_non_2xx_ack_per_hop(void)
{
    engine *e = engine_new(NULL);
    message_result inv1 = feed(e, hop1(invite(1, 0, 1, HOP1_BRANCH, NULL)));
    message_result inv2 = feed(e, hop2(invite(2, 10, 1, HOP1_BRANCH, NULL)));
    g_assert_true(transaction_links_of(inv2.transaction)->forwarded_from == inv1.transaction);
    feed(e, hop2(invite_response(486, 3, 100, 1, HOP1_BRANCH, TO_TAG)));
    /* The proxy's own ACK on hop 2: only its Via, the hop-2 branch (§17.1.1.3). */
    sipmsg proxy_ack = between(request("ACK", 4, 105, HOP2_BRANCH, PROXY_HOST, 5060, 1, CALL_ID, FROM_TAG, TO_TAG),
                               PROXY_ENDPOINT, BOB_ENDPOINT);
    message_result ack2 = feed(e, proxy_ack);
    feed(e, hop1(invite_response(486, 5, 110, 1, HOP1_BRANCH, TO_TAG)));
    message_result ack1 = feed(e, hop1(ack(6, 115, 1, HOP1_BRANCH, TO_TAG)));

    g_assert_true(ack2.transaction == inv2.transaction);
    g_assert_cmpuint(ack2.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(ack2.details.ack_response_frame, ==, 3);
    g_assert_cmpuint(ack2.state, ==, TRANSACTION_STATE_CONFIRMED);
    g_assert_true(ack1.transaction == inv1.transaction);
    g_assert_cmpuint(ack1.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(ack1.details.ack_response_frame, ==, 5);
    g_assert_cmpuint(ack1.state, ==, TRANSACTION_STATE_CONFIRMED);
    g_assert_cmpuint(ack1.details.findings, ==, 0);
    g_assert_cmpuint(ack2.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §16.6, §13.2.2.4: a 2xx ACK forwarded by a proxy is matched to the INVITE of its own hop and linked upstream. */
static void test_2xx_ack_through_proxy(void)
{
    engine *e = engine_new(NULL);
    message_result inv1 = feed(e, hop1(invite(1, 0, 1, HOP1_BRANCH, NULL)));
    message_result inv2 = feed(e, hop2(invite(2, 10, 1, HOP1_BRANCH, NULL)));
    feed(e, hop2(invite_response(200, 3, 100, 1, HOP1_BRANCH, TO_TAG)));
    feed(e, hop1(invite_response(200, 4, 110, 1, HOP1_BRANCH, TO_TAG)));
    message_result ack1 = feed(e, hop1(ack_to_2xx(5, 150, 1, ACK_BRANCH, TO_TAG)));
    /* The proxy forwards the ACK with a Via and branch of its own on top of Alice's (§16.6 step 8). */
    sipmsg forwarded = via_pushed(ack_to_2xx(6, 160, 1, ACK_BRANCH, TO_TAG), PROXY_HOST, 5060, "z9hG4bK-proxy-ack");
    message_result ack2 = feed(e, between(forwarded, PROXY_ENDPOINT, BOB_ENDPOINT));

    g_assert_cmpuint(ack1.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_true(ack1.details.ack_invite == inv1.transaction);
    g_assert_cmpuint(ack1.details.ack_response_frame, ==, 4);
    g_assert_cmpuint(ack2.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_true(ack2.details.ack_invite == inv2.transaction);
    g_assert_true(transaction_links_of(ack2.transaction)->invite == inv2.transaction);
    g_assert_cmpuint(ack2.details.ack_response_frame, ==, 3);
    g_assert_true(ack2.transaction != ack1.transaction);
    g_assert_true(transaction_links_of(ack2.transaction)->forwarded_from == ack1.transaction);
    g_assert_true(transaction_links_of(ack1.transaction)->forwarded_to == ack2.transaction);
    g_assert_cmpuint(ack1.details.findings, ==, 0);
    g_assert_cmpuint(ack2.details.findings, ==, 0);
    engine_free(e);
}

/* ---------- §17.2.3 RFC 2543 ---------- */

/* RFC 3261 §17.2.3: an RFC 2543 ACK with the response's To tag matches the INVITE transaction. */
static void test_rfc2543_ack_joins_invite(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, 1, NULL, NULL));
    feed(e, invite_response(486, 2, 100, 1, NULL, TO_TAG));
    message_result r = feed(e, ack(3, 150, 1, NULL, TO_TAG));
    g_assert_true(r.transaction == inv.transaction);
    g_assert_cmpuint(r.details.ack_class, ==, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_ACK);
    g_assert_cmpuint(r.details.ack_response_frame, ==, 2);
    g_assert_cmpuint(r.state, ==, TRANSACTION_STATE_CONFIRMED);
    engine_free(e);
}

/* RFC 3261 §17.2.3: an ACK matched with the RFC 2543 rules is flagged like every message matched that way. */
static void test_rfc2543_ack_finding(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, 1, NULL, NULL));
    feed(e, invite_response(486, 2, 100, 1, NULL, TO_TAG));
    message_result r = feed(e, ack(3, 150, 1, NULL, TO_TAG));
    g_assert_true(r.details.findings & FINDING_RFC2543_MATCHING);
    engine_free(e);
}

/* RFC 3261 §17.2.3: an RFC 2543 ACK whose To tag is not the response's does not match the INVITE transaction. */
static void test_rfc2543_ack_other_to_tag(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, 1, NULL, NULL));
    feed(e, invite_response(486, 2, 100, 1, NULL, TO_TAG));
    message_result r = feed(e, ack(3, 150, 1, NULL, TO_TAG_B));
    g_assert_true(r.transaction != inv.transaction);
    g_assert_cmpuint(r.details.ack_class, !=, ACK_CLASS_NON_2XX);
    g_assert_cmpuint(inv.transaction->state, ==, TRANSACTION_STATE_COMPLETED);
    engine_free(e);
}

/* ---------- hostile input ---------- */

/* Robustness: ACKs with NULL or empty fields are classified without crashing. */
static void test_ack_hostile_fields(void)
{
    engine *e = engine_new(NULL);
    busy_call(e);
    sipmsg bare;
    memset(&bare, 0, sizeof(bare));
    bare.is_request = TRUE;
    bare.method = "ACK";
    bare.frame = 3;
    message_result r1 = feed(e, bare);
    g_assert_cmpuint(r1.details.ack_class, ==, ACK_CLASS_UNKNOWN);
    g_assert_true(r1.details.findings & FINDING_UNMATCHABLE);
    g_assert_cmpuint(r1.transaction->number, ==, 2);

    /* Dialog identifiers of the call but no Via: found by dialog, no transaction key. */
    sipmsg no_via = ack(4, 150, 1, NULL, TO_TAG);
    memset(&no_via.top_via, 0, sizeof(no_via.top_via));
    no_via.via_count = 0;
    no_via.defects = SIPMSG_DEFECT_NO_VIA;
    message_result r2 = feed(e, no_via);
    g_assert_nonnull(r2.transaction);

    sipmsg blank = request("ACK", 5, 200, "", "", 0, 0, "", "", "");
    message_result r3 = feed(e, blank);
    g_assert_nonnull(r3.transaction);
    engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-to-non-2xx-joins-invite", test_ack_to_non_2xx_joins_invite);
    g_test_add_func("/ack/rfc3261/17.1.1.2/ack-to-non-2xx-retransmission", test_ack_to_non_2xx_retransmission);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-branch-only", test_ack_branch_only);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-without-invite", test_ack_without_invite);
    g_test_add_func("/ack/rfc3261/17.1.3/ack-after-response-without-request", test_ack_after_response_without_request);

    g_test_add_func("/ack/rfc3261/13.2.2.4/ack-to-2xx-own-transaction", test_ack_to_2xx_own_transaction);
    g_test_add_func("/ack/rfc3261/17.1.1.3/new-branch-without-final-is-2xx", test_ack_new_branch_without_final_is_2xx);
    g_test_add_func("/ack/rfc3261/17.2.3/new-branch-without-final-rfc2543-unknown",
                    test_ack_new_branch_without_final_rfc2543_unknown);
    g_test_add_func("/ack/rfc3261/13.2.2.4/ack-to-2xx-retransmission", test_ack_to_2xx_retransmission);
    g_test_add_func("/ack/rfc3261/13.2.2.4/forked-2xx-each-ack-matched", test_forked_2xx_each_ack_matched);
    g_test_add_func("/ack/rfc3261/14.1/re-invite-is-distinct", test_reinvite_distinct);
    g_test_add_func("/ack/rfc3261/13.2.2.4/ack-to-2xx-request-uri-is-remote-target",
                    test_ack_to_2xx_request_uri_is_remote_target);

    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-branch-mismatch", test_ack_branch_mismatch);
    g_test_add_func("/ack/rfc3261/13.2.2.4/ack-2xx-reuses-branch", test_ack_2xx_reuses_branch);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-cseq-number", test_ack_cseq_number);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-cseq-method", test_ack_cseq_method);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-request-uri-differs", test_ack_request_uri_differs);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-from-tag-differs", test_ack_from_tag_differs);
    g_test_add_func("/ack/rfc3261/17.1.1.3/ack-to-tag-differs", test_ack_to_tag_differs);
    g_test_add_func("/ack/rfc3261/17.1.1.2/ack-unprompted-retransmission", test_ack_unprompted_retransmission);
    g_test_add_func("/ack/rfc3261/17.1.1.2/ack-retransmission-prompted-by-final",
                    test_ack_retransmission_prompted_by_final);
    g_test_add_func("/ack/rfc3261/13.2.2.4/ack-2xx-unprompted-retransmission", test_ack_2xx_unprompted_retransmission);
    g_test_add_func("/ack/rfc3261/17.2.1/ack-late", test_ack_late);
    g_test_add_func("/ack/rfc3261/17.2.1/ack-in-time", test_ack_in_time);
    g_test_add_func("/ack/rfc3261/13.3.1.4/ack-2xx-late", test_ack_2xx_late);
    g_test_add_func("/ack/rfc3261/18.1.1/ack-transport-changed", test_ack_transport_changed);
    g_test_add_func("/ack/rfc3261/18.1.1/ack-udp-too-large", test_ack_udp_too_large);

    g_test_add_func("/ack/rfc3261/16.7/non-2xx-ack-per-hop", test_non_2xx_ack_per_hop);
    g_test_add_func("/ack/rfc3261/16.6/2xx-ack-through-proxy", test_2xx_ack_through_proxy);

    g_test_add_func("/ack/rfc3261/17.2.3/rfc2543-ack-joins-invite", test_rfc2543_ack_joins_invite);
    g_test_add_func("/ack/rfc3261/17.2.3/rfc2543-ack-finding", test_rfc2543_ack_finding);
    g_test_add_func("/ack/rfc3261/17.2.3/rfc2543-ack-other-to-tag", test_rfc2543_ack_other_to_tag);

    g_test_add_func("/ack/robustness/null-and-empty-fields", test_ack_hostile_fields);

    return g_test_run();
}
