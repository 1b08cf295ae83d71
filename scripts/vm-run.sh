#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the lab guest with emulated fbnic ports and runs one guest script.
#
#   scripts/vm-run.sh [options] SCRIPT [ARGS...]
#
# SCRIPT is a bash guest script (tests/vm/*.sh), or a Python VM suite
# (tests/py/SUITE.py), which the guest runs with tests/py/guest.sh, the
# installed kernel selftests (their lib/py) shared at /lab/extra; ARGS then
# go to ksft (-t CASE runs only that case).
#
# Options:
#   --driver rust|c     which fbnic driver the guest's helpers load (default rust)
#   --ports N           emulated fbnic ports (default 2)
#   --timeout SEC       wall-clock limit for the whole VM (default 600)
#   --results DIR       where the guest's results and the logs land
#                       (default: results/<script name>-<driver>)
#   --console           also show the guest console on stdout
#   --emu-args "..."    extra arguments for fbnic-emu
#   --kmemleak          boot with kmemleak on (also: a "# vm-kmemleak" line
#                       in the script); Python suites check with
#                       no_leak of tests/py/lib/fbnic_lab.py
#   --share DIR         also share DIR read-only with the guest, at /lab/extra
#                       (used for the kernel's selftests: scripts/selftests.sh)
#   --insns PREFIX      count the guest's instructions (TCG plugin
#                       tools/guest-insns): each insn_mark in the guest
#                       writes PREFIX.0, PREFIX.1, ...
#   --root-ports        put each fbnic function behind a PCIe root port of
#                       its own, QEMU id fbnic-rpN (also: a
#                       "# vm-root-ports" line in the script); the
#                       functions are then 0000:01:00.0, 0000:02:00.0, ...
#                       instead of 0000:00:05.0, 0000:00:06.0, ...
#                       The fbnic functions' QEMU ids are fbnic0, fbnic1, ...
#                       (the hotplug suite unplugs and plugs them).
#   --c-module KO       with --driver c, load this build of the C driver
#                       instead of the lab kernel's (scripts/c-fixes.sh
#                       builds it with the fixes proposed upstream); the
#                       guest sees C_FIXES=1
#   --virtio-net tap|stream
#                       also give the guest two virtio-net-pci ports
#                       (0000:00:0c.0 and 0000:00:0d.0, MACs
#                       52:54:00:fb:00:0c/0d) connected to each other: the
#                       peer NIC make bench measures fbnic against.
#                       "tap" (the best backend here): two taps on a
#                       bridge in a network namespace of QEMU's own, with
#                       vnet headers, so the guest gets checksum offload
#                       and TSO/GSO both ways (no vhost: no /dev/vhost-net
#                       under TCG). "stream": a unix stream socket pair,
#                       no offloads (QEMU clears them without vnet headers).
#
# A script may ask for a number of ports on a "# vm-ports N" line (--ports
# on the command line wins). With root ports, a "# vm-plug-later N..." line
# leaves port N's function out at boot (its root port is there, with room
# for its BARs) for the script to plug in: "device-add N fbnicN fbnic-rpN"
# on the emulator's control socket.
#
# A script may declare the emulator options it needs on a comment line
# "# fbnic-emu-args: ..." (e.g. a start-up sensor value); they come before
# --emu-args. The emulator's control socket is relayed to the guest's
# second serial port, /dev/ttyS1: a guest script drives the emulated world
# (link flaps, sensor values, firmware faults) with its line protocol.
# QEMU serves QMP on a socket the emulator is given (--qmp): the control
# command "monitor HMP-COMMAND" runs a monitor command (the aer suite
# injects PCIe errors at the root ports with pcie_aer_inject_error).
#
# The emulator serves one vfio-user socket per port; QEMU 11 connects to
# them as vfio-user-pci devices. The guest root is the lab root over 9p
# (read-only); a second, read-write 9p share carries the guest init, the
# script, the test library, the kernel modules (ours installed into
# updates/, as a user would) and the results. Everything started here is
# stopped on exit, failure or Ctrl-C.
#
# Exit status: the guest script's, 124 on timeout, 125 if the VM never ran it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

