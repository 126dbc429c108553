/* SPDX-License-Identifier: GPL-2.0-or-later */
/* response_times.h: the service response time table of SIP transactions. */
#ifndef SIPTXN_RESPONSE_TIMES_H
#define SIPTXN_RESPONSE_TIMES_H

/* Registers the table; call from proto_register_siptxn(). */
void register_siptxn_response_times(void);

#endif /* SIPTXN_RESPONSE_TIMES_H */
