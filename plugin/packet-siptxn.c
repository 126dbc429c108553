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
#include "record.h"
#include "reason.h"
#include "render.h"
#include "packet-siptxn.h"
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
int hf_siptxn_reason_class = -1, hf_siptxn_reason_standard_phrase = -1, hf_siptxn_reason_phrase = -1,
    hf_siptxn_reason_explanation = -1, hf_siptxn_reason_advice = -1, hf_siptxn_reason_source = -1,
    hf_siptxn_reason_nonstandard = -1, hf_siptxn_reason_q850_cause = -1,
    hf_siptxn_reason_q850_explanation = -1, hf_siptxn_reason_sip_cause = -1,
    hf_siptxn_reason_sip_explanation = -1;

gint ett_siptxn = -1, ett_siptxn_identity = -1, ett_siptxn_transaction = -1, ett_siptxn_links = -1,
     ett_siptxn_timing = -1, ett_siptxn_ack = -1, ett_siptxn_reason = -1;

expert_field ei_siptxn_no_via = EI_INIT, ei_siptxn_no_sent_by = EI_INIT, ei_siptxn_empty_branch = EI_INIT,
    ei_siptxn_no_cseq = EI_INIT, ei_siptxn_bad_cseq = EI_INIT, ei_siptxn_no_call_id = EI_INIT,
    ei_siptxn_bad_status = EI_INIT, ei_siptxn_no_cseq_method = EI_INIT,
    ei_siptxn_response_without_request = EI_INIT, ei_siptxn_retransmission = EI_INIT,
    ei_siptxn_unanswered = EI_INIT, ei_siptxn_final_retransmitted = EI_INIT,
    ei_siptxn_cseq_method_mismatch = EI_INIT, ei_siptxn_cseq_number_mismatch = EI_INIT,
    ei_siptxn_rfc2543 = EI_INIT, ei_siptxn_udp_too_large = EI_INIT, ei_siptxn_retransmission_too_early = EI_INIT,
    ei_siptxn_retransmission_not_doubled = EI_INIT, ei_siptxn_additional_final = EI_INIT,
    ei_siptxn_ack_branch_mismatch = EI_INIT, ei_siptxn_ack_2xx_reuses_branch = EI_INIT,
    ei_siptxn_ack_cseq_number = EI_INIT, ei_siptxn_ack_cseq_method = EI_INIT,
    ei_siptxn_ack_headers_differ = EI_INIT, ei_siptxn_ack_to_tag_differs = EI_INIT,
    ei_siptxn_ack_unprompted = EI_INIT, ei_siptxn_final_unacknowledged = EI_INIT, ei_siptxn_ack_late = EI_INIT,
    ei_siptxn_ack_transport_changed = EI_INIT, ei_siptxn_ack_without_invite = EI_INIT,
    ei_siptxn_nonstandard_phrase = EI_INIT;

guint siptxn_pref_t1_ms = 500;
guint siptxn_pref_t2_ms = 4000;
gint siptxn_pref_language = 0;
siptxn_pref_bool siptxn_pref_narrative = TRUE;
siptxn_pref_bool siptxn_pref_info_column = TRUE;
siptxn_pref_bool siptxn_pref_check_ack_rules = TRUE;
siptxn_pref_bool siptxn_pref_check_retransmission_timers = TRUE;
siptxn_pref_bool siptxn_pref_check_timeouts = TRUE;
siptxn_pref_bool siptxn_pref_check_message_size = TRUE;

static dissector_handle_t siptxn_handle;

/* The capture's transaction engine: created on the first SIP message of a
 * capture with the current preferences, freed when the capture is closed. */
static engine *capture_engine;

static const value_string role_names[] = {
    { MESSAGE_ROLE_REQUEST, "request" },
    { MESSAGE_ROLE_REQUEST_RETRANSMISSION, "request retransmission" },
    { MESSAGE_ROLE_PROVISIONAL, "provisional response" },
    { MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION, "provisional response retransmission" },
    { MESSAGE_ROLE_FINAL, "final response" },
    { MESSAGE_ROLE_FINAL_RETRANSMISSION, "final response retransmission" },
    { MESSAGE_ROLE_ACK, "ACK" },
    { MESSAGE_ROLE_ACK_RETRANSMISSION, "ACK retransmission" },
    { MESSAGE_ROLE_CANCEL, "CANCEL" },
    { MESSAGE_ROLE_CANCEL_RETRANSMISSION, "CANCEL retransmission" },
    { 0, NULL }
};

static const value_string kind_names[] = {
    { TRANSACTION_KIND_INVITE, "INVITE" },
    { TRANSACTION_KIND_NON_INVITE, "non-INVITE" },
    { TRANSACTION_KIND_ACK, "ACK" },
    { 0, NULL }
};

