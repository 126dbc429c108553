/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decimal.h: numbers as text without printf, for code that runs on every SIP
 * message (keys, the Info column, endpoints). */
#ifndef SIPTXN_DECIMAL_H
#define SIPTXN_DECIMAL_H

#include <glib.h>

/* The decimal digits of value at buffer (room for 10), without a NUL; returns their count. */
static inline gsize siptxn_write_decimal(char *buffer, guint32 value)
{
    char digits[10];
    gsize length = 0;
    do {
        digits[length++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    for (gsize i = 0; i < length; i++)
        buffer[i] = digits[length - 1 - i];
    return length;
}

#endif /* SIPTXN_DECIMAL_H */
