/* SPDX-License-Identifier: GPL-2.0-or-later */
/* floor-plugin.c: the benchmark's reference post-dissector ("siptxnfloor").
 *
 * It asks for the one field siptxn asks for, the SIP protocol item, looks the
 * items up in every frame and does nothing else.  Wanting any field makes
 * tshark build a protocol tree for every frame; what that costs is the floor
 * of siptxn's design, and run F of scripts/bench.sh measures it so that the
 * plugin's own work can be told apart from it (B/F).  Not installed.
 *
 * With SIPTXNFLOOR_MODEL=BYTES:ACCESSES:INFO in the environment it also does
 * the least any transaction annotator has to do, for run G: per SIP message it
 * writes BYTES bytes of new per-capture state, reads and writes ACCESSES
 * bytes at pseudo-random places of that state (index probes, the transaction,
 * its key), and, if INFO is 1, appends a text as long as siptxn's to the Info
 * column.  It parses and matches nothing. */

#include <gmodule.h>
#include <ws_symbol_export.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/column-utils.h>

#include <stdio.h>
#include <string.h>

#include "compat.h"

#if SIPTXN_WIRESHARK_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPTXN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if SIPTXN_WIRESHARK_AT_LEAST(4, 2)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

static int proto_floor = -1;
static int hf_sip = -1;
static guint64 messages_seen;

/* Run G's model (SIPTXNFLOOR_MODEL); all zero: the plain floor. */
static guint model_bytes;
static guint model_accesses;
static guint model_info;
static guint8 *model_state;
static gsize model_used;
static gsize model_size;
static guint32 model_random = 12345;

static void model_message(packet_info *pinfo)
{
    if (model_bytes && model_used + model_bytes <= model_size) {
        memset(model_state + model_used, (int)(model_used & 0xff), model_bytes);
        model_used += model_bytes;
    }
    for (guint i = 0; i < model_accesses && model_used; i++) {
        model_random = model_random * 1103515245u + 12345u;
        model_state[((gsize)model_random * 7) % model_used] ^= 1;
    }
    if (model_info)
        col_append_str(pinfo->cinfo, COL_INFO, " [txn 12345 \xC2\xB7 final response]");
}

static int dissect_floor(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree, void *data _U_)
{
    if (!tree || hf_sip <= 0)
        return 0;
    GPtrArray *sips = proto_get_finfo_ptr_array(tree, hf_sip);
    if (sips) {
        messages_seen += sips->len;   /* the items are looked at, as siptxn looks at them */
        for (guint i = 0; i < sips->len && (model_bytes || model_accesses || model_info); i++)
            model_message(pinfo);
    }
    return 0;
}

static void proto_register_floor(void)
{
    proto_floor = proto_register_protocol("SIP Transaction Analysis benchmark floor", "SIPTXNFLOOR", "siptxnfloor");
    const char *model = g_getenv("SIPTXNFLOOR_MODEL");
    if (model && sscanf(model, "%u:%u:%u", &model_bytes, &model_accesses, &model_info) != 3) {
        g_printerr("siptxnfloor: SIPTXNFLOOR_MODEL wants BYTES:ACCESSES:INFO (e.g. 100:4:1), not '%s': "
                   "running as the plain floor\n", model);
        model_bytes = model_accesses = model_info = 0;
    }
    if (model_bytes) {
        model_size = (gsize)2 << 30;   /* reserved, not touched: the pages come as they are written */
        model_state = g_try_malloc(model_size);
        if (!model_state) {
            g_printerr("siptxnfloor: cannot reserve %" G_GSIZE_FORMAT " bytes for SIPTXNFLOOR_MODEL's state: "
                       "the model runs without state (allow overcommit, or lower BYTES)\n", model_size);
            model_bytes = model_accesses = 0;
        }
    }
}

static void proto_reg_handoff_floor(void)
{
    dissector_handle_t handle = create_dissector_handle(dissect_floor, proto_floor);
    register_postdissector(handle);
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    hf_sip = proto_registrar_get_id_byname("sip");
    if (hf_sip > 0)
        g_array_append_val(wanted, hf_sip);
    set_postdissector_wanted_hfids(handle, wanted);
}

void plugin_register(void)
{
    static proto_plugin floor_plugin;

    floor_plugin.register_protoinfo = proto_register_floor;
    floor_plugin.register_handoff = proto_reg_handoff_floor;
    proto_register_plugin(&floor_plugin);
}
