// SPDX-License-Identifier: GPL-2.0

//! Global TX queue manager: idle bitmaps, default metadata and DMA tuning.
//!
//! The `*_IDLE` registers are bitmaps with one bit per queue (bit `q % 32`
//! of instance `q / 32`); the driver waits for all of them to read all-ones
//! before it tears down rings.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x00800;
/// Last dword of the block.
pub const END: u32 = 0x00873;

/// `FBNIC_QM_TWQ_IDLE(n)`: TX work queues with nothing in flight.
pub const fn twq_idle(n: u32) -> u32 {
    0x00800u32.wrapping_add(n)
}
/// Instances of `TWQ_IDLE`.
pub const TWQ_IDLE_CNT: u32 = 8;
/// `FBNIC_QM_TWQ_DEFAULT_META_L`: low half of the metadata used for TWQ1
/// (XDP) frames, which carry no META descriptor of their own.
pub const TWQ_DEFAULT_META_L: u32 = 0x00818;
/// `FBNIC_QM_TWQ_DEFAULT_META_H`: high half of the default metadata.
pub const TWQ_DEFAULT_META_H: u32 = 0x00819;

/// `FBNIC_QM_TQS_CTL0`.
pub const TQS_CTL0: u32 = 0x0081b;
/// Which LSO segment carries the TX timestamp (see `TQS_CTL0_LSO_TS_*`).
pub const TQS_CTL0_LSO_TS_MASK: u32 = 1 << 0;
/// Timestamp the first LSO segment.
pub const TQS_CTL0_LSO_TS_FIRST: u32 = 0;
/// Timestamp the last LSO segment.
pub const TQS_CTL0_LSO_TS_LAST: u32 = 1;
/// Descriptor prefetch threshold.
pub const TQS_CTL0_PREFETCH_THRESH: Field32 = Field32::new(7, 1);
/// Smallest prefetch threshold the driver programs.
pub const TQS_CTL0_PREFETCH_THRESH_MIN: u32 = 16;

/// `FBNIC_QM_TQS_CTL1`.
pub const TQS_CTL1: u32 = 0x0081c;
/// Credits for the management-controller path.
pub const TQS_CTL1_MC_MAX_CREDITS: Field32 = Field32::new(7, 0);
/// Credits for the bulk (host) path.
pub const TQS_CTL1_BULK_MAX_CREDITS: Field32 = Field32::new(15, 8);
/// `FBNIC_QM_TQS_MTU_CTL0`.
pub const TQS_MTU_CTL0: u32 = 0x0081d;
/// `FBNIC_QM_TQS_MTU_CTL1`.
pub const TQS_MTU_CTL1: u32 = 0x0081e;
/// Largest bulk frame.
pub const TQS_MTU_CTL1_BULK: Field32 = Field32::new(13, 0);

/// `FBNIC_QM_TCQ_IDLE(n)`: TX completion queues with nothing pending.
pub const fn tcq_idle(n: u32) -> u32 {
    0x00821u32.wrapping_add(n)
}
/// Instances of `TCQ_IDLE`.
pub const TCQ_IDLE_CNT: u32 = 4;

/// `FBNIC_QM_TCQ_CTL0`: TX completion write coalescing.
pub const TCQ_CTL0: u32 = 0x0082d;
/// Ticks to wait before writing out a partial completion batch.
pub const TCQ_CTL0_COAL_WAIT: Field32 = Field32::new(15, 0);
/// Core clock cycles per tick.
pub const TCQ_CTL0_TICK_CYCLES: Field32 = Field32::new(26, 16);

/// `FBNIC_QM_TQS_IDLE(n)`: TX queue schedulers idle.
pub const fn tqs_idle(n: u32) -> u32 {
    0x00830u32.wrapping_add(n)
}
/// Instances of `TQS_IDLE`.
pub const TQS_IDLE_CNT: u32 = 8;
/// `FBNIC_QM_TQS_EDT_TS_RANGE`: earliest-departure-time horizon.
pub const TQS_EDT_TS_RANGE: u32 = 0x00849;

/// `FBNIC_QM_TDE_IDLE(n)`: TX DMA engines idle.
pub const fn tde_idle(n: u32) -> u32 {
    0x00853u32.wrapping_add(n)
}
/// Instances of `TDE_IDLE`.
pub const TDE_IDLE_CNT: u32 = 8;

/// `FBNIC_QM_TNI_TDF_CTL`: descriptor fetch read requests.
pub const TNI_TDF_CTL: u32 = 0x0086c;
/// Max read request size code.
pub const TNI_TDF_CTL_MRRS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const TNI_TDF_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const TNI_TDF_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const TNI_TDF_CTL_MAX_OB: Field32 = Field32::new(23, 12);
/// `FBNIC_QM_TNI_TDE_CTL`: TX data read requests.
pub const TNI_TDE_CTL: u32 = 0x0086d;
/// Max read request size code.
pub const TNI_TDE_CTL_MRRS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const TNI_TDE_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const TNI_TDE_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const TNI_TDE_CTL_MAX_OB: Field32 = Field32::new(24, 12);
/// Cap read requests at 1 KiB.
pub const TNI_TDE_CTL_MRRS_1K: u32 = 1 << 25;
/// `FBNIC_QM_TNI_TCM_CTL`: TX completion writes.
pub const TNI_TCM_CTL: u32 = 0x0086e;
/// Max payload size code.
pub const TNI_TCM_CTL_MPS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const TNI_TCM_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const TNI_TCM_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const TNI_TCM_CTL_MAX_OB: Field32 = Field32::new(23, 12);
