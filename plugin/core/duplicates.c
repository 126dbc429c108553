/* SPDX-License-Identifier: GPL-2.0-or-later */
/* duplicates.c: telling the same packet seen twice from a SIP retransmission. */

#include <string.h>

#include "duplicates.h"
#include "transaction.h"

typedef struct {
    guint64 digest;
    gint64  time_ns;
    guint32 frame;
    guint32 path;
    sipmsg_packet packet;
    guint8  transport;       /* sipmsg_transport on the wire */
    struct transaction *transaction;
} seen_message;

static guint digest_hash(gconstpointer key)
{
    guint64 digest = *(const guint64 *)key;
    return (guint)(digest ^ (digest >> 32));
}

static gboolean digest_equal(gconstpointer a, gconstpointer b)
{
    return *(const guint64 *)a == *(const guint64 *)b;
}

void duplicate_window_init(duplicate_window *window)
{
    window->by_digest = g_hash_table_new(digest_hash, digest_equal);
    g_queue_init(&window->recent);
}

void duplicate_window_clear(duplicate_window *window)
{
    if (window->by_digest)
        g_hash_table_destroy(window->by_digest);
    window->by_digest = NULL;
    g_queue_clear_full(&window->recent, g_free);
}

static gboolean is_stream(sipmsg_transport transport)
{
    return transport == SIPMSG_TRANSPORT_TCP || transport == SIPMSG_TRANSPORT_TLS ||
           transport == SIPMSG_TRANSPORT_WEBSOCKET || transport == SIPMSG_TRANSPORT_SCTP;
}

gboolean duplicate_tcp_resent(const sipmsg *message)
{
    return is_stream(message->transport) && message->packet.tcp_resent;
}

gboolean duplicate_stream_request(const sipmsg *message)
{
    return is_stream(message->transport) && message->is_request && message->method &&
           strcmp(message->method, "ACK") != 0;
}

/* The span within which a packet seen twice is seen again: a tenth of T1,
 * well before any SIP timer re-sends (T1 at the earliest). */
static gint64 same_packet_span(gint64 t1_ns)
{
    return t1_ns / 10;
}

/* Drops the messages seen more than span_ns before now_ns. */
static void forget_older(duplicate_window *window, gint64 now_ns, gint64 span_ns)
{
    seen_message *oldest;
    while ((oldest = g_queue_peek_head(&window->recent)) && time_later_than(now_ns, oldest->time_ns, span_ns)) {
        g_queue_pop_head(&window->recent);
        if (g_hash_table_lookup(window->by_digest, &oldest->digest) == oldest)
            g_hash_table_remove(window->by_digest, &oldest->digest);
        g_free(oldest);
    }
}

gboolean duplicate_window_find(duplicate_window *window, const sipmsg *message, gint64 t1_ns,
                               duplicate_of *original)
{
    forget_older(window, message->time_ns, same_packet_span(t1_ns));
    if (message->packet.path == 0)
        return FALSE;
    const seen_message *seen = g_hash_table_lookup(window->by_digest, &message->digest);
    /* Two messages of one frame are two messages (a TCP segment may carry both). */
    if (!seen || seen->path != message->packet.path || seen->transport != message->transport ||
        seen->frame == message->frame || message->time_ns < seen->time_ns)
        return FALSE;
    const sipmsg_packet *now = &message->packet;
    /* Two identifications that differ are two packets: a re-send. */
    if (now->has_ip_id && seen->packet.has_ip_id && now->ip_id != seen->packet.ip_id)
        return FALSE;
    gboolean other_hop = now->ttl && seen->packet.ttl && now->ttl != seen->packet.ttl;
    original->reason = other_hop ? DUPLICATE_SECOND_CAPTURE_POINT : DUPLICATE_SAME_PACKET;
    original->ttl_before = other_hop ? seen->packet.ttl : 0;
    original->frame = seen->frame;
    original->time_ns = seen->time_ns;
    original->transaction = seen->transaction;
    return TRUE;
}

void duplicate_window_remember(duplicate_window *window, const sipmsg *message, struct transaction *transaction)
{
    if (message->packet.path == 0 || !transaction)
        return;
    seen_message *seen = g_new(seen_message, 1);
    seen->digest = message->digest;
    seen->time_ns = message->time_ns;
    seen->frame = message->frame;
    seen->path = message->packet.path;
    seen->packet = message->packet;
    seen->transport = (guint8)message->transport;
    seen->transaction = transaction;
    g_queue_push_tail(&window->recent, seen);
    g_hash_table_replace(window->by_digest, &seen->digest, seen);
}