driver=rust ports= timeout=600 results= console=0 emu_args= kmemleak=0 extra= insns=
root_ports=0 virtio_net= c_module=
while [ $# -gt 0 ]; do
	case $1 in
	--driver) driver=$2; shift 2 ;;
	--ports) ports=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--console) console=1; shift ;;
	--emu-args) emu_args=$2; shift 2 ;;
	--kmemleak) kmemleak=1; shift ;;
	--share) extra=$(cd "$2" && pwd) || die "no such directory: $2"; shift 2 ;;
	--insns) insns=$2; shift 2 ;;
	--root-ports) root_ports=1; shift ;;
	--virtio-net) virtio_net=$2; shift 2 ;;
	--c-module) c_module=$(realpath "$2") || die "no such module: $2"; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || die "usage: $0 [options] SCRIPT [ARGS...]"
script=$1
shift
[ -f "$script" ] || die "no such script: $script"
ports=${ports:-$(sed -n 's/^# vm-ports \([0-9]*\)$/\1/p' "$script" | head -n1)}
ports=${ports:-2}
case $driver in rust | c) ;; *) die "--driver must be rust or c" ;; esac
if [ -n "$c_module" ]; then
	[ "$driver" = c ] || die "--c-module needs --driver c"
	[ -f "$c_module" ] || die "no such module: $c_module"
fi
guest=$script
if [ "${script%.py}" != "$script" ]; then
	guest=$FBNIC_TOP/tests/py/guest.sh
	set -- "$(basename "$script" .py)" "$@"
	if [ -z "$extra" ]; then
		extra=$(readlink -f "$FBNIC_CACHE/selftests/current")/install
		[ -f "$extra/kselftest-list.txt" ] || die "no installed selftests; run scripts/setup.sh selftests"
	fi
fi

# This checkout's own inputs decide which cached kernel and root it uses.
kd=$(kernel_dir)
root=$(lab_root_dir)
[ -f "$kd/.built" ] || die "no kernel build; run scripts/setup.sh"
[ -f "$root/.built" ] || die "no lab root; run scripts/setup.sh"
emu=$FBNIC_TOP/target/release/fbnic-emu
[ -x "$emu" ] || die "no emulator binary; run make emu"
kver=$(cat "$kd/kernelrelease")

name=$(basename "${script%.py}" .sh)
results=${results:-$FBNIC_TOP/results/$name-$driver}
mkdir -p "$results"
results=$(cd "$results" && pwd)

run=$(mktemp -d "${TMPDIR:-/tmp}/fbnic-vm.XXXXXX")
emu_pid= qemu_pid=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -z "$qemu_pid" ] || kill -KILL "$qemu_pid" 2>/dev/null || true
	if [ -n "$emu_pid" ]; then
		kill -TERM "$emu_pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$emu_pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$emu_pid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	[ ! -f "$run/emu.log" ] || cp "$run/emu.log" "$results/emu.log"
	rm -rf "$run"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The read-write share: init, script, test library, modules, results.
share=$run/lab
mkdir -p "$share/results"
install -m 755 "$FBNIC_TOP/scripts/guest/init.sh" "$share/init.sh"
install -m 755 "$guest" "$share/test.sh"
cp -r "$FBNIC_TOP/tests/vm/lib" "$share/lib"
cp -r "$FBNIC_TOP/tests/py" "$share/py"
# The guest's init is a POSIX sh (dash), which does not read bash's $'...'
# of printf %q: each argument goes in single quotes.
for a in "$@"; do
	printf "'%s' " "${a//\'/\'\\\'\'}"
