/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textformat.h: the small printf the narrative, the keys and the tree labels need.
 * They hold only %u and %s, and are formatted for every SIP message whenever
 * a tree is shown; GLib's printf costs several times more than this. */
#ifndef SIPTXN_TEXTFORMAT_H
#define SIPTXN_TEXTFORMAT_H

#include <stdarg.h>

#include <glib.h>

/* Appends format to text, replacing %u (guint), %s (const char *, NULL shows
 * as "(null)" like GLib's) and %%.  Any other conversion is a programming
 * error: it is copied as it stands, and no argument is taken for it. */
void text_append_format(GString *text, const char *format, ...) G_GNUC_PRINTF(2, 3);
void text_append_vformat(GString *text, const char *format, va_list arguments);

/* Appends "host:port", the host lower-cased when asked (host names compare
 * ignoring case, RFC 3261 §19.1.4); a port of 0 is left out ("host"). */
void text_append_host_port(GString *text, const char *host, guint port, gboolean lower_case);

/* value/unit with three decimals ("0.503" seconds from nanoseconds and
 * NS_PER_SECOND), with a decimal comma when asked (Russian); in buffer. */
const char *text_thousandths(char *buffer, gsize size, gint64 value, gint64 unit, gboolean decimal_comma);

#endif /* SIPTXN_TEXTFORMAT_H */
