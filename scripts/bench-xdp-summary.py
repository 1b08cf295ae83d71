# SPDX-License-Identifier: GPL-2.0
"""make bench's XDP and devmem rows (tests/vm/bench-xdp.sh), for
scripts/bench-summary.py, which imports this file and calls section().

OUT/<round>/<driver>-xdp/bench-xdp.jsonl has one line per case: xdp-drop
and xdp-tx (packets per second counted by the drivers) and devmem (MB per
second received by ncdevmem, or "supported": false with its error). With
instruction snapshots next to it (the marks of each line), the rows also
give guest instructions per packet (per KB for devmem): all the guest
executed, and the driver's own code (the module, plus the C helpers the
Rust driver calls).
"""
import json
import os
import statistics

CASES = [
    ("xdp-drop", "XDP_DROP: packets/s the receiving driver handed to XDP",
     "packets", 1),
    ("xdp-tx", "XDP_TX: packets/s bounced back, counted by the sender's driver",
     "packets", 1),
    ("devmem", "devmem TCP RX: MB/s into a udmabuf (instructions per KB)",
     "bytes", 1000),
]
# Drivers whose devmem row must have a rate: the others may report "not
# supported" (the Rust driver has no devmem yet, issue 16); a rate from
# them is shown all the same.
DEVMEM_EXPECTED = ("c",)
NAMES = {"rust": "Rust", "c": "C"}


def _load(out, rounds, drivers, insn_report, funcs):
    """The records by (driver, case); adds the driver's own functions'
    instructions and the units moved to funcs[(driver, case)]."""
    recs = {}  # (driver, case) -> [record per round]
    for r in range(1, rounds + 1):
        for d in drivers:
            base = os.path.join(out, str(r), f"{d}-xdp")
            p = os.path.join(base, "bench-xdp.jsonl")
            if not os.path.exists(p):
                continue
            syms = None
            for line in open(p):
                try:
                    x = json.loads(line)
                except ValueError:
                    continue
                units = x.get("packets") if x["case"] != "devmem" else x.get("bytes")
                snaps = [os.path.join(base, f"insns.{m}") for m in x.get("marks", [])]
                if x.get("supported", True) and units and snaps and \
                        all(map(os.path.exists, snaps)):
                    syms = syms or insn_report.Symbols(os.path.join(base, "kallsyms"))
                    w = insn_report.window(snaps[0], snaps[1], syms)
                    helpers = sum(n for f, n in w["functions"] if f.startswith("rust_helper_"))
                    per = 1000 if x["case"] == "devmem" else 1
                    x["ginsns_per_unit"] = w["total"] / units * per
                    x["driver_insns_per_unit"] = (w["module"] + helpers) / units * per
                    fs, n = funcs.setdefault((d, x["case"]), ({}, [0]))
                    n[0] += units / per
                    for f, c in w["functions"]:
                        if f.endswith("[fbnic]") or f.startswith("rust_helper_"):
                            fs[f] = fs.get(f, 0) + c
                if x["case"] == "devmem" and x.get("supported"):
                    x["rate"] = x["mb_s"]
                elif x["case"] != "devmem":
                    x["rate"] = x["pps"]
                recs.setdefault((d, x["case"]), []).append(x)
    return recs


def _write_functions(out, drivers, funcs):
    """OUT/insns-functions-xdp.md: the driver's own functions (the module's,
    and the C helpers the Rust driver calls) by instructions per packet
    (per KB for devmem), over every round of each case."""
    lines = ["Driver functions by guest instructions per packet (per KB for "
             "devmem), over every counted round; both ports' driver code.", ""]
    for d in drivers:
        for case, _, _, _ in CASES:
            if (d, case) not in funcs:
                continue
            fs, n = funcs[(d, case)]
            lines += [f"## {d} {case}", "", "| function | insns |", "|---|---|"]
            for f, c in sorted(fs.items(), key=lambda kv: -kv[1])[:25]:
                if c / n[0] < 0.05:
                    break
                lines.append(f"| `{f}` | {c / n[0]:.1f} |")
            lines.append("")
    if len(lines) > 2:
        open(os.path.join(out, "insns-functions-xdp.md"), "w").write("\n".join(lines))


