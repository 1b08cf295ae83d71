#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-emu-args: --volt 812
"""The control plane, for either driver: probe registers a netdev with the
serial-derived MAC, the firmware mailbox answers (versions, sensors,
module EEPROM, self-test, flash), the link comes up at the configured
speed and survives a flap, injected firmware faults and many down/up and
unload/load cycles.

The world outside the NIC (cable, sensors, firmware faults) is driven
through the emulator's control channel (fbnic_lab.Emu). The voltage is
set at start-up instead (the fbnic-emu-args line above, which vm-run.sh
reads), to cover that path too."""

import errno
import json
import os
import re
import socket
import struct
import time
from pathlib import Path

from lib.py import KsftSkipEx, KsftXfailEx, NetdevFamily, NlError
from lib.py import cmd, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, ksft_lt, \
    ksft_not_none, ksft_pr, ksft_raises, ksft_true
from fbnic_lab import Lab, dmesg_clean, load, read, run, unload, wait_for
import mkpldm
from phc import NSEC_PER_SEC, Phc, phc_of

OUTSIDE = "(outside issue 5's list)"
EXPECTED_FAIL = f"""
"""

TEMP_MC, VOLT_MV = 61500, 812
# fbnic-emu's firmware (tools/fbnic-emu/README.md).
FW_VERSIONS = {"fw": "25.06.01-000", "fw.bootloader": "25.03.00-000",
               "fw.undi": "01.02.00-000"}
MAC = "02:00:5e:00:10:00"


def carrier(lab):
    return read(f"/sys/class/net/{lab.dev}/carrier")


def wait_carrier(lab, want, seconds):
    return wait_for(lambda: carrier(lab) == want, seconds)


def emu_field(lab, name):
    """The word after name in the emulator's status of port 0."""
    return lab.emu.request("status", 0).split(f" {name} ")[1].split()[0]


def devlink_id(lab):
    return {"bus-name": "pci", "dev-name": lab.bdf}


def control_channel(lab):
    answer = lab.emu.ctl("status")
    ksft_in("port 0:", answer)
    ksft_eq(lab.emu.count(0, "volt"), VOLT_MV, "the start-up --volt")


def netdev(lab):
    ksft_not_none(lab.dev, "no netdev for port 0")


def mac_from_dsn(lab):
    ksft_eq(read(f"/sys/class/net/{lab.dev}/address"), MAC)


def devlink_info(lab):
    info = lab.devlink.info_get(devlink_id(lab))
    ksft_pr(info)
    versions = {}
    for kind in ("info-version-stored", "info-version-running", "info-version-fixed"):
        for v in info.get(kind, []):
            versions.setdefault(v["info-version-name"], v["info-version-value"])
    for name, value in FW_VERSIONS.items():
        ksft_eq(versions.get(name), value, name)
    ksft_true(versions.get("fw.commit", "").startswith("fbnic-emu"),
              f"fw.commit {versions.get('fw.commit')}")
    ksft_true(info.get("info-serial-number"), "no serial number")


def link_up(lab):
    ip(f"link set {lab.dev} up")
    # The PMD "trains" for 4 s before the driver reports link.
    ksft_true(wait_carrier(lab, "1", 20), "no carrier within 20 s")


def ethtool_speed(lab):
    hdr = {"header": {"dev-name": lab.dev}}
    ksft_eq(lab.ethnl.linkmodes_get(hdr).get("speed"), 100000)
    ksft_eq(lab.ethnl.linkstate_get(hdr).get("link"), 1)


def ethtool_selftest(lab):
    # The self-test ioctl has no netlink equivalent.
    out = cmd(f"ethtool -t {lab.dev} offline", fail=False)
    ksft_pr(out.stdout)
    # The offline test takes the interface down and up again.
    ksft_true(wait_carrier(lab, "1", 20), "no carrier after the self-test")
    ksft_eq(out.ret, 0)
    ksft_in("The test result is PASS", out.stdout)


def ethtool_module_eeprom(lab):

    def eeprom(offset, length):
        return lab.ethnl.module_eeprom_get({"header": {"dev-name": lab.dev},
                                      "offset": offset, "length": length,
                                      "page": 0, "bank": 0, "i2c-address": 0x50})["data"]
    ksft_eq(eeprom(0, 1)[0], 0x11, "SFF-8024 identifier: QSFP28")
    ksft_eq(eeprom(148, 16).decode().strip(), "FBNIC-EMU", "vendor name")


