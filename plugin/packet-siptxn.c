/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet-siptxn.c: registration of the SIP Transaction Analysis post-dissector:
 * fields, subtrees, expert infos, preferences, per-capture state and dissect(). */

#include <string.h>

#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/expert.h>
#include <epan/tap.h>

#include "fields.h"
#include "extract.h"
#include "flow.h"
#include "kpi_tap.h"
#include "message_store.h"
#include "reason.h"
#include "render.h"
#include "response_times.h"
#include "packet-siptxn.h"
#include "sentences.h"
#include "transaction.h"

int proto_siptxn = -1;
int siptxn_tap = -1;
int hf_siptxn_narrative = -1;
int hf_siptxn_identity = -1, hf_siptxn_links = -1, hf_siptxn_timing = -1;

int hf_siptxn_method = -1, hf_siptxn_status_code = -1, hf_siptxn_call_id = -1, hf_siptxn_cseq_number = -1,
    hf_siptxn_cseq_method = -1, hf_siptxn_via_branch = -1, hf_siptxn_via_sent_by = -1;
int hf_siptxn_txn = -1, hf_siptxn_kind = -1, hf_siptxn_key = -1, hf_siptxn_rfc2543 = -1, hf_siptxn_role = -1,
    hf_siptxn_state = -1, hf_siptxn_retransmission = -1, hf_siptxn_retransmission_original = -1,
    hf_siptxn_retransmission_number = -1, hf_siptxn_retransmission_interval = -1,
    hf_siptxn_retransmission_expected = -1, hf_siptxn_request_frame = -1, hf_siptxn_provisional_frame = -1,
    hf_siptxn_final_frame = -1, hf_siptxn_ack_frame = -1, hf_siptxn_cancel_frame = -1,
    hf_siptxn_cancels_txn = -1, hf_siptxn_cancels_frame = -1, hf_siptxn_forwarded_from_txn = -1,
    hf_siptxn_forwarded_from_frame = -1, hf_siptxn_forwarded_to_txn = -1, hf_siptxn_forwarded_to_frame = -1,
    hf_siptxn_time_since_request = -1, hf_siptxn_time_to_first_response = -1,
    hf_siptxn_time_to_final_response = -1, hf_siptxn_request_retransmissions = -1,
    hf_siptxn_final_status = -1;
int hf_siptxn_ack_class = -1, hf_siptxn_ack_evidence = -1, hf_siptxn_ack_invite_txn = -1,
    hf_siptxn_ack_invite_frame = -1, hf_siptxn_ack_response_frame = -1, hf_siptxn_ack_txn = -1;
int hf_siptxn_rseq = -1, hf_siptxn_prack_rseq = -1, hf_siptxn_prack_response_frame = -1, hf_siptxn_prack_frame = -1,
    hf_siptxn_duplicate_original = -1, hf_siptxn_duplicate_reason = -1;
int hf_siptxn_reason_class = -1, hf_siptxn_reason_standard_phrase = -1, hf_siptxn_reason_phrase = -1,
    hf_siptxn_reason_explanation = -1, hf_siptxn_reason_advice = -1, hf_siptxn_reason_source = -1,
    hf_siptxn_reason_nonstandard = -1, hf_siptxn_reason_q850_cause = -1,
    hf_siptxn_reason_q850_explanation = -1, hf_siptxn_reason_sip_cause = -1,
    hf_siptxn_reason_sip_explanation = -1;

gint ett_siptxn = -1, ett_siptxn_identity = -1, ett_siptxn_links = -1,
     ett_siptxn_timing = -1, ett_siptxn_ack = -1, ett_siptxn_reason = -1, ett_siptxn_text = -1;

