/* SPDX-License-Identifier: GPL-2.0-or-later */
/* textstore.c: chunked text copies and their intern index.  See textstore.h. */

#include <string.h>

#include "textstore.h"

/* A reference is chunk << 16 | offset, plus one (0: an empty slot), so a text
 * must start in the first 64 KiB of its chunk: ordinary chunks are that size,
 * and a longer text gets a chunk of its own. */
#define CHUNK_SIZE 65536u
#define CHUNKS_MAX 65535u

typedef struct {
    guint32 hash;
    guint32 reference;    /* 0: empty */
} text_slot;

struct text_store {
    GPtrArray *chunks;    /* char[CHUNK_SIZE] each, or a longer text's own */
    guint32 current;      /* index of the chunk being filled */
    gsize current_used;   /* bytes used in it (CHUNK_SIZE: none yet) */
    text_slot *slots;
    guint32 mask;         /* slots - 1, a power of two minus one; 0 before the first */
    guint32 count;
};

text_store *text_store_new(void)
{
    text_store *store = g_new0(text_store, 1);
    store->chunks = g_ptr_array_new_with_free_func(g_free);
    store->current_used = CHUNK_SIZE;
    return store;
}

void text_store_free(text_store *store)
{
    if (!store)
        return;
    g_ptr_array_free(store->chunks, TRUE);
    g_free(store->slots);
    g_free(store);
}

guint32 text_store_interned(const text_store *store)
{
    return store->count;
}

static const char *text_at(const text_store *store, guint32 reference)
{
    guint32 at = reference - 1;
    return (const char *)g_ptr_array_index(store->chunks, at >> 16) + (at & 0xffff);
}

/* Copies length bytes and a NUL; *reference (0 if it cannot be referenced: more
 * than CHUNKS_MAX chunks) says where. */
static const char *store_copy(text_store *store, const char *text, gsize length, guint32 *reference)
{
    char *copy;
    guint32 chunk;
    gsize offset;
    if (length + 1 > CHUNK_SIZE) {
        copy = g_malloc(length + 1);
        g_ptr_array_add(store->chunks, copy);
        chunk = store->chunks->len - 1;
        offset = 0;
    } else {
        if (store->current_used + length + 1 > CHUNK_SIZE) {
            g_ptr_array_add(store->chunks, g_malloc(CHUNK_SIZE));
            store->current = store->chunks->len - 1;
            store->current_used = 0;
        }
        chunk = store->current;
        offset = store->current_used;
        copy = (char *)g_ptr_array_index(store->chunks, chunk) + offset;
        store->current_used += length + 1;
    }
    memcpy(copy, text, length);
    copy[length] = '\0';
    *reference = chunk < CHUNKS_MAX ? ((chunk << 16) | (guint32)offset) + 1 : 0;
    return copy;
}

const char *text_store_copy(text_store *store, const char *text)
{
    guint32 reference;
    return text ? store_copy(store, text, strlen(text), &reference) : NULL;
}

static void grow(text_store *store)
{
    guint32 capacity = store->mask ? (store->mask + 1) * 2 : 1024;
    text_slot *slots = g_new0(text_slot, capacity);
    for (guint32 i = 0; store->mask && i <= store->mask; i++) {
        const text_slot *old = &store->slots[i];
        if (!old->reference)
            continue;
        guint32 at = old->hash & (capacity - 1);
        while (slots[at].reference)
            at = (at + 1) & (capacity - 1);
        slots[at] = *old;
    }
    g_free(store->slots);
    store->slots = slots;
    store->mask = capacity - 1;
}

const char *text_store_intern(text_store *store, const char *text)
{
    if (!text)
        return NULL;
    gsize length = strlen(text);
    guint32 hash = (guint32)text_hash_bytes(TEXT_HASH_SEED, text, length, 0);
    if (store->count + 1 > (store->mask + 1) / 4 * 3)
        grow(store);
    guint32 at = hash & store->mask;
    for (;; at = (at + 1) & store->mask) {
        text_slot *slot = &store->slots[at];
        if (!slot->reference)
            break;
        if (slot->hash == hash) {
            const char *kept = text_at(store, slot->reference);
            if (strcmp(kept, text) == 0)
                return kept;
        }
    }
    guint32 reference;
    const char *copy = store_copy(store, text, length, &reference);
    if (reference) {
        store->slots[at].hash = hash;
        store->slots[at].reference = reference;
        store->count++;
    }
    return copy;
}
