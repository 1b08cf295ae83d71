// SPDX-License-Identifier: GPL-2.0

//! Fabric (AXI) tuning.

use super::super::reg::{
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x0c000;
/// Last dword of the block.
pub const END: u32 = 0x0c020;
register! {
    /// `FBNIC_FAB_AXI4_AR_SPACER_2_CFG`.
    pub AXI4_AR_SPACER_2_CFG(Bar0) @ 0x0c005 = "FBNIC_FAB_AXI4_AR_SPACER_2_CFG" {}
}
/// Enable the read spacer.
pub const AXI4_AR_SPACER_MASK: u32 = 1 << 16;
/// Spacer threshold (C: `..._THREADSHOLD`).
pub const AXI4_AR_SPACER_THRESHOLD: Field32 = Field32::new(15, 0);

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[AXI4_AR_SPACER_2_CFG::INFO];
