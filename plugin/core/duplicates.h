/* SPDX-License-Identifier: GPL-2.0-or-later */
/* duplicates.h: the same packet seen twice is not a SIP retransmission.
 *
 * A capture taken on a mirror port, on two interfaces or at two points of a
 * path holds some packets twice: the same IP identification and the same
 * bytes, moments apart, sometimes with a TTL one lower.  TCP re-sends a
 * segment it thinks lost, with the same bytes.  Neither is a retransmission
 * by the SIP layer, which sends a new packet after T1 at the earliest
 * (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1; RFC 3262 §3).  The window keeps the
 * messages recent enough to be seen again: T1/10 for a packet seen twice,
 * 64*T1 for what TCP may re-send.
 */
#ifndef SIPTXN_DUPLICATES_H
#define SIPTXN_DUPLICATES_H

#include <glib.h>

#include "sipmsg.h"

struct transaction;

typedef struct {
    GHashTable *by_digest;   /* digest -> the latest message seen with it (seen_message) */
    GQueue      datagrams;   /* seen_message of unreliable transports, oldest first */
    GQueue      streams;     /* seen_message of TCP, TLS, WebSocket, SCTP, oldest first */
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

#endif /* SIPTXN_DUPLICATES_H */
