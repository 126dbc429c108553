/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_kpi.c: the RFC 6076 §4 metrics of core/kpi.c, one case per rule, on
 * transactions told to the collector as the -z siptxn,kpi tap tells them. */

#include <string.h>

#include <glib.h>

#include "kpi.h"

#define UAC   "192.0.2.101:5060"
#define PROXY "192.0.2.3:5060"
#define UAS   "192.0.2.4:5060"
#define MS(ms) ((gint64)(ms) * G_GINT64_CONSTANT(1000000))
#define TIMEOUT MS(32000)

/* One transaction's messages, built step by step. */
typedef struct {
    kpi_collector *collector;
    kpi_message message;
} txn;

static txn open_transaction(kpi_collector *collector, guint32 number, const char *method, const char *call_id,
                            const char *client, const char *server)
{
    txn transaction = {collector, {0}};
    transaction.message.transaction = number;
    transaction.message.is_invite = strcmp(method, "INVITE") == 0;
    transaction.message.method = method;
    transaction.message.call_id = call_id;
    transaction.message.client = client;
    transaction.message.server = server;
    return transaction;
}

static void send_request(txn *transaction, gint64 time_ms)
{
    transaction->message.is_request = TRUE;
    transaction->message.time_ns = MS(time_ms);
    kpi_collector_add(transaction->collector, &transaction->message);
}

/* first: the transaction's first response other than 100 (the tap's first_answer). */
static void send_response(txn *transaction, guint code, gint64 time_ms, gboolean first_answer)
{
    kpi_message response = transaction->message;
    response.is_request = FALSE;
    response.status_code = code;
    response.first_answer = first_answer;
    response.first_final = code >= 200;
    response.time_ns = MS(time_ms);
    kpi_collector_add(transaction->collector, &response);
}

/* An INVITE from the UAC straight to the UAS with this final response at final_ms. */
static void call(kpi_collector *collector, guint32 number, const char *call_id, gint64 start_ms, guint code,
                 gint64 final_ms)
{
    txn invite = open_transaction(collector, number, "INVITE", call_id, UAC, UAS);
    send_request(&invite, start_ms);
    send_response(&invite, 100, start_ms + 1, FALSE);
    send_response(&invite, 180, start_ms + 10, TRUE);
    if (code)
        send_response(&invite, code, final_ms, FALSE);
}

static const kpi_metrics *call_scope(const kpi_report *report)
{
    const kpi_scope *scope = g_ptr_array_index(report->scopes, 0);
    g_assert_cmpstr(scope->name, ==, "call");
    return &scope->metrics;
}

static void assert_ratio(const kpi_metrics *metrics, kpi_ratio ratio, guint64 numerator, guint64 denominator)
{
    guint64 got_numerator, got_denominator;
    kpi_metrics_ratio(metrics, ratio, &got_numerator, &got_denominator);
    g_assert_cmpuint(got_numerator, ==, numerator);
    g_assert_cmpuint(got_denominator, ==, denominator);
}

static void test_buckets_are_fixed(void)
{
    g_assert_cmpint(kpi_bucket_upper_us(0), ==, 100);
    g_assert_cmpint(kpi_bucket_upper_us(9), ==, 800);
    g_assert_cmpint(kpi_bucket_upper_us(10), ==, 1000);
    g_assert_cmpint(kpi_bucket_upper_us(25), ==, 31500);
    g_assert_cmpint(kpi_bucket_upper_us(KPI_BUCKET_COUNT - 2), ==, G_GINT64_CONSTANT(100000000000));
    g_assert_cmpint(kpi_bucket_upper_us(KPI_BUCKET_COUNT - 1), ==, G_MAXINT64);
    g_assert_cmpuint(kpi_bucket_of(0), ==, 0);
    g_assert_cmpuint(kpi_bucket_of(99), ==, 0);
    g_assert_cmpuint(kpi_bucket_of(100), ==, 1);
    g_assert_cmpuint(kpi_bucket_of(999), ==, 10);
    g_assert_cmpuint(kpi_bucket_of(1000), ==, 11);
    g_assert_cmpuint(kpi_bucket_of(G_MAXINT64 - 1), ==, KPI_BUCKET_COUNT - 1);
}

/* Nearest rank over the buckets, kept within the exact min and max: two
 * distributions added bucket by bucket give the percentiles of all samples. */
