// SPDX-License-Identifier: GPL-2.0

//! RX parser and classifier (RPC): enable, default action, RSS key and the
//! parser error counters. The TCAMs and tables are in
//! [`rpc_ram`](super::rpc_ram).

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x08400;
/// Last dword of the block.
pub const END: u32 = 0x0856b;

/// `FBNIC_RPC_RMI_CONFIG`: frames reach the host only while `ENABLE` is
/// set (it must reset to 0).
pub const RMI_CONFIG: u32 = 0x08400;
/// Bytes of per-frame overhead (the driver uses 20).
pub const RMI_CONFIG_OH_BYTES: Field32 = Field32::new(4, 0);
/// Frames arrive with their FCS.
pub const RMI_CONFIG_FCS_PRESENT: u32 = 1 << 8;
/// Deliver frames to the host.
pub const RMI_CONFIG_ENABLE: u32 = 1 << 12;
/// Largest frame.
pub const RMI_CONFIG_MTU: Field32 = Field32::new(31, 16);

/// `FBNIC_RPC_ACT_TBL0_DEFAULT`: action for frames no TCAM entry matches
/// (layout as [`rpc_ram::act_tbl0`](super::rpc_ram::act_tbl0)).
pub const ACT_TBL0_DEFAULT: u32 = 0x0840a;
/// Drop the frame.
pub const ACT_TBL0_DROP: u32 = 1 << 0;
/// Destination set (`ACT_TBL0_DEST_*`).
pub const ACT_TBL0_DEST_MASK: Field32 = Field32::new(3, 1);
/// Destination: host.
pub const ACT_TBL0_DEST_HOST: u32 = 1;
/// Destination: BMC.
pub const ACT_TBL0_DEST_BMC: u32 = 2;
/// Destination: EI.
pub const ACT_TBL0_DEST_EI: u32 = 4;
/// Use `Q_ID` instead of RSS.
pub const ACT_TBL0_Q_SEL: u32 = 1 << 4;
/// Fixed RX queue.
pub const ACT_TBL0_Q_ID: Field32 = Field32::new(15, 8);
/// DMA hint reported in the RCD.
pub const ACT_TBL0_DMA_HINT: Field32 = Field32::new(24, 16);
/// Timestamp the frame.
pub const ACT_TBL0_TS_ENA: u32 = 1 << 28;
/// Action table index.
pub const ACT_TBL0_ACT_TBL_IDX: u32 = 1 << 29;
/// RSS context: indirection table 0 or 1.
pub const ACT_TBL0_RSS_CTXT_ID: u32 = 1 << 30;

/// `FBNIC_RPC_ACT_TBL1_DEFAULT`: RSS field selection for unmatched frames.
pub const ACT_TBL1_DEFAULT: u32 = 0x0840b;
/// RSS hash input selection (`ACT_TBL1_RSS_ENA_*` bits).
pub const ACT_TBL1_RSS_ENA_MASK: Field32 = Field32::new(15, 0);
/// Hash the IP source address.
pub const ACT_TBL1_RSS_ENA_IP_SRC: u32 = 1;
/// Hash the IP destination address.
pub const ACT_TBL1_RSS_ENA_IP_DST: u32 = 2;
/// Hash the L4 source port.
pub const ACT_TBL1_RSS_ENA_L4_SRC: u32 = 4;
/// Hash the L4 destination port.
pub const ACT_TBL1_RSS_ENA_L4_DST: u32 = 8;
/// Hash the destination MAC.
pub const ACT_TBL1_RSS_ENA_L2_DA: u32 = 16;
/// Hash the L4 RSS byte.
pub const ACT_TBL1_RSS_ENA_L4_RSS_BYTE: u32 = 32;
/// Hash the inner IPv6 flow label.
pub const ACT_TBL1_RSS_ENA_IV6_FL_LBL: u32 = 64;
/// Hash the outer IPv6 flow label.
pub const ACT_TBL1_RSS_ENA_OV6_FL_LBL: u32 = 128;
/// Hash the DSCP.
pub const ACT_TBL1_RSS_ENA_DSCP: u32 = 256;
/// Hash the L3 protocol.
pub const ACT_TBL1_RSS_ENA_L3_PROT: u32 = 512;
/// Hash the L4 protocol.
pub const ACT_TBL1_RSS_ENA_L4_PROT: u32 = 1024;

