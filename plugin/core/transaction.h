/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transaction.h: RFC 3261 §17 transaction matching as seen from the wire.
 *
 * The engine is fed every SIP message of a capture in frame order
 * (engine_process) and says, for each, which transaction it belongs to, what
 * role it plays there and what the transaction's state is afterwards.  It is
 * plain C + GLib: the Wireshark shell owns one engine per capture file and
 * renders the results; unit tests and fuzzers drive it directly.
 */
#ifndef SIPTXN_TRANSACTION_H
#define SIPTXN_TRANSACTION_H

#include <glib.h>
#include "key.h"
#include "names.h"
#include "sipmsg.h"

typedef enum { siptxn_kind_names_VALUE_STRING_LIST(SIPTXN_ENUM_MEMBER) } transaction_kind;
typedef enum {
    TRANSACTION_STATE_NONE = 0,    /* an ACK's own transaction: no state machine (§17.1.1.3) */
    siptxn_state_names_VALUE_STRING_LIST(SIPTXN_ENUM_MEMBER)
} transaction_state;
typedef enum { siptxn_role_names_VALUE_STRING_LIST(SIPTXN_ENUM_MEMBER) } message_role;
typedef enum { siptxn_ack_class_names_VALUE_STRING_LIST(SIPTXN_ENUM_MEMBER) } ack_class;

/* What decided an ACK's class. */
typedef enum {
    ACK_EVIDENCE_NONE = 0,
    ACK_EVIDENCE_FINAL_RESPONSE,      /* the acknowledged final response is in the capture */
    ACK_EVIDENCE_BRANCH_ONLY,         /* same branch + sent-by as a seen INVITE, its final response is not */
    ACK_EVIDENCE_NO_INVITE,           /* nothing in the capture matches the ACK */
    ACK_EVIDENCE_NO_FINAL_NEW_BRANCH, /* a matching INVITE without a final response, and a new branch:
                                       * the 2xx ACK when both branches are RFC 3261's (§17.1.1.3) */
} ack_evidence;

/* Why a message is a duplicate (MESSAGE_ROLE_DUPLICATE) and not a SIP retransmission. */
typedef enum {
    DUPLICATE_NONE = 0,
    DUPLICATE_SAME_PACKET,        /* same IP identification and bytes, moments later: captured twice */
    DUPLICATE_SECOND_CAPTURE_POINT, /* ... with another TTL: seen again one hop further */
    DUPLICATE_TCP_RESEND,         /* TCP re-sent the segment (its analysis says so), same bytes */
} duplicate_reason;

