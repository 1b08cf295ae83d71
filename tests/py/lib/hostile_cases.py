# SPDX-License-Identifier: GPL-2.0
"""The recovery suite's cases for a device that misbehaves as a whole
(the emulator's tools/fbnic-emu/src/hostile.rs), for either driver, on the
two-port layout (port 0 here, port 1 in netns remote):

- irq_storm: every MSI-X vector of port 0 fires every 250 us for 5 s with
  no cause. Both drivers' handlers find nothing to do; traffic goes on.
- lost_interrupts: the next queue interrupt of port 0 is lost (the vector
  masked, the driver never told). The Rust driver's service task finds a
  vector with completions waiting and no interrupt for a second, logs it
  and fires it: traffic resumes by itself. The C driver has no such
  check: the queue pair stays stalled until the interface goes down and
  up.
- device_gone: port 0's registers read all ones (a device that fell off
  the bus). Both drivers notice from a read, log it once, detach the
  interface and stop touching the device. Once the device answers again,
  a function reset brings the Rust driver's port back
  (reset_prepare/reset_done); the C driver has no reset handlers and
  needs an unbind and bind.
- fw_malformed_tlv, fw_flood, fw_silence, fw_flash_crash: the firmware
  sends messages with inconsistent TLV lengths, floods the host with
  unsolicited messages, goes silent, crashes in the middle of a flash
  (tools/fbnic-emu/src/fw/hostile.rs). The driver drops the garbage, stays
  responsive, finds the silence or the reboot through the heartbeat and
  takes ownership again (the devlink health "fw" reporter counts it); the
  Rust driver counts each in ethtool -S fw_* and logs rate-limited.
- dma_faults: the buffer DMA of 10 packets fails (an IOMMU fault): the
  device drops and counts them (rde_N_pkt_err, tti_frame_drop_frames),
  the drivers go on."""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from lib.py import KsftSkipEx, cmd, defer, ip, ksft_eq, ksft_ge, ksft_gt, ksft_in, ksft_pr, \
    ksft_true
from fbnic_lab import LOCAL_V4, LOCAL_V6, PCI, read, wait_for


