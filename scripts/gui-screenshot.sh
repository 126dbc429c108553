#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gui-screenshot.sh: opens a capture in the real Wireshark GUI with siptxn on a
# virtual X display, selects a frame, expands the siptxn tree and saves a PNG;
# with --flow-graph, opens the "SIP Transactions" flow graph instead.
#
# Usage: scripts/gui-screenshot.sh [options] [CAPTURE] [FRAME] [OUTPUT.png]
#   CAPTURE      default test-captures/invite-486.pcapng
#                (with --flow-graph: test-captures/proxy-call-three-hosts.pcapng)
#   FRAME        the frame to select (wireshark -g), default 5 (the ACK there)
#                (with --flow-graph: 1)
#   OUTPUT.png   default siptxn-gui.png in the current folder
#                (with --flow-graph: flow-graph.png, the Flow Graph window alone)
# Options:
#   --plugin PATH    use this siptxn.so instead of building one into build/
#   --log-dir DIR    keep Wireshark's log and the evidence files here (created);
#                    without it they go to a temporary folder, removed on success
#   --size WxH       screen and window size, default 1600x1000
#   --list-height N  height of the packet list in pixels, default 22% of the screen
#   --timeout S      how long to wait for Wireshark's window, default 60 seconds
#   --colorfilters F colouring rules to put before Wireshark's default ones
#                    (e.g. plugin/siptxn.colorfilters)
#   --flow-graph     instead of expanding the tree: Statistics -> Flow Graph,
#                    Flow type "SIP Transactions", a screenshot of that window,
#                    and the diagram saved as text with the window's Export button
#   --png-width N    a small OUTPUT.png for documentation: scaled to N pixels
#                    wide, 256 colours; default: as on the screen
#
# Missing Debian packages (wireshark, xvfb, xdotool, x11-apps, netpbm, ...) are
# installed with apt-get (as root, or through sudo).  Wireshark runs through
# scripts/run-tshark.sh --program wireshark: a fresh temporary home and profile
# with the plugin alone, and as root the unprivileged user "nobody", because a
# privileged Wireshark ignores WIRESHARK_PLUGIN_DIR.
#
# Evidence written to the log folder:
#   wireshark.log        Wireshark's standard output and error
#   siptxn-maps.txt      the lines of /proc/PID/maps of the Wireshark process that
#                        map siptxn.so: the proof that the GUI loaded the plugin
#   before-expand.png    the window before the siptxn tree was expanded
#   flow-default.png     (--flow-graph) the Flow Graph window as it opens, with
#                        Wireshark's default flow type
#   flow-graph.txt       (--flow-graph) the diagram as the window's Export button
#                        saves it in the format "ASCII (*.txt)"
#   result.txt           key=value lines: wireshark_pid, plugin, screenshot, ...
# Exits 0 on success, non-zero with a message on stderr otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

say() { printf 'gui-screenshot: %s\n' "$*" >&2; }
die() { printf 'gui-screenshot: error: %s\n' "$*" >&2; exit 1; }

plugin=""
log_dir=""
size=1600x1000
list_height=""
window_timeout=60
colorfilters=""
flow_graph=0
png_width=""
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --plugin) [ $# -ge 2 ] || die "--plugin needs a path"; plugin=$2; shift 2 ;;
        --plugin=*) plugin=${1#*=}; shift ;;
        --log-dir) [ $# -ge 2 ] || die "--log-dir needs a folder"; log_dir=$2; shift 2 ;;
        --log-dir=*) log_dir=${1#*=}; shift ;;
        --size) [ $# -ge 2 ] || die "--size needs WxH"; size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        --list-height) [ $# -ge 2 ] || die "--list-height needs pixels"; list_height=$2; shift 2 ;;
        --list-height=*) list_height=${1#*=}; shift ;;
        --timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; window_timeout=$2; shift 2 ;;
        --timeout=*) window_timeout=${1#*=}; shift ;;
        --colorfilters) [ $# -ge 2 ] || die "--colorfilters needs a file"; colorfilters=$2; shift 2 ;;
        --colorfilters=*) colorfilters=${1#*=}; shift ;;
        --flow-graph) flow_graph=1; shift ;;
        --png-width) [ $# -ge 2 ] || die "--png-width needs pixels"; png_width=$2; shift 2 ;;
        --png-width=*) png_width=${1#*=}; shift ;;
        -h|--help) sed -n '3,/^# Exits/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; positional+=("$@"); break ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ ${#positional[@]} -le 3 ] || die "too many arguments (see --help)"
