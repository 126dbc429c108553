/* SPDX-License-Identifier: GPL-2.0-or-later */
/* key.c: transaction keys, built, compared, hashed and printed as values. */

#include <string.h>

#include "key.h"
#include "textformat.h"
#include "textstore.h"

gboolean branch_has_magic_cookie(const char *branch)
{
    return branch && strncmp(branch, "z9hG4bK", 7) == 0;
}

/* ASCII lower case, inline: hosts are hashed and compared for every message. */
static inline guchar lower_ascii(char c)
{
    return (guchar)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

/* Equal but for ASCII case (host names: RFC 3261 §19.1.4; transports). */
static gboolean same_ignoring_case(const char *a, const char *b)
{
    if (a == b)
        return TRUE;
    for (;; a++, b++) {
        if (lower_ascii(*a) != lower_ascii(*b))
            return FALSE;
        if (!*a)
            return TRUE;
    }
}

/* An absent Call-ID, From tag, host or method compares, hashes and prints as empty. */
static const char *or_empty(const char *text)
{
    return text ? text : "";
}

/* RFC 3261 §18.2.2, §19.1.2: a sent-by without a port means the transport's default. */
static guint16 sent_by_port(const sipmsg_via *via)
{
    if (via->port)
        return via->port;
    if (via->transport && (same_ignoring_case(via->transport, "TLS") || same_ignoring_case(via->transport, "WSS")))
        return 5061;
    return 5060;
}

transaction_key_rule transaction_key_rule_of(const sipmsg *message)
{
    const sipmsg_via *via = &message->top_via;
    if (message->via_count == 0 || via->host == NULL)
        return TRANSACTION_KEY_NONE;
    if (!message->is_request && message->cseq_method == NULL)
        return TRANSACTION_KEY_NONE;
    if (branch_has_magic_cookie(via->branch))
        return TRANSACTION_KEY_RFC3261;
    if (message->call_id == NULL || !sipmsg_has_cseq_number(message))
        return TRANSACTION_KEY_NONE;
    return TRANSACTION_KEY_RFC2543;
}

transaction_key transaction_key_3261(const sipmsg_via *via, const char *method)
{
    transaction_key key = {
        .rule = TRANSACTION_KEY_RFC3261,
        .method = method,
        .sent_by_host = via->host,
        .sent_by_port = sent_by_port(via),
        .branch = via->branch,
    };
    return key;
}

transaction_key transaction_key_2543(const sipmsg *message, const char *method)
{
    transaction_key key = {
        .rule = TRANSACTION_KEY_RFC2543,
        .method = method,
        .sent_by_host = message->top_via.host,
        .sent_by_port = sent_by_port(&message->top_via),
        .branch = message->top_via.branch,
        .call_id = message->call_id,
        .cseq_number = message->cseq_number,
        .from_tag = message->from_tag,
    };
    return key;
}

transaction_key transaction_key_of(const sipmsg *message, const char *method)
{
    switch (transaction_key_rule_of(message)) {
    case TRANSACTION_KEY_RFC3261:
        return transaction_key_3261(&message->top_via, method);
    case TRANSACTION_KEY_RFC2543:
        return transaction_key_2543(message, method);
    case TRANSACTION_KEY_NONE:
        break;
    }
    transaction_key none = { .rule = TRANSACTION_KEY_NONE, .method = method };
    return none;
}

static gboolean same_sent_by(const transaction_key *a, const transaction_key *b)
{
    return a->sent_by_port == b->sent_by_port && same_ignoring_case(or_empty(a->sent_by_host), or_empty(b->sent_by_host));
}

static gboolean same_text(const char *a, const char *b)
{
    return a == b || strcmp(or_empty(a), or_empty(b)) == 0;
}

gboolean transaction_key_same_branch(const transaction_key *a, const transaction_key *b)
{
    return a->rule == TRANSACTION_KEY_RFC3261 && b->rule == TRANSACTION_KEY_RFC3261 && same_sent_by(a, b) &&
           same_text(a->branch, b->branch);
}

gboolean transaction_key_equal(const transaction_key *a, const transaction_key *b)
{
    if (a->rule != b->rule || a->rule == TRANSACTION_KEY_NONE || !same_text(a->method, b->method))
        return FALSE;
    if (a->rule == TRANSACTION_KEY_RFC3261)
        return transaction_key_same_branch(a, b);
    return same_sent_by(a, b) && a->cseq_number == b->cseq_number && same_text(a->call_id, b->call_id) &&
           same_text(a->from_tag, b->from_tag);
}

static guint64 hash_text(guint64 hash, const char *text, guint64 fold)
{
    text = or_empty(text);
    return text_hash_bytes(hash, text, strlen(text), fold);
}

guint32 transaction_key_hash(const transaction_key *key)
{
    guint64 hash = hash_text(TEXT_HASH_SEED, key->sent_by_host, TEXT_HASH_FOLD_CASE) * 33 + key->sent_by_port;
    if (key->rule == TRANSACTION_KEY_RFC3261)
        return (guint32)hash_text(hash, key->branch, 0);
    hash = hash_text(hash, key->method, 0) * 33 + key->cseq_number;
    return (guint32)hash_text(hash_text(hash, key->call_id, 0), key->from_tag, 0);
}

const char *transaction_key_print(const transaction_key *key, GString *text)
{
    g_string_truncate(text, 0);
    switch (key->rule) {
    case TRANSACTION_KEY_RFC3261:
        text_append_format(text, "branch=%s sent-by=", or_empty(key->branch));
        text_append_host_port(text, key->sent_by_host, key->sent_by_port, TRUE);
        text_append_format(text, " method=%s", or_empty(key->method));
        break;
    case TRANSACTION_KEY_RFC2543:
        text_append_format(text, "rfc2543 call-id=%s cseq=%u method=%s from-tag=%s sent-by=", or_empty(key->call_id),
                           key->cseq_number, or_empty(key->method), or_empty(key->from_tag));
        text_append_host_port(text, key->sent_by_host, key->sent_by_port, TRUE);
        break;
    case TRANSACTION_KEY_NONE:
        g_string_append(text, "(no Via, CSeq or Call-ID to match on)");
        break;
    }
    return text->str;
}
