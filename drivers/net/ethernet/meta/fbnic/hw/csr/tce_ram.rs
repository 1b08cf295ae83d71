// SPDX-License-Identifier: GPL-2.0

//! TX TCAM (RAM part of the TCE): steers host frames addressed to the BMC.
//!
//! Unlike the RX TCAMs, the **mask is in the low half** and the value in the
//! high half of each word.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x04200;
/// Last dword of the block.
pub const END: u32 = 0x0421f;
/// Entries in the TX TCAM (`FBNIC_TCE_TCAM_NUM_ENTRIES`).
pub const TCAM_NUM_ENTRIES: u32 = 8;
/// Match words per entry (`FBNIC_TCE_TCAM_WORD_LEN`): the MAC address as
/// three big-endian u16s, word 0 holding bytes 4..6.
pub const TCAM_WORD_LEN: u32 = 3;

/// `FBNIC_TCE_RAM_TCAM(m, n)`: word `word` of entry `entry`.
pub const fn tcam(entry: u32, word: u32) -> u32 {
    0x04200u32
        .wrapping_add(word.wrapping_mul(8))
        .wrapping_add(entry)
}
/// Don't-care bits of a TX TCAM word.
pub const TCAM_MASK: Field32 = Field32::new(15, 0);
/// Value of a TX TCAM word.
pub const TCAM_VALUE: Field32 = Field32::new(31, 16);
/// `FBNIC_TCE_RAM_TCAM3(n)`: control word of entry `n`.
pub const fn tcam3(n: u32) -> u32 {
    0x04218u32.wrapping_add(n)
}
/// Destination mask bits of the control word.
pub const TCAM3_DEST_MASK: Field32 = Field32::new(5, 3);
/// Multicast-queue mask bit.
pub const TCAM3_MCQ_MASK: u32 = 1 << 7;
/// Entry valid.
pub const TCAM3_VALIDATE: u32 = 1 << 31;
