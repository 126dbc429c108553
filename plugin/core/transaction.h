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
#include "sipmsg.h"

/* What kind of state machine a transaction follows (RFC 3261 §17.1.1, §17.1.2).
 * An ACK to a 2xx is a transaction of its own without responses (§17.1.1.3). */
typedef enum {
    TRANSACTION_KIND_INVITE = 1,
    TRANSACTION_KIND_NON_INVITE = 2,
    TRANSACTION_KIND_ACK = 3,
} transaction_kind;

/* Client/server transaction states of RFC 3261 §17, as far as the wire shows them. */
typedef enum {
    TRANSACTION_STATE_NONE = 0,
    TRANSACTION_STATE_CALLING = 1,
    TRANSACTION_STATE_TRYING = 2,
    TRANSACTION_STATE_PROCEEDING = 3,
    TRANSACTION_STATE_COMPLETED = 4,
    TRANSACTION_STATE_CONFIRMED = 5,
    TRANSACTION_STATE_TERMINATED = 6,
} transaction_state;

/* The part a message plays in its transaction. */
typedef enum {
    MESSAGE_ROLE_REQUEST = 1,
    MESSAGE_ROLE_REQUEST_RETRANSMISSION = 2,
    MESSAGE_ROLE_PROVISIONAL = 3,
    MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION = 4,
    MESSAGE_ROLE_FINAL = 5,
    MESSAGE_ROLE_FINAL_RETRANSMISSION = 6,
    MESSAGE_ROLE_ACK = 7,
    MESSAGE_ROLE_ACK_RETRANSMISSION = 8,
    MESSAGE_ROLE_CANCEL = 9,
    MESSAGE_ROLE_CANCEL_RETRANSMISSION = 10,
} message_role;

/* Which of the two ACKs of RFC 3261 an ACK is (§17.1.1.3 vs §13.2.2.4). */
typedef enum {
    ACK_CLASS_UNKNOWN = 0,
    ACK_CLASS_NON_2XX = 1,  /* part of the INVITE transaction, hop by hop */
    ACK_CLASS_2XX = 2,      /* a transaction of its own, end to end */
} ack_class;

/* What decided an ACK's class. */
typedef enum {
    ACK_EVIDENCE_NONE = 0,
    ACK_EVIDENCE_FINAL_RESPONSE,      /* the acknowledged final response is in the capture */
    ACK_EVIDENCE_BRANCH_ONLY,         /* same branch + sent-by as a seen INVITE, its final response is not */
    ACK_EVIDENCE_NO_INVITE,           /* nothing in the capture matches the ACK */
    ACK_EVIDENCE_NO_FINAL_NEW_BRANCH, /* a matching INVITE without a final response, and a new branch */
} ack_evidence;

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
    const char *branch;               /* RFC 2543 transactions: top Via branch of the first message */
    const char *from_tag;
    const char *request_uri;
    const char *from_uri;
    const char *route_set;
    const char *client;               /* network endpoint of the client side */
    const char *server;               /* network endpoint of the server side */
    const char *request_to_tag;       /* To tag of the request (RFC 2543 matching), a copy */
    struct transaction *next_in_dialog; /* next INVITE transaction with the same Call-ID, CSeq and From tag */
} transaction_hop;

/* A transaction is identified by its key: the top Via branch, sent-by and
 * method (RFC 3261 §17.2.3), or the RFC 2543 recipe (Request-URI, tags,
 * Call-ID, CSeq, top Via) when the branch lacks the magic cookie.  It records
 * the frames of its messages so the renderer can link them.  A capture holds
 * one per transaction, so the fields are as narrow as their values allow. */