static const value_string state_names[] = {
    { TRANSACTION_STATE_CALLING, "Calling" },
    { TRANSACTION_STATE_TRYING, "Trying" },
    { TRANSACTION_STATE_PROCEEDING, "Proceeding" },
    { TRANSACTION_STATE_COMPLETED, "Completed" },
    { TRANSACTION_STATE_CONFIRMED, "Confirmed" },
    { TRANSACTION_STATE_TERMINATED, "Terminated" },
    { 0, NULL }
};

static const value_string ack_class_names[] = {
    { ACK_CLASS_UNKNOWN, "unknown" },
    { ACK_CLASS_NON_2XX, "non-2xx" },
    { ACK_CLASS_2XX, "2xx" },
    { 0, NULL }
};

static const enum_val_t language_options[] = {
    { "auto", "Automatic (from the locale)", 0 },
    { "en", "English", 1 },
    { "ru", "Russian", 2 },
    { NULL, NULL, -1 }
};

/* The capture's SIP messages, kept from the first pass for every later one:
 * compact records in fixed-size blocks (stable addresses, nothing copied as the
 * capture grows) and, per frame number, where the frame's first record is.
 * This replaces a p_add_proto_data() entry per frame: later passes (tshark -2,
 * the GUI's random access) find a frame's records by pinfo->num. */
#define RECORD_BLOCK 4096

typedef struct {
    GPtrArray  *blocks;          /* message_record[RECORD_BLOCK] each */
    guint32     count;           /* records in use */
    GArray     *frame_first;     /* guint32 per frame number: 1 + index of its first record, 0: none */
    GArray     *extra_of;        /* record_extra, in record order: which records have which extra */
    GArray     *extras;          /* message_extra, for the few records that need one */
    GArray     *timings;         /* message_timing, for records that need no more than that */
    GPtrArray  *phrases;         /* the capture's distinct reason phrases, interned */
    GHashTable *phrase_numbers;  /* phrase text -> 1 + index in phrases */
} record_store;

static record_store *capture_records;

static void record_store_free(record_store *doomed)
{
    if (!doomed)
        return;
    g_ptr_array_free(doomed->blocks, TRUE);
    g_array_free(doomed->frame_first, TRUE);
    g_array_free(doomed->extra_of, TRUE);
    g_array_free(doomed->extras, TRUE);
    g_array_free(doomed->timings, TRUE);
    g_ptr_array_free(doomed->phrases, TRUE);
    g_hash_table_destroy(doomed->phrase_numbers);
    g_free(doomed);
}

