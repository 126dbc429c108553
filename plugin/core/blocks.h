/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blocks.h: zeroed memory for small records that live as long as a capture,
 * carved from 64 KiB blocks and freed all at once.  Records never move, so
 * pointers to them stay valid.  Plain C + GLib. */
#ifndef SIPTXN_BLOCKS_H
#define SIPTXN_BLOCKS_H

#include <glib.h>

typedef struct {
    GPtrArray *blocks;        /* the blocks, the last one being carved */
    gsize      free;          /* bytes left in the last block */
} block_allocator;

void block_allocator_init(block_allocator *allocator);
/* Frees every block: every record handed out is gone. */
void block_allocator_clear(block_allocator *allocator);
/* size bytes, zeroed, 8-byte aligned (records over 16 KiB get a block of their own). */
gpointer block_alloc0(block_allocator *allocator, gsize size);

#endif /* SIPTXN_BLOCKS_H */
