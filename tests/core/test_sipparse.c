/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_sipparse.c: the SIP header reader (plugin/core/sipparse.c) on messages
 * written out by hand, each checked against what RFC 3261 says the message
 * means and what Wireshark's SIP dissector shows for it. */

#include <string.h>

#include <glib.h>

#include "sipparse.h"

typedef struct {
    sipmsg facts;
    gboolean parsed;
    char *scratch;
} parsed_message;

/* Parses `text` (CRLF line ends as written) with exactly the scratch space the
 * parser asks for, in a buffer with no NUL after the message. */
static parsed_message *parse(const char *text)
{
    parsed_message *result = g_new0(parsed_message, 1);
    gsize length = strlen(text);
    guint8 *bytes = g_memdup2(text, length);
    gsize size = sipparse_scratch_size(length);
    result->scratch = g_malloc(size);
    result->parsed = sipparse_message(bytes, length, result->scratch, size, &result->facts);
    g_free(bytes);
    return result;
}

static void parsed_free(parsed_message *message)
{
    g_free(message->scratch);
    g_free(message);
}

static const char INVITE[] =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds8;received=192.0.2.1\r\n"
    "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK77ef4c2312983.1\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice <A>; Smith\" <sip:alice@atlanta.example.com;transport=tcp>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Route: <sip:p1.example.com;lr>\r\n"
    "Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

static void test_request(void)
{
    parsed_message *m = parse(INVITE);
    g_assert_true(m->parsed);
    g_assert_true(m->facts.is_request);
    g_assert_cmpstr(m->facts.method, ==, "INVITE");
    g_assert_cmpstr(m->facts.request_uri, ==, "sip:bob@biloxi.example.com");
    g_assert_cmpuint(m->facts.status_code, ==, 0);
    g_assert_cmpstr(m->facts.top_via.transport, ==, "UDP");
    g_assert_cmpstr(m->facts.top_via.host, ==, "pc33.atlanta.example.com");
    g_assert_cmpuint(m->facts.top_via.port, ==, 5060);
    g_assert_cmpstr(m->facts.top_via.branch, ==, "z9hG4bKnashds8");
    g_assert_cmpstr(m->facts.second_via.transport, ==, "TCP");
    g_assert_cmpstr(m->facts.second_via.host, ==, "proxy.example.com");
    g_assert_cmpuint(m->facts.second_via.port, ==, 0);
    g_assert_cmpstr(m->facts.second_via.branch, ==, "z9hG4bK77ef4c2312983.1");
    g_assert_cmpuint(m->facts.via_count, ==, 2);
    g_assert_cmpstr(m->facts.call_id, ==, "a84b4c76e66710@pc33.atlanta.example.com");
    g_assert_cmpuint(m->facts.cseq_number, ==, 314159);
    g_assert_cmpstr(m->facts.cseq_method, ==, "INVITE");
    /* The display name's quoted "<" and ";" are not the address or a parameter. */
    g_assert_cmpstr(m->facts.from_uri, ==, "sip:alice@atlanta.example.com;transport=tcp");
    g_assert_cmpstr(m->facts.from_tag, ==, "1928301774");
    g_assert_null(m->facts.to_tag);
    g_assert_cmpstr(m->facts.route_set, ==, "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>, <sip:p3.example.com;lr>");
    g_assert_cmpuint(m->facts.length, ==, strlen(INVITE));
    g_assert_cmpuint(m->facts.defects, ==, 0);
    parsed_free(m);
}

static void test_response(void)
{
    parsed_message *m = parse("SIP/2.0 480 No money left\r\n"
                              "v: SIP/2.0/UDP [2001:db8::9]:5062 ;branch=z9hG4bK-v6 , SIP/2.0/UDP 10.0.0.1\r\n"
                              "f: sip:alice@example.com;tag=a1\r\n"
                              "t: <sip:bob@example.com>;tag=b2\r\n"
                              "i: short-form@example.com\r\n"
                              "cseq: 7 invite\r\n"
                              "Reason: SIP ;cause=480 ;text=\"Busy\", Q.850;cause=17;text=\"User busy\"\r\n"
                              "\r\n");
    g_assert_true(m->parsed);
    g_assert_false(m->facts.is_request);
    g_assert_null(m->facts.method);
    g_assert_cmpuint(m->facts.status_code, ==, 480);
    g_assert_cmpstr(m->facts.reason_phrase, ==, "No money left");
    /* An IPv6 sent-by is shown without its brackets, as the SIP dissector does. */
    g_assert_cmpstr(m->facts.top_via.host, ==, "2001:db8::9");
    g_assert_cmpuint(m->facts.top_via.port, ==, 5062);
    g_assert_cmpstr(m->facts.top_via.branch, ==, "z9hG4bK-v6");
    /* Two via-parms on one line (RFC 3261 §20.42). */
    g_assert_cmpuint(m->facts.via_count, ==, 2);
    g_assert_cmpstr(m->facts.second_via.host, ==, "10.0.0.1");
    g_assert_null(m->facts.second_via.branch);
    g_assert_cmpstr(m->facts.from_uri, ==, "sip:alice@example.com");
    g_assert_cmpstr(m->facts.from_tag, ==, "a1");
    g_assert_cmpstr(m->facts.to_tag, ==, "b2");
    g_assert_cmpstr(m->facts.call_id, ==, "short-form@example.com");
    g_assert_cmpuint(m->facts.cseq_number, ==, 7);
    g_assert_cmpstr(m->facts.cseq_method, ==, "invite");
    g_assert_true(m->facts.reason.has_q850_cause);
    g_assert_cmpuint(m->facts.reason.q850_cause, ==, 17);
    g_assert_true(m->facts.reason.has_sip_cause);
    g_assert_cmpuint(m->facts.reason.sip_cause, ==, 480);
    g_assert_cmpuint(m->facts.defects, ==, 0);
    parsed_free(m);
}

