/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hep.c: the HEP v3 dissector (Homer Encapsulation Protocol version 3, what
 * kamailio's siptrace module, opensips and captagent send to a collector such
 * as Homer).  Wireshark has none.
 *
 * It shows a HEP packet's chunks and hands the SIP message it carries to
 * Wireshark's own SIP dissector, after putting the message's own endpoints
 * and transport (the HEP chunks) into pinfo: the Source, Destination and
 * Info columns, the SIP layer and siptxn (extract.c reads pinfo) then see the
 * SIP hop, not the path from the capture agent to the collector.  The outer
 * IP and UDP layers are dissected before and keep their own fields.
 *
 * Reading the bytes is core/hep.c's; this file only turns what it read into
 * tree items, expert infos and pinfo.  Filter name "hepv3": sipcapture's
 * hep.lua uses "hep3", and two protocols with one filter name stop Wireshark
 * at start-up.
 */

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/exceptions.h>
#include <epan/ipproto.h>
#include <epan/show_exception.h>
#include <epan/to_str.h>

#include "compat.h"
#include "hep.h"

/* Called from plugin.c, as Wireshark's generated plugin.c declares them. */
void proto_register_hepv3(void);
void proto_reg_handoff_hepv3(void);

static int proto_hepv3 = -1;

static int hf_hepv3_version = -1, hf_hepv3_length = -1;
static int hf_hepv3_chunk = -1, hf_hepv3_chunk_vendor = -1, hf_hepv3_chunk_type = -1, hf_hepv3_chunk_length = -1,
           hf_hepv3_chunk_value = -1;
static int hf_hepv3_ip_family = -1, hf_hepv3_ip_protocol = -1, hf_hepv3_src_ip = -1, hf_hepv3_dst_ip = -1,
           hf_hepv3_src_ipv6 = -1, hf_hepv3_dst_ipv6 = -1, hf_hepv3_src_port = -1, hf_hepv3_dst_port = -1;
static int hf_hepv3_timestamp = -1, hf_hepv3_timestamp_seconds = -1, hf_hepv3_timestamp_microseconds = -1;
static int hf_hepv3_proto_type = -1, hf_hepv3_capture_id = -1, hf_hepv3_keepalive_timer = -1,
           hf_hepv3_auth_key = -1, hf_hepv3_payload_length = -1, hf_hepv3_correlation_id = -1,
           hf_hepv3_vlan_id = -1, hf_hepv3_capture_name = -1;

static gint ett_hepv3 = -1, ett_hepv3_chunk = -1;

static expert_field ei_hepv3_truncated = EI_INIT, ei_hepv3_total_too_short = EI_INIT,
                    ei_hepv3_chunk_too_short = EI_INIT, ei_hepv3_chunk_truncated = EI_INIT,
                    ei_hepv3_trailing_bytes = EI_INIT, ei_hepv3_chunk_wrong_size = EI_INIT,
                    ei_hepv3_no_payload = EI_INIT, ei_hepv3_bytes_after_packet = EI_INIT;

static dissector_handle_t hepv3_handle;
static dissector_handle_t sip_handle;

/* The generic chunk types (vendor 0), as core/hep.h lists them. */
static const value_string hepv3_chunk_types[] = {
    { HEP_CHUNK_IP_FAMILY, "IP family" },
    { HEP_CHUNK_IP_PROTOCOL, "IP protocol" },
    { HEP_CHUNK_IPV4_SOURCE, "IPv4 source address" },
    { HEP_CHUNK_IPV4_DESTINATION, "IPv4 destination address" },
    { HEP_CHUNK_IPV6_SOURCE, "IPv6 source address" },
    { HEP_CHUNK_IPV6_DESTINATION, "IPv6 destination address" },
    { HEP_CHUNK_SOURCE_PORT, "Source port" },
    { HEP_CHUNK_DESTINATION_PORT, "Destination port" },
    { HEP_CHUNK_TIME_SECONDS, "Timestamp seconds" },
    { HEP_CHUNK_TIME_MICROSECONDS, "Timestamp microseconds" },
    { HEP_CHUNK_PROTOCOL_TYPE, "Protocol type" },
    { HEP_CHUNK_CAPTURE_ID, "Capture agent ID" },
    { HEP_CHUNK_KEEPALIVE_TIMER, "Keep-alive timer" },
    { HEP_CHUNK_AUTH_KEY, "Authentication key" },
    { HEP_CHUNK_PAYLOAD, "Payload" },
    { HEP_CHUNK_COMPRESSED_PAYLOAD, "Compressed payload" },
    { HEP_CHUNK_CORRELATION_ID, "Correlation ID" },
    { HEP_CHUNK_VLAN_ID, "VLAN ID" },
    { HEP_CHUNK_CAPTURE_NAME, "Capture agent name" },
    { 0, NULL },
};

