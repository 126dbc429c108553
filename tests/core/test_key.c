/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_key.c: transaction keys as values (RFC 3261 §17.1.3, §17.2.3). */

#include <string.h>

#include <glib.h>

#include "key.h"
#include "message_builder.h"

static const char *printed(const transaction_key *key)
{
    static GString *text;
    if (!text)
        text = g_string_new(NULL);
    return transaction_key_print(key, text);
}

/* RFC 3261 §17.2.3: a top Via branch with the magic cookie and a sent-by: the RFC 3261 key. */
static void test_rule_rfc3261(void)
{
    sipmsg message = request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    g_assert_cmpint(transaction_key_rule_of(&message), ==, TRANSACTION_KEY_RFC3261);
    transaction_key key = transaction_key_of(&message, "INVITE");
    g_assert_cmpstr(printed(&key), ==, "branch=" BRANCH " sent-by=pc33.atlanta.com:5060 method=INVITE");
}

/* RFC 3261 §17.2.3: without the magic cookie, the RFC 2543 recipe, also for a branch that is there. */
static void test_rule_rfc2543(void)
{
    sipmsg message = request("INVITE", 1, 0, "776asdhds", ALICE_HOST, 5070, 7, CALL_ID, FROM_TAG, NULL);
    g_assert_cmpint(transaction_key_rule_of(&message), ==, TRANSACTION_KEY_RFC2543);
    transaction_key key = transaction_key_of(&message, "INVITE");
    g_assert_cmpstr(printed(&key), ==,
                    "rfc2543 call-id=" CALL_ID " cseq=7 method=INVITE from-tag=" FROM_TAG
                    " sent-by=pc33.atlanta.com:5070");
    message.top_via.branch = NULL;
    g_assert_cmpint(transaction_key_rule_of(&message), ==, TRANSACTION_KEY_RFC2543);
}

