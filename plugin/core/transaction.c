/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transaction.c: RFC 3261 §17 transaction matching for requests and responses. */

#include <string.h>

#include "decimal.h"
#include "engine.h"
#include "textformat.h"

/* The transaction's bit-fields hold these. */
G_STATIC_ASSERT(TRANSACTION_KIND_ACK < 4);
G_STATIC_ASSERT(TRANSACTION_KEYED_2543 < 4);
G_STATIC_ASSERT(TRANSACTION_STATE_TERMINATED < 8);

/* ---------- strings and keys ---------- */

const char *engine_intern(engine *engine, const char *text)
{
    return text_store_intern(engine->strings, text);
}

const char *engine_copy(engine *engine, const char *text)
{
    return text_store_copy(engine->strings, text);
}

gboolean branch_has_magic_cookie(const char *branch)
{
    return branch && strncmp(branch, "z9hG4bK", 7) == 0;
}

/* ASCII lower case, inline: hosts are hashed and compared for every message,
 * and GLib's g_ascii_tolower is a call per character. */
static inline guchar lower_ascii(char c)
{
    return (guchar)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

/* Equal but for ASCII case (host names: RFC 3261 §19.1.4; transports). */
static gboolean same_nocase(const char *a, const char *b)
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

/* RFC 3261 §18.2.2 / §19.1.2: a sent-by without a port means the transport's default. */
static guint16 sent_by_port(const sipmsg_via *via)
{
    if (via->port)
        return via->port;
    if (via->transport && (same_nocase(via->transport, "TLS") || same_nocase(via->transport, "WSS")))
        return 5061;
    return 5060;
}

/* The printable sent-by of a key: host lower-cased (host names compare
 * case-insensitively, RFC 3261 §19.1.4) and the port. */
static void append_sent_by(GString *text, const char *host, guint16 port)
{
    /* Lower-cased in place after one append; the port by hand (no printf):
     * this runs for every message shown in a tree. */
    gsize start = text->len;
    g_string_append(text, host ? host : "");
    for (gsize i = start; i < text->len; i++)
        text->str[i] = (char)lower_ascii(text->str[i]);
    char digits[10];
    g_string_append_c(text, ':');
    g_string_append_len(text, digits, (gssize)siptxn_write_decimal(digits, port));
}

/* A key is not kept as text: the transaction's own fields are its key (the
 * branch in transaction->key, sent-by host and port, method; or for RFC 2543
 * Call-ID, CSeq, method, From tag, sent-by), and a lookup fills the engine's
 * probe, a transaction with just those fields, from the message.  The text is
 * built only for the tree (transaction_key_text). */
static transaction *probe_of(engine *engine, const sipmsg_via *via, const char *method, gboolean rfc2543)
{
    transaction *probe = &engine->probe;
    memset(probe, 0, sizeof(*probe));
    memset(&engine->probe_hop, 0, sizeof(engine->probe_hop));
    probe->hop = &engine->probe_hop;
    probe->keyed = rfc2543 ? TRANSACTION_KEYED_2543 : TRANSACTION_KEYED_3261;
    probe->rfc2543 = (guint8)rfc2543;
    probe->sent_by_host = via->host;
    probe->key_port = sent_by_port(via);
    probe->method = method;
    return probe;
}

/* RFC 3261 §17.2.3: branch + sent-by + method identify an RFC 3261 transaction. */
const transaction *key_3261(engine *engine, const sipmsg_via *via, const char *method)
{
    transaction *probe = probe_of(engine, via, method, FALSE);
    probe->key = via->branch;
    return probe;
}

/* RFC 3261 §17.2.3 (last paragraphs): the RFC 2543 recipe.  Call-ID, CSeq, From
 * tag and top Via identify the transaction; Request-URI and To tag are checked
 * separately for requests (same_2543_request). */
const transaction *key_2543(engine *engine, const sipmsg *message, const char *method)
{
    transaction *probe = probe_of(engine, &message->top_via, method, TRUE);
    probe->call_id = message->call_id;
    probe->cseq_number = message->cseq_number;
    engine->probe_hop.from_tag = message->from_tag;
    return probe;
}

static gboolean can_match_3261(const sipmsg_via *via)
{
    return branch_has_magic_cookie(via->branch) && via->host != NULL;
}

const transaction *request_key(engine *engine, const sipmsg *message, const char *method, gboolean *rfc2543)
{
    *rfc2543 = FALSE;
    if (message->via_count == 0 || message->top_via.host == NULL)
        return NULL;
    if (can_match_3261(&message->top_via))
        return key_3261(engine, &message->top_via, method);
    if (message->call_id == NULL || (message->defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ)))
        return NULL;
    *rfc2543 = TRUE;
    return key_2543(engine, message, method);
}

/* ---------- indexes ---------- */

typedef gboolean (*index_equal)(gconstpointer candidate, gconstpointer probe);

