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
/* Protocols that carry SIP over TCP (looked up once, compared by id per frame). */
static int proto_tls = -1;
static int proto_websocket = -1;

void extract_want_fields(dissector_handle_t postdissector)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    hf_sip = proto_registrar_get_id_byname("sip");
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_websocket = proto_get_id_by_filter_name("websocket");
    if (hf_sip > 0)
        g_array_append_val(wanted, hf_sip);
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

guint extract_messages(proto_tree *tree, packet_info *pinfo, sipmsg **messages)
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
        /* Network endpoints tell a proxy's hops apart for INVITE transactions and ACKs. */
        if ((facts->method && (strcmp(facts->method, "INVITE") == 0 || strcmp(facts->method, "ACK") == 0)) ||
            (!facts->is_request && facts->cseq_method && strcmp(facts->cseq_method, "INVITE") == 0)) {
            facts->source = endpoint(pinfo, &pinfo->src, pinfo->srcport);
            facts->destination = endpoint(pinfo, &pinfo->dst, pinfo->destport);
        }
        count++;
    }
    *messages = found;
    return count;
}
