#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The summary of a make bench run (scripts/bench.sh).

    scripts/bench-summary.py OUT ROUNDS DRIVER...

OUT is results/bench: OUT/<round>/<driver>/bench.jsonl (one line per
iperf3 case, tests/vm/bench.sh), the instruction snapshots and kallsyms
next to it, OUT/<round>/<driver>-xdp/bench-xdp.jsonl (XDP and devmem,
tests/vm/bench-xdp.sh; their rows: scripts/bench-xdp-summary.py), OUT/emu-bench.txt (fbnic-emu bench), OUT/failed (one line per
VM run that did not finish cleanly) and OUT/machine.json. DRIVER is rust,
c or virtio (the virtio-net peer).

Writes OUT/summary.md and OUT/summary.json (and insns-functions.md,
mmio-registers.md) and prints the Markdown. Exit status 1 when a run
failed or a driver has a case without data.
"""
import importlib
import json
import os
import re
import statistics
import sys

out, rounds, drivers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
insn_report = importlib.import_module("insn-report")

CASES = [(s, d) for s in (1, 4) for d in ("tx", "rx")]
NIC = [d for d in ("rust", "c") if d in drivers]
PEER = "virtio" if "virtio" in drivers else None


def case_name(streams, di):
    return f"{streams} stream{'s' if streams > 1 else ''} {di}"


runs = {}  # (driver, streams, dir) -> [record per round]
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
                if d != "virtio":
                    x["driver_ginsns_per_gb"] = (w["module"] + helpers) / 1e9 / x["gbytes"]
                for f, n in w["functions"]:
                    funcs.setdefault(d, {})[f] = funcs.get(d, {}).get(f, 0) + n
                gbytes[d] = gbytes.get(d, 0) + x["gbytes"]
            runs.setdefault((d, x["streams"], x["dir"]), []).append(x)


def med(d, s, di, key):
    """(median, min, max) of `key` over the rounds, or None."""
    xs = [x[key] for x in runs.get((d, s, di), []) if x.get(key)]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None


# The ratios: Rust/C, and each fbnic driver over virtio-net.
PAIRS = ([("rust", "c")] if len(NIC) == 2 else []) + [(d, PEER) for d in NIC if PEER]


def pair_name(a, b):
    return {"rust": "Rust", "c": "C", "virtio": "virtio"}[a] + "/" + \
        {"rust": "Rust", "c": "C", "virtio": "virtio"}[b]


def pair_key(a, b, what):
    return f"{a}_over_{b}_{what}"


summary = {"cases": [], "failed_runs": [], "missing": []}
try:
    summary["machine"] = json.load(open(os.path.join(out, "machine.json")))
except (OSError, ValueError):
    summary["machine"] = {}
failed = os.path.join(out, "failed")
if os.path.exists(failed):
    summary["failed_runs"] = [line.strip() for line in open(failed) if line.strip()]


RATIO_HEAD = {"throughput": "throughput", "cpu_per_gb": "CPU per GB",
              "insns": "guest insns", "driver_insns": "driver insns",
              "mmio_reads": "reads", "mmio_writes": "writes"}


def fmt_spread(m, f):
    """median [min-max], each formatted by f (a format string, or a
    function of the value)."""
    f = f.format if isinstance(f, str) else f
    return f"{f(m[0])} [{f(m[1])}-{f(m[2])}]" if m else "-"


def table(title, columns, drivers_of):
    """Rows per case: for each driver (drivers_of(key)) the median [min-max]
    of each (key, header, format, ratio-name) column, then for each pair
    the ratio of the medians (stored in the summary's case rows)."""
    head = ["case"]
    for key, h, _, _ in columns:
        head += [f"{d} {h}" for d in drivers_of(key)]
    for key, h, _, name in columns:
        head += [f"{pair_name(a, b)} {RATIO_HEAD[name]}" for a, b in PAIRS
                 if a in drivers_of(key) and b in drivers_of(key)]
    rows = ["", title, "", "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for row in summary["cases"]:
        s, di = row["streams"], row["dir"]
        cells = [case_name(s, di)]
        for key, _, f, _ in columns:
            for d in drivers_of(key):
                m = med(d, s, di, key)
                cells.append(fmt_spread(m, f))
                if m:
                    row.setdefault(d, {})[key] = {"median": m[0], "min": m[1], "max": m[2]}
        for key, _, _, name in columns:
            for a, b in PAIRS:
                if a not in drivers_of(key) or b not in drivers_of(key):
                    continue
                ma, mb = med(a, s, di, key), med(b, s, di, key)
                if ma and mb:
                    row[pair_key(a, b, name)] = ma[0] / mb[0]
                    cells.append(f"{ma[0] / mb[0]:.2f}")
                else:
                    cells.append("n/a")
        rows.append("| " + " | ".join(cells) + " |")
    return rows


for s, di in CASES:
    summary["cases"].append({"streams": s, "dir": di})
    for d in drivers:
        if not med(d, s, di, "gbit_s"):
            summary["missing"].append(f"{d}: {case_name(s, di)}")

m = summary["machine"]
lines = [
    "# make bench",
    "",
    f"Commit {m.get('commit', '?')}, {m.get('date', '?')}; {m.get('cpu', '?')}, "
    f"{m.get('nproc', '?')} CPUs, kernel {m.get('kernel', '?')}; "
    f"{rounds} round{'s' if rounds > 1 else ''} of {m.get('seconds', '?')} s per case; "
    f"drivers in turn: {', '.join(drivers)}"
    + (f" (virtio: two virtio-net-pci ports, backend {m.get('virtio_backend', '?')})"
       if PEER else "") + ".",
    "",
    "Medians of the rounds, [min-max]. Throughput in Gbit/s, guest CPU "
    "time in s per GB moved; a ratio is of the medians (throughput: above 1 "
    "is faster; CPU per GB: below 1 is cheaper).",
]
lines += table("## Throughput and guest CPU per GB",
               [("gbit_s", "Gbit/s", "{:.3f}", "throughput"),
                ("cpu_s_per_gb", "CPU s/GB", "{:.2f}", "cpu_per_gb")],
               lambda key: drivers)

# Instructions: the cases the plugin counted.
if any("ginsns_per_gb" in x for xs in runs.values() for x in xs):
    lines += table(
        "## Guest instructions per GB moved (10^9)\n\nAll the guest executed "
        "(\"guest\") and the driver's own code (\"driver\": the module, and for "
        "Rust the C helpers it calls; virtio-net is built into the kernel and "
        "has no driver column).",
        [("ginsns_per_gb", "guest", "{:.2f}", "insns"),
         ("driver_ginsns_per_gb", "driver", "{:.2f}", "driver_insns")],
        lambda key: [d for d in drivers if d != "virtio" or key == "ginsns_per_gb"])
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

# Register accesses (the emulator's counters), fbnic only.
if any(x.get("mmio_reads_per_gb") is not None for xs in runs.values() for x in xs):
    lines += table(
        "## Register accesses per MB moved\n\nBAR0 and BAR4, both "
        "ports; each one a vfio-user message.",
        [("mmio_reads_per_gb", "reads", lambda v: f"{v / 1e3:.1f}", "mmio_reads"),
         ("mmio_writes_per_gb", "writes", lambda v: f"{v / 1e3:.1f}", "mmio_writes")],
        lambda key: NIC)
    rlines = ["Register accesses per MB moved, by register (the emulator's "
              "`mmio` top list: `q+0x...` is a per-queue register summed over "
              "the queues, see hw/csr/queue.rs), over every round of a case.", ""]
    for d in NIC:
        rlines += [f"## {d}", ""]
        for s, di in CASES:
            xs = [x for x in runs.get((d, s, di), []) if x.get("mmio_regs")]
            gb = sum(x["gbytes"] for x in xs)
            if not gb:
                continue
            regs = {}
            for x in xs:
                for reg, n in x["mmio_regs"].items():
                    regs[reg] = regs.get(reg, 0) + n
            top = sorted(regs.items(), key=lambda kv: -kv[1])[:12]
            rlines.append(f"- {case_name(s, di)}: "
                          + ", ".join(f"`{r}` {n / gb / 1e3:.2f}" for r, n in top))
        rlines.append("")
    open(os.path.join(out, "mmio-registers.md"), "w").write("\n".join(rlines))

# The emulator's own cost (fbnic-emu bench, host ns per frame).
emu = []
try:
    for line in open(os.path.join(out, "emu-bench.txt")):
        x = re.match(r"(\d+ (?:B frames|KB TSO sends))\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", line)
        if x:
            emu.append({"load": x[1], "queues": int(x[2]), "sends": int(x[3]),
                        "frames": int(x[4]), "ns_per_frame": int(x[5]),
                        "frames_per_s": int(x[6])})
except OSError:
    pass
summary["emulator"] = emu
if emu:
    lines += ["", "## The emulator's own cost (`fbnic-emu bench`, host)", "",
              "Both ports' engines on one host thread; a TSO send's frames are "
              "its segments.", "",
              "| load | queues | ns per frame |", "|---|---|---|"]
    lines += [f"| {e['load']} | {e['queues']} | {e['ns_per_frame']} |" for e in emu]
else:
    summary["missing"].append("emulator: no fbnic-emu bench figures")

# The same engines on worker threads (fbnic-emu --queue-threads), wall clock.
emu_threads = []
try:
    for line in open(os.path.join(out, "emu-bench.txt")):
        x = re.match(r"(\d+ (?:B frames|KB TSO sends))\s+(\d+)\s+(\d+) threads\s+(\d+)"
                     r"(?:\s+([\d.]+)x)?", line)
        if x:
            emu_threads.append({"load": x[1], "queues": int(x[2]), "threads": int(x[3]),
                                "frames_per_s": int(x[4]),
                                "speedup": float(x[5]) if x[5] else None})
except OSError:
    pass
summary["emulator_threads"] = emu_threads
if emu_threads:
    lines += ["", "Worker threads per port (`--queue-threads`), wall clock, the "
              "benchmark's own thread driving both ports' rings:", "",
              "| load | queues | threads | frames/s | speed-up |", "|---|---|---|---|---|"]
    for e in emu_threads:
        up = "" if e["speedup"] is None else f"{e['speedup']:.2f}x"
        lines.append(f"| {e['load']} | {e['queues']} | {e['threads']} | "
                     f"{e['frames_per_s']:,} | {up} |")

# XDP_DROP, XDP_TX and devmem (tests/vm/bench-xdp.sh), when they ran.
if summary["machine"].get("xdp_seconds") and NIC:
    xdp = importlib.import_module("bench-xdp-summary")
    xlines, summary["xdp"], xmissing = xdp.section(out, rounds, NIC, insn_report)
    lines += xlines
    summary["missing"] += xmissing

if summary["failed_runs"] or summary["missing"]:
    lines += ["", "## Problems", ""]
    lines += [f"- run failed: {f}" for f in summary["failed_runs"]]
    lines += [f"- no data: {f}" for f in summary["missing"]]

text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)
print(text)
sys.exit(1 if summary["failed_runs"] or summary["missing"] else 0)
