/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kpi_tap.h: tshark -z siptxn,kpi, the RFC 6076 metrics (plugin/kpi.c; the metrics: core/kpi.h). */
#ifndef SIPTXN_KPI_TAP_H
#define SIPTXN_KPI_TAP_H

/* Registers -z siptxn,kpi; call from proto_register_siptxn(). */
void register_siptxn_kpi(void);

#endif /* SIPTXN_KPI_TAP_H */
