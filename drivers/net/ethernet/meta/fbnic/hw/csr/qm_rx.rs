// SPDX-License-Identifier: GPL-2.0

//! Global RX queue manager: idle bitmaps, completion coalescing, DMA tuning.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x00c00;
/// Last dword of the block.
pub const END: u32 = 0x00c34;

register! {
    /// `FBNIC_QM_RCQ_IDLE(n)`: RX completion queues idle (bit per queue).
    pub RCQ_IDLE(Bar0) @ 0x00c00, [RcqIdleIdx * 1]
        = "FBNIC_QM_RCQ_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `RCQ_IDLE`.
pub const RCQ_IDLE_CNT: u32 = 4;
register! {
    /// `FBNIC_QM_RCQ_CTL0`: RX completion write coalescing.
    pub RCQ_CTL0(Bar0) @ 0x00c0c = "FBNIC_QM_RCQ_CTL0" {
        /// Ticks to wait before writing out a partial completion batch.
        COAL_WAIT: 15:0 = "FBNIC_QM_RCQ_CTL0_COAL_WAIT";
        /// Core clock cycles per tick.
        TICK_CYCLES: 26:16 = "FBNIC_QM_RCQ_CTL0_TICK_CYCLES";
    }
    /// `FBNIC_QM_HPQ_IDLE(n)`: header page queues idle.
    pub HPQ_IDLE(Bar0) @ 0x00c0f, [HpqIdleIdx * 1]
        = "FBNIC_QM_HPQ_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `HPQ_IDLE`.
pub const HPQ_IDLE_CNT: u32 = 4;
register! {
    /// `FBNIC_QM_PPQ_IDLE(n)`: payload page queues idle.
    pub PPQ_IDLE(Bar0) @ 0x00c13, [PpqIdleIdx * 1]
        = "FBNIC_QM_PPQ_IDLE(n)", read_only(), reset(0xffff_ffff) {}
}
/// Instances of `PPQ_IDLE`.
pub const PPQ_IDLE_CNT: u32 = 4;

register! {
    /// `FBNIC_QM_RNI_RBP_CTL`: buffer descriptor fetch reads.
    pub RNI_RBP_CTL(Bar0) @ 0x00c2d = "FBNIC_QM_RNI_RBP_CTL" {
        /// Max read request size code.
        MRRS: 1:0 = "FBNIC_QM_RNI_RBP_CTL_MRRS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_RNI_RBP_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_RNI_RBP_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 23:12 = "FBNIC_QM_RNI_RBP_CTL_MAX_OB";
    }
    /// `FBNIC_QM_RNI_RDE_CTL`: packet data writes.
    pub RNI_RDE_CTL(Bar0) @ 0x00c2e = "FBNIC_QM_RNI_RDE_CTL" {
        /// Max payload size code.
        MPS: 1:0 = "FBNIC_QM_RNI_RDE_CTL_MPS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_RNI_RDE_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_RNI_RDE_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 23:12 = "FBNIC_QM_RNI_RDE_CTL_MAX_OB";
    }
    /// `FBNIC_QM_RNI_RCM_CTL`: RX completion writes.
    pub RNI_RCM_CTL(Bar0) @ 0x00c2f = "FBNIC_QM_RNI_RCM_CTL" {
        /// Max payload size code.
        MPS: 1:0 = "FBNIC_QM_RNI_RCM_CTL_MPS";
        /// Cache line size code.
        CLS: 3:2 = "FBNIC_QM_RNI_RCM_CTL_CLS";
        /// Max outstanding transactions.
        MAX_OT: 11:4 = "FBNIC_QM_RNI_RCM_CTL_MAX_OT";
        /// Max outstanding bytes.
        MAX_OB: 23:12 = "FBNIC_QM_RNI_RCM_CTL_MAX_OB";
    }
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    RCQ_IDLE::INFO,
    RCQ_CTL0::INFO,
    HPQ_IDLE::INFO,
    PPQ_IDLE::INFO,
    RNI_RBP_CTL::INFO,
    RNI_RDE_CTL::INFO,
    RNI_RCM_CTL::INFO,
];

index! {
    /// An index below `RCQ_IDLE_CNT`.
    pub RcqIdleIdx < RCQ_IDLE_CNT;
}
index! {
    /// An index below `HPQ_IDLE_CNT`.
    pub HpqIdleIdx < HPQ_IDLE_CNT;
}
index! {
    /// An index below `PPQ_IDLE_CNT`.
    pub PpqIdleIdx < PPQ_IDLE_CNT;
}
