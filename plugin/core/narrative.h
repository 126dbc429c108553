/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.h: one or two plain sentences telling a learner what a SIP message
 * does in its transaction and why, with the RFC section, in English or Russian. */
#ifndef SIPTXN_NARRATIVE_H
#define SIPTXN_NARRATIVE_H

#include <glib.h>

#include "catalog.h"
#include "transaction.h"

/* What the narrative is about: the engine's verdict plus the message's identity. */
typedef struct {
    const message_result *result;
    guint32     frame;          /* the message's frame */
    gboolean    is_request;
    const char *method;         /* request method */
    guint       status_code;    /* response status code */
    const char *branch;         /* top Via branch, may be NULL */
} narrative_subject;

/* Replaces text's content with the narrative; language must be English or Russian. */
void narrative_write(GString *text, const narrative_subject *subject, siptxn_language language);

#endif /* SIPTXN_NARRATIVE_H */
