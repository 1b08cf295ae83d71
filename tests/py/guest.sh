#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of a Python VM suite: scripts/vm-run.sh runs this for
# tests/py/SUITE.py, with the suites at /lab/py and the installed kernel
# selftests (their drivers/net/lib/py and ynl) shared read-only at $EXTRA.
#
#   guest.sh SUITE [ksft options: -t CASE ...]
#
# The suite's KTAP goes to $RESULTS/SUITE.ktap and the console; its result
# lines (tests/py/lib/ktap.py) to $RESULTS/results.txt. Exit status 1 if
# a check failed.
suite=$1
shift
[ -n "${EXTRA:-}" ] && [ -d "$EXTRA/drivers/net/lib/py" ] || {
	echo "FAIL $suite/run: no kernel selftests shared at \$EXTRA" | tee -a "$RESULTS/results.txt"
	exit 1
}
# lib.py from the selftests, fbnic_lab from here; the Python process runs
# the suite file in place.
export PYTHONPATH=$EXTRA/drivers/net:/lab/py/lib
export NO_COLOR=1
t0=$(cut -d' ' -f1 /proc/uptime)
python3 "/lab/py/$suite.py" "$@" </dev/null 2>&1 | tee "$RESULTS/$suite.ktap"
rc=${PIPESTATUS[0]}
echo "$suite: $(echo "$(cut -d' ' -f1 /proc/uptime) - $t0" | bc) s in the guest"
python3 /lab/py/lib/ktap.py "$suite" "$rc" <"$RESULTS/$suite.ktap" | tee -a "$RESULTS/results.txt"
exit "${PIPESTATUS[0]}"
