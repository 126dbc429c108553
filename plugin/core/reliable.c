/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reliable.c: reliable provisional responses and PRACK (RFC 3262).
 *
 * A provisional response with an RSeq header is sent reliably: the UAS core
 * re-sends it, T1, 2*T1, 4*T1 ... apart, until a PRACK whose RAck names its
 * RSeq, CSeq number and method arrives (§3).  The next reliable provisional
 * response has the next RSeq, so a provisional response with a new RSeq is a
 * new response even with the same status code; only the same RSeq is a
 * retransmission.  A PRACK is a non-INVITE transaction of its own (§4) and is
 * linked here to the provisional response it acknowledges.
 */

#include "engine.h"

reliable_provisional *reliable_last(engine *engine, const transaction *invite)
{
    reliable_provisional *newest = engine_reliable_list(engine, invite);
    /* Only if it is the transaction's last distinct provisional response. */
    return newest && newest->frame == invite->last_provisional_frame ? newest : NULL;
}

void reliable_add(engine *engine, transaction *invite, const sipmsg *message)
{
    reliable_provisional *added = engine_alloc(engine, sizeof(reliable_provisional));
    added->to_tag = engine_copy(engine, message->to_tag);
    added->time_ns = message->time_ns;
    added->last_time_ns = message->time_ns;
    added->rseq = message->rseq;
    added->frame = message->frame;
    added->digest = (guint32)message->digest;
    added->status_code = (guint16)message->status_code;
    engine_reliable_push(engine, invite, added);
}

void reliable_resent(engine *engine, reliable_provisional *provisional, const sipmsg *message,
                     message_result *result)
{
    provisional->retransmissions++;
    gint64 interval = message->time_ns - provisional->last_time_ns;
    /* §3: the interval starts at T1 and doubles, on every transport (the UAS
     * core re-sends, not the transport layer), with no T2 cap. */
    engine_judge_interval(interval, engine_timer_interval_ns(engine, provisional->retransmissions, FALSE),
                          provisional->last_interval_ns, result);
    provisional->last_interval_ns = interval;
    provisional->last_time_ns = message->time_ns;
    if ((guint32)message->digest != provisional->digest)
        result->details.findings |= FINDING_RETRANSMISSION_DIFFERS;
}

/* The reliable provisional response of this INVITE transaction that a RAck names. */
static reliable_provisional *named_by(engine *engine, const transaction *invite, const sipmsg *prack)
{
    reliable_provisional *oldest = NULL;   /* the list is newest first */
    for (reliable_provisional *provisional = engine_reliable_list(engine, invite); provisional;
         provisional = provisional->next)
        if (provisional->rseq == prack->rack.rseq &&
            (!provisional->to_tag || !prack->to_tag || same_tag(provisional->to_tag, prack->to_tag)))
            oldest = provisional;
    return oldest;
}

void reliable_link_prack(engine *engine, transaction *prack, const sipmsg *message, message_result *result)
{
    const sipmsg_rack *rack = &message->rack;
    result->details.rseq = rack->rseq;   /* the RSeq the PRACK names */
    /* §7.2: the RAck's CSeq number is the INVITE's; the PRACK is sent within
     * the dialog (same Call-ID, From tag).  Behind a proxy each hop has its
     * INVITE transaction: the one whose client sends and server receives
     * this PRACK, else the first. */
    transaction *invite = NULL;
    if (rack->rseq && message->call_id) {
        transaction *first = engine_find_dialog(engine, message->call_id, rack->cseq_number, message->from_tag);
        invite = first;
        for (transaction *hop = first; hop; hop = transaction_next_in_dialog(hop))
            if (transaction_hop_score(hop, message) == 2) {
                invite = hop;
                break;
            }
    }
    reliable_provisional *named = invite ? named_by(engine, invite, message) : NULL;
    if (!named) {
        result->details.findings |= FINDING_PRACK_UNMATCHED;
        return;
    }
    result->details.prack_response_frame = named->frame;
    if (!named->prack_frame) {
        named->prack_frame = message->frame;
        named->prack_transaction = prack->number;
    }
}
