/* SPDX-License-Identifier: GPL-2.0-or-later */
/* extract.c: finds the SIP messages of a frame (the stock SIP dissector's
 * protocol items: a TCP segment may carry several) and has core/sipparse.c read
 * each one's start line and headers into sipmsg facts.  All matching happens
 * in the core. */

#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "compat.h"
#include "extract.h"
#include "sipparse.h"
#include "textformat.h"

/* The SIP protocol item: one per SIP message, it tells where the message lies
 * (data source and byte range).  It is the only field siptxn asks for: the
 * headers are read from those bytes (core/sipparse.c), which costs far less
 * than having the SIP dissector build twenty field items per message. */
static int hf_sip = -1;
/* TCP's own verdict that a segment was re-sent (core/duplicates.h). */
static int hf_tcp_retransmission = -1, hf_tcp_fast_retransmission = -1, hf_tcp_spurious_retransmission = -1;
/* Protocols that carry SIP over TCP (looked up once, compared by id per frame). */
static int proto_tls = -1;
static int proto_websocket = -1;
/* HEP v3 (hep.c): the SIP came from a capture agent inside a HEP packet. */
static int proto_hepv3 = -1;

void extract_want_fields(dissector_handle_t postdissector)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    hf_sip = proto_registrar_get_id_byname("sip");
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_websocket = proto_get_id_by_filter_name("websocket");
    proto_hepv3 = proto_get_id_by_filter_name("hepv3");
    hf_tcp_retransmission = proto_registrar_get_id_byname("tcp.analysis.retransmission");
    hf_tcp_fast_retransmission = proto_registrar_get_id_byname("tcp.analysis.fast_retransmission");
    hf_tcp_spurious_retransmission = proto_registrar_get_id_byname("tcp.analysis.spurious_retransmission");
    const int fields[] = { hf_sip, hf_tcp_retransmission, hf_tcp_fast_retransmission,
                           hf_tcp_spurious_retransmission };
    for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
        if (fields[i] > 0)
            g_array_append_val(wanted, fields[i]);
    set_postdissector_wanted_hfids(postdissector, wanted);
}

static gboolean frame_has_protocol(const packet_info *pinfo, int protocol)
{
    if (protocol < 0)
        return FALSE;
    for (wmem_list_frame_t *layer = wmem_list_head(pinfo->layers); layer; layer = wmem_list_frame_next(layer))
        if (GPOINTER_TO_INT(wmem_list_frame_data(layer)) == protocol)
            return TRUE;
    return FALSE;
}

static sipmsg_transport frame_transport(packet_info *pinfo)
{
    switch (pinfo->ptype) {
    case PT_UDP:
        return SIPMSG_TRANSPORT_UDP;
    case PT_TCP:
        /* WebSocket (RFC 7118) and TLS run over TCP. */
        if (frame_has_protocol(pinfo, proto_websocket))
            return SIPMSG_TRANSPORT_WEBSOCKET;
        if (frame_has_protocol(pinfo, proto_tls))
            return SIPMSG_TRANSPORT_TLS;
        return SIPMSG_TRANSPORT_TCP;
    case PT_SCTP:
        return SIPMSG_TRANSPORT_SCTP;
    default:
        return SIPMSG_TRANSPORT_UNKNOWN;
    }
}

/* The network endpoint "address:port" ("[v6]:port"), in pinfo->pool. */
static const char *endpoint(packet_info *pinfo, const address *addr, guint32 port)
{
    static GString *text;
    if (!text)
        text = g_string_sized_new(64);
    g_string_truncate(text, 0);
    char host[64];
    gsize used = 0;
    if (addr->type == AT_IPv6)
        host[used++] = '[';
    address_to_str_buf(addr, host + used, (int)(sizeof(host) - used - 2));
    used += strlen(host + used);
    if (addr->type == AT_IPv6)
        host[used++] = ']';
    host[used] = '\0';
    text_append_host_port(text, host, port, FALSE);
    return wmem_strdup(pinfo->pool, text->str);
}

static gboolean has_field(proto_tree *tree, int hf)
{
    if (hf <= 0)
        return FALSE;
    GPtrArray *found = proto_get_finfo_ptr_array(tree, hf);
    return found && found->len > 0;
}

static guint32 address_hash(const address *addr, guint32 port, guint32 hash)
{
    const guint8 *bytes = addr->data;
    for (int i = 0; i < addr->len; i++)
        hash = hash * 31 + bytes[i];
    return hash * 31 + port;
}

/* How the capture saw the frame's packet: what tells the same packet seen
 * twice from a new one. */
/* The IPv4 identification and TTL, or the IPv6 hop limit, of the frame's
 * innermost IP header, read from the frame's bytes without asking the IP
 * dissector for fields (which would build them for every frame).  Wireshark's
 * IP dissectors point pinfo->net_src into the packet (set_address_tvb): 12
 * bytes into an IPv4 header, 8 into an IPv6 one.  The bytes are read only
 * when that pointer lies within the frame's data and the version nibble
 * agrees; an address copied elsewhere tells nothing. */
