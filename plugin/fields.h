/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fields.h: the siptxn fields, subtrees, expert infos and preferences shared by
 * packet-siptxn.c (which registers them) and render.c (which fills them in). */
#ifndef SIPTXN_FIELDS_H
#define SIPTXN_FIELDS_H

#include <epan/packet.h>
#include <epan/expert.h>

#include "compat.h"

extern int proto_siptxn;

extern int hf_siptxn_narrative;
/* groups */
extern int hf_siptxn_identity, hf_siptxn_links, hf_siptxn_timing;
/* identity */
extern int hf_siptxn_method, hf_siptxn_status_code, hf_siptxn_call_id, hf_siptxn_cseq_number,
    hf_siptxn_cseq_method, hf_siptxn_via_branch, hf_siptxn_via_sent_by;
/* transaction */
extern int hf_siptxn_txn, hf_siptxn_kind, hf_siptxn_key, hf_siptxn_rfc2543, hf_siptxn_role,
    hf_siptxn_state, hf_siptxn_retransmission, hf_siptxn_retransmission_original,
    hf_siptxn_retransmission_number, hf_siptxn_retransmission_interval,
    hf_siptxn_retransmission_expected, hf_siptxn_request_frame, hf_siptxn_provisional_frame,
    hf_siptxn_final_frame, hf_siptxn_ack_frame, hf_siptxn_cancel_frame, hf_siptxn_cancels_txn,
    hf_siptxn_cancels_frame, hf_siptxn_forwarded_from_txn, hf_siptxn_forwarded_from_frame,
    hf_siptxn_forwarded_to_txn, hf_siptxn_forwarded_to_frame, hf_siptxn_time_since_request,
    hf_siptxn_time_to_first_response, hf_siptxn_time_to_final_response,
    hf_siptxn_request_retransmissions, hf_siptxn_final_status;
/* ACK */
extern int hf_siptxn_ack_class, hf_siptxn_ack_evidence, hf_siptxn_ack_invite_txn,
    hf_siptxn_ack_invite_frame, hf_siptxn_ack_response_frame, hf_siptxn_ack_txn;
extern int hf_siptxn_rseq, hf_siptxn_prack_rseq, hf_siptxn_prack_response_frame, hf_siptxn_prack_frame, hf_siptxn_duplicate_original,
    hf_siptxn_duplicate_reason;
/* reason phrase */
extern int hf_siptxn_reason_class, hf_siptxn_reason_standard_phrase, hf_siptxn_reason_phrase,
    hf_siptxn_reason_explanation, hf_siptxn_reason_advice, hf_siptxn_reason_source,
    hf_siptxn_reason_nonstandard, hf_siptxn_reason_q850_cause, hf_siptxn_reason_q850_explanation,
    hf_siptxn_reason_sip_cause, hf_siptxn_reason_sip_explanation;

/* ett_siptxn_text: the lines of a text too long for one label (render_add_text). */
extern gint ett_siptxn, ett_siptxn_identity, ett_siptxn_links,
    ett_siptxn_timing, ett_siptxn_ack, ett_siptxn_reason, ett_siptxn_text;

extern expert_field ei_siptxn_no_via, ei_siptxn_no_sent_by, ei_siptxn_empty_branch, ei_siptxn_no_cseq,
    ei_siptxn_bad_cseq, ei_siptxn_no_call_id, ei_siptxn_bad_status, ei_siptxn_no_cseq_method,
    ei_siptxn_response_without_request, ei_siptxn_retransmission, ei_siptxn_unanswered, ei_siptxn_final_late,
    ei_siptxn_final_retransmitted, ei_siptxn_cseq_method_mismatch, ei_siptxn_cseq_number_mismatch,
    ei_siptxn_rfc2543, ei_siptxn_udp_too_large, ei_siptxn_retransmission_too_early,
    ei_siptxn_retransmission_not_doubled, ei_siptxn_additional_final, ei_siptxn_ack_branch_mismatch,
    ei_siptxn_ack_2xx_reuses_branch, ei_siptxn_ack_cseq_number, ei_siptxn_ack_cseq_method,
    ei_siptxn_ack_headers_differ, ei_siptxn_ack_to_tag_differs, ei_siptxn_ack_unprompted,
    ei_siptxn_final_unacknowledged, ei_siptxn_ack_late, ei_siptxn_ack_transport_changed,
    ei_siptxn_ack_without_invite, ei_siptxn_nonstandard_phrase, ei_siptxn_prack_unmatched,
    ei_siptxn_retransmission_differs, ei_siptxn_duplicate;

/* preferences */
extern guint siptxn_pref_t1_ms;
extern guint siptxn_pref_t2_ms;
extern gint siptxn_pref_language;
extern siptxn_pref_bool siptxn_pref_narrative;
extern siptxn_pref_bool siptxn_pref_info_column;
/* Which groups of RFC checks report expert infos. */
extern siptxn_pref_bool siptxn_pref_check_ack_rules;
extern siptxn_pref_bool siptxn_pref_check_retransmission_timers;
extern siptxn_pref_bool siptxn_pref_check_timeouts;
extern siptxn_pref_bool siptxn_pref_check_message_size;
extern siptxn_pref_bool siptxn_pref_detect_duplicates;
extern gint siptxn_pref_transaction_model;

/* The tap stats.c listens to: one stored_message per SIP message. */
extern int siptxn_tap;

#endif /* SIPTXN_FIELDS_H */
