/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.h: what the engine (transaction.c) offers the ACK rules (ack.c):
 * finding transactions by key or dialog, opening one, linking hops, and the
 * few shared checks.  The engine's own state stays in transaction.c.  Not
 * for the shell. */
#ifndef SIPTXN_ENGINE_H
#define SIPTXN_ENGINE_H

#include "transaction.h"

/* Tags compare as text; an absent tag differs from any present one, even "". */
static inline gboolean same_tag(const char *a, const char *b)
{
    return a == b || g_strcmp0(a, b) == 0;
}

/* The transaction with this key (the last registered one), NULL if none. */
transaction *engine_find(engine *engine, const transaction_key *key);

/* The first INVITE transaction with this Call-ID, CSeq number and From tag;
 * the others follow in transaction_next_in_dialog().  NULL if none. */
transaction *engine_find_dialog(engine *engine, const char *call_id, guint32 cseq_number, const char *from_tag);
transaction *transaction_next_in_dialog(const transaction *invite);

/* Creates the transaction a message opens, of this kind and method, and
 * registers it under key; without a key (TRANSACTION_KEY_NONE) it matches
 * nothing later and the result gets FINDING_UNMATCHABLE.  Sets
 * result->opened. */
transaction *engine_open_transaction(engine *engine, const sipmsg *message, transaction_kind kind,
                                     const char *method, const transaction_key *key, message_result *result);

/* RFC 3261 §16.6 step 8: a stateful proxy's forwarded request (or 2xx ACK)
 * carries the upstream request's top Via as its second Via.  Links the two
 * hops when the upstream transaction is in the capture and of the same kind. */
void engine_link_forwarded(engine *engine, transaction *downstream, const sipmsg *message);

/* §18.1.1: a request within 200 bytes of the MTU should not go over UDP. */
void engine_check_udp_size(const engine *engine, const sipmsg *message, message_result *result);

/* The records made on first use. */
transaction_copies *transaction_copies_for(engine *engine, transaction *transaction);
transaction_links *transaction_links_for(engine *engine, transaction *transaction);

/* ACKs: ack.c */
void ack_process(engine *engine, const sipmsg *message, message_result *result);

#endif /* SIPTXN_ENGINE_H */
