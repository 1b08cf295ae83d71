#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite: host unit tests, then each VM suite for each driver
# (the Rust one and the upstream C one). Prints every test's result and
# ends with "N passed, N failed". Exit status 0 only if nothing failed.
#
#   tests/run.sh [--tier quick|full] [--drivers "rust c"] [--suites "basic ..."]
#
# The suite "selftests" (last by default) is the kernel's own net selftests
# (scripts/selftests.sh) held to the curated list
# tests/selftests/<driver>-must-pass.txt: one result line per entry; a
# driver without a list is left out.
#
# Tiers: "quick" (make test, the default) runs every selftest entry once:
# an entry on both must-pass lists runs with the Rust driver only, since
# the C driver's run of it guards the emulator, not our driver (so does a
# whole C entry whose test the Rust list has cases of). "full"
# (make check) runs both lists whole. An entry whose comment says
# "fbnic-tier: full" runs in the full tier only. The suite "netinstall" (quick: the
# provisioning boot's checks; full: the whole installation) is
# scripts/netinstall.sh.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

drivers="rust c"
suites="basic control compare traffic reconfig xdp_fwd timestamp bmc recovery lifecycle aer hotplug netinstall selftests"
tier=quick
while [ $# -gt 0 ]; do
	case $1 in
	--tier) tier=$2; shift 2 ;;
	--drivers) drivers=$2; shift 2 ;;
	--suites) suites=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
case $tier in quick | full) ;; *) die "--tier must be quick or full" ;; esac

out=$FBNIC_TOP/results
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
pass=0 fail=0 xfail=0

record() {
	printf '%s\n' "$*" | tee -a "$summary"
	case ${1%% *} in
	PASS) pass=$((pass + 1)) ;;
	XFAIL) xfail=$((xfail + 1)) ;;
	SKIP) ;;
	*) fail=$((fail + 1)) ;;
	esac
}

# Host unit tests: one result line per test.
t0=$SECONDS
log "host unit tests (cargo test)"
cargo test --workspace --release --no-fail-fast 2>&1 | tee "$out/cargo-test.log" |
	sed -nE 's/^test (.+) \.\.\. (ok|FAILED|ignored)$/\2 \1/p' >"$out/cargo-results.txt"
cargo_rc=${PIPESTATUS[0]}
if ! grep -q '^test result:' "$out/cargo-test.log"; then
	record "FAIL host/cargo-test: did not run (see results/cargo-test.log)"
elif [ "$cargo_rc" -ne 0 ] && ! grep -q '^FAILED ' "$out/cargo-results.txt"; then
	# No test reported a failure, yet cargo failed: a test binary that
	# crashed (a signal, an abort) takes its unreported tests with it.
	record "FAIL host/cargo-test: cargo test exited $cargo_rc without a failed test: $(grep -m1 -E 'process didn.t exit successfully|error:' "$out/cargo-test.log")"
fi
while read -r status name; do
	case $status in
	ok) record "PASS host/$name" ;;
	ignored) record "SKIP host/$name" ;;
	*) record "FAIL host/$name" ;;
	esac
done <"$out/cargo-results.txt"
log "host unit tests: $((SECONDS - t0)) s"

# Build hygiene: the module builds without a warning, also under clippy;
# rust/'s doc examples compile; host crates are clippy-clean; everything
# is rustfmt-formatted.
t0=$SECONDS
lint() {
	local name=$1 log=$out/build-$1.log
	shift
	if "$@" >"$log" 2>&1 && ! grep -qiE '^(warning|error)|: warning:' "$log"; then
		record "PASS build/$name"
	else
		record "FAIL build/$name: $(grep -m1 -iE 'warning|error' "$log" || tail -n1 "$log")"
	fi
}
module_clippy() {
	# Rebuild the crate (not the bindings) so every lint really runs.
	touch "$FBNIC_TOP"/drivers/net/ethernet/meta/fbnic/fbnic_main.rs
	kmake M="$FBNIC_TOP" CLIPPY=1 modules
}
rust_files() {
	git -C "$FBNIC_TOP" ls-files -- '*.rs' | sed "s|^|$FBNIC_TOP/|"
}
lint module-clippy module_clippy
# No function of the module takes more than 2 KiB of stack
# (CONFIG_FRAME_WARN's limit for C), no chain of its calls more than 6 KiB.
lint stack-frames python3 "$FBNIC_TOP/scripts/stack-frames.py" \
	"$FBNIC_TOP/drivers/net/ethernet/meta/fbnic/fbnic.ko"
