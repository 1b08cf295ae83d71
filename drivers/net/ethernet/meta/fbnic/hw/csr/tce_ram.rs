// SPDX-License-Identifier: GPL-2.0

//! TX TCAM (RAM part of the TCE): steers host frames addressed to the BMC.
//!
//! Unlike the RX TCAMs, the **mask is in the low half** and the value in the
//! high half of each word.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x04200;
/// Last dword of the block.
pub const END: u32 = 0x0421f;
/// Entries in the TX TCAM (`FBNIC_TCE_TCAM_NUM_ENTRIES`).
pub const TCAM_NUM_ENTRIES: u32 = 8;
/// Match words per entry (`FBNIC_TCE_TCAM_WORD_LEN`): the MAC address as
/// three big-endian u16s, word 0 holding bytes 4..6.
pub const TCAM_WORD_LEN: u32 = 3;

register! {
    /// `FBNIC_TCE_RAM_TCAM(m, n)`: word `word` of entry `entry`.
    pub TCAM(Bar0) @ 0x04200, [TceTcamIdx * 1, TceWordIdx * 8] = "FBNIC_TCE_RAM_TCAM(n, m)" {
        /// Don't-care bits of a TX TCAM word.
        MASK: 15:0 = "FBNIC_TCE_RAM_TCAM_MASK";
        /// Value of a TX TCAM word.
        VALUE: 31:16 = "FBNIC_TCE_RAM_TCAM_VALUE";
    }
    /// `FBNIC_TCE_RAM_TCAM3(n)`: control word of entry `n`.
    pub TCAM3(Bar0) @ 0x04218, [TceTcamIdx * 1] = "FBNIC_TCE_RAM_TCAM3(n)" {
        /// Destination mask bits of the control word.
        DEST_MASK: 5:3 = "FBNIC_TCE_RAM_TCAM3_DEST_MASK";
        /// Multicast-queue mask bit.
        MCQ_MASK: 7:7 = "FBNIC_TCE_RAM_TCAM3_MCQ_MASK";
        /// Entry valid.
        VALIDATE: 31:31 = "FBNIC_TCE_RAM_TCAM3_VALIDATE";
    }
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[TCAM::INFO, TCAM3::INFO];

index! {
    /// An index below `TCAM_NUM_ENTRIES`.
    pub TceTcamIdx < TCAM_NUM_ENTRIES;
}
index! {
    /// An index below `TCAM_WORD_LEN`.
    pub TceWordIdx < TCAM_WORD_LEN;
}