/* Doubles the slots (256 at first) and moves the entries by their stored hashes. */
static gboolean index_grow(transaction_index *index)
{
    guint32 capacity = index->slots ? index->mask + 1 : 128;
    if (capacity > G_MAXUINT32 / 4)
        return FALSE;       /* a billion transactions: keep what there is */
    capacity *= 2;
    transaction_index_slot *slots = g_new0(transaction_index_slot, capacity);
    guint32 mask = capacity - 1;
    for (guint32 i = 0; index->slots && i <= index->mask; i++) {
        if (!index->slots[i].number)
            continue;
        guint32 at = index->slots[i].hash & mask;
        while (slots[at].number)
            at = (at + 1) & mask;
        slots[at] = index->slots[i];
    }
    g_free(index->slots);
    index->slots = slots;
    index->mask = mask;
    return TRUE;
}

/* The slot of the transaction equal to probe, else the empty slot where it
 * would go; NULL only when the index is full. */
static transaction_index_slot *index_slot(const engine *engine, const transaction_index *index, guint32 hash,
                                          index_equal equal, const transaction *probe)
{
    guint32 at = hash & index->mask;
    for (guint32 tried = 0; tried <= index->mask; tried++) {
        transaction_index_slot *slot = &index->slots[at];
        if (!slot->number || (slot->hash == hash && equal(engine_transaction(engine, slot->number), probe)))
            return slot;
        at = (at + 1) & index->mask;
    }
    return NULL;
}

static transaction *index_find(const engine *engine, const transaction_index *index, guint32 hash,
                               index_equal equal, const transaction *probe)
{
    if (!index->slots)
        return NULL;
    const transaction_index_slot *slot = index_slot(engine, index, hash, equal, probe);
    return slot && slot->number ? engine_transaction(engine, slot->number) : NULL;
}

/* Adds the transaction; it replaces an equal one (the later transaction wins). */
static void index_put(const engine *engine, transaction_index *index, guint32 hash, index_equal equal,
                      const transaction *transaction)
{
    /* At most three quarters full, so probes stay short. */
    if ((!index->slots || index->count >= (index->mask + 1) / 4 * 3) && !index_grow(index) && !index->slots)
        return;
    transaction_index_slot *slot = index_slot(engine, index, hash, equal, transaction);
    if (!slot)
        return;
    if (!slot->number)
        index->count++;
    slot->hash = hash;
    slot->number = transaction->number;
}

static void index_free(transaction_index *index)
{
    g_free(index->slots);
    memset(index, 0, sizeof(*index));
}

/* Hashes and comparisons equal to those of the printable key: an absent Call-ID
 * or From tag is empty, the host compares case-insensitively. */
static const char *or_empty(const char *text)
{
    return text ? text : "";
}

/* text_hash_bytes() of a text, an absent one hashing as empty. */
static guint64 mix_text(guint64 hash, const char *text, guint64 fold)
{
    text = or_empty(text);
    return text_hash_bytes(hash, text, strlen(text), fold);
}

static guint64 sent_by_hash(guint64 hash, const transaction *key)
{
    return mix_text(hash, key->sent_by_host, TEXT_HASH_FOLD_CASE) * 33 + key->key_port;
}

static gboolean same_sent_by(const transaction *a, const transaction *b)
{
    return a->key_port == b->key_port && same_nocase(or_empty(a->sent_by_host), or_empty(b->sent_by_host));
}

/* RFC 3261 keys hash without their method: the transactions that share a
 * branch and sent-by (an INVITE and its CANCEL, a request and a response with
 * another CSeq method) lie in one probe run of by_key, where lookup_branch
 * finds them without an index of its own. */
static guint branch_hash(const transaction *key)
{
    return (guint)sent_by_hash(mix_text(TEXT_HASH_SEED, key->key, 0), key);
}

static guint key_hash(gconstpointer data)
{
    const transaction *key = data;
    if (!key->rfc2543)
        return branch_hash(key);
    guint64 hash = sent_by_hash(mix_text(TEXT_HASH_SEED, key->method, 0), key);
    return (guint)mix_text(mix_text(hash * 33 + key->cseq_number, key->call_id, 0), transaction_hop_of(key)->from_tag, 0);
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const transaction *x = a, *y = b;
    if (x->rfc2543 != y->rfc2543 || !same_sent_by(x, y) || strcmp(or_empty(x->method), or_empty(y->method)) != 0)
        return FALSE;
    if (x->rfc2543)
        return x->cseq_number == y->cseq_number && strcmp(or_empty(x->call_id), or_empty(y->call_id)) == 0 &&
               strcmp(or_empty(transaction_hop_of(x)->from_tag), or_empty(transaction_hop_of(y)->from_tag)) == 0;
    return strcmp(x->key, y->key) == 0;
}

transaction *engine_lookup(engine *engine, const transaction *key)
{
    return key ? index_find(engine, &engine->by_key, key_hash(key), key_equal, key) : NULL;
}

