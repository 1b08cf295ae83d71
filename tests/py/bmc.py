#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-emu-args: --bmc 0 --bmc 1=all-multi
"""A BMC sharing port 0, for either driver: the emulator's firmware
reports it (the fbnic-emu-args line above), and the driver keeps its MAC
filters and rules in the classifier, with the host interface up, down
and up again, as the C driver does.

Frames are raw Ethernet (EtherType 0x88b5): port 1 (netns remote) sends
to the BMC's address, and the BMC's own-address counter in the
emulator's "bmc 0 stats" must rise by exactly what was sent; the BMC
sends to port 1 through the control channel, and port 1 must receive
exactly those frames. The host also reaches the BMC without the wire
(the TX TCAM), tells the firmware its addresses (the MAC sync), and
still pings port 1 whenever it is up.

Port 1 has a BMC too, one that wants every multicast frame (the
firmware's BMC_ALL_MULTI): port 0 sends to a group port 1's host did not
join, and port 1's BMC gets the frames, its host none; the host joins the
group, or goes all-multicast, and both get them; with port 1 down the
BMC still does."""

import socket
import time
from contextlib import contextmanager

from lib.py import cmd, ip, ksft_eq, ksft_ge, ksft_in, ksft_pr, ksft_true
from fbnic_lab import NS, PCI, Lab, dmesg_clean, load, read, run, unload, up, wait_for

EXPECTED_FAIL = """
"""

BMC_MAC = "02:00:5e:00:b0:00"
HOST_MAC = "02:00:5e:00:10:00"
ETH_P = 0x88b5
FRAMES = 20


def mac_bytes(mac):
    return bytes(int(b, 16) for b in mac.split(":"))


def frame(dst, src, tag):
    """A 100-byte frame of EtherType ETH_P whose payload starts with tag."""
    body = tag.encode().ljust(86, b".")
    return mac_bytes(dst) + mac_bytes(src) + ETH_P.to_bytes(2, "big") + body


def remote_mac(lab):
    return cmd(f"cat /sys/class/net/{lab.env.remote_ifname}/address", ns=NS).stdout.strip()


def settled(lab, name, want, seconds=5, port=0):
    """The counter name of port's BMC once it reached want (or stopped
    short of it after seconds), read again half a second later so that
    extra frames show."""
    wait_for(lambda: lab.emu.bmc_stats(port)[name] >= want, seconds)
    time.sleep(0.5)
    return lab.emu.bmc_stats(port)[name]


@contextmanager
def host_sockets(lab, from_remote=False):
    """A raw socket that sends on port 0, and one in netns remote that
    receives frames of EtherType ETH_P on port 1 (0.2 s timeout); the
    other way round if from_remote."""
    if from_remote:
        r = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P))
        s = lab.remote_socket(socket.AF_PACKET, socket.SOCK_RAW)
        r_if, s_if = lab.env.ifname, lab.env.remote_ifname
    else:
        r = lab.remote_socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P))
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        r_if, s_if = lab.env.remote_ifname, lab.env.ifname
    try:
        r.bind((r_if, ETH_P))
        r.settimeout(0.2)
        s.bind((s_if, 0))
        yield s, r
    finally:
        r.close()
        s.close()


def send_from_remote(lab, n, tag):
    """Port 1 sends n frames to the BMC's address."""
    s = lab.remote_socket(socket.AF_PACKET, socket.SOCK_RAW)
    try:
        s.bind((lab.env.remote_ifname, 0))
        f = frame(BMC_MAC, remote_mac(lab), tag)
        for _ in range(n):
            s.send(f)
    finally:
        s.close()


def bmc_receives(lab, tag):
    """FRAMES frames from port 1 to the BMC: its own-address counter rises
    by exactly FRAMES."""
    before = lab.emu.bmc_stats(0)["rx-own-frames"]
    send_from_remote(lab, FRAMES, tag)
    got = settled(lab, "rx-own-frames", before + FRAMES) - before
    ksft_eq(got, FRAMES, "frames to the BMC's address that reached it")


def bmc_sends(lab):
    """The BMC sends FRAMES frames to port 1; port 1 receives exactly
    those (source: the BMC)."""
    s = lab.remote_socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P))
    try:
        s.bind((lab.env.remote_ifname, ETH_P))
        s.settimeout(0.2)
        before = lab.emu.bmc_stats(0)["tx-frames"]
        lab.emu.bmc_send(0, remote_mac(lab), FRAMES, 100)
        got, end = 0, time.monotonic() + 5
        while time.monotonic() < end:
            try:
                data = s.recv(2048)
            except socket.timeout:
                if got >= FRAMES:
                    break
                continue
            if data[6:12] == mac_bytes(BMC_MAC):
                got += 1
        ksft_eq(lab.emu.bmc_stats(0)["tx-frames"] - before, FRAMES, "frames the BMC sent")
        ksft_eq(got, FRAMES, "frames from the BMC that port 1 received")
    finally:
        s.close()


