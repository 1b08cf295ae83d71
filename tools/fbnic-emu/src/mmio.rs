// SPDX-License-Identifier: GPL-2.0

//! Counts of the guest's register accesses.
//!
//! Over vfio-user every BAR access the guest makes is a message to this
//! process and back, so what a driver costs a VM here depends on how many
//! registers it touches as much as on the instructions it runs. The
//! counters say how many accesses a driver made, and to which registers:
//! `make bench` reads them per case over the control channel (`mmio PORT`)
//! and reports accesses per GB moved for each driver.
//!
//! The per-queue registers of BAR0 are counted by their offset in the
//! queue's block, summed over the queues (`q+0x002` is every TWQ0 tail
//! write); the others by their dword index (`0x00008`).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use fbnic_hw::csr::queue;

/// Which BAR an access went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bar {
    /// BAR0, the CSRs.
    Csr,
    /// BAR4, the firmware mailbox window.
    Fw,
}

/// Read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Read,
    Write,
}

/// A register as counted: queue registers folded over the queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Queue(u32),
    Reg(u32),
}

impl Key {
    fn of(bar: Bar, reg: u32) -> Self {
        match (bar, queue::decode(reg)) {
            (Bar::Csr, Some((_, offset))) => Key::Queue(offset),
            _ => Key::Reg(reg),
        }
    }
}

/// One port's access counts, since power-on or the last
/// [`reset`](Self::reset) (a function level reset does not clear them:
/// they describe the guest, not the device).
#[derive(Default)]
pub struct MmioCounters {
    /// Totals, indexed by [`MmioCounters::slot`].
    totals: [AtomicU64; 4],
    /// Per register, for the report's top list.
    regs: Mutex<HashMap<(Bar, Dir, Key), u64>>,
}

impl MmioCounters {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(bar: Bar, dir: Dir) -> usize {
        match (bar, dir) {
            (Bar::Csr, Dir::Read) => 0,
            (Bar::Csr, Dir::Write) => 1,
            (Bar::Fw, Dir::Read) => 2,
            (Bar::Fw, Dir::Write) => 3,
        }
    }

    /// Counts one guest access to dword `reg` of `bar`.
    pub fn count(&self, bar: Bar, dir: Dir, reg: u32) {
        self.totals[Self::slot(bar, dir)].fetch_add(1, Ordering::Relaxed);
        let mut regs = self.regs.lock().unwrap_or_else(|e| e.into_inner());
        *regs.entry((bar, dir, Key::of(bar, reg))).or_insert(0) += 1;
    }

    /// Starts counting from zero.
    pub fn reset(&self) {
        for t in &self.totals {
            t.store(0, Ordering::Relaxed);
        }
        self.regs.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The total of `bar` and `dir`.
    pub fn total(&self, bar: Bar, dir: Dir) -> u64 {
        self.totals[Self::slot(bar, dir)].load(Ordering::Relaxed)
    }

    /// One line: the four totals, then the `top` most accessed registers
    /// of BAR0, most first (`r:q+0x081=120` is 120 reads of TCQ heads).
    pub fn report(&self, top: usize) -> String {
        let mut line = format!(
            "bar0-reads {} bar0-writes {} bar4-reads {} bar4-writes {} top",
            self.total(Bar::Csr, Dir::Read),
            self.total(Bar::Csr, Dir::Write),
            self.total(Bar::Fw, Dir::Read),
            self.total(Bar::Fw, Dir::Write),
        );
        let mut regs: Vec<((Dir, Key), u64)> = self
            .regs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|((bar, _, _), _)| *bar == Bar::Csr)
            .map(|(&(_, dir, key), &n)| ((dir, key), n))
            .collect();
        // Most first; ties in register order, so that the line is stable.
        regs.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then((a.0 .1, a.0 .0 as u8).cmp(&(b.0 .1, b.0 .0 as u8)))
        });
        for ((dir, key), n) in regs.into_iter().take(top) {
            let d = if dir == Dir::Read { 'r' } else { 'w' };
            let _ = match key {
                Key::Queue(off) => write!(line, " {d}:q+{off:#05x}={n}"),
                Key::Reg(reg) => write!(line, " {d}:{reg:#07x}={n}"),
            };
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_top_registers() {
        let m = MmioCounters::new();
        assert_eq!(
            m.report(4),
            "bar0-reads 0 bar0-writes 0 bar4-reads 0 bar4-writes 0 top"
        );
        // TWQ0 tails of queues 0 and 5 count as one register.
        m.count(Bar::Csr, Dir::Write, queue::TWQ0_TAIL::INFO.dword(0, 0));
        m.count(Bar::Csr, Dir::Write, queue::TWQ0_TAIL::INFO.dword(5, 0));
        m.count(Bar::Csr, Dir::Write, queue::TWQ0_TAIL::INFO.dword(5, 0));
        m.count(Bar::Csr, Dir::Read, 0x8);
        m.count(Bar::Csr, Dir::Write, 0x8);
        m.count(Bar::Fw, Dir::Read, 0x10);
        assert_eq!(m.total(Bar::Csr, Dir::Write), 4);
        assert_eq!(m.total(Bar::Csr, Dir::Read), 1);
        assert_eq!(m.total(Bar::Fw, Dir::Read), 1);
        assert_eq!(m.total(Bar::Fw, Dir::Write), 0);
        // BAR4 is in the totals only; the read and the write of 0x8 are
        // two entries, the read first.
        assert_eq!(
            m.report(8),
            "bar0-reads 1 bar0-writes 4 bar4-reads 1 bar4-writes 0 top \
             w:q+0x002=3 r:0x00008=1 w:0x00008=1"
        );
        assert!(m.report(1).ends_with("top w:q+0x002=3"));
        m.reset();
        assert_eq!(
            m.report(4),
            "bar0-reads 0 bar0-writes 0 bar4-reads 0 bar4-writes 0 top"
        );
    }
}
