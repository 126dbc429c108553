/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hep.c: one HEP v3 packet read into a hep_packet.  See hep.h. */

#include <string.h>

#include "hep.h"

static guint16 read_u16(const guint8 *bytes)
{
    return (guint16)((bytes[0] << 8) | bytes[1]);
}

static guint32 read_u32(const guint8 *bytes)
{
    return ((guint32)bytes[0] << 24) | ((guint32)bytes[1] << 16) | ((guint32)bytes[2] << 8) | bytes[3];
}

gboolean hep_has_magic(const guint8 *data, gsize length)
{
    return data && length >= HEP_HEADER_LENGTH && memcmp(data, "HEP3", 4) == 0;
}

gboolean hep_next_chunk(const guint8 *data, gsize end, gsize *offset, hep_chunk *chunk, guint *defects)
{
    if (*offset >= end)
        return FALSE;
    gsize left = end - *offset;
    if (left < HEP_CHUNK_HEADER_LENGTH) {
        *defects |= HEP_DEFECT_TRAILING_BYTES;
        return FALSE;
    }
    const guint8 *header = data + *offset;
    guint16 length = read_u16(header + 4);
    /* A length that does not even cover its header would never move on. */
    if (length < HEP_CHUNK_HEADER_LENGTH) {
        *defects |= HEP_DEFECT_CHUNK_TOO_SHORT;
        return FALSE;
    }
    if (length > left) {
        *defects |= HEP_DEFECT_CHUNK_TRUNCATED;
        return FALSE;
    }
    chunk->offset = *offset;
    chunk->vendor = read_u16(header);
    chunk->type = read_u16(header + 2);
    chunk->length = length;
    chunk->value_offset = *offset + HEP_CHUNK_HEADER_LENGTH;
    chunk->value_length = (gsize)length - HEP_CHUNK_HEADER_LENGTH;
    *offset += length;
    return TRUE;
}

gsize hep_chunk_value_size(guint16 type)
{
    switch (type) {
    case HEP_CHUNK_IP_FAMILY:
    case HEP_CHUNK_IP_PROTOCOL:
    case HEP_CHUNK_PROTOCOL_TYPE:
        return 1;
    case HEP_CHUNK_SOURCE_PORT:
    case HEP_CHUNK_DESTINATION_PORT:
    case HEP_CHUNK_KEEPALIVE_TIMER:
    case HEP_CHUNK_VLAN_ID:
        return 2;
    case HEP_CHUNK_IPV4_SOURCE:
    case HEP_CHUNK_IPV4_DESTINATION:
    case HEP_CHUNK_TIME_SECONDS:
    case HEP_CHUNK_TIME_MICROSECONDS:
    case HEP_CHUNK_CAPTURE_ID:
        return 4;
    case HEP_CHUNK_IPV6_SOURCE:
    case HEP_CHUNK_IPV6_DESTINATION:
        return 16;
    default:
        return 0;
    }
}

gboolean hep_chunk_has_right_size(const hep_chunk *chunk)
{
    gsize size = hep_chunk_value_size(chunk->type);
    return chunk->vendor != 0 || size == 0 || chunk->value_length == size;
}

static void keep_address(hep_address *address, const guint8 *value, gsize length)
{
    memcpy(address->bytes, value, length);
    address->length = (guint8)length;
}

