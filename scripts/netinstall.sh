#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs Debian over an emulated fbnic port, as a server whose only NIC is
# fbnic would be provisioned, and boots the installed system.
#
#   scripts/netinstall.sh [--driver rust|c] [--quick] [--cases "..."]
#                         [--results DIR] [--console]
#
#   --driver    which fbnic driver the provisioning kernel has built in and
#               the installed system loads as a module (default rust)
#   --quick     the cases of make test: install, no-dhcp, bad-payload
#   --cases     any of: install (install, then boot the installed system),
#               check (provisioning boot, DHCP, checked downloads), no-dhcp,
#               bad-payload, bad-package. Default: install no-dhcp
#               bad-payload bad-package
#   --results   where results.txt, the consoles and the server logs land
#               (default results/netinstall-<driver>)
#   --console   also show the guest consoles
#
# Each case builds its world and tears it down again: a network namespace
# with the install server (dnsmasq for DHCP, a Python HTTP server with the
# Debian mirror and the installer's inputs) cabled to the emulator's port
# through a TAP interface; the emulator; QEMU with that port as its only
# network device and an empty virtio-blk disk, booting the provisioning
# kernel and the installer initramfs directly, as a PXE loader would hand
# them over (the NIC's own PXE/UNDI stage is not emulated). Everything is
# stopped and removed on exit, on failure and on Ctrl-C.
#
# Prints each stage with its time and one result line per case (PASS/FAIL
# netinstall/CASE, also in results.txt); exits 0 only if all passed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

driver=rust results= console=0 cases="install no-dhcp bad-payload bad-package"
while [ $# -gt 0 ]; do
	case $1 in
	--driver) driver=$2; shift 2 ;;
	--quick) cases="install no-dhcp bad-payload"; shift ;;
	--cases) cases=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--console) console=1; shift ;;
	-h | --help) sed -n '3,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case $driver in rust | c) ;; *) die "--driver must be rust or c" ;; esac

# Missing host pieces are named before anything starts.
[ "$(id -u)" -eq 0 ] || die "netinstall needs root (network namespaces, TAP, dnsmasq)"
tun=${FBNIC_TUN:-/dev/net/tun}
[ -c "$tun" ] || die "no $tun: the emulator cannot create its TAP interface (modprobe tun)"
for t in ip dnsmasq cpio gzip /usr/bin/python3; do
	command -v "$t" >/dev/null || die "missing host tool: $t (run scripts/setup.sh packages)"
done
ip netns list >/dev/null 2>&1 || die "cannot use network namespaces (ip netns)"
emu=$FBNIC_TOP/target/release/fbnic-emu
[ -x "$emu" ] || die "no emulator binary; run make emu"
kd=$(kernel_dir)
root=$(lab_root_dir)
[ -f "$kd/.built" ] || die "no lab kernel; run scripts/setup.sh"
[ -f "$root/.built" ] || die "no lab root; run scripts/setup.sh"
pd=$(provision_dir "$driver")
[ -f "$pd/.built" ] || die "no provisioning kernel for $driver; run scripts/setup.sh provision-$driver"
md=$(mirror_dir)
[ -f "$md/.built" ] || die "no netinstall mirror; run scripts/setup.sh mirror"
kver=$(cat "$kd/kernelrelease")

results=${results:-$FBNIC_TOP/results/netinstall-$driver}
rm -rf "$results"
mkdir -p "$results"
results=$(cd "$results" && pwd)
: >"$results/results.txt"

run=$(mktemp -d "${TMPDIR:-/tmp}/fbnic-netinstall.XXXXXX")
ns=fbni-$$
tap=fbni$$
addr=192.0.2.1
server=http://$addr:8080
qemu_pid= emu_pid= dns_pid= http_pid=

