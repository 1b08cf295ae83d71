// SPDX-License-Identifier: GPL-2.0

//! The register self-test's table (`pattern_test[]` in `fbnic_csr.c`):
//! which bits of each queue register read back what was written. The
//! test writes each of [`PATTERNS`] masked by the writable bits to the
//! register of each of the first [`QUEUES`] queues and expects it back
//! masked by the readable bits.

use super::super::reg::{
    Bar0,
    Loc, //
};
use super::queue::{
    self,
    QueueIdx, //
};

/// Where a tested register of queue `q` is.
pub type QueueReg = fn(QueueIdx) -> Loc<Bar0>;

/// A tested register: where, the bits that read back, the bits written.
#[derive(Clone, Copy)]
pub struct RegTest {
    /// The register of each queue.
    pub reg: QueueReg,
    /// Bits that read back what was written.
    pub read: u32,
    /// Bits written.
    pub write: u32,
}

/// Queues whose registers are tested (`array_len`).
pub const QUEUES: u32 = 64;

/// Values written, in order.
pub const PATTERNS: [u32; 4] = [!0, 0x5a5a_5a5a, 0xa5a5_a5a5, 0];

const fn t(reg: QueueReg, read: u32, write: u32) -> RegTest {
    RegTest { reg, read, write }
}

const CTL_TWQ: u32 = queue::TWQ0_CTL::RESET.mask();
const CTL_TCQ: u32 = queue::TCQ_CTL::RESET.mask();
const CTL_RCQ: u32 = queue::RCQ_CTL::RESET.mask();
const CTL_BDQ: u32 = queue::BDQ_CTL::RESET.mask();
const SIZE_TWQ: u32 = queue::TWQ0_SIZE::SIZE.mask();
const SIZE_TCQ: u32 = queue::TCQ_SIZE::SIZE.mask();
const SIZE_RCQ: u32 = queue::RCQ_SIZE::SIZE.mask();
const SIZE_BDQ: u32 = queue::BDQ_HPQ_SIZE::SIZE.mask();
const BAL: u32 = queue::BAL_MASK.mask();

/// The tested registers, in the C driver's order.
pub const TESTS: [RegTest; 29] = [
    t(|q| queue::TWQ0_CTL::at(q).loc(), CTL_TWQ, CTL_TWQ),
    t(|q| queue::TWQ0_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::TWQ0_SIZE::at(q).loc(), SIZE_TWQ, !0),
    t(|q| queue::TWQ0_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::TWQ0_BAH::at(q).loc(), !0, !0),
    t(|q| queue::TWQ1_CTL::at(q).loc(), CTL_TWQ, CTL_TWQ),
    t(|q| queue::TWQ1_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::TWQ1_SIZE::at(q).loc(), SIZE_TWQ, !0),
    t(|q| queue::TWQ1_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::TWQ1_BAH::at(q).loc(), !0, !0),
    t(|q| queue::TCQ_CTL::at(q).loc(), CTL_TCQ, CTL_TCQ),
    t(|q| queue::TCQ_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::TCQ_SIZE::at(q).loc(), SIZE_TCQ, !0),
    t(|q| queue::TCQ_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::TCQ_BAH::at(q).loc(), !0, !0),
    t(|q| queue::RCQ_CTL::at(q).loc(), CTL_RCQ, CTL_RCQ),
    t(|q| queue::RCQ_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::RCQ_SIZE::at(q).loc(), SIZE_RCQ, !0),
    t(|q| queue::RCQ_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::RCQ_BAH::at(q).loc(), !0, !0),
    t(|q| queue::BDQ_CTL::at(q).loc(), CTL_BDQ, CTL_BDQ),
    t(|q| queue::BDQ_HPQ_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::BDQ_HPQ_SIZE::at(q).loc(), SIZE_BDQ, !0),
    t(|q| queue::BDQ_HPQ_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::BDQ_HPQ_BAH::at(q).loc(), !0, !0),
    t(|q| queue::BDQ_PPQ_PTRS::at(q).loc(), 0, !0),
    t(|q| queue::BDQ_PPQ_SIZE::at(q).loc(), SIZE_BDQ, !0),
    t(|q| queue::BDQ_PPQ_BAL::at(q).loc(), BAL, !0),
    t(|q| queue::BDQ_PPQ_BAH::at(q).loc(), !0, !0),
];
