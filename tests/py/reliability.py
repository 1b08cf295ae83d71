#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The guest side of the fault matrix (make reliability,
scripts/reliability.sh; Documentation/reliability.md), for either driver:

    reliability.py [--load idle|iperf3|cycles] [--cycles N] [--binds M] [-t CASE ...]

Each row runs one fault case of the recovery suite (tests/py/recovery.py,
tests/py/lib/hostile_cases.py) with its own checks, idle or with an
iperf3 stream from port 0 to port 1 running through it, and records what
was measured, one JSON object a row in $RESULTS/matrix-DRIVER-LOAD.jsonl:

- result: pass, fail (a check of the case failed) or skip (and why);
- log_lines, first_log: fbnic's kernel log lines during the row;
- reset: the first fbnic line of the row telling of a queue, device or
  firmware reset or recovery (None if none);
- duration_s: the row's time, fault, detection and recovery included;
- recovery_s: after the case, until a ping is answered again;
- pings_after: of 20 pings to port 1 after that;
- load_bytes: what the iperf3 client sent during the row (load only);
- reports: kernel report lines of the row (KASAN, UBSAN, lockdep, WARN,
  BUG, sleeping in atomic context), from /dev/kmsg (which a case's
  "dmesg -C" does not clear).

Then --binds unbind/bind cycles of port 0 with pings running from port
1's namespace, --cycles load/unload cycles of the module with both ports
up and sending raw frames to each other when it unloads (0 skips
either; --load cycles runs them without the fault rows), and, on a
kernel booted with kmemleak, the objects kmemleak finds allocated
through fbnic."""

import argparse
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

OPTS_PARSER = argparse.ArgumentParser(add_help=False)
OPTS_PARSER.add_argument("--load", choices=("idle", "iperf3", "cycles"), default="idle")
OPTS_PARSER.add_argument("--cycles", type=int, default=1000)
OPTS_PARSER.add_argument("--binds", type=int, default=100)
OPTS, _REST = OPTS_PARSER.parse_known_args()
sys.argv = sys.argv[:1] + _REST

# pylint: disable=wrong-import-position
from lib.py import KsftSkipEx, cmd, ip, ksft_eq, ksft_pr, ksft_true
from net.lib.py import ksft as _ksft
from fbnic_lab import NS, Lab, load, read, run, unload, up, wait_for
import hostile_cases as hc
import recovery

# Row name, case. The names are those of the matrix.
ROWS = [
    ("tx-stall", recovery.tx_timeout_recovery),
    ("rx-cmpl/tx-cmpl", recovery.malformed_completions),
    ("irq-storm", hc.irq_storm),
    ("irq-lost", hc.lost_interrupts),
    ("mmio-gone", hc.device_gone),
    ("dma-fail", hc.dma_faults),
    ("fw-tlv", hc.fw_malformed_tlv),
    ("fw-flood", hc.fw_flood),
    ("fw-silence", hc.fw_silence),
    ("fw-flash-crash", hc.fw_flash_crash),
]
REPORTS = ("BUG: KASAN", "UBSAN:", "WARNING:", "BUG:", "possible circular locking",
           "inconsistent lock state", "Invalid wait context", "Oops",
           "general protection", "Kernel panic", "sleeping function called")
RESETS = ("reset", "ownership again", "Firmware crash", "detached", "firing it")
KMSG = "/tmp/fbnic-matrix-kmsg.txt"
IPERF_PORT = 5202


def driver_name(lab):
    """rust, c, or c-fixes: the C driver with the fixes proposed upstream
    (Documentation/upstream/fbnic-c)."""
    return "c-fixes" if lab.c_fixes else lab.driver


def out_file(lab):
    return Path(os.environ.get("RESULTS", "/tmp")) / f"matrix-{driver_name(lab)}-{OPTS.load}.jsonl"


def record(lab, row):
    row.update(driver=driver_name(lab), load=OPTS.load)
    with open(out_file(lab), "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    ksft_pr(f"matrix: {json.dumps(row)}")


def mark(text):
    with open("/dev/kmsg", "w", encoding="ascii") as f:
        f.write(f"fbnic-matrix: {text}\n")


def kmsg_since(text):
    """Kernel log messages after marker text (from the /dev/kmsg copy)."""
    time.sleep(0.3)
    lines = Path(KMSG).read_text(errors="replace").splitlines()
    msgs = [l.split(";", 1)[-1] for l in lines]
    marker = f"fbnic-matrix: {text}"
    at = max((i for i, m in enumerate(msgs) if m == marker), default=-1)
    return msgs[at + 1:]


class Load:
    """iperf3 from port 0 to port 1 for the row (with --load iperf3)."""

    def __init__(self, lab):
        self.stream = hc.Stream(lab, IPERF_PORT) if OPTS.load == "iperf3" else None

    def stop(self):
        return self.stream.stop() if self.stream else None


def row_case(name, case):
    def row(lab):
        mark(f"begin {name}")
        traffic = Load(lab)
        start = time.monotonic()
        result, why = "pass", None
        try:
            case(lab)
            if _ksft.KSFT_RESULT is False:
                result = "fail"
        except KsftSkipEx as e:
            result, why = "skip", str(e)
        except Exception as e:  # pylint: disable=broad-except
            result, why = "fail", f"{type(e).__name__}: {e}"
        duration = time.monotonic() - start
        load_bytes = traffic.stop()
        after = time.monotonic()
        back = wait_for(lambda: lab.ping(count=1, wait=1) == 1, 30, step=0.1)
        recovery_s = time.monotonic() - after if back else None
        pings = lab.ping(count=20, interval=0.05)
        msgs = kmsg_since(f"begin {name}")
        fbnic = [m for m in msgs if "fbnic" in m]
        record(lab, {
            "row": name, "result": result, "why": why,
            "log_lines": len(fbnic), "first_log": fbnic[0] if fbnic else None,
            "reset": next((m for m in fbnic if any(r in m for r in RESETS)), None),
            "duration_s": round(duration, 1),
            "recovery_s": None if recovery_s is None else round(recovery_s, 2),
            "pings_after": pings, "load_bytes": load_bytes,
            "reports": [m for m in msgs if any(r in m for r in REPORTS)],
        })
        if result == "skip":
            raise KsftSkipEx(why)
        ksft_eq(pings, 20, f"{name}: pings after")
    row.__name__ = "row_" + name.replace("-", "_").replace("/", "_")
    return row


KMSG_COPY = []


def start_kmsg(_lab):
    """Copies the kernel log from here on, whatever clears the ring. Its
    own session and no descriptor of ours: the guest's output pipe must
    close when the suite ends."""
    with open(KMSG, "w", encoding="ascii") as f:
        KMSG_COPY.append(subprocess.Popen(
            ["cat", "/dev/kmsg"], stdin=subprocess.DEVNULL, stdout=f,
            stderr=subprocess.DEVNULL, start_new_session=True))
    time.sleep(0.5)
    ksft_true(Path(KMSG).exists(), "kernel log copy")


def pings_running(lab, seconds):
    """Pings from port 1's namespace to port 0, 100 a second, in the
    background."""
    return subprocess.Popen(
        ["ip", "netns", "exec", NS, "ping", "-q", "-i", "0.01", "-W", "1",
         "-w", str(seconds), lab.env.addr_v["4"]],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def bind_cycles(lab):
    """--binds unbind/bind cycles of port 0 under pings; the port comes
    back with its address and answers each time."""
    if OPTS.binds == 0:
        raise KsftSkipEx("no unbind/bind cycles asked for (--binds 0)")
    mark("begin unbind/bind")
    bdf = lab.pci_devs()[0]
    start = time.monotonic()
    pinger = pings_running(lab, 36000)
    done = 0
    for i in range(OPTS.binds):
        hc.rebind(lab, bdf)
        if not wait_for(lambda: lab.ping(count=1, wait=1) == 1, 30, step=0.1):
            ksft_pr(f"cycle {i + 1}: no answer after the bind")
            break
        done += 1
    pinger.send_signal(signal.SIGINT)  # ping prints its summary on SIGINT
    out = pinger.communicate()[0]
    msgs = kmsg_since("begin unbind/bind")
    record(lab, {"row": "unbind/bind cycles", "result": "pass" if done == OPTS.binds else "fail",
                 "cycles": done, "asked": OPTS.binds,
                 "duration_s": round(time.monotonic() - start, 1),
                 "pinger": out.strip().splitlines()[-2:] if out.strip() else None,
                 "pings_after": lab.ping(count=20, interval=0.05),
                 "reports": [m for m in msgs if any(r in m for r in REPORTS)]})
    ksft_eq(done, OPTS.binds, "unbind/bind cycles with an answer after each")


# A frame sender for the load/unload cycles: raw frames of an
# experimental ethertype (the stack drops them after counting) from one
# port to the other port's MAC, in bursts of SENDER_BURST a millisecond
# or so, until the interface goes away under it. Frames are always in
# flight, and the guest keeps the CPU time to load, bring up and unload
# the driver (unpaced senders took most of it, on the debug kernel the
# larger part of a cycle). A thread of this process rather than a process
# of its own: starting two interpreters a cycle cost seconds there too.
SENDER_BURST = 8


def send_frames(ifname, dst):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        frame = bytes.fromhex(dst.replace(":", "")) + s.getsockname()[4] + \
            b"\x88\xb5" + bytes(986)
        while True:
            try:
                for _ in range(SENDER_BURST):
                    s.send(frame)
            except OSError as e:
                if e.errno in (errno.ENXIO, errno.ENODEV):
                    return
            time.sleep(0.001)


def counter(dev, name):
    try:
        return int(Path(f"/sys/class/net/{dev}/statistics/{name}").read_text())
    except (OSError, ValueError):
        return 0


def traffic_cycle(lab):
    """One load/unload cycle under traffic: the module loads, both ports
    come up, each sends raw frames to the other, and the module unloads
    while they flow. Returns (frames port 0 had received at the unload,
    whether both ports had carrier)."""
    lab.load_driver()
    devs = [lab.netdev(p) for p in range(lab.ports)]
    if None in devs:
        raise Exception(f"a port has no netdev after the load: {devs}")
    for dev in devs:
        ip(f"link set {dev} up")
    carrier = wait_for(lambda: all(read(f"/sys/class/net/{d}/carrier") == "1" for d in devs),
                       5, step=0.05)
    macs = [read(f"/sys/class/net/{d}/address") for d in devs]
    senders = [threading.Thread(target=send_frames, args=(devs[i], macs[1 - i]), daemon=True)
               for i in (0, 1)]
    for t in senders:
        t.start()
    wait_for(lambda: counter(devs[0], "rx_packets") > 0 and
             counter(devs[1], "rx_packets") > 0, 10, step=0.05)
    received = counter(devs[0], "rx_packets")
    lab.unload_driver()
    for t in senders:
        t.join(timeout=10)
        if t.is_alive():
            raise Exception("a sender still runs 10 s after the unload")
    return received, carrier


def load_cycles(lab):
    """--cycles load/unload cycles of the module under traffic (every
    function bound, both ports up and sending to each other when the
    module goes); then the layout again."""
    if OPTS.cycles == 0:
        raise KsftSkipEx("no load/unload cycles asked for (--cycles 0)")
    mark("begin load/unload")
    start = time.monotonic()
    unload(lab)
    done, with_traffic, received = 0, 0, 0
    for i in range(OPTS.cycles):
        try:
            frames, _carrier = traffic_cycle(lab)
        except Exception as e:  # pylint: disable=broad-except
            ksft_pr(f"cycle {i + 1}: {type(e).__name__}: {e}")
            if lab.module_loaded():
                lab.unload_driver()
            break
        if lab.module_loaded():
            ksft_pr(f"cycle {i + 1}: fbnic still loaded after rmmod")
            break
        done += 1
        with_traffic += frames > 0
        received += frames
    load(lab)
    up(lab)
    msgs = kmsg_since("begin load/unload")
    pings = lab.ping(count=20, interval=0.05)
    record(lab, {"row": "load/unload cycles", "cycles": done, "asked": OPTS.cycles,
                 "cycles_with_traffic": with_traffic, "frames_received": received,
                 "result": "pass" if done == OPTS.cycles and
                 _ksft.KSFT_RESULT is not False else "fail",
                 "duration_s": round(time.monotonic() - start, 1), "pings_after": pings,
                 "reports": [m for m in msgs if any(r in m for r in REPORTS)]})
    ksft_eq(done, OPTS.cycles, "load/unload cycles under traffic")
    ksft_eq(with_traffic, done, "cycles in which port 0 received frames before the unload")
    ksft_eq(pings, 20, "pings after the cycles")


def kmemleak(lab):
    if "kmemleak=on" not in Path("/proc/cmdline").read_text():
        record(lab, {"row": "kmemleak", "result": "skip", "why": "kmemleak off"})
        raise KsftSkipEx("kmemleak off (FBNIC_KERNEL_FLAVOUR=debug boots with it)")
    unload(lab)
    leaks = lab.kmemleak_leaks()
    record(lab, {"row": "kmemleak", "result": "pass" if not leaks else "fail",
                 "leaks": leaks[:5], "count": len(leaks)})
    ksft_eq(len(leaks), 0, "objects allocated through fbnic that kmemleak reports")


def stop_kmsg(_lab):
    for p in KMSG_COPY:
        p.terminate()
        p.wait()


def main():
    # --load cycles: the cycles alone (they bring their own traffic).
    rows = [] if OPTS.load == "cycles" else [row_case(name, case) for name, case in ROWS]
    run([load, up, start_kmsg, *rows, bind_cycles, load_cycles, kmemleak, stop_kmsg],
        Lab(), "")


if __name__ == "__main__":
    main()
