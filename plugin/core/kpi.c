/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kpi.c: the RFC 6076 §4 metrics from a capture's transactions (see kpi.h). */

#include <string.h>

#include "kpi.h"

/* ---------------------------------------------------------------- buckets */

/* The Renard R10 series in microseconds, the first decade of bucket bounds. */
static const gint64 renard_r10_us[10] = {100, 125, 160, 200, 250, 315, 400, 500, 630, 800};

gint64 kpi_bucket_upper_us(guint bucket)
{
    if (bucket >= KPI_BUCKET_COUNT - 1)
        return G_MAXINT64;
    gint64 upper = renard_r10_us[bucket % 10];
    for (guint decade = 0; decade < bucket / 10; decade++)
        upper *= 10;
    return upper;
}

guint kpi_bucket_of(gint64 value_us)
{
    guint bucket = 0;
    while (bucket < KPI_BUCKET_COUNT - 1 && value_us >= kpi_bucket_upper_us(bucket))
        bucket++;
    return bucket;
}

void kpi_distribution_add(kpi_distribution *distribution, gint64 value_us)
{
    if (value_us < 0)
        value_us = 0;   /* a clock that went backwards */
    if (distribution->count == 0 || value_us < distribution->min_us)
        distribution->min_us = value_us;
    if (distribution->count == 0 || value_us > distribution->max_us)
        distribution->max_us = value_us;
    distribution->count++;
    distribution->sum_us += value_us;
    distribution->buckets[kpi_bucket_of(value_us)]++;
}

gint64 kpi_distribution_percentile_us(const kpi_distribution *distribution, double fraction)
{
    if (distribution->count == 0)
        return 0;
    guint64 rank = (guint64)(fraction * (double)distribution->count);
    if ((double)rank < fraction * (double)distribution->count)
        rank++;
    if (rank < 1)
        rank = 1;
    guint64 seen = 0;
    for (guint bucket = 0; bucket < KPI_BUCKET_COUNT; bucket++) {
        seen += distribution->buckets[bucket];
        if (seen >= rank)
            return CLAMP(kpi_bucket_upper_us(bucket), distribution->min_us, distribution->max_us);
    }
    return distribution->max_us;
}

/* ---------------------------------------------------------------- ratios */

const char *kpi_ratio_name(kpi_ratio ratio)
{
    static const char *const names[KPI_RATIO_COUNT] = {"ser", "seer", "isa", "scr", "ssr", "ira"};
    return ratio < KPI_RATIO_COUNT ? names[ratio] : "?";
}

void kpi_metrics_ratio(const kpi_metrics *metrics, kpi_ratio ratio, guint64 *numerator, guint64 *denominator)
{
    /* Session requests whose outcome the capture shows. */
    guint64 decided = metrics->session_requests - metrics->session_open;
    switch (ratio) {
    case KPI_RATIO_SER:  /* §4.6: 2xx / (requests - 3xx) */
        *numerator = metrics->session_established;
        *denominator = decided - metrics->session_redirected;
        break;
    case KPI_RATIO_SEER: /* §4.7: (2xx, 480, 486, 600, 603) / (requests - 3xx) */
        *numerator = metrics->session_effective;
        *denominator = decided - metrics->session_redirected;
        break;
    case KPI_RATIO_ISA:  /* §4.8: (408, 500, 503, 504, Timer B) / requests */
        *numerator = metrics->session_ineffective;
        *denominator = decided;
        break;
    case KPI_RATIO_SCR:  /* §4.9: completed sessions / requests */
        *numerator = metrics->session_completed;
        *denominator = decided;
        break;
    case KPI_RATIO_SSR:  /* §4.10: requests that failed neither as ISA nor to complete / requests */
        *numerator = decided - metrics->session_ineffective - metrics->session_not_completed;
        *denominator = decided;
        break;
    case KPI_RATIO_IRA:  /* §4.2: ineffective attempts / attempts */
    default:
        *numerator = metrics->registration_ineffective;
        *denominator = metrics->registration_attempts - metrics->registration_open;
        break;
    }
}

