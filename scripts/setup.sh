#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Brings a fresh machine to the point where the lab can run: host packages,
# bindgen, the Linux 7.3 tree built with Rust, and the lab root (QEMU 11 plus
# the guest's userland). Every stage is idempotent and keyed by its inputs;
# heavy artifacts live under $FBNIC_CACHE, outside the repository.
#
# Usage: scripts/setup.sh [packages|bindgen|kernel|kernel-debug|root|selftests|all]
#        scripts/setup.sh [mirror|provision-rust|provision-c]   (netinstall)
#        scripts/setup.sh provision-rust-m   (the in-tree series as a module)
#        scripts/setup.sh cargo-fuzz   (scripts/fuzz.sh: the parsers' fuzzers)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# Debian mirror: whatever this machine's apt already uses.
debian_mirror() {
	local uri
	uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list 2>/dev/null |
		grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -n1)
	echo "${uri%/}"
}

HOST_PACKAGES=(
	bc bison flex libelf-dev libssl-dev cpio xz-utils rsync kmod
	clang-22 lld-22 llvm-22 libclang-22-dev
	rustc-web rust-web-src rust-web-clippy
	mmdebstrap uidmap
	dwarves python3-yaml python3-jsonschema
	gcc make
	apt-utils dnsmasq-base wget iproute2
)

have_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 1
	done
}

stage_packages() {
	local mirror
	if have_packages "${HOST_PACKAGES[@]}" linux-source-$KVER_SERIES; then
		return 0
	fi
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || die "cannot find the Debian mirror in apt's sources"
	# trixie and trixie-backports, pinned low: only what we ask for by
	# name with -t comes from there; nothing else on the machine moves.
	$SUDO tee /etc/apt/sources.list.d/fbnic-rs-trixie.sources >/dev/null <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	$SUDO tee /etc/apt/preferences.d/fbnic-rs-trixie >/dev/null <<EOF
Package: *
Pin: release n=trixie
Pin-Priority: 50

Package: *
Pin: release n=trixie-backports
Pin-Priority: 50
EOF
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${HOST_PACKAGES[@]}"
	# name/release selects only this package's version; "-t" would let
	# the whole transaction (dependencies, upgrades) follow backports.
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends linux-source-$KVER_SERIES/trixie-backports
}

stage_bindgen() {
	if [ -x "$BINDGEN" ] && "$BINDGEN" --version | grep -q " $BINDGEN_VERSION"; then
		return 0
	fi
	cargo install --quiet --locked --root "$FBNIC_CACHE/tools" \
		bindgen-cli --version "$BINDGEN_VERSION"
}

# cargo-fuzz, for scripts/fuzz.sh only (not part of "all": plain builds
# and the VM lab do not need it).
stage_cargo_fuzz() {
	if [ -x "$CARGO_FUZZ" ] && "$CARGO_FUZZ" --version | grep -q " $CARGO_FUZZ_VERSION\$"; then
		return 0
	fi
	cargo install --quiet --locked --root "$FBNIC_CACHE/tools" \
		cargo-fuzz --version "$CARGO_FUZZ_VERSION"
}

# Extract the kernel source once per linux-source package version.
stage_kernel_source() {
	local ver src
	ver=$(dpkg-query -W -f='${Version}' linux-source-$KVER_SERIES)
	src=$FBNIC_CACHE/src/linux-$ver
	if [ ! -f "$src/.extracted" ]; then
		rm -rf "$src"
		mkdir -p "$src"
		tar -C "$src" --strip-components=1 \
			-xf /usr/src/linux-source-$KVER_SERIES.tar.xz
		touch "$src/.extracted"
	fi
	ln -sfn "$src" "$FBNIC_CACHE/src/current"
	echo "$ver" >"$FBNIC_CACHE/kernel-source.version"
}

