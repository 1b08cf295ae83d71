#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make reliability": the fault matrix (Documentation/reliability.md).
# Every fault row of tests/py/reliability.py, for each driver, idle and
# under an iperf3 stream, then load/unload and unbind/bind cycles; one VM
# run per driver and load. Summary: results/reliability/matrix.md and
# matrix.json (scripts/reliability-summary.py; results/reliability-debug/
# on the debug kernel).
#
#   scripts/reliability.sh [--drivers "rust c"] [--loads "idle iperf3"]
#                          [--cycles N] [--binds M]
#
# The cycle counts default to RELIABILITY_CYCLES (1000 load/unload) and
# RELIABILITY_BINDS (100 unbind/bind). The cycles run under traffic, once
# per driver: in its iperf3 run (or its last run without one). With FBNIC_KERNEL_FLAVOUR=debug the
# VMs boot the debug kernel (KASAN, lockdep, UBSAN; kmemleak on), the
# module built against it in a copy of the checkout, as
# scripts/debug-kernel.sh does. It builds nothing else: make module emu
# first. Exit status 1 if a Rust row failed or any row has a kernel report.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

drivers="rust c" loads="idle iperf3"
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
# Ten rows of up to a few minutes each, then the cycles.
timeout=$((1800 + 8 * cycles + 8 * binds))
cycles_load=${loads##* }
case " $loads " in *" iperf3 "*) cycles_load=iperf3 ;; esac
for d in $drivers; do
	for l in $loads; do
		c=0 b=0
		[ "$l" != "$cycles_load" ] || c=$cycles b=$binds
		log "reliability: $d, $l ($c load/unload, $b unbind/bind cycles)"
		rc=0
		rm -rf "${out:?}/$d-$l" "$out/$d-$l.out"
		"$tree/scripts/vm-run.sh" --driver "$d" "${kmemleak[@]}" --timeout "$timeout" \
			--results "$out/$d-$l" "$tree/tests/py/reliability.py" \
			--load "$l" --cycles "$c" --binds "$b" >"$out/$d-$l.out" 2>&1 || rc=$?
		echo "$rc" >"$out/$d-$l/exit"
	done
done
cmdline="scripts/reliability.sh --drivers \"$drivers\" --loads \"$loads\" --cycles $cycles --binds $binds"
[ -z "${FBNIC_KERNEL_FLAVOUR:-}" ] || cmdline="FBNIC_KERNEL_FLAVOUR=$FBNIC_KERNEL_FLAVOUR $cmdline"
python3 "$FBNIC_TOP/scripts/reliability-summary.py" --flavour "${FBNIC_KERNEL_FLAVOUR:-lab}" \
	--command "$cmdline" "$out"