/* Findings on one message: each becomes an expert info citing the RFC. */
typedef enum {
    FINDING_RESPONSE_WITHOUT_REQUEST  = 1u << 0,  /* §17.1.3: no client transaction for it in the capture */
    FINDING_CSEQ_METHOD_MISMATCH      = 1u << 1,  /* §8.2.6.2: response CSeq method differs from the request's */
    FINDING_RFC2543_MATCHING          = 1u << 2,  /* §17.2.3: no magic cookie, RFC 2543 rules used */
    FINDING_RETRANSMISSION_TOO_EARLY  = 1u << 3,  /* §17.1.1.2/§17.1.2.2/§17.2.1 timers */
    FINDING_RETRANSMISSION_NOT_DOUBLED= 1u << 4,  /* the interval did not double */
    FINDING_UDP_TOO_LARGE             = 1u << 5,  /* §18.1.1: request > MTU-200 over UDP */
    FINDING_ACK_BRANCH_MISMATCH       = 1u << 6,  /* §17.1.1.3: ACK to non-2xx with another branch */
    FINDING_ACK_2XX_REUSES_BRANCH     = 1u << 7,  /* §8.1.1.7, §13.2.2.4: ACK to 2xx with the INVITE's branch */
    FINDING_ACK_CSEQ_NUMBER           = 1u << 8,  /* §17.1.1.3, §13.2.2.4: CSeq number differs from the INVITE's */
    FINDING_ACK_CSEQ_METHOD           = 1u << 9,  /* §17.1.1.3: CSeq method is not ACK */
    FINDING_ACK_HEADERS_DIFFER        = 1u << 10, /* §17.1.1.3: R-URI, Call-ID, From, Route differ */
    FINDING_ACK_TO_TAG_DIFFERS        = 1u << 11, /* §17.1.1.3: To tag differs from the response's */
    FINDING_ACK_UNPROMPTED_RETRANSMISSION = 1u << 12, /* §17.1.1.2, §13.2.2.4: re-sent with no re-sent final response */
    FINDING_ACK_LATE                  = 1u << 13, /* §17.2.1 Timer H, §13.3.1.4: after 64*T1 */
    FINDING_ACK_TRANSPORT_CHANGED     = 1u << 14, /* §18.1.1: another transport than the INVITE */
    FINDING_ACK_WITHOUT_INVITE        = 1u << 15, /* no INVITE for this ACK in the capture */
    FINDING_CSEQ_NUMBER_MISMATCH      = 1u << 16, /* §8.2.6.2: response CSeq number differs from the request's */
    FINDING_UNMATCHABLE               = 1u << 17, /* no Via/CSeq/Call-ID to match on: a transaction of its own */
    FINDING_ADDITIONAL_FINAL          = 1u << 18, /* another final response with a different To tag (forking) */
    FINDING_FINAL_LATE                = 1u << 21, /* §17.1.1.2 Timer B, §17.1.2.2 Timer F: the first final response
                                                   * comes when the client transaction has already given up;
                                                   * RFC 6026 §8.4 Timer M: a forked 2xx after Accepted ended */
    FINDING_PRACK_UNMATCHED           = 1u << 22, /* RFC 3262 §3, §7.2: the RAck names no reliable provisional
                                                   * response in the capture */
    FINDING_RETRANSMISSION_DIFFERS    = 1u << 23, /* §17.1.1.2, §17.1.2.2, RFC 3262 §3: a re-sent copy is not
                                                   * byte for byte the original */
    /* Verdicts on the whole capture (engine_capture_findings), known once every frame was seen: */
    FINDING_UNANSWERED                = 1u << 19, /* §17.1.1.2 Timer B, §17.1.2.2 Timer F: no final response in 64*T1 */
    FINDING_FINAL_UNACKNOWLEDGED      = 1u << 20, /* §17.2.1 Timer G/H: a re-sent final response never acknowledged */
} message_finding;

/* One final response a transaction received; a forked INVITE may receive
 * several 2xx with different To tags (RFC 3261 §13.2.2.4). */
typedef struct final_copies {
    gint64      last_time_ns;        /* last copy, for Timer G intervals */
    gint64      last_interval_ns;    /* interval before the last copy */
    guint32     retransmissions;
    guint32     retransmissions_since_ack; /* re-sent copies not yet answered by an ACK */
} final_copies;

typedef struct final_response {
    struct final_response *next;
    const char *to_tag;              /* a copy: tags compare as text (same_tag) */
    final_copies *copies;            /* re-sent copies, NULL until one is seen: final_copies_of */
    gint64      time_ns;
    guint32     status_code;
    guint32     frame;
    guint32     ack_frame;           /* the first ACK acknowledging it */
    guint32     ack_transaction;     /* for a 2xx: the number of the ACK's own transaction, 0: none */
} final_response;

/* A final response's retransmission counts; all 0 for one never re-sent. */
static inline const final_copies *final_copies_of(const final_response *final)
{
    static const final_copies none;
    return final->copies ? final->copies : &none;
}

/* What only INVITE transactions (ACK checks, hop matching, the dialog index)
 * and RFC 2543 transactions (matching) need: the other transactions, most of a
 * capture, go without.  Strings are interned, except the To tag. */
