#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The sender of make bench's XDP cases (tests/vm/bench-xdp.sh).

    udp_blast.py DST PORT SECONDS [PAYLOAD]

Sends UDP datagrams of PAYLOAD bytes (default 18: 60-byte frames before
the FCS) to DST:PORT as fast as it can for SECONDS, 64 at a time with UDP
GSO (UDP_SEGMENT), so that the kernel, not Python, makes each packet.
Prints one JSON line: datagrams handed to the kernel, send errors, seconds.
"""
import json
import socket
import sys
import time

SOL_UDP = 17
UDP_SEGMENT = 103
BATCH = 64

dst, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
payload = int(sys.argv[4]) if len(sys.argv) > 4 else 18

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
try:
    s.setsockopt(SOL_UDP, UDP_SEGMENT, payload)
    per_send = BATCH
except OSError:
    per_send = 1
buf = bytes(payload * per_send)
sent = errors = 0
t0 = time.monotonic()
end = t0 + secs
while True:
    for _ in range(16):
        try:
            s.sendto(buf, (dst, port))
            sent += per_send
        except OSError:
            errors += 1
    if time.monotonic() >= end:
        break
print(json.dumps({"sent": sent, "errors": errors, "gso": per_send,
                  "seconds": time.monotonic() - t0}))
