/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_textformat.c: the narrative's small printf (plugin/core/textformat.c)
 * gives what GLib's printf gives for %u, %s and %%. */

#include <glib.h>

#include "textformat.h"

static void check_same(const char *format, guint number, const char *word, guint other)
{
    GString *ours = g_string_new("kept: ");
    text_append_format(ours, format, number, word, other);
    GString *glib = g_string_new("kept: ");
    g_string_append_printf(glib, format, number, word, other);
    g_assert_cmpstr(ours->str, ==, glib->str);
    g_string_free(ours, TRUE);
    g_string_free(glib, TRUE);
}

static void test_like_printf(void)
{
    static const guint numbers[] = { 0, 1, 9, 10, 99, 100, 486, 65535, 2147483647u, 4294967295u };
    static const char *const words[] = { "", "INVITE", "z9hG4bK-\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB2\xD1\x8C", "%u %s" };
    for (guint i = 0; i < G_N_ELEMENTS(numbers); i++)
        for (guint j = 0; j < G_N_ELEMENTS(words); j++) {
            check_same("%u", numbers[i], words[j], 7);
            check_same("Frame %u: %s then %u.", numbers[i], words[j], numbers[G_N_ELEMENTS(numbers) - 1 - i]);
            check_same("%u%s%u", numbers[i], words[j], 3);
            check_same("100%% of %u is %s (%u)", numbers[i], words[j], 0);
            check_same("\xD0\x9A\xD0\xB0\xD0\xB4\xD1\x80 %u \xE2\x80\x94 %s, %u", numbers[i], words[j], 42);
        }
}

static void test_null_string(void)
{
    GString *text = g_string_new(NULL);
    text_append_format(text, "[%s]", (const char *)NULL);
    g_assert_cmpstr(text->str, ==, "[(null)]");
    g_string_free(text, TRUE);
}

/* A conversion it does not know takes no argument, so the ones after it still
 * get theirs; a lone % at the end stays. */
static void test_unknown_conversion(void)
{
    GString *text = g_string_new(NULL);
    const char *format = "%d%u %"; /* not a literal: the compiler's format check would refuse it */
    text_append_format(text, format, 5u);
    g_assert_cmpstr(text->str, ==, "%d5 %");
    g_string_free(text, TRUE);
}

/* Three decimals of a quotient, with the decimal point or comma the language wants. */
static void test_thousandths(void)
{
    char buffer[32];
    g_assert_cmpstr(text_thousandths(buffer, sizeof buffer, 503275982, 1000000000, FALSE), ==, "0.503");
    g_assert_cmpstr(text_thousandths(buffer, sizeof buffer, 800000, 1000000, TRUE), ==, "0,800");
    g_assert_cmpstr(text_thousandths(buffer, sizeof buffer, 5, 0, FALSE), ==, "0.000");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/textformat/like-printf", test_like_printf);
    g_test_add_func("/textformat/null-string", test_null_string);
    g_test_add_func("/textformat/unknown-conversion", test_unknown_conversion);
    g_test_add_func("/textformat/thousandths", test_thousandths);
    return g_test_run();
}
