/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.c: the "SIP Transactions" statistics tree (Telephony -> SIP
 * Transactions; tshark -z siptxn,tree), fed by the siptxn tap with one
 * stored_message per SIP message.  Its sections, in this order: transactions
 * by method; final responses by method, code and phrase; ACKs by class;
 * retransmissions by method; response times in milliseconds; what was left
 * open (no final response, a final response to INVITE never acknowledged). */

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "compat.h"
#include "message_store.h"
#include "stats.h"

static const char TRANSACTIONS[] = "Transactions by method";
static const char FINALS[] = "Final responses by method, code and phrase";
static const char ACKS[] = "ACKs by class";
static const char RETRANSMISSIONS[] = "Retransmissions by method";
static const char RESPONSE_TIMES[] = "Request to final response (ms) by method";
static const char INVITE_ANSWER[] = "INVITE to first response other than 100 (ms)";
static const char UNANSWERED[] = "Transactions without final response";
static const char UNACKNOWLEDGED[] = "INVITE final responses without ACK";

static int transactions_node, finals_node, acks_node, retransmissions_node, response_times_node,
    unanswered_node, unacknowledged_node;

static void siptxn_stats_init(stats_tree *st)
{
    /* Created here, so the sections keep this order. */
    transactions_node = stats_tree_create_node(st, TRANSACTIONS, 0, STAT_DT_INT, TRUE);
    finals_node = stats_tree_create_node(st, FINALS, 0, STAT_DT_INT, TRUE);
    acks_node = stats_tree_create_node(st, ACKS, 0, STAT_DT_INT, TRUE);
    retransmissions_node = stats_tree_create_node(st, RETRANSMISSIONS, 0, STAT_DT_INT, TRUE);
    response_times_node = stats_tree_create_node(st, RESPONSE_TIMES, 0, STAT_DT_FLOAT, TRUE);
    stats_tree_create_node(st, INVITE_ANSWER, 0, STAT_DT_FLOAT, FALSE);
    unanswered_node = stats_tree_create_node(st, UNANSWERED, 0, STAT_DT_INT, TRUE);
    unacknowledged_node = stats_tree_create_node(st, UNACKNOWLEDGED, 0, STAT_DT_INT, TRUE);
}

/* Milliseconds from the transaction's request to this frame, to the nanosecond. */
static float since_request_ms(const transaction *owner, const packet_info *pinfo)
{
    gint64 elapsed_ns = siptxn_time_ns(&pinfo->abs_ts) - owner->request_time_ns;
    return (float)((double)MAX(elapsed_ns, 0) / 1e6);
}

/* "486", under it the phrase as sent ("Busy Here", "No money left"). */
static void count_final(stats_tree *st, const stored_message *message, const char *method)
{
    char code[16];
    g_snprintf(code, sizeof(code), "%u", message->status_code);
    tick_stat_node(st, FINALS, 0, TRUE);
    int method_node = tick_stat_node(st, method, finals_node, TRUE);
    int code_node = tick_stat_node(st, code, method_node, TRUE);
    const char *phrase = message->reason_phrase && message->reason_phrase[0] ? message->reason_phrase
                                                                             : "(no phrase)";
    tick_stat_node(st, phrase, code_node, FALSE);
}

static tap_packet_status siptxn_stats_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                                             const void *data, tap_flags_t flags _U_)
{
    const stored_message *message = data;
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    const message_role role = (message_role)message->role;
    const char *method = owner->method ? owner->method : "?";
    const gboolean invite = owner->kind == TRANSACTION_KIND_INVITE;

    if (message->opened) {
        tick_stat_node(st, TRANSACTIONS, 0, TRUE);
        tick_stat_node(st, method, transactions_node, FALSE);
        if (owner->kind != TRANSACTION_KIND_ACK) {
            increase_stat_node(st, UNANSWERED, 0, TRUE, 1);
            increase_stat_node(st, method, unanswered_node, FALSE, 1);
        }
    }
    if (role == MESSAGE_ROLE_FINAL) {
        count_final(st, message, method);
        if (invite) {
            increase_stat_node(st, UNACKNOWLEDGED, 0, TRUE, 1);
            increase_stat_node(st, method, unacknowledged_node, FALSE, 1);
        }
        /* The first final response answers the transaction; a fork's further ones do not. */
        if (!(details->findings & FINDING_ADDITIONAL_FINAL)) {
            increase_stat_node(st, UNANSWERED, 0, TRUE, -1);
            increase_stat_node(st, method, unanswered_node, FALSE, -1);
            if (owner->request_frame) {
                float elapsed_ms = since_request_ms(owner, pinfo);
                avg_stat_node_add_value_float(st, RESPONSE_TIMES, 0, TRUE, elapsed_ms);
                avg_stat_node_add_value_float(st, method, response_times_node, FALSE, elapsed_ms);
            }
        }
    }
    if (invite && message->first_answer && owner->request_frame && !message->is_request)
        avg_stat_node_add_value_float(st, INVITE_ANSWER, 0, FALSE, since_request_ms(owner, pinfo));
    if (role == MESSAGE_ROLE_ACK) {
        tick_stat_node(st, ACKS, 0, TRUE);
        tick_stat_node(st, ack_class_name((ack_class)details->ack_class), acks_node, FALSE);
        /* The first ACK of a final response acknowledges it. */
        if (details->ack_response_frame && details->ack_invite) {
            increase_stat_node(st, UNACKNOWLEDGED, 0, TRUE, -1);
            increase_stat_node(st, details->ack_invite->method ? details->ack_invite->method : "?",
                               unacknowledged_node, FALSE, -1);
        }
    }
    if (message_role_is_retransmission(role)) {
        tick_stat_node(st, RETRANSMISSIONS, 0, TRUE);
        tick_stat_node(st, method, retransmissions_node, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void register_siptxn_statistics(void)
{
    /* Under Telephony, next to SIP Flows and SIP Statistics. */
    siptxn_register_telephony_stats_tree("siptxn", "siptxn", "SIP Transactions", siptxn_stats_packet,
                                         siptxn_stats_init);
}
