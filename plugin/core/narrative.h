/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.h: one or two plain sentences telling a learner what a SIP message
 * does in its transaction and why, with the RFC section, in English or Russian.
 * The sentences themselves are data: plugin/catalog/sentences.ini (sentences.h). */
#ifndef SIPTXN_NARRATIVE_H
#define SIPTXN_NARRATIVE_H

#include <glib.h>

#include "catalog.h"
#include "message_store.h"

/* How the narrative is told: in which language (English or Russian), and
 * with which INVITE transaction states (RFC 6026's by default, or RFC 3261's
 * as the preference chooses: engine_settings.rfc3261_states). */
typedef struct {
    siptxn_language language;
    gboolean        rfc3261_states;
} narrative_style;

/* Replaces text's content with the narrative of a stored message. */
void narrative_write(GString *text, const stored_message *message, const narrative_style *style);

#endif /* SIPTXN_NARRATIVE_H */