def host_ping(lab):
    ksft_eq(lab.ping(count=3), 3, "echo replies from port 1")


# The cases, in order.

def bmc_reported(lab):
    """The emulator has a BMC on port 0 and nothing reached it yet."""
    stats = lab.emu.bmc_stats(0)
    ksft_pr(stats)
    ksft_eq(stats["mac"], [BMC_MAC])


def host_mac_sync(lab):
    """With the host up, the driver tells the firmware its unicast
    address and that it takes broadcast (RPC_MAC_SYNC_REQ)."""
    ok = wait_for(lambda: HOST_MAC in lab.emu.bmc_stats(0)["host-uc"], 10)
    stats = lab.emu.bmc_stats(0)
    ksft_pr(f"syncs {stats['syncs']} host-uc {stats['host-uc']} "
            f"host-mc {stats['host-mc']} host-flags {stats['host-flags']}")
    ksft_true(ok, "the host's address in the firmware's last MAC sync")
    ksft_in("broadcast", stats["host-flags"])
    ksft_ge(stats["syncs"], 1)


def bmc_rx_host_up(lab):
    bmc_receives(lab, "host up")


def bmc_tx_host_up(lab):
    bmc_sends(lab)


def host_traffic_up(lab):
    host_ping(lab)


def host_to_bmc(lab):
    """Port 0's host sends FRAMES frames to the BMC and as many to port 1:
    the TX TCAM hands the first to the BMC, and only the others reach
    port 1."""
    with host_sockets(lab) as (s, r):
        before = lab.emu.bmc_stats(0)["rx-host-frames"]
        # As many to port 1, which must see those (and only those).
        peer = remote_mac(lab)
        for dst in (BMC_MAC, peer):
            f = frame(dst, HOST_MAC, "from the host")
            for _ in range(FRAMES):
                s.send(f)
        got = settled(lab, "rx-host-frames", before + FRAMES) - before
        on_wire, end = {BMC_MAC: 0, peer: 0}, time.monotonic() + 2
        while time.monotonic() < end:
            try:
                data = r.recv(2048)
            except socket.timeout:
                continue
            dst = ":".join(f"{b:02x}" for b in data[:6])
            if dst in on_wire and data[6:12] == mac_bytes(HOST_MAC):
                on_wire[dst] += 1
        ksft_eq(got, FRAMES, "host frames the BMC received")
        ksft_eq(on_wire[peer], FRAMES, "host frames to port 1 seen on the wire")
        ksft_eq(on_wire[BMC_MAC], 0, "host frames to the BMC seen on the wire")


def host_down(lab):
    ip(f"link set {lab.env.ifname} down")
    ksft_eq(read(f"/sys/class/net/{lab.env.ifname}/operstate"), "down")


def bmc_rx_host_down(lab):
    bmc_receives(lab, "host down")


def bmc_tx_host_down(lab):
    bmc_sends(lab)