typedef struct transaction {
    guint32          number;          /* 1..N in order of first appearance */
    guint8           kind : 2;        /* transaction_kind */
    guint8           rfc2543 : 1;
    guint8           keyed : 2;       /* transaction_keyed: which key the transaction has */
    guint8           state : 3;       /* transaction_state: current state */
    guint8           transport;       /* sipmsg_transport of the first request */
    guint16          key_port;        /* sent-by port of the key: as written or the transport's default */
    const char      *key;             /* RFC 3261: the top Via branch of the first message, which
                                       * with sent-by and method is the key; else a text saying
                                       * which key it has.  The printable key: transaction_key_text */
    const char      *method;          /* INVITE, REGISTER, ..., ACK (interned) */
    const char      *call_id;         /* interned */
    const char      *sent_by_host;    /* top Via sent-by host as written, interned */
    transaction_hop *hop;             /* INVITE and RFC 2543 transactions only, else NULL */
    guint32          cseq_number;
    guint16          sent_by_port;    /* top Via sent-by port as written (0: none) */
    guint16          provisional_code;/* last provisional (< 200): for retransmission detection */

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
    struct transaction *invite;         /* ACK transaction: the INVITE transaction it completes */
    final_response     *acknowledges;   /* ACK transaction: the 2xx it acknowledges */
} transaction_links;

/* A transaction's links; all NULL for one without. */
static inline const transaction_links *transaction_links_of(const transaction *transaction)
{
    static const transaction_links none;
    return transaction->links ? transaction->links : &none;
}

/* Which key identifies a transaction. */
typedef enum {
    TRANSACTION_KEYED_NONE = 0,       /* no Via, CSeq or Call-ID to match on */
    TRANSACTION_KEYED_3261 = 1,       /* branch, sent-by, method */
    TRANSACTION_KEYED_2543 = 2,       /* Call-ID, CSeq, method, From tag, sent-by */
} transaction_keyed;

/* The engine's verdict on one message: what the renderer shows. */
typedef struct {
    transaction *transaction;
    guint8   role;              /* message_role */
    guint8   state;             /* transaction_state after this message */
    guint8   ack_class;         /* ack_class, for ACKs */
    guint8   ack_evidence;      /* ack_evidence, for ACKs */
    guint8   opened;            /* this message opened its transaction */
    guint32  findings;          /* message_finding bits */
    guint32  original_frame;    /* retransmission: the first copy */
    guint32  retransmission_number; /* 1 for the first re-sent copy, ... */
    gint64   interval_ns;       /* retransmission: time since the previous copy */
    gint64   expected_interval_ns; /* ... and what the RFC timer says */
    transaction *ack_invite;    /* ACK: the INVITE transaction it completes */
    guint32  ack_response_frame;/* ACK: the final response it acknowledges */
} message_result;

/* Tunables: RFC 3261 timer values and the UDP size limit. */
typedef struct {
    guint t1_ms;               /* Timer T1, default 500 ms (§17.1.1.1) */
    guint t2_ms;               /* Timer T2, default 4 s (§17.1.2.2) */
    guint udp_size_limit;      /* MTU - 200, default 1300 bytes (§18.1.1) */
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
gint64 engine_last_time(const engine *engine);
guint32 engine_transaction_count(const engine *engine);
/* Transaction number 1..engine_transaction_count(), NULL outside. */
transaction *engine_transaction(const engine *engine, guint32 number);
const engine_settings *engine_get_settings(const engine *engine);

/* Whole-capture verdicts, meaningful once every frame has been processed. */
/* §17.1.1.2 Timer B / §17.1.2.2 Timer F: no final response within 64*T1 although the capture goes on. */
gboolean transaction_unanswered(const engine *engine, const transaction *transaction);
/* §17.2.1 Timer G/H, §13.3.1.4: a final response re-sent but not acknowledged
 * although the capture goes on past 64*T1 after it. */
gboolean final_response_unacknowledged(const engine *engine, const transaction *transaction,
                                       const final_response *final);

/* The printable key ("branch=... sent-by=host:port method=..."), built in text. */
const char *transaction_key_text(const transaction *transaction, GString *text);

/* The top Via branch of the transaction's first message.  NULL when the
 * transaction does not keep it (no Via, CSeq or Call-ID to match on). */
const char *transaction_branch(const transaction *transaction);

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

const char *transaction_kind_name(transaction_kind kind);
const char *transaction_state_name(transaction_state state);
const char *message_role_name(message_role role);
const char *ack_class_name(ack_class class_);

#endif /* SIPTXN_TRANSACTION_H */
