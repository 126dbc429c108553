/* SPDX-License-Identifier: GPL-2.0-or-later */
/* extract.c: pulls the stock SIP dissector's fields out of the tree, grouped by
 * the SIP message they lie in (a TCP segment may carry several), into sipmsg facts.
 * It only reads fields; all matching happens in the core. */

#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/address.h>
#include <epan/to_str.h>
#include <epan/ftypes/ftypes.h>

#include "compat.h"
#include "extract.h"

/* The sip.* fields the post-dissector asks for, by filter name. */
enum {
    FIELD_SIP,            /* the protocol item: one per SIP message */
    FIELD_METHOD,
    FIELD_STATUS_CODE,
    FIELD_REASON_PHRASE,
    FIELD_STATUS_LINE,
    FIELD_REQUEST_URI,
    FIELD_CALL_ID,
    FIELD_CSEQ,
    FIELD_CSEQ_NUMBER,
    FIELD_CSEQ_METHOD,
    FIELD_VIA,
    FIELD_VIA_TRANSPORT,
    FIELD_VIA_ADDRESS,
    FIELD_VIA_PORT,
    FIELD_VIA_BRANCH,
    FIELD_FROM_ADDRESS,
    FIELD_FROM_TAG,
    FIELD_TO_TAG,
    FIELD_ROUTE,
    FIELD_REASON_Q850,
    FIELD_REASON_SIP,
    FIELD_COUNT
};

static const char *const field_names[FIELD_COUNT] = {
    "sip", "sip.Method", "sip.Status-Code", "sip.Reason-Phrase", "sip.Status-Line", "sip.r-uri", "sip.Call-ID",
    "sip.CSeq", "sip.CSeq.seq", "sip.CSeq.method", "sip.Via", "sip.Via.transport",
    "sip.Via.sent-by.address", "sip.Via.sent-by.port", "sip.Via.branch", "sip.from.addr",
    "sip.from.tag", "sip.to.tag", "sip.Route", "sip.reason_cause_q850", "sip.reason_cause_sip",
};

static int field_ids[FIELD_COUNT];

void extract_want_fields(dissector_handle_t postdissector)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (int i = 0; i < FIELD_COUNT; i++) {
        field_ids[i] = proto_registrar_get_id_byname(field_names[i]);
        if (field_ids[i] > 0)
            g_array_append_val(wanted, field_ids[i]);
    }
    set_postdissector_wanted_hfids(postdissector, wanted);
}

/* The field instances of one kind in this frame (NULL if none). */
/* The frame's field arrays, looked up once per frame (extract_messages resets it). */
static struct {
    gboolean   loaded[FIELD_COUNT];
    GPtrArray *arrays[FIELD_COUNT];
} frame_fields;

static GPtrArray *instances(proto_tree *tree, int field)
{
    if (!frame_fields.loaded[field]) {
        frame_fields.arrays[field] = field_ids[field] > 0 ? proto_get_finfo_ptr_array(tree, field_ids[field]) : NULL;
        frame_fields.loaded[field] = TRUE;
    }
    return frame_fields.arrays[field];
}

/* Where one SIP message lies: its data source and byte range. */
typedef struct {
    tvbuff_t *data_source;
    gint start;
    gint end;
} message_span;

static gboolean span_contains(const message_span *span, const field_info *finfo)
{
    return finfo->ds_tvb == span->data_source && finfo->start >= span->start && finfo->start < span->end;
}

/* The first instance of a field inside the span, or NULL. */
static field_info *first_in_span(GPtrArray *all, const message_span *span)
{
    if (!all)
        return NULL;
    for (guint i = 0; i < all->len; i++) {
        field_info *finfo = g_ptr_array_index(all, i);
        if (span_contains(span, finfo))
            return finfo;
    }
    return NULL;
}

static const char *string_value(field_info *finfo)
{
    if (!finfo)
        return NULL;
    const char *value = fvalue_get_string(SIPTXN_FIELD_VALUE(finfo));
    return value;
}

