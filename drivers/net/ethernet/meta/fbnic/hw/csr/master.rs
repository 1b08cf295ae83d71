// SPDX-License-Identifier: GPL-2.0

//! Master block.

use super::super::reg::{
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x0c400;
/// Last dword of the block.
pub const END: u32 = 0x0c452;
register! {
    /// `FBNIC_MASTER_SPARE_0`: read to flush posted writes, and read back
    /// when a BAR0 read returned all-ones to tell "device gone" (this reads
    /// all-ones too) from a register that really holds `0xffffffff`.
    /// It reads 0 and ignores writes.
    pub SPARE_0(Bar0) @ 0x0c41b = "FBNIC_MASTER_SPARE_0", read_only() {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[SPARE_0::INFO];
