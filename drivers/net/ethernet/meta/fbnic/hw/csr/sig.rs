// SPDX-License-Identifier: GPL-2.0

//! Signals between the MAC, PCS and the rest of the chip (ASIC only): MAC
//! resets, PCS lock status and the link-change interrupt.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x11800;
/// Last dword of the block.
pub const END: u32 = 0x1184e;
/// `FBNIC_SIG_MAC_IN0`: MAC reset and mode inputs.
pub const MAC_IN0: u32 = 0x11800;
/// Hold the TX FIFO clock domain in reset.
pub const MAC_IN0_RESET_FF_TX_CLK: u32 = 1 << 14;
/// Hold the RX FIFO clock domain in reset.
pub const MAC_IN0_RESET_FF_RX_CLK: u32 = 1 << 13;
/// Hold the TX clock domain in reset.
pub const MAC_IN0_RESET_TX_CLK: u32 = 1 << 12;
/// Hold the RX clock domain in reset.
pub const MAC_IN0_RESET_RX_CLK: u32 = 1 << 11;
/// 128-bit MAC datapath.
pub const MAC_IN0_CFG_MODE128: u32 = 1 << 10;
/// MAC appends the FCS.
pub const MAC_IN0_TX_CRC: u32 = 1 << 8;
/// `FBNIC_SIG_PCS_OUT0`: PCS status; a write latches fresh values.
pub const PCS_OUT0: u32 = 0x11808;
/// PCS reports link.
pub const PCS_OUT0_LINK: u32 = 1 << 27;
/// Per-lane BASE-R block lock (no FEC).
pub const PCS_OUT0_BLOCK_LOCK: Field32 = Field32::new(24, 5);
/// Per-lane alignment marker lock (RS-FEC).
pub const PCS_OUT0_AMPS_LOCK: Field32 = Field32::new(4, 1);
/// `FBNIC_SIG_PCS_OUT1`.
pub const PCS_OUT1: u32 = 0x11809;
/// Per-lane FC-FEC (BASE-R FEC) lock.
pub const PCS_OUT1_FCFEC_LOCK: Field32 = Field32::new(11, 8);
/// `FBNIC_SIG_PCS_INTR_STS`: link-change causes, write 1 to clear.
pub const PCS_INTR_STS: u32 = 0x11814;
/// Link went down.
pub const PCS_INTR_LINK_DOWN: u32 = 1 << 1;
/// Link came up.
pub const PCS_INTR_LINK_UP: u32 = 1 << 0;
/// `FBNIC_SIG_PCS_INTR_MASK`: 1 = cause masked.
pub const PCS_INTR_MASK: u32 = 0x11816;