static const value_string hepv3_ip_families[] = {
    { HEP_FAMILY_IPV4, "IPv4" },
    { HEP_FAMILY_IPV6, "IPv6" },
    { 0, NULL },
};

/* What the payload is (chunk 11), from the HEP3 specification. */
static const value_string hepv3_proto_types[] = {
    { 0x01, "SIP" },
    { 0x02, "XMPP" },
    { 0x03, "SDP" },
    { 0x04, "RTP" },
    { 0x05, "RTCP (JSON)" },
    { 0x06, "MGCP" },
    { 0x07, "MEGACO (H.248)" },
    { 0x08, "M2UA (SS7/SIGTRAN)" },
    { 0x09, "M3UA (SS7/SIGTRAN)" },
    { 0x0a, "IAX" },
    { 0x0b, "H.322" },
    { 0x0c, "H.321" },
    { 0x0d, "M2PA" },
    { 0x22, "MOS full report (JSON)" },
    { 0x23, "MOS short report" },
    { 0x32, "SIP (JSON)" },
    { 0x35, "DNS (JSON)" },
    { 0x36, "M3UA ISUP (JSON)" },
    { 0x37, "RTSP (JSON)" },
    { 0x38, "Diameter (JSON)" },
    { 0x39, "GSM MAP (JSON)" },
    { 0x64, "Log" },
    { 0, NULL },
};

/* ---------- the tree ---------- */

