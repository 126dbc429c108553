/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transaction.c: RFC 3261 §17 transaction matching for requests and responses. */

#include <string.h>

#include "blocks.h"
#include "duplicates.h"
#include "engine.h"
#include "textstore.h"

/* ---------- the engine's state ---------- */

/* Transactions live in blocks of this many, so a number finds its transaction
 * without an index of pointers. */
#define TRANSACTION_BLOCK 256

/* An index of transactions: open addressing with linear probing over slots of
 * 8 bytes, the hash of what the index compares and the transaction's number
 * (0: empty).  No pointers and no key copies: the transaction holds its key. */
typedef struct {
    guint32 hash;
    guint32 number;
} transaction_index_slot;

typedef struct {
    transaction_index_slot *slots;
    guint32 mask;               /* slots - 1; slots is a power of two */
    guint32 count;
} transaction_index;

/* The per-capture state: every transaction, indexed by its key and (INVITE
 * transactions) by dialog.  Strings that many transactions repeat (methods,
 * hosts, Call-IDs, URIs, endpoints) are interned in the text store, one copy
 * each. */
struct engine {
    engine_settings   settings;
    text_store       *strings;
    transaction_index by_key;     /* transactions by key (transaction_key_hash) */
    transaction_index by_dialog;  /* first INVITE transaction per Call-ID, CSeq number, From tag */
    GPtrArray        *transaction_blocks; /* transaction[TRANSACTION_BLOCK] each, in number order */
    guint32           transaction_count;
    block_allocator   memory;     /* final responses, hops, links and copies */
    gint64            last_time_ns;
    GHashTable       *reliable;   /* transaction -> its reliable provisional responses, newest first
                                   * (RFC 3262): empty in most captures */
    duplicate_window  recent;     /* messages recent enough to be seen again as duplicates */
};

#define NS_PER_MS G_GINT64_CONSTANT(1000000)

/* ---------- strings ---------- */

const char *engine_intern(engine *engine, const char *text)
{
    return text_store_intern(engine->strings, text);
}

/* A copy of text (NULL for NULL) of its own, not shared: for tags and
 * branches, which are unique to a dialog or transaction and only compared. */
const char *engine_copy(engine *engine, const char *text)
{
    return text_store_copy(engine->strings, text);
}

/* ---------- indexes ---------- */

/* Whether a transaction in an index is the one looked for (a key, a dialog). */
gpointer engine_alloc(engine *engine, gsize size)
{
    return block_alloc0(&engine->memory, size);
}

typedef gboolean (*index_match)(const transaction *candidate, gconstpointer wanted);

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

/* The slot of the transaction that matches, else the empty slot where it
 * would go; NULL only when the index is full. */
static transaction_index_slot *index_slot(const engine *engine, const transaction_index *index, guint32 hash,
                                          index_match matches, gconstpointer wanted)
{
    guint32 at = hash & index->mask;
    for (guint32 tried = 0; tried <= index->mask; tried++) {
        transaction_index_slot *slot = &index->slots[at];
        if (!slot->number || (slot->hash == hash && matches(engine_transaction(engine, slot->number), wanted)))
            return slot;
        at = (at + 1) & index->mask;
    }
    return NULL;
}

static transaction *index_find(const engine *engine, const transaction_index *index, guint32 hash,
                               index_match matches, gconstpointer wanted)
{
    if (!index->slots)
        return NULL;
    const transaction_index_slot *slot = index_slot(engine, index, hash, matches, wanted);
    return slot && slot->number ? engine_transaction(engine, slot->number) : NULL;
}

/* Adds the transaction, found again by wanted; it replaces a matching one
 * (the later transaction wins). */