expert_field ei_siptxn_no_via = EI_INIT, ei_siptxn_no_sent_by = EI_INIT, ei_siptxn_empty_branch = EI_INIT,
    ei_siptxn_no_cseq = EI_INIT, ei_siptxn_bad_cseq = EI_INIT, ei_siptxn_no_call_id = EI_INIT,
    ei_siptxn_bad_status = EI_INIT, ei_siptxn_no_cseq_method = EI_INIT,
    ei_siptxn_response_without_request = EI_INIT, ei_siptxn_retransmission = EI_INIT,
    ei_siptxn_unanswered = EI_INIT, ei_siptxn_final_late = EI_INIT, ei_siptxn_final_retransmitted = EI_INIT,
    ei_siptxn_cseq_method_mismatch = EI_INIT, ei_siptxn_cseq_number_mismatch = EI_INIT,
    ei_siptxn_rfc2543 = EI_INIT, ei_siptxn_udp_too_large = EI_INIT, ei_siptxn_retransmission_too_early = EI_INIT,
    ei_siptxn_retransmission_not_doubled = EI_INIT, ei_siptxn_additional_final = EI_INIT,
    ei_siptxn_ack_branch_mismatch = EI_INIT, ei_siptxn_ack_2xx_reuses_branch = EI_INIT,
    ei_siptxn_ack_cseq_number = EI_INIT, ei_siptxn_ack_cseq_method = EI_INIT,
    ei_siptxn_ack_headers_differ = EI_INIT, ei_siptxn_ack_to_tag_differs = EI_INIT,
    ei_siptxn_ack_unprompted = EI_INIT, ei_siptxn_final_unacknowledged = EI_INIT, ei_siptxn_ack_late = EI_INIT,
    ei_siptxn_ack_transport_changed = EI_INIT, ei_siptxn_ack_without_invite = EI_INIT,
    ei_siptxn_nonstandard_phrase = EI_INIT, ei_siptxn_prack_unmatched = EI_INIT,
    ei_siptxn_retransmission_differs = EI_INIT, ei_siptxn_duplicate = EI_INIT;

guint siptxn_pref_t1_ms = 500;
guint siptxn_pref_t2_ms = 4000;
gint siptxn_pref_language = 0;
siptxn_pref_bool siptxn_pref_narrative = TRUE;
siptxn_pref_bool siptxn_pref_info_column = TRUE;
siptxn_pref_bool siptxn_pref_check_ack_rules = TRUE;
siptxn_pref_bool siptxn_pref_check_retransmission_timers = TRUE;
siptxn_pref_bool siptxn_pref_check_timeouts = TRUE;
siptxn_pref_bool siptxn_pref_check_message_size = TRUE;
siptxn_pref_bool siptxn_pref_detect_duplicates = TRUE;
gint siptxn_pref_transaction_model = 0;

static dissector_handle_t siptxn_handle;

/* The capture's transaction engine: created on the first SIP message of a
 * capture with the current preferences, freed when the capture is closed. */
static engine *capture_engine;

/* The names of names.h, as Wireshark shows them and `tshark -G values` lists them. */
VALUE_STRING_ARRAY(siptxn_role_names);
VALUE_STRING_ARRAY(siptxn_kind_names);
VALUE_STRING_ARRAY(siptxn_state_names);
VALUE_STRING_ARRAY(siptxn_ack_class_names);

/* RFC 6026 (the default) or RFC 3261 INVITE transaction states. */
static const enum_val_t transaction_model_options[] = {
    { "rfc6026", "RFC 6026: a 2xx moves the INVITE transaction to Accepted", 0 },
    { "rfc3261", "RFC 3261: a 2xx terminates the INVITE transaction", 1 },
    { NULL, NULL, -1 }
};

static const enum_val_t language_options[] = {
    { "auto", "Automatic (from the locale)", 0 },
    { "en", "English", 1 },
    { "ru", "Russian", 2 },
    { NULL, NULL, -1 }
};

/* The capture's transactions, and what the first pass kept of each SIP message. */
static message_store *capture_messages;

static void forget_capture(void)
{
    message_store_free(capture_messages);
    capture_messages = NULL;
    engine_free(capture_engine);
    capture_engine = NULL;
}

static void siptxn_init(void)
{
    forget_capture();
    reason_choose_language();
}

static void siptxn_cleanup(void)
{
    forget_capture();
}

