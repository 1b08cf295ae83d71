#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic between the two emulated ports, cabled back to back by the
# emulator, with port 1 in netns "remote": ping over IPv4 and IPv6, TCP
# throughput both ways, payload integrity (sha256 of a file sent with
# socat), MTU 9000, header split (tcp-data-split, hds-thresh), the RX
# page pools, hardware counters that move with traffic, and the
# classifier: an ntuple rule steering a flow to a queue, a drop rule, and
# the RSS indirection table moving a flow; the receive filters (unicast,
# multicast, promiscuous, all-multicast), MAC address changes, ethtool -S
# and per-queue statistics; TX doorbell batching (xmit_more).
. /lab/lib/lab.sh

# What each driver cannot do yet on the current emulator, with the reason.
EXPECTED_FAIL="
rust tx-timestamp the Rust driver has no hardware timestamping yet (outside issue 5's list)
c ntuple-location the C driver takes rules at locations of its choosing only, and accepts TOS matches it then ignores
"

R() { ip netns exec remote "$@"; }

if [ "$DRIVER" = rust ]; then
	# Results for "rust" mean nothing if modprobe picked the in-tree C module.
	from_updates() { modprobe_path | tee /dev/stderr | grep -q /updates/; }
	check modprobe-resolves-updates from_updates
fi
check load load_driver
sleep 1
expect up setup_pair

# Sum over CPUs of the interrupts of netdev $1's queue vector $2, as seen
# in netns-independent /proc/interrupts ("<dev>-TxRx-<n>").
irqs() {
	awk -v n="$1-TxRx-$2" '$NF == n { s = 0; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s; f = 1 } END { if (!f) print 0 }' /proc/interrupts
}

ping4() { ping -c 3 -i 0.2 -W 2 "$REMOTE_V4"; }
ping6() { ping -6 -c 3 -i 0.2 -W 2 "$REMOTE_V6"; }
expect ping4 ping4
expect ping6 ping6

# TCP throughput, reported in the log and on the console.
iperf() {
	local out
	R iperf3 -s -1 -D -p 5201 || return
	sleep 0.3
	out=$(iperf3 -c "$REMOTE_V4" -p 5201 -t 3 -f m "$@") || { echo "$out"; return 1; }
	echo "$out"
	say "iperf3 $*: $(echo "$out" | awk '/receiver/ { print $(NF-2), $(NF-1) }')"
}
expect iperf3-tcp iperf
expect iperf3-tcp-reverse iperf -R

# TX doorbell batching (xmit_more): while the stack hands the driver a
# burst, the TWQ tail is written once for it, so under four streams port
# 0's doorbell writes ("tx-doorbells" in the emulator's `status`) stay
# below the packets it sent. A driver ringing per packet has as many.
# TSO is off meanwhile: the stack then segments each TCP burst and hands
# the segments over as one xmit_more run, and both drivers count each
# segment as a packet (with TSO the C driver counts segments, the Rust
# driver buffers).
#
# Counters of the emulator's ports, over its control channel (emu_count
# from lib/lab.sh).
emu_open || say "no control channel on $EMU_TTY"
emu_doorbells() { emu_count 0 tx-doorbells; }
tx_batched() {
	local d0 d1 p0 p1 stats=/sys/class/net/$NETIF/statistics/tx_packets
	d0=$(emu_doorbells) && [ -n "$d0" ] || { echo "no tx-doorbells count from the emulator"; return 1; }
	ethtool -K "$NETIF" tso off || return
	p0=$(cat "$stats")
	iperf -P 4
	d1=$(emu_doorbells)
	p1=$(cat "$stats")
	ethtool -K "$NETIF" tso on || return
	[ -n "$d1" ] || return
	say "TX doorbells $((d1 - d0)) for $((p1 - p0)) packets"
	[ $((p1 - p0)) -gt 0 ] && [ $((d1 - d0)) -lt $((p1 - p0)) ]
}
expect tx-doorbells-batched tx_batched

# Payload integrity: a random file through socat, compared by sha256.
transfer() {
	local size=$1
	head -c "$size" /dev/urandom >/tmp/tx.bin
	rm -f /tmp/rx.bin
	local pid
	R timeout 90 socat -u TCP-LISTEN:7000,reuseaddr OPEN:/tmp/rx.bin,creat,trunc &
	pid=$!
	# Listening before the sender connects (socat starts slowly on a
	# loaded host).
	local i
	for i in $(seq 50); do
		R ss -Hltn 'sport = :7000' | grep -q . && break
		sleep 0.1
	done
	timeout 60 socat -u OPEN:/tmp/tx.bin TCP:"$REMOTE_V4":7000 || { kill $pid; return 1; }
	wait $pid
	sha256sum /tmp/tx.bin /tmp/rx.bin
	[ "$(sha256sum </tmp/tx.bin)" = "$(sha256sum </tmp/rx.bin)" ]
}
expect integrity transfer 16M

# Jumbo frames: DF pings that need the full 9000 bytes, then a transfer.
mtu9000() {
	ip link set "$NETIF" mtu 9000 && R ip link set "$REMOTE_IF" mtu 9000
}
jumbo_ping() {
	mtu9000 || return
	ping -c 3 -i 0.2 -W 2 -M do -s 8972 "$REMOTE_V4"
}
expect mtu9000-ping jumbo_ping
expect mtu9000-integrity transfer 16M
ip link set "$NETIF" mtu 1500
R ip link set "$REMOTE_IF" mtu 1500

# Header split on the receiving port. The emulator reports on its control
# channel (the guest's /dev/ttyS1) how many frames it placed across header
# and payload buffers ("rx-split" in `status`); what it does follows the
# RX queues' registers, so the count says what the driver programmed, and
# the checksum of the transfer says the driver put header and payload
# pages back together. rings.py sets hds-thresh, which the guest's ethtool
# 6.14 can only show.
emu_split() { emu_count 1 rx-split; }
rings() { R python3 /lab/lib/rings.py "$REMOTE_IF" "$@"; }
# split_during MIN MAX CMD...: CMD succeeds and the emulator split between
# MIN and MAX frames for port 1 meanwhile.
split_during() {
	local min=$1 max=$2 a b
	shift 2
	a=$(emu_split) && [ -n "$a" ] || { echo "no rx-split count from the emulator"; return 1; }
	"$@" || return
	b=$(emu_split)
	echo "frames split for port 1 during '$*': $((b - a))"
	[ $((b - a)) -ge "$min" ] && [ $((b - a)) -le "$max" ]
}
# Defaults (threshold 1536): standard frames stay whole.
hds_default() {
	rings || return
	split_during 0 0 transfer 4M
}
expect hds-default-unsplit hds_default
# tcp-data-split on, hds-thresh 0: every data frame is split after its
# headers (16 MiB is some 11,600 segments), and arrives intact.
hds_on() {
	rings tcp-data-split on hds-thresh 0 || return
	R ethtool -g "$REMOTE_IF"
	rings | grep -q "tcp-data-split on hds-thresh 0 " || return
	split_during 5000 1000000 transfer 16M
}
expect hds-split-integrity hds_on
# An out-of-range threshold is refused with a reason and changes nothing.
hds_invalid() {
	local before after
	before=$(rings) || return
	if rings hds-thresh 100000; then
		echo "hds-thresh 100000 accepted"
		return 1
	fi
	after=$(rings)
	echo "before: $before; after: $after"
	[ "$before" = "$after" ]
}
expect hds-invalid-refused hds_invalid
rings tcp-data-split auto hds-thresh 1536 >/dev/null 2>&1

# The RX page pools are listed under the port (netdev netlink
# page-pool-get, through pools.py): at least one per RX queue, each bound
# to its queue's NAPI instance (a napi-id), as the C driver's are.
page_pools() {
	local n q unbound
	q=$(ethtool -l "$NETIF" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')
	python3 /lab/lib/pools.py "$NETIF" >/tmp/pools.txt || return
	cat /tmp/pools.txt
	n=$(wc -l </tmp/pools.txt)
	unbound=$(grep -c 'napi-id - ' /tmp/pools.txt)
	echo "$n page pools for $q RX queues, $unbound without a NAPI instance"
	[ -n "$q" ] && [ "$n" -ge "$q" ] && [ "$unbound" -eq 0 ]
}
expect page-pools page_pools

# Other ring sizes on both ends (the rings are re-programmed while up),
# then the same transfer.
ring_sizes() {
	R ethtool -G "$REMOTE_IF" rx 512 tx 256 || return
	ethtool -G "$NETIF" rx 128 tx 2048 || return
	R ethtool -g "$REMOTE_IF"
	sleep 1
	transfer 16M
}
expect ring-sizes ring_sizes
R ethtool -G "$REMOTE_IF" rx 1024 tx 1024 2>/dev/null
ethtool -G "$NETIF" rx 1024 tx 1024 2>/dev/null
sleep 1

# The MAC's counters (ethtool's standard eth-mac group) move with traffic.
# Lines read "eth-mac-FramesTransmittedOK: 123" (older ethtool: no prefix).
mac_stat() {
	ethtool -S "$NETIF" --groups eth-mac |
		awk -v k="$1" '{ sub(/^[ \t]+/, "") } $1 == k":" || $1 == "eth-mac-"k":" { print $2 }'
}
hw_counters() {
	local tx0 rx0 tx1 rx1
	tx0=$(mac_stat FramesTransmittedOK) rx0=$(mac_stat FramesReceivedOK)
	ping -c 20 -i 0.05 -W 2 "$REMOTE_V4" >/dev/null || return
	tx1=$(mac_stat FramesTransmittedOK) rx1=$(mac_stat FramesReceivedOK)
	echo "FramesTransmittedOK $tx0 -> $tx1, FramesReceivedOK $rx0 -> $rx1"
	ethtool -S "$NETIF" --groups eth-mac
	[ -n "$tx1" ] && [ $((tx1 - tx0)) -ge 20 ] && [ $((rx1 - rx0)) -ge 20 ]
}
expect hw-counters hw_counters

# A hardware TX timestamp (the device's type-1 TX completion) comes back
# on the socket error queue once timestamping is switched on.
tx_timestamp() {
	ethtool -T "$NETIF"
	python3 - "$NETIF" "$REMOTE_V4" <<'PY'
import ctypes, fcntl, socket, struct, sys, time
ifname, dst = sys.argv[1], sys.argv[2]
SIOCSHWTSTAMP, SO_TIMESTAMPING = 0x89B0, 37
TX_HW, RAW_HW = 1 << 0, 1 << 6
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# struct hwtstamp_config { flags, tx_type = HWTSTAMP_TX_ON, rx_filter }
cfg = ctypes.create_string_buffer(struct.pack("iii", 0, 1, 0))
ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(cfg)).ljust(40, b"\0")
fcntl.ioctl(s, SIOCSHWTSTAMP, ifr)
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, TX_HW | RAW_HW)
s.sendto(b"stamp", (dst, 7005))
deadline = time.time() + 3
while time.time() < deadline:
    try:
        _, anc, _, _ = s.recvmsg(64, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
    except BlockingIOError:
        time.sleep(0.05)
        continue
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING:
            sec, nsec = struct.unpack("qq", data[32:48])
            print("hardware TX timestamp", sec, nsec)
            sys.exit(0 if sec or nsec else 1)
print("no hardware TX timestamp")
sys.exit(1)
PY
}
expect tx-timestamp tx_timestamp

# UDP datagrams to remote port $1 (remote answers nothing, so the only
# interrupts its queues take are for these).
udp_burst() {
	local i
	for i in $(seq 400); do echo "datagram $i"; done |
		socat -u - UDP4-SENDTO:"$REMOTE_V4":"$1" 2>/dev/null
	# Many small writes: socat sends one datagram per read.
	for i in $(seq 200); do echo x | socat -u - UDP4-SENDTO:"$REMOTE_V4":"$1"; done
}

# Interrupt deltas of remote's queue vectors 0 and 1 during a UDP burst.
# A sink swallows the datagrams: without a listener remote would answer
# with ICMP port unreachables, whose TX completions also interrupt.
queue_deltas() {
	local a0 a1 b0 b1 sink
	R timeout 20 socat -u UDP-RECV:"$1" OPEN:/dev/null &
	sink=$!
	sleep 0.3
	a0=$(irqs "$REMOTE_IF" 0) a1=$(irqs "$REMOTE_IF" 1)
	udp_burst "$1"
	sleep 0.5
	b0=$(irqs "$REMOTE_IF" 0) b1=$(irqs "$REMOTE_IF" 1)
	kill $sink 2>/dev/null
	wait $sink 2>/dev/null
	echo "$((b0 - a0)) $((b1 - a1))"
}

# An ntuple rule sends the flow to queue 1: its vector takes the
# interrupts, queue 0's stays (almost) quiet.
ntuple_steer() {
	local d
	R ethtool -L "$REMOTE_IF" combined 2 2>/dev/null
	R ethtool -K "$REMOTE_IF" ntuple on 2>/dev/null
	R ethtool -N "$REMOTE_IF" flow-type udp4 dst-port 7002 action 1 loc 0 ||
		R ethtool -N "$REMOTE_IF" flow-type udp4 dst-port 7002 action 1 || return
	R ethtool -n "$REMOTE_IF"
	d=$(queue_deltas 7002)
	echo "interrupts during the burst (queue 0, queue 1): $d"
	set -- $d
	[ "$2" -gt 20 ] && [ "$1" -lt $(($2 / 4)) ]
}
expect ntuple-steer ntuple_steer

# A drop rule: a TCP listener behind it cannot be reached.
ntuple_drop() {
	local pid rc=0
	R timeout 20 socat -u TCP-LISTEN:7003,reuseaddr OPEN:/dev/null &
	pid=$!
	sleep 0.3
	R ethtool -N "$REMOTE_IF" flow-type tcp4 dst-port 7003 action -1 || rc=1
	if [ $rc = 0 ] && timeout 5 socat -u OPEN:/etc/hostname TCP:"$REMOTE_V4":7003,connect-timeout=2; then
		echo "connected through a drop rule"
		rc=1
	fi
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $rc = 0 ] && echo "connection dropped as it should"
	return $rc
}
expect ntuple-drop ntuple_drop

