/* SPDX-License-Identifier: GPL-2.0-or-later */
/* extract.h: the SIP messages of a frame -> one sipmsg per message. */
#ifndef SIPTXN_EXTRACT_H
#define SIPTXN_EXTRACT_H

#include <epan/packet.h>

#include "sipmsg.h"

/* Asks the epan core to prime the SIP protocol item for the post-dissector
 * (it exists once the SIP dissector registered): it marks where each message lies. */
void extract_want_fields(dissector_handle_t postdissector);

/* Fills one sipmsg per SIP message in the frame (frame: its whole data), in
 * message order, with how the capture saw the packet (sipmsg_packet).
 * Strings live in pinfo->pool.  Returns the number of messages (0: no SIP). */
guint extract_messages(tvbuff_t *frame, proto_tree *tree, packet_info *pinfo, sipmsg **messages);

#endif /* SIPTXN_EXTRACT_H */
