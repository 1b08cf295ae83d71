#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
"""Load/unload cycles, with and without traffic, system sleep, a function
reset, and what each driver leaves behind for the emulator, for either
driver: every cycle must bind both ports and unload cleanly, a sleep or a
reset must bring back the state the interface had, and at the end
kmemleak must not report an object allocated through fbnic, nor dmesg a
warning.

The last case, shutdown_armed, leaves the driver bound with both ports up
and traffic flowing: the guest's reboot then runs the driver's shutdown.
tests/run.sh checks, from the host, what the emulator logged when QEMU
went: the mailbox down and no queue left enabled."""

import re
import subprocess
import time
from pathlib import Path

from lib.py import KsftSkipEx, cmd, ip, ksft_eq, ksft_ge, ksft_gt, ksft_pr, ksft_true
from fbnic_lab import NS, PCI, Lab, dmesg_clean, module_gone, no_leak, read, run, \
    wait_for

EXPECTED_FAIL = """
"""


def load_unload_20(lab):
    """20 plain cycles: load (probe both ports, netdevs registered), unload."""
    lab.cycles(20, netdevs=True)


def traffic_cycles_3(lab):
    """3 cycles with the ports up and a ping across before each unload."""
    for i in range(1, 4):
        lab.load_driver()
        env = lab.setup_pair()
        ping = cmd(f"ping -c 2 -W 3 -q {env.remote_addr_v['4']}", fail=False)
        ksft_eq(ping.ret, 0, f"cycle {i}: ping across the ports\n{ping.stdout}")
        lab.teardown_pair()
        lab.unload_driver()
        ksft_eq(lab.module_loaded(), False, f"cycle {i}: unloaded with the ports up")
    ksft_pr("3 cycles")


# System sleep, function reset.

# What port 0 is set to before a sleep or reset, everything away from its
# default, so that a resume that forgot something shows.
MAC = "02:00:00:00:0f:01"
MTU = 4000


def sleep_state():
    """The state to test system sleep with: mem if the kernel offers it,
    else freeze (suspend to idle)."""
    offered = (read("/sys/power/state") or "").split()
    for state in ("mem", "freeze"):
        if state in offered:
            return state
    raise KsftSkipEx(f"no system sleep state in /sys/power/state: {offered}")


def system_sleep(lab):
    """A system sleep with the devices suspended and resumed
    (pm_test=devices: the kernel suspends them, waits 5 s, resumes them);
    returns the dmesg lines it added."""
    state = sleep_state()
    before = len(cmd("dmesg").stdout.splitlines())
    Path("/sys/power/pm_test").write_text("devices")
    try:
        t0 = time.monotonic()
        Path("/sys/power/state").write_text(state)
        ksft_pr(f"echo {state} > /sys/power/state: back after {time.monotonic() - t0:.1f} s")
    finally:
        Path("/sys/power/pm_test").write_text("none")
    return cmd("dmesg").stdout.splitlines()[before:]


def configure(lab):
    """Port 0 away from its defaults: MAC address, MTU, ring sizes, RSS
    weights, a flow rule."""
    dev = lab.env.ifname
    ip(f"link set {dev} address {MAC}")
    ip(f"link set {dev} mtu {MTU}")
    cmd(f"ethtool -G {dev} rx 512 tx 512")
    cmd(f"ethtool -X {dev} weight 1 3")
    out = cmd(f"ethtool -N {dev} flow-type tcp4 dst-port 5999 action 1").stdout
    ksft_true(re.search(r"Added rule with ID \d+", out), f"rule added: {out}")


def snapshot(lab, dev):
    """What must survive a sleep or reset, as the tools show it."""
    link = cmd(f"ip -d link show {dev}").stdout
    return {
        "address": re.search(r"link/ether (\S+)", link).group(1),
        "mtu": int(re.search(r"\bmtu (\d+)", link).group(1)),
        "flags": re.search(r"<([^>]*)>", link).group(1),
        "rings": cmd(f"ethtool -g {dev}").stdout,
        "channels": cmd(f"ethtool -l {dev}").stdout,
        "indir": cmd(f"ethtool -x {dev}").stdout,
        "rules": cmd(f"ethtool -n {dev}").stdout,
    }


