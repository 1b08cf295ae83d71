// SPDX-License-Identifier: GPL-2.0

//! MAC configuration (ASIC only).

/// First dword of the block.
pub const START: u32 = 0x11000;
/// Last dword of the block.
pub const END: u32 = 0x11028;
/// `FBNIC_MAC_COMMAND_CONFIG`.
pub const COMMAND_CONFIG: u32 = 0x11002;
/// Ignore received pause frames.
pub const COMMAND_CONFIG_RX_PAUSE_DIS: u32 = 1 << 29;
/// Do not send pause frames.
pub const COMMAND_CONFIG_TX_PAUSE_DIS: u32 = 1 << 28;
/// Disable fault handling.
pub const COMMAND_CONFIG_FLT_HDL_DIS: u32 = 1 << 27;
/// Pad short frames on transmit.
pub const COMMAND_CONFIG_TX_PAD_EN: u32 = 1 << 11;
/// MAC loopback.
pub const COMMAND_CONFIG_LOOPBACK_EN: u32 = 1 << 10;
/// Accept all destination addresses.
pub const COMMAND_CONFIG_PROMISC_EN: u32 = 1 << 4;
/// Receive enable.
pub const COMMAND_CONFIG_RX_ENA: u32 = 1 << 1;
/// Transmit enable.
pub const COMMAND_CONFIG_TX_ENA: u32 = 1 << 0;
/// `FBNIC_MAC_CL01_PAUSE_QUANTA`.
pub const CL01_PAUSE_QUANTA: u32 = 0x11015;
/// `FBNIC_MAC_CL01_QUANTA_THRESH`.
pub const CL01_QUANTA_THRESH: u32 = 0x11019;
