/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_textwrap.c: long text cut into lines that fit one tree label each. */

#include <string.h>

#include <glib.h>

#include "textwrap.h"

/* The lines of text, wrapped at max_characters and max_bytes, one string each. */
static GPtrArray *wrap(const char *text, gsize length, gsize max_characters, gsize max_bytes)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    gsize offset = 0, next = 0;
    for (;;) {
        gsize line = text_wrap_next(text, length, &offset, &next, max_characters, max_bytes);
        if (line == 0 && offset >= length)
            break;
        g_assert_cmpuint(next, >, offset);
        g_ptr_array_add(lines, g_strndup(text + offset, line));
        offset = next;
    }
    return lines;
}

static char *joined(GPtrArray *lines)
{
    g_ptr_array_add(lines, NULL);
    char *text = g_strjoinv(" ", (char **)lines->pdata);
    g_ptr_array_remove_index(lines, lines->len - 1);
    return text;
}

static void test_short_text_is_one_line(void)
{
    GPtrArray *lines = wrap("Timer A runs only over UDP.", 27, 100, 200);
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(lines->pdata[0], ==, "Timer A runs only over UDP.");
    g_ptr_array_unref(lines);
}

static void test_breaks_at_the_last_space_that_fits(void)
{
    const char *text = "This ACK acknowledges the 486 response in frame 4";
    GPtrArray *lines = wrap(text, strlen(text), 20, 200);
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_cmpstr(lines->pdata[0], ==, "This ACK");
    g_assert_cmpstr(lines->pdata[1], ==, "acknowledges the 486");
    g_assert_cmpstr(lines->pdata[2], ==, "response in frame 4");
    char *back = joined(lines);
    g_assert_cmpstr(back, ==, text);
    g_free(back);
    g_ptr_array_unref(lines);
}

static void test_every_line_within_both_limits(void)
{
    GString *text = g_string_new(NULL);
    for (int i = 0; i < 40; i++)
        g_string_append(text, "Этот ACK квитирует ответ 486 из кадра 4 (RFC 3261 \xC2\xA7" "17.1.1.3). ");
    GPtrArray *lines = wrap(text->str, text->len, TEXT_LINE_CHARACTERS, TEXT_LINE_BYTES);
    g_assert_cmpuint(lines->len, >, 10);
    for (guint i = 0; i < lines->len; i++) {
        const char *line = lines->pdata[i];
        g_assert_true(g_utf8_validate(line, -1, NULL));
        g_assert_cmpuint(strlen(line), <=, TEXT_LINE_BYTES);
        g_assert_cmpuint(g_utf8_strlen(line, -1), <=, TEXT_LINE_CHARACTERS);
        g_assert_cmpint(line[0], !=, ' ');
        g_assert_cmpint(line[strlen(line) - 1], !=, ' ');
    }
    char *back = joined(lines);
    g_strchomp(text->str);
    g_assert_cmpstr(back, ==, text->str);
    g_free(back);
    g_ptr_array_unref(lines);
    g_string_free(text, TRUE);
}

/* Cyrillic is two bytes a letter: the byte limit, not the character limit, ends the line. */
static void test_byte_limit_for_cyrillic(void)
{
    const char *text = "повторная передача окончательного ответа";
    GPtrArray *lines = wrap(text, strlen(text), 100, 30);
    g_assert_cmpuint(lines->len, ==, 4);
    g_assert_cmpstr(lines->pdata[0], ==, "повторная");
    g_assert_cmpstr(lines->pdata[1], ==, "передача");
    g_assert_cmpstr(lines->pdata[2], ==, "окончательного");
    g_assert_cmpstr(lines->pdata[3], ==, "ответа");
    g_ptr_array_unref(lines);
}