static void index_put(const engine *engine, transaction_index *index, guint32 hash, index_match matches,
                      gconstpointer wanted, const transaction *transaction)
{
    /* At most three quarters full, so probes stay short. */
    if ((!index->slots || index->count >= (index->mask + 1) / 4 * 3) && !index_grow(index) && !index->slots)
        return;
    transaction_index_slot *slot = index_slot(engine, index, hash, matches, wanted);
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

/* ---------- keys ---------- */

transaction_key transaction_key_get(const transaction *transaction)
{
    transaction_key key = {
        .rule = (transaction_key_rule)transaction->key_rule,
        .method = transaction->method,
        .sent_by_host = transaction->sent_by_host,
        .sent_by_port = transaction->key_port,
        .branch = transaction->branch,
    };
    if (key.rule == TRANSACTION_KEY_RFC2543) {
        key.call_id = transaction->call_id;
        key.cseq_number = transaction->cseq_number;
        key.from_tag = transaction_hop_of(transaction)->from_tag;
    }
    return key;
}

static gboolean has_key(const transaction *candidate, gconstpointer wanted)
{
    transaction_key key = transaction_key_get(candidate);
    return transaction_key_equal(&key, wanted);
}

transaction *engine_find(engine *engine, const transaction_key *key)
{
    if (key->rule == TRANSACTION_KEY_NONE)
        return NULL;
    return index_find(engine, &engine->by_key, transaction_key_hash(key), has_key, key);
}

static void register_key(engine *engine, transaction *transaction)
{
    transaction_key key = transaction_key_get(transaction);
    if (key.rule != TRANSACTION_KEY_NONE)
        index_put(engine, &engine->by_key, transaction_key_hash(&key), has_key, &key, transaction);
}

/* The last RFC 3261 transaction opened by a request or response with this top
 * Via branch and sent-by, whatever its method (not an ACK's own transaction).
 * RFC 3261 keys hash without their method, so these all lie in one probe run
 * of by_key. */
static transaction *find_by_branch(engine *engine, const transaction_key *wanted)
{
    const transaction_index *index = &engine->by_key;
    if (wanted->rule != TRANSACTION_KEY_RFC3261 || !index->slots)
        return NULL;
    guint32 hash = transaction_key_hash(wanted);
    transaction *last = NULL;
    guint32 at = hash & index->mask;
    for (guint32 tried = 0; tried <= index->mask && index->slots[at].number; tried++) {
        const transaction_index_slot *slot = &index->slots[at];
        at = (at + 1) & index->mask;
        if (slot->hash != hash || (last && slot->number < last->number))
            continue;
        transaction *candidate = engine_transaction(engine, slot->number);
        transaction_key key = transaction_key_get(candidate);
        if (candidate->kind != TRANSACTION_KIND_ACK && transaction_key_same_branch(&key, wanted))
            last = candidate;
    }
    return last;
}

/* ---------- dialogs ---------- */

/* INVITE transactions are also found by Call-ID, CSeq number and From tag, for
 * ACKs to 2xx, which carry a new branch (RFC 3261 §13.2.2.4).  by_dialog holds
 * the first INVITE transaction of each; the others follow in hop->next_in_dialog.
 * An absent Call-ID or From tag counts as empty. */
typedef struct {
    const char *call_id;
    guint32     cseq_number;
    const char *from_tag;
} dialog_id;

static const char *or_empty(const char *text)
{
    return text ? text : "";
}

static guint32 dialog_hash(const dialog_id *dialog)
{
    const char *call_id = or_empty(dialog->call_id), *from_tag = or_empty(dialog->from_tag);
    guint64 hash = text_hash_bytes(TEXT_HASH_SEED, call_id, strlen(call_id), 0) * 31 + dialog->cseq_number;
    return (guint32)text_hash_bytes(hash, from_tag, strlen(from_tag), 0);
}

static gboolean in_dialog(const transaction *candidate, gconstpointer wanted)
{
    const dialog_id *dialog = wanted;
    return candidate->cseq_number == dialog->cseq_number &&
           strcmp(or_empty(candidate->call_id), or_empty(dialog->call_id)) == 0 &&
           strcmp(or_empty(transaction_hop_of(candidate)->from_tag), or_empty(dialog->from_tag)) == 0;
}

transaction *engine_find_dialog(engine *engine, const char *call_id, guint32 cseq_number, const char *from_tag)
{
    dialog_id dialog = { call_id, cseq_number, from_tag };
    return index_find(engine, &engine->by_dialog, dialog_hash(&dialog), in_dialog, &dialog);
}

transaction *transaction_next_in_dialog(const transaction *invite)
{
    return transaction_hop_of(invite)->next_in_dialog;
}

static void register_dialog(engine *engine, transaction *invite)
{
    dialog_id dialog = { invite->call_id, invite->cseq_number, invite->hop->from_tag };
    guint32 hash = dialog_hash(&dialog);
    transaction *first = index_find(engine, &engine->by_dialog, hash, in_dialog, &dialog);
    if (!first) {
        index_put(engine, &engine->by_dialog, hash, in_dialog, &dialog, invite);
        return;
    }
    while (first->hop->next_in_dialog)
        first = first->hop->next_in_dialog;
    first->hop->next_in_dialog = invite;
}

/* ---------- records made on first use ---------- */

transaction_copies *transaction_copies_for(engine *engine, transaction *transaction)
{
    if (!transaction->copies) {
        transaction->copies = block_alloc0(&engine->memory, sizeof(transaction_copies));
        transaction->copies->last_request_time_ns = transaction->request_time_ns;
    }
    return transaction->copies;
}

transaction_links *transaction_links_for(engine *engine, transaction *transaction)
{
    if (!transaction->links)
        transaction->links = block_alloc0(&engine->memory, sizeof(transaction_links));
    return transaction->links;
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

/* A new transaction holding what the message says of it. */
static transaction *transaction_create(engine *engine, const sipmsg *message, transaction_kind kind,
                                       const char *method, const transaction_key *key)
{
    transaction *created = transaction_new(engine);
    gboolean rfc2543 = key->rule == TRANSACTION_KEY_RFC2543;
    created->kind = (guint8)kind;
    created->key_rule = (guint8)key->rule;
    created->key_port = key->rule == TRANSACTION_KEY_NONE ? 0 : key->sent_by_port;
    created->method = method_text(engine, method);
    created->call_id = engine_intern(engine, message->call_id);
    created->branch = engine_copy(engine, message->top_via.branch);
    created->sent_by_host = engine_intern(engine, message->top_via.host);
    created->sent_by_port = message->top_via.port;
    created->cseq_number = message->cseq_number;
    created->transport = (guint8)message->transport;
    created->hop_transport = (guint8)sipmsg_hop_transport(message);
    /* What only ACK checks (§17.1.1.3), hop matching and RFC 2543 matching need. */
    if (kind == TRANSACTION_KIND_INVITE || rfc2543) {
        transaction_hop *hop = block_alloc0(&engine->memory, sizeof(transaction_hop));
        created->hop = hop;
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

transaction *engine_open_transaction(engine *engine, const sipmsg *message, transaction_kind kind,
                                     const char *method, const transaction_key *key, message_result *result)
{
    transaction *created = transaction_create(engine, message, kind, method, key);
    /* A later transaction with the same key replaces the earlier one. */
    register_key(engine, created);
    if (key->rule == TRANSACTION_KEY_NONE)
        result->details.findings |= FINDING_UNMATCHABLE;
    result->opened = TRUE;
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

gint64 engine_timer_interval_ns(const engine *engine, guint32 retransmission_number, gboolean capped_at_t2)
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

void engine_judge_interval(gint64 interval_ns, gint64 expected_ns, gint64 previous_interval_ns,
                           message_result *result)
{
    result->details.interval_ns = interval_ns;
    result->details.expected_interval_ns = expected_ns;
    /* A clock that went backwards says nothing about timers; the test must not overflow. */
    if (expected_ns <= 0 || interval_ns < 0 || interval_ns >= expected_ns - expected_ns / 5)
        return;
    gint64 previous_expected_ns = result->details.retransmission_number > 1 ? expected_ns / 2 : 0;
    if (roughly_equal(interval_ns, previous_interval_ns) || roughly_equal(interval_ns, previous_expected_ns))
        result->details.findings |= FINDING_RETRANSMISSION_NOT_DOUBLED;
    else
        result->details.findings |= FINDING_RETRANSMISSION_TOO_EARLY;
}

/* The interval before this copy of the request, and what Timer A/E expects. */
static void judge_request_retransmission(engine *engine, transaction *existing, transaction_copies *copies,
                                         const sipmsg *message, message_result *result)
{
    gint64 interval = message->time_ns - copies->last_request_time_ns;
    guint32 number = copies->request_retransmissions;
    gint64 expected;
    if (existing->kind == TRANSACTION_KIND_INVITE)
        expected = engine_timer_interval_ns(engine, number, FALSE);         /* Timer A, §17.1.1.2 */
    else if (existing->state == TRANSACTION_STATE_PROCEEDING &&
             copies->last_request_time_ns >= existing->provisional_time_ns)
        expected = (gint64)engine->settings.t2_ms * NS_PER_MS;       /* Timer E in Proceeding, §17.1.2.2 */
    else
        expected = engine_timer_interval_ns(engine, number, TRUE);          /* Timer E, §17.1.2.2 */
    if (sipmsg_transport_unreliable(sipmsg_hop_transport(message)))
        engine_judge_interval(interval, expected, copies->last_request_interval_ns, result);
    else
        result->details.interval_ns = interval;
    copies->last_request_interval_ns = interval;
}

void engine_link_forwarded(engine *engine, transaction *downstream, const sipmsg *message)
{
    const sipmsg_via *upstream_via = &message->second_via;
    if (message->via_count < 2 || !branch_has_magic_cookie(upstream_via->branch) || !upstream_via->host)
        return;
    transaction_key key = transaction_key_3261(upstream_via, downstream->method);
    transaction *upstream = engine_find(engine, &key);
    if (!upstream || upstream == downstream || upstream->kind != downstream->kind)
        return;
    transaction_links_for(engine, downstream)->forwarded_from = upstream;
    if (!transaction_links_of(upstream)->forwarded_to)
        transaction_links_for(engine, upstream)->forwarded_to = downstream;
}

void engine_check_udp_size(const engine *engine, const sipmsg *message, message_result *result)
{
    if (sipmsg_transport_unreliable(sipmsg_hop_transport(message)) &&
        message->length > engine->settings.udp_size_limit)
        result->details.findings |= FINDING_UDP_TOO_LARGE;
}

/* RFC 3261 §9.2: a CANCEL has the INVITE's branch and forms its own transaction. */
static void link_cancel(engine *engine, transaction *cancel, const sipmsg *message)
{
    transaction_key key = transaction_key_of(message, "INVITE");
    transaction *invite = engine_find(engine, &key);
    if (!invite || invite->kind != TRANSACTION_KIND_INVITE)
        return;
    transaction_links_for(engine, cancel)->cancels = invite;
    if (!transaction_links_of(invite)->cancelled_by)
        transaction_links_for(engine, invite)->cancelled_by = cancel;
}

/* Turns the result into a duplicate of original_frame in owner. */
static void copy_of(transaction *owner, guint32 original_frame, duplicate_reason reason, message_result *result)
{
    memset(&result->details, 0, sizeof(result->details));
    result->transaction = owner;
    result->role = MESSAGE_ROLE_DUPLICATE;
    result->state = owner->state;
    result->details.original_frame = original_frame;
    result->details.duplicate = (guint8)reason;
}

gboolean engine_tcp_copy(const engine *engine, transaction *owner, guint32 original_frame, const sipmsg *message,
                         message_result *result)
{
    if (!engine->settings.detect_duplicates || !original_frame || !duplicate_tcp_resent(message))
        return FALSE;
    copy_of(owner, original_frame, DUPLICATE_TCP_RESEND, result);
    return TRUE;
}

/* Over a stream the SIP layer does not re-send a request (but the 2xx ACK):
 * the same request again there is TCP's copy, flagged by TCP analysis or not. */
static gboolean tcp_request_copy(const engine *engine, transaction *existing, const sipmsg *message,
                                 message_result *result)
{
    if (engine_tcp_copy(engine, existing, existing->request_frame, message, result))
        return TRUE;
    if (!engine->settings.detect_duplicates || !existing->request_frame || !duplicate_stream_request(message) ||
        existing->transport != message->transport || (guint32)message->digest != existing->request_digest)
        return FALSE;
    copy_of(existing, existing->request_frame, DUPLICATE_TCP_RESEND, result);
    return TRUE;
}

/* §17.2.3: same key, same method: a retransmission of the request. */
static void retransmitted_request(engine *engine, transaction *existing, const sipmsg *message,
                                  gboolean is_cancel, message_result *result)
{
    transaction_copies *copies = transaction_copies_for(engine, existing);
    copies->request_retransmissions++;
    engine_advance_timers(engine, existing, message->time_ns);
    result->role = is_cancel ? MESSAGE_ROLE_CANCEL_RETRANSMISSION : MESSAGE_ROLE_REQUEST_RETRANSMISSION;
    result->details.original_frame = existing->request_frame;
    result->details.retransmission_number = copies->request_retransmissions;
    if (existing->request_frame) {
        judge_request_retransmission(engine, existing, copies, message, result);
        /* §17.1.1.2, §17.1.2.2: the transaction re-sends the request it sent. */
        if ((guint32)message->digest != existing->request_digest)
            result->details.findings |= FINDING_RETRANSMISSION_DIFFERS;
    } else {
        /* The transaction was first seen by its responses: this copy is the first seen. */
        existing->request_frame = message->frame;
        existing->request_time_ns = message->time_ns;
        existing->request_digest = (guint32)message->digest;
    }
    copies->last_request_time_ns = message->time_ns;
    result->transaction = existing;
    result->state = existing->state;
}

/* RFC 3262 §4: PRACK is a request of its own, acknowledging a reliable provisional response. */
static gboolean is_prack(const transaction *transaction)
{
    return transaction->method && strcmp(transaction->method, "PRACK") == 0;
}

static void process_request(engine *engine, const sipmsg *message, message_result *result)
{
    const char *method = message->method ? message->method : "UNKNOWN";
    gboolean is_cancel = strcmp(method, "CANCEL") == 0;
    transaction_key key = transaction_key_of(message, method);
    gboolean rfc2543 = key.rule == TRANSACTION_KEY_RFC2543;
    transaction *existing = engine_find(engine, &key);

    if (existing && rfc2543 && !same_2543_request(existing, message))
        existing = NULL;
    if (rfc2543)
        result->details.findings |= FINDING_RFC2543_MATCHING;
    engine_check_udp_size(engine, message, result);
    if (existing && tcp_request_copy(engine, existing, message, result))
        return;
    if (existing) {
        retransmitted_request(engine, existing, message, is_cancel, result);
        if (is_prack(existing))
            reliable_link_prack(engine, existing, message, result);
        return;
    }

    transaction *created = engine_open_transaction(engine, message, kind_of_method(method), method, &key, result);
    created->request_frame = message->frame;
    created->request_time_ns = message->time_ns;
    created->request_digest = (guint32)message->digest;
    created->state = created->kind == TRANSACTION_KIND_INVITE ? TRANSACTION_STATE_CALLING
                                                               : TRANSACTION_STATE_TRYING;
    if (key.rule != TRANSACTION_KEY_NONE) {
        engine_link_forwarded(engine, created, message);
        if (is_cancel)
            link_cancel(engine, created, message);
    }
    if (is_prack(created))
        reliable_link_prack(engine, created, message, result);
    result->role = is_cancel ? MESSAGE_ROLE_CANCEL : MESSAGE_ROLE_REQUEST;
    result->transaction = created;
    result->state = created->state;
}

/* ---------- responses ---------- */

/* RFC 3261 §17.1.3: a response matches the client transaction whose branch and
 * sent-by equal the top Via's and whose method equals the CSeq method. */
static transaction *match_response(engine *engine, const transaction_key *key, message_result *result)
{
    transaction *found = engine_find(engine, key);
    if (key->rule == TRANSACTION_KEY_RFC2543)
        result->details.findings |= FINDING_RFC2543_MATCHING;
    if (found || key->rule != TRANSACTION_KEY_RFC3261)
        return found;
    /* §8.2.6.2: the CSeq of a response is copied from the request. */
    found = find_by_branch(engine, key);
    if (found)
        result->details.findings |= FINDING_CSEQ_METHOD_MISMATCH;
    return found;
}

/* A response whose request is not in the capture opens its transaction. */
static transaction *open_for_response(engine *engine, const sipmsg *message, const transaction_key *key,
                                      message_result *result)
{
    transaction_kind kind = kind_of_method(key->method);
    if (kind == TRANSACTION_KIND_ACK)
        kind = TRANSACTION_KIND_NON_INVITE;
    transaction *created = engine_open_transaction(engine, message, kind, key->method, key, result);
    created->state = kind == TRANSACTION_KIND_INVITE ? TRANSACTION_STATE_CALLING : TRANSACTION_STATE_TRYING;
    if (key->rule != TRANSACTION_KEY_NONE)
        result->details.findings |= FINDING_RESPONSE_WITHOUT_REQUEST;
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
    /* RFC 3262 §3: a reliable provisional response is re-sent with its RSeq;
     * a new RSeq is a new response. */
    reliable_provisional *reliable = reliable_last(engine, existing);
    gboolean same_rseq = (reliable ? reliable->rseq : 0) == message->rseq;
    /* RFC 3262 §3: 100 Trying is never sent reliably. */
    if (message->status_code > 100)
        result->details.rseq = message->rseq;
    if (existing->provisional_frame && existing->provisional_code == message->status_code && same_to_tag &&
        same_rseq) {
        if (engine_tcp_copy(engine, existing, existing->last_provisional_frame, message, result))
            return;
        result->role = MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION;
        result->details.original_frame = existing->last_provisional_frame;
        result->details.retransmission_number = ++transaction_copies_for(engine, existing)->provisional_retransmissions;
        if (reliable)
            reliable_resent(engine, reliable, message, result);
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
        if (message->rseq)
            reliable_add(engine, existing, message);
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
    if (existing->kind == TRANSACTION_KIND_INVITE && sipmsg_transport_unreliable(sipmsg_hop_transport(message)))
        engine_judge_interval(interval, engine_timer_interval_ns(engine, copies->retransmissions, TRUE),
                       copies->last_interval_ns, result);
    else
        result->details.interval_ns = interval;
    copies->last_interval_ns = interval;
    copies->last_time_ns = message->time_ns;
}

/* §17.1.1.2 Timer B, §17.1.2.2 Timer F: 64*T1 after the request's first copy
 * the client transaction gives up, unless (INVITE only) a provisional response
 * moved it to Proceeding before then. */
static gboolean client_gave_up(const engine *engine, const transaction *transaction, gint64 time_ns)
{
    if (transaction->kind == TRANSACTION_KIND_ACK || !transaction->request_frame)
        return FALSE;
    gint64 timeout = engine_transaction_timeout_ns(engine);
    if (transaction->kind == TRANSACTION_KIND_INVITE && transaction->provisional_frame &&
        !time_later_than(transaction->provisional_time_ns, transaction->request_time_ns, timeout))
        return FALSE;
    return time_later_than(time_ns, transaction->request_time_ns, timeout);
}

/* The first 2xx final response of a transaction, NULL if none. */
static const final_response *first_2xx_of(const transaction *transaction)
{
    for (const final_response *final = transaction->finals; final; final = final->next)
        if (final->status_code >= 200 && final->status_code < 300)
            return final;
    return NULL;
}

void engine_advance_timers(const engine *engine, transaction *transaction, gint64 time_ns)
{
    if (transaction->state != TRANSACTION_STATE_ACCEPTED)
        return;
    const final_response *first_2xx = first_2xx_of(transaction);
    if (first_2xx && time_later_than(time_ns, first_2xx->time_ns, engine_transaction_timeout_ns(engine)))
        transaction->state = TRANSACTION_STATE_TERMINATED;
}

static void process_final(engine *engine, transaction *existing, const sipmsg *message, const char *to_tag,
                          message_result *result)
{
    final_response *final = find_final(existing, message->status_code, to_tag);
    if (final && engine_tcp_copy(engine, existing, final->frame, message, result))
        return;
    if (final) {
        if (!final->copies) {
            final->copies = block_alloc0(&engine->memory, sizeof(final_copies));
            final->copies->last_time_ns = final->time_ns;
        }
        final_copies *copies = final->copies;
        copies->retransmissions++;
        copies->retransmissions_since_ack++;
        result->role = MESSAGE_ROLE_FINAL_RETRANSMISSION;
        result->details.original_frame = final->frame;
        result->details.retransmission_number = copies->retransmissions;
        judge_final_retransmission(engine, existing, copies, message, result);
        return;
    }
    final = block_alloc0(&engine->memory, sizeof(final_response));
    final->status_code = message->status_code;
    /* Usually the tag of the provisional responses before it: one copy for both. */
    final->to_tag = same_tag(existing->provisional_to_tag, to_tag) ? existing->provisional_to_tag
                                                                    : engine_copy(engine, to_tag);
    final->frame = message->frame;
    final->time_ns = message->time_ns;
    final_response **tail = &existing->finals;
    while (*tail)
        tail = &(*tail)->next;
    gboolean is_2xx = message->status_code < 300;
    if (tail != &existing->finals) {
        result->details.findings |= FINDING_ADDITIONAL_FINAL;
        /* RFC 6026 §8.4: Timer M ended the Accepted client transaction; a
         * forked 2xx after it finds none. */
        const final_response *first_2xx = first_2xx_of(existing);
        if (is_2xx && first_2xx && !engine->settings.rfc3261_states &&
            time_later_than(message->time_ns, first_2xx->time_ns, engine_transaction_timeout_ns(engine)))
            result->details.findings |= FINDING_FINAL_LATE;
    } else if (client_gave_up(engine, existing, message->time_ns)) {
        result->details.findings |= FINDING_FINAL_LATE;
    }
    *tail = final;
    result->role = MESSAGE_ROLE_FINAL;
    if (existing->state == TRANSACTION_STATE_CONFIRMED || existing->state == TRANSACTION_STATE_TERMINATED)
        return;
    if (existing->kind == TRANSACTION_KIND_INVITE && is_2xx) {
        /* RFC 6026 §7.1, §7.2: a 2xx moves the INVITE transaction to Accepted,
         * where re-sent and forked 2xx responses and their ACKs pass, until
         * Timer L/M; RFC 3261 §17.1.1.2 had it terminate at once. */
        existing->state = engine->settings.rfc3261_states ? TRANSACTION_STATE_TERMINATED : TRANSACTION_STATE_ACCEPTED;
    } else if (existing->state != TRANSACTION_STATE_ACCEPTED) {
        /* §17.1.1.2: 300-699 completes the INVITE transaction; §17.1.2.2: any
         * final response completes a non-INVITE transaction. */
        existing->state = TRANSACTION_STATE_COMPLETED;
    }
}

static void process_response(engine *engine, const sipmsg *message, message_result *result)
{
    const char *method = message->cseq_method ? message->cseq_method : "UNKNOWN";
    transaction_key key = transaction_key_of(message, method);
    transaction *existing = match_response(engine, &key, result);
    if (!existing)
        existing = open_for_response(engine, message, &key, result);
    else if (existing->request_frame && sipmsg_has_cseq_number(message) &&
             message->cseq_number != existing->cseq_number)
        result->details.findings |= FINDING_CSEQ_NUMBER_MISMATCH;
    engine_advance_timers(engine, existing, message->time_ns);
    /* RFC 6076 §4.2: the first response other than 100 answers the request. */
    if (!existing->answered && message->status_code != 100) {
        existing->answered = TRUE;
        result->first_answer = TRUE;
    }

    const char *to_tag = message->to_tag;   /* the message's: copied when kept */
    if (message->status_code < 200)
        process_provisional(engine, existing, message, to_tag, result);
    else
        process_final(engine, existing, message, to_tag, result);
    if (result->role == MESSAGE_ROLE_DUPLICATE)
        return;
    result->transaction = existing;
    result->state = existing->state;
}

/* ---------- the engine ---------- */

void engine_settings_default(engine_settings *settings)
{
    settings->t1_ms = 500;
    settings->t2_ms = 4000;
    settings->udp_size_limit = 1300;
    settings->rfc3261_states = FALSE;
    settings->detect_duplicates = TRUE;
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
    block_allocator_init(&created->memory);
    created->reliable = g_hash_table_new(g_direct_hash, g_direct_equal);
    duplicate_window_init(&created->recent);
    return created;
}

void engine_free(engine *doomed)
{
    if (!doomed)
        return;
    g_ptr_array_free(doomed->transaction_blocks, TRUE);
    block_allocator_clear(&doomed->memory);
    index_free(&doomed->by_key);
    index_free(&doomed->by_dialog);
    g_hash_table_destroy(doomed->reliable);
    duplicate_window_clear(&doomed->recent);
    text_store_free(doomed->strings);
    g_free(doomed);
}

void engine_observe_time(engine *engine, gint64 time_ns)
{
    if (time_ns > engine->last_time_ns)
        engine->last_time_ns = time_ns;
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

static gboolean is_duplicate(engine *engine, const sipmsg *message, message_result *result);
static void process_message(engine *engine, const sipmsg *message, message_result *result);

void engine_process(engine *engine, const sipmsg *message, message_result *result)
{
    memset(result, 0, sizeof(*result));
    engine_observe_time(engine, message->time_ns);
    if (engine->settings.detect_duplicates && is_duplicate(engine, message, result))
        return;
    process_message(engine, message, result);
    if (engine->settings.detect_duplicates)
        duplicate_window_remember(&engine->recent, message, result->transaction);
}

/* The same packet seen again: its first copy's transaction, nothing counted. */
static gboolean is_duplicate(engine *engine, const sipmsg *message, message_result *result)
{
    duplicate_of original;
    if (!duplicate_window_find(&engine->recent, message, (gint64)engine->settings.t1_ms * NS_PER_MS, &original))
        return FALSE;
    result->transaction = original.transaction;
    result->role = MESSAGE_ROLE_DUPLICATE;
    result->state = original.transaction->state;
    result->details.original_frame = original.frame;
    result->details.duplicate = original.reason;
    result->details.ttl_before = original.ttl_before;
    result->details.interval_ns = message->time_ns - original.time_ns;
    if (!message->is_request && message->status_code > 100 && message->status_code < 200)
        result->details.rseq = message->rseq;   /* a reliable provisional response's copy shows its RSeq */
    return TRUE;
}

static void process_message(engine *engine, const sipmsg *message, message_result *result)
{
    if (!message->is_request) {
        result->details.reason = message->reason;
        process_response(engine, message, result);
    }
    else if (message->method && strcmp(message->method, "ACK") == 0)
        ack_process(engine, message, result);
    else
        process_request(engine, message, result);
}

reliable_provisional *engine_reliable_list(engine *engine, const transaction *invite)
{
    if (g_hash_table_size(engine->reliable) == 0)
        return NULL;
    return g_hash_table_lookup(engine->reliable, invite);
}

void engine_reliable_push(engine *engine, transaction *invite, reliable_provisional *added)
{
    added->next = g_hash_table_lookup(engine->reliable, invite);
    g_hash_table_insert(engine->reliable, invite, added);
}

const reliable_provisional *engine_reliable_provisional(const engine *engine, const transaction *transaction,
                                                        guint32 frame)
{
    for (const reliable_provisional *provisional = g_hash_table_lookup(engine->reliable, transaction); provisional;
         provisional = provisional->next)
        if (provisional->frame == frame)
            return provisional;
    return NULL;
}

gint64 engine_transaction_timeout_ns(const engine *engine)
{
    return 64 * (gint64)engine->settings.t1_ms * NS_PER_MS;
}

/* §17.1.1.2 Timer B / §17.1.2.2 Timer F: no final response within 64*T1,
 * although the capture goes on or a final response came later. */
static gboolean unanswered(const engine *engine, const transaction *transaction)
{
    const final_response *first = transaction_first_final(transaction);
    return client_gave_up(engine, transaction, first ? first->time_ns : engine->last_time_ns);
}

/* §17.2.1 Timer G/H, §13.3.1.4: a final response re-sent but not acknowledged
 * although the capture goes on past 64*T1 after it. */
static gboolean unacknowledged(const engine *engine, const transaction *transaction, const final_response *final)
{
    return transaction->kind == TRANSACTION_KIND_INVITE && final_copies_of(final)->retransmissions > 0 &&
           final->ack_frame == 0 && time_later_than(engine->last_time_ns, final->time_ns, engine_transaction_timeout_ns(engine));
}

guint32 engine_capture_findings(const engine *engine, const transaction *transaction, message_role role,
                                guint32 frame)
{
    guint32 findings = 0;
    if ((role == MESSAGE_ROLE_REQUEST || role == MESSAGE_ROLE_CANCEL) && unanswered(engine, transaction))
        findings |= FINDING_UNANSWERED;
    if (role == MESSAGE_ROLE_FINAL)
        for (const final_response *final = transaction->finals; final; final = final->next)
            if (final->frame == frame && unacknowledged(engine, transaction, final))
                findings |= FINDING_FINAL_UNACKNOWLEDGED;
    return findings;
}

const char *transaction_kind_name(transaction_kind kind)
{
    switch (kind) {
    siptxn_kind_names_VALUE_STRING_LIST(SIPTXN_NAME_CASE)
    }
    return "unknown";
}

const char *transaction_state_name(transaction_state state)
{
    switch (state) {
    case TRANSACTION_STATE_NONE:
        return "none";
    siptxn_state_names_VALUE_STRING_LIST(SIPTXN_NAME_CASE)
    }
    return "unknown";
}

const char *message_role_name(message_role role)
{
    switch (role) {
    siptxn_role_names_VALUE_STRING_LIST(SIPTXN_NAME_CASE)
    }
    return "unknown";
}

const char *ack_class_name(ack_class class_)
{
    switch (class_) {
    siptxn_ack_class_names_VALUE_STRING_LIST(SIPTXN_NAME_CASE)
    }
    return "unknown";
}
