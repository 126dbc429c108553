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

#include <glib.h>

typedef struct text_store text_store;

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
