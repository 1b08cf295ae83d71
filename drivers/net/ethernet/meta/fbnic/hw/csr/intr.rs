// SPDX-License-Identifier: GPL-2.0

//! Interrupt controller: per-cause status/mask bitmaps and MSI-X routing.
//!
//! Each bitmap is 8 dwords: bit `v % 32` of dword `v / 32` stands for MSI-X
//! vector `v` (up to 256). A cause raised in `STATUS` fires its vector's
//! MSI-X message only while the vector is unmasked; firing masks the vector
//! again (auto-mask) and, for vectors whose `SW_AC_MODE` bit is set, clears
//! the status bit (auto-clear). Software unmasks through `MASK_CLEAR` or the
//! `INTR_UNMASK` bit of [`intr::cq_rearm`](cq_rearm).

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x00000;
/// Last dword of the block.
pub const END: u32 = 0x0005f;

/// Dwords in each of the vector bitmaps below.
pub const BITMAP_CNT: u32 = 8;

/// `FBNIC_INTR_STATUS(n)`: pending causes; read to learn what fired.
pub const fn status(n: u32) -> u32 {
    0x00000u32.wrapping_add(n)
}
/// `FBNIC_INTR_MASK(n)`: current masks (1 = masked); read only.
pub const fn mask(n: u32) -> u32 {
    0x00008u32.wrapping_add(n)
}
/// `FBNIC_INTR_SET(n)`: write 1 to raise a cause (software trigger).
pub const fn set(n: u32) -> u32 {
    0x00010u32.wrapping_add(n)
}
/// `FBNIC_INTR_CLEAR(n)`: write 1 to clear a pending cause.
pub const fn clear(n: u32) -> u32 {
    0x00018u32.wrapping_add(n)
}
/// `FBNIC_INTR_SW_STATUS(n)`.
pub const fn sw_status(n: u32) -> u32 {
    0x00020u32.wrapping_add(n)
}
/// `FBNIC_INTR_SW_AC_MODE(n)`: 1 = status auto-clears when it fires.
/// The driver clears bit 0 so the mailbox cause stays until handled.
pub const fn sw_ac_mode(n: u32) -> u32 {
    0x00028u32.wrapping_add(n)
}
/// `FBNIC_INTR_MASK_SET(n)`: write 1 to mask a vector.
pub const fn mask_set(n: u32) -> u32 {
    0x00030u32.wrapping_add(n)
}
/// `FBNIC_INTR_MASK_CLEAR(n)`: write 1 to unmask a vector.
pub const fn mask_clear(n: u32) -> u32 {
    0x00038u32.wrapping_add(n)
}

/// Number of MSI-X vectors the block can address (`FBNIC_MAX_MSIX_VECS`).
pub const MAX_MSIX_VECS: u32 = 256;

/// `FBNIC_INTR_MSIX_CTRL(n)`: routes internal interrupt source `n` (not a
/// vector) to an MSI-X vector.
pub const fn msix_ctrl(n: u32) -> u32 {
    0x00040u32.wrapping_add(n)
}
/// Number of `MSIX_CTRL` registers.
pub const MSIX_CTRL_CNT: u32 = 256;
/// Target vector of an `MSIX_CTRL` source.
pub const MSIX_CTRL_VECTOR: Field32 = Field32::new(7, 0);
/// The source is routed (and may fire) only while this bit is set.
pub const MSIX_CTRL_ENABLE: u32 = 1 << 31;
/// Source number of the RX buffer (pause storm) interrupt.
pub const MSIX_CTRL_RXB_IDX: u32 = 7;
/// Source number of the PCS link-change interrupt.
pub const MSIX_CTRL_PCS_IDX: u32 = 34;

/// First dword of the completion-queue rearm block.
pub const CQ_START: u32 = 0x00400;
/// Last dword of the completion-queue rearm block.
pub const CQ_END: u32 = 0x007fe;
/// Number of vectors with a rearm register set.
pub const CQ_REARM_CNT: u32 = 256;

/// `FBNIC_INTR_CQ_REARM(n)`: per-vector rearm; note the stride of 4
/// dwords (one register set of 16 bytes per vector).
pub const fn cq_rearm(n: u32) -> u32 {
    0x00400u32.wrapping_add(n.wrapping_mul(4))
}
/// RX completion coalescing timeout in microseconds.
pub const CQ_REARM_RCQ_TIMEOUT: Field32 = Field32::new(13, 0);
/// Apply `RCQ_TIMEOUT` from this write.
pub const CQ_REARM_RCQ_TIMEOUT_UPD_EN: u32 = 1 << 14;
/// TX completion coalescing timeout in microseconds.
pub const CQ_REARM_TCQ_TIMEOUT: Field32 = Field32::new(28, 15);
/// Apply `TCQ_TIMEOUT` from this write.
pub const CQ_REARM_TCQ_TIMEOUT_UPD_EN: u32 = 1 << 29;
/// Reload the coalescing timers.
pub const CQ_REARM_INTR_RELOAD: u32 = 1 << 30;
/// Unmask the vector (the NAPI poll's final re-enable).
pub const CQ_REARM_INTR_UNMASK: u32 = 1 << 31;

/// `FBNIC_INTR_RCQ_TIMEOUT(n)`.
pub const fn rcq_timeout(n: u32) -> u32 {
    0x00401u32.wrapping_add(n.wrapping_mul(4))
}
/// `FBNIC_INTR_TCQ_TIMEOUT(n)`.
pub const fn tcq_timeout(n: u32) -> u32 {
    0x00402u32.wrapping_add(n.wrapping_mul(4))
}