/* ---------------------------------------------------------------- collecting */

/* What the metrics need of one transaction: its first request, first
 * response other than 100 and first final response. */
typedef struct {
    guint32     number;
    gboolean    is_invite;
    const char *method;
    const char *call_id;
    const char *client;
    const char *server;
    const char *pair;          /* the unordered endpoint pair: the hop */
    gboolean    request_seen;
    gboolean    in_dialog;
    gint64      request_ns;
    gboolean    answered;
    gint64      answer_ns;
    guint       final_status;  /* 0: none */
    gint64      final_ns;
} kpi_transaction;

struct kpi_collector {
    GStringChunk *texts;
    GHashTable   *by_number;      /* number -> kpi_transaction */
    GPtrArray    *transactions;   /* in order of first appearance */
    gint64        timeout_ns;
    gint64        last_time_ns;
    gboolean      seen_time;
};

kpi_collector *kpi_collector_new(gint64 timeout_ns)
{
    kpi_collector *collector = g_new0(kpi_collector, 1);
    collector->texts = g_string_chunk_new(4096);
    collector->by_number = g_hash_table_new(g_direct_hash, g_direct_equal);
    collector->transactions = g_ptr_array_new_with_free_func(g_free);
    collector->timeout_ns = timeout_ns;
    return collector;
}

void kpi_collector_free(kpi_collector *collector)
{
    if (!collector)
        return;
    g_hash_table_destroy(collector->by_number);
    g_ptr_array_free(collector->transactions, TRUE);
    g_string_chunk_free(collector->texts);
    g_free(collector);
}

static const char *keep_text(kpi_collector *collector, const char *text)
{
    return g_string_chunk_insert_const(collector->texts, text ? text : "");
}

/* "A <-> B" with the two endpoints in byte order: both directions of a hop. */
static const char *pair_of(kpi_collector *collector, const char *client, const char *server)
{
    const char *first = strcmp(client, server) <= 0 ? client : server;
    const char *second = first == client ? server : client;
    char *pair = g_strdup_printf("%s <-> %s", first, second);
    const char *kept = keep_text(collector, pair);
    g_free(pair);
    return kept;
}

void kpi_collector_observe_time(kpi_collector *collector, gint64 time_ns)
{
    if (!collector->seen_time || time_ns > collector->last_time_ns)
        collector->last_time_ns = time_ns;
    collector->seen_time = TRUE;
}

void kpi_collector_add(kpi_collector *collector, const kpi_message *message)
{
    kpi_collector_observe_time(collector, message->time_ns);
    kpi_transaction *transaction = g_hash_table_lookup(collector->by_number, GUINT_TO_POINTER(message->transaction));
    if (!transaction) {
        transaction = g_new0(kpi_transaction, 1);
        transaction->number = message->transaction;
        transaction->is_invite = message->is_invite;
        transaction->method = keep_text(collector, message->method);
        transaction->call_id = keep_text(collector, message->call_id);
        transaction->client = keep_text(collector, message->client);
        transaction->server = keep_text(collector, message->server);
        transaction->pair = pair_of(collector, transaction->client, transaction->server);
        g_hash_table_insert(collector->by_number, GUINT_TO_POINTER(message->transaction), transaction);
        g_ptr_array_add(collector->transactions, transaction);
    }
    if (message->is_request) {
        if (!transaction->request_seen) {
            transaction->request_seen = TRUE;
            transaction->in_dialog = message->in_dialog;
            transaction->request_ns = message->time_ns;
        }
        return;
    }
    /* RFC 6076 §4.3: the first response other than 100, or the final one. */
    if (!transaction->answered && (message->first_answer || message->first_final)) {
        transaction->answered = TRUE;
        transaction->answer_ns = message->time_ns;
    }
    if (message->first_final && message->status_code >= 200 && !transaction->final_status) {
        transaction->final_status = message->status_code;
        transaction->final_ns = message->time_ns;
    }
}

/* ---------------------------------------------------------------- metrics */

