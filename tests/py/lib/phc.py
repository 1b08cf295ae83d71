# SPDX-License-Identifier: GPL-2.0
"""A PTP hardware clock (/dev/ptpN) from Python, without testptp or
phc_ctl: the POSIX clock calls on the clock id of an open file descriptor
(clock_gettime, clock_settime, clock_adjtime) and the
PTP_SYS_OFFSET_EXTENDED ioctl, through ctypes."""

import ctypes
import fcntl
import os
import time

NSEC_PER_SEC = 1_000_000_000

# include/uapi/linux/timex.h
ADJ_FREQUENCY = 0x0002
ADJ_SETOFFSET = 0x0100
ADJ_NANO = 0x2000


class Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class Timex(ctypes.Structure):
    """struct timex (include/uapi/linux/timex.h), 64-bit layout."""
    _fields_ = [("modes", ctypes.c_uint),
                ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long),
                ("status", ctypes.c_int),
                ("constant", ctypes.c_long), ("precision", ctypes.c_long),
                ("tolerance", ctypes.c_long),
                ("time", Timeval),
                ("tick", ctypes.c_long), ("ppsfreq", ctypes.c_long),
                ("jitter", ctypes.c_long), ("shift", ctypes.c_int),
                ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long),
                ("calcnt", ctypes.c_long), ("errcnt", ctypes.c_long),
                ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int),
                ("_pad", ctypes.c_int * 11)]


# include/uapi/linux/ptp_clock.h
PTP_MAX_SAMPLES = 25


class PtpClockTime(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_int64), ("nsec", ctypes.c_uint32),
                ("reserved", ctypes.c_uint32)]

    def ns(self):
        return self.sec * NSEC_PER_SEC + self.nsec


class PtpSysOffsetExtended(ctypes.Structure):
    _fields_ = [("n_samples", ctypes.c_uint), ("clockid", ctypes.c_int),
                ("rsv", ctypes.c_uint * 2),
                ("ts", (PtpClockTime * 3) * PTP_MAX_SAMPLES)]


def _iowr(magic, nr, size):
    return (3 << 30) | (size << 16) | (ord(magic) << 8) | nr


PTP_SYS_OFFSET_EXTENDED = _iowr("=", 9, ctypes.sizeof(PtpSysOffsetExtended))

_libc = ctypes.CDLL(None, use_errno=True)
_libc.clock_adjtime.argtypes = [ctypes.c_int, ctypes.POINTER(Timex)]


class Phc:
    """/dev/<name>, open for reading and writing while in a with block."""

    def __init__(self, name):
        self.path = f"/dev/{name}"

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR)
        self.clock = ((~self.fd) << 3) | 3  # FD_TO_CLOCKID
        return self

    def __exit__(self, *exc):
        os.close(self.fd)

    def gettime(self):
        return time.clock_gettime_ns(self.clock)

    def settime(self, ns):
        time.clock_settime_ns(self.clock, ns)

    def _adjtime(self, tx):
        if _libc.clock_adjtime(self.clock, ctypes.byref(tx)) < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"clock_adjtime {self.path}: {os.strerror(err)}")

    def adjtime(self, delta_ns):
        """Moves the clock by delta_ns (ADJ_SETOFFSET)."""
        sec, nsec = divmod(delta_ns, NSEC_PER_SEC)
        tx = Timex(modes=ADJ_SETOFFSET | ADJ_NANO,
                   time=Timeval(tv_sec=sec, tv_usec=nsec))
        self._adjtime(tx)

    def adjfine(self, ppm):
        """Sets the clock's rate to ppm parts per million off nominal
        (ADJ_FREQUENCY, in scaled ppm)."""
        self._adjtime(Timex(modes=ADJ_FREQUENCY, freq=round(ppm * 65536)))

    def offset_to(self, sys_clock=time.CLOCK_MONOTONIC):
        """PHC time minus sys_clock's, from a PHC read between two system
        reads (their midpoint), and the width of that window."""
        t0 = time.clock_gettime_ns(sys_clock)
        phc = self.gettime()
        t1 = time.clock_gettime_ns(sys_clock)
        return phc - (t0 + t1) // 2, t1 - t0

    def rate(self, seconds=1.0):
        """PHC nanoseconds per monotonic nanosecond, over seconds."""
        p0, h0 = self.gettime(), time.monotonic_ns()
        time.sleep(seconds)
        p1, h1 = self.gettime(), time.monotonic_ns()
        return (p1 - p0) / (h1 - h0)

    def sys_offset_extended(self, samples):
        """PTP_SYS_OFFSET_EXTENDED against CLOCK_REALTIME: a list of
        (system before, PHC, system after) in nanoseconds."""
        req = PtpSysOffsetExtended(n_samples=samples,
                                   clockid=time.CLOCK_REALTIME)
        fcntl.ioctl(self.fd, PTP_SYS_OFFSET_EXTENDED, req)
        return [tuple(req.ts[i][j].ns() for j in range(3))
                for i in range(samples)]


def phc_of(dev):
    """The name (ptpN) of the PHC of network interface dev."""
    names = sorted(os.listdir(f"/sys/class/net/{dev}/device/ptp"))
    if len(names) != 1:
        raise Exception(f"{dev}: PTP clocks {names}, expected one")
    return names[0]