/* RFC 3261 §8.1.1.7: the top Via decides; a cookie branch in the second Via does not make an RFC 3261 key. */
static void test_rule_top_via_only(void)
{
    sipmsg message = request("INVITE", 1, 0, NULL, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    message.second_via.host = PROXY_HOST;
    message.second_via.branch = BRANCH;
    message.via_count = 2;
    g_assert_cmpint(transaction_key_rule_of(&message), ==, TRANSACTION_KEY_RFC2543);
    transaction_key key = transaction_key_of(&message, "INVITE");
    g_assert_null(key.branch);
}

/* Nothing to match on: no Via, no sent-by, or no Call-ID/CSeq for RFC 2543, or a response without a CSeq method. */
static void test_rule_none(void)
{
    sipmsg no_via = request("OPTIONS", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    no_via.via_count = 0;
    g_assert_cmpint(transaction_key_rule_of(&no_via), ==, TRANSACTION_KEY_NONE);
    sipmsg no_host = request("OPTIONS", 1, 0, BRANCH, NULL, 0, 1, CALL_ID, FROM_TAG, NULL);
    g_assert_cmpint(transaction_key_rule_of(&no_host), ==, TRANSACTION_KEY_NONE);
    sipmsg old_no_call_id = request("OPTIONS", 1, 0, "old", ALICE_HOST, 0, 1, NULL, FROM_TAG, NULL);
    g_assert_cmpint(transaction_key_rule_of(&old_no_call_id), ==, TRANSACTION_KEY_NONE);
    sipmsg old_bad_cseq = request("OPTIONS", 1, 0, "old", ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    old_bad_cseq.defects = SIPMSG_DEFECT_BAD_CSEQ;
    g_assert_cmpint(transaction_key_rule_of(&old_bad_cseq), ==, TRANSACTION_KEY_NONE);
    sipmsg no_cseq_method = response(200, 2, 0, BRANCH, ALICE_HOST, 0, 1, NULL, CALL_ID, FROM_TAG, TO_TAG);
    g_assert_cmpint(transaction_key_rule_of(&no_cseq_method), ==, TRANSACTION_KEY_NONE);
    transaction_key none = transaction_key_of(&no_via, "OPTIONS");
    g_assert_cmpstr(printed(&none), ==, "(no Via, CSeq or Call-ID to match on)");
    g_assert_false(transaction_key_equal(&none, &none));
}

/* RFC 3261 §17.2.3, §19.1.4, §18.2.2: the sent-by compares ignoring case, a missing port is the transport's default. */
static void test_equal_sent_by(void)
{
    sipmsg written = request("INVITE", 1, 0, BRANCH, "PC33.Atlanta.COM", 0, 1, CALL_ID, FROM_TAG, NULL);
    sipmsg defaulted = request("INVITE", 2, 0, BRANCH, "pc33.atlanta.com", 5060, 1, CALL_ID, FROM_TAG, NULL);
    transaction_key a = transaction_key_of(&written, "INVITE");
    transaction_key b = transaction_key_of(&defaulted, "INVITE");
    g_assert_true(transaction_key_equal(&a, &b));
    g_assert_cmpuint(transaction_key_hash(&a), ==, transaction_key_hash(&b));
    g_assert_cmpstr(printed(&a), ==, "branch=" BRANCH " sent-by=pc33.atlanta.com:5060 method=INVITE");
    g_assert_cmpstr(printed(&b), ==, "branch=" BRANCH " sent-by=pc33.atlanta.com:5060 method=INVITE");
    sipmsg tls = written;
    tls.top_via.transport = "tls";
    transaction_key c = transaction_key_of(&tls, "INVITE");
    g_assert_cmpuint(c.sent_by_port, ==, 5061);
    g_assert_false(transaction_key_equal(&a, &c));
}

/* RFC 3261 §17.2.3: the same branch sent by two hosts, or for two methods, is two transactions. */
static void test_branch_needs_sent_by_and_method(void)
{
    sipmsg alice = request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    sipmsg proxy = request("INVITE", 2, 0, BRANCH, PROXY_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    transaction_key from_alice = transaction_key_of(&alice, "INVITE");
    transaction_key from_proxy = transaction_key_of(&proxy, "INVITE");
    transaction_key cancel = transaction_key_of(&alice, "CANCEL");
    g_assert_false(transaction_key_equal(&from_alice, &from_proxy));
    g_assert_false(transaction_key_same_branch(&from_alice, &from_proxy));
    g_assert_false(transaction_key_equal(&from_alice, &cancel));
    /* An INVITE and its CANCEL share the branch: same probe run, not the same key. */
    g_assert_true(transaction_key_same_branch(&from_alice, &cancel));
    g_assert_cmpuint(transaction_key_hash(&from_alice), ==, transaction_key_hash(&cancel));
}

/* RFC 3261 §17.2.3: RFC 2543 keys differ by Call-ID, CSeq, From tag or sent-by, and never equal an RFC 3261 key. */
static void test_rfc2543_parts(void)
{
    sipmsg base = request("INVITE", 1, 0, NULL, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    transaction_key key = transaction_key_of(&base, "INVITE");
    sipmsg other_cseq = base, other_call = base, other_tag = base, other_host = base;
    other_cseq.cseq_number = 2;
    other_call.call_id = "other@host";
    other_tag.from_tag = "other";
    other_host.top_via.host = PROXY_HOST;
    const sipmsg *others[] = { &other_cseq, &other_call, &other_tag, &other_host };
    for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
        transaction_key other = transaction_key_of(others[i], "INVITE");
        g_assert_false(transaction_key_equal(&key, &other));
    }
    sipmsg same = base;
    same.frame = 9;
    same.request_uri = "sip:changed@example.com";   /* checked apart, not part of the key */
    transaction_key again = transaction_key_of(&same, "INVITE");
    g_assert_true(transaction_key_equal(&key, &again));
    sipmsg cookie = base;
    cookie.top_via.branch = BRANCH;
    transaction_key modern = transaction_key_of(&cookie, "INVITE");
    g_assert_false(transaction_key_equal(&key, &modern));
}

/* RFC 3261 §16.6: a key built from the second Via finds the upstream hop. */
static void test_key_from_second_via(void)
{
    sipmsg forwarded = via_pushed(request("INVITE", 1, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL),
                                  PROXY_HOST, 0, "z9hG4bKproxy");
    transaction_key upstream = transaction_key_3261(&forwarded.second_via, "INVITE");
    sipmsg original = request("INVITE", 2, 0, BRANCH, ALICE_HOST, 0, 1, CALL_ID, FROM_TAG, NULL);
    transaction_key original_key = transaction_key_of(&original, "INVITE");
    g_assert_true(transaction_key_equal(&upstream, &original_key));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/key/rfc3261/17.2.3/rule-rfc3261", test_rule_rfc3261);
    g_test_add_func("/key/rfc3261/17.2.3/rule-rfc2543", test_rule_rfc2543);
    g_test_add_func("/key/rfc3261/8.1.1.7/rule-top-via-only", test_rule_top_via_only);
    g_test_add_func("/key/rfc3261/17.2.3/rule-none", test_rule_none);
    g_test_add_func("/key/rfc3261/19.1.4/equal-sent-by", test_equal_sent_by);
    g_test_add_func("/key/rfc3261/17.2.3/branch-needs-sent-by-and-method", test_branch_needs_sent_by_and_method);
    g_test_add_func("/key/rfc3261/17.2.3/rfc2543-parts", test_rfc2543_parts);
    g_test_add_func("/key/rfc3261/16.6/key-from-second-via", test_key_from_second_via);
    return g_test_run();
}
