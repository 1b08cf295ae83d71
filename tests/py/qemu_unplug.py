#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-root-ports
# vm-ports 4
"""QEMU's own unplug of an fbnic port (QMP device_del) under traffic, and
QMP device_add putting it back.

Not part of make test: with QEMU 11.1.3 as the lab has it, QEMU aborts
when it finalizes the unplugged vfio-user-pci device, right after the
guest has let go of it ("memory_region_del_subregion: Assertion
`subregion->container == mr' failed"; Documentation/reliability.md,
"Surprise removal in this lab"). The guest's side works: the ACPI hotplug
driver runs fbnic's remove under iperf3 and the function goes. This suite
is the reproduction, and the test for a QEMU that has the fix:

    scripts/vm-run.sh --driver rust tests/py/qemu_unplug.py

Layout as in hotplug.py: ports 2 and 3 a second pair behind root ports
fbnic-rp2 and fbnic-rp3, port 3 in netns remote2."""

import time
from pathlib import Path

from lib.py import ksft_eq, ksft_in, ksft_pr, ksft_true
from fbnic_lab import PCI, Lab, dmesg_clean, load, run, up, wait_for
from hotplug import disturbed, port2_back, qemu_pci, second_pair, unload_all


def qmp_unplug(lab):
    """device_del of port 2 under iperf3: the guest's ACPI hotplug driver
    asks fbnic to let go, fbnic's remove runs with the device still there,
    then QEMU takes the function away. Pair 0/1 loses no ping."""
    bdf, dev = lab.pci_devs()[2], lab.netdev(2)
    with disturbed(lab, "the unplug", 75, stream_port=5204):
        t0 = time.monotonic()
        lab.emu.ctl("device-del", "fbnic2")
        gone = wait_for(lambda: not Path(PCI / bdf).exists(), 30)
        took = time.monotonic() - t0
        ksft_true(gone, f"the guest let go of {bdf} after device_del")
        ksft_pr(f"device_del of fbnic2 ({bdf}): the guest let go in {took:.1f} s")
        ksft_eq(Path(f"/sys/class/net/{dev}").exists(), False, f"{dev} is gone")
        ksft_true(wait_for(lambda: 'id "fbnic2"' not in qemu_pci(lab), 30),
                  "QEMU removed fbnic2 (HMP info pci)")
    lab.unplugged = bdf


def qmp_plug(lab):
    """device_add puts port 2 back on its root port: the guest's hotplug
    driver finds the function, fbnic probes it, the port carries traffic."""
    bdf = getattr(lab, "unplugged", None)
    ksft_true(bdf, "the unplug ran")
    lab.emu.ctl("device-add", 2, "fbnic2", "fbnic-rp2")
    ksft_true(wait_for(lambda: Path(PCI / bdf).exists() and lab.bound_to(bdf) == "fbnic"
                       and lab.netdev(2), 30),
              f"{bdf} is back after device_add and bound to fbnic")
    ksft_in('id "fbnic2"', qemu_pci(lab), "QEMU has fbnic2 again")
    port2_back(lab, bdf)


def main():
    run([load, up, second_pair, qmp_unplug, qmp_plug, unload_all, dmesg_clean], Lab())


if __name__ == "__main__":
    main()
