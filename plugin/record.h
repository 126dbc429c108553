/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record.h: what siptxn keeps per frame after the first pass, and renders on every pass. */
#ifndef SIPTXN_RECORD_H
#define SIPTXN_RECORD_H

#include <glib.h>

#include "transaction.h"

/* One SIP message's verdict plus the identity shown in its tree.  Strings are
 * interned by the capture's engine and live as long as the capture; where they
 * equal the transaction's own, they are the transaction's pointers. */
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
} message_record;

/* A frame's SIP messages, in message order. */
typedef struct {
    guint count;
    message_record *messages;
} frame_record;

#endif /* SIPTXN_RECORD_H */
