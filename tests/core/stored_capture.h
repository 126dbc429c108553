/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stored_capture.h: a capture for the core tests: an engine and its message
 * store, as the plugin keeps them for one capture file. */
#ifndef SIPTXN_TESTS_STORED_CAPTURE_H
#define SIPTXN_TESTS_STORED_CAPTURE_H

#include <glib.h>

#include "message_builder.h"
#include "message_store.h"

typedef struct {
    engine *engine;
    message_store *store;
} capture;

static inline capture open_capture(void)
{
    capture opened = { engine_new(NULL), NULL };
    opened.store = message_store_new(opened.engine);
    return opened;
}

static inline void close_capture(capture *closed)
{
    message_store_free(closed->store);
    engine_free(closed->engine);
}

/* Matches one message alone in its frame, keeps it and returns what was kept. */
static inline const stored_message *keep(capture *into, sipmsg message)
{
    message_result result;
    engine_process(into->engine, &message, &result);
    message_store_keep_frame(into->store, message.frame, &message, &result, 1);
    guint32 first;
    g_assert_cmpuint(message_store_frame(into->store, message.frame, &first), ==, 1);
    return message_store_message(into->store, first);
}

#endif /* SIPTXN_TESTS_STORED_CAPTURE_H */
