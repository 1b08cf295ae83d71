#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control plane, for either driver: probe registers a netdev with the
# serial-derived MAC, the firmware mailbox answers (versions, sensors,
# module EEPROM, self-test, flash), the link comes up at the configured
# speed and survives a flap, injected firmware faults and many down/up and
# unload/load cycles.
#
# The world outside the NIC (cable, sensors, firmware faults) is driven
# through the emulator's control socket, which vm-run.sh relays to the
# guest's /dev/ttyS1. The voltage is set at start-up instead (vm-run.sh
# reads the next line), to cover that path too.
# fbnic-emu-args: --volt 812
. /lab/lib/lab.sh

EXPECTED_FAIL="
rust devlink-info the Rust driver has no devlink instance yet (outside issue 5's list)
rust ethtool-selftest the Rust driver has no ethtool self-test yet (outside issue 5's list)
rust ethtool-module-eeprom the Rust driver has no ethtool -m yet (outside issue 5's list)
rust hwmon-temp the Rust driver has no hwmon sensor yet (outside issue 5's list)
rust hwmon-volt the Rust driver has no hwmon sensor yet (outside issue 5's list)
rust fault-sensor-error the Rust driver has no hwmon sensor yet (outside issue 5's list)
rust fault-dropped-answer the Rust driver has no hwmon sensor yet (outside issue 5's list)
rust devlink-flash the Rust driver has no devlink flash yet (outside issue 5's list)
rust fw-coredump the Rust driver has no devlink health reporter yet (outside issue 5's list)
rust fault-heartbeat-loss the Rust driver has no devlink health reporter yet (outside issue 5's list)
rust ptp-clock-runs the Rust driver has no PTP clock yet (outside issue 5's list)
"

TEMP_MC=61500 VOLT_MV=812

# The emulator's control channel (emu_ctl from lib/lab.sh).
emu_open || say "no control channel on $EMU_TTY"
check control-channel emu_ctl status

# wait_for SECONDS CMD...: polls CMD every 0.2 s.
wait_for() {
	local n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	"$@"
}

check load load_driver
sleep 1
bdf=$(fbnic_pci_devs | head -n1)
dev=$(fbnic_netdev 0)
say "port 0: $bdf netdev ${dev:-none}"
dmesg | grep -i fbnic >"$RESULTS/fbnic-dmesg.txt"

expect netdev test -n "$dev"

mac_ok() {
	local mac
	mac=$(cat "/sys/class/net/$dev/address")
	echo "address $mac"
	[ "$mac" = 02:00:5e:00:10:00 ]
}
expect mac-from-dsn mac_ok

devlink_info() {
	devlink dev info "pci/$bdf" | tee "$RESULTS/devlink-info.txt"
	grep -q 'fw 25.06.01-000' "$RESULTS/devlink-info.txt" &&
		grep -q 'fw.commit fbnic-emu' "$RESULTS/devlink-info.txt" &&
		grep -q 'fw.bootloader 25.03.00-000' "$RESULTS/devlink-info.txt" &&
		grep -q 'fw.undi 01.02.00-000' "$RESULTS/devlink-info.txt" &&
		grep -q 'serial_number' "$RESULTS/devlink-info.txt"
}
expect devlink-info devlink_info

carrier() { [ "$(cat "/sys/class/net/$dev/carrier" 2>/dev/null)" = "${1:-1}" ]; }
link_up() {
	[ -n "$dev" ] || return 1
	ip link set "$dev" up || return
	# The PMD "trains" for 4 s before the driver reports link.
	wait_for 20 carrier 1
}
expect link-up link_up

speed_ok() {
	ethtool "$dev" | tee "$RESULTS/ethtool.txt"
	grep -q 'Speed: 100000Mb/s' "$RESULTS/ethtool.txt" &&
		grep -q 'Link detected: yes' "$RESULTS/ethtool.txt"
}
expect ethtool-speed speed_ok

selftest() {
	[ -n "$dev" ] || return 1
	ethtool -t "$dev" offline | tee "$RESULTS/ethtool-t.txt"
	local rc=${PIPESTATUS[0]}
	# The offline test takes the interface down and up again.
	wait_for 20 carrier 1
	[ "$rc" = 0 ] && grep -q 'PASS' "$RESULTS/ethtool-t.txt"
}
expect ethtool-selftest selftest

module_eeprom() {
	[ -n "$dev" ] || return 1
	ethtool -m "$dev" | tee "$RESULTS/ethtool-m.txt"
	grep -q 'Identifier.*0x11 (QSFP28)' "$RESULTS/ethtool-m.txt" &&
		grep -q 'Vendor name.*FBNIC-EMU' "$RESULTS/ethtool-m.txt"
}
expect ethtool-module-eeprom module_eeprom

hwmon_dir() {
	local h
	for h in /sys/class/hwmon/hwmon*; do
		[ "$(cat "$h/name" 2>/dev/null)" = fbnic ] && [ "$(readlink -f "$h/device")" = "$(readlink -f "/sys/bus/pci/devices/$bdf")" ] &&
			{ echo "$h"; return 0; }
	done
	return 1
}
hwmon_is() {
	local h v
	h=$(hwmon_dir) || { echo "no fbnic hwmon device for $bdf"; return 1; }
	v=$(cat "$h/$1")
	echo "$h/$1 = $v (want $2)"
	[ "$v" = "$2" ]
}
inject_temp() { emu_ctl temp 0 $TEMP_MC && hwmon_is temp1_input $TEMP_MC; }
expect hwmon-temp inject_temp
expect hwmon-volt hwmon_is in0_input $VOLT_MV

# Faults: a sensor error reaches the reader; an answer the firmware drops
# times the read out (10 s, the driver's mailbox timeout) and the mailbox
# carries on.
sensor_error() {
	emu_ctl sensor-error 0 5 || return
	local h v rc
	h=$(hwmon_dir) || return
	v=$(cat "$h/temp1_input" 2>&1)
	rc=$?
	echo "read with sensor error: rc $rc: $v"
	emu_ctl sensor-error 0 off || return
	[ $rc != 0 ] && hwmon_is temp1_input $TEMP_MC
}
expect fault-sensor-error sensor_error
dropped_answer() {
	emu_ctl fault 0 drop-response 1 || return
	local h v rc
	h=$(hwmon_dir) || return
	v=$(cat "$h/temp1_input" 2>&1)
	rc=$?
	echo "read with its answer dropped: rc $rc: $v"
	[ $rc != 0 ] && hwmon_is temp1_input $TEMP_MC
}
expect fault-dropped-answer dropped_answer

# Unplug port 0's cable for 3 s through the control socket.
link_flap() {
	[ -n "$dev" ] || return 1
	local before after
	before=$(cat "/sys/class/net/$dev/carrier_down_count")
	emu_ctl link flap 0 3 || return
	wait_for 10 carrier 0 || { echo "carrier never dropped"; return 1; }
	echo "carrier lost"
	wait_for 30 carrier 1 || { echo "carrier did not come back"; return 1; }
	after=$(cat "/sys/class/net/$dev/carrier_down_count")
	echo "carrier back; carrier_down_count $before -> $after"
	[ "$after" -gt "$before" ]
}
expect link-flap link_flap

devlink_flash() {
	mkdir -p /tmp/fw
	python3 /lab/lib/mkpldm.py /tmp/fw/fbnic-test.pldm 10000 || return
	# The root is read-only: point the firmware loader at /tmp/fw.
	echo -n /tmp/fw >/sys/module/firmware_class/parameters/path || return
	devlink dev flash "pci/$bdf" file fbnic-test.pldm 2>&1 | tee "$RESULTS/devlink-flash.txt"
	[ "${PIPESTATUS[0]}" = 0 ]
}
if [ -d /sys/module/firmware_class ]; then
	expect devlink-flash devlink_flash
else
	xfail devlink-flash "the lab kernel has no firmware loader (CONFIG_FW_LOADER unset), so devlink flash cannot read a package" devlink_flash
fi

coredump() {
	devlink health dump show "pci/$bdf" reporter fw >"$RESULTS/coredump.txt" 2>&1 || { cat "$RESULTS/coredump.txt"; return 1; }
	head -c 300 "$RESULTS/coredump.txt"
	# The emulated dump starts with "fbnic-emu firmware coredump".
	grep -q 'FW coredump' "$RESULTS/coredump.txt" &&
		tr -d ' \n' <"$RESULTS/coredump.txt" | grep -q '66626e69632d656d75206669726d77617265'
}
expect fw-coredump coredump

# The PTP hardware clock runs at the rate of real time.
ptp_runs() {
	local ptp
	ptp=$(ls "/sys/class/net/$dev/device/ptp" 2>/dev/null | head -n1)
	[ -n "$ptp" ] || { echo "no PTP clock for $dev"; return 1; }
	python3 - "/dev/$ptp" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
clock = ((~fd) << 3) | 3  # FD_TO_CLOCKID
p0, h0 = time.clock_gettime_ns(clock), time.monotonic_ns()
time.sleep(1)
p1, h1 = time.clock_gettime_ns(clock), time.monotonic_ns()
ratio = (p1 - p0) / (h1 - h0)
print(f"{sys.argv[1]}: {p1 - p0} ns in {h1 - h0} ns of host time, ratio {ratio:.4f}")
sys.exit(0 if 0.95 < ratio < 1.05 else 1)
PY
}
expect ptp-clock-runs ptp_runs

# Heartbeats stop: the driver declares a firmware crash through its devlink
# health reporter and takes ownership again; heartbeats resume.
fw_errors() {
	devlink health show "pci/$bdf" reporter fw 2>/dev/null |
		sed -n 's/.* error \([0-9]*\).*/\1/p'
}
fw_errors_above() { [ "$(fw_errors)" -gt "$1" ]; }
heartbeat_loss() {
	local before rc
	before=$(fw_errors)
	[ -n "$before" ] || { echo "no fw health reporter"; return 1; }
	emu_ctl fault 0 heartbeat stop || return
	wait_for 40 fw_errors_above "$before"
	rc=$?
	emu_ctl fault 0 heartbeat start || return
	dmesg | grep -E 'heartbeat|crash' | tail -n 3
	echo "fw reporter errors: $before -> $(fw_errors)"
	[ $rc = 0 ] && wait_for 10 carrier 1
}
expect fault-heartbeat-loss heartbeat_loss

updown_cycles() {
	[ -n "$dev" ] || return 1
	local i
	for i in $(seq 20); do
		ip link set "$dev" down || return
		ip link set "$dev" up || return
	done
	wait_for 20 carrier 1 || { echo "no carrier after 20 down/up cycles"; return 1; }
	echo "20 cycles, carrier back"
}
expect updown-cycles updown_cycles

check unload unload_driver
reload_cycles() {
	local i
	for i in $(seq 10); do
		load_driver || return
		unload_driver || return
	done
	test ! -e /sys/module/fbnic
}
check reload-cycles reload_cycles
dmesg | grep -i fbnic >"$RESULTS/fbnic-dmesg-final.txt"
check dmesg-clean dmesg_clean
