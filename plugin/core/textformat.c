/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textformat.c: %u, %s and %% without printf.  See textformat.h. */

#include <string.h>

#include "decimal.h"
#include "textformat.h"

void text_append_vformat(GString *text, const char *format, va_list arguments)
{
    const char *cursor = format;
    for (;;) {
        const char *percent = strchr(cursor, '%');
        if (!percent) {
            g_string_append(text, cursor);
            return;
        }
        g_string_append_len(text, cursor, percent - cursor);
        switch (percent[1]) {
        case 'u': {
            char digits[10];
            g_string_append_len(text, digits, (gssize)siptxn_write_decimal(digits, va_arg(arguments, guint)));
            cursor = percent + 2;
            break;
        }
        case 's': {
            const char *value = va_arg(arguments, const char *);
            g_string_append(text, value ? value : "(null)");
            cursor = percent + 2;
            break;
        }
        case '%':
            g_string_append_c(text, '%');
            cursor = percent + 2;
            break;
        case '\0':
            g_string_append_c(text, '%');
            return;
        default:
            g_string_append_c(text, '%');
            cursor = percent + 1;
            break;
        }
    }
}

void text_append_format(GString *text, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    text_append_vformat(text, format, arguments);
    va_end(arguments);
}

void text_append_host_port(GString *text, const char *host, guint port, gboolean lower_case)
{
    gsize start = text->len;
    g_string_append(text, host ? host : "");
    if (lower_case)
        for (gsize i = start; i < text->len; i++)
            text->str[i] = g_ascii_tolower(text->str[i]);
    if (port)
        text_append_format(text, ":%u", port);
}

const char *text_thousandths(char *buffer, gsize size, gint64 value, gint64 unit, gboolean decimal_comma)
{
    g_snprintf(buffer, (gulong)size, "%.3f", unit > 0 ? (double)value / (double)unit : 0.0);
    if (decimal_comma)
        for (char *at = buffer; *at; at++)
            if (*at == '.')
                *at = ',';
    return buffer;
}
