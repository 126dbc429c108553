/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hep.h: reads one HEP v3 packet (Homer Encapsulation Protocol version 3, as
 * kamailio's siptrace module, opensips and captagent send it to a collector).
 *
 * A HEP v3 packet is the four bytes "HEP3", its total length (16 bits), then
 * chunks, each a vendor id, a type id and a length (16 bits each, the length
 * counting the 6-byte chunk header) and a value; every number is big-endian.
 * The generic chunks (vendor 0) carry the captured message's own endpoints,
 * transport, time and the message itself.  HEP has no RFC: the sipcapture
 * project's "HEP3 Network Protocol Specification" is the reference.
 *
 * Plain C + GLib: the Wireshark shell (plugin/hep.c), the unit tests and the
 * fuzzer call it directly.  Nothing here trusts a length in the packet: every
 * read is bounded by the bytes given, and every step moves forward, so any
 * input ends in at most length / 6 steps.
 */
#ifndef SIPTXN_HEP_H
#define SIPTXN_HEP_H

#include <glib.h>

/* "HEP3" and the total length. */
#define HEP_HEADER_LENGTH 6
/* Vendor id, type id and length. */
#define HEP_CHUNK_HEADER_LENGTH 6

/* The generic chunk types (vendor 0) of the specification. */
typedef enum {
    HEP_CHUNK_IP_FAMILY = 1,          /* u8: 2 IPv4, 10 IPv6 */
    HEP_CHUNK_IP_PROTOCOL = 2,        /* u8: IANA protocol number, 6 TCP, 17 UDP, 132 SCTP */
    HEP_CHUNK_IPV4_SOURCE = 3,        /* 4 bytes */
    HEP_CHUNK_IPV4_DESTINATION = 4,   /* 4 bytes */
    HEP_CHUNK_IPV6_SOURCE = 5,        /* 16 bytes */
    HEP_CHUNK_IPV6_DESTINATION = 6,   /* 16 bytes */
    HEP_CHUNK_SOURCE_PORT = 7,        /* u16 */
    HEP_CHUNK_DESTINATION_PORT = 8,   /* u16 */
    HEP_CHUNK_TIME_SECONDS = 9,       /* u32, seconds since 1970 */
    HEP_CHUNK_TIME_MICROSECONDS = 10, /* u32 */
    HEP_CHUNK_PROTOCOL_TYPE = 11,     /* u8: what the payload is, 1 SIP */
    HEP_CHUNK_CAPTURE_ID = 12,        /* u32: the capture agent */
    HEP_CHUNK_KEEPALIVE_TIMER = 13,   /* u16 */
    HEP_CHUNK_AUTH_KEY = 14,          /* string */
    HEP_CHUNK_PAYLOAD = 15,           /* the captured message */
    HEP_CHUNK_COMPRESSED_PAYLOAD = 16,
    HEP_CHUNK_CORRELATION_ID = 17,    /* string */
    HEP_CHUNK_VLAN_ID = 18,           /* u16 */
    HEP_CHUNK_CAPTURE_NAME = 19,      /* string */
} hep_chunk_type;

/* Values of the IP family chunk (the BSD socket address families). */
#define HEP_FAMILY_IPV4 2
#define HEP_FAMILY_IPV6 10

/* Values of the protocol type chunk this plugin acts on. */
#define HEP_PROTOCOL_TYPE_SIP 1

/* What is wrong with a packet.  Each becomes an expert info; the packet is
 * still read as far as its bytes allow. */
typedef enum {
    /* The total length is more than the bytes there are: the rest is read. */
    HEP_DEFECT_TRUNCATED            = 1u << 0,
    /* The total length is less than the 6-byte header itself. */
    HEP_DEFECT_TOTAL_TOO_SHORT      = 1u << 1,
    /* A chunk length below the 6-byte chunk header: reading stops there,
     * since a zero-length chunk would never move forward. */
    HEP_DEFECT_CHUNK_TOO_SHORT      = 1u << 2,
    /* A chunk runs past the end of the packet: reading stops there. */
    HEP_DEFECT_CHUNK_TRUNCATED      = 1u << 3,
    /* Fewer than 6 bytes left at the end, too few for a chunk header. */
    HEP_DEFECT_TRAILING_BYTES       = 1u << 4,
    /* A generic chunk whose value has not the size its type needs (an IPv4
     * address of 3 bytes, a port of 4): its value is not used. */
    HEP_DEFECT_CHUNK_WRONG_SIZE     = 1u << 5,
    /* No payload chunk. */
    HEP_DEFECT_NO_PAYLOAD           = 1u << 6,
    /* More bytes than the total length: they are not part of the packet (over
     * UDP, one datagram carries one packet). */
    HEP_DEFECT_BYTES_AFTER_PACKET   = 1u << 7,
} hep_defect;

/* One chunk as it lies in the packet: offsets count from the packet's first
 * byte, and value_offset + value_length never passes the packet's end. */
typedef struct {
    gsize   offset;        /* of the chunk header */
    guint16 vendor;
    guint16 type;
    guint16 length;        /* as written, header included */
    gsize   value_offset;
    gsize   value_length;
} hep_chunk;

/* An address from an IPv4 (4 bytes) or IPv6 (16 bytes) chunk; length 0: none. */
typedef struct {
    guint8 bytes[16];
    guint8 length;
} hep_address;

/* What one HEP v3 packet says about the message it carries.  A has_ flag
 * says whether a well-formed chunk gave the value; a chunk given twice: the
 * last one counts. */
typedef struct {
    gsize    total_length;     /* from the header */
    gsize    end;              /* where reading stops: the total length or the bytes there are, the less */
    guint    defects;          /* hep_defect */
    guint    chunk_count;

    gboolean has_ip_family;
    guint8   ip_family;        /* HEP_FAMILY_IPV4, HEP_FAMILY_IPV6 */
    gboolean has_ip_protocol;
    guint8   ip_protocol;      /* 6 TCP, 17 UDP, 132 SCTP */
    hep_address ipv4_source, ipv4_destination;
    hep_address ipv6_source, ipv6_destination;
    gboolean has_source_port, has_destination_port;
    guint16  source_port, destination_port;
    gboolean has_time_seconds, has_time_microseconds;
    guint32  time_seconds, time_microseconds;
    gboolean has_protocol_type;
    guint8   protocol_type;    /* HEP_PROTOCOL_TYPE_SIP */
    gboolean has_capture_id;
    guint32  capture_id;
    gboolean has_payload;
    gsize    payload_offset;   /* from the packet's first byte */
    gsize    payload_length;
} hep_packet;

/* Whether the bytes start with "HEP3" and a total length: what is needed to
 * call them a HEP v3 packet at all. */
gboolean hep_has_magic(const guint8 *data, gsize length);

/* The chunk at *offset, read no further than `end` (the packet's end, at most
 * the bytes there are).  Returns FALSE at the end of the chunks, adding to
 * *defects (hep_defect) what stopped reading early; otherwise fills *chunk and
 * moves *offset past it (always forward). */
gboolean hep_next_chunk(const guint8 *data, gsize end, gsize *offset, hep_chunk *chunk, guint *defects);

/* The size a generic chunk's value must have for this reader to use it (1
 * for the IP family, 4 for an IPv4 address, ...); 0 for any size (strings,
 * the payload, types it does not know). */
gsize hep_chunk_value_size(guint16 type);

/* Whether the chunk's value is one this reader uses: a generic chunk of the
 * size its type needs (another vendor's chunks are not read at all). */
gboolean hep_chunk_has_right_size(const hep_chunk *chunk);

/* Reads a whole packet.  Returns FALSE, leaving *packet cleared, when the
 * bytes do not start with "HEP3" and a total length; TRUE otherwise, even for
 * a damaged packet (see packet->defects). */
gboolean hep_parse(const guint8 *data, gsize length, hep_packet *packet);

/* The captured message's source or destination address: the one the IP
 * family chunk names, else whichever address chunk there is (IPv4 first).
 * Returns FALSE, with length 0, when the packet has none. */
gboolean hep_source_address(const hep_packet *packet, hep_address *address);
gboolean hep_destination_address(const hep_packet *packet, hep_address *address);

#endif /* SIPTXN_HEP_H */
