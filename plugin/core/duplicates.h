/* SPDX-License-Identifier: GPL-2.0-or-later */
/* duplicates.h: the same packet seen twice is not a SIP retransmission.
 *
 * A capture taken on a mirror port, on two interfaces or at two points of a
 * path holds some packets twice: the same IP identification and the same
 * bytes, moments apart, sometimes with a TTL one lower.  The SIP layer's own
 * re-sends are new packets, T1 later at the earliest (RFC 3261 §17.1.1.2,
 * §17.1.2.2, §17.2.1; RFC 3262 §3).  The window keeps the messages of the last
 * T1/10, recent enough to be seen again.  (A segment TCP re-sends is judged
 * by the engine against the message's transaction: engine_process.)
 */
#ifndef SIPTXN_DUPLICATES_H
#define SIPTXN_DUPLICATES_H

#include <glib.h>

#include "sipmsg.h"

struct transaction;

typedef struct {
    GHashTable *by_digest;   /* digest -> the latest message seen with it (seen_message) */
    GQueue      recent;      /* seen_message, oldest first */
} duplicate_window;

/* A duplicate's first copy, and why the message is judged a duplicate of it. */
typedef struct {
    guint32 frame;
    gint64  time_ns;
    guint8  reason;          /* duplicate_reason (transaction.h) */
    guint8  ttl_before;      /* DUPLICATE_SECOND_CAPTURE_POINT: the first copy's TTL */
    struct transaction *transaction;
} duplicate_of;

void duplicate_window_init(duplicate_window *window);
void duplicate_window_clear(duplicate_window *window);

/* Whether the message is a copy of a recent one (filling *original), given
 * T1.  Forgets what is too old to be copied any more. */
gboolean duplicate_window_find(duplicate_window *window, const sipmsg *message, gint64 t1_ns,
                               duplicate_of *original);

/* Remembers a message that is not a duplicate, and its transaction. */
void duplicate_window_remember(duplicate_window *window, const sipmsg *message, struct transaction *transaction);

/* Whether the message went over a stream (TCP, TLS, WebSocket, SCTP) whose
 * own analysis says the segment was re-sent. */
gboolean duplicate_tcp_resent(const sipmsg *message);

/* A request on a stream: the SIP layer re-sends none there but the 2xx ACK
 * (RFC 3261 §17.1.1.2: Timer A only over UDP; §13.2.2.4), so the same
 * request again is TCP's copy even when TCP analysis is off. */
gboolean duplicate_stream_request(const sipmsg *message);

#endif /* SIPTXN_DUPLICATES_H */
