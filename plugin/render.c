/* SPDX-License-Identifier: GPL-2.0-or-later */
/* render.c: the siptxn subtree, built from a message's stored verdict on every
 * pass.  It never matches anything: the engine decided on the first pass. */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>

#include "fields.h"
#include "ladder.h"
#include "narrative.h"
#include "reason.h"
#include "render.h"
#include "sentences.h"
#include "textformat.h"
#include "textwrap.h"

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

/* A label of one line: "Name: value (note)" within these, else wrapped. */
#define LABEL_CHARACTERS 110
#define LABEL_BYTES TEXT_LINE_BYTES
/* The beginning of a wrapped value that its first line shows. */
#define PREVIEW_CHARACTERS 60
#define ELLIPSIS "\xE2\x80\xA6"

void render_append_preview(GString *label, const char *text, gsize max_characters, gsize max_bytes)
{
    gsize length = strlen(text), offset = 0, next = 0;
    if (text_fits_line(text, length, max_characters, max_bytes)) {
        g_string_append_len(label, text, (gssize)length);
        return;
    }
    gsize shown = text_wrap_next(text, length, &offset, &next, max_characters, max_bytes);
    g_string_append_len(label, text + offset, (gssize)shown);
    g_string_append(label, ELLIPSIS);
}

/* The lines of text, one text item each, under tree. */
static void add_lines(proto_tree *tree, tvbuff_t *tvb, const char *text)
{
    static GString *line;
    if (!line)
        line = g_string_sized_new(TEXT_LINE_BYTES + 1);
    if (!tree || !PTREE_DATA(tree)->visible)
        return;
    gsize length = strlen(text), offset = 0, next = 0;
    for (;;) {
        gsize size = text_wrap_next(text, length, &offset, &next, TEXT_LINE_CHARACTERS, TEXT_LINE_BYTES);
        if (size == 0 && offset >= length)
            return;
        g_string_truncate(line, 0);
        g_string_append_len(line, text + offset, (gssize)size);
        proto_tree_add_subtree(tree, tvb, 0, 0, ett_siptxn_text, NULL, line->str);
        offset = next;
    }
}

/* "Name: value (note)" fits one label. */
static gboolean fits_one_label(const char *name, const char *value, const char *note)
{
    gsize bytes = strlen(name) + 2 + strlen(value) + (note ? strlen(note) + 3 : 0);
    if (bytes > LABEL_BYTES)
        return FALSE;
    gsize characters = g_utf8_strlen(name, -1) + 2 + text_character_count(value, strlen(value)) +
                       (note ? text_character_count(note, strlen(note)) + 3 : 0);
    return characters <= LABEL_CHARACTERS;
}

proto_item *render_add_text(proto_tree *tree, int field, tvbuff_t *tvb, const char *value, const char *note)
{
    proto_item *item = proto_tree_add_string(tree, field, tvb, 0, 0, value);
    proto_item_set_generated(item);
    /* Labels are made only for a tree someone sees. */
    if (!value || !tree || !PTREE_DATA(tree)->visible)
        return item;
    const char *name = proto_registrar_get_name(field);
    if (fits_one_label(name, value, note)) {
        if (note)
            proto_item_append_text(item, " (%s)", note);
        return item;
    }
    static GString *label;
    if (!label)
        label = g_string_sized_new(128);
    g_string_assign(label, name);
    g_string_append(label, ": ");
    render_append_preview(label, value, PREVIEW_CHARACTERS, 2 * PREVIEW_CHARACTERS);
    proto_item_set_text(item, "%s", label->str);
    proto_tree *lines = proto_item_add_subtree(item, ett_siptxn_text);
    add_lines(lines, tvb, value);
    if (note) {
        g_string_printf(label, "(%s)", note);
        add_lines(lines, tvb, label->str);
    }
    return item;
}

