/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_textstore.c: the engine's text store (plugin/core/textstore.c): equal
 * texts share one copy, different ones never do, through table growth, chunk
 * ends and texts longer than a chunk. */

#include <string.h>

#include <glib.h>

#include "textstore.h"

static void test_equal_texts_share_a_copy(void)
{
    text_store *store = text_store_new();
    char first[] = "a84b4c76e66710@pc33.atlanta.com";
    char second[] = "a84b4c76e66710@pc33.atlanta.com";
    const char *kept = text_store_intern(store, first);
    g_assert_true(kept != first);
    g_assert_cmpstr(kept, ==, first);
    first[0] = 'X'; /* the store keeps its own copy */
    g_assert_cmpstr(kept, ==, second);
    g_assert_true(text_store_intern(store, second) == kept);
    g_assert_true(text_store_intern(store, "a84b4c76e66710@pc33.atlanta.co") != kept);
    g_assert_true(text_store_intern(store, "") == text_store_intern(store, ""));
    g_assert_null(text_store_intern(store, NULL));
    g_assert_cmpuint(text_store_interned(store), ==, 3);
    text_store_free(store);
}

static void test_copies_are_not_shared(void)
{
    text_store *store = text_store_new();
    const char *interned = text_store_intern(store, "1928301774");
    const char *copy = text_store_copy(store, "1928301774");
    g_assert_cmpstr(copy, ==, interned);
    g_assert_true(copy != interned);
    g_assert_true(text_store_copy(store, "1928301774") != copy);
    g_assert_true(text_store_intern(store, "1928301774") == interned);
    g_assert_null(text_store_copy(store, NULL));
    g_assert_cmpuint(text_store_interned(store), ==, 1);
    text_store_free(store);
}

/* 200,000 texts fill many chunks and make the table grow many times; every
 * one is found again, and texts of every length up to 40 bytes hash apart
 * from their prefixes. */
static void test_many_texts(void)
{
    text_store *store = text_store_new();
    enum { COUNT = 200000 };
    const char **kept = g_new(const char *, COUNT);
    char text[64];
    for (guint i = 0; i < COUNT; i++) {
        g_snprintf(text, sizeof(text), "z9hG4bK-%u-%.*s", i, (int)(i % 24), "abcdefghijklmnopqrstuvwx");
        kept[i] = text_store_intern(store, text);
        g_assert_cmpstr(kept[i], ==, text);
    }
    g_assert_cmpuint(text_store_interned(store), ==, COUNT);
    for (guint i = 0; i < COUNT; i++) {
        g_snprintf(text, sizeof(text), "z9hG4bK-%u-%.*s", i, (int)(i % 24), "abcdefghijklmnopqrstuvwx");
        g_assert_true(text_store_intern(store, text) == kept[i]);
    }
    for (gsize length = 0; length <= 40; length++) {
        char prefix[41];
        memset(prefix, 'q', length);
        prefix[length] = '\0';
        const char *a = text_store_intern(store, prefix);
        g_assert_cmpuint(strlen(a), ==, length);
        g_assert_true(text_store_intern(store, prefix) == a);
    }
    g_assert_cmpuint(text_store_interned(store), ==, COUNT + 41);
    g_free(kept);
    text_store_free(store);
}

/* A text longer than a chunk gets a chunk of its own and is still shared. */
static void test_long_texts(void)
{
    text_store *store = text_store_new();
    gsize length = 3 * 65536 + 17;
    char *huge = g_malloc(length + 1);
    memset(huge, 'r', length);
    huge[length] = '\0';
    const char *small = text_store_intern(store, "before");
    const char *kept = text_store_intern(store, huge);
    g_assert_cmpuint(strlen(kept), ==, length);
    g_assert_true(text_store_intern(store, huge) == kept);
    huge[length - 1] = 's';
    g_assert_true(text_store_intern(store, huge) != kept);
    /* Exactly a chunk's worth with its NUL, and one byte less. */
    huge[65535] = '\0';
    const char *full = text_store_intern(store, huge);
    g_assert_cmpuint(strlen(full), ==, 65535);
    huge[65534] = '\0';
    const char *almost = text_store_intern(store, huge);
    g_assert_cmpuint(strlen(almost), ==, 65534);
    g_assert_true(text_store_intern(store, "before") == small);
    g_assert_true(text_store_intern(store, huge) == almost);
    g_free(huge);
    text_store_free(store);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/textstore/equal-texts-share-a-copy", test_equal_texts_share_a_copy);
    g_test_add_func("/textstore/copies-are-not-shared", test_copies_are_not_shared);
    g_test_add_func("/textstore/many-texts", test_many_texts);
    g_test_add_func("/textstore/long-texts", test_long_texts);
    return g_test_run();
}
