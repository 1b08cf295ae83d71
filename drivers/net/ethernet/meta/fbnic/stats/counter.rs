// SPDX-License-Identifier: GPL-2.0

//! Hardware counter arithmetic: a 64-bit counter from its two 32-bit
//! halves read apart, what a counter counted since a base value, and a
//! 64-bit total kept across a 32-bit counter's wraps.
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

/// What a hardware counter counted since probe, kept in 64 bits however
/// often the counter wraps, provided it is read at least once per wrap
/// (`fbnic_hw_stat_rd32()`'s accumulation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Accum {
    /// The counter's value when last read.
    last: u64,
    /// What it counted since probe.
    total: u64,
}

impl Accum {
    /// A total of zero, from the counter's value `base` at probe.
    pub(crate) const fn new(base: u64) -> Self {
        Self {
            last: base,
            total: 0,
        }
    }

    /// Folds in the counter's value `now`; returns the total since probe
    /// (for a gauge, which counts nothing: `now`).
    pub(crate) fn update(&mut self, now: u64, width: Width) -> u64 {
        if width == Width::Gauge {
            self.last = now;
            self.total = now;
            return now;
        }
        self.total = self.total.wrapping_add(since(now, self.last, width));
        self.last = now;
        self.total
    }

    /// Takes `now` as the counter's value without counting anything: the
    /// counter restarted (a reset of the device), or its value since the
    /// last update is lost (`fbnic_hw_stat_rd32()` with `reset`).
    pub(crate) fn rebase(&mut self, now: u64) {
        self.last = now;
    }

    /// The total as of the last [`Accum::update`].
    pub(crate) const fn total(&self) -> u64 {
        self.total
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

    #[test]
    fn totals_outlive_32_bit_wraps() {
        let mut a = Accum::new(0xffff_ff00);
        assert_eq!(a.update(0xffff_fff0, Width::C32), 0xf0);
        // The counter wrapped: 0x20 more.
        assert_eq!(a.update(0x10, Width::C32), 0x110);
        // Read every 3/4 turn: eight reads make six turns.
        let mut now: u32 = 0x10;
        for _ in 0..8 {
            now = now.wrapping_add(0xc000_0000);
            a.update(u64::from(now), Width::C32);
        }
        assert_eq!(a.total(), 0x110 + (6 << 32));
        // Only the low 32 bits of a 32-bit counter's read count.
        assert_eq!(a.update(0xdead_0000_0011, Width::C32), 0x111 + (6 << 32));
    }

    #[test]
    fn totals_survive_a_restarted_counter() {
        let mut a = Accum::new(1000);
        assert_eq!(a.update(1500, Width::C32), 500);
        // A reset restarted the counter at 0: rebased, nothing is counted
        // for the jump back, and counting goes on from the new value.
        a.rebase(0);
        assert_eq!(a.total(), 500);
        assert_eq!(a.update(30, Width::C32), 530);
        // Without the rebase, the jump back would count as a wrap.
        let mut b = Accum::new(1000);
        b.update(1500, Width::C32);
        assert_eq!(b.update(30, Width::C32), 500 + (1 << 32) - 1470);
    }

    #[test]
    fn totals_of_64_bit_counters_and_gauges() {
        let mut a = Accum::new(100);
        assert_eq!(a.update(150, Width::C64), 50);
        assert_eq!(a.update(1 << 40, Width::C64), (1 << 40) - 100);
        let mut g = Accum::new(7);
        assert_eq!(g.update(3, Width::Gauge), 3);
        assert_eq!(g.total(), 3);
    }
}
