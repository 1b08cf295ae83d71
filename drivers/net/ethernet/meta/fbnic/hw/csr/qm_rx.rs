// SPDX-License-Identifier: GPL-2.0

//! Global RX queue manager: idle bitmaps, completion coalescing, DMA tuning.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x00c00;
/// Last dword of the block.
pub const END: u32 = 0x00c34;

/// `FBNIC_QM_RCQ_IDLE(n)`: RX completion queues idle (bit per queue).
pub const fn rcq_idle(n: u32) -> u32 {
    0x00c00u32.wrapping_add(n)
}
/// Instances of `RCQ_IDLE`.
pub const RCQ_IDLE_CNT: u32 = 4;
/// `FBNIC_QM_RCQ_CTL0`: RX completion write coalescing.
pub const RCQ_CTL0: u32 = 0x00c0c;
/// Ticks to wait before writing out a partial completion batch.
pub const RCQ_CTL0_COAL_WAIT: Field32 = Field32::new(15, 0);
/// Core clock cycles per tick.
pub const RCQ_CTL0_TICK_CYCLES: Field32 = Field32::new(26, 16);
/// `FBNIC_QM_HPQ_IDLE(n)`: header page queues idle.
pub const fn hpq_idle(n: u32) -> u32 {
    0x00c0fu32.wrapping_add(n)
}
/// Instances of `HPQ_IDLE`.
pub const HPQ_IDLE_CNT: u32 = 4;
/// `FBNIC_QM_PPQ_IDLE(n)`: payload page queues idle.
pub const fn ppq_idle(n: u32) -> u32 {
    0x00c13u32.wrapping_add(n)
}
/// Instances of `PPQ_IDLE`.
pub const PPQ_IDLE_CNT: u32 = 4;

/// `FBNIC_QM_RNI_RBP_CTL`: buffer descriptor fetch reads.
pub const RNI_RBP_CTL: u32 = 0x00c2d;
/// Max read request size code.
pub const RNI_RBP_CTL_MRRS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const RNI_RBP_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const RNI_RBP_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const RNI_RBP_CTL_MAX_OB: Field32 = Field32::new(23, 12);
/// `FBNIC_QM_RNI_RDE_CTL`: packet data writes.
pub const RNI_RDE_CTL: u32 = 0x00c2e;
/// Max payload size code.
pub const RNI_RDE_CTL_MPS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const RNI_RDE_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const RNI_RDE_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const RNI_RDE_CTL_MAX_OB: Field32 = Field32::new(23, 12);
/// `FBNIC_QM_RNI_RCM_CTL`: RX completion writes.
pub const RNI_RCM_CTL: u32 = 0x00c2f;
/// Max payload size code.
pub const RNI_RCM_CTL_MPS: Field32 = Field32::new(1, 0);
/// Cache line size code.
pub const RNI_RCM_CTL_CLS: Field32 = Field32::new(3, 2);
/// Max outstanding transactions.
pub const RNI_RCM_CTL_MAX_OT: Field32 = Field32::new(11, 4);
/// Max outstanding bytes.
pub const RNI_RCM_CTL_MAX_OB: Field32 = Field32::new(23, 12);
