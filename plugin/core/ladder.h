/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ladder.h: the texts of one arrow of the "SIP Transactions" flow graph (the
 * ladder diagram of Statistics → Flow Graph and tshark -z flow,siptxn): a short
 * label above the arrow and a comment saying which transaction the message
 * belongs to and what it does there.  Plain C + GLib. */
#ifndef SIPTXN_LADDER_H
#define SIPTXN_LADDER_H

#include <glib.h>

#include "catalog.h"
#include "message_store.h"

/* Labels longer than this many bytes are cut, ending in "...". */
#define LADDER_LABEL_MAX 28

/* Replaces text's content with the arrow's label: the method of a request,
 * "code phrase" of a response. */
const char *ladder_label(GString *text, const stored_message *message);

/* Replaces text's content with the arrow's comment, e.g.
 *   "txn 3 · request retransmission · retransmission 2 of frame 5 (+1.0 s, Timer A expects 1.0 s)"
 *   "txn 7 · ACK non-2xx: completes txn 7"
 *   "txn 9 · ACK 2xx: own txn 9 for txn 7"
 *   "txn 4 · CANCEL · CANCEL of txn 3"
 *   "txn 2 · request · forwarded from txn 1"
 * in the explanation language (sentences.ini). */
const char *ladder_comment(GString *text, const stored_message *message, siptxn_language language);

/* Appends the message's role in the explanation language: "request",
 * "provisional response, reliable, RSeq 867584", "duplicate", ... */
void ladder_append_role(GString *text, const stored_message *message, siptxn_language language);

/* The RFC 3261 timer that paces a retransmission of this role in this
 * transaction: "A" (§17.1.1.2), "E" (§17.1.2.2), "G" (§17.2.1); NULL for
 * none; and the section that defines a timer ("17.1.1.2"). */
const char *retransmission_timer(const transaction *transaction, message_role role);
const char *retransmission_timer_section(const char *timer);

#endif /* SIPTXN_LADDER_H */