void transaction_register_key(engine *engine, transaction *created, const transaction *key)
{
    /* The other fields of the key are the transaction's own, from the same message. */
    created->keyed = key->keyed;
    created->key_port = key->key_port;
    created->key = key->rfc2543 ? "rfc2543" : engine_copy(engine, key->key);
    /* A later transaction with the same key replaces the earlier one. */
    index_put(engine, &engine->by_key, key_hash(created), key_equal, created);
}

const char *transaction_key_text(const transaction *transaction, GString *text)
{
    switch (transaction->keyed) {
    case TRANSACTION_KEYED_3261:
        g_string_assign(text, "branch=");
        g_string_append(text, transaction->key);
        g_string_append(text, " sent-by=");
        append_sent_by(text, transaction->sent_by_host, transaction->key_port);
        g_string_append(text, " method=");
        g_string_append(text, or_empty(transaction->method));
        break;
    case TRANSACTION_KEYED_2543:
        g_string_assign(text, "rfc2543 call-id=");
        g_string_append(text, or_empty(transaction->call_id));
        text_append_format(text, " cseq=%u method=%s from-tag=%s sent-by=", transaction->cseq_number,
                           or_empty(transaction->method), or_empty(transaction_hop_of(transaction)->from_tag));
        append_sent_by(text, transaction->sent_by_host, transaction->key_port);
        break;
    default:
        g_string_assign(text, transaction->key);
        break;
    }
    return text->str;
}

static gboolean branch_equal(const transaction *x, const transaction *y)
{
    return same_sent_by(x, y) && strcmp(x->key, y->key) == 0;
}

/* The last RFC 3261 transaction opened by a request or response with this top
 * Via branch and sent-by, whatever its method (not an ACK's own transaction). */
static transaction *lookup_branch(engine *engine, const sipmsg_via *via)
{
    const transaction_index *index = &engine->by_key;
    if (!can_match_3261(via) || !index->slots)
        return NULL;
    const transaction *probe = key_3261(engine, via, "");
    guint32 hash = branch_hash(probe);
    transaction *last = NULL;
    guint32 at = hash & index->mask;
    for (guint32 tried = 0; tried <= index->mask && index->slots[at].number; tried++) {
        const transaction_index_slot *slot = &index->slots[at];
        at = (at + 1) & index->mask;
        if (slot->hash != hash || (last && slot->number < last->number))
            continue;
        transaction *candidate = engine_transaction(engine, slot->number);
        if (!candidate->rfc2543 && candidate->kind != TRANSACTION_KIND_ACK && branch_equal(candidate, probe))
            last = candidate;
    }
    return last;
}

/* INVITE transactions are also found by Call-ID, CSeq number and From tag, for
 * ACKs to 2xx, which carry a new branch (RFC 3261 §13.2.2.4).  by_dialog holds
 * the first INVITE transaction of each; the others follow in hop->next_in_dialog.
 * An absent Call-ID or From tag counts as empty. */
static guint dialog_hash(gconstpointer data)
{
    const transaction *invite = data;
    return (guint)mix_text(mix_text(TEXT_HASH_SEED, invite->call_id, 0) * 31 + invite->cseq_number,
                           transaction_hop_of(invite)->from_tag, 0);
}

static gboolean dialog_equal(gconstpointer a, gconstpointer b)
{
    const transaction *x = a, *y = b;
    return x->cseq_number == y->cseq_number && strcmp(or_empty(x->call_id), or_empty(y->call_id)) == 0 &&
           strcmp(or_empty(transaction_hop_of(x)->from_tag), or_empty(transaction_hop_of(y)->from_tag)) == 0;
}

transaction *engine_lookup_dialog(engine *engine, const char *call_id, guint32 cseq_number, const char *from_tag)
{
    transaction_hop hop = { .from_tag = from_tag };
    transaction probe = { .call_id = call_id, .cseq_number = cseq_number, .hop = &hop };
    return index_find(engine, &engine->by_dialog, dialog_hash(&probe), dialog_equal, &probe);
}

static void register_dialog(engine *engine, transaction *transaction)
{
    guint32 hash = dialog_hash(transaction);
    struct transaction *first = index_find(engine, &engine->by_dialog, hash, dialog_equal, transaction);
    if (!first) {
        index_put(engine, &engine->by_dialog, hash, dialog_equal, transaction);
        return;
    }
    while (first->hop->next_in_dialog)
        first = first->hop->next_in_dialog;
    first->hop->next_in_dialog = transaction;
}

const char *transaction_branch(const transaction *transaction)
{
    if (transaction->keyed == TRANSACTION_KEYED_3261)
        return transaction->key;
    if (transaction->rfc2543)
        return transaction_hop_of(transaction)->branch;
    return NULL;
}

transaction_copies *transaction_copies_for(engine *engine, transaction *transaction)
{
    if (!transaction->copies) {
        transaction->copies = engine_alloc0(engine, sizeof(transaction_copies));
        transaction->copies->last_request_time_ns = transaction->request_time_ns;
    }
    return transaction->copies;
}

