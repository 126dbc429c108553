/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_timeouts.c: RFC 3261 Timer B and Timer F, 64*T1 after a request's first
 * copy: a final response after them is late, a request or CANCEL without a
 * final response by then is unanswered. */

#include <glib.h>

#include "message_builder.h"

#define TIMEOUT_MS (64 * 500)   /* 64*T1 with the default T1 of 500 ms */

static guint32 unanswered(engine *engine, const message_result *request)
{
    return engine_capture_findings(engine, request->transaction, (message_role)request->role,
                                   0) & FINDING_UNANSWERED;
}

/* §17.1.1.2: Timer B fires 64*T1 after the INVITE in Calling; a final response after it is late. */
static void test_final_after_timer_b_is_late(void)
{
    engine *engine = engine_new(NULL);
    message_result invite = feed(engine, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    message_result final = feed(engine, response(408, 2, TIMEOUT_MS + 1, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID,
                                                 FROM_TAG, TO_TAG));
    g_assert_cmpuint(final.role, ==, MESSAGE_ROLE_FINAL);
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, FINDING_FINAL_LATE);
    /* The request was not answered within 64*T1 either. */
    g_assert_cmpuint(unanswered(engine, &invite), ==, FINDING_UNANSWERED);
    engine_free(engine);
}

/* §17.1.1.2: a provisional response moves the INVITE transaction to Proceeding, where Timer B does not run. */
static void test_provisional_before_timer_b_means_not_late(void)
{
    engine *engine = engine_new(NULL);
    message_result invite = feed(engine, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(180, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    message_result final = feed(engine, response(486, 3, TIMEOUT_MS * 2, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID,
                                                 FROM_TAG, TO_TAG));
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, 0);
    g_assert_cmpuint(unanswered(engine, &invite), ==, 0);
    engine_free(engine);
}

/* §17.1.2.2: Timer F runs in Trying and Proceeding alike: a provisional response does not stop it. */
static void test_final_after_timer_f_is_late(void)
{
    engine *engine = engine_new(NULL);
    message_result options = feed(engine, request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 7, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(100, 2, 100, BRANCH, ALICE_HOST, 0, 7, "OPTIONS", CALL_ID, FROM_TAG, NULL));
    message_result final = feed(engine, response(200, 3, TIMEOUT_MS + 500, BRANCH, ALICE_HOST, 0, 7, "OPTIONS",
                                                 CALL_ID, FROM_TAG, TO_TAG));
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, FINDING_FINAL_LATE);
    g_assert_cmpuint(unanswered(engine, &options), ==, FINDING_UNANSWERED);
    engine_free(engine);
}

static void test_final_within_64_t1_is_not_late(void)
{
    engine *engine = engine_new(NULL);
    message_result options = feed(engine, request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 7, CALL_ID, FROM_TAG, NULL));
    message_result final = feed(engine, response(200, 2, TIMEOUT_MS, BRANCH, ALICE_HOST, 0, 7, "OPTIONS", CALL_ID,
                                                 FROM_TAG, TO_TAG));
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, 0);
    engine_observe_time(engine, MS_TO_NS(TIMEOUT_MS * 3));
    g_assert_cmpuint(unanswered(engine, &options), ==, 0);
    engine_free(engine);
}

/* Only the first final response is late: its re-sent copies answer the client's retransmissions. */
static void test_copies_of_a_late_final_are_retransmissions(void)
{
    engine *engine = engine_new(NULL);
    feed(engine, request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 7, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(200, 2, TIMEOUT_MS + 1, BRANCH, ALICE_HOST, 0, 7, "OPTIONS", CALL_ID, FROM_TAG, TO_TAG));
    message_result copy = feed(engine, response(200, 3, TIMEOUT_MS + 2, BRANCH, ALICE_HOST, 0, 7, "OPTIONS", CALL_ID,
                                                FROM_TAG, TO_TAG));
    g_assert_cmpuint(copy.role, ==, MESSAGE_ROLE_FINAL_RETRANSMISSION);
    g_assert_cmpuint(copy.details.findings & FINDING_FINAL_LATE, ==, 0);
    engine_free(engine);
}

