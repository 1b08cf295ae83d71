# SPDX-License-Identifier: GPL-2.0
"""The recovery suite's cases for a device that misbehaves as a whole
(the emulator's tools/fbnic-emu/src/hostile.rs), for either driver, on the
two-port layout (port 0 here, port 1 in netns remote):

- irq_storm: every MSI-X vector of port 0 fires every 250 us for 5 s with
  no cause. Both drivers' handlers find nothing to do; traffic goes on.
- lost_interrupts: the next queue interrupt of port 0 is lost (the vector
  masked, the driver never told). The Rust driver's service task finds a
  vector with completions waiting and no interrupt for a second, logs it
  and fires it: traffic resumes by itself. The C driver has no such
  check: the queue pair stays stalled until the interface goes down and
  up.
- device_gone: port 0's registers read all ones (a device that fell off
  the bus). Both drivers notice from a read, log it once, detach the
  interface and stop touching the device. Once the device answers again,
  a function reset brings the Rust driver's port back
  (reset_prepare/reset_done); the C driver has no reset handlers and
  needs an unbind and bind."""

import re
import subprocess
import time
from pathlib import Path

from lib.py import cmd, defer, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, ksft_pr, ksft_true
from fbnic_lab import LOCAL_V4, LOCAL_V6, PCI, read, wait_for


def irq_report(lab):
    """{storm, fired, lost, left} of port 0 ("fault 0 irq")."""
    words = lab.emu.request("fault", 0, "irq").split()
    ksft_eq(words[:2], ["ok", "irq"], f"fault 0 irq: {words}")
    return dict(zip(words[2::2], words[3::2]))


def carrier(lab):
    return read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1"


def irq_storm(lab):
    """5 s of interrupts without cause on every vector of port 0, with
    pings running: no lockup, every ping answered, the kernel did not
    disable a vector ("nobody cared"), traffic after it."""
    ksft_ge(lab.ping(), 1, "pings before the storm")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    fired = int(irq_report(lab)["fired"])
    lab.emu.ctl("fault", 0, "irq", "storm", 5)
    got = lab.ping(count=15, interval=0.2)
    report = irq_report(lab)
    ksft_pr(f"storm: {int(report['fired']) - fired} messages sent so far")
    ksft_eq(got, 15, "pings answered during the storm")
    ksft_true(wait_for(lambda: irq_report(lab)["storm"] == "off", 15), "the storm ended")
    stormed = int(irq_report(lab)["fired"]) - fired
    ksft_pr(f"storm: {stormed} messages in all")
    ksft_gt(stormed, 1000, "MSI-X messages the storm sent")
    clear.exec()
    log = cmd("dmesg").stdout
    ksft_eq([l for l in log.splitlines() if "nobody cared" in l or "Disabling IRQ" in l], [],
            "no interrupt disabled by the kernel")
    ksft_eq(lab.ping(count=10, interval=0.1), 10, "answers after the storm")
    ksft_gt(lab.iperf3(seconds=2), 0, "iperf3 after the storm")


def lost_interrupts(lab):
    """Port 0 loses its next queue interrupt. Rust: the service task fires
    the stalled vector, traffic resumes by itself within a few seconds.
    C: it stays stalled until down/up."""
    ksft_ge(lab.ping(), 1, "pings before")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lost = int(irq_report(lab)["lost"])
    lab.emu.ctl("fault", 0, "irq", "lost", 1)
    # Each ping's send and reply complete on a queue vector of port 0.
    first = lab.ping(count=10, interval=0.2)
    ksft_eq(irq_report(lab)["left"], "0", "the interrupt to lose was used")
    ksft_eq(int(irq_report(lab)["lost"]) - lost, 1, "interrupts the emulator lost")
    ksft_pr(f"{first} of 10 pings answered around the lost interrupt")
    clear.exec()
    time.sleep(3)
    after = lab.ping(count=10, interval=0.2)
    ksft_pr(f"{after} of 10 pings answered 3 s later")
    if lab.driver == "rust":
        ksft_eq(after, 10, "traffic resumed by itself")
        ksft_in("completions waiting and no interrupt", cmd("dmesg").stdout,
                "the driver logged the stalled vector")
    else:
        # C has no check; down/up resets the rings and interrupts.
        ip(f"link set {lab.env.ifname} down")
        ip(f"link set {lab.env.ifname} up")
        ksft_true(wait_for(lambda: carrier(lab), 20), "carrier after down/up")
        ksft_eq(lab.ping(count=10, interval=0.2), 10, "answers after down/up")


