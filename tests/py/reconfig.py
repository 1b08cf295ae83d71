#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
"""Ring sizes (ethtool -G) and channel counts (ethtool -L), with the
interface up: each change is reported back and traffic flows after it;
invalid requests are refused with the old configuration kept; changes
made while iperf3 runs neither stall the transfer nor break the link;
and nothing leaks (kmemleak after unloading) or warns (dmesg). Rings and
channels go through ethtool netlink (ynl), as do the link's settings that
change: pause frames (-A), rx-frames coalescing (-C), the link down
count, and FEC, which neither driver lets the user set. With an XDP
program that sends frames back (XDP_TX), ring and channel changes keep
it working. A memory provider (devmem TCP) bound to one RX queue restarts
that queue alone, while the other keeps passing traffic."""

import os
import re
import subprocess
import time

from lib.py import KsftSkipEx, NlError
from lib.py import bkg, bpf_map_set, cmd, defer, ip, ksft_eq, ksft_ge, ksft_gt, \
    ksft_in, ksft_pr, ksft_raises, ksft_true, rand_port, wait_port_listen
from fbnic_lab import LOCAL_V4, NS, REMOTE_V4, Lab, dmesg_clean, load, no_leak, read, run, unload, \
    up, wait_for

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


def default_rss_queues():
    """What netif_get_num_default_rss_queues() gives: the physical cores
    online (SMT siblings once), halved (rounding up) if more than 2."""
    cpus = [c for c in os.listdir("/sys/devices/system/cpu") if re.fullmatch(r"cpu\d+", c)]
    cores = set()
    for c in cpus:
        if read(f"/sys/devices/system/cpu/{c}/online") == "0":
            continue
        cores.add(read(f"/sys/devices/system/cpu/{c}/topology/thread_siblings_list") or c)
    n = len(cores)
    return -(-n // 2) if n > 2 else n


def channels_default(lab):
    """As loaded: 128 queues each way at most whatever the vectors (the
    hardware's, as C reports them), and the kernel's default RSS queue
    count in use, one vector each (C's fbnic_reset_queues()); the stack's
    queue counts and the listed NAPI instances agree."""
    ch = channels(lab)
    ksft_eq((ch.get("combined-max"), ch.get("rx-max"), ch.get("tx-max"), ch.get("other-max")),
            (128, 128, 128, 2), "maximum channels")
    vectors = min(os.cpu_count(), 128)
    want = min(default_rss_queues(), vectors)
    ksft_pr(f"default RSS queues {default_rss_queues()}, vectors {vectors}: {want} channels")
    ksft_eq((ch.get("combined-count"), ch.get("rx-count", 0), ch.get("tx-count", 0)),
            (want, 0, 0), "channels as loaded")
    ksft_eq((sys_queues(lab, "rx"), sys_queues(lab, "tx")), (want, want), "rx-*, tx-* queues")
    ifinfo = ip(f"-d link show dev {lab.env.ifname}", json=True)[0]
    ksft_eq((ifinfo.get("num_tx_queues"), ifinfo.get("num_rx_queues")), (128, 128),
            "numtxqueues, numrxqueues")
    ksft_eq(len(napis(lab)), want, "NAPI instances listed")
    each_queue_moves(lab, "load")


def napis(lab):
    return lab.netdevnl.napi_get({"ifindex": lab.env.ifindex}, dump=True)


def queue_packets(lab):
    """The per-queue packet counters (qstats): {("rx"|"tx", queue): n}."""
    got = lab.netdevnl.qstats_get({"ifindex": lab.env.ifindex, "scope": "queue"}, dump=True)
    return {(s["queue-type"], s["queue-id"]): s.get(f"{s['queue-type']}-packets", 0)
            for s in got}


def each_queue_moves(lab, what):
    """Traffic through every RX queue in use (the RSS table pointed at it
    alone) and every TX queue (tc skbedit queue_mapping): each queue's
    qstats counter grows, so each queue has rings and a NAPI instance that
    polls them."""
    ifn = lab.env.ifname
    rx, tx = sys_queues(lab, "rx"), sys_queues(lab, "tx")
    for q in range(rx):
        cmd(f"ethtool -X {ifn} weight " + " ".join("1" if i == q else "0" for i in range(rx)))
        before = queue_packets(lab).get(("rx", q), 0)
        ksft_ge(lab.ping(count=2), 1, f"ping with RX queue {q} only, {what}")
        ksft_gt(queue_packets(lab).get(("rx", q), 0), before, f"RX queue {q} packets, {what}")
    cmd(f"ethtool -X {ifn} default")
    for q in range(tx):
        cmd(f"tc qdisc add dev {ifn} clsact")
        try:
            cmd(f"tc filter add dev {ifn} egress matchall action skbedit queue_mapping {q}")
            before = queue_packets(lab).get(("tx", q), 0)
            ksft_ge(lab.ping(count=2), 1, f"ping on TX queue {q}, {what}")
            ksft_gt(queue_packets(lab).get(("tx", q), 0), before, f"TX queue {q} packets, {what}")
        finally:
            cmd(f"tc qdisc del dev {ifn} clsact")


def set_channels(lab, combined, rx=0, tx=0):
    lab.ethnl.channels_set({**hdr(lab), "combined-count": combined, "rx-count": rx,
                            "tx-count": tx})


def channels_split(lab):
    """RX-only and TX-only channels as C takes them: alone (a vector each)
    or with combined ones (sharing theirs), each queue carrying traffic;
    more RX-only and TX-only queues than vectors, or RX-only, TX-only and
    combined at once, refused with nothing changed."""
    vectors = min(os.cpu_count(), 128)
    configs = [(1, 1, 0), (1, 0, 1), (lab.max, 0, 0)]
    if vectors >= 2:
        configs.insert(0, (0, 1, 1))
    for combined, rx, tx in configs:
        what = f"combined {combined} rx {rx} tx {tx}"
        set_channels(lab, combined, rx, tx)
        got = channels(lab)
        ksft_eq((got.get("combined-count", 0), got.get("rx-count", 0), got.get("tx-count", 0)),
                (combined, rx, tx), what)
        ksft_eq((sys_queues(lab, "rx"), sys_queues(lab, "tx")), (combined + rx, combined + tx),
                f"rx-*, tx-* queues, {what}")
        standalone = rx + tx
        want = combined + standalone if standalone else min(combined, vectors)
        ksft_eq(len(napis(lab)), want, f"NAPI instances, {what}")
        each_queue_moves(lab, what)
    before = channels(lab)
    for combined, rx, tx in [(1, 1, 1), (1, vectors, 0), (0, vectors, 1)]:
        with ksft_raises(NlError):
            set_channels(lab, combined, rx, tx)
        ksft_eq(channels(lab), before, f"refused: combined {combined} rx {rx} tx {tx}")
    ksft_ge(lab.ping(), 1)


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


def napi_threads(lab, want):
    """The number of threaded-NAPI kthreads of the interface
    (napi/<ifname>-<id>), once it is `want` or after 3 s (a stopped
    thread may linger until reaped)."""
    for _ in range(30):
        names = [read(f"/proc/{pid}/comm") or "" for pid in os.listdir("/proc")
                 if pid.isdigit()]
        got = len([n for n in names if n.startswith(f"napi/{lab.env.ifname}-")])
        if got == want:
            break
        time.sleep(0.1)
    return got


def set_threaded(lab, on):
    """Writes /sys/class/net/<if>/threaded in a child, so that a hang
    (the core waiting for a NAPI instance that never goes idle) fails
    the case instead of the whole suite."""
    path = f"/sys/class/net/{lab.env.ifname}/threaded"
    proc = subprocess.Popen(["sh", "-c", f"echo {int(on)} > {path}"])
    try:
        ksft_eq(proc.wait(timeout=30), 0, f"threaded={int(on)}")
    except subprocess.TimeoutExpired:
        ksft_true(False, f"writing {int(on)} to {path} hung")
        raise


def threaded_channels(lab):
    """Threaded NAPI on, fewer channels, threaded off, as many channels again
    (napi_threaded.py's napi_init): one kthread per channel while on,
    none after, and traffic flows in both modes."""
    # One thread per NAPI instance: one per channel for the Rust driver,
    # one per interrupt vector (channels share them) for C.
    n = channels(lab).get("combined-count")
    napis = len(lab.netdevnl.napi_get({"ifindex": lab.env.ifindex}, dump=True))
    defer(set_threaded, lab, False)
    set_threaded(lab, True)
    ksft_eq(napi_threads(lab, napis), napis, "NAPI threads, threaded on")
    set_combined(lab, 1)
    ksft_eq(napi_threads(lab, 1), 1, "NAPI threads after combined 1")
    traffic(lab)
    set_threaded(lab, False)
    ksft_eq(napi_threads(lab, 0), 0, "NAPI threads, threaded off")
    set_combined(lab, n)
    ksft_eq(napi_threads(lab, 0), 0, f"NAPI threads after combined {n}")
    traffic(lab)


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


def wait_carrier(lab):
    path = f"/sys/class/net/{lab.env.ifname}/carrier"
    end = time.monotonic() + 20
    while read(path) != "1" and time.monotonic() < end:
        time.sleep(0.2)
    ksft_eq(read(path), "1", "carrier")


def down_count(lab):
    """ethtool -I: the link's down events (with the statistics flag)."""
    got = lab.ethnl.linkstate_get({"header": {"dev-name": lab.env.ifname,
                                              "flags": {"stats"}}})
    return got.get("ext-down-cnt")


def link_down_events(lab):
    """Taking the interface down counts a link down event (ethtool -I)."""
    before = down_count(lab)
    ksft_true(before is not None, "no link down count")
    ip(f"link set {lab.env.ifname} down")
    ip(f"link set {lab.env.ifname} up")
    wait_carrier(lab)
    after = down_count(lab)
    ksft_pr(f"link down events {before} -> {after}")
    ksft_eq(after, before + 1)
    ksft_ge(lab.ping(), 1)


def pause_settings(lab):
    """ethtool -A: negotiated pause at first; pause set by hand is read
    back, changes what is advertised, and the link carries traffic."""
    ksft_eq(pause(lab), (1, 0, 0), "autoneg, rx, tx at first")
    restore = defer(lab.ethnl.pause_set, {**hdr(lab), "autoneg": 1, "rx": 0, "tx": 0})
    lab.ethnl.pause_set({**hdr(lab), "autoneg": 0, "rx": 1, "tx": 1})
    ksft_eq(pause(lab), (0, 1, 1))
    # The C driver's phylink cycles the link to apply pause set by hand.
    time.sleep(1)
    wait_carrier(lab)
    out = cmd(f"ethtool {lab.env.ifname}").stdout
    ksft_in("Advertised pause frame use: Symmetric\n", out)
    ksft_ge(lab.ping(), 1)
    lab.ethnl.pause_set({**hdr(lab), "autoneg": 0, "rx": 1, "tx": 0})
    ksft_eq(pause(lab), (0, 1, 0))
    ksft_in("Advertised pause frame use: Symmetric Receive-only\n",
            cmd(f"ethtool {lab.env.ifname}").stdout)
    restore.exec()
    ksft_eq(pause(lab), (1, 0, 0), "autoneg, rx, tx restored")
    time.sleep(1)
    wait_carrier(lab)
    ksft_ge(lab.ping(), 1)


def pause(lab):
    got = lab.ethnl.pause_get(hdr(lab))
    return tuple(int(got.get(k, 0)) for k in ("autoneg", "rx", "tx"))


def rx_frames(lab):
    return lab.ethnl.coalesce_get(hdr(lab)).get("rx-max-frames")


def coalesce_rx_frames(lab):
    """ethtool -C rx-frames: read back, traffic flows with the threshold,
    above the hardware's limit refused with the value kept; 0 again
    restores half a ring."""
    ksft_eq(rx_frames(lab), 0, "rx-frames at first")
    restore = defer(lab.ethnl.coalesce_set, {**hdr(lab), "rx-max-frames": 0})
    lab.ethnl.coalesce_set({**hdr(lab), "rx-max-frames": 32})
    ksft_eq(rx_frames(lab), 32)
    traffic(lab)
    with ksft_raises(NlError):
        lab.ethnl.coalesce_set({**hdr(lab), "rx-max-frames": 16384})
    ksft_eq(rx_frames(lab), 32, "rx-frames after the refusal")
    restore.exec()
    ksft_eq(rx_frames(lab), 0)
    ksft_ge(lab.ping(), 1)


def fec_fixed(lab):
    """The firmware chooses FEC: --show-fec reports RS on the emulator's
    100G link, and --set-fec is not supported."""
    out = cmd(f"ethtool --show-fec {lab.env.ifname}").stdout
    ksft_in("Active FEC encoding: RS", out)
    got = cmd(f"ethtool --set-fec {lab.env.ifname} encoding rs", fail=False)
    ksft_pr(got.stderr)
    ksft_true(got.ret != 0, "--set-fec succeeded")
    ksft_in("not supported", got.stderr)


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


def xdp_echo(lab, port, text):
    """A UDP datagram from netns remote to our port, which the XDP program
    sends back (addresses swapped): what the remote receives."""
    remote = lab.env.remote
    with bkg(f"socat -4 -T 3 -u UDP-RECV:{port},reuseport STDOUT", host=remote,
             exit_wait=True) as rx:
        wait_port_listen(port, proto="udp", host=remote)
        cmd(f"echo -n {text} | socat -t 2 -u STDIN UDP:{lab.env.addr_v['4']}:{port},shut-none",
            host=remote, shell=True)
    return rx.stdout.strip()


def xdp_tx_sent(lab):
    """The sum of the xdp_tx_queue_<n>_packets counters of ethtool -S."""
    out = cmd(f"ethtool -S {lab.env.ifname}").stdout
    return sum(int(line.split(":")[1]) for line in out.splitlines()
               if line.strip().startswith("xdp_tx_queue_") and "_packets:" in line)


def xdp_tx_reconfig(lab):
    """The selftests' xdp_native program in its XDP_TX mode sends UDP to one
    port straight back and passes the rest: the echo, ping and the
    xdp_tx_queue counters work before and after ring size and channel
    changes (RX-only and TX-only queues included: each RX queue has its
    XDP TX queue, and its completion queue, even without a TX queue), and
    the program stays attached throughout."""
    obj = lab.env.net_lib_dir / "xdp_native.bpf.o"
    if not obj.exists():
        raise KsftSkipEx(f"no {obj}")
    ifname = lab.env.ifname
    ip(f"link set dev {ifname} xdpdrv obj {obj} sec xdp")
    defer(ip, f"link set dev {ifname} xdpdrv off")
    prog = ip(f"-d link show dev {ifname}", json=True)[0]["xdp"]["prog"]["id"]
    port = rand_port()
    bpf_map_set("map_xdp_setup", 0, 2)  # mode: XDP_TX
    bpf_map_set("map_xdp_setup", 1, port)
    defer(set_rings, lab, rx=1024, tx=1024)
    defer(lab.ethnl.channels_set, {**hdr(lab), "combined-count": lab.max,
                                   "rx-count": 0, "tx-count": 0})
    for what, change in (
            ("as loaded", lambda: None),
            ("-G 256/128", lambda: set_rings(lab, rx=256, tx=128)),
            ("-L 1", lambda: set_combined(lab, 1)),
            ("-L combined 1 rx 1", lambda: lab.ethnl.channels_set(
                {**hdr(lab), "combined-count": 1, "rx-count": 1, "tx-count": 0})),
            ("-L combined 1 tx 1", lambda: lab.ethnl.channels_set(
                {**hdr(lab), "combined-count": 1, "rx-count": 0, "tx-count": 1})),
            ("-G 1024/1024", lambda: set_rings(lab, rx=1024, tx=1024)),
            ("-L max", lambda: lab.ethnl.channels_set(
                {**hdr(lab), "combined-count": lab.max, "rx-count": 0, "tx-count": 0}))):
        change()
        wait_carrier(lab)
        got = ip(f"-d link show dev {ifname}", json=True)[0].get("xdp", {})
        ksft_eq(got.get("prog", {}).get("id"), prog, f"program attached after {what}")
        # Counted from here: the C driver's per-queue counters start over
        # with new rings.
        before = xdp_tx_sent(lab)
        for i in range(3):
            text = f"xdptx{i}{what.replace(' ', '')}"
            ksft_eq(xdp_echo(lab, port, text), text, f"echo after {what}")
        # Counted at the send's completion, which may follow the echo.
        wait_for(lambda: xdp_tx_sent(lab) - before >= 3, 3)
        ksft_ge(xdp_tx_sent(lab) - before, 3, f"xdp_tx_queue_*_packets after {what}")
        ksft_ge(lab.ping(), 1, f"ping after {what}")


def rx_queue(lab, q):
    """netdev netlink queue-get of RX queue q of port 0."""
    return lab.netdevnl.queue_get({"ifindex": lab.env.ifindex, "id": q, "type": "rx"})


def queue_restart(lab):
    """A memory provider bound to one RX queue restarts that queue alone
    (queue management ops): ncdevmem binds a udmabuf to the last RX queue
    (devmem TCP). While it is bound the queue carries the dma-buf
    (queue-get) and a page pool of port 0 takes it (page-pool-get), the
    other queue keeps passing traffic, and the payload of a TCP stream
    steered to the queue lands in the dma-buf (ncdevmem checks every
    byte). Once it is gone the queue receives again, into pages. The
    device is not reset: no link down event."""
    ifn = lab.env.ifname
    ncdevmem = os.path.join(os.environ.get("EXTRA", "/lab/extra"), "drivers/net/hw/ncdevmem")
    if not os.path.exists(ncdevmem):
        raise KsftSkipEx(f"no {ncdevmem} (installed kernel selftests)")
    n = channels(lab)["combined-count"]
    if n < 2:
        set_combined(lab, 2)
        defer(set_combined, lab, n)
        n = 2
    q = n - 1
    ring = lab.ethnl.rings_get(hdr(lab))
    split = {k: ring[k] for k in ("tcp-data-split", "hds-thresh") if k in ring}
    defer(lab.ethnl.rings_set, {**hdr(lab), **split})
    defer(cmd, f"ethtool -X {ifn} default", fail=False)
    downs = down_count(lab)
    ksft_true("dmabuf" not in rx_queue(lab, q), f"RX queue {q} without a dma-buf at first")

    port = rand_port()
    srv = subprocess.Popen([ncdevmem, "-l", "-f", ifn, "-s", LOCAL_V4, "-p", str(port),
                            "-c", REMOTE_V4, "-v", "7"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_port_listen(port, deadline=30)
        bound = rx_queue(lab, q)
        ksft_pr(f"RX queue {q} with the provider: {bound}")
        ksft_in("dmabuf", bound, f"RX queue {q} carries the dma-buf")
        pools = [p for p in lab.netdevnl.page_pool_get({}, dump=True)
                 if p.get("ifindex") == lab.env.ifindex and "dmabuf" in p]
        ksft_eq(len(pools), 1, "page pools of port 0 on the dma-buf")
        # ncdevmem keeps RSS off the bound queue: pings land on the others
        # (which one depends on the hash and on how many there are).
        def others():
            return sum(v for (d, i), v in queue_packets(lab).items() if d == "rx" and i != q)
        before = others()
        ksft_ge(lab.ping(count=3), 2, "ping while the provider is bound")
        ksft_gt(others(), before, f"packets on the RX queues other than {q} meanwhile")
        # 1 MiB of a 7-byte pattern (six bytes and a newline), which
        # ncdevmem -v 7 checks, as in tests/vm/zero-copy.sh.
        cmd("yes \"$(printf '\\001\\002\\003\\004\\005\\006')\" | head -c 1M | "
            f"ip netns exec {NS} socat -u - TCP4:{LOCAL_V4}:{port},bind={REMOTE_V4}:{port}",
            shell=True, timeout=60)
        out, _ = srv.communicate(timeout=60)
    finally:
        if srv.poll() is None:
            srv.kill()
        if srv.stdout and not srv.stdout.closed:
            out, _ = srv.communicate()
            # What ncdevmem said, when it gave up early (no bind-rx).
            ksft_pr("ncdevmem: " + " | ".join(out.strip().splitlines()[-5:]))
    total = re.findall(r"total_received=(\d+)", out)
    ksft_pr(f"ncdevmem exit {srv.returncode}, total_received {total[-1:]}")
    ksft_eq(srv.returncode, 0, "ncdevmem received and checked the stream in the dma-buf")
    ksft_true(wait_for(lambda: "dmabuf" not in rx_queue(lab, q), 10),
              f"RX queue {q} without the dma-buf after ncdevmem")
    cmd(f"ethtool -X {ifn} weight " + " ".join("1" if i == q else "0" for i in range(n)))
    before = queue_packets(lab).get(("rx", q), 0)
    ksft_ge(lab.ping(count=3), 2, f"ping with RX queue {q} only, after the provider")
    ksft_gt(queue_packets(lab).get(("rx", q), 0), before, f"RX queue {q} packets again")
    ksft_eq(down_count(lab), downs, "link down events (no device reset)")


def main():
    run([load, up, channels_default, ring_sizes, ring_round_pow2, ring_too_small, ring_too_small_rx,
         ring_too_large, ring_refused_message, ring_persist, ring_set_while_down,
         channels_1, channels_2, channels_max, channels_too_many, threaded_channels,
         rxfh_keeps_queues, channels_split,
         link_down_events, pause_settings, coalesce_rx_frames, fec_fixed, under_load,
         xdp_tx_reconfig, queue_restart, dmesg_clean, unload, no_leak], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