static gint64 elapsed_us(gint64 from_ns, gint64 to_ns)
{
    return to_ns > from_ns ? (to_ns - from_ns) / 1000 : 0;
}

/* No final response, and the capture goes on past Timer B/F (RFC 3261
 * §17.1.1.2, §17.1.2.2): the client transaction has given up. */
static gboolean timed_out(const kpi_collector *collector, const kpi_transaction *transaction)
{
    return !transaction->final_status && collector->last_time_ns > transaction->request_ns &&
           collector->last_time_ns - transaction->request_ns > collector->timeout_ns;
}

static gboolean is_2xx(guint code) { return code >= 200 && code < 300; }

/* §4.7: the responses that tell the caller something about the callee. */
static gboolean is_effective_failure(guint code)
{
    return code == 480 || code == 486 || code == 600 || code == 603;
}

/* §4.8: the network or a server failed to handle the request. */
static gboolean is_ineffective(guint code)
{
    return code == 408 || code == 500 || code == 503 || code == 504;
}

/* §4.1, §4.2, §4.3.2: 401, 402 and 407 ask for something; they are not failures. */
static gboolean is_challenge(guint code)
{
    return code == 401 || code == 402 || code == 407;
}

static gboolean has_method(const kpi_transaction *transaction, const char *method)
{
    return strcmp(transaction->method, method) == 0;
}

/* The first BYE of the dialog after its 2xx (§4.5), NULL if none. */
static const kpi_transaction *bye_after(GHashTable *byes, const kpi_transaction *invite)
{
    GPtrArray *candidates = g_hash_table_lookup(byes, invite->call_id);
    for (guint i = 0; candidates && i < candidates->len; i++) {
        const kpi_transaction *bye = g_ptr_array_index(candidates, i);
        if (bye->request_ns >= invite->final_ns)
            return bye;
    }
    return NULL;
}

/* §4.3, §4.5-§4.10: one new-session INVITE. */
static void count_session(const kpi_collector *collector, kpi_metrics *metrics, GHashTable *byes,
                          const kpi_transaction *invite)
{
    if (invite->in_dialog) {
        metrics->session_in_dialog++;
        return;
    }
    metrics->session_requests++;
    guint code = invite->final_status;
    if (!code) {
        if (timed_out(collector, invite)) {
            metrics->session_ineffective++;
            metrics->session_timed_out++;
        } else {
            metrics->session_open++;
        }
        return;
    }
    if (code >= 300 && code < 400) {
        metrics->session_redirected++;
        return;
    }
    if (is_2xx(code)) {
        metrics->session_established++;
        metrics->session_effective++;
        kpi_distribution_add(&metrics->srd_successful, elapsed_us(invite->request_ns, invite->answer_ns));
        const kpi_transaction *bye = bye_after(byes, invite);
        if (!bye)
            return;
        kpi_distribution_add(&metrics->sdt, elapsed_us(invite->final_ns, bye->request_ns));
        if (is_2xx(bye->final_status))
            metrics->session_completed++;
        else if (bye->final_status >= 300 || timed_out(collector, bye))
            metrics->session_not_completed++;
        return;
    }
    if (is_effective_failure(code))
        metrics->session_effective++;
    if (is_ineffective(code))
        metrics->session_ineffective++;
    if (!is_challenge(code))
        kpi_distribution_add(&metrics->srd_failed, elapsed_us(invite->request_ns, invite->answer_ns));
}

/* §4.4: one BYE. */
static void count_disconnect(const kpi_collector *collector, kpi_metrics *metrics, const kpi_transaction *bye)
{
    metrics->disconnect_requests++;
    if (is_2xx(bye->final_status)) {
        metrics->disconnect_successful++;
        kpi_distribution_add(&metrics->sdd, elapsed_us(bye->request_ns, bye->final_ns));
    } else if (bye->final_status >= 300 || timed_out(collector, bye)) {
        metrics->disconnect_failed++;
    } else {
        metrics->disconnect_open++;
    }
}

/* A registration attempt: the first REGISTER and those that answer its
 * challenges (same Call-ID, same client), as §4.1 measures it. */
