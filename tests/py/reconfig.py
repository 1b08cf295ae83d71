#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
"""Ring sizes (ethtool -G) and channel counts (ethtool -L), with the
interface up: each change is reported back and traffic flows after it;
invalid requests are refused with the old configuration kept; changes
made while iperf3 runs neither stall the transfer nor break the link;
and nothing leaks (kmemleak after unloading) or warns (dmesg). Rings and
channels go through ethtool netlink (ynl)."""

import os
import time

from lib.py import KsftSkipEx, NlError
from lib.py import cmd, defer, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, \
    ksft_pr, ksft_raises
from fbnic_lab import Lab, dmesg_clean, load, no_leak, run, unload, up

EXPECTED_FAIL = """
"""

RINGS = ("rx", "rx-mini", "rx-jumbo", "tx")
# fbnic-emu gives each port 8 queue pairs by default (--queues), while the
# C driver offers the hardware's 128 whatever the emulator has.
EMU_QUEUES = 8


def hdr(lab, dev=None):
    return {"header": {"dev-name": dev or lab.env.ifname}}


def rings(lab):
    got = lab.ethnl.rings_get(hdr(lab))
    return {k: got.get(k) for k in RINGS}


def set_rings(lab, **sizes):
    lab.ethnl.rings_set({**hdr(lab), **{k.replace("_", "-"): v for k, v in sizes.items()}})


def channels(lab):
    return lab.ethnl.channels_get(hdr(lab))


def set_combined(lab, n, dev=None):
    lab.ethnl.channels_set({**hdr(lab, dev), "combined-count": n})


def sys_queues(lab, kind):
    return len([q for q in os.listdir(f"/sys/class/net/{lab.env.ifname}/queues")
                if q.startswith(kind + "-")])


def traffic(lab, both_ways=False):
    ksft_ge(lab.ping(), 1, "ping replies")
    ksft_gt(lab.iperf3(), 0, "iperf3 bytes")
    if both_ways:
        ksft_gt(lab.iperf3(args="-R"), 0, "iperf3 -R bytes")


def ring_sizes(lab):
    """New sizes for every ring the C driver sizes, read back, then traffic."""
    set_rings(lab, rx=512, rx_mini=128, rx_jumbo=512, tx=256)
    ksft_eq(rings(lab), {"rx": 512, "rx-mini": 128, "rx-jumbo": 512, "tx": 256})
    traffic(lab)


def ring_round_pow2(lab):
    """Sizes round up to a power of two, as in the C driver."""
    set_rings(lab, rx=300, tx=100)
    got = rings(lab)
    ksft_eq((got["rx"], got["tx"]), (512, 128))
    ksft_ge(lab.ping(), 1)


def refused(lab, **sizes):
    """A refused request: an error, the sizes as they were, traffic flows.
    Returns the error."""
    before = rings(lab)
    with ksft_raises(NlError) as e:
        set_rings(lab, **sizes)
    ksft_pr(f"refused: {e.exception}")
    ksft_eq(rings(lab), before, "sizes after the refusal")
    ksft_ge(lab.ping(), 1)
    return e.exception


def ring_too_small(lab):
    refused(lab, tx=32)


def ring_too_small_rx(lab):
    refused(lab, rx_mini=16)


def ring_too_large(lab):
    refused(lab, rx=131072)


def ring_refused_message(lab):
    """The driver says why (extack), not just EINVAL."""
    e = refused(lab, tx=32)
    ksft_in("too small", (e.nl_msg.extack or {}).get("msg", "").lower())


def ring_persist(lab):
    """Sizes persist across down/up."""
    set_rings(lab, rx=256, tx=512)
    before = rings(lab)
    ip(f"link set {lab.env.ifname} down")
    ip(f"link set {lab.env.ifname} up")
    time.sleep(2)
    ksft_eq(rings(lab), before)
    ksft_ge(lab.ping(), 1)


def ring_set_while_down(lab):
    """Sizes set while down take effect at up."""
    ip(f"link set {lab.env.ifname} down")
    up_again = defer(ip, f"link set {lab.env.ifname} up")
    set_rings(lab, rx=2048, tx=2048)
    up_again.exec()
    time.sleep(2)
    got = rings(lab)
    ksft_eq((got["rx"], got["tx"]), (2048, 2048))
    ksft_ge(lab.ping(), 1)
    # The sizes the channel checks start from.
    set_rings(lab, rx=1024, rx_mini=256, rx_jumbo=256, tx=1024)