/* Takes the value of one generic chunk into the packet. */
static void keep_generic_chunk(hep_packet *packet, const guint8 *data, const hep_chunk *chunk)
{
    if (!hep_chunk_has_right_size(chunk)) {
        packet->defects |= HEP_DEFECT_CHUNK_WRONG_SIZE;
        return;
    }
    gsize size = chunk->value_length;
    const guint8 *value = data + chunk->value_offset;
    switch (chunk->type) {
    case HEP_CHUNK_IP_FAMILY:
        packet->has_ip_family = TRUE;
        packet->ip_family = value[0];
        break;
    case HEP_CHUNK_IP_PROTOCOL:
        packet->has_ip_protocol = TRUE;
        packet->ip_protocol = value[0];
        break;
    case HEP_CHUNK_IPV4_SOURCE:
        keep_address(&packet->ipv4_source, value, size);
        break;
    case HEP_CHUNK_IPV4_DESTINATION:
        keep_address(&packet->ipv4_destination, value, size);
        break;
    case HEP_CHUNK_IPV6_SOURCE:
        keep_address(&packet->ipv6_source, value, size);
        break;
    case HEP_CHUNK_IPV6_DESTINATION:
        keep_address(&packet->ipv6_destination, value, size);
        break;
    case HEP_CHUNK_SOURCE_PORT:
        packet->has_source_port = TRUE;
        packet->source_port = read_u16(value);
        break;
    case HEP_CHUNK_DESTINATION_PORT:
        packet->has_destination_port = TRUE;
        packet->destination_port = read_u16(value);
        break;
    case HEP_CHUNK_TIME_SECONDS:
        packet->has_time_seconds = TRUE;
        packet->time_seconds = read_u32(value);
        break;
    case HEP_CHUNK_TIME_MICROSECONDS:
        packet->has_time_microseconds = TRUE;
        packet->time_microseconds = read_u32(value);
        break;
    case HEP_CHUNK_PROTOCOL_TYPE:
        packet->has_protocol_type = TRUE;
        packet->protocol_type = value[0];
        break;
    case HEP_CHUNK_CAPTURE_ID:
        packet->has_capture_id = TRUE;
        packet->capture_id = read_u32(value);
        break;
    case HEP_CHUNK_PAYLOAD:
        packet->has_payload = TRUE;
        packet->payload_offset = chunk->value_offset;
        packet->payload_length = chunk->value_length;
        break;
    default:
        break;
    }
}

gboolean hep_parse(const guint8 *data, gsize length, hep_packet *packet)
{
    memset(packet, 0, sizeof(*packet));
    if (!hep_has_magic(data, length))
        return FALSE;
    packet->total_length = read_u16(data + 4);
    packet->end = packet->total_length;
    if (packet->total_length < HEP_HEADER_LENGTH) {
        /* The length cannot be right: read what is there. */
        packet->defects |= HEP_DEFECT_TOTAL_TOO_SHORT;
        packet->end = length;
    } else if (packet->total_length > length) {
        packet->defects |= HEP_DEFECT_TRUNCATED;
        packet->end = length;
    } else if (packet->total_length < length) {
        packet->defects |= HEP_DEFECT_BYTES_AFTER_PACKET;
    }

    gsize offset = HEP_HEADER_LENGTH;
    hep_chunk chunk;
    while (hep_next_chunk(data, packet->end, &offset, &chunk, &packet->defects)) {
        packet->chunk_count++;
        if (chunk.vendor == 0)
            keep_generic_chunk(packet, data, &chunk);
    }
    if (!packet->has_payload)
        packet->defects |= HEP_DEFECT_NO_PAYLOAD;
    return TRUE;
}

/* The address of the family the packet names, else any it has. */
static gboolean choose_address(const hep_packet *packet, const hep_address *ipv4, const hep_address *ipv6,
                               hep_address *address)
{
    const hep_address *chosen;
    if (packet->has_ip_family && packet->ip_family == HEP_FAMILY_IPV6 && ipv6->length)
        chosen = ipv6;
    else if (packet->has_ip_family && packet->ip_family == HEP_FAMILY_IPV4 && ipv4->length)
        chosen = ipv4;
    else
        chosen = ipv4->length ? ipv4 : ipv6;
    *address = *chosen;
    return address->length != 0;
}

gboolean hep_source_address(const hep_packet *packet, hep_address *address)
{
    return choose_address(packet, &packet->ipv4_source, &packet->ipv6_source, address);
}

gboolean hep_destination_address(const hep_packet *packet, hep_address *address)
{
    return choose_address(packet, &packet->ipv4_destination, &packet->ipv6_destination, address);
}
