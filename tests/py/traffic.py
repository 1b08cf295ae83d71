#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic between the two emulated ports, cabled back to back by the
emulator, with port 1 in netns "remote": ping over IPv4 and IPv6, TCP
throughput both ways, TX doorbell batching (xmit_more), payload integrity
(sha256 of a TCP transfer), MTU 9000, header split (tcp-data-split,
hds-thresh), the RX page pools, ring sizes, hardware counters, hardware
TX timestamps; the classifier: ntuple rules steering a flow to a queue,
dropping one, on the source address, the rule table, a chosen location,
an RSS context, the indirection table and the hash inputs; the receive
filters (unicast, multicast, promiscuous, all-multicast), MAC address
changes, ethtool -S and per-queue statistics.

Where a flow lands is measured by port 1's per-queue receive counters
(netdev netlink qstats), what the emulator did by its counters (control
channel, fbnic_lab.Emu), the rest through ethtool netlink (ynl) or, where
there is no netlink (ntuple rules, ethtool -S), the ethtool command."""

import ctypes
import fcntl
import hashlib
import json
import os
import re
import socket
import struct
import threading
import time

from lib.py import NlError
from lib.py import cmd, defer, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, ksft_lt, \
    ksft_ne, ksft_not_none, ksft_pr, ksft_raises, ksft_true
from fbnic_lab import LOCAL_V4, NS, REMOTE_V4, Lab, dmesg_clean, load, \
    modprobe_resolves_updates, read, run, unload, up, wait_for

# What each driver cannot do yet on the current emulator, with the reason.
EXPECTED_FAIL = """
c ntuple-location the C driver takes rules at locations of its choosing only, and accepts TOS matches it then ignores
"""

MiB = 1 << 20


# Port 0 (here) and port 1 (netns remote).

def hdr(lab):
    return {"header": {"dev-name": lab.env.ifname}}


def rhdr(lab):
    return {"header": {"dev-name": lab.env.remote_ifname}}


def rcmd(command, fail=True):
    """A command in netns remote."""
    return cmd(command, ns=NS, fail=fail)


def stat(lab, name):
    """Port 0's interface counter name (rtnl)."""
    return int(read(f"/sys/class/net/{lab.env.ifname}/statistics/{name}"))


def remote_dev_qstats(lab):
    """Port 1's device-wide qstats (base plus every queue)."""
    return lab.remote_netdevnl.qstats_get({"ifindex": lab.env.remote_ifindex}, dump=True)[0]


# A TCP transfer across the ports.

def transfer(lab, size, port=7000):
    """size random bytes over TCP from port 0 to a listener behind port 1;
    asserts that every byte arrived, unchanged (sha256)."""
    srv = lab.remote_socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((REMOTE_V4, port))
    srv.listen(1)
    srv.settimeout(60)
    got = {}

    def receive():
        try:
            conn, _ = srv.accept()
            with conn:
                conn.settimeout(60)
                digest, n = hashlib.sha256(), 0
                while chunk := conn.recv(1 << 16):
                    digest.update(chunk)
                    n += len(chunk)
            got.update(bytes=n, sha256=digest.hexdigest())
        except OSError as e:
            got["error"] = repr(e)
        finally:
            srv.close()

    receiver = threading.Thread(target=receive)
    receiver.start()
    data = os.urandom(size)
    try:
        with socket.create_connection((REMOTE_V4, port), timeout=60) as c:
            c.sendall(data)
    finally:
        receiver.join(90)
    sent = hashlib.sha256(data).hexdigest()
    ksft_pr(f"sent {size} bytes, sha256 {sent}; received {got}")
    ksft_eq(got.get("bytes"), size, "bytes received")
    ksft_eq(got.get("sha256"), sent, "sha256 of what was received")


# UDP bursts to port 1, and the RX queue each datagram landed on.

BURST_FLOW, BURST_PORTS = 400, 200
BURST = BURST_FLOW + BURST_PORTS


def rx_queues(lab):
    """Packets received by each RX queue of port 1 (qstats), by queue id."""
    queues = lab.remote_netdevnl.qstats_get({"ifindex": lab.env.remote_ifindex,
                                             "scope": "queue"}, dump=True)
    return {q["queue-id"]: q.get("rx-packets", 0) for q in queues if q["queue-type"] == "rx"}


def udp_burst(lab, port):
    """BURST_FLOW datagrams from one source port, then one from each of
    BURST_PORTS more, to port on port 1, where a socket swallows them (no
    ICMP back); returns the packets each RX queue of port 1 took meanwhile."""
    sink = lab.remote_socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sink.bind((REMOTE_V4, port))
        before = rx_queues(lab)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for i in range(BURST_FLOW):
                s.sendto(b"datagram %d" % i, (REMOTE_V4, port))
                if i % 50 == 49:
                    time.sleep(0.01)
        for i in range(BURST_PORTS):
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"x", (REMOTE_V4, port))
            if i % 50 == 49:
                time.sleep(0.01)
        time.sleep(0.5)
        after = rx_queues(lab)
    finally:
        sink.close()
    delta = {q: n - before.get(q, 0) for q, n in sorted(after.items())}
    ksft_pr(f"{BURST} datagrams to UDP port {port}: packets per RX queue of port 1: {delta}")
    return delta


