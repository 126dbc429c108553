/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_engine.c: turns arbitrary bytes into SIP message sequences for the transaction engine and checks its invariants.
 *
 * Built two ways (tests/fuzz/fuzz.cmake):
 *   - with clang -fsanitize=fuzzer,address,undefined and SIPTXN_LIBFUZZER defined:
 *     libFuzzer calls LLVMFuzzerTestOneInput with generated inputs;
 *   - with the project compiler: a main() replays the files (or folders of files)
 *     named on the command line, so the corpus runs as an ordinary ctest.
 *
 * The input is read as a sequence of 8-byte message descriptors; every field is
 * picked from a small pool, so that different descriptors often name the same
 * branch, sent-by, Call-ID or tags and the engine really matches things.  The
 * whole input is also handed to the reason-phrase catalog as a phrase, and to
 * the SIP header reader as the bytes of one message (with exactly the scratch
 * space it asks for, so ASan sees any write past it), and to the HEP v3 reader
 * as one packet (behind "HEP3" and a total length too, so that the chunks are
 * read whatever the input starts with).
 * Any broken invariant calls abort(), which both libFuzzer and ctest report.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "catalog.h"
#include "hep.h"
#include "message_store.h"
#include "narrative.h"
#include "sipparse.h"
#include "transaction.h"

#define DESCRIPTOR_SIZE 8
#define MESSAGES_MAX 512
#define MANY_VIAS 300

/* ---------- pools the descriptors choose from ---------- */

static const char *const methods[8] = {
    "INVITE", "ACK", "CANCEL", "BYE", "REGISTER", "OPTIONS", "PRACK", "invite",
};

static const guint status_codes[16] = {
    100, 180, 183, 200, 202, 300, 401, 404, 407, 408, 481, 486, 487, 500, 503, 603,
};

/* No branch, an empty one, RFC 2543 branches without the cookie, the bare cookie. */
static const char *const branches[16] = {
    "z9hG4bK-one", "z9hG4bK-two", "z9hG4bK-three", "z9hG4bK-four",
    "z9hG4bK-one", "z9hG4bK-five", "z9hG4bK", "Z9HG4BK-one",
    NULL, NULL, "", "rfc2543-one",
    "rfc2543-two", "z9hG4bK-\x01\x7f\xff", "z9hG4bK-\xd0\xb4\xd0\xb0", "0",
};

static const char *const hosts[8] = {
    "alice.example.com", "ALICE.example.com", "192.0.2.1", "proxy.example.net",
    "[2001:db8::1]", "", NULL, "bob.example.org",
};

static const guint16 ports[4] = { 0, 5060, 5061, 65535 };

static const char *const transports[4] = { "UDP", "TCP", "TLS", "WSS" };

static const sipmsg_transport wire_transports[4] = {
    SIPMSG_TRANSPORT_UDP, SIPMSG_TRANSPORT_TCP, SIPMSG_TRANSPORT_TLS, SIPMSG_TRANSPORT_UNKNOWN,
};

static const char *const tags[4] = { NULL, "tag-1", "tag-2", "" };

static const char *const call_ids[4] = { "call-1@example.com", "call-2@example.com", "", "call-1@EXAMPLE.com" };

static const char *const uris[4] = { "sip:bob@example.org", "sip:bob@192.0.2.4", NULL, "sip:alice@example.com" };

static const char *const endpoints[4] = { "192.0.2.1:5060", "192.0.2.4:5060", "192.0.2.3:5060", "[2001:db8::1]:5061" };

static const char *const route_sets[4] = { NULL, "<sip:proxy.example.net;lr>", NULL, "<sip:other.example.net;lr>" };

/* CSeq numbers; the last entry stands for a CSeq whose number the shell could not read. */
#define CSEQ_UNREADABLE 7
static const guint32 cseq_numbers[8] = { 1, 2, 101, 0, 4294967295u, 1, 2, 0 };

/* ---------- decoding ---------- */

typedef struct {
    const guint8 *data;
    size_t size;
    size_t position;
} byte_reader;

static gboolean reader_has_descriptor(const byte_reader *reader)
{
    return reader->size - reader->position >= DESCRIPTOR_SIZE;
}

static guint8 reader_byte(byte_reader *reader)
{
    return reader->position < reader->size ? reader->data[reader->position++] : 0;
}