lint doctests kmake M="$FBNIC_TOP" KERNEL_EXT_DOCTESTS=y modules
lint host-clippy cargo clippy --workspace --all-targets --release -- -D warnings
lint rustfmt sh -c "$(declare -f rust_files); rustfmt --edition 2021 --check \$(rust_files)"
# Every kernel selftest is on both must-pass lists or has its reason in
# tests/selftests/left-out.txt.
lint selftests-accounting python3 "$FBNIC_TOP/tests/selftests/accounting.py"
# The in-tree series: generated, checkpatch --strict clean, applies to 7.3.
lint intree-checkpatch "$FBNIC_TOP/scripts/intree.sh" --check --out "$out/intree"
log "build checks: $((SECONDS - t0)) s"

# The parsers' fuzz targets (tests/fuzz, Documentation/fuzzing.md), a short
# pass of 7 s each; make fuzz is the long tier. One line per target; a
# machine without nightly or cargo-fuzz (and no way to install them) gets
# a FAIL that says so.
t0=$SECONDS
log "fuzz targets, short pass (scripts/fuzz.sh --time 7)"
"$FBNIC_TOP/scripts/fuzz.sh" --time 7 >"$out/fuzz.txt" 2>"$out/fuzz.log"
fuzz_rc=$?
while read -r line; do
	record "$line"
done < <(grep -E '^(PASS|FAIL) fuzz/' "$out/fuzz.txt")
if [ $fuzz_rc -ne 0 ] && ! grep -q '^FAIL fuzz/' "$out/fuzz.txt"; then
	record "FAIL fuzz/setup: $(grep -m1 'error' "$out/fuzz.log" || tail -n1 "$out/fuzz.log")"
fi
log "fuzz short pass: $((SECONDS - t0)) s"

# collect RC DRIVER SUITE RESULTS OUT: records each line of a VM run's
# RESULTS file for DRIVER, and the run itself as failed when it exited
# other than 0/1 (the runner's own failure, timeout, no results).
collect() {
	local rc=$1 driver=$2 suite=$3 results=$4 outfile=$5 status rest
	if [ -f "$results" ]; then
		while read -r status rest; do
			record "$status $driver:$rest"
		done <"$results"
	fi
	# 1 is "some tests failed", with their results; without results it is
	# the runner's own failure.
	if [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] || [ ! -s "$results" ]; }; then
		record "FAIL $driver:$suite/vm: runner exit $rc (see results/$outfile)"
		tail -n 15 "$out/$outfile" | sed 's/^/    /'
	fi
}

# The tests to run for a must-pass list: "test" runs whole; "test.case"
# entries only run their cases (test:case1,case2).
must_pass_tests() {
	sed 's/#.*//' "$1" | awk '
		NF {
			t = $1; c = ""
			if (i = index(t, ".")) { c = substr(t, i + 1); t = substr(t, 1, i - 1) }
			if (!(t in seen)) { seen[t] = 1; order[n++] = t }
			if (c == "") whole[t] = 1
			else cases[t] = cases[t] (cases[t] == "" ? "" : ",") c
		}
		END {
			for (i = 0; i < n; i++) {
				t = order[i]
				print (t in whole || cases[t] == "") ? t : t ":" cases[t]
			}
		}' | xargs
}

