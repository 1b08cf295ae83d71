#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-quick: rust
# vm-root-ports
# vm-ports 4
# vm-plug-later 3
"""Surprise removal of an fbnic port under traffic, and the port coming
back, for either driver.

Four ports, each behind a PCIe root port of its own (scripts/vm-run.sh
--root-ports; QEMU ids fbnic0..3 on fbnic-rp0..3): ports 0 and 1 are the
usual pair (port 1 in netns "remote"), ports 2 and 3 a second pair, cabled
back to back by the emulator (port 3 in netns "remote2").

While ping runs over pair 0/1 and iperf3 over pair 2/3, port 2 drops off
the bus: first its link (the emulator's "fault 2 mmio gone": register reads
return all ones, as a root port answers for a device that is gone), which
the driver finds out from its own reads, with no word from anyone; then
its slot loses power (the test writes the root port's Slot Control: QEMU
powers the function off, its configuration space reads all ones and the
emulator sees a function reset that drops its interrupts). The test then
removes the function from the PCI core (/sys/bus/pci/devices/*/remove,
what pciehp does when the presence detect drops), which runs the driver's
remove against a device that is gone.

Checked: the driver noticed (its log line), the removal finished in bounded
time, the netdev went, pair 0/1 lost no ping, no WARN, BUG or oops. Then
the slot gets power again, a PCI rescan finds the function, the driver
probes it, and the port carries ping and iperf3 traffic to port 3. At the
end the module unloads cleanly.

Before that, port 3's function is not there at boot ("# vm-plug-later 3":
scripts/vm-run.sh leaves it out, with room reserved in its root port's
window): the first case has QEMU plug it in (QMP device_add through the
emulator's control socket) and the guest's ACPI hotplug driver hand it to
the loaded driver. QEMU's own unplug (device_del) aborts QEMU 11.1.3 once
the guest has let go; tests/py/qemu_unplug.py is that case, outside make
test (Documentation/reliability.md)."""

import contextlib
import os
import re
import subprocess
import time
from pathlib import Path

from lib.py import cmd, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, ksft_lt, ksft_pr, ksft_true
from fbnic_lab import PCI, Lab, dmesg_clean, load, read, run, up, wait_for

EXPECTED_FAIL = """
"""

NS2 = "remote2"
PAIR2_LOCAL, PAIR2_REMOTE = "192.0.4.1", "192.0.4.2"
# PCIe Slot Control (offset 0x18 of the PCI Express capability): Power
# Indicator Control (9:8, 11 = off), Power Controller Control (bit 10,
# 1 = power off). QEMU unplugs what sits in a slot turned off with its
# indicator off, and powers a slot's devices on again when it is on.
SLTCTL = "CAP_EXP+0x18.w"
PIC_OFF, PCC_OFF = 0x300, 0x400
# What each driver logs when its reads return all ones.
GONE_LOG = {"rust": "the device is gone", "c": "disabled CSR access"}


def root_port(bdf):
    """The PCI address of the bridge above function bdf."""
    return Path(os.path.realpath(PCI / bdf)).parent.name


def slot_power(rp, on):
    """Turns the slot of root port rp on or off (indicator off)."""
    ctl = int(cmd(f"setpci -s {rp} {SLTCTL}").stdout.strip(), 16)
    ctl = (ctl | PIC_OFF) & ~PCC_OFF if on else ctl | PIC_OFF | PCC_OFF
    cmd(f"setpci -s {rp} {SLTCTL}={ctl:04x}")


def vendor(bdf):
    """The vendor ID the function answers with: ffff once it is gone."""
    return cmd(f"setpci -s {bdf} VENDOR_ID", fail=False).stdout.strip()


def pair2_up(lab):
    """Ports 2 and 3 addressed and up, port 3 in netns remote2, with
    carrier; port 2's netdev name."""
    local, remote = lab.netdev(2), lab.netdev(3)
    ksft_true(local, f"a netdev of port 2: {local}")
    if not Path(f"/run/netns/{NS2}").exists():
        ksft_true(remote, f"a netdev of port 3: {remote}")
        ip(f"netns add {NS2}")
        ip(f"link set {remote} netns {NS2}")
        ip(f"addr add {PAIR2_REMOTE}/24 dev {remote}", ns=NS2)
        ip(f"link set {remote} up", ns=NS2)
    ip(f"addr add {PAIR2_LOCAL}/24 dev {local}")
    ip(f"link set {local} up")
    ksft_true(wait_for(lambda: read(f"/sys/class/net/{local}/carrier") == "1", 20),
              f"carrier on {local}")
    return local