def hwmon_dir(lab):
    for h in Path("/sys/class/hwmon").iterdir():
        if read(h / "name") == "fbnic" and \
           os.path.realpath(h / "device") == os.path.realpath(f"/sys/bus/pci/devices/{lab.bdf}"):
            return h
    raise Exception(f"no fbnic hwmon device for {lab.bdf}")


def read_errno(path):
    """The errno a read of path fails with (None if it succeeds)."""
    try:
        ksft_pr(f"{path}: {Path(path).read_text().strip()}")
    except OSError as e:
        ksft_pr(f"{path}: {e}")
        return e.errno
    return None


def hwmon_temp(lab):
    lab.emu.ctl("temp", 0, TEMP_MC)
    ksft_eq(int(read(hwmon_dir(lab) / "temp1_input")), TEMP_MC)


def hwmon_volt(lab):
    ksft_eq(int(read(hwmon_dir(lab) / "in0_input")), VOLT_MV)


def fault_sensor_error(lab):
    """A sensor error reaches the reader; the next read is right again."""
    h = hwmon_dir(lab)
    lab.emu.ctl("sensor-error", 0, errno.EIO)
    ksft_eq(read_errno(h / "temp1_input"), errno.EIO, "the read's error")
    lab.emu.ctl("sensor-error", 0, "off")
    ksft_eq(int(read(h / "temp1_input")), TEMP_MC)


def fault_dropped_answer(lab):
    """An answer the firmware drops times the read out (10 s, the driver's
    mailbox timeout) and the mailbox carries on."""
    h = hwmon_dir(lab)
    lab.emu.ctl("fault", 0, "drop-response", 1)
    ksft_eq(read_errno(h / "temp1_input"), errno.ETIMEDOUT, "the read's error")
    ksft_eq(int(read(h / "temp1_input")), TEMP_MC)


def link_flap(lab):
    """Unplug port 0's cable for 3 s through the control channel."""
    count = f"/sys/class/net/{lab.dev}/carrier_down_count"
    before = int(read(count))
    lab.emu.ctl("link", "flap", 0, 3)
    ksft_true(wait_carrier(lab, "0", 10), "carrier never dropped")
    ksft_true(wait_carrier(lab, "1", 30), "carrier did not come back")
    after = int(read(count))
    ksft_pr(f"carrier_down_count {before} -> {after}")
    ksft_gt(after, before)


def fw_file(name, data):
    """Writes firmware file name for devlink flash to find."""
    if not Path("/sys/module/firmware_class").is_dir():
        raise KsftXfailEx("the lab kernel has no firmware loader (CONFIG_FW_LOADER unset), "
                          "so devlink flash cannot read a package")
    Path("/tmp/fw").mkdir(exist_ok=True)
    Path(f"/tmp/fw/{name}").write_bytes(data)
    # The root is read-only: point the firmware loader at /tmp/fw.
    Path("/sys/module/firmware_class/parameters/path").write_text("/tmp/fw")


def flash(lab, name, component=None):
    req = {**devlink_id(lab), "flash-update-file-name": name}
    if component:
        req["flash-update-component"] = component
    lab.devlink.flash_update(req)


def flashed(lab):
    """What the emulated firmware wrote so far: section:size:hash each."""
    value = emu_field(lab, "flashed")
    return [] if value == "none" else value.split(",")


def versions(lab):
    """devlink dev info's versions: {(kind, name): value}."""
    info = lab.devlink.info_get(devlink_id(lab))
    return {(kind, v["info-version-name"]): v["info-version-value"]
            for kind in ("info-version-running", "info-version-stored")
            for v in info.get(kind, [])}


def devlink_flash(lab):
    fw_file("fbnic-test.pldm", mkpldm.package(10000))
    flash(lab, "fbnic-test.pldm")
    # What the emulated firmware received: the package's one component.
    ksft_in(":10000B:", emu_field(lab, "flashed"))