static void start_capture(void)
{
    engine_settings settings;
    engine_settings_default(&settings);
    settings.t1_ms = siptxn_pref_t1_ms;
    settings.t2_ms = siptxn_pref_t2_ms;
    settings.rfc3261_states = siptxn_pref_transaction_model == 1;
    settings.detect_duplicates = siptxn_pref_detect_duplicates;
    capture_engine = engine_new(&settings);
    capture_messages = message_store_new(capture_engine);
}

/* First pass: matches every SIP message of the frame and keeps the verdicts. */
static void analyse_frame(tvbuff_t *frame, proto_tree *tree, packet_info *pinfo)
{
    if (!capture_engine)
        start_capture();
    sipmsg *messages;
    guint count = extract_messages(frame, tree, pinfo, &messages);
    engine_observe_time(capture_engine, siptxn_time_ns(&pinfo->abs_ts));
    if (count == 0)
        return;
    message_result *results = wmem_alloc_array(pinfo->pool, message_result, count);
    for (guint i = 0; i < count; i++)
        engine_process(capture_engine, &messages[i], &results[i]);
    message_store_keep_frame(capture_messages, pinfo->num, messages, results, count);
}

/* Every pass renders what the first pass kept. */
static int dissect_siptxn(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!PINFO_FD_VISITED(pinfo))
        analyse_frame(tvb, tree, pinfo);
    guint32 first;
    guint count = message_store_frame(capture_messages, pinfo->num, &first);
    if (count == 0)
        return 0;
    const stored_message **messages = wmem_alloc_array(pinfo->pool, const stored_message *, count);
    for (guint i = 0; i < count; i++) {
        messages[i] = message_store_message(capture_messages, first + i);
        render_message(tree, tvb, pinfo, capture_engine, messages[i]);
        tap_queue_packet(siptxn_tap, pinfo, messages[i]);
    }
    render_info_column(pinfo, messages, count);
    return tvb_captured_length(tvb);
}

/* An expert field's summary: its English sentence in sentences.ini, whose
 * group is the field's name without "siptxn."; the name itself if none. */
static const char *expert_summary(const char *name)
{
    const char *group = g_str_has_prefix(name, "siptxn.") ? name + strlen("siptxn.") : name;
    sentence_id id = sentence_find(group);
    return id < SENTENCE_COUNT ? sentence_text(sentences_builtin(), id, SIPTXN_LANGUAGE_ENGLISH) : name;
}

