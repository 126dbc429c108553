/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet-siptxn.h: registration entry points of the SIP Transaction Analysis post-dissector. */
#ifndef SIPTXN_PACKET_SIPTXN_H
#define SIPTXN_PACKET_SIPTXN_H

void proto_register_siptxn(void);
void proto_reg_handoff_siptxn(void);

#endif /* SIPTXN_PACKET_SIPTXN_H */