/* A response whose request is not in the capture cannot be judged late. */
static void test_response_without_request_is_not_late(void)
{
    engine *engine = engine_new(NULL);
    engine_observe_time(engine, MS_TO_NS(TIMEOUT_MS * 2));
    message_result final = feed(engine, response(200, 1, TIMEOUT_MS * 2, BRANCH, ALICE_HOST, 0, 7, "OPTIONS", CALL_ID,
                                                 FROM_TAG, TO_TAG));
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, 0);
    engine_free(engine);
}

/* §9.2: a CANCEL is a non-INVITE transaction of its own: Timer F gives up on it after 64*T1. */
static void test_cancel_without_final_response_is_unanswered(void)
{
    engine *engine = engine_new(NULL);
    feed(engine, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(180, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    message_result cancel = feed(engine, request("CANCEL", 3, 1000, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpuint(cancel.role, ==, MESSAGE_ROLE_CANCEL);
    engine_observe_time(engine, MS_TO_NS(1000 + TIMEOUT_MS - 1));
    g_assert_cmpuint(unanswered(engine, &cancel), ==, 0);
    engine_observe_time(engine, MS_TO_NS(1000 + TIMEOUT_MS + 1));
    g_assert_cmpuint(unanswered(engine, &cancel), ==, FINDING_UNANSWERED);
    engine_free(engine);
}

static void test_cancel_answered_in_time_is_not_unanswered(void)
{
    engine *engine = engine_new(NULL);
    feed(engine, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(180, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    message_result cancel = feed(engine, request("CANCEL", 3, 1000, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    feed(engine, response(200, 4, 1100, BRANCH, ALICE_HOST, 0, 1, "CANCEL", CALL_ID, FROM_TAG, TO_TAG));
    engine_observe_time(engine, MS_TO_NS(TIMEOUT_MS * 3));
    g_assert_cmpuint(unanswered(engine, &cancel), ==, 0);
    engine_free(engine);
}

/* The timeouts follow T1: 64*T1 with T1 = 100 ms is 6.4 s. */
static void test_timeout_follows_t1(void)
{
    engine_settings settings;
    engine_settings_default(&settings);
    settings.t1_ms = 100;
    engine *engine = engine_new(&settings);
    g_assert_cmpint(engine_transaction_timeout_ns(engine), ==, MS_TO_NS(6400));
    feed(engine, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    message_result final = feed(engine, response(408, 2, 8000, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG,
                                                 TO_TAG));
    g_assert_cmpuint(final.details.findings & FINDING_FINAL_LATE, ==, FINDING_FINAL_LATE);
    engine_free(engine);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timeouts/rfc3261/17.1.1.2/final-after-timer-b-is-late", test_final_after_timer_b_is_late);
    g_test_add_func("/timeouts/rfc3261/17.1.1.2/provisional-before-timer-b-means-not-late",
                    test_provisional_before_timer_b_means_not_late);
    g_test_add_func("/timeouts/rfc3261/17.1.2.2/final-after-timer-f-is-late", test_final_after_timer_f_is_late);
    g_test_add_func("/timeouts/rfc3261/17.1.2.2/final-within-64-t1-is-not-late", test_final_within_64_t1_is_not_late);
    g_test_add_func("/timeouts/rfc3261/17.1.2.2/copies-of-a-late-final-are-retransmissions",
                    test_copies_of_a_late_final_are_retransmissions);
    g_test_add_func("/timeouts/rfc3261/17.1.3/response-without-request-is-not-late",
                    test_response_without_request_is_not_late);
    g_test_add_func("/timeouts/rfc3261/9.2/cancel-without-final-response-is-unanswered",
                    test_cancel_without_final_response_is_unanswered);
    g_test_add_func("/timeouts/rfc3261/9.2/cancel-answered-in-time-is-not-unanswered",
                    test_cancel_answered_in_time_is_not_unanswered);
    g_test_add_func("/timeouts/rfc3261/17.1.1.1/timeout-follows-t1", test_timeout_follows_t1);
    return g_test_run();
}