/* Time steps: mostly milliseconds to seconds, sometimes backwards (captures are not always
 * in time order), sometimes to 0 or to the end of gint64 (a capture time stamp goes from
 * 0 to beyond the year 2262, which the shell's nanoseconds cannot hold). */
static gint64 next_time(gint64 previous, guint8 code)
{
    if (code == 0xff)
        return previous >= G_GINT64_CONSTANT(1000000000) ? previous - G_GINT64_CONSTANT(1000000000) : 0;
    if (code == 0xfe)
        return G_MAXINT64 - 1000;
    if (code == 0xfd)
        return 0;
    gint64 step_ms = (gint64)(code & 0x1f) << ((code >> 5) * 2);
    gint64 step_ns = step_ms * G_GINT64_CONSTANT(1000000);
    if (previous > G_MAXINT64 - step_ns)
        return G_MAXINT64;
    return previous + step_ns;
}

static void decode_via(guint8 branch_code, guint8 address_code, sipmsg_via *via)
{
    via->branch = branches[branch_code & 0x0f];
    via->host = hosts[address_code & 0x07];
    via->port = ports[(address_code >> 3) & 0x03];
    via->transport = transports[(address_code >> 5) & 0x03];
}

/* One descriptor, byte by byte:
 *   0  bit 0 request, bit 1 no Via, bit 2 no CSeq, bit 3 no Call-ID, bit 4 a second Via,
 *      bit 5 hundreds of Vias, bit 6 same frame as the previous message, bit 7 CSeq without a method
 *   1  bits 0-2 method, bits 3-5 CSeq method for requests, bits 6-7 zero: CSeq method differs
 *   2  status code: a table entry, or for 0xf0.. any number 0..999
 *   3  bits 0-3 top Via branch, bits 4-6 CSeq number, bit 7 over the UDP size limit
 *   4  top Via sent-by host (bits 0-2), port (3-4), Via transport (5-6), bit 7 wire transport high bit
 *   5  From tag (0-1), To tag (2-3), Call-ID (4-5), Request-URI (6-7)
 *   6  time step
 *   7  second Via branch (0-3), source (4-5), destination (6-7)
 */
