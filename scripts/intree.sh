#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn the Rust driver into a patch series against a Linux 7.3 tree, the way
# it would be proposed upstream (see Documentation/intree.md).
#
#   scripts/intree.sh [--src DIR] [--out DIR] [--check] [--apply DIR]
#
#   --src DIR    a pristine Linux 7.3 source tree, only read (default
#                $FBNIC_CACHE/src/current, which scripts/setup.sh extracts;
#                without it, the tree is extracted from Debian's
#                linux-source-7.3 into a temporary directory)
#   --out DIR    where the series goes (default $FBNIC_TOP/results/intree):
#                OUT/patches/0000-cover-letter.patch, 0001-..., and
#                OUT/series, the patches to apply in order (not the cover
#                letter: `while read p; do patch -p1 <OUT/patches/$p; done`)
#   --check      then run the tree's scripts/checkpatch.pl --strict on every
#                patch, from a scratch copy of the tree (cp -al), and apply
#                the series to that copy; fail unless checkpatch reports 0
#                errors, warnings and checks and the series applies
#   --apply DIR  then apply the series to the kernel tree DIR (made as a
#                hard-link copy of --src first if it does not exist; patch(1)
#                breaks the links of the files it changes)
#
# The series is generated from the git-tracked files of this repository (as
# they are in the work tree), which stay the only copy of the code:
#
#   drivers/net/ethernet/meta/fbnic/*   -> drivers/net/ethernet/meta/fbnic/rust/
#   rust/*                              -> .../fbnic/rust/kernel_ext/
#   include/kernel_ext_bindings.h       -> .../fbnic/rust/kernel_ext/
#
# The only rewrite is the #[path] of the kernel_ext module in fbnic_main.rs;
# the driver's Kbuild finds the layer in either place by itself. Kconfig gets
# the FBNIC_RUST entry of the top-level Kconfig, the meta Makefile descends
# into fbnic/rust/, MAINTAINERS gets an entry for it.
#
# A throwaway git repository holds the files of the tree that the series
# changes (the base commit), then one commit per patch; git format-patch
# writes the series. Author, committer and dates are fixed (the date is the
# one of the last commit that changed an input of the series), so the same
# sources give the same files.

set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=
OUT=$FBNIC_TOP/results/intree
CHECK=
APPLY=

usage() { sed -n '4,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
	case $1 in
	--src) SRC=${2:?--src needs a directory}; shift 2 ;;
	--out) OUT=${2:?--out needs a directory}; shift 2 ;;
	--check) CHECK=1; shift ;;
	--apply) APPLY=${2:?--apply needs a directory}; shift 2 ;;
	-h|--help) usage 0 ;;
	*) usage ;;
	esac
done

IDENT_NAME="fbnic-rs developers"
IDENT_EMAIL="fbnic-rs@example.org"
IDENT="$IDENT_NAME <$IDENT_EMAIL>"

# Where things go in the kernel tree.
META=drivers/net/ethernet/meta
KDIR=$META/fbnic/rust
KEXT=$KDIR/kernel_ext
# Where they come from in this repository.
DRV=drivers/net/ethernet/meta/fbnic

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbnic-intree.XXXXXX")
scratch=
trap 'rm -rf "$tmp" ${scratch:+"$scratch"}' EXIT

# The pristine tree
# ---------------------------------------------------------------------------

if [ -z "$SRC" ]; then
	SRC=$FBNIC_CACHE/src/current
	tarball=/usr/src/linux-source-$KVER_SERIES.tar.xz
	if [ ! -d "$SRC" ] && [ -f "$tarball" ]; then
		log "no $SRC: extracting $tarball"
		SRC=$tmp/linux
		mkdir "$SRC"
		tar -C "$SRC" --strip-components=1 -xf "$tarball"
	fi