GONE_LOG = {"rust": "the device is gone", "c": "disabled CSR access"}


def gone_reads(lab):
    """Port 0's register reads the emulator answered with all ones."""
    words = lab.emu.request("fault", 0, "mmio").split()
    ksft_eq(words[:2], ["ok", "mmio"], f"fault 0 mmio: {words}")
    return int(words[-1])


def rebind(lab, bdf):
    """Unbinds and binds port 0's function; addresses the new netdev as
    the layout had it and brings it up."""
    Path("/sys/bus/pci/drivers/fbnic/unbind").write_text(bdf)
    Path("/sys/bus/pci/drivers/fbnic/bind").write_text(bdf)
    ksft_true(wait_for(lambda: lab.netdev(0), 20), "a netdev after the bind")
    name = lab.netdev(0)
    ip(f"addr add {LOCAL_V4}/24 dev {name}")
    ip(f"addr add {LOCAL_V6}/64 dev {name} nodad")
    ip(f"link set {name} up")
    lab.env.ifname = name
    lab.env.dev = ip(f"link show dev {name}", json=True)[0]
    lab.env.ifindex = lab.env.dev["ifindex"]


def device_gone(lab):
    """Port 0's registers read all ones for a while. The driver logs it
    once, detaches the interface and stops reading the device; no traffic
    then. Once the device answers again: Rust comes back through a
    function reset, C through unbind and bind; traffic flows."""
    bdf = lab.pci_devs()[0]
    dev = lab.env.ifname
    ksft_ge(lab.ping(), 1, "pings before")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lab.emu.ctl("fault", 0, "mmio", "gone")
    log = GONE_LOG[lab.driver]
    ksft_true(wait_for(lambda: log in cmd("dmesg").stdout, 10),
              f"the driver logged '{log}'")
    ksft_eq(len([l for l in cmd("dmesg").stdout.splitlines() if log in l]), 1,
            "logged once")
    # A detached interface (netif_device_detach) refuses ethtool.
    ksft_true(wait_for(lambda: cmd(f"ethtool -S {dev}", fail=False).ret != 0, 5),
              "the interface is detached (ethtool -S refused)")
    ksft_eq(lab.ping(count=5, interval=0.2), 0, "no traffic while the device is gone")
    reads = gone_reads(lab)
    time.sleep(3)
    more = gone_reads(lab) - reads
    ksft_pr(f"register reads in 3 s after the driver noticed: {more}")
    ksft_eq(more, 0, "the driver stopped reading the device")
    lab.emu.ctl("fault", 0, "mmio", "back")
    clear.exec()
    if lab.driver == "rust":
        Path(PCI / bdf / "reset").write_text("1\n")
    else:
        # C has no reset_prepare/reset_done: a function reset under it
        # leaves its BAR pointers cleared.
        rebind(lab, bdf)
    ksft_true(wait_for(lambda: carrier(lab), 20), "carrier after the device came back")
    ksft_true(wait_for(lambda: lab.ping(count=2) == 2, 20, step=1), "pings answered again")
    ksft_eq(lab.ping(count=10, interval=0.1), 10, "answers after the device came back")
    ksft_eq(lab.ping(count=5, remote=True), 5, "answers to port 1")
