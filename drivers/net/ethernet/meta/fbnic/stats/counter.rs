// SPDX-License-Identifier: GPL-2.0

//! Hardware counter arithmetic: a 64-bit counter from its two 32-bit
//! halves read apart, and what a counter counted since a base value.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. Reading the registers is
//! [`crate::stats`]'s.

#![forbid(unsafe_code)]

/// How a hardware counter is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Width {
    /// A 32-bit counter: reported modulo 2^32 since probe.
    C32,
    /// A 64-bit counter (its halves: [`crate::stats`]'s register pairs).
    C64,
    /// A level, not a counter: reported as it is.
    Gauge,
}

/// A 64-bit counter whose high dword may change while the low one is read
/// (`fbnic_stat_rd64()`), from its high dword read before the low one
/// (`hi_before`), the low one and the high one read after: if the high
/// dword moved, the low one is not trusted and only the high part counts.
pub(crate) fn assemble(hi_before: u32, lo: u32, hi: u32) -> u64 {
    if hi_before == hi {
        u64::from(hi) << 32 | u64::from(lo)
    } else {
        u64::from(hi) << 32
    }
}

/// What a counter counted since `base` was read, `now` being its value
/// now: modulo the counter's width, or `now` for a gauge.
pub(crate) fn since(now: u64, base: u64, width: Width) -> u64 {
    match width {
        // CAST: a 32-bit counter's values fit; the rest is dropped.
        Width::C32 => u64::from((now as u32).wrapping_sub(base as u32)),
        Width::C64 => now.wrapping_sub(base),
        Width::Gauge => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_read_apart() {
        assert_eq!(assemble(1, 0x8000_0000, 1), 0x1_8000_0000);
        assert_eq!(assemble(0, u32::MAX, 0), 0xffff_ffff);
        // The low dword wrapped between the reads: the high one moved and
        // the low one is not trusted.
        assert_eq!(assemble(1, 5, 2), 0x2_0000_0000);
        assert_eq!(assemble(u32::MAX, 7, 0), 0);
    }

    #[test]
    fn counted_since() {
        assert_eq!(since(150, 100, Width::C64), 50);
        // A 32-bit counter that wrapped since the base.
        assert_eq!(since(5, 0xffff_fffb, Width::C32), 10);
        // Only its 32 bits count.
        assert_eq!(since(0x1_0000_0005, 3, Width::C32), 2);
        // A 64-bit counter that wrapped (or was reset below the base).
        assert_eq!(since(1, u64::MAX, Width::C64), 2);
        // A gauge is as it is.
        assert_eq!(since(7, 100, Width::Gauge), 7);
    }
}
