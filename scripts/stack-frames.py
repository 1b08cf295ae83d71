#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the stack the module's own code takes.

A kernel stack is 16 KiB on x86-64 and the driver shares it with the code
around its callbacks: the driver core and module loader above probe, the
network stack above the ndo and ethtool callbacks, softirq and interrupt
entry around NAPI. C code is held to CONFIG_FRAME_WARN (2048 bytes per
function on 64-bit) by the compiler; rustc has no such warning, and
initialisers that build a large value on the stack and move it are easy to
write. One did: a 7 KiB flow-rule table built in probe's call chain
overflowed the stack of `modprobe` (a guard-page panic in CI).

This script reads the module's disassembly and fails when
  - a function's frame is larger than --frame bytes (default 2048), or
  - the deepest chain of direct calls between the module's own functions
    takes more than --chain bytes (default 6144).

Calls through function pointers (the kernel's ops tables, closures passed
as `dyn`) are not followed, so the chain is a lower bound; the frame limit
is exact.

Usage: stack-frames.py [--frame N] [--chain N] [--top N] MODULE.ko
"""

import argparse
import re
import subprocess
import sys

FUNC = re.compile(r"^[0-9a-f]+ <(.*)>:$")
SUB_RSP = re.compile(r"\ssub\s+\$0x([0-9a-f]+),%rsp")
PUSH = re.compile(r"\spush\s+%r")
RELOC_CALL = re.compile(r"R_X86_64_PLT32\s+(\S+?)(?:-0x4)?$")
LOCAL_CALL = re.compile(r"\s(?:call|jmp)\s+[0-9a-f]+ <([^+>]+)>")


def demangle(names):
    """Readable names (binutils' c++filt knows Rust's v0 mangling)."""
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True,
                             text=True, check=True).stdout.splitlines()
        if len(out) == len(names):
            return [re.sub(r"\[[0-9a-f]{16}\]", "", n) for n in out]
    except (OSError, subprocess.CalledProcessError):
        pass
    return names


def frames_and_calls(ko):
    """Each function's frame (pushes and the stack adjustment of its
    prologue, in bytes) and the functions it calls directly."""
    dis = subprocess.run(["objdump", "-dr", "--no-show-raw-insn", ko], capture_output=True,
                         text=True, check=True).stdout
    frame, calls, fn, prologue = {}, {}, None, False
    for line in dis.splitlines():
        m = FUNC.match(line)
        if m:
            fn, prologue = m.group(1), True
            # The return address.
            frame[fn], calls[fn] = 8, set()
            continue
        if fn is None:
            continue
        if prologue and PUSH.search(line):
            frame[fn] += 8
        m = SUB_RSP.search(line)
        if m and prologue:
            frame[fn] += int(m.group(1), 16)
            prologue = False
        for pattern in (RELOC_CALL, LOCAL_CALL):
            m = pattern.search(line)
            if m and m.group(1) != fn:
                calls[fn].add(m.group(1))
    return frame, calls


def deepest(frame, calls):
    """The deepest chain from each function, over functions of the module;
    recursion is cut where it closes."""
    memo = {}

    def walk(fn, active):
        if fn in memo:
            return memo[fn]
        best = (0, [])
        for callee in calls.get(fn, ()):
            if callee in frame and callee not in active:
                d = walk(callee, active | {fn})
                if d[0] > best[0]:
                    best = d
        memo[fn] = (frame[fn] + best[0], [fn] + best[1])
        return memo[fn]

    sys.setrecursionlimit(100000)
    return {fn: walk(fn, frozenset()) for fn in frame}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frame", type=int, default=2048)
    ap.add_argument("--chain", type=int, default=6144)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("module")
    args = ap.parse_args()

    frame, calls = frames_and_calls(args.module)
    if not frame:
        print(f"error: no functions in {args.module}")
        return 1
    chains = deepest(frame, calls)
    big = sorted(((size, fn) for fn, size in frame.items()), reverse=True)
    deep = sorted(((d, chain) for d, chain in chains.values()), reverse=True)

    print(f"{len(frame)} functions; largest frames:")
    for (size, name) in zip([s for s, _ in big[:args.top]],
                            demangle([f for _, f in big[:args.top]])):
        print(f"  {size:6d}  {name}")
    depth, chain = deep[0]
    print(f"deepest direct call chain: {depth} bytes")
    for name in demangle(chain):
        print(f"    {name}")

    bad = 0
    for size, fn in big:
        if size <= args.frame:
            break
        print(f"error: frame of {size} bytes (limit {args.frame}): {demangle([fn])[0]}")
        bad += 1
    if depth > args.chain:
        print(f"error: call chain of {depth} bytes (limit {args.chain})")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
