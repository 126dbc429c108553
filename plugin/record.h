/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record.h: what siptxn keeps per SIP message after the first pass, and what it
 * renders on every pass. */
#ifndef SIPTXN_RECORD_H
#define SIPTXN_RECORD_H

#include <glib.h>

#include "transaction.h"

/* One SIP message's verdict plus the identity shown in its tree, as the
 * renderer, the narrative and the statistics tap read it.  It is rebuilt from
 * the compact message_record on every pass and lives in pinfo->pool only.
 * Strings are interned by the capture's engine. */
typedef struct {
    message_result result;
    const char *method;          /* request method, NULL for a response */
    const char *reason_phrase;   /* response reason phrase */
    const char *call_id;
    const char *cseq_method;
    const char *branch;          /* top Via branch */
    const char *sent_by_host;    /* top Via sent-by host as written */
    guint32 cseq_number;
    guint32 defects;             /* sipmsg_defect bits */
    guint32 q850_cause;          /* Reason: Q.850;cause= (RFC 3326) */
    guint32 sip_cause;           /* Reason: SIP;cause= */
    guint16 status_code;
    guint16 sent_by_port;        /* top Via sent-by port as written (0: none) */
    guint8  is_request;
    guint8  has_q850_cause;
    guint8  has_sip_cause;
    guint8  has_cseq_number;
} message_view;

/* message_record.flags */
enum {
    RECORD_IS_REQUEST         = 1u << 0,
    RECORD_OPENED             = 1u << 1,  /* the message opened its transaction */
    RECORD_MORE_IN_FRAME      = 1u << 2,  /* the next record is the same frame's next message */
    RECORD_HAS_CSEQ_NUMBER    = 1u << 3,
    RECORD_METHOD_OWNER       = 1u << 4,  /* method is the transaction's method */
    RECORD_METHOD_ACK         = 1u << 5,  /* method is "ACK" (an ACK in an INVITE transaction) */
    RECORD_CSEQ_METHOD_OWNER  = 1u << 6,
    RECORD_CSEQ_METHOD_ACK    = 1u << 7,
    RECORD_CALL_ID_OWNER      = 1u << 8,
    RECORD_BRANCH_OWNER       = 1u << 9,
    RECORD_SENT_BY_OWNER      = 1u << 10, /* host and port are the transaction's */
    RECORD_CSEQ_NUMBER_OWNER  = 1u << 11,
    RECORD_ACK_INVITE_OWNER   = 1u << 12, /* ack_invite is the transaction itself (non-2xx ACK) */
    RECORD_ACK_INVITE_OF_OWNER= 1u << 13, /* ack_invite is the ACK transaction's INVITE */
    RECORD_ACK_RESPONSE_FIRST = 1u << 14, /* ack_response_frame is ack_invite's first final response */
    RECORD_HAS_EXTRA          = 1u << 15, /* the record has a message_timing or message_extra */
};

/* What the first pass keeps per SIP message: 12 bytes, no pointers.  What is
 * the same for most messages is not stored but taken from the transaction when
 * rendering (flags say which); the rest, rare (findings, retransmissions,
 * Reason causes, odd identities, defects), goes to a message_timing or a
 * message_extra, which the record store finds by the record's index
 * (RECORD_HAS_EXTRA). */
typedef struct {
    guint32 transaction;           /* its number: engine_transaction() */
    guint16 status_code;
    guint16 phrase;                /* 1 + index in the capture's phrase table, 0: none */
    guint16 flags;                 /* RECORD_* */
    guint8  role_state;            /* message_role | transaction_state << 4 */
    guint8  ack;                   /* ack_class | ack_evidence << 2 */
} message_record;

G_STATIC_ASSERT(sizeof(message_record) == 12);

/* Which extra a record with RECORD_HAS_EXTRA has: the record store keeps these
 * in record order. */
typedef struct {
    guint32 record;                /* index of the record */
    guint32 extra;                 /* 1 + index of its message_extra or (with RECORD_EXTRA_SMALL)
                                    * of its message_timing */
} record_extra;

#define RECORD_EXTRA_SMALL 0x80000000u

/* What most messages with an extra need: findings, a retransmission's
 * original, number and intervals, a response's Reason causes.  The rest of the
 * view comes from the record. */
typedef struct {
    gint64 interval_ns;
    gint64 expected_interval_ns;
    guint32 findings;              /* message_finding bits */
    guint32 original_frame;
    guint32 retransmission_number;
    guint32 q850_cause;
    guint32 sip_cause;
    guint8  has_q850_cause;
    guint8  has_sip_cause;
} message_timing;

/* The part of a message_view a message_record cannot give: when a record has
 * one, every field here is the message's own and the record's flags for them
 * are ignored. */
typedef struct {
    gint64 interval_ns;
    gint64 expected_interval_ns;
    transaction *ack_invite;
    guint32 findings;              /* message_finding bits */
    guint32 original_frame;
    guint32 retransmission_number;
    const char *method;
    const char *reason_phrase;
    const char *call_id;
    const char *cseq_method;
    const char *branch;
    const char *sent_by_host;
    guint32 ack_response_frame;
    guint32 cseq_number;
    guint32 defects;
    guint32 q850_cause;
    guint32 sip_cause;
    guint16 sent_by_port;
    guint8  has_q850_cause;
    guint8  has_sip_cause;
} message_extra;

#endif /* SIPTXN_RECORD_H */