typedef enum { ATTEMPT_OPEN, ATTEMPT_SUCCESSFUL, ATTEMPT_INEFFECTIVE, ATTEMPT_UNFINISHED } attempt_outcome;

typedef struct {
    gint64          first_request_ns;
    gboolean        challenged;
    gboolean        awaiting_retry;   /* the last REGISTER got 401 or 407 */
    attempt_outcome outcome;
} registration_attempt;

static void count_registrations(const kpi_collector *collector, kpi_metrics *metrics, GPtrArray *registers)
{
    GHashTable *current = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *attempts = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < registers->len; i++) {
        const kpi_transaction *request = g_ptr_array_index(registers, i);
        char *chain = g_strconcat(request->call_id, "\n", request->client, NULL);
        registration_attempt *attempt = g_hash_table_lookup(current, chain);
        if (!attempt || !attempt->awaiting_retry) {
            attempt = g_new0(registration_attempt, 1);
            attempt->first_request_ns = request->request_ns;
            g_ptr_array_add(attempts, attempt);
            g_hash_table_replace(current, g_strdup(chain), attempt);
        }
        g_free(chain);
        guint code = request->final_status;
        attempt->awaiting_retry = FALSE;
        if (is_2xx(code)) {
            attempt->outcome = ATTEMPT_SUCCESSFUL;
            kpi_distribution_add(&metrics->rrd, elapsed_us(attempt->first_request_ns, request->final_ns));
        } else if (code == 401 || code == 407) {
            attempt->challenged = TRUE;
            attempt->awaiting_retry = TRUE;
            attempt->outcome = ATTEMPT_UNFINISHED;
        } else if ((code >= 300 && code < 400) || code == 402) {
            attempt->outcome = ATTEMPT_UNFINISHED;
        } else if (code >= 400 || timed_out(collector, request)) {
            attempt->outcome = ATTEMPT_INEFFECTIVE;
        } else {
            attempt->outcome = ATTEMPT_OPEN;
        }
    }
    for (guint i = 0; i < attempts->len; i++) {
        const registration_attempt *attempt = g_ptr_array_index(attempts, i);
        metrics->registration_attempts++;
        metrics->registration_challenged += attempt->challenged;
        metrics->registration_open += attempt->outcome == ATTEMPT_OPEN;
        metrics->registration_successful += attempt->outcome == ATTEMPT_SUCCESSFUL;
        metrics->registration_ineffective += attempt->outcome == ATTEMPT_INEFFECTIVE;
        metrics->registration_unfinished += attempt->outcome == ATTEMPT_UNFINISHED;
    }
    g_ptr_array_free(attempts, TRUE);
    g_hash_table_destroy(current);
}

/* The metrics of a set of transactions, in order of first appearance. */
static void measure(const kpi_collector *collector, GPtrArray *transactions, kpi_metrics *metrics)
{
    GHashTable *byes = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    GPtrArray *registers = g_ptr_array_new();
    for (guint i = 0; i < transactions->len; i++) {
        kpi_transaction *transaction = g_ptr_array_index(transactions, i);
        if (!transaction->request_seen)
            continue;
        if (has_method(transaction, "BYE")) {
            GPtrArray *same_call = g_hash_table_lookup(byes, transaction->call_id);
            if (!same_call) {
                same_call = g_ptr_array_new();
                g_hash_table_insert(byes, (gpointer)transaction->call_id, same_call);
            }
            g_ptr_array_add(same_call, transaction);
            count_disconnect(collector, metrics, transaction);
        } else if (has_method(transaction, "REGISTER")) {
            g_ptr_array_add(registers, transaction);
        }
    }
    for (guint i = 0; i < transactions->len; i++) {
        const kpi_transaction *transaction = g_ptr_array_index(transactions, i);
        if (transaction->request_seen && transaction->is_invite)
            count_session(collector, metrics, byes, transaction);
    }
    count_registrations(collector, metrics, registers);
    g_ptr_array_free(registers, TRUE);
    g_hash_table_destroy(byes);
}

/* ---------------------------------------------------------------- the report */