transaction_links *transaction_links_for(engine *engine, transaction *transaction)
{
    if (!transaction->links)
        transaction->links = engine_alloc0(engine, sizeof(transaction_links));
    return transaction->links;
}

const transaction_hop *transaction_hop_of(const transaction *transaction)
{
    static const transaction_hop none;
    return transaction->hop ? transaction->hop : &none;
}

/* ---------- memory ---------- */

#define ENGINE_BLOCK_SIZE (64 * 1024)

gpointer engine_alloc0(engine *engine, gsize size)
{
    size = (size + 7) & ~(gsize)7;
    if (size > ENGINE_BLOCK_SIZE)
        return NULL;    /* only small structs come here */
    if (engine->block_free < size) {
        g_ptr_array_add(engine->blocks, g_malloc0(ENGINE_BLOCK_SIZE));
        engine->block_free = ENGINE_BLOCK_SIZE;
    }
    guint8 *block = g_ptr_array_index(engine->blocks, engine->blocks->len - 1);
    gpointer memory = block + ENGINE_BLOCK_SIZE - engine->block_free;
    engine->block_free -= size;
    return memory;
}

static transaction *transaction_new(engine *engine)
{
    guint32 index = engine->transaction_count;
    if (index / TRANSACTION_BLOCK >= engine->transaction_blocks->len)
        g_ptr_array_add(engine->transaction_blocks, g_new0(transaction, TRANSACTION_BLOCK));
    transaction *block = g_ptr_array_index(engine->transaction_blocks, index / TRANSACTION_BLOCK);
    engine->transaction_count++;
    transaction *created = &block[index % TRANSACTION_BLOCK];
    created->number = engine->transaction_count;
    return created;
}

/* ---------- transactions ---------- */

/* The methods of RFC 3261 and its extensions are kept as constants: most
 * transactions have one of them, and this spares them a lookup in the text
 * store.  Methods are case-sensitive (§7.1), so only the exact spelling. */
static const char *method_text(engine *engine, const char *method)
{
    static const char *const known[] = {
        "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE",
        "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE",
    };
    if (!method)
        return NULL;
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        if (method[0] == known[i][0] && strcmp(method, known[i]) == 0)
            return known[i];
    return engine_intern(engine, method);
}

transaction *transaction_create(engine *engine, const sipmsg *message, transaction_kind kind,
                                const char *method, gboolean rfc2543)
{
    transaction *created = transaction_new(engine);
    created->kind = (guint8)kind;
    created->rfc2543 = (guint8)rfc2543;
    created->method = method_text(engine, method);
    created->call_id = engine_intern(engine, message->call_id);
    created->sent_by_host = engine_intern(engine, message->top_via.host);
    created->sent_by_port = message->top_via.port;
    created->cseq_number = message->cseq_number;
    created->transport = (guint8)message->transport;
    /* What only ACK checks (§17.1.1.3), hop matching and RFC 2543 matching need. */
    if (kind == TRANSACTION_KIND_INVITE || rfc2543) {
        transaction_hop *hop = engine_alloc0(engine, sizeof(transaction_hop));
        created->hop = hop;
        if (rfc2543)
            hop->branch = engine_intern(engine, message->top_via.branch);
        hop->from_tag = engine_intern(engine, message->from_tag);
        if (message->is_request) {
            hop->request_uri = engine_intern(engine, message->request_uri);
            hop->from_uri = engine_intern(engine, message->from_uri);
            hop->route_set = engine_intern(engine, message->route_set);
            hop->request_to_tag = engine_copy(engine, message->to_tag);
            hop->client = engine_intern(engine, message->source);
            hop->server = engine_intern(engine, message->destination);
        } else {
            hop->client = engine_intern(engine, message->destination);
            hop->server = engine_intern(engine, message->source);
        }
    }
    if (kind == TRANSACTION_KIND_INVITE && message->call_id)
        register_dialog(engine, created);
    return created;
}

static transaction_kind kind_of_method(const char *method)
{
    if (method && strcmp(method, "INVITE") == 0)
        return TRANSACTION_KIND_INVITE;
    if (method && strcmp(method, "ACK") == 0)
        return TRANSACTION_KIND_ACK;
    return TRANSACTION_KIND_NON_INVITE;
}

/* RFC 3261 §17.2.3: an RFC 2543 request matches only with the same Request-URI and To tag. */
static gboolean same_2543_request(const transaction *existing, const sipmsg *message)
{
    const transaction_hop *hop = transaction_hop_of(existing);
    return g_strcmp0(hop->request_uri, message->request_uri) == 0 &&
           same_tag(hop->request_to_tag, message->to_tag);
}

gint64 timer_interval_ns(const engine *engine, guint32 retransmission_number, gboolean capped_at_t2)
{
    guint32 doublings = retransmission_number > 0 ? retransmission_number - 1 : 0;
    if (doublings > 20)
        doublings = 20;
    gint64 interval = ((gint64)engine->settings.t1_ms << doublings) * NS_PER_MS;
    gint64 t2 = (gint64)engine->settings.t2_ms * NS_PER_MS;
    return (capped_at_t2 && interval > t2) ? t2 : interval;
}