static guint32 uint_value(field_info *finfo)
{
    return finfo ? fvalue_get_uinteger(SIPTXN_FIELD_VALUE(finfo)) : 0;
}

/* The SIP dissector omits the sent-by port of a Via without parameters; read
 * ":digits" right after the host in the packet bytes instead. */
static guint16 port_after_host(field_info *address)
{
    if (!address || !address->ds_tvb || address->length <= 0)
        return 0;
    gint offset = address->start + address->length;
    gint remaining = tvb_captured_length_remaining(address->ds_tvb, offset);
    if (remaining < 2 || tvb_get_uint8(address->ds_tvb, offset) != ':')
        return 0;
    guint32 port = 0;
    for (gint i = 1; i < remaining && i <= 5; i++) {
        guint8 digit = tvb_get_uint8(address->ds_tvb, offset + i);
        if (!g_ascii_isdigit(digit))
            break;
        port = port * 10 + (guint32)(digit - '0');
    }
    return port <= G_MAXUINT16 ? (guint16)port : 0;
}

/* A via-parm begins where its "SIP/2.0/transport" is; its parameters follow up
 * to the next via-parm (RFC 3261 §20.42: several may share one header line). */
static void fill_via(GPtrArray *all_addresses, GPtrArray *all_ports, GPtrArray *all_branches,
                     const message_span *via_span, sipmsg_via *via)
{
    field_info *address = first_in_span(all_addresses, via_span);
    field_info *port = first_in_span(all_ports, via_span);
    field_info *branch = first_in_span(all_branches, via_span);
    via->host = string_value(address);
    via->port = port ? (guint16)uint_value(port) : port_after_host(address);
    via->branch = string_value(branch);
}

static void extract_vias(proto_tree *tree, const message_span *span, sipmsg *facts)
{
    GPtrArray *transports = instances(tree, FIELD_VIA_TRANSPORT);
    GPtrArray *addresses = instances(tree, FIELD_VIA_ADDRESS);
    GPtrArray *ports = instances(tree, FIELD_VIA_PORT);
    GPtrArray *branches = instances(tree, FIELD_VIA_BRANCH);
    field_info *parms[3] = { NULL, NULL, NULL };
    guint count = 0;

    for (guint i = 0; transports && i < transports->len; i++) {
        field_info *finfo = g_ptr_array_index(transports, i);
        if (!span_contains(span, finfo))
            continue;
        if (count < 3)
            parms[count] = finfo;
        count++;
    }
    facts->via_count = count;
    if (count == 0) {
        if (first_in_span(instances(tree, FIELD_VIA), span) == NULL)
            facts->defects |= SIPMSG_DEFECT_NO_VIA;
        else
            facts->defects |= SIPMSG_DEFECT_NO_SENT_BY;
        return;
    }
    sipmsg_via *targets[2] = { &facts->top_via, &facts->second_via };
    for (guint k = 0; k < 2 && k < count; k++) {
        message_span via_span = { span->data_source, parms[k]->start,
                                  (k + 1 < count && parms[k + 1]) ? parms[k + 1]->start : span->end };
        targets[k]->transport = string_value(parms[k]);
        fill_via(addresses, ports, branches, &via_span, targets[k]);
    }
    if (!facts->top_via.host)
        facts->defects |= SIPMSG_DEFECT_NO_SENT_BY;
    if (facts->top_via.branch && facts->top_via.branch[0] == '\0')
        facts->defects |= SIPMSG_DEFECT_EMPTY_BRANCH;
}

/* RFC 3261 §8.1.1.5: the CSeq number is 1*DIGIT, a 32-bit unsigned integer
 * below 2**31.  The SIP dissector reads "abc" as 0 and "-1" as 4294967295. */
static gboolean cseq_number_valid(const char *header)
{
    if (!header)
        return FALSE;
    while (*header == ' ' || *header == '\t')
        header++;
    guint64 number = 0;
    const char *digit = header;
    for (; g_ascii_isdigit(*digit); digit++) {
        number = number * 10 + (guint64)(*digit - '0');
        if (number >= G_GUINT64_CONSTANT(0x80000000))
            return FALSE;
    }
    return digit != header && (*digit == ' ' || *digit == '\t' || *digit == '\0');
}

