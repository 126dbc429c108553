#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-records the real SIP captures in test-captures/ with kamailio, SIPp and
# sipsak talking over loopback inside a private network namespace, and
# regenerates their golden tables in tests/e2e/golden/ from the new packets.
#
# Usage: scripts/record-captures.sh [--only NAME]... [--list] [--keep-logs]
# Needs root (network namespaces, nftables, dumpcap on lo).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REC="$ROOT/scripts/record"
OUT="$ROOT/test-captures"
NS="siptxn-rec-$$"
WORK=""
KEEP_LOGS=0
NS_CREATED=0
BG_PIDS=()
CAP_PID=""

# Ports inside the namespace: 5060 is the proxy, registrar or direct UAS,
# 5061 the calling UA, 5062 and 5063 the called UAs behind a proxy.  The
# address is 127.0.0.1 unless a scenario picks another of 127.0.0.0/8, which
# the namespace's lo answers without any set-up.
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
	"sipp-load|a SIPp load through kamailio with a known mix: 12 calls (6 answered, 3 busy, 2 x 503, 1 x 408) and 3 challenged REGISTERs (2 x 200, 1 x 403)"
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
		tshark:tshark dumpcap:tshark ip:iproute2 nft:nftables \
		ss:iproute2 python3:python3 timeout:coreutils; do
		cmd=${pair%%:*}
		pkg=${pair#*:}
		if ! command -v "$cmd" >/dev/null 2>&1; then
			missing+=("$pkg")
		fi
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

# Start a command in the namespace in the background, bounded by timeout(1).
# bg NAME SECONDS CMD... ; sets LAST_PID
bg() {
	local name=$1 secs=$2
	shift 2
	timeout --kill-after=3 "$secs" ip netns exec "$NS" "$@" \
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

# wait_listen udp|tcp PORT [ADDRESS]
wait_listen() {
	local proto=$1 port=$2 i flag
	[[ $proto == udp ]] && flag=-Hlun || flag=-Hltn
	for i in $(seq 1 100); do
		if nsexec ss $flag "sport = :$port" | grep -q .; then
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

start_capture() { # NAME
	local name=$1 i
	rm -f "$WORK/$name.pcapng"
	timeout --kill-after=3 300 ip netns exec "$NS" dumpcap -q -i lo \
		-f "$CAP_FILTER" -w "$WORK/$name.pcapng" \
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
finish() { # NAME PATTERN
	local name=$1 pattern=$2
	python3 "$REC/record.py" check "$WORK/$name.pcapng" "$pattern" ||
		die "$name: capture does not show the expected sequence"
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