def counters(dev):
    """The interface's packet counters (rtnl stats64)."""
    stats = {}
    for name in ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes"):
        stats[name] = int(read(f"/sys/class/net/{dev}/statistics/{name}"))
    return stats


def carrier_both(lab, seconds=15):
    return wait_for(lambda: read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1" and
                    cmd(f"cat /sys/class/net/{lab.env.remote_ifname}/carrier", ns=NS,
                        fail=False).stdout.strip() == "1", seconds)


def emu_status(lab, port):
    """The emulator's view of port: mailbox up and how often the host
    reset it, host ownership."""
    answer = lab.emu.request("status", port)
    return {
        "function_resets": lab.emu.count(port, "function-resets"),
        "mailbox_up": lab.emu.count(port, "mailbox-up"),
        "mailbox_resets": lab.emu.count(port, "mailbox-resets"),
        "owner": " host owner " in f" {answer} ",
    }


def check_back(lab, before, stats, emu_before, what):
    """After a sleep or reset of port 0's function: the same state, link,
    traffic both ways, counters that went on from where they were, the
    mailbox brought down and up again."""
    dev = lab.env.ifname
    ksft_true(carrier_both(lab), f"{what}: carrier on both ports again")
    after = snapshot(lab, dev)
    for key in before:
        ksft_eq(after[key], before[key], f"{what}: {key} kept")
    got = lab.ping(count=5)
    ksft_eq(got, 5, f"{what}: ping replies")
    ksft_eq(lab.ping(count=3, remote=True), 3, f"{what}: ping from the remote port")
    ksft_gt(lab.iperf3(seconds=2), 1_000_000, f"{what}: iperf3 bytes")
    now = counters(dev)
    for name, value in stats.items():
        ksft_ge(now[name], value, f"{what}: {name} went on counting")
        ksft_true(now[name] - value < 10**9, f"{what}: {name} sane: {value} -> {now[name]}")
    emu = emu_status(lab, 0)
    ksft_gt(emu["mailbox_resets"], emu_before["mailbox_resets"],
            f"{what}: the emulator saw the host reset its mailbox")
    ksft_eq(emu["mailbox_up"], 1, f"{what}: mailbox up again")
    ksft_eq(emu["owner"], True, f"{what}: the host owns the NIC again")


def with_layout(lab, body):
    """Runs body(lab) with the driver loaded and the two-port layout up,
    then takes everything down again."""
    lab.load_driver()
    try:
        lab.setup_pair()
        body(lab)
    finally:
        lab.teardown_pair()
        lab.unload_driver()
    ksft_eq(lab.module_loaded(), False, "unloaded afterwards")


def suspend_resume_up(lab):
    """System sleep with both ports up and port 0 reconfigured: the same
    link, address, MTU, rings, RSS and flow rules after it, traffic both
    ways, counters going on, the emulator's mailbox down and up again."""
    def body(lab):
        configure(lab)
        ksft_eq(lab.ping(count=3), 3, "ping before the sleep")
        before = snapshot(lab, lab.env.ifname)
        stats = counters(lab.env.ifname)
        emu = emu_status(lab, 0)
        ksft_eq(emu["owner"], True, "the host owns the NIC before the sleep")
        lines = system_sleep(lab)
        ksft_true(any(re.search(r"PM: suspend (exit|debug)|pm_test|resume", l, re.I)
                      for l in lines), "the kernel logged the sleep")
        check_back(lab, before, stats, emu, "after the sleep")
    with_layout(lab, body)


def suspend_resume_down(lab):
    """System sleep with port 0 down: it stays down (and the NIC not
    owned), the mailbox went down and up; brought up afterwards it
    carries traffic."""
    down_across(lab, lambda emu: system_sleep(lab), "the sleep")