stop_world() {
	local p
	for p in "$qemu_pid" "$emu_pid" "$dns_pid" "$http_pid"; do
		[ -z "$p" ] || kill -TERM "$p" 2>/dev/null || true
	done
	for p in "$qemu_pid" "$emu_pid" "$dns_pid" "$http_pid"; do
		[ -z "$p" ] || wait "$p" 2>/dev/null || true
	done
	qemu_pid= emu_pid= dns_pid= http_pid=
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$tap" 2>/dev/null || true
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_world
	rm -rf "$run"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_start=$SECONDS
elapsed() { printf '%4d s' $((SECONDS - t_start)); }
say() { printf '[%s] %s\n' "$(elapsed)" "$*"; }

# The installer's inputs, shared by every case: the initramfs (busybox,
# debootstrap and the perl it needs, the installer), the kernel and modules
# to install (ours into updates/ for the Rust driver), a probe file.
prepare_inputs() {
	local ird=$run/initrd www=$run/www pkgs f lib
	say "stage inputs: initramfs and installer payload"
	mkdir -p "$ird"/{bin,sbin,usr/bin,usr/sbin,usr/share,dev,proc,sys,tmp,target,lib64}
	cp -r "$md/tools/debootstrap/usr/share/debootstrap" "$ird/usr/share/"
	cp "$md/tools/debootstrap/usr/sbin/debootstrap" "$ird/usr/sbin/"
	# From the lab root (a trixie system like the one installed): busybox,
	# and the perl debootstrap resolves dependencies with. Not the static
	# busybox: it runs its own applets in preference to programs, so
	# debootstrap's "chroot TARGET dpkg" would run the applet.
	mkdir -p "$ird/usr/lib/x86_64-linux-gnu"
	cp "$root/usr/bin/busybox" "$ird/bin/busybox"
	cp "$root/usr/bin/perl" "$ird/usr/bin/perl"
	cp -r "$root/usr/lib/x86_64-linux-gnu/perl-base" "$ird/usr/lib/x86_64-linux-gnu/"
	for lib in $(for f in usr/bin/busybox usr/bin/perl; do
		"$root/usr/lib64/ld-linux-x86-64.so.2" --library-path \
			"$root/usr/lib/x86_64-linux-gnu" --list "$root/$f"
	done | awk '$3 ~ /^\// { print $3 }' | sort -u); do
		cp "$lib" "$ird/usr/lib/x86_64-linux-gnu/"
	done
	cp "$root/usr/lib64/ld-linux-x86-64.so.2" "$ird/lib64/"
	ln -s usr/lib "$ird/lib"
	install -m 755 "$FBNIC_TOP/scripts/netinstall/installer-init" "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/initrd.gz"

	mkdir -p "$www/install" "$run/payload"
	ln -s "$md/debian" "$www/debian"
	cp -a "$kd/modroot/lib" "$run/payload/lib"
	if [ "$driver" = rust ]; then
		kmake -s M="$FBNIC_TOP" INSTALL_MOD_PATH="$run/payload" INSTALL_MOD_DIR=updates \
			INSTALL_MOD_STRIP=1 DEPMOD=true modules_install >/dev/null
	fi
	mkdir -p "$run/payload/boot"
	cp "$kd/build/arch/x86/boot/bzImage" "$run/payload/boot/vmlinuz-$kver"
	tar -C "$run/payload" -czf "$www/install/kernel.tar.gz" boot lib
	pkgs=$(grep -v '^#' "$FBNIC_TOP/scripts/netinstall/packages" | xargs | tr ' ' ,)
	cat >"$www/install/install.conf" <<EOF
PACKAGES=$pkgs
KVER=$kver
HOSTNAME=fbnic-installed
EOF
	head -c 1048576 /dev/urandom >"$www/install/probe"
	sha256sum "$www/install/probe" | cut -d' ' -f1 >"$www/install/probe.sha256"
	install -m 755 "$FBNIC_TOP/scripts/netinstall/online.sh" "$www/install/online.sh"
	(cd "$www/install" && for f in install.conf probe.sha256 online.sh kernel.tar.gz; do
		sha256sum "$f"
	done) >"$www/install/manifest"
	say "  initramfs $(($(stat -c %s "$run/initrd.gz") / 1024)) KiB, kernel.tar.gz $(($(stat -c %s "$www/install/kernel.tar.gz") / 1024)) KiB, mirror $(du -sLh "$md/debian" | cut -f1)"
}

# start_world CASE: the namespace with the install server, the emulator
# with its port cabled to the TAP. Case no-dhcp leaves DHCP down.
start_world() {
	local c=$1 www=$run/www i
	ip netns add "$ns"
	: >"$run/emu.log"
	"$emu" --socket "$run/port0.sock" --tap "0=$tap" >"$run/emu.out" 2>>"$run/emu.log" &
	emu_pid=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$run/port0.sock" ] && ip link show "$tap" >/dev/null 2>&1 && break
		kill -0 "$emu_pid" 2>/dev/null || die "fbnic-emu exited: $(tail -n3 "$run/emu.log")"
		sleep 0.1
	done
	[ -S "$run/port0.sock" ] || die "fbnic-emu did not open its socket"
	# The emulator holds the TAP open; the interface itself moves into
	# the server's namespace.
	ip link set "$tap" netns "$ns"
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$addr/24" dev "$tap"
	ip -n "$ns" link set "$tap" up
	if [ "$c" != no-dhcp ]; then
		: >"$run/leases"
		ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null \
			--port=0 --interface="$tap" --bind-interfaces --user=root \
			--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m \
			--dhcp-leasefile="$run/leases" --dhcp-authoritative --log-dhcp \
			--log-facility="$run/dnsmasq.log" --pid-file= &
		dns_pid=$!
	fi
	ip netns exec "$ns" /usr/bin/python3 -m http.server 8080 --bind "$addr" \
		--directory "$www" >"$run/http.log" 2>&1 &
	http_pid=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$ns" /usr/bin/python3 -c "import urllib.request as u; u.urlopen('$server/install/manifest')" \
			2>/dev/null && break
		sleep 0.2
	done
}

qemu=("$root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$root/usr/lib/x86_64-linux-gnu"
	"$root/usr/bin/qemu-system-x86_64" -L "$root/usr/share/qemu" -L "$root/usr/share/seabios")
accel=${FBNIC_ACCEL:-tcg,thread=multi}

# boot_vm NAME KERNEL INITRD APPEND TIMEOUT: one VM run with the fbnic port
# and the disk; prints the guest's stage lines with their times as they
# appear. Returns 124 on timeout.
boot_vm() {
	local name=$1 kernel=$2 initrd=$3 append=$4 timeout=$5 con=$results/console-$1.log
	local deadline seen=0 n line rc=0 initrd_arg=()
	[ -z "$initrd" ] || initrd_arg=(-initrd "$initrd")
	: >"$con"
	"${qemu[@]}" -nodefaults -no-user-config -nographic -no-reboot \
		-M q35,memory-backend=mem -accel "$accel" -cpu max -smp 2 \
		-object memory-backend-memfd,id=mem,size=1G,share=on \
		-kernel "$kernel" "${initrd_arg[@]}" -append "$append" \
		-drive "file=$run/disk.img,format=raw,if=virtio" \
		-device '{"driver":"vfio-user-pci","socket":{"path":"'"$run/port0.sock"'","type":"unix"},"addr":"0x5"}' \
		-serial "file:$con" -monitor none >"$results/qemu-$name.log" 2>&1 &
	qemu_pid=$!
	echo "$name boot $SECONDS" >>"$results/stages.txt"
	deadline=$((SECONDS + timeout))
	local alive=1
	while :; do
		# Checked before the console is read, so that what the guest
		# wrote before it stopped is read once more.
		kill -0 "$qemu_pid" 2>/dev/null || alive=0
		# Whole lines only: a line still being written is read when
		# it is complete.
		n=$(wc -l <"$con")
		if [ "$n" -gt "$seen" ]; then
			sed -n "$((seen + 1)),${n}p" "$con" | tr -d '\r' |
				grep -aoE 'netinstall(-online)?: .*' | while IFS= read -r line; do
				say "  $line"
				case $line in
				"netinstall: stage "*)
					echo "$name ${line#netinstall: stage } $SECONDS" >>"$results/stages.txt" ;;
				"netinstall-online: eth0"*)
					echo "$name online $SECONDS" >>"$results/stages.txt" ;;
				esac
			done
			[ $console -eq 0 ] || sed -n "$((seen + 1)),${n}p" "$con"
			seen=$n
		fi
		# The installed system releases its lease when it shuts down:
		# keep dnsmasq's leases file as it is while the lease is there.
		if [ "$name" = installed ] && [ ! -f "$run/leases-online" ] &&
			grep -q ' fbnic-installed ' "$run/leases" 2>/dev/null; then
			cp "$run/leases" "$run/leases-online"
		fi
		[ $alive -eq 1 ] || break
		if [ $SECONDS -ge $deadline ]; then
			say "  $name: no end after ${timeout}s; stopping the VM"
			rc=124
			break
		fi
		sleep 1
	done
	kill -TERM "$qemu_pid" 2>/dev/null || true
	wait "$qemu_pid" 2>/dev/null || true
	qemu_pid=
	echo "$name end $SECONDS" >>"$results/stages.txt"
	return $rc
}

