#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
# Ring sizes (ethtool -G) and channel counts (ethtool -L), with the
# interface up: each change is reported back and traffic flows after it;
# invalid requests are refused with the old configuration kept; changes
# made while iperf3 runs neither stall the transfer nor break the link;
# and nothing leaks (kmemleak after unloading) or warns (dmesg).
. /lab/lib/lab.sh

EXPECTED_FAIL="
"

R() { ip netns exec remote "$@"; }

check load load_driver
sleep 1
expect up setup_pair

# "ethtool -g" current value of field $1 ("RX", "RX Mini", "RX Jumbo",
# "TX"): the second match, after the maxima.
ring() {
	ethtool -g "$NETIF" | awk -v k="$1:" '
		{ line = $0; sub(/^[ \t]+/, "", line) }
		index(line, k) == 1 && substr(line, length(k) + 1) ~ /^[ \t]+[0-9]+$/ { n++; v = $NF }
		n == 2 { print v; exit }'
}
# "ethtool -l" current value of field $1 ("Combined", "RX", ...).
channel() {
	ethtool -l "$NETIF" | awk -v k="$1:" '
		$1 == k { n++; v = $2 } n == 2 { print v; exit }'
}
max_channels() {
	ethtool -l "$NETIF" | awk '$1 == "Combined:" { print $2; exit }'
}
sys_queues() { ls -d /sys/class/net/"$NETIF"/queues/"$1"-* | wc -l; }

ping_ok() { ping -c 3 -i 0.2 -W 2 -q "$REMOTE_V4"; }

# A short TCP transfer each way.
iperf_ok() {
	R iperf3 -s -1 -D -p 5201 || return
	sleep 0.3
	iperf3 -c "$REMOTE_V4" -p 5201 -t 2 -f m "$@" | tail -n 4
	[ "${PIPESTATUS[0]}" = 0 ]
}

show_rings() { echo "rx $(ring RX) rx-mini $(ring 'RX Mini') rx-jumbo $(ring 'RX Jumbo') tx $(ring TX)"; }

# New sizes for every ring the C driver sizes, read back, then traffic.
ring_sizes() {
	ethtool -G "$NETIF" rx 512 rx-mini 128 rx-jumbo 512 tx 256 || return
	show_rings
	[ "$(show_rings)" = "rx 512 rx-mini 128 rx-jumbo 512 tx 256" ] || return
	ping_ok && iperf_ok
}
expect ring-sizes ring_sizes

# Sizes round up to a power of two, as in the C driver.
ring_round() {
	ethtool -G "$NETIF" rx 300 tx 100 || return
	show_rings
	[ "$(ring RX)" = 512 ] && [ "$(ring TX)" = 128 ] && ping_ok
}
expect ring-round-pow2 ring_round

# Refused requests: an error, the sizes as they were, traffic still flows.
ring_refused() {
	local before out
	before=$(show_rings)
	out=$(ethtool -G "$NETIF" "$@" 2>&1) && { echo "accepted: $*"; return 1; }
	echo "refused: $out"
	[ "$(show_rings)" = "$before" ] || { echo "changed: $(show_rings)"; return 1; }
	ping_ok
}
expect ring-too-small ring_refused tx 32
expect ring-too-small-rx ring_refused rx-mini 16
expect ring-too-large ring_refused rx 131072
# The driver says why (extack), not just EINVAL.
ring_message() { ethtool -G "$NETIF" tx 32 2>&1 | tee /dev/stderr | grep -qi "too small"; }
expect ring-refused-message ring_message

# Sizes persist across down/up.
ring_persist() {
	local before
	ethtool -G "$NETIF" rx 256 tx 512 || return
	before=$(show_rings)
	ip link set "$NETIF" down && ip link set "$NETIF" up || return
	sleep 2
	echo "before $before, after $(show_rings)"
	[ "$(show_rings)" = "$before" ] && ping_ok
}
expect ring-persist ring_persist

# Sizes set while down take effect at up.
ring_while_down() {
	ip link set "$NETIF" down || return
	ethtool -G "$NETIF" rx 2048 tx 2048 || { ip link set "$NETIF" up; return 1; }
	ip link set "$NETIF" up || return
	sleep 2
	show_rings
	[ "$(ring RX)" = 2048 ] && [ "$(ring TX)" = 2048 ] && ping_ok
}
expect ring-set-while-down ring_while_down
ethtool -G "$NETIF" rx 1024 rx-mini 256 rx-jumbo 256 tx 1024 2>/dev/null

