/* SPDX-License-Identifier: GPL-2.0-or-later */
/* compat.h: the few places where Wireshark's plugin API differs between 4.0 and later releases. */
#ifndef SIPTXN_COMPAT_H
#define SIPTXN_COMPAT_H

#include <ws_version.h>

#define SIPTXN_WIRESHARK_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* 4.4 turned boolean preference variables from gboolean into bool. */
#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool siptxn_pref_bool;
#else
typedef gboolean siptxn_pref_bool;
#endif

/* 4.4 turned the result of UAT update callbacks (uat_update_cb_t) from
 * gboolean into bool. */
#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
typedef bool siptxn_uat_bool;
#else
typedef gboolean siptxn_uat_bool;
#endif

/* A capture time stamp in nanoseconds, clamped to what a gint64 holds
 * (years before 1678 or after 2262 come from broken clocks). */
#include <wsutil/nstime.h>
static inline gint64 siptxn_time_ns(const nstime_t *stamp)
{
    const gint64 limit = G_GINT64_CONSTANT(4611686017); /* seconds: (2^62 - 1) / 10^9 */
    gint64 seconds = (gint64)stamp->secs;
    if (seconds > limit)
        seconds = limit;
    if (seconds < -limit)
        seconds = -limit;
    return seconds * G_GINT64_CONSTANT(1000000000) + stamp->nsecs;
}

#endif /* SIPTXN_COMPAT_H */