/* RFC 3261 §17.1.1.2 (Timer A), §17.1.2.2 (Timer E), §17.2.1 (Timer G): a re-sent
 * copy comes T1, 2*T1, 4*T1, ... after the previous one.  Earlier than 80 % of
 * that is too early; an interval equal (within 20 %) to the previous interval or
 * to the previous timer value did not double. */
static gboolean roughly_equal(gint64 value, gint64 reference)
{
    if (reference <= 0 || value < 0)
        return FALSE;
    gint64 difference = value > reference ? value - reference : reference - value;
    return difference <= reference / 5;
}

void judge_interval(const engine *engine, gint64 interval_ns, gint64 expected_ns, gint64 previous_interval_ns,
                    message_result *result)
{
    result->interval_ns = interval_ns;
    result->expected_interval_ns = expected_ns;
    /* A clock that went backwards says nothing about timers; the test must not overflow. */
    if (expected_ns <= 0 || interval_ns < 0 || interval_ns >= expected_ns - expected_ns / 5)
        return;
    gint64 previous_expected_ns = result->retransmission_number > 1 ? expected_ns / 2 : 0;
    (void)engine;
    if (roughly_equal(interval_ns, previous_interval_ns) || roughly_equal(interval_ns, previous_expected_ns))
        result->findings |= FINDING_RETRANSMISSION_NOT_DOUBLED;
    else
        result->findings |= FINDING_RETRANSMISSION_TOO_EARLY;
}

/* The interval before this copy of the request, and what Timer A/E expects. */
static void judge_request_retransmission(engine *engine, transaction *existing, transaction_copies *copies,
                                         const sipmsg *message, message_result *result)
{
    gint64 interval = message->time_ns - copies->last_request_time_ns;
    guint32 number = copies->request_retransmissions;
    gint64 expected;
    if (existing->kind == TRANSACTION_KIND_INVITE)
        expected = timer_interval_ns(engine, number, FALSE);         /* Timer A, §17.1.1.2 */
    else if (existing->state == TRANSACTION_STATE_PROCEEDING &&
             copies->last_request_time_ns >= existing->provisional_time_ns)
        expected = (gint64)engine->settings.t2_ms * NS_PER_MS;       /* Timer E in Proceeding, §17.1.2.2 */
    else
        expected = timer_interval_ns(engine, number, TRUE);          /* Timer E, §17.1.2.2 */
    if (message->transport == SIPMSG_TRANSPORT_UDP)
        judge_interval(engine, interval, expected, copies->last_request_interval_ns, result);
    else
        result->interval_ns = interval;
    copies->last_request_interval_ns = interval;
}

/* A stateful proxy's forwarded request carries the upstream request's top Via as
 * its second Via (RFC 3261 §16.6 step 8): link the two hops. */
static void link_forwarded(engine *engine, transaction *downstream, const sipmsg *message, const char *method)
{
    if (message->via_count < 2 || !can_match_3261(&message->second_via))
        return;
    transaction *upstream = engine_lookup(engine, key_3261(engine, &message->second_via, method));
    if (!upstream || upstream == downstream)
        return;
    transaction_links_for(engine, downstream)->forwarded_from = upstream;
    if (!transaction_links_of(upstream)->forwarded_to)
        transaction_links_for(engine, upstream)->forwarded_to = downstream;
}

/* RFC 3261 §9.2: a CANCEL has the INVITE's branch and forms its own transaction. */
static void link_cancel(engine *engine, transaction *cancel, const sipmsg *message)
{
    gboolean rfc2543;
    transaction *invite = engine_lookup(engine, request_key(engine, message, "INVITE", &rfc2543));
    if (!invite || invite->kind != TRANSACTION_KIND_INVITE)
        return;
    transaction_links_for(engine, cancel)->cancels = invite;
    if (!transaction_links_of(invite)->cancelled_by)
        transaction_links_for(engine, invite)->cancelled_by = cancel;
}