static void decode_message(byte_reader *reader, guint32 frame, gint64 time_ns, sipmsg *message)
{
    guint8 flags = reader_byte(reader);
    guint8 method_code = reader_byte(reader);
    guint8 status_code = reader_byte(reader);
    guint8 branch_code = reader_byte(reader);
    guint8 address_code = reader_byte(reader);
    guint8 identity_code = reader_byte(reader);
    reader_byte(reader); /* the time step: read by the caller beforehand */
    guint8 hop_code = reader_byte(reader);

    memset(message, 0, sizeof(*message));
    message->frame = frame;
    message->time_ns = time_ns;
    message->is_request = (flags & 0x01) != 0;
    if (message->is_request) {
        message->method = methods[method_code & 0x07];
        message->request_uri = uris[(identity_code >> 6) & 0x03];
    } else {
        message->status_code = status_code >= 0xf0 ? (guint)((status_code - 0xf0) * 67 + method_code % 67)
                                                   : status_codes[status_code & 0x0f];
        message->reason_phrase = status_code & 0x10 ? "Odd Phrase" : "";
        if (message->status_code < 100 || message->status_code > 699)
            message->defects |= SIPMSG_DEFECT_BAD_STATUS;
    }

    if (flags & 0x04) {
        message->defects |= SIPMSG_DEFECT_NO_CSEQ;
    } else {
        guint cseq_index = (branch_code >> 4) & 0x07;
        if (cseq_index == CSEQ_UNREADABLE)
            message->defects |= SIPMSG_DEFECT_BAD_CSEQ;
        else
            message->cseq_number = cseq_numbers[cseq_index];
        if (flags & 0x80) {
            message->defects |= SIPMSG_DEFECT_NO_CSEQ_METHOD;
        } else if (message->is_request && (method_code >> 6) != 0) {
            message->cseq_method = message->method;
        } else {
            message->cseq_method = methods[(method_code >> 3) & 0x07];
        }
    }

    if (flags & 0x08)
        message->defects |= SIPMSG_DEFECT_NO_CALL_ID;
    else
        message->call_id = call_ids[(identity_code >> 4) & 0x03];

    if (flags & 0x02) {
        message->defects |= SIPMSG_DEFECT_NO_VIA;
    } else {
        decode_via(branch_code, address_code, &message->top_via);
        message->via_count = 1;
        if (flags & 0x10) {
            decode_via(hop_code, (guint8)(address_code + 1), &message->second_via);
            message->via_count = 2;
        }
        if (flags & 0x20)
            message->via_count = MANY_VIAS;
        if (!message->top_via.host)
            message->defects |= SIPMSG_DEFECT_NO_SENT_BY;
        if (message->top_via.branch && message->top_via.branch[0] == '\0')
            message->defects |= SIPMSG_DEFECT_EMPTY_BRANCH;
    }

    message->from_uri = uris[(identity_code >> 2) & 0x03];
    message->from_tag = tags[identity_code & 0x03];
    message->to_tag = tags[(identity_code >> 2) & 0x03];
    message->route_set = route_sets[(hop_code >> 2) & 0x03];
    message->transport = wire_transports[((address_code >> 5) & 0x03) ^ (address_code >> 7)];
    message->source = endpoints[(hop_code >> 4) & 0x03];
    message->destination = endpoints[(hop_code >> 6) & 0x03];
    message->length = branch_code & 0x80 ? 1400 : 500;

    /* RFC 3262: an RSeq on responses, a RAck on requests (bits 5-6 of byte 2). */
    guint32 reliable = (status_code >> 5) & 0x03;
    if (!message->is_request) {
        message->rseq = reliable;
    } else if (reliable) {
        message->rack.rseq = reliable;
        message->rack.cseq_number = message->cseq_number;
        message->rack.method = methods[0];
    }
    /* The same descriptor is the same bytes, seen again: a duplicate within
     * T1/10, a retransmission later; TCP may say it re-sent them. */
    message->digest = ((guint64)flags << 48) ^ ((guint64)method_code << 40) ^ ((guint64)status_code << 32) ^
                      ((guint64)branch_code << 24) ^ ((guint64)address_code << 16) ^ ((guint64)identity_code << 8) ^
                      hop_code;
    message->packet.path = 1u + ((hop_code >> 4) & 0x0f);
    message->packet.ip_id = identity_code;
    message->packet.has_ip_id = identity_code != 0;
    message->packet.ttl = (guint8)(64 - (flags & 0x01));
    message->packet.tcp_resent = message->is_request && (status_code & 0x80);
}

/* ---------- invariants ---------- */

static void require(gboolean condition, const char *what, guint32 frame)
{
    if (!condition) {
        fprintf(stderr, "fuzz_engine: invariant broken in frame %u: %s\n", frame, what);
        abort();
    }
}

static gboolean is_retransmission(guint8 role)
{
    return role == MESSAGE_ROLE_REQUEST_RETRANSMISSION || role == MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION ||
           role == MESSAGE_ROLE_FINAL_RETRANSMISSION || role == MESSAGE_ROLE_ACK_RETRANSMISSION ||
           role == MESSAGE_ROLE_CANCEL_RETRANSMISSION;
}

/* Every frame a transaction records lies in the part of the capture already processed. */
static void require_frames_seen(const transaction *checked, guint32 frame)
{
    if (!checked)
        return;
    require(checked->request_frame <= frame, "request_frame lies ahead", frame);
    require(checked->provisional_frame <= frame, "provisional_frame lies ahead", frame);
    require(checked->last_provisional_frame <= frame, "last_provisional_frame lies ahead", frame);
    require(checked->ack_frame <= frame, "ack_frame lies ahead", frame);
    for (const final_response *final = checked->finals; final; final = final->next) {
        require(final->frame <= frame, "final response frame lies ahead", frame);
        require(final->ack_frame <= frame, "final response ack_frame lies ahead", frame);
        require(final->status_code >= 200, "a final response below 200", frame);
    }
}

