#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Page pools of a network device, from the netdev netlink family
(`page-pool-get`, what `ynl --family netdev --dump page-pool-get` shows),
for guests without the ynl tools.

    pools.py DEV

Prints one line per page pool of DEV in this network namespace:
"pool <id> napi-id <id or -> inflight <pages> inflight-mem <bytes>".
"""
import socket
import struct
import sys

from rings import Genl

NETDEV_CMD_PAGE_POOL_GET = 5
A_ID, A_IFINDEX, A_NAPI_ID, A_INFLIGHT, A_INFLIGHT_MEM = 1, 2, 3, 4, 5


def uint(raw):
    return int.from_bytes(raw, sys.byteorder) if raw is not None else "-"


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    ifindex = socket.if_nametoindex(argv[1])
    nl = Genl()
    for pool in nl.request(nl.family("netdev"), NETDEV_CMD_PAGE_POOL_GET, b"", dump=True):
        if uint(pool.get(A_IFINDEX)) != ifindex:
            continue
        print(f"pool {uint(pool.get(A_ID))} napi-id {uint(pool.get(A_NAPI_ID))} "
              f"inflight {uint(pool.get(A_INFLIGHT))} "
              f"inflight-mem {uint(pool.get(A_INFLIGHT_MEM))}")


if __name__ == "__main__":
    main(sys.argv)