static void test_percentiles_merge_exactly(void)
{
    kpi_distribution first = {0}, second = {0}, both = {0};
    const gint64 samples_us[] = {300, 1100, 1200, 2100, 5000, 9000, 150000, 160000, 170000, 2000000};
    for (guint i = 0; i < G_N_ELEMENTS(samples_us); i++) {
        kpi_distribution_add(i % 2 ? &first : &second, samples_us[i]);
        kpi_distribution_add(&both, samples_us[i]);
    }
    kpi_distribution merged = first;
    merged.count += second.count;
    merged.sum_us += second.sum_us;
    merged.min_us = MIN(first.min_us, second.min_us);
    merged.max_us = MAX(first.max_us, second.max_us);
    for (guint bucket = 0; bucket < KPI_BUCKET_COUNT; bucket++)
        merged.buckets[bucket] += second.buckets[bucket];
    g_assert_cmpmem(&merged, sizeof(merged), &both, sizeof(both));
    /* 10 samples: the median is the 5th (5000 us, bucket [5000, 6300)), p95 the 10th (the max). */
    g_assert_cmpint(kpi_distribution_percentile_us(&both, 0.5), ==, 6300);
    g_assert_cmpint(kpi_distribution_percentile_us(&both, 0.95), ==, 2000000);
    kpi_distribution one = {0};
    kpi_distribution_add(&one, 2003000);
    g_assert_cmpint(kpi_distribution_percentile_us(&one, 0.5), ==, 2003000);
    g_assert_cmpint(kpi_distribution_percentile_us(&one, 0.95), ==, 2003000);
}

/* §4.6, §4.7, §4.8: SER and SEER leave 3xx out of the denominator; ISA counts
 * 408, 500, 503, 504 and Timer B among all session requests. */
static void test_rfc6076_4_6_to_4_8_session_ratios(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    const guint codes[] = {200, 200, 486, 480, 600, 603, 404, 302, 408, 500, 503, 504, 0};
    for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
        char *call_id = g_strdup_printf("call-%u", i);
        call(collector, i + 1, call_id, 1000 * i, codes[i], 1000 * i + 500);
        g_free(call_id);
    }
    kpi_collector_observe_time(collector, MS(12000 + 40000));   /* past Timer B of the last INVITE */
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->session_requests, ==, 13);
    g_assert_cmpuint(metrics->session_redirected, ==, 1);
    g_assert_cmpuint(metrics->session_timed_out, ==, 1);
    assert_ratio(metrics, KPI_RATIO_SER, 2, 12);
    assert_ratio(metrics, KPI_RATIO_SEER, 6, 12);
    assert_ratio(metrics, KPI_RATIO_ISA, 5, 13);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* An INVITE without a final response before the capture ends, and before
 * Timer B could fire, is open: in no ratio. */
static void test_open_session_is_left_out(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    call(collector, 1, "a", 0, 200, 300);
    call(collector, 2, "b", 1000, 0, 0);
    kpi_collector_observe_time(collector, MS(5000));
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->session_open, ==, 1);
    assert_ratio(metrics, KPI_RATIO_SER, 1, 1);
    assert_ratio(metrics, KPI_RATIO_ISA, 0, 1);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* §4.3: SRD ends at the first response other than 100, or at the 2xx or the
 * failure when no provisional came; 401/407 are not failures. */
static void test_rfc6076_4_3_session_request_delay(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    call(collector, 1, "ringing", 0, 200, 2000);              /* 180 after 10 ms */
    txn direct = open_transaction(collector, 2, "INVITE", "direct", UAC, UAS);
    send_request(&direct, 5000);
    send_response(&direct, 100, 5001, FALSE);
    send_response(&direct, 200, 5040, TRUE);                 /* 40 ms */
    txn failed = open_transaction(collector, 3, "INVITE", "failed", UAC, UAS);
    send_request(&failed, 6000);
    send_response(&failed, 503, 6070, TRUE);                 /* 70 ms */
    txn challenged = open_transaction(collector, 4, "INVITE", "challenged", UAC, UAS);
    send_request(&challenged, 7000);
    send_response(&challenged, 407, 7005, TRUE);
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->srd_successful.count, ==, 2);
    g_assert_cmpint(metrics->srd_successful.min_us, ==, 10000);
    g_assert_cmpint(metrics->srd_successful.max_us, ==, 40000);
    g_assert_cmpuint(metrics->srd_failed.count, ==, 1);
    g_assert_cmpint(metrics->srd_failed.min_us, ==, 70000);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* §4.4, §4.5, §4.9, §4.10: a BYE answered 2xx completes the session (SDD
 * BYE -> 2xx, SDT 2xx -> BYE); a BYE left unanswered past Timer F does not. */
