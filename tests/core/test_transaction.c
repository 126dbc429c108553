/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_transaction.c: RFC 3261 §17 transaction matching, roles, states and timers of the engine. */

#include <string.h>

#include <glib.h>

#include "message_builder.h"
#include "transaction.h"

/* Alice's INVITE (CSeq 1 INVITE) with the given branch, and Bob's responses to it. */
static sipmsg invite(guint32 frame, gint64 time_ms, const char *branch)
{
    return request("INVITE", frame, time_ms, branch, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL);
}

static sipmsg invite_response(guint status_code, guint32 frame, gint64 time_ms, const char *branch)
{
    return response(status_code, frame, time_ms, branch, ALICE_HOST, 5060, 1, "INVITE", CALL_ID, FROM_TAG,
                    status_code == 100 ? NULL : TO_TAG);
}

static sipmsg ack(guint32 frame, gint64 time_ms, const char *branch)
{
    return request("ACK", frame, time_ms, branch, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, TO_TAG);
}

/* Alice's REGISTER (CSeq 1 REGISTER), a non-INVITE transaction, and the registrar's responses. */
static sipmsg register_request(guint32 frame, gint64 time_ms, const char *branch)
{
    return request("REGISTER", frame, time_ms, branch, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL);
}

static sipmsg register_response(guint status_code, guint32 frame, gint64 time_ms, const char *branch)
{
    return response(status_code, frame, time_ms, branch, ALICE_HOST, 5060, 1, "REGISTER", CALL_ID, FROM_TAG,
                    status_code == 100 ? NULL : TO_TAG);
}

/* ---------- §17.2.3 / §17.1.3 matching ---------- */

/* RFC 3261 §17.2.3: a request that matches no transaction creates one. */
static void test_request_creates_transaction(void)
{
    engine *e = engine_new(NULL);
    message_result r = feed(e, invite(1, 0, BRANCH));
    g_assert_nonnull(r.transaction);
    g_assert_cmpuint(r.transaction->number, ==, 1);
    g_assert_cmpint(r.transaction->kind, ==, TRANSACTION_KIND_INVITE);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST);
    g_assert_cmpuint(r.transaction->request_frame, ==, 1);
    g_assert_cmpuint(r.details.findings, ==, 0);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* RFC 3261 §17.2.3: same top Via branch, sent-by and method: a retransmission of the request. */
static void test_request_retransmission_same_branch(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, invite(1, 0, BRANCH));
    message_result again = feed(e, invite(2, 500, BRANCH));
    g_assert_true(again.transaction == first.transaction);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 1);
    g_assert_cmpuint(again.details.retransmission_number, ==, 1);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* RFC 3261 §17.2.3: a request with another branch belongs to another transaction. */
