#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The first VM suite, for either driver: the module loads, binds to every
emulated fbnic function, unloads cleanly (also in a loop), and the kernel
log stays free of warnings and oopses."""

import re

from lib.py import KsftSkipEx, cmd, ksft_eq, ksft_in, ksft_pr, ksft_true
from fbnic_lab import Lab, dmesg_clean, load, module_gone, run, unload

# What each driver cannot do yet on the current emulator, with the reason:
# "<driver> <case> <reason>" lines.
EXPECTED_FAIL = """
"""


def devices_present(lab):
    devs = lab.pci_devs()
    ksft_pr(f"fbnic functions: {' '.join(devs)}")
    ksft_eq(len(devs), lab.ports, "one fbnic function per emulated port")


def modprobe_resolves_updates(lab):
    """The user's view: "modprobe fbnic" picks our module from updates/."""
    lab.require("rust", "the C driver is the kernel's own, loaded by path")
    shown = cmd("modprobe --show-depends fbnic").stdout
    paths = [l.split()[1] for l in shown.splitlines() if l.startswith("insmod ")]
    ksft_pr(f"modprobe fbnic -> {paths}")
    ksft_true(paths, "modprobe --show-depends names no module")
    ksft_in("/updates/", paths[-1] if paths else "")


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
    run([devices_present, modprobe_resolves_updates, load, bound,
         probe_read_register, c_registers_netdev, unload, unbound,
         module_gone, load_unload_cycles, dmesg_clean], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
