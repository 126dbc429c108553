/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reason.h: reason-phrase explanations in the tree, and the user phrase table. */
#ifndef SIPTXN_REASON_H
#define SIPTXN_REASON_H

#include <epan/packet.h>

#include "message_store.h"

/* Adds the "Reason phrase" subtree of a response (RFC 3261 §21, RFC 3326). */
void render_reason(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const stored_message *message);

/* Resolves the "Explanation language" preference (Automatic: the locale). */
void reason_choose_language(void);

/* The language chosen for this capture: English or Russian. */
int reason_language(void);

/* Registers the "SIP reason phrases" UAT in the siptxn preferences module. */
void reason_register_user_table(module_t *siptxn_module);

#endif /* SIPTXN_REASON_H */
