#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Profile of the guest during iperf3 between the two emulated ports, with
# the driver vm-run.sh loads: where the CPU time goes, by symbol, driver
# and kernel alike (perf cpu-clock sampling; TCG has no hardware
# counters). Use it to compare the Rust and the C driver:
#
#   scripts/vm-run.sh --driver rust tests/vm/profile.sh [SECONDS] [STREAMS] [-R]
#
# Writes perf-report.txt (top symbols) and iperf.json to the results.
. /lab/lib/lab.sh

secs=${1:-10} streams=${2:-1} rev=${3:-}

load_driver || { echo "profile: driver did not load"; exit 1; }
setup_pair || { echo "profile: the two ports did not come up"; exit 1; }

ip netns exec remote iperf3 -s -D -B "$REMOTE_V4" >/dev/null 2>&1
sleep 0.5
cd /tmp || exit 1
perf record -q -a -F 499 -e cpu-clock -o /tmp/perf.data -- \
	iperf3 -c "$REMOTE_V4" -t "$secs" -P "$streams" $rev -J >"$RESULTS/iperf.json" 2>&1
perf report -i /tmp/perf.data --stdio --sort sym,dso --percent-limit 0.3 \
	2>/dev/null | grep -v '^$' | head -n 80 >"$RESULTS/perf-report.txt"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]["sum_received"]; print("throughput %.3f Gbit/s" % (e["bits_per_second"]/1e9))' "$RESULTS/iperf.json"
cat "$RESULTS/perf-report.txt"