def host_up_again(lab):
    ip(f"link set {lab.env.ifname} up")
    ok = wait_for(lambda: read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1", 20)
    ksft_true(ok, "carrier within 20 s")


def bmc_rx_host_up_again(lab):
    bmc_receives(lab, "host up again")


def bmc_tx_host_up_again(lab):
    bmc_sends(lab)


def host_traffic_up_again(lab):
    host_ping(lab)


# Port 1's BMC, which wants every multicast frame.

GROUP = "01:00:5e:7f:00:42"


def group_frames(lab, host_up=True):
    """Port 0 sends FRAMES frames to GROUP; returns how many port 1's host
    (a packet socket in netns remote; None if not host_up) and port 1's
    BMC (the emulator's count of group frames of EtherType ETH_P)
    received."""
    with host_sockets(lab) as (s, r):
        before = lab.emu.bmc_stats(1)["rx-group-test-frames"]
        f = frame(GROUP, HOST_MAC, "to the group")
        for _ in range(FRAMES):
            s.send(f)
        bmc = settled(lab, "rx-group-test-frames", before + FRAMES, port=1) - before
        if not host_up:
            return None, bmc
        host, end = 0, time.monotonic() + 2
        while time.monotonic() < end:
            try:
                data = r.recv(2048)
            except socket.timeout:
                continue
            if data[:6] == mac_bytes(GROUP):
                host += 1
        return host, bmc


def bmc1_all_multi_reported(lab):
    """The emulator's firmware reports port 1's BMC as all-multicast."""
    ksft_eq(lab.emu.bmc_stats(1)["all-multi"], 1)


def bmc1_gets_unjoined_group(lab):
    """A group port 1's host did not join: its BMC gets every frame, its
    host none."""
    host, bmc = group_frames(lab)
    ksft_eq(bmc, FRAMES, "group frames port 1's BMC received")
    ksft_eq(host, 0, "group frames port 1's host received")


@contextmanager
def remote_ip(lab, do, undo):
    """Runs "ip do" for port 1 in netns remote, then "ip undo" on the way
    out; "{dev}" in either is port 1's name."""
    dev = lab.env.remote_ifname
    ip(do.format(dev=dev), ns=NS)
    try:
        yield
    finally:
        ip(undo.format(dev=dev), ns=NS)


def bmc1_host_joins_group(lab):
    """Port 1's host joins the group: host and BMC both get every frame."""
    with remote_ip(lab, f"maddr add {GROUP} dev {{dev}}", f"maddr del {GROUP} dev {{dev}}"):
        host, bmc = group_frames(lab)
    ksft_eq(bmc, FRAMES, "group frames port 1's BMC received")
    ksft_eq(host, FRAMES, "group frames port 1's host received")


def bmc1_host_allmulti(lab):
    """Port 1's host goes all-multicast: both get every frame, and the
    firmware hears of it; back off, the host gets none again."""
    with remote_ip(lab, "link set {dev} allmulticast on", "link set {dev} allmulticast off"):
        synced = wait_for(lambda: "allmulti" in lab.emu.bmc_stats(1)["host-flags"], 10)
        host, bmc = group_frames(lab)
    ksft_true(synced, "all-multicast in the firmware's last MAC sync for port 1")
    ksft_eq(bmc, FRAMES, "group frames port 1's BMC received")
    ksft_eq(host, FRAMES, "group frames port 1's host received")
    host, bmc = group_frames(lab)
    ksft_eq(bmc, FRAMES, "group frames port 1's BMC received, all-multicast off")
    ksft_eq(host, 0, "group frames port 1's host received, all-multicast off")


def bmc1_host_down(lab):
    """Port 1 down: its BMC still gets the group's frames."""
    with remote_ip(lab, "link set {dev} down", "link set {dev} up"):
        _, bmc = group_frames(lab, host_up=False)
    ksft_eq(bmc, FRAMES, "group frames port 1's BMC received, port 1 down")


def host_broadcasts(lab):
    """Port 1 sends FRAMES broadcast frames of EtherType ETH_P: how many
    port 0's host received (a packet socket on port 0)."""
    with host_sockets(lab, from_remote=True) as (s, r):
        f = frame("ff:ff:ff:ff:ff:ff", remote_mac(lab), "broadcast")
        for _ in range(FRAMES):
            s.send(f)
        got, end = 0, time.monotonic() + 2
        while time.monotonic() < end:
            try:
                data = r.recv(2048)
            except socket.timeout:
                continue
            if data[:6] == b"\xff" * 6 and data[6:12] == mac_bytes(remote_mac(lab)):
                got += 1
        return got


def bmc_after_function_reset(lab):
    """A function reset of port 0 with its interface up (reset_prepare and
    reset_done): the BMC's entries come back with the host's, so the BMC
    gets its frames, the host broadcast, and ping works."""
    lab.require("rust", "the C driver has no reset_prepare/reset_done")
    before = lab.emu.count(0, "function-resets")
    (PCI / lab.pci_devs()[0] / "reset").write_text("1")
    ksft_eq(lab.emu.count(0, "function-resets"), before + 1, "the emulator reset the function")
    ok = wait_for(lambda: read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1", 20)
    ksft_true(ok, "carrier within 20 s of the reset")
    bmc_receives(lab, "after a function reset")
    ksft_eq(host_broadcasts(lab), FRAMES, "broadcast frames port 0's host received")
    host_ping(lab)


def main():
    lab = Lab()
    run([load, bmc_reported, up, host_mac_sync, bmc_rx_host_up, bmc_tx_host_up,
         host_traffic_up, host_to_bmc, host_down, bmc_rx_host_down, bmc_tx_host_down,
         host_up_again, bmc_rx_host_up_again, bmc_tx_host_up_again, host_traffic_up_again,
         bmc1_all_multi_reported, bmc1_gets_unjoined_group, bmc1_host_joins_group,
         bmc1_host_allmulti, bmc1_host_down, bmc_after_function_reset, unload, dmesg_clean], lab, EXPECTED_FAIL)


if __name__ == "__main__":
    main()