typedef struct transaction_hop {
    const char *from_tag;
    const char *request_uri;
    const char *from_uri;
    const char *route_set;
    const char *client;               /* network endpoint of the client side */
    const char *server;               /* network endpoint of the server side */
    const char *request_to_tag;       /* To tag of the request (RFC 2543 matching), a copy */
    struct transaction *next_in_dialog; /* next INVITE transaction with the same Call-ID, CSeq and From tag */
} transaction_hop;

/* A transaction is identified by its key (key.h): the top Via branch, sent-by
 * and method (RFC 3261 §17.2.3), or the RFC 2543 recipe (Call-ID, CSeq, From
 * tag, top Via; Request-URI and To tag checked apart) when the branch lacks
 * the magic cookie.  The transaction keeps the key's parts among its own
 * fields (transaction_key_get() gives the key back as a value) and records
 * the frames of its messages so the renderer can link them. */
typedef struct transaction {
    guint32          number;          /* 1..N in order of first appearance */
    guint8           kind;            /* transaction_kind */
    guint8           key_rule;        /* transaction_key_rule: how it was matched */
    guint8           state;           /* transaction_state: current state */
    guint8           transport;       /* sipmsg_transport of the message that opened it */
    guint16          key_port;        /* sent-by port of the key: as written or the transport's default */
    guint16          sent_by_port;    /* top Via sent-by port as written (0: none) */
    guint32          request_digest;  /* low bits of the request's digest: re-sent copies must equal it */
    const char      *branch;          /* top Via branch of the message that opened it (a copy) */
    const char      *method;          /* INVITE, REGISTER, ..., ACK (interned) */
    const char      *call_id;         /* interned */
    const char      *sent_by_host;    /* top Via sent-by host as written, interned */
    transaction_hop *hop;             /* INVITE and RFC 2543 transactions only, else NULL */
    guint32          cseq_number;
    guint16          provisional_code;/* last provisional (< 200): for retransmission detection */
    guint8           answered;        /* a response other than 100 was seen (RFC 6076 §4.2) */
    guint8           hop_transport;   /* sipmsg_transport its top Via names (sipmsg_hop_transport) */

    guint32  request_frame;           /* first request (0: not in the capture) */
    guint32  ack_frame;               /* INVITE: first ACK (non-2xx, or first 2xx ACK) */
    gint64   request_time_ns;
    guint32  provisional_frame;       /* first provisional response */
    guint32  last_provisional_frame;  /* first copy of the last distinct provisional */
    gint64   provisional_time_ns;
    const char *provisional_to_tag;   /* a copy, shared with the final response's when equal */
    final_response *finals;           /* first final response first */

    struct transaction_links *links;  /* links to other transactions, NULL when it has none:
                                       * read with transaction_links_of */
    struct transaction_copies *copies;/* re-sent copies, NULL until one is seen:
                                       * read with transaction_copies_of */
} transaction;

/* The hop part of a transaction, all NULL for transactions without one. */
static inline const transaction_hop *transaction_hop_of(const transaction *transaction)
{
    static const transaction_hop none;
    return transaction->hop ? transaction->hop : &none;
}

/* The transaction's key, as a value that points to the transaction's texts. */
transaction_key transaction_key_get(const transaction *transaction);

/* Matched with the RFC 2543 rules: its top Via has no magic cookie. */
static inline gboolean transaction_is_rfc2543(const transaction *transaction)
{
    return transaction->key_rule == TRANSACTION_KEY_RFC2543;
}

/* What re-sent copies of a transaction's messages left; only the few
 * transactions with retransmissions or re-sent ACKs have it. */
typedef struct transaction_copies {
    gint64  last_request_time_ns;     /* last copy of the request */
    gint64  last_request_interval_ns; /* interval before the last copy */
    guint32 request_retransmissions;
    guint32 provisional_retransmissions; /* re-sent copies of the last distinct provisional */
    guint32 ack_retransmissions;      /* ACK transaction or non-2xx ACK copies */
} transaction_copies;

