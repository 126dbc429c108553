/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipparse.c: the start line and the headers siptxn needs, read from a SIP
 * message's bytes.  See sipparse.h.
 *
 * It reads what Wireshark's SIP dissector shows in its fields, the same way:
 * header names case-insensitively, compact forms (v, i, f, t: RFC 3261 §7.3.3),
 * folded lines (§7.3.1), several via-parms per Via line (§20.42), an IPv6
 * sent-by without its brackets.  Nothing here trusts a length or an offset in
 * the message: every read is bounded by the message's own length.
 */

#include <string.h>

#include "sipparse.h"

/* Strings are copied into the caller's scratch space, each NUL-terminated.
 * A header on one line is read where it lies; a folded one is first unfolded
 * there.  Only the parts that are returned are copied. */
typedef struct {
    char *base;
    gsize size;
    gsize used;
} arena;

gsize sipparse_scratch_size(gsize length)
{
    /* Each unfolded value (with its NUL) is shorter than its header line, the
     * parts taken from the start line and the values are shorter than those,
     * and the joined Route values shorter than their lines: 3 * length. */
    return 3 * length + 128;
}

static char *arena_copy(arena *space, const char *text, gsize length)
{
    if (space->used + length + 1 > space->size)
        return NULL;
    char *copy = space->base + space->used;
    memcpy(copy, text, length);
    copy[length] = '\0';
    space->used += length + 1;
    return copy;
}

static gboolean is_lws(char c)
{
    return c == ' ' || c == '\t';
}

/* Skips spaces and tabs, never past `end`. */
static const char *skip_lws(const char *text, const char *end)
{
    while (text < end && is_lws(*text))
        text++;
    return text;
}

/* Case-insensitive comparison of `length` bytes with a lower-case name. */
static gboolean equal_nocase(const char *text, const char *lower_name, gsize length)
{
    for (gsize i = 0; i < length; i++)
        if ((text[i] | 0x20) != lower_name[i])
            return FALSE;
    return TRUE;
}