static void test_rfc6076_4_4_to_4_10_disconnects_and_completion(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    call(collector, 1, "kept", 0, 200, 100);
    txn bye = open_transaction(collector, 2, "BYE", "kept", UAS, UAC);    /* the callee hangs up */
    send_request(&bye, 3100);
    send_response(&bye, 200, 3102, FALSE);
    call(collector, 3, "lost", 10000, 200, 10100);
    txn lost = open_transaction(collector, 4, "BYE", "lost", UAC, UAS);
    send_request(&lost, 12100);
    call(collector, 5, "busy", 20000, 486, 20100);
    kpi_collector_observe_time(collector, MS(60000));
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->disconnect_requests, ==, 2);
    g_assert_cmpuint(metrics->disconnect_successful, ==, 1);
    g_assert_cmpuint(metrics->disconnect_failed, ==, 1);
    g_assert_cmpint(metrics->sdd.max_us, ==, 2000);
    g_assert_cmpuint(metrics->sdt.count, ==, 2);
    g_assert_cmpint(metrics->sdt.min_us, ==, 2000000);
    g_assert_cmpint(metrics->sdt.max_us, ==, 3000000);
    assert_ratio(metrics, KPI_RATIO_SCR, 1, 3);
    assert_ratio(metrics, KPI_RATIO_SSR, 2, 3);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* §4.1, §4.2: REGISTER -> 401 -> REGISTER -> 200 is one attempt whose RRD
 * runs from the first REGISTER; 403 is ineffective, 401 never answered is not. */
static void test_rfc6076_4_1_registration_across_challenge(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    txn first = open_transaction(collector, 1, "REGISTER", "reg-a", UAC, PROXY);
    send_request(&first, 0);
    send_response(&first, 401, 5, FALSE);
    txn second = open_transaction(collector, 2, "REGISTER", "reg-a", UAC, PROXY);
    send_request(&second, 20);
    send_response(&second, 200, 32, FALSE);
    txn refused = open_transaction(collector, 3, "REGISTER", "reg-b", UAC, PROXY);
    send_request(&refused, 100);
    send_response(&refused, 401, 101, FALSE);
    txn wrong = open_transaction(collector, 4, "REGISTER", "reg-b", UAC, PROXY);
    send_request(&wrong, 110);
    send_response(&wrong, 403, 111, FALSE);
    txn abandoned = open_transaction(collector, 5, "REGISTER", "reg-c", UAC, PROXY);
    send_request(&abandoned, 200);
    send_response(&abandoned, 407, 201, FALSE);
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->registration_attempts, ==, 3);
    g_assert_cmpuint(metrics->registration_challenged, ==, 3);
    g_assert_cmpuint(metrics->registration_successful, ==, 1);
    g_assert_cmpuint(metrics->registration_ineffective, ==, 1);
    g_assert_cmpuint(metrics->registration_unfinished, ==, 1);
    g_assert_cmpuint(metrics->rrd.count, ==, 1);
    g_assert_cmpint(metrics->rrd.min_us, ==, 32000);
    assert_ratio(metrics, KPI_RATIO_IRA, 1, 3);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* A re-INVITE (To tag) is not a new session request (§4.6 "new session INVITE requests"). */
static void test_rfc6076_4_6_reinvite_is_not_a_session_request(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    call(collector, 1, "dialog", 0, 200, 100);
    txn reinvite = open_transaction(collector, 2, "INVITE", "dialog", UAC, UAS);
    reinvite.message.in_dialog = TRUE;
    send_request(&reinvite, 1000);
    send_response(&reinvite, 200, 1010, TRUE);
    kpi_report *report = kpi_collector_report(collector);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->session_requests, ==, 1);
    g_assert_cmpuint(metrics->session_in_dialog, ==, 1);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* Through a proxy each hop is its own transaction: the call scope keeps the
 * hop where the Call-ID first appears; each hop has its own scope. */