def down_across(lab, event, what):
    """With the layout up and port 0 down, event(emu) (emu: port 0's
    emulator status before it): port 0 stays down (and the NIC not
    owned), the mailbox went down and up; brought up afterwards it carries
    traffic. Also the aer suite's."""
    def body(lab):
        dev = lab.env.ifname
        ip(f"link set {dev} down")
        emu = emu_status(lab, 0)
        ksft_eq(emu["owner"], False, "not owned while down")
        event(emu)
        link = cmd(f"ip link show {dev}").stdout
        ksft_eq(re.search(r"<([^>]*)>", link).group(1).split(",").count("UP"), 0,
                f"still down after {what}")
        after = emu_status(lab, 0)
        ksft_gt(after["mailbox_resets"], emu["mailbox_resets"],
                "the emulator saw the host reset its mailbox")
        ksft_eq(after["mailbox_up"], 1, "mailbox up again")
        ksft_eq(after["owner"], False, "still not owned")
        ip(f"link set {dev} up")
        ksft_true(carrier_both(lab), "carrier once up")
        ksft_eq(lab.ping(count=3), 3, "ping once up")
    with_layout(lab, body)


def reset_file(lab):
    bdf = lab.pci_devs()[0]
    f = PCI / bdf / "reset"
    if not f.exists():
        methods = read(PCI / bdf / "reset_method")
        raise KsftSkipEx(f"{bdf} has no function reset (reset_method: {methods})")
    ksft_pr(f"{bdf} reset methods: {read(PCI / bdf / 'reset_method')}")
    return f


def reset_unbound(lab):
    """A function reset with no driver bound, then a load: the emulator
    resets the function, and what it leaves probes and carries traffic
    (both drivers)."""
    f = reset_file(lab)
    emu = emu_status(lab, 0)
    f.write_text("1")
    ksft_eq(emu_status(lab, 0)["function_resets"], emu["function_resets"] + 1,
            "the emulator reset the function")

    def body(lab):
        ksft_eq(lab.ping(count=3), 3, "ping after the reset and a load")
        ksft_eq(emu_status(lab, 0)["mailbox_up"], 1, "mailbox up")
    with_layout(lab, body)


def reset_bound(lab):
    """A function reset with the driver bound and port 0 up and
    reconfigured (reset_prepare/reset_done): the same state after it,
    traffic both ways, counters going on."""
    lab.require("rust", "the C driver has no reset_prepare/reset_done (its "
                        "fbnic_err_handler: error_detected, slot_reset, resume)")
    f = reset_file(lab)

    def body(lab):
        configure(lab)
        before = snapshot(lab, lab.env.ifname)
        stats = counters(lab.env.ifname)
        emu = emu_status(lab, 0)
        f.write_text("1")
        ksft_eq(emu_status(lab, 0)["function_resets"], emu["function_resets"] + 1,
                "the emulator reset the function")
        check_back(lab, before, stats, emu, "after the reset")
    with_layout(lab, body)


def shutdown_armed(lab):
    """Leaves the driver bound, both ports up and a flow running for the
    guest's reboot, whose shutdown callback tests/run.sh checks from the
    emulator's log."""
    lab.load_driver()
    env = lab.setup_pair()
    ksft_eq(lab.ping(count=3), 3, "ping before the shutdown")
    subprocess.Popen(["ping", "-q", "-i", "0.2", env.remote_addr_v["4"]],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    emu = emu_status(lab, 0)
    ksft_eq(emu["mailbox_up"], 1, "mailbox up before the shutdown")
    ksft_gt(lab.emu.count(0, "tx-queues-on"), 0, "queues enabled before the shutdown")


def main():
    run([load_unload_20, traffic_cycles_3, suspend_resume_up, suspend_resume_down,
         reset_unbound, reset_bound, module_gone, no_leak, dmesg_clean, shutdown_armed],
        Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