# results/.../summary.md: when and how this run was made, its results, and
# each guest stage's duration, from the moments its line appeared on the
# console (1 s resolution). "boot" is QEMU's start to the first stage (the
# firmware and the kernel); the installed system has "online", its report.
write_summary() {
	{
		echo "# netinstall, $driver driver"
		echo
		echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$FBNIC_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
			"$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):"
		echo
		echo "    scripts/netinstall.sh --driver $driver --cases \"$cases\""
		echo
		sed 's/^/    /' "$results/results.txt"
		echo
		[ -f "$results/stages.txt" ] || return 0
		echo "| boot | stage | seconds |"
		echo "|---|---|---|"
		awk '{ if (prev_boot == $1) printf "| %s | %s | %d |\n", $1, prev, $3 - t
			prev_boot = $1; prev = $2; t = $3 }' "$results/stages.txt"
	} >"$results/summary.md"
}

record() {
	printf '%s\n' "$*" >>"$results/results.txt"
	say "$*"
}

# installer_boot CASE MODE TIMEOUT: the provisioning boot.
installer_boot() {
	local c=$1 mode=$2 timeout=$3
	truncate -s 0 "$run/disk.img"
	truncate -s 2G "$run/disk.img"
	boot_vm "$c" "$pd/bzImage" "$run/initrd.gz" \
		"console=ttyS0 panic=-1 quiet loglevel=4 ni_server=$server ni_mode=$mode ni_hostname=fbnic-installer" \
		"$timeout"
}