static void test_long_word_is_cut_between_characters(void)
{
    const char *text = "Call-ID 0123456789abcdef0123456789abcdef end";
    GPtrArray *lines = wrap(text, strlen(text), 16, 200);
    g_assert_cmpstr(lines->pdata[0], ==, "Call-ID");
    g_assert_cmpstr(lines->pdata[1], ==, "0123456789abcdef");
    g_assert_cmpstr(lines->pdata[2], ==, "0123456789abcdef");
    g_assert_cmpstr(lines->pdata[3], ==, "end");
    g_ptr_array_unref(lines);
    /* A long Cyrillic word is not cut inside a letter, whatever the byte limit. */
    const char *word = "ааааааааааааааааааааа";
    for (gsize max_bytes = 1; max_bytes < 12; max_bytes++) {
        lines = wrap(word, strlen(word), 100, max_bytes);
        GString *back = g_string_new(NULL);
        for (guint i = 0; i < lines->len; i++) {
            g_assert_true(g_utf8_validate(lines->pdata[i], -1, NULL));
            g_string_append(back, lines->pdata[i]);
        }
        g_assert_cmpstr(back->str, ==, word);
        g_string_free(back, TRUE);
        g_ptr_array_unref(lines);
    }
}

static void test_line_breaks_and_runs_of_spaces(void)
{
    const char *text = "  first   line\nsecond\n\n  third  ";
    GPtrArray *lines = wrap(text, strlen(text), 100, 200);
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_cmpstr(lines->pdata[0], ==, "first   line");
    g_assert_cmpstr(lines->pdata[1], ==, "second");
    g_assert_cmpstr(lines->pdata[2], ==, "third");
    g_ptr_array_unref(lines);
    lines = wrap("   ", 3, 100, 200);
    g_assert_cmpuint(lines->len, ==, 0);
    g_ptr_array_unref(lines);
    lines = wrap("", 0, 100, 200);
    g_assert_cmpuint(lines->len, ==, 0);
    g_ptr_array_unref(lines);
}

/* Bytes from the wire: invalid UTF-8 counts a byte a character and is never read past its end. */
static void test_invalid_utf8_is_never_overrun(void)
{
    const char text[] = { 'a', ' ', (char)0xD0, ' ', (char)0xE2, (char)0x82, ' ', 'b', (char)0xF0, (char)0x9F };
    GPtrArray *lines = wrap(text, sizeof text, 3, 200);
    gsize total = 0;
    for (guint i = 0; i < lines->len; i++)
        total += strlen(lines->pdata[i]);
    g_assert_cmpuint(total, ==, sizeof text - 2);   /* the two spaces where lines broke */
    g_ptr_array_unref(lines);
    g_assert_cmpuint(text_character_length(text + 8, 2), ==, 1);
    g_assert_cmpuint(text_character_length("\xD0\x90", 1), ==, 1);
    g_assert_cmpuint(text_character_length("\xD0\x90", 2), ==, 2);
    g_assert_cmpuint(text_character_count("\xC2\xA7" "17", 4), ==, 3);
}

/* A limit smaller than one character still moves on, one character a line. */
static void test_tiny_limits_still_progress(void)
{
    const char *text = "абв";
    GPtrArray *lines = wrap(text, strlen(text), 0, 1);
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_cmpstr(lines->pdata[2], ==, "в");
    g_ptr_array_unref(lines);
}

static void test_fits_line(void)
{
    g_assert_true(text_fits_line("абв", 6, 3, 6));
    g_assert_false(text_fits_line("абв", 6, 2, 6));
    g_assert_false(text_fits_line("абв", 6, 3, 5));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/textwrap/short-text-is-one-line", test_short_text_is_one_line);
    g_test_add_func("/textwrap/breaks-at-the-last-space-that-fits", test_breaks_at_the_last_space_that_fits);
    g_test_add_func("/textwrap/every-line-within-both-limits", test_every_line_within_both_limits);
    g_test_add_func("/textwrap/byte-limit-for-cyrillic", test_byte_limit_for_cyrillic);
    g_test_add_func("/textwrap/long-word-is-cut-between-characters", test_long_word_is_cut_between_characters);
    g_test_add_func("/textwrap/line-breaks-and-runs-of-spaces", test_line_breaks_and_runs_of_spaces);
    g_test_add_func("/textwrap/invalid-utf8-is-never-overrun", test_invalid_utf8_is_never_overrun);
    g_test_add_func("/textwrap/tiny-limits-still-progress", test_tiny_limits_still_progress);
    g_test_add_func("/textwrap/fits-line", test_fits_line);
    return g_test_run();
}
