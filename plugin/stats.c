/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.c: the "SIP Transactions" statistics tree, fed by the siptxn tap with
 * one stored_message per SIP message: transactions, final responses,
 * retransmissions and response times per method, ACKs by class. */

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "compat.h"
#include "message_store.h"
#include "stats.h"

static const char TRANSACTIONS[] = "Transactions by method";
static const char FINALS[] = "Final responses by method";
static const char ACKS[] = "ACKs by class";
static const char RETRANSMISSIONS[] = "Retransmissions by method";
static const char UNANSWERED[] = "Transactions without final response";
static const char RESPONSE_TIME[] = "Request to final response (ms) by method";

static int transactions_node, finals_node, acks_node, retransmissions_node, unanswered_node, response_time_node;

static void siptxn_stats_init(stats_tree *st)
{
    transactions_node = stats_tree_create_node(st, TRANSACTIONS, 0, STAT_DT_INT, TRUE);
    finals_node = stats_tree_create_node(st, FINALS, 0, STAT_DT_INT, TRUE);
    acks_node = stats_tree_create_node(st, ACKS, 0, STAT_DT_INT, TRUE);
    retransmissions_node = stats_tree_create_node(st, RETRANSMISSIONS, 0, STAT_DT_INT, TRUE);
    unanswered_node = stats_tree_create_node(st, UNANSWERED, 0, STAT_DT_INT, TRUE);
    response_time_node = stats_tree_create_node(st, RESPONSE_TIME, 0, STAT_DT_INT, TRUE);
}

/* The first final response of a transaction (not a retransmission, not a fork's second). */
static gboolean is_first_final(const stored_message *message)
{
    return message->role == MESSAGE_ROLE_FINAL &&
           !(stored_message_details(message)->findings & FINDING_ADDITIONAL_FINAL);
}

static tap_packet_status siptxn_stats_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                                             const void *data, tap_flags_t flags _U_)
{
    const stored_message *message = data;
    const transaction *owner = message->transaction;
    const char *method = owner->method ? owner->method : "?";

    if (message->opened) {
        tick_stat_node(st, TRANSACTIONS, 0, TRUE);
        tick_stat_node(st, method, transactions_node, FALSE);
        if (owner->kind != TRANSACTION_KIND_ACK) {
            increase_stat_node(st, UNANSWERED, 0, TRUE, 1);
            increase_stat_node(st, method, unanswered_node, FALSE, 1);
        }
    }
    if (is_first_final(message)) {
        char code[16];
        g_snprintf(code, sizeof(code), "%u", message->status_code);
        tick_stat_node(st, FINALS, 0, TRUE);
        int method_node = tick_stat_node(st, method, finals_node, TRUE);
        tick_stat_node(st, code, method_node, FALSE);
        if (owner->finals && owner->finals->frame == pinfo->num) {
            increase_stat_node(st, UNANSWERED, 0, TRUE, -1);
            increase_stat_node(st, method, unanswered_node, FALSE, -1);
        }
        if (owner->request_frame) {
            gint64 elapsed_ns = siptxn_time_ns(&pinfo->abs_ts) -
                                owner->request_time_ns;
            int elapsed_ms = (int)MIN(elapsed_ns / G_GINT64_CONSTANT(1000000), G_MAXINT);
            avg_stat_node_add_value_int(st, RESPONSE_TIME, 0, TRUE, elapsed_ms);
            avg_stat_node_add_value_int(st, method, response_time_node, FALSE, elapsed_ms);
        }
    }
    if (message->role == MESSAGE_ROLE_ACK) {
        tick_stat_node(st, ACKS, 0, TRUE);
        tick_stat_node(st, ack_class_name(stored_message_details(message)->ack_class), acks_node, FALSE);
    }
    if (message_role_is_retransmission((message_role)message->role)) {
        tick_stat_node(st, RETRANSMISSIONS, 0, TRUE);
        tick_stat_node(st, method, retransmissions_node, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void register_siptxn_statistics(void)
{
    stats_tree_register_plugin("siptxn", "siptxn", "SIP Transactions", 0, siptxn_stats_packet,
                               siptxn_stats_init, NULL);
}