/* RFC 3261 §25.1 token characters: alphanum and -.!%*_+`'~ */
static const guint8 token_chars[256] = {
    ['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1, ['+'] = 1, ['`'] = 1, ['\''] = 1, ['~'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static gboolean is_token_char(char c)
{
    return token_chars[(guint8)c] != 0;
}

/* Where scans stop, one table lookup per byte instead of several comparisons. */
enum {
    STOP_PARAMETER = 1u << 0, /* ';' '"'          the next parameter or a quoted string */
    STOP_VALUE     = 1u << 1, /* ';' ',' SP HT    the end of a parameter value */
    STOP_HOST      = 1u << 2, /* ':' ';' SP HT    the end of a sent-by host */
    STOP_ADDRESS   = 1u << 3, /* '"' '<' ';'      the end of a name-addr's display name */
};

static const guint8 stops[256] = {
    [';'] = STOP_PARAMETER | STOP_VALUE | STOP_HOST | STOP_ADDRESS,
    ['"'] = STOP_PARAMETER | STOP_ADDRESS,
    [','] = STOP_VALUE,
    [' '] = STOP_VALUE | STOP_HOST,
    ['\t'] = STOP_VALUE | STOP_HOST,
    [':'] = STOP_HOST,
    ['<'] = STOP_ADDRESS,
};

/* The first byte in [text, end) of the `kind` class, or end. */
static const char *scan_to(const char *text, const char *end, guint8 kind)
{
    while (text < end && !(stops[(guint8)*text] & kind))
        text++;
    return text;
}

/* ---------- lines ---------- */

/* One line of the header section, without its CRLF (or bare LF). */
typedef struct {
    const char *start;
    gsize length;
} line;

/* The line starting at *offset; advances *offset past its line ending.
 * FALSE at the end of the data. */
static inline gboolean next_line(const char *data, gsize length, gsize *offset, line *out)
{
    if (*offset >= length)
        return FALSE;
    const char *start = data + *offset;
    const char *newline = memchr(start, '\n', length - *offset);
    gsize end = newline ? (gsize)(newline - data) : length;
    out->start = start;
    out->length = end - *offset;
    if (out->length > 0 && start[out->length - 1] == '\r')
        out->length--;
    *offset = newline ? end + 1 : length;
    return TRUE;
}

/* ---------- start line (RFC 3261 §7.1, §7.2) ---------- */

static gboolean starts_with_version(const char *text, gsize length)
{
    return length >= 4 && equal_nocase(text, "sip/", 4);
}

static gboolean parse_status_line(const line *first, arena *space, sipmsg *facts)
{
    /* SIP-Version SP Status-Code SP Reason-Phrase */
    const char *cursor = first->start;
    const char *end = first->start + first->length;
    const char *space_after_version = memchr(cursor, ' ', first->length);
    if (!space_after_version)
        return FALSE;
    cursor = space_after_version;
    while (cursor < end && *cursor == ' ')
        cursor++;
    guint code = 0;
    int digits = 0;
    while (cursor < end && g_ascii_isdigit(*cursor) && digits < 4) {
        code = code * 10 + (guint)(*cursor - '0');
        cursor++;
        digits++;
    }
    if (digits != 3 || (cursor < end && *cursor != ' '))
        return FALSE;
    if (cursor < end)
        cursor++;
    facts->is_request = FALSE;
    facts->status_code = code;
    facts->reason_phrase = arena_copy(space, cursor, (gsize)(end - cursor));
    if (code < 100 || code > 699)
        facts->defects |= SIPMSG_DEFECT_BAD_STATUS;
    return facts->reason_phrase != NULL;
}

static gboolean parse_request_line(const line *first, arena *space, sipmsg *facts)
{
    /* Method SP Request-URI SP SIP-Version */
    const char *start = first->start;
    const char *end = start + first->length;
    const char *cursor = start;
    while (cursor < end && is_token_char(*cursor))
        cursor++;
    if (cursor == start || cursor == end || *cursor != ' ')
        return FALSE;
    const char *method_end = cursor;
    while (cursor < end && *cursor == ' ')
        cursor++;
    const char *uri = cursor;
    while (cursor < end && *cursor != ' ')
        cursor++;
    const char *uri_end = cursor;
    while (cursor < end && *cursor == ' ')
        cursor++;
    if (uri == uri_end || !starts_with_version(cursor, (gsize)(end - cursor)))
        return FALSE;
    facts->is_request = TRUE;
    facts->method = arena_copy(space, start, (gsize)(method_end - start));
    facts->request_uri = arena_copy(space, uri, (gsize)(uri_end - uri));
    return facts->method && facts->request_uri;
}

/* ---------- headers ---------- */

typedef enum {
    HEADER_OTHER,
    HEADER_VIA,
    HEADER_CALL_ID,
    HEADER_CSEQ,
    HEADER_FROM,
    HEADER_TO,
    HEADER_ROUTE,
    HEADER_RSEQ,
    HEADER_RACK,
    HEADER_REASON,
} header_kind;

static header_kind header_of(const char *name, gsize length)
{
    /* Most header lines are other headers: the length and the first letter
     * rule them out before any comparison.  ('-' | 0x20 is '-'.) */
    switch (length) {
    case 1:
        switch (name[0] | 0x20) {
        case 'v': return HEADER_VIA;
        case 'i': return HEADER_CALL_ID;
        case 'f': return HEADER_FROM;
        case 't': return HEADER_TO;
        default: return HEADER_OTHER;
        }
    case 2:
        return equal_nocase(name, "to", 2) ? HEADER_TO : HEADER_OTHER;
    case 3:
        return equal_nocase(name, "via", 3) ? HEADER_VIA : HEADER_OTHER;
    case 4:
        if (equal_nocase(name, "cseq", 4))
            return HEADER_CSEQ;
        if (equal_nocase(name, "rseq", 4))
            return HEADER_RSEQ;
        if (equal_nocase(name, "rack", 4))
            return HEADER_RACK;
        return equal_nocase(name, "from", 4) ? HEADER_FROM : HEADER_OTHER;
    case 5:
        return equal_nocase(name, "route", 5) ? HEADER_ROUTE : HEADER_OTHER;
    case 6:
        return equal_nocase(name, "reason", 6) ? HEADER_REASON : HEADER_OTHER;
    case 7:
        return equal_nocase(name, "call-id", 7) ? HEADER_CALL_ID : HEADER_OTHER;
    default:
        return HEADER_OTHER;
    }
}

/* A header value: [start, end), trimmed, up to a NUL byte if it has one (as a
 * C string of it would end there). */
typedef struct {
    const char *start;
    const char *end;
} span;

static span trimmed(const char *start, const char *end, gboolean nul_possible)
{
    while (end > start && is_lws(end[-1]))
        end--;
    start = skip_lws(start, end);
    const char *nul = nul_possible ? memchr(start, '\0', (gsize)(end - start)) : NULL;
    span value = { start, nul ? nul : end };
    return value;
}

/* A folded header value, unfolded (RFC 3261 §7.3.1: CRLF + whitespace is one
 * SP) into the arena: the first line's part after the colon plus the
 * continuation lines. */
static gboolean unfold(arena *space, const line *lines, guint count, gsize value_offset, span *value)
{
    gsize total = lines[0].length - value_offset;
    for (guint i = 1; i < count; i++)
        total += 1 + lines[i].length;
    if (space->used + total > space->size)
        return FALSE;
    char *text = space->base + space->used;
    gsize used = lines[0].length - value_offset;
    memcpy(text, lines[0].start + value_offset, used);
    for (guint i = 1; i < count; i++) {
        text[used++] = ' ';
        memcpy(text + used, lines[i].start, lines[i].length);
        used += lines[i].length;
    }
    space->used += used;
    *value = trimmed(text, text + used, TRUE);
    return TRUE;
}

/* ";name=value" parameters: the value of `wanted` (case-insensitive name, of
 * `wanted_length` bytes) in text up to `end`, quotes skipped. */
static const char *parameter(arena *space, const char *text, const char *end, const char *wanted,
                             gsize wanted_length)
{
    const char *cursor = text;
    while (cursor < end) {
        cursor = scan_to(cursor, end, STOP_PARAMETER);
        if (cursor >= end)
            break;
        if (*cursor == '"') {
            const char *close = cursor + 1;
            while (close < end && *close != '"')
                close += (*close == '\\' && close + 1 < end) ? 2 : 1;
            cursor = close < end ? close + 1 : end;
            continue;
        }
        const char *name = skip_lws(cursor + 1, end);
        const char *name_end = name;
        while (name_end < end && is_token_char(*name_end))
            name_end++;
        cursor = name_end;
        if ((gsize)(name_end - name) != wanted_length || !equal_nocase(name, wanted, wanted_length))
            continue;
        const char *equals = skip_lws(name_end, end);
        if (equals >= end || *equals != '=')
            return NULL;
        const char *value = skip_lws(equals + 1, end);
        if (value < end && *value == '"') {
            const char *value_end = memchr(value + 1, '"', (gsize)(end - value - 1));
            if (!value_end)
                value_end = end;
            return arena_copy(space, value + 1, (gsize)(value_end - value - 1));
        }
        const char *value_end = scan_to(value, end, STOP_VALUE);
        return arena_copy(space, value, (gsize)(value_end - value));
    }
    return NULL;
}

/* Where the next comma-separated element of a header value starts (commas in
 * quoted strings and <...> do not count); `end` if none. */
static const char *element_end(const char *text, const char *end)
{
    if (!memchr(text, ',', (gsize)(end - text)))
        return end;
    gboolean quoted = FALSE;
    gboolean angle = FALSE;
    for (const char *cursor = text; cursor < end; cursor++) {
        if (quoted) {
            if (*cursor == '\\' && cursor + 1 < end)
                cursor++;
            else if (*cursor == '"')
                quoted = FALSE;
        } else if (*cursor == '"') {
            quoted = TRUE;
        } else if (*cursor == '<') {
            angle = TRUE;
        } else if (*cursor == '>') {
            angle = FALSE;
        } else if (*cursor == ',' && !angle) {
            return cursor;
        }
    }
    return end;
}

/* One via-parm: "SIP / 2.0 / UDP sent-by *( ; via-params )" (RFC 3261 §20.42). */
static void parse_via_parm(arena *space, const char *text, const char *end, sipmsg_via *via)
{
    /* The transport is the token after the second slash. */
    const char *cursor = text;
    for (int slashes = 0; slashes < 2; cursor++) {
        if (cursor >= end || *cursor == ';')
            return;
        if (*cursor == '/')
            slashes++;
    }
    cursor = skip_lws(cursor, end);
    const char *transport = cursor;
    while (cursor < end && is_token_char(*cursor))
        cursor++;
    if (cursor == transport)
        return;
    via->transport = arena_copy(space, transport, (gsize)(cursor - transport));
    cursor = skip_lws(cursor, end);

    /* sent-by = host [ ":" port ]; an IPv6 reference is shown without brackets. */
    const char *host = cursor;
    const char *host_end;
    if (cursor < end && *cursor == '[') {
        host = cursor + 1;
        const char *close = memchr(host, ']', (gsize)(end - host));
        if (!close)
            return;
        host_end = close;
        cursor = close + 1;
    } else {
        cursor = scan_to(cursor, end, STOP_HOST);
        host_end = cursor;
    }
    if (host_end == host)
        return;
    via->host = arena_copy(space, host, (gsize)(host_end - host));
    cursor = skip_lws(cursor, end);
    if (cursor < end && *cursor == ':') {
        cursor = skip_lws(cursor + 1, end);
        guint32 port = 0;
        int digits = 0;
        while (cursor < end && g_ascii_isdigit(*cursor) && digits < 6) {
            port = port * 10 + (guint32)(*cursor - '0');
            cursor++;
            digits++;
        }
        via->port = port <= G_MAXUINT16 ? (guint16)port : 0;
    }
    via->branch = parameter(space, cursor, end, "branch", 6);
}

static void parse_via(arena *space, span value, sipmsg *facts)
{
    const char *end = value.end;
    const char *cursor = value.start;
    while (cursor < end) {
        const char *parm_end = element_end(cursor, end);
        const char *start = skip_lws(cursor, parm_end);
        if (start < parm_end) {
            if (facts->via_count < 2) {
                sipmsg_via *target = facts->via_count == 0 ? &facts->top_via : &facts->second_via;
                parse_via_parm(space, start, parm_end, target);
                /* A via-parm without a transport is not counted, as a dissector would not show it. */
                if (target->transport)
                    facts->via_count++;
            } else {
                facts->via_count++;
            }
        }
        cursor = parm_end < end ? parm_end + 1 : end;
    }
}

/* RFC 3261 §8.1.1.5: CSeq = 1*DIGIT LWS Method; the number below 2**31. */
static void parse_cseq(arena *space, span value, sipmsg *facts)
{
    const char *cursor = value.start;
    const char *end = value.end;
    guint64 number = 0;
    gboolean overflow = FALSE;
    while (cursor < end && g_ascii_isdigit(*cursor)) {
        number = number * 10 + (guint64)(*cursor - '0');
        if (number >= G_GUINT64_CONSTANT(0x80000000)) {
            overflow = TRUE;
            number = G_GUINT64_CONSTANT(0x80000000);
        }
        cursor++;
    }
    if (cursor == value.start || overflow || (cursor < end && !is_lws(*cursor)))
        facts->defects |= SIPMSG_DEFECT_BAD_CSEQ;
    else
        facts->cseq_number = (guint32)number;
    cursor = skip_lws(cursor, end);
    const char *method = cursor;
    while (cursor < end && is_token_char(*cursor))
        cursor++;
    if (cursor == method)
        facts->defects |= SIPMSG_DEFECT_NO_CSEQ_METHOD;
    else
        facts->cseq_method = arena_copy(space, method, (gsize)(cursor - method));
}

/* 1*DIGIT as a number 1..2**32-1 (RFC 3262 §7.1 response-num); 0 when it is
 * none.  *cursor moves past the digits. */
static guint32 parse_response_num(const char **cursor, const char *end)
{
    const char *start = *cursor;
    guint64 number = 0;
    while (*cursor < end && g_ascii_isdigit(**cursor)) {
        number = number * 10 + (guint64)(**cursor - '0');
        if (number > G_MAXUINT32)
            number = G_MAXUINT64 / 16;   /* stays too large */
        (*cursor)++;
    }
    if (*cursor == start || number > G_MAXUINT32)
        return 0;
    return (guint32)number;
}

/* RSeq = response-num (RFC 3262 §7.1). */
static guint32 parse_rseq(span value)
{
    const char *cursor = value.start;
    guint32 number = parse_response_num(&cursor, value.end);
    return cursor == value.end ? number : 0;
}

/* RAck = response-num LWS CSeq-num LWS Method (RFC 3262 §7.2). */
static void parse_rack(arena *space, span value, sipmsg_rack *rack)
{
    const char *cursor = value.start;
    const char *end = value.end;
    guint32 rseq = parse_response_num(&cursor, end);
    if (!rseq || cursor >= end || !is_lws(*cursor))
        return;
    cursor = skip_lws(cursor, end);
    const char *cseq_start = cursor;
    guint32 cseq_number = parse_response_num(&cursor, end);
    if (cursor == cseq_start || cursor >= end || !is_lws(*cursor))
        return;
    cursor = skip_lws(cursor, end);
    const char *method = cursor;
    while (cursor < end && is_token_char(*cursor))
        cursor++;
    if (cursor == method)
        return;
    rack->rseq = rseq;
    rack->cseq_number = cseq_number;
    rack->method = arena_copy(space, method, (gsize)(cursor - method));
}

/* From/To: ( name-addr / addr-spec ) *( ";" params ).  The address is the URI
 * inside <...>, or the addr-spec up to its parameters. */
static void parse_name_addr(arena *space, span value, const char **uri, const char **tag)
{
    const char *end = value.end;
    const char *params = NULL;
    /* Skip a quoted display name. */
    const char *open = NULL;
    for (const char *scan = value.start; scan < end; scan++) {
        scan = scan_to(scan, end, STOP_ADDRESS);
        if (scan >= end)
            break;
        if (*scan == '"') {
            scan++;
            while (scan < end && *scan != '"')
                scan += (*scan == '\\' && scan + 1 < end) ? 2 : 1;
            continue;
        }
        if (*scan == '<')
            open = scan;
        break;
    }
    if (open) {
        const char *close = memchr(open, '>', (gsize)(end - open));
        const char *uri_end = close ? close : end;
        if (uri)
            *uri = arena_copy(space, open + 1, (gsize)(uri_end - open - 1));
        params = close ? close + 1 : end;
    } else {
        const char *uri_end = value.start;
        while (uri_end < end && *uri_end != ';' && !is_lws(*uri_end))
            uri_end++;
        if (uri)
            *uri = arena_copy(space, value.start, (gsize)(uri_end - value.start));
        params = uri_end;
    }
    *tag = parameter(space, params, end, "tag", 3);
}

/* Reason = reason-value *( "," reason-value ); reason-value = protocol *( ";" param ) (RFC 3326). */
static void parse_reason(arena *space, span value, sipmsg_reason *reason)
{
    const char *end = value.end;
    const char *cursor = value.start;
    while (cursor < end) {
        const char *element = skip_lws(cursor, end);
        const char *element_stop = element_end(element, end);
        const char *protocol_end = element;
        while (protocol_end < element_stop && *protocol_end != ';' && !is_lws(*protocol_end))
            protocol_end++;
        gsize protocol_length = (gsize)(protocol_end - element);
        gboolean q850 = protocol_length == 5 && equal_nocase(element, "q.850", 5);
        gboolean sip = protocol_length == 3 && equal_nocase(element, "sip", 3);
        if ((q850 && !reason->has_q850_cause) || (sip && !reason->has_sip_cause)) {
            gsize mark = space->used;
            const char *cause = parameter(space, protocol_end, element_stop, "cause", 5);
            if (cause && g_ascii_isdigit(cause[0])) {
                guint64 number = 0;
                for (const char *digit = cause; g_ascii_isdigit(*digit) && number <= G_MAXUINT32; digit++)
                    number = number * 10 + (guint64)(*digit - '0');
                if (number <= G_MAXUINT32) {
                    if (q850) {
                        reason->has_q850_cause = TRUE;
                        reason->q850_cause = (guint32)number;
                    } else {
                        reason->has_sip_cause = TRUE;
                        reason->sip_cause = (guint32)number;
                    }
                }
            }
            space->used = mark;
        }
        cursor = element_stop < end ? element_stop + 1 : end;
    }
}

/* Route values, in header order; joined with ", " once all are seen (the
 * route set an ACK repeats, RFC 3261 §17.1.1.3).  Hundreds of Route headers
 * are not a route set anyone sends: the first ROUTES_MAX are kept. */
#define ROUTES_MAX 32

typedef struct {
    span values[ROUTES_MAX];
    guint count;
} route_list;

static void join_routes(arena *space, const route_list *routes, sipmsg *facts)
{
    if (routes->count == 0)
        return;
    gsize total = 0;
    for (guint i = 0; i < routes->count; i++)
        total += (gsize)(routes->values[i].end - routes->values[i].start) + 2;
    if (space->used + total + 1 > space->size)
        return;
    char *joined = space->base + space->used;
    gsize used = 0;
    for (guint i = 0; i < routes->count; i++) {
        if (i > 0) {
            memcpy(joined + used, ", ", 2);
            used += 2;
        }
        gsize length = (gsize)(routes->values[i].end - routes->values[i].start);
        memcpy(joined + used, routes->values[i].start, length);
        used += length;
    }
    joined[used] = '\0';
    space->used += used + 1;
    facts->route_set = joined;
}

static void parse_header(arena *space, header_kind kind, span value, sipmsg *facts, sipmsg_reason *reason,
                         route_list *routes, gboolean *seen)
{
    switch (kind) {
    case HEADER_VIA:
        parse_via(space, value, facts);
        break;
    case HEADER_CALL_ID:
        if (!seen[kind])
            facts->call_id = arena_copy(space, value.start, (gsize)(value.end - value.start));
        break;
    case HEADER_CSEQ:
        if (!seen[kind])
            parse_cseq(space, value, facts);
        break;
    case HEADER_FROM:
        if (!seen[kind])
            parse_name_addr(space, value, &facts->from_uri, &facts->from_tag);
        break;
    case HEADER_TO:
        if (!seen[kind])
            parse_name_addr(space, value, NULL, &facts->to_tag);
        break;
    case HEADER_ROUTE:
        if (routes->count < ROUTES_MAX)
            routes->values[routes->count++] = value;
        break;
    case HEADER_REASON:
        parse_reason(space, value, reason);
        break;
    case HEADER_RSEQ:
        if (!seen[kind] && !facts->is_request)
            facts->rseq = parse_rseq(value);
        break;
    case HEADER_RACK:
        if (!seen[kind] && facts->is_request)
            parse_rack(space, value, &facts->rack);
        break;
    case HEADER_OTHER:
        break;
    }
    seen[kind] = TRUE;
}

/* A hash of the message's bytes, eight at a time: copies of a message have
 * the same digest, and two different messages almost never do. */
static guint64 digest_of(const guint8 *data, gsize length)
{
    guint64 hash = G_GUINT64_CONSTANT(0x9e3779b97f4a7c15) ^ (guint64)length;
    gsize at = 0;
    for (; at + 8 <= length; at += 8) {
        guint64 word;
        memcpy(&word, data + at, sizeof word);
        hash = (hash ^ word) * G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
        hash ^= hash >> 32;
    }
    guint64 tail = 0;
    memcpy(&tail, data + at, length - at);
    hash = (hash ^ tail) * G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
    return hash ^ (hash >> 29);
}

sipmsg_transport sipmsg_hop_transport(const sipmsg *message)
{
    static const struct {
        const char *name;
        sipmsg_transport transport;
    } names[] = {
        { "UDP", SIPMSG_TRANSPORT_UDP },       { "TCP", SIPMSG_TRANSPORT_TCP },
        { "TLS", SIPMSG_TRANSPORT_TLS },       { "SCTP", SIPMSG_TRANSPORT_SCTP },
        { "TLS-SCTP", SIPMSG_TRANSPORT_SCTP }, { "WS", SIPMSG_TRANSPORT_WEBSOCKET },
        { "WSS", SIPMSG_TRANSPORT_WEBSOCKET },
    };
    const char *named = message->top_via.transport;
    if (named)
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
            if (g_ascii_strcasecmp(named, names[i].name) == 0)
                return names[i].transport;
    return message->transport;
}

/* Folded lines a header may span; a longer header keeps its first lines. */
#define FOLDED_LINES_MAX 64

/* Via, Call-ID, CSeq, From, To, Route, Reason and the compact v, i, f, t: a
 * header line starting with another letter is none of them, nor is a
 * continuation line (it starts with whitespace). */
static const guint8 wanted_first[256] = {
    ['v'] = 1, ['i'] = 1, ['c'] = 1, ['f'] = 1, ['t'] = 1, ['r'] = 1,
    ['V'] = 1, ['I'] = 1, ['C'] = 1, ['F'] = 1, ['T'] = 1, ['R'] = 1,
};

gboolean sipparse_message(const guint8 *data, gsize length, char *scratch, gsize scratch_size, sipmsg *facts)
{
    memset(facts, 0, sizeof(*facts));
    arena space = { scratch, scratch_size, 0 };
    const char *text = (const char *)data;
    gsize offset = 0;

    /* Keep-alive CRLFs before a message on a stream (RFC 5626 §3.5.1). */
    while (offset < length && (text[offset] == '\r' || text[offset] == '\n'))
        offset++;
    line first;
    if (!next_line(text, length, &offset, &first) || memchr(first.start, '\0', first.length))
        return FALSE;
    gboolean parsed = starts_with_version(first.start, first.length) ? parse_status_line(&first, &space, facts)
                                                                     : parse_request_line(&first, &space, facts);
    if (!parsed) {
        memset(facts, 0, sizeof(*facts));
        return FALSE;
    }
    facts->length = (guint32)MIN(length, G_MAXUINT32);
    facts->digest = digest_of(data, length);

    /* A NUL byte ends a value as it ends a C string; one look over the rest of
     * the message spares a look in every value. */
    gboolean nul_possible = memchr(text + offset, '\0', length - offset) != NULL;
    gboolean seen[HEADER_REASON + 1] = { FALSE };
    route_list routes;
    routes.count = 0;
    line current;
    /* The header section ends at an empty line (or the end of the data). */
    while (next_line(text, length, &offset, &current) && current.length > 0) {
        if (!wanted_first[(guint8)current.start[0]])
            continue;
        const char *colon = memchr(current.start, ':', current.length);
        if (!colon)
            continue;
        gsize name_length = (gsize)(colon - current.start);
        while (name_length > 0 && is_lws(current.start[name_length - 1]))
            name_length--;
        header_kind kind = header_of(current.start, name_length);
        if (kind == HEADER_OTHER)
            continue;
        span value;
        if (offset < length && is_lws(text[offset])) {
            /* Continuation lines follow: unfold them into the arena. */
            line lines[FOLDED_LINES_MAX];
            guint count = 0;
            lines[count++] = current;
            gsize next = offset;
            line continuation;
            while (next < length && is_lws(text[next]) && next_line(text, length, &next, &continuation)) {
                if (count < FOLDED_LINES_MAX)
                    lines[count++] = continuation;
                offset = next;
            }
            if (!unfold(&space, lines, count, (gsize)(colon - current.start) + 1, &value))
                continue;
        } else {
            value = trimmed(colon + 1, current.start + current.length, nul_possible);
        }
        parse_header(&space, kind, value, facts, &facts->reason, &routes, seen);
    }
    join_routes(&space, &routes, facts);

    if (!seen[HEADER_VIA])
        facts->defects |= SIPMSG_DEFECT_NO_VIA;
    else if (facts->via_count == 0 || !facts->top_via.host)
        facts->defects |= SIPMSG_DEFECT_NO_SENT_BY;
    if (facts->top_via.branch && facts->top_via.branch[0] == '\0')
        facts->defects |= SIPMSG_DEFECT_EMPTY_BRANCH;
    if (!seen[HEADER_CSEQ])
        facts->defects |= SIPMSG_DEFECT_NO_CSEQ;
    if (!facts->call_id)
        facts->defects |= SIPMSG_DEFECT_NO_CALL_ID;
    return TRUE;
}
