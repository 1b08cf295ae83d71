// SPDX-License-Identifier: GPL-2.0

//! Register blocks: the parts of the device whose BAR0 registers do more
//! than hold what is written (the interrupt controller, the link, the PTP
//! clock).
//!
//! A block names the register declarations it answers for (the
//! `REGISTERS` tables of `fbnic_hw::csr`), and [`Dispatch`] routes a guest
//! access to the block whose declarations cover the dword, so a block sees
//! only its own registers. A block gets its own state and a [`Bus`], the
//! narrow view of the device it may touch, never the whole device: what a
//! register does stays next to the register's model, and a block cannot
//! reach into another one's state.
//!
//! Registers of no block are plain storage with the access rules of their
//! declaration (see [`crate::blocks`]).

use std::ops::RangeInclusive;

use fbnic_hw::reg::RegInfo;

use crate::intr::InterruptController;
use crate::regs::RegisterFile;

/// What a block may use besides its own state.
pub struct Bus<'a> {
    /// BAR0 storage: the operands of plain registers a block acts on.
    pub csr: &'a RegisterFile,
    /// The interrupt controller, to raise a cause.
    pub intr: &'a InterruptController,
}

/// A block of BAR0 registers with behaviour of its own.
pub trait RegisterBlock: Sync {
    /// The declaration tables of the registers the block answers for.
    fn registers(&self) -> &'static [&'static [RegInfo]];

    /// A guest read of dword `reg`, or `None` to read the stored value.
    fn read(&self, reg: u32) -> Option<u32>;

    /// A guest write of `val` to dword `reg`; `false` to store it as a
    /// plain register instead.
    fn write(&self, bus: &Bus<'_>, reg: u32, val: u32) -> bool;
}

/// The dwords a register's instances lie in, from the first to the last.
fn span(r: &RegInfo) -> Option<RangeInclusive<u32>> {
    let last = r.index_of(r.dims[0].0.checked_sub(1)?, r.dims[1].0.checked_sub(1)?)?;
    Some(r.base..=last)
}

/// Routes BAR0 dwords to the blocks whose declarations cover them.
pub struct Dispatch {
    spans: Vec<(RangeInclusive<u32>, usize)>,
}

impl Dispatch {
    /// The routing for `blocks`, in order; a dword two blocks cover goes
    /// to the first.
    pub fn new(blocks: &[&dyn RegisterBlock]) -> Self {
        let spans = blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                b.registers()
                    .iter()
                    .flat_map(|t| t.iter())
                    .filter_map(move |r| Some((span(r)?, i)))
            })
            .collect();
        Dispatch { spans }
    }

    /// The index, in the list given to [`Dispatch::new`], of the block that
    /// answers for `reg`.
    pub fn block_of(&self, reg: u32) -> Option<usize> {
        self.spans
            .iter()
            .find(|(span, _)| span.contains(&reg))
            .map(|&(_, i)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fbnic_hw::csr::{intr, pcs, ptp, queue, sig};

    struct Fake(&'static [&'static [RegInfo]]);

    impl RegisterBlock for Fake {
        fn registers(&self) -> &'static [&'static [RegInfo]] {
            self.0
        }
        fn read(&self, _: u32) -> Option<u32> {
            None
        }
        fn write(&self, _: &Bus<'_>, _: u32, _: u32) -> bool {
            false
        }
    }

    #[test]
    fn dwords_go_to_the_block_that_declares_them() {
        let a = Fake(&[intr::REGISTERS]);
        let b = Fake(&[pcs::REGISTERS, sig::REGISTERS]);
        let c = Fake(&[ptp::REGISTERS]);
        let d = Dispatch::new(&[&a, &b, &c]);
        assert_eq!(d.block_of(intr::STATUS::INFO.base), Some(0));
        // MSI-X routing runs past the C section's end; its entries still
        // belong to the interrupt block.
        assert_eq!(d.block_of(intr::MSIX_CTRL::INFO.dword(255, 0)), Some(0));
        assert_eq!(d.block_of(intr::TCQ_TIMEOUT::INFO.dword(255, 0)), Some(0));
        assert_eq!(d.block_of(pcs::PCS::INFO.dword(1, 0x3ff)), Some(1));
        assert_eq!(d.block_of(sig::PCS_INTR_MASK::INDEX), Some(1));
        assert_eq!(d.block_of(ptp::CTRL::INDEX), Some(2));
        assert_eq!(d.block_of(queue::TWQ0_TAIL::INFO.dword(0, 0)), None);
        assert_eq!(d.block_of(0x3ff), None);
    }
}
