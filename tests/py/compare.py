#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# fbnic-emu-args: --volt 812
# fbnic-suite: both-drivers
"""Side by side: the same read-only ethtool, devlink, iproute2, netdev
netlink, hwmon and PTP queries asked of the C driver and of the Rust
driver, in one VM on the same emulated device, and their answers compared;
last, the same ethtool -L requests (taken or refused, and what follows).

The C driver loads first, port 0 goes up, every query runs and its answer
is kept (RESULTS/compare/c/<query>.txt); then the same with the Rust
driver. One result per query: compare-<query> passes when the two answers
are the same after normalization (the interface name, counters' values,
PHC indices). A difference that is known, and why, is in EXPECTED_FAIL
below: it shows as XFAIL, and fails as XPASS once the answers agree, so
the list stays true. An unlisted difference fails with the diff.

The suite runs once (tests/run.sh reads the fbnic-suite line above), with
the Rust driver as its subject."""

import difflib
import os
import re
from pathlib import Path

from lib.py import NetdevFamily, cmd, ip, ksft_eq, ksft_pr, ksft_true
from fbnic_lab import Lab, dmesg_clean, read, run, wait_for

# "<driver> <case> <reason>" lines: the known differences, each with why.
EXPECTED_FAIL = """
rust ethtool-timestamping-stats the Rust driver also reports tx_err: transmit time stamps the device flagged as failed or reported with no packet waiting, which C ignores or only logs
rust ethtool-stats-names the Rust driver adds rx_queue_*/tx_queue_* counters that C reports through qstats only (issue 15, items 4 and 5)
rust netdev-dev-get the Rust driver also advertises xdp-features redirect and ndo-xmit: it carries out XDP_REDIRECT, which the C driver (7.3) drops, and sends frames redirected to it (ndo_xdp_xmit), which C does not have
"""


def sub(pattern, repl):
    """A normalization: re.sub over the whole answer, multiline."""
    rx = re.compile(pattern, re.M)
    return lambda text: rx.sub(repl, text)


def counter_names(text):
    """ethtool -S: the counters' names, not their values, each per-queue
    name once with its queue number as N (the queue counts are compared
    by ethtool-channels)."""
    names = []
    for line in text.splitlines():
        if ":" in line:
            name = re.sub(r"_\d+_", "_N_", line.split(":")[0].strip())
            if name not in names:
                names.append(name)
    return "\n".join(names)


def ip_details(text):
    """ip -d link show: the attributes of the device, not its index,
    name, state or the counters of what it has seen."""
    text = re.sub(r"^\d+: \S+: ", "", text, flags=re.M)
    text = re.sub(r"\b(state|promiscuity|allmulti) \S+ ?", "", text)
    return text


# ethtool -L requests, in turn: taken, refused (more RX-only and TX-only
# queues than vectors, all three kinds, over the maximum, other not 2).
CHANNEL_REQUESTS = [
    "combined 1", "combined 128", "combined 129", "combined 0 rx 1 tx 1",
    "combined 1 rx 1 tx 0", "combined 1 rx 0 tx 1", "combined 1 rx 1 tx 1",
    "combined 0 rx 2 tx 1", "combined 1 rx 2 tx 0", "other 1", "combined 2 rx 0 tx 0",
]

# (name, shell command, normalization): {dev} and {bdf} are port 0's.
# Every command only reads; an error is an answer too (exit status and
# stderr are compared with the output).
QUERIES = [
    ("ethtool-driver", "ethtool -i {dev}", sub(r"^version: .*$", "version: (the kernel's)")),
    ("ethtool-link", "ethtool {dev}", None),
    ("ethtool-features", "ethtool -k {dev}", None),
    ("ethtool-rings", "ethtool -g {dev}", None),
    ("ethtool-channels", "ethtool -l {dev}", None),
    ("ethtool-coalesce", "ethtool -c {dev}", None),
    ("ethtool-pause", "ethtool -I -a {dev}", sub(r"(\d+)$", "N")),
    ("ethtool-fec", "ethtool -I --show-fec {dev}", sub(r"(\d+)$", "N")),
    ("ethtool-eee", "ethtool --show-eee {dev}", None),
    ("ethtool-timestamping", "ethtool -T {dev}",
     sub(r"(PTP Hardware Clock:|Hardware timestamp provider index:) \d+", r"\1 N")),
    ("ethtool-timestamping-stats", "ethtool -I -T {dev}", sub(r"(\d+)$", "N")),
    # Each driver draws its own random key (C: net_get_random_once, per
    # module); its length is compared, not its bytes.
    ("ethtool-rss", "ethtool -x {dev}",
     lambda t: re.sub(r"(?m)^(?:[0-9a-f]{2}:)+[0-9a-f]{2}$",
                      lambda m: re.sub("[0-9a-f]{2}", "xx", m.group(0)), t)),
    ("ethtool-ntuple", "ethtool -n {dev}", None),
    ("ethtool-stats-names", "ethtool -S {dev}", counter_names),
    ("ethtool-std-stats-names", "ethtool -S {dev} --all-groups", counter_names),
    ("ethtool-module", "ethtool -m {dev}", None),
    ("ethtool-module-page0", "ethtool -m {dev} page 0 bank 0 i2c 0x50 offset 0 length 128 hex on",
     None),
    ("ethtool-regs-length", "ethtool -d {dev} raw on | wc -c", None),
    ("ethtool-priv-flags", "ethtool --show-priv-flags {dev}", None),
    ("ethtool-permaddr", "ethtool -P {dev}", None),
    ("ip-details", "ip -d link show dev {dev}", ip_details),
    ("devlink-info", "devlink dev info pci/{bdf}", None),
    ("devlink-health", "devlink health show pci/{bdf}",
     sub(r"(last_dump_date|last_dump_time) \S+", r"\1 T")),
    ("devlink-params", "devlink dev param show pci/{bdf}", None),
    ("devlink-ports", "devlink port show | grep -F pci/{bdf}/", None),
    ("hwmon", "cd /sys/bus/pci/devices/{bdf}/hwmon/hwmon* && "
     "grep -r . name temp* in* | sort", None),
]