def steered(delta, queue):
    """The burst went to queue: 90 % of it there, under 10 % elsewhere."""
    elsewhere = sum(n for q, n in delta.items() if q != queue)
    ksft_ge(delta.get(queue, 0), BURST * 9 // 10, f"packets on queue {queue}: {delta}")
    ksft_lt(elsewhere, BURST // 10, f"packets on the other queues: {delta}")


def remote_two_queues(lab):
    """Port 1 with two queue pairs and ntuple filters on."""
    lab.remote_ethnl.channels_set({**rhdr(lab), "combined-count": 2})
    ksft_eq(lab.remote_ethnl.channels_get(rhdr(lab)).get("combined-count"), 2)
    # Fixed on for the Rust driver, which ethtool may call a failure.
    rcmd(f"ethtool -K {lab.env.remote_ifname} ntuple on", fail=False)
    features = rcmd(f"ethtool -k {lab.env.remote_ifname}").stdout
    ksft_true(re.search(r"^ntuple-filters: on", features, re.M), "ntuple-filters on")


def add_rule(lab, spec):
    """ethtool -N on port 1; returns the rule's ID (its location)."""
    out = rcmd(f"ethtool -N {lab.env.remote_ifname} {spec}").stdout
    m = re.search(r"ID (\d+)", out)
    ksft_pr(f"rule {spec}: {out.strip()}")
    if not m:
        raise Exception(f"no rule ID in: {out}")
    return int(m.group(1))


def delete_rule(lab, rule):
    rcmd(f"ethtool -N {lab.env.remote_ifname} delete {rule}")


def rules(lab):
    """The rule table of port 1 (ethtool -n): a list of rule IDs."""
    out = rcmd(f"ethtool -n {lab.env.remote_ifname}").stdout
    return [int(n) for n in re.findall(r"^Filter: (\d+)", out, re.M)]


def indir(lab, context=0):
    req = rhdr(lab)
    if context:
        req["context"] = context
    return lab.remote_ethnl.rss_get(req).get("indir", [])


def wait_carriers(lab, seconds=20):
    return wait_for(lambda: read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1" and
                    rcmd(f"cat /sys/class/net/{lab.env.remote_ifname}/operstate",
                         fail=False).stdout.strip() == "up", seconds)


# The checks.

def ping4(lab):
    ksft_eq(lab.ping(3, "4"), 3, "echo replies")


def ping6(lab):
    ksft_eq(lab.ping(3, "6"), 3, "echo replies")


def short_frames_padded(lab):
    """ARP requests and replies (42 bytes) and other short frames leave
    both ports padded to the device's 60-byte minimum: the driver pads
    them (the device does not), so the emulator counts no runt from the
    host ("tx-runts" in its status)."""
    r0, r1 = lab.emu.count(0, "tx-runts"), lab.emu.count(1, "tx-runts")
    cmd(f"ip neigh flush dev {lab.env.ifname}")
    rcmd(f"ip neigh flush dev {lab.env.remote_ifname}")
    ksft_eq(lab.ping(3, "4"), 3, "echo replies after the ARP exchange")
    ksft_eq(lab.emu.count(0, "tx-runts") - r0, 0, "runts sent by port 0")
    ksft_eq(lab.emu.count(1, "tx-runts") - r1, 0, "runts sent by port 1")


def iperf3_tcp(lab):
    ksft_ge(lab.iperf3(seconds=3), 10 * MiB, "bytes received in 3 s")


def iperf3_tcp_reverse(lab):
    ksft_ge(lab.iperf3(seconds=3, args="-R"), 10 * MiB, "bytes received in 3 s")


def tx_doorbells_batched(lab):
    """While the stack hands the driver a burst (xmit_more), the TWQ tail
    is written once for it: under four streams port 0's doorbell writes
    (the emulator's "tx-doorbells") stay below the packets it sent. A
    driver ringing per packet has as many. TSO is off meanwhile: the stack
    then segments each TCP burst and hands the segments over as one
    xmit_more run, and both drivers count each segment as a packet."""
    d0, p0 = lab.emu.count(0, "tx-doorbells"), stat(lab, "tx_packets")
    cmd(f"ethtool -K {lab.env.ifname} tso off")
    defer(cmd, f"ethtool -K {lab.env.ifname} tso on")
    ksft_gt(lab.iperf3(seconds=3, args="-P 4"), 0, "iperf3 -P 4 bytes")
    d1, p1 = lab.emu.count(0, "tx-doorbells"), stat(lab, "tx_packets")
    ksft_pr(f"TX doorbells {d1 - d0} for {p1 - p0} packets")
    ksft_gt(p1 - p0, 0, "packets sent")
    ksft_lt(d1 - d0, p1 - p0, "doorbells against packets")


def integrity(lab):
    transfer(lab, 16 * MiB)


def set_mtu(lab, mtu):
    ip(f"link set {lab.env.ifname} mtu {mtu}")
    ip(f"link set {lab.env.remote_ifname} mtu {mtu}", host=lab.env.remote)


def mtu9000_ping(lab):
    """DF pings that need the full 9000 bytes."""
    set_mtu(lab, 9000)
    ksft_eq(read(f"/sys/class/net/{lab.env.ifname}/mtu"), "9000")
    ksft_eq(lab.ping(3, args="-M do -s 8972"), 3, "8972-byte DF echo replies")


def mtu9000_integrity(lab):
    """A transfer in jumbo frames (port 1's average frame above 1500
    bytes), then the MTU back to 1500."""
    set_mtu(lab, 9000)
    defer(set_mtu, lab, 1500)
    before = remote_dev_qstats(lab)
    transfer(lab, 16 * MiB)
    after = remote_dev_qstats(lab)
    frames = after["rx-packets"] - before["rx-packets"]
    size = (after["rx-bytes"] - before["rx-bytes"]) // max(frames, 1)
    ksft_pr(f"port 1: {frames} frames, {size} bytes on average")
    ksft_gt(size, 1500, "average frame size on port 1")


# Header split on port 1. The emulator counts the frames it placed across
# header and payload buffers ("rx-split" in its status); what it does
# follows the RX queues' registers, so the count says what the driver
# programmed, and the transfer's checksum says that the driver put header
# and payload pages back together.

def remote_rings(lab):
    return lab.remote_ethnl.rings_get(rhdr(lab))


def set_remote_rings(lab, **settings):
    lab.remote_ethnl.rings_set({**rhdr(lab), **{k.replace("_", "-"): v
                                                for k, v in settings.items()}})


def split_during(lab, size):
    """Frames the emulator split for port 1 during a transfer of size."""
    before = lab.emu.count(1, "rx-split")
    transfer(lab, size)
    split = lab.emu.count(1, "rx-split") - before
    ksft_pr(f"frames split for port 1 during a {size}-byte transfer: {split}")
    return split


def hds_default_unsplit(lab):
    """The default threshold keeps standard frames whole."""
    rings = remote_rings(lab)
    ksft_pr(f"tcp-data-split {rings.get('tcp-data-split')} hds-thresh "
            f"{rings.get('hds-thresh')} hds-thresh-max {rings.get('hds-thresh-max')}")
    ksft_ge(rings.get("hds-thresh", 0), 1514, "the default hds-thresh")
    ksft_eq(split_during(lab, 4 * MiB), 0, "frames split")


def hds_split_integrity(lab):
    """tcp-data-split on, hds-thresh 0: every data frame is split after
    its headers (16 MiB is some 11,600 segments), and arrives intact."""
    thresh = remote_rings(lab).get("hds-thresh")
    set_remote_rings(lab, tcp_data_split="enabled", hds_thresh=0)
    defer(set_remote_rings, lab, tcp_data_split="unknown", hds_thresh=thresh)
    rings = remote_rings(lab)
    ksft_eq((rings.get("tcp-data-split"), rings.get("hds-thresh")), ("enabled", 0))
    split = split_during(lab, 16 * MiB)
    ksft_ge(split, 5000, "frames split")
    ksft_lt(split, 1000000, "frames split")


def hds_invalid_refused(lab):
    """An out-of-range threshold is refused and changes nothing."""
    before = remote_rings(lab)
    with ksft_raises(NlError) as e:
        set_remote_rings(lab, hds_thresh=100000)
    ksft_pr(f"refused: {e.exception}")
    ksft_eq(remote_rings(lab), before, "the settings after the refusal")


def page_pools(lab):
    """The RX page pools are listed under port 0 (netdev netlink
    page-pool-get): at least one per RX queue, each bound to a NAPI
    instance, every RX queue's among them."""
    queues = lab.ethnl.channels_get(hdr(lab)).get("combined-count", 0)
    pools = [p for p in lab.netdevnl.page_pool_get({}, dump=True)
             if p.get("ifindex") == lab.env.ifindex]
    for p in pools:
        ksft_pr(p)
    rx_napis = {q.get("napi-id") for q in lab.netdevnl.queue_get({"ifindex": lab.env.ifindex},
                                                                 dump=True)
                if q["type"] == "rx"}
    ksft_pr(f"{len(pools)} page pools for {queues} RX queues, whose NAPI ids are {rx_napis}")
    ksft_gt(queues, 0, "RX queues")
    ksft_ge(len(pools), queues, "page pools")
    ksft_eq([p["id"] for p in pools if "napi-id" not in p], [], "pools without a NAPI instance")
    ksft_eq(rx_napis - {p.get("napi-id") for p in pools}, set(), "RX queues' NAPIs without a pool")


def ring_sizes(lab):
    """Other ring sizes on both ends, reprogrammed while up, read back;
    then a transfer."""
    local = lab.ethnl.rings_get(hdr(lab))
    remote = remote_rings(lab)
    defer(lab.ethnl.rings_set, {**hdr(lab), "rx": local["rx"], "tx": local["tx"]})
    defer(set_remote_rings, lab, rx=remote["rx"], tx=remote["tx"])
    set_remote_rings(lab, rx=512, tx=256)
    lab.ethnl.rings_set({**hdr(lab), "rx": 128, "tx": 2048})
    got = lab.ethnl.rings_get(hdr(lab))
    ksft_eq((got["rx"], got["tx"]), (128, 2048), "port 0's rx, tx")
    got = remote_rings(lab)
    ksft_eq((got["rx"], got["tx"]), (512, 256), "port 1's rx, tx")
    time.sleep(1)
    transfer(lab, 16 * MiB)


def mac_stats(lab):
    """The MAC's counters (ethtool's standard eth-mac group, netlink)."""
    out = cmd(f"ethtool --json -S {lab.env.ifname} --groups eth-mac").stdout
    group = json.loads(out)[0].get("eth-mac", {})
    return {k.removeprefix("eth-mac-"): v for k, v in group.items()}


def hw_counters(lab):
    """The MAC's frame counters move with 20 pings."""
    a = mac_stats(lab)
    ksft_eq(lab.ping(20, interval=0.05), 20, "echo replies")
    b = mac_stats(lab)
    ksft_pr(b)
    for name in ("FramesTransmittedOK", "FramesReceivedOK"):
        ksft_pr(f"{name} {a.get(name)} -> {b.get(name)}")
        ksft_ge(b.get(name, 0) - a.get(name, 0), 20, name)


RMON_ETHERTYPE = 0x88B5  # IEEE local experimental
RMON_TX, RMON_RX = 12, 7  # frames per bucket each way: different, so that
                          # a counter on the wrong side shows


def rmon_buckets(lab):
    """Port 0's RMON histogram (ethtool's standard rmon group, netlink):
    {"rx": [(low, high, count), ...], "tx": [...]}."""
    out = cmd(f"ethtool --json -S {lab.env.ifname} --groups rmon").stdout
    group = json.loads(out)[0].get("rmon", {})
    return {d: [(b["low"], b["high"], b["val"]) for b in group.get(f"{d}-pktsNtoM", [])]
            for d in ("rx", "tx")}


def send_frames(sock, length, count):
    """count broadcast frames of length bytes on the wire, FCS included,
    on the interface sock is bound to."""
    mac = sock.getsockname()[4]
    frame = b"\xff" * 6 + mac + RMON_ETHERTYPE.to_bytes(2, "big")
    frame += bytes(max(length - 4 - len(frame), 0))
    for _ in range(count):
        sock.send(frame)


def rmon_histogram(lab):
    """Every bucket of port 0's RMON frame-size histogram, both ways (what
    the kernel's ethtool_rmon.sh checks with 30000 frames a bucket, in the
    full tier): RMON_TX frames of the bucket's lowest size sent by port 0,
    RMON_RX sent to it by port 1. Buckets from 256 bytes up must move by
    exactly that much (nothing else in the lab sends such broadcasts);
    smaller ones by at least that much (ARP, IPv6 neighbour discovery)."""
    before = rmon_buckets(lab)
    ksft_pr(before)
    ksft_ge(len(before["rx"]), 2, "RX histogram buckets")
    ksft_ge(len(before["tx"]), 2, "TX histogram buckets")
    top = max(low for d in before.values() for low, _, _ in d)
    if top > 1500 + 18:
        set_mtu(lab, top - 18)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    rx = lab.remote_socket(socket.AF_PACKET, socket.SOCK_RAW)
    try:
        tx.bind((lab.env.ifname, 0))
        rx.bind((lab.env.remote_ifname, 0))
        for low in sorted({low for low, _, _ in before["tx"]}):
            send_frames(tx, max(low, 64), RMON_TX)
        for low in sorted({low for low, _, _ in before["rx"]}):
            send_frames(rx, max(low, 64), RMON_RX)
        # The MAC's counters are read once a second at most.
        time.sleep(2)
    finally:
        tx.close()
        rx.close()
        set_mtu(lab, 1500)
    after = rmon_buckets(lab)
    ksft_pr(after)
    for d, want in (("tx", RMON_TX), ("rx", RMON_RX)):
        for (low, high, a), (_, _, b) in zip(before[d], after[d]):
            name = f"{d}-pkts{low}to{high}"
            if low >= 256:
                ksft_eq(b - a, want, name)
            else:
                ksft_ge(b - a, want, name)


def tx_timestamp(lab):
    """A hardware TX timestamp (the device's TX completion) comes back on
    the socket's error queue once timestamping is switched on."""
    ksft_pr(cmd(f"ethtool -T {lab.env.ifname}", fail=False).stdout)
    siocshwtstamp, so_timestamping = 0x89B0, 37
    tx_hardware, raw_hardware = 1 << 0, 1 << 6

    def hwtstamp(sock, tx_type):
        # struct hwtstamp_config { flags, tx_type, rx_filter }
        config = ctypes.create_string_buffer(struct.pack("iii", 0, tx_type, 0))
        ifr = struct.pack("16sP", lab.env.ifname.encode(),
                          ctypes.addressof(config)).ljust(40, b"\0")
        fcntl.ioctl(sock, siocshwtstamp, ifr)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    defer(s.close)
    hwtstamp(s, 1)  # HWTSTAMP_TX_ON
    defer(hwtstamp, s, 0)
    s.setsockopt(socket.SOL_SOCKET, so_timestamping, tx_hardware | raw_hardware)
    s.sendto(b"stamp", (REMOTE_V4, 7005))
    stamp = None
    end = time.monotonic() + 3
    while stamp is None and time.monotonic() < end:
        try:
            _, anc, _, _ = s.recvmsg(64, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == so_timestamping:
                stamp = struct.unpack("qq", data[32:48])
    ksft_pr(f"hardware TX timestamp: {stamp}")
    ksft_not_none(stamp, "no hardware TX timestamp within 3 s")
    ksft_true(stamp and any(stamp), "a zero hardware TX timestamp")


def ntuple_steer(lab):
    """A rule sends a flow to queue 1."""
    remote_two_queues(lab)
    dev = lab.env.remote_ifname
    if rcmd(f"ethtool -N {dev} flow-type udp4 dst-port 7002 action 1 loc 0", fail=False).ret == 0:
        rule = 0
    else:
        rule = add_rule(lab, "flow-type udp4 dst-port 7002 action 1")
    defer(delete_rule, lab, rule)
    ksft_pr(rcmd(f"ethtool -n {dev}").stdout)
    steered(udp_burst(lab, 7002), 1)


def tcp_connects(port):
    try:
        with socket.create_connection((REMOTE_V4, port), timeout=2):
            return True
    except OSError as e:
        ksft_pr(f"connecting to {REMOTE_V4}:{port}: {e}")
        return False


def ntuple_drop(lab):
    """A TCP listener that answers, then not behind a drop rule."""
    srv = lab.remote_socket(socket.AF_INET, socket.SOCK_STREAM)
    defer(srv.close)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((REMOTE_V4, 7003))
    srv.listen(8)
    ksft_eq(tcp_connects(7003), True, "connected without the rule")
    rule = add_rule(lab, "flow-type tcp4 dst-port 7003 action -1")
    defer(delete_rule, lab, rule)
    ksft_eq(tcp_connects(7003), False, "connected through a drop rule")


def ntuple_ip(lab):
    """A rule on the source address (an IP TCAM entry behind the action
    TCAM) steers every UDP datagram from port 0 to queue 1, whatever its
    ports; it is still in force after port 1 went down and up."""
    remote_two_queues(lab)
    rule = add_rule(lab, f"flow-type udp4 src-ip {LOCAL_V4} action 1")
    defer(delete_rule, lab, rule)
    steered(udp_burst(lab, 7006), 1)
    ip(f"link set dev {lab.env.remote_ifname} down", host=lab.env.remote)
    ip(f"link set dev {lab.env.remote_ifname} up", host=lab.env.remote)
    ksft_true(wait_carriers(lab), "both ports up again within 20 s")
    time.sleep(1)
    ksft_pr("after down and up:")
    steered(udp_burst(lab, 7006), 1)


def ntuple_table(lab):
    """A rule is listed under the ID ethtool reports and can be deleted
    once; what the device cannot do (a queue beyond the count, SCTP, which
    fbnic does not parse) is refused and leaves the table as it was."""
    remote_two_queues(lab)
    dev = lab.env.remote_ifname
    before = rules(lab)
    rule = add_rule(lab, "flow-type tcp6 dst-port 7007 action 0")
    shown = rcmd(f"ethtool -n {dev} rule {rule}", fail=False)
    ksft_pr(shown.stdout)
    ksft_in("Dest port: 7007", shown.stdout, f"rule {rule} read back")
    for bad in ("flow-type udp4 dst-port 7008 action 9",
                "flow-type sctp4 dst-port 7008 action 0"):
        ksft_ne(rcmd(f"ethtool -N {dev} {bad}", fail=False).ret, 0, f"accepted: {bad}")
    ksft_eq(sorted(rules(lab)), sorted(before + [rule]), "the table after the refusals")
    delete_rule(lab, rule)
    ksft_ne(rcmd(f"ethtool -N {dev} delete {rule}", fail=False).ret, 0,
            f"rule {rule} deleted twice")
    ksft_eq(sorted(rules(lab)), sorted(before), "the table after the delete")


def ntuple_location(lab):
    """A rule at the location the user chose, which is then taken; a
    match the device cannot make (TOS) is refused rather than ignored."""
    dev = lab.env.remote_ifname
    rcmd(f"ethtool -N {dev} flow-type udp6 dst-port 7009 action 0 loc 7")
    at7 = defer(delete_rule, lab, 7)
    ksft_in("Dest port: 7009", rcmd(f"ethtool -n {dev} rule 7", fail=False).stdout, "rule 7")
    ksft_ne(rcmd(f"ethtool -N {dev} flow-type udp4 dst-port 7009 action 0 loc 7", fail=False).ret,
            0, "location 7 taken twice")
    at7.exec()
    tos = rcmd(f"ethtool -N {dev} flow-type tcp4 tos 4 action 0", fail=False)
    if tos.ret == 0:
        m = re.search(r"ID (\d+)", tos.stdout)
        if m:
            defer(delete_rule, lab, int(m.group(1)))
    ksft_ne(tos.ret, 0, "a TOS match was accepted")


def rss_context(lab):
    """An additional RSS context: with the default table on queue 0 and
    the context's on queue 1, a rule that sends a flow to the context
    moves it to queue 1. The context goes away after its rule."""
    remote_two_queues(lab)
    dev = lab.env.remote_ifname
    rcmd(f"ethtool -X {dev} weight 1 0")
    defer(rcmd, f"ethtool -X {dev} default")
    out = rcmd(f"ethtool -X {dev} context new start 1 equal 1").stdout
    m = re.search(r"context is (\d+)", out)
    ksft_not_none(m, f"no new context in: {out}")
    ctx = int(m.group(1))
    drop_ctx = defer(rcmd, f"ethtool -X {dev} context {ctx} delete")
    ksft_eq(set(indir(lab)), {0}, "the default table's queues")
    ksft_eq(set(indir(lab, ctx)), {1}, f"context {ctx}'s queues")
    rule = add_rule(lab, f"flow-type udp4 dst-port 7011 context {ctx} action 0")
    drop_rule = defer(delete_rule, lab, rule)
    steered(udp_burst(lab, 7011), 1)
    drop_rule.exec()
    drop_ctx.exec()
    with ksft_raises(NlError):
        indir(lab, ctx)


def rss_indir(lab):
    """ethtool -X moves the flows from one queue to the other."""
    remote_two_queues(lab)
    dev = lab.env.remote_ifname
    defer(rcmd, f"ethtool -X {dev} default")
    for weights, queue in (("1 0", 0), ("0 1", 1)):
        rcmd(f"ethtool -X {dev} weight {weights}")
        ksft_eq(set(indir(lab)), {queue}, f"weight {weights}: the table's queues")
        steered(udp_burst(lab, 7004), queue)


def flow_hash(lab):
    return lab.remote_ethnl.rss_get(rhdr(lab)).get("flow-hash", {})


def set_flow_hash(lab, **types):
    lab.remote_ethnl.rss_set({**rhdr(lab), "flow-hash": types})


ADDRS = {"ip-src", "ip-dst"}
PORTS = {"l4-b-0-1", "l4-b-2-3"}


def rss_flow_hash(lab):
    """The hash inputs of a flow type (ETHTOOL_A_RSS_FLOW_HASH, what
    ethtool -N rx-flow-hash sets): the burst's 200 source ports are one
    flow when udp4 hashes the addresses only, and land on one queue; with
    the ports, on both. "discard" drops the type's frames. Inputs the
    device cannot hash for a type are refused and change nothing."""
    remote_two_queues(lab)
    start = flow_hash(lab)
    ksft_pr(f"hash inputs: {start}")
    ksft_in("udp4", start, "udp4's hash inputs reported")
    defer(set_flow_hash, lab, udp4=start.get("udp4", ADDRS | PORTS))

    set_flow_hash(lab, udp4=ADDRS)
    ksft_eq(flow_hash(lab).get("udp4"), ADDRS, "udp4 after setting the addresses")
    delta = udp_burst(lab, 7005)
    ksft_ge(max(delta.values()), BURST * 9 // 10, "addresses only: packets on one queue")
    ksft_lt(min(delta.values()), BURST // 10, "addresses only: packets on the other")

    set_flow_hash(lab, udp4=ADDRS | PORTS)
    ksft_eq(flow_hash(lab).get("udp4"), ADDRS | PORTS, "udp4 after adding the ports")
    delta = udp_burst(lab, 7005)
    ksft_ge(min(delta.values()), BURST_PORTS // 10, "with the ports: packets on each queue")

    set_flow_hash(lab, udp4={"discard"})
    got = flow_hash(lab).get("udp4", set())
    ksft_pr(f"udp4 after discard: {got}")
    ksft_eq(got & (ADDRS | PORTS), set(), "udp4's hashed fields after discard")
    delta = udp_burst(lab, 7005)
    set_flow_hash(lab, udp4=ADDRS | PORTS)
    ksft_lt(max(delta.values()), 10, "discard: packets received")

    # SCTP's ports (the parser knows no SCTP); a VLAN tag, which fbnic
    # does not hash.
    before = flow_hash(lab)
    with ksft_raises(NlError) as e:
        set_flow_hash(lab, sctp4=ADDRS | PORTS)
    ksft_pr(f"sctp4 refused: {e.exception}")
    with ksft_raises(NlError) as e:
        set_flow_hash(lab, tcp4=ADDRS | PORTS | {"vlan"})
    ksft_pr(f"tcp4 with vlan refused: {e.exception}")
    ksft_eq(flow_hash(lab), before, "the hash inputs after the refusals")


def unicast_filter(lab):
    """Frames to an address the NIC does not own never reach a queue:
    remote resolves port 0's IP to a foreign MAC, and its pings do not
    show up in port 0's receive counter, unless port 0 is promiscuous
    (the stack drops them then, but the NIC delivers them)."""
    dev, remote = lab.env.ifname, lab.env.remote
    ip(f"neigh replace {LOCAL_V4} lladdr 02:00:00:00:be:ef dev {lab.env.remote_ifname} "
       "nud permanent", host=remote)
    defer(ip, f"neigh del {LOCAL_V4} dev {lab.env.remote_ifname}", host=remote)
    a = stat(lab, "rx_packets")
    lab.ping(30, interval=0.05, wait=1, remote=True)
    b = stat(lab, "rx_packets")
    ksft_lt(b - a, 10, "frames to a foreign MAC received, promiscuous off")
    ip(f"link set {dev} promisc on")
    promisc = defer(ip, f"link set {dev} promisc off")
    time.sleep(0.5)
    b = stat(lab, "rx_packets")
    lab.ping(30, interval=0.05, wait=1, remote=True)
    c = stat(lab, "rx_packets")
    promisc.exec()
    ksft_ge(c - b, 30, "frames to a foreign MAC received, promiscuous on")


def mcast_send(lab, group, port, count=30):
    """remote sends count UDP datagrams to group:port."""
    with lab.remote_socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(REMOTE_V4))
        for i in range(count):
            s.sendto(b"group datagram %d" % i, (group, port))
            time.sleep(0.02)


def mcast_received(lab, group):
    """Port 0's rx_packets delta while remote sends 30 datagrams to group."""
    a = stat(lab, "rx_packets")
    mcast_send(lab, group, 7010)
    time.sleep(0.3)
    got = stat(lab, "rx_packets") - a
    ksft_pr(f"group {group}: rx_packets +{got}")
    return got


def received_while(lab, setting, undo, group):
    """mcast_received with ip setting in force (undone after)."""
    ip(setting)
    undone = defer(ip, undo)
    time.sleep(0.5)
    got = mcast_received(lab, group)
    undone.exec()
    return got


def multicast_filter(lab):
    """A group nobody joined is filtered by the NIC; after `ip maddr add`
    of its MAC, or a socket joining it, its frames arrive; all-multicast
    mode receives every group."""
    dev = lab.env.ifname
    ksft_lt(mcast_received(lab, "239.1.2.4"), 10, "an unjoined group")
    ksft_ge(received_while(lab, f"maddr add 01:00:5e:01:02:04 dev {dev}",
                           f"maddr del 01:00:5e:01:02:04 dev {dev}", "239.1.2.4"),
            30, "after ip maddr add")
    time.sleep(0.5)
    ksft_lt(mcast_received(lab, "239.1.2.4"), 10, "after ip maddr del")
    ksft_ge(received_while(lab, f"link set {dev} allmulticast on",
                           f"link set {dev} allmulticast off", "239.1.2.6"),
            30, "allmulticast on, an unjoined group")

    # A socket that joins a group receives its datagrams.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as r:
        r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        r.bind(("", 7011))
        r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton("239.1.2.5") + socket.inet_aton(LOCAL_V4))
        time.sleep(1)
        mcast_send(lab, "239.1.2.5", 7011)
        r.settimeout(1)
        got = 0
        try:
            while r.recv(100).startswith(b"group datagram"):
                got += 1
        except socket.timeout:
            pass
    ksft_pr(f"a socket joined to 239.1.2.5 received {got} of 30 datagrams")
    ksft_ge(got, 25, "datagrams to the joined group")


def mac_address(lab):
    """ip link set address: port 0 then receives frames to the new
    address (remote forgets the old one and resolves the new one), no
    longer to the old; a multicast or zero address is refused and changes
    nothing."""
    dev, rdev, remote = lab.env.ifname, lab.env.remote_ifname, lab.env.remote
    address = f"/sys/class/net/{dev}/address"
    old, new = read(address), "02:5a:11:22:33:44"
    ip(f"link set dev {dev} address {new}")
    restore = defer(ip, f"link set dev {dev} address {old}")
    ip(f"neigh flush dev {rdev}", host=remote)
    ksft_eq(lab.ping(3), 3, "echo replies with the new address")
    neigh = ip(f"neigh show {LOCAL_V4} dev {rdev}", json=True, host=remote)
    ksft_eq([n.get("lladdr") for n in neigh], [new], "remote's neighbour entry for port 0")
    ip(f"neigh replace {LOCAL_V4} lladdr {old} dev {rdev} nud permanent", host=remote)
    ksft_eq(lab.ping(3, wait=1, remote=True), 0, "echo replies to the old address")
    ip(f"neigh del {LOCAL_V4} dev {rdev}", host=remote)
    for bad in ("01:00:5e:00:00:42", "00:00:00:00:00:00"):
        ksft_ne(cmd(f"ip link set dev {dev} address {bad}", fail=False).ret, 0,
                f"address {bad} accepted")
    ksft_eq(read(address), new, "the address after the refusals")
    restore.exec()
    ip(f"neigh flush dev {rdev}", host=remote)
    ksft_eq(lab.ping(3), 3, f"echo replies after restoring {old}")


def driver_stats(lab):
    """ethtool -S (the driver's own counters have no netlink)."""
    out = cmd(f"ethtool -S {lab.env.ifname}").stdout
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^\s*(\S+): (\d+)$", out, re.M)}


def ethtool_stats(lab):
    """The driver's counters (per queue for the Rust driver, the RX buffer
    counters for the C one) move with 30 pings each way."""
    a = driver_stats(lab)
    ksft_gt(len(a), 0, "ethtool -S counters")
    ksft_eq(lab.ping(30, interval=0.05), 30, "echo replies")
    b = driver_stats(lab)
    moved = {k: b[k] - a[k] for k in b if k in a and b[k] - a[k] >= 30}
    ksft_pr(f"{len(b)} counters; moved by 30 or more: {moved}")
    ksft_true(moved, "no counter moved by 30 or more")


def qstats(lab):
    """Per-queue statistics (netdev netlink qstats-get): every queue is
    reported, the queues' packets move with traffic, and the device-wide
    sums (base plus queues) equal the interface counters."""
    nl, ifindex = lab.netdevnl, lab.env.ifindex
    queues = nl.qstats_get({"ifindex": ifindex, "scope": "queue"}, dump=True)
    for q in queues:
        ksft_pr(q)
    for kind in ("rx", "tx"):
        sysfs = [q for q in os.listdir(f"/sys/class/net/{lab.env.ifname}/queues")
                 if q.startswith(kind + "-")]
        ksft_eq(len([q for q in queues if q["queue-type"] == kind]), len(sysfs),
                f"{kind} queues reported")

    def rx_sum():
        return sum(q.get("rx-packets", 0) for q in nl.qstats_get(
            {"ifindex": ifindex, "scope": "queue"}, dump=True) if q["queue-type"] == "rx")
    a = rx_sum()
    ksft_eq(lab.ping(30, interval=0.05), 30, "echo replies")
    b = rx_sum()
    ksft_pr(f"per-queue rx-packets: {a} -> {b}")
    ksft_ge(b - a, 30, "per-queue rx-packets")

    # On a quiet link (retried: an IPv6 or ARP frame may come between the
    # reads).
    for _ in range(3):
        dev = nl.qstats_get({"ifindex": ifindex}, dump=True)[0]
        sums = (dev.get("rx-packets"), dev.get("tx-packets"))
        rtnl = (stat(lab, "rx_packets"), stat(lab, "tx_packets"))
        ksft_pr(f"qstats device rx, tx {sums}; rtnl {rtnl}")
        if sums == rtnl:
            break
        time.sleep(0.5)
    ksft_eq(sums, rtnl, "qstats device sums against the interface counters")


def main():
    run([modprobe_resolves_updates, load, up, ping4, ping6, short_frames_padded, iperf3_tcp, iperf3_tcp_reverse,
         tx_doorbells_batched, integrity, mtu9000_ping, mtu9000_integrity,
         hds_default_unsplit, hds_split_integrity, hds_invalid_refused, page_pools,
         ring_sizes, hw_counters, rmon_histogram, tx_timestamp, ntuple_steer, ntuple_drop, ntuple_ip,
         ntuple_table, ntuple_location, rss_context, rss_indir, rss_flow_hash,
         unicast_filter, multicast_filter, mac_address, ethtool_stats, qstats, unload,
         dmesg_clean], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
