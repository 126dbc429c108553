/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ladder.c: the texts of the "SIP Transactions" flow graph's arrows. */

#include <string.h>

#include <glib.h>

#include "ladder.h"
#include "stored_capture.h"

/* A capture and the text the ladder functions write into. */
typedef struct {
    capture c;
    GString *text;
} ladder;

static ladder open_ladder(void)
{
    ladder opened = { open_capture(), g_string_new(NULL) };
    return opened;
}

static void close_ladder(ladder *closed)
{
    close_capture(&closed->c);
    g_string_free(closed->text, TRUE);
}

static const stored_message *arrow(ladder *into, sipmsg message)
{
    return keep(&into->c, message);
}

static sipmsg with_phrase(sipmsg message, const char *phrase)
{
    message.reason_phrase = phrase;
    return message;
}

/* A request's label is its method; a response's its code and phrase, cut to LADDER_LABEL_MAX bytes. */
static void test_labels(void)
{
    ladder l = open_ladder();
    const stored_message *invite = arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpstr(ladder_label(l.text, invite), ==, "INVITE");
    const stored_message *busy = arrow(&l, with_phrase(response(486, 2, 10, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID,
                                                                FROM_TAG, TO_TAG), "Busy Here"));
    g_assert_cmpstr(ladder_label(l.text, busy), ==, "486 Busy Here");
    const stored_message *chatty = arrow(&l, with_phrase(response(100, 3, 5, "z9hG4bKother", ALICE_HOST, 0, 2, "INVITE",
                                                                  CALL_ID, FROM_TAG, NULL),
                                                         "trying -- your call is important to us"));
    g_assert_cmpstr(ladder_label(l.text, chatty), ==, "100 trying -- your call i...");
    g_assert_cmpuint(strlen(l.text->str), ==, LADDER_LABEL_MAX);
    /* A cut never splits a UTF-8 character ("Занято" is two bytes a letter). */
    const stored_message *russian = arrow(&l, with_phrase(response(486, 4, 20, "z9hG4bKthird", ALICE_HOST, 0, 3,
                                                                   "INVITE", CALL_ID, FROM_TAG, TO_TAG),
                                                          "Абонент занят, перезвоните"));
    ladder_label(l.text, russian);
    g_assert_true(g_utf8_validate(l.text->str, -1, NULL));
    g_assert_true(g_str_has_suffix(l.text->str, "..."));
    close_ladder(&l);
}