static void test_hops_and_the_call_scope(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    txn upstream = open_transaction(collector, 1, "INVITE", "proxied", UAC, PROXY);
    send_request(&upstream, 0);
    txn downstream = open_transaction(collector, 2, "INVITE", "proxied", PROXY, UAS);
    send_request(&downstream, 1);
    send_response(&downstream, 503, 20, TRUE);
    send_response(&upstream, 500, 21, TRUE);     /* RFC 3261 §16.7: a proxy turns 503 into 500 */
    kpi_report *report = kpi_collector_report(collector);
    g_assert_cmpuint(report->scopes->len, ==, 3);
    const kpi_metrics *metrics = call_scope(report);
    g_assert_cmpuint(metrics->session_requests, ==, 1);
    g_assert_cmpuint(metrics->session_ineffective, ==, 1);
    const kpi_scope *first_hop = g_ptr_array_index(report->scopes, 1);
    const kpi_scope *second_hop = g_ptr_array_index(report->scopes, 2);
    g_assert_cmpstr(first_hop->first_endpoint, ==, UAC);
    g_assert_cmpstr(first_hop->second_endpoint, ==, PROXY);
    g_assert_cmpstr(second_hop->first_endpoint, ==, PROXY);
    g_assert_cmpuint(second_hop->metrics.session_requests, ==, 1);
    g_assert_cmpint(second_hop->metrics.srd_failed.min_us, ==, 19000);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

/* The text -z siptxn,kpi prints: the header, a line per count group, ratio and delay. */
static void test_text_format(void)
{
    kpi_collector *collector = kpi_collector_new(TIMEOUT);
    call(collector, 1, "a", 0, 200, 300);
    call(collector, 2, "b", 1000, 486, 1300);
    kpi_report *report = kpi_collector_report(collector);
    char *text = kpi_report_format(report);
    g_assert_nonnull(strstr(text, "\nsiptxn KPIs (RFC 6076 section 4), format 1\n"));
    g_assert_nonnull(strstr(text, "\nscope call: the first hop of each Call-ID\n"));
    g_assert_nonnull(strstr(text, "\nscope hop: " UAC " -> " UAS "\n"));
    g_assert_nonnull(strstr(text, "  ratio ser 1/2 = 0.5000\n"));
    g_assert_nonnull(strstr(text, "  ratio ira 0/0 = undefined\n"));
    g_assert_nonnull(strstr(text, "  delay srd count=1 min=10.000ms median=10.000ms p95=10.000ms max=10.000ms "
                                  "mean=10.000ms sum_us=10000 buckets=12500:1\n"));
    g_assert_nonnull(strstr(text, "  delay srd_failed count=1 min=10.000ms "));
    g_assert_nonnull(strstr(text, "  delay sdd count=0 sum_us=0 buckets=-\n"));
    g_assert_nonnull(strstr(text, "\nend of siptxn KPIs\n"));
    g_free(text);
    kpi_report_free(report);
    kpi_collector_free(collector);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kpi/buckets/fixed", test_buckets_are_fixed);
    g_test_add_func("/kpi/buckets/percentiles-merge-exactly", test_percentiles_merge_exactly);
    g_test_add_func("/kpi/rfc6076/4.6-4.8/session-ratios", test_rfc6076_4_6_to_4_8_session_ratios);
    g_test_add_func("/kpi/rfc6076/open-session-left-out", test_open_session_is_left_out);
    g_test_add_func("/kpi/rfc6076/4.3/session-request-delay", test_rfc6076_4_3_session_request_delay);
    g_test_add_func("/kpi/rfc6076/4.4-4.10/disconnects-and-completion", test_rfc6076_4_4_to_4_10_disconnects_and_completion);
    g_test_add_func("/kpi/rfc6076/4.1-4.2/registration-across-challenge", test_rfc6076_4_1_registration_across_challenge);
    g_test_add_func("/kpi/rfc6076/4.6/reinvite-not-a-session-request", test_rfc6076_4_6_reinvite_is_not_a_session_request);
    g_test_add_func("/kpi/hops-and-call-scope", test_hops_and_the_call_scope);
    g_test_add_func("/kpi/text-format", test_text_format);
    return g_test_run();
}
