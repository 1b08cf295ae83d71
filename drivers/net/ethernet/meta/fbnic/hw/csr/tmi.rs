// SPDX-License-Identifier: GPL-2.0

//! TX MAC interface (TMI): drop and PTP counters, large-frame histograms.

/// First dword of the block.
pub const START: u32 = 0x04400;
/// Last dword of the block.
pub const END: u32 = 0x0443f;
/// `FBNIC_TMI_SOP_PROT_CTRL`.
pub const SOP_PROT_CTRL: u32 = 0x04400;
/// `FBNIC_TMI_DROP_CTRL`.
pub const DROP_CTRL: u32 = 0x04401;
/// Enable drops.
pub const DROP_CTRL_EN: u32 = 1 << 0;
/// `FBNIC_TMI_DROP_PKTS` (32-bit counter; rtnl `tx_dropped`).
pub const DROP_PKTS: u32 = 0x04402;
/// `FBNIC_TMI_DROP_BYTE_L` (64-bit counter, high half at +1).
pub const DROP_BYTE_L: u32 = 0x04403;
/// `FBNIC_TMI_ILLEGAL_PTP_REQS`.
pub const ILLEGAL_PTP_REQS: u32 = 0x04409;
/// `FBNIC_TMI_GOOD_PTP_TS`.
pub const GOOD_PTP_TS: u32 = 0x0440a;
/// `FBNIC_TMI_BAD_PTP_TS`.
pub const BAD_PTP_TS: u32 = 0x0440b;
/// `FBNIC_TMI_STAT_TX_PACKET_1519_2047_BYTES_L` (high half at +1).
pub const STAT_TX_PACKET_1519_2047_BYTES_L: u32 = 0x04433;
/// `FBNIC_TMI_STAT_TX_PACKET_2048_4095_BYTES_L`.
pub const STAT_TX_PACKET_2048_4095_BYTES_L: u32 = 0x04435;
/// `FBNIC_TMI_STAT_TX_PACKET_4096_8191_BYTES_L`.
pub const STAT_TX_PACKET_4096_8191_BYTES_L: u32 = 0x04437;
/// `FBNIC_TMI_STAT_TX_PACKET_8192_9216_BYTES_L`.
pub const STAT_TX_PACKET_8192_9216_BYTES_L: u32 = 0x04439;
/// `FBNIC_TMI_STAT_TX_PACKET_9217_MAX_BYTES_L`.
pub const STAT_TX_PACKET_9217_MAX_BYTES_L: u32 = 0x0443b;
