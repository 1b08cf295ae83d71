# SPDX-License-Identifier: GPL-2.0
"""What the Python VM suites (tests/py/<suite>.py) share, on top of the
kernel's own driver test library (tools/testing/selftests/drivers/net/lib/py,
imported as lib.py: ksft_run, the ksft asserts, defer, cmd, ip, ethtool,
NetDrvEpEnv and the ynl families).

- Lab: the driver under test (load, unload, which functions it binds), the
  two-port layout of the netdev CI and the kernel's health (dmesg,
  kmemleak).
- Emu (emu.py): the one client of the emulator's control channel.
- The netlink families (ynl), here and in netns remote.
- run(): ksft_run with the suite's expected failures as XFAIL.

A check asserts what it measured (ksft_eq, ksft_ge, ...), raises
KsftSkipEx where it does not apply to the driver, and fails on any
exception. tests/py/guest.sh runs a suite in the VM and turns its KTAP into
result lines (tests/py/lib/ktap.py).
"""

import functools
import json
import os
import re
import socket
import sys
import time
from pathlib import Path

from lib.py import DevlinkFamily, EthtoolFamily, KsftSkipEx, KsftXfailEx, NetDrvEpEnv, \
    NetdevFamily, NetNSEnter
from lib.py import cmd, ip, ksft_eq, ksft_exit, ksft_in, ksft_pr, ksft_run, ksft_true
from net.lib.py import ksft as _ksft
from emu import Emu

FBNIC_VENDOR, FBNIC_DEVICE = "0x1d9b", "0x0013"
PCI = Path("/sys/bus/pci/devices")

# The two-port layout (tests/selftests/guest.sh uses the same): port 0
# stays here, port 1 moves into netns "remote", wired back to back by the
# emulator.
NS = "remote"
LOCAL_V4, REMOTE_V4 = "192.0.3.1", "192.0.3.2"
LOCAL_V6, REMOTE_V6 = "2001:db8:1::1", "2001:db8:1::2"

DMESG_BAD = re.compile(r"WARNING:|BUG:|UBSAN:|Oops|Kernel panic|general protection|Call Trace")


def wait_for(cond, seconds, step=0.2):
    """Polls cond() every step seconds; returns its last value (truthy once
    it held, falsy if it never did within seconds)."""
    end = time.monotonic() + seconds
    while True:
        got = cond()
        if got or time.monotonic() >= end:
            return got
        time.sleep(step)


def read(path, default=None):
    try:
        return Path(path).read_text().strip()
    except OSError:
        return default