static void process_request(engine *engine, const sipmsg *message, message_result *result)
{
    const char *method = message->method ? message->method : "UNKNOWN";
    gboolean is_cancel = strcmp(method, "CANCEL") == 0;
    gboolean rfc2543 = FALSE;
    const transaction *key = request_key(engine, message, method, &rfc2543);
    transaction *existing = engine_lookup(engine, key);

    if (existing && rfc2543 && !same_2543_request(existing, message))
        existing = NULL;
    if (rfc2543)
        result->findings |= FINDING_RFC2543_MATCHING;
    /* §18.1.1: a request within 200 bytes of the MTU should not go over UDP. */
    if (message->transport == SIPMSG_TRANSPORT_UDP && message->length > engine->settings.udp_size_limit)
        result->findings |= FINDING_UDP_TOO_LARGE;

    if (existing) {
        /* §17.2.3: same key, same method: a retransmission of the request. */
        transaction_copies *copies = transaction_copies_for(engine, existing);
        copies->request_retransmissions++;
        result->role = is_cancel ? MESSAGE_ROLE_CANCEL_RETRANSMISSION : MESSAGE_ROLE_REQUEST_RETRANSMISSION;
        result->original_frame = existing->request_frame;
        result->retransmission_number = copies->request_retransmissions;
        if (existing->request_frame) {
            judge_request_retransmission(engine, existing, copies, message, result);
        } else {
            /* The transaction was first seen by its responses: this copy is the first seen. */
            existing->request_frame = message->frame;
            existing->request_time_ns = message->time_ns;
        }
        copies->last_request_time_ns = message->time_ns;
        result->transaction = existing;
        result->state = existing->state;
        return;
    }

    transaction *created = transaction_create(engine, message, kind_of_method(method), method, rfc2543);
    created->request_frame = message->frame;
    created->request_time_ns = message->time_ns;
    created->state = created->kind == TRANSACTION_KIND_INVITE ? TRANSACTION_STATE_CALLING
                                                               : TRANSACTION_STATE_TRYING;
    if (key) {
        transaction_register_key(engine, created, key);
        link_forwarded(engine, created, message, method);
        if (is_cancel)
            link_cancel(engine, created, message);
    } else {
        created->key = engine_intern(engine, "(no Via, CSeq or Call-ID to match on)");
        result->findings |= FINDING_UNMATCHABLE;
    }
    result->role = is_cancel ? MESSAGE_ROLE_CANCEL : MESSAGE_ROLE_REQUEST;
    result->opened = TRUE;
    result->transaction = created;
    result->state = created->state;
}

/* ---------- responses ---------- */

/* RFC 3261 §17.1.3: a response matches the client transaction whose branch and
 * sent-by equal the top Via's and whose method equals the CSeq method. */
static transaction *match_response(engine *engine, const sipmsg *message, const char *method,
                                   message_result *result)
{
    if (message->via_count == 0 || message->top_via.host == NULL || message->cseq_method == NULL)
        return NULL;
    if (can_match_3261(&message->top_via)) {
        transaction *found = engine_lookup(engine, key_3261(engine, &message->top_via, method));
        if (found)
            return found;
        /* §8.2.6.2: the CSeq of a response is copied from the request. */
        found = lookup_branch(engine, &message->top_via);
        if (found && found->kind != TRANSACTION_KIND_ACK) {
            result->findings |= FINDING_CSEQ_METHOD_MISMATCH;
            return found;
        }
        return NULL;
    }
    if (message->call_id == NULL || (message->defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ)))
        return NULL;
    result->findings |= FINDING_RFC2543_MATCHING;
    return engine_lookup(engine, key_2543(engine, message, method));
}

static transaction *create_for_response(engine *engine, const sipmsg *message, const char *method,
                                        message_result *result)
{
    gboolean rfc2543 = FALSE;
    const transaction *key = NULL;
    if (message->via_count > 0 && message->top_via.host && message->cseq_method) {
        if (can_match_3261(&message->top_via))
            key = key_3261(engine, &message->top_via, method);
        else if (message->call_id && !(message->defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ))) {
            rfc2543 = TRUE;
            key = key_2543(engine, message, method);
        }
    }
    transaction_kind kind = kind_of_method(method);
    if (kind == TRANSACTION_KIND_ACK)
        kind = TRANSACTION_KIND_NON_INVITE;
    transaction *created = transaction_create(engine, message, kind, method, rfc2543);
    created->state = kind == TRANSACTION_KIND_INVITE ? TRANSACTION_STATE_CALLING : TRANSACTION_STATE_TRYING;
    if (key) {
        transaction_register_key(engine, created, key);
        result->findings |= FINDING_RESPONSE_WITHOUT_REQUEST;
    } else {
        created->key = engine_intern(engine, "(no Via, CSeq or Call-ID to match on)");
        result->findings |= FINDING_UNMATCHABLE;
    }
    return created;
}

static final_response *find_final(transaction *existing, guint status_code, const char *to_tag)
{
    for (final_response *final = existing->finals; final; final = final->next)
        if (final->status_code == status_code && same_tag(final->to_tag, to_tag))
            return final;
    return NULL;
}

static void process_provisional(engine *engine, transaction *existing, const sipmsg *message, const char *to_tag,
                                message_result *result)
{
    gboolean same_to_tag = same_tag(existing->provisional_to_tag, to_tag);
    if (existing->provisional_frame && existing->provisional_code == message->status_code && same_to_tag) {
        result->role = MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION;
        result->original_frame = existing->last_provisional_frame;
        result->retransmission_number = ++transaction_copies_for(engine, existing)->provisional_retransmissions;
    } else {
        if (existing->copies)
            existing->copies->provisional_retransmissions = 0;
        result->role = MESSAGE_ROLE_PROVISIONAL;
        if (!existing->provisional_frame) {
            existing->provisional_frame = message->frame;
            existing->provisional_time_ns = message->time_ns;
        }
        existing->last_provisional_frame = message->frame;
        existing->provisional_code = (guint16)message->status_code;   /* < 200 */
        if (!same_to_tag)
            existing->provisional_to_tag = engine_copy(engine, to_tag);
    }
    /* §17.1.1.2, §17.1.2.2: a provisional response moves Calling/Trying to Proceeding. */
    if (existing->state == TRANSACTION_STATE_CALLING || existing->state == TRANSACTION_STATE_TRYING)
        existing->state = TRANSACTION_STATE_PROCEEDING;
}

