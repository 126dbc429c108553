/* SPDX-License-Identifier: GPL-2.0-or-later */
/* render.h: builds the siptxn subtree of one SIP message from its stored verdict. */
#ifndef SIPTXN_RENDER_H
#define SIPTXN_RENDER_H

#include <epan/packet.h>
#include <epan/expert.h>

#include "message_store.h"
#include "sentences.h"

/* Adds the message's subtree and expert infos; called on every pass.  Links to
 * later frames appear once those frames were analysed (second pass, GUI). */
void render_message(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const engine *matcher,
                    const stored_message *message);

/* Appends the frame's transactions and roles to the Info column, e.g.
 * "[txn 3 · ACK non-2xx]", one bracket for all the frame's messages. */
void render_info_column(packet_info *pinfo, const stored_message *const *messages, guint count);

/* Adds a generated string field.  A label longer than a line ("Narrative:
 * ...") becomes a short first line with the value's beginning, and the whole
 * value, then the note if any, as lines beneath it (textwrap.h): Wireshark cuts
 * a label at 240 bytes.  The field's value is the whole text either way; a
 * short label reads "Name: value (note)". */
proto_item *render_add_text(proto_tree *tree, int field, tvbuff_t *tvb, const char *value, const char *note);

/* Adds an expert info in the explanation language: the sentence with its
 * values (sentences.h); in English a sentence without values is the expert
 * field's registered summary. */
void render_add_expert(packet_info *pinfo, proto_item *item, expert_field *expert, sentence_id id,
                       const sentence_value *values, guint count);

/* Appends text, or when it is longer than max_characters or max_bytes its
 * beginning up to a space and an ellipsis: for labels that name a value shown
 * whole elsewhere. */
void render_append_preview(GString *label, const char *text, gsize max_characters, gsize max_bytes);

/* Whether anyone looks at the siptxn tree of this frame (shown, or a siptxn
 * field asked for); otherwise only the Info column and expert infos are made. */
gboolean render_wants_tree(proto_tree *tree);

#endif /* SIPTXN_RENDER_H */