class Lab:
    """The VM as guest.sh leaves it: DRIVER (rust or c), PORTS emulated
    fbnic functions, RESULTS for files worth keeping."""

    def __init__(self):
        self.driver = os.environ["DRIVER"]
        # The C driver built with the fixes proposed upstream
        # (vm-run.sh --c-module, scripts/c-fixes.sh).
        self.c_fixes = self.driver == "c" and os.environ.get("C_FIXES") == "1"
        self.ports = int(os.environ.get("PORTS", "2"))
        self.results = Path(os.environ.get("RESULTS", "/tmp"))
        self.c_module = Path(f"/usr/lib/modules/{os.uname().release}"
                             "/kernel/drivers/net/ethernet/meta/fbnic/fbnic.ko")
        self._emu = None
        self.env = None

    def require(self, driver, why):
        """SKIP the check unless the driver under test is driver."""
        if self.driver != driver:
            raise KsftSkipEx(why)

    @property
    def emu(self):
        if self._emu is None:
            self._emu = Emu()
        return self._emu

    # The netlink families (ynl), each parsed from its spec once; the
    # remote_ ones talk to netns remote (port 1), their sockets opened
    # there.

    @functools.cached_property
    def ethnl(self):
        return EthtoolFamily()

    @functools.cached_property
    def netdevnl(self):
        return NetdevFamily()

    @functools.cached_property
    def devlink(self):
        return DevlinkFamily()

    @functools.cached_property
    def remote_ethnl(self):
        with NetNSEnter(NS):
            return EthtoolFamily()

    @functools.cached_property
    def remote_netdevnl(self):
        with NetNSEnter(NS):
            return NetdevFamily()

    @staticmethod
    def remote_socket(*args):
        """A socket of netns remote (it stays there)."""
        with NetNSEnter(NS):
            return socket.socket(*args)

    # The driver.

    def load_driver(self):
        """Rust: "modprobe fbnic", resolved through depmod to updates/.
        C: the in-tree module by path, its dependencies first."""
        if self.driver == "rust":
            cmd("modprobe fbnic")
        else:
            deps = cmd(f"modinfo -F depends {self.c_module}").stdout.strip()
            if deps:
                cmd("modprobe -a " + deps.replace(",", " "))
            cmd(f"insmod {self.c_module}")

    @staticmethod
    def unload_driver():
        cmd("rmmod fbnic")

    @staticmethod
    def module_loaded():
        return Path("/sys/module/fbnic").exists()

    @staticmethod
    def pci_devs():
        """PCI addresses of the emulated fbnic functions, in bus order."""
        return sorted(d.name for d in PCI.iterdir()
                      if read(d / "vendor") == FBNIC_VENDOR and
                      read(d / "device") == FBNIC_DEVICE)

    @staticmethod
    def bound_to(bdf):
        """The driver bound to a PCI function, or None."""
        link = PCI / bdf / "driver"
        return os.path.basename(os.readlink(link)) if link.exists() else None

    def netdev(self, port):
        """The net device of the port'th fbnic function, or None."""
        devs = self.pci_devs()
        if port >= len(devs):
            return None
        names = sorted(os.listdir(PCI / devs[port] / "net")) \
            if (PCI / devs[port] / "net").exists() else []
        return names[0] if names else None

    def cycles(self, n, netdevs=False):
        """n load/unload cycles, each binding every function (and giving
        each port a netdev, if asked)."""
        for i in range(1, n + 1):
            self.load_driver()
            ksft_eq([self.bound_to(d) for d in self.pci_devs()], ["fbnic"] * self.ports,
                    f"cycle {i}: functions bound")
            if netdevs:
                ksft_eq([self.netdev(p) is not None for p in range(self.ports)],
                        [True] * self.ports, f"cycle {i}: a netdev per port")
            self.unload_driver()
            ksft_eq(self.module_loaded(), False, f"cycle {i}: unloaded")
        ksft_pr(f"{n} cycles")

    # The layout.

    def setup_pair(self, carrier_timeout=10):
        """Port 0 here, port 1 in netns remote, both addressed and up;
        returns a NetDrvEpEnv on them (also kept as self.env) once both
        have carrier."""
        local, remote = self.netdev(0), self.netdev(1)
        if not local or not remote:
            raise Exception(f"no net devices for two ports: {local}, {remote}")
        ip(f"netns add {NS}")
        ip(f"link set {remote} netns {NS}")
        cmd("sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1")
        cmd("sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1", ns=NS)
        ip("link set lo up", ns=NS)
        ip(f"addr add {LOCAL_V4}/24 dev {local}")
        ip(f"addr add {LOCAL_V6}/64 dev {local} nodad")
        ip(f"addr add {REMOTE_V4}/24 dev {remote}", ns=NS)
        ip(f"addr add {REMOTE_V6}/64 dev {remote} nodad", ns=NS)
        ip(f"link set {local} up")
        ip(f"link set {remote} up", ns=NS)
        up = wait_for(lambda: read(f"/sys/class/net/{local}/carrier") == "1" and
                      cmd(f"cat /sys/class/net/{remote}/carrier", ns=NS,
                          fail=False).stdout.strip() == "1", carrier_timeout)
        if not up:
            raise Exception(f"no carrier on {local}/{remote} within {carrier_timeout} s")
        os.environ.update(NETIF=local, LOCAL_V4=LOCAL_V4, LOCAL_V6=LOCAL_V6,
                          REMOTE_V4=REMOTE_V4, REMOTE_V6=REMOTE_V6,
                          REMOTE_TYPE="netns", REMOTE_ARGS=NS)
        self.env = NetDrvEpEnv(sys.argv[0])
        return self.env

    def teardown_pair(self):
        """Deletes netns remote, which hands port 1 back (once no socket
        of it is left open)."""
        for name in ("remote_ethnl", "remote_netdevnl"):
            if name in self.__dict__:
                self.__dict__.pop(name).close()
        if self.env:
            self.env.__del__()
            self.env = None
        cmd(f"ip netns del {NS}", fail=False)

    # Traffic across the layout.

    def ping(self, count=3, ipver="4", interval=0.2, wait=2, args="", remote=False):
        """Echo replies from the remote port, of count requests (with
        remote, the replies of port 0 to requests from netns remote)."""
        if remote:
            dst, host = self.env.addr_v[ipver], self.env.remote
        else:
            dst, host = self.env.remote_addr_v[ipver], None
        out = cmd(f"ping -{ipver} -c {count} -i {interval} -W {wait} -q {args} {dst}",
                  fail=False, host=host, timeout=count * interval + wait + 20)
        m = re.search(r"(\d+) received", out.stdout)
        if not m:
            ksft_pr(out)
        return int(m.group(1)) if m else 0

    def iperf3(self, port=5201, seconds=2, args=""):
        """One iperf3 run to a server in the remote netns; the bytes the
        receiver got (0 if it failed)."""
        cmd(f"iperf3 -s -1 -D -p {port}", host=self.env.remote)
        time.sleep(0.3)
        out = cmd(f"iperf3 -c {self.env.remote_addr_v['4']} -p {port} -t {seconds} -J {args}",
                  fail=False, timeout=seconds + 30)
        try:
            got = json.loads(out.stdout)["end"]["sum_received"]["bytes"]
        except (ValueError, KeyError):
            ksft_pr(out)
            return 0
        ksft_pr(f"iperf3 {args}: {got} bytes in {seconds} s")
        return got

    # The kernel's health.

    @staticmethod
    def dmesg_complaints():
        """dmesg lines with a WARN, BUG, oops or panic."""
        return [l for l in cmd("dmesg").stdout.splitlines() if DMESG_BAD.search(l)]

    def save_dmesg(self, name, pattern="fbnic"):
        """Keeps the dmesg lines matching pattern in RESULTS/name;
        returns them."""
        lines = [l for l in cmd("dmesg").stdout.splitlines()
                 if re.search(pattern, l, re.I)]
        (self.results / name).write_text("\n".join(lines) + "\n")
        return lines

    @staticmethod
    def kmemleak_leaks(pattern="fbnic"):
        """The objects kmemleak reports whose record (backtrace included)
        matches pattern, after two scans (an object must look
        unreferenced twice). SKIP if kmemleak is off."""
        f = Path("/sys/kernel/debug/kmemleak")
        if not os.access(f, os.W_OK):
            raise KsftSkipEx("kmemleak is off (a '# vm-kmemleak' line in the suite turns it on)")
        f.write_text("scan")
        time.sleep(1)
        f.write_text("scan")
        records = re.split(r"(?m)^(?=unreferenced object)", f.read_text())
        records = [r for r in records if r.startswith("unreferenced object")]
        ksft_pr(f"kmemleak: {len(records)} unreferenced objects")
        return [r for r in records if re.search(pattern, r)]


