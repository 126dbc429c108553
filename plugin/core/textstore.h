/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textstore.h: the engine's texts (Call-IDs, hosts, URIs, branches, tags).
 *
 * Texts are copied into 64 KiB chunks and live as long as the store.  Interned
 * texts are also indexed, so equal texts share one copy: an open-addressing
 * table of 8-byte slots (a 32-bit hash and a 32-bit reference into the
 * chunks), which is smaller than a GHashTable of pointers and finds a text
 * with one probe array and one comparison.  Plain C + GLib.
 */
#ifndef SIPTXN_TEXTSTORE_H
#define SIPTXN_TEXTSTORE_H

#include <string.h>

#include <glib.h>

typedef struct text_store text_store;

#define TEXT_HASH_SEED G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)
/* ORed into every word by text_hash_bytes(): hashes ASCII letters without case
 * (texts equal ignoring case are equal with that bit set in every byte). */
#define TEXT_HASH_FOLD_CASE G_GUINT64_CONSTANT(0x2020202020202020)

/* Hashes `length` bytes of text eight at a time, on from `hash` (a seed or an
 * earlier hash): the texts here are 10 to 100 bytes long.  `fold` is ORed into
 * every word, 0 for an exact hash. */
static inline guint64 text_hash_bytes(guint64 hash, const char *text, gsize length, guint64 fold)
{
    hash ^= length;
    gsize at = 0;
    for (; at + 8 <= length; at += 8) {
        guint64 word;
        memcpy(&word, text + at, 8);
        hash = (hash ^ (word | fold)) * G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
        hash ^= hash >> 32;
    }
    guint64 tail = 0;
    memcpy(&tail, text + at, length - at);
    hash = (hash ^ (tail | fold)) * G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
    return hash ^ (hash >> 29);
}

text_store *text_store_new(void);
void text_store_free(text_store *store);

/* The store's copy of text, the same one for equal texts (NULL for NULL). */
const char *text_store_intern(text_store *store, const char *text);

/* A copy of text of its own, never shared (NULL for NULL): for texts that are
 * unique anyway and only compared as text. */
const char *text_store_copy(text_store *store, const char *text);

/* How many distinct texts were interned. */
guint32 text_store_interned(const text_store *store);

#endif /* SIPTXN_TEXTSTORE_H */
