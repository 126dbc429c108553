/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipparse.h: reads the facts the transaction engine needs straight from the
 * bytes of one SIP message (RFC 3261 §7, §20, §25).
 *
 * The Wireshark shell finds where each SIP message lies (the stock SIP
 * dissector's protocol item) and hands its bytes here, so the post-dissector
 * only asks epan for one field instead of twenty.  Only the start line and the
 * header section are read; the body is not.  Plain C + GLib: unit tests and
 * the fuzzer call it directly.
 */
#ifndef SIPTXN_SIPPARSE_H
#define SIPTXN_SIPPARSE_H

#include <glib.h>

#include "sipmsg.h"

/* Bytes of scratch space sipparse_message() needs for a message of `length`
 * bytes: every string it returns is a NUL-terminated copy kept there. */
gsize sipparse_scratch_size(gsize length);

/* Parses one message of `length` bytes (need not be NUL-terminated).  Fills the
 * message's part of `facts` (start line, identity headers, defects, length;
 * Reason causes; not frame, time, transport or network endpoints); strings point
 * into `scratch`, which must hold sipparse_scratch_size(length) bytes.
 * Returns FALSE, leaving `facts` cleared, when the start line is neither a
 * Request-Line nor a Status-Line: not a SIP message. */
gboolean sipparse_message(const guint8 *data, gsize length, char *scratch, gsize scratch_size, sipmsg *facts);

#endif /* SIPTXN_SIPPARSE_H */
