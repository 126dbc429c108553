/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blocks.c: see blocks.h. */

#include "blocks.h"

#define BLOCK_SIZE (64 * 1024)

void block_allocator_init(block_allocator *allocator)
{
    allocator->blocks = g_ptr_array_new_with_free_func(g_free);
    allocator->free = 0;
}

void block_allocator_clear(block_allocator *allocator)
{
    if (allocator->blocks)
        g_ptr_array_free(allocator->blocks, TRUE);
    allocator->blocks = NULL;
    allocator->free = 0;
}

gpointer block_alloc0(block_allocator *allocator, gsize size)
{
    size = (size + 7) & ~(gsize)7;
    /* A large record gets a block of its own, kept before the block being carved. */
    if (size > BLOCK_SIZE / 4) {
        gpointer memory = g_malloc0(size);
        g_ptr_array_insert(allocator->blocks, allocator->blocks->len ? (gint)allocator->blocks->len - 1 : 0,
                           memory);
        return memory;
    }
    if (allocator->free < size) {
        g_ptr_array_add(allocator->blocks, g_malloc0(BLOCK_SIZE));
        allocator->free = BLOCK_SIZE;
    }
    guint8 *block = g_ptr_array_index(allocator->blocks, allocator->blocks->len - 1);
    gpointer memory = block + BLOCK_SIZE - allocator->free;
    allocator->free -= size;
    return memory;
}