# Checks the suites share.

def load(lab):
    """The driver loads; lab.bdf and lab.dev are port 0's function and
    netdev (None without one)."""
    ksft_eq(lab.module_loaded(), False, "fbnic loaded before the test")
    lab.load_driver()
    ksft_eq(lab.module_loaded(), True)
    # Probe runs synchronously at load; give a failing probe's last words time.
    time.sleep(1)
    lab.bdf, lab.dev = lab.pci_devs()[0], lab.netdev(0)
    ksft_pr(f"port 0: {lab.bdf} netdev {lab.dev}")


def modprobe_resolves_updates(lab):
    """The user's view: "modprobe fbnic" picks our module from updates/
    (results for "rust" mean nothing if it picked the in-tree C one)."""
    lab.require("rust", "the C driver is the kernel's own, loaded by path")
    shown = cmd("modprobe --show-depends fbnic").stdout
    paths = [l.split()[1] for l in shown.splitlines() if l.startswith("insmod ")]
    ksft_pr(f"modprobe fbnic -> {paths}")
    ksft_true(paths, "modprobe --show-depends names no module")
    ksft_in("/updates/", paths[-1] if paths else "")


def up(lab):
    """The two-port layout: both ports up, with carrier."""
    env = lab.setup_pair()
    ksft_eq(read(f"/sys/class/net/{env.ifname}/carrier"), "1")
    ksft_eq(env.ifname, lab.netdev(0))


def unload(lab):
    """The layout goes (if set up), the driver unloads."""
    lab.teardown_pair()
    lab.unload_driver()
    ksft_eq(lab.module_loaded(), False)


def module_gone(lab):
    ksft_eq(lab.module_loaded(), False)


def no_leak(lab):
    """kmemleak (the suite has a "# vm-kmemleak" line) reports no object
    allocated through fbnic."""
    leaks = lab.kmemleak_leaks()
    for leak in leaks[:2]:
        ksft_pr(leak)
    ksft_eq(len(leaks), 0, "objects allocated through fbnic that kmemleak reports")


def dmesg_clean(lab):
    """No WARN, BUG, oops or panic in dmesg."""
    ksft_eq(lab.dmesg_complaints(), [])


def _expected(func, reason):
    """func as an expected failure: XFAIL when it fails (an exception or a
    failed assert), a failure saying XPASS when it passes, so the list of
    expectations stays true."""

    @functools.wraps(func)
    def case(*args):
        try:
            func(*args)
        except (KsftSkipEx, KsftXfailEx):
            raise
        except Exception as e:
            ksft_pr(f"failed as expected: {type(e).__name__}: {e}")
            raise KsftXfailEx(reason) from e
        if _ksft.KSFT_RESULT is False:
            _ksft.KSFT_RESULT = True
            raise KsftXfailEx(reason)
        ksft_true(False, f"XPASS: passed but listed as expected to fail ({reason})")
    return case


def run(cases, lab, expected_fail=""):
    """Runs cases (functions taking a Lab) in order with ksft_run and exits.
    expected_fail: lines "<driver> <case-name> <reason...>", case names as
    in the results (hyphens); those of this driver become XFAIL. Driver
    "c-stock" is the C driver of the lab kernel as it is, not the one
    built with the fixes proposed upstream (Lab.c_fixes)."""
    table = {}
    driver_names = {lab.driver}
    if lab.driver == "c" and not lab.c_fixes:
        driver_names.add("c-stock")
    for line in expected_fail.strip().splitlines():
        driver, name, reason = line.split(None, 2)
        if driver in driver_names:
            table[name.replace("-", "_")] = reason
    unknown = set(table) - {c.__name__ for c in cases}
    if unknown:
        raise Exception(f"expected failures of no case: {sorted(unknown)}")
    cases = [_expected(c, table[c.__name__]) if c.__name__ in table else c
             for c in cases]
    ksft_run(cases, args=(lab,))
    ksft_exit()
