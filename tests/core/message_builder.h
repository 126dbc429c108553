/* SPDX-License-Identifier: GPL-2.0-or-later */
/* message_builder.h: readable sipmsg values for the engine's unit tests, named after the RFC 3261 §24 call flows. */
#ifndef SIPTXN_TESTS_MESSAGE_BUILDER_H
#define SIPTXN_TESTS_MESSAGE_BUILDER_H

#include <string.h>

#include <glib.h>

#include "transaction.h"

/* Alice's softphone, Bob's phone and a proxy between them (names from the RFC 3261 §24 call flows). */
#define ALICE_HOST     "pc33.atlanta.com"
#define ALICE_ENDPOINT "192.0.2.101:5060"
#define BOB_HOST       "192.0.2.4"
#define BOB_ENDPOINT   "192.0.2.4:5060"
#define PROXY_HOST     "bigbox3.site3.atlanta.com"
#define PROXY_ENDPOINT "192.0.2.3:5060"

#define ALICE_URI   "sip:alice@atlanta.com"
#define BOB_URI     "sip:bob@biloxi.com"
#define BOB_CONTACT "sip:bob@192.0.2.4"

#define CALL_ID   "a84b4c76e66710@pc33.atlanta.com"
#define FROM_TAG  "1928301774"
#define TO_TAG    "a6c85cf"
#define BRANCH    "z9hG4bK776asdhds"

#define MS_TO_NS(ms) ((gint64)(ms) * G_GINT64_CONSTANT(1000000))

/* A request from Alice to Bob over UDP, with one Via "SIP/2.0/UDP via_host:via_port;branch=branch",
 * Request-URI BOB_URI, From ALICE_URI and CSeq "cseq method" (CSeq method ACK for an ACK). */
static inline sipmsg request(const char *method, guint32 frame, gint64 time_ms, const char *branch,
                             const char *via_host, guint16 via_port, guint32 cseq, const char *call_id,
                             const char *from_tag, const char *to_tag)
{
    sipmsg message;
    memset(&message, 0, sizeof(message));
    message.frame = frame;
    message.time_ns = MS_TO_NS(time_ms);
    message.is_request = TRUE;
    message.method = method;
    message.request_uri = BOB_URI;
    message.call_id = call_id;
    message.cseq_number = cseq;
    message.cseq_method = method;
    message.top_via.transport = "UDP";
    message.top_via.host = via_host;
    message.top_via.port = via_port;
    message.top_via.branch = branch;
    message.via_count = 1;
    message.from_uri = ALICE_URI;
    message.from_tag = from_tag;
    message.to_tag = to_tag;
    message.transport = SIPMSG_TRANSPORT_UDP;
    message.source = ALICE_ENDPOINT;
    message.destination = BOB_ENDPOINT;
    message.length = 600;
    return message;
}

/* A response from Bob to Alice over UDP, carrying the request's Via and "CSeq cseq cseq_method". */
static inline sipmsg response(guint status_code, guint32 frame, gint64 time_ms, const char *branch,
                              const char *via_host, guint16 via_port, guint32 cseq, const char *cseq_method,
                              const char *call_id, const char *from_tag, const char *to_tag)
{
    sipmsg message;
    memset(&message, 0, sizeof(message));
    message.frame = frame;
    message.time_ns = MS_TO_NS(time_ms);
    message.is_request = FALSE;
    message.status_code = status_code;
    message.reason_phrase = "";
    message.call_id = call_id;
    message.cseq_number = cseq;
    message.cseq_method = cseq_method;
    message.top_via.transport = "UDP";
    message.top_via.host = via_host;
    message.top_via.port = via_port;
    message.top_via.branch = branch;
    message.via_count = 1;
    message.from_uri = ALICE_URI;
    message.from_tag = from_tag;
    message.to_tag = to_tag;
    message.transport = SIPMSG_TRANSPORT_UDP;
    message.source = BOB_ENDPOINT;
    message.destination = ALICE_ENDPOINT;
    message.length = 400;
    return message;
}

/* The message went over TCP: both the wire transport and the Via say so. */
static inline sipmsg over_tcp(sipmsg message)
{
    message.transport = SIPMSG_TRANSPORT_TCP;
    message.top_via.transport = "TCP";
    return message;
}

/* The message went between other network endpoints. */
static inline sipmsg between(sipmsg message, const char *source, const char *destination)
{
    message.source = source;
    message.destination = destination;
    return message;
}

/* A proxy's Via on top of the message's: the old top Via becomes the second one (RFC 3261 §16.6 step 8). */
static inline sipmsg via_pushed(sipmsg message, const char *host, guint16 port, const char *branch)
{
    message.second_via = message.top_via;
    message.top_via.transport = message.second_via.transport;
    message.top_via.host = host;
    message.top_via.port = port;
    message.top_via.branch = branch;
    message.via_count++;
    return message;
}

/* Runs one message through the engine and returns its verdict. */
static inline message_result feed(engine *engine, sipmsg message)
{
    message_result result;
    engine_process(engine, &message, &result);
    return result;
}

#endif /* SIPTXN_TESTS_MESSAGE_BUILDER_H */