# A rule on the source address (an IP TCAM entry behind the action TCAM)
# steers every UDP datagram from us to queue 1, whatever its ports; the
# rule is still in force after the interface went down and up.
steered_to_1() {
	local d
	d=$(queue_deltas 7006)
	echo "interrupts during the burst (queue 0, queue 1): $d"
	set -- $d
	[ "$2" -gt 20 ] && [ "$1" -lt $(($2 / 4)) ]
}
ntuple_ip() {
	local id rc=0 n=50
	id=$(R ethtool -N "$REMOTE_IF" flow-type udp4 src-ip "$LOCAL_V4" action 1 | awk '{ print $NF }')
	[ -n "$id" ] || return 1
	steered_to_1 || rc=1
	R ip link set dev "$REMOTE_IF" down && R ip link set dev "$REMOTE_IF" up || rc=1
	while [ $n -gt 0 ] && [ "$(R cat "/sys/class/net/$REMOTE_IF/operstate")" != up ]; do
		sleep 0.2
		n=$((n - 1))
	done
	sleep 1
	echo "after down and up:"
	steered_to_1 || rc=1
	R ethtool -N "$REMOTE_IF" delete "$id" || rc=1
	return $rc
}
expect ntuple-ip ntuple_ip

# The rule table: a rule is listed under the ID ethtool reports and can be
# deleted once; requests the device cannot do (a queue beyond the count,
# SCTP, which fbnic does not parse) are refused and leave the table as it
# was.
rule_count() { R ethtool -n "$REMOTE_IF" | grep -c '^Filter:'; }
ntuple_table() {
	local before id
	before=$(rule_count)
	id=$(R ethtool -N "$REMOTE_IF" flow-type tcp6 dst-port 7007 action 0 | awk '{ print $NF }')
	[ -n "$id" ] || return 1
	R ethtool -n "$REMOTE_IF" rule "$id" | tee /dev/stderr | grep -q 'Dest port: 7007' ||
		{ echo "rule $id does not read back"; return 1; }
	for bad in "flow-type udp4 dst-port 7008 action 9" "flow-type sctp4 dst-port 7008 action 0"; do
		if R ethtool -N "$REMOTE_IF" $bad 2>&1; then
			echo "accepted: $bad"
			return 1
		fi
	done
	[ "$(rule_count)" = $((before + 1)) ] || { echo "refused requests changed the table"; return 1; }
	R ethtool -N "$REMOTE_IF" delete "$id" || return
	if R ethtool -N "$REMOTE_IF" delete "$id" 2>&1; then
		echo "deleted rule $id twice"
		return 1
	fi
	[ "$(rule_count)" = "$before" ] || { echo "rules before: $before, after: $(rule_count)"; return 1; }
}
expect ntuple-table ntuple_table

