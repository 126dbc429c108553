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

/* Memory and texts that live as long as the engine: engine_copy keeps a
 * text of its own (tags, branches), unlike engine_intern. */
gpointer engine_alloc(engine *engine, gsize size);
const char *engine_copy(engine *engine, const char *text);

/* RFC 3261 §17 re-send timers: the interval before the retransmission_number-th
 * copy (T1, 2*T1, 4*T1, ..., capped at T2 if asked), and the verdict on an
 * interval (too early, not doubled) in result->details. */
gint64 engine_timer_interval_ns(const engine *engine, guint32 retransmission_number, gboolean capped_at_t2);
void engine_judge_interval(gint64 interval_ns, gint64 expected_ns, gint64 previous_interval_ns,
                           message_result *result);

/* How well an INVITE transaction's hop fits a message of its dialog (ACK,
 * PRACK): a proxy in the path makes one INVITE transaction per hop with the
 * same dialog identifiers.  0..2: client and server endpoints equal. */
static inline int transaction_hop_score(const transaction *invite, const sipmsg *message)
{
    const transaction_hop *hop = transaction_hop_of(invite);
    return (g_strcmp0(hop->client, message->source) == 0) + (g_strcmp0(hop->server, message->destination) == 0);
}

/* The reliable provisional responses of an INVITE transaction, newest first. */
reliable_provisional *engine_reliable_list(engine *engine, const transaction *invite);
void engine_reliable_push(engine *engine, transaction *invite, reliable_provisional *added);

/* A segment TCP re-sent (its analysis says so) holding a copy of the
 * message in original_frame: the result is a duplicate of it, not a SIP
 * retransmission.  FALSE, result untouched, for anything else. */
gboolean engine_tcp_copy(const engine *engine, transaction *owner, guint32 original_frame, const sipmsg *message,
                         message_result *result);

/* ACKs: ack.c */
void ack_process(engine *engine, const sipmsg *message, message_result *result);

/* Reliable provisional responses and PRACK (RFC 3262): reliable.c */
/* The transaction's last distinct provisional response if it is reliable. */
reliable_provisional *reliable_last(engine *engine, const transaction *invite);
/* A new reliable provisional response (message->rseq != 0). */
void reliable_add(engine *engine, transaction *invite, const sipmsg *message);
/* A re-sent copy: its interval and bytes judged. */
void reliable_resent(engine *engine, reliable_provisional *provisional, const sipmsg *message,
                     message_result *result);
/* Links a PRACK (or its re-sent copy) to the provisional response its RAck names. */
void reliable_link_prack(engine *engine, transaction *prack, const sipmsg *message, message_result *result);

#endif /* SIPTXN_ENGINE_H */
