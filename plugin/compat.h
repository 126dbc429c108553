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

/* 4.4 registers a stats tree, then sets its menu group (stats_tree_set_group),
 * and calls the Telephony group REGISTER_TELEPHONY_GROUP_UNSORTED; 4.0 does both
 * in stats_tree_register_with_group() with REGISTER_STAT_GROUP_TELEPHONY. */
#include <epan/stats_tree.h>
static inline void siptxn_register_telephony_stats_tree(const char *tapname, const char *abbr, const char *name,
                                                        stat_tree_packet_cb packet, stat_tree_init_cb init)
{
#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
    stats_tree_cfg *tree = stats_tree_register_plugin(tapname, abbr, name, 0, packet, init, NULL);
    stats_tree_set_group(tree, REGISTER_TELEPHONY_GROUP_UNSORTED);
#else
    stats_tree_register_with_group(tapname, abbr, name, 0, packet, init, NULL, REGISTER_STAT_GROUP_TELEPHONY);
#endif
}

/* The Telephony menu group of a stat_tap_ui (tshark -z, Statistics menus):
 * REGISTER_TELEPHONY_GROUP_UNSORTED from 4.4 on. */
#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
#define SIPTXN_STAT_GROUP_TELEPHONY REGISTER_TELEPHONY_GROUP_UNSORTED
#else
#define SIPTXN_STAT_GROUP_TELEPHONY REGISTER_STAT_GROUP_TELEPHONY
#endif

/* 4.4's heuristic dissectors return bool, 4.0's gboolean. */
#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool siptxn_heur_result;
#else
typedef gboolean siptxn_heur_result;
#endif

/* Sequence analysis (Statistics -> Flow Graph, tshark -z flow,NAME): libwireshark
 * exports it, but wireshark-dev does not ship epan/sequence_analysis.h (Debian 12's
 * 4.0 nor Debian 13's 4.4).  Where the header is missing, the declarations below
 * are those of that header: Wireshark 4.0.17's, and from 4.4 on the same with
 * bool flags (has_color_filter, display, any_addr), which moves every item field
 * after bg_color.  siptxn fills the items the library allocates, so the layout
 * up to line_style must be the library's own. */
#if __has_include(<epan/sequence_analysis.h>)
#include <epan/sequence_analysis.h>
#else
#include <epan/address.h>
#include <epan/packet_info.h>
#include <epan/tap.h>

#define MAX_NUM_NODES 40

#if SIPTXN_WIRESHARK_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool siptxn_sequence_flag;
#else
typedef gboolean siptxn_sequence_flag;
#endif

typedef struct _seq_analysis_item {
    guint32 frame_number;
    address src_addr;
    guint16 port_src;
    address dst_addr;
    guint16 port_dst;
    gchar *frame_label;                 /* the label on top of the arrow */
    gchar *time_str;                    /* timestamp */
    gchar *comment;                     /* a comment that appears at the right of the graph */
    guint16 conv_num;                   /* the conversation number, used for colouring */
    unsigned fg_color;                  /* foreground color, 0xRRGGBB (Qt only) */
    unsigned bg_color;                  /* background color, 0xRRGGBB (Qt only) */
    siptxn_sequence_flag has_color_filter; /* set if packet has color filter (Qt only) */
    siptxn_sequence_flag display;       /* whether the packet is displayed in the graph */
    guint src_node;                     /* the node (column) of the source */
    guint dst_node;                     /* the node (column) of the destination */
    guint16 line_style;                 /* the arrow line width in pixels */
    guint32 info_type;                  /* type of info for item */
    gpointer info_ptr;                  /* ptr to info for item */
    /* 4.4 adds a callback freeing info_ptr here; the library allocates the items. */
} seq_analysis_item_t;

typedef struct _seq_analysis_info {
    const char *name;                   /* name of sequence analysis */
    siptxn_sequence_flag any_addr;      /* any addr (DL+net) vs net-only */
    int nconv;                          /* number of conversations in the list */
    GQueue *items;                      /* list of seq_analysis_item_t */
    GHashTable *ht;                     /* hash table of seq_analysis_item_t */
    address nodes[MAX_NUM_NODES];       /* horizontal node list */
    /* then the node count (4.4: after an occurrence list); not used here */
} seq_analysis_info_t;

WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, guint tap_flags, tap_packet_cb tap_func);
WS_DLL_PUBLIC seq_analysis_item_t *sequence_analysis_create_sai_with_addresses(packet_info *pinfo,
                                                                               seq_analysis_info_t *sainfo);
#endif

#endif /* SIPTXN_COMPAT_H */
