#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hardware time stamps, for either driver: ethtool -T reports the clock,
the receive filters and the transmit modes; SIOCSHWTSTAMP widens a
request to what the classifier can do (a class of frames, not a PTP
message) and says so; received frames carry a time stamp of the device's
clock when the filter takes their class, and none otherwise. Port 0
receives UDP datagrams sent from port 1 (in netns remote, wired back to
back by the emulator); each time stamp must lie between PHC reads taken
before the send and after the receive. With transmit time stamps on,
datagrams port 0 sends come back on the socket's error queue with a time
stamp between PHC reads around the send, and the time stamping counters
(ethtool -I -T, netlink tsinfo statistics) count them."""

import ctypes
import errno
import fcntl
import socket
import struct
import time

from lib.py import cmd, ip, ksft_eq, ksft_ge, ksft_in, ksft_pr, ksft_raises
from fbnic_lab import LOCAL_V4, NS, REMOTE_V4, Lab, dmesg_clean, load, \
    read, run, unload, wait_for
from phc import NSEC_PER_SEC, Phc, phc_of

EXPECTED_FAIL = """
c tx-stamp-invalid the C driver passes on time stamps the device flagged invalid (it reads no status of a time stamp completion) and has no error counter
c tx-stamp-spurious the C driver only logs a time stamp with no packet waiting for it ("Tx timestamp without matching packet"), and has no error counter
"""

# include/uapi/linux/sockios.h, net_tstamp.h, asm-generic/socket.h
SIOCSHWTSTAMP, SIOCGHWTSTAMP = 0x89b0, 0x89b1
SO_TIMESTAMPING = 37
SOF_TIMESTAMPING_TX_HARDWARE = 1 << 0
SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2
SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6
SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11
TX_OFF, TX_ON, TX_ONESTEP_SYNC = 0, 1, 2
FILTER_NONE, FILTER_ALL, FILTER_SOME = 0, 1, 2
PTP_V2_L4_EVENT, PTP_V2_L4_SYNC = 6, 7
PTP_V2_L2_EVENT, PTP_V2_EVENT = 9, 12
PORT = 31900


class HwtstampConfig(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_int), ("tx_type", ctypes.c_int),
                ("rx_filter", ctypes.c_int)]


class Ifreq(ctypes.Structure):
    _fields_ = [("ifr_name", ctypes.c_char * 16),
                ("ifr_data", ctypes.POINTER(HwtstampConfig)),
                ("_pad", ctypes.c_char * 16)]


def hwtstamp(lab, request, rx_filter=None, tx_type=TX_OFF):
    """SIOCGHWTSTAMP, or SIOCSHWTSTAMP with rx_filter and tx_type: the
    configuration the driver answers with."""
    config = HwtstampConfig(tx_type=tx_type,
                            rx_filter=rx_filter if rx_filter is not None else 0)
    req = Ifreq(ifr_name=lab.env.ifname.encode(), ifr_data=ctypes.pointer(config))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s.fileno(), request, req)
    return config


def set_filter(lab, rx_filter):
    return hwtstamp(lab, SIOCSHWTSTAMP, rx_filter).rx_filter


def get_filter(lab):
    return hwtstamp(lab, SIOCGHWTSTAMP).rx_filter


def up(lab):
    env = lab.setup_pair()
    ksft_eq(env.ifname, lab.netdev(0))


def ethtool_caps(lab):
    """ethtool -T: receive and transmit time stamps in the device's clock,
    software transmit time stamps, the transmit modes, the filters the
    classifier offers, the clock's index."""
    out = cmd(f"ethtool -T {lab.env.ifname}").stdout
    ksft_pr(out)
    lines = [line.strip() for line in out.splitlines()]
    for name in ("hardware-receive", "hardware-transmit", "software-transmit",
                 "hardware-raw-clock", "off", "on", "none", "all",
                 "ptpv1-l4-event", "ptpv2-l4-event", "ptpv2-l2-event",
                 "ptpv2-event"):
        ksft_in(name, lines)
    index = [line.split(":")[1].strip() for line in lines
             if line.startswith(("PTP Hardware Clock:",
                                 "Hardware timestamp provider index:"))]
    ksft_eq(index, [phc_of(lab.env.ifname).removeprefix("ptp")])


def config_widened(lab):
    """A PTP Sync filter over UDP becomes all PTPv2 UDP events in the
    configuration, and the set call answers "some" (more than asked)."""
    ksft_eq(set_filter(lab, PTP_V2_L4_SYNC), FILTER_SOME)
    ksft_eq(get_filter(lab), PTP_V2_L4_EVENT)
    ksft_eq(set_filter(lab, FILTER_ALL), FILTER_ALL)
    ksft_eq(get_filter(lab), FILTER_ALL)
    ksft_eq(set_filter(lab, FILTER_NONE), FILTER_NONE)
    ksft_eq(get_filter(lab), FILTER_NONE)


