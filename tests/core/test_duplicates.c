/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_duplicates.c: the same packet seen twice is not a SIP retransmission. */

#include <string.h>

#include <glib.h>

#include "message_builder.h"
#include "transaction.h"

static sipmsg seen(sipmsg message, guint32 path, guint16 ip_id, guint8 ttl)
{
    message.digest = 0x5151;
    message.packet.path = path;
    message.packet.ip_id = ip_id;
    message.packet.has_ip_id = ip_id != 0;
    message.packet.ttl = ttl;
    return message;
}

static sipmsg invite_at(guint32 frame, gint64 time_ms)
{
    return request("INVITE", frame, time_ms, BRANCH, ALICE_HOST, 5060, 1, CALL_ID, FROM_TAG, NULL);
}

/* The same IP identification and bytes 0.8 ms apart: the packet captured twice. */
static void test_same_packet_twice(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    sipmsg copy = seen(invite_at(2, 0), 7, 0x1234, 64);
    copy.time_ns += 800000;
    message_result dup = feed(e, copy);
    g_assert_cmpuint(dup.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_true(dup.transaction == first.transaction);
    g_assert_false(dup.opened);
    g_assert_cmpuint(dup.details.original_frame, ==, 1);
    g_assert_cmpuint(dup.details.duplicate, ==, DUPLICATE_SAME_PACKET);
    g_assert_cmpuint(dup.details.findings, ==, 0);
    g_assert_cmpuint(dup.state, ==, TRANSACTION_STATE_CALLING);
    g_assert_cmpuint(transaction_copies_of(first.transaction)->request_retransmissions, ==, 0);
    engine_free(e);
}

/* The same packet one hop further: the TTL is one lower. */
static void test_second_capture_point(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    message_result dup = feed(e, seen(invite_at(2, 1), 7, 0x1234, 63));
    g_assert_cmpuint(dup.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_cmpuint(dup.details.duplicate, ==, DUPLICATE_SECOND_CAPTURE_POINT);
    g_assert_cmpuint(dup.details.ttl_before, ==, 64);
    engine_free(e);
}

/* A new IP identification is a new packet: a retransmission, even if early. */
static void test_new_ip_id_is_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    message_result again = feed(e, seen(invite_at(2, 10), 7, 0x1235, 64));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_true(again.details.findings & FINDING_RETRANSMISSION_TOO_EARLY);
    engine_free(e);
}

/* T1 later the same bytes are a SIP retransmission (Timer A), whatever the IP ID. */
static void test_after_window_is_retransmission(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(invite_at(1, 0), 7, 0, 64));
    message_result again = feed(e, seen(invite_at(2, 500), 7, 0, 64));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(again.details.findings, ==, 0);
    engine_free(e);
}

/* Another path (the reverse direction, another host) is another packet. */
static void test_other_path_is_not_duplicate(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    message_result other = feed(e, seen(invite_at(2, 1), 8, 0x1234, 64));
    g_assert_cmpuint(other.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    engine_free(e);
}

/* TCP re-sent the segment (§17.1.1.2: Timer A is for unreliable transports only). */
static void test_tcp_resend(void)
{
    engine *e = engine_new(NULL);
    message_result first = feed(e, seen(over_tcp(invite_at(1, 0)), 7, 0x1000, 64));
    sipmsg resent = seen(over_tcp(invite_at(2, 210)), 7, 0x1001, 64);
    resent.packet.tcp_resent = TRUE;
    message_result dup = feed(e, resent);
    g_assert_cmpuint(dup.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_true(dup.transaction == first.transaction);
    g_assert_cmpuint(dup.details.duplicate, ==, DUPLICATE_TCP_RESEND);
    engine_free(e);
}

/* Over TCP the SIP layer re-sends no request: the same request again is
 * TCP's copy even without TCP analysis; other bytes are a retransmission. */
static void test_stream_request_again(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(over_tcp(invite_at(1, 0)), 7, 0x1000, 64));
    message_result copy = feed(e, seen(over_tcp(invite_at(2, 210)), 7, 0x1001, 64));
    g_assert_cmpuint(copy.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_cmpuint(copy.details.duplicate, ==, DUPLICATE_TCP_RESEND);
    sipmsg changed = seen(over_tcp(invite_at(3, 900)), 7, 0x1002, 64);
    changed.digest = 0x7777;
    message_result other = feed(e, changed);
    g_assert_cmpuint(other.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    g_assert_true(other.details.findings & FINDING_RETRANSMISSION_DIFFERS);
    engine_free(e);
}

/* A response in a segment TCP re-sent is TCP's copy of the first one. */
static void test_tcp_resent_response(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(over_tcp(invite_at(1, 0)), 7, 0x1000, 64));
    sipmsg busy = over_tcp(response(486, 2, 100, BRANCH, ALICE_HOST, 5060, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    message_result final = feed(e, seen(busy, 9, 0x2000, 64));
    busy.frame = 3;
    busy.time_ns = MS_TO_NS(400);
    sipmsg again = seen(busy, 9, 0x2001, 64);
    again.packet.tcp_resent = TRUE;
    message_result copy = feed(e, again);
    g_assert_cmpuint(copy.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_cmpuint(copy.details.original_frame, ==, 2);
    g_assert_cmpuint(final_copies_of(transaction_first_final(final.transaction))->retransmissions, ==, 0);
    engine_free(e);
}

/* The preference off: today's behaviour, a retransmission. */
static void test_detection_off(void)
{
    engine_settings settings;
    engine_settings_default(&settings);
    settings.detect_duplicates = FALSE;
    engine *e = engine_new(&settings);
    feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    message_result again = feed(e, seen(invite_at(2, 1), 7, 0x1234, 64));
    g_assert_cmpuint(again.role, ==, MESSAGE_ROLE_REQUEST_RETRANSMISSION);
    engine_free(e);
}

/* A response seen twice keeps its transaction's state and counts nothing. */
static void test_response_duplicate(void)
{
    engine *e = engine_new(NULL);
    feed(e, seen(invite_at(1, 0), 7, 0x1234, 64));
    sipmsg busy = response(486, 2, 100, BRANCH, ALICE_HOST, 5060, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG);
    message_result final = feed(e, seen(busy, 9, 0x4321, 64));
    busy.frame = 3;
    message_result dup = feed(e, seen(busy, 9, 0x4321, 64));
    g_assert_cmpuint(dup.role, ==, MESSAGE_ROLE_DUPLICATE);
    g_assert_cmpuint(dup.state, ==, TRANSACTION_STATE_COMPLETED);
    g_assert_cmpuint(final_copies_of(transaction_first_final(final.transaction))->retransmissions, ==, 0);
    engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/duplicates/same-packet-twice", test_same_packet_twice);
    g_test_add_func("/duplicates/second-capture-point", test_second_capture_point);
    g_test_add_func("/duplicates/new-ip-id-is-retransmission", test_new_ip_id_is_retransmission);
    g_test_add_func("/duplicates/after-window-is-retransmission", test_after_window_is_retransmission);
    g_test_add_func("/duplicates/other-path-is-not-duplicate", test_other_path_is_not_duplicate);
    g_test_add_func("/duplicates/tcp-resend", test_tcp_resend);
    g_test_add_func("/duplicates/stream-request-again", test_stream_request_again);
    g_test_add_func("/duplicates/tcp-resent-response", test_tcp_resent_response);
    g_test_add_func("/duplicates/detection-off", test_detection_off);
    g_test_add_func("/duplicates/response-duplicate", test_response_duplicate);
    return g_test_run();
}
