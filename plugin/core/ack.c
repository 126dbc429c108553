/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ack.c: ACK classification (RFC 3261 §17.1.1.3 vs §13.2.2.4) and its RFC checks.
 *
 * An ACK to a non-2xx final response is part of the INVITE transaction: same
 * branch, same CSeq, sent hop by hop by the transaction layer.  An ACK to a 2xx
 * is a transaction of its own: a new branch, the same CSeq number, sent end to
 * end by the UAC core.  Kamailio's t_lookup.c keeps the same two paths apart
 * (matching_3261 vs. the end-to-end ACK matching on dialog identifiers).
 */

#include <string.h>

#include "engine.h"

/* The INVITE transaction and final response an ACK acknowledges, and why. */
typedef struct {
    transaction    *invite;
    final_response *final;
    ack_class       class_;
    ack_evidence    evidence;
    gboolean        rfc2543;      /* matched with the RFC 2543 rules */
} ack_target;

static gboolean is_2xx(const final_response *final)
{
    return final && final->status_code >= 200 && final->status_code < 300;
}

static final_response *final_with_to_tag(transaction *invite, const char *to_tag)
{
    for (final_response *final = invite->finals; final; final = final->next)
        if (same_tag(final->to_tag, to_tag))
            return final;
    return NULL;
}

/* RFC 3261 §17.1.1.3: the ACK to a non-2xx has the INVITE's branch (and sent-by). */
static gboolean match_by_branch(engine *engine, const sipmsg *message, const char *to_tag, ack_target *target)
{
    transaction_key key = transaction_key_of(message, "INVITE");
    gboolean rfc2543 = key.rule == TRANSACTION_KEY_RFC2543;
    transaction *invite = engine_find(engine, &key);
    if (!invite || invite->kind != TRANSACTION_KIND_INVITE)
        return FALSE;
    target->rfc2543 = rfc2543;
    final_response *final = final_with_to_tag(invite, to_tag);
    if (!final && !rfc2543)
        final = invite->finals;
    /* §17.2.3: an RFC 2543 ACK matches only with the To tag of the response. */
    if (rfc2543 && !final && invite->finals)
        return FALSE;
    target->invite = invite;
    target->final = final;
    if (!final) {
        target->class_ = ACK_CLASS_NON_2XX;
        target->evidence = ACK_EVIDENCE_BRANCH_ONLY;
    } else {
        target->class_ = is_2xx(final) ? ACK_CLASS_2XX : ACK_CLASS_NON_2XX;
        target->evidence = ACK_EVIDENCE_FINAL_RESPONSE;
    }
    return TRUE;
}

/* RFC 3261 §13.2.2.4, §12.2.1.1: the ACK to a 2xx carries the dialog's Call-ID,
 * From tag and To tag and the INVITE's CSeq number; its branch is new. */
static gboolean match_by_dialog(engine *engine, const sipmsg *message, const char *to_tag, ack_target *target)
{
    if (!message->call_id)
        return FALSE;
    transaction *invites = engine_find_dialog(engine, message->call_id, message->cseq_number, message->from_tag);
    if (!invites)
        return FALSE;
    int best_score = -1;
    for (transaction *invite = invites; invite; invite = transaction_next_in_dialog(invite)) {
        final_response *final = final_with_to_tag(invite, to_tag);
        int score = transaction_hop_score(invite, message) + (final ? 4 : 0);
        if (score >= best_score) {
            best_score = score;
            target->invite = invite;
            target->final = final;
        }
    }
    if (target->final) {
        target->class_ = is_2xx(target->final) ? ACK_CLASS_2XX : ACK_CLASS_NON_2XX;
        target->evidence = ACK_EVIDENCE_FINAL_RESPONSE;
    } else {
        /* The final response is not in the capture.  §17.1.1.3: the ACK to a
         * non-2xx carries the INVITE's branch; between RFC 3261 peers a new
         * branch is therefore the 2xx ACK of §13.2.2.4. */
        gboolean both_3261 = branch_has_magic_cookie(message->top_via.branch) &&
                             !transaction_is_rfc2543(target->invite);
        target->class_ = both_3261 ? ACK_CLASS_2XX : ACK_CLASS_UNKNOWN;
        target->evidence = ACK_EVIDENCE_NO_FINAL_NEW_BRANCH;
    }
    return TRUE;
}