# A rule at the location the user chose, which then is taken; a match the
# device cannot make (TOS) is refused rather than ignored.
ntuple_location() {
	R ethtool -N "$REMOTE_IF" flow-type udp6 dst-port 7009 action 0 loc 7 || return
	R ethtool -n "$REMOTE_IF" rule 7 | grep -q 'Dest port: 7009' || { echo "no rule 7"; return 1; }
	if R ethtool -N "$REMOTE_IF" flow-type udp4 dst-port 7009 action 0 loc 7 2>&1; then
		echo "location 7 taken twice"
		return 1
	fi
	R ethtool -N "$REMOTE_IF" delete 7 || return
	if R ethtool -N "$REMOTE_IF" flow-type tcp4 tos 4 action 0 2>&1; then
		echo "a TOS match was accepted"
		return 1
	fi
}
expect ntuple-location ntuple_location


# An additional RSS context: with the default table on queue 0 and
# context 1's on queue 1, a rule that sends a flow to context 1 moves its
# traffic to queue 1. The context goes away with its rule.
rss_context() {
	local ctx id d rc=0
	R ethtool -X "$REMOTE_IF" weight 1 0 || return
	ctx=$(R ethtool -X "$REMOTE_IF" context new start 1 equal 1 | awk '{ print $NF }')
	[ -n "$ctx" ] || return 1
	R ethtool -x "$REMOTE_IF" context "$ctx" | head -4
	id=$(R ethtool -N "$REMOTE_IF" flow-type udp4 dst-port 7011 context "$ctx" action 0 |
		awk '{ print $NF }')
	if [ -n "$id" ]; then
		d=$(queue_deltas 7011)
		echo "interrupts during the burst (queue 0, queue 1): $d"
		set -- $d
		[ "$2" -gt 20 ] && [ "$1" -lt $(($2 / 4)) ] || rc=1
		R ethtool -N "$REMOTE_IF" delete "$id" || rc=1
	else
		rc=1
	fi
	R ethtool -X "$REMOTE_IF" context "$ctx" delete || rc=1
	R ethtool -X "$REMOTE_IF" default
	return $rc
}
expect rss-context rss_context