static record_store *current_records(void)
{
    if (!capture_records) {
        capture_records = g_new0(record_store, 1);
        capture_records->blocks = g_ptr_array_new_with_free_func(g_free);
        capture_records->frame_first = g_array_new(FALSE, TRUE, sizeof(guint32));
        capture_records->extra_of = g_array_new(FALSE, FALSE, sizeof(record_extra));
        capture_records->extras = g_array_new(FALSE, TRUE, sizeof(message_extra));
        capture_records->timings = g_array_new(FALSE, TRUE, sizeof(message_timing));
        capture_records->phrases = g_ptr_array_new();
        /* Keys are the interned phrases themselves: they live as long as the engine. */
        capture_records->phrase_numbers = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return capture_records;
}

static message_record *record_at(const record_store *store, guint32 index)
{
    message_record *block = g_ptr_array_index(store->blocks, index / RECORD_BLOCK);
    return &block[index % RECORD_BLOCK];
}

static message_record *record_append(record_store *store)
{
    if (store->count / RECORD_BLOCK >= store->blocks->len)
        g_ptr_array_add(store->blocks, g_new0(message_record, RECORD_BLOCK));
    return record_at(store, store->count++);
}

/* The extra of record `index` (record_extra.extra), 0: none. */
static guint32 extra_of_record(const record_store *store, guint32 index, const message_record *kept)
{
    if (!(kept->flags & RECORD_HAS_EXTRA))
        return 0;
    guint low = 0, high = store->extra_of->len;
    while (low < high) {
        guint middle = low + (high - low) / 2;
        const record_extra *entry = &g_array_index(store->extra_of, record_extra, middle);
        if (entry->record == index)
            return entry->extra;
        if (entry->record < index)
            low = middle + 1;
        else
            high = middle;
    }
    return 0;
}

/* Gives the last record, kept, its extra. */
static void set_extra(record_store *store, message_record *kept, guint32 extra)
{
    record_extra entry = { store->count - 1, extra };
    g_array_append_val(store->extra_of, entry);
    kept->flags |= RECORD_HAS_EXTRA;
}

/* 1 + the index of the frame's first record, 0 if the frame has none (yet). */
static guint32 frame_first_record(const record_store *store, guint32 frame)
{
    if (!store || frame >= store->frame_first->len)
        return 0;
    return g_array_index(store->frame_first, guint32, frame);
}

/* Reason phrases repeat ("OK", "Trying", "Ringing"): a record keeps a 16-bit
 * number of its phrase, 0 when it has none or the table is full (the phrase
 * then goes to the record's message_extra). */
static guint16 phrase_number(record_store *store, engine *matcher, const char *phrase)
{
    if (!phrase)
        return 0;
    guint number = GPOINTER_TO_UINT(g_hash_table_lookup(store->phrase_numbers, phrase));
    if (number)
        return (guint16)number;
    if (store->phrases->len >= G_MAXUINT16 - 1)
        return 0;
    const char *interned = engine_intern(matcher, phrase);
    g_ptr_array_add(store->phrases, (gpointer)interned);
    number = store->phrases->len;
    g_hash_table_insert(store->phrase_numbers, (gpointer)interned, GUINT_TO_POINTER(number));
    return (guint16)number;
}

static const char ack_method[] = "ACK";

/* Rebuilds the message_view a record stands for: on every pass after the
 * first, and on the first when keep_message() checks the record.
 * extra_reference is the record's record_extra.extra (0: none).  The view's
 * texts are the capture's (the engine's copies). */
static void expand_record(const record_store *store, const engine *matcher, const message_record *kept,
                          guint32 extra_reference, message_view *view)
{
    memset(view, 0, sizeof(*view));
    transaction *owner = engine_transaction(matcher, kept->transaction);
    message_result *result = &view->result;
    guint flags = kept->flags;
    result->transaction = owner;
    result->role = kept->role_state & 0x0f;
    result->state = kept->role_state >> 4;
    result->ack_class = kept->ack & 0x03;
    result->ack_evidence = kept->ack >> 2;
    result->opened = (flags & RECORD_OPENED) != 0;
    view->status_code = kept->status_code;
    view->is_request = (flags & RECORD_IS_REQUEST) != 0;
    view->has_cseq_number = (flags & RECORD_HAS_CSEQ_NUMBER) != 0;

    if (extra_reference && !(extra_reference & RECORD_EXTRA_SMALL)) {
        const message_extra *extra = &g_array_index(store->extras, message_extra, extra_reference - 1);
        result->interval_ns = extra->interval_ns;
        result->expected_interval_ns = extra->expected_interval_ns;
        result->findings = extra->findings;
        result->original_frame = extra->original_frame;
        result->retransmission_number = extra->retransmission_number;
        result->ack_invite = extra->ack_invite;
        result->ack_response_frame = extra->ack_response_frame;
        view->method = extra->method;
        view->reason_phrase = extra->reason_phrase;
        view->call_id = extra->call_id;
        view->cseq_method = extra->cseq_method;
        view->branch = extra->branch;
        view->sent_by_host = extra->sent_by_host;
        view->sent_by_port = extra->sent_by_port;
        view->cseq_number = extra->cseq_number;
        view->defects = extra->defects;
        view->has_q850_cause = extra->has_q850_cause;
        view->q850_cause = extra->q850_cause;
        view->has_sip_cause = extra->has_sip_cause;
        view->sip_cause = extra->sip_cause;
        return;
    }

    /* Only what a transaction never changes after creating it is taken from it,
     * so the view is the same on every pass. */
    view->method = (flags & RECORD_METHOD_OWNER) ? owner->method : (flags & RECORD_METHOD_ACK) ? ack_method : NULL;
    view->cseq_method = (flags & RECORD_CSEQ_METHOD_OWNER) ? owner->method
                        : (flags & RECORD_CSEQ_METHOD_ACK) ? ack_method : NULL;
    view->reason_phrase = kept->phrase ? g_ptr_array_index(store->phrases, kept->phrase - 1) : NULL;
    view->call_id = (flags & RECORD_CALL_ID_OWNER) ? owner->call_id : NULL;
    if (flags & RECORD_BRANCH_OWNER)
        view->branch = transaction_branch(owner);
    if (flags & RECORD_SENT_BY_OWNER) {
        view->sent_by_host = owner->sent_by_host;
        view->sent_by_port = owner->sent_by_port;
    }
    if (flags & RECORD_CSEQ_NUMBER_OWNER)
        view->cseq_number = owner->cseq_number;
    if (flags & RECORD_ACK_INVITE_OWNER)
        result->ack_invite = owner;
    else if (flags & RECORD_ACK_INVITE_OF_OWNER)
        result->ack_invite = transaction_links_of(owner)->invite;
    /* A transaction's first final response never changes once it has one. */
    if ((flags & RECORD_ACK_RESPONSE_FIRST) && result->ack_invite && result->ack_invite->finals)
        result->ack_response_frame = result->ack_invite->finals->frame;
    if (extra_reference) {
        const message_timing *timing =
            &g_array_index(store->timings, message_timing, (extra_reference & ~RECORD_EXTRA_SMALL) - 1);
        result->interval_ns = timing->interval_ns;
        result->expected_interval_ns = timing->expected_interval_ns;
        result->findings = timing->findings;
        result->original_frame = timing->original_frame;
        result->retransmission_number = timing->retransmission_number;
        view->has_q850_cause = timing->has_q850_cause;
        view->q850_cause = timing->q850_cause;
        view->has_sip_cause = timing->has_sip_cause;
        view->sip_cause = timing->sip_cause;
    }
}

static gboolean same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Everything the renderer, the narrative and the tap read of a view. */
static gboolean same_view(const message_view *a, const message_view *b)
{
    const message_result *x = &a->result, *y = &b->result;
    return a->is_request == b->is_request && a->status_code == b->status_code &&
           a->has_cseq_number == b->has_cseq_number &&
           x->interval_ns == y->interval_ns && x->expected_interval_ns == y->expected_interval_ns &&
           x->original_frame == y->original_frame && x->retransmission_number == y->retransmission_number &&
           x->ack_invite == y->ack_invite && x->ack_response_frame == y->ack_response_frame &&
           same_text(a->method, b->method) && same_text(a->reason_phrase, b->reason_phrase) &&
           same_text(a->call_id, b->call_id) && same_text(a->cseq_method, b->cseq_method) &&
           same_text(a->branch, b->branch) && same_text(a->sent_by_host, b->sent_by_host) &&
           a->sent_by_port == b->sent_by_port && a->cseq_number == b->cseq_number && a->defects == b->defects &&
           a->has_q850_cause == b->has_q850_cause && a->q850_cause == b->q850_cause &&
           a->has_sip_cause == b->has_sip_cause && a->sip_cause == b->sip_cause;
}

/* The transaction's copy of a text when equal, else an interned one. */
static const char *shared_text(engine *matcher, const char *owned, const char *text)
{
    if (!text)
        return NULL;
    if (owned && strcmp(owned, text) == 0)
        return owned;
    return engine_intern(matcher, text);
}

/* Keeps one message's verdict as a compact record: flags say which parts equal
 * the transaction's; if the record cannot give the message's view back exactly,
 * the message gets a message_extra with its own values. */
static void keep_message(record_store *store, engine *matcher, const extracted_message *message,
                         const message_result *result, gboolean more_in_frame,
                         message_view *view)
{
    const sipmsg *facts = &message->facts;
    const transaction *owner = result->transaction;
    message_view truth = { 0 };
    truth.result = *result;
    truth.method = facts->method;
    truth.reason_phrase = facts->reason_phrase;
    truth.call_id = facts->call_id;
    truth.cseq_method = facts->cseq_method;
    truth.branch = facts->top_via.branch;
    truth.sent_by_host = facts->top_via.host;
    truth.sent_by_port = facts->top_via.port;
    truth.cseq_number = facts->cseq_number;
    truth.defects = facts->defects;
    truth.has_q850_cause = (guint8)message->has_q850_cause;
    truth.q850_cause = message->q850_cause;
    truth.has_sip_cause = (guint8)message->has_sip_cause;
    truth.sip_cause = message->sip_cause;
    truth.is_request = (guint8)facts->is_request;
    truth.status_code = (guint16)MIN(facts->status_code, G_MAXUINT16);
    truth.has_cseq_number = !(facts->defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ));
    /* The first pass renders the message's own view; the record is checked
     * below to give the very same view to later passes. */
    *view = truth;

    message_record *kept = record_append(store);
    kept->transaction = owner->number;
    kept->status_code = truth.status_code;
    kept->phrase = phrase_number(store, matcher, facts->reason_phrase);
    if (kept->phrase)
        truth.reason_phrase = g_ptr_array_index(store->phrases, kept->phrase - 1);
    kept->role_state = (guint8)((result->role & 0x0f) | (result->state << 4));
    kept->ack = (guint8)((result->ack_class & 0x03) | (result->ack_evidence << 2));

    guint flags = 0;
    if (truth.is_request)
        flags |= RECORD_IS_REQUEST;
    if (result->opened)
        flags |= RECORD_OPENED;
    if (more_in_frame)
        flags |= RECORD_MORE_IN_FRAME;
    if (truth.has_cseq_number)
        flags |= RECORD_HAS_CSEQ_NUMBER;
    /* A text equal to the transaction's is from here on the transaction's
     * copy, so that checking the record below compares pointers. */
    if (truth.method && same_text(truth.method, owner->method)) {
        flags |= RECORD_METHOD_OWNER;
        truth.method = owner->method;
    } else if (truth.method && strcmp(truth.method, ack_method) == 0) {
        flags |= RECORD_METHOD_ACK;
        truth.method = ack_method;
    }
    if (truth.cseq_method && same_text(truth.cseq_method, owner->method)) {
        flags |= RECORD_CSEQ_METHOD_OWNER;
        truth.cseq_method = owner->method;
    } else if (truth.cseq_method && strcmp(truth.cseq_method, ack_method) == 0) {
        flags |= RECORD_CSEQ_METHOD_ACK;
        truth.cseq_method = ack_method;
    }
    if (truth.call_id && same_text(truth.call_id, owner->call_id)) {
        flags |= RECORD_CALL_ID_OWNER;
        truth.call_id = owner->call_id;
    }
    if (truth.branch) {
        flags |= RECORD_BRANCH_OWNER;   /* checked below like the rest */
        const char *owned = transaction_branch(owner);
        if (same_text(truth.branch, owned))
            truth.branch = owned;
    }
    if (truth.sent_by_host && same_text(truth.sent_by_host, owner->sent_by_host) &&
        truth.sent_by_port == owner->sent_by_port) {
        flags |= RECORD_SENT_BY_OWNER;
        truth.sent_by_host = owner->sent_by_host;
    }
    if (truth.cseq_number == owner->cseq_number)
        flags |= RECORD_CSEQ_NUMBER_OWNER;
    if (result->ack_invite && result->ack_invite == owner)
        flags |= RECORD_ACK_INVITE_OWNER;
    else if (result->ack_invite && result->ack_invite == transaction_links_of(owner)->invite)
        flags |= RECORD_ACK_INVITE_OF_OWNER;
    if (result->ack_response_frame && result->ack_invite && result->ack_invite->finals &&
        result->ack_invite->finals->frame == result->ack_response_frame)
        flags |= RECORD_ACK_RESPONSE_FIRST;
    kept->flags = (guint16)flags;

    message_view derived;
    expand_record(store, matcher, kept, 0, &derived);
    if (!result->findings && same_view(&derived, &truth))
        return;
    derived.result.interval_ns = result->interval_ns;
    derived.result.expected_interval_ns = result->expected_interval_ns;
    derived.result.original_frame = result->original_frame;
    derived.result.retransmission_number = result->retransmission_number;
    derived.has_q850_cause = truth.has_q850_cause;
    derived.q850_cause = truth.q850_cause;
    derived.has_sip_cause = truth.has_sip_cause;
    derived.sip_cause = truth.sip_cause;
    if (same_view(&derived, &truth)) {
        message_timing timing = {
            .interval_ns = result->interval_ns,
            .expected_interval_ns = result->expected_interval_ns,
            .findings = result->findings,
            .original_frame = result->original_frame,
            .retransmission_number = result->retransmission_number,
            .q850_cause = truth.q850_cause,
            .sip_cause = truth.sip_cause,
            .has_q850_cause = truth.has_q850_cause,
            .has_sip_cause = truth.has_sip_cause,
        };
        g_array_append_val(store->timings, timing);
        set_extra(store, kept, store->timings->len | RECORD_EXTRA_SMALL);
        return;
    }

    message_extra extra = { 0 };
    extra.interval_ns = result->interval_ns;
    extra.expected_interval_ns = result->expected_interval_ns;
    extra.ack_invite = result->ack_invite;
    extra.findings = result->findings;
    extra.original_frame = result->original_frame;
    extra.retransmission_number = result->retransmission_number;
    extra.ack_response_frame = result->ack_response_frame;
    extra.method = shared_text(matcher, owner->method, facts->method);
    extra.reason_phrase = engine_intern(matcher, facts->reason_phrase);
    extra.call_id = shared_text(matcher, owner->call_id, facts->call_id);
    extra.cseq_method = shared_text(matcher, owner->method, facts->cseq_method);
    extra.branch = engine_intern(matcher, facts->top_via.branch);
    extra.sent_by_host = shared_text(matcher, owner->sent_by_host, facts->top_via.host);
    extra.sent_by_port = truth.sent_by_port;
    extra.cseq_number = truth.cseq_number;
    extra.defects = truth.defects;
    extra.has_q850_cause = truth.has_q850_cause;
    extra.q850_cause = truth.q850_cause;
    extra.has_sip_cause = truth.has_sip_cause;
    extra.sip_cause = truth.sip_cause;
    g_array_append_val(store->extras, extra);
    set_extra(store, kept, store->extras->len);
}

