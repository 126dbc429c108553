/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textwrap.h: long text cut into lines short enough for one tree label each.
 *
 * Wireshark cuts every tree label at ITEM_LABEL_LENGTH (240) bytes, and a
 * Cyrillic letter takes two, so a sentence is shown as lines of at most
 * TEXT_LINE_CHARACTERS characters and TEXT_LINE_BYTES bytes.  Lines break at
 * spaces; a word longer than a line is cut between two characters, never
 * inside one.  Invalid UTF-8 counts one character a byte, and is never read
 * past the end. */
#ifndef SIPTXN_TEXTWRAP_H
#define SIPTXN_TEXTWRAP_H

#include <glib.h>

/* What one line may hold: well under the label limit, readable on a screen. */
#define TEXT_LINE_CHARACTERS 100
#define TEXT_LINE_BYTES 200

/* The next line of text[*offset, length): returns its length in bytes (its
 * first byte is at *offset after the call) and moves *next past it and the
 * spaces or the line break that end it.  Leading spaces are skipped; a line
 * break ('\n') always ends a line.  At the end of the text it returns 0 and
 * *offset == *next == length. */
gsize text_wrap_next(const char *text, gsize length, gsize *offset, gsize *next, gsize max_characters,
                     gsize max_bytes);

/* The length in bytes of the character at text[0], 1..4, for UTF-8 that is
 * complete within length bytes; 1 for a byte that starts no such character. */
gsize text_character_length(const char *text, gsize length);

/* How many characters text[0, length) holds, as text_character_length counts them. */
gsize text_character_count(const char *text, gsize length);

/* Whether text fits one line of max_characters characters and max_bytes bytes. */
gboolean text_fits_line(const char *text, gsize length, gsize max_characters, gsize max_bytes);

#endif /* SIPTXN_TEXTWRAP_H */