static void check_result(const engine *matcher, const sipmsg *message, const message_result *result,
                         GPtrArray *seen)
{
    guint32 frame = message->frame;
    const transaction *found = result->transaction;
    guint32 count = engine_transaction_count(matcher);

    require(found != NULL, "no transaction", frame);
    require(found->number >= 1 && found->number <= count, "transaction number outside 1..count", frame);
    require(count == seen->len || count == seen->len + 1, "more than one transaction created by one message",
            frame);
    if (found->number <= seen->len) {
        require(g_ptr_array_index(seen, found->number - 1) == found, "two transactions share a number", frame);
    } else {
        require(found->number == seen->len + 1 && count == found->number, "transaction numbers not contiguous",
                frame);
        g_ptr_array_add(seen, (gpointer)found);
    }
    require(count == seen->len, "a transaction was created but not given to the message", frame);
    /* kind is a 2-bit field: 1..3 are INVITE, non-INVITE and ACK, 0 is none. */
    require(found->kind >= TRANSACTION_KIND_INVITE, "unknown kind", frame);
    transaction_key key = transaction_key_get(found);
    if (result->opened)
        require((key.rule == TRANSACTION_KEY_NONE) == ((result->details.findings & FINDING_UNMATCHABLE) != 0),
                "a transaction opened without a key is reported unmatchable, and only that one", frame);
    require(result->role >= MESSAGE_ROLE_REQUEST && result->role <= MESSAGE_ROLE_DUPLICATE, "unknown role", frame);
    require(result->state <= TRANSACTION_STATE_ACCEPTED, "unknown state", frame);
    if (result->role == MESSAGE_ROLE_DUPLICATE) {
        require(!result->opened, "a duplicate opened a transaction", frame);
        require(result->details.original_frame > 0 && result->details.original_frame <= frame &&
                    result->details.duplicate != DUPLICATE_NONE,
                "a duplicate without its first copy", frame);
        return;
    }

    gboolean is_ack = message->is_request && message->method && strcmp(message->method, "ACK") == 0;
    if (is_ack) {
        require(result->role == MESSAGE_ROLE_ACK || result->role == MESSAGE_ROLE_ACK_RETRANSMISSION,
                "an ACK in a non-ACK role", frame);
        if (result->details.ack_class == ACK_CLASS_NON_2XX)
            require(found->kind == TRANSACTION_KIND_INVITE, "non-2xx ACK outside an INVITE transaction", frame);
        else
            require(found->kind == TRANSACTION_KIND_ACK, "2xx or unknown ACK outside an ACK transaction", frame);
        if (result->details.ack_class == ACK_CLASS_2XX)
            require(result->details.ack_invite != NULL && result->details.ack_invite->kind == TRANSACTION_KIND_INVITE,
                    "2xx ACK without its INVITE transaction", frame);
        require(result->details.ack_response_frame <= frame, "acknowledged response lies ahead", frame);
        require(result->details.ack_class <= ACK_CLASS_2XX, "unknown ACK class", frame);
    } else {
        require(result->details.ack_class == ACK_CLASS_UNKNOWN && result->details.ack_invite == NULL,
                "an ACK class for a message that is not an ACK", frame);
        require(result->role != MESSAGE_ROLE_ACK && result->role != MESSAGE_ROLE_ACK_RETRANSMISSION,
                "an ACK role for a message that is not an ACK", frame);
        if (message->is_request)
            require(result->role <= MESSAGE_ROLE_REQUEST_RETRANSMISSION ||
                    result->role >= MESSAGE_ROLE_CANCEL, "a request in a response role", frame);
        else
            require(result->role >= MESSAGE_ROLE_PROVISIONAL && result->role <= MESSAGE_ROLE_FINAL_RETRANSMISSION,
                    "a response in a request role", frame);
    }

    if (is_retransmission(result->role)) {
        require(result->details.original_frame <= frame, "retransmission of a frame that lies ahead", frame);
        require(result->details.retransmission_number >= 1, "retransmission numbered 0", frame);
    } else {
        require(result->details.original_frame == 0, "original frame for a first copy", frame);
    }

    require_frames_seen(found, frame);
    const transaction_links *links = transaction_links_of(found);
    require_frames_seen(links->cancels, frame);
    require_frames_seen(links->cancelled_by, frame);
    require_frames_seen(links->forwarded_from, frame);
    require_frames_seen(links->forwarded_to, frame);
    require_frames_seen(links->invite, frame);
    require_frames_seen(result->details.ack_invite, frame);
    if (links->cancels)
        require(links->cancels->kind == TRANSACTION_KIND_INVITE, "CANCEL of a transaction that is not INVITE",
                frame);
}

