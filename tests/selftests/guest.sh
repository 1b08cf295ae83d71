#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of scripts/selftests.sh: runs the kernel's own network driver
# selftests against the emulated fbnic ports, in the two-port layout the
# netdev CI uses for virtual hardware.
#
#   port 0 (00:05.0)  stays in the init netns  192.0.3.1/24  2001:db8:1::1/64
#   port 1 (00:06.0)  moved to netns ns-remote  192.0.3.2/24  2001:db8:1::2/64
#
# The ports are wired back to back by the emulator, so port 1 is the "remote
# endpoint" of every test (REMOTE_TYPE=netns). The installed selftests come
# read-only from the host at $EXTRA (vm-run.sh --share) and are copied to a
# tmpfs, where net.config is written next to the tests.
#
# Arguments: [--timeout SEC] [--cmd COMMAND] and the tests to run, as paths
# relative to the install (drivers/net/ping.py drivers/net/hw/rss_api.py ...),
# each optionally followed by ":CASE" to run only that case (ksft's -t).
# --timeout caps each test's run time (default 300 s; a test's own "settings"
# timeout applies when it is lower). --cmd runs COMMAND with bash after the
# setup and the tests, with $KSFT, $NETIF, $PEER and $NS set, its output in
# $RESULTS/cmd.log and on the console: the way to poke at one test by hand
# (Documentation/selftests.md).
#
# Output in $RESULTS: setup lines in results.txt (lab.sh format), the
# environment in env.txt, one TAP log per test under ksft/ and tests.tsv
# with "path<TAB>exit code<TAB>seconds" per test, parsed on the host by
# tests/selftests/report.py.
. /lab/lib/lab.sh
SUITE=selftests

KSFT=/tmp/ksft
NS=ns-remote
LOCAL_V4=192.0.3.1 REMOTE_V4=192.0.3.2
LOCAL_V6=2001:db8:1::1 REMOTE_V6=2001:db8:1::2
KSFT_TIMEOUT=300
CMD=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) KSFT_TIMEOUT=$2; shift 2 ;;
	--cmd) CMD=$2; shift 2 ;;
	*) break ;;
	esac
done

