#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-records the real SIP captures in test-captures/ with kamailio, SIPp and
# sipsak talking over loopback inside a private network namespace (or, for
# capture-duplicates, through it: two more namespaces joined to it by veth
# pairs), and regenerates their golden tables in tests/e2e/golden/ from the
# new packets.
#
# Usage: scripts/record-captures.sh [--only NAME]... [--list] [--keep-logs]
# Needs root (network namespaces, veth, nftables, dumpcap).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REC="$ROOT/scripts/record"
OUT="$ROOT/test-captures"
NS="siptxn-rec-$$"
WORK=""
KEEP_LOGS=0
NS_CREATED=0
EXTRA_NS=()
BG_PIDS=()
CAP_PID=""

# Ports inside the namespace: 5060 is the proxy, registrar or direct UAS,
# 5061 the calling UA, 5062 and 5063 the called UAs behind a proxy.  The
# address is 127.0.0.1 unless a scenario picks another of 127.0.0.0/8, which
# the namespace's lo answers without any set-up.  capture-duplicates routes
# between 192.0.2.10 (namespace NS-a) and 198.51.100.20 (namespace NS-b).
CAP_FILTER='(udp or tcp) and (port 5060 or port 5061 or port 5062 or port 5063)'
REG_PASSWORD="secret"

# name|what it shows (also used by --list)
SCENARIOS=(
	"register-401-200|REGISTER challenged with 401, repeated with digest credentials, 200 OK (sipsak -> kamailio registrar)"
	"register-403|REGISTER with a wrong password: 401, then 403 Wrong password (sipsak -> kamailio registrar)"
	"invite-486|INVITE -> 100/180 -> 486 Busy Here -> ACK on the INVITE's branch (SIPp UAC -> SIPp UAS)"
	"invite-200-bye|INVITE -> 100/180 -> 200 -> ACK (new branch) -> BYE -> 200 (SIPp UAC -> SIPp UAS)"
	"invite-cancel-487|INVITE -> 100/180 -> CANCEL -> 200 -> 487 -> ACK (SIPp UAC -> SIPp UAS)"
	"proxy-486|486 through kamailio tm: hop-by-hop ACK on each hop (SIPp -> kamailio -> SIPp)"
	"proxy-200-bye|200 through kamailio with Record-Route: end-to-end ACK and BYE via loose routing"
	"udp-invite-timeout|INVITE retransmissions (Timer A) to a silent UAS until kamailio sends 408 upstream"
	"udp-final-retransmit|486 retransmitted (Timer G, capped at T2) because the ACK never comes (kamailio UAS)"
	"tcp-invite|INVITE -> 180 -> 200 -> ACK -> BYE -> 200 over TCP, no retransmissions (SIPp)"
	"ipv6-invite|INVITE -> 180 -> 200 -> ACK -> BYE -> 200 over UDP on ::1 (SIPp)"
	"rfc2543-invite|RFC 2543 peer: Via without branch; INVITE -> 486 -> ACK and OPTIONS -> 200 (SIPp -> kamailio)"
	"proxy-fork|kamailio forks an INVITE to two registered contacts: one answers 200, the other is CANCELled (487)"
	"reinvite|INVITE/200/ACK, re-INVITE (CSeq 2)/200/ACK, BYE/200 in one dialog (SIPp)"
	"same-branch-two-hosts|one branch from two hosts (127.0.0.2, 127.0.0.3): two INVITE -> 486 -> ACK transactions (SIPp -> kamailio)"
	"rfc2543-top-via|top Via without branch above a Via with z9hG4bK: RFC 2543 matching; INVITE -> 486 -> ACK (SIPp -> kamailio)"
	"proxy-call-three-hosts|a call through kamailio with Record-Route, one address per element (UAC 127.0.0.2, proxy 127.0.0.3, UAS 127.0.0.4)"
	"ack-final-lost|INVITE -> 100/180 -> ACK (new branch) -> BYE -> 200: the capture filter lost the 200 OK to the INVITE (SIPp UAC -> SIPp UAS)"
	"tcp-retransmission|the call of tcp-invite where TCP re-sends the segment that carries the INVITE (its first copy dropped on input) (SIPp)"
	"capture-duplicates|a call routed through the namespace, captured on both of its interfaces: every packet twice (same IP ID, TTL 64 and 63), and a real INVITE retransmission (SIPp -> router -> SIPp)"
	"prack-100rel|Require: 100rel: reliable 180 and 183 (RSeq N, N+1; the 183 re-sent after T1 and 2*T1) each PRACKed, a PRACK for RSeq N+7 answered 481, then 200/ACK/BYE (SIPp)"
	"sipp-load|a SIPp load through kamailio with a known mix: 12 calls (6 answered, 3 busy, 2 x 503, 1 x 408) and 3 challenged REGISTERs (2 x 200, 1 x 403)"
)