static void siptxn_init(void)
{
    engine_free(capture_engine);
    capture_engine = NULL;
    record_store_free(capture_records);
    capture_records = NULL;
    reason_choose_language();
}

static void siptxn_cleanup(void)
{
    engine_free(capture_engine);
    capture_engine = NULL;
    record_store_free(capture_records);
    capture_records = NULL;
}

static engine *current_engine(void)
{
    if (!capture_engine) {
        engine_settings settings;
        engine_settings_default(&settings);
        settings.t1_ms = siptxn_pref_t1_ms;
        settings.t2_ms = siptxn_pref_t2_ms;
        capture_engine = engine_new(&settings);
    }
    return capture_engine;
}

/* First pass: match every SIP message of the frame and keep the verdicts;
 * *views gets each message's view (in pinfo->pool) for this pass's tree.
 * Returns 1 + the index of the frame's first record, 0 if it has no SIP. */
static guint32 analyse_frame(proto_tree *tree, packet_info *pinfo, message_view **views)
{
    engine *matcher = current_engine();
    extracted_message *messages;
    guint count = extract_messages(tree, pinfo, &messages);
    engine_observe_time(matcher,
                        siptxn_time_ns(&pinfo->abs_ts));
    if (count == 0)
        return 0;

    record_store *store = current_records();
    guint32 first = store->count + 1;
    if (pinfo->num >= store->frame_first->len)
        g_array_set_size(store->frame_first, pinfo->num + 1);
    g_array_index(store->frame_first, guint32, pinfo->num) = first;
    *views = wmem_alloc_array(pinfo->pool, message_view, count);
    for (guint i = 0; i < count; i++) {
        message_result result;
        engine_process(matcher, &messages[i].facts, &result);
        keep_message(store, matcher, &messages[i], &result, i + 1 < count, &(*views)[i]);
    }
    return first;
}

