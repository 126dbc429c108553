/* SPDX-License-Identifier: GPL-2.0-or-later */
/* response_times.c: response times per method, as Wireshark's service response
 * time tables show them (Statistics -> Service Response Time -> SIPTXN;
 * tshark -z siptxn,rtd).  One row per method: from the request's first copy
 * to its transaction's first final response; INVITE has a second row, to the
 * first response other than 100 (RFC 6076 §4.2, Session Request Delay).  Each
 * row also counts open requests (not answered yet), discarded responses (their
 * request is not in the capture), and repeated requests and responses (the
 * retransmissions siptxn found); a response counts in the rows it could end:
 * a final response in its method's row, any response other than 100 in
 * INVITE's first-answer row. */

#include <string.h>

#include <epan/packet.h>
#include <epan/rtd_table.h>
#include <epan/tap.h>

#include "compat.h"
#include "fields.h"
#include "message_store.h"
#include "response_times.h"

#define response_time_rows_VALUE_STRING_LIST(XXX)                                  \
    XXX(ROW_INVITE_ANSWER, 0, "INVITE to first response other than 100")          \
    XXX(ROW_INVITE, 1, "INVITE to final response")                                \
    XXX(ROW_REGISTER, 2, "REGISTER")                                               \
    XXX(ROW_BYE, 3, "BYE")                                                         \
    XXX(ROW_CANCEL, 4, "CANCEL")                                                   \
    XXX(ROW_OPTIONS, 5, "OPTIONS")                                                 \
    XXX(ROW_SUBSCRIBE, 6, "SUBSCRIBE")                                             \
    XXX(ROW_NOTIFY, 7, "NOTIFY")                                                   \
    XXX(ROW_MESSAGE, 8, "MESSAGE")                                                 \
    XXX(ROW_INFO, 9, "INFO")                                                       \
    XXX(ROW_UPDATE, 10, "UPDATE")                                                  \
    XXX(ROW_PRACK, 11, "PRACK")                                                    \
    XXX(ROW_REFER, 12, "REFER")                                                    \
    XXX(ROW_PUBLISH, 13, "PUBLISH")                                                \
    XXX(ROW_OTHER, 14, "other methods")

VALUE_STRING_ENUM(response_time_rows);
VALUE_STRING_ARRAY(response_time_rows);
#define ROW_COUNT (ROW_OTHER + 1)

/* The rows a transaction's messages count in: its method's, and for INVITE
 * also the row of the first answer.  Returns how many (1 or 2). */
static guint rows_of(const transaction *owner, guint rows[2])
{
    rows[0] = ROW_OTHER;
    if (owner->kind == TRANSACTION_KIND_INVITE) {
        rows[0] = ROW_INVITE;
        rows[1] = ROW_INVITE_ANSWER;
        return 2;
    }
    for (guint row = ROW_REGISTER; row < ROW_OTHER; row++)
        if (owner->method && strcmp(owner->method, response_time_rows[row].strptr) == 0)
            rows[0] = row;
    return 1;
}

/* The time from the transaction's request to this message. */
static nstime_t since_request(const transaction *owner, const packet_info *pinfo)
{
    gint64 elapsed_ns = siptxn_time_ns(&pinfo->abs_ts) - owner->request_time_ns;
    nstime_t elapsed;
    if (elapsed_ns < 0)
        elapsed_ns = 0;   /* a clock that went backwards */
    elapsed.secs = (time_t)(elapsed_ns / G_GINT64_CONSTANT(1000000000));
    elapsed.nsecs = (int)(elapsed_ns % G_GINT64_CONSTANT(1000000000));
    return elapsed;
}

/* A response the row cannot measure: a repeated one, or one whose request is
 * not in the capture (discarded). */
static void count_response(rtd_timestat *stat, gboolean repeated)
{
    if (repeated)
        stat->rsp_dup_num++;
    else
        stat->disc_rsp_num++;
}

/* A measured response closes its row's open request. */
static void measure(rtd_stat_table *table, guint row, const transaction *owner, packet_info *pinfo)
{
    rtd_timestat *stat = &table->time_stats[row];
    nstime_t elapsed = since_request(owner, pinfo);
    time_stat_update(&stat->rtd[0], &elapsed, pinfo);
    if (stat->open_req_num > 0)
        stat->open_req_num--;
}

static tap_packet_status response_times_packet(void *data, packet_info *pinfo, epan_dissect_t *edt _U_,
                                               const void *tapped, tap_flags_t flags _U_)
{
    rtd_stat_table *table = &((rtd_data_t *)data)->stat_table;
    const stored_message *message = tapped;
    const transaction *owner = message->transaction;
    const message_role role = (message_role)message->role;
    guint rows[2];
    guint row_count = rows_of(owner, rows);

    /* An ACK has no response: neither its own transaction nor a non-2xx ACK
     * counts; a duplicate of a packet is no message of its own. */
    if (owner->kind == TRANSACTION_KIND_ACK || message_role_is_ack(role) || role == MESSAGE_ROLE_DUPLICATE)
        return TAP_PACKET_DONT_REDRAW;
    if (message->is_request) {
        for (guint i = 0; i < row_count; i++) {
            if (message_role_is_retransmission(role))
                table->time_stats[rows[i]].req_dup_num++;
            else
                table->time_stats[rows[i]].open_req_num++;
        }
        return TAP_PACKET_REDRAW;
    }
    /* A response concerns the row it may end (a final response), and for INVITE
     * the row of the first answer (any response other than 100). */
    gboolean final = message->status_code >= 200;
    gboolean answer = owner->kind == TRANSACTION_KIND_INVITE && message->status_code != 100;
    if (message_role_is_retransmission(role) || !owner->request_frame) {
        gboolean repeated = message_role_is_retransmission(role);
        if (final)
            count_response(&table->time_stats[rows[0]], repeated);
        if (answer)
            count_response(&table->time_stats[ROW_INVITE_ANSWER], repeated);
        return TAP_PACKET_REDRAW;
    }
    /* A forked INVITE's further final responses are not its first (RFC 3261 §13.2.2.4). */
    gboolean first_final = role == MESSAGE_ROLE_FINAL &&
                           !(stored_message_details(message)->findings & FINDING_ADDITIONAL_FINAL);
    if (first_final)
        measure(table, rows[0], owner, pinfo);
    if (owner->kind == TRANSACTION_KIND_INVITE && message->first_answer)
        measure(table, ROW_INVITE_ANSWER, owner, pinfo);
    return first_final || message->first_answer ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

void register_siptxn_response_times(void)
{
    register_rtd_table(proto_siptxn, "siptxn", ROW_COUNT, 1, response_time_rows, response_times_packet, NULL);
}
