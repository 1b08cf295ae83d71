#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make bench": iperf3 TCP between the two emulated ports
# (port 1 in netns "remote"), 1 and 4 streams, both directions. For each
# case it records throughput and the guest CPU time spent per GB moved
# (all CPUs, from /proc/stat), as JSON lines in $RESULTS/bench.jsonl.
# Each case is framed by two insn_mark calls, whose snapshot numbers the
# line records ("marks"): with "scripts/vm-run.sh --insns" the snapshots
# count the instructions the guest executed in the case; the guest's
# kallsyms, with the driver loaded, are saved for their attribution.
# The emulator's register access counters (control channel, /dev/ttyS1:
# "mmio PORT") are reset before each case and read after it: every access
# is a vfio-user round trip, so their number per GB is part of what a
# driver costs here.
# With "virtio" as second argument (a VM started with "scripts/vm-run.sh
# --virtio-net"), the same cases run over the two virtio-net ports
# (0000:00:0c.0 and 0000:00:0d.0) instead, the fbnic driver not loaded;
# the records then say "driver": "virtio" and have no register counts.
# Arguments: [seconds per case] (default 10) [virtio].
. /lab/lib/lab.sh

secs=${1:-10}
peer=${2:-}
out=$RESULTS/bench.jsonl
: >"$out"

if [ "$peer" = virtio ]; then
	DRIVER=virtio
	vn() { ls "/sys/bus/pci/devices/0000:00:$1.0/virtio"*/net 2>/dev/null | head -n1; }
	setup_pair "$(vn 0c)" "$(vn 0d)" || { echo "bench: the virtio-net ports did not come up"; exit 1; }
	offloads() { "$@" | grep -E '^(rx-|tx-)checksumming|^tcp-segmentation|^generic-rec' | tr '\n' ' '; }
	echo "bench: $NETIF offloads: $(offloads ethtool -k "$NETIF")"
	echo "bench: $REMOTE_IF offloads: $(offloads ip netns exec remote ethtool -k "$REMOTE_IF")"
else
	load_driver || { echo "bench: driver did not load"; exit 1; }
	setup_pair || { echo "bench: the two ports did not come up"; exit 1; }
fi
cat /proc/kallsyms >"$RESULTS/kallsyms"
mark=0

# Busy (non-idle, non-iowait) CPU time in seconds, all CPUs.
cpu_busy() {
	awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {
		print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat
}

# The emulator's control channel: one request, its answer printed.
emu() { python3 /lab/py/lib/emu.py "$@"; }
emu status >/dev/null || { echo "bench: no control channel"; exit 1; }

ip netns exec remote iperf3 -s -D -B "$REMOTE_V4" >/dev/null 2>&1
sleep 0.5
for streams in 1 4; do
	for dir in tx rx; do
		rev=
		[ $dir = rx ] && rev=-R
		if [ "$DRIVER" != virtio ]; then
			emu mmio 0 reset >/dev/null && emu mmio 1 reset >/dev/null ||
				echo "bench: the emulator did not reset its access counters"
		fi
		insn_mark
		c0=$(cpu_busy)
		if ! iperf3 -c "$REMOTE_V4" -t "$secs" -P "$streams" $rev -J \
			>"$RESULTS/iperf-$streams-$dir.json" 2>&1; then
			echo "bench: iperf3 $streams streams $dir failed"
			insn_mark
			mark=$((mark + 2))
			continue
		fi
		c1=$(cpu_busy)
		insn_mark
		m0= m1=
		[ "$DRIVER" = virtio ] || { m0=$(emu mmio 0 40) m1=$(emu mmio 1 40); }
		python3 - "$RESULTS/iperf-$streams-$dir.json" "$streams" "$dir" \
			"$c0" "$c1" "$DRIVER" "$mark" "$m0" "$m1" >>"$out" <<'EOF'
import json, sys
path, streams, direction, c0, c1, driver, mark, *mmio_lines = sys.argv[1:]
r = json.load(open(path))["end"]["sum_received"]
gbytes = r["bytes"] / 1e9
cpu = float(c1) - float(c0)

# "ok port N: bar0-reads A bar0-writes B bar4-reads C bar4-writes D top
# r:q+0x081=E ...": the accesses of the case, both ports summed.
mmio = {"reads": 0, "writes": 0, "regs": {}} if any(mmio_lines) else None
for line in mmio_lines if mmio else []:
    words = line.split()
    if not line.startswith("ok port") or "top" not in words:
        mmio = None
        break
    for k in ("bar0-reads", "bar4-reads"):
        mmio["reads"] += int(words[words.index(k) + 1])
    for k in ("bar0-writes", "bar4-writes"):
        mmio["writes"] += int(words[words.index(k) + 1])
    for w in words[words.index("top") + 1:]:
        reg, n = w.rsplit("=", 1)
        mmio["regs"][reg] = mmio["regs"].get(reg, 0) + int(n)
print(json.dumps({
    "driver": driver, "streams": int(streams), "dir": direction,
    "gbit_s": r["bits_per_second"] / 1e9, "gbytes": gbytes,
    "cpu_s": cpu, "cpu_s_per_gb": cpu / gbytes if gbytes else None,
    "marks": [int(mark), int(mark) + 1],
    "mmio_reads_per_gb": mmio["reads"] / gbytes if mmio and gbytes else None,
    "mmio_writes_per_gb": mmio["writes"] / gbytes if mmio and gbytes else None,
    "mmio_regs": mmio["regs"] if mmio else None,
}))
EOF
		mark=$((mark + 2))
		tail -n1 "$out"
	done
done
