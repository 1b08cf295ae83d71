#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make reliability": the fault matrix (Documentation/reliability.md).
# Every fault row of tests/py/reliability.py, for each driver, idle and
# under an iperf3 stream, and load/unload and unbind/bind cycles under
# traffic; one VM run per driver and load. Summary: results/reliability/matrix.md and
# matrix.json (scripts/reliability-summary.py; results/reliability-debug/
# on the debug kernel).
#
#   scripts/reliability.sh [--drivers "rust c c-fixes"] [--loads "idle iperf3 cycles"]
#                          [--cycles N] [--binds M]
#
# The cycle counts default to RELIABILITY_CYCLES (1000 load/unload) and
# RELIABILITY_BINDS (100 unbind/bind). They run under traffic in a VM run
# of their own per driver, the "cycles" load. With FBNIC_KERNEL_FLAVOUR=debug the
# VMs boot the debug kernel (KASAN, lockdep, UBSAN; kmemleak on), the
# module built against it in a copy of the checkout, as
# scripts/debug-kernel.sh does. It builds nothing else: make module emu
# first. Exit status 1 if a Rust row failed or any row has a kernel report.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

drivers="rust c c-fixes" loads="idle iperf3 cycles"
cycles=${RELIABILITY_CYCLES:-1000} binds=${RELIABILITY_BINDS:-100}
while [ $# -gt 0 ]; do
	case $1 in
	--drivers) drivers=$2; shift 2 ;;
	--loads) loads=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--binds) binds=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done

tree=$FBNIC_TOP
kmemleak=()
if [ "${FBNIC_KERNEL_FLAVOUR:-}" = debug ]; then
	"$FBNIC_TOP/scripts/setup.sh" kernel-debug
	debug_tree
	tree=$FBNIC_CACHE/debug-tree
	kmemleak=(--kmemleak)
fi

# Each run replaces its own results only: a matrix can be run in parts
# (--drivers, --loads) and the summary covers every run there is.
out=$FBNIC_TOP/results/reliability${FBNIC_KERNEL_FLAVOUR:+-$FBNIC_KERNEL_FLAVOUR}
mkdir -p "$out"
for d in $drivers; do
	# c-fixes: the C driver with the fixes of Documentation/upstream/fbnic-c,
	# built by scripts/c-fixes.sh against the kernel of the flavour.
	driver=(--driver "$d")
	if [ "$d" = c-fixes ]; then
		driver=(--driver c --c-module "$("$FBNIC_TOP/scripts/c-fixes.sh" --build-only | tail -1)")
	fi
	for l in $loads; do
		# A load runs the fault rows; "cycles" runs the cycles alone,
		# under traffic of their own.
		c=0 b=0 timeout=1800
		[ "$l" != cycles ] || c=$cycles b=$binds timeout=$((600 + 8 * cycles + 8 * binds))
		log "reliability: $d, $l"
		rc=0
		rm -rf "${out:?}/$d-$l" "$out/$d-$l.out"
		"$tree/scripts/vm-run.sh" "${driver[@]}" "${kmemleak[@]}" --timeout "$timeout" \
			--results "$out/$d-$l" "$tree/tests/py/reliability.py" \
			--load "$l" --cycles "$c" --binds "$b" >"$out/$d-$l.out" 2>&1 || rc=$?
		echo "$rc" >"$out/$d-$l/exit"
	done
done
cmdline="scripts/reliability.sh --drivers \"$drivers\" --loads \"$loads\" --cycles $cycles --binds $binds"
[ -z "${FBNIC_KERNEL_FLAVOUR:-}" ] || cmdline="FBNIC_KERNEL_FLAVOUR=$FBNIC_KERNEL_FLAVOUR $cmdline"
python3 "$FBNIC_TOP/scripts/reliability-summary.py" --flavour "${FBNIC_KERNEL_FLAVOUR:-lab}" \
	--command "$cmdline" "$out"
