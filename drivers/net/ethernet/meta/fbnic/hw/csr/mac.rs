// SPDX-License-Identifier: GPL-2.0

//! MAC configuration (ASIC only).

use super::super::reg::{
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x11000;
/// Last dword of the block.
pub const END: u32 = 0x11028;
register! {
    /// `FBNIC_MAC_COMMAND_CONFIG`.
    pub COMMAND_CONFIG(Bar0) @ 0x11002 = "FBNIC_MAC_COMMAND_CONFIG" {
        /// Ignore received pause frames.
        RX_PAUSE_DIS: 29:29 = "FBNIC_MAC_COMMAND_CONFIG_RX_PAUSE_DIS";
        /// Do not send pause frames.
        TX_PAUSE_DIS: 28:28 = "FBNIC_MAC_COMMAND_CONFIG_TX_PAUSE_DIS";
        /// Disable fault handling.
        FLT_HDL_DIS: 27:27 = "FBNIC_MAC_COMMAND_CONFIG_FLT_HDL_DIS";
        /// Pad short frames on transmit.
        TX_PAD_EN: 11:11 = "FBNIC_MAC_COMMAND_CONFIG_TX_PAD_EN";
        /// MAC loopback.
        LOOPBACK_EN: 10:10 = "FBNIC_MAC_COMMAND_CONFIG_LOOPBACK_EN";
        /// Accept all destination addresses.
        PROMISC_EN: 4:4 = "FBNIC_MAC_COMMAND_CONFIG_PROMISC_EN";
        /// Receive enable.
        RX_ENA: 1:1 = "FBNIC_MAC_COMMAND_CONFIG_RX_ENA";
        /// Transmit enable.
        TX_ENA: 0:0 = "FBNIC_MAC_COMMAND_CONFIG_TX_ENA";
    }
    /// `FBNIC_MAC_CL01_PAUSE_QUANTA`.
    pub CL01_PAUSE_QUANTA(Bar0) @ 0x11015 = "FBNIC_MAC_CL01_PAUSE_QUANTA" {}
    /// `FBNIC_MAC_CL01_QUANTA_THRESH`.
    pub CL01_QUANTA_THRESH(Bar0) @ 0x11019 = "FBNIC_MAC_CL01_QUANTA_THRESH" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    COMMAND_CONFIG::INFO,
    CL01_PAUSE_QUANTA::INFO,
    CL01_QUANTA_THRESH::INFO,
];
