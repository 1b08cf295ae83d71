#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench": the emulator's own cost per frame (fbnic-emu bench), then
# iperf3 TCP between the two emulated ports, with the Rust
# and the C driver on the same emulator build in one run, and the Rust/C
# ratios of throughput and of guest CPU time per GB moved.
#
#   scripts/bench.sh [--seconds N] [--drivers "rust c"] [--rounds N] [--no-insns]
#
# Targets (issue 5): throughput ratio >= 1.0, CPU-per-GB ratio <= 1.0.
# Results: results/bench/<round>/{rust,c}/bench.jsonl; the medians in
# results/bench/summary.md and summary.json.
#
# The guest's instructions are counted too (TCG plugin tools/guest-insns,
# about 1.1x slower for both drivers): guest instructions per GB moved, in
# all and in the driver's own code (the module, plus the C helpers the
# Rust driver calls), vary far less between runs than time does. The
# summary gives their medians and ratios; results/bench/insns-functions.md
# lists the kernel functions by instructions per GB for each driver.
# The emulator counts the guest's register accesses in each case (every
# one a vfio-user round trip): the summary gives them per MB moved, and
# results/bench/mmio-registers.md by register.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secs=10 drivers="rust c" rounds=3 insns=1
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) secs=$2; shift 2 ;;
	--drivers) drivers=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--no-insns) insns=0; shift ;;
	*) die "unknown option $1" ;;
	esac
done

out=$FBNIC_TOP/results/bench
rm -rf "$out"
mkdir -p "$out"

# The emulator's own cost per frame, on the host (no VM involved).
log "emulator micro-benchmark (fbnic-emu bench)"
"$FBNIC_TOP/target/release/fbnic-emu" bench | tee "$out/emu-bench.txt"

# Under TCG one run of a driver varies by 15-25 %: the drivers take turns,
# round after round, so that a slow spell of the host hits both, and the
# summary gives each case's median over the rounds.
for r in $(seq 1 "$rounds"); do
	for d in $drivers; do
		log "round $r/$rounds: iperf3 with the $d driver (${secs}s per case)"
		count=()
		[ $insns -eq 0 ] || count=(--insns "$out/$r/$d/insns")
		"$FBNIC_TOP/scripts/vm-run.sh" --driver "$d" --results "$out/$r/$d" "${count[@]}" \
			--timeout $((secs * 4 * 3 + 120)) \
			"$FBNIC_TOP/tests/vm/bench.sh" "$secs" >"$out/$r-$d.out" 2>&1 ||
			log "the $d run did not finish cleanly (see results/bench/$r-$d.out)"
	done
done

python3 - "$out" "$rounds" "$FBNIC_TOP/scripts" $drivers <<'EOF'
import json, os, statistics, sys
out, rounds, scripts, drivers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
sys.path.insert(0, scripts)
insn_report = __import__("insn-report")
runs = {}   # (driver, streams, dir) -> [record per round]
funcs = {}  # driver -> {function: instructions}, over all cases and rounds
gbytes = {}  # driver -> GB moved in the counted cases
for r in range(1, rounds + 1):
    for d in drivers:
        p = os.path.join(out, str(r), d, "bench.jsonl")
        if not os.path.exists(p):
            continue
        syms = None
        for line in open(p):
            x = json.loads(line)
            snaps = [os.path.join(out, str(r), d, f"insns.{m}") for m in x.get("marks", [])]
            if snaps and all(map(os.path.exists, snaps)) and x["gbytes"]:
                syms = syms or insn_report.Symbols(os.path.join(out, str(r), d, "kallsyms"))
                w = insn_report.window(snaps[0], snaps[1], syms)
                helpers = sum(n for f, n in w["functions"] if f.startswith("rust_helper_"))
                x["ginsns_per_gb"] = w["total"] / 1e9 / x["gbytes"]
                x["driver_ginsns_per_gb"] = (w["module"] + helpers) / 1e9 / x["gbytes"]
                for f, n in w["functions"]:
                    funcs.setdefault(d, {})[f] = funcs.get(d, {}).get(f, 0) + n
                gbytes[d] = gbytes.get(d, 0) + x["gbytes"]
            runs.setdefault((d, x["streams"], x["dir"]), []).append(x)

def med(d, s, di, key):
    xs = [x[key] for x in runs.get((d, s, di), []) if x.get(key)]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None

both = set(drivers) >= {"rust", "c"}
head = "| case | " + " | ".join(f"{d} Gbit/s | {d} CPU s/GB" for d in drivers)
head += " | Rust/C throughput | Rust/C CPU per GB |" if both else " |"
lines = [f"Medians of {rounds} rounds, [min-max].", "", head,
         "|---" * (1 + 2 * len(drivers) + (2 if both else 0)) + "|"]