static proto_item *add_generated_string(proto_tree *tree, int field, tvbuff_t *tvb, const char *value)
{
    return render_add_text(tree, field, tvb, value, NULL);
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
static void render_identity(proto_tree *tree, tvbuff_t *tvb, const stored_message *message,
                            const message_identity *identity)
{
    proto_tree *group = add_group(tree, hf_siptxn_identity, ett_siptxn_identity, tvb);
    if (message->is_request && identity->method)
        add_generated_string(group, hf_siptxn_method, tvb, identity->method);
    if (!message->is_request)
        add_generated_uint(group, hf_siptxn_status_code, tvb, message->status_code);
    if (identity->call_id)
        add_generated_string(group, hf_siptxn_call_id, tvb, identity->call_id);
    if (sipmsg_cseq_number_valid(identity->defects))
        add_generated_uint(group, hf_siptxn_cseq_number, tvb, identity->cseq_number);
    if (identity->cseq_method)
        add_generated_string(group, hf_siptxn_cseq_method, tvb, identity->cseq_method);
    if (identity->branch)
        add_generated_string(group, hf_siptxn_via_branch, tvb, identity->branch);
    if (identity->sent_by_host) {
        /* "host:port" as written, the port only when there is one. */
        static GString *sent_by;
        if (!sent_by)
            sent_by = g_string_sized_new(64);
        g_string_truncate(sent_by, 0);
        text_append_host_port(sent_by, identity->sent_by_host, identity->sent_by_port, FALSE);
        add_generated_string(group, hf_siptxn_via_sent_by, tvb, sent_by->str);
    }
}

/* The explanation language of this capture: English or Russian. */
static siptxn_language explanation_language(void)
{
    return (siptxn_language)reason_language();
}

void render_add_expert(packet_info *pinfo, proto_item *item, expert_field *expert, sentence_id id,
                       const sentence_value *values, guint count)
{
    siptxn_language language = explanation_language();
    /* In English a summary without values is the registered one (packet-siptxn.c). */
    if (language != SIPTXN_LANGUAGE_RUSSIAN && count == 0) {
        expert_add_info(pinfo, item, expert);
        return;
    }
    static GString *text;
    if (!text)
        text = g_string_sized_new(200);
    g_string_truncate(text, 0);
    sentence_append(text, sentences_builtin(), id, language, values, count);
    expert_add_info_format(pinfo, item, expert, "%s", text->str);
}

/* Seconds with three decimals, with the decimal separator of the explanation language. */
static const char *seconds_text(char *buffer, gsize size, gint64 ns)
{
    return text_thousandths(buffer, size, ns, NS_PER_SECOND, explanation_language() == SIPTXN_LANGUAGE_RUSSIAN);
}

/* Malformed input: one expert error per defect, dissection goes on. */
static void render_defects(proto_item *item, packet_info *pinfo, guint32 defects)
{
    static const struct { guint32 defect; expert_field *expert; sentence_id sentence; } table[] = {
        { SIPMSG_DEFECT_NO_VIA, &ei_siptxn_no_via, SENTENCE_EXPERT_NO_VIA },
        { SIPMSG_DEFECT_NO_SENT_BY, &ei_siptxn_no_sent_by, SENTENCE_EXPERT_NO_SENT_BY },
        { SIPMSG_DEFECT_EMPTY_BRANCH, &ei_siptxn_empty_branch, SENTENCE_EXPERT_EMPTY_BRANCH },
        { SIPMSG_DEFECT_NO_CSEQ, &ei_siptxn_no_cseq, SENTENCE_EXPERT_NO_CSEQ },
        { SIPMSG_DEFECT_BAD_CSEQ, &ei_siptxn_bad_cseq, SENTENCE_EXPERT_BAD_CSEQ },
        { SIPMSG_DEFECT_NO_CALL_ID, &ei_siptxn_no_call_id, SENTENCE_EXPERT_NO_CALL_ID },
        { SIPMSG_DEFECT_BAD_STATUS, &ei_siptxn_bad_status, SENTENCE_EXPERT_BAD_STATUS },
        { SIPMSG_DEFECT_NO_CSEQ_METHOD, &ei_siptxn_no_cseq_method, SENTENCE_EXPERT_NO_CSEQ_METHOD },
    };
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        if (defects & table[i].defect)
            render_add_expert(pinfo, item, table[i].expert, table[i].sentence, NULL, 0);
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
        findings &= ~(guint32)(FINDING_ACK_LATE | FINDING_FINAL_LATE);
    if (!siptxn_pref_check_message_size)
        findings &= ~(guint32)FINDING_UDP_TOO_LARGE;
    return findings;
}

/* Milliseconds with three decimals, with the decimal separator of the explanation language. */
static const char *milliseconds_text(char *buffer, gsize size, gint64 ns)
{
    return text_thousandths(buffer, size, ns, NS_PER_SECOND / 1000, explanation_language() == SIPTXN_LANGUAGE_RUSSIAN);
}

/* The same packet seen twice (or a segment TCP re-sent): a note naming the first copy and why. */
static void render_duplicate_expert(proto_item *item, packet_info *pinfo, const message_details *details)
{
    char interval[32];
    const sentence_value values[] = {
        SENTENCE_NUMBER("frame", details->original_frame),
        SENTENCE_TEXT("interval", milliseconds_text(interval, sizeof interval, details->interval_ns)),
        SENTENCE_NUMBER("ttl", details->ttl_before),
    };
    sentence_id id = details->duplicate == DUPLICATE_TCP_RESEND ? SENTENCE_EXPERT_DUPLICATE_TCP_RESEND
                     : details->duplicate == DUPLICATE_SECOND_CAPTURE_POINT
                         ? SENTENCE_EXPERT_DUPLICATE_SECOND_CAPTURE_POINT
                         : SENTENCE_EXPERT_DUPLICATE_SAME_PACKET;
    render_add_expert(pinfo, item, &ei_siptxn_duplicate, id, values, G_N_ELEMENTS(values));
}

static void render_findings(proto_item *item, packet_info *pinfo, const stored_message *message)
{
    const message_details *details = stored_message_details(message);
    const guint32 findings = enabled_findings(details->findings);
    const gboolean retransmission = message_role_is_retransmission((message_role)message->role);
    if (message->role == MESSAGE_ROLE_DUPLICATE) {
        render_duplicate_expert(item, pinfo, details);
        return;
    }
    /* Most messages: nothing to report. */
    if (!findings && !retransmission)
        return;
    static const struct { guint32 finding; expert_field *expert; sentence_id sentence; } table[] = {
        { FINDING_RESPONSE_WITHOUT_REQUEST, &ei_siptxn_response_without_request,
          SENTENCE_EXPERT_RESPONSE_WITHOUT_REQUEST },
        { FINDING_CSEQ_METHOD_MISMATCH, &ei_siptxn_cseq_method_mismatch, SENTENCE_EXPERT_CSEQ_METHOD_MISMATCH },
        { FINDING_CSEQ_NUMBER_MISMATCH, &ei_siptxn_cseq_number_mismatch, SENTENCE_EXPERT_CSEQ_NUMBER_MISMATCH },
        { FINDING_RFC2543_MATCHING, &ei_siptxn_rfc2543, SENTENCE_EXPERT_RFC2543 },
        { FINDING_UDP_TOO_LARGE, &ei_siptxn_udp_too_large, SENTENCE_EXPERT_UDP_TOO_LARGE },
        { FINDING_ADDITIONAL_FINAL, &ei_siptxn_additional_final, SENTENCE_EXPERT_ADDITIONAL_FINAL },
        { FINDING_PRACK_UNMATCHED, &ei_siptxn_prack_unmatched, SENTENCE_EXPERT_PRACK_UNMATCHED },
        { FINDING_RETRANSMISSION_DIFFERS, &ei_siptxn_retransmission_differs, SENTENCE_EXPERT_RETRANSMISSION_DIFFERS },
        { FINDING_ACK_BRANCH_MISMATCH, &ei_siptxn_ack_branch_mismatch, SENTENCE_EXPERT_ACK_BRANCH_MISMATCH },
        { FINDING_ACK_2XX_REUSES_BRANCH, &ei_siptxn_ack_2xx_reuses_branch, SENTENCE_EXPERT_ACK_2XX_REUSES_BRANCH },
        { FINDING_ACK_CSEQ_NUMBER, &ei_siptxn_ack_cseq_number, SENTENCE_EXPERT_ACK_CSEQ_NUMBER },
        { FINDING_ACK_CSEQ_METHOD, &ei_siptxn_ack_cseq_method, SENTENCE_EXPERT_ACK_CSEQ_METHOD },
        { FINDING_ACK_HEADERS_DIFFER, &ei_siptxn_ack_headers_differ, SENTENCE_EXPERT_ACK_HEADERS_DIFFER },
        { FINDING_ACK_TO_TAG_DIFFERS, &ei_siptxn_ack_to_tag_differs, SENTENCE_EXPERT_ACK_TO_TAG_DIFFERS },
        { FINDING_ACK_UNPROMPTED_RETRANSMISSION, &ei_siptxn_ack_unprompted, SENTENCE_EXPERT_ACK_UNPROMPTED },
        { FINDING_ACK_LATE, &ei_siptxn_ack_late, SENTENCE_EXPERT_ACK_LATE },
        { FINDING_ACK_TRANSPORT_CHANGED, &ei_siptxn_ack_transport_changed, SENTENCE_EXPERT_ACK_TRANSPORT_CHANGED },
        { FINDING_ACK_WITHOUT_INVITE, &ei_siptxn_ack_without_invite, SENTENCE_EXPERT_ACK_WITHOUT_INVITE },
    };
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        if (findings & table[i].finding)
            render_add_expert(pinfo, item, table[i].expert, table[i].sentence, NULL, 0);
    /* RFC 6026 §8.4: a forked 2xx after Timer M is late in its own way. */
    if (findings & FINDING_FINAL_LATE)
        render_add_expert(pinfo, item, &ei_siptxn_final_late,
                          (findings & FINDING_ADDITIONAL_FINAL) ? SENTENCE_EXPERT_FINAL_LATE_FORKED
                                                                : SENTENCE_EXPERT_FINAL_LATE,
                          NULL, 0);

    const transaction *owner = message->transaction;
    if (retransmission) {
        const sentence_value copy[] = {
            SENTENCE_NUMBER("number", details->retransmission_number),
            SENTENCE_NUMBER("frame", details->original_frame),
        };
        if (details->original_frame)
            render_add_expert(pinfo, item, &ei_siptxn_retransmission, SENTENCE_EXPERT_RETRANSMISSION_OF, copy,
                              G_N_ELEMENTS(copy));
        else
            render_add_expert(pinfo, item, &ei_siptxn_retransmission, SENTENCE_EXPERT_RETRANSMISSION_OF_UNSEEN,
                              copy, 0);
    }
    if (message->role == MESSAGE_ROLE_FINAL_RETRANSMISSION && owner->kind == TRANSACTION_KIND_INVITE)
        render_add_expert(pinfo, item, &ei_siptxn_final_retransmitted, SENTENCE_EXPERT_FINAL_RETRANSMITTED, NULL, 0);
    if (findings & (FINDING_RETRANSMISSION_TOO_EARLY | FINDING_RETRANSMISSION_NOT_DOUBLED)) {
        gboolean not_doubled = (findings & FINDING_RETRANSMISSION_NOT_DOUBLED) != 0;
        /* RFC 3262 §3: the UAS core re-sends a reliable provisional response, on no RFC 3261 timer. */
        gboolean reliable = message->role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION;
        const char *name = retransmission_timer(owner, (message_role)message->role);
        char interval[32], expected[32];
        const sentence_value timer[] = {
            SENTENCE_TEXT("interval", seconds_text(interval, sizeof interval, details->interval_ns)),
            SENTENCE_TEXT("expected", seconds_text(expected, sizeof expected, details->expected_interval_ns)),
            SENTENCE_TEXT("timer", name ? name : "?"),
            SENTENCE_TEXT("section", retransmission_timer_section(name)),
        };
        render_add_expert(pinfo, item,
                          not_doubled ? &ei_siptxn_retransmission_not_doubled : &ei_siptxn_retransmission_too_early,
                          reliable      ? SENTENCE_EXPERT_RELIABLE_PROVISIONAL_TIMER
                          : not_doubled ? SENTENCE_EXPERT_RETRANSMISSION_TIMER_NOT_DOUBLED
                                        : SENTENCE_EXPERT_RETRANSMISSION_TIMER,
                          timer, G_N_ELEMENTS(timer));
    }
}

/* The engine's verdicts that need the whole capture: shown once every frame was analysed. */
static void render_capture_findings(proto_item *item, packet_info *pinfo, const engine *matcher,
                                    const stored_message *message)
{
    if (!siptxn_pref_check_timeouts || !PINFO_FD_VISITED(pinfo))
        return;
    guint32 findings = engine_capture_findings(matcher, message->transaction, (message_role)message->role,
                                               pinfo->num);
    if (findings & FINDING_UNANSWERED)
        render_add_expert(pinfo, item, &ei_siptxn_unanswered, SENTENCE_EXPERT_UNANSWERED, NULL, 0);
    if (findings & FINDING_FINAL_UNACKNOWLEDGED)
        render_add_expert(pinfo, item, &ei_siptxn_final_unacknowledged, SENTENCE_EXPERT_FINAL_UNACKNOWLEDGED, NULL, 0);
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

static void render_timing(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const stored_message *message)
{
    const transaction *owner = message->transaction;
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
    const message_details *details = stored_message_details(message);
    if (message_role_is_retransmission((message_role)message->role) && details->interval_ns > 0) {
        add_generated_duration(tree, hf_siptxn_retransmission_interval, tvb, details->interval_ns);
        if (details->expected_interval_ns > 0)
            add_generated_duration(tree, hf_siptxn_retransmission_expected, tvb, details->expected_interval_ns);
    }
}

/* The sentence of value in a run of sentences that follows an enum's order
 * (ack_evidence, ack_class, message_role: sentences.h). */
static const char *enum_sentence(sentence_id first, sentence_id last, guint value)
{
    sentence_id id = value <= (guint)(last - first) ? (sentence_id)(first + value) : first;
    return sentence_text(sentences_builtin(), id, explanation_language());
}

static void render_ack(proto_tree *tree, tvbuff_t *tvb, const message_details *details)
{
    G_STATIC_ASSERT(ACK_CLASS_UNKNOWN == 0 && ACK_CLASS_NON_2XX == 1 && ACK_CLASS_2XX == 2);
    G_STATIC_ASSERT(ACK_EVIDENCE_NONE == 0 && ACK_EVIDENCE_NO_FINAL_NEW_BRANCH == 4);
    const char *sentence = enum_sentence(SENTENCE_ACK_CLASS_UNKNOWN, SENTENCE_ACK_CLASS_2XX, details->ack_class);
    proto_item *class_item = proto_tree_add_uint_format_value(tree, hf_siptxn_ack_class, tvb, 0, 0,
                                                              details->ack_class, "%s",
                                                              ack_class_name(details->ack_class));
    proto_item_set_generated(class_item);
    proto_tree *ack = proto_item_add_subtree(class_item, ett_siptxn_ack);
    add_lines(ack, tvb, sentence);
    add_generated_string(ack, hf_siptxn_ack_evidence, tvb,
                         enum_sentence(SENTENCE_EVIDENCE_NONE, SENTENCE_EVIDENCE_NO_FINAL_NEW_BRANCH,
                                      details->ack_evidence));
    if (details->ack_invite) {
        add_generated_uint(ack, hf_siptxn_ack_invite_txn, tvb, details->ack_invite->number);
        add_frame_link(ack, hf_siptxn_ack_invite_frame, tvb, details->ack_invite->request_frame);
    }
    add_frame_link(ack, hf_siptxn_ack_response_frame, tvb, details->ack_response_frame);
}

/* RFC 3262: the RSeq of a reliable provisional response and the PRACK that
 * acknowledged it; the provisional response a PRACK names. */
static void render_reliable(proto_tree *tree, tvbuff_t *tvb, const engine *matcher, const stored_message *message,
                            guint32 frame)
{
    const message_details *details = stored_message_details(message);
    if (!details->rseq)
        return;
    if (message->is_request) {
        add_generated_uint(tree, hf_siptxn_prack_rseq, tvb, details->rseq);
        add_frame_link(tree, hf_siptxn_prack_response_frame, tvb, details->prack_response_frame);
        return;
    }
    add_generated_uint(tree, hf_siptxn_rseq, tvb, details->rseq);
    /* A re-sent copy shows the PRACK of its first copy. */
    guint32 first = message->role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION ? details->original_frame : frame;
    const reliable_provisional *provisional = engine_reliable_provisional(matcher, message->transaction, first);
    if (provisional)
        add_frame_link(tree, hf_siptxn_prack_frame, tvb, provisional->prack_frame);
}

/* Why a duplicate is one, and its first copy. */
static void render_duplicate(proto_tree *tree, tvbuff_t *tvb, const message_details *details)
{
    add_frame_link(tree, hf_siptxn_duplicate_original, tvb, details->original_frame);
    const char *why = details->duplicate == DUPLICATE_TCP_RESEND ? "TCP re-sent the segment (same bytes)"
                      : details->duplicate == DUPLICATE_SECOND_CAPTURE_POINT
                          ? "same IP identification and bytes, another TTL: a second capture point"
                          : "same IP identification and bytes, moments later: captured twice";
    add_generated_string(tree, hf_siptxn_duplicate_reason, tvb, why);
}

/* The learner's sentences; formatted only when the tree is shown or the field asked for. */
static void render_narrative(proto_tree *tree, tvbuff_t *tvb, const stored_message *message)
{
    static GString *text;
    if (!siptxn_pref_narrative || !tree)
        return;
    if (!PTREE_DATA(tree)->visible && !proto_field_is_referenced(tree, hf_siptxn_narrative))
        return;
    if (!text)
        text = g_string_sized_new(256);
    const narrative_style style = { explanation_language(), siptxn_pref_transaction_model == 1 };
    narrative_write(text, message, &style);
    render_add_text(tree, hf_siptxn_narrative, tvb, text->str, NULL);
}

/* "txn 3 · ACK non-2xx", in the explanation language; role and ACK class
 * sentences follow message_role and ack_class order (sentences.h). */
static void append_info_label(GString *text, const stored_message *message)
{
    static GString *role_text;
    if (!role_text)
        role_text = g_string_sized_new(64);
    g_string_truncate(role_text, 0);
    ladder_append_role(role_text, message, explanation_language());
    const message_role role = (message_role)message->role;
    const sentence_value values[] = {
        SENTENCE_NUMBER("transaction", message->transaction->number),
        SENTENCE_TEXT("role", role_text->str),
        SENTENCE_TEXT("ack_class", enum_sentence(SENTENCE_INFO_ACK_CLASS_UNKNOWN, SENTENCE_INFO_ACK_CLASS_2XX,
                                                stored_message_details(message)->ack_class)),
    };
    sentence_append(text, sentences_builtin(), message_role_is_ack(role) ? SENTENCE_INFO_ACK_LABEL : SENTENCE_INFO_LABEL,
                    explanation_language(), values, G_N_ELEMENTS(values));
}

void render_info_column(packet_info *pinfo, const stored_message *const *messages, guint count)
{
    if (!siptxn_pref_info_column || count == 0 || !pinfo->cinfo)
        return;
    static GString *text;
    if (!text)
        text = g_string_sized_new(64);
    g_string_truncate(text, 0);
    /* The SIP dissector ends its text with a separator and a space: one is enough. */
    const char *info = col_get_text(pinfo->cinfo, COL_INFO);
    gsize length = info ? strlen(info) : 0;
    if (length > 0 && info[length - 1] != ' ')
        g_string_append_c(text, ' ');
    /* "[txn 4 · final response; txn 3 · final response]" for two messages, in message order. */
    g_string_append_c(text, '[');
    for (guint i = 0; i < count; i++) {
        if (i > 0)
            g_string_append(text, "; ");
        append_info_label(text, messages[i]);
    }
    g_string_append_c(text, ']');
    col_append_str(pinfo->cinfo, COL_INFO, text->str);
}

gboolean render_wants_tree(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible || proto_field_is_referenced(tree, proto_siptxn));
}

/* "SIP Transaction Analysis: transaction 3 (INVITE), ACK non-2xx" */
static proto_item *add_root(proto_tree *tree, tvbuff_t *tvb, const stored_message *message)
{
    const transaction *owner = message->transaction;
    static GString *label;
    if (!label)
        label = g_string_sized_new(128);
    g_string_truncate(label, 0);
    text_append_format(label, "SIP Transaction Analysis: transaction %u (", owner->number);
    const message_details *details = stored_message_details(message);
    const message_role role = (message_role)message->role;
    /* An ACK's own transaction: "ACK to a 2xx" only when its class says so. */
    const char *what = owner->method ? owner->method : "?";
    if (owner->kind == TRANSACTION_KIND_ACK)
        what = message_role_is_ack(role) && details->ack_class == ACK_CLASS_2XX ? "ACK to a 2xx" : "ACK";
    render_append_preview(label, what, 32, 32);
    text_append_format(label, "%s), %s", owner->kind == TRANSACTION_KIND_NON_INVITE ? ", non-INVITE" : "",
                       message_role_name(role));
    if (message_role_is_ack(role))
        text_append_format(label, " %s", ack_class_name(details->ack_class));
    else if (details->rseq && (role == MESSAGE_ROLE_PROVISIONAL || role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION))
        text_append_format(label, ", reliable, RSeq %u", details->rseq);
    return proto_tree_add_protocol_format(tree, proto_siptxn, tvb, 0, 0, "%s", label->str);
}

void render_message(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const engine *matcher,
                    const stored_message *message)
{
    const transaction *owner = message->transaction;
    const message_details *details = stored_message_details(message);
    const message_role role = (message_role)message->role;

    /* Nobody looks at the tree (plain tshark -r): only the expert infos, which
     * feed the Expert Information tap and the expert column. */
    if (!render_wants_tree(tree)) {
        message_identity identity = stored_message_identity(message);
        render_defects(NULL, pinfo, identity.defects);
        render_findings(NULL, pinfo, message);
        render_capture_findings(NULL, pinfo, matcher, message);
        return;
    }

    proto_item *root = add_root(tree, tvb, message);
    proto_tree *subtree = proto_item_add_subtree(root, ett_siptxn);
    message_identity identity = stored_message_identity(message);

    render_narrative(subtree, tvb, message);
    render_identity(subtree, tvb, message, &identity);
    add_generated_uint(subtree, hf_siptxn_txn, tvb, owner->number);
    add_generated_uint(subtree, hf_siptxn_kind, tvb, owner->kind);
    add_generated_uint(subtree, hf_siptxn_role, tvb, role);
    if (message->state != TRANSACTION_STATE_NONE)
        add_generated_uint(subtree, hf_siptxn_state, tvb, message->state);
    add_generated_boolean(subtree, hf_siptxn_retransmission, tvb, message_role_is_retransmission(role));
    if (message_role_is_retransmission(role)) {
        add_frame_link(subtree, hf_siptxn_retransmission_original, tvb, details->original_frame);
        add_generated_uint(subtree, hf_siptxn_retransmission_number, tvb, details->retransmission_number);
    }
    static GString *key_text;
    if (!key_text)
        key_text = g_string_sized_new(128);
    transaction_key key = transaction_key_get(owner);
    add_generated_string(subtree, hf_siptxn_key, tvb, transaction_key_print(&key, key_text));
    add_generated_boolean(subtree, hf_siptxn_rfc2543, tvb, transaction_is_rfc2543(owner));
    if (message_role_is_ack(role))
        render_ack(subtree, tvb, details);
    if (role == MESSAGE_ROLE_DUPLICATE)
        render_duplicate(subtree, tvb, details);
    render_reliable(subtree, tvb, matcher, message, pinfo->num);

    proto_tree *links = add_group(subtree, hf_siptxn_links, ett_siptxn_links, tvb);
    render_links(links, tvb, owner);
    proto_tree *timing = add_group(subtree, hf_siptxn_timing, ett_siptxn_timing, tvb);
    render_timing(timing, tvb, pinfo, message);
    if (!message->is_request)
        render_reason(subtree, tvb, pinfo, message);

    render_defects(root, pinfo, identity.defects);
    render_findings(root, pinfo, message);
    render_capture_findings(root, pinfo, matcher, message);
}
