#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic between the two emulated ports, cabled back to back by the
# emulator, with port 1 in netns "remote": ping over IPv4 and IPv6, TCP
# throughput both ways, payload integrity (sha256 of a file sent with
# socat), MTU 9000, hardware counters that move with traffic, and the
# classifier: an ntuple rule steering a flow to a queue, a drop rule, and
# the RSS indirection table moving a flow.
. /lab/lib/lab.sh

# What each driver cannot do yet on the current emulator, with the reason.
EXPECTED_FAIL="
rust ring-sizes the Rust driver has no ethtool -G yet (issue 5)
rust tx-timestamp the Rust driver has no hardware timestamping yet (issue 5)
rust ntuple-steer the Rust driver has no ethtool -N yet (issue 5)
rust ntuple-drop the Rust driver has no ethtool -N yet (issue 5)
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

# Payload integrity: a random file through socat, compared by sha256.
transfer() {
	local size=$1
	head -c "$size" /dev/urandom >/tmp/tx.bin
	rm -f /tmp/rx.bin
	local pid
	R timeout 90 socat -u TCP-LISTEN:7000,reuseaddr OPEN:/tmp/rx.bin,creat,trunc &
	pid=$!
	sleep 0.5
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

# Other ring sizes on both ends (the rings are re-programmed while up),
# then the same transfer. (Header split would need hds-thresh, which the
# guest's ethtool 6.14 cannot set; the host unit tests cover it.)
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

dmesg >"$RESULTS/dmesg.txt"
check dmesg-clean dmesg_clean
