#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes a small PLDM firmware package (DSP0267 1.0) for fbnic flash tests.

By default the package holds one firmware-device record matching PCI
1d9b:0013 and one component, the control firmware ("boot2", component
identifier 1), whose bytes are a deterministic pattern; package() also
makes packages with other components or another device ID, for the
refusals. This is what the kernel's pldmfw library
parses for `devlink dev flash`: header UUID and revision, records with PCI
descriptors, the component table, and the header CRC32.

    mkpldm.py OUT [SIZE]
"""
import struct
import sys
import zlib

PLDM_UUID = bytes.fromhex("f018878ccb7d49439800a02f059aca02")
DESC_PCI_VENDOR, DESC_PCI_DEVICE = 0x0000, 0x0100
COMPONENT_CONTROL_FW = 1
CLASS_FIRMWARE = 0x000A


def package(size=10000, components=None, device=0x0013):
    """A package of components [(identifier, size), ...] (default: the
    control firmware, size bytes) in one record for PCI 1d9b:device."""
    if components is None:
        components = [(COMPONENT_CONTROL_FW, size)]
    version = b"fbnic-emu-test-1"
    datas = [bytes((i * 131 + 7 + n * 17) & 0xFF for i in range(sz))
             for n, (_, sz) in enumerate(components)]
    descs = struct.pack("<HHH", DESC_PCI_VENDOR, 2, 0x1D9B)
    descs += struct.pack("<HHH", DESC_PCI_DEVICE, 2, device)
    # One record, applicable to every component (a bitmap of 8 bits).
    bitmap = (1 << len(components)) - 1
    rec_body = struct.pack("<BIBBH", 2, 0, 1, len(version), 0)
    rec_body += bytes([bitmap]) + version + descs
    record = struct.pack("<H", 2 + len(rec_body)) + rec_body
    records = struct.pack("<B", 1) + record

    def header(total):
        return (PLDM_UUID + struct.pack("<BH", 1, total) + bytes(13)
                + struct.pack("<HBB", 8, 1, len(version)) + version)

    def table(offset):
        t = struct.pack("<H", len(components))
        for (ident, sz), data in zip(components, datas):
            t += struct.pack("<HHIHHIIBB", CLASS_FIRMWARE, ident, 1, 0, 0,
                             offset, sz, 1, len(version)) + version
            offset += len(data)
        return t

    # Header size = everything before the component data, CRC included.
    total = len(header(0)) + len(records) + len(table(0)) + 4
    body = header(total) + records + table(total)
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return body + struct.pack("<I", crc) + b"".join(datas)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    size = int(sys.argv[2]) if len(sys.argv) == 3 else 10000
    with open(sys.argv[1], "wb") as f:
        f.write(package(size))


if __name__ == "__main__":
    main()
