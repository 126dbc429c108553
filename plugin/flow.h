/* SPDX-License-Identifier: GPL-2.0-or-later */
/* flow.h: the "SIP Transactions" flow graph. */
#ifndef SIPTXN_FLOW_H
#define SIPTXN_FLOW_H

/* Registers the sequence analysis; call from proto_register_siptxn(). */
void register_siptxn_flow(void);

#endif /* SIPTXN_FLOW_H */