done >"$share/args"
cat >"$share/env" <<EOF
DRIVER=$driver
PORTS=$ports
KVER=$kver
SUITE=$name
C_FIXES=$([ -n "$c_module" ] && echo 1 || echo 0)
EOF
# The 9p shares, each a virtio-9p-pci device behind a PCIe root port of its
# own (slots 0x10...), which makes it a PCIe device with power management,
# and with "no soft reset": the guest's system sleep (the lifecycle suite)
# then leaves it alone. Without that, virtio-pci resets the device on
# resume and 9p, which cannot restore its channel, hangs every file access.
ninep=()
ninep_share() { # TAG PATH [readonly]
	local n=$((${#ninep[@]} / 6))
	ninep+=(-device "pcie-root-port,id=rp9p$n,bus=pcie.0,addr=0x$((10 + n)),chassis=$((10 + n))"
		-fsdev "local,id=fs$n,path=$2,security_model=none${3:+,readonly=on}"
		-device "virtio-9p-pci,fsdev=fs$n,mount_tag=$1,bus=rp9p$n,x-pcie-pm-no-soft-reset=on")
}
ninep_share rootfs "$root" readonly
ninep_share lab "$share"
if [ -n "$extra" ]; then
	mkdir -p "$share/extra"
	echo "EXTRA=/lab/extra" >>"$share/env"
	ninep_share extra "$extra" readonly
fi

# Kernel modules: the kernel's own (hard links, cheap), then ours the way
# a user installs an out-of-tree module: modules_install into updates/ and
# depmod, so "modprobe fbnic" finds the Rust driver before the C one.
mkdir -p "$share/lib/modules"
cp -al "$kd/modroot/lib/modules/$kver" "$share/lib/modules/$kver"
kmake -s M="$FBNIC_TOP" INSTALL_MOD_PATH="$share" INSTALL_MOD_DIR=updates \
	INSTALL_MOD_STRIP=1 DEPMOD=true modules_install >/dev/null
if [ -n "$c_module" ]; then
	# The C driver's place in the kernel's own tree is a hard link into
	# the cache: replace the link, not what it points at.
	cko=$(find "$share/lib/modules/$kver/kernel" -name 'fbnic.ko*' | head -n1)
	[ -n "$cko" ] || die "the lab kernel has no C fbnic module to replace"
	rm -f "$cko"
	cp "$c_module" "${cko%.ko*}.ko"
fi
/sbin/depmod -b "$share" "$kver"

# Accelerator: KVM only where it really is hardware virtualisation (the
# paravirtual /dev/kvm of some hosts cannot boot a stock kernel).
accel=${FBNIC_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg,thread=multi
	if [ -w /dev/kvm ] && grep -qE '\b(vmx|svm)\b' /proc/cpuinfo; then
		accel=kvm
	fi
fi

plugin=()
if [ -n "$insns" ]; then
	lib=$FBNIC_TOP/target/release/libguest_insns.so
	[ -f "$lib" ] || die "no $lib; run cargo build --release -p guest-insns"
	case $accel in tcg*) ;; *) die "--insns needs TCG (FBNIC_ACCEL=tcg,thread=multi)" ;; esac
	mkdir -p "$(dirname "$insns")"
	insns=$(cd "$(dirname "$insns")" && pwd)/$(basename "$insns")
	rm -f "$insns".[0-9]*
	plugin=(-plugin "$lib,out=$insns")
fi

cmdline_extra=
if [ $kmemleak -eq 1 ] || grep -q '^# vm-kmemleak' "$script"; then
	cmdline_extra=kmemleak=on
fi

# The emulator: one vfio-user socket per port.
start_emu() {
	local i n s
	rm -f "$run"/port*.sock "$run/control.sock"
	"${emu_cmd[@]}" >"$run/emu.out" 2>>"$run/emu.log" &
	emu_pid=$!
	for ((i = 0; i < 100; i++)); do
		n=0
		for s in "${socks[@]}"; do [ -S "$s" ] && n=$((n + 1)); done
		[ $n -eq "$ports" ] && [ -S "$ctl" ] && return 0
		kill -0 "$emu_pid" 2>/dev/null || die "fbnic-emu exited: $(tail -n5 "$run/emu.log")"
		sleep 0.1
	done
	die "fbnic-emu did not open its ${#socks[@]} port sockets and control socket"
}
socks=()
emu_cmd=("$emu")
for ((i = 0; i < ports; i++)); do
	socks+=("$run/port$i.sock")
	emu_cmd+=(--socket "$run/port$i.sock")
done
ctl=$run/control.sock
qmp=$run/qmp.sock
emu_cmd+=(--control "$ctl" --qmp "$qmp")
# shellcheck disable=SC2206
emu_cmd+=($(sed -n 's/^# fbnic-emu-args: //p' "$script") $emu_args)

# Each fbnic function in slot 5, 6, ... of the root bus, or behind a root
# port there (--root-ports), where Linux's AER service sees its errors.
if grep -q "^# vm-root-ports" "$script"; then root_ports=1; fi
# Ports the script plugs in itself (QMP device_add through the emulator's
# control socket): their root port is there at boot, the function is not.
later=" $(sed -n 's/^# vm-plug-later //p' "$script") "
[ "$later" = "  " ] || [ $root_ports -eq 1 ] || die "# vm-plug-later needs # vm-root-ports"
devices=()

for ((i = 0; i < ports; i++)); do
	at="\"addr\":\"0x$((5 + i))\""
	if [ $root_ports -eq 1 ]; then
		# An empty slot's bridge window is sized by the firmware at boot:
		# reserve room for a function plugged later (BAR0 is 4 MiB).
		reserve=
		[[ $later != *" $i "* ]] || reserve=,mem-reserve=8M
		devices+=(-device "pcie-root-port,id=fbnic-rp$i,bus=pcie.0,addr=0x$((5 + i)),chassis=$((1 + i))$reserve")
		at="\"bus\":\"fbnic-rp$i\""
	fi
	[[ $later != *" $i "* ]] || continue
	devices+=(-device "{\"driver\":\"vfio-user-pci\",\"id\":\"fbnic$i\",\"socket\":{\"path\":\"${socks[$i]}\",\"type\":\"unix\"},$at}")
done

# The virtio-net pair (--virtio-net). QEMU (which is exec'ed, so its pid
# stays the one started) then runs in a network namespace of its own,
# where the taps and their bridge live and vanish with it.
netns=()
case $virtio_net in
"") ;;
tap)
	devices+=(-netdev tap,id=vn0,ifname=fbvn0,script=no,downscript=no,vnet_hdr=on,vhost=off
		-netdev tap,id=vn1,ifname=fbvn1,script=no,downscript=no,vnet_hdr=on,vhost=off)
	netns=(unshare --net sh -ec 'ip link add fbvnbr type bridge
for t in fbvn0 fbvn1; do
	ip tuntap add dev $t mode tap vnet_hdr
	ip link set $t master fbvnbr up
done
ip link set fbvnbr up
exec "$@"' sh)
	;;
stream)
	devices+=(-netdev "stream,id=vn0,server=on,addr.type=unix,addr.path=$run/vn.sock"
		-netdev "stream,id=vn1,server=off,reconnect-ms=100,addr.type=unix,addr.path=$run/vn.sock")
	;;
