// SPDX-License-Identifier: GPL-2.0

//! The invariants the fuzz targets assert, shared by them (the TLV checks
//! run on fuzzed input in `tlv` and on every message the emulator's
//! firmware answers with in `emu_fw`).
//!
//! Each check panics on a broken invariant: libFuzzer reports a panic as a
//! crash and saves the input. A parser returning an error value for bad
//! input is not a crash; it is what the invariants require.

pub mod tlv_check;

/// Reads a little-endian `u32` at `off`, 0 past the end (fuzz input
/// helpers: a short input just gives zeros).
pub fn le32(data: &[u8], off: usize) -> u32 {
    let mut b = [0u8; 4];
    for (i, byte) in b.iter_mut().enumerate() {
        *byte = data.get(off + i).copied().unwrap_or(0);
    }
    u32::from_le_bytes(b)
}

/// Reads a little-endian `u64` at `off`, 0 past the end.
pub fn le64(data: &[u8], off: usize) -> u64 {
    u64::from(le32(data, off)) | u64::from(le32(data, off + 4)) << 32
}
