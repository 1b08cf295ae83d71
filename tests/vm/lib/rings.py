#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Header split settings over ethtool netlink, for guests whose ethtool
cannot set hds-thresh (ethtool 6.14 only shows it).

    rings.py DEV                          print the settings
    rings.py DEV [tcp-data-split on|off|auto] [hds-thresh N]

Prints "tcp-data-split <mode> hds-thresh <n> hds-thresh-max <n>" after
any change. A refused change exits 1 with the kernel's extack message.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETLINK_CAP_ACK, NETLINK_EXT_ACK, SOL_NETLINK = 10, 11, 270
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 1 << 15

# include/uapi/linux/ethtool_netlink_generated.h
ETHTOOL_MSG_RINGS_GET, ETHTOOL_MSG_RINGS_SET = 15, 16
ETHTOOL_A_HEADER_DEV_NAME = 2
A_HEADER, A_TCP_DATA_SPLIT, A_HDS_THRESH, A_HDS_THRESH_MAX = 1, 11, 17, 18
SPLIT = {"auto": 0, "off": 1, "on": 2}
SPLIT_NAME = {v: k for k, v in SPLIT.items()}


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * (-n % 4)


def attrs(data):
    out = {}
    while len(data) >= 4:
        n, kind = struct.unpack_from("HH", data)
        if n < 4:
            break
        out[kind & 0x3FFF] = data[4:n]
        data = data[(n + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.seq = 0

    def request(self, family, cmd, payload, dump=False):
        """Sends one request (a dump if asked); returns the reply
        messages' attributes, or raises OSError with the extack message."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        self.s.send(struct.pack("IHHII", 16 + len(body), family, flags,
                                self.seq, 0) + body)
        replies = []
        while True:
            data = self.s.recv(65536)
            while len(data) >= 16:
                n, kind, flags, seq, _ = struct.unpack_from("IHHII", data)
                msg, data = data[16:n], data[(n + 3) & ~3:]
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("i", msg)[0]
                    if err == 0:
                        return replies
                    # The echoed request header (capped), then TLVs.
                    text = attrs(msg[4 + 16:]).get(NLMSGERR_ATTR_MSG, b"")
                    raise OSError(-err, text.rstrip(b"\0").decode() or os.strerror(-err))
                if kind == NLMSG_DONE:
                    return replies
                replies.append(attrs(msg[4:]))

    def family(self, name):
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        return struct.unpack("H", reply[0][CTRL_ATTR_FAMILY_ID][:2])[0]


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        sys.exit(__doc__)
    dev, args = argv[1], argv[2:]
    nl = Genl()
    fam = nl.family("ethtool")
    header = attr(A_HEADER | NLA_F_NESTED,
                  attr(ETHTOOL_A_HEADER_DEV_NAME, dev.encode() + b"\0"))
    change = b""
    for key, value in zip(args[::2], args[1::2]):
        if key == "tcp-data-split" and value in SPLIT:
            change += attr(A_TCP_DATA_SPLIT, struct.pack("B", SPLIT[value]))
        elif key == "hds-thresh":
            change += attr(A_HDS_THRESH, struct.pack("I", int(value)))
        else:
            sys.exit(f"unknown setting {key} {value}")
    try:
        if change:
            nl.request(fam, ETHTOOL_MSG_RINGS_SET, header + change)
        got = nl.request(fam, ETHTOOL_MSG_RINGS_GET, header)[0]
    except OSError as e:
        print(f"{dev}: {errno.errorcode.get(e.errno, e.errno)}: {e.strerror}")
        sys.exit(1)
    u32 = lambda k: struct.unpack("I", got[k][:4])[0] if k in got else "-"
    split = SPLIT_NAME.get(got[A_TCP_DATA_SPLIT][0], "?") if A_TCP_DATA_SPLIT in got else "-"
    print(f"tcp-data-split {split} hds-thresh {u32(A_HDS_THRESH)} "
          f"hds-thresh-max {u32(A_HDS_THRESH_MAX)}")


if __name__ == "__main__":
    main(sys.argv)
