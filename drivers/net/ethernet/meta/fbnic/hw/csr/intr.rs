// SPDX-License-Identifier: GPL-2.0

//! Interrupt controller: per-cause status/mask bitmaps and MSI-X routing.
//!
//! Each bitmap is 8 dwords: bit `v % 32` of dword `v / 32` stands for MSI-X
//! vector `v` (up to 256). A cause raised in `STATUS` fires its vector's
//! MSI-X message only while the vector is unmasked; firing masks the vector
//! again (auto-mask) and, for vectors whose `SW_AC_MODE` bit is set, clears
//! the status bit (auto-clear). Software unmasks through `MASK_CLEAR` or the
//! `INTR_UNMASK` bit of [`intr::cq_rearm`](cq_rearm).

use super::super::reg::{
    index,
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x00000;
/// Last dword of the block.
pub const END: u32 = 0x0005f;

/// Dwords in each of the vector bitmaps below.
pub const BITMAP_CNT: u32 = 8;

register! {
    /// `FBNIC_INTR_STATUS(n)`: pending causes; read to learn what fired.
    pub STATUS(Bar0) @ 0x00000, [BitmapIdx * 1] = "FBNIC_INTR_STATUS(n)" {}
    /// `FBNIC_INTR_MASK(n)`: current masks (1 = masked); read only (change
    /// them through `MASK_SET`/`MASK_CLEAR`), every vector masked at reset.
    pub MASK(Bar0) @ 0x00008, [BitmapIdx * 1] = "FBNIC_INTR_MASK(n)",
        read_only(), reset(0xffff_ffff) {}
    /// `FBNIC_INTR_SET(n)`: write 1 to raise a cause (software trigger).
    pub SET(Bar0) @ 0x00010, [BitmapIdx * 1] = "FBNIC_INTR_SET(n)" {}
    /// `FBNIC_INTR_CLEAR(n)`: write 1 to clear a pending cause.
    pub CLEAR(Bar0) @ 0x00018, [BitmapIdx * 1] = "FBNIC_INTR_CLEAR(n)" {}
    /// `FBNIC_INTR_SW_STATUS(n)`.
    pub SW_STATUS(Bar0) @ 0x00020, [BitmapIdx * 1] = "FBNIC_INTR_SW_STATUS(n)" {}
    /// `FBNIC_INTR_SW_AC_MODE(n)`: 1 = status auto-clears when it fires.
    /// The driver clears bit 0 so the mailbox cause stays until handled.
    /// Every cause auto-clears after reset.
    pub SW_AC_MODE(Bar0) @ 0x00028, [BitmapIdx * 1] = "FBNIC_INTR_SW_AC_MODE(n)",
        reset(0xffff_ffff) {}
    /// `FBNIC_INTR_MASK_SET(n)`: write 1 to mask a vector.
    pub MASK_SET(Bar0) @ 0x00030, [BitmapIdx * 1] = "FBNIC_INTR_MASK_SET(n)" {}
    /// `FBNIC_INTR_MASK_CLEAR(n)`: write 1 to unmask a vector.
    pub MASK_CLEAR(Bar0) @ 0x00038, [BitmapIdx * 1] = "FBNIC_INTR_MASK_CLEAR(n)" {}
}
/// Number of MSI-X vectors the block can address (`FBNIC_MAX_MSIX_VECS`).
pub const MAX_MSIX_VECS: u32 = 256;

register! {
    /// `FBNIC_INTR_MSIX_CTRL(n)`: routes internal interrupt source `n` (not a
    /// vector) to an MSI-X vector.
    pub MSIX_CTRL(Bar0) @ 0x00040, [MsixSrcIdx * 1] = "FBNIC_INTR_MSIX_CTRL(n)" {
        /// Target vector of an `MSIX_CTRL` source.
        VECTOR: 7:0 = "FBNIC_INTR_MSIX_CTRL_VECTOR_MASK";
        /// The source is routed (and may fire) only while this bit is set.
        ENABLE: 31:31 = "FBNIC_INTR_MSIX_CTRL_ENABLE";
    }
}
/// Number of `MSIX_CTRL` registers.
pub const MSIX_CTRL_CNT: u32 = 256;
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

register! {
    /// `FBNIC_INTR_CQ_REARM(n)`: per-vector rearm; note the stride of 4
    /// dwords (one register set of 16 bytes per vector).
    pub CQ_REARM(Bar0) @ 0x00400, [VectorIdx * 4] = "FBNIC_INTR_CQ_REARM(n)" {
        /// RX completion coalescing timeout in microseconds.
        RCQ_TIMEOUT: 13:0 = "FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT";
        /// Apply `RCQ_TIMEOUT` from this write.
        RCQ_TIMEOUT_UPD_EN: 14:14 = "FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT_UPD_EN";
        /// TX completion coalescing timeout in microseconds.
        TCQ_TIMEOUT: 28:15 = "FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT";
        /// Apply `TCQ_TIMEOUT` from this write.
        TCQ_TIMEOUT_UPD_EN: 29:29 = "FBNIC_INTR_CQ_REARM_TCQ_TIMEOUT_UPD_EN";
        /// Reload the coalescing timers.
        INTR_RELOAD: 30:30 = "FBNIC_INTR_CQ_REARM_INTR_RELOAD";
        /// Unmask the vector (the NAPI poll's final re-enable).
        INTR_UNMASK: 31:31 = "FBNIC_INTR_CQ_REARM_INTR_UNMASK";
    }
    /// `FBNIC_INTR_RCQ_TIMEOUT(n)`.
    pub RCQ_TIMEOUT(Bar0) @ 0x00401, [VectorIdx * 4] = "FBNIC_INTR_RCQ_TIMEOUT(n)" {}
    /// `FBNIC_INTR_TCQ_TIMEOUT(n)`.
    pub TCQ_TIMEOUT(Bar0) @ 0x00402, [VectorIdx * 4] = "FBNIC_INTR_TCQ_TIMEOUT(n)" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    STATUS::INFO,
    MASK::INFO,
    SET::INFO,
    CLEAR::INFO,
    SW_STATUS::INFO,
    SW_AC_MODE::INFO,
    MASK_SET::INFO,
    MASK_CLEAR::INFO,
    MSIX_CTRL::INFO,
    CQ_REARM::INFO,
    RCQ_TIMEOUT::INFO,
    TCQ_TIMEOUT::INFO,
];

index! {
    /// An index below `BITMAP_CNT`.
    pub BitmapIdx < BITMAP_CNT;
}
index! {
    /// An index below `MSIX_CTRL_CNT`.
    pub MsixSrcIdx < MSIX_CTRL_CNT;
}
index! {
    /// An index below `CQ_REARM_CNT`.
    pub VectorIdx < CQ_REARM_CNT;
}

/// The bitmap dword and the bit in it that stand for MSI-X vector `v` in
/// `STATUS`, `MASK`, `SET`, `CLEAR` and the other vector bitmaps.
pub const fn vector_bit(v: VectorIdx) -> (BitmapIdx, u32) {
    (BitmapIdx(v.get() / 32), 1 << (v.get() % 32))
}

/// The firmware mailbox's vector ([`super::FW_MSIX_ENTRY`]).
pub const FW_VECTOR: VectorIdx = VectorIdx::new_const::<{ super::FW_MSIX_ENTRY }>();
/// The PCS link vector ([`super::PCS_MSIX_ENTRY`]).
pub const PCS_VECTOR: VectorIdx = VectorIdx::new_const::<{ super::PCS_MSIX_ENTRY }>();
/// The RX buffer (pause storm) interrupt source.
pub const RXB_SOURCE: MsixSrcIdx = MsixSrcIdx::new_const::<MSIX_CTRL_RXB_IDX>();
/// The PCS link-change interrupt source.
pub const PCS_SOURCE: MsixSrcIdx = MsixSrcIdx::new_const::<MSIX_CTRL_PCS_IDX>();