/* Vendor, type and length under a chunk's item. */
static void add_chunk_header(proto_item *item, tvbuff_t *tvb, const hep_chunk *chunk)
{
    proto_tree *subtree = proto_item_add_subtree(item, ett_hepv3_chunk);
    proto_tree_add_item(subtree, hf_hepv3_chunk_vendor, tvb, (gint)chunk->offset, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(subtree, hf_hepv3_chunk_type, tvb, (gint)chunk->offset + 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(subtree, hf_hepv3_chunk_length, tvb, (gint)chunk->offset + 4, 2, ENC_BIG_ENDIAN);
}

/* A chunk shown by its bytes: another vendor's, an unknown type, a value of
 * the wrong size, the compressed payload. */
static proto_item *add_opaque_chunk(proto_tree *tree, tvbuff_t *tvb, const hep_chunk *chunk)
{
    proto_item *item = proto_tree_add_item(tree, hf_hepv3_chunk, tvb, (gint)chunk->offset, chunk->length, ENC_NA);
    if (chunk->vendor == 0)
        proto_item_append_text(item, ": %s", val_to_str_const(chunk->type, hepv3_chunk_types, "Unknown type"));
    else
        proto_item_append_text(item, ": vendor %u, type %u", chunk->vendor, chunk->type);
    add_chunk_header(item, tvb, chunk);
    if (chunk->value_length > 0)
        proto_tree_add_item(proto_item_get_subtree(item), hf_hepv3_chunk_value, tvb, (gint)chunk->value_offset,
                            (gint)chunk->value_length, ENC_NA);
    return item;
}

/* One chunk: its value as a field spanning the whole chunk, with the chunk
 * header under it.  The value is read from the chunk itself (the parse keeps
 * only the last chunk of each type). */
static proto_item *add_chunk(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const hep_chunk *chunk)
{
    if (chunk->vendor != 0 || !hep_chunk_has_right_size(chunk))
        return add_opaque_chunk(tree, tvb, chunk);
    gint start = (gint)chunk->offset, length = chunk->length, value = (gint)chunk->value_offset;
    gint value_length = (gint)chunk->value_length;
    int hf;
    proto_item *item;
    switch (chunk->type) {
    case HEP_CHUNK_IP_FAMILY:
    case HEP_CHUNK_IP_PROTOCOL:
    case HEP_CHUNK_PROTOCOL_TYPE:
        hf = chunk->type == HEP_CHUNK_IP_FAMILY     ? hf_hepv3_ip_family
             : chunk->type == HEP_CHUNK_IP_PROTOCOL ? hf_hepv3_ip_protocol
                                                    : hf_hepv3_proto_type;
        item = proto_tree_add_uint(tree, hf, tvb, start, length, tvb_get_guint8(tvb, value));
        break;
    case HEP_CHUNK_SOURCE_PORT:
    case HEP_CHUNK_DESTINATION_PORT:
    case HEP_CHUNK_KEEPALIVE_TIMER:
    case HEP_CHUNK_VLAN_ID:
        hf = chunk->type == HEP_CHUNK_SOURCE_PORT        ? hf_hepv3_src_port
             : chunk->type == HEP_CHUNK_DESTINATION_PORT ? hf_hepv3_dst_port
             : chunk->type == HEP_CHUNK_KEEPALIVE_TIMER  ? hf_hepv3_keepalive_timer
                                                         : hf_hepv3_vlan_id;
        item = proto_tree_add_uint(tree, hf, tvb, start, length, tvb_get_ntohs(tvb, value));
        break;
    case HEP_CHUNK_TIME_SECONDS:
    case HEP_CHUNK_TIME_MICROSECONDS:
    case HEP_CHUNK_CAPTURE_ID:
        hf = chunk->type == HEP_CHUNK_TIME_SECONDS        ? hf_hepv3_timestamp_seconds
             : chunk->type == HEP_CHUNK_TIME_MICROSECONDS ? hf_hepv3_timestamp_microseconds
                                                          : hf_hepv3_capture_id;
        item = proto_tree_add_uint(tree, hf, tvb, start, length, tvb_get_ntohl(tvb, value));
        break;
    case HEP_CHUNK_IPV4_SOURCE:
    case HEP_CHUNK_IPV4_DESTINATION:
        hf = chunk->type == HEP_CHUNK_IPV4_SOURCE ? hf_hepv3_src_ip : hf_hepv3_dst_ip;
        item = proto_tree_add_ipv4(tree, hf, tvb, start, length, tvb_get_ipv4(tvb, value));
        break;
    case HEP_CHUNK_IPV6_SOURCE:
    case HEP_CHUNK_IPV6_DESTINATION: {
        ws_in6_addr address;
        tvb_get_ipv6(tvb, value, &address);
        hf = chunk->type == HEP_CHUNK_IPV6_SOURCE ? hf_hepv3_src_ipv6 : hf_hepv3_dst_ipv6;
        item = proto_tree_add_ipv6(tree, hf, tvb, start, length, &address);
        break;
    }
    case HEP_CHUNK_AUTH_KEY:
    case HEP_CHUNK_CORRELATION_ID:
    case HEP_CHUNK_CAPTURE_NAME:
        hf = chunk->type == HEP_CHUNK_AUTH_KEY         ? hf_hepv3_auth_key
             : chunk->type == HEP_CHUNK_CORRELATION_ID ? hf_hepv3_correlation_id
                                                       : hf_hepv3_capture_name;
        item = proto_tree_add_string(tree, hf, tvb, start, length,
                                     (const char *)tvb_get_string_enc(pinfo->pool, tvb, value, value_length,
                                                                      ENC_UTF_8 | ENC_NA));
        break;
    case HEP_CHUNK_PAYLOAD:
        item = proto_tree_add_uint(tree, hf_hepv3_payload_length, tvb, start, length, (guint32)value_length);
        break;
    default:
        return add_opaque_chunk(tree, tvb, chunk);
    }
    add_chunk_header(item, tvb, chunk);
    return item;
}

/* Every chunk in order; the expert infos of what stopped the walk early. */
static void add_chunks(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const guint8 *bytes,
                       const hep_packet *packet)
{
    gsize offset = HEP_HEADER_LENGTH;
    guint defects = 0;
    hep_chunk chunk;
    while (hep_next_chunk(bytes, packet->end, &offset, &chunk, &defects)) {
        proto_item *item = add_chunk(tree, tvb, pinfo, &chunk);
        if (chunk.vendor == 0 && !hep_chunk_has_right_size(&chunk))
            expert_add_info_format(pinfo, item, &ei_hepv3_chunk_wrong_size,
                                   "%s chunk of %u value bytes: %u expected; its value is not used",
                                   val_to_str_const(chunk.type, hepv3_chunk_types, "Unknown"),
                                   (guint)chunk.value_length, (guint)hep_chunk_value_size(chunk.type));
    }
    gint rest = (gint)(packet->end - offset);
    if (defects & HEP_DEFECT_CHUNK_TOO_SHORT)
        proto_tree_add_expert(tree, pinfo, &ei_hepv3_chunk_too_short, tvb, (gint)offset, rest);
    if (defects & HEP_DEFECT_CHUNK_TRUNCATED)
        proto_tree_add_expert(tree, pinfo, &ei_hepv3_chunk_truncated, tvb, (gint)offset, rest);
    if (defects & HEP_DEFECT_TRAILING_BYTES)
        proto_tree_add_expert(tree, pinfo, &ei_hepv3_trailing_bytes, tvb, (gint)offset, rest);
}

/* When the message was captured: chunks 9 and 10. */
static void add_timestamp(proto_tree *tree, tvbuff_t *tvb, const hep_packet *packet)
{
    if (!packet->has_time_seconds)
        return;
    nstime_t stamp;
    stamp.secs = (time_t)packet->time_seconds;
    stamp.nsecs = packet->has_time_microseconds && packet->time_microseconds < 1000000
                      ? (int)(packet->time_microseconds * 1000)
                      : 0;
    proto_item_set_generated(proto_tree_add_time(tree, hf_hepv3_timestamp, tvb, 0, 0, &stamp));
}

/* ", 127.0.0.1:5061 → 127.0.0.1:5060, TCP, SIP" after the protocol's name. */
static void summarize(proto_item *item, packet_info *pinfo, const hep_packet *packet)
{
    hep_address inner;
    address shown;
    if (hep_source_address(packet, &inner)) {
        set_address(&shown, inner.length == 4 ? AT_IPv4 : AT_IPv6, inner.length, inner.bytes);
        proto_item_append_text(item, ", Src: %s", address_to_str(pinfo->pool, &shown));
        if (packet->has_source_port)
            proto_item_append_text(item, ":%u", packet->source_port);
    }
    if (hep_destination_address(packet, &inner)) {
        set_address(&shown, inner.length == 4 ? AT_IPv4 : AT_IPv6, inner.length, inner.bytes);
        proto_item_append_text(item, ", Dst: %s", address_to_str(pinfo->pool, &shown));
        if (packet->has_destination_port)
            proto_item_append_text(item, ":%u", packet->destination_port);
    }
    if (packet->has_ip_protocol)
        proto_item_append_text(item, ", %s", val_to_str_ext_const(packet->ip_protocol, &ipproto_val_ext, "IP protocol"));
    if (packet->has_protocol_type)
        proto_item_append_text(item, ", %s", val_to_str_const(packet->protocol_type, hepv3_proto_types, "unknown payload"));
}

static void add_packet_defects(proto_tree *tree, proto_item *top, proto_item *total, packet_info *pinfo,
                               tvbuff_t *tvb, const hep_packet *packet)
{
    if (packet->defects & HEP_DEFECT_TRUNCATED)
        expert_add_info_format(pinfo, total, &ei_hepv3_truncated,
                               "The total length says %u bytes; the packet has %u",
                               (guint)packet->total_length, tvb_captured_length(tvb));
    if (packet->defects & HEP_DEFECT_TOTAL_TOO_SHORT)
        expert_add_info(pinfo, total, &ei_hepv3_total_too_short);
    if (packet->defects & HEP_DEFECT_BYTES_AFTER_PACKET)
        proto_tree_add_expert(tree, pinfo, &ei_hepv3_bytes_after_packet, tvb, (gint)packet->total_length, -1);
    if (packet->defects & HEP_DEFECT_NO_PAYLOAD)
        expert_add_info(pinfo, top, &ei_hepv3_no_payload);
}

/* ---------- the SIP inside ---------- */

static void set_both_addresses(packet_info *pinfo, address *address_field, address *net_field,
                               const hep_address *inner)
{
    address value;
    set_address(&value, inner->length == 4 ? AT_IPv4 : AT_IPv6, inner->length, inner->bytes);
    copy_address_wmem(pinfo->pool, address_field, &value);
    copy_address_wmem(pinfo->pool, net_field, &value);
}

/* The transport the message itself used (chunk 2), as the SIP layer and
 * siptxn read it from pinfo->ptype; PT_NONE when HEP does not say. */
static port_type inner_port_type(const hep_packet *packet)
{
    if (!packet->has_ip_protocol)
        return PT_NONE;
    switch (packet->ip_protocol) {
    case IP_PROTO_TCP:
        return PT_TCP;
    case IP_PROTO_UDP:
        return PT_UDP;
    case IP_PROTO_SCTP:
        return PT_SCTP;
    default:
        return PT_NONE;
    }
}

/* The captured message's endpoints and transport replace the collector's
 * path in pinfo for the rest of the frame: what the chunks give.  The outer
 * layers have already added their fields and are not dissected again. */
static void use_inner_endpoints(packet_info *pinfo, const hep_packet *packet)
{
    hep_address inner;
    if (hep_source_address(packet, &inner))
        set_both_addresses(pinfo, &pinfo->src, &pinfo->net_src, &inner);
    if (hep_destination_address(packet, &inner))
        set_both_addresses(pinfo, &pinfo->dst, &pinfo->net_dst, &inner);
    if (packet->has_source_port)
        pinfo->srcport = packet->source_port;
    if (packet->has_destination_port)
        pinfo->destport = packet->destination_port;
    pinfo->ptype = inner_port_type(packet);
}

/* SIP goes to Wireshark's SIP dissector as the message's own hop; any other
 * payload is shown as data.  An exception in the payload stays in it. */
static void dissect_payload(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const hep_packet *packet)
{
    if (!packet->has_payload || packet->payload_length == 0)
        return;
    tvbuff_t *payload = tvb_new_subset_length(tvb, (gint)packet->payload_offset, (gint)packet->payload_length);
    gboolean is_sip = packet->has_protocol_type && packet->protocol_type == HEP_PROTOCOL_TYPE_SIP && sip_handle;
    if (is_sip)
        use_inner_endpoints(pinfo, packet);
    TRY {
        if (is_sip)
            call_dissector(sip_handle, payload, pinfo, tree);
        else
            call_data_dissector(payload, pinfo, tree);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(payload, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
}

/* ---------- dissectors ---------- */

static int dissect_hepv3(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    guint length = tvb_captured_length(tvb);
    const guint8 *bytes = length ? tvb_get_ptr(tvb, 0, (gint)length) : NULL;
    hep_packet packet;
    if (!hep_parse(bytes, length, &packet))
        return 0;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "HEPv3");
    col_add_fstr(pinfo->cinfo, COL_INFO, "HEP v3, %s",
                 packet.has_protocol_type ? val_to_str_const(packet.protocol_type, hepv3_proto_types, "unknown payload")
                                          : "no protocol type");

    proto_item *top = proto_tree_add_item(tree, proto_hepv3, tvb, 0, (gint)packet.end, ENC_NA);
    proto_tree *hep_tree = proto_item_add_subtree(top, ett_hepv3);
    summarize(top, pinfo, &packet);
    proto_tree_add_uint(hep_tree, hf_hepv3_version, tvb, 0, 4, 3);
    proto_item *total = proto_tree_add_item(hep_tree, hf_hepv3_length, tvb, 4, 2, ENC_BIG_ENDIAN);
    add_chunks(hep_tree, tvb, pinfo, bytes, &packet);
    add_timestamp(hep_tree, tvb, &packet);
    add_packet_defects(hep_tree, top, total, pinfo, tvb, &packet);

    dissect_payload(tvb, pinfo, tree, &packet);
    return (gint)length;
}

/* "HEP3" and a total length that is the whole datagram or segment: four
 * fixed bytes and a length that must agree, so the heuristic is on by
 * default.  Over TCP only a segment holding exactly one packet is taken. */
static siptxn_heur_result dissect_hepv3_heuristic(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (tvb_captured_length(tvb) < HEP_HEADER_LENGTH || tvb_memeql(tvb, 0, (const guint8 *)"HEP3", 4) != 0 ||
        tvb_get_ntohs(tvb, 4) != tvb_reported_length(tvb))
        return FALSE;
    dissect_hepv3(tvb, pinfo, tree, data);
    return TRUE;
}

void proto_register_hepv3(void)
{
    static hf_register_info hf[] = {
        { &hf_hepv3_version, { "Version", "hepv3.version", FT_UINT8, BASE_DEC, NULL, 0x0,
            "HEP version, from the \"HEP3\" the packet starts with", HFILL } },
        { &hf_hepv3_length, { "Total length", "hepv3.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Bytes in the HEP packet, its header included", HFILL } },
        { &hf_hepv3_chunk, { "Chunk", "hepv3.chunk", FT_NONE, BASE_NONE, NULL, 0x0,
            "A chunk shown by its bytes: another vendor's, an unknown type or a value of the wrong size", HFILL } },
        { &hf_hepv3_chunk_vendor, { "Vendor", "hepv3.chunk.vendor", FT_UINT16, BASE_HEX, NULL, 0x0,
            "Vendor id of the chunk; 0 for the generic chunks", HFILL } },
        { &hf_hepv3_chunk_type, { "Type", "hepv3.chunk.type", FT_UINT16, BASE_DEC, VALS(hepv3_chunk_types), 0x0,
            NULL, HFILL } },
        { &hf_hepv3_chunk_length, { "Length", "hepv3.chunk.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Bytes in the chunk, its 6-byte header included", HFILL } },
        { &hf_hepv3_chunk_value, { "Value", "hepv3.chunk.value", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_hepv3_ip_family, { "IP family", "hepv3.ip_family", FT_UINT8, BASE_DEC, VALS(hepv3_ip_families), 0x0,
            NULL, HFILL } },
        { &hf_hepv3_ip_protocol, { "IP protocol", "hepv3.ip_protocol", FT_UINT8, BASE_DEC | BASE_EXT_STRING,
            &ipproto_val_ext, 0x0, "The transport the captured message used", HFILL } },
        { &hf_hepv3_src_ip, { "Source address", "hepv3.src_ip", FT_IPv4, BASE_NONE, NULL, 0x0,
            "Where the captured message came from", HFILL } },
        { &hf_hepv3_dst_ip, { "Destination address", "hepv3.dst_ip", FT_IPv4, BASE_NONE, NULL, 0x0,
            "Where the captured message went", HFILL } },
        { &hf_hepv3_src_ipv6, { "Source address", "hepv3.src_ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "Where the captured message came from", HFILL } },
        { &hf_hepv3_dst_ipv6, { "Destination address", "hepv3.dst_ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "Where the captured message went", HFILL } },
        { &hf_hepv3_src_port, { "Source port", "hepv3.src_port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_hepv3_dst_port, { "Destination port", "hepv3.dst_port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_hepv3_timestamp, { "Timestamp", "hepv3.timestamp", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_LOCAL, NULL, 0x0,
            "When the capture agent saw the message (chunks 9 and 10)", HFILL } },
        { &hf_hepv3_timestamp_seconds, { "Timestamp seconds", "hepv3.timestamp.seconds", FT_UINT32, BASE_DEC, NULL,
            0x0, NULL, HFILL } },
        { &hf_hepv3_timestamp_microseconds, { "Timestamp microseconds", "hepv3.timestamp.microseconds", FT_UINT32,
            BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_hepv3_proto_type, { "Protocol type", "hepv3.proto_type", FT_UINT8, BASE_DEC, VALS(hepv3_proto_types),
            0x0, "What the payload is", HFILL } },
        { &hf_hepv3_capture_id, { "Capture agent ID", "hepv3.capture_id", FT_UINT32, BASE_DEC, NULL, 0x0, NULL,
            HFILL } },
        { &hf_hepv3_keepalive_timer, { "Keep-alive timer", "hepv3.keepalive_timer", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_hepv3_auth_key, { "Authentication key", "hepv3.auth_key", FT_STRING, BASE_NONE, NULL, 0x0, NULL,
            HFILL } },
        { &hf_hepv3_payload_length, { "Payload length", "hepv3.payload_length", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Bytes of the captured message (chunk 15)", HFILL } },
        { &hf_hepv3_correlation_id, { "Correlation ID", "hepv3.correlation_id", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_hepv3_vlan_id, { "VLAN ID", "hepv3.vlan_id", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_hepv3_capture_name, { "Capture agent name", "hepv3.capture_name", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
    };
    static gint *ett[] = { &ett_hepv3, &ett_hepv3_chunk };
    static ei_register_info ei[] = {
        { &ei_hepv3_truncated, { "hepv3.expert.truncated", PI_MALFORMED, PI_ERROR,
            "The HEP packet is shorter than its total length", EXPFILL } },
        { &ei_hepv3_total_too_short, { "hepv3.expert.total_too_short", PI_MALFORMED, PI_ERROR,
            "The total length is less than the 6-byte HEP header; the chunks are read to the end of the data",
            EXPFILL } },
        { &ei_hepv3_chunk_too_short, { "hepv3.expert.chunk.too_short", PI_MALFORMED, PI_ERROR,
            "A chunk length less than the 6-byte chunk header; the chunks from here on are not read", EXPFILL } },
        { &ei_hepv3_chunk_truncated, { "hepv3.expert.chunk.truncated", PI_MALFORMED, PI_ERROR,
            "A chunk runs past the end of the HEP packet; it is not read", EXPFILL } },
        { &ei_hepv3_trailing_bytes, { "hepv3.expert.trailing_bytes", PI_MALFORMED, PI_WARN,
            "Bytes after the last chunk, too few for a chunk header", EXPFILL } },
        { &ei_hepv3_chunk_wrong_size, { "hepv3.expert.chunk.wrong_size", PI_MALFORMED, PI_ERROR,
            "A chunk value of the wrong size for its type; its value is not used", EXPFILL } },
        { &ei_hepv3_bytes_after_packet, { "hepv3.expert.bytes_after_packet", PI_MALFORMED, PI_WARN,
            "Bytes after the HEP packet's total length", EXPFILL } },
        { &ei_hepv3_no_payload, { "hepv3.expert.no_payload", PI_PROTOCOL, PI_NOTE,
            "The HEP packet carries no payload chunk", EXPFILL } },
    };

    proto_hepv3 = proto_register_protocol("HEP v3 (Homer Encapsulation Protocol)", "HEPv3", "hepv3");
    proto_register_field_array(proto_hepv3, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_hepv3 = expert_register_protocol(proto_hepv3);
    expert_register_field_array(expert_hepv3, ei, array_length(ei));
    hepv3_handle = register_dissector("hepv3", dissect_hepv3, proto_hepv3);
}

void proto_reg_handoff_hepv3(void)
{
    sip_handle = find_dissector_add_dependency("sip", proto_hepv3);
    /* No default port: collectors listen where they are told (9060 is usual). */
    dissector_add_for_decode_as_with_preference("udp.port", hepv3_handle);
    heur_dissector_add("udp", dissect_hepv3_heuristic, "HEP v3 over UDP", "hepv3_udp", proto_hepv3,
                       HEURISTIC_ENABLE);
    heur_dissector_add("tcp", dissect_hepv3_heuristic, "HEP v3 over TCP", "hepv3_tcp", proto_hepv3,
                       HEURISTIC_ENABLE);
}
