#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make debug-kernel": the VM suites and selftests on the debug flavour of
# the lab kernel (scripts/kernel-debug.config: KASAN, lockdep, UBSAN,
# atomic-sleep checks, failslab and fail_page_alloc; kmemleak on), for
# either driver. A run passes when the suites pass and the guest's dmesg
# has no KASAN, lockdep, UBSAN or other kernel report, and kmemleak names
# no object allocated through fbnic (the suites that check it).
#
#   scripts/debug-kernel.sh [--drivers "rust c"] [--suites "basic traffic recovery"]
#                           [--selftests "pp_alloc_fail"]
#
# The kernel is built once per input (scripts/setup.sh kernel-debug, about
# 40 minutes on two cores) and cached like the lab kernel. The module is
# built against it in a copy of this checkout ($FBNIC_CACHE/debug-tree), so
# that the checkout's own build for the lab kernel stays as it is.
# Results: results/debug/<suite>-<driver>/ and results/debug/summary.md.
# The last line printed is "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

drivers="rust c" suites="basic traffic recovery" selftests="pp_alloc_fail"
while [ $# -gt 0 ]; do
	case $1 in
	--drivers) drivers=$2; shift 2 ;;
	--suites) suites=$2; shift 2 ;;
	--selftests) selftests=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done

export FBNIC_KERNEL_FLAVOUR=debug
"$FBNIC_TOP/scripts/setup.sh" kernel-debug

debug_tree
copy=$FBNIC_CACHE/debug-tree

out=$FBNIC_TOP/results/debug
rm -rf "$out"
mkdir -p "$out"
# A kernel report of any kind: the sanitizers, lockdep, a WARN or BUG.
reports='BUG: KASAN|UBSAN:|WARNING:|BUG:|possible circular locking|inconsistent lock state|Oops|general protection|Kernel panic'
pass=0 fail=0
rows=()
record() { # NAME DRIVER RC DIR
	local n r=ok
	n=$(grep -Ec "$reports" "$4/dmesg.txt" 2>/dev/null || true)
	[ "$3" -eq 0 ] || r="failed (exit $3)"
	[ "${n:-0}" -eq 0 ] || r="$r, $n kernel report lines"
	if [ "$r" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	rows+=("| $1 | $2 | $r |")
	log "debug kernel: $1 ($2): $r"
}

for d in $drivers; do
	for s in $suites; do
		rc=0
		"$copy/scripts/vm-run.sh" --driver "$d" --kmemleak --timeout 1800 \
			--results "$out/$s-$d" "$copy/tests/py/$s.py" >"$out/$s-$d.out" 2>&1 || rc=$?
		record "$s" "$d" "$rc" "$out/$s-$d"
	done
	for t in $selftests; do
		rc=0
		"$copy/scripts/selftests.sh" --driver "$d" --no-must-pass --tests "$t" \
			>"$out/selftest-$t-$d.out" 2>&1 || rc=$?
		# selftests.sh counts a skip as no failure: a skipped test is no
		# evidence, so it fails here.
		grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped' "$out/selftest-$t-$d.out" ||
			[ "$rc" -ne 0 ] || rc=1
		rm -rf "$out/selftest-$t-$d"
		cp -r "$copy/results/selftests-$d" "$out/selftest-$t-$d"
		record "selftest $t" "$d" "$rc" "$out/selftest-$t-$d"
	done
done

{
	echo "# The debug kernel ($(date -u +%Y-%m-%d), $(git -C "$FBNIC_TOP" rev-parse --short HEAD))"
	echo
	echo "Command: \`scripts/debug-kernel.sh --drivers \"$drivers\" --suites \"$suites\" --selftests \"$selftests\"\`"
	echo "Kernel: lab kernel + scripts/kernel-debug.config, kmemleak=on."
	echo
	echo "| run | driver | result |"
	echo "|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >"$out/summary.md"
cat "$out/summary.md"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