def pings(dst, count, interval=0.2, ns=None):
    """Echo replies of count requests to dst."""
    out = cmd(f"ping -c {count} -i {interval} -W 2 -q {dst}", fail=False, ns=ns,
              timeout=count * interval + 30).stdout
    m = re.search(r"(\d+) received", out)
    return int(m.group(1)) if m else 0


def iperf3_pair2(seconds):
    """iperf3 over ports 2 -> 3 (server in remote2); the bytes received."""
    server = subprocess.Popen(["ip", "netns", "exec", NS2, "iperf3", "-s", "-1", "-p", "5202"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        out = cmd(f"iperf3 -c {PAIR2_REMOTE} -p 5202 -t {seconds} -J", fail=False,
                  timeout=seconds + 30).stdout
        m = re.search(r'"sum_received":\s*{[^}]*"bytes":\s*(\d+)', out)
        return int(m.group(1)) if m else 0
    finally:
        server.kill()
        server.wait()


@contextlib.contextmanager
def disturbed(lab, what, pings, stream_port=None):
    """Runs the body with pings (0.2 s apart) over pair 0/1 and, given
    stream_port, an iperf3 stream over ports 2 -> 3 that must still run when
    the body starts. Afterwards pair 0/1 must have lost no ping and the
    kernel logged no WARN, BUG or oops; the list yielded then holds the
    kernel log lines of the body."""
    before = len(cmd("dmesg").stdout.splitlines())
    ping = subprocess.Popen(["ping", "-c", str(pings), "-i", "0.2", "-W", "2", "-q",
                             lab.env.remote_addr_v["4"]],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stream = []
    if stream_port:
        stream.append(subprocess.Popen(["ip", "netns", "exec", NS2, "iperf3", "-s", "-1",
                                        "-p", str(stream_port)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.5)
        stream.append(subprocess.Popen(["iperf3", "-c", PAIR2_REMOTE, "-p", str(stream_port),
                                        "-t", "30"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        time.sleep(3)
        ksft_eq(stream[1].poll(), None, f"iperf3 runs over port 2 when {what} starts")
    lines = []
    try:
        yield lines
    finally:
        for p in reversed(stream):
            p.kill()
            p.wait()
    out = ping.communicate(timeout=60)[0]
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    ksft_true(m, f"ping over pair 0/1: {out}")
    ksft_eq(int(m.group(2)), int(m.group(1)), f"no ping lost over pair 0/1\n{out}")
    lines += cmd("dmesg").stdout.splitlines()[before:]
    ksft_eq([l for l in lines if re.search(r"WARNING:|BUG:|Oops|Call Trace", l)], [],
            f"no WARN, BUG or oops during {what}")


def qemu_pci(lab):
    """QEMU's view of the guest's PCI buses (HMP info pci over QMP)."""
    return lab.emu.request("monitor", "info", "pci")


def hot_add(lab):
    """QEMU plugs port 3 in (QMP device_add; "# vm-plug-later 3" left it out
    at boot) while pair 0/1 carries pings: the guest's ACPI hotplug driver
    finds the function behind fbnic-rp3, the loaded driver probes it and it
    gets a netdev; pair 0/1 loses no ping."""
    ksft_eq(len(lab.pci_devs()), 3, "port 3 is not on the bus before device_add")
    with disturbed(lab, "the plug", 50):
        t0 = time.monotonic()
        lab.emu.ctl("device-add", 3, "fbnic3", "fbnic-rp3")
        plugged = wait_for(lambda: len(lab.pci_devs()) == 4 and lab.netdev(3)
                           and lab.bound_to(lab.pci_devs()[3]) == "fbnic", 30)
        took = time.monotonic() - t0
        ksft_true(plugged, f"port 3 on the bus and bound to fbnic after device_add: {lab.pci_devs()}")
        ksft_pr(f"device_add of fbnic3: {lab.pci_devs()[-1]} {lab.netdev(3)} in {took:.1f} s")
        ksft_in('id "fbnic3"', qemu_pci(lab), "QEMU has fbnic3 (HMP info pci)")


def second_pair(lab):
    """Ports 2 and 3 carry traffic before anything happens."""
    pair2_up(lab)
    ksft_eq(pings(PAIR2_REMOTE, 5), 5, "ping over ports 2 -> 3")
    got = iperf3_pair2(2)
    ksft_pr(f"iperf3 2 -> 3: {got} bytes in 2 s")
    ksft_gt(got, 0, "iperf3 over ports 2 -> 3")


def surprise_removal(lab):
    """Port 2's slot loses power under iperf3: the driver finds the device
    gone, its removal completes, the netdev goes; pair 0/1 loses no ping."""
    bdf, dev = lab.pci_devs()[2], lab.netdev(2)
    rp = root_port(bdf)
    lab.gone = (bdf, rp)
    # Pair 0/1: 100 pings across the whole removal (20 s).
    with disturbed(lab, "the removal", 100, stream_port=5203) as lines:
        lab.emu.ctl("fault", 2, "mmio", "gone")
        noticed = wait_for(lambda: GONE_LOG[lab.driver] in cmd("dmesg").stdout, 10)
        ksft_true(noticed, f"the driver logged that the device is gone ('{GONE_LOG[lab.driver]}')")
        resets = lab.emu.count(2, "function-resets")
        slot_power(rp, False)
        ksft_true(wait_for(lambda: vendor(bdf) == "ffff", 10),
                  f"{bdf} reads all ones with its slot off: {vendor(bdf)}")
        ksft_pr(f"slot of {rp} off, {bdf} powered off")
        ksft_true(wait_for(lambda: lab.emu.count(2, "function-resets") > resets, 10),
                  "the emulator's port was reset by the power off")
        t0 = time.monotonic()
        Path(PCI / bdf / "remove").write_text("1\n")
        took = time.monotonic() - t0
        ksft_pr(f"remove of {bdf} took {took:.1f} s")
        ksft_lt(took, 30, "the driver's remove finished in bounded time")
        ksft_eq(Path(f"/sys/class/net/{dev}").exists(), False, f"{dev} is gone")
        ksft_eq(Path(PCI / bdf).exists(), False, f"{bdf} is gone")
    (lab.results / f"hotplug-removal-{lab.driver}.dmesg").write_text("\n".join(lines) + "\n")


def plug_back(lab):
    """The link and the slot's power come back; a rescan finds port 2, the
    driver binds, the port carries traffic again."""
    bdf, rp = getattr(lab, "gone", (None, None))
    ksft_true(bdf, "the removal ran")
    lab.emu.ctl("fault", 2, "clear")
    slot_power(rp, True)
    Path("/sys/bus/pci/rescan").write_text("1\n")
    ksft_true(wait_for(lambda: Path(PCI / bdf).exists() and lab.bound_to(bdf) == "fbnic"
                       and lab.netdev(2), 30),
              f"{bdf} is back and bound to fbnic")
    ksft_eq(vendor(bdf), "1d9b", "the function answers again")
    port2_back(lab, bdf)


def port2_back(lab, bdf):
    """Port 2, function bdf, came back: with its address and link up it
    carries ping and iperf3 to port 3, and pair 0/1 still answers."""
    dev = pair2_up(lab)
    ksft_pr(f"port 2 back as {bdf} {dev}")
    ksft_eq(pings(PAIR2_REMOTE, 10), 10, "ping over the plugged port")
    got = iperf3_pair2(2)
    ksft_pr(f"iperf3 2 -> 3 after the plug: {got} bytes in 2 s")
    ksft_gt(got, 0, "iperf3 over the plugged port")
    ksft_ge(lab.ping(count=5), 5, "pair 0/1 still answers")


def unload_all(lab):
    """Both netns go, the driver unloads and its functions are free."""
    cmd(f"ip netns del {NS2}", fail=False)
    lab.teardown_pair()
    time.sleep(1)
    lab.unload_driver()
    ksft_eq(lab.module_loaded(), False, "fbnic unloaded")
    ksft_eq([lab.bound_to(d) for d in lab.pci_devs()], [None] * lab.ports,
            "no function bound")


def main():
    run([load, up, hot_add, second_pair, surprise_removal, plug_back, unload_all, dmesg_clean],
        Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