/* §17.1.1.3: an ACK to a non-2xx copies Request-URI, Call-ID, From and Route from the INVITE. */
static gboolean headers_differ_from_invite(const transaction *invite, const sipmsg *message)
{
    if (!invite->request_frame)
        return FALSE;
    const transaction_hop *hop = transaction_hop_of(invite);
    return g_strcmp0(hop->request_uri, message->request_uri) != 0 ||
           g_strcmp0(invite->call_id, message->call_id) != 0 || g_strcmp0(hop->from_tag, message->from_tag) != 0 ||
           g_strcmp0(hop->from_uri, message->from_uri) != 0 || g_strcmp0(hop->route_set, message->route_set) != 0;
}

/* Checks every ACK gets against the INVITE and response it acknowledges. */
static void check_against_invite(engine *engine, const ack_target *target, const sipmsg *message,
                                 message_result *result)
{
    const transaction *invite = target->invite;
    /* §17.1.1.3, §13.2.2.4: same CSeq number as the INVITE, method ACK. */
    if (invite->request_frame && message->cseq_number != invite->cseq_number)
        result->details.findings |= FINDING_ACK_CSEQ_NUMBER;
    if (!invite->request_frame)
        result->details.findings |= FINDING_ACK_WITHOUT_INVITE;
    /* §17.2.1 Timer H, §13.3.1.4: the server stops waiting 64*T1 after its final response. */
    if (target->final && time_later_than(message->time_ns, target->final->time_ns, engine_transaction_timeout_ns(engine)))
        result->details.findings |= FINDING_ACK_LATE;
    /* §18.1.1: a change of transport is the transport layer's decision.  Only the
     * hop-by-hop ACK follows the INVITE's hop; the 2xx ACK goes to the Contact. */
    if (target->class_ == ACK_CLASS_NON_2XX && invite->request_frame && invite->transport != message->transport)
        result->details.findings |= FINDING_ACK_TRANSPORT_CHANGED;
}

/* §17.1.1.2: the client transaction re-sends the ACK only when the final
 * response is re-sent; §13.2.2.4: the UAC core likewise for each 2xx copy. */
static void note_ack_copy(final_response *final, gboolean retransmission, message_result *result)
{
    if (!final)
        return;
    if (retransmission && final_copies_of(final)->retransmissions_since_ack == 0)
        result->details.findings |= FINDING_ACK_UNPROMPTED_RETRANSMISSION;
    if (final->copies)
        final->copies->retransmissions_since_ack = 0;
}

/* The ACK to a non-2xx joins the INVITE transaction (§17.1.1.3). */
static void join_invite_transaction(engine *engine, const ack_target *target, const sipmsg *message,
                                    message_result *result)
{
    transaction *invite = target->invite;
    gboolean retransmission = invite->ack_frame != 0;
    if (retransmission && engine_tcp_copy(engine, invite, invite->ack_frame, message, result))
        return;
    if (retransmission) {
        result->role = MESSAGE_ROLE_ACK_RETRANSMISSION;
        result->details.original_frame = invite->ack_frame;
        result->details.retransmission_number = ++transaction_copies_for(engine, invite)->ack_retransmissions;
    } else {
        result->role = MESSAGE_ROLE_ACK;
        invite->ack_frame = message->frame;
        if (target->final && !target->final->ack_frame)
            target->final->ack_frame = message->frame;
    }
    note_ack_copy(target->final, retransmission, result);
    engine_advance_timers(engine, invite, message->time_ns);
    if (invite->state == TRANSACTION_STATE_COMPLETED)
        invite->state = TRANSACTION_STATE_CONFIRMED;   /* §17.2.1 */

    if (target->final && !same_tag(target->final->to_tag, message->to_tag))
        result->details.findings |= FINDING_ACK_TO_TAG_DIFFERS;
    if (headers_differ_from_invite(invite, message))
        result->details.findings |= FINDING_ACK_HEADERS_DIFFER;
    check_against_invite(engine, target, message, result);
    result->transaction = invite;
    result->state = invite->state;
}