# quick_list LIST RUST_LIST OUT: the entries of LIST that RUST_LIST does not
# have (the quick tier runs those with the Rust driver), nor a whole test
# that RUST_LIST has cases of (the cases only C passes then run in the full
# tier); prints OUT.
quick_list() {
	local list=$1 rust=$2 outf=$3
	awk 'NR == FNR { sub(/#.*/, ""); if (NF) { have[$1] = 1; t = $1; sub(/\..*/, "", t); test[t] = 1 }; next }
		{ e = $0; sub(/#.*/, "", e); split(e, f, " ") }
		!(f[1] in have) && !(f[1] !~ /\./ && f[1] in test) { print }' "$rust" "$list" >"$outf"
	echo "$outf"
}

# The kernel's net selftests: only the tests on the driver's must-pass list,
# one result per entry (details in results/selftests-<driver>/results.md).
# The entries that failed run once more in a fresh VM, as the netdev CI
# retries a failed test: the lab shares two cores with whatever else runs,
# and some selftests have fixed time limits (a 0.15 s key update, a 20 s
# socat) that a loaded TCG guest can miss. An entry that passes on the
# retry is a PASS that says so, with the first run's reason; the first run
# stays in results/selftests-<driver>-first/.
run_selftests() {
	local driver=$1 list=$FBNIC_TOP/tests/selftests/$1-must-pass.txt tests rc
	local dir=$out/selftests-$driver first=$out/selftests-$driver-first retry status entry why
	[ -f "$list" ] || return 0
	if [ "$tier" = quick ]; then
		# Entries marked "fbnic-tier: full" (slow ones, whose feature a
		# suite of ours covers in the quick tier) run in make check only.
		grep -v 'fbnic-tier: full' "$list" >"$out/selftests-$driver-tiered.txt"
		list=$out/selftests-$driver-tiered.txt
	fi
	if [ "$tier" = quick ] && [ "$driver" != rust ]; then
		list=$(quick_list "$list" "$FBNIC_TOP/tests/selftests/rust-must-pass.txt" \
			"$out/selftests-$driver-quick.txt")
	fi
	tests=$(must_pass_tests "$list")
	[ -n "$tests" ] || return 0
	rm -rf "$first"
	"$FBNIC_TOP/scripts/selftests.sh" --driver "$driver" --must-pass "$list" \
		--tests "$tests" >"$out/selftests-$driver.out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && [ -f "$dir/must-pass.txt" ] && grep -q '^FAIL' "$dir/must-pass.txt"; then
		mv "$dir" "$first"
		retry=$first/retry-list.txt
		sed -n 's|^FAIL selftests/\([^:]*\):.*|\1|p' "$first/must-pass.txt" >"$retry"
		log "kernel selftests, $driver driver: retrying $(xargs <"$retry")"
		"$FBNIC_TOP/scripts/selftests.sh" --driver "$driver" --must-pass "$retry" \
			--tests "$(must_pass_tests "$retry")" >"$out/selftests-$driver-retry.out" 2>&1
		rc=$?
		mkdir -p "$dir"
		[ -f "$dir/must-pass.txt" ] || : >"$dir/must-pass.txt"
		while read -r status entry why; do
			entry=${entry%:}
			entry=${entry#selftests/}
			if [ "$status" = PASS ]; then
				echo "PASS selftests/$entry"
			elif grep -qx "PASS selftests/$entry" "$dir/must-pass.txt"; then
				echo "PASS selftests/$entry (on retry; first run: $why)"
			else
				grep -m1 "^FAIL selftests/$entry:" "$dir/must-pass.txt" ||
					echo "FAIL selftests/$entry: $why (and the retry did not run it)"
			fi
		done <"$first/must-pass.txt" >"$dir/must-pass-merged.txt"
		collect "$rc" "$driver" selftests "$dir/must-pass-merged.txt" \
			"selftests-$driver-retry.out"
		return
	fi
	collect $rc "$driver" selftests "$dir/must-pass.txt" "selftests-$driver.out"
}

# shutdown_check DRIVER EMU_LOG: the lifecycle suite ends with the driver
# bound and both ports up (its case shutdown_armed), so the guest's reboot
# runs the driver's shutdown callback. What each port had left running when
# QEMU went, as the emulator logged it ("client gone; it left: ..."): the
# firmware mailbox down (the firmware's DMA off), no queue enabled, and no
# interrupt that could still fire (MSI-X off, or every vector masked).
shutdown_check() {
	local driver=$1 log=$2 port line bad
	for ((port = 0; port < 2; port++)); do
		line=$(grep -a "fbnic-emu port$port .*client gone; it left:" "$log" 2>/dev/null | tail -n1)
		line=${line#*it left: }
		bad=
		if [ -z "$line" ]; then
			bad="no disconnect line in results/lifecycle-$driver/emu.log"
		else
			case " $line " in *" mailbox-up 0 "*) ;; *) bad="mailbox still up" ;; esac
			case " $line " in *" tx-queues-on 0 rx-queues-on 0 "*) ;; *) bad="${bad:+$bad, }queues still enabled" ;; esac
			case " $line " in *" msix 0 "* | *" unmasked-vectors 0 "*) ;; *) bad="${bad:+$bad, }interrupts still on" ;; esac
		fi
		if [ -z "$bad" ]; then
			record "PASS $driver:lifecycle/shutdown_quiesced: port $port: $line"
		else
			record "FAIL $driver:lifecycle/shutdown_quiesced: port $port: $bad${line:+ ($line)}"
		fi
	done
}

