#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one client of the emulator's control channel, which
scripts/vm-run.sh relays to the guest's second serial port: one command
line, one answer line (the protocol: tools/fbnic-emu/README.md).

The Python suites use it through fbnic_lab (Lab.emu); bash guest scripts
(tests/vm/bench.sh) run it as a command, which prints the answer:

    python3 /lab/py/lib/emu.py mmio 0 reset

It needs nothing beyond Python's standard library, so it also runs where
the kernel's selftests are not shared.
"""

import os
import re
import select
import sys
import termios
import time
import tty

TTY = "/dev/ttyS1"


class Emu:
    def __init__(self, path=TTY):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        termios.tcflush(self.fd, termios.TCIOFLUSH)
        self.buf = b""

    def request(self, *words, timeout=10):
        """Sends one command; returns the answer line. TimeoutError without
        one within timeout seconds."""
        line = " ".join(str(w) for w in words)
        os.write(self.fd, line.encode() + b"\n")
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError(f"no answer from the emulator to: {line}")
            self.buf += os.read(self.fd, 4096)
        answer, self.buf = self.buf.split(b"\n", 1)
        return answer.decode().strip()

    def ctl(self, *words):
        """A command that must be answered "ok..."; returns the answer,
        logged as a ksft comment line."""
        answer = self.request(*words)
        print(f"# emulator: {' '.join(str(w) for w in words)}: {answer}", flush=True)
        if not answer.startswith("ok"):
            raise Exception(f"the emulator refused {' '.join(str(w) for w in words)}: {answer}")
        return answer

    def count(self, port, name):
        """Counter name of "status PORT", an int."""
        answer = self.request("status", port)
        m = re.search(rf"(?:^| ){re.escape(name)} (\d+)", answer)
        if not m:
            raise Exception(f"no {name} in the emulator's status: {answer}")
        return int(m.group(1))

    def bmc_stats(self, port):
        """The counters of "bmc PORT stats" (rx-frames, rx-own-frames,
        rx-host-frames, tx-frames, syncs, ... as ints) and the host's last
        MAC sync (host-uc, host-mc, host-flags: lists of words)."""
        answer = self.request("bmc", port, "stats")
        if not answer.startswith("ok "):
            raise Exception(f"no BMC stats for port {port}: {answer}")
        words = answer.split()[1:]
        stats = {}
        for name, value in zip(words[::2], words[1::2]):
            stats[name] = int(value) if value.isdigit() else \
                [] if value == "none" else value.split(",")
        return stats

    def bmc_send(self, port, dst, count=1, length=60):
        """The BMC of port sends count frames of length bytes to dst."""
        return self.ctl("bmc", port, "send", dst, count, length)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    try:
        print(Emu().request(*argv[1:]))
    except (OSError, TimeoutError) as e:
        sys.exit(f"emu.py: {e}")


if __name__ == "__main__":
    main(sys.argv)