static void extract_cseq(proto_tree *tree, const message_span *span, sipmsg *facts)
{
    field_info *header = first_in_span(instances(tree, FIELD_CSEQ), span);
    field_info *number = first_in_span(instances(tree, FIELD_CSEQ_NUMBER), span);
    field_info *method = first_in_span(instances(tree, FIELD_CSEQ_METHOD), span);
    if (!header)
        facts->defects |= SIPMSG_DEFECT_NO_CSEQ;
    else if (!number || !cseq_number_valid(string_value(header)))
        facts->defects |= SIPMSG_DEFECT_BAD_CSEQ;
    facts->cseq_number = uint_value(number);
    facts->cseq_method = string_value(method);
    if (header && !method)
        facts->defects |= SIPMSG_DEFECT_NO_CSEQ_METHOD;
}

/* All Route header values, in order, joined: the route set an ACK must repeat. */
static const char *route_set(proto_tree *tree, packet_info *pinfo, const message_span *span)
{
    GPtrArray *routes = instances(tree, FIELD_ROUTE);
    wmem_strbuf_t *joined = NULL;
    for (guint i = 0; routes && i < routes->len; i++) {
        field_info *finfo = g_ptr_array_index(routes, i);
        if (!span_contains(span, finfo))
            continue;
        if (!joined)
            joined = wmem_strbuf_new(pinfo->pool, "");
        else
            wmem_strbuf_append(joined, ", ");
        wmem_strbuf_append(joined, string_value(finfo));
    }
    return joined ? wmem_strbuf_get_str(joined) : NULL;
}

static sipmsg_transport frame_transport(packet_info *pinfo)
{
    switch (pinfo->ptype) {
    case PT_UDP:
        return SIPMSG_TRANSPORT_UDP;
    case PT_TCP:
        /* WebSocket (RFC 7118) and TLS run over TCP. */
        if (proto_is_frame_protocol(pinfo->layers, "websocket"))
            return SIPMSG_TRANSPORT_WEBSOCKET;
        if (proto_is_frame_protocol(pinfo->layers, "tls"))
            return SIPMSG_TRANSPORT_TLS;
        return SIPMSG_TRANSPORT_TCP;
    case PT_SCTP:
        return SIPMSG_TRANSPORT_SCTP;
    default:
        return SIPMSG_TRANSPORT_UNKNOWN;
    }
}

/* "address:port" ("[v6]:port") into a caller buffer, without allocating. */
static const char *endpoint(char *buffer, gsize size, const address *addr, guint32 port)
{
    gsize used = 0;
    gboolean bracket = addr->type == AT_IPv6;
    if (bracket)
        buffer[used++] = '[';
    address_to_str_buf(addr, buffer + used, (int)(size - used - 10));
    used += strlen(buffer + used);
    if (bracket)
        buffer[used++] = ']';
    char digits[12];
    int length = 0;
    do {
        digits[length++] = (char)('0' + port % 10);
        port /= 10;
    } while (port);
    buffer[used++] = ':';
    while (length)
        buffer[used++] = digits[--length];
    buffer[used] = '\0';
    return buffer;
}

/* RFC 3261 §7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF. */
static const char *phrase_of_status_line(const char *line)
{
    if (!line)
        return NULL;
    const char *space = strchr(line, ' ');
    if (!space)
        return "";
    const char *code = space + 1;
    while (*code == ' ')
        code++;
    while (g_ascii_isdigit(*code))
        code++;
    if (*code == ' ')
        code++;
    return code;
}