if [ "$flow_graph" = 1 ]; then
    capture=${positional[0]:-$SIPTXN_ROOT/test-captures/proxy-call-three-hosts.pcapng}
    frame=${positional[1]:-1}
    output=${positional[2]:-$PWD/flow-graph.png}
else
    capture=${positional[0]:-$SIPTXN_ROOT/test-captures/invite-486.pcapng}
    frame=${positional[1]:-5}
    output=${positional[2]:-$PWD/siptxn-gui.png}
fi

[[ "$size" =~ ^([0-9]+)x([0-9]+)$ ]] || die "--size must look like 1600x1000, not '$size'"
screen_width=${BASH_REMATCH[1]}
screen_height=${BASH_REMATCH[2]}
if [ "$screen_width" -lt 800 ] || [ "$screen_height" -lt 600 ]; then
    die "--size must be at least 800x600"
fi
list_height=${list_height:-$((screen_height * 22 / 100))}
[[ "$list_height" =~ ^[0-9]+$ ]] || die "--list-height must be a number of pixels"
[[ "$frame" =~ ^[1-9][0-9]*$ ]] || die "FRAME must be a frame number, not '$frame'"
[[ "$window_timeout" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a number of seconds"
if [ -n "$png_width" ]; then
    [[ "$png_width" =~ ^[1-9][0-9]*$ ]] || die "--png-width must be a number of pixels"
    [ "$png_width" -le "$screen_width" ] || die "--png-width must not be wider than the screen ($screen_width)"
fi
[ -r "$capture" ] || die "cannot read capture '$capture'"
[ -z "$colorfilters" ] || [ -r "$colorfilters" ] || die "cannot read colouring rules '$colorfilters'"
case "$output" in *.png) ;; *) die "OUTPUT must end in .png, not '$output'" ;; esac
output_dir=$(dirname "$output")
if [ ! -d "$output_dir" ] || [ ! -w "$output_dir" ]; then
    die "cannot write into '$output_dir'"
fi

siptxn_install_packages wireshark xvfb xdotool x11-apps netpbm fonts-dejavu-core util-linux

if [ -z "$plugin" ]; then
    siptxn_install_build_dependencies
    say "building siptxn into $SIPTXN_BUILD"
    cmake -S "$SIPTXN_ROOT" -B "$SIPTXN_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
        die "cmake could not configure $SIPTXN_BUILD: see the messages above"
    cmake --build "$SIPTXN_BUILD" -j "$(nproc)" --target siptxn >/dev/null ||
        die "the build failed: run 'cmake --build $SIPTXN_BUILD --target siptxn' to see why"
    plugin=$SIPTXN_BUILD/siptxn.so
fi
[ -r "$plugin" ] || die "plugin '$plugin' not found"

# Wireshark selects the first frame when -g names one past the end: refuse that here.
frames=$(capinfos -M -T -r -c "$capture" 2>/dev/null | awk -F'\t' 'NR == 1 {print $NF}' || true)
[[ "$frames" =~ ^[0-9]+$ ]] || die "capinfos cannot read '$capture': is it a capture file?"
[ "$frame" -le "$frames" ] || die "'$capture' has $frames frames: there is no frame $frame"

version=$(wireshark --version 2>/dev/null | sed -n '1s/^Wireshark \([0-9]\+\.[0-9]\+\)\..*/\1/p')
[ -n "$version" ] || die "cannot run 'wireshark --version': is wireshark (the Qt program) installed?"

work=$(mktemp -d /tmp/siptxn-gui.XXXXXX)
chmod 755 "$work"  # the unprivileged user must reach the home folder inside
keep_logs=0
if [ -n "$log_dir" ]; then
    mkdir -p "$log_dir" || die "cannot create '$log_dir'"
    log_dir=$(cd "$log_dir" && pwd)
    keep_logs=1
else
    log_dir=$work/logs
    mkdir -p "$log_dir"
