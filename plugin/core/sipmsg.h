/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipmsg.h: the facts of one SIP message that the transaction engine needs.
 *
 * A sipmsg is filled by core/sipparse.c from the bytes of a message the stock
 * SIP dissector found (extract.c), or by a unit test or fuzzer directly.  It holds no epan
 * types: plain C strings (NUL-terminated, may be NULL when absent), numbers and
 * flags.  The engine copies whatever it keeps, so the strings only need to live
 * for the duration of engine_process().
 */
#ifndef SIPTXN_SIPMSG_H
#define SIPTXN_SIPMSG_H

#include <glib.h>

/* The transport the message travelled over (RFC 3261 §18), as seen on the wire. */
typedef enum {
    SIPMSG_TRANSPORT_UNKNOWN = 0,
    SIPMSG_TRANSPORT_UDP,
    SIPMSG_TRANSPORT_TCP,
    SIPMSG_TRANSPORT_TLS,
    SIPMSG_TRANSPORT_SCTP,
    SIPMSG_TRANSPORT_WEBSOCKET,
} sipmsg_transport;

/* Defects of the message itself, found while extracting it: each becomes an
 * expert info, and the message is still given a transaction. */
typedef enum {
    SIPMSG_DEFECT_NO_VIA          = 1u << 0, /* no Via header at all (RFC 3261 §8.1.1.7) */
    SIPMSG_DEFECT_NO_SENT_BY      = 1u << 1, /* top Via without a host */
    SIPMSG_DEFECT_EMPTY_BRANCH    = 1u << 2, /* ";branch=" with no value (RFC 3261 §20.42) */
    SIPMSG_DEFECT_NO_CSEQ         = 1u << 3, /* CSeq missing or without a number (RFC 3261 §8.1.1.5) */
    SIPMSG_DEFECT_BAD_CSEQ        = 1u << 4, /* CSeq number not a 32-bit unsigned integer */
    SIPMSG_DEFECT_NO_CALL_ID      = 1u << 5, /* Call-ID missing (RFC 3261 §8.1.1.4) */
    SIPMSG_DEFECT_BAD_STATUS      = 1u << 6, /* status code outside 100..699 (RFC 3261 §7.2) */
    SIPMSG_DEFECT_NO_CSEQ_METHOD  = 1u << 7, /* CSeq without a method */
} sipmsg_defect;

/* The Reason header's causes (RFC 3326): the first Q.850 and the first SIP one. */
typedef struct {
    gboolean has_q850_cause;
    guint32  q850_cause;
    gboolean has_sip_cause;
    guint32  sip_cause;
} sipmsg_reason;

/* RAck (RFC 3262 §7.2) of a PRACK: the RSeq, CSeq number and method of the
 * reliable provisional response it acknowledges.  rseq 0: no valid RAck. */
typedef struct {
    guint32     rseq;
    guint32     cseq_number;
    const char *method;
} sipmsg_rack;

/* How the capture saw the packet that carried the message: what tells the
 * same packet seen twice (a second capture point, a mirror port, a TCP
 * re-send) from a SIP retransmission, which is a new packet. */
typedef struct {
    guint32  path;            /* hash of source and destination address and port; 0: unknown */
    guint16  ip_id;           /* IPv4 identification (RFC 791/6864) */
    guint8   has_ip_id;       /* IPv4 with an identification other than 0 */
    guint8   ttl;             /* IPv4 TTL or IPv6 hop limit; 0: unknown */
    guint8   tcp_resent;      /* TCP analysis calls the segment a retransmission */
} sipmsg_packet;

/* One via-parm of a Via header: "SIP/2.0/UDP host:port;branch=...". */
typedef struct {
    const char *transport;  /* "UDP", "TCP", ... as written */
    const char *host;       /* sent-by host, NULL if absent */
    guint16     port;       /* sent-by port, 0 if not written */
    const char *branch;     /* branch parameter, NULL if absent */
} sipmsg_via;

typedef struct {
    guint32 frame;            /* frame number in the capture */
    gint64  time_ns;          /* absolute capture time in nanoseconds */

    gboolean    is_request;
    const char *method;       /* request method; NULL for a response */
    guint       status_code;  /* response status code; 0 for a request */
    const char *reason_phrase;/* response reason phrase (may be empty) */
    const char *request_uri;  /* request Request-URI */

    const char *call_id;
    guint32     cseq_number;
    const char *cseq_method;

    sipmsg_via  top_via;      /* the first via-parm of the first Via header */
    sipmsg_via  second_via;   /* the next via-parm, if any (a proxy's upstream hop) */
    guint       via_count;

    const char *from_uri;
    const char *from_tag;
    const char *to_tag;
    const char *route_set;    /* the Route header values joined with ", ", NULL if none */

    sipmsg_transport transport;
    const char *source;       /* network endpoint "address:port" the message came from */
    const char *destination;  /* network endpoint it went to */
    guint32     length;       /* bytes of the SIP message (start line to end of body) */

    guint defects;            /* sipmsg_defect bits */
    sipmsg_reason reason;     /* Reason header causes, shown on responses */
    guint32 rseq;             /* RSeq (RFC 3262 §7.1) of a reliable provisional response; 0: none */
    sipmsg_rack rack;         /* RAck of a PRACK (RFC 3262 §7.2) */
    guint64 digest;           /* of the message's bytes: equal copies have equal digests */
    sipmsg_packet packet;     /* filled by the shell; all 0 when unknown */
} sipmsg;

/* The transport a message's top Via names (RFC 3261 §18.1.1: the transport
 * of the hop it was sent over), the one seen on the wire when the Via names
 * none.  A capture that re-encodes SIP (HEP over UDP, a tool that writes
 * everything as UDP) keeps the Via's. */
sipmsg_transport sipmsg_hop_transport(const sipmsg *message);

/* Whether the hop's transport is unreliable, so the RFC 3261 §17 timers
 * re-send messages over it (Timer A, E, G: UDP only). */
static inline gboolean sipmsg_transport_unreliable(sipmsg_transport transport)
{
    return transport == SIPMSG_TRANSPORT_UDP;
}

/* RFC 3261 §8.1.1.5: a message with these defects (sipmsg_defect bits) still
 * has a CSeq number to match, compare and show. */
static inline gboolean sipmsg_cseq_number_valid(guint defects)
{
    return !(defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ));
}

static inline gboolean sipmsg_has_cseq_number(const sipmsg *message)
{
    return sipmsg_cseq_number_valid(message->defects);
}

#endif /* SIPTXN_SIPMSG_H */
