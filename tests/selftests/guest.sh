#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of scripts/selftests.sh: runs the kernel's own network driver
# selftests against the emulated fbnic ports, in the two-port layout the
# netdev CI uses for virtual hardware (setup_pair of tests/vm/lib/lab.sh):
#
#   port 0 (00:05.0)  stays in the init netns  192.0.3.1/24  2001:db8:1::1/64
#   port 1 (00:06.0)  moved to netns remote     192.0.3.2/24  2001:db8:1::2/64
#
# addresses without DAD and kept on link down (the tests bounce links and
# reconfigure queues). The ports are wired back to back by the emulator, so
# port 1 is the "remote endpoint" of every test (REMOTE_TYPE=netns). The
# installed selftests come read-only from the host at $EXTRA (vm-run.sh
# --share) and are copied to a tmpfs, where net.config is written next to
# the tests.
#
# Arguments: [--timeout SEC] [--cmd COMMAND] and the tests to run, as paths
# relative to the install (drivers/net/ping.py drivers/net/hw/rss_api.py ...),
# each optionally followed by ":CASE[,CASE...]" to run only those cases
# (ksft's -t; shell tests have no such option and run whole) and "@SEC", a
# limit of its own. --timeout caps each other test's run time
# (default 300 s; a test's own "settings" timeout applies when it is lower). --cmd runs COMMAND with bash after the
# setup and the tests, in $KSFT with $NETIF, $REMOTE_IF and $NS set, its
# output in $RESULTS/cmd.log and on the console: the way to run one test by
# hand (Documentation/selftests.md).
#
# Output in $RESULTS: setup lines in results.txt (lab.sh format), the
# environment in env.txt, one TAP log per test under ksft/ and tests.tsv
# with "path<TAB>exit code<TAB>seconds" per test, parsed on the host by
# tests/selftests/report.py.
. /lab/lib/lab.sh
SUITE=selftests

KSFT=/tmp/ksft
NS=remote
KSFT_TIMEOUT=300
CMD=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) KSFT_TIMEOUT=$2; shift 2 ;;
	--cmd) CMD=$2; shift 2 ;;
	*) break ;;
	esac
done

# Waits up to 10 s for both ports to have a net device.
wait_netdevs() {
	local i
	for i in $(seq 100); do
		[ -n "$(fbnic_netdev 0)" ] && [ -n "$(fbnic_netdev 1)" ] && return 0
		sleep 0.1
	done
	echo "no net device for both fbnic functions ($(fbnic_pci_devs | xargs))"
	return 1
}

# Each MSI-X vector of the ports on one CPU, round robin, as irqbalance
# leaves a NIC: toeplitz.py maps every Rx queue to the one CPU of its IRQ
# (it fails on a multi-CPU affinity) and irq.py needs a mask it can change.
pin_irqs() {
	local bdf irq n=0 cpus
	cpus=$(nproc)
	for bdf in $(fbnic_pci_devs); do
		for irq in $(ls "/sys/bus/pci/devices/$bdf/msi_irqs" 2>/dev/null | sort -n); do
			echo $((n % cpus)) >"/proc/irq/$irq/smp_affinity_list" ||
				{ echo "IRQ $irq: cannot set its affinity"; return 1; }
			n=$((n + 1))
		done
	done
	[ $n -gt 0 ] || { echo "no MSI-X vectors"; return 1; }
	echo "$n vectors over $cpus CPUs"
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
LOCAL_PREFIX_V6=$LOCAL_PREFIX_V6
EOF
	done
}

# What the tests run against, for whoever reads the results.
describe_env() {
	local opt
	echo "## kernel"
	uname -a
	echo "## driver"
	ethtool -i "$NETIF"
	echo "## links"
	ip -d link show dev "$NETIF"
	ip addr show dev "$NETIF"
	ip -n $NS -d addr show dev "$REMOTE_IF"
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
	local spec=${1%%@*} own= filter=() path log t0 rc limit
	[ "$spec" = "$1" ] || own=${1#*@}
	path=${spec%%:*}
	if [ "$path" != "$spec" ] && [ "${path%.py}" != "$path" ]; then
		local c
		for c in $(echo "${spec#*:}" | tr , ' '); do
			filter+=(-t "$c")
		done
	fi
	log=$RESULTS/ksft/$path.tap
	mkdir -p "$(dirname "$log")"
	if [ ! -x "$KSFT/$path" ]; then
		echo "not installed: $path" >"$log"
		printf '%s\t%s\t%s\n' "$path" missing 0 >>"$RESULTS/tests.tsv"
		return
	fi
	limit=${own:-$(test_timeout "$KSFT/$path")}
	say "$spec (limit ${limit}s)"
	t0=$(date +%s.%N)
	(cd "$(dirname "$KSFT/$path")" &&
		timeout -k 10 "$limit" "./$(basename "$path")" "${filter[@]}") >"$log" 2>&1 </dev/null
	rc=$?
	printf '%s\t%s\t%.1f\n' "$path" "$rc" \
		"$(echo "$(date +%s.%N) - $t0" | bc)" >>"$RESULTS/tests.tsv"
	sed -n 's/^\(# \)\?# Totals:/  totals:/p' "$log" | tail -n 1
	# A test that fails mid-way may leave a link down; put both back up so
	# the next test starts from the layout.
	ip link set "$NETIF" up 2>/dev/null
	[ -z "${REMOTE_IF:-}" ] || ip -n $NS link set "$REMOTE_IF" up 2>/dev/null
	route_prefix 2>/dev/null
}

# The netkit tests (nk_*.py, userns_devmem.py) put addresses of
# LOCAL_PREFIX_V6 behind port 0; the remote end reaches them through it.
LOCAL_PREFIX_V6=2001:db8:2::/64
route_prefix() {
	ip -n $NS -6 route replace $LOCAL_PREFIX_V6 via "$LOCAL_V6"
}

# Process substitution (<(...), used by net/forwarding/lib.sh users) needs
# /dev/fd, which devtmpfs does not provide.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
: >"$RESULTS/tests.tsv"
mkdir -p "$KSFT"
check copy-selftests cp -a "$EXTRA/." "$KSFT/"
# The newer userland the selftests stage adds (bin/ethtool, lib/liburing,
# see scripts/setup.sh), for the tests and for everything they call.
if [ -d "$KSFT/bin" ]; then
	export PATH=$KSFT/bin:$PATH LD_LIBRARY_PATH=$KSFT/lib
	say "$(ethtool --version)"
fi

check load load_driver
check netdevs wait_netdevs
if [ -n "$(fbnic_netdev 0)" ] && [ -n "$(fbnic_netdev 1)" ]; then
	check layout setup_pair
	check pin-irqs pin_irqs
	check prefix-route route_prefix
	say "NETIF=$NETIF, $REMOTE_IF in netns $NS"
	describe_env >"$RESULTS/env.txt" 2>&1
else
	# Run the tests all the same: each then fails or skips on its own,
	# with the selftests' own words, which is what the report shows.
	NETIF=fbnic-missing
	say "no fbnic net devices: the tests will run against $NETIF"
fi
write_net_config

for t in "$@"; do
	run_one "$t"
done

if [ -n "$CMD" ]; then
	say "running: $CMD"
	export KSFT NETIF REMOTE_IF NS
	(cd "$KSFT" && bash -c "$CMD") </dev/null 2>&1 | tee "$RESULTS/cmd.log"
fi

ip netns del $NS 2>/dev/null
check unload unload_driver
check dmesg-clean dmesg_clean
