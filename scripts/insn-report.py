#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Guest instructions executed between two snapshots of tools/guest-insns.

    scripts/insn-report.py BEFORE AFTER KALLSYMS [--top N] [--module fbnic]

BEFORE and AFTER are snapshot files (PREFIX.<n> from "scripts/vm-run.sh
--insns PREFIX", one per insn_mark in the guest); KALLSYMS is the guest's
/proc/kallsyms, read as root while the module was loaded. Prints the
window's instructions: user space, kernel, the module's own code, and the
kernel functions that executed most. Also importable: window() returns the
same as a dict (scripts/bench.sh uses it).
"""
import argparse
import bisect
import re


def read_snapshot(path):
    """{"user": n, "overflow": n, "blocks": {vaddr: n}} of one snapshot."""
    snap = {"user": 0, "overflow": 0, "blocks": {}}
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            key, n = line.split()
            if key in ("user", "overflow"):
                snap[key] = int(n)
            else:
                snap["blocks"][int(key, 16)] = int(n)
    return snap


class Symbols:
    """Text symbols of a kallsyms file, to attribute an address."""

    def __init__(self, path):
        syms = []
        line_re = re.compile(r"^([0-9a-f]+) ([tTwW]) (\S+)(?:\s+\[(\S+)\])?")
        with open(path) as f:
            for line in f:
                m = line_re.match(line)
                if m and int(m.group(1), 16):
                    syms.append((int(m.group(1), 16), m.group(3), m.group(4) or ""))
        syms.sort()
        self.addrs = [s[0] for s in syms]
        self.syms = syms

    def lookup(self, addr):
        """(name, module) of the symbol containing addr ("?" if none)."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return ("?", "")
        return self.syms[i][1], self.syms[i][2]


def window(before, after, symbols, module="fbnic"):
    """What executed between two snapshots, by part and by function."""
    a, b = read_snapshot(before), read_snapshot(after)
    funcs = {}
    kernel = mod = 0
    for addr, n in b["blocks"].items():
        d = n - a["blocks"].get(addr, 0)
        if d <= 0:
            continue
        name, owner = symbols.lookup(addr)
        key = f"{name} [{owner}]" if owner else name
        funcs[key] = funcs.get(key, 0) + d
        kernel += d
        if owner == module:
            mod += d
    overflow = b["overflow"] - a["overflow"]
    user = b["user"] - a["user"]
    return {
        "user": user,
        "kernel": kernel + overflow,
        "module": mod,
        "overflow": overflow,
        "total": user + kernel + overflow,
        "functions": sorted(funcs.items(), key=lambda kv: -kv[1]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("kallsyms")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--module", default="fbnic")
    args = ap.parse_args()
    w = window(args.before, args.after, Symbols(args.kallsyms), args.module)
    total = w["total"] or 1
    print(f"total   {w['total']:>16,}")
    for part in ("user", "kernel", "module", "overflow"):
        label = f"[{args.module}]" if part == "module" else part
        print(f"{label:<8}{w[part]:>16,}  {100 * w[part] / total:5.1f} %")
    print(f"\ntop {args.top} kernel functions")
    for name, n in w["functions"][: args.top]:
        print(f"{n:>16,}  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