def _med(xs, key, zero_ok=False):
    """Median, min and max of key over the rounds; a zero counts as no
    data unless zero_ok."""
    v = [x[key] for x in xs if x.get(key) or (zero_ok and x.get(key) == 0)]
    return {"median": statistics.median(v), "min": min(v), "max": max(v)} if v else None


def section(out, rounds, drivers, insn_report):
    """(Markdown lines, JSON rows, list of rows without data)."""
    nic = [d for d in ("rust", "c") if d in drivers]
    funcs = {}
    recs = _load(out, rounds, drivers, insn_report, funcs)
    _write_functions(out, nic, funcs)
    rows, missing = [], []
    keys = [("rate", "rate"), ("ginsns_per_unit", "guest insns"),
            ("driver_insns_per_unit", "driver insns")]
    head = ["case"] + [f"{d} {h}" for _, h in keys for d in nic]
    pair = len(nic) == 2
    if pair:
        head += [f"Rust/C {h}" for _, h in keys]
    md = ["", "## XDP and devmem rates", "",
          "Port 0 sends, port 1 runs xdp_native.bpf.o (the kernel's xdp.py "
          "program) in native mode; rates are medians of the rounds [min-max] "
          "from the drivers' own counters. Instructions are per packet (per KB "
          "for devmem), the sender's included for XDP (it runs in the same "
          "guest). devmem: ncdevmem receives 16 MiB on port 0.", "",
          "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for case, title, _, _ in CASES:
        row = {"case": case, "title": title}
        cells = [title]
        meds = {}
        for d in nic:
            xs = recs.get((d, case), [])
            unsupported = [x for x in xs if x.get("supported") is False]
            m = {k: _med(xs, k) for k, _ in keys}
            meds[d] = m
            if m["rate"]:
                row[d] = {k: v for k, v in m.items() if v}
                if case == "xdp-tx":
                    # What the program saw, and what its TX ring dropped.
                    row[d]["xdp_pps"] = _med(xs, "xdp_pps")
                    row[d]["xdp_tx_dropped"] = _med(xs, "xdp_tx_dropped", zero_ok=True)
            elif unsupported:
                row[d] = {"supported": False, "reason": unsupported[0].get("reason", "")}
            else:
                row[d] = None
            if not m["rate"] and (case != "devmem" or d in DEVMEM_EXPECTED or not unsupported):
                why = f" (not supported: {unsupported[0].get('reason', '')})" if unsupported else ""
                missing.append(f"{d}: {case}{why}")
        for k, _ in keys:
            for d in nic:
                m = meds[d][k]
                if m:
                    f = (lambda v: f"{v:,.0f}") if k != "rate" or case != "devmem" \
                        else (lambda v: f"{v:.1f}")
                    cells.append(f"{f(m['median'])} [{f(m['min'])}-{f(m['max'])}]")
                elif isinstance(row[d], dict) and row[d].get("supported") is False:
                    cells.append("not supported")
                else:
                    cells.append("no data")
        if pair:
            for k, _ in keys:
                a, b = meds["rust"][k], meds["c"][k]
                if a and b:
                    row[f"rust_over_c_{k}"] = a["median"] / b["median"]
                    cells.append(f"{a['median'] / b['median']:.2f}")
                else:
                    gone = [NAMES[d] for d in nic
                            if isinstance(row[d], dict) and row[d].get("supported") is False]
                    cells.append(f"n/a ({', '.join(gone)}: not supported)" if gone else "n/a")
        rows.append(row)
        md.append("| " + " | ".join(cells) + " |")
    notes = [f"- {NAMES[d]} devmem: not supported: {row[d]['reason']}"
             for row in rows if row["case"] == "devmem" for d in nic
             if isinstance(row.get(d), dict) and row[d].get("supported") is False]
    for row in rows:
        for d in nic:
            x = row.get(d) if row["case"] == "xdp-tx" else None
            if isinstance(x, dict) and x.get("xdp_pps"):
                dropped = x.get("xdp_tx_dropped")
                notes.append(f"- {NAMES[d]} XDP_TX: port 1's program saw "
                             f"{x['xdp_pps']['median']:,.0f} packets/s (median)"
                             + (f"; its XDP TX ring dropped {dropped['median']:,.0f} "
                                "packets per run (median)." if dropped else "."))
    if notes:
        md += [""] + notes
    return md, rows, missing