# ethtool -X moves the flow's traffic from one queue to the other (UDP over
# IPv4 hashes the addresses only, so one flow is one indirection entry).
rss_indir() {
	local d
	R ethtool -X "$REMOTE_IF" weight 1 0 || return
	d=$(queue_deltas 7004)
	echo "weight 1 0: $d"
	set -- $d
	[ "$1" -gt 20 ] && [ "$2" -lt $(($1 / 4)) ] || return
	R ethtool -X "$REMOTE_IF" weight 0 1 || return
	d=$(queue_deltas 7004)
	echo "weight 0 1: $d"
	set -- $d
	[ "$2" -gt 20 ] && [ "$1" -lt $(($2 / 4)) ]
}
expect rss-indir rss_indir
R ethtool -X "$REMOTE_IF" default 2>/dev/null

# ethtool -N rx-flow-hash chooses the header fields of a flow type's hash.
# The UDP burst comes from 200 source ports: hashed over the addresses
# only, it is one flow and lands on one queue; with the ports, on both.
# "r" drops the type's frames. Fields the device cannot hash for a type
# are refused and change nothing.
# (Both drivers report what ethtool -n prints as "IP SA", "IP DA", "L4
# bytes 0 & 1" and "L4 bytes 2 & 3".)
flow_hash_lines() { R ethtool -n "$REMOTE_IF" rx-flow-hash "$1" | grep -c -e '^IP [SD]A' -e '^L4 bytes'; }
# hash_burst FIELDS: sets udp4's hash input, checks that ethtool -n shows
# it (one line for each of s, d, f and n), and prints the interrupt deltas
# of queues 0 and 1 during a burst.
hash_burst() {
	local want n
	want=$(printf '%s' "$1" | tr -cd 'sdfn' | wc -c)
	R ethtool -N "$REMOTE_IF" rx-flow-hash udp4 "$1" || return
	n=$(flow_hash_lines udp4)
	[ "$n" = "$want" ] || { echo "udp4 $1: ethtool -n shows $n fields"; return 1; }
	queue_deltas 7005
}
rss_flow_hash() {
	local d n tcp4
	d=$(hash_burst sd) || { echo "$d"; return 1; }
	echo "udp4 sd: $d"
	set -- $d
	[ "$1" -lt $(($2 / 4)) ] || [ "$2" -lt $(($1 / 4)) ] ||
		{ echo "udp4 sd: 200 source ports spread over both queues"; return 1; }
	d=$(hash_burst sdfn) || { echo "$d"; return 1; }
	echo "udp4 sdfn: $d"
	set -- $d
	[ "$1" -gt 20 ] && [ "$2" -gt 20 ] ||
		{ echo "udp4 sdfn: 200 source ports did not spread"; return 1; }
	# "r": the flow type's frames are dropped.
	d=$(hash_burst r) || { echo "$d"; return 1; }
	echo "udp4 r: $d"
	set -- $d
	R ethtool -N "$REMOTE_IF" rx-flow-hash udp4 sdfn || return
	[ "$1" -lt 10 ] && [ "$2" -lt 10 ] || { echo "udp4 r: datagrams arrived"; return 1; }
	# Ports of SCTP (hashed as plain IPv4, the parser knows no SCTP); a
	# VLAN tag, which fbnic does not hash.
	tcp4=$(flow_hash_lines tcp4)
	if R ethtool -N "$REMOTE_IF" rx-flow-hash sctp4 sdfn 2>&1 ||
		R ethtool -N "$REMOTE_IF" rx-flow-hash tcp4 sdfnv 2>&1; then
		echo "an impossible hash input was accepted"
		return 1
	fi
	n=$(flow_hash_lines udp4)$(flow_hash_lines tcp4)
	[ "$n" = "4$tcp4" ] || { echo "after the refused requests: udp4 and tcp4 fields $n"; return 1; }
}
udp4_hash=$(R ethtool -n "$REMOTE_IF" rx-flow-hash udp4 | awk '
	/^IP SA/ { f = f "s" } /^IP DA/ { f = f "d" }
	/bytes 0 & 1/ { f = f "f" } /bytes 2 & 3/ { f = f "n" } END { print f }')
expect rss-flow-hash rss_flow_hash
[ -z "$udp4_hash" ] || R ethtool -N "$REMOTE_IF" rx-flow-hash udp4 "$udp4_hash" 2>/dev/null

# --- Receive filters, MAC address changes and statistics ---

# Packets the interface received so far (the driver's rtnl counter).
rx_packets() { cat "/sys/class/net/$NETIF/statistics/rx_packets"; }

# Frames sent to an address the NIC does not own never reach a queue:
# remote has a static neighbour entry for our IP with a wrong MAC, and its
# pings must not show up in our receive counter, unless promiscuous mode is
# on (the stack drops them then, but the NIC delivers them).
unicast_filter() {
	local a b c rc=0
	R ip neigh replace "$LOCAL_V4" lladdr 02:00:00:00:be:ef dev "$REMOTE_IF" nud permanent || return
	a=$(rx_packets)
	R ping -c 30 -i 0.05 -W 1 -q "$LOCAL_V4" >/dev/null
	b=$(rx_packets)
	echo "30 pings to a foreign MAC, promiscuous off: rx_packets +$((b - a))"
	[ $((b - a)) -lt 10 ] || { echo "frames to a foreign MAC were received"; rc=1; }
	ip link set "$NETIF" promisc on
	sleep 0.5
	b=$(rx_packets)
	R ping -c 30 -i 0.05 -W 1 -q "$LOCAL_V4" >/dev/null
	c=$(rx_packets)
	ip link set "$NETIF" promisc off
	echo "30 pings to a foreign MAC, promiscuous on: rx_packets +$((c - b))"
	[ $((c - b)) -ge 30 ] || { echo "promiscuous mode did not receive them"; rc=1; }
	R ip neigh del "$LOCAL_V4" dev "$REMOTE_IF"
	return $rc
}
expect unicast-filter unicast_filter

# remote sends 30 UDP datagrams to group $1, port $2.
mcast_send() {
	R python3 - "$REMOTE_V4" "$1" "$2" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))
