/* SPDX-License-Identifier: GPL-2.0-or-later */
/* message_store.c: see message_store.h. */

#include <string.h>

#include "blocks.h"
#include "message_store.h"

/* Stored messages live in blocks of this many, numbered from 0 in the order
 * they were kept, so a number finds its message without an index of pointers. */
#define MESSAGE_BLOCK 4096

struct message_store {
    engine          *engine;      /* interns the texts */
    GPtrArray       *blocks;      /* stored_message[MESSAGE_BLOCK] each */
    guint32          count;       /* messages kept */
    GArray          *frame_first; /* guint32 per frame number: 1 + the number of its first message, 0: none */
    block_allocator  memory;      /* identities and details */
};

message_store *message_store_new(engine *engine)
{
    message_store *store = g_new0(message_store, 1);
    store->engine = engine;
    store->blocks = g_ptr_array_new_with_free_func(g_free);
    store->frame_first = g_array_new(FALSE, TRUE, sizeof(guint32));
    block_allocator_init(&store->memory);
    return store;
}

void message_store_free(message_store *store)
{
    if (!store)
        return;
    g_ptr_array_free(store->blocks, TRUE);
    g_array_free(store->frame_first, TRUE);
    block_allocator_clear(&store->memory);
    g_free(store);
}

const stored_message *message_store_message(const message_store *store, guint32 number)
{
    if (number >= store->count)
        return NULL;
    const stored_message *block = g_ptr_array_index(store->blocks, number / MESSAGE_BLOCK);
    return &block[number % MESSAGE_BLOCK];
}

/* A new stored message, all 0, numbered store->count - 1. */
static stored_message *message_new(message_store *store)
{
    if (store->count / MESSAGE_BLOCK >= store->blocks->len)
        g_ptr_array_add(store->blocks, g_new0(stored_message, MESSAGE_BLOCK));
    stored_message *block = g_ptr_array_index(store->blocks, store->count / MESSAGE_BLOCK);
    return &block[store->count++ % MESSAGE_BLOCK];
}

guint32 message_store_count(const message_store *store)
{
    return store->count;
}

message_identity transaction_identity(const transaction *transaction, gboolean is_request)
{
    message_identity identity = {
        .method = is_request ? transaction->method : NULL,
        .call_id = transaction->call_id,
        .cseq_method = transaction->method,
        .branch = transaction_branch(transaction),
        .sent_by_host = transaction->sent_by_host,
        .cseq_number = transaction->cseq_number,
        .defects = 0,
        .sent_by_port = transaction->sent_by_port,
    };
    return identity;
}

message_identity stored_message_identity(const stored_message *message)
{
    if (message->identity)
        return *message->identity;
    return transaction_identity(message->transaction, message->is_request);
}

static message_identity identity_of(const sipmsg *message)
{
    message_identity identity = {
        .method = message->is_request ? message->method : NULL,
        .call_id = message->call_id,
        .cseq_method = message->cseq_method,
        .branch = message->top_via.branch,
        .sent_by_host = message->top_via.host,
        .cseq_number = message->cseq_number,
        .defects = message->defects,
        .sent_by_port = message->top_via.port,
    };
    return identity;
}

static gboolean same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static gboolean same_identity(const message_identity *a, const message_identity *b)
{
    return same_text(a->method, b->method) && same_text(a->call_id, b->call_id) &&
           same_text(a->cseq_method, b->cseq_method) && same_text(a->branch, b->branch) &&
           same_text(a->sent_by_host, b->sent_by_host) && a->cseq_number == b->cseq_number &&
           a->defects == b->defects && a->sent_by_port == b->sent_by_port;
}

/* The transaction's copy of a text when equal, else the engine's interned one. */
static const char *kept_text(message_store *store, const char *owned, const char *text)
{
    return same_text(owned, text) ? owned : engine_intern(store->engine, text);
}

/* NULL when the message's identity is its transaction's, else a copy of it. */
static const message_identity *keep_identity(message_store *store, const sipmsg *message,
                                             const transaction *owner)
{
    message_identity own = identity_of(message);
    message_identity shared = transaction_identity(owner, message->is_request);
    if (same_identity(&own, &shared))
        return NULL;
    message_identity *kept = block_alloc0(&store->memory, sizeof(message_identity));
    *kept = own;
    kept->method = kept_text(store, shared.cseq_method, own.method);
    kept->call_id = kept_text(store, shared.call_id, own.call_id);
    kept->cseq_method = kept_text(store, shared.cseq_method, own.cseq_method);
    kept->branch = kept_text(store, shared.branch, own.branch);
    kept->sent_by_host = kept_text(store, shared.sent_by_host, own.sent_by_host);
    return kept;
}

static gboolean details_are_empty(const message_details *details)
{
    return !details->findings && !details->original_frame && !details->retransmission_number &&
           !details->interval_ns && !details->expected_interval_ns && !details->ack_invite &&
           !details->ack_response_frame && !details->ack_class && !details->ack_evidence &&
           !details->reason.has_q850_cause && !details->reason.has_sip_cause && !details->duplicate &&
           !details->ttl_before && !details->rseq && !details->prack_response_frame;
}

/* NULL when the verdict has none of the details, else a copy of them. */
static const message_details *keep_details(message_store *store, const message_details *details)
{
    if (details_are_empty(details))
        return NULL;
    message_details *kept = block_alloc0(&store->memory, sizeof(message_details));
    *kept = *details;
    return kept;
}

guint message_store_frame(const message_store *store, guint32 frame, guint32 *first)
{
    *first = 0;
    if (!store || frame >= store->frame_first->len || !g_array_index(store->frame_first, guint32, frame))
        return 0;
    *first = g_array_index(store->frame_first, guint32, frame) - 1;
    guint count = 1;
    while (message_store_message(store, *first + count - 1)->more_in_frame)
        count++;
    return count;
}

void message_store_keep_frame(message_store *store, guint32 frame, const sipmsg *messages,
                              const message_result *results, guint count)
{
    if (count == 0 || store->count > G_MAXUINT32 - count)
        return;
    if (frame >= store->frame_first->len)
        g_array_set_size(store->frame_first, frame + 1);
    if (g_array_index(store->frame_first, guint32, frame))
        return;     /* kept once */
    g_array_index(store->frame_first, guint32, frame) = store->count + 1;
    for (guint i = 0; i < count; i++) {
        const sipmsg *message = &messages[i];
        const message_result *result = &results[i];
        stored_message *stored = message_new(store);
        stored->transaction = result->transaction;
        stored->identity = keep_identity(store, message, result->transaction);
        stored->details = keep_details(store, &result->details);
        stored->reason_phrase = message->is_request ? NULL : engine_intern(store->engine, message->reason_phrase);
        stored->status_code = (guint16)MIN(message->status_code, G_MAXUINT16);
        stored->role = result->role;
        stored->state = result->state;
        stored->is_request = (guint8)message->is_request;
        stored->opened = result->opened;
        stored->first_answer = result->first_answer;
        stored->more_in_frame = i + 1 < count;
    }
}
