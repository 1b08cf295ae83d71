// SPDX-License-Identifier: GPL-2.0

//! Dword register storage for a BAR.
//!
//! fbnic's CSRs are all 32 bits wide and the driver addresses them by dword
//! index. A register file is a flat array of atomics so that the vfio-user
//! message thread (guest MMIO) and datapath threads (doorbells, status
//! updates) can touch it without a lock; whatever a register *does* beyond
//! holding its value is decided in [`crate::device`], not here.

use std::sync::atomic::{AtomicU32, Ordering};

/// A BAR's worth of 32-bit registers, all zero at reset.
pub struct RegisterFile {
    regs: Box<[AtomicU32]>,
}

impl RegisterFile {
    /// A register file of `dwords` registers.
    pub fn new(dwords: usize) -> Self {
        RegisterFile {
            regs: (0..dwords).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// Number of registers.
    pub fn len(&self) -> usize {
        self.regs.len()
    }

    /// True if the file holds no registers.
    pub fn is_empty(&self) -> bool {
        self.regs.is_empty()
    }

    /// The stored value of register `reg`, or `None` past the end.
    pub fn read(&self, reg: u32) -> Option<u32> {
        self.slot(reg).map(|r| r.load(Ordering::Acquire))
    }

    /// Stores `val` in register `reg`; returns false past the end.
    pub fn write(&self, reg: u32, val: u32) -> bool {
        self.slot(reg)
            .map(|r| r.store(val, Ordering::Release))
            .is_some()
    }

    /// Atomically sets `bits` in register `reg` and returns the old value;
    /// for status registers that hardware and software both update.
    pub fn set_bits(&self, reg: u32, bits: u32) -> Option<u32> {
        self.slot(reg).map(|r| r.fetch_or(bits, Ordering::AcqRel))
    }

    /// Atomically clears `bits` in register `reg` and returns the old value.
    pub fn clear_bits(&self, reg: u32, bits: u32) -> Option<u32> {
        self.slot(reg).map(|r| r.fetch_and(!bits, Ordering::AcqRel))
    }

    /// Zeroes every register.
    pub fn reset(&self) {
        for r in self.regs.iter() {
            r.store(0, Ordering::Release);
        }
    }

    fn slot(&self, reg: u32) -> Option<&AtomicU32> {
        self.regs.get(usize::try_from(reg).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_return_written_values_and_reset_clears() {
        let rf = RegisterFile::new(16);
        assert_eq!(rf.len(), 16);
        assert_eq!(rf.read(3), Some(0));
        assert!(rf.write(3, 0xdead_beef));
        assert_eq!(rf.read(3), Some(0xdead_beef));
        assert_eq!(rf.read(4), Some(0), "neighbours untouched");
        rf.reset();
        assert_eq!(rf.read(3), Some(0));
    }

    #[test]
    fn out_of_range_registers_are_refused() {
        let rf = RegisterFile::new(16);
        assert_eq!(rf.read(16), None);
        assert!(!rf.write(16, 1));
        assert_eq!(rf.read(u32::MAX), None);
        assert_eq!(rf.set_bits(16, 1), None);
    }

    #[test]
    fn bit_updates_are_read_modify_write() {
        let rf = RegisterFile::new(1);
        rf.write(0, 0b1010);
        assert_eq!(rf.set_bits(0, 0b0101), Some(0b1010));
        assert_eq!(rf.clear_bits(0, 0b0011), Some(0b1111));
        assert_eq!(rf.read(0), Some(0b1100));
    }
}
