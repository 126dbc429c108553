/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.h: the engine's state shared by transaction.c and ack.c (not for the shell). */
#ifndef SIPTXN_ENGINE_H
#define SIPTXN_ENGINE_H

#include <string.h>

#include "textstore.h"
#include "transaction.h"

#define NS_PER_MS G_GINT64_CONSTANT(1000000)

/* Transactions live in blocks of this many, so a number finds its transaction
 * without an index of pointers. */
#define TRANSACTION_BLOCK 256

/* An index of transactions: open addressing with linear probing over slots of
 * 8 bytes, the hash of what the index compares and the transaction's number
 * (0: empty).  No pointers and no key copies, so an entry costs 8 to 16 bytes;
 * the stored hash spares looking at transactions whose hash differs. */
typedef struct {
    guint32 hash;
    guint32 number;
} transaction_index_slot;

typedef struct {
    transaction_index_slot *slots;
    guint32 mask;               /* slots - 1; slots is a power of two */
    guint32 count;
} transaction_index;

/* The per-capture state: every transaction, indexed by its keys.  Strings
 * that many transactions repeat (methods, hosts, Call-IDs, URIs, endpoints)
 * are interned in the text store, one copy each; they are still compared as
 * text, since a message's own strings are not interned.  The indexes are sets of transactions hashed by what the transactions hold
 * (their key, their dialog identifiers): no key is stored twice. */
struct engine {
    engine_settings settings;
    text_store   *strings;
    transaction_index by_key;    /* transactions by key; RFC 3261 keys hash by branch and sent-by only */
    transaction_index by_dialog; /* first INVITE transaction per Call-ID, CSeq number, From tag (then hop->next_in_dialog) */
    GPtrArray    *transaction_blocks; /* transaction[TRANSACTION_BLOCK] each, in number order */
    guint32       transaction_count;
    GPtrArray    *blocks;       /* memory of final responses and hops (engine_alloc0) */
    gsize         block_free;   /* bytes left in the last block */
    transaction   probe;        /* key under construction (key_3261, key_2543), reused for every message */
    transaction_hop probe_hop;
    gint64        last_time_ns;
};

/* Zeroed memory that lives as long as the engine, carved from large blocks. */
gpointer engine_alloc0(engine *engine, gsize size);

/* A copy of text (NULL for NULL) that lives as long as the engine, not shared:
 * for tags, which are unique to a dialog and only ever compared (same_tag). */
const char *engine_copy(engine *engine, const char *text);

/* Tags compare as text; an absent tag differs from any present one, even "". */
static inline gboolean same_tag(const char *a, const char *b)
{
    return a == b || g_strcmp0(a, b) == 0;
}

/* The transaction's copies record, made when the first copy is seen (its last
 * request time starts as the request's). */
transaction_copies *transaction_copies_for(engine *engine, transaction *transaction);

/* The transaction's links, made when the first one is set. */
transaction_links *transaction_links_for(engine *engine, transaction *transaction);

/* The hop part of a transaction, all NULL for transactions without one. */
const transaction_hop *transaction_hop_of(const transaction *transaction);

/* RFC 3261 §8.1.1.7: a branch beginning with "z9hG4bK" follows RFC 3261. */
gboolean branch_has_magic_cookie(const char *branch);

/* The keys (pjsip's create_tsx_key_3261/2543 in spirit): the engine's probe,
 * a transaction holding only what the key compares, valid until the next key
 * is built; method is the transaction's method (ACK matches INVITE). */
const transaction *key_3261(engine *engine, const sipmsg_via *via, const char *method);
const transaction *key_2543(engine *engine, const sipmsg *message, const char *method);
/* The INVITE transactions with this Call-ID, CSeq number and From tag, first
 * registered first (follow hop->next_in_dialog); NULL if none. */
transaction *engine_lookup_dialog(engine *engine, const char *call_id, guint32 cseq_number, const char *from_tag);

transaction *engine_lookup(engine *engine, const transaction *key);
transaction *transaction_create(engine *engine, const sipmsg *message, transaction_kind kind,
                                const char *method, gboolean rfc2543);
/* Registers the transaction under key, built from the message that created it
 * (so the key's sent-by, method, Call-ID, CSeq and From tag are the transaction's own). */
void transaction_register_key(engine *engine, transaction *created, const transaction *key);

/* Which key a request (or its ACK) is matched with: RFC 3261 if the top Via has a
 * cookie branch and a sent-by, RFC 2543 otherwise (NULL: nothing to match on). */
const transaction *request_key(engine *engine, const sipmsg *message, const char *method, gboolean *rfc2543);

/* Retransmission intervals against the RFC timers (§17.1.1.2, §17.1.2.2, §17.2.1). */
void judge_interval(const engine *engine, gint64 interval_ns, gint64 expected_ns, gint64 previous_expected_ns,
                    message_result *result);
gint64 timer_interval_ns(const engine *engine, guint32 retransmission_number, gboolean capped_at_t2);

/* ACKs: ack.c */
void ack_process(engine *engine, const sipmsg *message, message_result *result);

#endif /* SIPTXN_ENGINE_H */