static void extract_one(proto_tree *tree, packet_info *pinfo, const message_span *span,
                        extracted_message *message)
{
    sipmsg *facts = &message->facts;
    facts->frame = pinfo->num;
    facts->time_ns = siptxn_time_ns(&pinfo->abs_ts);
    facts->transport = frame_transport(pinfo);

    facts->length = (guint32)(span->end - span->start);

    field_info *method = first_in_span(instances(tree, FIELD_METHOD), span);
    field_info *status = first_in_span(instances(tree, FIELD_STATUS_CODE), span);
    facts->is_request = method != NULL;
    facts->method = string_value(method);
    if (status) {
        facts->status_code = uint_value(status);
        facts->reason_phrase = string_value(first_in_span(instances(tree, FIELD_REASON_PHRASE), span));
        if (!facts->reason_phrase)
            facts->reason_phrase =
                phrase_of_status_line(string_value(first_in_span(instances(tree, FIELD_STATUS_LINE), span)));
        if (facts->status_code < 100 || facts->status_code > 699)
            facts->defects |= SIPMSG_DEFECT_BAD_STATUS;
    }
    facts->request_uri = string_value(first_in_span(instances(tree, FIELD_REQUEST_URI), span));
    facts->call_id = string_value(first_in_span(instances(tree, FIELD_CALL_ID), span));
    if (!facts->call_id)
        facts->defects |= SIPMSG_DEFECT_NO_CALL_ID;
    facts->from_uri = string_value(first_in_span(instances(tree, FIELD_FROM_ADDRESS), span));
    facts->from_tag = string_value(first_in_span(instances(tree, FIELD_FROM_TAG), span));
    facts->to_tag = string_value(first_in_span(instances(tree, FIELD_TO_TAG), span));
    facts->route_set = route_set(tree, pinfo, span);
    extract_cseq(tree, span, facts);
    extract_vias(tree, span, facts);
    /* Network endpoints tell a proxy's hops apart for INVITE transactions and ACKs. */
    if ((facts->method && (strcmp(facts->method, "INVITE") == 0 || strcmp(facts->method, "ACK") == 0)) ||
        (!facts->is_request && facts->cseq_method && strcmp(facts->cseq_method, "INVITE") == 0)) {
        facts->source = endpoint(message->source, sizeof(message->source), &pinfo->src, pinfo->srcport);
        facts->destination = endpoint(message->destination, sizeof(message->destination), &pinfo->dst,
                                      pinfo->destport);
    }

    field_info *q850 = first_in_span(instances(tree, FIELD_REASON_Q850), span);
    field_info *sip_cause = first_in_span(instances(tree, FIELD_REASON_SIP), span);
    message->has_q850_cause = q850 != NULL;
    message->q850_cause = uint_value(q850);
    message->has_sip_cause = sip_cause != NULL;
    message->sip_cause = uint_value(sip_cause);
}

guint extract_messages(proto_tree *tree, packet_info *pinfo, extracted_message **messages)
{
    *messages = NULL;
    if (!tree)
        return 0;
    memset(&frame_fields, 0, sizeof(frame_fields));
    GPtrArray *sips = instances(tree, FIELD_SIP);
    if (!sips || sips->len == 0)
        return 0;

    guint count = 0;
    extracted_message *found = wmem_alloc0_array(pinfo->pool, extracted_message, sips->len);
    for (guint i = 0; i < sips->len; i++) {
        field_info *sip = g_ptr_array_index(sips, i);
        message_span span = { sip->ds_tvb, sip->start, sip->start + sip->length };
        /* The next message in the same data source bounds this one. */
        if (i + 1 < sips->len) {
            field_info *next = g_ptr_array_index(sips, i + 1);
            if (next->ds_tvb == sip->ds_tvb && next->start > sip->start && next->start < span.end)
                span.end = next->start;
        }
        if (sip->length < 0 || span.end <= span.start)
            span.end = G_MAXINT;
        /* A request has a method, a response a status code: anything else is
         * not a SIP message the SIP dissector understood (e.g. a keep-alive). */
        if (!first_in_span(instances(tree, FIELD_METHOD), &span) &&
            !first_in_span(instances(tree, FIELD_STATUS_CODE), &span))
            continue;
        extract_one(tree, pinfo, &span, &found[count]);
        count++;
    }
    *messages = found;
    return count;
}