fi
rm -f "$log_dir"/wireshark.log "$log_dir"/xvfb.log "$log_dir"/siptxn-maps.txt "$log_dir"/before-expand.png \
    "$log_dir"/timeout-screen.png "$log_dir"/flow-default.png "$log_dir"/flow-graph.txt "$log_dir"/result.txt

xvfb_pid=""
wireshark_pid=""
succeeded=0
stop_process_group() {  # PID: TERM, then KILL after 5 s, to the whole group
    local pid=$1
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "$wireshark_pid" ] && stop_process_group "$wireshark_pid"
    [ -n "$xvfb_pid" ] && stop_process_group "$xvfb_pid"
    if [ "$keep_logs" = 0 ] && [ "$succeeded" = 1 ]; then
        rm -rf "$work"
    else
        if [ "$keep_logs" = 0 ]; then
            say "logs kept in $log_dir"
        fi
        rm -rf "${work:?}/home"
        [ "$keep_logs" = 1 ] && rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A profile laid out for the shot: packet list on top, packet details below it,
# no bytes pane.  run-tshark.sh puts it, the plugin and a copy of the capture
# into a throw-away home folder.
home=$work/home
config=$work/profile
mkdir -p "$home" "$config"
home=$(cd "$home" && pwd -P)
capture_name=$(basename "$capture")
cat > "$config/preferences" <<EOF
# Profile for gui-screenshot.sh: three panes stacked, list then details then bytes.
gui.layout_type: 1
gui.layout_content_1: PLIST
gui.layout_content_2: PDETAILS
gui.layout_content_3: PBYTES
gui.packet_list_show_related: TRUE
gui.packet_list_show_minimap: TRUE
gui.ask_unsaved: FALSE
EOF
cat > "$config/recent_common" <<EOF
# Window placement for gui-screenshot.sh: the whole virtual screen.
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $screen_width
gui.geometry_main_height: $screen_height
gui.geometry_main_maximized: FALSE
EOF
cat > "$config/recent" <<EOF
# Pane sizes for gui-screenshot.sh: no bytes pane, the details get the rest.
gui.byte_view_show: FALSE
gui.packet_list_show: TRUE
gui.tree_view_show: TRUE
gui.geometry_main_upper_pane: $list_height
gui.geometry_main_lower_pane: $((screen_height - list_height))
EOF
if [ -n "$colorfilters" ]; then
    # A personal colorfilters file replaces the global one: keep the defaults after ours.
    cat "$colorfilters" > "$config/colorfilters"
    global_rules=$(tshark -G folders 2>/dev/null | sed -n 's/^Global configuration:[[:space:]]*//p' || true)
    global_rules=${global_rules:-/usr/share/wireshark}
    if [ -n "$global_rules" ] && [ -r "$global_rules/colorfilters" ]; then
        grep -v '^#' "$global_rules/colorfilters" >> "$config/colorfilters" || true
    fi
fi

# Xvfb picks a free display number and writes it to the descriptor it is given.
display_file=$work/display
: > "$display_file"
setsid Xvfb -displayfd 3 -screen 0 "${screen_width}x${screen_height}x24" -nolisten tcp -ac \
    3>"$display_file" >"$log_dir/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
    grep -q '^[0-9]\+$' "$display_file" 2>/dev/null && break
    kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb exited at once: see $log_dir/xvfb.log"
    sleep 0.1
done
grep -q '^[0-9]\+$' "$display_file" || die "Xvfb did not report a display within 10 s"
DISPLAY=:$(head -n 1 "$display_file")
export DISPLAY
say "Xvfb is on display $DISPLAY (${screen_width}x${screen_height})"

# With --home, run-tshark.sh becomes Wireshark: $! is Wireshark's process id.
setsid "$SIPTXN_ROOT/scripts/run-tshark.sh" --program wireshark --home "$home" --profile "$config" \
    --clean-environment --env DISPLAY="$DISPLAY" --env NO_AT_BRIDGE=1 --env QT_ACCESSIBILITY=0 \
    "$plugin" -r "$capture" -g "$frame" >"$log_dir/wireshark.log" 2>&1 &
wireshark_pid=$!
say "Wireshark started, pid $wireshark_pid"

shown_windows() {  # the names of the windows on the screen, separated by "|"
    timeout 10 xdotool search --onlyvisible --name . 2>/dev/null | while read -r id; do
        timeout 10 xdotool getwindowname "$id" 2>/dev/null; done | sort -u | paste -sd '|' - || true
}

