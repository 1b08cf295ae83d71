# SPDX-License-Identifier: GPL-2.0
# Test library for guest scripts: sourced, never executed.
#
# Every check writes one line to $RESULTS/results.txt:
#   PASS  <name>
#   FAIL  <name>: <reason>
#   XFAIL <name>: <reason>   an expected failure, listed so it stays visible
#   XPASS <name>: ...        an expected failure that passed: counted as a
#                            failure, so the list of expectations stays true
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

# xfail NAME REASON CMD [ARGS...]: CMD is known not to work yet, for REASON.
xfail() {
	local name="$SUITE/$1" reason=$2 log
	shift 2
	log=$(_logname "$name")
	if "$@" >"$log" 2>&1; then
		_record "XPASS $name: passed but listed as expected to fail ($reason)"
	else
		_record "XFAIL $name: $reason"
	fi
}

# expect NAME CMD...: like check, or xfail when EXPECTED_FAIL has NAME for
# this driver. EXPECTED_FAIL lines: "<driver> <name> <reason...>".
expect() {
	local name=$1 reason
	reason=$(printf '%s\n' "${EXPECTED_FAIL:-}" |
		awk -v d="$DRIVER" -v n="$name" '$1 == d && $2 == n { $1 = $2 = ""; sub(/^ +/, ""); print; exit }')
	if [ -n "$reason" ]; then
		shift
		xfail "$name" "$reason" "$@"
	else
		check "$@"
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

# The kernel module file that "modprobe fbnic" would load.
modprobe_path() { modprobe --show-depends fbnic | awk '$1 == "insmod" { p = $2 } END { print p }'; }

# Each emulated function is bound to the fbnic driver.
all_bound() {
	local d n=0
	for d in $(fbnic_pci_devs); do
		[ "$(basename "$(readlink "/sys/bus/pci/devices/$d/driver")")" = fbnic ] ||
			{ echo "$d not bound"; return 1; }
		n=$((n + 1))
	done
	[ $n -gt 0 ] || { echo "no fbnic functions"; return 1; }
	echo "$n functions bound"
}

none_bound() {
	local d
	for d in $(fbnic_pci_devs); do
		[ ! -e "/sys/bus/pci/devices/$d/driver" ] || { echo "$d still bound"; return 1; }
	done
}

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
# REMOTE_V4 REMOTE_V6.
LOCAL_V4=192.0.3.1 REMOTE_V4=192.0.3.2
LOCAL_V6=2001:db8:1::1 REMOTE_V6=2001:db8:1::2
setup_pair() {
	local i
	NETIF=$(fbnic_netdev 0) REMOTE_IF=$(fbnic_netdev 1)
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

# No leaked object reported by kmemleak whose allocation backtrace passes
# through the fbnic module (or any module, when $1 is "any"). Needs the VM
# booted with kmemleak on (a "# vm-kmemleak" line in the script). Scans
# twice: an object must look unreferenced in two scans to be reported.
kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak pat=${1:-fbnic}
	[ -w $f ] || { echo "kmemleak is off (add '# vm-kmemleak' to the script)"; return 1; }
	[ "$pat" != any ] || pat='\[[a-z_]+\]'
	echo scan >$f
	sleep 1
	echo scan >$f
	if grep -B2 -A25 '^unreferenced object' $f | grep -qE "$pat"; then
		grep -A25 '^unreferenced object' $f | head -n 60
		echo "kmemleak reports leaks in $pat"
		return 1
	fi
	echo "kmemleak: $(grep -c '^unreferenced object' $f) unreferenced objects, none from $pat"
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

# The emulator's control channel, relayed by scripts/vm-run.sh to the
# guest's second serial port: one line per command, one answer line (its
# protocol: tools/fbnic-emu/README.md). emu_open once per script, then:
#   emu_request CMD...   prints the answer line; fails without one (10 s)
#   emu_ctl CMD...       prints "CMD: answer"; succeeds on an "ok" answer
#   emu_count PORT NAME  prints counter NAME from "status PORT"
EMU_TTY=/dev/ttyS1
emu_open() {
	exec 7<>"$EMU_TTY" && stty -F "$EMU_TTY" raw -echo
}
emu_request() {
	local answer
	printf '%s\n' "$*" >&7 || return
	IFS= read -r -t 10 answer <&7 || return
	printf '%s\n' "$answer"
}
emu_ctl() {
	local answer
	answer=$(emu_request "$@") || { echo "no answer from the emulator to: $*"; return 1; }
	echo "$*: $answer"
	case $answer in ok*) return 0 ;; *) return 1 ;; esac
}
emu_count() {
	local answer
	answer=$(emu_request status "$1") || return
	printf '%s\n' "$answer" | sed -n "s/.* $2 \\([0-9]*\\).*/\\1/p"
}
