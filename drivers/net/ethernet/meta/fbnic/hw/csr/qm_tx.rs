// SPDX-License-Identifier: GPL-2.0

//! Global TX queue manager: idle bitmaps, default metadata and DMA tuning.
//!
//! The `*_IDLE` registers are bitmaps with one bit per queue (bit `q % 32`
//! of instance `q / 32`); the driver waits for all of them to read all-ones
//! before it tears down rings.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x00800;
/// Last dword of the block.
pub const END: u32 = 0x00873;

register! {
    /// `FBNIC_QM_TWQ_IDLE(n)`: TX work queues with nothing in flight.
    pub TWQ_IDLE(Bar0) @ 0x00800, [TwqIdleIdx * 1]
        = "FBNIC_QM_TWQ_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `TWQ_IDLE`.
pub const TWQ_IDLE_CNT: u32 = 8;
register! {
    /// `FBNIC_QM_TWQ_DEFAULT_META_L`: low half of the metadata used for TWQ1
    /// (XDP) frames, which carry no META descriptor of their own.
    pub TWQ_DEFAULT_META_L(Bar0) @ 0x00818 = "FBNIC_QM_TWQ_DEFAULT_META_L" {}
    /// `FBNIC_QM_TWQ_DEFAULT_META_H`: high half of the default metadata.
    pub TWQ_DEFAULT_META_H(Bar0) @ 0x00819 = "FBNIC_QM_TWQ_DEFAULT_META_H" {}
    /// `FBNIC_QM_TQS_CTL0`.
    pub TQS_CTL0(Bar0) @ 0x0081b = "FBNIC_QM_TQS_CTL0" {
        /// Which LSO segment carries the TX timestamp (see `TQS_CTL0_LSO_TS_*`).
        LSO_TS_MASK: 0:0 = "FBNIC_QM_TQS_CTL0_LSO_TS_MASK";
        /// Descriptor prefetch threshold.
        PREFETCH_THRESH: 7:1 = "FBNIC_QM_TQS_CTL0_PREFETCH_THRESH";
    }
}
/// Timestamp the first LSO segment.
pub const TQS_CTL0_LSO_TS_FIRST: u32 = 0;
/// Timestamp the last LSO segment.
pub const TQS_CTL0_LSO_TS_LAST: u32 = 1;
/// Smallest prefetch threshold the driver programs.
pub const TQS_CTL0_PREFETCH_THRESH_MIN: u32 = 16;

register! {
    /// `FBNIC_QM_TQS_CTL1`.
    pub TQS_CTL1(Bar0) @ 0x0081c = "FBNIC_QM_TQS_CTL1" {
        /// Credits for the management-controller path.
        MC_MAX_CREDITS: 7:0 = "FBNIC_QM_TQS_CTL1_MC_MAX_CREDITS";
        /// Credits for the bulk (host) path.
        BULK_MAX_CREDITS: 15:8 = "FBNIC_QM_TQS_CTL1_BULK_MAX_CREDITS";
    }
    /// `FBNIC_QM_TQS_MTU_CTL0`.
    pub TQS_MTU_CTL0(Bar0) @ 0x0081d = "FBNIC_QM_TQS_MTU_CTL0" {}
    /// `FBNIC_QM_TQS_MTU_CTL1`.
    pub TQS_MTU_CTL1(Bar0) @ 0x0081e = "FBNIC_QM_TQS_MTU_CTL1" {
        /// Largest bulk frame.
        BULK: 13:0 = "FBNIC_QM_TQS_MTU_CTL1_BULK";
    }
    /// `FBNIC_QM_TCQ_IDLE(n)`: TX completion queues with nothing pending.
    pub TCQ_IDLE(Bar0) @ 0x00821, [TcqIdleIdx * 1]
        = "FBNIC_QM_TCQ_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `TCQ_IDLE`.
pub const TCQ_IDLE_CNT: u32 = 4;

register! {
    /// `FBNIC_QM_TCQ_CTL0`: TX completion write coalescing.
    pub TCQ_CTL0(Bar0) @ 0x0082d = "FBNIC_QM_TCQ_CTL0" {
        /// Ticks to wait before writing out a partial completion batch.
        COAL_WAIT: 15:0 = "FBNIC_QM_TCQ_CTL0_COAL_WAIT";
        /// Core clock cycles per tick.
        TICK_CYCLES: 26:16 = "FBNIC_QM_TCQ_CTL0_TICK_CYCLES";
    }
    /// `FBNIC_QM_TQS_IDLE(n)`: TX queue schedulers idle.
    pub TQS_IDLE(Bar0) @ 0x00830, [TqsIdleIdx * 1]
        = "FBNIC_QM_TQS_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `TQS_IDLE`.
pub const TQS_IDLE_CNT: u32 = 8;
register! {
    /// `FBNIC_QM_TQS_EDT_TS_RANGE`: earliest-departure-time horizon.
    pub TQS_EDT_TS_RANGE(Bar0) @ 0x00849 = "FBNIC_QM_TQS_EDT_TS_RANGE" {}
    /// `FBNIC_QM_TDE_IDLE(n)`: TX DMA engines idle.
    pub TDE_IDLE(Bar0) @ 0x00853, [TdeIdleIdx * 1]
        = "FBNIC_QM_TDE_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `TDE_IDLE`.
pub const TDE_IDLE_CNT: u32 = 8;

register! {
    /// `FBNIC_QM_TNI_TDF_CTL`: descriptor fetch read requests.
    pub TNI_TDF_CTL(Bar0) @ 0x0086c = "FBNIC_QM_TNI_TDF_CTL" {
        /// Max read request size code.
        MRRS: 1:0 = "FBNIC_QM_TNI_TDF_CTL_MRRS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_TNI_TDF_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_TNI_TDF_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 23:12 = "FBNIC_QM_TNI_TDF_CTL_MAX_OB";
    }
    /// `FBNIC_QM_TNI_TDE_CTL`: TX data read requests.
    pub TNI_TDE_CTL(Bar0) @ 0x0086d = "FBNIC_QM_TNI_TDE_CTL" {
        /// Max read request size code.
        MRRS: 1:0 = "FBNIC_QM_TNI_TDE_CTL_MRRS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_TNI_TDE_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_TNI_TDE_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 24:12 = "FBNIC_QM_TNI_TDE_CTL_MAX_OB";
        /// Cap read requests at 1 KiB.
        MRRS_1K: 25:25 = "FBNIC_QM_TNI_TDE_CTL_MRRS_1K";
    }
    /// `FBNIC_QM_TNI_TCM_CTL`: TX completion writes.
    pub TNI_TCM_CTL(Bar0) @ 0x0086e = "FBNIC_QM_TNI_TCM_CTL" {
        /// Max payload size code.
        MPS: 1:0 = "FBNIC_QM_TNI_TCM_CTL_MPS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_TNI_TCM_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_TNI_TCM_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 23:12 = "FBNIC_QM_TNI_TCM_CTL_MAX_OB";
    }
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    TWQ_IDLE::INFO,
    TWQ_DEFAULT_META_L::INFO,
    TWQ_DEFAULT_META_H::INFO,
    TQS_CTL0::INFO,
    TQS_CTL1::INFO,
    TQS_MTU_CTL0::INFO,
    TQS_MTU_CTL1::INFO,
    TCQ_IDLE::INFO,
    TCQ_CTL0::INFO,
    TQS_IDLE::INFO,
    TQS_EDT_TS_RANGE::INFO,
    TDE_IDLE::INFO,
    TNI_TDF_CTL::INFO,
    TNI_TDE_CTL::INFO,
    TNI_TCM_CTL::INFO,
];

index! {
    /// An index below `TWQ_IDLE_CNT`.
    pub TwqIdleIdx < TWQ_IDLE_CNT;
}
index! {
    /// An index below `TCQ_IDLE_CNT`.
    pub TcqIdleIdx < TCQ_IDLE_CNT;
}
index! {
    /// An index below `TQS_IDLE_CNT`.
    pub TqsIdleIdx < TQS_IDLE_CNT;
}
index! {
    /// An index below `TDE_IDLE_CNT`.
    pub TdeIdleIdx < TDE_IDLE_CNT;
}
