#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench": the emulator's own cost per frame (fbnic-emu bench), then
# iperf3 TCP between the two emulated ports, with the Rust
# and the C driver on the same emulator build in one run, and the Rust/C
# ratios of throughput and of guest CPU time per GB moved.
#
#   scripts/bench.sh [--seconds N] [--drivers "rust c"]
#
# Targets (issue 5): throughput ratio >= 1.0, CPU-per-GB ratio <= 1.0.
# Results: results/bench/{rust,c}/bench.jsonl and results/bench/summary.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secs=10 drivers="rust c"
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) secs=$2; shift 2 ;;
	--drivers) drivers=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done

out=$FBNIC_TOP/results/bench
rm -rf "$out"
mkdir -p "$out"

# The emulator's own cost per frame, on the host (no VM involved).
log "emulator micro-benchmark (fbnic-emu bench)"
"$FBNIC_TOP/target/release/fbnic-emu" bench | tee "$out/emu-bench.txt"

for d in $drivers; do
	log "iperf3 with the $d driver (${secs}s per case)"
	"$FBNIC_TOP/scripts/vm-run.sh" --driver "$d" --results "$out/$d" \
		--timeout $((secs * 4 * 3 + 120)) \
		"$FBNIC_TOP/tests/vm/bench.sh" "$secs" >"$out/$d.out" 2>&1 ||
		log "the $d run did not finish cleanly (see results/bench/$d.out)"
done

python3 - "$out" $drivers <<'EOF'
import json, os, sys
out, drivers = sys.argv[1], sys.argv[2:]
rows = {}
for d in drivers:
    p = os.path.join(out, d, "bench.jsonl")
    if os.path.exists(p):
        for line in open(p):
            r = json.loads(line)
            rows[(d, r["streams"], r["dir"])] = r
lines = ["| case | " + " | ".join(f"{d} Gbit/s | {d} CPU s/GB" for d in drivers)
         + (" | Rust/C throughput | Rust/C CPU per GB |" if set(drivers) >= {"rust", "c"} else " |"),
         "|---" * (1 + 2 * len(drivers) + (2 if set(drivers) >= {"rust", "c"} else 0)) + "|"]
for streams in (1, 4):
    for direction in ("tx", "rx"):
        cells = []
        for d in drivers:
            r = rows.get((d, streams, direction))
            cells += [f"{r['gbit_s']:.3f}", f"{r['cpu_s_per_gb']:.2f}"] if r else ["-", "-"]
        ratio = ""
        if set(drivers) >= {"rust", "c"}:
            a, b = rows.get(("rust", streams, direction)), rows.get(("c", streams, direction))
            if a and b and b["gbit_s"] and b["cpu_s_per_gb"]:
                ratio = f" | {a['gbit_s'] / b['gbit_s']:.2f} | {a['cpu_s_per_gb'] / b['cpu_s_per_gb']:.2f}"
            else:
                ratio = " | n/a | n/a"
        lines.append(f"| {streams} stream{'s' if streams > 1 else ''} {direction} | "
                     + " | ".join(cells) + ratio + " |")
text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
print(text)
EOF