/// `FBNIC_RPC_RSS_KEY(n)`: Toeplitz key, big-endian within each dword
/// (key byte `i` is bits `31 - 8 * (i % 4)` down of dword `i / 4`); see
/// [`super::super::toeplitz::key_from_regs`].
pub const fn rss_key(n: u32) -> u32 {
    0x0840cu32.wrapping_add(n)
}
/// Key length in bits (`FBNIC_RPC_RSS_KEY_BIT_LEN`).
pub const RSS_KEY_BIT_LEN: u32 = 425;
/// Key length in bytes, rounded up.
pub const RSS_KEY_BYTE_LEN: u32 = RSS_KEY_BIT_LEN.div_ceil(8);
/// Key length in dwords, rounded up.
pub const RSS_KEY_DWORD_LEN: u32 = RSS_KEY_BIT_LEN.div_ceil(32);
/// Index of the last, partial key dword.
pub const RSS_KEY_LAST_IDX: u32 = RSS_KEY_DWORD_LEN - 1;
/// Bits of the last key dword that belong to the key.
pub const RSS_KEY_LAST_MASK: u32 =
    Field32::new(31, RSS_KEY_DWORD_LEN * 32 - RSS_KEY_BIT_LEN).mask();

/// `FBNIC_RPC_CNTR_TCP_OPT_ERR`.
pub const CNTR_TCP_OPT_ERR: u32 = 0x0849e;
/// `FBNIC_RPC_CNTR_UNKN_ETYPE`.
pub const CNTR_UNKN_ETYPE: u32 = 0x0849f;
/// `FBNIC_RPC_CNTR_IPV4_FRAG`.
pub const CNTR_IPV4_FRAG: u32 = 0x084a0;
/// `FBNIC_RPC_CNTR_IPV6_FRAG`.
pub const CNTR_IPV6_FRAG: u32 = 0x084a1;
/// `FBNIC_RPC_CNTR_IPV4_ESP`.
pub const CNTR_IPV4_ESP: u32 = 0x084a2;
/// `FBNIC_RPC_CNTR_IPV6_ESP`.
pub const CNTR_IPV6_ESP: u32 = 0x084a3;
/// `FBNIC_RPC_CNTR_UNKN_EXT_HDR`.
pub const CNTR_UNKN_EXT_HDR: u32 = 0x084a4;
/// `FBNIC_RPC_CNTR_OUT_OF_HDR_ERR`.
pub const CNTR_OUT_OF_HDR_ERR: u32 = 0x084a5;
/// `FBNIC_RPC_CNTR_OVR_SIZE_ERR`.
pub const CNTR_OVR_SIZE_ERR: u32 = 0x084a6;

/// `FBNIC_RPC_TCAM_MACDA_VALIDATE`.
pub const TCAM_MACDA_VALIDATE: u32 = 0x0852d;
/// `FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L` (high half at +1).
pub const STAT_RX_PACKET_1519_2047_BYTES_L: u32 = 0x0855f;
/// `FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L`.
pub const STAT_RX_PACKET_2048_4095_BYTES_L: u32 = 0x08561;
/// `FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L`.
pub const STAT_RX_PACKET_4096_8191_BYTES_L: u32 = 0x08563;
/// `FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L`.
pub const STAT_RX_PACKET_8192_9216_BYTES_L: u32 = 0x08565;
/// `FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L`.
pub const STAT_RX_PACKET_9217_MAX_BYTES_L: u32 = 0x08567;