void proto_register_siptxn(void)
{
    static hf_register_info hf[] = {
        { &hf_siptxn_narrative, { "Narrative", "siptxn.narrative", FT_STRING, BASE_NONE, NULL, 0x0,
            "What this message does in its transaction and why, in plain sentences", HFILL } },
        /* groups */
        { &hf_siptxn_identity, { "Message identity", "siptxn.identity", FT_NONE, BASE_NONE, NULL, 0x0,
            "What identifies this message: method or status, Call-ID, CSeq and the topmost Via", HFILL } },
        { &hf_siptxn_links, { "Related frames", "siptxn.links", FT_NONE, BASE_NONE, NULL, 0x0,
            "The frames of this transaction's request, responses and ACK, and of related transactions", HFILL } },
        { &hf_siptxn_timing, { "Timing", "siptxn.timing", FT_NONE, BASE_NONE, NULL, 0x0,
            "Times since the transaction's request, and retransmission intervals", HFILL } },
        /* identity */
        { &hf_siptxn_method, { "Method", "siptxn.method", FT_STRING, BASE_NONE, NULL, 0x0,
            "Request method of this message (RFC 3261 \xC2\xA7" "7.1)", HFILL } },
        { &hf_siptxn_status_code, { "Status code", "siptxn.status_code", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Status code of this response (RFC 3261 \xC2\xA7" "7.2)", HFILL } },
        { &hf_siptxn_call_id, { "Call-ID", "siptxn.call_id", FT_STRING, BASE_NONE, NULL, 0x0,
            "Call-ID header of this message", HFILL } },
        { &hf_siptxn_cseq_number, { "CSeq number", "siptxn.cseq.number", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Sequence number of the CSeq header", HFILL } },
        { &hf_siptxn_cseq_method, { "CSeq method", "siptxn.cseq.method", FT_STRING, BASE_NONE, NULL, 0x0,
            "Method of the CSeq header", HFILL } },
        { &hf_siptxn_via_branch, { "Top Via branch", "siptxn.via.branch", FT_STRING, BASE_NONE, NULL, 0x0,
            "Branch parameter of the topmost Via (not the first branch in the message)", HFILL } },
        { &hf_siptxn_via_sent_by, { "Top Via sent-by", "siptxn.via.sent_by", FT_STRING, BASE_NONE, NULL, 0x0,
            "Host and port of the topmost Via", HFILL } },
        /* transaction */
        { &hf_siptxn_txn, { "Transaction", "siptxn.txn", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Number of the RFC 3261 transaction this message belongs to (1..N in order of first appearance)", HFILL } },
        { &hf_siptxn_kind, { "Transaction kind", "siptxn.kind", FT_UINT8, BASE_DEC, VALS(siptxn_kind_names), 0x0,
            "INVITE or non-INVITE transaction (RFC 3261 \xC2\xA7" "17), or the transaction of an ACK to a 2xx", HFILL } },
        { &hf_siptxn_key, { "Transaction key", "siptxn.key", FT_STRING, BASE_NONE, NULL, 0x0,
            "What identifies the transaction: top Via branch, sent-by and method (RFC 3261 \xC2\xA7" "17.2.3)", HFILL } },
        { &hf_siptxn_rfc2543, { "RFC 2543 matching", "siptxn.rfc2543", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The top Via has no branch with the z9hG4bK magic cookie, so RFC 2543 rules matched the message", HFILL } },
        { &hf_siptxn_role, { "Role", "siptxn.role", FT_UINT8, BASE_DEC, VALS(siptxn_role_names), 0x0,
            "The part this message plays in its transaction", HFILL } },
        { &hf_siptxn_state, { "State after this message", "siptxn.state", FT_UINT8, BASE_DEC, VALS(siptxn_state_names), 0x0,
            "Transaction state per the RFC 3261 \xC2\xA7" "17 state machines, as far as the wire shows it", HFILL } },
        { &hf_siptxn_retransmission, { "Retransmission", "siptxn.retransmission", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "This message is a re-sent copy of an earlier one of the same transaction", HFILL } },
        { &hf_siptxn_retransmission_original, { "Original in frame", "siptxn.retransmission.original",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "The frame with the first copy of this message", HFILL } },
        { &hf_siptxn_retransmission_number, { "Retransmission number", "siptxn.retransmission.number",
            FT_UINT32, BASE_DEC, NULL, 0x0, "1 for the first re-sent copy, 2 for the second, ...", HFILL } },
        { &hf_siptxn_retransmission_interval, { "Interval since previous copy", "siptxn.retransmission.interval",
            FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, "Time since the previous copy of this message", HFILL } },
        { &hf_siptxn_retransmission_expected, { "Interval expected by the timer", "siptxn.retransmission.expected",
            FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Interval Timer A, E or G gives for this copy (T1, 2*T1, 4*T1, ... capped at T2 where the RFC says)", HFILL } },
        { &hf_siptxn_request_retransmissions, { "Request retransmissions", "siptxn.request_retransmissions",
            FT_UINT32, BASE_DEC, NULL, 0x0, "How many re-sent copies of the request the transaction has", HFILL } },
        { &hf_siptxn_request_frame, { "Request in frame", "siptxn.request_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The transaction's first request", HFILL } },
        { &hf_siptxn_provisional_frame, { "First provisional response in frame", "siptxn.provisional_frame",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The transaction's first 1xx response", HFILL } },
        { &hf_siptxn_final_frame, { "Final response in frame", "siptxn.final_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The transaction's first final (2xx-6xx) response", HFILL } },
        { &hf_siptxn_final_status, { "Final status code", "siptxn.final_status", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Status code of the transaction's first final response", HFILL } },
        { &hf_siptxn_ack_frame, { "ACK in frame", "siptxn.ack_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0x0, "The ACK completing this INVITE transaction", HFILL } },
        { &hf_siptxn_cancel_frame, { "CANCEL in frame", "siptxn.cancel_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The CANCEL request for this INVITE transaction", HFILL } },
        { &hf_siptxn_cancels_txn, { "Cancels transaction", "siptxn.cancels.txn", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The INVITE transaction this CANCEL transaction cancels (RFC 3261 \xC2\xA7" "9.2)", HFILL } },
        { &hf_siptxn_cancels_frame, { "Cancelled INVITE in frame", "siptxn.cancels.frame", FT_FRAMENUM,
            BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The INVITE this CANCEL cancels", HFILL } },
        { &hf_siptxn_forwarded_from_txn, { "Forwarded from transaction", "siptxn.forwarded_from.txn", FT_UINT32,
            BASE_DEC, NULL, 0x0,
            "Upstream transaction a proxy forwarded this one from: its top Via is this request's second Via", HFILL } },
        { &hf_siptxn_forwarded_from_frame, { "Forwarded from frame", "siptxn.forwarded_from.frame", FT_FRAMENUM,
            BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The upstream request", HFILL } },
        { &hf_siptxn_forwarded_to_txn, { "Forwarded as transaction", "siptxn.forwarded_to.txn", FT_UINT32,
            BASE_DEC, NULL, 0x0, "Downstream transaction a proxy created when forwarding this one", HFILL } },
        { &hf_siptxn_forwarded_to_frame, { "Forwarded in frame", "siptxn.forwarded_to.frame", FT_FRAMENUM,
            BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The downstream request", HFILL } },
        { &hf_siptxn_time_since_request, { "Time since request", "siptxn.time_since_request", FT_RELATIVE_TIME,
            BASE_NONE, NULL, 0x0, "Time since the transaction's first request", HFILL } },
        { &hf_siptxn_time_to_first_response, { "Request to first response", "siptxn.time_to_first_response",
            FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, "Time from the request to the first response", HFILL } },
        { &hf_siptxn_time_to_final_response, { "Request to final response", "siptxn.time_to_final_response",
            FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, "Time from the request to the first final response", HFILL } },
        /* RFC 3262: reliable provisional responses and PRACK */
        { &hf_siptxn_rseq, { "RSeq", "siptxn.rseq", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The RSeq of a reliable provisional response (RFC 3262 \xC2\xA7" "7.1)", HFILL } },
        { &hf_siptxn_prack_rseq, { "Acknowledged RSeq", "siptxn.prack.rseq", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The RSeq this PRACK's RAck names (RFC 3262 \xC2\xA7" "7.2)", HFILL } },
        { &hf_siptxn_prack_response_frame, { "Acknowledged provisional response in frame", "siptxn.prack.response_frame",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The reliable provisional response this PRACK's RAck names (RFC 3262 \xC2\xA7" "7.2)", HFILL } },
        { &hf_siptxn_prack_frame, { "PRACK in frame", "siptxn.prack.frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0x0, "The first PRACK acknowledging this reliable provisional response "
            "(RFC 3262 \xC2\xA7" "3)", HFILL } },
        /* Duplicates */
        { &hf_siptxn_duplicate_original, { "Duplicate of frame", "siptxn.duplicate.original", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_DUP_ACK), 0x0, "The first copy of this packet: the same packet seen twice, "
            "or a segment TCP re-sent, is not a SIP retransmission", HFILL } },
        { &hf_siptxn_duplicate_reason, { "Judged a duplicate because", "siptxn.duplicate.reason", FT_STRING,
            BASE_NONE, NULL, 0x0, "What tells this copy from a SIP retransmission", HFILL } },
        /* ACK */
        { &hf_siptxn_ack_class, { "ACK class", "siptxn.ack.class", FT_UINT8, BASE_DEC, VALS(siptxn_ack_class_names), 0x0,
            "non-2xx: part of the INVITE transaction, hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3); "
            "2xx: a transaction of its own, end to end (\xC2\xA7" "13.2.2.4)", HFILL } },
        { &hf_siptxn_ack_evidence, { "Decided by", "siptxn.ack.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in the capture decided the ACK class", HFILL } },
        { &hf_siptxn_ack_invite_txn, { "INVITE transaction", "siptxn.ack.invite_txn", FT_UINT32,
            BASE_DEC, NULL, 0x0, "The INVITE transaction whose final response this ACK acknowledges: a non-2xx "
            "ACK is part of it (RFC 3261 \xC2\xA7" "17.1.1.3), a 2xx ACK is not (\xC2\xA7" "13.2.2.4)", HFILL } },
        { &hf_siptxn_ack_invite_frame, { "INVITE in frame", "siptxn.ack.invite_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The INVITE this ACK belongs to", HFILL } },
        { &hf_siptxn_ack_response_frame, { "Acknowledged response in frame", "siptxn.ack.response_frame",
            FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The final response this ACK acknowledges", HFILL } },
        { &hf_siptxn_ack_txn, { "ACK transaction", "siptxn.ack.txn", FT_UINT32, BASE_DEC, NULL, 0x0,
            "On an INVITE transaction: the transaction of the ACK to its 2xx", HFILL } },
        /* reason phrase */
        { &hf_siptxn_reason_class, { "Response class", "siptxn.reason.class", FT_STRING, BASE_NONE, NULL, 0x0,
            "Class of the status code (RFC 3261 \xC2\xA7" "21)", HFILL } },
        { &hf_siptxn_reason_standard_phrase, { "Standard phrase", "siptxn.reason.standard_phrase", FT_STRING,
            BASE_NONE, NULL, 0x0, "The reason phrase the defining RFC gives for this code", HFILL } },
        { &hf_siptxn_reason_phrase, { "Phrase sent", "siptxn.reason.phrase", FT_STRING, BASE_NONE, NULL, 0x0,
            "The reason phrase actually sent", HFILL } },
        { &hf_siptxn_reason_explanation, { "Explanation", "siptxn.reason.explanation", FT_STRING, BASE_NONE,
            NULL, 0x0, "What the code and phrase mean", HFILL } },
        { &hf_siptxn_reason_advice, { "What to check", "siptxn.reason.advice", FT_STRING, BASE_NONE, NULL, 0x0,
            "Typical causes and what to check", HFILL } },
        { &hf_siptxn_reason_source, { "Source", "siptxn.reason.source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the meaning comes from: the defining RFC, an operator phrase, or a user entry", HFILL } },
        { &hf_siptxn_reason_nonstandard, { "Non-standard phrase", "siptxn.reason.nonstandard", FT_BOOLEAN,
            BASE_NONE, NULL, 0x0, "The phrase sent differs from the standard one", HFILL } },
        { &hf_siptxn_reason_q850_cause, { "Q.850 cause", "siptxn.reason.q850_cause", FT_UINT32, BASE_DEC, NULL,
            0x0, "Cause value of a Reason: Q.850 header (RFC 3326)", HFILL } },
        { &hf_siptxn_reason_q850_explanation, { "Q.850 cause meaning", "siptxn.reason.q850_explanation",
            FT_STRING, BASE_NONE, NULL, 0x0, "What the ITU-T Q.850 cause value means", HFILL } },
        { &hf_siptxn_reason_sip_cause, { "SIP cause", "siptxn.reason.sip_cause", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Cause value of a Reason: SIP header (RFC 3326)", HFILL } },
        { &hf_siptxn_reason_sip_explanation, { "SIP cause meaning", "siptxn.reason.sip_explanation", FT_STRING,
            BASE_NONE, NULL, 0x0, "What the SIP status code in the Reason header means", HFILL } },
    };

    static gint *ett[] = {
        &ett_siptxn, &ett_siptxn_identity, &ett_siptxn_links,
        &ett_siptxn_timing, &ett_siptxn_ack, &ett_siptxn_reason, &ett_siptxn_text,
    };

    /* Each summary is the English sentence of the expert field in sentences.ini (expert_summary). */
    static ei_register_info ei[] = {
        { &ei_siptxn_no_via, { "siptxn.expert.malformed.no_via", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_no_sent_by, { "siptxn.expert.malformed.no_sent_by", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_empty_branch, { "siptxn.expert.malformed.empty_branch", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_no_cseq, { "siptxn.expert.malformed.no_cseq", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_bad_cseq, { "siptxn.expert.malformed.bad_cseq", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_no_call_id, { "siptxn.expert.malformed.no_call_id", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_bad_status, { "siptxn.expert.malformed.bad_status", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_no_cseq_method, { "siptxn.expert.malformed.no_cseq_method", PI_MALFORMED, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_response_without_request, { "siptxn.expert.response_without_request", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_retransmission, { "siptxn.expert.retransmission", PI_SEQUENCE, PI_CHAT, NULL, EXPFILL } },
        { &ei_siptxn_unanswered, { "siptxn.expert.unanswered", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_final_late, { "siptxn.expert.final_late", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_final_retransmitted, { "siptxn.expert.final_retransmitted", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_cseq_method_mismatch, { "siptxn.expert.cseq_method_mismatch", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_cseq_number_mismatch, { "siptxn.expert.cseq_number_mismatch", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_rfc2543, { "siptxn.expert.rfc2543", PI_PROTOCOL, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_udp_too_large, { "siptxn.expert.udp_too_large", PI_PROTOCOL, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_retransmission_too_early, { "siptxn.expert.retransmission.too_early", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_retransmission_not_doubled, { "siptxn.expert.retransmission.not_doubled", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_additional_final, { "siptxn.expert.additional_final", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_ack_branch_mismatch, { "siptxn.expert.ack.branch_mismatch", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_ack_2xx_reuses_branch, { "siptxn.expert.ack.2xx_reuses_branch", PI_PROTOCOL, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_ack_cseq_number, { "siptxn.expert.ack.cseq_number", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_ack_cseq_method, { "siptxn.expert.ack.cseq_method", PI_PROTOCOL, PI_ERROR, NULL, EXPFILL } },
        { &ei_siptxn_ack_headers_differ, { "siptxn.expert.ack.headers_differ", PI_PROTOCOL, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_ack_to_tag_differs, { "siptxn.expert.ack.to_tag_differs", PI_PROTOCOL, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_ack_unprompted, { "siptxn.expert.ack.unprompted_retransmission", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_final_unacknowledged, { "siptxn.expert.final_unacknowledged", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_ack_late, { "siptxn.expert.ack.late", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_ack_transport_changed, { "siptxn.expert.ack.transport_changed", PI_PROTOCOL, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_ack_without_invite, { "siptxn.expert.ack.without_invite", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_prack_unmatched, { "siptxn.expert.prack.unmatched", PI_SEQUENCE, PI_WARN, NULL, EXPFILL } },
        { &ei_siptxn_retransmission_differs, { "siptxn.expert.retransmission.differs", PI_SEQUENCE, PI_NOTE, NULL,
            EXPFILL } },
        { &ei_siptxn_duplicate, { "siptxn.expert.duplicate", PI_SEQUENCE, PI_NOTE, NULL, EXPFILL } },
        { &ei_siptxn_nonstandard_phrase, { "siptxn.expert.reason.nonstandard", PI_RESPONSE_CODE, PI_CHAT, NULL, EXPFILL } },
    };
    for (guint i = 0; i < G_N_ELEMENTS(ei); i++)
        ei[i].eiinfo.summary = expert_summary(ei[i].eiinfo.name);

    proto_siptxn = proto_register_protocol("SIP Transaction Analysis", "SIPTXN", "siptxn");
    proto_register_field_array(proto_siptxn, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_siptxn = expert_register_protocol(proto_siptxn);
    expert_register_field_array(expert_siptxn, ei, array_length(ei));

    module_t *siptxn_module = prefs_register_protocol(proto_siptxn, NULL);
    prefs_register_uint_preference(siptxn_module, "t1", "Timer T1 (ms)",
        "RTT estimate of RFC 3261 \xC2\xA7" "17.1.1.1 (default 500 ms). Retransmission intervals and the "
        "64*T1 transaction timeouts are judged against it.", 10, &siptxn_pref_t1_ms);
    prefs_register_uint_preference(siptxn_module, "t2", "Timer T2 (ms)",
        "Maximum retransmission interval for non-INVITE requests and INVITE responses "
        "(RFC 3261 \xC2\xA7" "17.1.2.2, default 4000 ms).", 10, &siptxn_pref_t2_ms);
    prefs_register_enum_preference(siptxn_module, "transaction_model", "INVITE transaction states",
        "RFC 6026 (default): a 2xx response moves the INVITE transaction to Accepted, where re-sent and "
        "forked 2xx responses and their ACKs pass until Timer L/M (64*T1) terminates it (RFC 6026 "
        "\xC2\xA7" "7.1, \xC2\xA7" "7.2). RFC 3261: a 2xx terminates the INVITE transaction at once "
        "(RFC 3261 \xC2\xA7" "17.1.1.2, \xC2\xA7" "17.2.1).", &siptxn_pref_transaction_model,
        transaction_model_options, FALSE);
    prefs_register_bool_preference(siptxn_module, "detect_duplicates", "Detect duplicate packets",
        "Treat the same packet seen twice (same IP identification and bytes within T1/10: a mirror port, "
        "two interfaces, a second capture point) and a segment TCP re-sent as duplicates, not SIP "
        "retransmissions: no retransmission count and no timer check for them.",
        &siptxn_pref_detect_duplicates);
    prefs_register_enum_preference(siptxn_module, "language", "Explanation language",
        "Language of reason-phrase explanations. Automatic follows the locale "
        "(LANGUAGE, LC_ALL, LC_MESSAGES, LANG).", &siptxn_pref_language, language_options, FALSE);
    prefs_register_bool_preference(siptxn_module, "narrative", "Explain each message in plain sentences",
        "Add a narrative at the top of the SIP Transaction Analysis tree: what the message does in its "
        "transaction and why, with the RFC section, in the explanation language.", &siptxn_pref_narrative);
    prefs_register_bool_preference(siptxn_module, "info_column", "Show the transaction in the Info column",
        "Append the transaction number and role (and the ACK class) to the Info column, "
        "e.g. \"[txn 3 \xC2\xB7 ACK non-2xx]\".", &siptxn_pref_info_column);
    prefs_register_bool_preference(siptxn_module, "check_ack_rules", "Check ACK rules",
        "Report ACKs that break RFC 3261 \xC2\xA7" "17.1.1.3 / \xC2\xA7" "13.2.2.4: wrong branch, CSeq, "
        "headers or To tag, unprompted retransmissions, other transport, no INVITE.", &siptxn_pref_check_ack_rules);
    prefs_register_bool_preference(siptxn_module, "check_retransmission_timers", "Check retransmission timers",
        "Report retransmissions that come earlier than Timer A, E or G allows or whose interval does not "
        "double (RFC 3261 \xC2\xA7" "17.1.1.2, \xC2\xA7" "17.1.2.2, \xC2\xA7" "17.2.1).",
        &siptxn_pref_check_retransmission_timers);
    prefs_register_bool_preference(siptxn_module, "check_timeouts", "Check transaction timeouts",
        "Report transactions without a final response within 64*T1 (Timer B/F), final responses never "
        "acknowledged (Timer H) and late ACKs. These need the whole capture: GUI or tshark -2.",
        &siptxn_pref_check_timeouts);
    prefs_register_bool_preference(siptxn_module, "check_message_size", "Check UDP message size",
        "Report requests over UDP larger than MTU - 200 bytes (1300), which RFC 3261 \xC2\xA7" "18.1.1 says "
        "to send over a congestion-controlled transport.", &siptxn_pref_check_message_size);
    reason_register_user_table(siptxn_module);

    siptxn_tap = register_tap("siptxn");
    register_siptxn_flow();
    register_siptxn_response_times();
    register_siptxn_kpi();
    register_init_routine(siptxn_init);
    register_cleanup_routine(siptxn_cleanup);
    siptxn_handle = register_dissector("siptxn", dissect_siptxn, proto_siptxn);
}

void proto_reg_handoff_siptxn(void)
{
    register_postdissector(siptxn_handle);
    extract_want_fields(siptxn_handle);
}