con_has() { grep -aq "$2" "$results/console-$1.log"; }
con_line() { grep -a -m1 "$2" "$results/console-$1.log" | tr -d '\r'; }

keep_logs() {
	local c=$1
	cp "$run/dnsmasq.log" "$results/dnsmasq-$c.log" 2>/dev/null || true
	cp "$run/leases" "$results/leases-$c.txt" 2>/dev/null || true
	cp "$run/http.log" "$results/http-$c.log" 2>/dev/null || true
	cp "$run/emu.log" "$results/emu-$c.log" 2>/dev/null || true
}

case_check() {
	local t0=$SECONDS
	start_world check
	installer_boot check check 300 || true
	keep_logs check
	if con_has check 'netinstall: CHECK OK' && grep -q ' fbnic-installer ' "$run/leases"; then
		record "PASS netinstall/check: built-in $driver fbnic, DHCP lease for fbnic-installer, downloads checked ($((SECONDS - t0)) s)"
	else
		record "FAIL netinstall/check: $(con_line check 'FAILED' || true) (see console-check.log)"
	fi
	stop_world
}

# Server down: the installer must say so and power off within its bound.
case_no_dhcp() {
	local t0=$SECONDS rc=0
	start_world no-dhcp
	installer_boot no-dhcp check 180 || rc=$?
	keep_logs no-dhcp
	if [ $rc -eq 0 ] && con_has no-dhcp 'netinstall: FAILED: no DHCP answer'; then
		record "PASS netinstall/no-dhcp: '$(con_line no-dhcp 'FAILED' | sed 's/^netinstall: //')', powered off after $((SECONDS - t0)) s"
	else
		record "FAIL netinstall/no-dhcp: $([ $rc -eq 124 ] && echo 'the VM did not stop' || echo 'no DHCP failure reported') (see console-no-dhcp.log)"
	fi
	stop_world
}

# A payload that does not match its manifest: the install stops and names it.
case_bad_payload() {
	local t0=$SECONDS www=$run/www/install
	cp "$www/kernel.tar.gz" "$run/kernel.tar.gz.good"
	printf 'corrupted' | dd of="$www/kernel.tar.gz" bs=1 seek=4096 conv=notrunc status=none
	start_world bad-payload
	installer_boot bad-payload install 300 || true
	keep_logs bad-payload
	mv "$run/kernel.tar.gz.good" "$www/kernel.tar.gz"
	if con_has bad-payload 'netinstall: FAILED: kernel.tar.gz: checksum mismatch' &&
		! con_has bad-payload 'netinstall: stage partition'; then
		record "PASS netinstall/bad-payload: '$(con_line bad-payload 'FAILED' | cut -c13-90)...', disk untouched ($((SECONDS - t0)) s)"
	else
		record "FAIL netinstall/bad-payload: the corrupted kernel.tar.gz was not refused (see console-bad-payload.log)"
	fi
	stop_world
}