static void ip_facts(tvbuff_t *frame, const packet_info *pinfo, sipmsg_packet *packet)
{
    const address *source = &pinfo->net_src;
    guint length = frame ? tvb_captured_length(frame) : 0;
    if (!source->data || length == 0)
        return;
    guintptr start = (guintptr)tvb_get_ptr(frame, 0, (gint)length);
    guintptr at = (guintptr)source->data;
    if (source->type == AT_IPv4 && source->len == 4 && at >= start + 12 && at + 4 <= start + length) {
        const guint8 *header = (const guint8 *)(at - 12);
        if ((header[0] >> 4) != 4)
            return;
        packet->ip_id = (guint16)(header[4] << 8 | header[5]);
        packet->has_ip_id = packet->ip_id != 0;
        packet->ttl = header[8];
    } else if (source->type == AT_IPv6 && source->len == 16 && at >= start + 8 && at + 16 <= start + length) {
        const guint8 *header = (const guint8 *)(at - 8);
        if ((header[0] >> 4) == 6)
            packet->ttl = header[7];
    }
}

static sipmsg_packet packet_facts(tvbuff_t *frame, proto_tree *tree, packet_info *pinfo)
{
    sipmsg_packet packet = { 0 };
    guint32 hash = address_hash(&pinfo->src, pinfo->srcport, (guint32)pinfo->src.type);
    hash = address_hash(&pinfo->dst, pinfo->destport, hash);
    packet.path = hash ? hash : 1;
    /* SIP inside HEP: pinfo holds the message's own endpoints (hep.c), but the
     * IP and TCP fields describe the HEP packet sent to the collector, not the
     * SIP packet: they say nothing about copies of the message. */
    if (frame_has_protocol(pinfo, proto_hepv3))
        return packet;
    ip_facts(frame, pinfo, &packet);
    packet.tcp_resent = has_field(tree, hf_tcp_retransmission) || has_field(tree, hf_tcp_fast_retransmission) ||
                        has_field(tree, hf_tcp_spurious_retransmission);
    return packet;
}

/* Messages whose network endpoints tell a proxy's hops apart: INVITE
 * transactions, ACKs and PRACKs (RFC 3262), which belong to an INVITE's hop. */
static gboolean needs_endpoints(const sipmsg *facts)
{
    if (facts->method)
        return strcmp(facts->method, "INVITE") == 0 || strcmp(facts->method, "ACK") == 0 ||
               strcmp(facts->method, "PRACK") == 0;
    return !facts->is_request && facts->cseq_method && strcmp(facts->cseq_method, "INVITE") == 0;
}

guint extract_messages(tvbuff_t *frame, proto_tree *tree, packet_info *pinfo, sipmsg **messages)
{
    *messages = NULL;
    if (!tree || hf_sip <= 0)
        return 0;
    GPtrArray *sips = proto_get_finfo_ptr_array(tree, hf_sip);
    if (!sips || sips->len == 0)
        return 0;

    guint count = 0;
    sipmsg_transport transport = frame_transport(pinfo);
    gint64 time_ns = siptxn_time_ns(&pinfo->abs_ts);
    sipmsg_packet packet = packet_facts(frame, tree, pinfo);
    sipmsg *found = wmem_alloc0_array(pinfo->pool, sipmsg, sips->len);
    for (guint i = 0; i < sips->len; i++) {
        field_info *sip = g_ptr_array_index(sips, i);
        if (!sip->ds_tvb || sip->start < 0)
            continue;
        gint available = tvb_captured_length_remaining(sip->ds_tvb, sip->start);
        gint length = (sip->length < 0 || sip->length > available) ? available : sip->length;
        /* The next message in the same data source bounds this one. */
        if (i + 1 < sips->len) {
            field_info *next = g_ptr_array_index(sips, i + 1);
            if (next->ds_tvb == sip->ds_tvb && next->start > sip->start && next->start < sip->start + length)
                length = next->start - sip->start;
        }
        if (length <= 0)
            continue;
        const guint8 *bytes = tvb_get_ptr(sip->ds_tvb, sip->start, length);
        gsize scratch_size = sipparse_scratch_size((gsize)length);
        char *scratch = wmem_alloc(pinfo->pool, scratch_size);
        sipmsg *facts = &found[count];
        /* A request or a response: anything else is not a SIP message the SIP
         * dissector understood (e.g. a continuation or keep-alive). */
        if (!sipparse_message(bytes, (gsize)length, scratch, scratch_size, facts))
            continue;
        facts->frame = pinfo->num;
        facts->time_ns = time_ns;
        facts->transport = transport;
        facts->packet = packet;
        if (needs_endpoints(facts)) {
            facts->source = endpoint(pinfo, &pinfo->src, pinfo->srcport);
            facts->destination = endpoint(pinfo, &pinfo->dst, pinfo->destport);
        }
        count++;
    }
    *messages = found;
    return count;
}