static void test_different_branch_is_another_transaction(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, invite(1, 0, "z9hG4bK776asdhds"));
    message_result second = feed(e, invite(2, 500, "z9hG4bKnashds8"));
    g_assert_true(second.transaction != first.transaction);
    g_assert_cmpuint(second.transaction->number, ==, 2);
    g_assert_cmpuint(second.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.2.3: the same branch from another sent-by belongs to another transaction. */
static void test_different_sent_by_is_another_transaction(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, invite(1, 0, BRANCH));
    sipmsg other = invite(2, 100, BRANCH);
    other.top_via.host = "client.chicago.com";
    message_result second = feed(e, between(other, "192.0.2.55:5060", BOB_ENDPOINT));
    g_assert_true(second.transaction != first.transaction);
    g_assert_cmpuint(second.transaction->number, ==, 2);
    g_assert_cmpuint(second.role, ==, MESSAGE_ROLE_REQUEST);

    sipmsg other_port = invite(3, 200, BRANCH);
    other_port.top_via.port = 5070;
    message_result third = feed(e, other_port);
    g_assert_cmpuint(third.transaction->number, ==, 3);
    g_assert_cmpuint(third.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.2.3: the same branch with another method (other than ACK) is another transaction. */
static void test_different_method_is_another_transaction(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, register_request(1, 0, BRANCH));
    message_result second =
        feed(e, request("OPTIONS", 2, 100, BRANCH, ALICE_HOST, 5060, 2, CALL_ID, FROM_TAG, NULL));
    g_assert_true(second.transaction != first.transaction);
    g_assert_cmpuint(second.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.1.3: a response matches the transaction with its top Via branch and sent-by and its CSeq method. */
static void test_response_matches_branch_sent_by_method(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    message_result ringing = feed(e, invite_response(180, 2, 100, BRANCH));
    message_result ok = feed(e, invite_response(200, 3, 2000, BRANCH));
    g_assert_true(ringing.transaction == req.transaction);
    g_assert_true(ok.transaction == req.transaction);
    g_assert_cmpuint(ringing.details.findings, ==, 0);
    g_assert_cmpuint(ok.details.findings, ==, 0);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* RFC 3261 §17.1.3: a response with another branch matches no client transaction. */
static void test_response_other_branch_does_not_match(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    message_result stray = feed(e, invite_response(486, 2, 100, "z9hG4bKnashds8"));
    g_assert_true(stray.transaction != req.transaction);
    g_assert_true(stray.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    g_assert_null(transaction_first_final(req.transaction));
    engine_free(e);
}

/* RFC 3261 §17.1.3: a response whose top Via has another sent-by matches no client transaction. */
static void test_response_other_sent_by_does_not_match(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    message_result stray =
        feed(e, response(486, 2, 100, BRANCH, "client.chicago.com", 5060, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_true(stray.transaction != req.transaction);
    g_assert_true(stray.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.1.3: with two Vias the response matches on the top one only. */
static void test_response_matches_top_via(void)
{
    engine *e = engine_new(NULL);
    message_result hop1 = feed(e, between(invite(1, 0, "z9hG4bKnashds8"), ALICE_ENDPOINT, PROXY_ENDPOINT));
    message_result hop2 = feed(e, between(via_pushed(invite(2, 10, "z9hG4bKnashds8"), PROXY_HOST, 5060,
                                                     "z9hG4bK77ef4c2312983.1"),
                                          PROXY_ENDPOINT, BOB_ENDPOINT));
    message_result ringing2 = feed(e, between(via_pushed(invite_response(180, 3, 100, "z9hG4bKnashds8"),
                                                         PROXY_HOST, 5060, "z9hG4bK77ef4c2312983.1"),
                                              BOB_ENDPOINT, PROXY_ENDPOINT));
    message_result ringing1 =
        feed(e, between(invite_response(180, 4, 110, "z9hG4bKnashds8"), PROXY_ENDPOINT, ALICE_ENDPOINT));
    g_assert_true(ringing2.transaction == hop2.transaction);
    g_assert_true(ringing1.transaction == hop1.transaction);
    g_assert_cmpuint(ringing2.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(ringing1.role, ==, MESSAGE_ROLE_PROVISIONAL);
    engine_free(e);
}

/* RFC 3261 §17: transactions are numbered 1..N in the order they first appear. */
static void test_numbering_in_order_of_first_appearance(void)
{
    engine *e = engine_new(NULL);
    message_result a = feed(e, invite(1, 0, "z9hG4bK-a"));
    message_result b = feed(e, register_request(2, 10, "z9hG4bK-b"));
    message_result a_ringing = feed(e, invite_response(180, 3, 20, "z9hG4bK-a"));
    message_result c = feed(e, register_response(200, 4, 30, "z9hG4bK-c"));
    message_result b_ok = feed(e, register_response(200, 5, 40, "z9hG4bK-b"));
    message_result d = feed(e, invite(6, 50, "z9hG4bK-d"));
    g_assert_cmpuint(a.transaction->number, ==, 1);
    g_assert_cmpuint(b.transaction->number, ==, 2);
    g_assert_cmpuint(a_ringing.transaction->number, ==, 1);
    g_assert_cmpuint(c.transaction->number, ==, 3);
    g_assert_cmpuint(b_ok.transaction->number, ==, 2);
    g_assert_cmpuint(d.transaction->number, ==, 4);
    g_assert_cmpuint(engine_transaction_count(e), ==, 4);
    engine_free(e);
}

/* ---------- §17.1.1 / §17.2.1 INVITE states ---------- */

/* RFC 3261 §17.1.1.2: an INVITE client transaction starts in Calling. */
static void test_invite_starts_calling(void)
{
    engine *e = engine_new(NULL);
    message_result r = feed(e, invite(1, 0, BRANCH));
    g_assert_cmpuint(r.state, ==, TRANSACTION_STATE_CALLING);
    g_assert_cmpuint(r.transaction->state, ==, TRANSACTION_STATE_CALLING);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: a provisional response moves Calling to Proceeding. */
static void test_invite_provisional_proceeding(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    message_result ringing = feed(e, invite_response(180, 2, 100, BRANCH));
    g_assert_cmpuint(ringing.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(ringing.state, ==, TRANSACTION_STATE_PROCEEDING);
    g_assert_cmpuint(ringing.transaction->provisional_frame, ==, 2);
    engine_free(e);
}

/* RFC 3261 §17.2.1: the server re-sends its last provisional response on a request retransmission. */
static void test_provisional_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    message_result trying = feed(e, invite_response(100, 2, 50, BRANCH));
    feed(e, invite(3, 500, BRANCH));
    message_result trying_again = feed(e, invite_response(100, 4, 550, BRANCH));
    g_assert_cmpuint(trying.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(trying_again.role, ==, MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION);
    g_assert_cmpuint(trying_again.details.original_frame, ==, 2);
    g_assert_true(trying_again.transaction == trying.transaction);
    g_assert_cmpuint(trying_again.state, ==, TRANSACTION_STATE_PROCEEDING);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: another provisional response (180 after 100) is not a retransmission. */
static void test_distinct_provisional_is_not_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(100, 2, 50, BRANCH));
    message_result ringing = feed(e, invite_response(180, 3, 100, BRANCH));
    g_assert_cmpuint(ringing.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(ringing.transaction->provisional_frame, ==, 2);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: a 300-699 response moves the INVITE transaction to Completed. */
static void test_invite_non_2xx_final_completed(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    message_result busy = feed(e, invite_response(486, 3, 2000, BRANCH));
    g_assert_cmpuint(busy.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(busy.state, ==, TRANSACTION_STATE_COMPLETED);
    const final_response *final = transaction_first_final(busy.transaction);
    g_assert_nonnull(final);
    g_assert_cmpuint(final->frame, ==, 3);
    g_assert_cmpuint(final->status_code, ==, 486);
    g_assert_null(final->next);
    engine_free(e);
}

/* RFC 3261 §17.2.1: the server re-sends its 300-699 response in Completed (Timer G / request retransmission). */
static void test_final_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    message_result busy = feed(e, invite_response(486, 2, 100, BRANCH));
    message_result busy_again = feed(e, invite_response(486, 3, 600, BRANCH));
    g_assert_true(busy_again.transaction == busy.transaction);
    g_assert_cmpuint(busy_again.role, ==, MESSAGE_ROLE_FINAL_RETRANSMISSION);
    g_assert_cmpuint(busy_again.details.original_frame, ==, 2);
    g_assert_cmpuint(busy_again.details.retransmission_number, ==, 1);
    g_assert_cmpuint(busy_again.state, ==, TRANSACTION_STATE_COMPLETED);
    g_assert_null(transaction_first_final(busy.transaction)->next);
    engine_free(e);
}

/* RFC 3261 §17.2.1: the ACK moves the server INVITE transaction from Completed to Confirmed. */
static void test_invite_ack_confirmed(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(486, 2, 100, BRANCH));
    message_result acked = feed(e, ack(3, 150, BRANCH));
    g_assert_cmpuint(acked.state, ==, TRANSACTION_STATE_CONFIRMED);
    g_assert_cmpuint(acked.transaction->state, ==, TRANSACTION_STATE_CONFIRMED);
    engine_free(e);
}

/* RFC 6026 §7.1, §7.2: a 2xx response moves the INVITE transaction to
 * Accepted; re-sent 2xx keep it there; Timer L/M (64*T1) terminates it. */
static void test_invite_2xx_accepted(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    message_result ok = feed(e, invite_response(200, 3, 2000, BRANCH));
    g_assert_cmpuint(ok.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(ok.state, ==, TRANSACTION_STATE_ACCEPTED);
    message_result again = feed(e, invite_response(200, 4, 2500, BRANCH));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_FINAL_RETRANSMISSION);
    g_assert_cmpuint(again.state, ==, TRANSACTION_STATE_ACCEPTED);
    /* 64*T1 = 32 s after the first 2xx, and a little more. */
    message_result late = feed(e, invite_response(200, 5, 2000 + 32001, BRANCH));
    g_assert_cmpuint(late.state, ==, TRANSACTION_STATE_TERMINATED);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2, chosen by preference: a 2xx terminates the INVITE transaction at once. */
static void test_invite_2xx_terminated_rfc3261(void)
{
    engine_settings settings;
    engine_settings_default(&settings);
    settings.rfc3261_states = TRUE;
    engine *e = engine_new(&settings);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    message_result ok = feed(e, invite_response(200, 3, 2000, BRANCH));
    g_assert_cmpuint(ok.state, ==, TRANSACTION_STATE_TERMINATED);
    engine_free(e);
}

/* RFC 6026 §8.4: a forked 2xx after Timer M finds no client transaction. */
static void test_forked_2xx_after_timer_m(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(200, 2, 100, BRANCH));
    sipmsg in_time = invite_response(200, 3, 1100, BRANCH);
    in_time.to_tag = "second-uas";
    message_result forked = feed(e, in_time);
    g_assert_true(forked.details.findings & FINDING_ADDITIONAL_FINAL);
    g_assert_false(forked.details.findings & FINDING_FINAL_LATE);
    sipmsg after = invite_response(200, 4, 100 + 33000, BRANCH);
    after.to_tag = "third-uas";
    message_result late = feed(e, after);
    g_assert_true(late.details.findings & FINDING_ADDITIONAL_FINAL);
    g_assert_true(late.details.findings & FINDING_FINAL_LATE);
    g_assert_cmpuint(late.state, ==, TRANSACTION_STATE_TERMINATED);
    engine_free(e);
}

/* RFC 3261 §18.1.1: the top Via names the hop's transport.  A capture that
 * carries a TCP hop's messages over UDP (HEP) must not judge them by Timer A. */
static void test_timers_follow_via_transport(void)
{
    engine *e = engine_new(NULL);
    sipmsg first = invite(1, 0, BRANCH);
    first.top_via.transport = "TCP";
    feed(e, first);
    sipmsg again = first;
    again.frame = 2;
    again.time_ns = MS_TO_NS(100);
    message_result r = feed(e, again);
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_false(r.details.findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED));
    engine_free(e);
}

/* §17.1.1.2: a retransmission is a copy; different bytes are noted. */
static void test_retransmission_differs(void)
{
    engine *e = engine_new(NULL);
    sipmsg first = invite(1, 0, BRANCH);
    first.digest = 42;
    feed(e, first);
    sipmsg same = first;
    same.frame = 2;
    same.time_ns = MS_TO_NS(500);
    message_result copy = feed(e, same);
    g_assert_false(copy.details.findings & FINDING_RETRANSMISSION_DIFFERS);
    sipmsg other = same;
    other.frame = 3;
    other.time_ns = MS_TO_NS(1500);
    other.digest = 43;
    message_result changed = feed(e, other);
    g_assert_cmpuint(changed.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_true(changed.details.findings & FINDING_RETRANSMISSION_DIFFERS);
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: a non-INVITE transaction goes Trying -> Proceeding -> Completed. */
static void test_non_invite_states(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, register_request(1, 0, BRANCH));
    g_assert_cmpint(req.transaction->kind, ==, TRANSACTION_KIND_NON_INVITE);
    g_assert_cmpuint(req.state, ==, TRANSACTION_STATE_TRYING);
    message_result trying = feed(e, register_response(100, 2, 50, BRANCH));
    g_assert_cmpuint(trying.state, ==, TRANSACTION_STATE_PROCEEDING);
    message_result ok = feed(e, register_response(200, 3, 100, BRANCH));
    g_assert_cmpuint(ok.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(ok.state, ==, TRANSACTION_STATE_COMPLETED);
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: a final response in Trying moves the non-INVITE transaction straight to Completed. */
static void test_non_invite_trying_to_completed(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    message_result unauthorized = feed(e, register_response(401, 2, 50, BRANCH));
    g_assert_cmpuint(unauthorized.state, ==, TRANSACTION_STATE_COMPLETED);
    engine_free(e);
}

/* ---------- §9.2 CANCEL ---------- */

/* RFC 3261 §9.2: a CANCEL has the INVITE's branch but is a transaction of its own, linked to the INVITE. */
static void test_cancel_own_transaction(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    message_result cancel =
        feed(e, request("CANCEL", 3, 3000, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_true(cancel.transaction != inv.transaction);
    g_assert_cmpuint(cancel.transaction->number, ==, 2);
    g_assert_cmpuint(cancel.role, ==, MESSAGE_ROLE_CANCEL);
    g_assert_cmpint(cancel.transaction->kind, ==, TRANSACTION_KIND_NON_INVITE);
    g_assert_true(transaction_links_of(cancel.transaction)->cancels == inv.transaction);
    g_assert_true(transaction_links_of(inv.transaction)->cancelled_by == cancel.transaction);
    engine_free(e);
}

/* RFC 3261 §9.2: a CANCEL re-sent with the same branch is a retransmission within the CANCEL transaction. */
static void test_cancel_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    message_result cancel =
        feed(e, request("CANCEL", 2, 3000, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    message_result again =
        feed(e, request("CANCEL", 3, 3500, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_true(again.transaction == cancel.transaction);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_CANCEL_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 2);
    engine_free(e);
}

/* RFC 3261 §9.2: the 200 to the CANCEL belongs to the CANCEL, the 487 to the INVITE. */
static void test_cancel_200_and_487(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    message_result cancel =
        feed(e, request("CANCEL", 3, 3000, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    message_result cancel_ok =
        feed(e, response(200, 4, 3010, BRANCH, ALICE_HOST, 5060, 1, "CANCEL", CALL_ID, FROM_TAG, TO_TAG));
    message_result terminated = feed(e, invite_response(487, 5, 3020, BRANCH));
    g_assert_true(cancel_ok.transaction == cancel.transaction);
    g_assert_cmpuint(cancel_ok.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(cancel_ok.state, ==, TRANSACTION_STATE_COMPLETED);
    g_assert_cmpuint(cancel_ok.details.findings, ==, 0);
    g_assert_true(terminated.transaction == inv.transaction);
    g_assert_cmpuint(terminated.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(terminated.state, ==, TRANSACTION_STATE_COMPLETED);
    g_assert_cmpuint(terminated.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §9.2: a final response to the INVITE after the CANCEL (here 408) still belongs to the INVITE. */
static void test_408_after_cancel_belongs_to_invite(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(100, 2, 50, BRANCH));
    message_result cancel =
        feed(e, request("CANCEL", 3, 3000, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    message_result timeout = feed(e, invite_response(408, 4, 3005, BRANCH));
    g_assert_true(timeout.transaction == inv.transaction);
    g_assert_true(timeout.transaction != cancel.transaction);
    g_assert_cmpuint(timeout.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(timeout.details.findings, ==, 0);
    engine_free(e);
}

/* ---------- §17.2.3 RFC 2543 matching ---------- */

static sipmsg old_invite(guint32 frame, gint64 time_ms, const char *branch)
{
    return request("INVITE", frame, time_ms, branch, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL);
}

/* RFC 3261 §17.2.3: a top Via without branch is matched with the RFC 2543 rules. */
static void test_rfc2543_no_branch(void)
{
    engine *e = engine_new(NULL);
    message_result r = feed(e, old_invite(1, 0, NULL));
    g_assert_true(r.details.findings & FINDING_RFC2543_MATCHING);
    g_assert_true(transaction_is_rfc2543(r.transaction));
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.2.3: a branch without the magic cookie z9hG4bK is matched with the RFC 2543 rules. */
static void test_rfc2543_branch_without_cookie(void)
{
    engine *e = engine_new(NULL);
    message_result r = feed(e, old_invite(1, 0, "776asdhds"));
    g_assert_true(r.details.findings & FINDING_RFC2543_MATCHING);
    g_assert_true(transaction_is_rfc2543(r.transaction));
    engine_free(e);
}

/* RFC 3261 §17.2.3: a branch with the magic cookie is matched with the RFC 3261 rules. */
static void test_rfc3261_cookie_no_rfc2543_finding(void)
{
    engine *e = engine_new(NULL);
    message_result r = feed(e, invite(1, 0, BRANCH));
    g_assert_false(r.details.findings & FINDING_RFC2543_MATCHING);
    g_assert_false(transaction_is_rfc2543(r.transaction));
    engine_free(e);
}

/* RFC 3261 §17.2.3: an RFC 2543 request with the same Request-URI, tags, Call-ID, CSeq and top Via is a retransmission. */
static void test_rfc2543_retransmission_joins(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, old_invite(1, 0, NULL));
    message_result again = feed(e, old_invite(2, 500, NULL));
    g_assert_true(again.transaction == first.transaction);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 1);
    g_assert_true(again.details.findings & FINDING_RFC2543_MATCHING);
    engine_free(e);
}

/* RFC 3261 §17.2.3: RFC 2543 requests with another Call-ID, From tag, CSeq or top Via are other transactions. */
static void test_rfc2543_other_identifiers(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, old_invite(1, 0, NULL));
    message_result other_call_id =
        feed(e, request("INVITE", 2, 10, NULL, ALICE_HOST, 5060, 1, "f81d4fae@pc33.atlanta.com", FROM_TAG, NULL));
    message_result other_from_tag =
        feed(e, request("INVITE", 3, 20, NULL, ALICE_HOST, 5060, 1, CALL_ID, "456248", NULL));
    message_result other_cseq = feed(e, request("INVITE", 4, 30, NULL, ALICE_HOST, 5060, 2, CALL_ID, FROM_TAG, NULL));
    message_result other_via =
        feed(e, request("INVITE", 5, 40, NULL, "client.chicago.com", 5060, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpuint(first.transaction->number, ==, 1);
    g_assert_cmpuint(other_call_id.transaction->number, ==, 2);
    g_assert_cmpuint(other_from_tag.transaction->number, ==, 3);
    g_assert_cmpuint(other_cseq.transaction->number, ==, 4);
    g_assert_cmpuint(other_via.transaction->number, ==, 5);
    g_assert_cmpuint(other_via.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.2.3: an RFC 2543 request with another Request-URI or To tag is another transaction. */
static void test_rfc2543_other_request_uri_or_to_tag(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, old_invite(1, 0, NULL));
    sipmsg other_uri = old_invite(2, 10, NULL);
    other_uri.request_uri = "sip:carol@chicago.com";
    message_result second = feed(e, other_uri);
    sipmsg other_to_tag = old_invite(3, 20, NULL);
    other_to_tag.to_tag = "314159";
    message_result third = feed(e, other_to_tag);
    g_assert_true(second.transaction != first.transaction);
    g_assert_true(third.transaction != first.transaction);
    g_assert_true(third.transaction != second.transaction);
    g_assert_cmpuint(third.role, ==, MESSAGE_ROLE_REQUEST);
    engine_free(e);
}

/* RFC 3261 §17.2.3: a response to an RFC 2543 request matches it by Call-ID, CSeq, From tag and top Via. */
static void test_rfc2543_response_matches(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, old_invite(1, 0, NULL));
    message_result busy = feed(e, invite_response(486, 2, 100, NULL));
    g_assert_true(busy.transaction == req.transaction);
    g_assert_cmpuint(busy.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_true(busy.details.findings & FINDING_RFC2543_MATCHING);
    g_assert_false(busy.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    engine_free(e);
}

/* ---------- §18 transport ---------- */

/* RFC 3261 §17.2.3, §18: matching ignores the transport; a transaction seen over UDP then TCP keeps its number. */
static void test_transport_independent(void)
{
    engine *e = engine_new(NULL);
    message_result udp = feed(e, invite(1, 0, BRANCH));
    message_result tcp = feed(e, over_tcp(invite(2, 500, BRANCH)));
    message_result ringing = feed(e, over_tcp(invite_response(180, 3, 600, BRANCH)));
    g_assert_true(tcp.transaction == udp.transaction);
    g_assert_cmpuint(tcp.transaction->number, ==, 1);
    g_assert_cmpuint(tcp.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_true(ringing.transaction == udp.transaction);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* RFC 3261 §18.1.1: a request larger than 1300 bytes should not be sent over UDP. */
static void test_udp_request_above_1300_bytes(void)
{
    engine *e = engine_new(NULL);
    sipmsg big = invite(1, 0, BRANCH);
    big.length = 1301;
    message_result r = feed(e, big);
    g_assert_true(r.details.findings & FINDING_UDP_TOO_LARGE);
    engine_free(e);
}

/* RFC 3261 §18.1.1: a request of exactly 1300 bytes may go over UDP. */
static void test_udp_request_of_1300_bytes(void)
{
    engine *e = engine_new(NULL);
    sipmsg limit = invite(1, 0, BRANCH);
    limit.length = 1300;
    message_result r = feed(e, limit);
    g_assert_false(r.details.findings & FINDING_UDP_TOO_LARGE);
    engine_free(e);
}

/* RFC 3261 §18.1.1: a large request over TCP (congestion controlled) is fine. */
static void test_tcp_request_above_1300_bytes(void)
{
    engine *e = engine_new(NULL);
    sipmsg big = over_tcp(invite(1, 0, BRANCH));
    big.length = 4000;
    message_result r = feed(e, big);
    g_assert_false(r.details.findings & FINDING_UDP_TOO_LARGE);
    engine_free(e);
}

/* ---------- §16.6 forwarding ---------- */

/* RFC 3261 §16.6 step 8: a proxy's request carries the upstream request's top Via as its second Via. */
static void test_forwarded_request_links_hops(void)
{
    engine *e = engine_new(NULL);
    message_result hop1 = feed(e, between(invite(1, 0, "z9hG4bKnashds8"), ALICE_ENDPOINT, PROXY_ENDPOINT));
    message_result hop2 = feed(e, between(via_pushed(invite(2, 10, "z9hG4bKnashds8"), PROXY_HOST, 5060,
                                                     "z9hG4bK77ef4c2312983.1"),
                                          PROXY_ENDPOINT, BOB_ENDPOINT));
    g_assert_true(hop2.transaction != hop1.transaction);
    g_assert_cmpuint(hop2.role, ==, MESSAGE_ROLE_REQUEST);
    g_assert_true(transaction_links_of(hop2.transaction)->forwarded_from == hop1.transaction);
    g_assert_true(transaction_links_of(hop1.transaction)->forwarded_to == hop2.transaction);
    g_assert_null(transaction_links_of(hop1.transaction)->forwarded_from);
    g_assert_null(transaction_links_of(hop2.transaction)->forwarded_to);
    engine_free(e);
}

/* RFC 3261 §16.6 step 8: a second Via that matches no request in the capture links nothing. */
static void test_forwarded_unknown_upstream(void)
{
    engine *e = engine_new(NULL);
    message_result other = feed(e, invite(1, 0, "z9hG4bK-other"));
    message_result hop2 = feed(e, between(via_pushed(invite(2, 10, "z9hG4bKnashds8"), PROXY_HOST, 5060,
                                                     "z9hG4bK77ef4c2312983.1"),
                                          PROXY_ENDPOINT, BOB_ENDPOINT));
    g_assert_null(transaction_links_of(hop2.transaction)->forwarded_from);
    g_assert_null(transaction_links_of(other.transaction)->forwarded_to);
    engine_free(e);
}

/* ---------- §17.1.3 responses without request ---------- */

/* RFC 3261 §17.1.3: a response matching no transaction in the capture still gets one; later responses join it. */
static void test_response_without_request(void)
{
    engine *e = engine_new(NULL);
    message_result ringing = feed(e, invite_response(180, 1, 0, BRANCH));
    g_assert_true(ringing.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    g_assert_nonnull(ringing.transaction);
    g_assert_cmpuint(ringing.transaction->number, ==, 1);
    g_assert_cmpint(ringing.transaction->kind, ==, TRANSACTION_KIND_INVITE);
    g_assert_cmpuint(ringing.transaction->request_frame, ==, 0);
    message_result busy = feed(e, invite_response(486, 2, 100, BRANCH));
    g_assert_true(busy.transaction == ringing.transaction);
    g_assert_false(busy.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    g_assert_cmpuint(busy.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(busy.state, ==, TRANSACTION_STATE_COMPLETED);
    message_result acked = feed(e, ack(3, 150, BRANCH));
    g_assert_true(acked.transaction == ringing.transaction);
    g_assert_cmpuint(acked.role, ==, MESSAGE_ROLE_ACK);
    g_assert_cmpuint(engine_transaction_count(e), ==, 1);
    engine_free(e);
}

/* ---------- §8.2.6.2 CSeq of responses ---------- */

/* RFC 3261 §8.2.6.2: a response copies the request's CSeq; another CSeq method is flagged. */
static void test_response_cseq_method_mismatch(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    message_result bad =
        feed(e, response(486, 2, 100, BRANCH, ALICE_HOST, 5060, 1, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_true(bad.details.findings & FINDING_CSEQ_METHOD_MISMATCH);
    g_assert_true(bad.transaction == req.transaction);
    engine_free(e);
}

/* A response with another CSeq method goes to the last transaction opened with
 * its branch and sent-by: after an INVITE and its CANCEL (same branch, §9.1),
 * the CANCEL.  An ACK's own transaction (a 2xx ACK, new branch) is never that
 * transaction, so a response naming its branch has no request. */
static void test_response_cseq_method_mismatch_last_with_branch(void)
{
    engine *e = engine_new(NULL);
    message_result call = feed(e, invite(1, 0, BRANCH));
    message_result cancel =
        feed(e, request("CANCEL", 2, 100, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_true(cancel.transaction != call.transaction);
    message_result odd =
        feed(e, response(200, 3, 150, BRANCH, ALICE_HOST, 5060, 1, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_true(odd.details.findings & FINDING_CSEQ_METHOD_MISMATCH);
    g_assert_true(odd.transaction == cancel.transaction);
    /* The same branch from another host is another transaction's. */
    message_result elsewhere =
        feed(e, response(200, 4, 160, BRANCH, BOB_HOST, 5060, 1, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_true(elsewhere.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    g_assert_true(elsewhere.transaction != call.transaction && elsewhere.transaction != cancel.transaction);

    feed(e, invite_response(200, 5, 200, BRANCH));
    message_result acked = feed(e, ack(6, 250, "z9hG4bKnew2xxack"));
    g_assert_cmpuint(acked.details.ack_class, ==, ACK_CLASS_2XX);
    g_assert_true(acked.transaction != call.transaction);
    message_result stray =
        feed(e, response(200, 7, 300, "z9hG4bKnew2xxack", ALICE_HOST, 5060, 1, "BYE", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_false(stray.details.findings & FINDING_CSEQ_METHOD_MISMATCH);
    g_assert_true(stray.details.findings & FINDING_RESPONSE_WITHOUT_REQUEST);
    g_assert_true(stray.transaction != acked.transaction);
    engine_free(e);
}

/* RFC 3261 §8.2.6.2: a response copies the request's CSeq; another CSeq number is flagged. */
static void test_response_cseq_number_mismatch(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    message_result bad =
        feed(e, response(486, 2, 100, BRANCH, ALICE_HOST, 5060, 2, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    g_assert_true(bad.details.findings & FINDING_CSEQ_NUMBER_MISMATCH);
    g_assert_false(bad.details.findings & FINDING_CSEQ_METHOD_MISMATCH);
    g_assert_true(bad.transaction == req.transaction);
    engine_free(e);
}

/* ---------- §8.1.1 mandatory headers ---------- */

/* RFC 3261 §8.1.1.7: a request without Via cannot be matched: a transaction of its own; the next one matches normally. */
static void test_request_without_via(void)
{
    engine *e = engine_new(NULL);
    sipmsg no_via = invite(1, 0, NULL);
    memset(&no_via.top_via, 0, sizeof(no_via.top_via));
    no_via.via_count = 0;
    no_via.defects = SIPMSG_DEFECT_NO_VIA;
    message_result bad = feed(e, no_via);
    g_assert_true(bad.details.findings & FINDING_UNMATCHABLE);
    g_assert_nonnull(bad.transaction);
    g_assert_cmpuint(bad.transaction->number, ==, 1);

    message_result good = feed(e, invite(2, 10, BRANCH));
    message_result ringing = feed(e, invite_response(180, 3, 100, BRANCH));
    g_assert_cmpuint(good.transaction->number, ==, 2);
    g_assert_false(good.details.findings & FINDING_UNMATCHABLE);
    g_assert_true(ringing.transaction == good.transaction);
    g_assert_cmpuint(ringing.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §8.1.1.7: two requests without Via are not matched with each other. */
static void test_requests_without_via_are_separate(void)
{
    engine *e = engine_new(NULL);
    sipmsg no_via = invite(1, 0, NULL);
    memset(&no_via.top_via, 0, sizeof(no_via.top_via));
    no_via.via_count = 0;
    no_via.defects = SIPMSG_DEFECT_NO_VIA;
    message_result first = feed(e, no_via);
    no_via.frame = 2;
    no_via.time_ns = MS_TO_NS(500);
    message_result second = feed(e, no_via);
    g_assert_true(second.details.findings & FINDING_UNMATCHABLE);
    g_assert_true(second.transaction != first.transaction);
    g_assert_cmpuint(second.transaction->number, ==, 2);
    engine_free(e);
}

/* RFC 3261 §8.1.1.4, §17.2.3: without a cookie branch the Call-ID is needed to match; without it, unmatchable. */
static void test_rfc2543_request_without_call_id(void)
{
    engine *e = engine_new(NULL);
    sipmsg no_call_id = old_invite(1, 0, NULL);
    no_call_id.call_id = NULL;
    no_call_id.defects = SIPMSG_DEFECT_NO_CALL_ID;
    message_result bad = feed(e, no_call_id);
    g_assert_true(bad.details.findings & FINDING_UNMATCHABLE);
    g_assert_cmpuint(bad.transaction->number, ==, 1);
    message_result good = feed(e, invite(2, 10, BRANCH));
    g_assert_cmpuint(good.transaction->number, ==, 2);
    g_assert_cmpuint(good.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §8.1.1.5, §17.2.3: without a cookie branch the CSeq is needed to match; without it, unmatchable. */
static void test_rfc2543_request_without_cseq(void)
{
    engine *e = engine_new(NULL);
    sipmsg no_cseq = old_invite(1, 0, NULL);
    no_cseq.cseq_number = 0;
    no_cseq.cseq_method = NULL;
    no_cseq.defects = SIPMSG_DEFECT_NO_CSEQ;
    message_result bad = feed(e, no_cseq);
    g_assert_true(bad.details.findings & FINDING_UNMATCHABLE);
    g_assert_cmpuint(bad.transaction->number, ==, 1);
    message_result good = feed(e, invite(2, 10, BRANCH));
    g_assert_cmpuint(good.transaction->number, ==, 2);
    g_assert_cmpuint(good.details.findings, ==, 0);
    engine_free(e);
}

/* RFC 3261 §17.1.3: a response without Via cannot be matched: a transaction of its own. */
static void test_response_without_via(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    sipmsg no_via = invite_response(486, 2, 100, NULL);
    memset(&no_via.top_via, 0, sizeof(no_via.top_via));
    no_via.via_count = 0;
    no_via.defects = SIPMSG_DEFECT_NO_VIA;
    message_result bad = feed(e, no_via);
    g_assert_true(bad.details.findings & FINDING_UNMATCHABLE);
    g_assert_true(bad.transaction != req.transaction);
    g_assert_cmpuint(bad.transaction->number, ==, 2);
    g_assert_null(transaction_first_final(req.transaction));
    message_result ok = feed(e, invite_response(200, 3, 200, BRANCH));
    g_assert_true(ok.transaction == req.transaction);
    engine_free(e);
}

/* RFC 3261 §17.1.3: matching a response needs its CSeq method; a response without CSeq is unmatchable. */
static void test_response_without_cseq(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    sipmsg no_cseq = invite_response(486, 2, 100, BRANCH);
    no_cseq.cseq_number = 0;
    no_cseq.cseq_method = NULL;
    no_cseq.defects = SIPMSG_DEFECT_NO_CSEQ;
    message_result bad = feed(e, no_cseq);
    g_assert_true(bad.details.findings & FINDING_UNMATCHABLE);
    g_assert_true(bad.transaction != req.transaction);
    g_assert_null(transaction_first_final(req.transaction));
    engine_free(e);
}

/* ---------- §17.1.1.2 / §17.1.2.2 / §17.2.1 timers ---------- */

/* RFC 3261 §17.1.1.2: Timer A re-sends the INVITE after T1, 2*T1, 4*T1, 8*T1. */
static void test_timer_a_doubles(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    const gint64 times[] = { 500, 1500, 3500, 7500 };
    const gint64 expected[] = { 500, 1000, 2000, 4000 };
    for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
        message_result r = feed(e, invite(2 + i, times[i], BRANCH));
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
        g_assert_cmpuint(r.details.retransmission_number, ==, i + 1);
        g_assert_cmpint(r.details.interval_ns, ==, MS_TO_NS(expected[i]));
        g_assert_cmpint(r.details.expected_interval_ns, ==, MS_TO_NS(expected[i]));
        g_assert_cmpuint(r.details.findings, ==, 0);
    }
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: Timer A keeps doubling past T2 (no cap): 4 s after 4 s did not double. */
static void test_timer_a_not_capped(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    const gint64 times[] = { 500, 1500, 3500, 7500 };
    for (guint i = 0; i < G_N_ELEMENTS(times); i++)
        g_assert_cmpuint(feed(e, invite(2 + i, times[i], BRANCH)).details.findings, ==, 0);
    message_result fifth = feed(e, invite(6, 11500, BRANCH));
    g_assert_cmpint(fifth.details.expected_interval_ns, ==, MS_TO_NS(8000));
    g_assert_true(fifth.details.findings & FINDING_RETRANSMISSION_NOT_DOUBLED);
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: Timer A runs for unreliable transports only; TCP copies are not timed. */
static void test_timer_a_udp_only(void)
{
    engine *e = engine_new(NULL);
    feed(e, over_tcp(invite(1, 0, BRANCH)));
    /* The same INVITE again over TCP is TCP's copy, not the SIP layer's. */
    message_result again = feed(e, over_tcp(invite(2, 100, BRANCH)));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_false(again.details.findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED));
    /* A changed INVITE over TCP is re-sent by someone, but Timer A does not pace it. */
    sipmsg changed = over_tcp(invite(3, 200, BRANCH));
    changed.digest = 99;
    message_result other = feed(e, changed);
    g_assert_cmpuint(other.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_false(other.details.findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED));
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: Timer E starts at T1; a non-INVITE re-sent after 0.1 s is too early. */
static void test_timer_e_too_early(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    message_result again = feed(e, register_request(2, 100, BRANCH));
    g_assert_true(again.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    g_assert_false(again.details.findings & FINDING_RETRANSMISSION_NOT_DOUBLED);
    g_assert_cmpint(again.details.interval_ns, ==, MS_TO_NS(100));
    g_assert_cmpint(again.details.expected_interval_ns, ==, MS_TO_NS(500));
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: Timer E doubles; intervals 0.5 s then 0.5 s did not double. */
static void test_timer_e_not_doubled(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    message_result first = feed(e, register_request(2, 500, BRANCH));
    message_result second = feed(e, register_request(3, 1000, BRANCH));
    g_assert_cmpuint(first.details.findings, ==, 0);
    g_assert_true(second.details.findings & FINDING_RETRANSMISSION_NOT_DOUBLED);
    g_assert_false(second.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    g_assert_cmpint(second.details.expected_interval_ns, ==, MS_TO_NS(1000));
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: Timer E doubles up to T2 (4 s) and stays there: 0.5, 1, 2, 4, 4 s. */
static void test_timer_e_capped_at_t2(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    const gint64 times[] = { 500, 1500, 3500, 7500, 11500, 15500 };
    for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
        message_result r = feed(e, register_request(2 + i, times[i], BRANCH));
        g_assert_cmpuint(r.details.findings, ==, 0);
        if (i >= 3)
            g_assert_cmpint(r.details.expected_interval_ns, ==, MS_TO_NS(4000));
    }
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: in Proceeding, Timer E is reset to T2 each time it fires; a 1 s interval there is too early. */
static void test_timer_e_in_proceeding_is_t2(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    feed(e, register_response(100, 2, 100, BRANCH));
    feed(e, register_request(3, 500, BRANCH));  /* Timer E (T1) fires in Proceeding: reset to T2 */
    message_result t2_later = feed(e, register_request(4, 4500, BRANCH));
    message_result t2_again = feed(e, register_request(5, 8500, BRANCH));
    message_result early = feed(e, register_request(6, 9500, BRANCH));
    g_assert_cmpuint(t2_later.details.findings, ==, 0);
    g_assert_cmpuint(t2_again.details.findings, ==, 0);
    g_assert_cmpint(t2_again.details.expected_interval_ns, ==, MS_TO_NS(4000));
    g_assert_true(early.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: a provisional response does not reset Timer E; its first firing in Proceeding
 * comes at the interval it was already running with (here T1), and only then is it reset to T2. */
static void test_timer_e_first_fire_in_proceeding(void)
{
    engine *e = engine_new(NULL);
    feed(e, register_request(1, 0, BRANCH));
    feed(e, register_response(100, 2, 100, BRANCH));
    message_result first = feed(e, register_request(3, 500, BRANCH));
    g_assert_cmpuint(first.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_false(first.details.findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED));
    engine_free(e);
}

/* RFC 3261 §17.2.1: Timer G re-sends a 300-699 response after T1, 2*T1, ... capped at T2: 0.5, 1, 2, 4, 4 s. */
static void test_timer_g_doubles_capped_at_t2(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(486, 2, 100, BRANCH));
    const gint64 times[] = { 600, 1600, 3600, 7600, 11600 };
    const gint64 expected[] = { 500, 1000, 2000, 4000, 4000 };
    for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
        message_result r = feed(e, invite_response(486, 3 + i, times[i], BRANCH));
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_FINAL_RETRANSMISSION);
        g_assert_cmpuint(r.details.original_frame, ==, 2);
        g_assert_cmpint(r.details.expected_interval_ns, ==, MS_TO_NS(expected[i]));
        g_assert_cmpuint(r.details.findings, ==, 0);
    }
    engine_free(e);
}

/* RFC 3261 §17.2.1: a 300-699 response re-sent 0.1 s after the first is earlier than Timer G (T1). */
static void test_timer_g_too_early(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(486, 2, 100, BRANCH));
    message_result again = feed(e, invite_response(486, 3, 200, BRANCH));
    g_assert_true(again.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    engine_free(e);
}

/* RFC 3261 §13.3.1.4: the UAS re-sends its 2xx after T1, 2*T1, ... capped at T2. */
static void test_2xx_retransmission_doubles(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(200, 2, 100, BRANCH));
    message_result first = feed(e, invite_response(200, 3, 600, BRANCH));
    message_result second = feed(e, invite_response(200, 4, 1100, BRANCH));
    g_assert_cmpuint(first.role, ==, MESSAGE_ROLE_FINAL_RETRANSMISSION);
    g_assert_cmpuint(first.details.findings, ==, 0);
    g_assert_true(second.details.findings & FINDING_RETRANSMISSION_NOT_DOUBLED);
    engine_free(e);
}

/* The engine's whole-capture verdict on a request. */
static gboolean unanswered(engine *e, const message_result *request)
{
    return (engine_capture_findings(e, request->transaction, (message_role)request->role,
                                    request->transaction->request_frame) & FINDING_UNANSWERED) != 0;
}

/* The engine's whole-capture verdict on a transaction's first final response. */
static gboolean first_final_unacknowledged(engine *e, const transaction *owner)
{
    const final_response *final = transaction_first_final(owner);
    return (engine_capture_findings(e, owner, MESSAGE_ROLE_FINAL, final->frame) & FINDING_FINAL_UNACKNOWLEDGED) != 0;
}

/* RFC 3261 §17.1.1.2 Timer B: an INVITE with no response 64*T1 into a capture that goes on timed out. */
static void test_timer_b_unanswered(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 1000, BRANCH));
    engine_observe_time(e, MS_TO_NS(1000 + 32001));
    g_assert_true(unanswered(e, &req));
    engine_free(e);
}

/* RFC 3261 §17.1.1.2 Timer B: before 64*T1 has passed the INVITE is not yet unanswered. */
static void test_timer_b_not_yet(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 1000, BRANCH));
    engine_observe_time(e, MS_TO_NS(1000 + 31999));
    g_assert_false(unanswered(e, &req));
    engine_observe_time(e, MS_TO_NS(1000 + 32000));
    g_assert_false(unanswered(e, &req));
    engine_free(e);
}

/* RFC 3261 §17.1.1.2: Timer B matters in Calling only; a ringing (Proceeding) INVITE has no transaction timeout. */
static void test_timer_b_only_in_calling(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(180, 2, 100, BRANCH));
    engine_observe_time(e, MS_TO_NS(60000));
    g_assert_false(unanswered(e, &req));
    engine_free(e);
}

/* RFC 3261 §17.1.2.2 Timer F: a non-INVITE with no final response 64*T1 later timed out, even in Proceeding. */
static void test_timer_f_unanswered(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, register_request(1, 0, BRANCH));
    feed(e, register_response(100, 2, 100, BRANCH));
    engine_observe_time(e, MS_TO_NS(31000));
    g_assert_false(unanswered(e, &req));
    engine_observe_time(e, MS_TO_NS(32500));
    g_assert_true(unanswered(e, &req));
    engine_free(e);
}

/* RFC 3261 §17.1.2.2: a transaction with a final response is answered however long the capture goes on. */
static void test_answered_is_not_unanswered(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, register_request(1, 0, BRANCH));
    feed(e, register_response(200, 2, 100, BRANCH));
    engine_observe_time(e, MS_TO_NS(120000));
    g_assert_false(unanswered(e, &req));
    engine_free(e);
}

/* RFC 3261 §17.2.1 Timer G/H: a 300-699 response re-sent and never acknowledged. */
static void test_final_response_unacknowledged(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(486, 2, 100, BRANCH));
    feed(e, invite_response(486, 3, 600, BRANCH));
    /* Timer H has not run out yet: the ACK may still come. */
    g_assert_false(first_final_unacknowledged(e, req.transaction));
    engine_observe_time(e, MS_TO_NS(40000));
    g_assert_true(first_final_unacknowledged(e, req.transaction));
    engine_free(e);
}

/* RFC 3261 §17.2.1: a 300-699 response answered by an ACK is acknowledged. */
static void test_final_response_acknowledged(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(486, 2, 100, BRANCH));
    feed(e, invite_response(486, 3, 600, BRANCH));
    feed(e, ack(4, 650, BRANCH));
    engine_observe_time(e, MS_TO_NS(40000));
    g_assert_false(first_final_unacknowledged(e, req.transaction));
    engine_free(e);
}

/* RFC 3261 §13.3.1.4: a 2xx re-sent and never acknowledged. */
static void test_2xx_unacknowledged(void)
{
    engine *e = engine_new(NULL);
    message_result req = feed(e, invite(1, 0, BRANCH));
    feed(e, invite_response(200, 2, 100, BRANCH));
    feed(e, invite_response(200, 3, 600, BRANCH));
    g_assert_false(first_final_unacknowledged(e, req.transaction));
    engine_observe_time(e, MS_TO_NS(40000));
    g_assert_true(first_final_unacknowledged(e, req.transaction));
    engine_free(e);
}

/* ---------- hostile input ---------- */

/* Robustness: a message with every string NULL and every number 0 still gets a transaction. */
static void test_all_null_strings(void)
{
    engine *e = engine_new(NULL);
    sipmsg empty;
    memset(&empty, 0, sizeof(empty));
    empty.is_request = TRUE;
    message_result r1 = feed(e, empty);
    g_assert_nonnull(r1.transaction);
    g_assert_cmpuint(r1.transaction->number, ==, 1);
    g_assert_true(r1.details.findings & FINDING_UNMATCHABLE);

    empty.is_request = FALSE;
    message_result r2 = feed(e, empty);
    g_assert_nonnull(r2.transaction);
    g_assert_cmpuint(r2.transaction->number, ==, 2);

    empty.is_request = TRUE;
    empty.method = "ACK";
    message_result r3 = feed(e, empty);
    g_assert_nonnull(r3.transaction);
    g_assert_cmpuint(r3.transaction->number, ==, 3);
    g_assert_cmpuint(r3.details.ack_class, ==, ACK_CLASS_UNKNOWN);

    /* Via counted but empty, and a second Via with nothing in it. */
    empty.method = NULL;
    empty.via_count = 2;
    message_result r4 = feed(e, empty);
    g_assert_cmpuint(r4.transaction->number, ==, 4);
    empty.is_request = FALSE;
    empty.status_code = 200;
    message_result r5 = feed(e, empty);
    g_assert_cmpuint(r5.transaction->number, ==, 5);

    /* A cookie branch without sent-by host. */
    empty.top_via.branch = BRANCH;
    message_result r6 = feed(e, empty);
    g_assert_cmpuint(r6.transaction->number, ==, 6);
    g_assert_cmpuint(engine_transaction_count(e), ==, 6);
    engine_free(e);
}

/* Robustness: empty strings everywhere are matched like any other strings. */
static void test_empty_strings(void)
{
    engine *e = engine_new(NULL);
    sipmsg blank = request("", 1, 0, "", "", 0, 0, "", "", "");
    blank.request_uri = "";
    blank.from_uri = "";
    blank.route_set = "";
    blank.source = "";
    blank.destination = "";
    blank.top_via.transport = "";
    message_result first = feed(e, blank);
    g_assert_nonnull(first.transaction);
    g_assert_cmpuint(first.transaction->number, ==, 1);
    blank.frame = 2;
    blank.time_ns = MS_TO_NS(500);
    message_result again = feed(e, blank);
    g_assert_true(again.transaction == first.transaction);

    sipmsg blank_response = response(0, 3, 600, "", "", 0, 0, "", "", "", "");
    blank_response.reason_phrase = "";
    blank_response.source = "";
    blank_response.destination = "";
    message_result resp = feed(e, blank_response);
    g_assert_nonnull(resp.transaction);

    sipmsg blank_ack = request("ACK", 4, 700, "", "", 0, 0, "", "", "");
    message_result acked = feed(e, blank_ack);
    g_assert_nonnull(acked.transaction);
    engine_free(e);
}

/* Robustness: a 64 kB branch is matched exactly, including its last character. */
static void test_long_branch(void)
{
    const gsize length = 64 * 1024;
    char *branch = g_malloc(length + 1);
    memcpy(branch, "z9hG4bK", 7);
    memset(branch + 7, 'x', length - 7);
    branch[length] = '\0';
    char *other = g_strdup(branch);
    other[length - 1] = 'y';

    engine *e = engine_new(NULL);
    message_result first = feed(e, invite(1, 0, branch));
    message_result again = feed(e, invite(2, 500, branch));
    message_result different = feed(e, invite(3, 600, other));
    message_result busy = feed(e, invite_response(486, 4, 700, branch));
    g_assert_true(again.transaction == first.transaction);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_true(different.transaction != first.transaction);
    g_assert_true(busy.transaction == first.transaction);
    g_assert_cmpuint(busy.details.findings, ==, 0);
    engine_free(e);
    g_free(other);
    g_free(branch);
}

/* Robustness: 10,000 distinct transactions are numbered 1..10000 exactly and each still matches. */
static void test_ten_thousand_transactions(void)
{
    enum { COUNT = 10000 };
    engine *e = engine_new(NULL);
    for (guint i = 1; i <= COUNT; i++) {
        char *branch = g_strdup_printf("z9hG4bK-%u", i);
        char *call_id = g_strdup_printf("call-%u@pc33.atlanta.com", i);
        message_result r =
            feed(e, request("INVITE", i, i, branch, ALICE_HOST, 5060, 1, call_id, FROM_TAG, NULL));
        g_assert_cmpuint(r.transaction->number, ==, i);
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST);
        g_free(call_id);
        g_free(branch);
    }
    g_assert_cmpuint(engine_transaction_count(e), ==, COUNT);
    for (guint i = COUNT; i >= 1; i--) {
        char *branch = g_strdup_printf("z9hG4bK-%u", i);
        char *call_id = g_strdup_printf("call-%u@pc33.atlanta.com", i);
        message_result r = feed(e, response(486, 2 * COUNT - i + 1, COUNT + (COUNT - i), branch, ALICE_HOST, 5060,
                                            1, "INVITE", call_id, FROM_TAG, TO_TAG));
        g_assert_cmpuint(r.transaction->number, ==, i);
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_FINAL);
        g_free(call_id);
        g_free(branch);
    }
    g_assert_cmpuint(engine_transaction_count(e), ==, COUNT);
    engine_free(e);
}

/* ---------- the printable key ---------- */

static const char *key_text(const transaction *owner, GString *text)
{
    transaction_key key = transaction_key_get(owner);
    return transaction_key_print(&key, text);
}


/* The key is printed from the transaction's fields: the host
 * lower-cased, the transport's default port when none is written (§18.2.2),
 * case-insensitive host matching (§19.1.4); the branch stays reachable. */
static void test_key_text_rfc3261(void)
{
    engine *e = engine_new(NULL);
    GString *text = g_string_new(NULL);
    message_result first = feed(e, request("INVITE", 1, 0, BRANCH, "PC33.Atlanta.COM", 0, 1, CALL_ID, FROM_TAG,
                                           NULL));
    g_assert_cmpstr(key_text(first.transaction, text), ==,
                    "branch=" BRANCH " sent-by=pc33.atlanta.com:5060 method=INVITE");
    sipmsg tls = request("OPTIONS", 2, 10, "z9hG4bKtls", ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, NULL);
    tls.top_via.transport = "TLS";
    message_result options = feed(e, tls);
    g_assert_cmpstr(key_text(options.transaction, text), ==,
                    "branch=z9hG4bKtls sent-by=pc33.atlanta.com:5061 method=OPTIONS");
    /* Same key written with another case and the default port written out: a retransmission. */
    message_result again = feed(e, request("INVITE", 3, 500, BRANCH, "pc33.atlanta.com", 5060, 1, CALL_ID,
                                           FROM_TAG, NULL));
    g_assert_true(again.transaction == first.transaction);
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    const char *branch = transaction_branch(first.transaction);
    g_assert_nonnull(branch);
    gsize length = strlen(branch);
    g_assert_cmpuint(length, ==, strlen(BRANCH));
    g_assert_cmpint(strncmp(branch, BRANCH, length), ==, 0);
    g_assert_true(engine_transaction(e, 1) == first.transaction);
    g_assert_true(engine_transaction(e, 2) == options.transaction);
    g_assert_null(engine_transaction(e, 0));
    g_assert_null(engine_transaction(e, 3));
    g_string_free(text, TRUE);
    engine_free(e);
}

static void test_key_text_rfc2543_and_unmatchable(void)
{
    engine *e = engine_new(NULL);
    GString *text = g_string_new(NULL);
    message_result old = feed(e, old_invite(1, 0, "776asdhds"));
    g_assert_cmpstr(key_text(old.transaction, text), ==,
                    "rfc2543 call-id=" CALL_ID " cseq=1 method=INVITE from-tag=" FROM_TAG
                    " sent-by=pc33.atlanta.com:5060");
    g_assert_cmpstr(transaction_branch(old.transaction), ==, "776asdhds");
    sipmsg bare = request("OPTIONS", 2, 10, NULL, NULL, 0, 1, NULL, NULL, NULL);
    bare.via_count = 0;
    message_result alone = feed(e, bare);
    g_assert_true(alone.details.findings & FINDING_UNMATCHABLE);
    g_assert_cmpstr(key_text(alone.transaction, text), ==, "(no Via, CSeq or Call-ID to match on)");
    g_assert_null(transaction_branch(alone.transaction));
    g_string_free(text, TRUE);
    engine_free(e);
}

/* The indexes grow from 256 slots: 20,000 interleaved transactions, each found
 * again by its response and a re-sent request, and none mistaken for another
 * with the same branch but another sent-by or method (RFC 3261 §17.2.3). */
static void test_many_transactions_stay_apart(void)
{
    enum { COUNT = 20000 };
    engine *e = engine_new(NULL);
    char branches[COUNT][32];
    char hosts[16][16];
    transaction *opened[COUNT];
    guint32 frame = 0;
    for (guint i = 0; i < G_N_ELEMENTS(hosts); i++)
        g_snprintf(hosts[i], sizeof(hosts[i]), "10.0.0.%u", i + 1);
    for (guint i = 0; i < COUNT; i++) {
        /* Every branch is used twice: by two hosts, so sent-by tells them apart. */
        g_snprintf(branches[i], sizeof(branches[i]), "z9hG4bK-%u", i / 2);
        message_result r = feed(e, request("OPTIONS", ++frame, i, branches[i], hosts[i % 16], 5060, i + 1,
                                           CALL_ID, FROM_TAG, NULL));
        g_assert_true(r.opened);
        g_assert_cmpuint(r.transaction->number, ==, i + 1);
        opened[i] = r.transaction;
    }
    /* The same branch and sent-by with another method is another transaction. */
    message_result other = feed(e, request("INFO", ++frame, COUNT, branches[0], hosts[0], 5060, 1, CALL_ID,
                                           FROM_TAG, NULL));
    g_assert_true(other.opened);
    g_assert_cmpuint(engine_transaction_count(e), ==, COUNT + 1);
    for (guint n = COUNT; n-- > 0;) {
        message_result r = feed(e, response(200, ++frame, COUNT + 1, branches[n], hosts[n % 16], 5060, n + 1,
                                            "OPTIONS", CALL_ID, FROM_TAG, TO_TAG));
        g_assert_true(r.transaction == opened[n]);
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_FINAL);
    }
    for (guint i = 0; i < COUNT; i += 7) {
        message_result r = feed(e, request("OPTIONS", ++frame, COUNT + 2, branches[i], hosts[i % 16], 5060, i + 1,
                                           CALL_ID, FROM_TAG, NULL));
        g_assert_true(r.transaction == opened[i]);
        g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    }
    g_assert_cmpuint(engine_transaction_count(e), ==, COUNT + 1);
    for (guint i = 0; i < COUNT; i++)
        g_assert_true(engine_transaction(e, i + 1) == opened[i]);
    engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/transaction/key/text-rfc3261", test_key_text_rfc3261);
    g_test_add_func("/transaction/key/text-rfc2543-and-unmatchable", test_key_text_rfc2543_and_unmatchable);

    g_test_add_func("/transaction/rfc3261/17.2.3/request-creates-transaction", test_request_creates_transaction);
    g_test_add_func("/transaction/rfc3261/17.2.3/request-retransmission-same-branch",
                    test_request_retransmission_same_branch);
    g_test_add_func("/transaction/rfc3261/17.2.3/different-branch-is-another-transaction",
                    test_different_branch_is_another_transaction);
    g_test_add_func("/transaction/rfc3261/17.2.3/different-sent-by-is-another-transaction",
                    test_different_sent_by_is_another_transaction);
    g_test_add_func("/transaction/rfc3261/17.2.3/different-method-is-another-transaction",
                    test_different_method_is_another_transaction);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-matches-branch-sent-by-method",
                    test_response_matches_branch_sent_by_method);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-other-branch-does-not-match",
                    test_response_other_branch_does_not_match);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-other-sent-by-does-not-match",
                    test_response_other_sent_by_does_not_match);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-matches-top-via", test_response_matches_top_via);
    g_test_add_func("/transaction/rfc3261/17.2.3/many-transactions-stay-apart", test_many_transactions_stay_apart);
    g_test_add_func("/transaction/rfc3261/17/numbering-in-order-of-first-appearance",
                    test_numbering_in_order_of_first_appearance);

    g_test_add_func("/transaction/rfc3261/17.1.1.2/invite-starts-calling", test_invite_starts_calling);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/provisional-moves-to-proceeding",
                    test_invite_provisional_proceeding);
    g_test_add_func("/transaction/rfc3261/17.2.1/provisional-retransmission", test_provisional_retransmission);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/distinct-provisional-is-not-retransmission",
                    test_distinct_provisional_is_not_retransmission);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/non-2xx-final-moves-to-completed",
                    test_invite_non_2xx_final_completed);
    g_test_add_func("/transaction/rfc3261/17.2.1/final-retransmission", test_final_retransmission);
    g_test_add_func("/transaction/rfc3261/17.2.1/ack-moves-to-confirmed", test_invite_ack_confirmed);
    g_test_add_func("/transaction/rfc6026/7.1/2xx-accepted-then-timer-l", test_invite_2xx_accepted);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/2xx-terminates-invite-rfc3261-model",
                    test_invite_2xx_terminated_rfc3261);
    g_test_add_func("/transaction/rfc6026/8.4/forked-2xx-after-timer-m", test_forked_2xx_after_timer_m);
    g_test_add_func("/transaction/rfc3261/18.1.1/timers-follow-via-transport", test_timers_follow_via_transport);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/retransmission-differs", test_retransmission_differs);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/non-invite-trying-proceeding-completed", test_non_invite_states);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/non-invite-final-in-trying-completes",
                    test_non_invite_trying_to_completed);

    g_test_add_func("/transaction/rfc3261/9.2/cancel-is-own-transaction-linked-to-invite",
                    test_cancel_own_transaction);
    g_test_add_func("/transaction/rfc3261/9.2/cancel-retransmission", test_cancel_retransmission);
    g_test_add_func("/transaction/rfc3261/9.2/200-to-cancel-and-487-to-invite", test_cancel_200_and_487);
    g_test_add_func("/transaction/rfc3261/9.2/408-after-cancel-belongs-to-invite",
                    test_408_after_cancel_belongs_to_invite);

    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-no-branch", test_rfc2543_no_branch);
    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-branch-without-cookie", test_rfc2543_branch_without_cookie);
    g_test_add_func("/transaction/rfc3261/17.2.3/cookie-branch-uses-rfc3261-rules",
                    test_rfc3261_cookie_no_rfc2543_finding);
    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-retransmission-joins", test_rfc2543_retransmission_joins);
    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-other-call-id-from-tag-cseq-via",
                    test_rfc2543_other_identifiers);
    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-other-request-uri-or-to-tag",
                    test_rfc2543_other_request_uri_or_to_tag);
    g_test_add_func("/transaction/rfc3261/17.2.3/rfc2543-response-matches", test_rfc2543_response_matches);

    g_test_add_func("/transaction/rfc3261/18/udp-then-tcp-keeps-transaction", test_transport_independent);
    g_test_add_func("/transaction/rfc3261/18.1.1/udp-request-above-1300-bytes", test_udp_request_above_1300_bytes);
    g_test_add_func("/transaction/rfc3261/18.1.1/udp-request-of-1300-bytes", test_udp_request_of_1300_bytes);
    g_test_add_func("/transaction/rfc3261/18.1.1/tcp-request-above-1300-bytes", test_tcp_request_above_1300_bytes);

    g_test_add_func("/transaction/rfc3261/16.6/forwarded-request-links-hops", test_forwarded_request_links_hops);
    g_test_add_func("/transaction/rfc3261/16.6/unknown-upstream-links-nothing", test_forwarded_unknown_upstream);

    g_test_add_func("/transaction/rfc3261/17.1.3/response-without-request", test_response_without_request);
    g_test_add_func("/transaction/rfc3261/8.2.6.2/response-cseq-method-mismatch", test_response_cseq_method_mismatch);
    g_test_add_func("/transaction/rfc3261/8.2.6.2/response-cseq-method-mismatch-last-with-branch",
                    test_response_cseq_method_mismatch_last_with_branch);
    g_test_add_func("/transaction/rfc3261/8.2.6.2/response-cseq-number-mismatch", test_response_cseq_number_mismatch);

    g_test_add_func("/transaction/rfc3261/8.1.1.7/request-without-via-unmatchable", test_request_without_via);
    g_test_add_func("/transaction/rfc3261/8.1.1.7/requests-without-via-are-separate",
                    test_requests_without_via_are_separate);
    g_test_add_func("/transaction/rfc3261/8.1.1.4/rfc2543-request-without-call-id-unmatchable",
                    test_rfc2543_request_without_call_id);
    g_test_add_func("/transaction/rfc3261/8.1.1.5/rfc2543-request-without-cseq-unmatchable",
                    test_rfc2543_request_without_cseq);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-without-via-unmatchable", test_response_without_via);
    g_test_add_func("/transaction/rfc3261/17.1.3/response-without-cseq-unmatchable", test_response_without_cseq);

    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-a-doubles", test_timer_a_doubles);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-a-not-capped-at-t2", test_timer_a_not_capped);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-a-udp-only", test_timer_a_udp_only);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-e-too-early", test_timer_e_too_early);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-e-not-doubled", test_timer_e_not_doubled);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-e-capped-at-t2", test_timer_e_capped_at_t2);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-e-in-proceeding-is-t2", test_timer_e_in_proceeding_is_t2);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-e-first-fire-in-proceeding-keeps-interval",
                    test_timer_e_first_fire_in_proceeding);
    g_test_add_func("/transaction/rfc3261/17.2.1/timer-g-doubles-capped-at-t2", test_timer_g_doubles_capped_at_t2);
    g_test_add_func("/transaction/rfc3261/17.2.1/timer-g-too-early", test_timer_g_too_early);
    g_test_add_func("/transaction/rfc3261/13.3.1.4/2xx-retransmission-doubles", test_2xx_retransmission_doubles);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-b-unanswered", test_timer_b_unanswered);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-b-not-yet", test_timer_b_not_yet);
    g_test_add_func("/transaction/rfc3261/17.1.1.2/timer-b-only-in-calling", test_timer_b_only_in_calling);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/timer-f-unanswered-in-proceeding", test_timer_f_unanswered);
    g_test_add_func("/transaction/rfc3261/17.1.2.2/answered-is-not-unanswered", test_answered_is_not_unanswered);
    g_test_add_func("/transaction/rfc3261/17.2.1/final-response-unacknowledged", test_final_response_unacknowledged);
    g_test_add_func("/transaction/rfc3261/17.2.1/final-response-acknowledged", test_final_response_acknowledged);
    g_test_add_func("/transaction/rfc3261/13.3.1.4/2xx-unacknowledged", test_2xx_unacknowledged);

    g_test_add_func("/transaction/robustness/all-null-strings", test_all_null_strings);
    g_test_add_func("/transaction/robustness/empty-strings", test_empty_strings);
    g_test_add_func("/transaction/robustness/long-branch-64k", test_long_branch);
    g_test_add_func("/transaction/robustness/ten-thousand-transactions", test_ten_thousand_transactions);

    return g_test_run();
}