class FlashMonitor:
    """devlink's flash notifications, from its "config" multicast group.
    The ynl spec has no message for them, so they are decoded here."""

    def __init__(self, dl):
        self.family = dl.nlproto.family_id
        self.status = dl.ops["flash-update"].req_value + 2  # FLASH_UPDATE_STATUS
        names = ("flash-update-status-msg", "flash-update-component",
                 "flash-update-status-done", "flash-update-status-total",
                 "flash-update-status-timeout")
        self.attrs = {dl.attr_sets["devlink"][n].value: n.split("-")[-1] for n in names}
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.sock.bind((0, 0))
        # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
        self.sock.setsockopt(270, 1, dl.nlproto.genl_family["mcast"]["config"])
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.setblocking(False)

    def read(self):
        """The status notices received so far, as dicts."""
        out = []
        while True:
            try:
                buf = self.sock.recv(1 << 16)
            except BlockingIOError:
                return out
            while len(buf) >= 20:
                length, kind = struct.unpack_from("<IH", buf)
                if kind == self.family and buf[16] == self.status:
                    out.append(self.decode(buf[20:length]))
                buf = buf[(length + 3) & ~3:]

    def decode(self, attrs):
        notice = {}
        while len(attrs) >= 4:
            length, kind = struct.unpack_from("<HH", attrs)
            value = attrs[4:length]
            name = self.attrs.get(kind & 0x3FFF)
            if name in ("msg", "component"):
                notice[name] = value.rstrip(b"\0").decode()
            elif name:
                notice[name] = int.from_bytes(value, "little")
            attrs = attrs[(length + 3) & ~3:]
        return notice


def flash_progress(lab):
    """Flashing reports the firmware's start ("Initializing", 15 s), then
    "Flashing" with the offset of every chunk the firmware asks for, up to
    the whole image, as devlink notifications."""
    fw_file("fbnic-test.pldm", mkpldm.package(10000))
    mon = FlashMonitor(lab.devlink)
    flash(lab, "fbnic-test.pldm")
    notices = mon.read()
    for n in notices:
        ksft_pr(n)
    ksft_eq(notices[0].get("msg"), "Initializing")
    ksft_eq(notices[0].get("component"), "boot2")
    ksft_eq(notices[0].get("timeout"), 15)
    done = [n.get("done") for n in notices if n.get("msg") == "Flashing"]
    # The emulated firmware asks for 3072-byte chunks: 0, 3072, 6144 and
    # 9216, then finishes at 10000.
    ksft_eq(done, [0, 3072, 6144, 9216, 10000])
    ksft_eq({n.get("total") for n in notices[1:]}, {10000})
    ksft_eq({n.get("component") for n in notices}, {"boot2"})


def flash_refused(lab, data, reason):
    """Flashing data fails with the extack message of reason, and neither
    the flash nor the versions change."""
    fw_file("fbnic-bad.pldm", data)
    before, versions_before = flashed(lab), versions(lab)
    with ksft_raises(NlError) as e:
        flash(lab, "fbnic-bad.pldm")
    ksft_pr(f"refused: {e.exception}")
    ksft_in(f"fbnic: Failed to flash PLDM Image: {reason}", str(e.exception))
    ksft_eq(flashed(lab), before, "what the firmware flashed")
    ksft_eq(versions(lab), versions_before, "running and stored versions")


def flash_not_pldm(lab):
    flash_refused(lab, b"no PLDM package here " * 100, "Invalid image (error: -22)")


def flash_wrong_device(lab):
    """A package whose one record is for PCI device 1d9b:0014."""
    flash_refused(lab, mkpldm.package(10000, device=0x0014),
                  "No matching record (error: -2)")


def flash_bad_component(lab):
    """A component for the microcode section, which the host may not write."""
    flash_refused(lab, mkpldm.package(components=[(2, 4000)]),
                  "Invalid image (error: -22)")


def flash_partly_bad(lab):
    """A good component then a bad one: nothing is written."""
    if lab.driver == "c":
        raise KsftSkipEx("the C driver writes the components before an unknown one: "
                         "it checks each only at its turn")
    flash_refused(lab, mkpldm.package(components=[(1, 4000), (2, 4000)]),
                  "Invalid image (error: -22)")


TWO_COMPONENTS = [(1, 5000), (3, 4000)]


def flash_components(lab):
    """A package of two components flashes both, in order."""
    fw_file("fbnic-two.pldm", mkpldm.package(components=TWO_COMPONENTS))
    before = flashed(lab)
    flash(lab, "fbnic-two.pldm")
    new = [f.rsplit(":", 1)[0] for f in flashed(lab)[len(before):]]
    ksft_eq(new, ["section1:5000B", "section3:4000B"])


