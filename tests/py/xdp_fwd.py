#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-quick: rust
"""XDP beyond the kernel's xdp.py selftest: a program on port 0 that
redirects every frame to a veth (XDP_REDIRECT, sent by the veth's
ndo_xdp_xmit); the veth's peer, in netns "fwd", must receive what netns
remote sent to port 0, and port 0's own stack nothing of it. The program
is four BPF instructions loaded with the bpf() system call (the lab has
no compiler for BPF): r1 = veth ifindex, r2 = 0, call bpf_redirect, exit."""

import ctypes
import json
import os
import struct

from lib.py import KsftSkipEx, bpftool, cmd, defer, ip, ksft_eq, ksft_ge, ksft_pr
from fbnic_lab import LOCAL_V4, NS, Lab, dmesg_clean, load, read, run, unload, up

# What each driver cannot do, with the reason.
EXPECTED_FAIL = """
c xdp-redirect the C driver (7.3) treats XDP_REDIRECT as an exception and drops the frame
"""

FWD = "fwd"
VETH, PEER = "xfwd0", "xfwd1"

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

    fd = load_redirect(int(read(f"/sys/class/net/{VETH}/ifindex")))
    try:
        progs = bpftool("prog show", json=True)
        ids = [p["id"] for p in progs if p.get("name") == "fbnic_redir"]
        if not ids:
            raise KsftSkipEx("the loaded program is not listed by bpftool")
        bpftool(f"net attach xdpdrv id {ids[-1]} dev {ifname}")
    finally:
        os.close(fd)
    defer(ip, f"link set dev {ifname} xdpdrv off")
    attached = json.loads(ip(f"-j -d link show {ifname}").stdout)[0]
    ksft_eq(attached.get("xdp", {}).get("mode"), 1, "attached in driver mode (xdpdrv)")

    count = 50
    peer0, own0 = rx_packets(PEER, FWD), rx_packets(ifname)
    got = cmd(f"ping -c {count} -i 0.02 -W 1 {LOCAL_V4}", host=lab.env.remote, fail=False)
    ksft_pr(got.stdout.strip().splitlines()[-2:])
    peer, own = rx_packets(PEER, FWD) - peer0, rx_packets(ifname) - own0
    ksft_pr(f"{VETH} peer received {peer}, port 0's stack {own} (XDP counts as received)")
    ksft_ge(peer, count, "frames forwarded to the veth's peer")
    ksft_eq(got.ret != 0, True, "no echo reply: port 0's stack saw none of the requests")


def main():
    run([load, up, xdp_redirect, dmesg_clean, unload], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