*) die "--virtio-net must be tap or stream" ;;
esac
if [ -n "$virtio_net" ]; then
	for i in 0 1; do
		# The offload properties (csum, guest_csum, host/guest_tso4/6,
		# mrg_rxbuf) are on by default; QEMU offers what the backend has.
		devices+=(-device "virtio-net-pci,netdev=vn$i,addr=$(printf 0x%02x $((12 + i))),mac=$(printf 52:54:00:fb:00:%02x $((12 + i)))")
	done
fi

qemu=("${netns[@]}" "$root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$root/usr/lib/x86_64-linux-gnu"
	"$root/usr/bin/qemu-system-x86_64" -L "$root/usr/share/qemu" -L "$root/usr/share/seabios")
start_vm() {
	: >"$run/console.log"
	"${qemu[@]}" -nodefaults -no-user-config -nographic -no-reboot \
		-M q35,memory-backend=mem -accel "$accel" -cpu max -smp 2 \
		-object memory-backend-memfd,id=mem,size=2G,share=on \
		-kernel "$kd/build/arch/x86/boot/bzImage" \
		-append "$cmdline_extra console=ttyS0 root=rootfs rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro init=/sbin/lab-init panic=-1 oops=panic quiet loglevel=4" \
		"${ninep[@]}" \
		-serial "file:$run/console.log" -monitor none \
		-qmp "unix:$qmp,server=on,wait=off" \
		-chardev "socket,id=fbnicctl,path=$ctl" -serial chardev:fbnicctl \
		"${devices[@]}" "${plugin[@]}" >"$run/qemu.log" 2>&1 &
	qemu_pid=$!
}

