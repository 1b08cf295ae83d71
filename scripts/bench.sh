#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench": the emulator's own cost per frame (fbnic-emu bench), then
# iperf3 TCP between the two emulated ports, with the Rust and the C
# driver on the same emulator build in one run, and between two virtio-net
# ports in the same VM shape (the peer NIC: scripts/vm-run.sh
# --virtio-net); the ratios of throughput and of guest CPU time per GB
# moved: Rust/C, Rust/virtio-net and C/virtio-net.
#
#   scripts/bench.sh [--seconds N] [--drivers "rust c"] [--rounds N]
#                    [--peer tap|stream|none] [--no-insns]
#                    [--xdp-seconds N | --no-xdp]
#
# After each fbnic driver's iperf3 run, a second VM (tests/vm/bench-xdp.sh,
# the kernel's installed selftests shared) measures XDP_DROP and XDP_TX
# rates (packets per second, --xdp-seconds per case, default 5) and a
# devmem TCP receive (ncdevmem into a udmabuf); --no-xdp leaves them out.
#
# --peer: the virtio-net backend. tap (default): two taps on a bridge in a
# network namespace, with vnet headers, so checksum offload and TSO both
# ways; stream (used when this host cannot make such a namespace): a unix
# socket pair, no offloads; none: no virtio-net runs.
# Targets (issues 5 and 18): Rust/C throughput >= 1.0 and CPU per GB
# <= 1.0; fbnic/virtio-net throughput >= 2 with 1 stream, at <= 0.5 of its
# CPU per GB.
# Results: results/bench/<round>/{rust,c,virtio}/bench.jsonl; the medians,
# spreads and ratios, with the machine and the commit, in
# results/bench/summary.md and summary.json (scripts/bench-summary.py).
# Exit status 1 when a VM run failed or a case has no data.
#
# The guest's instructions are counted too (TCG plugin tools/guest-insns,
# about 1.1x slower for every run): guest instructions per GB moved, in
# all and in the driver's own code (the module, plus the C helpers the
# Rust driver calls), vary far less between runs than time does. The
# summary gives their medians and ratios; results/bench/insns-functions.md
# lists the kernel functions by instructions per GB for each driver,
# results/bench/insns-functions-xdp.md the driver's own functions by
# instructions per packet in the XDP cases.
# The emulator counts the guest's register accesses in each case (every
# one a vfio-user round trip): the summary gives them per MB moved, and
# results/bench/mmio-registers.md by register.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secs=10 drivers="rust c" rounds=3 insns=1 peer=tap xdp_secs=5
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) secs=$2; shift 2 ;;
	--drivers) drivers=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--peer) peer=$2; shift 2 ;;
	--no-insns) insns=0; shift ;;
	--xdp-seconds) xdp_secs=$2; shift 2 ;;
	--no-xdp) xdp_secs=0; shift ;;
	*) die "unknown option $1" ;;
	esac
done
case $peer in
tap)
	if ! [ -c /dev/net/tun ] || ! unshare --net true 2>/dev/null; then
		log "no taps in a network namespace here: the virtio-net peer uses a socket pair (no offloads)"
		peer=stream
	fi
	;;
stream | none) ;;
*) die "--peer must be tap, stream or none" ;;
esac
runs=$drivers
if [ "$xdp_secs" -gt 0 ]; then
	"$FBNIC_TOP/scripts/setup.sh" selftests
	selftests=$(readlink -f "$FBNIC_CACHE/selftests/current")/install
	[ -f "$selftests/net/lib/xdp_native.bpf.o" ] || die "no xdp_native.bpf.o in $selftests"
fi
[ "$peer" = none ] || runs="$runs virtio"

out=$FBNIC_TOP/results/bench
rm -rf "$out"
mkdir -p "$out"

# The machine and the commit, for the summary.
python3 - "$out/machine.json" "$secs" "$peer" "$xdp_secs" <<'PY'
import json, os, platform, subprocess, sys, time
def git(*a):
    return subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.machine())
dirty = git("status", "--porcelain", "--untracked-files=no")
json.dump({"commit": git("rev-parse", "--short", "HEAD") + ("-dirty" if dirty else ""),
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
           "seconds": int(sys.argv[2]), "virtio_backend": sys.argv[3],
           "xdp_seconds": int(sys.argv[4])},
          open(sys.argv[1], "w"))
PY

# The emulator's own cost per frame, on the host (no VM involved).
log "emulator micro-benchmark (fbnic-emu bench)"
"$FBNIC_TOP/target/release/fbnic-emu" bench | tee "$out/emu-bench.txt" ||
	echo "fbnic-emu bench" >>"$out/failed"

# Under TCG one run varies by 15-25 %: the drivers and the virtio-net peer
# take turns, round after round, so that a slow spell of the host hits
# all, and the summary gives each case's median over the rounds.
for r in $(seq 1 "$rounds"); do
	for d in $runs; do
		log "round $r/$rounds: iperf3 with $d (${secs}s per case)"
		count=() vm=(--driver "$d") guest=()
		[ $insns -eq 0 ] || count=(--insns "$out/$r/$d/insns")
		# virtio-net: the fbnic functions are there, no fbnic driver loads.
		[ "$d" != virtio ] || { vm=(--driver c --virtio-net "$peer"); guest=(virtio); }
		"$FBNIC_TOP/scripts/vm-run.sh" "${vm[@]}" --results "$out/$r/$d" "${count[@]}" \
			--timeout $((secs * 4 * 3 + 120)) \
			"$FBNIC_TOP/tests/vm/bench.sh" "$secs" "${guest[@]}" >"$out/$r-$d.out" 2>&1 || {
			log "the $d run did not finish cleanly (see results/bench/$r-$d.out)"
			echo "round $r, $d (results/bench/$r-$d.out)" >>"$out/failed"
		}
		[ "$d" != virtio ] && [ "$xdp_secs" -gt 0 ] || continue
		log "round $r/$rounds: XDP_DROP, XDP_TX and devmem with $d (${xdp_secs}s per XDP case)"
		count=()
		[ $insns -eq 0 ] || count=(--insns "$out/$r/$d-xdp/insns")
		"$FBNIC_TOP/scripts/vm-run.sh" --driver "$d" --share "$selftests" \
			--results "$out/$r/$d-xdp" "${count[@]}" --timeout $((xdp_secs * 2 + 300)) \
			"$FBNIC_TOP/tests/vm/bench-xdp.sh" "$xdp_secs" >"$out/$r-$d-xdp.out" 2>&1 || {
			log "the $d XDP/devmem run did not finish cleanly (see results/bench/$r-$d-xdp.out)"
			echo "round $r, $d XDP/devmem (results/bench/$r-$d-xdp.out)" >>"$out/failed"
		}
	done
done

# shellcheck disable=SC2086 # one argument per run name
python3 "$FBNIC_TOP/scripts/bench-summary.py" "$out" "$rounds" $runs
