#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# vm-kmemleak
"""Load/unload cycles, with and without traffic, for either driver: every
cycle must bind both ports and unload cleanly, and at the end kmemleak
must not report an object allocated through fbnic, nor dmesg a warning."""

from lib.py import cmd, ksft_eq, ksft_pr
from fbnic_lab import Lab, dmesg_clean, module_gone, no_leak, run

EXPECTED_FAIL = """
"""


def load_unload_20(lab):
    """20 plain cycles: load (probe both ports, netdevs registered), unload."""
    lab.cycles(20, netdevs=True)


def traffic_cycles_3(lab):
    """3 cycles with the ports up and a ping across before each unload."""
    for i in range(1, 4):
        lab.load_driver()
        env = lab.setup_pair()
        ping = cmd(f"ping -c 2 -W 3 -q {env.remote_addr_v['4']}", fail=False)
        ksft_eq(ping.ret, 0, f"cycle {i}: ping across the ports\n{ping.stdout}")
        lab.teardown_pair()
        lab.unload_driver()
        ksft_eq(lab.module_loaded(), False, f"cycle {i}: unloaded with the ports up")
    ksft_pr("3 cycles")


def main():
    run([load_unload_20, traffic_cycles_3, module_gone, no_leak, dmesg_clean],
        Lab(), EXPECTED_FAIL)


if __name__ == "__main__":
    main()