stop_vm_and_emu() {
	kill -KILL "$qemu_pid" 2>/dev/null || true
	wait "$qemu_pid" 2>/dev/null || true
	qemu_pid=
	kill -TERM "$emu_pid" 2>/dev/null || true
	wait "$emu_pid" 2>/dev/null || true
	emu_pid=
}

# Boot, and watch for the guest init's first line. Under TCG on a loaded
# host a boot has been seen to hang before init (rarely); such a boot is
# kept as console-boot-hang-N.log and retried once, visibly.
boot_timeout=${FBNIC_BOOT_TIMEOUT:-150}
for attempt in 1 2; do
	start_emu
	start_vm
	booted=0
	boot_deadline=$((SECONDS + boot_timeout))
	while kill -0 "$qemu_pid" 2>/dev/null && [ $SECONDS -lt $boot_deadline ]; do
		# Not anchored: SeaBIOS's last screen escapes share init's line.
		grep -aq 'lab: .*cpus, driver' "$run/console.log" 2>/dev/null && { booted=1; break; }
		sleep 0.5
	done
	kill -0 "$qemu_pid" 2>/dev/null || booted=1
	[ $booted -eq 0 ] || break
	cp "$run/console.log" "$results/console-boot-hang-$attempt.log"
	log "the guest did not reach its init within ${boot_timeout}s (attempt $attempt)"
	stop_vm_and_emu
	[ $attempt -lt 2 ] || die "the guest did not boot (see $results/console-boot-hang-*.log)"
	echo "$(date +%T) boot hang, retried (console-boot-hang-$attempt.log)" >>"$results/boot-retries.txt"
done

tail_pid=
if [ $console -eq 1 ]; then
	# Follows the console until QEMU is gone, then prints what is left.
	# SeaBIOS's terminal escapes are dropped.
	tail -n +1 -s 0.2 -F --pid="$qemu_pid" "$run/console.log" 2>/dev/null |
		sed -u -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' &
	tail_pid=$!
fi

rc=0
deadline=$((SECONDS + timeout))
while kill -0 "$qemu_pid" 2>/dev/null; do
	if [ $SECONDS -ge $deadline ]; then
		log "timeout after ${timeout}s; stopping the VM"
		rc=124
		kill -KILL "$qemu_pid" 2>/dev/null || true
		break
	fi
	sleep 0.5
done
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
[ -z "$tail_pid" ] || wait "$tail_pid" 2>/dev/null || true

cp "$run/console.log" "$results/console.log" 2>/dev/null || true
cp "$run/qemu.log" "$results/qemu.log" 2>/dev/null || true
cp -r "$share/results/." "$results/" 2>/dev/null || true
if [ $rc -eq 0 ]; then
	if [ -f "$share/results/exitcode" ]; then
		rc=$(cat "$share/results/exitcode")
	else
		log "the guest did not finish its script (see $results/console.log)"
		tail -n 20 "$run/console.log" >&2 || true
		rc=125
	fi
fi
exit "$rc"
