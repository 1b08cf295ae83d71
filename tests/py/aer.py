#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-root-ports
"""PCI error recovery (AER), for either driver.

The VM puts each fbnic function behind a PCIe root port of its own
(scripts/vm-run.sh --root-ports, asked for by the line above; QEMU ids
fbnic-rp0, fbnic-rp1), where the guest's AER service driver attaches. An
error is injected at port 0's root port with QEMU's monitor command
pcie_aer_inject_error, which the test reaches through the emulator's
control channel ("monitor ...", relayed to QEMU's QMP socket). The root
port raises its AER interrupt; for an uncorrectable error the kernel's
AER core runs pcie_do_recovery() over the devices below the port: the
driver's error_detected (both drivers suspend and ask for a reset), the
port's secondary bus reset (which the emulator sees as a function reset),
the driver's slot_reset (restore, start again) and resume (attach).

Each check is measured: the kernel's AER counters of the root port, its
log ("device recovery successful"), the recovery uevents the PCI core
sends for the fbnic function with the driver's vote (BEGIN_RECOVERY for
error_detected's "need reset", SUCCESSFUL_RECOVERY after resume), the
emulator's function and mailbox resets, and then the interface as it was
(MAC, MTU, rings, RSS, flow rule), carrying ping and iperf3 traffic; with
the interface down, it stays down until brought up. A correctable error
is logged and counted but must not disturb traffic."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

from lib.py import cmd, ksft_eq, ksft_ge, ksft_pr, ksft_true
from fbnic_lab import PCI, Lab, dmesg_clean, read, run, wait_for
from lifecycle import check_back, configure, counters, down_across, emu_status, snapshot, \
    with_layout

EXPECTED_FAIL = """
"""

NETLINK_KOBJECT_UEVENT = 15


def root_port(lab, port):
    """The PCI address of the bridge above port's fbnic function."""
    return Path(os.path.realpath(PCI / lab.pci_devs()[port])).parent.name


def aer_count(bdf, kind):
    """The root port's count of error messages of kind (cor, nonfatal,
    fatal) it received (sysfs aer_rootport_total_err_*)."""
    return int(read(PCI / bdf / f"aer_rootport_total_err_{kind}", "-1"))


class Uevents:
    """The kernel's uevents from now on (NETLINK_KOBJECT_UEVENT)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM,
                                  NETLINK_KOBJECT_UEVENT)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((0, 1))
        self.sock.settimeout(0.2)
        self.events = []

    def error_events(self, bdf, seconds=0.0):
        """The ERROR_EVENT values of the uevents of PCI function bdf so
        far, reading for seconds more."""
        end = time.monotonic() + seconds
        while True:
            try:
                msg = self.sock.recv(65536)
                fields = msg.split(b"\0")
                env = dict(f.decode(errors="replace").split("=", 1)
                           for f in fields[1:] if b"=" in f)
                self.events.append(env)
            except socket.timeout:
                if time.monotonic() >= end:
                    break
        return [e["ERROR_EVENT"] for e in self.events
                if e.get("DEVPATH", "").endswith("/" + bdf) and "ERROR_EVENT" in e]

    def close(self):
        self.sock.close()


def inject(lab, port, error, correctable=False):
    """QEMU injects error (a name of pcie_aer_inject_error) at port's root
    port, fbnic-rpN; the monitor's answer must say it did."""
    words = ["monitor", "pcie_aer_inject_error"] + (["-c"] if correctable else []) + \
        [f"fbnic-rp{port}", error]
    answer = lab.emu.ctl(*words)
    ksft_true(" OK id: fbnic-rp" in f" {answer}", f"QEMU injected {error}: {answer}")


def new_dmesg(before):
    return cmd("dmesg").stdout.splitlines()[before:]


def root_ports_with_aer(lab):
    """Each fbnic function sits behind a root port bound to pcieport, with
    the AER service on (its error counters in sysfs)."""
    devs = lab.pci_devs()
    ksft_eq(len(devs), lab.ports, "fbnic functions")
    for port in range(lab.ports):
        rp = root_port(lab, port)
        ksft_true(re.fullmatch(r"0000:00:[0-9a-f]{2}\.0", rp),
                  f"port {port} ({devs[port]}) is behind a root-bus bridge: {rp}")
        ksft_eq(read(PCI / rp / "class"), "0x060400", f"{rp} is a PCI bridge")
        ksft_eq(Lab.bound_to(rp), "pcieport", f"{rp} bound to pcieport")
        ksft_ge(aer_count(rp, "cor"), 0, f"{rp} has the AER service (error counters)")
        ksft_pr(f"port {port}: {devs[port]} behind root port {rp}")


