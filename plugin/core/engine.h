/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.h: the engine's state shared by transaction.c and ack.c (not for the shell). */
#ifndef SIPTXN_ENGINE_H
#define SIPTXN_ENGINE_H

#include "transaction.h"

#define NS_PER_MS G_GINT64_CONSTANT(1000000)

/* The per-capture state: every transaction, indexed by its keys.  Strings are
 * interned once (GStringChunk insert_const), so equal strings are equal
 * pointers and comparing tags, Call-IDs or hosts costs a pointer compare. */
struct engine {
    engine_settings settings;
    GStringChunk *strings;
    GHashTable   *by_key;       /* transaction key -> transaction */
    GHashTable   *by_branch;    /* "branch sent-by" -> last transaction with it */
    GHashTable   *by_dialog;    /* "Call-ID CSeq From-tag" -> GPtrArray of INVITE transactions */
    GPtrArray    *transactions; /* owns every transaction, in number order */
    GString      *scratch;      /* key under construction, reused for every message */
    GString      *dialog_scratch; /* dialog key under construction (kept apart from scratch) */
    gint64        last_time_ns;
};


/* RFC 3261 §8.1.1.7: a branch beginning with "z9hG4bK" follows RFC 3261. */
gboolean branch_has_magic_cookie(const char *branch);

/* The printable keys (pjsip's create_tsx_key_3261/2543 in spirit), built in
 * engine->scratch (valid until the next key is built: intern what you keep);
 * method is the transaction's method (ACK matches INVITE).  Dialog keys are
 * built in engine->dialog_scratch. */
const char *key_3261(engine *engine, const sipmsg_via *via, const char *method);
const char *key_2543(engine *engine, const sipmsg *message, const char *method);
const char *key_dialog(engine *engine, const char *call_id, guint32 cseq_number, const char *from_tag);

transaction *engine_lookup(engine *engine, const char *key);
transaction *transaction_create(engine *engine, const sipmsg *message, transaction_kind kind,
                                const char *method, gboolean rfc2543);
/* Registers transaction->key (interned) as the transaction's key. */
void transaction_register_key(engine *engine, transaction *transaction);

/* Which key a request (or its ACK) is matched with: RFC 3261 if the top Via has a
 * cookie branch and a sent-by, RFC 2543 otherwise (NULL: nothing to match on). */
const char *request_key(engine *engine, const sipmsg *message, const char *method, gboolean *rfc2543);

/* Retransmission intervals against the RFC timers (§17.1.1.2, §17.1.2.2, §17.2.1). */
void judge_interval(const engine *engine, gint64 interval_ns, gint64 expected_ns, gint64 previous_expected_ns,
                    message_result *result);
gint64 timer_interval_ns(const engine *engine, guint32 retransmission_number, gboolean capped_at_t2);

/* ACKs: ack.c */
void ack_process(engine *engine, const sipmsg *message, message_result *result);

#endif /* SIPTXN_ENGINE_H */