for i in range(30):
    s.sendto(b"group datagram %d" % i, (sys.argv[2], int(sys.argv[3])))
    time.sleep(0.02)
PY
}

# rx_packets delta while remote sends to group $1.
mcast_delta() {
	local a b
	a=$(rx_packets)
	mcast_send "$1" 7010
	sleep 0.3
	b=$(rx_packets)
	echo $((b - a))
}

# Multicast: a group nobody joined is filtered by the NIC; after `ip maddr
# add` of its MAC, or a socket joining it, its frames arrive; all-multicast
# mode receives every group.
multicast_filter() {
	local d rc=0 got
	d=$(mcast_delta 239.1.2.4)
	echo "group 239.1.2.4 not joined: rx_packets +$d"
	[ "$d" -lt 10 ] || { echo "an unjoined group was received"; rc=1; }

	ip maddr add 01:00:5e:01:02:04 dev "$NETIF" || rc=1
	sleep 0.5
	d=$(mcast_delta 239.1.2.4)
	echo "after ip maddr add 01:00:5e:01:02:04: rx_packets +$d"
	[ "$d" -ge 30 ] || { echo "the added group address was not received"; rc=1; }
	ip maddr del 01:00:5e:01:02:04 dev "$NETIF"
	sleep 0.5
	d=$(mcast_delta 239.1.2.4)
	echo "after ip maddr del: rx_packets +$d"
	[ "$d" -lt 10 ] || { echo "a removed group address was still received"; rc=1; }

	ip link set "$NETIF" allmulticast on
	sleep 0.5
	d=$(mcast_delta 239.1.2.6)
	ip link set "$NETIF" allmulticast off
	echo "allmulticast on, group 239.1.2.6: rx_packets +$d"
	[ "$d" -ge 30 ] || { echo "all-multicast mode did not receive the group"; rc=1; }

	# A socket that joins a group receives its datagrams.
	timeout 5 python3 - "$LOCAL_V4" 239.1.2.5 7011 >/tmp/mcast.out <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", int(sys.argv[3])))
mreq = socket.inet_aton(sys.argv[2]) + socket.inet_aton(sys.argv[1])
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
s.settimeout(4)
try:
    while True:
        print(s.recv(100).decode(), flush=True)
except socket.timeout:
    pass
PY
	sleep 1
	mcast_send 239.1.2.5 7011
	wait
	got=$(grep -c "group datagram" /tmp/mcast.out)
	echo "socket joined to 239.1.2.5 received $got of 30 datagrams"
	[ "$got" -ge 25 ] || rc=1
	return $rc
}
expect multicast-filter multicast_filter

