#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-quick: rust
"""XDP beyond the kernel's xdp.py selftest: a program on port 0 that
redirects every frame to a veth (XDP_REDIRECT, sent by the veth's
ndo_xdp_xmit); the veth's peer, in netns "fwd", must receive what netns
remote sent to port 0, and port 0's own stack nothing of it. The other
way round, a program on the veth redirects every frame to port 0
(XDP_REDIRECT, sent by port 0's ndo_xdp_xmit): what netns fwd sends into
the veth pair must come out of port 0, to netns remote. The programs are
four BPF instructions loaded with the bpf() system call (the lab has no
compiler for BPF): r1 = target ifindex, r2 = 0, call bpf_redirect, exit."""

import ctypes
import json
import os
import re
import struct

from lib.py import KsftSkipEx, bpftool, cmd, defer, ip, ksft_eq, ksft_ge, ksft_in, ksft_pr
from fbnic_lab import LOCAL_V4, NS, REMOTE_V4, Lab, dmesg_clean, load, read, run, unload, up, \
    wait_for

# What each driver cannot do, with the reason.
EXPECTED_FAIL = """
c xdp-redirect the C driver (7.3) treats XDP_REDIRECT as an exception and drops the frame
c xdp-xmit the C driver (7.3) has no ndo_xdp_xmit: frames redirected to it are dropped
"""

FWD = "fwd"
VETH, PEER = "xfwd0", "xfwd1"
# The veth's peer in netns fwd, in the lab's subnet (no one there has it).
FWD_V4 = "192.0.3.9"

# bpf(2): the command, the program type, x86-64's system call number.
BPF_PROG_LOAD = 5
BPF_PROG_TYPE_XDP = 6
SYS_BPF = 321
BPF_FUNC_REDIRECT = 23


def insn(code, dst=0, src=0, off=0, imm=0):
    """One struct bpf_insn."""
    return struct.pack("<BBhi", code, dst | (src << 4), off, imm)


def load_redirect(ifindex, name=b"fbnic_redir"):
    """Loads an XDP program that redirects every frame to ifindex; returns
    its file descriptor."""
    prog = b"".join([
        insn(0xb7, dst=1, imm=ifindex),      # r1 = ifindex (mov64 imm)
        insn(0xb7, dst=2, imm=0),            # r2 = 0 (flags)
        insn(0x85, imm=BPF_FUNC_REDIRECT),   # call bpf_redirect
        insn(0x95),                          # exit (r0: XDP_REDIRECT)
    ])
    insns = ctypes.create_string_buffer(prog, len(prog))
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(4096)
    attr = ctypes.create_string_buffer(128)
    struct.pack_into("<IIQQIIQ", attr, 0, BPF_PROG_TYPE_XDP, len(prog) // 8,
                     ctypes.addressof(insns), ctypes.addressof(lic), 1, len(log),
                     ctypes.addressof(log))
    attr[48:48 + len(name)] = name
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, attr, ctypes.c_uint(128))
    if fd < 0:
        raise Exception(f"BPF_PROG_LOAD: {os.strerror(ctypes.get_errno())}: "
                        f"{log.value.decode(errors='replace')}")
    return fd


def rx_packets(dev, ns=None):
    pre = f"ip netns exec {ns} " if ns else ""
    return int(cmd(f"{pre}cat /sys/class/net/{dev}/statistics/rx_packets", shell=True).stdout)


def attach_redirect(dev, target, name):
    """Attaches a program redirecting every frame to device target (same
    netns) to dev, in driver mode, removed again at the case's end."""
    fd = load_redirect(int(read(f"/sys/class/net/{target}/ifindex")), name=name.encode())
    try:
        progs = bpftool("prog show", json=True)
        ids = [p["id"] for p in progs if p.get("name") == name]
        if not ids:
            raise KsftSkipEx("the loaded program is not listed by bpftool")
        bpftool(f"net attach xdpdrv id {ids[-1]} dev {dev}")
    finally:
        os.close(fd)
    defer(ip, f"link set dev {dev} xdpdrv off")
    attached = json.loads(ip(f"-j -d link show {dev}").stdout)[0]
    ksft_eq(attached.get("xdp", {}).get("mode"), 1, f"attached to {dev} in driver mode (xdpdrv)")


def xdp_tx_sent(ifname):
    """The sum of the xdp_tx_queue_<n>_packets counters of ethtool -S."""
    out = cmd(f"ethtool -S {ifname}").stdout
    return sum(int(line.split(":")[1]) for line in out.splitlines()
               if line.strip().startswith("xdp_tx_queue_") and "_packets:" in line)


def icmp_in_echos(host):
    """Echo requests the stack of host (a netns) received so far
    (/proc/net/snmp, Icmp InEchos)."""
    rows = [line.split() for line in cmd("cat /proc/net/snmp", host=host).stdout.splitlines()
            if line.startswith("Icmp:")]
    return int(rows[1][rows[0].index("InEchos")])