stage_kernel() {
	local kd src cur frag
	stage_kernel_source
	src=$(readlink -f "$FBNIC_CACHE/src/current")
	kd=$(kernel_dir)
	cur=$(dirname "$kd")/current
	if [ -f "$kd/.built" ]; then
		ln -sfn "$kd" "$cur"
		return 0
	fi
	seed_kernel_build "$kd"
	mkdir -p "$kd/build"
	local mk=(kernel_make -C "$src" O="$kd/build" -j"$(nproc)")
	"${mk[@]}" -s tinyconfig
	# shellcheck disable=SC2046 # one path per line, no spaces
	"$src/scripts/kconfig/merge_config.sh" -m -O "$kd/build" \
		"$kd/build/.config" $(kernel_fragments) >/dev/null
	"${mk[@]}" -s olddefconfig
	for frag in $(kernel_fragments); do
		check_kernel_config "$kd/build/.config" "$frag"
	done
	"${mk[@]}" -s bzImage modules
	rm -rf "$kd/modroot"
	"${mk[@]}" -s INSTALL_MOD_PATH="$kd/modroot" INSTALL_MOD_STRIP=1 \
		modules_install
	"${mk[@]}" -s kernelrelease >"$kd/kernelrelease"
	kernel_toolchain_key >"$kd/toolchain"
	touch "$kd/.built"
	ln -sfn "$kd" "$cur"
	prune_siblings "$kd"
}

