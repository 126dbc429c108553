/* SPDX-License-Identifier: GPL-2.0-or-later */
/* plugin.c: the entry points Wireshark's plugin loader looks for. */

#include <gmodule.h>
#include <ws_symbol_export.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "compat.h"
#include "packet-siptxn.h"
#include "stats.h"

#if SIPTXN_WIRESHARK_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPTXN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

/* The HEP v3 dissector (hep.c), declared here as Wireshark's generated plugin.c declares a dissector's. */
void proto_register_hepv3(void);
void proto_reg_handoff_hepv3(void);
#if SIPTXN_WIRESHARK_AT_LEAST(4, 2)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
{
    static proto_plugin siptxn_plugin;
    static proto_plugin hepv3_plugin;
    static tap_plugin siptxn_statistics;

    siptxn_plugin.register_protoinfo = proto_register_siptxn;
    siptxn_plugin.register_handoff = proto_reg_handoff_siptxn;
    proto_register_plugin(&siptxn_plugin);
    /* SIP inside HEP v3 packets reaches the SIP dissector, and so siptxn. */
    hepv3_plugin.register_protoinfo = proto_register_hepv3;
    hepv3_plugin.register_handoff = proto_reg_handoff_hepv3;
    proto_register_plugin(&hepv3_plugin);
    siptxn_statistics.register_tap_listener = register_siptxn_statistics;
    tap_register_plugin(&siptxn_statistics);
}