def config_refused(lab):
    """An unknown filter is refused, the configuration unchanged."""
    set_filter(lab, PTP_V2_EVENT)
    with ksft_raises(OSError) as e:
        set_filter(lab, 99)
    ksft_eq(e.exception.errno, errno.ERANGE)
    ksft_eq(get_filter(lab), PTP_V2_EVENT)
    set_filter(lab, FILTER_NONE)


def receive_one(lab):
    """One UDP datagram from the remote port: its hardware time stamp (0
    if none) and the PHC reads around its send and receipt."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, \
         Phc(phc_of(lab.env.ifname)) as clock:
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                     SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE)
        s.bind((LOCAL_V4, PORT))
        s.settimeout(5)
        before = clock.gettime()
        cmd("python3 -c 'import socket; socket.socket(socket.AF_INET, "
            f"socket.SOCK_DGRAM).sendto(b\"ts\", (\"{LOCAL_V4}\", {PORT}))'", ns=NS, shell=True)
        data, ancdata, _, _ = s.recvmsg(16, 1024)
        after = clock.gettime()
    ksft_eq(data, b"ts")
    hw = 0
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING:
            # struct scm_timestamping: software, (legacy), raw hardware.
            sec, nsec = struct.unpack_from("qq", payload, 32)
            hw = sec * NSEC_PER_SEC + nsec
    ksft_pr(f"PHC {before} .. {after}, received at {hw}")
    return hw, before, after


def rx_stamped(lab, rx_filter, expect):
    set_filter(lab, rx_filter)
    try:
        hw, before, after = receive_one(lab)
    finally:
        set_filter(lab, FILTER_NONE)
    if expect:
        ksft_ge(hw, before, "time stamp after the PHC read before the send")
        ksft_ge(after, hw, "time stamp before the PHC read after the receipt")
    else:
        ksft_eq(hw, 0, "no hardware time stamp")


def rx_filter_all(lab):
    rx_stamped(lab, FILTER_ALL, True)


def rx_filter_ptp_udp(lab):
    """A PTP-over-UDP filter time stamps every UDP datagram."""
    rx_stamped(lab, PTP_V2_L4_EVENT, True)


def rx_filter_ptp_l2(lab):
    """A PTP-over-Ethernet filter leaves IP traffic alone."""
    rx_stamped(lab, PTP_V2_L2_EVENT, False)


def rx_filter_none(lab):
    rx_stamped(lab, FILTER_NONE, False)


def rx_after_settime(lab):
    """Time stamps follow the clock when it is set: a year later, still
    between the PHC reads."""
    with Phc(phc_of(lab.env.ifname)) as clock:
        clock.settime(clock.gettime() + 365 * 86400 * NSEC_PER_SEC)
    rx_stamped(lab, FILTER_ALL, True)


def set_tx(lab, tx_type):
    """SIOCSHWTSTAMP with tx_type, no receive filter: the mode answered."""
    return hwtstamp(lab, SIOCSHWTSTAMP, FILTER_NONE, tx_type).tx_type


def tx_config(lab):
    """Transmit time stamps switch on and off; the configuration says so."""
    ksft_eq(set_tx(lab, TX_ON), TX_ON)
    ksft_eq(hwtstamp(lab, SIOCGHWTSTAMP).tx_type, TX_ON)
    ksft_eq(set_tx(lab, TX_OFF), TX_OFF)
    ksft_eq(hwtstamp(lab, SIOCGHWTSTAMP).tx_type, TX_OFF)


def ts_stats(lab):
    """The time stamping counters (ethtool -I -T: netlink tsinfo with the
    statistics flag), by name without the tx- prefix."""
    got = lab.ethnl.tsinfo_get({"header": {"dev-name": lab.env.ifname,
                                           "flags": {"stats"}}})
    return {k.removeprefix("tx-"): v for k, v in got.get("stats", {}).items()}


def send_stamped(lab, count, wait=3):
    """Sends count UDP datagrams to port 1 from a socket asking for
    hardware transmit time stamps: each one's time stamp from the error
    queue (None if it did not come within wait seconds), and PHC reads
    before the first send and after the last time stamp came."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, \
         Phc(phc_of(lab.env.ifname)) as clock:
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                     SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE
                     | SOF_TIMESTAMPING_OPT_TSONLY)
        before = clock.gettime()
        stamps = []
        for i in range(count):
            s.sendto(b"stamp %d" % i, (REMOTE_V4, PORT))
            stamp = None
            end = time.monotonic() + wait
            while stamp is None and time.monotonic() < end:
                try:
                    _, anc, _, _ = s.recvmsg(64, 512,
                                             socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
                except BlockingIOError:
                    time.sleep(0.01)
                    continue
                for level, kind, payload in anc:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING:
                        sec, nsec = struct.unpack_from("qq", payload, 32)
                        stamp = sec * NSEC_PER_SEC + nsec
            stamps.append(stamp)
        after = clock.gettime()
    return stamps, before, after


def tx_stamped(lab):
    """With transmit time stamps on, each of 5 datagrams gets one of the
    device's clock, between PHC reads around the sends; the counters
    count 5 more time stamped packets and nothing lost."""
    count = 5
    ksft_eq(set_tx(lab, TX_ON), TX_ON)
    try:
        old = ts_stats(lab)
        stamps, before, after = send_stamped(lab, count)
        new = ts_stats(lab)
    finally:
        set_tx(lab, TX_OFF)
    ksft_pr(f"PHC {before} .. {after}, sent at {stamps}")
    ksft_pr(f"counters {old} -> {new}")
    for stamp in stamps:
        ksft_ge(stamp or 0, before, "time stamp after the PHC read before the send")
        ksft_ge(after, stamp or 0, "time stamp before the PHC read after it came")
    ksft_eq(new.get("pkts", 0) - old.get("pkts", 0), count, "time stamped packets")
    ksft_eq(new.get("lost"), old.get("lost"), "lost time stamps")


def tx_off_unstamped(lab):
    """With transmit time stamps off, a datagram that asks gets none, and
    the counters do not move."""
    ksft_eq(set_tx(lab, TX_OFF), TX_OFF)
    old = ts_stats(lab)
    stamps, _, _ = send_stamped(lab, 1)
    ksft_eq(stamps, [None], "no hardware time stamp")
    ksft_eq(ts_stats(lab), old, "time stamping counters")


def stats_moved(old, new):
    """What each time stamping counter counted between two reads."""
    ksft_pr(f"counters {old} -> {new}")
    return {k: v - old.get(k, 0) for k, v in new.items()}


def with_fault(lab, fault, body):
    """Runs body() with transmit time stamps on and the emulator's TX time
    stamp fault armed once on port 0 (fault PORT tx-ts ...); returns
    what body returned and what the counters counted meanwhile."""
    ksft_eq(set_tx(lab, TX_ON), TX_ON)
    try:
        old = ts_stats(lab)
        lab.emu.ctl("fault", 0, "tx-ts", fault, 1)
        got = body()
        moved = stats_moved(old, ts_stats(lab))
    finally:
        lab.emu.ctl("fault", 0, "clear")
        set_tx(lab, TX_OFF)
    return got, moved


def tx_stamp_lost(lab):
    """A time stamp the device never reports (the emulator drops it)
    counts as lost once the interface goes down and its rings are
    flushed; after up, a packet that asks gets its time stamp again."""
    ifname = lab.env.ifname

    def body():
        lost, _, _ = send_stamped(lab, 1, wait=1)
        ip(f"link set {ifname} down")
        ip(f"link set {ifname} up")
        ksft_eq(wait_for(lambda: read(f"/sys/class/net/{ifname}/carrier") == "1", 10),
                True, "carrier after up")
        return lost, send_stamped(lab, 1)[0]

    (lost, again), moved = with_fault(lab, "drop", body)
    ksft_pr(f"dropped: {lost}, then {again}")
    ksft_eq(lost, [None], "no time stamp for the packet whose stamp was dropped")
    ksft_eq(moved.get("lost"), 1, "lost time stamps")
    ksft_eq(moved.get("pkts"), 1, "time stamped packets")
    ksft_ge(again[0] or 0, 1, "a time stamp after up")


def tx_stamp_invalid(lab):
    """A time stamp the device flags invalid does not reach the socket:
    it counts as an error, and the next packet gets its own."""
    def body():
        return send_stamped(lab, 1, wait=1)[0], send_stamped(lab, 1)[0]

    (flagged, good), moved = with_fault(lab, "invalid", body)
    ksft_pr(f"flagged: {flagged}, then {good}")
    ksft_eq(flagged, [None], "no time stamp from an invalid one")
    ksft_ge(good[0] or 0, 1, "the next packet's time stamp")
    ksft_eq(moved.get("err"), 1, "time stamp errors")
    ksft_eq(moved.get("pkts"), 1, "time stamped packets")


def tx_stamp_spurious(lab):
    """A time stamp for a packet that did not ask, with none waiting,
    counts as an error and changes nothing else: the next packet that
    asks gets its own."""
    def body():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"no stamp", (REMOTE_V4, PORT))
        time.sleep(0.5)
        return send_stamped(lab, 1)[0]

    good, moved = with_fault(lab, "spurious", body)
    ksft_pr(f"then: {good}")
    ksft_ge(good[0] or 0, 1, "the next packet's time stamp")
    ksft_eq(moved.get("err"), 1, "time stamp errors")
    ksft_eq(moved.get("pkts"), 1, "time stamped packets")


def main():
    run([load, up, ethtool_caps, config_widened, config_refused,
         rx_filter_all, rx_filter_ptp_udp, rx_filter_ptp_l2, rx_filter_none,
         rx_after_settime, tx_config, tx_stamped, tx_off_unstamped,
         tx_stamp_lost, tx_stamp_invalid, tx_stamp_spurious,
         unload, dmesg_clean], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