# The main window's title is the capture's name once the file is open.
title_pattern=$(printf '%s' "$capture_name" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
window=""
deadline=$((SECONDS + window_timeout))
while [ $SECONDS -lt $deadline ]; do
    kill -0 "$wireshark_pid" 2>/dev/null ||
        die "Wireshark exited before its window appeared: see $log_dir/wireshark.log"
    window=$(timeout 10 xdotool search --onlyvisible --name "^$title_pattern" 2>/dev/null | head -n 1 || true)
    [ -n "$window" ] && break
    sleep 0.5
done
if [ -z "$window" ]; then
    # Keep what was on the screen instead (a dialog, say) and name the windows shown.
    timeout 20 xwd -root -silent 2>/dev/null | xwdtopnm 2>/dev/null |
        pnmtopng >"$log_dir/timeout-screen.png" 2>/dev/null || true
    shown=$(shown_windows)
    die "no Wireshark window titled '$capture_name' within ${window_timeout} s" \
        "(windows shown: ${shown:-none}): see $log_dir/wireshark.log and $log_dir/timeout-screen.png"
fi

# The proof that this very process loaded the plugin: siptxn.so in its memory map.
grep -F "$home/plugins/$version/epan/" "/proc/$wireshark_pid/maps" >"$log_dir/siptxn-maps.txt" ||
    die "Wireshark (pid $wireshark_pid) did not map siptxn.so: see $log_dir/wireshark.log"
say "siptxn.so is mapped in Wireshark's memory"

snapshot() {  # FILE.pnm: the whole screen
    timeout 20 xwd -root -silent | xwdtopnm 2>/dev/null >"$1.tmp" && mv "$1.tmp" "$1"
}
wait_until_still() {  # waits until two screenshots half a second apart are equal (at most 20 s)
    local previous=$work/still-a.pnm current=$work/still-b.pnm
    snapshot "$previous" || die "cannot take a screenshot of $DISPLAY"
    for _ in $(seq 40); do
        sleep 0.5
        snapshot "$current" || die "cannot take a screenshot of $DISPLAY"
        cmp -s "$previous" "$current" && return 0
        mv "$current" "$previous"
    done
    die "the Wireshark window kept changing for 20 s"
}
wait_for_window() {  # REGEX SECONDS: prints the id of a window shown whose name matches
    local found deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$wireshark_pid" 2>/dev/null || die "Wireshark exited: see $log_dir/wireshark.log"
        found=$(timeout 10 xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1 || true)
        [ -n "$found" ] && { echo "$found"; return 0; }
        sleep 0.3
    done
    return 1
}
save_png() {  # IMAGE.pnm OUTPUT.png: with --png-width, scaled and reduced to 256 colours
    if [ -n "$png_width" ]; then
        pamscale -width "$png_width" "$1" 2>/dev/null | pnmquant 256 2>/dev/null |
            pnmtopng -compression 9 >"$2.tmp" 2>/dev/null || die "cannot scale the screenshot to $png_width pixels"
    else
        pnmtopng <"$1" >"$2.tmp" 2>/dev/null || die "pnmtopng failed"
    fi
    mv "$2.tmp" "$2"
}
crop_to_window() {  # SCREEN.pnm WINDOW OUTPUT.pnm: the part of the screen the window covers
    local geometry left top width height
    geometry=$(timeout 10 xdotool getwindowgeometry --shell "$2") || die "cannot read the geometry of window $2"
    left=$(sed -n 's/^X=//p' <<<"$geometry")
    top=$(sed -n 's/^Y=//p' <<<"$geometry")
    width=$(sed -n 's/^WIDTH=//p' <<<"$geometry")
    height=$(sed -n 's/^HEIGHT=//p' <<<"$geometry")
    if [ -z "$left" ] || [ -z "$top" ] || [ -z "$width" ] || [ -z "$height" ]; then
        die "cannot read the geometry of window $2"
    fi
    pnmcut -left "$left" -top "$top" -width "$width" -height "$height" "$1" >"$3" 2>/dev/null ||
        die "cannot cut window $2 out of the screenshot"
}

# Expand the siptxn tree from the keyboard: the X input focus to the window, a
# click into the empty lower part of the details pane to focus it, collapse all
# (Ctrl+Left), Home, End (the last top-level item: the post-dissector's), and
# Shift+Right ("Expand Subtrees").  The pointer then goes to the empty right end
# of the menu bar, where it shows no tooltip.
expand_siptxn_tree() {
    wait_until_still
    pnmtopng <"$work/still-b.pnm" >"$log_dir/before-expand.png" 2>/dev/null ||
        die "pnmtopng failed"
    cp "$work/still-b.pnm" "$work/before.pnm"
    eval "$(timeout 10 xdotool getwindowgeometry --shell "$window")"
    if [ -z "${WIDTH:-}" ] || [ -z "${HEIGHT:-}" ]; then
        die "cannot read the geometry of window $window"
    fi
    timeout 10 xdotool windowfocus --sync "$window" || die "cannot give the input focus to Wireshark"
    timeout 10 xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT - 60)) click 1
    sleep 0.3
    for key in ctrl+Left Home End shift+Right; do
        timeout 10 xdotool key "$key"
        sleep 0.3
    done
    timeout 10 xdotool mousemove $((X + WIDTH - 5)) $((Y + 8))
    wait_until_still
    cmp -s "$work/before.pnm" "$work/still-b.pnm" &&
        die "expanding the siptxn tree changed nothing on the screen"
    kill -0 "$wireshark_pid" 2>/dev/null || die "Wireshark exited while the tree was expanded: see $log_dir/wireshark.log"
    save_png "$work/still-b.pnm" "$output"
}

