#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarises a fault matrix run (scripts/reliability.sh) into
DIR/matrix.json and DIR/matrix.md, from the rows the guest recorded
(DIR/DRIVER-LOAD/matrix-DRIVER-LOAD.jsonl) and each VM's exit.

    reliability-summary.py [--flavour lab|debug] [--command CMD] DIR

Exit status 1 if a Rust row failed or was not run, or if any row of
either driver has a kernel report (KASAN, UBSAN, lockdep, WARN, BUG) or
a leak."""

import argparse
import datetime
import json
import sys
from pathlib import Path

COLUMNS = ("row", "driver", "load", "result", "contained and logged", "reset",
           "duration s", "recovery s", "pings after", "iperf3 MB", "kernel reports")


def load_rows(run):
    """The rows of one VM run, and its exit status."""
    rows = []
    for f in sorted(run.glob("matrix-*.jsonl")):
        rows += [json.loads(l) for l in f.read_text().splitlines() if l.strip()]
    exit_file = run / "exit"
    rc = int(exit_file.read_text()) if exit_file.exists() else None
    return rows, rc


def cell(row, col):
    if col == "contained and logged":
        if row.get("row", "").endswith("cycles"):
            text = f"{row.get('cycles')} of {row.get('asked', row.get('cycles'))} cycles"
            if "cycles_with_traffic" in row:
                text += (f", {row['cycles_with_traffic']} with frames arriving at the"
                         f" unload ({row.get('frames_received', 0)} frames)")
            if row.get("pinger"):
                text += f"; pings during: {row['pinger'][0]}".replace("|", "/")
            return text
        if "log_lines" not in row or row.get("result") == "skip":
            return ""
        contained = "contained" if row["result"] == "pass" else "not contained"
        first = (row.get("first_log") or "").replace("|", "/")[:90]
        return f"{contained}; {row['log_lines']} lines" + (f": `{first}`" if first else "")
    if col == "reset":
        r = row.get("reset")
        return f"`{r[:70]}`".replace("|", "/") if r else "none"
    if col == "duration s":
        return str(row.get("duration_s", ""))
    if col == "recovery s":
        return str(row.get("recovery_s", ""))
    if col == "pings after":
        p = row.get("pings_after")
        return "" if p is None else f"{p}/20"
    if col == "iperf3 MB":
        b = row.get("load_bytes")
        return "" if b is None else f"{b / 1e6:.0f}"
    if col == "kernel reports":
        reps = row.get("reports") or []
        if row.get("row") == "kmemleak":
            return f"{row.get('count', 0)} fbnic leaks" if "count" in row else ""
        return "none" if not reps else f"{len(reps)}: `{reps[0][:60]}`"
    if col == "result" and row.get("why"):
        return f"{row['result']} ({row['why'][:80]})".replace("|", "/")
    return str(row.get(col, ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flavour", default="lab")
    ap.add_argument("--command", default="scripts/reliability.sh")
    ap.add_argument("dir", type=Path)
    args = ap.parse_args()

    runs, rows = [], []
    for run in sorted(p for p in args.dir.iterdir() if p.is_dir()):
        got, rc = load_rows(run)
        driver, _, load = run.name.rpartition("-")
        runs.append({"driver": driver, "load": load, "exit": rc, "rows": len(got)})
        rows += got
    # Side by side: each fault row for every driver and load together, in
    # the order the matrix runs them.
    names = list(dict.fromkeys(r.get("row") for r in rows))
    loads = ["idle", "iperf3", "cycles"]
    drivers = ["rust", "c", "c-fixes"]
    rows.sort(key=lambda r: (r.get("row") == "kmemleak", r.get("load") == "cycles",
                             names.index(r.get("row")),
                             loads.index(r["load"]) if r.get("load") in loads else 9,
                             drivers.index(r["driver"]) if r.get("driver") in drivers else 9))
    bad = []
    for r in rows:
        if r.get("reports") or r.get("count"):
            bad.append(f"{r['driver']} {r['load']} {r['row']}: kernel reports or leaks")
        if r["driver"] == "rust" and r.get("result") == "fail":
            bad.append(f"rust {r['load']} {r['row']}: failed")
    for run in runs:
        if run["driver"] == "rust" and run["rows"] == 0:
            bad.append(f"rust {run['load']}: no row recorded (VM exit {run['exit']})")

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary = {"date": when, "command": args.command, "kernel": args.flavour,
               "runs": runs, "rows": rows, "problems": bad}
    (args.dir / "matrix.json").write_text(json.dumps(summary, indent=1) + "\n")

    md = [f"# Fault matrix, {when}", "",
          f"`{args.command}` on the {args.flavour} kernel. One VM run per driver and "
          "load; the rows are the recovery suite's fault cases "
          "(Documentation/reliability.md).", ""]
    for run in runs:
        md.append(f"- {run['driver']}, {run['load']}: {run['rows']} rows recorded, "
                  f"VM exit {run['exit']}")
    md += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        md.append("| " + " | ".join(cell(r, c) for c in COLUMNS) + " |")
    md += ["", f"Problems: {len(bad)}"] + [f"- {b}" for b in bad]
    (args.dir / "matrix.md").write_text("\n".join(md) + "\n")
    print("\n".join(md[-len(bad) - 1:]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