/* §17.2.1 Timer G and §13.3.1.4: the UAS re-sends its final response to an INVITE
 * after T1, 2*T1, ... capped at T2, until the ACK arrives. */
static void judge_final_retransmission(engine *engine, transaction *existing, final_copies *copies,
                                       const sipmsg *message, message_result *result)
{
    gint64 interval = message->time_ns - copies->last_time_ns;
    if (existing->kind == TRANSACTION_KIND_INVITE && message->transport == SIPMSG_TRANSPORT_UDP)
        judge_interval(engine, interval, timer_interval_ns(engine, copies->retransmissions, TRUE),
                       copies->last_interval_ns, result);
    else
        result->interval_ns = interval;
    copies->last_interval_ns = interval;
    copies->last_time_ns = message->time_ns;
}

static void process_final(engine *engine, transaction *existing, const sipmsg *message, const char *to_tag,
                          message_result *result)
{
    final_response *final = find_final(existing, message->status_code, to_tag);
    if (final) {
        if (!final->copies) {
            final->copies = engine_alloc0(engine, sizeof(final_copies));
            final->copies->last_time_ns = final->time_ns;
        }
        final_copies *copies = final->copies;
        copies->retransmissions++;
        copies->retransmissions_since_ack++;
        result->role = MESSAGE_ROLE_FINAL_RETRANSMISSION;
        result->original_frame = final->frame;
        result->retransmission_number = copies->retransmissions;
        judge_final_retransmission(engine, existing, copies, message, result);
        return;
    }
    final = engine_alloc0(engine, sizeof(final_response));
    final->status_code = message->status_code;
    /* Usually the tag of the provisional responses before it: one copy for both. */
    final->to_tag = same_tag(existing->provisional_to_tag, to_tag) ? existing->provisional_to_tag
                                                                    : engine_copy(engine, to_tag);
    final->frame = message->frame;
    final->time_ns = message->time_ns;
    final_response **tail = &existing->finals;
    while (*tail)
        tail = &(*tail)->next;
    if (tail != &existing->finals)
        result->findings |= FINDING_ADDITIONAL_FINAL;
    *tail = final;
    result->role = MESSAGE_ROLE_FINAL;
    if (existing->state == TRANSACTION_STATE_CONFIRMED)
        return;
    /* §17.1.1.2: 2xx terminates the INVITE transaction, 300-699 completes it;
     * §17.1.2.2: any final response completes a non-INVITE transaction. */
    if (existing->kind == TRANSACTION_KIND_INVITE && message->status_code < 300)
        existing->state = TRANSACTION_STATE_TERMINATED;
    else if (existing->state != TRANSACTION_STATE_TERMINATED)
        existing->state = TRANSACTION_STATE_COMPLETED;
}

static void process_response(engine *engine, const sipmsg *message, message_result *result)
{
    const char *method = message->cseq_method ? message->cseq_method : "UNKNOWN";
    transaction *existing = match_response(engine, message, method, result);
    if (!existing) {
        existing = create_for_response(engine, message, method, result);
        result->opened = TRUE;
    }
    else if (existing->request_frame && !(message->defects & (SIPMSG_DEFECT_NO_CSEQ | SIPMSG_DEFECT_BAD_CSEQ)) &&
             message->cseq_number != existing->cseq_number)
        result->findings |= FINDING_CSEQ_NUMBER_MISMATCH;

    const char *to_tag = message->to_tag;   /* the message's: copied when kept */
    if (message->status_code < 200)
        process_provisional(engine, existing, message, to_tag, result);
    else
        process_final(engine, existing, message, to_tag, result);
    result->transaction = existing;
    result->state = existing->state;
}

/* ---------- the engine ---------- */

void engine_settings_default(engine_settings *settings)
{
    settings->t1_ms = 500;
    settings->t2_ms = 4000;
    settings->udp_size_limit = 1300;
}

engine *engine_new(const engine_settings *settings)
{
    engine *created = g_new0(engine, 1);
    if (settings)
        created->settings = *settings;
    else
        engine_settings_default(&created->settings);
    if (created->settings.t1_ms == 0)
        created->settings.t1_ms = 500;
    /* T1 << 20 in nanoseconds must fit a gint64: no timer beyond an hour. */
    created->settings.t1_ms = MIN(created->settings.t1_ms, 3600000u);
    created->settings.t2_ms = MIN(created->settings.t2_ms, 3600000u);
    if (created->settings.t2_ms < created->settings.t1_ms)
        created->settings.t2_ms = created->settings.t1_ms;
    created->strings = text_store_new();
    created->transaction_blocks = g_ptr_array_new_with_free_func(g_free);
    created->blocks = g_ptr_array_new_with_free_func(g_free);
    return created;
}