/* RFC 3261 §7.3.1: a header may continue on lines starting with whitespace;
 * bare LF line ends are read too. */
static void test_folding_and_bare_lf(void)
{
    parsed_message *m = parse("OPTIONS sip:x@example.com SIP/2.0\n"
                              "Via: SIP/2.0/UDP\n"
                              "   host.example.com:5070\n"
                              "\t;branch=z9hG4bK-folded\n"
                              "Call-ID:   spaced@example.com   \n"
                              "CSeq:\n 12\n  OPTIONS\n"
                              "\n"
                              "Via: SIP/2.0/UDP body.example.com;branch=z9hG4bK-body\n");
    g_assert_true(m->parsed);
    g_assert_cmpstr(m->facts.top_via.host, ==, "host.example.com");
    g_assert_cmpuint(m->facts.top_via.port, ==, 5070);
    g_assert_cmpstr(m->facts.top_via.branch, ==, "z9hG4bK-folded");
    g_assert_cmpstr(m->facts.call_id, ==, "spaced@example.com");
    g_assert_cmpuint(m->facts.cseq_number, ==, 12);
    g_assert_cmpstr(m->facts.cseq_method, ==, "OPTIONS");
    /* The body is not headers. */
    g_assert_cmpuint(m->facts.via_count, ==, 1);
    parsed_free(m);
}

static void test_missing_headers(void)
{
    parsed_message *m = parse("OPTIONS sip:x@example.com SIP/2.0\r\nMax-Forwards: 70\r\n\r\n");
    g_assert_true(m->parsed);
    g_assert_cmpuint(m->facts.defects, ==, SIPMSG_DEFECT_NO_VIA | SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_NO_CALL_ID);
    parsed_free(m);

    m = parse("OPTIONS sip:x@example.com SIP/2.0\r\nVia: garbage\r\nCSeq: 1 OPTIONS\r\nCall-ID: c\r\n\r\n");
    g_assert_cmpuint(m->facts.defects, ==, SIPMSG_DEFECT_NO_SENT_BY);
    parsed_free(m);

    m = parse("OPTIONS sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=\r\nCSeq: 1 OPTIONS\r\nCall-ID: c\r\n\r\n");
    g_assert_cmpstr(m->facts.top_via.branch, ==, "");
    g_assert_cmpuint(m->facts.defects, ==, SIPMSG_DEFECT_EMPTY_BRANCH);
    parsed_free(m);
}