fi
[ -d "$SRC" ] || die "no kernel source tree at $SRC (--src, or scripts/setup.sh packages)"
# The physical path: $FBNIC_CACHE/src/current is a symbolic link, and a
# copy of the link would be the tree itself.
SRC=$(cd "$SRC" && pwd -P)
for f in Makefile MAINTAINERS scripts/checkpatch.pl $META/Kconfig $META/Makefile; do
	[ -f "$SRC/$f" ] || die "$SRC is not a kernel source tree (no $f)"
done
kversion=$(awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	END {print v "." p "." s}' "$SRC/Makefile")
case $kversion in
7.3.*) ;;
*) die "$SRC is Linux $kversion, not 7.3" ;;
esac
if [ -e "$SRC/$KDIR" ] || grep -q FBNIC_RUST "$SRC/$META/Kconfig"; then
	die "$SRC already has the Rust driver: give a pristine tree"
fi

# The repository's files
# ---------------------------------------------------------------------------

cd "$FBNIC_TOP"
mapfile -t kext_files < <(git ls-files -- rust include)
mapfile -t drv_files < <(git ls-files -- "$DRV")
[ ${#kext_files[@]} -gt 0 ] && [ ${#drv_files[@]} -gt 0 ] ||
	die "no tracked files under rust/, include/ or $DRV"
if ! git diff --quiet HEAD -- rust include "$DRV" Kconfig; then
	log "warning: the work tree differs from HEAD: the series has its files, dated as HEAD's"
fi

# Kernel tree path of a repository file.
kpath() {
	case $1 in
	rust/*) echo "$KEXT/${1#rust/}" ;;
	include/kernel_ext_bindings.h) echo "$KEXT/kernel_ext_bindings.h" ;;
	"$DRV"/*) echo "$KDIR/${1#"$DRV"/}" ;;
	*) die "$1: no place for it in the kernel tree" ;;
	esac
}

# Every file has a place in the kernel tree and carries a license: an SPDX
# tag in its first line (the second after a #! line).
for f in "${kext_files[@]}" "${drv_files[@]}"; do
	kpath "$f" >/dev/null
	n=1
	head -1 "$f" | grep -q '^#!' && n=2
	sed -n "${n}p" "$f" | grep -q 'SPDX-License-Identifier: ' ||
		die "$f: no SPDX-License-Identifier in line $n"
done

# The throwaway repository
# ---------------------------------------------------------------------------

inputs=(rust include "$DRV" Kconfig scripts/intree.sh)
DATE=$(git log -1 --format=%cI HEAD -- "${inputs[@]}")
[ -n "$DATE" ] || DATE=$(git log -1 --format=%cI HEAD)
T=$tmp/tree

# Nothing of the caller's git configuration may change the output.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=$IDENT_NAME GIT_AUTHOR_EMAIL=$IDENT_EMAIL
export GIT_COMMITTER_NAME=$IDENT_NAME GIT_COMMITTER_EMAIL=$IDENT_EMAIL
export GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE
tgit() { git -C "$T" "$@"; }

git init -q -b fbnic-rust "$T"
for f in MAINTAINERS $META/Kconfig $META/Makefile; do
	mkdir -p "$T/$(dirname "$f")"
	cp "$SRC/$f" "$T/$f"
done
tgit add -A
tgit commit -q -m "Linux $kversion (the files the series changes)"

# Copy repository files into the tree at their kernel paths.
put() {
	local f k
	for f in "$@"; do
		k=$(kpath "$f")
		mkdir -p "$T/$(dirname "$k")"
		cp "$f" "$T/$k"
	done
}

# Commit everything with the message on stdin, signed off.
commit() {
	tgit add -A
	tgit commit -q -s -F -
}

# MAINTAINERS: the entry right after META ETHERNET DRIVERS, with the given
# F: lines (replacing those it had).
maintainers() {
	local entry
	entry=$(printf '%s\n' \
		"META ETHERNET DRIVERS [RUST]" \
		"M:	$IDENT" \
		"L:	netdev@vger.kernel.org" \
		"L:	rust-for-linux@vger.kernel.org" \
		"S:	Maintained")
	entry+=$(printf '\nF:\t%s' "$@")
	ENTRY=$entry perl -0pi -e '
		s/^META ETHERNET DRIVERS \[RUST\]\n(?:[A-Z]:\t.*\n)+\n//m;
		s/^(META ETHERNET DRIVERS\n(?:[A-Z]:\t.*\n)+\n)/$1$ENV{ENTRY}\n\n/m
			or die "no META ETHERNET DRIVERS entry\n";
	' "$T/MAINTAINERS"
}

# Patch 1: the kernel_ext layer
# ---------------------------------------------------------------------------

put "${kext_files[@]}"
maintainers "$KEXT/"
commit <<'EOF'
net: fbnic: rust: add the kernel_ext abstraction layer

The Rust fbnic driver added later in this series needs safe abstractions
that the kernel crate does not provide yet: net_device allocation and
registration, the net_device_ops, ethtool_ops and netdev_stat_ops
tables as #[vtable] traits, NAPI, sk_buff, TX queues with BQL,
page_pool, PTP hardware clock registration, and a few PCI, IRQ, DMA
and workqueue helpers (the DMA mask set before probe, device-managed
MSI-X vectors and handlers, cancelling delayed work).

Add them as kernel_ext/, written the way rust/kernel/ code is: small
types over C objects with their invariants documented, a SAFETY comment
on every unsafe block and no knowledge of the driver. All unsafe code
and every raw C binding of the driver live here; the driver's own
modules forbid unsafe code.

kernel::bindings lacks these C types or keeps them opaque, so the layer
has its own bindgen step: kernel_ext_bindings.h names the headers,
bindgen_parameters the items to generate. The driver's Kbuild runs it
with the module's C flags, so the layouts are the C compiler's, and
compiles the wrappers bindgen writes for static inline functions into
the module.

The layer is carried as a module of the driver's crate (the
crate::kernel_ext module) until its pieces move into the kernel crate
(rust/kernel/net/, rust/kernel/pci.rs, ...), where other network
drivers can use them. It is not a crate of its own because the driver
is also built as an out-of-tree module from the same files, and an
out-of-tree module cannot share a crate with other code: the only
crates it can link against are the kernel's own. Moving the pieces is
follow-up work, one abstraction at a time.

Nothing builds these files yet; the last patch of the series wires the
driver up.
EOF

# Patch 2: the hardware contract
# ---------------------------------------------------------------------------

hw_files=()
rest_files=()
for f in "${drv_files[@]}"; do
	case $f in
	"$DRV"/hw/*) hw_files+=("$f") ;;
	*) rest_files+=("$f") ;;
	esac
done
[ ${#hw_files[@]} -gt 0 ] || die "no files in $DRV/hw"

put "${hw_files[@]}"
maintainers "$KDIR/hw/" "$KEXT/"
commit <<'EOF'
net: fbnic: rust: add the hardware contract

Add hw/, what the Rust driver knows about the device: the BAR0 register
map and fields, the BAR4 mailbox window, the TX/RX and mailbox
descriptor formats, the firmware mailbox's TLV message codec with the
schemas of every message, what the host makes of firmware messages
(capabilities, link configuration), ones'-complement checksum helpers
and the Toeplitz RSS hash with the RSS_KEY register layout.

The values follow the C driver (fbnic_csr.h, fbnic_tlv.[ch],
fbnic_fw.[ch]). The code is plain core Rust: no kernel crate, no
allocation, no unsafe code and no floating point, and every function is
total, malformed input giving an error rather than a panic. The same
files therefore also compile on the host, where the TLV codec and the
descriptor encodings get unit tests and a device emulator uses them,
so the driver and the emulator share one definition of the hardware.

Nothing builds these files yet; the next patch wires the driver up.
EOF

# Patch 3: the driver, wired up
# ---------------------------------------------------------------------------

put "${rest_files[@]}"

# The one line that differs in a kernel tree: where the kernel_ext module
# is. The comment above it, which says so, goes too.
main=$T/$KDIR/fbnic_main.rs
[ -f "$main" ] || die "no $DRV/fbnic_main.rs"
perl -0pi -e '
	s{(?:^//[^\n]*\n)*^#\[path = "\.\./\.\./\.\./\.\./\.\./rust/lib\.rs"\]\n}
	 {#[path = "kernel_ext/lib.rs"]\n}m == 1
		or die "fbnic_main.rs: no #[path] line to rewrite\n";
' "$main"
! grep -n 'scripts/intree\|\.\./\.\./' "$main" ||
	die "fbnic_main.rs: an out-of-tree path is left"

# Kconfig: the top-level Kconfig's entry, without the comment above it,
# right after FBNIC's.
entry=$(sed -n '/^config FBNIC_RUST$/,$p' Kconfig)
[ -n "$entry" ] || die "Kconfig: no FBNIC_RUST entry"
ENTRY=$entry perl -0pi -e '
	s/^(config FBNIC\n(?:(?:\t.*)?\n)+?)(?=\S)/$1$ENV{ENTRY}\n\n/m
		or die "meta/Kconfig: no FBNIC entry\n";
' "$T/$META/Kconfig"
grep -q '^config FBNIC_RUST$' "$T/$META/Kconfig" || die "meta/Kconfig: FBNIC_RUST not inserted"

perl -pi -e '
	$_ .= "obj-\$(CONFIG_FBNIC_RUST) += fbnic/rust/\n"
		if m{^obj-\$\(CONFIG_FBNIC\) \+= fbnic/$};
' "$T/$META/Makefile"
grep -q 'CONFIG_FBNIC_RUST' "$T/$META/Makefile" || die "meta/Makefile: not updated"

maintainers "$KDIR/"
commit <<'EOF'
net: fbnic: add a Rust driver

Add a Rust driver for the Meta Platforms Host Network Interface (PCI
1d9b:0013), an alternative to the C driver built from the same
knowledge of the device. It is written in safe Rust on top of the
kernel crate and the kernel_ext layer; the hardware contract is hw/.

It supports probe with the firmware mailbox (capabilities, ownership,
heartbeat), MAC address from the DSN, link state from the PCS, a queue
vector per CPU with NAPI, zero-copy TX with scatter-gather, checksum
offload, TSO and BQL, zero-copy RX with header split on page pools,
RX checksum and RSS hash, the RX classifier (MAC filters, promiscuous
and all-multicast modes, RSS rules, one additional RSS context),
ethtool flow rules, ethtool -i, -g/-G, -l/-L, -c/-C, -x/-X, -S with the
eth-mac, eth-ctrl and rmon groups, and per-queue statistics (qstats).
Ring sizes and queue counts change by allocating the new rings first,
so a request that cannot be met leaves the old configuration running.

The module is called fbnic, like the C driver's, and binds the same
device, so FBNIC_RUST depends on FBNIC=n. It needs a Clang build of
the kernel: the kernel_ext layer runs bindgen with the module's C
flags, and libclang only takes those of Clang. It lives in
drivers/net/ethernet/meta/fbnic/rust/ next to the C driver, and the
README there describes how its files fit together.
EOF

# The series
# ---------------------------------------------------------------------------

rm -rf "$OUT/patches"
mkdir -p "$OUT/patches"
tgit config branch.fbnic-rust.description "$(cat <<EOF
net: fbnic: a Rust driver for the Meta Platforms Host Network Interface

This series adds a Rust driver for the fbnic NIC (PCI 1d9b:0013) next
to the C driver, in drivers/net/ethernet/meta/fbnic/rust/. The module
is fbnic.ko like the C driver's; the two are exclusive in Kconfig.

  1/3 adds kernel_ext, the safe abstractions the driver needs that the
      kernel crate lacks (net_device, ethtool, NAPI, sk_buff,
      page_pool, qstats, PTP clocks, and PCI, IRQ and workqueue
      helpers), with its own bindgen step. It is a module of the driver's crate for now:
      each piece is meant to move into rust/kernel/.
  2/3 adds the hardware contract (registers, descriptors, the firmware
      mailbox's TLV codec), plain core Rust that also compiles on the
      host.
  3/3 adds the driver and wires it up: Kbuild, Kconfig, Makefile.

It is an RFC: the abstractions in 1/3 belong in the kernel crate, to be
proposed there one by one, and the driver would then shrink to its own
files.

To build it, the kernel needs Rust (CONFIG_RUST=y) and a Clang/LLVM
build (make LLVM=1), since bindgen parses the layer's header with the
module's C flags. Then, with the C driver off:

  CONFIG_NET_VENDOR_META=y
  CONFIG_FBNIC=n
  CONFIG_FBNIC_RUST=m    (or =y)

The driver has been developed and tested out of tree against Linux 7.3
on an emulated device; the C driver runs the same tests as the
reference.

Based on Linux $kversion.
EOF
)"
tgit format-patch -q --rfc --subject-prefix="PATCH net-next" \
	--cover-letter --cover-from-description=subject --no-signature \
	-o "$OUT/patches" HEAD~3 >/dev/null
(cd "$OUT/patches" && ls -1 -- [0-9][0-9][0-9][0-9]-*.patch) |
	grep -vx 0000-cover-letter.patch >"$OUT/series"
[ "$(wc -l <"$OUT/series")" = 3 ] || die "format-patch did not write 3 patches"
log "wrote a cover letter and $(wc -l <"$OUT/series") patches to $OUT/patches (order: $OUT/series)"

# Checks
# ---------------------------------------------------------------------------

# Apply the series to the kernel tree $1 with patch(1), which writes new
# files rather than into hard-linked ones.
apply_series() {
	local dir=$1 p
	[ "$(cd "$dir" && pwd -P)" != "$SRC" ] || die "$dir is the source tree itself"
	while read -r p; do
		patch -d "$dir" -p1 -s --batch --forward <"$OUT/patches/$p" ||
			die "$p does not apply to $dir"
	done <"$OUT/series"
}

# Copy the kernel tree $1 to $2: hard links where the file system allows
# them (quick, and patch(1) breaks the links of what it changes), else a
# full copy.
copy_tree() {
	if ! cp -al "$1/." "$2" 2>/dev/null; then
		log "no hard links from $1 to $2: copying the whole tree"
		rm -rf "$2"
		cp -a "$1/." "$2"
	fi
	[ -d "$2" ] && [ ! -L "$2" ] || die "$2: not a copy of $1"
}

if [ -n "$CHECK" ]; then
	# A scratch copy of the tree to run checkpatch in (it reads
	# MAINTAINERS and its spelling list there) and to apply the series
	# to: next to the tree, to link rather than copy its files, unless
	# that directory is not writable.
	scratch=$(mktemp -d "$(dirname "$SRC")/.fbnic-intree.XXXXXX" 2>/dev/null) ||
		scratch=$(mktemp -d "$tmp/ksrc.XXXXXX")
	rmdir "$scratch"
	log "copying $SRC for checkpatch"
	copy_tree "$SRC" "$scratch"
	fail=0
	: >"$OUT/checkpatch.log"
	while read -r p; do
		out=$(cd "$scratch" && perl scripts/checkpatch.pl --strict "$OUT/patches/$p" 2>&1) || true
		printf '%s\n%s\n\n' "== $p" "$out" >>"$OUT/checkpatch.log"
		total=$(grep '^total: ' <<<"$out" || echo "total: none")
		log "checkpatch --strict $p: $total"
		[[ $total == "total: 0 errors, 0 warnings, 0 checks,"* ]] || fail=1
	done <"$OUT/series"
	[ $fail = 0 ] || die "checkpatch found problems: $OUT/checkpatch.log"
	apply_series "$scratch"
	log "the series applies to Linux $kversion"
	rm -rf "$scratch"
	scratch=
fi

if [ -n "$APPLY" ]; then
	if [ ! -e "$APPLY" ]; then
		log "copying $SRC to $APPLY"
		copy_tree "$SRC" "$APPLY"
	fi
	apply_series "$APPLY"
	log "applied the series to $APPLY"
fi