def flash_component_select(lab):
    """devlink dev flash ... component fw.undi writes the option ROM only.
    The C driver reports no version as a component, so devlink refuses
    the selection for it."""
    fw_file("fbnic-two.pldm", mkpldm.package(components=TWO_COMPONENTS))
    before = flashed(lab)
    if lab.driver == "c":
        with ksft_raises(NlError) as e:
            flash(lab, "fbnic-two.pldm", component="fw.undi")
        ksft_in("selected component is not supported by this device", str(e.exception))
        ksft_eq(flashed(lab), before, "what the firmware flashed")
        return
    flash(lab, "fbnic-two.pldm", component="fw.undi")
    new = [f.rsplit(":", 1)[0] for f in flashed(lab)[len(before):]]
    ksft_eq(new, ["section3:4000B"])
    with ksft_raises(NlError) as e:
        flash(lab, "fbnic-two.pldm", component="fw.mgmt")
    ksft_in("selected component is not supported by this device", str(e.exception))


LOG_LINE = re.compile(r"^\[ *(\d+)\] \[(\d\d):(\d\d):(\d\d):(\d\d)\.(\d{3})\] (.*)$")


def fw_log(lab):
    """debugfs fbnic/BDF/fw_log shows the emulated firmware's log lines,
    with their index and time: those kept from before the driver asked
    (with the history), then the ones sent as they happened."""
    text = Path(f"/sys/kernel/debug/fbnic/{lab.bdf}/fw_log").read_text()
    (lab.results / "fw_log.txt").write_text(text + "\n")
    shown = {}
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        ksft_not_none(m, f"fw_log line {line!r}")
        d, h, mi, sec, ms = (int(x) for x in m.groups()[1:6])
        shown[int(m.group(1))] = (((d * 24 + h) * 60 + mi) * 60 + sec) * 1000 + ms, m.group(7)
    answer = lab.emu.request("fw-log", 0)
    ksft_true(answer.startswith("ok "), f"fw-log: {answer[:80]}")
    fw = [line.split(":", 2) for line in answer[3:].split(" || ")]
    ksft_pr(f"{len(shown)} lines in fw_log, the firmware kept {len(fw)}")
    ksft_gt(len(fw), 3)
    for index, msec, msg in fw:
        ksft_eq(shown.get(int(index)), (int(msec), msg), f"line {index}")
    texts = [t for _, t in shown.values()]
    ksft_in("fbnic-emu firmware booted", texts)
    ksft_true(any("flash update of section 1 complete: 10000 bytes" in t for t in texts),
              "the flash update's line")


def fw_coredump(lab):
    # The dump's formatted messages as devlink prints them; the emulated
    # dump starts with "fbnic-emu firmware coredump".
    out = cmd(f"devlink health dump show pci/{lab.bdf} reporter fw").stdout
    (lab.results / "coredump.txt").write_text(out)
    ksft_pr(out[:300])
    ksft_in("FW coredump", out)
    ksft_in(b"fbnic-emu firmware".hex(), "".join(out.split()))


def ptp_clock_runs(lab):
    """The PTP hardware clock runs at the rate of real time."""
    with Phc(phc_of(lab.dev)) as clock:
        ratio = clock.rate()
    ksft_pr(f"{clock.path}: ratio {ratio:.4f} to host time")
    ksft_gt(ratio, 0.95)
    ksft_lt(ratio, 1.05)


def ptp_ethtool_phc(lab):
    """ethtool -T names the device's clock."""
    out = cmd(f"ethtool -T {lab.dev}").stdout
    ksft_pr(out)
    # ethtool 6.11 and later name it the hardware timestamp provider.
    index = [line.split(":")[1].strip() for line in out.splitlines()
             if line.startswith(("PTP Hardware Clock:",
                                 "Hardware timestamp provider index:"))]
    ksft_eq(index, [phc_of(lab.dev).removeprefix("ptp")])


# Sunday 5 November 2023, 00:53:20 UTC.
PTP_SET_NS = 1_699_145_600 * NSEC_PER_SEC


def ptp_settime(lab):
    """clock_settime, then clock_gettime reads the time set, plus the time
    the two calls took."""
    with Phc(phc_of(lab.dev)) as clock:
        t0 = time.monotonic_ns()
        clock.settime(PTP_SET_NS)
        got = clock.gettime()
        took = time.monotonic_ns() - t0
    ksft_pr(f"set {PTP_SET_NS}, read {got} ({got - PTP_SET_NS} ns later, in {took} ns)")
    ksft_ge(got, PTP_SET_NS)
    ksft_ge(took, got - PTP_SET_NS)


