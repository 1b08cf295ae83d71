#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The module's guest instructions by source line and by inlined function.

    scripts/insn-annotate.py BEFORE AFTER KALLSYMS KO [--per-call SYM]
                             [--div N] [--top N] [--asm SYM [--min X]]

BEFORE, AFTER and KALLSYMS are as for scripts/insn-report.py (two
guest-insns snapshots and the guest's /proc/kallsyms with the module
loaded); KO is the fbnic.ko that ran, with its debug information (copy it
before rebuilding). insn-report.py stops at the symbol, and in the Rust
driver nearly all of the receive path is inlined into one symbol
(Poll::poll); this splits it up.

Each translation block's count is spread over its instructions (a block
ends at the first jump, call or return), and each instruction is
attributed, through llvm-symbolizer's inlining chain, to every function
it was inlined from ("inclusive") and to its innermost driver or rust/
source line.

--div N divides every figure (e.g. the packets or the GB of the case);
--per-call SYM divides by the number of calls the module made to SYM
instead (gro_receive_skb: per packet handed to GRO), and prints that
count; --asm SYM prints the disassembly of the module symbol containing
SYM with each instruction's count and source line (those of at least
--min).
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys

CONTROL = re.compile(r"^(j\w+|call\w*|ret\w*|int3|ud2|hlt|iret\w*|lret\w*)\b")


def snapshot(path):
    blocks = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            key, n = line.split()
            if key not in ("user", "overflow"):
                blocks[int(key, 16)] = int(n)
    return blocks


def module_symbols(kallsyms, module):
    syms = {}
    line_re = re.compile(r"^([0-9a-f]+) [tT] (\S+)\s+\[(\S+)\]")
    with open(kallsyms) as f:
        for line in f:
            m = line_re.match(line)
            if m and m.group(3) == module:
                syms[m.group(2)] = int(m.group(1), 16)
    return syms


def ko_symbols(ko):
    out = subprocess.run(["nm", ko], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tT":
            syms[p[2]] = int(p[0], 16)
    return syms


def disassemble(ko, call_target):
    """[(offset, text)] of .text, and the offsets of calls to call_target."""
    out = subprocess.run(["llvm-objdump", "-dr", "--no-show-raw-insn", "-j", ".text", ko],
                         capture_output=True, text=True, check=True).stdout
    insns, calls = [], set()
    for line in out.splitlines():
        if "R_X86_64" in line:
            if call_target and insns and insns[-1][1].startswith("call") and \
                    re.search(rf"\s{re.escape(call_target)}[-+]", line):
                calls.add(insns[-1][0])
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if not m:
            continue
        text = m.group(2).strip()
        # objdump prints a lock prefix as an instruction of its own.
        if insns and insns[-1][1] == "lock":
            insns[-1] = (insns[-1][0], "lock " + text)
        else:
            insns.append((int(m.group(1), 16), text))
    return insns, calls


def short(name):
    for _ in range(4):
        name = re.sub(r"<[^<>]*>", "", name)
    return name[-80:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("kallsyms")
    ap.add_argument("ko")
    ap.add_argument("--module", default="fbnic")
    ap.add_argument("--div", type=float, default=1.0)
    ap.add_argument("--per-call", metavar="SYM")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--asm", metavar="SYM")
    ap.add_argument("--min", type=float, default=0.0)
    a = ap.parse_args()

    b0, b1 = snapshot(a.before), snapshot(a.after)
    ks, nm = module_symbols(a.kallsyms, a.module), ko_symbols(a.ko)
    deltas = collections.Counter(ks[s] - nm[s] for s in ks if s in nm)
    if not deltas:
        sys.exit("no symbol of the module in both KALLSYMS and KO")
    delta = deltas.most_common(1)[0][0]
    insns, calls = disassemble(a.ko, a.per_call)
    offs = [o for o, _ in insns]

    hits = collections.Counter()
    ncalls = 0.0
    for vaddr, n in b1.items():
        n -= b0.get(vaddr, 0)
        i = bisect.bisect_left(offs, vaddr - delta)
        if n <= 0 or i >= len(offs) or offs[i] != vaddr - delta:
            continue
        j = i
        while j < len(insns) - 1 and not CONTROL.match(insns[j][1]):
            j += 1
        per = n / (j - i + 1)
        for k in range(i, j + 1):
            hits[insns[k][0]] += per
        if insns[j][0] in calls:
            ncalls += per
    div = a.div
    if a.per_call:
        print(f"calls to {a.per_call}: {ncalls:,.0f}")
        div = ncalls or 1.0

    order = sorted(hits)
    out = subprocess.run(["llvm-symbolizer", "--obj=" + a.ko, "-i", "-f", "-C",
                          "--relative-address"],
                         input="\n".join(hex(o) for o in order),
                         capture_output=True, text=True, check=True).stdout
    chains = {}
    for off, chunk in zip(order, out.split("\n\n")):
        lines = chunk.strip().splitlines()
        chains[off] = [(lines[k], lines[k + 1]) for k in range(0, len(lines) - 1, 2)]

    def own_line(frames):
        for func, where in frames:
            if "/drivers/net/" in where or ("/rust/" in where and "rustlib" not in where):
                path, _, pos = where.partition(":")
                path = os.path.normpath(path)
                path = re.sub(r"^.*?/(drivers/net/|rust/)", r"\1", path)
                return f"{path}:{pos}  {short(func)[-40:]}"
        return "(other)"

    incl, lines = collections.Counter(), collections.Counter()
    for off, n in hits.items():
        frames = chains.get(off, [])
        for func in {short(f) for f, _ in frames}:
            incl[func] += n
        lines[own_line(frames)] += n
    total = sum(hits.values())
    print(f"module: {total / div:,.1f}")
    print("\ninclusive, by inlined function")
    for func, n in incl.most_common(a.top):
        print(f"{n / div:14,.1f} {100 * n / total:5.1f} %  {func}")
    print("\nby innermost driver or rust/ source line")
    for where, n in lines.most_common(a.top):
        print(f"{n / div:14,.1f} {100 * n / total:5.1f} %  {where}")

    if a.asm:
        name = next((s for s in nm if a.asm in s), None)
        if name is None:
            sys.exit(f"no symbol containing {a.asm} in {a.ko}")
        starts = set(nm.values())
        print(f"\n{name}")
        i = bisect.bisect_left(offs, nm[name])
        while i < len(insns):
            off, text = insns[i]
            if off != nm[name] and off in starts:
                break
            n = hits.get(off, 0) / div
            if n >= a.min:
                frames = chains.get(off) or [("", "")]
                where = frames[0][1].rsplit("/", 1)[-1]
                print(f"{n:10.2f} {off:8x}  {text[:60]:60} {where}")
            i += 1


if __name__ == "__main__":
    main()
