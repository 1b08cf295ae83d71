#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the kernel's own network driver selftests (drivers/net, drivers/net/hw
# of the 7.3 tree) in the lab VM against the emulated fbnic ports, with the
# upstream C driver or ours, and writes a results table.
#
#   scripts/selftests.sh [--driver c|rust] [--tests "ping stats ..."]
#                        [--must-pass FILE | --no-must-pass]
#                        [--timeout SEC] [--console] [--cmd COMMAND]
#
#   --driver     which driver the guest loads (default c)
#   --tests      test names (file stems such as rss_ctx) or paths relative to
#                the installed selftests, each with an optional ":CASE[,...]"
#                to run those cases only (rss_ctx:test_rss_key_indir) and
#                an optional "@SEC", a limit of its own;
#                default: tests/selftests/tests.txt, where a line may give
#                a test its own limit ("ethtool_rmon timeout=600"), which
#                then holds however the test is chosen
#   --must-pass  curated list to enforce (default:
#                tests/selftests/<driver>-must-pass.txt if there is one)
#   --timeout    limit for each test without one of its own, seconds
#                (default 300)
#   --console    follow the guest console (shows each test as it starts)
#   --cmd        a shell command to run in the guest after the layout is up
#                and the tests ran (e.g. a selftest by hand, then ethtool -S);
#                --tests "" runs no test first. Output: cmd.log
#
# Results land in results/selftests-<driver>/: results.md and results.json
# (test, case, pass/fail/skip and the reason the selftest gave), each test's
# TAP output under ksft/, env.txt (the links as the tests saw them), the
# guest's dmesg and console. The last line printed is
# "N passed, N failed, N skipped". Exit status: 1 if an entry of the
# must-pass list did not pass, 2 if the VM did not run the tests, else 0.
# How to run one test by hand: Documentation/selftests.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

driver=c tests=default must= must_set=0 per_test=300 console=() cmd=()
while [ $# -gt 0 ]; do
	case $1 in
	--driver) driver=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--must-pass) must=$2; must_set=1; shift 2 ;;
	--no-must-pass) must=; must_set=1; shift ;;
	--timeout) per_test=$2; shift 2 ;;
	--console) console=(--console); shift ;;
	--cmd) cmd=(--cmd "$2"); shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
case $driver in rust | c) ;; *) die "--driver must be rust or c" ;; esac
if [ $must_set -eq 0 ] && [ -f "$FBNIC_TOP/tests/selftests/$driver-must-pass.txt" ]; then
	must=$FBNIC_TOP/tests/selftests/$driver-must-pass.txt
fi

"$FBNIC_TOP/scripts/setup.sh" selftests
inst=$(readlink -f "$FBNIC_CACHE/selftests/current")/install
[ -f "$inst/kselftest-list.txt" ] || die "no installed selftests in $inst"

# tests.txt: "name [timeout=SEC]"; a test's own limit travels as "@SEC".
# The limit belongs to the test wherever it runs from (--tests, the
# must-pass tier), as a kselftest "settings" file's would.
own_limit() {
	sed 's/#.*//' "$FBNIC_TOP/tests/selftests/tests.txt" |
		awk -v t="$1" '$1 == t && $2 ~ /^timeout=[0-9]+$/ { sub(/timeout=/, "", $2); print $2; exit }'
}
[ "$tests" != default ] ||
	tests=$(sed 's/#.*//' "$FBNIC_TOP/tests/selftests/tests.txt" | awk 'NF { print $1 }' | xargs)

# A name is a test file stem; find it in the install's list of tests
# ("drivers/net/hw:rss_ctx.py").
resolve() {
	local t=${1%%@*} limit= case= hit
	[ "${t%%:*}" = "$t" ] || case=:${t#*:}
	t=${t%%:*}
	if [ "$1" != "${1%%@*}" ]; then
		limit=@${1#*@}
	else
		limit=$(own_limit "$t")
		[ -z "$limit" ] || limit=@$limit
	fi
	if [ -f "$inst/$t" ]; then
		echo "$t$case$limit"
		return
	fi
	hit=$(awk -F: -v t="$t" '{ f = $2; sub(/\.(py|sh)$/, "", f) } f == t { print $1 "/" $2; exit }' \
		"$inst/kselftest-list.txt")
	[ -n "$hit" ] || die "no selftest named $t (see $inst/kselftest-list.txt)"
	echo "$hit$case$limit"
}
paths=()
for t in $tests; do
	paths+=("$(resolve "$t")")
done

out=$FBNIC_TOP/results/selftests-$driver
rm -rf "$out"
mkdir -p "$out"
# The VM's own limit: every test at its cap (its own or --timeout) plus
# boot and setup.
vm_timeout=120
for p in "${paths[@]}"; do
	if [ "${p%@*}" != "$p" ]; then
		vm_timeout=$((vm_timeout + ${p##*@} + 15))
	else
		vm_timeout=$((vm_timeout + per_test + 15))
	fi
done
# --cmd gets the same limit as a test.
[ ${#cmd[@]} -eq 0 ] || vm_timeout=$((vm_timeout + per_test + 15))
log "selftests: ${#paths[@]} tests, $driver driver (results in ${out#"$FBNIC_TOP"/})"
t0=$SECONDS
rc=0
"$FBNIC_TOP/scripts/vm-run.sh" --driver "$driver" --share "$inst" \
	--timeout "$vm_timeout" --results "$out" "${console[@]}" \
	"$FBNIC_TOP/tests/selftests/guest.sh" --timeout "$per_test" "${cmd[@]}" "${paths[@]}" ||
	rc=$?
log "selftests: VM ran $((SECONDS - t0)) s (exit $rc)"

report=(python3 -B "$FBNIC_TOP/tests/selftests/report.py" "$out" --driver "$driver")
[ -z "$must" ] || report+=(--must-pass "$must")
rrc=0
"${report[@]}" || rrc=$?
if [ ! -f "$out/tests.tsv" ] || [ "$rc" -gt 1 ]; then
	log "the VM did not finish the run (exit $rc); see $out/console.log"
	exit 2
fi
exit $rrc
