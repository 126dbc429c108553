/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_hep.c: the HEP v3 reader (plugin/core/hep.c) on a packet kamailio's
 * siptrace module sent (frame 14 of test-captures/hep-siptrace.pcapng), on
 * packets built by hand for what that capture does not show, and on hostile
 * bytes: every read stays inside the bytes given and every input ends. */

#include <string.h>

#include <glib.h>

#include "hep.h"

/* Frame 14 of test-captures/hep-siptrace.pcapng, the UDP payload kamailio
 * sent to the collector: the proxy's 200 OK to the caller's BYE, over TCP
 * from 127.0.0.1:5060 to 127.0.0.1:5061 (`python3 scripts/record/hep.py
 * table test-captures/hep-siptrace.pcapng`; the bytes: tshark -r ... -Y
 * frame.number==14 -T fields -e udp.payload). */
static const guint8 FRAME_14_CHUNKS[] = {
    'H', 'E', 'P', '3', 0x01, 0x61,                   /* total length 353 */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x07, 0x02,         /* IP family: 2, IPv4 */
    0x00, 0x00, 0x00, 0x02, 0x00, 0x07, 0x06,         /* IP protocol: 6, TCP */
    0x00, 0x00, 0x00, 0x03, 0x00, 0x0a, 0x7f, 0x00, 0x00, 0x01, /* IPv4 source 127.0.0.1 */
    0x00, 0x00, 0x00, 0x04, 0x00, 0x0a, 0x7f, 0x00, 0x00, 0x01, /* IPv4 destination 127.0.0.1 */
    0x00, 0x00, 0x00, 0x07, 0x00, 0x08, 0x13, 0xc4,   /* source port 5060 */
    0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x13, 0xc5,   /* destination port 5061 */
    0x00, 0x00, 0x00, 0x09, 0x00, 0x0a, 0x6b, 0x14, 0xe1, 0x3b, /* seconds 1796530491 */
    0x00, 0x00, 0x00, 0x0a, 0x00, 0x0a, 0x00, 0x0c, 0xfa, 0x6c, /* microseconds 850540 */
    0x00, 0x00, 0x00, 0x0b, 0x00, 0x07, 0x01,         /* protocol type: 1, SIP */
    0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x00, 0x07, 0xd1, /* capture id 2001 */
    0x00, 0x00, 0x00, 0x0f, 0x01, 0x04,               /* payload, 260 bytes with the header */
};

