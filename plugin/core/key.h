/* SPDX-License-Identifier: GPL-2.0-or-later */
/* key.h: the transaction key, a value (RFC 3261 §17.1.3, §17.2.3).
 *
 * A key is built from a message by one function per RFC, then compared,
 * hashed and printed as a whole, like pjsip's create_tsx_key_3261/2543.  It
 * points to texts it does not own: a key built from a message lives as long
 * as the message's strings, a transaction's key (transaction.h) points to the
 * engine's copies.  Plain C + GLib.
 */
#ifndef SIPTXN_KEY_H
#define SIPTXN_KEY_H

#include <glib.h>

#include "sipmsg.h"

/* Which recipe a key follows. */
typedef enum {
    TRANSACTION_KEY_NONE = 0,     /* no Via, CSeq or Call-ID to match on: matches nothing */
    TRANSACTION_KEY_RFC3261 = 1,  /* top Via branch, sent-by, method */
    TRANSACTION_KEY_RFC2543 = 2,  /* Call-ID, CSeq number, method, From tag, top Via sent-by */
} transaction_key_rule;

typedef struct {
    transaction_key_rule rule;
    const char *method;           /* the transaction's method (an ACK looks for "INVITE") */
    const char *sent_by_host;     /* top Via sent-by host as written; compared ignoring case (§19.1.4) */
    guint16     sent_by_port;     /* as written, or the transport's default (§18.2.2) */
    const char *branch;           /* top Via branch; compared by RFC 3261 keys only */
    const char *call_id;          /* RFC 2543 keys only */
    guint32     cseq_number;      /* RFC 2543 keys only */
    const char *from_tag;         /* RFC 2543 keys only */
} transaction_key;

/* RFC 3261 §8.1.1.7: a branch beginning with "z9hG4bK" follows RFC 3261. */
gboolean branch_has_magic_cookie(const char *branch);

/* The one rule deciding how a message is matched (§17.1.3, §17.2.3): RFC 3261
 * when its top Via has a sent-by and a branch with the magic cookie; else RFC
 * 2543 when it has a Via sent-by, a Call-ID and a CSeq number; else nothing.
 * A response also needs a CSeq method, the method of its transaction. */
transaction_key_rule transaction_key_rule_of(const sipmsg *message);

/* §17.2.3: branch + sent-by + method identify an RFC 3261 transaction.  Also
 * built from a second Via, to find the upstream hop of a proxy (§16.6). */
transaction_key transaction_key_3261(const sipmsg_via *via, const char *method);

/* §17.2.3, last paragraphs: the RFC 2543 recipe.  Request-URI and To tag are
 * checked apart, for requests only (transaction.c, same_2543_request). */
transaction_key transaction_key_2543(const sipmsg *message, const char *method);

/* The key of a message's transaction of this method, by transaction_key_rule_of. */
transaction_key transaction_key_of(const sipmsg *message, const char *method);

gboolean transaction_key_equal(const transaction_key *a, const transaction_key *b);

/* RFC 3261 keys hash without their method, so the transactions sharing a
 * branch and sent-by (an INVITE and its CANCEL) hash alike; equal keys always
 * hash alike. */
guint32 transaction_key_hash(const transaction_key *key);

/* Two RFC 3261 keys with the same branch and sent-by, whatever their methods. */
gboolean transaction_key_same_branch(const transaction_key *a, const transaction_key *b);

/* The printable key, replacing text's content:
 *   "branch=B sent-by=host:port method=M"
 *   "rfc2543 call-id=C cseq=N method=M from-tag=T sent-by=host:port"
 *   "(no Via, CSeq or Call-ID to match on)"
 * with the host lower-cased.  Returns text->str. */
const char *transaction_key_print(const transaction_key *key, GString *text);

#endif /* SIPTXN_KEY_H */