def xdp_xmit(lab):
    """A program on a veth redirects every frame it receives to port 0,
    whose ndo_xdp_xmit sends it on its XDP TX queues: echo requests that
    netns fwd sends into the veth pair, to the remote port's address and
    MAC, reach netns remote's stack (full-size ones and ones shorter than
    the Ethernet minimum, which the driver pads), and port 0's
    xdp_tx_queue counters count them; again with one queue (every CPU on
    the one XDP TX ring), after a channel change that stopped and
    restarted the datapath under the redirecting veth."""
    ifname, remote = lab.env.ifname, lab.env.remote
    ifindex = int(read(f"/sys/class/net/{ifname}/ifindex"))
    features = lab.netdevnl.dev_get({"ifindex": ifindex}).get("xdp-features", [])
    ksft_pr(f"{ifname} xdp-features: {sorted(features)}")
    ksft_in("ndo-xmit", features, "ndo-xmit advertised (the core redirects to it only then)")
    ip(f"netns add {FWD}")
    defer(ip, f"netns del {FWD}")
    ip(f"link add {VETH} type veth peer name {PEER} netns {FWD}")
    defer(ip, f"link del {VETH}")
    ip(f"link set {VETH} up")
    ip(f"link set {PEER} up", ns=FWD)
    ip(f"addr add {FWD_V4}/24 dev {PEER}", ns=FWD)
    rmac = json.loads(ip(f"-j link show {lab.env.remote_ifname}", ns=NS).stdout)[0]["address"]
    ip(f"neigh replace {REMOTE_V4} lladdr {rmac} dev {PEER} nud permanent", ns=FWD)
    attach_redirect(VETH, ifname, "fbnic_to_port0")

    combined = int(re.findall(r"^Combined:\s*(\d+)", cmd(f"ethtool -l {ifname}").stdout,
                              re.M)[-1])
    for what in ("as set up", "combined 1"):
        if what != "as set up":
            cmd(f"ethtool -L {ifname} {what}")
            defer(cmd, f"ethtool -L {ifname} combined {combined}")
            wait_for(lambda: read(f"/sys/class/net/{ifname}/carrier") == "1", 20)
        for size, count in ((56, 50), (0, 20)):
            echos0, sent0 = icmp_in_echos(remote), xdp_tx_sent(ifname)
            runts0 = lab.emu.count(0, "tx-runts")
            # No reply comes back (remote cannot resolve fwd's address):
            # only the requests count.
            cmd(f"ip netns exec {FWD} ping -c {count} -s {size} -i 0.02 -W 1 {REMOTE_V4}",
                shell=True, fail=False)
            # Sent frames are counted at their completion.
            wait_for(lambda: xdp_tx_sent(ifname) - sent0 >= count, 3)
            echos, sent = icmp_in_echos(remote) - echos0, xdp_tx_sent(ifname) - sent0
            ksft_pr(f"{what}, {size}-byte pings: remote received {echos} of {count} echo "
                    f"requests, {ifname} xdp_tx_queue_*_packets +{sent}")
            ksft_ge(echos, count, f"{what}: {size}-byte echo requests received by netns remote")
            ksft_ge(sent, count, f"{what}: {size}-byte frames in xdp_tx_queue_*_packets")
            # 42-byte frames included: the device does not pad.
            ksft_eq(lab.emu.count(0, "tx-runts") - runts0, 0, f"{what}: runts sent by port 0")


def xdp_redirect(lab):
    """Pings from netns remote to port 0, whose program redirects every
    frame to the veth: its peer receives them all, and port 0 answers none
    (the frames never reach its stack)."""
    ifname = lab.env.ifname
    ip(f"netns add {FWD}")
    defer(ip, f"netns del {FWD}")
    ip(f"link add {VETH} type veth peer name {PEER} netns {FWD}")
    defer(ip, f"link del {VETH}")
    ip(f"link set {VETH} up")
    ip(f"link set {PEER} up", ns=FWD)
    # The veth takes redirected frames only with its peer's NAPI on.
    cmd(f"ip netns exec {FWD} ethtool -K {PEER} gro on", shell=True)
    # Remote knows port 0's address without ARP, which the program would
    # redirect too.
    mac = json.loads(ip(f"-j link show {ifname}").stdout)[0]["address"]
    ip(f"neigh replace {LOCAL_V4} lladdr {mac} dev {lab.env.remote_ifname} nud permanent",
       ns=NS)
    defer(ip, f"neigh del {LOCAL_V4} dev {lab.env.remote_ifname}", ns=NS)

    attach_redirect(ifname, VETH, "fbnic_redir")

    count = 50
    peer0, own0 = rx_packets(PEER, FWD), rx_packets(ifname)
    got = cmd(f"ping -c {count} -i 0.02 -W 1 {LOCAL_V4}", host=lab.env.remote, fail=False)
    ksft_pr(got.stdout.strip().splitlines()[-2:])
    peer, own = rx_packets(PEER, FWD) - peer0, rx_packets(ifname) - own0
    ksft_pr(f"{VETH} peer received {peer}, port 0's stack {own} (XDP counts as received)")
    ksft_ge(peer, count, "frames forwarded to the veth's peer")
    ksft_eq(got.ret != 0, True, "no echo reply: port 0's stack saw none of the requests")


def main():
    run([load, up, xdp_redirect, xdp_xmit, dmesg_clean, unload], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
