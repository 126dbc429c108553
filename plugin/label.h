/* SPDX-License-Identifier: GPL-2.0-or-later */
/* label.h: item labels put together without printf.  The labels of the
 * siptxn root items are formatted whenever a tree is shown (the GUI, -V, and
 * -T fields, which builds the whole tree), so for every SIP message; a printf
 * costs several times more than the copies below. */
#ifndef SIPTXN_LABEL_H
#define SIPTXN_LABEL_H

#include <string.h>

#include <epan/proto.h>

#include "decimal.h"

/* ITEM_LABEL_LENGTH bytes with the NUL, like every Wireshark label. */
typedef struct {
    char text[ITEM_LABEL_LENGTH];
    gsize used;
} siptxn_label;

static inline void label_start(siptxn_label *label)
{
    label->used = 0;
    label->text[0] = '\0';
}

/* Appends text; a label that is full is cut at a UTF-8 character boundary. */
static inline void label_add(siptxn_label *label, const char *text)
{
    gsize room = sizeof(label->text) - 1 - label->used;
    gsize length = strlen(text);
    if (length > room) {
        length = room;
        while (length > 0 && ((guint8)text[length] & 0xC0) == 0x80)
            length--;
    }
    memcpy(label->text + label->used, text, length);
    label->used += length;
    label->text[label->used] = '\0';
}

static inline void label_add_uint(siptxn_label *label, guint32 value)
{
    char digits[11];
    digits[siptxn_write_decimal(digits, value)] = '\0';
    label_add(label, digits);
}

#endif /* SIPTXN_LABEL_H */