# A new config fragment need not cost a full build (25 minutes on two
# cores): start from the newest finished build of the same source and
# toolchain, and let Kbuild rebuild what the changed options touch. Any
# other build is left alone; without one the build starts empty.
seed_kernel_build() {
	local kd=$1 d
	[ ! -e "$kd/build" ] || return 0
	for d in $(ls -td "$(dirname "$kd")"/*/ 2>/dev/null); do
		d=${d%/}
		[ ! -L "$d" ] && [ -f "$d/.built" ] && [ -f "$d/toolchain" ] || continue
		[ "$(cat "$d/toolchain")" = "$(kernel_toolchain_key)" ] || continue
		log "kernel: starting from the build in $d"
		mkdir -p "$kd"
		cp -a "$d/build" "$kd/build.tmp" && mv "$kd/build.tmp" "$kd/build"
		return 0
	done
}

# Every option of the fragment must survive olddefconfig; a silently
# dropped one (missing dependency) would cost an hour of confusion later.
check_kernel_config() {
	local cfg=$1 frag=$2 line bad=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qx "$line" "$cfg" || { log "config: $line not set"; bad=1; }
			;;
		"# CONFIG_"*" is not set")
			! grep -q "^${line:2:-11}=" "$cfg" || { log "config: $line"; bad=1; }
			;;
		esac
	done <"$frag"
	[ $bad -eq 0 ] || die "kernel config fragment $frag not satisfied"
}

# One trixie root serves two purposes: QEMU 11 for the host (run through
# the root's own dynamic loader, no chroot) and the guest's userland
# (shared read-only over 9p).
stage_root() {
	local rd mirror pkgs
	rd=$(lab_root_dir)
	if [ -f "$rd/.built" ]; then
		ln -sfn "$rd" "$FBNIC_CACHE/root/current"
		return 0
	fi
	mirror=$(debian_mirror)
	pkgs=$(grep -v '^#' "$FBNIC_TOP/scripts/lab-root.packages" | xargs | tr ' ' ,)
	$SUDO rm -rf "$rd"
	mkdir -p "$(dirname "$rd")"
	$SUDO mmdebstrap --quiet --variant=minbase --include="$pkgs" \
		--aptopt='APT::Default-Release "trixie-backports"' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		trixie "$rd" \
		"deb $mirror trixie main" "deb $mirror trixie-backports main"
	# Mount points for the per-run shares, and the stage-1 init.
	$SUDO mkdir -p "$rd/lab" "$rd/usr/lib/modules"
	$SUDO install -m 755 "$FBNIC_TOP/scripts/guest/lab-init" "$rd/sbin/lab-init"
	touch "$rd/.built"
	ln -sfn "$rd" "$FBNIC_CACHE/root/current"
	prune_siblings "$rd"
}

# The kernel's own network driver selftests (drivers/net, drivers/net/hw and
# the net/lib they depend on: helpers, XDP objects, the ynl library and the
# netlink specs), built from the kernel source on the host and installed
# into $FBNIC_CACHE/selftests/<key>/install for the guest (scripts/selftests.sh
# shares that folder with the VM). The build writes into a private copy of
# tools/ and its own header tree, so the shared kernel source and build
# directories stay untouched. What cannot be built here (io_uring zero-copy
# receive: bookworm's liburing is too old) is left out and listed in
# build-notes.txt next to the install.
SELFTEST_TARGETS="drivers/net drivers/net/hw"
selftests_key() {
	input_key "$(cat "$FBNIC_CACHE/kernel-source.version" 2>/dev/null)" \
		"$SELFTEST_TARGETS" "$(declare -f stage_selftests unstable_deb)" \
		"$(gcc --version | head -n1)" "$(clang$LLVM_SUFFIX --version | head -n1)"
}

# Unpacks Debian unstable's current binary package PKG into DIR and prints
# its version. The selftests want newer userland than trixie ships
# (ethtool --json -l and hds-thresh; liburing with zero-copy receive).
unstable_deb() {
	local pkg=$1 dir=$2 mirror idx file ver
	mirror=$(debian_mirror)
	idx=$(dirname "$dir")/Packages-unstable
	[ -s "$idx" ] || wget -qO- "$mirror/dists/unstable/main/binary-amd64/Packages.xz" |
		xz -dc >"$idx" || die "could not fetch unstable's package index"
	read -r ver file < <(awk -v p="$pkg" '$1 == "Package:" { hit = ($2 == p) }
		hit && $1 == "Version:" { v = $2 }
		hit && $1 == "Filename:" { print v, $2; exit }' "$idx") || true
	[ -n "$file" ] || die "unstable has no package $pkg"
	mkdir -p "$dir"
	wget -qO "$dir/$pkg.deb" "$mirror/$file" || die "could not fetch $file"
	dpkg-deb -x "$dir/$pkg.deb" "$dir"
	rm -f "$dir/$pkg.deb"
	echo "$ver"
}

stage_selftests() {
	local dir src work f v
	dir=$FBNIC_CACHE/selftests/$(selftests_key)
	if [ -f "$dir/.built" ]; then
		ln -sfn "$dir" "$FBNIC_CACHE/selftests/current"
		return 0
	fi
	src=$(readlink -f "$FBNIC_CACHE/src/current")
	[ -f "$src/Makefile" ] || die "no kernel source; run scripts/setup.sh kernel"
	rm -rf "$dir"
	work=$dir/work
	mkdir -p "$work/src"
	# Everything but tools/ is linked; tools/ is copied because the ynl
	# and libbpf builds write into the source tree.
	for f in "$src"/*; do
		[ "$(basename "$f")" = tools ] || ln -s "$f" "$work/src/"
	done
	cp -r "$src/tools" "$work/src/tools"
	make -s -C "$src" O="$work/obj" headers
	# liburing with zero-copy receive (iou-zcrx; trixie's is older), and
	# the one 7.3 UAPI header it wants that the host's are too old to have.
	# The library goes into lib/ of the install, which
	# tests/selftests/guest.sh puts on LD_LIBRARY_PATH.
	v=$(unstable_deb liburing-dev "$work/uring")
	unstable_deb liburing2 "$work/uring" >/dev/null
	echo "liburing $v from unstable, in lib/ (iou-zcrx)" >"$dir/userland.txt"
	install -D -m 644 "$work/obj/usr/include/linux/blkdev.h" "$work/uring/usr/include/linux/blkdev.h"
	export CPATH=$work/uring/usr/include
	export LIBRARY_PATH=$work/uring/usr/lib/x86_64-linux-gnu
	# Debian's python3, with the yaml and jsonschema modules the ynl code
	# generator imports (HOST_PACKAGES), whatever python3 the caller has.
	# The host's gcc links --as-needed, and drivers/net/hw's probe for
	# liburing names -luring before its source, and uses bash's echo -e:
	# it would never find it.
	if ! PATH=/usr/bin:$PATH make -C "$work/src/tools/testing/selftests" O="$work/obj" \
		TARGETS="$SELFTEST_TARGETS" CLANG=clang$LLVM_SUFFIX CC="gcc -Wl,--no-as-needed" SHELL=/bin/bash \
		INSTALL_PATH="$dir/install" -j"$(nproc)" install >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "selftests build failed (see $dir/build.log)"
	fi
	# kselftest's install goes on past a target that failed to build and
	# exits 0; a target missing from the install is that failure.
	for f in $SELFTEST_TARGETS; do
		[ -d "$dir/install/$f" ] && continue
		grep -E 'Error|Errno|error:' "$dir/build.log" | tail -n 15 >&2
		die "selftests build: $f was not installed (see $dir/build.log)"
	done
	# 7.3 ships xdp_metadata.py without its execute bit; kselftest's runner
	# would run it through its #! line, the lab runs tests directly.
	sed 's|:|/|' "$dir/install/kselftest-list.txt" | (cd "$dir/install" && xargs chmod +x)
	grep -E '^Makefile:[0-9]+: excluding' "$dir/build.log" |
		sed "s/^Makefile:[0-9]*: /not built: /" | sort -u >"$dir/build-notes.txt" || true
	# An ethtool new enough for what the tests ask (7.x: --json -l,
	# hds-thresh); tests/selftests/guest.sh puts bin/ first in PATH. The
	# VM suites keep trixie's, as a user of the lab root has it.
	v=$(unstable_deb ethtool "$work/ethtool")
	install -D -m 755 "$work/ethtool/usr/sbin/ethtool" "$dir/install/bin/ethtool"
	mkdir -p "$dir/install/lib"
	cp -a "$work/uring/usr/lib/x86_64-linux-gnu/liburing.so."* "$dir/install/lib/"
	echo "ethtool $v from unstable, in bin/" >>"$dir/userland.txt"
	rm -rf "$work"
	touch "$dir/.built"
	ln -sfn "$dir" "$FBNIC_CACHE/selftests/current"
	prune_siblings "$dir"
}

# The netinstall's Debian mirror: exactly the packages debootstrap (the
# suite's own debootstrap, run here with --download-only) fetches for the
# minbase variant plus scripts/netinstall/packages, from the Debian mirror
# this machine's apt uses, in a plain repository layout (pool/ and an
# unsigned dists/SUITE/Release made by apt-ftparchive). Next to it, tools/
# holds the suite's debootstrap, which the installer runs.
stage_mirror() {
	local md mirror pkgs deb
	md=$(mirror_dir)
	if [ -f "$md/.built" ]; then
		ln -sfn "$md" "$FBNIC_CACHE/mirror/current"
		return 0
	fi
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || die "cannot find the Debian mirror in apt's sources"
	rm -rf "$md"
	mkdir -p "$md/tools/debs" "$md/work"
	(cd "$md/tools/debs" &&
		apt-get download -qq "debootstrap/$NETINSTALL_SUITE" 2>&1 |
		grep -v '^W: Download is performed unsandboxed' || true)
	ls "$md/tools/debs/"debootstrap_*.deb >/dev/null 2>&1 || die "could not download debootstrap"
	dpkg-deb -x "$md/tools/debs"/debootstrap_*.deb "$md/tools/debootstrap"
	pkgs=$(grep -v '^#' "$FBNIC_TOP/scripts/netinstall/packages" | xargs | tr ' ' ,)
	DEBOOTSTRAP_DIR=$md/tools/debootstrap/usr/share/debootstrap \
		"$md/tools/debootstrap/usr/sbin/debootstrap" --download-only --arch=amd64 \
		--variant=minbase --include="$pkgs" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$NETINSTALL_SUITE" "$md/work" "$mirror" >"$md/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$md/debootstrap.log" >&2; die "debootstrap --download-only failed"; }
	mkdir -p "$md/debian/pool/main" "$md/debian/dists/$NETINSTALL_SUITE/main/binary-amd64"
	# Named as in Debian's pool, without the version's epoch (apt's
	# cache writes it as %3a, which an HTTP client would send encoded).
	for deb in "$md/work/var/cache/apt/archives/"*.deb; do
		mv "$deb" "$md/debian/pool/main/$(basename "$deb" | sed 's/_[0-9]*%3a/_/')"
	done
	rm -rf "$md/work"
	(
		cd "$md/debian"
		apt-ftparchive packages pool/main >"dists/$NETINSTALL_SUITE/main/binary-amd64/Packages"
		gzip -9kn "dists/$NETINSTALL_SUITE/main/binary-amd64/Packages"
		cd "dists/$NETINSTALL_SUITE"
		apt-ftparchive -o "APT::FTPArchive::Release::Suite=$NETINSTALL_SUITE" \
			-o "APT::FTPArchive::Release::Codename=$NETINSTALL_SUITE" \
			-o APT::FTPArchive::Release::Components=main \
			-o APT::FTPArchive::Release::Architectures=amd64 \
			-o APT::FTPArchive::Release::Origin=fbnic-rs-netinstall \
			release . >"$md/Release.tmp"
		mv "$md/Release.tmp" Release
	)
	log "mirror: $(ls "$md/debian/pool/main" | wc -l) packages, $(du -sh "$md/debian" | cut -f1)"
	touch "$md/.built"
	ln -sfn "$md" "$FBNIC_CACHE/mirror/current"
	prune_siblings "$md"
}

# A kernel built on the lab kernel's: its configuration plus the fragment
# scripts/provision-VARIANT.config, see provision_dir in scripts/lib.sh.
#   rust     the provisioning kernel, the Rust fbnic built in (=y)
#   c        the same with the C driver built in, for comparison
#   rust-m   the in-tree series built as a module (=m): fbnic.ko
# For the Rust variants the tree is the pristine 7.3 source with the in-tree
# series applied: the series' changes are kept in an overlay layer of their
# own (upper/), and the build runs in a private mount namespace where that
# layer is mounted over the pristine tree at the tree's own path. The build
# directory starts as a copy of the lab kernel's, so Kbuild rebuilds only
# what the series and the fragment change (the paths it recorded are the
# same), not the whole tree; the shared source is never written.
stage_provision() {
	local var=$1 pd src kd frag lower fns
	pd=$(provision_dir "$var")
	if [ -f "$pd/.built" ]; then
		ln -sfn "$pd" "$FBNIC_CACHE/provision/$var/current"
		return 0
	fi
	src=$(readlink -f "$FBNIC_CACHE/src/current")
	kd=$(kernel_dir)
	[ -f "$kd/.built" ] || die "no lab kernel; run scripts/setup.sh kernel"
	frag=$FBNIC_TOP/scripts/provision-$var.config
	rm -rf "$pd"
	mkdir -p "$pd"
	lower=$src
	case $var in
	rust*)
		"$FBNIC_TOP/scripts/intree.sh" --src "$src" --out "$pd/intree" >"$pd/intree.log" 2>&1 ||
			{ tail -n 20 "$pd/intree.log" >&2; die "scripts/intree.sh failed"; }
		mkdir -p "$pd/upper" "$pd/ovl-work" "$pd/merged"
		unshare -m -- bash -ec '
			mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/ovl-work" "$2/merged"
			cd "$2/merged"
			while read -r p; do
				patch -p1 -s --no-backup-if-mismatch <"$2/intree/patches/$p"
			done <"$2/intree/series"
		' _ "$src" "$pd" || die "the in-tree series does not apply to $src"
		rm -rf "$pd/ovl-work" "$pd/merged"
		lower=$pd/upper:$src
		;;
	esac
	log "provision-$var: starting from the lab kernel's build"
	cp -a "$kd/build" "$pd/build.tmp"
	mv "$pd/build.tmp" "$pd/build"
	fns="$(declare -f kernel_make log die check_kernel_config); $(declare -p LLVM_SUFFIX BINDGEN)"
	unshare -m -- bash -ec "$fns"'
		src=$1 lower=$2 pd=$3 frag=$4 jobs=$5
		[ "$lower" = "$src" ] || mount -t overlay overlay -o "lowerdir=$lower" "$src"
		"$src/scripts/kconfig/merge_config.sh" -m -O "$pd/build" "$pd/build/.config" "$frag" >/dev/null
		kernel_make -C "$src" O="$pd/build" -s olddefconfig
		check_kernel_config "$pd/build/.config" "$frag"
		kernel_make -C "$src" O="$pd/build" -j"$jobs" -s bzImage modules
	' _ "$src" "$lower" "$pd" "$frag" "$(nproc)" >"$pd/build.log" 2>&1 ||
		{ grep -E 'error|Error' "$pd/build.log" | head -n 20 >&2; die "kernel build ($var) failed (see $pd/build.log)"; }
	cp "$pd/build/arch/x86/boot/bzImage" "$pd/bzImage"
	cp "$pd/build/.config" "$pd/config"
	cp "$pd/build/System.map" "$pd/System.map"
	[ ! -f "$pd/build/drivers/net/ethernet/meta/fbnic/rust/fbnic.ko" ] ||
		cp "$pd/build/drivers/net/ethernet/meta/fbnic/rust/fbnic.ko" "$pd/fbnic.ko"
	# The build directory is large and seeds nothing else.
	rm -rf "$pd/build"
	touch "$pd/.built"
	ln -sfn "$pd" "$FBNIC_CACHE/provision/$var/current"
	prune_siblings "$pd"
}

main() {
	local what=${1:-all}
	mkdir -p "$FBNIC_CACHE"
	# One setup at a time per cache: checkouts share it, and two builds
	# of one kernel directory would wreck each other. The debug kernel
	# has directories of its own, and its long build must not hold up
	# the lab's stages: it takes a lock of its own.
	local lock=setup.lock
	[ "$what" != kernel-debug ] || lock=setup-kernel-debug.lock
	exec 9>"$FBNIC_CACHE/$lock"
	if ! flock -n 9; then
		log "waiting for another setup run to finish"
		flock 9
	fi
	case $what in
	packages) stage packages stage_packages ;;
	bindgen) stage bindgen stage_bindgen ;;
	cargo-fuzz) stage cargo-fuzz stage_cargo_fuzz ;;
	kernel) stage kernel stage_kernel ;;
	# The debug flavour (scripts/kernel-debug.config): KASAN, lockdep,
	# UBSAN, kmemleak and fault injection, for scripts/debug-kernel.sh.
	kernel-debug) FBNIC_KERNEL_FLAVOUR=debug stage kernel-debug stage_kernel ;;
	root) stage root stage_root ;;
	selftests) stage selftests stage_selftests ;;
	mirror) stage mirror stage_mirror ;;
	provision-rust) stage provision-rust stage_provision rust ;;
	provision-c) stage provision-c stage_provision c ;;
	provision-rust-m) stage provision-rust-m stage_provision rust-m ;;
	all)
		stage packages stage_packages
		stage bindgen stage_bindgen
		stage root stage_root
		stage kernel stage_kernel
		stage selftests stage_selftests
		;;
	*) die "unknown stage $what" ;;
	esac
}

main "$@"
