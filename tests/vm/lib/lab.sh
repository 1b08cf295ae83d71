# SPDX-License-Identifier: GPL-2.0
# Library of the bash guest scripts (the kernel selftests' guest script,
# make bench, make demo): sourced, never executed. The VM suites are
# Python (tests/py, their library tests/py/lib/fbnic_lab.py).
#
# check writes one line to $RESULTS/results.txt:
#   PASS  <name>
#   FAIL  <name>: <reason>
# and the output of the command to $RESULTS/<name>.log.

RESULTS=${RESULTS:-/lab/results}
SUITE=${SUITE:-$(basename "${0%.sh}")}
C_FBNIC=/usr/lib/modules/$(uname -r)/kernel/drivers/net/ethernet/meta/fbnic/fbnic.ko
FBNIC_VENDOR=0x1d9b
FBNIC_DEVICE=0x0013

_record() {
	printf '%s\n' "$*" >>"$RESULTS/results.txt"
	printf '%s\n' "$*"
}

_logname() { printf '%s/%s.log' "$RESULTS" "$(printf '%s' "$1" | tr '/ ' '__')"; }

# check NAME CMD [ARGS...]: CMD must succeed.
check() {
	local name="$SUITE/$1" log
	shift
	log=$(_logname "$name")
	if "$@" >"$log" 2>&1; then
		_record "PASS $name"
	else
		_record "FAIL $name: $(tail -n 1 "$log")"
	fi
}

# Logs a step for the console and the suite log.
say() { printf '%s: %s\n' "$SUITE" "$*"; }

# PCI addresses (0000:00:05.0 ...) of the emulated fbnic functions.
fbnic_pci_devs() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = $FBNIC_VENDOR ] &&
			[ "$(cat "$d/device")" = $FBNIC_DEVICE ] && basename "$d"
	done
}

# Loads the driver under test. Rust: "modprobe fbnic", resolved through
# depmod to updates/. C: the in-tree module by path, its dependencies first.
load_driver() {
	case $DRIVER in
	rust) modprobe fbnic ;;
	c)
		local deps
		deps=$(modinfo -F depends "$C_FBNIC" | tr , ' ')
		[ -z "$deps" ] || modprobe -a $deps || return
		insmod "$C_FBNIC"
		;;
	esac
}

unload_driver() { rmmod fbnic; }

# dmesg has no WARN, BUG, oops or panic.
dmesg_clean() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|Kernel panic|general protection|Call Trace' ||
		{ echo "kernel complained (see dmesg above)"; return 1; }
}

# The netdev of the Nth emulated function (0-based), e.g. "eth0".
fbnic_netdev() {
	local bdf
	bdf=$(fbnic_pci_devs | sed -n "$(($1 + 1))p")
	[ -n "$bdf" ] && ls "/sys/bus/pci/devices/$bdf/net" 2>/dev/null | head -n1
}

# The two-port layout the netdev CI uses for virtual hardware: port 0 stays
# here as $NETIF, port 1 moves into netns "remote" as $REMOTE_IF; both are
# addressed, up, and have carrier. Exports NETIF REMOTE_IF LOCAL_V4 LOCAL_V6
# REMOTE_V4 REMOTE_V6. Given two netdev names (setup_pair IF0 IF1), it
# does the same with them (make bench's virtio-net peer).
LOCAL_V4=192.0.3.1 REMOTE_V4=192.0.3.2
LOCAL_V6=2001:db8:1::1 REMOTE_V6=2001:db8:1::2
setup_pair() {
	local i
	NETIF=${1:-$(fbnic_netdev 0)} REMOTE_IF=${2:-$(fbnic_netdev 1)}
	[ -n "$NETIF" ] && [ -n "$REMOTE_IF" ] || { echo "no netdevs for two ports"; return 1; }
	export NETIF REMOTE_IF LOCAL_V4 LOCAL_V6 REMOTE_V4 REMOTE_V6
	ip netns add remote 2>/dev/null
	ip link set "$REMOTE_IF" netns remote || return
	sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1
	ip netns exec remote sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1
	ip netns exec remote ip link set lo up
	ip addr add $LOCAL_V4/24 dev "$NETIF"
	ip addr add $LOCAL_V6/64 dev "$NETIF" nodad
	ip netns exec remote ip addr add $REMOTE_V4/24 dev "$REMOTE_IF"
	ip netns exec remote ip addr add $REMOTE_V6/64 dev "$REMOTE_IF" nodad
	ip link set "$NETIF" up || return
	ip netns exec remote ip link set "$REMOTE_IF" up || return
	for i in $(seq 50); do
		[ "$(cat /sys/class/net/$NETIF/carrier 2>/dev/null)" = 1 ] &&
			[ "$(ip netns exec remote cat /sys/class/net/$REMOTE_IF/carrier 2>/dev/null)" = 1 ] &&
			return 0
		sleep 0.2
	done
	echo "no carrier on $NETIF/$REMOTE_IF within 10 s"
	return 1
}

# insn_mark: executes the marker instruction of tools/guest-insns
# (xchg %rcx,%rcx), so that a VM started with "scripts/vm-run.sh --insns
# PREFIX" writes the next snapshot of its instruction counters. Snapshots
# are numbered from 0 in the order of the marks; without the plugin the
# marker is a no-op.
insn_mark() {
	python3 -c '
import ctypes, mmap
code = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
code.write(b"\x48\x87\xc9\xc3")  # xchg %rcx,%rcx; ret
ctypes.CFUNCTYPE(None)(ctypes.addressof(ctypes.c_char.from_buffer(code)))()
'
}
