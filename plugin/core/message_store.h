/* SPDX-License-Identifier: GPL-2.0-or-later */
/* message_store.h: what siptxn keeps of each SIP message after the first pass.
 *
 * The first pass matches every message (engine_process) and keeps the verdict
 * with the message's identity here, one stored_message per message; the tree,
 * the columns and the statistics of every pass, the first included, are made
 * from the stored message only.  Plain C + GLib: unit-tested directly.
 *
 * One saving is kept: a message whose identity equals its transaction's (most
 * of them) shares the transaction's, and the rarer parts of a verdict
 * (message_details: findings, retransmission, ACK target, Reason causes) are
 * kept only by the messages that have them.
 */
#ifndef SIPTXN_MESSAGE_STORE_H
#define SIPTXN_MESSAGE_STORE_H

#include <glib.h>

#include "sipmsg.h"
#include "transaction.h"

/* What identifies a message, as its tree shows it: the start line's method,
 * Call-ID, CSeq and the topmost Via (RFC 3261 §8.1.1, §17.2.3). */
typedef struct {
    const char *method;          /* request method; NULL for a response */
    const char *call_id;
    const char *cseq_method;
    const char *branch;          /* top Via branch */
    const char *sent_by_host;    /* top Via sent-by host as written */
    guint32     cseq_number;
    guint32     defects;         /* sipmsg_defect bits; NO_CSEQ/BAD_CSEQ: no CSeq number */
    guint16     sent_by_port;    /* top Via sent-by port as written, 0: none */
} message_identity;

/* One SIP message as kept: read it through the accessors below. */
typedef struct {
    transaction *transaction;          /* its transaction (the engine's) */
    const message_identity *identity;  /* NULL: the same as its transaction's */
    const message_details *details;    /* NULL: no findings, not a retransmission,
                                        * not an ACK, no Reason causes */
    const char *reason_phrase;         /* response: the phrase sent */
    guint16 status_code;               /* response: the status code; 0 for a request */
    guint8  role;                      /* message_role */
    guint8  state;                     /* transaction_state after this message */
    guint8  is_request;
    guint8  opened;                    /* it opened its transaction */
    guint8  first_answer;              /* its transaction's first response other than 100 (RFC 6076 §4.2) */
    guint8  more_in_frame;             /* the next stored message is the same frame's next one */
} stored_message;

typedef struct message_store message_store;

/* A store for one capture; its texts are interned by the capture's engine. */
message_store *message_store_new(engine *engine);
void message_store_free(message_store *store);

/* Keeps the verdicts on the `count` SIP messages of one frame, in message
 * order (messages[i] got results[i]).  A frame is kept once. */
void message_store_keep_frame(message_store *store, guint32 frame, const sipmsg *messages,
                              const message_result *results, guint count);

/* How many messages of the frame are kept (0 for a frame without SIP or not
 * kept yet); they are numbered from *first on, in message order. */
guint message_store_frame(const message_store *store, guint32 frame, guint32 *first);

/* The stored message with this number, NULL if none. */
const stored_message *message_store_message(const message_store *store, guint32 number);

/* How many messages the store holds. */
guint32 message_store_count(const message_store *store);

/* The message's identity, its own or its transaction's. */
message_identity stored_message_identity(const stored_message *message);

/* The message's details; all 0 for a message without. */
static inline const message_details *stored_message_details(const stored_message *message)
{
    static const message_details none;
    return message->details ? message->details : &none;
}

/* The identity a transaction gives the request (or response) that matches it
 * without surprises: its method, Call-ID, CSeq and top Via. */
message_identity transaction_identity(const transaction *transaction, gboolean is_request);

#endif /* SIPTXN_MESSAGE_STORE_H */