# SIP that arrives wrapped: in HEP, in WebSocket frames, in TLS records.
SCENARIOS+=(
	"hep-siptrace|a call through kamailio seen only as HEP v3 from its siptrace module: caller over TCP, callee over UDP"
	"sip-websocket|SIP over WebSocket (RFC 7118): REGISTER 200, OPTIONS 200, MESSAGE relayed by kamailio to the other WebSocket client, 200"
	"sip-tls|SIP over TLS to kamailio on 5061: REGISTER 200, INVITE 486 ACK; the TLS key log is in the pcapng, tshark decrypts it"
)

log() { printf '[record] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
	cat <<EOF
Usage: $0 [--only NAME]... [--list] [--keep-logs]
  --list       list the scenarios and exit
  --only NAME  record only this scenario (repeatable)
  --keep-logs  keep the working folder with the tool logs
EOF
}

list_scenarios() {
	local s
	for s in "${SCENARIOS[@]}"; do
		printf '%-22s %s\n' "${s%%|*}" "${s#*|}"
	done
}

# ---------------------------------------------------------------- setup ---

install_tools() {
	local missing=() pair cmd pkg
	for pair in kamailio:kamailio sipsak:sipsak sipp:sip-tester \
		tshark:tshark dumpcap:tshark reordercap:wireshark-common \
		ip:iproute2 nft:nftables \
		ss:iproute2 python3:python3 timeout:coreutils; do
		cmd=${pair%%:*}
		pkg=${pair#*:}
		if ! command -v "$cmd" >/dev/null 2>&1; then
			missing+=("$pkg")
		fi
	done
	# The wrapped-SIP scenarios: kamailio's WebSocket and TLS modules (no
	# command of their own), openssl for a test certificate, editcap for the
	# TLS key log.
	for pair in openssl:openssl editcap:wireshark-common; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
	done
	for pkg in kamailio-websocket-modules kamailio-tls-modules; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$pkg")
	done
	if ((${#missing[@]})); then
		log "installing: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		timeout 600 apt-get update -q
		timeout 900 apt-get install -y -q "${missing[@]}"
	fi
}

nsexec() { ip netns exec "$NS" "$@"; }

cleanup() {
	local rc=$? pid
	set +e
	if [[ -n "$CAP_PID" ]]; then
		sleep 1
		kill -TERM "$CAP_PID" 2>/dev/null
		wait "$CAP_PID" 2>/dev/null
	fi
	for pid in "${BG_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	sleep 0.3
	for pid in "${BG_PIDS[@]}"; do
		# timeout(1) leads its own process group: end what is left of it.
		kill -KILL -- "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if ((NS_CREATED)); then
		nsexec nft delete table inet siptxn_rec 2>/dev/null
		ip netns delete "$NS" 2>/dev/null
	fi
	for ns in "${EXTRA_NS[@]}"; do
		ip netns delete "$ns" 2>/dev/null
	done
	if [[ -n "$WORK" && -d "$WORK" ]]; then
		if ((KEEP_LOGS)) || ((rc != 0)); then
			log "logs kept in $WORK"
		else
			rm -rf "$WORK"
		fi
	fi
	exit "$rc"
}

setup_namespace() {
	ip netns add "$NS"
	NS_CREATED=1
	nsexec ip link set lo up
	# Wait until ::1 is usable (IPv6 DAD does not apply to lo, but be sure).
	local i
	for i in $(seq 1 50); do
		nsexec ip -6 addr show dev lo | grep -q '::1/128' && break
		sleep 0.1
	done
}

# Start a command in the namespace (BG_NS, default NS) in the background,
# bounded by timeout(1).
# bg NAME SECONDS CMD... ; sets LAST_PID
bg() {
	local name=$1 secs=$2
	shift 2
	timeout --kill-after=3 "$secs" ip netns exec "${BG_NS:-$NS}" "$@" \
		>"$WORK/$name.log" 2>&1 &
	LAST_PID=$!
	BG_PIDS+=("$LAST_PID")
}

# A reaped process is no longer ours to signal.
forget_pid() {
	local keep=() p
	for p in "${BG_PIDS[@]}"; do
		[[ $p == "$1" ]] || keep+=("$p")
	done
	BG_PIDS=("${keep[@]}")
}

# Stop a background process started with bg (TERM, then KILL its group).
stop_bg() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	forget_pid "$pid"
}

# Wait for a background process to end by itself; returns its exit status.
wait_bg() {
	local pid=$1 rc=0
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}

# wait_listen udp|tcp PORT [ADDRESS]  (in BG_NS, default NS)
wait_listen() {
	local proto=$1 port=$2 i flag
	[[ $proto == udp ]] && flag=-Hlun || flag=-Hltn
	for i in $(seq 1 100); do
		if ip netns exec "${BG_NS:-$NS}" ss $flag "sport = :$port" | grep -q .; then
			return 0
		fi
		sleep 0.05
	done
	die "nothing listens on $proto port $port"
}

start_kamailio() { # NAME CFG [kamailio -A defines...]
	local name=$1 cfg=$2
	shift 2
	local defs=() d
	for d in "$@"; do defs+=(-A "$d"); done
	timeout 10 kamailio -c -f "$REC/$cfg" "${defs[@]}" >"$WORK/$name-check.log" 2>&1 ||
		die "kamailio -c rejected $cfg (see $WORK/$name-check.log)"
	mkdir -p "$WORK/run-$name"
	bg "$name" 120 kamailio -f "$REC/$cfg" "${defs[@]}" -DD -E \
		-m 32 -M 8 -Y "$WORK/run-$name" -w "$WORK"
	KAM_PID=$LAST_PID
	wait_listen udp 5060
}

# Captures on CAP_IFACES (default lo; several names: one dumpcap, one
# interface block each, the capture filter given to each) in the namespace
# CAP_NS (default NS).
start_capture() { # NAME
	local name=$1 i iface ifaces=()
	rm -f "$WORK/$name.pcapng"
	for iface in ${CAP_IFACES:-lo}; do ifaces+=(-i "$iface" -f "$CAP_FILTER"); done
	timeout --kill-after=3 300 ip netns exec "${CAP_NS:-$NS}" dumpcap -q "${ifaces[@]}" \
		-w "$WORK/$name.pcapng" \
		>"$WORK/$name-dumpcap.log" 2>&1 &
	CAP_PID=$!
	for i in $(seq 1 100); do
		if grep -q "Capturing on" "$WORK/$name-dumpcap.log" &&
			[[ -s "$WORK/$name.pcapng" ]]; then
			sleep 0.3
			return 0
		fi
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.05
	done
	die "dumpcap did not start: $(cat "$WORK/$name-dumpcap.log")"
}

stop_capture() {
	# Give dumpcap time to read what the kernel still buffers.
	sleep 1
	kill -TERM "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
}

# SIPp must run in $WORK (it writes files into the current folder), but bg
# has to run in this shell so that its PID is known: use a wrapper.
sipp_start() { # NAME SECONDS ARGS...
	local name=$1 secs=$2
	shift 2
	pushd "$WORK" >/dev/null
	bg "$name" "$((secs + 5))" sipp -nostdin -m 1 -timeout "${secs}s" \
		-timeout_error -trace_err -error_file "$WORK/$name-errors.log" "$@"
	popd >/dev/null
}

sipp_wait() { # PID NAME
	local rc=0
	wait_bg "$1" || rc=$?
	if ((rc != 0)); then
		log "$2: sipp exit status $rc; log follows"
		tail -n 30 "$WORK/$2.log" >&2 || true
		cat "$WORK/$2-errors.log" >&2 2>/dev/null || true
		return 1
	fi
}

# Save a finished capture: check its SIP sequence, copy it to OUT and
# regenerate its golden table (it holds the recorded branches and keys).
# With REQUIRE_FILTER set, at least one frame must match that display
# filter too (what the SIP sequence alone does not show).
finish() { # NAME PATTERN
	local name=$1 pattern=$2 n
	python3 "$REC/record.py" check "$WORK/$name.pcapng" "$pattern" ||
		die "$name: capture does not show the expected sequence"
	if [[ -n "${REQUIRE_FILTER:-}" ]]; then
		n=$(tshark -r "$WORK/$name.pcapng" -Y "$REQUIRE_FILTER" 2>/dev/null | wc -l)
		((n > 0)) || die "$name: no frame matches '$REQUIRE_FILTER'"
		log "$name: $n frame(s) match '$REQUIRE_FILTER'"
	fi
	install -m 0644 "$WORK/$name.pcapng" "$OUT/$name.pcapng"
	python3 "$REC/record.py" table "$OUT/$name.pcapng" >&2
	python3 "$ROOT/tests/reference/siptxn_reference.py" --regenerate "$name" >&2 ||
		die "$name: the golden table could not be regenerated"
}

drop_rule() { # nft rule text, inside the namespace only
	nsexec nft add table inet siptxn_rec
	nsexec nft "add chain inet siptxn_rec input { type filter hook input priority 0; policy accept; }"
	nsexec nft add rule inet siptxn_rec input "$@"
}

drop_rules_clear() {
	nsexec nft delete table inet siptxn_rec 2>/dev/null || true
}

# ------------------------------------------------------------ scenarios ---

SIPP_UAC=(-i 127.0.0.1 -p 5061 -s bob)

rec_register() { # NAME PASSWORD PATTERN
	local name=$1 password=$2 pattern=$3 rc=0
	start_kamailio "$name-kamailio" kamailio-registrar.cfg \
		"REG_PASSWORD=\"$REG_PASSWORD\""
	start_capture "$name"
	bg "$name-sipsak" 15 sipsak -U -S -l 5061 -H 127.0.0.1 -i -vv \
		-C sip:alice@127.0.0.1:5061 -s sip:alice@127.0.0.1:5060 \
		-u alice -a "$password" -x 600
	wait_bg "$LAST_PID" || rc=$?
	log "$name: sipsak exit status $rc"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" "$pattern"
}

rec_register-401-200() {
	rec_register register-401-200 "$REG_PASSWORD" '^REGISTER 401 REGISTER 200$'
}

rec_register-403() {
	rec_register register-403 "not-the-$REG_PASSWORD" '^REGISTER 401 REGISTER 403$'
}

# Direct call between two SIPp instances: UAS on 5060, UAC on 5061.
rec_direct() { # NAME UAC.xml UAS.xml PATTERN [extra sipp args]
	local name=$1 uac=$2 uas=$3 pattern=$4
	shift 4
	start_capture "$name"
	sipp_start "$name-uas" 30 -i 127.0.0.1 -p 5060 -sf "$REC/$uas" "$@"
	local uas_pid=$LAST_PID
	wait_listen "${TRANSPORT_PROTO:-udp}" 5060
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/$uac" "$@" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	finish "$name" "$pattern"
}

rec_invite-486() {
	rec_direct invite-486 uac-invite-486.xml uas-486.xml \
		'^INVITE 100 180 486 ACK$'
}

rec_invite-200-bye() {
	rec_direct invite-200-bye uac-call.xml uas-call.xml \
		'^INVITE 100 180 200 ACK BYE 200$'
}

rec_invite-cancel-487() {
	rec_direct invite-cancel-487 uac-cancel.xml uas-cancel.xml \
		'^INVITE 100 180 CANCEL 200 487 ACK$'
}

rec_reinvite() {
	rec_direct reinvite uac-reinvite.xml uas-reinvite.xml \
		'^INVITE 100 180 200 ACK INVITE 200 ACK BYE 200$'
}

rec_tcp-invite() {
	TRANSPORT_PROTO=tcp rec_direct tcp-invite uac-call.xml uas-call.xml \
		'^INVITE 100 180 200 ACK BYE 200$' -t t1
}

rec_ipv6-invite() {
	local name=ipv6-invite
	start_capture "$name"
	sipp_start "$name-uas" 30 -i ::1 -p 5060 -sf "$REC/uas-call.xml"
	local uas_pid=$LAST_PID
	wait_listen udp 5060
	sipp_start "$name-uac" 30 -i ::1 -p 5061 -s bob \
		-sf "$REC/uac-call.xml" '[::1]:5060'
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	finish "$name" '^INVITE 100 180 200 ACK BYE 200$'
}

# Call through kamailio (5060) to a SIPp UAS on 5062.
rec_proxy() { # NAME UAC.xml UAS.xml PATTERN
	local name=$1 uac=$2 uas=$3 pattern=$4
	start_kamailio "$name-kamailio" kamailio-proxy.cfg
	start_capture "$name"
	sipp_start "$name-uas" 30 -i 127.0.0.1 -p 5062 -sf "$REC/$uas"
	local uas_pid=$LAST_PID
	wait_listen udp 5062
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/$uac" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" "$pattern"
}

# The call of proxy-200-bye with each element on an address of its own: a
# flow graph, whose nodes are addresses, draws one column per element.
rec_proxy-call-three-hosts() {
	local name=proxy-call-three-hosts
	start_kamailio "$name-kamailio" kamailio-proxy.cfg PROXY_ADDRESS=127.0.0.3 \
		'DOWNSTREAM="sip:127.0.0.4:5062"'
	start_capture "$name"
	sipp_start "$name-uas" 30 -i 127.0.0.4 -p 5062 -sf "$REC/uas-call.xml"
	local uas_pid=$LAST_PID
	wait_listen udp 5062
	sipp_start "$name-uac" 30 -i 127.0.0.2 -p 5061 -s bob -sf "$REC/uac-call.xml" 127.0.0.3:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE (100 INVITE|INVITE 100) 100 180 180 200 200 ACK ACK BYE BYE 200 200$'
}

rec_proxy-486() {
	rec_proxy proxy-486 uac-invite-486.xml uas-486.xml \
		'^INVITE (100 INVITE|INVITE 100) 100 180 180 486 (ACK 486|486 ACK) ACK$'
}

rec_proxy-200-bye() {
	rec_proxy proxy-200-bye uac-call.xml uas-call.xml \
		'^INVITE (100 INVITE|INVITE 100) 100 180 180 200 200 ACK ACK BYE BYE 200 200$'
}

rec_udp-invite-timeout() {
	local name=udp-invite-timeout
	start_kamailio "$name-kamailio" kamailio-proxy.cfg WITH_FR_TIMER=8000
	# The called UA is silent: packets to port 5062 are dropped on input
	# (after the capture point), so no ICMP error and no answer.
	drop_rule udp dport 5062 drop
	start_capture "$name"
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/uac-invite-408.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	stop_capture
	drop_rules_clear
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE (100 INVITE|INVITE 100)( INVITE){3,} 408 ACK$'
}

rec_udp-final-retransmit() {
	local name=udp-final-retransmit
	start_kamailio "$name-kamailio" kamailio-uas.cfg WITH_WT_TIMER=14000
	start_capture "$name"
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/uac-no-ack.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE 486( 486){4,}$'
}

rec_rfc2543-invite() {
	local name=rfc2543-invite
	start_kamailio "$name-kamailio" kamailio-uas.cfg
	start_capture "$name"
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/uac-rfc2543.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE 486 ACK OPTIONS 200$'
}

# The same branch from two hosts: the sent-by tells the transactions apart
# (RFC 3261 section 17.2.3).  The hosts take turns, so the capture is always
# the same sequence.
rec_same-branch-two-hosts() {
	local name=same-branch-two-hosts host uac_pid
	start_kamailio "$name-kamailio" kamailio-uas.cfg
	start_capture "$name"
	for host in 127.0.0.2 127.0.0.3; do
		sipp_start "$name-uac-$host" 30 -i "$host" -p 5061 -s bob \
			-key shared_branch z9hG4bK-shared-1 \
			-sf "$REC/uac-shared-branch.xml" 127.0.0.1:5060
		uac_pid=$LAST_PID
		sipp_wait "$uac_pid" "$name-uac-$host" || die "$name: UAC on $host failed"
	done
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE 486 ACK INVITE 486 ACK$'
}

rec_rfc2543-top-via() {
	local name=rfc2543-top-via
	start_kamailio "$name-kamailio" kamailio-uas.cfg
	start_capture "$name"
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/uac-rfc2543-top-via.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE 486 ACK$'
}

rec_proxy-fork() {
	local name=proxy-fork rc
	start_kamailio "$name-kamailio" kamailio-proxy.cfg WITH_FORK
	# Two contacts for bob, registered before the capture starts.
	for port in 5062 5063; do
		rc=0
		timeout 10 ip netns exec "$NS" sipsak -U -S -l "$port" -H 127.0.0.1 -i \
			-C "sip:bob@127.0.0.1:$port" -s sip:bob@127.0.0.1:5060 -x 600 \
			>"$WORK/$name-register-$port.log" 2>&1 || rc=$?
		((rc == 0)) || die "$name: registering sip:bob@127.0.0.1:$port failed"
	done
	start_capture "$name"
	sipp_start "$name-uas-a" 30 -i 127.0.0.1 -p 5062 -sf "$REC/uas-call.xml" \
		-key answer_delay 1000
	local a_pid=$LAST_PID
	sipp_start "$name-uas-b" 30 -i 127.0.0.1 -p 5063 -sf "$REC/uas-cancel.xml"
	local b_pid=$LAST_PID
	wait_listen udp 5062
	wait_listen udp 5063
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -sf "$REC/uac-call.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$a_pid" "$name-uas-a" || die "$name: UAS A failed"
	sipp_wait "$b_pid" "$name-uas-b" || die "$name: UAS B failed"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^INVITE .*CANCEL .*487 .*ACK .*BYE .*200$'
}

# RFC 3262: reliable provisional responses and PRACK.  The UAS sets the
# RSeq values; the UAC copies them into RAck and delays the second PRACK,
# so that the 183 is re-sent, then PRACKs an RSeq that was never sent.
rec_prack-100rel() {
	rec_direct prack-100rel uac-prack.xml uas-prack.xml \
		'^INVITE 100 180 PRACK 200 183 183 183 PRACK 200 PRACK 481 200 ACK BYE 200$' \
		-key rseq_first 4711 -key rseq_second 4712 -key rseq_unknown 4718
}

# The call of invite-200-bye recorded by a capture that misses a packet:
# the capture filter leaves out the UAS's 2xx responses longer than 400
# bytes (UDP length), that is the 200 OK to the INVITE with its SDP body
# (and would leave out its retransmissions), but keeps the short 200 OK to
# the BYE.  Bytes 0-10 of the UDP payload: "SIP/2.0 200".
LOST_2XX_FILTER='udp src port 5060 and udp[8:4] = 0x5349502f and udp[12:4] = 0x322e3020 and udp[16:2] = 0x3230 and udp[18:1] = 0x30 and udp[4:2] > 400'
rec_ack-final-lost() {
	CAP_FILTER="($CAP_FILTER) and not ($LOST_2XX_FILTER)" \
		rec_direct ack-final-lost uac-call.xml uas-call.xml \
		'^INVITE 100 180 ACK BYE 200$'
}

# The call of tcp-invite, where TCP itself re-sends the segment that
# carries the INVITE: the first copy of that segment is captured on lo and
# then dropped on input (a set remembers the sender's port), so the UAS's
# kernel does not acknowledge it and the UAC's kernel re-sends it when its
# retransmission timer fires.  "INVITE" = 0x494e56495445 at the start of
# the TCP payload (@ih).
rec_tcp-retransmission() {
	local invite=0x494e56495445
	nsexec nft add table inet siptxn_rec
	nsexec nft 'add set inet siptxn_rec dropped_once { type inet_service; flags dynamic; }'
	drop_rule tcp dport 5060 @ih,0,48 "$invite" tcp sport @dropped_once accept
	drop_rule tcp dport 5060 @ih,0,48 "$invite" add @dropped_once '{ tcp sport }' drop
	# tshark shows the re-sent segment as "Retransmitted TCP segment data",
	# not as SIP (unless told not to analyse sequence numbers), hence the
	# optional second INVITE in the SIP sequence.
	TRANSPORT_PROTO=tcp \
		REQUIRE_FILTER='tcp.analysis.retransmission && frame contains "INVITE sip:"' \
		rec_direct tcp-retransmission uac-call.xml uas-call.xml \
		'^INVITE (INVITE )?100 180 200 ACK BYE 200$' -t t1
	drop_rules_clear
}

# Two more namespaces, A (the calling SIPp on 192.0.2.10) and B (the called
# SIPp on 198.51.100.20), each joined to the recording namespace by a veth
# pair; the recording namespace routes between them (ra: 192.0.2.1, rb:
# 198.51.100.1).  One dumpcap captures on both ra and rb, so every packet
# is in the file twice: as it arrives (TTL 64) and as it is forwarded
# (TTL 63), with the same IP identification.  The UAS answers the INVITE
# only after 800 ms, so the UAC re-sends it (a new datagram, a new IP ID).
rec_capture-duplicates() {
	local name=capture-duplicates side ns
	for side in a b; do
		ns="$NS-$side"
		ip netns add "$ns"
		EXTRA_NS+=("$ns")
		ip link add "r$side" netns "$NS" type veth peer name eth0 netns "$ns"
		ip -n "$ns" link set lo up
	done
	# Fixed MAC addresses and permanent neighbour entries: no ARP.
	ip -n "$NS-a" link set eth0 address 02:00:00:00:0a:0a
	ip -n "$NS" link set ra address 02:00:00:00:0a:01
	ip -n "$NS" link set rb address 02:00:00:00:0b:01
	ip -n "$NS-b" link set eth0 address 02:00:00:00:0b:14
	ip -n "$NS" addr add 192.0.2.1/24 dev ra
	ip -n "$NS" addr add 198.51.100.1/24 dev rb
	ip -n "$NS-a" addr add 192.0.2.10/24 dev eth0
	ip -n "$NS-b" addr add 198.51.100.20/24 dev eth0
	for side in a b; do
		ip -n "$NS" link set "r$side" up
		ip -n "$NS-$side" link set eth0 up
	done
	ip -n "$NS-a" neigh add 192.0.2.1 lladdr 02:00:00:00:0a:01 dev eth0 nud permanent
	ip -n "$NS" neigh add 192.0.2.10 lladdr 02:00:00:00:0a:0a dev ra nud permanent
	ip -n "$NS" neigh add 198.51.100.20 lladdr 02:00:00:00:0b:14 dev rb nud permanent
	ip -n "$NS-b" neigh add 198.51.100.1 lladdr 02:00:00:00:0b:01 dev eth0 nud permanent
	ip -n "$NS-a" route add default via 192.0.2.1
	ip -n "$NS-b" route add default via 198.51.100.1
	nsexec sysctl -q -w net.ipv4.ip_forward=1
	CAP_IFACES="ra rb" start_capture "$name"
	BG_NS="$NS-b" sipp_start "$name-uas" 30 -i 198.51.100.20 -p 5060 \
		-sf "$REC/uas-call-slow.xml"
	local uas_pid=$LAST_PID
	BG_NS="$NS-b" wait_listen udp 5060
	BG_NS="$NS-a" sipp_start "$name-uac" 30 -i 192.0.2.10 -p 5061 -s bob \
		-sf "$REC/uac-call.xml" 198.51.100.20:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	# dumpcap reads each interface in a thread of its own and writes the
	# packets as the threads hand them over, so the two copies of a packet
	# can be written in the wrong order (microseconds apart): sort by time.
	reordercap "$WORK/$name.pcapng" "$WORK/$name-sorted.pcapng" >&2
	mv "$WORK/$name-sorted.pcapng" "$WORK/$name.pcapng"
	REQUIRE_FILTER='ip.ttl == 63' finish "$name" \
		'^INVITE INVITE INVITE INVITE 100 100 180 180 200 200 ACK ACK BYE BYE 200 200$'
	for side in a b; do
		ip netns delete "$NS-$side"
	done
	EXTRA_NS=()
}

# ------------------------------------------------- wrapped SIP scenarios ---
# SIP that the capture holds inside another protocol: HEP v3, WebSocket
# (RFC 7118), TLS.  Each scenario captures only the traffic that carries the
# SIP (its own capture filter: a local CAP_FILTER, which start_capture sees).

HEP_COLLECTOR_ADDRESS=127.0.0.9
HEP_COLLECTOR_PORT=9060

# Save a capture whose SIP is inside HEP: tshark has no HEP dissector, so
# hep.py reads the HEP chunks of the UDP payloads to check the sequence.
finish_hep() { # NAME PATTERN
	local name=$1 pattern=$2
	python3 "$REC/hep.py" check "$WORK/$name.pcapng" "$pattern" ||
		die "$name: capture does not show the expected sequence"
	install -m 0644 "$WORK/$name.pcapng" "$OUT/$name.pcapng"
	python3 "$REC/hep.py" table "$OUT/$name.pcapng" >&2
	python3 "$ROOT/tests/reference/siptxn_reference.py" --regenerate "$name" >&2 ||
		die "$name: the golden table could not be regenerated"
}

# A call through kamailio that the capture shows only as the HEP v3 packets
# kamailio's siptrace module sends to a collector: the SIP itself is not
# captured.  The caller (SIPp, 127.0.0.1:5061) reaches kamailio over TCP,
# kamailio reaches the called SIPp (127.0.0.1:5062) over UDP.
rec_hep-siptrace() {
	local name=hep-siptrace
	local CAP_FILTER="udp and dst host $HEP_COLLECTOR_ADDRESS and dst port $HEP_COLLECTOR_PORT"
	bg "$name-collector" 60 python3 "$REC/hep.py" collect \
		"$HEP_COLLECTOR_ADDRESS" "$HEP_COLLECTOR_PORT"
	local collector_pid=$LAST_PID
	wait_listen udp "$HEP_COLLECTOR_PORT"
	start_kamailio "$name-kamailio" kamailio-hep-proxy.cfg \
		"HEP_COLLECTOR=\"sip:$HEP_COLLECTOR_ADDRESS:$HEP_COLLECTOR_PORT\""
	wait_listen tcp 5060
	start_capture "$name"
	sipp_start "$name-uas" 30 -i 127.0.0.1 -p 5062 -sf "$REC/uas-call.xml"
	local uas_pid=$LAST_PID
	wait_listen udp 5062
	sipp_start "$name-uac" 30 "${SIPP_UAC[@]}" -t t1 -sf "$REC/uac-call.xml" 127.0.0.1:5060
	local uac_pid=$LAST_PID
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_pid" "$name-uas" || die "$name: UAS failed"
	stop_capture
	stop_bg "$KAM_PID"
	stop_bg "$collector_pid"
	# kamailio mirrors what a process receives or sends as that process
	# handles it: the TCP worker forwards the INVITE and the BYE, the UDP
	# worker receives the callee's answers, so a response from the callee
	# may reach the collector before the request it answers.
	finish_hep "$name" \
		'^INVITE (100 INVITE 100|INVITE 100 100|100 100 INVITE) 180 180 200 200 ACK ACK BYE (BYE 200|200 BYE) 200$'
}

# wait_log FILE TEXT PID: wait until a background client writes TEXT in its
# log; fail if it ends first.
wait_log() {
	local file=$1 text=$2 pid=$3 i
	for i in $(seq 1 200); do
		grep -q -- "$text" "$file" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	die "no \"$text\" in $file: $(tail -n 5 "$file" 2>/dev/null)"
}

# SIP over WebSocket: kamailio (xhttp + websocket) on ws://127.0.0.1:80,
# two WebSocket clients of sip-client.py.  bob registers and waits;
# alice sends OPTIONS to kamailio and a MESSAGE to bob, which kamailio
# relays over bob's WebSocket connection; both close their WebSockets.
rec_sip-websocket() {
	local name=sip-websocket rc=0
	local CAP_FILTER='tcp port 80'
	start_kamailio "$name-kamailio" kamailio-websocket.cfg
	wait_listen tcp 80
	start_capture "$name"
	bg "$name-bob" 30 python3 "$REC/sip-client.py" ws --user bob \
		register-answer --wait 20
	local bob_pid=$LAST_PID
	wait_log "$WORK/$name-bob.log" registered "$bob_pid"
	bg "$name-alice" 30 python3 "$REC/sip-client.py" ws --user alice \
		message bob "Hello over WebSocket"
	wait_bg "$LAST_PID" || rc=$?
	((rc == 0)) || die "$name: alice failed: $(tail -n 5 "$WORK/$name-alice.log")"
	wait_bg "$bob_pid" || rc=$?
	((rc == 0)) || die "$name: bob failed: $(tail -n 5 "$WORK/$name-bob.log")"
	stop_capture
	stop_bg "$KAM_PID"
	finish "$name" '^REGISTER 200 OPTIONS 200 MESSAGE MESSAGE 200 200$'
}

# SIP over TLS: kamailio's tls module on 127.0.0.1:5061 with a certificate
# made for the recording, sip-client.py over one TLS connection, writing
# the session secrets to a key log that editcap then embeds in the pcapng
# (a Decryption Secrets Block): tshark and Wireshark decrypt the capture
# with no option and no key file.
rec_sip-tls() {
	local name=sip-tls rc=0
	local CAP_FILTER='tcp port 5061'
	local cert="$WORK/$name-cert.pem" key="$WORK/$name-key.pem"
	local keylog="$WORK/$name.keys"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$key" -out "$cert" -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 >"$WORK/$name-openssl.log" 2>&1 ||
		die "$name: openssl could not make a certificate"
	start_kamailio "$name-kamailio" kamailio-tls.cfg \
		"TLS_CERTIFICATE=\"$cert\"" "TLS_PRIVATE_KEY=\"$key\""
	wait_listen tcp 5061
	start_capture "$name"
	rm -f "$keylog"
	bg "$name-client" 30 python3 "$REC/sip-client.py" tls --user carol \
		--cafile "$cert" --keylog "$keylog" register-invite bob
	wait_bg "$LAST_PID" || rc=$?
	((rc == 0)) || die "$name: the client failed: $(tail -n 5 "$WORK/$name-client.log")"
	stop_capture
	stop_bg "$KAM_PID"
	[[ -s "$keylog" ]] || die "$name: the client wrote no TLS key log"
	editcap --inject-secrets "tls,$keylog" "$WORK/$name.pcapng" \
		"$WORK/$name-secrets.pcapng" ||
		die "$name: editcap could not embed the TLS key log"
	mv "$WORK/$name-secrets.pcapng" "$WORK/$name.pcapng"
	finish "$name" '^REGISTER 200 INVITE (100 )?486 ACK$'
}

# The sipp-load capture: a known mix for the RFC 6076 KPIs (tests/e2e/test_kpi.py
# derives every expected KPI from these numbers).  Three REGISTERs, each
# challenged with 401 (two with the right password: 200; one wrong: 403),
# then the twelve calls of load/load-calls.csv, two a second, through
# kamailio-load.cfg: 6 answered and held 1 s, 3 busy (486), 2 refused by
# kamailio with 503, 1 to a UAS that never answers (408 after fr_timer).
rec_sipp-load() {
	local name=sipp-load user password rc uas_answer uas_busy uac_pid
	start_kamailio "$name-kamailio" kamailio-load.cfg "REG_PASSWORD=\"$REG_PASSWORD\""
	# The silent UAS: packets to port 5064 are dropped after the capture point.
	drop_rule udp dport 5064 drop
	start_capture "$name"
	for user in alice:"$REG_PASSWORD" bob:"$REG_PASSWORD" carol:"not-the-$REG_PASSWORD"; do
		password=${user#*:}
		user=${user%%:*}
		rc=0
		timeout 15 ip netns exec "$NS" sipsak -U -S -l 5061 -H 127.0.0.1 -i \
			-C "sip:$user@127.0.0.1:5061" -s "sip:$user@127.0.0.1:5060" \
			-u "$user" -a "$password" -x 600 >"$WORK/$name-register-$user.log" 2>&1 || rc=$?
		log "$name: sipsak $user exit status $rc"
	done
	pushd "$WORK" >/dev/null
	bg "$name-uas-answer" 65 sipp -nostdin -m 6 -timeout 60s -timeout_error -trace_err \
		-error_file "$WORK/$name-uas-answer-errors.log" -i 127.0.0.1 -p 5062 -sf "$REC/uas-call.xml"
	uas_answer=$LAST_PID
	bg "$name-uas-busy" 65 sipp -nostdin -m 3 -timeout 60s -timeout_error -trace_err \
		-error_file "$WORK/$name-uas-busy-errors.log" -i 127.0.0.1 -p 5063 -sf "$REC/uas-486.xml"
	uas_busy=$LAST_PID
	popd >/dev/null
	wait_listen udp 5062
	wait_listen udp 5063
	pushd "$WORK" >/dev/null
	bg "$name-uac" 65 sipp -nostdin -m 12 -r 2 -timeout 60s -timeout_error -trace_err \
		-error_file "$WORK/$name-uac-errors.log" "${SIPP_UAC[@]}" -sf "$REC/load-uac.xml" \
		-inf "$REC/load-calls.csv" 127.0.0.1:5060
	uac_pid=$LAST_PID
	popd >/dev/null
	sipp_wait "$uac_pid" "$name-uac" || die "$name: UAC failed"
	sipp_wait "$uas_answer" "$name-uas-answer" || die "$name: answering UAS failed"
	sipp_wait "$uas_busy" "$name-uas-busy" || die "$name: busy UAS failed"
	stop_capture
	drop_rules_clear
	stop_bg "$KAM_PID"
	python3 "$REC/record.py" check "$WORK/$name.pcapng" '^REGISTER 401 REGISTER 200 REGISTER 401 REGISTER 200 REGISTER 401 REGISTER 403 INVITE .*BYE .*200$' ||
		die "$name: capture does not show the expected sequence"
	install -m 0644 "$WORK/$name.pcapng" "$OUT/$name.pcapng"
	python3 "$REC/record.py" table "$OUT/$name.pcapng" >&2
}

# ----------------------------------------------------------------- main ---

ONLY=()
while (($#)); do
	case $1 in
	--list) list_scenarios; exit 0 ;;
	--only) [[ $# -ge 2 ]] || die "--only needs a NAME"; ONLY+=("$2"); shift ;;
	--keep-logs) KEEP_LOGS=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

((EUID == 0)) || die "run as root (network namespaces, nftables, dumpcap)"

NAMES=()
for s in "${SCENARIOS[@]}"; do NAMES+=("${s%%|*}"); done
if ((${#ONLY[@]})); then
	for o in "${ONLY[@]}"; do
		o=${o%.pcapng}
		printf '%s\n' "${NAMES[@]}" | grep -qx -- "$o" || die "unknown scenario: $o (see --list)"
	done
	NAMES=("${ONLY[@]%.pcapng}")
fi

install_tools
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
WORK=$(mktemp -d /tmp/siptxn-rec.XXXXXX)
mkdir -p "$OUT"
setup_namespace

START=$SECONDS
for n in "${NAMES[@]}"; do
	t0=$SECONDS
	log "recording $n"
	"rec_$n"
	for pid in "${BG_PIDS[@]}"; do stop_bg "$pid"; done
	log "$n: done in $((SECONDS - t0)) s"
done
log "all done: ${#NAMES[@]} capture(s) in $((SECONDS - START)) s"