static kpi_scope *scope_new(const char *name, const char *first_endpoint, const char *second_endpoint)
{
    kpi_scope *scope = g_new0(kpi_scope, 1);
    scope->name = g_strdup(name);
    scope->first_endpoint = g_strdup(first_endpoint);
    scope->second_endpoint = g_strdup(second_endpoint);
    return scope;
}

static void scope_free(gpointer data)
{
    kpi_scope *scope = data;
    g_free(scope->name);
    g_free(scope->first_endpoint);
    g_free(scope->second_endpoint);
    g_free(scope);
}

kpi_report *kpi_collector_report(const kpi_collector *collector)
{
    kpi_report *report = g_new0(kpi_report, 1);
    report->transactions = collector->transactions->len;
    report->scopes = g_ptr_array_new_with_free_func(scope_free);

    /* The call scope: the transactions on the hop where each Call-ID first appears. */
    GHashTable *first_hop = g_hash_table_new(g_str_hash, g_str_equal);   /* Call-ID -> pair */
    GHashTable *hop_index = g_hash_table_new(g_str_hash, g_str_equal);   /* pair -> index in hops */
    GPtrArray *call = g_ptr_array_new();
    GPtrArray *hops = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    GPtrArray *hop_scopes = g_ptr_array_new();
    for (guint i = 0; i < collector->transactions->len; i++) {
        kpi_transaction *transaction = g_ptr_array_index(collector->transactions, i);
        if (!g_hash_table_contains(first_hop, transaction->call_id))
            g_hash_table_insert(first_hop, (gpointer)transaction->call_id, (gpointer)transaction->pair);
        if (g_hash_table_lookup(first_hop, transaction->call_id) == transaction->pair)
            g_ptr_array_add(call, transaction);
        gpointer index;
        if (!g_hash_table_lookup_extended(hop_index, transaction->pair, NULL, &index)) {
            index = GUINT_TO_POINTER(hops->len);
            g_hash_table_insert(hop_index, (gpointer)transaction->pair, index);
            g_ptr_array_add(hops, g_ptr_array_new());
            g_ptr_array_add(hop_scopes, scope_new(transaction->pair, transaction->client, transaction->server));
        }
        g_ptr_array_add(g_ptr_array_index(hops, GPOINTER_TO_UINT(index)), transaction);
    }
    kpi_scope *call_scope = scope_new("call", NULL, NULL);
    measure(collector, call, &call_scope->metrics);
    g_ptr_array_add(report->scopes, call_scope);
    for (guint i = 0; i < hops->len; i++) {
        kpi_scope *scope = g_ptr_array_index(hop_scopes, i);
        measure(collector, g_ptr_array_index(hops, i), &scope->metrics);
        g_ptr_array_add(report->scopes, scope);
    }
    g_ptr_array_free(hop_scopes, TRUE);
    g_ptr_array_free(hops, TRUE);
    g_ptr_array_free(call, TRUE);
    g_hash_table_destroy(hop_index);
    g_hash_table_destroy(first_hop);
    return report;
}

void kpi_report_free(kpi_report *report)
{
    if (!report)
        return;
    g_ptr_array_free(report->scopes, TRUE);
    g_free(report);
}

/* ---------------------------------------------------------------- text */

static void format_milliseconds(GString *text, const char *name, gint64 value_us)
{
    g_string_append_printf(text, " %s=%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT "ms", name, value_us / 1000,
                           value_us % 1000);
}

