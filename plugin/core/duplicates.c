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
    g_queue_init(&window->datagrams);
    g_queue_init(&window->streams);
}

void duplicate_window_clear(duplicate_window *window)
{
    if (window->by_digest)
        g_hash_table_destroy(window->by_digest);
    window->by_digest = NULL;
    g_queue_clear_full(&window->datagrams, g_free);
    g_queue_clear_full(&window->streams, g_free);
}

static gboolean is_stream(guint8 transport)
{
    return transport == SIPMSG_TRANSPORT_TCP || transport == SIPMSG_TRANSPORT_TLS ||
           transport == SIPMSG_TRANSPORT_WEBSOCKET || transport == SIPMSG_TRANSPORT_SCTP;
}

/* Drops the messages of the queue seen more than span_ns before now_ns. */
static void forget_older(duplicate_window *window, GQueue *queue, gint64 now_ns, gint64 span_ns)
{
    seen_message *oldest;
    while ((oldest = g_queue_peek_head(queue)) && time_later_than(now_ns, oldest->time_ns, span_ns)) {
        g_queue_pop_head(queue);
        if (g_hash_table_lookup(window->by_digest, &oldest->digest) == oldest)
            g_hash_table_remove(window->by_digest, &oldest->digest);
        g_free(oldest);
    }
}

/* The span within which a packet seen twice is seen again: a tenth of T1,
 * well before any SIP timer re-sends (T1 at the earliest). */
static gint64 same_packet_span(gint64 t1_ns)
{
    return t1_ns / 10;
}

/* TCP re-sends within its retransmission timeout, far below 64*T1. */
static gint64 stream_span(gint64 t1_ns)
{
    return 64 * t1_ns;
}

/* Over a stream the SIP layer re-sends no request but the 2xx ACK
 * (RFC 3261 §17.1.1.2: Timer A only over UDP; §13.2.2.4: the UAC core
 * answers each 2xx copy): the same request again on the same connection is
 * TCP's re-send, even when TCP analysis is off and says nothing. */
static gboolean resent_by_stream(const sipmsg *message)
{
    return message->is_request && message->method && strcmp(message->method, "ACK") != 0;
}

gboolean duplicate_window_find(duplicate_window *window, const sipmsg *message, gint64 t1_ns,
                               duplicate_of *original)
{
    forget_older(window, &window->datagrams, message->time_ns, same_packet_span(t1_ns));
    forget_older(window, &window->streams, message->time_ns, stream_span(t1_ns));
    if (message->packet.path == 0)
        return FALSE;
    const seen_message *seen = g_hash_table_lookup(window->by_digest, &message->digest);
    /* Two messages of one frame are two messages (a TCP segment may carry both). */
    if (!seen || seen->path != message->packet.path || seen->transport != message->transport ||
        seen->frame == message->frame || message->time_ns < seen->time_ns)
        return FALSE;

    const sipmsg_packet *now = &message->packet;
    /* Two identifications that differ are two packets: a re-send. */
    gboolean same_id = !(now->has_ip_id && seen->packet.has_ip_id) || now->ip_id == seen->packet.ip_id;
    if (same_id && !time_later_than(message->time_ns, seen->time_ns, same_packet_span(t1_ns))) {
        gboolean other_hop = now->ttl && seen->packet.ttl && now->ttl != seen->packet.ttl;
        original->reason = other_hop ? DUPLICATE_SECOND_CAPTURE_POINT : DUPLICATE_SAME_PACKET;
        original->ttl_before = other_hop ? seen->packet.ttl : 0;
    } else if (is_stream(message->transport) && (now->tcp_resent || resent_by_stream(message))) {
        original->reason = DUPLICATE_TCP_RESEND;
        original->ttl_before = 0;
    } else {
        return FALSE;
    }
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
    g_queue_push_tail(is_stream(seen->transport) ? &window->streams : &window->datagrams, seen);
    g_hash_table_replace(window->by_digest, &seen->digest, seen);
}