# ip link set address: the NIC then receives frames to the new address
# (remote forgets the old one and resolves the new one), no longer to the
# old; a multicast or zero address is refused and changes nothing.
mac_address() {
	local old new=02:5a:11:22:33:44 rc=0
	old=$(cat "/sys/class/net/$NETIF/address")
	ip link set dev "$NETIF" address $new || return
	R ip neigh flush dev "$REMOTE_IF"
	ping -c 3 -i 0.2 -W 2 "$REMOTE_V4" || { echo "no ping with the new address"; rc=1; }
	R ip neigh show "$LOCAL_V4" dev "$REMOTE_IF"
	R ip neigh show "$LOCAL_V4" dev "$REMOTE_IF" | grep -qi "$new" ||
		{ echo "remote did not resolve us to $new"; rc=1; }
	# Frames to the old address are not ours any more.
	R ip neigh replace "$LOCAL_V4" lladdr "$old" dev "$REMOTE_IF" nud permanent
	if R ping -c 3 -i 0.2 -W 1 "$LOCAL_V4"; then
		echo "frames to the old address $old still received"
		rc=1
	fi
	R ip neigh del "$LOCAL_V4" dev "$REMOTE_IF"
	for bad in 01:00:5e:00:00:42 00:00:00:00:00:00; do
		if ip link set dev "$NETIF" address $bad; then
			echo "address $bad accepted"
			rc=1
		fi
	done
	[ "$(cat "/sys/class/net/$NETIF/address")" = $new ] ||
		{ echo "a refused address changed the interface"; rc=1; }
	ip link set dev "$NETIF" address "$old" || rc=1
	R ip neigh flush dev "$REMOTE_IF"
	ping -c 3 -i 0.2 -W 2 "$REMOTE_V4" || { echo "no ping after restoring $old"; rc=1; }
	return $rc
}
expect mac-address mac_address