/* A transaction's retransmission counts; all 0 for one without copies. */
static inline const transaction_copies *transaction_copies_of(const transaction *transaction)
{
    static const transaction_copies none;
    return transaction->copies ? transaction->copies : &none;
}

/* How a transaction relates to others.  Only CANCEL, 2xx ACK, cancelled and
 * proxied transactions have such links, so they live apart from the rest. */
typedef struct transaction_links {
    struct transaction *cancels;        /* CANCEL transaction: the INVITE transaction it cancels */
    struct transaction *cancelled_by;   /* INVITE transaction: its CANCEL transaction */
    struct transaction *forwarded_from; /* upstream transaction of a stateful proxy */
    struct transaction *forwarded_to;   /* first downstream transaction */
    struct transaction *invite;         /* ACK transaction: the INVITE transaction whose 2xx it acknowledges */
    final_response     *acknowledges;   /* ACK transaction: the 2xx it acknowledges */
} transaction_links;

/* A transaction's links; all NULL for one without. */
static inline const transaction_links *transaction_links_of(const transaction *transaction)
{
    static const transaction_links none;
    return transaction->links ? transaction->links : &none;
}

/* The parts of a verdict most messages do not have: all 0 for a message
 * without findings that is not a retransmission, not an ACK and has no
 * Reason causes. */
typedef struct {
    guint32 findings;              /* message_finding bits */
    guint32 original_frame;        /* retransmission or duplicate: the first copy */
    guint32 retransmission_number; /* 1 for the first re-sent copy, ... */
    guint32 rseq;                  /* reliable provisional response: its RSeq (RFC 3262 §7.1);
                                    * PRACK: the RSeq its RAck names (§7.2) */
    gint64  interval_ns;           /* retransmission: time since the previous copy */
    gint64  expected_interval_ns;  /* ... and what the RFC timer says */
    transaction *ack_invite;       /* ACK: the INVITE transaction it acknowledges */
    guint32 ack_response_frame;    /* ACK: the final response it acknowledges */
    guint8  ack_class;             /* ACK: ack_class */
    guint8  ack_evidence;          /* ACK: ack_evidence */
    guint8  duplicate;             /* duplicate: duplicate_reason */
    guint8  ttl_before;            /* duplicate at a second capture point: the first copy's TTL */
    sipmsg_reason reason;          /* response: its Reason header's causes (RFC 3326), as sent */
    guint32 prack_response_frame;  /* PRACK: the reliable provisional response its RAck names */
} message_details;

/* The engine's verdict on one message. */
typedef struct {
    transaction *transaction;
    guint8   role;              /* message_role */
    guint8   state;             /* transaction_state after this message */
    guint8   opened;            /* this message opened its transaction */
    guint8   first_answer;      /* the transaction's first response other than 100 (RFC 6076 §4.2) */
    message_details details;
} message_result;

/* Tunables: RFC 3261 timer values, the UDP size limit, the state model and
 * duplicate detection. */
typedef struct {
    guint t1_ms;               /* Timer T1, default 500 ms (§17.1.1.1) */
    guint t2_ms;               /* Timer T2, default 4 s (§17.1.2.2) */
    guint udp_size_limit;      /* MTU - 200, default 1300 bytes (§18.1.1) */
    gboolean rfc3261_states;   /* 2xx terminates the INVITE transaction (RFC 3261 §17.1.1.2) instead
                                * of moving it to Accepted (RFC 6026 §7.1, §7.2, the default) */
    gboolean detect_duplicates;/* the same packet seen twice is a duplicate, not a retransmission */
} engine_settings;

typedef struct engine engine;

void engine_settings_default(engine_settings *settings);
engine *engine_new(const engine_settings *settings);
void engine_free(engine *engine);

/* Matches one message; messages must come in capture order. */
void engine_process(engine *engine, const sipmsg *message, message_result *result);

