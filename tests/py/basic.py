#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The first VM suite, for either driver: the module loads, binds to every
emulated fbnic function, unloads cleanly (also in a loop), and the kernel
log stays free of warnings and oopses. With the Rust driver on a kernel
with KUnit, the driver's KUnit suites report at the first load: a result
per suite (kunit-<suite>), each case's result printed under it."""

import os
import re

from lib.py import KsftSkipEx, cmd, ksft_eq, ksft_pr, ksft_true
from fbnic_lab import Lab, dmesg_clean, load, modprobe_resolves_updates, module_gone, \
    run, unload

# What each driver cannot do yet on the current emulator, with the reason:
# "<driver> <case> <reason>" lines.
EXPECTED_FAIL = """
"""


def devices_present(lab):
    devs = lab.pci_devs()
    ksft_pr(f"fbnic functions: {' '.join(devs)}")
    ksft_eq(len(devs), lab.ports, "one fbnic function per emulated port")


def bound(lab):
    devs = lab.pci_devs()
    ksft_eq({d: lab.bound_to(d) for d in devs}, {d: "fbnic" for d in devs})
    ksft_eq(len(devs), lab.ports)
    for line in lab.save_dmesg("fbnic-dmesg.txt"):
        ksft_pr(line)


def probe_read_register(lab):
    """The probe read BAR0 and logged it (an MMIO round trip to the emulator)."""
    lab.require("rust", "the C driver does not log its BAR0 read")
    lines = [l for l in lab.save_dmesg("fbnic-dmesg.txt") if re.search(r"fbnic.*BAR0", l)]
    ksft_eq(len(lines), lab.ports, "one BAR0 line per function")


def kunit_suites():
    """The driver's KUnit suites (fbnic_rs_*), named in its module file."""
    path = cmd("modinfo -n fbnic", fail=False).stdout.strip()
    if not path or not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return sorted(set(re.findall(rb"fbnic_rs_[a-z0-9_]+", f.read())))


def kunit_report(suite):
    """The KTAP report of KUnit suite `suite` on the kernel log, from the
    last time it ran: (its own result line, [(case, result line)])."""
    own, cases, current = None, [], None
    for line in cmd("dmesg").stdout.splitlines():
        line = re.sub(r"^\[[^]]*\] ?", "", line)
        m = re.match(r"^ *# Subtest: (\S+)$", line)
        if m:
            current = m.group(1)
            if current == suite:
                cases = []
            continue
        m = re.match(r"^( *)((?:not )?ok \d+ (\S+).*)$", line)
        if not m:
            continue
        if m.group(1) and current == suite:
            cases.append((m.group(3), m.group(2)))
        elif not m.group(1) and m.group(3) == suite:
            own = m.group(2)
    return own, cases


def kunit_case(suite):
    """A case checking that KUnit suite `suite` ran at the first load and
    that it and every test in it passed (a skipped test fails too)."""
    def case(lab):
        lab.require("rust", "the KUnit suites are the Rust driver's")
        own, cases = kunit_report(suite)
        for name, line in cases:
            ksft_pr(f"{suite}.{name}: {line}")
        ksft_true(own is not None, f"no KTAP report of {suite} on the kernel log")
        ksft_true(cases, f"{suite} reported no test case")
        bad = [line for _, line in cases if line.startswith("not ok") or "# SKIP" in line]
        ksft_eq(bad, [], "failed or skipped cases")
        ksft_true(own is not None and own.startswith("ok "), f"suite result: {own}")
    case.__name__ = "kunit_" + suite.removeprefix("fbnic_rs_")
    return case


def kunit_present(lab):
    """A kernel with KUnit and a driver module without suites is a defect:
    the suites were not built."""
    lab.require("rust", "the KUnit suites are the Rust driver's")
    if not os.path.exists("/sys/module/kunit"):
        raise KsftSkipEx("the kernel has no KUnit")
    ksft_true(kunit_suites(), "the module has no fbnic_rs_ KUnit suite")


def c_registers_netdev(lab):
    """With the emulated firmware the C driver probes through to a netdev."""
    lab.require("c", "the Rust driver's netdevs are checked by the control suite")
    ksft_eq([lab.netdev(p) is not None for p in range(lab.ports)], [True] * lab.ports)


def unbound(lab):
    devs = lab.pci_devs()
    ksft_eq({d: lab.bound_to(d) for d in devs}, {d: None for d in devs})


def load_unload_cycles(lab):
    lab.require("rust", "the C driver's load cycles run in the control and lifecycle suites")
    lab.cycles(3)


def main():
    lab = Lab()
    kunit = [kunit_case(s.decode()) for s in kunit_suites()] if lab.driver == "rust" else []
    run([devices_present, modprobe_resolves_updates, load, bound,
         probe_read_register, kunit_present, *kunit, c_registers_netdev,
         unload, unbound, module_gone, load_unload_cycles, dmesg_clean],
        lab, EXPECTED_FAIL)


if __name__ == "__main__":
    main()
