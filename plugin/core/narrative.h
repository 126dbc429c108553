/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.h: one or two plain sentences telling a learner what a SIP message
 * does in its transaction and why, with the RFC section, in English or Russian.
 * The sentences themselves are data: plugin/catalog/sentences.ini (sentences.h). */
#ifndef SIPTXN_NARRATIVE_H
#define SIPTXN_NARRATIVE_H

#include <glib.h>

#include "catalog.h"
#include "message_store.h"

/* Replaces text's content with the narrative of a stored message; language
 * must be English or Russian. */
void narrative_write(GString *text, const stored_message *message, siptxn_language language);

#endif /* SIPTXN_NARRATIVE_H */