class Stream:
    """An iperf3 stream from port 0 to the remote port in the background,
    until stop()."""

    def __init__(self, lab, port=5202):
        cmd(f"iperf3 -s -D -p {port}", host=lab.env.remote, fail=False)
        time.sleep(0.3)
        self.proc = subprocess.Popen(
            ["iperf3", "-c", lab.env.remote_addr_v["4"], "-p", str(port), "-t", "3600", "-J"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        time.sleep(1)

    def stop(self):
        """Ends the stream; the bytes the client sent (None if unknown)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=20)
            # Interrupted, the client has only its own count.
            return json.loads(out)["end"]["sum_sent"]["bytes"]
        except (subprocess.TimeoutExpired, ValueError, KeyError):
            self.proc.kill()
            self.proc.communicate()
            return None


def irq_report(lab):
    """{storm, fired, lost, left} of port 0 ("fault 0 irq")."""
    words = lab.emu.request("fault", 0, "irq").split()
    ksft_eq(words[:2], ["ok", "irq"], f"fault 0 irq: {words}")
    return dict(zip(words[2::2], words[3::2]))


def carrier(lab):
    return read(f"/sys/class/net/{lab.env.ifname}/carrier") == "1"


def irq_storm(lab):
    """5 s of interrupts without cause on every vector of port 0, with
    pings running: no lockup, every ping answered, the kernel did not
    disable a vector ("nobody cared"), traffic after it."""
    ksft_ge(lab.ping(), 1, "pings before the storm")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    fired = int(irq_report(lab)["fired"])
    lab.emu.ctl("fault", 0, "irq", "storm", 5)
    got = lab.ping(count=15, interval=0.2)
    report = irq_report(lab)
    ksft_pr(f"storm: {int(report['fired']) - fired} messages sent so far")
    ksft_eq(got, 15, "pings answered during the storm")
    ksft_true(wait_for(lambda: irq_report(lab)["storm"] == "off", 15), "the storm ended")
    stormed = int(irq_report(lab)["fired"]) - fired
    ksft_pr(f"storm: {stormed} messages in all")
    ksft_gt(stormed, 1000, "MSI-X messages the storm sent")
    clear.exec()
    log = cmd("dmesg").stdout
    ksft_eq([l for l in log.splitlines() if "nobody cared" in l or "Disabling IRQ" in l], [],
            "no interrupt disabled by the kernel")
    ksft_eq(lab.ping(count=10, interval=0.1), 10, "answers after the storm")
    ksft_gt(lab.iperf3(seconds=2), 0, "iperf3 after the storm")


def lost_interrupts(lab):
    """Port 0 loses its next queue interrupt. Rust: the service task fires
    the stalled vector, traffic resumes by itself within a few seconds.
    C: it stays stalled until down/up."""
    ksft_ge(lab.ping(), 1, "pings before")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lost = int(irq_report(lab)["lost"])
    lab.emu.ctl("fault", 0, "irq", "lost", 1)
    # Each ping's send and reply complete on a queue vector of port 0.
    first = lab.ping(count=10, interval=0.2)
    ksft_eq(irq_report(lab)["left"], "0", "the interrupt to lose was used")
    ksft_eq(int(irq_report(lab)["lost"]) - lost, 1, "interrupts the emulator lost")
    ksft_pr(f"{first} of 10 pings answered around the lost interrupt")
    clear.exec()
    time.sleep(3)
    after = lab.ping(count=10, interval=0.2)
    ksft_pr(f"{after} of 10 pings answered 3 s later")
    if lab.driver == "rust":
        ksft_eq(after, 10, "traffic resumed by itself")
        ksft_in("completions waiting and no interrupt", cmd("dmesg").stdout,
                "the driver logged the stalled vector")
    else:
        # C has no check; down/up resets the rings and interrupts.
        ip(f"link set {lab.env.ifname} down")
        ip(f"link set {lab.env.ifname} up")
        ksft_true(wait_for(lambda: carrier(lab), 20), "carrier after down/up")
        ksft_eq(lab.ping(count=10, interval=0.2), 10, "answers after down/up")


GONE_LOG = {"rust": "the device is gone", "c": "disabled CSR access"}


def gone_reads(lab):
    """Port 0's register reads the emulator answered with all ones."""
    words = lab.emu.request("fault", 0, "mmio").split()
    ksft_eq(words[:2], ["ok", "mmio"], f"fault 0 mmio: {words}")
    return int(words[-1])


def rebind(lab, bdf):
    """Unbinds and binds port 0's function; addresses the new netdev as
    the layout had it and brings it up."""
    Path("/sys/bus/pci/drivers/fbnic/unbind").write_text(bdf)
    Path("/sys/bus/pci/drivers/fbnic/bind").write_text(bdf)
    ksft_true(wait_for(lambda: lab.netdev(0), 20), "a netdev after the bind")
    name = lab.netdev(0)
    ip(f"addr add {LOCAL_V4}/24 dev {name}")
    ip(f"addr add {LOCAL_V6}/64 dev {name} nodad")
    ip(f"link set {name} up")
    lab.env.ifname = name
    lab.env.dev = ip(f"link show dev {name}", json=True)[0]
    lab.env.ifindex = lab.env.dev["ifindex"]


def device_gone(lab):
    """Port 0's registers read all ones for a while. The driver logs it
    once, detaches the interface and stops reading the device; no traffic
    then. Once the device answers again: Rust comes back through a
    function reset, C through unbind and bind; traffic flows."""
    bdf = lab.pci_devs()[0]
    dev = lab.env.ifname
    ksft_ge(lab.ping(), 1, "pings before")
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lab.emu.ctl("fault", 0, "mmio", "gone")
    log = GONE_LOG[lab.driver]
    ksft_true(wait_for(lambda: log in cmd("dmesg").stdout, 10),
              f"the driver logged '{log}'")
    ksft_eq(len([l for l in cmd("dmesg").stdout.splitlines() if log in l]), 1,
            "logged once")
    # A detached interface (netif_device_detach) refuses ethtool.
    ksft_true(wait_for(lambda: cmd(f"ethtool -S {dev}", fail=False).ret != 0, 5),
              "the interface is detached (ethtool -S refused)")
    ksft_eq(lab.ping(count=5, interval=0.2), 0, "no traffic while the device is gone")
    reads = gone_reads(lab)
    time.sleep(3)
    more = gone_reads(lab) - reads
    ksft_pr(f"register reads in 3 s after the driver noticed: {more}")
    ksft_eq(more, 0, "the driver stopped reading the device")
    lab.emu.ctl("fault", 0, "mmio", "back")
    clear.exec()
    if lab.driver == "rust":
        Path(PCI / bdf / "reset").write_text("1\n")
    else:
        # C has no reset_prepare/reset_done: a function reset under it
        # leaves its BAR pointers cleared.
        rebind(lab, bdf)
    ksft_true(wait_for(lambda: carrier(lab), 20), "carrier after the device came back")
    ksft_true(wait_for(lambda: lab.ping(count=2) == 2, 20, step=1), "pings answered again")
    ksft_eq(lab.ping(count=10, interval=0.1), 10, "answers after the device came back")
    ksft_eq(lab.ping(count=5, remote=True), 5, "answers to port 1")


# The firmware misbehaving (tools/fbnic-emu/src/fw/hostile.rs).

# The Rust driver's counters of a misbehaving firmware (fw/health.rs).
FW_COUNTERS = ("fw_mbx_malformed", "fw_mbx_unexpected", "fw_mbx_errors",
               "fw_heartbeat_lost", "fw_recoveries", "fw_flash_errors")
# What each driver logs when a heartbeat goes unanswered.
HB_LOST = {"rust": "firmware did not respond to heartbeat message",
           "c": "Firmware did not respond to heartbeat message"}


def ethtool_stats(lab):
    """Port 0's ethtool -S as {name: value}."""
    out = {}
    for line in cmd(f"ethtool -S {lab.env.ifname}").stdout.splitlines():
        name, _, value = line.strip().partition(":")
        if value.strip().isdigit():
            out[name.strip()] = int(value)
    return out


def fw_counters(lab):
    """The Rust driver's fw_* counters (None for C, which has none)."""
    if lab.driver != "rust":
        return None
    s = ethtool_stats(lab)
    ksft_eq([n for n in FW_COUNTERS if n not in s], [], "fw counters in ethtool -S")
    return {n: s[n] for n in FW_COUNTERS}


def fw_delta(lab, before, name):
    return fw_counters(lab)[name] - before[name]


def fw_report(lab):
    """The emulator's firmware faults of port 0 ("fault 0 fw")."""
    words = lab.emu.request("fault", 0, "fw").split()
    ksft_eq(words[:2], ["ok", "fw"], f"fault 0 fw: {words}")
    return dict(zip(words[2::2], words[3::2]))


def devlink_id(lab):
    return {"bus-name": "pci", "dev-name": lab.pci_devs()[0]}


def fw_crash_reports(lab):
    """Error count of port 0's devlink health reporter "fw": firmware
    crashes (or silences) the driver noticed and recovered from."""
    rep = lab.devlink.health_reporter_get({**devlink_id(lab), "health-reporter-name": "fw"})
    return rep["health-reporter"]["health-reporter-err-count"]


def sensor(lab):
    """A mailbox round trip: port 0's temperature through hwmon
    (TSENE_READ_REQ); the value, or the OSError."""
    dev = os.path.realpath(PCI / lab.pci_devs()[0])
    for h in Path("/sys/class/hwmon").iterdir():
        if read(h / "name") == "fbnic" and os.path.realpath(h / "device") == dev:
            try:
                return int((h / "temp1_input").read_text())
            except OSError as e:
                return e
    raise Exception("no fbnic hwmon device for port 0")


def dmesg_lines(text):
    return [l for l in cmd("dmesg").stdout.splitlines() if text in l]


def traffic_after(lab, what):
    ksft_eq(lab.ping(count=20, interval=0.05), 20, f"answers after {what}")
    ksft_eq(lab.ping(count=20, interval=0.05, remote=True), 20, f"answers from port 1 after {what}")


def fw_malformed_tlv(lab):
    """Six LOG_MSG_REQ with inconsistent TLV lengths: three with an
    attribute running past the message, three with an array element
    running past its array into the next attribute. Dropped (Rust: counted
    and logged), the mailbox keeps working."""
    before = fw_counters(lab)
    sent = int(fw_report(lab)["malformed"])
    cmd("dmesg -C")
    lab.emu.ctl("fault", 0, "tlv", "attr-overrun", 3)
    lab.emu.ctl("fault", 0, "tlv", "nest-overrun", 3)
    ksft_eq(int(fw_report(lab)["malformed"]) - sent, 6, "malformed messages queued")
    if before is not None:
        ksft_true(wait_for(lambda: fw_delta(lab, before, "fw_mbx_malformed") >= 6, 10),
                  "malformed messages counted")
        ksft_eq(fw_delta(lab, before, "fw_mbx_malformed"), 6, "fw_mbx_malformed")
        ksft_ge(len(dmesg_lines("malformed firmware")), 1, "logged")
    else:
        time.sleep(2)
    for line in dmesg_lines("fbnic")[:6]:
        ksft_pr(line)
    temp = sensor(lab)
    ksft_true(isinstance(temp, int), f"a sensor read after the garbage: {temp}")
    traffic_after(lab, "the malformed messages")


def fw_flood(lab):
    """The firmware fills every posted mailbox buffer with unsolicited
    messages for about 5 s. Pings go on, a sensor read gets its answer
    through the flood, the log stays short (Rust: rate-limited, each
    message counted)."""
    before = fw_counters(lab)
    flooded = int(fw_report(lab)["flooded"])
    cmd("dmesg -C")
    stop = defer(lab.emu.ctl, "fault", 0, "flood", "stop")
    lab.emu.ctl("fault", 0, "flood", "start")
    start = time.monotonic()
    got = lab.ping(count=20, interval=0.2)
    t = time.monotonic()
    temp = sensor(lab)
    read_s = time.monotonic() - t
    stop.exec()
    took = time.monotonic() - start
    time.sleep(1)
    flooded = int(fw_report(lab)["flooded"]) - flooded
    ksft_pr(f"flood: {flooded} messages in {took:.1f} s; sensor read in {read_s:.2f} s")
    ksft_gt(flooded, 1000, "unsolicited messages the firmware sent")
    ksft_eq(got, 20, "pings answered during the flood")
    ksft_true(isinstance(temp, int), f"a sensor read through the flood: {temp}")
    lines = len(dmesg_lines("fbnic"))
    ksft_pr(f"fbnic log lines during the flood: {lines}")
    ksft_ge(100, lines, "log lines (rate-limited)")
    if before is not None:
        unexpected = fw_delta(lab, before, "fw_mbx_unexpected")
        ksft_pr(f"fw_mbx_unexpected +{unexpected}")
        # Those still queued when the flood stopped are delivered after.
        ksft_true(flooded - 16 <= unexpected <= flooded, "each unsolicited message counted")
    traffic_after(lab, "the flood")


def fw_silence(lab):
    """The firmware answers nothing for a while: no heartbeat. The driver
    notices (log, Rust: fw_heartbeat_lost), traffic goes on; once the
    firmware speaks again the driver reports the crash (devlink health
    "fw") and takes ownership again."""
    before = fw_counters(lab)
    reports = fw_crash_reports(lab)
    cmd("dmesg -C")
    stop = defer(lab.emu.ctl, "fault", 0, "silence", "stop")
    lab.emu.ctl("fault", 0, "silence", "start")
    start = time.monotonic()
    lost = wait_for(lambda: dmesg_lines(HB_LOST[lab.driver]), 35, step=1)
    ksft_pr(f"heartbeat loss logged after {time.monotonic() - start:.0f} s")
    ksft_true(lost, "the heartbeat loss was logged")
    ksft_eq(lab.ping(count=10, interval=0.1), 10, "traffic while the firmware is silent")
    stop.exec()
    back = time.monotonic()
    recovered = wait_for(lambda: fw_crash_reports(lab) > reports, 45, step=1)
    ksft_pr(f"recovered {time.monotonic() - back:.0f} s after the firmware spoke again")
    ksft_true(recovered, "the driver reported the firmware crash and recovered")
    ksft_eq(fw_crash_reports(lab), reports + 1, "devlink health fw reports")
    ksft_true(wait_for(lambda: " host owner " in lab.emu.request("status", 0), 10),
              "the driver owns the NIC again")
    if before is not None:
        ksft_ge(fw_delta(lab, before, "fw_heartbeat_lost"), 1, "fw_heartbeat_lost")
        ksft_eq(fw_delta(lab, before, "fw_recoveries"), 1, "fw_recoveries")
    temp = sensor(lab)
    ksft_true(isinstance(temp, int), f"a sensor read after the silence: {temp}")
    traffic_after(lab, "the silence")


def flash_file(lab, size):
    """Writes a PLDM package for devlink flash; its name."""
    if not Path("/sys/module/firmware_class").is_dir():
        raise KsftSkipEx("no firmware loader in the lab kernel")
    import mkpldm
    Path("/tmp/fw").mkdir(exist_ok=True)
    Path("/tmp/fw/fbnic-crash.pldm").write_bytes(mkpldm.package(size))
    Path("/sys/module/firmware_class/parameters/path").write_text("/tmp/fw")
    return "fbnic-crash.pldm"


def flash(lab, name):
    """devlink dev flash of port 0; None, or why it failed."""
    try:
        lab.devlink.flash_update({**devlink_id(lab), "flash-update-file-name": name})
    except Exception as e:  # the netlink error
        return str(e) or type(e).__name__
    return None


def fw_flash_crash(lab):
    """The firmware crashes after two chunks of a devlink flash and
    reboots 3 s later. The flash fails with an error (Rust: logged, and
    counted in fw_flash_errors); the heartbeat finds the reboot, the
    driver reports it and takes ownership again; a second flash works."""
    name = flash_file(lab, 20000)
    before = fw_counters(lab)
    reports = fw_crash_reports(lab)
    crashes = int(fw_report(lab)["crashes"])
    cmd("dmesg -C")
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lab.emu.ctl("fault", 0, "flash-crash", 2, 3)
    start = time.monotonic()
    err = flash(lab, name)
    ksft_pr(f"flash ended after {time.monotonic() - start:.1f} s: {err}")
    ksft_true(err is not None, "the flash failed")
    ksft_eq(int(fw_report(lab)["crashes"]), crashes + 1, "the firmware crashed")
    if before is not None:
        ksft_eq(fw_delta(lab, before, "fw_flash_errors"), 1, "fw_flash_errors")
        ksft_ge(len(dmesg_lines("may have crashed")), 1, "the stall was logged")
    recovered = wait_for(lambda: fw_crash_reports(lab) > reports, 45, step=1)
    ksft_pr(f"crash reported {time.monotonic() - start:.0f} s after the flash began")
    ksft_true(recovered, "the driver reported the firmware crash and recovered")
    # C reports the crash first (with the coredump, read over the
    # mailbox), then takes ownership again: the second flash waits for
    # that, or it races the recovery.
    ksft_true(wait_for(lambda: " host owner " in lab.emu.request("status", 0), 10),
              "the driver owns the NIC again")
    if before is not None:
        ksft_eq(fw_delta(lab, before, "fw_recoveries"), 1, "fw_recoveries")
    clear.exec()
    err = flash(lab, name)
    ksft_eq(err, None, "a flash after the recovery")
    ksft_in(":20000B:", lab.emu.request("status", 0), "the second image was written")
    traffic_after(lab, "the crash")


def dma_report(lab):
    words = lab.emu.request("fault", 0, "dma").split()
    ksft_eq(words[:2], ["ok", "dma"], f"fault 0 dma: {words}")
    return {k: int(v) for k, v in zip(words[2::2], words[3::2])}


def dma_faults(lab):
    """The buffer DMA of the next 10 packets of port 0 fails (an IOMMU
    fault): RX frames come with ERR_TRUNCATED_FRAME and are dropped (the
    device counts rde_N_pkt_err), TX packets are dropped by the device
    (tti_frame_drop_frames). Both counted as the emulator says; traffic
    resumes."""
    ksft_ge(lab.ping(), 1, "pings before")
    s0, r0 = ethtool_stats(lab), dma_report(lab)
    clear = defer(lab.emu.ctl, "fault", 0, "clear")
    lab.emu.ctl("fault", 0, "dma", "fail", 10)

    def used_up():
        lab.ping(count=5, interval=0.05)
        lab.ping(count=5, interval=0.05, remote=True)
        return dma_report(lab)["left"] == 0
    ksft_true(wait_for(used_up, 30, step=0.1), f"faults left: {dma_report(lab)}")
    clear.exec()
    r, s = dma_report(lab), ethtool_stats(lab)
    rx, tx = r["rx-failed"] - r0["rx-failed"], r["tx-failed"] - r0["tx-failed"]
    ksft_pr(f"failed DMA: rx {rx}, tx {tx}")
    ksft_eq(rx + tx, 10, "packets whose DMA failed")

    def pkt_err(stats):
        return sum(v for k, v in stats.items() if re.fullmatch(r"rde_\d+_pkt_err", k))
    ksft_eq(pkt_err(s) - pkt_err(s0), rx, "rde_N_pkt_err")
    ksft_eq(s["tti_frame_drop_frames"] - s0["tti_frame_drop_frames"], tx,
            "tti_frame_drop_frames")
    traffic_after(lab, "the failed DMA")