/* RFC 3261 §8.1.1.5: 1*DIGIT, below 2**31. */
static void test_cseq(void)
{
    static const struct {
        const char *header;
        guint defects;
        guint32 number;
    } cases[] = {
        { "CSeq: 2147483647 INVITE", 0, 2147483647u },
        { "CSeq: 2147483648 INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: 4294967297 INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: 99999999999999999999999 INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: -1 INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: abc INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: 12abc INVITE", SIPMSG_DEFECT_BAD_CSEQ, 0 },
        { "CSeq: 5", SIPMSG_DEFECT_NO_CSEQ_METHOD, 5 },
        { "CSeq:", SIPMSG_DEFECT_BAD_CSEQ | SIPMSG_DEFECT_NO_CSEQ_METHOD, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *text = g_strdup_printf("INVITE sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                                     "Call-ID: c\r\n%s\r\n\r\n", cases[i].header);
        parsed_message *m = parse(text);
        g_assert_true(m->parsed);
        g_assert_cmpuint(m->facts.defects, ==, cases[i].defects);
        if (!(cases[i].defects & SIPMSG_DEFECT_BAD_CSEQ))
            g_assert_cmpuint(m->facts.cseq_number, ==, cases[i].number);
        parsed_free(m);
        g_free(text);
    }
}

/* Start lines that are neither a Request-Line nor a Status-Line. */
static void test_not_sip(void)
{
    static const char *const lines[] = {
        "", "\r\n\r\n", "SIP/2.0 99 Weird\r\n\r\n", "SIP/2.0 1000 Too Big\r\n\r\n", "SIP/2.0\r\n\r\n",
        "INVITE\r\n\r\n", "INVITE sip:x@example.com\r\n\r\n", "INVITE  HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n", "\x01\x02\x03\xff",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
        parsed_message *m = parse(lines[i]);
        g_assert_false(m->parsed);
        g_assert_null(m->facts.method);
        g_assert_cmpuint(m->facts.status_code, ==, 0);
        parsed_free(m);
    }
    /* A status code outside 1xx..6xx is read but flagged (§7.2). */
    parsed_message *m = parse("SIP/2.0 700 Odd\r\nCall-ID: c\r\n\r\n");
    g_assert_true(m->parsed);
    g_assert_cmpuint(m->facts.status_code, ==, 700);
    g_assert_true(m->facts.defects & SIPMSG_DEFECT_BAD_STATUS);
    parsed_free(m);
    /* Keep-alive CRLFs before a message on a stream are skipped; an empty phrase is an empty string. */
    m = parse("\r\n\r\nSIP/2.0 200\r\n\r\n");
    g_assert_true(m->parsed);
    g_assert_cmpuint(m->facts.status_code, ==, 200);
    g_assert_cmpstr(m->facts.reason_phrase, ==, "");
    parsed_free(m);
}

/* The first of repeated single headers counts, as in the SIP dissector's first field. */
static void test_first_header_wins(void)
{
    parsed_message *m = parse("BYE sip:x@example.com SIP/2.0\r\nCall-ID: first\r\nCall-ID: second\r\n"
                              "CSeq: 1 BYE\r\nCSeq: 2 BYE\r\nTo: <sip:b@x>;tag=t1\r\nTo: <sip:b@x>;tag=t2\r\n\r\n");
    g_assert_cmpstr(m->facts.call_id, ==, "first");
    g_assert_cmpuint(m->facts.cseq_number, ==, 1);
    g_assert_cmpstr(m->facts.to_tag, ==, "t1");
    parsed_free(m);
}

/* Hostile sizes: the scratch space the parser asks for always suffices, and
 * the message is read to its end without reading past it. */
static void test_scratch_bounds(void)
{
    GString *text = g_string_new("INVITE sip:x@example.com SIP/2.0\r\n");
    for (int i = 0; i < 2000; i++)
        g_string_append(text, "Route:<a>\r\nv:SIP/2.0/UDP h;branch=b\r\nReason:Q.850;cause=1\r\nf:x;tag=\r\n");
    g_string_append(text, "Call-ID: end@example.com\r\nCSeq: 1 INVITE\r\n\r\n");
    parsed_message *m = parse(text->str);
    g_assert_true(m->parsed);
    g_assert_cmpuint(m->facts.via_count, ==, 2000);
    g_assert_cmpstr(m->facts.call_id, ==, "end@example.com");
    g_assert_cmpstr(m->facts.from_tag, ==, "");
    /* The first 32 Route values are the route set. */
    g_assert_cmpuint(strlen(m->facts.route_set), ==, 32 * 3 + 31 * 2);
    parsed_free(m);

    /* A message cut anywhere parses without reading past its end. */
    for (gsize cut = 0; cut < sizeof(INVITE) - 1; cut++) {
        char *prefix = g_strndup(INVITE, cut);
        parsed_message *part = parse(prefix);
        parsed_free(part);
        g_free(prefix);
    }
    g_string_free(text, TRUE);
}

/* NUL bytes in header values end the C string the engine sees. */
static void test_nul_in_value(void)
{
    static const char text[] = "OPTIONS sip:x SIP/2.0\r\nCall-ID: ab\0cd\r\nCSeq: 1 OPTIONS\r\n\r\n";
    gsize length = sizeof(text) - 1;
    gsize size = sipparse_scratch_size(length);
    char *scratch = g_malloc(size);
    sipmsg facts;
    g_assert_true(sipparse_message((const guint8 *)text, length, scratch, size, &facts));
    g_assert_cmpstr(facts.call_id, ==, "ab");
    g_assert_cmpuint(facts.cseq_number, ==, 1);
    g_free(scratch);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sipparse/request", test_request);
    g_test_add_func("/sipparse/response-compact-forms", test_response);
    g_test_add_func("/sipparse/folding-and-bare-lf", test_folding_and_bare_lf);
    g_test_add_func("/sipparse/missing-headers", test_missing_headers);
    g_test_add_func("/sipparse/cseq", test_cseq);
    g_test_add_func("/sipparse/not-sip", test_not_sip);
    g_test_add_func("/sipparse/first-header-wins", test_first_header_wins);
    g_test_add_func("/sipparse/scratch-bounds", test_scratch_bounds);
    g_test_add_func("/sipparse/nul-in-value", test_nul_in_value);
    return g_test_run();
}