/* The ACK to a 2xx (or an ACK nothing explains) is a transaction of its own (§17.1.1.3). */
static void own_ack_transaction(engine *engine, const ack_target *target, const sipmsg *message,
                                message_result *result)
{
    transaction_key key = transaction_key_of(message, "ACK");
    transaction *own = engine_find(engine, &key);
    if (own && own->kind != TRANSACTION_KIND_ACK)
        own = NULL;
    if (own && engine_tcp_copy(engine, own, own->request_frame, message, result))
        return;
    if (own) {
        result->role = MESSAGE_ROLE_ACK_RETRANSMISSION;
        result->details.original_frame = own->request_frame;
        result->details.retransmission_number = ++transaction_copies_for(engine, own)->ack_retransmissions;
        note_ack_copy(transaction_links_of(own)->acknowledges, TRUE, result);
    } else {
        own = engine_open_transaction(engine, message, TRANSACTION_KIND_ACK, "ACK", &key, result);
        own->request_frame = message->frame;
        own->request_time_ns = message->time_ns;
        if (target->invite || target->final) {
            transaction_links *links = transaction_links_for(engine, own);
            links->invite = target->invite;
            links->acknowledges = target->final;
        }
        /* A 2xx ACK forwarded by a proxy keeps the upstream ACK's Via below its own (§16.6). */
        engine_link_forwarded(engine, own, message);
        result->role = MESSAGE_ROLE_ACK;
        if (target->final) {
            if (!target->final->ack_frame)
                target->final->ack_frame = message->frame;
            if (!target->final->ack_transaction)
                target->final->ack_transaction = own->number;
        }
        if (target->invite && !target->invite->ack_frame)
            target->invite->ack_frame = message->frame;
        note_ack_copy(target->final, FALSE, result);
    }
    if (key.rule == TRANSACTION_KEY_RFC2543)
        result->details.findings |= FINDING_RFC2543_MATCHING;
    if (target->invite)
        check_against_invite(engine, target, message, result);
    else
        result->details.findings |= FINDING_ACK_WITHOUT_INVITE;
    result->transaction = own;
    result->state = TRANSACTION_STATE_NONE;
}

void ack_process(engine *engine, const sipmsg *message, message_result *result)
{
    const char *to_tag = message->to_tag;
    ack_target target = { NULL, NULL, ACK_CLASS_UNKNOWN, ACK_EVIDENCE_NO_INVITE, FALSE };
    gboolean by_branch = match_by_branch(engine, message, to_tag, &target);

    if (by_branch && target.rfc2543)
        result->details.findings |= FINDING_RFC2543_MATCHING;        /* §17.2.3 */
    if (by_branch && target.class_ == ACK_CLASS_2XX && !transaction_is_rfc2543(target.invite))
        result->details.findings |= FINDING_ACK_2XX_REUSES_BRANCH;   /* §8.1.1.7, §13.2.2.4 */
    if (!by_branch && match_by_dialog(engine, message, to_tag, &target) &&
        target.class_ == ACK_CLASS_NON_2XX && !transaction_is_rfc2543(target.invite))
        result->details.findings |= FINDING_ACK_BRANCH_MISMATCH;     /* §17.1.1.3 */

    /* §17.1.1.3: the CSeq method of an ACK is ACK. */
    if (message->cseq_method && strcmp(message->cseq_method, "ACK") != 0)
        result->details.findings |= FINDING_ACK_CSEQ_METHOD;
    engine_check_udp_size(engine, message, result);

    result->details.ack_class = target.class_;
    result->details.ack_evidence = target.evidence;
    result->details.ack_invite = target.invite;
    result->details.ack_response_frame = target.final ? target.final->frame : 0;

    if (target.class_ == ACK_CLASS_NON_2XX)
        join_invite_transaction(engine, &target, message, result);
    else
        own_ack_transaction(engine, &target, message, result);
}