static int dissect_siptxn(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    guint32 first = frame_first_record(capture_records, pinfo->num);
    message_view *fresh = NULL;
    if (!first && !PINFO_FD_VISITED(pinfo))
        first = analyse_frame(tree, pinfo, &fresh);
    if (!first)
        return 0;
    for (guint32 index = first - 1;; index++) {
        const message_record *kept = record_at(capture_records, index);
        /* The tap reads the view after dissection, while pinfo->pool still lives. */
        message_view *view;
        if (fresh) {
            view = &fresh[index - (first - 1)];
        } else {
            view = wmem_new(pinfo->pool, message_view);
            expand_record(capture_records, capture_engine, kept, extra_of_record(capture_records, index, kept),
                          view);
        }
        render_message(tree, tvb, pinfo, capture_engine, view);
        tap_queue_packet(siptxn_tap, pinfo, view);
        if (!(kept->flags & RECORD_MORE_IN_FRAME))
            break;
    }
    return tvb_captured_length(tvb);
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
        { &hf_siptxn_kind, { "Transaction kind", "siptxn.kind", FT_UINT8, BASE_DEC, VALS(kind_names), 0x0,
            "INVITE or non-INVITE transaction (RFC 3261 \xC2\xA7" "17), or the transaction of an ACK to a 2xx", HFILL } },
        { &hf_siptxn_key, { "Transaction key", "siptxn.key", FT_STRING, BASE_NONE, NULL, 0x0,
            "What identifies the transaction: top Via branch, sent-by and method (RFC 3261 \xC2\xA7" "17.2.3)", HFILL } },
        { &hf_siptxn_rfc2543, { "RFC 2543 matching", "siptxn.rfc2543", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The top Via has no branch with the z9hG4bK magic cookie, so RFC 2543 rules matched the message", HFILL } },
        { &hf_siptxn_role, { "Role", "siptxn.role", FT_UINT8, BASE_DEC, VALS(role_names), 0x0,
            "The part this message plays in its transaction", HFILL } },
        { &hf_siptxn_state, { "State after this message", "siptxn.state", FT_UINT8, BASE_DEC, VALS(state_names), 0x0,
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
        /* ACK */
        { &hf_siptxn_ack_class, { "ACK class", "siptxn.ack.class", FT_UINT8, BASE_DEC, VALS(ack_class_names), 0x0,
            "non-2xx: part of the INVITE transaction, hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3); "
            "2xx: a transaction of its own, end to end (\xC2\xA7" "13.2.2.4)", HFILL } },
        { &hf_siptxn_ack_evidence, { "Decided by", "siptxn.ack.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What in the capture decided the ACK class", HFILL } },
        { &hf_siptxn_ack_invite_txn, { "Completes INVITE transaction", "siptxn.ack.invite_txn", FT_UINT32,
            BASE_DEC, NULL, 0x0, "The INVITE transaction this ACK completes", HFILL } },
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
        &ett_siptxn, &ett_siptxn_identity, &ett_siptxn_transaction, &ett_siptxn_links,
        &ett_siptxn_timing, &ett_siptxn_ack, &ett_siptxn_reason,
    };

    static ei_register_info ei[] = {
        { &ei_siptxn_no_via, { "siptxn.expert.malformed.no_via", PI_MALFORMED, PI_ERROR,
            "No Via header: the message cannot be matched to a transaction (RFC 3261 \xC2\xA7" "8.1.1.7)", EXPFILL } },
        { &ei_siptxn_no_sent_by, { "siptxn.expert.malformed.no_sent_by", PI_MALFORMED, PI_ERROR,
            "Top Via without a readable sent-by (RFC 3261 \xC2\xA7" "20.42)", EXPFILL } },
        { &ei_siptxn_empty_branch, { "siptxn.expert.malformed.empty_branch", PI_MALFORMED, PI_ERROR,
            "Top Via has an empty branch parameter (RFC 3261 \xC2\xA7" "8.1.1.7)", EXPFILL } },
        { &ei_siptxn_no_cseq, { "siptxn.expert.malformed.no_cseq", PI_MALFORMED, PI_ERROR,
            "No CSeq header (RFC 3261 \xC2\xA7" "8.1.1.5)", EXPFILL } },
        { &ei_siptxn_bad_cseq, { "siptxn.expert.malformed.bad_cseq", PI_MALFORMED, PI_ERROR,
            "CSeq number is not a decimal number below 2**31 (RFC 3261 \xC2\xA7" "8.1.1.5)", EXPFILL } },
        { &ei_siptxn_no_call_id, { "siptxn.expert.malformed.no_call_id", PI_MALFORMED, PI_ERROR,
            "No Call-ID header (RFC 3261 \xC2\xA7" "8.1.1.4)", EXPFILL } },
        { &ei_siptxn_bad_status, { "siptxn.expert.malformed.bad_status", PI_MALFORMED, PI_ERROR,
            "Status code outside 100-699 (RFC 3261 \xC2\xA7" "7.2)", EXPFILL } },
        { &ei_siptxn_no_cseq_method, { "siptxn.expert.malformed.no_cseq_method", PI_MALFORMED, PI_ERROR,
            "CSeq header without a method (RFC 3261 \xC2\xA7" "20.16)", EXPFILL } },
        { &ei_siptxn_response_without_request, { "siptxn.expert.response_without_request", PI_SEQUENCE, PI_NOTE,
            "Response with no request in the capture (RFC 3261 \xC2\xA7" "17.1.3)", EXPFILL } },
        { &ei_siptxn_retransmission, { "siptxn.expert.retransmission", PI_SEQUENCE, PI_CHAT,
            "Retransmission", EXPFILL } },
        { &ei_siptxn_unanswered, { "siptxn.expert.unanswered", PI_SEQUENCE, PI_WARN,
            "No final response within 64*T1 (Timer B/F, RFC 3261 \xC2\xA7" "17.1.1.2, \xC2\xA7" "17.1.2.2)", EXPFILL } },
        { &ei_siptxn_final_retransmitted, { "siptxn.expert.final_retransmitted", PI_SEQUENCE, PI_NOTE,
            "Final response retransmitted: the ACK may have been lost (RFC 3261 \xC2\xA7" "17.2.1)", EXPFILL } },
        { &ei_siptxn_cseq_method_mismatch, { "siptxn.expert.cseq_method_mismatch", PI_PROTOCOL, PI_ERROR,
            "Response CSeq method differs from the request's (RFC 3261 \xC2\xA7" "8.2.6.2)", EXPFILL } },
        { &ei_siptxn_cseq_number_mismatch, { "siptxn.expert.cseq_number_mismatch", PI_PROTOCOL, PI_ERROR,
            "Response CSeq number differs from the request's (RFC 3261 \xC2\xA7" "8.2.6.2)", EXPFILL } },
        { &ei_siptxn_rfc2543, { "siptxn.expert.rfc2543", PI_PROTOCOL, PI_NOTE,
            "Top Via has no z9hG4bK branch: matched with the RFC 2543 rules (RFC 3261 \xC2\xA7" "17.2.3)", EXPFILL } },
        { &ei_siptxn_udp_too_large, { "siptxn.expert.udp_too_large", PI_PROTOCOL, PI_NOTE,
            "Request larger than MTU - 200 bytes sent over UDP: RFC 3261 \xC2\xA7" "18.1.1 says to use a congestion-controlled transport such as TCP", EXPFILL } },
        { &ei_siptxn_retransmission_too_early, { "siptxn.expert.retransmission.too_early", PI_SEQUENCE, PI_WARN,
            "Retransmission earlier than the RFC 3261 timer allows", EXPFILL } },
        { &ei_siptxn_retransmission_not_doubled, { "siptxn.expert.retransmission.not_doubled", PI_SEQUENCE, PI_WARN,
            "Retransmission interval did not double as RFC 3261 requires", EXPFILL } },
        { &ei_siptxn_additional_final, { "siptxn.expert.additional_final", PI_SEQUENCE, PI_NOTE,
            "Another final response with a different To tag: the request was forked (RFC 3261 \xC2\xA7" "13.2.2.4)", EXPFILL } },
        { &ei_siptxn_ack_branch_mismatch, { "siptxn.expert.ack.branch_mismatch", PI_PROTOCOL, PI_ERROR,
            "ACK to a non-2xx response with a branch different from the INVITE's (RFC 3261 \xC2\xA7" "17.1.1.3)", EXPFILL } },
        { &ei_siptxn_ack_2xx_reuses_branch, { "siptxn.expert.ack.2xx_reuses_branch", PI_PROTOCOL, PI_WARN,
            "ACK to a 2xx reuses the INVITE's branch: it is a new transaction and needs a new branch (RFC 3261 \xC2\xA7" "8.1.1.7, \xC2\xA7" "13.2.2.4)", EXPFILL } },
        { &ei_siptxn_ack_cseq_number, { "siptxn.expert.ack.cseq_number", PI_PROTOCOL, PI_ERROR,
            "ACK CSeq number differs from the INVITE's (RFC 3261 \xC2\xA7" "17.1.1.3, \xC2\xA7" "13.2.2.4)", EXPFILL } },
        { &ei_siptxn_ack_cseq_method, { "siptxn.expert.ack.cseq_method", PI_PROTOCOL, PI_ERROR,
            "ACK CSeq method is not ACK (RFC 3261 \xC2\xA7" "17.1.1.3)", EXPFILL } },
        { &ei_siptxn_ack_headers_differ, { "siptxn.expert.ack.headers_differ", PI_PROTOCOL, PI_WARN,
            "ACK Request-URI, Call-ID, From or Route differ from the INVITE's (RFC 3261 \xC2\xA7" "17.1.1.3)", EXPFILL } },
        { &ei_siptxn_ack_to_tag_differs, { "siptxn.expert.ack.to_tag_differs", PI_PROTOCOL, PI_WARN,
            "ACK To tag differs from the To tag of the response it acknowledges (RFC 3261 \xC2\xA7" "17.1.1.3)", EXPFILL } },
        { &ei_siptxn_ack_unprompted, { "siptxn.expert.ack.unprompted_retransmission", PI_SEQUENCE, PI_WARN,
            "ACK re-sent although the final response was not re-sent (RFC 3261 \xC2\xA7" "17.1.1.2, \xC2\xA7" "13.2.2.4)", EXPFILL } },
        { &ei_siptxn_final_unacknowledged, { "siptxn.expert.final_unacknowledged", PI_SEQUENCE, PI_WARN,
            "Final response re-sent but never acknowledged in the capture (Timer G/H, RFC 3261 \xC2\xA7" "17.2.1)", EXPFILL } },
        { &ei_siptxn_ack_late, { "siptxn.expert.ack.late", PI_SEQUENCE, PI_NOTE,
            "ACK more than 64*T1 after the final response: the server transaction may have terminated (Timer H, RFC 3261 \xC2\xA7" "17.2.1)", EXPFILL } },
        { &ei_siptxn_ack_transport_changed, { "siptxn.expert.ack.transport_changed", PI_PROTOCOL, PI_NOTE,
            "ACK sent over another transport than the INVITE: a transport-layer decision, it still belongs to the transaction/dialog it acknowledges (RFC 3261 \xC2\xA7" "18.1.1)", EXPFILL } },
        { &ei_siptxn_ack_without_invite, { "siptxn.expert.ack.without_invite", PI_SEQUENCE, PI_NOTE,
            "ACK with no INVITE in the capture", EXPFILL } },
        { &ei_siptxn_nonstandard_phrase, { "siptxn.expert.reason.nonstandard", PI_RESPONSE_CODE, PI_CHAT,
            "Non-standard reason phrase", EXPFILL } },
    };

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
    register_init_routine(siptxn_init);
    register_cleanup_routine(siptxn_cleanup);
    siptxn_handle = register_dissector("siptxn", dissect_siptxn, proto_siptxn);
}

void proto_reg_handoff_siptxn(void)
{
    register_postdissector(siptxn_handle);
    extract_want_fields(siptxn_handle);
}