summary = []
for streams in (1, 4):
    for di in ("tx", "rx"):
        cells = []
        for d in drivers:
            for key, fmt in (("gbit_s", "{:.3f}"), ("cpu_s_per_gb", "{:.2f}")):
                m = med(d, streams, di, key)
                cells.append(f"{fmt.format(m[0])} [{fmt.format(m[1])}-{fmt.format(m[2])}]"
                             if m else "-")
        row = {"streams": streams, "dir": di}
        if both:
            t = [med(d, streams, di, "gbit_s") for d in ("rust", "c")]
            c = [med(d, streams, di, "cpu_s_per_gb") for d in ("rust", "c")]
            if all(t) and all(c):
                row["throughput_ratio"] = t[0][0] / t[1][0]
                row["cpu_ratio"] = c[0][0] / c[1][0]
                cells += [f"{row['throughput_ratio']:.2f}", f"{row['cpu_ratio']:.2f}"]
            else:
                cells += ["n/a", "n/a"]
        summary.append(row)
        lines.append(f"| {streams} stream{'s' if streams > 1 else ''} {di} | "
                     + " | ".join(cells) + " |")

def case_table(title, columns, cell):
    """A table of one row per case: for each driver the median of each
    (key, header, ratio name) column, formatted by cell(median tuple),
    then the Rust/C ratios of the medians (also stored in the summary)."""
    head = "| case | " + " | ".join(f"{d} {h}" for d in drivers for _, h, _ in columns)
    head += "".join(f" | Rust/C {h}" for _, h, _ in columns) + " |" if both else " |"
    width = 1 + len(columns) * (len(drivers) + (1 if both else 0))
    rows = ["", title, "", head, "|---" * width + "|"]
    for row in summary:
        streams, di = row["streams"], row["dir"]
        cells = []
        for d in drivers:
            for key, _, _ in columns:
                m = med(d, streams, di, key)
                cells.append(cell(m) if m else "-")
        if both:
            for key, _, name in columns:
                m = [med(d, streams, di, key) for d in ("rust", "c")]
                if all(m):
                    row[name] = m[0][0] / m[1][0]
                    cells.append(f"{row[name]:.2f}")
                else:
                    cells.append("n/a")
        rows.append(f"| {streams} stream{'s' if streams > 1 else ''} {di} | "
                    + " | ".join(cells) + " |")
    return rows

# Instructions: the same medians, for the cases the plugin counted.
if any("ginsns_per_gb" in x for xs in runs.values() for x in xs):
    lines += case_table(
        "Guest instructions per GB moved (10^9), medians of the rounds, "
        "[min-max]: all the guest executed (\"guest\") and the driver's own code "
        "(\"driver\": the module, and for Rust the C helpers it calls).",
        [("ginsns_per_gb", "guest", "insn_ratio"),
         ("driver_ginsns_per_gb", "driver", "driver_insn_ratio")],
        lambda m: f"{m[0]:.2f} [{m[1]:.2f}-{m[2]:.2f}]")
    flines = ["Kernel functions by guest instructions per GB moved (10^6), over "
              "every counted case and round.", ""]
    for d in drivers:
        if d not in funcs:
            continue
        flines += [f"## {d}", "", "| function | Minsns/GB |", "|---|---|"]
        for f, n in sorted(funcs[d].items(), key=lambda kv: -kv[1])[:40]:
            flines.append(f"| `{f}` | {n / 1e6 / gbytes[d]:.1f} |")
        flines.append("")
    open(os.path.join(out, "insns-functions.md"), "w").write("\n".join(flines))

# Register accesses (the emulator's counters): each is a vfio-user round
# trip, a cost that instructions do not show.
if any(x.get("mmio_reads_per_gb") is not None for xs in runs.values() for x in xs):
    lines += case_table(
        "Register accesses per MB moved (BAR0 and BAR4, both ports; each one "
        "a vfio-user message), medians of the rounds.",
        [("mmio_reads_per_gb", "reads", "mmio_reads_ratio"),
         ("mmio_writes_per_gb", "writes", "mmio_writes_ratio")],
        lambda m: f"{m[0] / 1e3:.1f}")
    rlines = ["Register accesses per MB moved, by register (the emulator's "
              "`mmio` top list: `q+0x...` is a per-queue register summed over "
              "the queues, see hw/csr/queue.rs), over every round of a case.", ""]
    for d in drivers:
        rlines += [f"## {d}", ""]
        for streams in (1, 4):
            for di in ("tx", "rx"):
                xs = [x for x in runs.get((d, streams, di), []) if x.get("mmio_regs")]
                gb = sum(x["gbytes"] for x in xs)
                if not gb:
                    continue
                regs = {}
                for x in xs:
                    for reg, n in x["mmio_regs"].items():
                        regs[reg] = regs.get(reg, 0) + n
                top = sorted(regs.items(), key=lambda kv: -kv[1])[:12]
                rlines.append(f"- {streams} stream{'s' if streams > 1 else ''} {di}: "
                              + ", ".join(f"`{r}` {n / gb / 1e3:.2f}" for r, n in top))
        rlines.append("")
    open(os.path.join(out, "mmio-registers.md"), "w").write("\n".join(rlines))
text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)
print(text)
EOF