# Wireshark 4.0's Statistics menu from its first item: Capture File Properties,
# Resolved Addresses, Protocol Hierarchy, Conversations, Endpoints, Packet
# Lengths, I/O Graphs, Service Response Time, the dissectors' own entries (DHCP
# (BOOTP) Statistics, NetPerfMeter Statistics, ONC-RPC Programs), 29West, ANCP,
# BACnet, Collectd, DNS, Flow Graph.  "Flow Graph" has no mnemonic and a Qt
# menu does not search as one types, so the keyboard walks down to it; the
# title of the window that opens tells whether it was the right item.  Other
# releases list other items before it: then the neighbouring counts are tried,
# each wrong window closed again.
FLOW_GRAPH_MENU_STEPS=16
FLOW_GRAPH_MENU_TRIES="16 15 17 14 18 13 19 12 20 21 22 11 10 23 24"
FLOW_TYPE="SIP Transactions"

# Opens Statistics, item steps + 1; prints the Flow Graph window's id if that opened it.
open_statistics_item() {  # STEPS
    local opened
    timeout 10 xdotool windowfocus --sync "$window" || die "cannot give the input focus to Wireshark"
    # Alt+S opens "&Statistics", whose first item is then selected.
    timeout 10 xdotool key alt+s
    sleep 0.5
    for _ in $(seq "$1"); do
        timeout 10 xdotool key Down
    done
    timeout 10 xdotool key Return
    wait_for_window "^Wireshark · Flow · $title_pattern\$" 8 && return 0
    # Another dialog of this capture (or a submenu, which Escape closes): close it.
    timeout 10 xdotool key Escape
    for opened in $(timeout 10 xdotool search --onlyvisible --name "^Wireshark · .* · $title_pattern\$" 2>/dev/null); do
        timeout 10 xdotool windowclose "$opened" 2>/dev/null || true
    done
    sleep 1
    return 1
}