void engine_free(engine *doomed)
{
    if (!doomed)
        return;
    g_ptr_array_free(doomed->transaction_blocks, TRUE);
    g_ptr_array_free(doomed->blocks, TRUE);
    index_free(&doomed->by_key);
    index_free(&doomed->by_dialog);
    text_store_free(doomed->strings);
    g_free(doomed);
}

void engine_observe_time(engine *engine, gint64 time_ns)
{
    if (time_ns > engine->last_time_ns)
        engine->last_time_ns = time_ns;
}

gint64 engine_last_time(const engine *engine)
{
    return engine->last_time_ns;
}

guint32 engine_transaction_count(const engine *engine)
{
    return engine->transaction_count;
}

transaction *engine_transaction(const engine *engine, guint32 number)
{
    if (number == 0 || number > engine->transaction_count)
        return NULL;
    const transaction *block = g_ptr_array_index(engine->transaction_blocks, (number - 1) / TRANSACTION_BLOCK);
    return (transaction *)&block[(number - 1) % TRANSACTION_BLOCK];
}

const engine_settings *engine_get_settings(const engine *engine)
{
    return &engine->settings;
}

void engine_process(engine *engine, const sipmsg *message, message_result *result)
{
    memset(result, 0, sizeof(*result));
    engine_observe_time(engine, message->time_ns);
    if (!message->is_request)
        process_response(engine, message, result);
    else if (message->method && strcmp(message->method, "ACK") == 0)
        ack_process(engine, message, result);
    else
        process_request(engine, message, result);
}

gboolean transaction_unanswered(const engine *engine, const transaction *transaction)
{
    if (transaction->kind == TRANSACTION_KIND_ACK || transaction->finals || !transaction->request_frame)
        return FALSE;
    if (transaction->kind == TRANSACTION_KIND_INVITE && transaction->provisional_frame)
        return FALSE;   /* Timer B runs in Calling only (§17.1.1.2) */
    gint64 limit = 64 * (gint64)engine->settings.t1_ms * NS_PER_MS;
    return engine->last_time_ns - transaction->request_time_ns > limit;
}

gboolean final_response_unacknowledged(const engine *engine, const transaction *transaction,
                                       const final_response *final)
{
    gint64 limit = 64 * (gint64)engine->settings.t1_ms * NS_PER_MS;
    return transaction->kind == TRANSACTION_KIND_INVITE && final_copies_of(final)->retransmissions > 0 && final->ack_frame == 0 &&
           engine->last_time_ns - final->time_ns > limit;
}

const char *transaction_kind_name(transaction_kind kind)
{
    switch (kind) {
    case TRANSACTION_KIND_INVITE: return "INVITE";
    case TRANSACTION_KIND_NON_INVITE: return "non-INVITE";
    case TRANSACTION_KIND_ACK: return "ACK";
    }
    return "unknown";
}

const char *transaction_state_name(transaction_state state)
{
    switch (state) {
    case TRANSACTION_STATE_NONE: return "none";
    case TRANSACTION_STATE_CALLING: return "Calling";
    case TRANSACTION_STATE_TRYING: return "Trying";
    case TRANSACTION_STATE_PROCEEDING: return "Proceeding";
    case TRANSACTION_STATE_COMPLETED: return "Completed";
    case TRANSACTION_STATE_CONFIRMED: return "Confirmed";
    case TRANSACTION_STATE_TERMINATED: return "Terminated";
    }
    return "unknown";
}

const char *message_role_name(message_role role)
{
    switch (role) {
    case MESSAGE_ROLE_REQUEST: return "request";
    case MESSAGE_ROLE_REQUEST_RETRANSMISSION: return "request retransmission";
    case MESSAGE_ROLE_PROVISIONAL: return "provisional response";
    case MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION: return "provisional response retransmission";
    case MESSAGE_ROLE_FINAL: return "final response";
    case MESSAGE_ROLE_FINAL_RETRANSMISSION: return "final response retransmission";
    case MESSAGE_ROLE_ACK: return "ACK";
    case MESSAGE_ROLE_ACK_RETRANSMISSION: return "ACK retransmission";
    case MESSAGE_ROLE_CANCEL: return "CANCEL";
    case MESSAGE_ROLE_CANCEL_RETRANSMISSION: return "CANCEL retransmission";
    }
    return "unknown";
}

const char *ack_class_name(ack_class class_)
{
    switch (class_) {
    case ACK_CLASS_UNKNOWN: return "unknown";
    case ACK_CLASS_NON_2XX: return "non-2xx";
    case ACK_CLASS_2XX: return "2xx";
    }
    return "unknown";
}