def answer(command, dev, bdf):
    """What a command printed, with its exit status, the interface name
    replaced by DEV (C and Rust may be given different names)."""
    out = cmd(command.format(dev=dev, bdf=bdf), shell=True, fail=False, timeout=30)
    text = out.stdout + (f"\nstderr: {out.stderr.strip()}" if out.stderr.strip() else "")
    text += f"\nexit status {out.ret}"
    return re.sub(rf"\b{re.escape(dev)}\b", "DEV", text)


def netdev_attrs(lab, dev):
    """The netdev netlink family's dev-get for the port: XDP and AF_XDP
    features, as the kernel reads them off the driver."""
    ifindex = int(read(f"/sys/class/net/{dev}/ifindex"))
    got = NetdevFamily().dev_get({"ifindex": ifindex})
    got.pop("ifindex", None)
    return "\n".join(f"{k}: {got[k]}" for k in sorted(got))


def channel_requests(dev):
    """Each of CHANNEL_REQUESTS in turn (the one query that changes
    something, asked last): ethtool's answer, the counts it reports after,
    the stack's queues and the NAPI instances listed."""
    ifindex = int(read(f"/sys/class/net/{dev}/ifindex"))
    lines = []
    for req in CHANNEL_REQUESTS:
        out = cmd(f"ethtool -L {dev} {req}", fail=False, timeout=60)
        lines.append(f"== {req}: exit status {out.ret} {out.stderr.strip()}")
        now = cmd(f"ethtool -l {dev}").stdout
        lines.append(now[now.find("Current"):].strip())
        queues = sorted(os.listdir(f"/sys/class/net/{dev}/queues"))
        lines.append(f"queues: {len([q for q in queues if q.startswith('rx-')])} rx, "
                     f"{len([q for q in queues if q.startswith('tx-')])} tx")
        napis = NetdevFamily().napi_get({"ifindex": ifindex}, dump=True)
        lines.append(f"NAPI instances: {len(napis)}")
    return re.sub(rf"\b{re.escape(dev)}\b", "DEV", "\n".join(lines))


class Answers:
    """The answers of both drivers, query by query."""

    def __init__(self, lab):
        self.lab = lab
        self.by_driver = {}

    def collect(self, driver):
        """Loads driver, brings port 0 up and asks every query."""
        lab = self.lab
        lab.driver = driver
        lab.load_driver()
        try:
            bdf, dev = lab.pci_devs()[0], lab.netdev(0)
            ksft_true(dev, f"{driver}: no netdev for port 0")
            ip(f"link set {dev} up")
            # The emulated PMD trains for 4 s before the link is reported.
            ksft_true(wait_for(lambda: read(f"/sys/class/net/{dev}/carrier") == "1", 20),
                      f"{driver}: no carrier within 20 s")
            answers = {}
            for name, command, norm in QUERIES:
                text = answer(command, dev, bdf)
                answers[name] = norm(text) if norm else text
            answers["netdev-dev-get"] = netdev_attrs(lab, dev)
            answers["ethtool-set-channels"] = channel_requests(dev)
            ip(f"link set {dev} down")
        finally:
            lab.unload_driver()
        out = lab.results / "compare" / driver
        out.mkdir(parents=True, exist_ok=True)
        for name, text in answers.items():
            (out / f"{name}.txt").write_text(text + "\n")
        ksft_eq(len(answers), len(QUERIES) + 2, f"{driver}: answers")
        self.by_driver[driver] = answers

    def compare(self, name):
        c, rust = (self.by_driver.get(d, {}).get(name) for d in ("c", "rust"))
        ksft_true(c is not None and rust is not None, f"{name}: not asked of both drivers")
        if c == rust:
            ksft_pr(f"{name}: the same answer")
            return
        diff = difflib.unified_diff(c.splitlines(), rust.splitlines(), "c", "rust", lineterm="")
        for line in diff:
            ksft_pr(line)
        ksft_true(False, f"{name}: the Rust driver answers otherwise than the C driver")


def cases(answers):
    def collect_c(lab):
        answers.collect("c")

    def collect_rust(lab):
        answers.collect("rust")

    def compare_case(name):
        def case(lab):
            answers.compare(name)
        case.__name__ = name.replace("-", "_")
        return case

    names = [q[0] for q in QUERIES] + ["netdev-dev-get", "ethtool-set-channels"]
    return [collect_c, collect_rust] + [compare_case(n) for n in names] + [dmesg_clean]


def main():
    lab = Lab()
    # The subject is the Rust driver; the C driver answers first.
    lab.driver = "rust"
    run(cases(Answers(lab)), lab, EXPECTED_FAIL)


if __name__ == "__main__":
    main()
