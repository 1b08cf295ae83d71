#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The first VM suite, for either driver: the module loads, binds to every
# emulated fbnic function, unloads cleanly (also in a loop), and the kernel
# log stays free of warnings and oopses. With the Rust driver on a kernel
# with KUnit, the driver's KUnit suites report at the first load
# (kunit/<suite>.<case> results).
. /lab/lib/lab.sh

# What each driver cannot do yet on the current emulator, with the reason.
EXPECTED_FAIL="
"

say "fbnic functions: $(fbnic_pci_devs | xargs)"
check devices-present test -n "$(fbnic_pci_devs)"

if [ "$DRIVER" = rust ]; then
	# The user's view: "modprobe fbnic" must pick our module from updates/.
	from_updates() {
		local p
		p=$(modprobe_path)
		echo "modprobe fbnic -> $p"
		case $p in */updates/*) ;; *) return 1 ;; esac
	}
	check modprobe-resolves-updates from_updates
fi

check load load_driver
# Probe runs synchronously at load; give a failing probe's last words time.
sleep 1
expect bound all_bound
dmesg | grep -i fbnic >"$RESULTS/fbnic-dmesg.txt"
say "driver log:"
sed 's/^/  /' "$RESULTS/fbnic-dmesg.txt"

if [ "$DRIVER" = rust ]; then
	# The probe read BAR0 and logged it (a real MMIO round trip to the emulator).
	check probe-read-register grep -q 'fbnic.*BAR0' "$RESULTS/fbnic-dmesg.txt"
	# The driver's KUnit suites ran at this first load: a result per case.
	kunit_report "$(modprobe_path)"
else
	# With the emulated firmware the C driver probes through to a netdev.
	check c-registers-netdev test -n "$(fbnic_netdev 0)"
fi

check unload unload_driver
check unbound none_bound
check module-gone test ! -e /sys/module/fbnic

cycles_ok() {
	local i
	for i in 1 2 3; do
		load_driver || return
		unload_driver || return
	done
	test ! -e /sys/module/fbnic
}
if [ "$DRIVER" = rust ]; then
	check load-unload-cycles cycles_ok
fi
check dmesg-clean dmesg_clean
