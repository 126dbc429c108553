/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_reliable.c: reliable provisional responses and PRACK (RFC 3262). */

#include <string.h>

#include <glib.h>

#include "message_builder.h"
#include "transaction.h"

#define PRACK_BRANCH_1 "z9hG4bK-prack-1"
#define PRACK_BRANCH_2 "z9hG4bK-prack-2"

static sipmsg invite(guint32 frame, gint64 time_ms)
{
    return request("INVITE", frame, time_ms, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL);
}

/* A reliable provisional response (RFC 3262 §3): an RSeq header. */
static sipmsg reliable(guint status_code, guint32 frame, gint64 time_ms, guint32 rseq)
{
    sipmsg message = response(status_code, frame, time_ms, BRANCH, ALICE_HOST, 5060, 1, "INVITE", CALL_ID,
                              FROM_TAG, TO_TAG);
    message.rseq = rseq;
    message.digest = 1000 + rseq;
    return message;
}

/* PRACK (RFC 3262 §7.2): RAck rseq 1 INVITE, in the dialog. */
static sipmsg prack(guint32 frame, gint64 time_ms, const char *branch, guint32 cseq, guint32 rack_rseq)
{
    sipmsg message = request("PRACK", frame, time_ms, branch, ALICE_HOST, 5060, cseq, CALL_ID, FROM_TAG, TO_TAG);
    message.rack.rseq = rack_rseq;
    message.rack.cseq_number = 1;
    message.rack.method = "INVITE";
    return message;
}

/* §3: a provisional response with a new RSeq is a new response, even with the same code. */
static void test_new_rseq_is_new_response(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0));
    message_result first = feed(e, reliable(180, 2, 100, 867583));
    message_result second = feed(e, reliable(180, 3, 300, 867584));
    g_assert_cmpuint(first.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(first.details.rseq, ==, 867583);
    g_assert_cmpuint(second.role, ==, MESSAGE_ROLE_PROVISIONAL);
    g_assert_cmpuint(second.details.rseq, ==, 867584);
    g_assert_cmpuint(second.details.original_frame, ==, 0);
    engine_free(e);
}

/* §3: the same RSeq is a retransmission, re-sent T1, 2*T1, ... apart. */
static void test_same_rseq_is_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0));
    feed(e, reliable(183, 2, 100, 7));
    message_result again = feed(e, reliable(183, 3, 600, 7));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION);
    g_assert_cmpuint(again.details.original_frame, ==, 2);
    g_assert_cmpuint(again.details.rseq, ==, 7);
    g_assert_cmpint(again.details.expected_interval_ns, ==, MS_TO_NS(500));
    g_assert_false(again.details.findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED));
    /* The next interval doubles: 1 s; 0.5 s again did not double. */
    message_result undoubled = feed(e, reliable(183, 4, 1100, 7));
    g_assert_cmpint(undoubled.details.expected_interval_ns, ==, MS_TO_NS(1000));
    g_assert_true(undoubled.details.findings & FINDING_RETRANSMISSION_NOT_DOUBLED);
    engine_free(e);
}

/* §3: the UAS core re-sends on every transport: over TCP too, the interval is judged. */
static void test_reliable_resend_judged_over_tcp(void)
{
    engine *e = engine_new(NULL);
    feed(e, over_tcp(invite(1, 0)));
    feed(e, over_tcp(reliable(180, 2, 100, 1)));
    message_result early = feed(e, over_tcp(reliable(180, 3, 200, 1)));
    g_assert_cmpuint(early.role, ==, MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION);
    g_assert_true(early.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    engine_free(e);
}

/* A reliable provisional after an unreliable one with the same code is new. */
static void test_rseq_after_unreliable_is_new(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0));
    feed(e, reliable(180, 2, 100, 0));
    message_result r = feed(e, reliable(180, 3, 200, 5));
    g_assert_cmpuint(r.role, ==, MESSAGE_ROLE_PROVISIONAL);
    engine_free(e);
}

/* §4, §7.2: PRACK is a non-INVITE transaction of its own; its RAck names the
 * provisional response, which links back to it. */
static void test_prack_links_provisional(void)
{
    engine *e = engine_new(NULL);
    message_result inv = feed(e, invite(1, 0));
    feed(e, reliable(180, 2, 100, 867583));
    message_result pr = feed(e, prack(3, 150, PRACK_BRANCH_1, 2, 867583));
    g_assert_cmpint(pr.transaction->kind, ==, TRANSACTION_KIND_NON_INVITE);
    g_assert_true(pr.transaction != inv.transaction);
    g_assert_cmpuint(pr.role, ==, MESSAGE_ROLE_REQUEST);
    g_assert_cmpuint(pr.details.prack_response_frame, ==, 2);
    g_assert_false(pr.details.findings & FINDING_PRACK_UNMATCHED);
    const reliable_provisional *provisional = engine_reliable_provisional(e, inv.transaction, 2);
    g_assert_nonnull(provisional);
    g_assert_cmpuint(provisional->prack_frame, ==, 3);
    g_assert_cmpuint(provisional->prack_transaction, ==, pr.transaction->number);

    feed(e, reliable(180, 4, 300, 867584));
    message_result pr2 = feed(e, prack(5, 350, PRACK_BRANCH_2, 3, 867584));
    g_assert_cmpuint(pr2.details.prack_response_frame, ==, 4);
    g_assert_cmpuint(engine_reliable_provisional(e, inv.transaction, 4)->prack_frame, ==, 5);
    /* A re-sent PRACK links like its original. */
    message_result again = feed(e, prack(6, 850, PRACK_BRANCH_2, 3, 867584));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(again.details.prack_response_frame, ==, 4);
    engine_free(e);
}

/* §3: a PRACK that matches no unacknowledged reliable provisional response is answered 481. */
static void test_prack_unmatched(void)
{
    engine *e = engine_new(NULL);
    feed(e, invite(1, 0));
    feed(e, reliable(180, 2, 100, 10));
    message_result pr = feed(e, prack(3, 150, PRACK_BRANCH_1, 2, 17));
    g_assert_true(pr.details.findings & FINDING_PRACK_UNMATCHED);
    g_assert_cmpuint(pr.details.prack_response_frame, ==, 0);
    sipmsg no_rack = prack(4, 160, PRACK_BRANCH_2, 3, 0);
    no_rack.rack.method = NULL;
    message_result bare = feed(e, no_rack);
    g_assert_true(bare.details.findings & FINDING_PRACK_UNMATCHED);
    engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reliable/rfc3262/3/new-rseq-is-new-response", test_new_rseq_is_new_response);
    g_test_add_func("/reliable/rfc3262/3/same-rseq-is-retransmission", test_same_rseq_is_retransmission);
    g_test_add_func("/reliable/rfc3262/3/resend-judged-over-tcp", test_reliable_resend_judged_over_tcp);
    g_test_add_func("/reliable/rfc3262/3/rseq-after-unreliable-is-new", test_rseq_after_unreliable_is_new);
    g_test_add_func("/reliable/rfc3262/7.2/prack-links-provisional", test_prack_links_provisional);
    g_test_add_func("/reliable/rfc3262/3/prack-unmatched", test_prack_unmatched);
    return g_test_run();
}