/* A copy of text that lives as long as the engine; equal texts share one copy. */
const char *engine_intern(engine *engine, const char *text);

/* Any frame (SIP or not) tells the engine how far the capture goes. */
void engine_observe_time(engine *engine, gint64 time_ns);
guint32 engine_transaction_count(const engine *engine);
/* Transaction number 1..engine_transaction_count(), NULL outside. */
transaction *engine_transaction(const engine *engine, guint32 number);

/* Timers B, F and H (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1): 64*T1. */
gint64 engine_transaction_timeout_ns(const engine *engine);

/* Whether time_ns lies more than span_ns after start_ns, for any times (a
 * broken clock's too) without overflowing. */
static inline gboolean time_later_than(gint64 time_ns, gint64 start_ns, gint64 span_ns)
{
    return time_ns > start_ns && (guint64)time_ns - (guint64)start_ns > (guint64)span_ns;
}

/* Timers L and M (RFC 6026 §8.4, §8.7): 64*T1 after the first 2xx, an
 * Accepted INVITE transaction is Terminated. */
void engine_advance_timers(const engine *engine, transaction *transaction, gint64 time_ns);

/* A reliable provisional response (RFC 3262) of an INVITE transaction, and
 * the PRACK that acknowledged it. */
typedef struct reliable_provisional {
    struct reliable_provisional *next;
    const char *to_tag;          /* the engine's copy */
    gint64  time_ns;             /* first copy */
    gint64  last_time_ns;        /* last copy, for the re-send intervals */
    gint64  last_interval_ns;
    guint32 rseq;
    guint32 frame;               /* first copy */
    guint32 digest;              /* low bits of the first copy's digest */
    guint32 retransmissions;
    guint32 prack_frame;         /* first PRACK naming it, 0: none (yet) */
    guint32 prack_transaction;   /* that PRACK's transaction */
    guint16 status_code;
} reliable_provisional;

/* The reliable provisional response first seen in this frame, NULL if none. */
const reliable_provisional *engine_reliable_provisional(const engine *engine, const transaction *transaction,
                                                        guint32 frame);

/* Verdicts on a message that need the whole capture: FINDING_UNANSWERED on
 * the request or CANCEL of a transaction with no final response within 64*T1
 * although the capture goes on (or whose first final response came later); FINDING_FINAL_UNACKNOWLEDGED on a final
 * response (in frame) that was re-sent but not acknowledged although the
 * capture goes on past 64*T1 after it.  Meaningful once every frame was seen. */
guint32 engine_capture_findings(const engine *engine, const transaction *transaction, message_role role,
                                guint32 frame);

/* The top Via branch of the transaction's first message (NULL: none). */
static inline const char *transaction_branch(const transaction *transaction)
{
    return transaction->branch;
}

/* The final response a message sees as "the" final: the first one. */
static inline const final_response *transaction_first_final(const transaction *transaction)
{
    return transaction->finals;
}

/* A re-sent copy of an earlier message of the same transaction. */
static inline gboolean message_role_is_retransmission(message_role role)
{
    return role == MESSAGE_ROLE_REQUEST_RETRANSMISSION || role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION ||
           role == MESSAGE_ROLE_FINAL_RETRANSMISSION || role == MESSAGE_ROLE_ACK_RETRANSMISSION ||
           role == MESSAGE_ROLE_CANCEL_RETRANSMISSION;
}

/* An ACK, first copy or re-sent. */
static inline gboolean message_role_is_ack(message_role role)
{
    return role == MESSAGE_ROLE_ACK || role == MESSAGE_ROLE_ACK_RETRANSMISSION;
}

/* The names of names.h. */
const char *transaction_kind_name(transaction_kind kind);
const char *transaction_state_name(transaction_state state);
const char *message_role_name(message_role role);
const char *ack_class_name(ack_class class_);

#endif /* SIPTXN_TRANSACTION_H */