static gboolean same_or_both_absent(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* What the store keeps gives the message's identity and verdict back. */
static void check_stored(const sipmsg *message, const message_result *result, const stored_message *stored,
                         guint32 frame)
{
    message_identity identity = stored_message_identity(stored);
    const message_details *details = stored_message_details(stored);
    require(stored->transaction == result->transaction && stored->role == result->role &&
                stored->state == result->state && stored->opened == result->opened,
            "the store changed the verdict", frame);
    const message_details *wanted = &result->details;
    require(details->findings == wanted->findings && details->original_frame == wanted->original_frame &&
                details->retransmission_number == wanted->retransmission_number &&
                details->interval_ns == wanted->interval_ns &&
                details->expected_interval_ns == wanted->expected_interval_ns &&
                details->ack_invite == wanted->ack_invite && details->ack_response_frame == wanted->ack_response_frame &&
                details->ack_class == wanted->ack_class && details->ack_evidence == wanted->ack_evidence &&
                details->reason.has_q850_cause == wanted->reason.has_q850_cause &&
                details->reason.q850_cause == wanted->reason.q850_cause &&
                details->reason.has_sip_cause == wanted->reason.has_sip_cause &&
                details->reason.sip_cause == wanted->reason.sip_cause,
            "the store changed the verdict's details", frame);
    require(same_or_both_absent(identity.method, message->is_request ? message->method : NULL) &&
                same_or_both_absent(identity.call_id, message->call_id) &&
                same_or_both_absent(identity.cseq_method, message->cseq_method) &&
                same_or_both_absent(identity.branch, message->top_via.branch) &&
                same_or_both_absent(identity.sent_by_host, message->top_via.host) &&
                identity.sent_by_port == message->top_via.port && identity.defects == message->defects &&
                identity.cseq_number == message->cseq_number,
            "the store changed the message's identity", frame);
}

static void run_engine(const guint8 *data, size_t size)
{
    engine_settings settings;
    engine_settings_default(&settings);
    if (size > 0 && (data[0] & 0xc0) == 0xc0) {
        /* Odd timer preferences: the Wireshark preferences take any unsigned number. */
        static const guint timer_values[4] = { 0, 1, 60000, G_MAXUINT };
        settings.t1_ms = timer_values[data[0] & 0x03];
        settings.t2_ms = timer_values[(data[0] >> 2) & 0x03];
    }
    engine *matcher = engine_new(&settings);
    message_store *store = message_store_new(matcher);
    GString *text = g_string_new(NULL);
    GPtrArray *seen = g_ptr_array_new();
    byte_reader reader = { data, size, size > 0 ? 1 : 0 };
    guint32 frame = 0;
    gint64 time_ns = G_GINT64_CONSTANT(1704067200) * 1000000000;

    for (guint messages = 0; messages < MESSAGES_MAX && reader_has_descriptor(&reader); messages++) {
        guint8 flags = reader.data[reader.position];
        time_ns = next_time(time_ns, reader.data[reader.position + 6]);
        if (frame == 0 || !(flags & 0x40))
            frame++;
        sipmsg message;
        message_result result;
        decode_message(&reader, frame, time_ns, &message);
        engine_process(matcher, &message, &result);
        check_result(matcher, &message, &result, seen);
        /* One stored frame per message: the store is checked, not the frame grouping. */
        message_store_keep_frame(store, messages + 1, &message, &result, 1);
        const stored_message *stored = message_store_message(store, message_store_count(store) - 1);
        check_stored(&message, &result, stored, frame);
        const narrative_style style = { messages % 2 ? SIPTXN_LANGUAGE_RUSSIAN : SIPTXN_LANGUAGE_ENGLISH,
                                        messages % 4 >= 2 };
        narrative_write(text, stored, &style);
    }

    /* The whole-capture verdicts and names the renderer asks for on the second pass. */
    require(engine_transaction_count(matcher) == seen->len, "transaction count changed after the capture", frame);
    for (guint i = 0; i < seen->len; i++) {
        const transaction *checked = g_ptr_array_index(seen, i);
        require(checked->number == i + 1, "transaction renumbered", frame);
        (void)engine_capture_findings(matcher, checked, MESSAGE_ROLE_REQUEST, checked->request_frame);
        for (const final_response *final = transaction_first_final(checked); final; final = final->next)
            (void)engine_capture_findings(matcher, checked, MESSAGE_ROLE_FINAL, final->frame);
        transaction_key key = transaction_key_get(checked);
        require(transaction_key_print(&key, text)[0] != '\0', "a key that prints as nothing", frame);
        require(transaction_kind_name(checked->kind) != NULL, "no kind name", frame);
        require(transaction_state_name(checked->state) != NULL, "no state name", frame);
        require_frames_seen(checked, frame);
    }
    g_ptr_array_free(seen, TRUE);
    g_string_free(text, TRUE);
    message_store_free(store);
    engine_free(matcher);
}

/* ---------- the catalog ---------- */

static catalog *builtin_catalog(void)
{
    static catalog *loaded;
    if (!loaded) {
        GError *error = NULL;
        loaded = catalog_new_builtin(&error);
        if (!loaded) {
            fprintf(stderr, "fuzz_engine: the built-in catalog does not load: %s\n", error ? error->message : "?");
            abort();
        }
    }
    return loaded;
}

static void require_explanation(const catalog_explanation *out, unsigned code)
{
    if (out->code != code || !out->class_name || !out->standard_phrase || !out->explanation || !out->source) {
        fprintf(stderr, "fuzz_engine: catalog_explain(%u) left a field empty\n", code);
        abort();
    }
}

static void run_catalog(const guint8 *data, size_t size)
{
    catalog *phrases = builtin_catalog();
    unsigned code = size >= 2 ? 100u + ((unsigned)data[0] << 8 | data[1]) % 600u : 100u + (size ? data[0] : 0u);
    const char *phrase = (const char *)data;
    catalog_explanation out;

    for (siptxn_language language = SIPTXN_LANGUAGE_AUTO; language <= SIPTXN_LANGUAGE_RUSSIAN; language++) {
        if (!catalog_explain(phrases, code, phrase, size, language, &out)) {
            fprintf(stderr, "fuzz_engine: catalog_explain(%u) failed\n", code);
            abort();
        }
        require_explanation(&out, code);
    }
    /* Outside 100..699 it must say no, and not read the phrase past its length. */
    unsigned outside = size > 0 && (data[0] & 1) ? 700 + (size ? data[size - 1] : 0) : (size ? data[0] % 100 : 0);
    if (catalog_explain(phrases, outside, phrase, size, SIPTXN_LANGUAGE_ENGLISH, &out)) {
        fprintf(stderr, "fuzz_engine: catalog_explain(%u) accepted a code outside 100..699\n", outside);
        abort();
    }

    /* A user entry for the phrase wins over the built-in text, then goes away again. */
    char *text = g_strndup(phrase, size);
    GError *error = NULL;
    if (catalog_add_user_entry(phrases, code, text, SIPTXN_LANGUAGE_ENGLISH, "Entry from the input", &error)) {
        if (!catalog_explain(phrases, code, text, strlen(text), SIPTXN_LANGUAGE_ENGLISH, &out) || !out.from_user ||
            strcmp(out.explanation, "Entry from the input") != 0) {
            fprintf(stderr, "fuzz_engine: a user entry for %u was added but does not decide\n", code);
            abort();
        }
    } else if (error == NULL) {
        fprintf(stderr, "fuzz_engine: catalog_add_user_entry failed without an error\n");
        abort();
    }
    g_clear_error(&error);
    catalog_clear_user_entries(phrases);
    g_free(text);
}

/* Every string the reader returns lies in the scratch space, NUL-terminated there. */
static void check_in_scratch(const char *text, const char *scratch, gsize size)
{
    if (!text)
        return;
    if (text < scratch || text >= scratch + size || !memchr(text, '\0', (gsize)(scratch + size - text)))
        abort();
}

static void run_parser(const uint8_t *data, size_t size)
{
    /* An exact-size copy: ASan catches any read past the message. */
    guint8 *bytes = g_malloc(size ? size : 1);
    if (size)
        memcpy(bytes, data, size);
    gsize scratch_size = sipparse_scratch_size(size);
    char *scratch = g_malloc(scratch_size);
    sipmsg facts;
    gboolean parsed = sipparse_message(bytes, size, scratch, scratch_size, &facts);
    if (parsed) {
        if ((facts.method != NULL) != facts.is_request || (!facts.is_request && facts.status_code > 999) ||
            facts.length != size || facts.via_count < (facts.top_via.transport ? 1u : 0u))
            abort();
        const char *const strings[] = {
            facts.method, facts.reason_phrase, facts.request_uri, facts.call_id, facts.cseq_method,
            facts.top_via.transport, facts.top_via.host, facts.top_via.branch, facts.second_via.transport,
            facts.second_via.host, facts.second_via.branch, facts.from_uri, facts.from_tag, facts.to_tag,
            facts.route_set,
        };
        for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
            check_in_scratch(strings[i], scratch, scratch_size);
    } else if (facts.method || facts.status_code || facts.call_id) {
        abort();
    }
    g_free(scratch);
    g_free(bytes);
}

/* The HEP reader stays inside the bytes: the payload and every chunk lie in the packet. */
static void check_hep_packet(const guint8 *bytes, gsize size)
{
    hep_packet packet;
    if (!hep_parse(bytes, size, &packet)) {
        if (hep_has_magic(bytes, size) || packet.chunk_count || packet.has_payload)
            abort();
        return;
    }
    if (packet.end > size || packet.chunk_count > size / HEP_CHUNK_HEADER_LENGTH ||
        (packet.has_payload && packet.payload_offset + packet.payload_length > packet.end))
        abort();
    gsize offset = HEP_HEADER_LENGTH;
    guint defects = 0, chunks = 0;
    hep_chunk chunk;
    while (hep_next_chunk(bytes, packet.end, &offset, &chunk, &defects)) {
        if (chunk.value_offset + chunk.value_length != offset || offset > packet.end || ++chunks > packet.chunk_count)
            abort();
    }
    if (chunks != packet.chunk_count)
        abort();
}

static void run_hep(const uint8_t *data, size_t size)
{
    /* Exact-size copies: ASan catches any read past the packet. */
    guint8 *bytes = g_malloc(size ? size : 1);
    if (size)
        memcpy(bytes, data, size);
    check_hep_packet(bytes, size);
    g_free(bytes);

    gsize wrapped_size = HEP_HEADER_LENGTH + size;
    guint8 *wrapped = g_malloc(wrapped_size);
    memcpy(wrapped, "HEP3", 4);
    wrapped[4] = (guint8)(wrapped_size >> 8);
    wrapped[5] = (guint8)wrapped_size;
    if (size)
        memcpy(wrapped + HEP_HEADER_LENGTH, data, size);
    check_hep_packet(wrapped, wrapped_size);
    g_free(wrapped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run_engine(data, size);
    run_catalog(data, size);
    run_parser(data, size);
    run_hep(data, size);
    return 0;
}

/* ---------- replay driver ---------- */

#ifndef SIPTXN_LIBFUZZER

static int replay_file(const char *path)
{
    gchar *contents = NULL;
    gsize length = 0;
    GError *error = NULL;
    if (!g_file_get_contents(path, &contents, &length, &error)) {
        fprintf(stderr, "fuzz_engine: %s\n", error->message);
        g_error_free(error);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)contents, length);
    g_free(contents);
    return 0;
}

static gint compare_paths(gconstpointer first, gconstpointer second)
{
    return strcmp(*(const char *const *)first, *(const char *const *)second);
}

/* Replays every file named, and every file in every folder named (sorted, not recursive). */
int main(int argc, char **argv)
{
    guint replayed = 0;
    int failures = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            failures += replay_file(argv[i]);
            replayed++;
            continue;
        }
        GDir *folder = g_dir_open(argv[i], 0, NULL);
        if (!folder) {
            fprintf(stderr, "fuzz_engine: cannot open %s\n", argv[i]);
            failures++;
            continue;
        }
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        for (const char *name; (name = g_dir_read_name(folder)) != NULL;)
            g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
        g_dir_close(folder);
        g_ptr_array_sort(names, compare_paths);
        for (guint k = 0; k < names->len; k++) {
            failures += replay_file(g_ptr_array_index(names, k));
            replayed++;
        }
        g_ptr_array_free(names, TRUE);
    }
    if (replayed == 0) {
        fprintf(stderr, "fuzz_engine: nothing to replay\n");
        return 1;
    }
    printf("fuzz_engine: %u inputs replayed, every invariant held\n", replayed);
    return failures ? 1 : 0;
}

#endif
