// SPDX-License-Identifier: GPL-2.0

//! PCIe SerDes (comphy) window; the driver only dumps it.

/// First dword of the block.
pub const START: u32 = 0x2442e;
/// Last dword of the block.
pub const END: u32 = 0x279d7;