static const char FRAME_14_PAYLOAD[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bK-10076-1-6\r\n"
    "From: \"Alice\" <sip:alice@127.0.0.1:5061>;tag=10076SIPpTag001\r\n"
    "To: \"Bob\" <sip:bob@127.0.0.1:5060>;tag=10071SIPpTag011\r\n"
    "Call-ID: 1-10076@127.0.0.1\r\n"
    "CSeq: 2 BYE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

#define FRAME_14_LENGTH 353

/* Frame 14 in a buffer of exactly its size (g_free it). */
static guint8 *frame_14(void)
{
    g_assert_cmpuint(sizeof(FRAME_14_CHUNKS) + strlen(FRAME_14_PAYLOAD), ==, FRAME_14_LENGTH);
    guint8 *bytes = g_malloc(FRAME_14_LENGTH);
    memcpy(bytes, FRAME_14_CHUNKS, sizeof(FRAME_14_CHUNKS));
    memcpy(bytes + sizeof(FRAME_14_CHUNKS), FRAME_14_PAYLOAD, strlen(FRAME_14_PAYLOAD));
    return bytes;
}

/* A packet built chunk by chunk; hep_builder_finish() writes the total length. */
typedef struct {
    GByteArray *bytes;
} hep_builder;

static hep_builder builder_new(void)
{
    hep_builder builder = { g_byte_array_new() };
    static const guint8 header[] = { 'H', 'E', 'P', '3', 0, 0 };
    g_byte_array_append(builder.bytes, header, sizeof(header));
    return builder;
}

static void add_chunk_with_length(hep_builder *builder, guint16 vendor, guint16 type, guint16 length,
                                  const void *value, gsize value_length)
{
    const guint8 header[] = { vendor >> 8, vendor & 0xff, type >> 8, type & 0xff, length >> 8, length & 0xff };
    g_byte_array_append(builder->bytes, header, sizeof(header));
    g_byte_array_append(builder->bytes, value, (guint)value_length);
}

static void add_chunk(hep_builder *builder, guint16 type, const void *value, gsize value_length)
{
    add_chunk_with_length(builder, 0, type, (guint16)(value_length + HEP_CHUNK_HEADER_LENGTH), value,
                          value_length);
}

static void add_u8(hep_builder *builder, guint16 type, guint8 value)
{
    add_chunk(builder, type, &value, 1);
}

/* The finished packet in a buffer of exactly its size; *length its size. */
static guint8 *builder_finish(hep_builder *builder, gsize *length)
{
    *length = builder->bytes->len;
    builder->bytes->data[4] = (guint8)(*length >> 8);
    builder->bytes->data[5] = (guint8)(*length & 0xff);
    return g_byte_array_free(builder->bytes, FALSE);
}

/* What must hold for any input: the payload and the end lie inside the
 * bytes, and the chunks read fit in them. */
static void check_invariants(const guint8 *data, gsize length, const hep_packet *packet, gboolean parsed)
{
    if (!parsed) {
        g_assert_cmpuint(packet->chunk_count, ==, 0);
        g_assert_false(packet->has_payload);
        g_assert_cmpuint(packet->defects, ==, 0);
        return;
    }
    g_assert_true(hep_has_magic(data, length));
    g_assert_cmpuint(packet->end, <=, length);
    g_assert_cmpuint(packet->chunk_count, <=, (length - HEP_HEADER_LENGTH) / HEP_CHUNK_HEADER_LENGTH);
    if (packet->has_payload) {
        g_assert_cmpuint(packet->payload_offset, >=, HEP_HEADER_LENGTH + HEP_CHUNK_HEADER_LENGTH);
        g_assert_cmpuint(packet->payload_offset + packet->payload_length, <=, packet->end);
    } else {
        g_assert_true(packet->defects & HEP_DEFECT_NO_PAYLOAD);
    }
    g_assert_true(packet->ipv4_source.length == 0 || packet->ipv4_source.length == 4);
    g_assert_true(packet->ipv6_source.length == 0 || packet->ipv6_source.length == 16);
}

/* Parses a copy of exactly `length` bytes, so that AddressSanitizer sees any
 * read past them, and checks the invariants. */
static gboolean parse_exact(const guint8 *data, gsize length, hep_packet *packet)
{
    guint8 *copy = g_malloc(length ? length : 1);
    if (length)
        memcpy(copy, data, length);
    gboolean parsed = hep_parse(copy, length, packet);
    check_invariants(copy, length, packet, parsed);
    g_free(copy);
    return parsed;
}

/* ---------- a packet from the capture ---------- */

static void test_capture_frame_14(void)
{
    guint8 *bytes = frame_14();
    hep_packet packet;
    g_assert_true(hep_parse(bytes, FRAME_14_LENGTH, &packet));
    g_assert_cmpuint(packet.defects, ==, 0);
    g_assert_cmpuint(packet.total_length, ==, FRAME_14_LENGTH);
    g_assert_cmpuint(packet.end, ==, FRAME_14_LENGTH);
    g_assert_cmpuint(packet.chunk_count, ==, 11);
    g_assert_true(packet.has_ip_family);
    g_assert_cmpuint(packet.ip_family, ==, HEP_FAMILY_IPV4);
    g_assert_true(packet.has_ip_protocol);
    g_assert_cmpuint(packet.ip_protocol, ==, 6);

    static const guint8 loopback[4] = { 127, 0, 0, 1 };
    hep_address address;
    g_assert_true(hep_source_address(&packet, &address));
    g_assert_cmpmem(address.bytes, address.length, loopback, sizeof(loopback));
    g_assert_true(hep_destination_address(&packet, &address));
    g_assert_cmpmem(address.bytes, address.length, loopback, sizeof(loopback));
    g_assert_cmpuint(packet.ipv6_source.length, ==, 0);

    g_assert_true(packet.has_source_port && packet.has_destination_port);
    g_assert_cmpuint(packet.source_port, ==, 5060);
    g_assert_cmpuint(packet.destination_port, ==, 5061);
    g_assert_true(packet.has_time_seconds && packet.has_time_microseconds);
    g_assert_cmpuint(packet.time_seconds, ==, 1796530491u);
    g_assert_cmpuint(packet.time_microseconds, ==, 850540u);
    g_assert_true(packet.has_protocol_type);
    g_assert_cmpuint(packet.protocol_type, ==, HEP_PROTOCOL_TYPE_SIP);
    g_assert_true(packet.has_capture_id);
    g_assert_cmpuint(packet.capture_id, ==, 2001);
    g_assert_true(packet.has_payload);
    g_assert_cmpuint(packet.payload_offset, ==, sizeof(FRAME_14_CHUNKS));
    g_assert_cmpmem(bytes + packet.payload_offset, packet.payload_length, FRAME_14_PAYLOAD,
                    strlen(FRAME_14_PAYLOAD));
    g_free(bytes);
}

/* The chunk iterator walks the same chunks, in order, with their offsets. */
static void test_capture_chunks_in_order(void)
{
    guint8 *bytes = frame_14();
    static const guint16 types[] = { 1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 15 };
    gsize offset = HEP_HEADER_LENGTH;
    guint defects = 0;
    hep_chunk chunk;
    for (gsize i = 0; i < G_N_ELEMENTS(types); i++) {
        gsize before = offset;
        g_assert_true(hep_next_chunk(bytes, FRAME_14_LENGTH, &offset, &chunk, &defects));
        g_assert_cmpuint(chunk.offset, ==, before);
        g_assert_cmpuint(chunk.vendor, ==, 0);
        g_assert_cmpuint(chunk.type, ==, types[i]);
        g_assert_cmpuint(chunk.value_offset, ==, before + HEP_CHUNK_HEADER_LENGTH);
        g_assert_cmpuint(offset, ==, before + chunk.length);
        g_assert_true(hep_chunk_has_right_size(&chunk));
    }
    g_assert_false(hep_next_chunk(bytes, FRAME_14_LENGTH, &offset, &chunk, &defects));
    g_assert_cmpuint(offset, ==, FRAME_14_LENGTH);
    g_assert_cmpuint(defects, ==, 0);
    g_free(bytes);
}

/* ---------- what the capture does not show ---------- */

static void test_not_hep(void)
{
    hep_packet packet;
    g_assert_false(hep_parse(NULL, 0, &packet));
    g_assert_false(parse_exact((const guint8 *)"HEP3", 4, &packet));      /* no total length */
    g_assert_false(parse_exact((const guint8 *)"HEP2\0\x06", 6, &packet));
    g_assert_false(parse_exact((const guint8 *)"\x02\x10\x02\x11\x13\xc4", 6, &packet)); /* HEP v2 */
    g_assert_false(parse_exact((const guint8 *)"INVITE sip:bob@example.com SIP/2.0\r\n", 36, &packet));
    g_assert_false(hep_has_magic((const guint8 *)"hep3\0\x06", 6));
}

static void test_header_only(void)
{
    hep_packet packet;
    g_assert_true(parse_exact((const guint8 *)"HEP3\0\x06", 6, &packet));
    g_assert_cmpuint(packet.chunk_count, ==, 0);
    g_assert_cmpuint(packet.defects, ==, HEP_DEFECT_NO_PAYLOAD);
}

static void test_ipv6_endpoints(void)
{
    static const guint8 source[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const guint8 destination[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
    static const guint8 port[2] = { 0x13, 0xc4 };
    hep_builder builder = builder_new();
    add_u8(&builder, HEP_CHUNK_IP_FAMILY, HEP_FAMILY_IPV6);
    add_u8(&builder, HEP_CHUNK_IP_PROTOCOL, 17);
    add_chunk(&builder, HEP_CHUNK_IPV6_SOURCE, source, sizeof(source));
    add_chunk(&builder, HEP_CHUNK_IPV6_DESTINATION, destination, sizeof(destination));
    add_chunk(&builder, HEP_CHUNK_SOURCE_PORT, port, sizeof(port));
    add_chunk(&builder, HEP_CHUNK_PAYLOAD, "OPTIONS", 7);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_cmpuint(packet.defects, ==, 0);
    hep_address address;
    g_assert_true(hep_source_address(&packet, &address));
    g_assert_cmpmem(address.bytes, address.length, source, sizeof(source));
    g_assert_true(hep_destination_address(&packet, &address));
    g_assert_cmpmem(address.bytes, address.length, destination, sizeof(destination));
    g_assert_cmpuint(packet.ip_protocol, ==, 17);
    g_assert_cmpuint(packet.source_port, ==, 5060);
    g_assert_false(packet.has_destination_port);
    g_free(bytes);
}

/* Both address chunks present: the family chunk says which is the message's. */
static void test_family_chooses_address(void)
{
    static const guint8 ipv4[4] = { 192, 0, 2, 1 };
    static const guint8 ipv6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    for (int family = 0; family <= 2; family++) {
        hep_builder builder = builder_new();
        if (family == 1)
            add_u8(&builder, HEP_CHUNK_IP_FAMILY, HEP_FAMILY_IPV6);
        if (family == 2)
            add_u8(&builder, HEP_CHUNK_IP_FAMILY, HEP_FAMILY_IPV4);
        add_chunk(&builder, HEP_CHUNK_IPV6_SOURCE, ipv6, sizeof(ipv6));
        add_chunk(&builder, HEP_CHUNK_IPV4_SOURCE, ipv4, sizeof(ipv4));
        gsize length;
        guint8 *bytes = builder_finish(&builder, &length);
        hep_packet packet;
        g_assert_true(parse_exact(bytes, length, &packet));
        hep_address address;
        g_assert_true(hep_source_address(&packet, &address));
        if (family == 1)
            g_assert_cmpmem(address.bytes, address.length, ipv6, sizeof(ipv6));
        else
            g_assert_cmpmem(address.bytes, address.length, ipv4, sizeof(ipv4));
        g_assert_false(hep_destination_address(&packet, &address));
        g_assert_cmpuint(address.length, ==, 0);
        g_free(bytes);
    }
}

/* Only vendor 0 defines the generic chunks: another vendor's type 15 is not the payload. */
static void test_other_vendor_ignored(void)
{
    hep_builder builder = builder_new();
    add_chunk_with_length(&builder, 0x0003, HEP_CHUNK_PAYLOAD, 6 + 4, "BYE ", 4);
    add_chunk_with_length(&builder, 0x0003, HEP_CHUNK_IP_PROTOCOL, 6 + 1, "\x06", 1);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_cmpuint(packet.chunk_count, ==, 2);
    g_assert_false(packet.has_payload);
    g_assert_false(packet.has_ip_protocol);
    g_assert_cmpuint(packet.defects, ==, HEP_DEFECT_NO_PAYLOAD);
    g_free(bytes);
}

/* A chunk given twice: the last one counts (scripts/record/hep.py reads them so). */
static void test_last_chunk_counts(void)
{
    hep_builder builder = builder_new();
    add_u8(&builder, HEP_CHUNK_IP_PROTOCOL, 17);
    add_chunk(&builder, HEP_CHUNK_PAYLOAD, "first", 5);
    add_u8(&builder, HEP_CHUNK_IP_PROTOCOL, 6);
    add_chunk(&builder, HEP_CHUNK_PAYLOAD, "second", 6);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_cmpuint(packet.ip_protocol, ==, 6);
    g_assert_cmpmem(bytes + packet.payload_offset, packet.payload_length, "second", 6);
    g_free(bytes);
}

/* ---------- hostile input ---------- */

/* The total length says more than there is: every prefix of a real packet. */
static void test_hostile_every_truncation(void)
{
    guint8 *bytes = frame_14();
    for (gsize length = 0; length < FRAME_14_LENGTH; length++) {
        hep_packet packet;
        gboolean parsed = parse_exact(bytes, length, &packet);
        g_assert_cmpint(parsed, ==, length >= HEP_HEADER_LENGTH);
        if (!parsed)
            continue;
        g_assert_true(packet.defects & HEP_DEFECT_TRUNCATED);
        g_assert_cmpuint(packet.end, ==, length);
        /* The payload chunk is the last: cut, it is not read. */
        g_assert_false(packet.has_payload);
    }
    g_free(bytes);
}

static void test_hostile_zero_length_chunk(void)
{
    hep_builder builder = builder_new();
    add_u8(&builder, HEP_CHUNK_IP_PROTOCOL, 17);
    add_chunk_with_length(&builder, 0, HEP_CHUNK_PAYLOAD, 0, "INVITE", 6);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_cmpuint(packet.chunk_count, ==, 1);
    g_assert_true(packet.defects & HEP_DEFECT_CHUNK_TOO_SHORT);
    g_assert_false(packet.has_payload);

    /* Lengths 1 to 5 would not cover the chunk header either. */
    for (guint8 short_length = 1; short_length < HEP_CHUNK_HEADER_LENGTH; short_length++) {
        bytes[6 + 7 + 5] = short_length;
        g_assert_true(parse_exact(bytes, length, &packet));
        g_assert_cmpuint(packet.chunk_count, ==, 1);
        g_assert_true(packet.defects & HEP_DEFECT_CHUNK_TOO_SHORT);
    }
    g_free(bytes);
}

static void test_hostile_chunk_beyond_packet(void)
{
    hep_builder builder = builder_new();
    add_u8(&builder, HEP_CHUNK_IP_PROTOCOL, 17);
    add_chunk_with_length(&builder, 0, HEP_CHUNK_PAYLOAD, 0xffff, "INVITE", 6);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_cmpuint(packet.chunk_count, ==, 1);
    g_assert_true(packet.defects & HEP_DEFECT_CHUNK_TRUNCATED);
    g_assert_false(packet.has_payload);
    g_free(bytes);
}

/* A chunk inside the bytes but past the total length is not read. */
static void test_hostile_chunk_beyond_total_length(void)
{
    guint8 *bytes = frame_14();
    bytes[4] = 0;
    bytes[5] = 6 + 7 + 7; /* total length: header, family and protocol chunks */
    hep_packet packet;
    g_assert_true(parse_exact(bytes, FRAME_14_LENGTH, &packet));
    g_assert_cmpuint(packet.end, ==, 20);
    g_assert_cmpuint(packet.total_length, ==, 20);
    g_assert_cmpuint(packet.chunk_count, ==, 2);
    g_assert_cmpuint(packet.defects, ==, HEP_DEFECT_BYTES_AFTER_PACKET | HEP_DEFECT_NO_PAYLOAD);
    g_assert_false(packet.has_payload);
    g_assert_false(packet.has_source_port);
    g_free(bytes);
}

static void test_hostile_total_length_too_short(void)
{
    guint8 *bytes = frame_14();
    for (guint8 total = 0; total < HEP_HEADER_LENGTH; total++) {
        bytes[4] = 0;
        bytes[5] = total;
        hep_packet packet;
        g_assert_true(parse_exact(bytes, FRAME_14_LENGTH, &packet));
        g_assert_true(packet.defects & HEP_DEFECT_TOTAL_TOO_SHORT);
        g_assert_cmpuint(packet.end, ==, FRAME_14_LENGTH);
    }
    g_free(bytes);
}

static void test_hostile_trailing_bytes(void)
{
    hep_builder builder = builder_new();
    add_chunk(&builder, HEP_CHUNK_PAYLOAD, "ACK", 3);
    g_byte_array_append(builder.bytes, (const guint8 *)"\0\0\0", 3);
    gsize length;
    guint8 *bytes = builder_finish(&builder, &length);
    hep_packet packet;
    g_assert_true(parse_exact(bytes, length, &packet));
    g_assert_true(packet.has_payload);
    g_assert_cmpuint(packet.defects, ==, HEP_DEFECT_TRAILING_BYTES);
    g_free(bytes);
}

/* A generic chunk of the wrong size is not used, and says so. */
static void test_hostile_wrong_value_size(void)
{
    static const struct {
        guint16 type;
        gsize size;
    } wrong[] = {
        { HEP_CHUNK_IP_FAMILY, 0 },         { HEP_CHUNK_IP_PROTOCOL, 2 },  { HEP_CHUNK_IPV4_SOURCE, 3 },
        { HEP_CHUNK_IPV4_DESTINATION, 16 }, { HEP_CHUNK_IPV6_SOURCE, 4 },  { HEP_CHUNK_IPV6_DESTINATION, 17 },
        { HEP_CHUNK_SOURCE_PORT, 4 },       { HEP_CHUNK_DESTINATION_PORT, 1 }, { HEP_CHUNK_TIME_SECONDS, 8 },
        { HEP_CHUNK_TIME_MICROSECONDS, 2 }, { HEP_CHUNK_PROTOCOL_TYPE, 4 }, { HEP_CHUNK_CAPTURE_ID, 2 },
        { HEP_CHUNK_KEEPALIVE_TIMER, 1 },   { HEP_CHUNK_VLAN_ID, 4 },
    };
    static const guint8 value[17] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
    for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
        hep_builder builder = builder_new();
        add_chunk(&builder, wrong[i].type, value, wrong[i].size);
        add_chunk(&builder, HEP_CHUNK_PAYLOAD, "", 0);
        gsize length;
        guint8 *bytes = builder_finish(&builder, &length);
        hep_packet packet;
        g_assert_true(parse_exact(bytes, length, &packet));
        g_assert_cmpuint(packet.defects, ==, HEP_DEFECT_CHUNK_WRONG_SIZE);
        g_assert_false(packet.has_ip_family || packet.has_ip_protocol || packet.has_source_port ||
                       packet.has_destination_port || packet.has_time_seconds || packet.has_time_microseconds ||
                       packet.has_protocol_type || packet.has_capture_id);
        g_assert_cmpuint(packet.ipv4_source.length + packet.ipv4_destination.length + packet.ipv6_source.length +
                             packet.ipv6_destination.length, ==, 0);
        g_assert_true(packet.has_payload);
        g_assert_cmpuint(packet.payload_length, ==, 0);
        g_free(bytes);
    }
}

/* Every byte of a real packet set to values that matter to the reader. */
static void test_hostile_every_byte_changed(void)
{
    static const guint8 values[] = { 0x00, 0x01, 0x05, 0x06, 0x07, 0x0f, 0x7f, 0x80, 0xfe, 0xff };
    guint8 *bytes = frame_14();
    for (gsize position = 0; position < FRAME_14_LENGTH; position++) {
        guint8 original = bytes[position];
        for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
            bytes[position] = values[i];
            hep_packet packet;
            parse_exact(bytes, FRAME_14_LENGTH, &packet);
        }
        bytes[position] = original;
    }
    g_free(bytes);
}

/* Random chunk headers after a valid packet header, from a fixed seed. */
static void test_hostile_random_chunks(void)
{
    GRand *random = g_rand_new_with_seed(3261);
    for (int round = 0; round < 20000; round++) {
        gsize length = HEP_HEADER_LENGTH + (gsize)g_rand_int_range(random, 0, 80);
        guint8 *bytes = g_malloc(length);
        memcpy(bytes, "HEP3", 4);
        for (gsize i = 4; i < length; i++) {
            /* Small numbers often, so that lengths and types are near the interesting ones. */
            guint32 draw = g_rand_int(random);
            bytes[i] = (draw & 0x100) ? (guint8)(draw % 20) : (guint8)draw;
        }
        hep_packet packet;
        g_assert_true(parse_exact(bytes, length, &packet));
        g_free(bytes);
    }
    g_rand_free(random);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hep/capture/frame-14", test_capture_frame_14);
    g_test_add_func("/hep/capture/chunks-in-order", test_capture_chunks_in_order);
    g_test_add_func("/hep/not-hep", test_not_hep);
    g_test_add_func("/hep/header-only", test_header_only);
    g_test_add_func("/hep/ipv6-endpoints", test_ipv6_endpoints);
    g_test_add_func("/hep/family-chooses-address", test_family_chooses_address);
    g_test_add_func("/hep/other-vendor-ignored", test_other_vendor_ignored);
    g_test_add_func("/hep/last-chunk-counts", test_last_chunk_counts);
    g_test_add_func("/hep/hostile/every-truncation", test_hostile_every_truncation);
    g_test_add_func("/hep/hostile/zero-length-chunk", test_hostile_zero_length_chunk);
    g_test_add_func("/hep/hostile/chunk-beyond-packet", test_hostile_chunk_beyond_packet);
    g_test_add_func("/hep/hostile/chunk-beyond-total-length", test_hostile_chunk_beyond_total_length);
    g_test_add_func("/hep/hostile/total-length-too-short", test_hostile_total_length_too_short);
    g_test_add_func("/hep/hostile/trailing-bytes", test_hostile_trailing_bytes);
    g_test_add_func("/hep/hostile/wrong-value-size", test_hostile_wrong_value_size);
    g_test_add_func("/hep/hostile/every-byte-changed", test_hostile_every_byte_changed);
    g_test_add_func("/hep/hostile/random-chunks", test_hostile_random_chunks);
    return g_test_run();
}