def ptp_adjtime(lab):
    """clock_adjtime(ADJ_SETOFFSET) moves the clock by the offset asked,
    forwards and back, against the monotonic clock."""
    with Phc(phc_of(lab.dev)) as clock:
        for delta in (2_500_000_000, -1_250_000_000):
            before, w0 = clock.offset_to()
            clock.adjtime(delta)
            after, w1 = clock.offset_to()
            moved = after - before
            ksft_pr(f"adjtime {delta} ns: moved {moved} ns (read windows {w0}, {w1} ns)")
            # Each offset is known to within half its read window; the
            # clock's drift between the reads adds well under 1 ms.
            ksft_lt(abs(moved - delta), (w0 + w1) // 2 + 1_000_000)


def ptp_adjfine(lab):
    """clock_adjtime(ADJ_FREQUENCY) changes the clock's rate by the parts
    per million asked, and back: rates measured against host time."""
    with Phc(phc_of(lab.dev)) as clock:
        try:
            nominal = clock.rate()
            rates = {}
            for ppm in (100_000, -50_000):
                clock.adjfine(ppm)
                rates[ppm] = clock.rate()
            clock.adjfine(0)
            back = clock.rate()
        finally:
            clock.adjfine(0)
    ksft_pr(f"rate at 0 ppm {nominal:.5f}, {rates}, back at 0 ppm {back:.5f}")
    for ppm, rate in rates.items():
        # Relative to the nominal rate, which absorbs the guest's own drift.
        ksft_lt(abs(rate / nominal - (1 + ppm / 1e6)), 0.01, f"{ppm} ppm")
    ksft_lt(abs(back / nominal - 1), 0.01, "0 ppm again")


def ptp_sys_offset(lab):
    """PTP_SYS_OFFSET_EXTENDED: each PHC reading comes with the system
    times around it, and the PHC-to-system offsets agree."""
    with Phc(phc_of(lab.dev)) as clock:
        samples = clock.sys_offset_extended(5)
    offsets = []
    for pre, phc, post in samples:
        ksft_pr(f"pre {pre} phc {phc} post {post}: window {post - pre} ns")
        ksft_ge(post, pre)
        ksft_lt(post - pre, 50_000_000)
        offsets.append(phc - (pre + post) // 2)
    windows = max(post - pre for pre, _, post in samples)
    ksft_lt(max(offsets) - min(offsets), windows + 1_000_000)


def fw_errors(lab):
    rep = lab.devlink.health_reporter_get({**devlink_id(lab),
                                               "health-reporter-name": "fw"})
    return rep["health-reporter"]["health-reporter-err-count"]


def fault_heartbeat_loss(lab):
    """Heartbeats stop: the driver declares a firmware crash through its
    devlink health reporter and takes ownership again; heartbeats resume."""
    before = fw_errors(lab)
    lab.emu.ctl("fault", 0, "heartbeat", "stop")
    try:
        seen = wait_for(lambda: fw_errors(lab) > before, 40)
    finally:
        lab.emu.ctl("fault", 0, "heartbeat", "start")
    ksft_pr(f"fw reporter errors: {before} -> {fw_errors(lab)}")
    ksft_true(seen, "no firmware error reported within 40 s")
    ksft_true(wait_carrier(lab, "1", 10), "no carrier after the recovery")
    ksft_true(wait_for(lambda: emu_field(lab, "host") == "owner", 10),
              "the driver did not take ownership of the firmware again")


def link_stats(lab):
    """The interface statistics (rtnl stats64) of port 0."""
    return json.loads(cmd(f"ip -s -s -j link show dev {lab.dev}").stdout)[0]["stats64"]


def queue_stats(lab, queue):
    """The per-queue RX statistics (netdev qstats) of port 0's queue."""
    ifindex = int(read(f"/sys/class/net/{lab.dev}/ifindex"))
    for q in NetdevFamily().qstats_get({"ifindex": ifindex, "scope": ["queue"]}, dump=True):
        if q["queue-type"] == "rx" and q["queue-id"] == queue:
            return q
    raise Exception(f"no qstats for RX queue {queue} of {lab.dev}")


# Device events the emulator counts on request ("count PORT REGISTER N"),
# and what each adds to the interface statistics (fbnic_get_stats64()).
HW_DROPS = [
    ("RDE_BDQ_DROP_CNT[0]", 5, "rx", "over_errors"),  # no buffer, queue 0
    ("RDE_CQ_DROP_CNT[1]", 3, "rx", "over_errors"),  # no completion room, queue 1
    ("RDE_PKT_ERR_CNT[0]", 2, "rx", "errors"),  # not placed, queue 0
    ("DROP_FRMS_STS[4]", 4, "rx", "missed_errors"),  # RX buffer, host FIFO
    ("DROP_FRMS_STS[6]", 1, "rx", "missed_errors"),  # RX buffer, BMC to host
    ("DROP_FRMS_STS[0]", 7, None, None),  # management FIFO: TCAM misses too
    ("TTI_CM_DROP_PKTS", 6, "tx", "dropped"),  # TX credit management
    ("DROP_PKTS", 1, "tx", "dropped"),  # TX MAC interface
]


def hw_drops_stats64(lab):
    """Drops the device counts reach ip -s link as the C driver reports
    them: RX DMA engine overruns and errors over all queues, RX buffer
    drops of the host FIFOs (not the management FIFO's), TX drops."""
    before = link_stats(lab)
    want = {("rx", k): before["rx"].get(k, 0) for k in ("over_errors", "errors", "missed_errors")}
    want[("tx", "dropped")] = before["tx"]["dropped"]
    for reg, n, side, key in HW_DROPS:
        lab.emu.ctl("count", 0, reg, n)
        if side:
            want[(side, key)] += n
    after = link_stats(lab)
    got = {(side, key): after[side].get(key, 0) for side, key in want}
    ksft_eq(got, want)


def hw_drops_qstats(lab):
    """Queue 0's RX DMA engine drops are its rx-hw-drops (every drop) and
    rx-hw-drop-overruns (no buffer or completion room)."""
    before = queue_stats(lab, 0)
    lab.emu.ctl("count", 0, "RDE_BDQ_DROP_CNT[0]", 5)
    lab.emu.ctl("count", 0, "RDE_CQ_DROP_CNT[0]", 2)
    lab.emu.ctl("count", 0, "RDE_PKT_ERR_CNT[0]", 3)
    after = queue_stats(lab, 0)
    ksft_eq(after.get("rx-hw-drop-overruns", 0) - before.get("rx-hw-drop-overruns", 0), 7)
    ksft_eq(after.get("rx-hw-drops", 0) - before.get("rx-hw-drops", 0), 10)


def hw_counter_no_wrap(lab):
    """A 32-bit device counter that wraps keeps counting in 64 bits: the
    driver reads it in between, as it does at least every second."""
    base = link_stats(lab)["rx"]["errors"]
    lab.emu.ctl("count", 0, "RDE_PKT_ERR_CNT[0]", 0xfffffff0)
    ksft_eq(link_stats(lab)["rx"]["errors"] - base, 0xfffffff0)
    # The register wraps to 0x10.
    lab.emu.ctl("count", 0, "RDE_PKT_ERR_CNT[0]", 0x20)
    ksft_eq(link_stats(lab)["rx"]["errors"] - base, 0x1_0000_0010)


def updown_cycles(lab):
    for _ in range(20):
        ip(f"link set {lab.dev} down")
        ip(f"link set {lab.dev} up")
    ksft_true(wait_carrier(lab, "1", 20), "no carrier after 20 down/up cycles")


def reload_cycles(lab):
    lab.cycles(10)
    lab.save_dmesg("fbnic-dmesg-final.txt")


def main():
    run([control_channel, load, netdev, mac_from_dsn, devlink_info, link_up,
         ethtool_speed, hw_drops_stats64, hw_drops_qstats, hw_counter_no_wrap,
         ethtool_selftest, ethtool_module_eeprom, hwmon_temp,
         hwmon_volt, fault_sensor_error, fault_dropped_answer, link_flap,
         devlink_flash, flash_progress, flash_not_pldm, flash_wrong_device,
         flash_bad_component, flash_partly_bad, flash_components,
         flash_component_select, fw_log, fw_coredump, ptp_clock_runs, ptp_ethtool_phc,
         ptp_settime, ptp_adjtime, ptp_adjfine, ptp_sys_offset,
         fault_heartbeat_loss,
         updown_cycles, unload, reload_cycles, dmesg_clean], Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