def correctable_no_disruption(lab):
    """A correctable error (Bad TLP) at port 0's root port while ping runs:
    counted and logged by the AER core, no recovery (no uevent, no reset
    in the emulator), no packet lost, the carrier never dropped."""
    def body(lab):
        dev = lab.env.ifname
        rp = root_port(lab, 0)
        cor = aer_count(rp, "cor")
        changes = read(f"/sys/class/net/{dev}/carrier_changes")
        emu = emu_status(lab, 0)
        resets = emu["function_resets"]
        before = len(cmd("dmesg").stdout.splitlines())
        events = Uevents()
        try:
            ping = subprocess.Popen(
                ["ping", "-q", "-c", "40", "-i", "0.1", "-W", "2", lab.env.remote_addr_v["4"]],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            time.sleep(1)
            # -c takes the status as a number: bit 6, Bad TLP.
            inject(lab, 0, "0x40", correctable=True)
            out = ping.communicate(timeout=60)[0]
            ksft_true(wait_for(lambda: aer_count(rp, "cor") == cor + 1, 5),
                      f"{rp} counted one correctable error: {cor} -> {aer_count(rp, 'cor')}")
            got = events.error_events(lab.pci_devs()[0], seconds=0.5)
        finally:
            events.close()
        ksft_eq(got, [], "no recovery uevent for the function")
        lines = new_dmesg(before)
        ksft_true(any(re.search(r"\bCorrectable Error message received", l) for l in lines),
                  "the AER core logged the correctable error:\n" + "\n".join(lines))
        ksft_eq([l for l in lines if "recovery" in l], [], "no recovery run")
        m = re.search(r"40 packets transmitted, (\d+) received", out)
        ksft_eq(int(m.group(1)) if m else 0, 40, f"no ping lost across the error\n{out}")
        ksft_eq(read(f"/sys/class/net/{dev}/carrier_changes"), changes, "carrier never dropped")
        after = emu_status(lab, 0)
        ksft_eq(after["function_resets"], resets, "the emulator saw no reset")
        ksft_eq(after["mailbox_resets"], emu["mailbox_resets"], "nor a mailbox reset")
    with_layout(lab, body)


def recover(lab, error, kind):
    """An uncorrectable error of kind (nonfatal, fatal) at port 0's root
    port with port 0 up and reconfigured: the AER core's recovery through
    the driver's error_detected, slot_reset and resume, after which the
    interface is as it was and carries traffic."""
    def body(lab):
        dev = lab.env.ifname
        configure(lab)
        ksft_eq(lab.ping(count=3), 3, "ping before the error")
        before = snapshot(lab, dev)
        stats = counters(dev)
        emu = emu_status(lab, 0)
        inject_and_recover(lab, error, kind, emu)
        check_back(lab, before, stats, emu, f"after the {kind} error")
    with_layout(lab, body)


def inject_and_recover(lab, error, kind, emu):
    """Injects error (of kind nonfatal or fatal) at port 0's root port;
    checks that the AER core counted, logged and recovered it through the
    driver (emu: port 0's emulator status before)."""
    bdf = lab.pci_devs()[0]
    rp = root_port(lab, 0)
    other = emu_status(lab, 1)["function_resets"]
    count = aer_count(rp, kind)
    dmesg_before = len(cmd("dmesg").stdout.splitlines())
    events = Uevents()
    try:
        inject(lab, 0, error)
        done = wait_for(lambda: any("device recovery" in l for l in new_dmesg(dmesg_before)), 30)
        got = events.error_events(bdf, seconds=1)
    finally:
        events.close()
    lines = new_dmesg(dmesg_before)
    ksft_pr("\n".join(lines))
    ksft_true(done, "the AER core ran a recovery")
    ksft_eq(aer_count(rp, kind), count + 1, f"{rp} counted one {kind} error")
    severity = "Fatal" if kind == "fatal" else "Non-Fatal"
    ksft_true(any(f"Uncorrectable ({severity}) Error message received" in l for l in lines),
              f"the AER core logged an uncorrectable ({severity}) error")
    ksft_true(any(rp in l and "device recovery successful" in l for l in lines),
              "device recovery successful")
    # The PCI core's uevents for the function: BEGIN_RECOVERY with
    # error_detected's vote, SUCCESSFUL_RECOVERY after resume.
    ksft_eq(got, ["BEGIN_RECOVERY", "SUCCESSFUL_RECOVERY"], f"recovery uevents of {bdf}")
    # A non-fatal error resets the port's bus only if a driver below asked
    # for it: error_detected's "need reset".
    ksft_eq(emu_status(lab, 0)["function_resets"], emu["function_resets"] + 1,
            "the emulator saw the root port's bus reset")
    ksft_eq(emu_status(lab, 1)["function_resets"], other, "port 1 was not reset")
    ksft_eq(lab.bound_to(bdf), "fbnic", "still bound")
    if lab.driver == "rust":
        # The Rust driver logs its error_detected and its resume (C's
        # handlers log nothing).
        channel = "Frozen" if kind == "fatal" else "Normal"
        ksft_true(any(f"{bdf}: PCI error detected, channel {channel}" in l for l in lines),
                  f"error_detected logged, channel {channel}")
        ksft_true(any(f"{bdf}: recovered from the PCI error" in l for l in lines),
                  "resume logged")


def nonfatal_recovery(lab):
    """An uncorrectable non-fatal error (UNSUP, an unsupported request):
    the driver asks for a reset, and the port comes back as it was."""
    recover(lab, "UNSUP", "nonfatal")


def fatal_recovery(lab):
    """An uncorrectable fatal error (MALF_TLP, a malformed TLP): the link
    is frozen, the port reset, and the port comes back as it was."""
    recover(lab, "MALF_TLP", "fatal")


def fatal_recovery_down(lab):
    """A fatal error with port 0 down: recovered, the interface still
    down and the NIC not owned, the mailbox up again; brought up
    afterwards, it carries traffic."""
    down_across(lab, lambda emu: inject_and_recover(lab, "MALF_TLP", "fatal", emu),
                "the recovery")


def main():
    run([root_ports_with_aer, correctable_no_disruption, nonfatal_recovery, fatal_recovery,
         fatal_recovery_down, dmesg_clean], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
