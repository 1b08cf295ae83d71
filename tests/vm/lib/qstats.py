#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-queue statistics of an interface from the netdev netlink family.

    qstats.py IFNAME [queue|device]

What `ynl --family netdev --dump qstats-get` shows, with the Python
standard library only, so that the VM suites need no ynl install. Prints
one line per queue ("rx 0 rx-packets=12 rx-bytes=3400 ...") or, with
"device", one line of the device-wide sums ("dev - tx-packets=..."), which
the core computes as the driver's base plus every queue. Exits 2 if the
device has no per-queue statistics (EOPNOTSUPP).
"""

import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3

# include/uapi/linux/netdev.h
NETDEV_CMD_QSTATS_GET = 12
A_IFINDEX, A_QUEUE_TYPE, A_QUEUE_ID, A_SCOPE = 1, 2, 3, 4
SCOPE_QUEUE = 1
QUEUE_TYPES = {0: "rx", 1: "tx"}
COUNTERS = [
    "rx-packets", "rx-bytes", "tx-packets", "tx-bytes", "rx-alloc-fail",
    "rx-hw-drops", "rx-hw-drop-overruns", "rx-csum-complete",
    "rx-csum-unnecessary", "rx-csum-none", "rx-csum-bad",
    "rx-hw-gro-packets", "rx-hw-gro-bytes", "rx-hw-gro-wire-packets",
    "rx-hw-gro-wire-bytes", "rx-hw-drop-ratelimits", "tx-hw-drops",
    "tx-hw-drop-errors", "tx-csum-none", "tx-needs-csum", "tx-hw-gso-packets",
    "tx-hw-gso-bytes", "tx-hw-gso-wire-packets", "tx-hw-gso-wire-bytes",
    "tx-hw-drop-ratelimits", "tx-stop", "tx-wake",
]
FIRST_COUNTER = 8


def attr(kind, payload):
    hdr = struct.pack("HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        if length < 4:
            break
        out[kind & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


def request(sock, family, cmd, payload, flags):
    seq = request.seq = getattr(request, "seq", 0) + 1
    body = struct.pack("BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, seq, 0) + body)
    msgs = []
    while True:
        data = sock.recv(65536)
        while data:
            length, kind, _, _, _ = struct.unpack_from("IHHII", data)
            msg, data = data[16:length], data[(length + 3) & ~3:]
            if kind == NLMSG_ERROR:
                err = -struct.unpack_from("i", msg)[0]
                if err:
                    raise OSError(err, errno.errorcode.get(err, str(err)))
                return msgs
            if kind == NLMSG_DONE:
                return msgs
            msgs.append(attrs(msg[4:]))


def main():
    ifname, scope = sys.argv[1], (sys.argv[2:] or ["queue"])[0]
    ifindex = socket.if_nametoindex(ifname)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    fam = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                  attr(CTRL_ATTR_FAMILY_NAME, b"netdev\0"), 0)
    family = struct.unpack("H", fam[0][CTRL_ATTR_FAMILY_ID][:2])[0]
    payload = attr(A_IFINDEX, struct.pack("I", ifindex))
    if scope == "queue":
        payload += attr(A_SCOPE, struct.pack("I", SCOPE_QUEUE))
    try:
        replies = request(sock, family, NETDEV_CMD_QSTATS_GET, payload, NLM_F_DUMP)
    except OSError as e:
        print(f"qstats-get {ifname}: {e.strerror}")
        sys.exit(2 if e.errno == errno.EOPNOTSUPP else 1)
    for a in replies:
        qtype = QUEUE_TYPES.get(struct.unpack("I", a[A_QUEUE_TYPE])[0], "?") \
            if A_QUEUE_TYPE in a else "dev"
        qid = struct.unpack("I", a[A_QUEUE_ID])[0] if A_QUEUE_ID in a else "-"
        fields = []
        for i, name in enumerate(COUNTERS):
            raw = a.get(FIRST_COUNTER + i)
            if raw is not None:
                fields.append(f"{name}={int.from_bytes(raw, 'little')}")
        print(qtype, qid, " ".join(fields))


if __name__ == "__main__":
    main()