# ethtool -S: the driver's counters (per queue for the Rust driver, the
# RX buffer counters for the C one) move with 30 pings each way.
ethtool_stats_snapshot() { ethtool -S "$NETIF" | awk -F': *' 'NF == 2 { gsub(/^ +/, "", $1); print $1, $2 }'; }
ethtool_stats() {
	local moved
	ethtool_stats_snapshot >/tmp/stats0 || return
	[ -s /tmp/stats0 ] || { echo "ethtool -S has no counters"; return 1; }
	ping -c 30 -i 0.05 -W 2 -q "$REMOTE_V4" >/dev/null || return
	ethtool_stats_snapshot >/tmp/stats1
	moved=$(awk 'NR == FNR { v[$1] = $2; next } ($1 in v) && $2 - v[$1] >= 30 { print $1, "+" ($2 - v[$1]) }' /tmp/stats0 /tmp/stats1)
	echo "$(wc -l </tmp/stats1) counters; moved by 30 or more:"
	echo "$moved"
	[ -n "$moved" ]
}
expect ethtool-stats ethtool_stats

# Per-queue statistics (netdev netlink qstats-get, what `ynl --family
# netdev --dump qstats-get` shows): every queue is reported, the queues'
# packets move with traffic, and the device-wide sums (base plus queues)
# equal the interface counters.
qstats_sum() { python3 /lab/lib/qstats.py "$NETIF" queue | awk -v t="$1" -v k="$2" '$1 == t { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) s += kv[2] } } END { print s + 0 }'; }
qstats_dev() { python3 /lab/lib/qstats.py "$NETIF" device | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
qstats() {
	local q a b rx tx rc=0 i
	python3 /lab/lib/qstats.py "$NETIF" queue || return
	q=$(python3 /lab/lib/qstats.py "$NETIF" queue | awk '$1 == "rx"' | wc -l)
	[ "$q" -eq "$(ls -d /sys/class/net/$NETIF/queues/rx-* | wc -l)" ] || { echo "$q RX queues reported"; rc=1; }
	a=$(qstats_sum rx rx-packets)
	ping -c 30 -i 0.05 -W 2 -q "$REMOTE_V4" >/dev/null || rc=1
	b=$(qstats_sum rx rx-packets)
	echo "per-queue rx-packets: $a -> $b"
	[ $((b - a)) -ge 30 ] || { echo "per-queue counters did not move"; rc=1; }
	# Device sums against the rtnl counters, on a quiet link (retried: an
	# IPv6 or ARP frame may come between the two reads).
	for i in 1 2 3; do
		rx=$(qstats_dev rx-packets) tx=$(qstats_dev tx-packets)
		echo "qstats device rx $rx tx $tx, rtnl rx $(rx_packets) tx $(cat /sys/class/net/$NETIF/statistics/tx_packets)"
		[ "$rx" = "$(rx_packets)" ] && [ "$tx" = "$(cat /sys/class/net/$NETIF/statistics/tx_packets)" ] && return $rc
		sleep 0.5
	done
	echo "qstats device totals differ from the interface counters"
	return 1
}
expect qstats qstats

dmesg >"$RESULTS/dmesg.txt"
check dmesg-clean dmesg_clean