/* RFC 3261 §17.1.1.2 Timer A: a re-sent INVITE says which copy it is, of which frame, and the interval. */
static void test_retransmission_comment(void)
{
    ladder l = open_ladder();
    arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    arrow(&l, request("INVITE", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *second = arrow(&l, request("INVITE", 3, 1500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpstr(ladder_comment(l.text, second, SIPTXN_LANGUAGE_ENGLISH), ==,
                    "txn 1 \xC2\xB7 request retransmission \xC2\xB7 retransmission 2 of frame 1 "
                    "(+1.0 s, Timer A expects 1.0 s)");
    close_ladder(&l);
}

/* RFC 3261 §17.1.1.3 and §13.2.2.4: the two ACKs say which transaction they belong to. */
static void test_ack_comments(void)
{
    ladder l = open_ladder();
    arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    arrow(&l, response(486, 2, 100, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    const stored_message *hop = arrow(&l, request("ACK", 3, 200, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, TO_TAG));
    g_assert_cmpstr(ladder_comment(l.text, hop, SIPTXN_LANGUAGE_ENGLISH), ==, "txn 1 \xC2\xB7 ACK non-2xx: completes txn 1");

    arrow(&l, request("INVITE", 4, 1000, "z9hG4bKsecond", ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, NULL));
    arrow(&l, response(200, 5, 1100, "z9hG4bKsecond", ALICE_HOST, 0, 2, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    const stored_message *end_to_end = arrow(&l, request("ACK", 6, 1200, "z9hG4bKack", ALICE_HOST, 0, 2, CALL_ID,
                                                         FROM_TAG, TO_TAG));
    g_assert_cmpstr(ladder_comment(l.text, end_to_end, SIPTXN_LANGUAGE_ENGLISH), ==, "txn 3 \xC2\xB7 ACK 2xx: own txn 3 for txn 2");
    close_ladder(&l);
}

/* RFC 3261 §9.2 and §16.6: a CANCEL names the INVITE it cancels, a proxy's hop the one it came from. */
static void test_links(void)
{
    ladder l = open_ladder();
    arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *forwarded = arrow(&l, between(via_pushed(request("INVITE", 2, 5, BRANCH, ALICE_HOST, 0, 1,
                                                                           CALL_ID, FROM_TAG, NULL),
                                                                   PROXY_HOST, 0, "z9hG4bKproxy"),
                                                        PROXY_ENDPOINT, BOB_ENDPOINT));
    g_assert_cmpstr(ladder_comment(l.text, forwarded, SIPTXN_LANGUAGE_ENGLISH), ==, "txn 2 \xC2\xB7 request \xC2\xB7 forwarded from txn 1");
    const stored_message *cancel = arrow(&l, request("CANCEL", 3, 50, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpstr(ladder_comment(l.text, cancel, SIPTXN_LANGUAGE_ENGLISH), ==, "txn 3 \xC2\xB7 CANCEL \xC2\xB7 CANCEL of txn 1");
    close_ladder(&l);
}

/* The comments follow the explanation language, the decimal comma included. */
static void test_russian_comments(void)
{
    ladder l = open_ladder();
    arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    arrow(&l, request("INVITE", 2, 500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *second = arrow(&l, request("INVITE", 3, 1500, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpstr(ladder_comment(l.text, second, SIPTXN_LANGUAGE_RUSSIAN), ==,
                    "транзакция 1 \xC2\xB7 повторная передача запроса \xC2\xB7 повторная передача № 2 из кадра 1 "
                    "(+1,0 с, таймер A ожидает 1,0 с)");
    arrow(&l, response(486, 4, 1600, BRANCH, ALICE_HOST, 0, 1, "INVITE", CALL_ID, FROM_TAG, TO_TAG));
    const stored_message *ack = arrow(&l, request("ACK", 5, 1700, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, TO_TAG));
    g_assert_cmpstr(ladder_comment(l.text, ack, SIPTXN_LANGUAGE_RUSSIAN), ==,
                    "транзакция 1 \xC2\xB7 ACK на не-2xx: завершает транзакцию 1");
    close_ladder(&l);
}

/* The timer that paces each kind of retransmission (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1). */
static void test_timers(void)
{
    ladder l = open_ladder();
    const stored_message *invite = arrow(&l, request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL));
    const stored_message *options = arrow(&l, request("OPTIONS", 2, 0, "z9hG4bKo", ALICE_HOST, 0, 2, CALL_ID, FROM_TAG, NULL));
    g_assert_cmpstr(retransmission_timer(invite->transaction, MESSAGE_ROLE_REQUEST_RETRANSMISSION), ==, "A");
    g_assert_cmpstr(retransmission_timer(options->transaction, MESSAGE_ROLE_REQUEST_RETRANSMISSION), ==, "E");
    g_assert_cmpstr(retransmission_timer(invite->transaction, MESSAGE_ROLE_FINAL_RETRANSMISSION), ==, "G");
    g_assert_null(retransmission_timer(options->transaction, MESSAGE_ROLE_FINAL_RETRANSMISSION));
    g_assert_null(retransmission_timer(invite->transaction, MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION));
    close_ladder(&l);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ladder/labels", test_labels);
    g_test_add_func("/ladder/rfc3261/17.1.1.2/retransmission-comment", test_retransmission_comment);
    g_test_add_func("/ladder/rfc3261/17.1.1.3/ack-comments", test_ack_comments);
    g_test_add_func("/ladder/rfc3261/16.6/links", test_links);
    g_test_add_func("/ladder/rfc3261/17.1.1.2/timers", test_timers);
    g_test_add_func("/ladder/russian-comments", test_russian_comments);
    return g_test_run();
}
