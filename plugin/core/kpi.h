/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kpi.h: the RFC 6076 §4 metrics of a capture, counted per transaction.
 *
 * The shell (plugin/kpi.c, tshark -z siptxn,kpi) tells the collector about
 * the first copy of each message of each transaction: a retransmission, a
 * forked final response after the first or a capture duplicate never reaches
 * it, so every transaction counts once.  The report groups the transactions
 * by network endpoint pair (a hop: on a proxy capture each hop has its own
 * transactions) and, per call, keeps the first hop of each Call-ID, the one
 * nearest the originating user agent where RFC 6076 measures.  Delays are
 * distributions over fixed buckets, so that the reports of several captures
 * add up exactly.  Plain C + GLib: unit-tested directly.
 */
#ifndef SIPTXN_KPI_H
#define SIPTXN_KPI_H

#include <glib.h>

/* The version of the text kpi_report_format() writes (docs/check.md). */
#define KPI_FORMAT_VERSION 1

/* Fixed histogram buckets: [0, 100 us), then ten per decade along the
 * Renard R10 series (100, 125, 160, 200, 250, 315, 400, 500, 630, 800 us,
 * 1 ms, ...) up to 100,000 s, then one open bucket. */
#define KPI_BUCKET_COUNT 92

/* The upper bound (exclusive) of a bucket in microseconds; G_MAXINT64 for
 * the last, open one. */
gint64 kpi_bucket_upper_us(guint bucket);

/* The bucket a delay in microseconds falls into. */
guint kpi_bucket_of(gint64 value_us);

/* A delay's distribution: exact count, sum, min and max, and the buckets
 * that give the median and p95 (kpi_distribution_percentile_us). */
typedef struct {
    guint64 count;
    gint64  sum_us;
    gint64  min_us;
    gint64  max_us;
    guint64 buckets[KPI_BUCKET_COUNT];
} kpi_distribution;

void kpi_distribution_add(kpi_distribution *distribution, gint64 value_us);

/* The nearest-rank percentile (0 < fraction <= 1): the upper bound of the
 * bucket holding that sample, kept within [min, max]; 0 without samples. */
gint64 kpi_distribution_percentile_us(const kpi_distribution *distribution, double fraction);

/* The metrics of one scope: all of a hop's transactions, or the call scope. */
typedef struct {
    /* Sessions (§4.3, §4.6-§4.10): INVITEs that open a session (no To tag). */
    guint64 session_requests;       /* every new-session INVITE seen with its request */
    guint64 session_open;           /* no final response yet when the capture ends (before Timer B) */
    guint64 session_in_dialog;      /* INVITEs with a To tag (re-INVITEs): not session requests */
    guint64 session_established;    /* first final response 2xx */
    guint64 session_redirected;     /* 3xx: out of SER and SEER (§4.6, §4.7) */
    guint64 session_effective;      /* 2xx, 480, 486, 600, 603 (§4.7) */
    guint64 session_ineffective;    /* 408, 500, 503, 504, or Timer B (§4.8) */
    guint64 session_timed_out;      /* no final response within 64*T1 (Timer B), among the ineffective */
    guint64 session_completed;      /* established, and its BYE got a 2xx (§4.9) */
    guint64 session_not_completed;  /* established, and its BYE got no 2xx: no answer or an error (§4.9) */
    /* Registrations (§4.1, §4.2): a REGISTER and those answering its 401/407 challenges count once. */
    guint64 registration_attempts;
    guint64 registration_open;
    guint64 registration_successful;
    guint64 registration_ineffective; /* 4xx but 401, 402, 407; 5xx, 6xx; Timer F */
    guint64 registration_unfinished;  /* a challenge never answered, or a 3xx */
    guint64 registration_challenged;  /* attempts that met a 401 or 407 on the way */
    /* Session ends (§4.4): BYE transactions. */
    guint64 disconnect_requests;
    guint64 disconnect_open;
    guint64 disconnect_successful;    /* 2xx */
    guint64 disconnect_failed;        /* another final response, or Timer F */
    kpi_distribution rrd;             /* §4.1: first REGISTER -> 2xx of the attempt */
    kpi_distribution srd_successful;  /* §4.3.1: INVITE -> first response other than 100 (a 2xx at the latest) */
    kpi_distribution srd_failed;      /* §4.3.2: INVITE -> first response other than 100 (the failure at the latest) */
    kpi_distribution sdd;             /* §4.4: BYE -> its 2xx */
    kpi_distribution sdt;             /* §4.5: the INVITE's 2xx -> the BYE */
} kpi_metrics;

/* The ratios of §4.2 and §4.6-§4.10 as numerator and denominator. */
typedef enum {
    KPI_RATIO_SER,   /* §4.6 */
    KPI_RATIO_SEER,  /* §4.7 */
    KPI_RATIO_ISA,   /* §4.8 */
    KPI_RATIO_SCR,   /* §4.9 */
    KPI_RATIO_SSR,   /* §4.10 */
    KPI_RATIO_IRA,   /* §4.2 */
    KPI_RATIO_COUNT
} kpi_ratio;

const char *kpi_ratio_name(kpi_ratio ratio);
void kpi_metrics_ratio(const kpi_metrics *metrics, kpi_ratio ratio, guint64 *numerator, guint64 *denominator);

/* What the shell knows of one message: the first copy of a request or
 * response of its transaction (never a retransmission or a duplicate). */
typedef struct {
    guint32     transaction;   /* the transaction's number */
    gboolean    is_invite;     /* an INVITE transaction */
    const char *method;        /* the transaction's method */
    const char *call_id;
    const char *client;        /* network endpoint that sent the transaction's request */
    const char *server;        /* network endpoint it went to */
    gboolean    is_request;
    gboolean    in_dialog;     /* request: it has a To tag */
    guint       status_code;   /* response */
    gboolean    first_answer;  /* response: the transaction's first other than 100 (INVITE) */
    gboolean    first_final;   /* response: the transaction's first final response */
    gint64      time_ns;
} kpi_message;

typedef struct kpi_collector kpi_collector;

/* timeout_ns: Timers B and F, 64*T1 (RFC 3261 §17.1.1.2, §17.1.2.2). */
kpi_collector *kpi_collector_new(gint64 timeout_ns);
void kpi_collector_free(kpi_collector *collector);
void kpi_collector_add(kpi_collector *collector, const kpi_message *message);
/* Any frame tells how far the capture goes: a request unanswered for
 * 64*T1 before the end has timed out, a later one is still open. */
void kpi_collector_observe_time(kpi_collector *collector, gint64 time_ns);

/* One scope of the report. */
typedef struct {
    char *name;               /* "call", or the hop's "A <-> B" */
    char *first_endpoint;     /* hop: the client of its first transaction */
    char *second_endpoint;    /* hop: the server of its first transaction */
    kpi_metrics metrics;
} kpi_scope;

/* The call scope first, then one scope per hop in order of first appearance. */
typedef struct {
    guint32    transactions;
    GPtrArray *scopes;        /* of kpi_scope */
} kpi_report;

kpi_report *kpi_collector_report(const kpi_collector *collector);
void kpi_report_free(kpi_report *report);

/* The report as text (tshark -z siptxn,kpi; its format: docs/check.md). */
char *kpi_report_format(const kpi_report *report);

#endif /* SIPTXN_KPI_H */