# VM suites.
for suite in $suites; do
	for driver in $drivers; do
		if [ "$suite" = netinstall ]; then
			# The Rust driver is the subject; the C driver's
			# provisioning kernel is the comparison, in the full tier.
			[ "$driver" = rust ] || [ "$tier" = full ] || continue
			t0=$SECONDS
			dir=$out/netinstall-$driver
			log "netinstall ($tier), $driver driver"
			"$FBNIC_TOP/scripts/netinstall.sh" --driver "$driver" --results "$dir" \
				$([ "$tier" = quick ] && echo --quick) >"$out/netinstall-$driver.out" 2>&1
			collect $? "$driver" netinstall "$dir/results.txt" "netinstall-$driver.out"
			# A host without TUN: refused up front, nothing started.
			if FBNIC_TUN=/nonexistent "$FBNIC_TOP/scripts/netinstall.sh" --driver "$driver" \
				--results "$dir-preflight" >"$out/netinstall-preflight.out" 2>&1; then
				record "FAIL $driver:netinstall/preflight: ran without a TUN device"
			elif grep -q 'no /nonexistent: the emulator cannot create its TAP' "$out/netinstall-preflight.out" &&
				! grep -q 'stage inputs' "$out/netinstall-preflight.out"; then
				record "PASS $driver:netinstall/preflight: no TUN device named before anything starts"
			else
				record "FAIL $driver:netinstall/preflight: $(tail -n1 "$out/netinstall-preflight.out")"
			fi
			log "netinstall, $driver driver: $((SECONDS - t0)) s"
			continue
		fi
		if [ "$suite" = selftests ]; then
			t0=$SECONDS
			log "kernel selftests, $driver driver"
			run_selftests "$driver"
			log "kernel selftests, $driver driver: $((SECONDS - t0)) s"
			continue
		fi
		# A suite is Python on the kernel's ksft (tests/py).
		script=$FBNIC_TOP/tests/py/$suite.py
		if [ ! -f "$script" ]; then
			record "FAIL $driver:$suite/run: no tests/py/$suite.py"
			continue
		fi
		# A suite that loads both drivers itself runs once, its
		# subject the Rust driver.
		if grep -q '^# fbnic-suite: both-drivers' "$script" && [ "$driver" != rust ]; then
			continue
		fi
		# A suite whose C run shows what the upstream driver does, not
		# a feature of ours, runs with C in the full tier only.
		if grep -q '^# fbnic-quick: rust' "$script" && [ "$driver" != rust ] &&
			[ "$tier" = quick ]; then
			continue
		fi
		t0=$SECONDS
		dir=$out/$suite-$driver
		rm -rf "$dir"
		log "VM suite $suite, $driver driver"
		"$FBNIC_TOP/scripts/vm-run.sh" --driver "$driver" --results "$dir" \
			"$script" >"$out/$suite-$driver.out" 2>&1
		collect $? "$driver" "$suite" "$dir/results.txt" "$suite-$driver.out"
		[ "$suite" != lifecycle ] || shutdown_check "$driver" "$dir/emu.log"
		log "VM suite $suite, $driver driver: $((SECONDS - t0)) s"
	done
done

# The upstream C driver built with the fixes this project proposes for it
# (Documentation/upstream/fbnic-c): the recovery cases the stock driver
# oopses on or floods its log in. Full tier, with the C driver.
if [ "$tier" = full ] && [[ " $drivers " == *" c "* ]] && [[ " $suites " == *" recovery "* ]]; then
	t0=$SECONDS
	log "recovery with the C driver's proposed fixes"
	rm -rf "$out/c-fixes"
	"$FBNIC_TOP/scripts/c-fixes.sh" --results "$out/c-fixes" >"$out/c-fixes.out" 2>&1
	collect $? c-fixes recovery "$out/c-fixes/results.txt" c-fixes.out
	log "recovery with the C driver's proposed fixes: $((SECONDS - t0)) s"
fi

[ $xfail -eq 0 ] || echo "$xfail expected failures (XFAIL above, each with its reason)"
echo "$pass passed, $fail failed" | tee -a "$summary"
[ $fail -eq 0 ]
