#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
# Load/unload cycles, with and without traffic, for either driver: every
# cycle must bind both ports and unload cleanly, and at the end kmemleak
# must not report an object allocated through fbnic, nor dmesg a warning.
. /lab/lib/lab.sh

EXPECTED_FAIL="
"

# N plain cycles: load (probe both ports, netdevs registered), unload.
plain_cycles() {
	local i
	for i in $(seq "$1"); do
		load_driver || { echo "cycle $i: load failed"; return 1; }
		all_bound >/dev/null || { echo "cycle $i: not bound"; return 1; }
		[ -n "$(fbnic_netdev 1)" ] || { echo "cycle $i: no netdev"; return 1; }
		unload_driver || { echo "cycle $i: unload failed"; return 1; }
	done
	echo "$1 cycles"
}

# N cycles with the ports up and a ping across before each unload.
traffic_cycles() {
	local i
	for i in $(seq "$1"); do
		load_driver || { echo "cycle $i: load failed"; return 1; }
		setup_pair || { echo "cycle $i: no link"; return 1; }
		ping -c 2 -W 3 -q "$REMOTE_V4" || { echo "cycle $i: no ping"; return 1; }
		ip netns del remote
		unload_driver || { echo "cycle $i: unload failed with the ports up"; return 1; }
	done
	echo "$1 cycles"
}

expect load-unload-20 plain_cycles 20
expect traffic-cycles-3 traffic_cycles 3
check module-gone test ! -e /sys/module/fbnic
expect no-leak kmemleak_clean
check dmesg-clean dmesg_clean
