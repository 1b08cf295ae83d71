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
