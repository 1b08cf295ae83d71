# SPDX-License-Identifier: GPL-2.0
# Shared settings for the lab scripts. Sourced, not executed.

FBNIC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FBNIC_CACHE=${FBNIC_CACHE:-$HOME/.cache/fbnic-rs}
export FBNIC_TOP FBNIC_CACHE

# Kernel version we build against, from Debian's linux-source-7.3.
KVER_SERIES=7.3
# Clang's LLVM is the one rustc-web is built with (22): C helpers can then be
# inlined into Rust code as LLVM bitcode (CONFIG_RUST_INLINE_HELPERS).
LLVM_SUFFIX=-22
BINDGEN_VERSION=0.72.1
# cargo-fuzz for the fuzz targets of tests/fuzz (scripts/fuzz.sh); only
# the fuzzing needs it, and the nightly toolchain.
CARGO_FUZZ_VERSION=0.13.2

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Hash of the given files and strings; used to key cached artifacts by
# their inputs.
input_key() {
	local f
	for f in "$@"; do
		if [ -f "$f" ]; then cat "$f"; else printf '%s\n' "$f"; fi
	done | sha256sum | cut -c1-16
}

# Run a stage and report how long it took.
stage() {
	local name=$1 t0 t1
	shift
	t0=$(date +%s)
	"$@"
	t1=$(date +%s)
	log "stage $name: $((t1 - t0)) s"
}

# The kernel build directory for the current inputs (see setup.sh): the
# config fragment and the toolchain (kernel_toolchain_key).
kernel_toolchain_key() {
	input_key "$(cat "$FBNIC_CACHE/kernel-source.version" 2>/dev/null)" \
		"$(/usr/bin/rustc --version 2>/dev/null)" \
		"$BINDGEN_VERSION" "$LLVM_SUFFIX"
}
# A kernel flavour (FBNIC_KERNEL_FLAVOUR, e.g. debug) builds the lab
# kernel's configuration plus scripts/kernel-FLAVOUR.config, in a cache
# directory of its own (kernel-FLAVOUR/): every script that finds the
# kernel through kernel_dir (module builds, vm-run.sh) then uses it.
FBNIC_KERNEL_FLAVOUR=${FBNIC_KERNEL_FLAVOUR:-}
kernel_fragments() {
	echo "$FBNIC_TOP/scripts/kernel.config"
	[ -z "$FBNIC_KERNEL_FLAVOUR" ] ||
		echo "$FBNIC_TOP/scripts/kernel-$FBNIC_KERNEL_FLAVOUR.config"
}
kernel_key() {
	# shellcheck disable=SC2046 # one path per line, no spaces
	input_key $(kernel_fragments) "$(kernel_toolchain_key)"
}

kernel_dir() { echo "$FBNIC_CACHE/kernel${FBNIC_KERNEL_FLAVOUR:+-$FBNIC_KERNEL_FLAVOUR}/$(kernel_key)"; }

lab_root_key() {
	input_key "$FBNIC_TOP/scripts/lab-root.packages" \
		"$FBNIC_TOP/scripts/guest/lab-init"
}
lab_root_dir() { echo "$FBNIC_CACHE/root/$(lab_root_key)"; }

BINDGEN=$FBNIC_CACHE/tools/bin/bindgen
CARGO_FUZZ=$FBNIC_CACHE/tools/bin/cargo-fuzz

# A kernel on top of the lab kernel (scripts/setup.sh provision-VARIANT):
# the provisioning kernel of a driver (rust or c, fbnic built in) or the
# in-tree series built as a module (rust-m). The Rust variants build the
# tree the in-tree series (scripts/intree.sh) makes. Keyed by the lab
# kernel, the fragment and every file that goes into the series.
intree_inputs_key() {
	(cd "$FBNIC_TOP" && git ls-files -z -- drivers rust include Kconfig \
		scripts/intree.sh | xargs -0 cat | sha256sum | cut -c1-16)
}
provision_key() {
	input_key "$FBNIC_TOP/scripts/provision-$1.config" "$(kernel_key)" \
		"$(case $1 in rust*) intree_inputs_key ;; esac)"
}
provision_dir() { echo "$FBNIC_CACHE/provision/$1/$(provision_key "$1")"; }

# The netinstall's Debian mirror and installer tools (scripts/setup.sh
# mirror), keyed by the package list, the suite and the layout's version
# (raise it when stage_mirror changes what it makes).
NETINSTALL_SUITE=trixie
mirror_key() {
	input_key "$FBNIC_TOP/scripts/netinstall/packages" "$NETINSTALL_SUITE" "mirror layout 3"
}
mirror_dir() { echo "$FBNIC_CACHE/mirror/$(mirror_key)"; }

# make for the kernel tree and modules against it, in its own environment
# (nothing leaks into the caller's): Debian's rustc-web (with rust-src)
# comes before rustup's toolchain, which host crates keep using, and
# bindgen loads the libclang of Clang's LLVM.
kernel_make() {
	PATH=/usr/bin:$PATH LIBCLANG_PATH=/usr/lib/llvm$LLVM_SUFFIX/lib \
		make LLVM=$LLVM_SUFFIX RUSTC=/usr/bin/rustc BINDGEN="$BINDGEN" "$@"
}

# The same, in the current kernel build (e.g. kmake M=$PWD modules).
kmake() { kernel_make -C "$(kernel_dir)/build" "$@"; }

# Remove cached artifacts of other input keys beside the one in use, but
# the newest two of them: other checkouts (older branches, a worktree
# per piece of work) may still use them.
prune_siblings() {
	local keep=$1 d n=0
	for d in $(ls -td "$(dirname "$keep")"/*/); do
		d=${d%/}
		[ "$d" != "$keep" ] && [ ! -L "$d" ] || continue
		n=$((n + 1))
		[ $n -le 2 ] || rm -rf "$d"
	done
}

# The checkout's tracked files (changes included) copied to
# $FBNIC_CACHE/debug-tree and the module built there against the debug
# kernel (FBNIC_KERNEL_FLAVOUR=debug), so that the checkout's own build
# stays the lab kernel's; the emulator's build is shared. Used by make
# debug-kernel and make reliability.
debug_tree() {
	local copy=$FBNIC_CACHE/debug-tree
	mkdir -p "$copy"
	git -C "$FBNIC_TOP" ls-files -z | rsync -a --from0 --files-from=- "$FBNIC_TOP/" "$copy/"
	ln -sfn "$FBNIC_TOP/target" "$copy/target"
	log "debug kernel: building the module in $copy"
	(cd "$copy" && . scripts/lib.sh && kmake M="$copy" modules >"$copy/build.log" 2>&1) ||
		{ tail -n 20 "$copy/build.log" >&2; die "the module does not build against the debug kernel"; }
}