def channel_count(lab, n):
    """ethtool -L combined N: reported back, the stack's queue count
    follows, traffic flows both ways."""
    set_combined(lab, n)
    ksft_eq(channels(lab).get("combined-count"), n)
    ksft_eq((sys_queues(lab, "rx"), sys_queues(lab, "tx")), (n, n), "rx-*, tx-* queues")
    traffic(lab, both_ways=True)


def channels_1(lab):
    lab.reported = channels(lab)["combined-max"]
    lab.max = min(lab.reported, EMU_QUEUES)
    ksft_pr(f"max combined channels: {lab.reported}, used: {lab.max}")
    channel_count(lab, 1)


def channels_2(lab):
    if lab.max < 2:
        raise KsftSkipEx(f"{lab.max} channels at most")
    channel_count(lab, 2)


def channels_max(lab):
    channel_count(lab, lab.max)


def channels_too_many(lab):
    """More channels than the driver offers: refused, nothing changed."""
    with ksft_raises(NlError):
        set_combined(lab, lab.reported + 1)
    ksft_eq(channels(lab).get("combined-count"), lab.max)
    ksft_ge(lab.ping(), 1)


def indir(lab):
    return lab.ethnl.rss_get(hdr(lab)).get("indir", [])


def rxfh_keeps_queues(lab):
    """A user-set indirection table that uses the last queue keeps the
    channel count from dropping below it; the default one is spread anew."""
    if lab.max < 2:
        raise KsftSkipEx(f"needs 2 channels, the driver offers {lab.max}")
    weights = " ".join(["0"] * (lab.max - 1) + ["1"])
    cmd(f"ethtool -X {lab.env.ifname} weight {weights}")
    default = defer(cmd, f"ethtool -X {lab.env.ifname} default")
    ksft_eq(set(indir(lab)), {lab.max - 1}, "the table uses the last queue only")
    with ksft_raises(NlError):
        set_combined(lab, 1)
    ksft_eq(channels(lab).get("combined-count"), lab.max)
    default.exec()
    set_combined(lab, 1)
    # The default table now points at queue 0 only.
    ksft_eq(set(indir(lab)), {0})
    set_combined(lab, lab.max)
    ksft_ge(lab.ping(), 1)


def under_load(lab):
    """iperf3 runs 20 s while rings and channels change under it (both
    ports); it must finish, and ping must work after."""
    remote = lab.env.remote_ifname
    cmd("iperf3 -s -1 -D -p 5202", host=lab.env.remote)
    time.sleep(0.3)
    failed = []
    load = cmd(f"iperf3 -c {lab.env.remote_addr_v['4']} -p 5202 -t 20 -P 2 -f m",
               background=True)
    time.sleep(2)
    for _ in range(2):
        for what, change in (
                ("-G 256/512", lambda: set_rings(lab, rx=256, tx=512)),
                ("-L 1", lambda: set_combined(lab, 1)),
                ("-G 1024/1024", lambda: set_rings(lab, rx=1024, tx=1024)),
                ("-L max", lambda: set_combined(lab, lab.max)),
                ("remote -L 1", lambda: cmd(f"ethtool -L {remote} combined 1",
                                            host=lab.env.remote)),
                ("remote -L max", lambda: cmd(f"ethtool -L {remote} combined {lab.max}",
                                              host=lab.env.remote))):
            try:
                change()
            except Exception as e:
                failed.append(f"{what}: {e}")
            time.sleep(1)
    load.process(terminate=False, fail=False, timeout=60)
    ksft_pr(load.stdout[-400:])
    ksft_eq(failed, [], "changes refused under load")
    ksft_eq(load.ret, 0, "iperf3 under load")
    ksft_ge(lab.ping(), 1)


def main():
    run([load, up, ring_sizes, ring_round_pow2, ring_too_small, ring_too_small_rx,
         ring_too_large, ring_refused_message, ring_persist, ring_set_while_down,
         channels_1, channels_2, channels_max, channels_too_many, rxfh_keeps_queues,
         under_load, dmesg_clean, unload, no_leak], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
