/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textwrap.c: lines of at most so many characters and bytes.  See textwrap.h. */

#include "textwrap.h"

/* Where a line may break; a line break is apart: it always ends a line. */
static gboolean is_space(char character)
{
    return character == ' ' || character == '\t' || character == '\r';
}

gsize text_character_length(const char *text, gsize length)
{
    const unsigned char lead = (unsigned char)text[0];
    gsize size;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        size = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        size = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        size = 4;
    else
        return 1;
    if (size > length)
        return 1;
    for (gsize i = 1; i < size; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            return 1;
    return size;
}

gsize text_character_count(const char *text, gsize length)
{
    gsize count = 0;
    for (gsize at = 0; at < length; at += text_character_length(text + at, length - at))
        count++;
    return count;
}

gboolean text_fits_line(const char *text, gsize length, gsize max_characters, gsize max_bytes)
{
    return length <= max_bytes && text_character_count(text, length) <= max_characters;
}

gsize text_wrap_next(const char *text, gsize length, gsize *offset, gsize *next, gsize max_characters,
                     gsize max_bytes)
{
    gsize start = *offset;
    while (start < length && (is_space(text[start]) || text[start] == '\n'))
        start++;
    *offset = start;
    gsize at = start, characters = 0;
    gsize end = length, after = length;
    gsize space = 0, after_space = 0;   /* the last run of spaces: where it starts and ends */
    while (at < length) {
        if (text[at] == '\n') {
            end = at;
            after = at + 1;
            break;
        }
        if (is_space(text[at]) && (space == 0 || after_space <= at)) {
            space = at;
            for (after_space = at; after_space < length && is_space(text[after_space]); after_space++)
                ;
        }
        gsize size = text_character_length(text + at, length - at);
        gboolean full = characters + 1 > max_characters || at + size - start > max_bytes;
        if (full && at > start) {
            if (space > start) {
                /* Break at the last space: the word after it starts the next line. */
                end = space;
                after = after_space;
            } else {
                /* One word longer than a line: cut it before this character. */
                end = at;
                after = at;
            }
            break;
        }
        characters++;
        at += size;
    }
    while (end > start && is_space(text[end - 1]))
        end--;
    *next = after;
    return end - start;
}
