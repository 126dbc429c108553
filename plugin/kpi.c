/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kpi.c: tshark -z siptxn,kpi[,FILTER]: the RFC 6076 §4 metrics of the
 * capture as text (format: docs/check.md), computed by core/kpi.c from the
 * siptxn tap.  Only the first copy of each request and response of a
 * transaction is passed on: retransmissions, capture duplicates and a forked
 * INVITE's further final responses never count. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/to_str.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "compat.h"
#include "fields.h"
#include "kpi.h"
#include "kpi_tap.h"
#include "message_store.h"

typedef struct {
    kpi_collector *collector;
    char *filter;
} kpi_tap;

/* The roles whose message is the first of its kind in its transaction; any
 * other role (a retransmission, a duplicate) is a copy. */
static gboolean first_copy(message_role role)
{
    return role == MESSAGE_ROLE_REQUEST || role == MESSAGE_ROLE_PROVISIONAL || role == MESSAGE_ROLE_FINAL ||
           role == MESSAGE_ROLE_CANCEL;
}

/* "address:port" ("[address]:port" for IPv6), as extract.c writes a message's endpoints. */
static const char *endpoint_text(packet_info *pinfo, const address *addr, guint32 port)
{
    char *host = address_to_str(pinfo->pool, addr);
    return addr->type == AT_IPv6 ? wmem_strdup_printf(pinfo->pool, "[%s]:%u", host, port)
                                 : wmem_strdup_printf(pinfo->pool, "%s:%u", host, port);
}

static gint64 frame_time_ns(const packet_info *pinfo)
{
    return (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;
}

static void kpi_reset(void *data)
{
    kpi_tap *tap = data;
    kpi_collector_free(tap->collector);
    tap->collector = kpi_collector_new((gint64)64 * siptxn_pref_t1_ms * G_GINT64_CONSTANT(1000000));
}

static tap_packet_status kpi_packet(void *data, packet_info *pinfo, epan_dissect_t *edt _U_, const void *tapped,
                                    tap_flags_t flags _U_)
{
    kpi_tap *tap = data;
    const stored_message *message = tapped;
    const transaction *owner = message->transaction;
    const message_role role = (message_role)message->role;
    if (!tap->collector)
        kpi_reset(tap);
    kpi_collector_observe_time(tap->collector, frame_time_ns(pinfo));
    if (!first_copy(role) || owner->kind == TRANSACTION_KIND_ACK)
        return TAP_PACKET_DONT_REDRAW;

    const transaction_hop *hop = transaction_hop_of(owner);
    const char *source = endpoint_text(pinfo, &pinfo->src, pinfo->srcport);
    const char *destination = endpoint_text(pinfo, &pinfo->dst, pinfo->destport);
    const gboolean towards_server = message->is_request;
    kpi_message facts = {
        .transaction = owner->number,
        .is_invite = owner->kind == TRANSACTION_KIND_INVITE,
        .method = owner->method,
        .call_id = owner->call_id,
        /* The hop as the transaction's first message saw it. */
        .client = hop->client ? hop->client : towards_server ? source : destination,
        .server = hop->server ? hop->server : towards_server ? destination : source,
        .is_request = message->is_request,
        .in_dialog = hop->request_to_tag && hop->request_to_tag[0],
        .status_code = message->status_code,
        .first_answer = message->first_answer,
        /* A forked INVITE's further final responses are not its first (RFC 3261 §13.2.2.4). */
        .first_final = role == MESSAGE_ROLE_FINAL &&
                       !(stored_message_details(message)->findings & FINDING_ADDITIONAL_FINAL),
        .time_ns = frame_time_ns(pinfo),
    };
    kpi_collector_add(tap->collector, &facts);
    return TAP_PACKET_REDRAW;
}

/* Every frame, SIP or not, tells how far the capture goes (Timer B/F). */
static tap_packet_status kpi_frame(void *data, packet_info *pinfo, epan_dissect_t *edt _U_, const void *tapped _U_,
                                   tap_flags_t flags _U_)
{
    kpi_tap *tap = data;
    if (!tap->collector)
        kpi_reset(tap);
    kpi_collector_observe_time(tap->collector, frame_time_ns(pinfo));
    return TAP_PACKET_DONT_REDRAW;
}

static void kpi_draw(void *data)
{
    kpi_tap *tap = data;
    if (!tap->collector)
        kpi_reset(tap);
    kpi_report *report = kpi_collector_report(tap->collector);
    char *text = kpi_report_format(report);
    fputs(text, stdout);
    g_free(text);
    kpi_report_free(report);
}

static void kpi_finish(void *data)
{
    kpi_tap *tap = data;
    kpi_collector_free(tap->collector);
    g_free(tap->filter);
    g_free(tap);
}

static const char KPI_CLI[] = "siptxn,kpi";

/* Starts the tap for "-z siptxn,kpi[,FILTER]"; FALSE (said on stderr) when
 * the filter is wrong. */
static gboolean kpi_start(const char *option)
{
    kpi_tap *tap = g_new0(kpi_tap, 1);
    if (option && strncmp(option, KPI_CLI, strlen(KPI_CLI)) == 0 && option[strlen(KPI_CLI)] == ',')
        tap->filter = g_strdup(option + strlen(KPI_CLI) + 1);
    GString *error = register_tap_listener("siptxn", tap, tap->filter, TL_REQUIRES_NOTHING, kpi_reset, kpi_packet,
                                           kpi_draw, kpi_finish);
    if (error) {
        fprintf(stderr, "tshark: couldn't register siptxn,kpi tap: %s\n", error->str);
        g_string_free(error, TRUE);
        g_free(tap->filter);
        g_free(tap);
        return FALSE;
    }
    error = register_tap_listener("frame", tap, NULL, TL_REQUIRES_NOTHING, NULL, kpi_frame, NULL, NULL);
    if (error)   /* without it, the last SIP message ends the capture */
        g_string_free(error, TRUE);
    return TRUE;
}

/* 4.6's tap start says whether it worked; 4.0's and 4.4's ends tshark itself. */
#if SIPTXN_WIRESHARK_AT_LEAST(4, 6)
static bool kpi_init(const char *option, void *userdata _U_)
{
    return kpi_start(option);
}
#else
static void kpi_init(const char *option, void *userdata _U_)
{
    if (!kpi_start(option))
        exit(1);
}
#endif

void register_siptxn_kpi(void)
{
    static stat_tap_ui ui = {SIPTXN_STAT_GROUP_TELEPHONY, "SIP transaction KPIs (RFC 6076)", KPI_CLI, kpi_init,
                             0, NULL};
    register_stat_tap_ui(&ui, NULL);
}