# The net device of a PCI function, once the driver registered it.
pci_netdev() {
	local d
	for d in /sys/bus/pci/devices/"$1"/net/*; do
		[ -e "$d" ] && basename "$d" && return 0
	done
	return 1
}

# Waits up to 10 s for every fbnic function to have a net device.
wait_netdevs() {
	local i d missing
	for i in $(seq 100); do
		missing=
		for d in $(fbnic_pci_devs); do
			pci_netdev "$d" >/dev/null || missing="$missing $d"
		done
		[ -z "$missing" ] && return 0
		sleep 0.1
	done
	echo "no net device for:$missing"
	return 1
}

wait_carrier() {
	local ns=$1 dev=$2 i
	for i in $(seq 50); do
		[ "$(${ns:+ip netns exec $ns} cat "/sys/class/net/$dev/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	echo "$dev: no carrier 5 s after link up"
	return 1
}

# The layout: addresses survive link down/up (keep_addr_on_down) because
# the tests bounce links and reconfigure queues; no DAD so IPv6 is usable
# at once.
setup_layout() {
	local x="ip netns exec $NS"
	ip netns add $NS &&
		ip -n $NS link set lo up &&
		ip link set "$PEER" netns $NS &&
		sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1 &&
		sysctl -qw net.ipv6.conf.default.keep_addr_on_down=1 &&
		sysctl -qw net.ipv6.conf."$NETIF".keep_addr_on_down=1 &&
		$x sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1 &&
		$x sysctl -qw net.ipv6.conf.default.keep_addr_on_down=1 &&
		$x sysctl -qw net.ipv6.conf."$PEER".keep_addr_on_down=1 &&
		ip addr add $LOCAL_V4/24 dev "$NETIF" &&
		ip -6 addr add $LOCAL_V6/64 dev "$NETIF" nodad &&
		ip -n $NS addr add $REMOTE_V4/24 dev "$PEER" &&
		ip -n $NS -6 addr add $REMOTE_V6/64 dev "$PEER" nodad &&
		ip link set "$NETIF" up &&
		ip -n $NS link set "$PEER" up
}

write_net_config() {
	local dir
	for dir in "$KSFT/drivers/net" "$KSFT/drivers/net/hw"; do
		cat >"$dir/net.config" <<EOF
# Written by tests/selftests/guest.sh for the emulated fbnic ports.
NETIF=$NETIF
LOCAL_V4=$LOCAL_V4
LOCAL_V6=$LOCAL_V6
REMOTE_V4=$REMOTE_V4
REMOTE_V6=$REMOTE_V6
REMOTE_TYPE=netns
REMOTE_ARGS=$NS
EOF
	done
}

# What the tests run against, for whoever reads the results.
describe_env() {
	echo "## kernel"
	uname -a
	echo "## driver"
	ethtool -i "$NETIF"
	echo "## links"
	ip -d link show dev "$NETIF"
	ip -n $NS -d link show dev "$PEER"
	ip addr show dev "$NETIF"
	for opt in -l -g -k -x -c; do
		echo "## ethtool $opt $NETIF"
		ethtool $opt "$NETIF" 2>&1
	done
}

# The test's own timeout from its directory's settings file (0: none),
# capped by KSFT_TIMEOUT.
test_timeout() {
	local t
	t=$(sed -n 's/^timeout=//p' "$(dirname "$1")/settings" 2>/dev/null)
	if [ -z "$t" ] || [ "$t" -le 0 ] || [ "$t" -gt "$KSFT_TIMEOUT" ]; then
		t=$KSFT_TIMEOUT
	fi
	echo "$t"
}

run_one() {
	local path=${1%%:*} filter=() log t0 rc limit
	[ "$path" = "$1" ] || filter=(-t "${1#*:}")
	log=$RESULTS/ksft/$path.tap
	mkdir -p "$(dirname "$log")"
	if [ ! -x "$KSFT/$path" ]; then
		echo "not installed: $path" >"$log"
		printf '%s\t%s\t%s\n' "$path" missing 0 >>"$RESULTS/tests.tsv"
		return
	fi
	limit=$(test_timeout "$KSFT/$path")
	say "$path (limit ${limit}s)"
	t0=$(date +%s.%N)
	(cd "$(dirname "$KSFT/$path")" &&
		timeout -k 10 "$limit" "./$(basename "$path")" "${filter[@]}") >"$log" 2>&1 </dev/null
	rc=$?
	printf '%s\t%s\t%.1f\n' "$path" "$rc" \
		"$(echo "$(date +%s.%N) - $t0" | bc)" >>"$RESULTS/tests.tsv"
	sed -n 's/^\(# \)\?# Totals:/  totals:/p' "$log" | tail -n 1
	# A test that fails mid-way may leave its settings behind; put the
	# links back up so the next test starts from the layout.
	ip link set "$NETIF" up 2>/dev/null
	ip -n $NS link set "$PEER" up 2>/dev/null
}

: >"$RESULTS/tests.tsv"
mkdir -p "$KSFT"
check copy-selftests cp -a "$EXTRA/." "$KSFT/"

check load load_driver
check netdevs wait_netdevs
read -r P0 P1 _ <<<"$(fbnic_pci_devs | xargs)"
NETIF=$(pci_netdev "$P0")
PEER=$(pci_netdev "$P1")
say "NETIF=${NETIF:-none} ($P0), remote ${PEER:-none} ($P1) in $NS"
if [ -n "$NETIF" ] && [ -n "$PEER" ]; then
	check layout setup_layout
	check carrier-local wait_carrier "" "$NETIF"
	check carrier-remote wait_carrier $NS "$PEER"
	describe_env >"$RESULTS/env.txt" 2>&1
else
	# Run the tests all the same: each then fails or skips on its own,
	# with the selftests' own words, which is what the report shows.
	NETIF=${NETIF:-fbnic-missing}
	say "no fbnic net devices: the tests will run against $NETIF"
fi
write_net_config

for t in "$@"; do
	run_one "$t"
done

if [ -n "$CMD" ]; then
	say "running: $CMD"
	export KSFT NETIF PEER NS
	(cd "$KSFT" && bash -c "$CMD") </dev/null 2>&1 | tee "$RESULTS/cmd.log"
fi

ip netns del $NS 2>/dev/null
check unload unload_driver
check dmesg-clean dmesg_clean
