// SPDX-License-Identifier: GPL-2.0

//! Signals between the MAC, PCS and the rest of the chip (ASIC only): MAC
//! resets, PCS lock status and the link-change interrupt.

use super::super::reg::{
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x11800;
/// Last dword of the block.
pub const END: u32 = 0x1184e;
register! {
    /// `FBNIC_SIG_MAC_IN0`: MAC reset and mode inputs.
    pub MAC_IN0(Bar0) @ 0x11800 = "FBNIC_SIG_MAC_IN0" {
        /// Hold the TX FIFO clock domain in reset.
        RESET_FF_TX_CLK: 14:14 = "FBNIC_SIG_MAC_IN0_RESET_FF_TX_CLK";
        /// Hold the RX FIFO clock domain in reset.
        RESET_FF_RX_CLK: 13:13 = "FBNIC_SIG_MAC_IN0_RESET_FF_RX_CLK";
        /// Hold the TX clock domain in reset.
        RESET_TX_CLK: 12:12 = "FBNIC_SIG_MAC_IN0_RESET_TX_CLK";
        /// Hold the RX clock domain in reset.
        RESET_RX_CLK: 11:11 = "FBNIC_SIG_MAC_IN0_RESET_RX_CLK";
        /// 128-bit MAC datapath.
        CFG_MODE128: 10:10 = "FBNIC_SIG_MAC_IN0_CFG_MODE128";
        /// MAC appends the FCS.
        TX_CRC: 8:8 = "FBNIC_SIG_MAC_IN0_TX_CRC";
    }
    /// `FBNIC_SIG_PCS_OUT0`: PCS status; a write latches fresh values.
    pub PCS_OUT0(Bar0) @ 0x11808 = "FBNIC_SIG_PCS_OUT0" {
        /// PCS reports link.
        LINK: 27:27 = "FBNIC_SIG_PCS_OUT0_LINK";
        /// Per-lane BASE-R block lock (no FEC).
        BLOCK_LOCK: 24:5 = "FBNIC_SIG_PCS_OUT0_BLOCK_LOCK";
        /// Per-lane alignment marker lock (RS-FEC).
        AMPS_LOCK: 4:1 = "FBNIC_SIG_PCS_OUT0_AMPS_LOCK";
    }
    /// `FBNIC_SIG_PCS_OUT1`.
    pub PCS_OUT1(Bar0) @ 0x11809 = "FBNIC_SIG_PCS_OUT1" {
        /// Per-lane FC-FEC (BASE-R FEC) lock.
        FCFEC_LOCK: 11:8 = "FBNIC_SIG_PCS_OUT1_FCFEC_LOCK";
    }
    /// `FBNIC_SIG_PCS_INTR_STS`: link-change causes, write 1 to clear.
    pub PCS_INTR_STS(Bar0) @ 0x11814 = "FBNIC_SIG_PCS_INTR_STS", w1c() {}
}
/// Link went down.
pub const PCS_INTR_LINK_DOWN: u32 = 1 << 1;
/// Link came up.
pub const PCS_INTR_LINK_UP: u32 = 1 << 0;
register! {
    /// `FBNIC_SIG_PCS_INTR_MASK`: 1 = cause masked; every cause masked at
    /// reset.
    pub PCS_INTR_MASK(Bar0) @ 0x11816 = "FBNIC_SIG_PCS_INTR_MASK", reset(0xffff_ffff) {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    MAC_IN0::INFO,
    PCS_OUT0::INFO,
    PCS_OUT1::INFO,
    PCS_INTR_STS::INFO,
    PCS_INTR_MASK::INFO,
];
