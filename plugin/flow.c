/* SPDX-License-Identifier: GPL-2.0-or-later */
/* flow.c: the "SIP Transactions" flow graph, a ladder diagram with one arrow
 * per SIP message between its network endpoints, labelled with the method or
 * status, commented with its transaction and role (core/ladder.c) and coloured
 * by transaction.  Statistics -> Flow Graph lists it under Flow type; tshark
 * prints it with -z flow,siptxn,standard or -z flow,siptxn,network. */

#include <epan/packet.h>
#include <epan/tap.h>

#include "compat.h"
#include "fields.h"
#include "flow.h"
#include "ladder.h"
#include "reason.h"

static tap_packet_status flow_packet(void *data, packet_info *pinfo, epan_dissect_t *edt _U_,
                                     const void *tapped, tap_flags_t flags _U_)
{
    seq_analysis_info_t *flow = data;
    const stored_message *message = tapped;
    seq_analysis_item_t *arrow = sequence_analysis_create_sai_with_addresses(pinfo, flow);
    if (!arrow)
        return TAP_PACKET_DONT_REDRAW;
    static GString *text;
    if (!text)
        text = g_string_sized_new(128);
    arrow->frame_number = pinfo->num;
    arrow->port_src = (guint16)pinfo->srcport;
    arrow->port_dst = (guint16)pinfo->destport;
    arrow->frame_label = g_strdup(ladder_label(text, message));
    arrow->comment = g_strdup(ladder_comment(text, message, (siptxn_language)reason_language()));
    /* One colour per transaction: the flow graph colours by conversation number. */
    arrow->conv_num = (guint16)message->transaction->number;
    arrow->line_style = 1;
    arrow->display = TRUE;
    g_queue_push_tail(flow->items, arrow);
    return TAP_PACKET_REDRAW;
}

void register_siptxn_flow(void)
{
    register_seq_analysis("siptxn", "SIP Transactions", proto_siptxn, "siptxn", TL_REQUIRES_NOTHING, flow_packet);
}