# A corrupted package in the mirror: debootstrap refuses it by its
# checksum and the installer names it.
case_bad_package() {
	local t0=$SECONDS www=$run/www victim
	victim=$(cd "$md/debian" && ls pool/main/hostname_*.deb pool/main/*.deb 2>/dev/null | head -n1)
	rm "$www/debian"
	mkdir -p "$www/debian"
	cp -as "$md/debian/." "$www/debian/"
	rm "$www/debian/$victim"
	cp "$md/debian/$victim" "$www/debian/$victim"
	printf 'corrupted' | dd of="$www/debian/$victim" bs=1 seek=2048 conv=notrunc status=none
	start_world bad-package
	installer_boot bad-package install 900 || true
	keep_logs bad-package
	rm -rf "$www/debian"
	ln -s "$md/debian" "$www/debian"
	local pkg=${victim##*/}
	pkg=${pkg%%_*}
	if con_has bad-package "netinstall: FAILED: debootstrap: .*$pkg"; then
		record "PASS netinstall/bad-package: '$(con_line bad-package 'FAILED' | cut -c13-)' ($((SECONDS - t0)) s)"
	else
		record "FAIL netinstall/bad-package: the corrupted $pkg was not named (see console-bad-package.log)"
	fi
	stop_world
}

# The installation, then the installed system's own boot from its disk:
# the lab kernel (direct kernel boot of the disk's root; the same kernel
# the installer put in /boot), udev loading fbnic, ifupdown's DHCP.
case_install() {
	local t0=$SECONDS t1
	start_world install
	installer_boot install install 2400 || true
	if ! con_has install 'netinstall: INSTALLED'; then
		keep_logs install
		record "FAIL netinstall/install: $(con_line install 'FAILED' || echo 'the installer did not finish') (see console-install.log)"
		stop_world
		return
	fi
	say "stage reboot into the installed system"
	t1=$SECONDS
	boot_vm installed "$kd/build/arch/x86/boot/bzImage" "" \
		"console=ttyS0 root=/dev/vda1 rootfstype=ext2 ro net.ifnames=0 panic=-1 loglevel=4" 300 || true
	keep_logs install
	cp "$results/console-installed.log" "$results/console-installed.log" 2>/dev/null || true
	cp "$run/leases-online" "$results/leases-online.txt" 2>/dev/null || true
	if con_has installed 'netinstall-online: OK' &&
		con_has installed 'netinstall-online: eth0: driver fbnic' &&
		grep -q 'DHCPACK.* fbnic-installed$' "$run/dnsmasq.log" &&
		grep -q ' fbnic-installed ' "$run/leases-online"; then
		record "PASS netinstall/install: Debian installed over $driver fbnic in $((t1 - t0)) s; the installed system booted, leased as fbnic-installed and fetched the probe in $((SECONDS - t1)) s"
	else
		record "FAIL netinstall/install: the installed system did not show it is on the network: $(con_line installed 'netinstall-online: FAILED' || echo 'no OK from it, or no lease for fbnic-installed') (see console-installed.log, leases-online.txt)"
	fi
	stop_world
}

say "netinstall with the $driver driver: provisioning kernel $pd/bzImage, cases: $cases"
prepare_inputs
for c in $cases; do
	say "case $c"
	case $c in
	check) case_check ;;
	no-dhcp) case_no_dhcp ;;
	bad-payload) case_bad_payload ;;
	bad-package) case_bad_package ;;
	install) case_install ;;
	*) die "unknown case $c" ;;
	esac
done
write_summary
passed=$(grep -c '^PASS' "$results/results.txt" || true)
failed=$(grep -vc '^PASS' "$results/results.txt" || true)
if [ "$failed" -eq 0 ]; then
	say "VERDICT: netinstall with the $driver driver works ($passed of $passed cases passed)"
else
	say "VERDICT: netinstall with the $driver driver FAILED ($failed of $((passed + failed)) cases)"
	exit 1
fi
