/* SPDX-License-Identifier: GPL-2.0-or-later */
/* render.c: the siptxn subtree, built from a message's stored verdict on every
 * pass.  It never matches anything: the engine decided on the first pass. */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>

#include "decimal.h"
#include "fields.h"
#include "narrative.h"
#include "reason.h"
#include "render.h"
#include "textformat.h"

#define NS_PER_SECOND G_GINT64_CONSTANT(1000000000)

static nstime_t nstime_from_ns(gint64 ns)
{
    nstime_t value;
    if (ns < 0)
        ns = 0;
    value.secs = (time_t)(ns / NS_PER_SECOND);
    value.nsecs = (int)(ns % NS_PER_SECOND);
    return value;
}

static gint64 frame_time_ns(const packet_info *pinfo)
{
    return siptxn_time_ns(&pinfo->abs_ts);
}

static proto_item *add_generated_uint(proto_tree *tree, int field, tvbuff_t *tvb, guint32 value)
{
    proto_item *item = proto_tree_add_uint(tree, field, tvb, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

static proto_item *add_generated_string(proto_tree *tree, int field, tvbuff_t *tvb, const char *value)
{
    proto_item *item = proto_tree_add_string(tree, field, tvb, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

static proto_item *add_generated_boolean(proto_tree *tree, int field, tvbuff_t *tvb, gboolean value)
{
    proto_item *item = proto_tree_add_boolean(tree, field, tvb, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

static proto_item *add_generated_duration(proto_tree *tree, int field, tvbuff_t *tvb, gint64 ns)
{
    nstime_t value = nstime_from_ns(ns);
    proto_item *item = proto_tree_add_time(tree, field, tvb, 0, 0, &value);
    proto_item_set_generated(item);
    return item;
}

/* A named group of items ("Message identity", "Related frames", "Timing"): an
 * FT_NONE field, so its label is the field's name and is not formatted unless shown. */
static proto_tree *add_group(proto_tree *tree, int field, int subtree, tvbuff_t *tvb)
{
    return proto_item_add_subtree(proto_tree_add_item(tree, field, tvb, 0, 0, ENC_NA), subtree);
}

static void add_frame_link(proto_tree *tree, int field, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        add_generated_uint(tree, field, tvb, frame);
}

/* The identity of the message: what the SIP dissector parsed, topmost Via only. */
static void render_identity(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const message_view *message)
{
    proto_tree *identity = add_group(tree, hf_siptxn_identity, ett_siptxn_identity, tvb);
    if (message->is_request && message->method)
        add_generated_string(identity, hf_siptxn_method, tvb, message->method);
    if (!message->is_request)
        add_generated_uint(identity, hf_siptxn_status_code, tvb, message->status_code);
    if (message->call_id)
        add_generated_string(identity, hf_siptxn_call_id, tvb, message->call_id);
    if (message->has_cseq_number)
        add_generated_uint(identity, hf_siptxn_cseq_number, tvb, message->cseq_number);
    if (message->cseq_method)
        add_generated_string(identity, hf_siptxn_cseq_method, tvb, message->cseq_method);
    if (message->branch)
        add_generated_string(identity, hf_siptxn_via_branch, tvb, message->branch);
    if (message->sent_by_host) {
        /* "host:port" as written (the port only when there is one), without printf. */
        gsize host_length = strlen(message->sent_by_host);
        char *sent_by = wmem_alloc(pinfo->pool, host_length + 12);
        memcpy(sent_by, message->sent_by_host, host_length);
        gsize used = host_length;
        if (message->sent_by_port) {
            sent_by[used++] = ':';
            used += siptxn_write_decimal(sent_by + used, message->sent_by_port);
        }
        sent_by[used] = '\0';
        add_generated_string(identity, hf_siptxn_via_sent_by, tvb, sent_by);
    }
}

/* Malformed input: one expert error per defect, dissection goes on. */
static void render_defects(proto_item *item, packet_info *pinfo, guint32 defects)
{
    static const struct { guint32 defect; expert_field *expert; } table[] = {
        { SIPMSG_DEFECT_NO_VIA, &ei_siptxn_no_via },
        { SIPMSG_DEFECT_NO_SENT_BY, &ei_siptxn_no_sent_by },
        { SIPMSG_DEFECT_EMPTY_BRANCH, &ei_siptxn_empty_branch },
        { SIPMSG_DEFECT_NO_CSEQ, &ei_siptxn_no_cseq },
        { SIPMSG_DEFECT_BAD_CSEQ, &ei_siptxn_bad_cseq },
        { SIPMSG_DEFECT_NO_CALL_ID, &ei_siptxn_no_call_id },
        { SIPMSG_DEFECT_BAD_STATUS, &ei_siptxn_bad_status },
        { SIPMSG_DEFECT_NO_CSEQ_METHOD, &ei_siptxn_no_cseq_method },
    };
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        if (defects & table[i].defect)
            expert_add_info(pinfo, item, table[i].expert);
}

/* Findings of the engine on this message, each with its expert info. */
/* The findings the "Check ..." preferences leave switched on. */
static guint32 enabled_findings(guint32 findings)
{
    if (!siptxn_pref_check_ack_rules)
        findings &= ~(guint32)(FINDING_ACK_BRANCH_MISMATCH | FINDING_ACK_2XX_REUSES_BRANCH | FINDING_ACK_CSEQ_NUMBER |
                               FINDING_ACK_CSEQ_METHOD | FINDING_ACK_HEADERS_DIFFER | FINDING_ACK_TO_TAG_DIFFERS |
                               FINDING_ACK_UNPROMPTED_RETRANSMISSION | FINDING_ACK_TRANSPORT_CHANGED |
                               FINDING_ACK_WITHOUT_INVITE);
    if (!siptxn_pref_check_retransmission_timers)
        findings &= ~(guint32)(FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED);
    if (!siptxn_pref_check_timeouts)
        findings &= ~(guint32)FINDING_ACK_LATE;
    if (!siptxn_pref_check_message_size)
        findings &= ~(guint32)FINDING_UDP_TOO_LARGE;
    return findings;
}

static void render_findings(proto_item *item, packet_info *pinfo, const message_result *result)
{
    const guint32 findings = enabled_findings(result->findings);
    /* Most messages: nothing to report. */
    if (!findings && !message_role_is_retransmission((message_role)result->role))
        return;
    static const struct { guint32 finding; expert_field *expert; } table[] = {
        { FINDING_RESPONSE_WITHOUT_REQUEST, &ei_siptxn_response_without_request },
        { FINDING_CSEQ_METHOD_MISMATCH, &ei_siptxn_cseq_method_mismatch },
        { FINDING_CSEQ_NUMBER_MISMATCH, &ei_siptxn_cseq_number_mismatch },
        { FINDING_RFC2543_MATCHING, &ei_siptxn_rfc2543 },
        { FINDING_UDP_TOO_LARGE, &ei_siptxn_udp_too_large },
        { FINDING_ADDITIONAL_FINAL, &ei_siptxn_additional_final },
        { FINDING_ACK_BRANCH_MISMATCH, &ei_siptxn_ack_branch_mismatch },
        { FINDING_ACK_2XX_REUSES_BRANCH, &ei_siptxn_ack_2xx_reuses_branch },
        { FINDING_ACK_CSEQ_NUMBER, &ei_siptxn_ack_cseq_number },
        { FINDING_ACK_CSEQ_METHOD, &ei_siptxn_ack_cseq_method },
        { FINDING_ACK_HEADERS_DIFFER, &ei_siptxn_ack_headers_differ },
        { FINDING_ACK_TO_TAG_DIFFERS, &ei_siptxn_ack_to_tag_differs },
        { FINDING_ACK_UNPROMPTED_RETRANSMISSION, &ei_siptxn_ack_unprompted },
        { FINDING_ACK_LATE, &ei_siptxn_ack_late },
        { FINDING_ACK_TRANSPORT_CHANGED, &ei_siptxn_ack_transport_changed },
        { FINDING_ACK_WITHOUT_INVITE, &ei_siptxn_ack_without_invite },
    };
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        if (findings & table[i].finding)
            expert_add_info(pinfo, item, table[i].expert);

    if (message_role_is_retransmission((message_role)result->role)) {
        if (result->original_frame)
            expert_add_info_format(pinfo, item, &ei_siptxn_retransmission,
                                   "Retransmission #%u of frame %u", result->retransmission_number,
                                   result->original_frame);
        else
            expert_add_info_format(pinfo, item, &ei_siptxn_retransmission,
                                   "Retransmission (the first copy is not in the capture)");
    }
    if (result->role == MESSAGE_ROLE_FINAL_RETRANSMISSION && result->transaction->kind == TRANSACTION_KIND_INVITE)
        expert_add_info(pinfo, item, &ei_siptxn_final_retransmitted);
    if (findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED)) {
        expert_field *expert = (findings & FINDING_RETRANSMISSION_TOO_EARLY)
                                   ? &ei_siptxn_retransmission_too_early
                                   : &ei_siptxn_retransmission_not_doubled;
        expert_add_info_format(pinfo, item, expert,
                               "Retransmission after %.3f s, but the RFC 3261 timer (Timer %s) gives %.3f s here%s",
                               (double)result->interval_ns / 1e9,
                               result->transaction->kind == TRANSACTION_KIND_INVITE
                                   ? (result->role == MESSAGE_ROLE_FINAL_RETRANSMISSION ? "G, \xC2\xA7" "17.2.1"
                                                                                        : "A, \xC2\xA7" "17.1.1.2")
                                   : "E, \xC2\xA7" "17.1.2.2",
                               (double)result->expected_interval_ns / 1e9,
                               (findings & FINDING_RETRANSMISSION_NOT_DOUBLED)
                                   ? ": the interval did not double" : "");
    }
}

/* Verdicts that need the whole capture: shown once every frame was analysed. */
static void render_capture_verdicts(proto_item *item, packet_info *pinfo, const engine *matcher,
                                    const message_result *result)
{
    const transaction *owner = result->transaction;
    if (!siptxn_pref_check_timeouts)
        return;
    if ((result->role == MESSAGE_ROLE_REQUEST || result->role == MESSAGE_ROLE_CANCEL) &&
        transaction_unanswered(matcher, owner))
        expert_add_info(pinfo, item, &ei_siptxn_unanswered);
    if (result->role == MESSAGE_ROLE_FINAL) {
        for (const final_response *final = owner->finals; final; final = final->next)
            if (final->frame == pinfo->num && final_response_unacknowledged(matcher, owner, final))
                expert_add_info(pinfo, item, &ei_siptxn_final_unacknowledged);
    }
}

static void render_links(proto_tree *tree, tvbuff_t *tvb, const transaction *owner)
{
    const final_response *final = transaction_first_final(owner);
    add_frame_link(tree, hf_siptxn_request_frame, tvb, owner->request_frame);
    add_frame_link(tree, hf_siptxn_provisional_frame, tvb, owner->provisional_frame);
    if (final) {
        add_frame_link(tree, hf_siptxn_final_frame, tvb, final->frame);
        add_generated_uint(tree, hf_siptxn_final_status, tvb, final->status_code);
    }
    add_frame_link(tree, hf_siptxn_ack_frame, tvb, owner->ack_frame);
    if (final && final->ack_transaction)
        add_generated_uint(tree, hf_siptxn_ack_txn, tvb, final->ack_transaction);
    const transaction_links *links = transaction_links_of(owner);
    if (links->cancelled_by)
        add_frame_link(tree, hf_siptxn_cancel_frame, tvb, links->cancelled_by->request_frame);
    if (links->cancels) {
        add_generated_uint(tree, hf_siptxn_cancels_txn, tvb, links->cancels->number);
        add_frame_link(tree, hf_siptxn_cancels_frame, tvb, links->cancels->request_frame);
    }
    if (links->forwarded_from) {
        add_generated_uint(tree, hf_siptxn_forwarded_from_txn, tvb, links->forwarded_from->number);
        add_frame_link(tree, hf_siptxn_forwarded_from_frame, tvb, links->forwarded_from->request_frame);
    }
    if (links->forwarded_to) {
        add_generated_uint(tree, hf_siptxn_forwarded_to_txn, tvb, links->forwarded_to->number);
        add_frame_link(tree, hf_siptxn_forwarded_to_frame, tvb, links->forwarded_to->request_frame);
    }
}

static void render_timing(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const transaction *owner,
                          const message_result *result)
{
    if (!owner->request_frame)
        return;
    const final_response *final = transaction_first_final(owner);
    gint64 first_response_ns = owner->provisional_frame ? owner->provisional_time_ns : 0;
    if (final && (!first_response_ns || final->time_ns < first_response_ns))
        first_response_ns = final->time_ns;
    add_generated_duration(tree, hf_siptxn_time_since_request, tvb, frame_time_ns(pinfo) - owner->request_time_ns);
    if (first_response_ns)
        add_generated_duration(tree, hf_siptxn_time_to_first_response, tvb,
                               first_response_ns - owner->request_time_ns);
    if (final)
        add_generated_duration(tree, hf_siptxn_time_to_final_response, tvb, final->time_ns - owner->request_time_ns);
    guint32 request_retransmissions = transaction_copies_of(owner)->request_retransmissions;
    if (request_retransmissions)
        add_generated_uint(tree, hf_siptxn_request_retransmissions, tvb, request_retransmissions);
    if (message_role_is_retransmission((message_role)result->role) && result->interval_ns > 0) {
        add_generated_duration(tree, hf_siptxn_retransmission_interval, tvb, result->interval_ns);
        if (result->expected_interval_ns > 0)
            add_generated_duration(tree, hf_siptxn_retransmission_expected, tvb, result->expected_interval_ns);
    }
}

static const char *evidence_text(ack_evidence evidence)
{
    switch (evidence) {
    case ACK_EVIDENCE_FINAL_RESPONSE:
        return "the acknowledged final response is in the capture";
    case ACK_EVIDENCE_BRANCH_ONLY:
        return "same branch and sent-by as the INVITE; its final response is not in the capture";
    case ACK_EVIDENCE_NO_INVITE:
        return "no INVITE or final response in the capture matches this ACK";
    case ACK_EVIDENCE_NO_FINAL_NEW_BRANCH:
        return "the INVITE is in the capture but no final response with this To tag";
    case ACK_EVIDENCE_NONE:
        break;
    }
    return "nothing";
}

static void render_ack(proto_tree *tree, tvbuff_t *tvb, const message_result *result)
{
    const char *sentence;
    switch (result->ack_class) {
    case ACK_CLASS_NON_2XX:
        sentence = "ACK to a non-2xx final response: part of the INVITE transaction, same branch, "
                   "sent hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3)";
        break;
    case ACK_CLASS_2XX:
        sentence = "ACK to a 2xx response: a transaction of its own with a new branch and the INVITE's "
                   "CSeq number, sent end to end (RFC 3261 \xC2\xA7" "13.2.2.4)";
        break;
    default:
        sentence = "ACK of unknown class: the capture does not show which final response it acknowledges";
        break;
    }
    proto_item *class_item = proto_tree_add_uint_format_value(tree, hf_siptxn_ack_class, tvb, 0, 0,
                                                              result->ack_class, "%s (%s)",
                                                              ack_class_name(result->ack_class), sentence);
    proto_item_set_generated(class_item);
    proto_tree *ack = proto_item_add_subtree(class_item, ett_siptxn_ack);
    add_generated_string(ack, hf_siptxn_ack_evidence, tvb, evidence_text(result->ack_evidence));
    if (result->ack_invite) {
        add_generated_uint(ack, hf_siptxn_ack_invite_txn, tvb, result->ack_invite->number);
        add_frame_link(ack, hf_siptxn_ack_invite_frame, tvb, result->ack_invite->request_frame);
    }
    add_frame_link(ack, hf_siptxn_ack_response_frame, tvb, result->ack_response_frame);
}

static const char *summary_of(const message_view *message)
{
    const message_result *result = &message->result;
    if (result->role == MESSAGE_ROLE_ACK || result->role == MESSAGE_ROLE_ACK_RETRANSMISSION)
        return ack_class_name(result->ack_class);
    return NULL;
}

/* The learner's sentences; formatted only when the tree is shown or the field asked for. */
static void render_narrative(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const message_view *message)
{
    static GString *text;
    if (!siptxn_pref_narrative || !tree)
        return;
    if (!PTREE_DATA(tree)->visible && !proto_field_is_referenced(tree, hf_siptxn_narrative))
        return;
    if (!text)
        text = g_string_sized_new(256);
    narrative_subject subject = { &message->result, pinfo->num, message->is_request, message->method,
                                  message->status_code, message->branch };
    narrative_write(text, &subject, (siptxn_language)reason_language());
    add_generated_string(tree, hf_siptxn_narrative, tvb, text->str);
}

#define INFO_TEXT_SIZE 96

/* Appends one part of the Info text, a constant far shorter than the buffer
 * (role and ACK class names are under 30 bytes); a part that would not fit,
 * with the final NUL, is left out. */
static gsize append_text(char *text, gsize used, const char *part)
{
    gsize length = strlen(part);
    if (used + length >= INFO_TEXT_SIZE)
        return used;
    memcpy(text + used, part, length);
    return used + length;
}

/* "[txn 3 · ACK non-2xx]" after the SIP dissector's Info text. */
static void annotate_info_column(packet_info *pinfo, const message_view *message)
{
    const message_result *result = &message->result;
    if (!siptxn_pref_info_column)
        return;
    /* Put together by hand: this runs for every SIP message of every capture,
     * and a printf costs more than the rest of the column work. */
    char text[INFO_TEXT_SIZE];
    gsize used = 0;
    memcpy(text, " [txn ", 6);
    used = 6;
    used += siptxn_write_decimal(text + used, result->transaction->number);
    used = append_text(text, used, " \xC2\xB7 ");
    used = append_text(text, used, message_role_name(result->role));
    if (result->role == MESSAGE_ROLE_ACK || result->role == MESSAGE_ROLE_ACK_RETRANSMISSION) {
        used = append_text(text, used, " ");
        used = append_text(text, used, ack_class_name(result->ack_class));
    }
    used = append_text(text, used, "]");
    text[used] = '\0';
    col_append_str(pinfo->cinfo, COL_INFO, text);
}

gboolean render_wants_tree(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || proto_field_is_referenced(tree, proto_siptxn));
}

void render_message(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const engine *matcher,
                    const message_view *message)
{
    const message_result *result = &message->result;
    const transaction *owner = result->transaction;

    annotate_info_column(pinfo, message);
    /* Nobody looks at the tree (plain tshark -r): only the expert infos, which
     * feed the Expert Information tap and the expert column. */
    if (!render_wants_tree(tree)) {
        render_defects(NULL, pinfo, message->defects);
        render_findings(NULL, pinfo, result);
        if (PINFO_FD_VISITED(pinfo))
            render_capture_verdicts(NULL, pinfo, matcher, result);
        return;
    }

    /* "SIP Transaction Analysis: transaction 3 (INVITE), ACK non-2xx", without
     * printf: it is formatted for every message whenever a tree is shown. */
    const char *ack_summary = summary_of(message);
    static GString *label;
    if (!label)
        label = g_string_sized_new(128);
    g_string_truncate(label, 0);
    text_append_format(label, "SIP Transaction Analysis: transaction %u (%s%s), %s%s%s", owner->number,
                       owner->kind == TRANSACTION_KIND_ACK ? "ACK to a 2xx" : owner->method ? owner->method : "?",
                       owner->kind == TRANSACTION_KIND_NON_INVITE ? ", non-INVITE" : "",
                       message_role_name(result->role), ack_summary ? " " : "", ack_summary ? ack_summary : "");
    proto_item *root = proto_tree_add_protocol_format(tree, proto_siptxn, tvb, 0, 0, "%s", label->str);
    proto_tree *subtree = proto_item_add_subtree(root, ett_siptxn);

    render_narrative(subtree, tvb, pinfo, message);
    render_identity(subtree, tvb, pinfo, message);
    add_generated_uint(subtree, hf_siptxn_txn, tvb, owner->number);
    add_generated_uint(subtree, hf_siptxn_kind, tvb, owner->kind);
    add_generated_uint(subtree, hf_siptxn_role, tvb, result->role);
    if (result->state != TRANSACTION_STATE_NONE)
        add_generated_uint(subtree, hf_siptxn_state, tvb, result->state);
    add_generated_boolean(subtree, hf_siptxn_retransmission, tvb, message_role_is_retransmission((message_role)result->role));
    if (message_role_is_retransmission((message_role)result->role)) {
        add_frame_link(subtree, hf_siptxn_retransmission_original, tvb, result->original_frame);
        add_generated_uint(subtree, hf_siptxn_retransmission_number, tvb, result->retransmission_number);
    }
    /* The engine keeps the key as the transaction's fields: its text is built for the tree only. */
    static GString *key;
    if (!key)
        key = g_string_sized_new(128);
    add_generated_string(subtree, hf_siptxn_key, tvb, transaction_key_text(owner, key));
    add_generated_boolean(subtree, hf_siptxn_rfc2543, tvb, owner->rfc2543);
    if (result->role == MESSAGE_ROLE_ACK || result->role == MESSAGE_ROLE_ACK_RETRANSMISSION)
        render_ack(subtree, tvb, result);

    proto_tree *links = add_group(subtree, hf_siptxn_links, ett_siptxn_links, tvb);
    render_links(links, tvb, owner);
    proto_tree *timing = add_group(subtree, hf_siptxn_timing, ett_siptxn_timing, tvb);
    render_timing(timing, tvb, pinfo, owner, result);
    if (!message->is_request)
        render_reason(subtree, tvb, pinfo, message);

    render_defects(root, pinfo, message->defects);
    render_findings(root, pinfo, result);
    if (PINFO_FD_VISITED(pinfo))
        render_capture_verdicts(root, pinfo, matcher, result);
}
