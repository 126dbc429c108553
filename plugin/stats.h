/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.h: the "SIP Transactions" statistics tree (tshark -z siptxn,tree). */
#ifndef SIPTXN_STATS_H
#define SIPTXN_STATS_H

void register_siptxn_statistics(void);

#endif /* SIPTXN_STATS_H */