# Statistics -> Flow Graph, Flow type "SIP Transactions", all from the keyboard.
show_flow_graph() {
    local dialog save_dialog exported=$home/flow-graph.txt deadline steps
    # The pointer rests in the empty lower part of the details pane, below the
    # Flow Graph window: over the diagram it would change the hint line.
    eval "$(timeout 10 xdotool getwindowgeometry --shell "$window")"
    if [ -z "${WIDTH:-}" ] || [ -z "${HEIGHT:-}" ]; then
        die "cannot read the geometry of window $window"
    fi
    timeout 10 xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT - 60))
    wait_until_still
    dialog=
    for steps in $FLOW_GRAPH_MENU_TRIES; do
        dialog=$(open_statistics_item "$steps") && break
        dialog=
    done
    [ -n "$dialog" ] ||
        die "no Statistics item among the ones tried ($FLOW_GRAPH_MENU_TRIES steps down) opened a Flow Graph" \
            "window (windows shown: $(shown_windows)): is the Statistics menu of Wireshark $version different?"
    [ "$steps" = "$FLOW_GRAPH_MENU_STEPS" ] || say "Flow Graph is Statistics item $((steps + 1)) in Wireshark $version"
    say "the Flow Graph window is open"

    # The window draws its diagram and gives it the keyboard focus: two Tabs go
    # on to "Limit to display filter", then to the "Flow type" box.  Alt+Down
    # opens the box's list, typing selects an entry by its name, Return takes it.
    wait_until_still
    crop_to_window "$work/still-b.pnm" "$dialog" "$work/window.pnm"
    pnmtopng <"$work/window.pnm" >"$log_dir/flow-default.png" 2>/dev/null || die "pnmtopng failed"
    cp "$work/still-b.pnm" "$work/flow-default.pnm"
    timeout 10 xdotool windowfocus --sync "$dialog" || die "cannot give the input focus to the Flow Graph window"
    timeout 10 xdotool key Tab Tab alt+Down
    sleep 0.5
    timeout 10 xdotool type --delay 20 "$FLOW_TYPE"
    sleep 0.3
    timeout 10 xdotool key Return
    wait_until_still
    cmp -s "$work/flow-default.pnm" "$work/still-b.pnm" &&
        die "choosing the flow type '$FLOW_TYPE' changed nothing in the Flow Graph window"
    crop_to_window "$work/still-b.pnm" "$dialog" "$work/window.pnm"
    save_png "$work/window.pnm" "$output"

    # Export (Alt+E) opens Qt's file dialog: Alt+N focuses "File name", Tab the
    # "Files of type" box, where "A" selects "ASCII (*.txt)"; then the file name.
    timeout 10 xdotool key alt+e
    save_dialog=$(wait_for_window "Save Graph As" 20) ||
        die "the Export button opened no file dialog (windows shown: $(shown_windows))"
    timeout 10 xdotool windowfocus --sync "$save_dialog" || die "cannot give the input focus to the file dialog"
    timeout 10 xdotool key alt+n Tab
    timeout 10 xdotool type A
    timeout 10 xdotool key alt+n ctrl+a
    timeout 10 xdotool type --delay 20 "$exported"
    sleep 0.3
    timeout 10 xdotool key Return
    deadline=$((SECONDS + 20))
    while [ $SECONDS -lt $deadline ]; do
        if [ -s "$exported" ] && [ -z "$(timeout 10 xdotool search --onlyvisible --name "Save Graph As" 2>/dev/null)" ]; then
            break
        fi
        sleep 0.3
    done
    [ -s "$exported" ] ||
        die "the Flow Graph window saved no diagram into $exported (windows shown: $(shown_windows))"
    cp "$exported" "$log_dir/flow-graph.txt"
    timeout 10 xdotool search --onlyvisible --name "Save Graph As" >/dev/null 2>&1 &&
        die "the file dialog stayed open after saving $exported"
    kill -0 "$wireshark_pid" 2>/dev/null || die "Wireshark exited after the export: see $log_dir/wireshark.log"
    flow_window=$dialog
    flow_window_name=$(timeout 10 xdotool getwindowname "$dialog" 2>/dev/null || true)
}

flow_window=""
flow_window_name=""
if [ "$flow_graph" = 1 ]; then
    show_flow_graph
else
    expand_siptxn_tree
fi

{
    echo "wireshark_pid=$wireshark_pid"
    echo "wireshark_version=$version"
    echo "display=$DISPLAY"
    echo "window=$window"
    echo "plugin=$plugin"
    echo "plugin_mapped=$(head -n 1 "$log_dir/siptxn-maps.txt" | awk '{print $NF}')"
    echo "capture=$capture"
    echo "frame=$frame"
    echo "screenshot=$output"
    if [ "$flow_graph" = 1 ]; then
        echo "flow_window=$flow_window"
        echo "flow_window_name=$flow_window_name"
        echo "flow_type=$FLOW_TYPE"
        echo "flow_default=$log_dir/flow-default.png"
        echo "flow_text=$log_dir/flow-graph.txt"
    fi
} >"$log_dir/result.txt"
succeeded=1
say "saved $output"
