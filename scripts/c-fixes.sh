#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The upstream C driver with the fixes this project proposes for it
# (Documentation/upstream/fbnic-c/*.patch): builds it from the lab
# kernel's own source and runs the recovery cases that the stock driver
# oopses on or floods the log in, with it. With FBNIC_KERNEL_FLAVOUR=debug,
# --build-only builds it for the debug kernel (scripts/reliability.sh's
# c-fixes runs there).
#
#   scripts/c-fixes.sh [--build-only] [--results DIR]
#
# The module is cached under $FBNIC_CACHE/c-fixes/, keyed by the kernel
# build and the patches; its path is printed on the last line of
# --build-only. The run ends with the suite's result lines and exits
# non-zero if one is a FAIL.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build_only=0 results=$FBNIC_TOP/results/c-fixes
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) build_only=1; shift ;;
	--results) results=$2; shift 2 ;;
	*) die "usage: $0 [--build-only] [--results DIR]" ;;
	esac
done

patches=("$FBNIC_TOP"/Documentation/upstream/fbnic-c/*.patch)
[ -f "${patches[0]}" ] || die "no patches in Documentation/upstream/fbnic-c"
src=$(readlink -f "$FBNIC_CACHE/src/current")/drivers/net/ethernet/meta/fbnic
[ -d "$src" ] || die "no kernel source; run scripts/setup.sh first"
kd=$(kernel_dir)
[ -d "$kd/build" ] || die "no kernel build at $kd; run scripts/setup.sh first"

out=$FBNIC_CACHE/c-fixes/$(input_key "$kd" "${patches[@]}")
if [ ! -f "$out/fbnic.ko" ]; then
	rm -rf "$out.tmp"
	mkdir -p "$out.tmp"
	cp -r "$src/." "$out.tmp/"
	for p in "${patches[@]}"; do
		# The patches are against the kernel tree: strip to the driver's
		# directory.
		patch -d "$out.tmp" -p6 --quiet <"$p" || die "$(basename "$p") does not apply"
	done
	kmake M="$out.tmp" CONFIG_FBNIC=m modules >"$out.tmp/build.log" 2>&1 ||
		die "the C driver does not build with the fixes: $out.tmp/build.log"
	if grep -qE 'warning:|error:' "$out.tmp/build.log"; then
		grep -E 'warning:|error:' "$out.tmp/build.log" >&2
		die "the C driver builds with warnings with the fixes"
	fi
	rm -rf "$out"
	mv "$out.tmp" "$out"
fi
log "C driver with the fixes: $out/fbnic.ko"
if [ $build_only -eq 1 ]; then
	echo "$out/fbnic.ko"
	exit 0
fi

mkdir -p "$results"
rc=0
"$FBNIC_TOP/scripts/vm-run.sh" --driver c --c-module "$out/fbnic.ko" --results "$results" \
	"$FBNIC_TOP/tests/py/recovery.py" -t load -t up -t malformed_completions \
	-t fw_flood -t dmesg_clean -t unload || rc=$?
[ -f "$results/results.txt" ] && sed 's/^/c-fixes:/' "$results/results.txt"
exit $rc