# The most combined channels the driver offers, and the most this test
# uses: fbnic-emu gives each port 8 queue pairs by default (--queues),
# while the C driver offers the hardware's 128 whatever the emulator has.
REPORTED=$(max_channels)
EMU_QUEUES=8
MAX=$((REPORTED < EMU_QUEUES ? REPORTED : EMU_QUEUES))
say "max combined channels: $REPORTED, used: $MAX"

# ethtool -L combined N: reported back, the stack's queue count follows,
# traffic flows.
channels() {
	ethtool -L "$NETIF" combined "$1" || return
	echo "combined $(channel Combined), rx-* $(sys_queues rx), tx-* $(sys_queues tx)"
	[ "$(channel Combined)" = "$1" ] && [ "$(sys_queues rx)" = "$1" ] &&
		[ "$(sys_queues tx)" = "$1" ] || return
	ping_ok && iperf_ok && iperf_ok -R
}
expect channels-1 channels 1
if [ "$MAX" -ge 2 ]; then
	expect channels-2 channels 2
fi
expect channels-max channels "$MAX"

# More channels than the driver offers: refused, nothing changed.
channels_refused() {
	ethtool -L "$NETIF" combined $((REPORTED + 1)) && { echo accepted; return 1; }
	[ "$(channel Combined)" = "$MAX" ] && ping_ok
}
expect channels-too-many channels_refused

# A user-set indirection table that uses the last queue keeps the channel
# count from dropping below it; the default one is spread anew.
rxfh_orphan() {
	[ "$MAX" -ge 2 ] || { echo "needs 2 channels"; return 0; }
	ethtool -X "$NETIF" weight $(for i in $(seq $((MAX - 1))); do printf '0 '; done) 1 || return
	ethtool -x "$NETIF" | head -n 6
	if ethtool -L "$NETIF" combined 1; then
		echo "channel reduction accepted with a table that uses queue $((MAX - 1))"
		ethtool -L "$NETIF" combined "$MAX"
		ethtool -X "$NETIF" default
		return 1
	fi
	[ "$(channel Combined)" = "$MAX" ] || return
	ethtool -X "$NETIF" default || return
	ethtool -L "$NETIF" combined 1 || return
	# The default table now points at queue 0 only.
	ethtool -x "$NETIF" | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) if ($i != 0) bad = 1 } END { exit bad }' ||
		{ ethtool -x "$NETIF"; return 1; }
	ethtool -L "$NETIF" combined "$MAX" && ping_ok
}
expect rxfh-keeps-queues rxfh_orphan

# Changes under load: iperf3 runs 20 s while rings and channels change
# under it; it must finish, and ping must work after.
under_load() {
	local pid rc i
	R iperf3 -s -1 -D -p 5202 || return
	sleep 0.3
	iperf3 -c "$REMOTE_V4" -p 5202 -t 20 -P 2 -f m >/tmp/load.txt 2>&1 &
	pid=$!
	sleep 2
	for i in 1 2; do
		ethtool -G "$NETIF" rx 256 tx 512 || echo "-G failed"
		sleep 1
		ethtool -L "$NETIF" combined 1 || echo "-L 1 failed"
		sleep 1
		ethtool -G "$NETIF" rx 1024 tx 1024 || echo "-G back failed"
		sleep 1
		ethtool -L "$NETIF" combined "$MAX" || echo "-L max failed"
		sleep 1
		R ethtool -L "$REMOTE_IF" combined 1 || echo "remote -L 1 failed"
		sleep 1
		R ethtool -L "$REMOTE_IF" combined "$MAX" || echo "remote -L max failed"
		sleep 1
	done
	timeout 60 tail --pid=$pid -f /dev/null
	wait $pid
	rc=$?
	tail -n 5 /tmp/load.txt
	[ $rc = 0 ] || { echo "iperf3 failed: $rc"; return 1; }
	ping_ok
}
expect under-load under_load

dmesg >"$RESULTS/dmesg.txt"
check dmesg-clean dmesg_clean
ip netns del remote
check unload unload_driver
expect no-leak kmemleak_clean