static void format_distribution(GString *text, const char *name, const kpi_distribution *distribution)
{
    g_string_append_printf(text, "  delay %s count=%" G_GUINT64_FORMAT, name, distribution->count);
    if (distribution->count) {
        format_milliseconds(text, "min", distribution->min_us);
        format_milliseconds(text, "median", kpi_distribution_percentile_us(distribution, 0.5));
        format_milliseconds(text, "p95", kpi_distribution_percentile_us(distribution, 0.95));
        format_milliseconds(text, "max", distribution->max_us);
        format_milliseconds(text, "mean", distribution->sum_us / (gint64)distribution->count);
    }
    g_string_append_printf(text, " sum_us=%" G_GINT64_FORMAT " buckets=", distribution->sum_us);
    gboolean first = TRUE;
    for (guint bucket = 0; bucket < KPI_BUCKET_COUNT; bucket++) {
        if (!distribution->buckets[bucket])
            continue;
        gint64 upper = kpi_bucket_upper_us(bucket);
        if (upper == G_MAXINT64)
            g_string_append_printf(text, "%sinf:%" G_GUINT64_FORMAT, first ? "" : ",", distribution->buckets[bucket]);
        else
            g_string_append_printf(text, "%s%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, first ? "" : ",", upper,
                                   distribution->buckets[bucket]);
        first = FALSE;
    }
    if (first)
        g_string_append(text, "-");
    g_string_append_c(text, '\n');
}

/* " name=%llu", one count of a line. */
#define FIELD(name) " " name "=%" G_GUINT64_FORMAT

static void format_metrics(GString *text, const kpi_metrics *metrics)
{
    g_string_append_printf(text, "  sessions" FIELD("requests") FIELD("open") FIELD("in_dialog")
                           FIELD("established") FIELD("redirected") FIELD("effective")
                           FIELD("ineffective") FIELD("timed_out") FIELD("completed")
                           FIELD("not_completed") "\n",
                           metrics->session_requests, metrics->session_open, metrics->session_in_dialog,
                           metrics->session_established, metrics->session_redirected, metrics->session_effective,
                           metrics->session_ineffective, metrics->session_timed_out, metrics->session_completed,
                           metrics->session_not_completed);
    g_string_append_printf(text, "  registrations" FIELD("attempts") FIELD("open") FIELD("successful")
                           FIELD("ineffective") FIELD("unfinished") FIELD("challenged") "\n",
                           metrics->registration_attempts, metrics->registration_open,
                           metrics->registration_successful, metrics->registration_ineffective,
                           metrics->registration_unfinished, metrics->registration_challenged);
    g_string_append_printf(text, "  disconnects" FIELD("requests") FIELD("open") FIELD("successful")
                           FIELD("failed") "\n",
                           metrics->disconnect_requests, metrics->disconnect_open, metrics->disconnect_successful,
                           metrics->disconnect_failed);
    for (kpi_ratio ratio = 0; ratio < KPI_RATIO_COUNT; ratio++) {
        guint64 numerator, denominator;
        kpi_metrics_ratio(metrics, ratio, &numerator, &denominator);
        g_string_append_printf(text, "  ratio %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, kpi_ratio_name(ratio),
                               numerator, denominator);
        if (denominator)
            g_string_append_printf(text, " = %.4f\n", (double)numerator / (double)denominator);
        else
            g_string_append(text, " = undefined\n");
    }
    format_distribution(text, "rrd", &metrics->rrd);
    format_distribution(text, "srd", &metrics->srd_successful);
    format_distribution(text, "srd_failed", &metrics->srd_failed);
    format_distribution(text, "sdd", &metrics->sdd);
    format_distribution(text, "sdt", &metrics->sdt);
}

char *kpi_report_format(const kpi_report *report)
{
    GString *text = g_string_new(NULL);
    g_string_append(text, "===================================================================\n");
    g_string_append_printf(text, "siptxn KPIs (RFC 6076 section 4), format %d\n", KPI_FORMAT_VERSION);
    g_string_append_printf(text, "transactions %u\n", report->transactions);
    for (guint i = 0; i < report->scopes->len; i++) {
        const kpi_scope *scope = g_ptr_array_index(report->scopes, i);
        if (i == 0)
            g_string_append(text, "scope call: the first hop of each Call-ID\n");
        else
            g_string_append_printf(text, "scope hop: %s -> %s\n", scope->first_endpoint, scope->second_endpoint);
        format_metrics(text, &scope->metrics);
    }
    g_string_append(text, "end of siptxn KPIs\n");
    g_string_append(text, "===================================================================\n");
    return g_string_free(text, FALSE);
}
