// SPDX-License-Identifier: GPL-2.0

//! RX parser and classifier (RPC): enable, default action, RSS key and the
//! parser error counters. The TCAMs and tables are in
//! [`rpc_ram`](super::rpc_ram).

use super::super::reg::{
    index,
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x08400;
/// Last dword of the block.
pub const END: u32 = 0x0856b;

register! {
    /// `FBNIC_RPC_RMI_CONFIG`: frames reach the host only while `ENABLE` is
    /// set (it must reset to 0).
    pub RMI_CONFIG(Bar0) @ 0x08400 = "FBNIC_RPC_RMI_CONFIG" {
        /// Bytes of per-frame overhead ([`RMI_CONFIG::OH_BYTES_DEFAULT`]).
        OH_BYTES: 4:0 = "FBNIC_RPC_RMI_CONFIG_OH_BYTES";
        /// Frames arrive with their FCS.
        FCS_PRESENT: 8:8 = "FBNIC_RPC_RMI_CONFIG_FCS_PRESENT";
        /// Deliver frames to the host.
        ENABLE: 12:12 = "FBNIC_RPC_RMI_CONFIG_ENABLE";
        /// Largest frame.
        MTU: 31:16 = "FBNIC_RPC_RMI_CONFIG_MTU";
    }
}

impl RMI_CONFIG {
    /// Per-frame overhead bytes the C driver always programs
    /// (`fbnic_rss_reinit_hw()`, `fbnic_rss_disable_hw()`).
    pub const OH_BYTES_DEFAULT: u32 = 20;

    /// The value the C driver writes: with `enable`, frames up to
    /// [`MAX_JUMBO_FRAME_SIZE`](super::MAX_JUMBO_FRAME_SIZE) reach the host
    /// (`fbnic_rss_reinit_hw()`); without, the parser delivers nothing and
    /// only the overhead stays programmed (`fbnic_rss_disable_hw()`).
    pub const fn host(enable: bool) -> Self {
        let off = Self::zeroed().with(Self::OH_BYTES, Self::OH_BYTES_DEFAULT);
        if enable {
            off.with(Self::MTU, super::MAX_JUMBO_FRAME_SIZE)
                .set(Self::ENABLE)
        } else {
            off
        }
    }
}

register! {
    /// `FBNIC_RPC_ACT_TBL0_DEFAULT`: action for frames no TCAM entry matches
    /// (layout as [`rpc_ram::act_tbl0`](super::rpc_ram::act_tbl0)).
    pub ACT_TBL0_DEFAULT(Bar0) @ 0x0840a = "FBNIC_RPC_ACT_TBL0_DEFAULT" {}
}
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

register! {
    /// `FBNIC_RPC_ACT_TBL1_DEFAULT`: RSS field selection for unmatched frames.
    pub ACT_TBL1_DEFAULT(Bar0) @ 0x0840b = "FBNIC_RPC_ACT_TBL1_DEFAULT" {}
}
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

register! {
    /// `FBNIC_RPC_RSS_KEY(n)`: Toeplitz key, big-endian within each dword
    /// (key byte `i` is bits `31 - 8 * (i % 4)` down of dword `i / 4`); see
    /// [`super::super::toeplitz::key_from_regs`].
    pub RSS_KEY(Bar0) @ 0x0840c, [RssKeyIdx * 1] = "FBNIC_RPC_RSS_KEY(n)" {}
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

register! {
    /// `FBNIC_RPC_CNTR_TCP_OPT_ERR`.
    pub CNTR_TCP_OPT_ERR(Bar0) @ 0x0849e = "FBNIC_RPC_CNTR_TCP_OPT_ERR" {}
    /// `FBNIC_RPC_CNTR_UNKN_ETYPE`.
    pub CNTR_UNKN_ETYPE(Bar0) @ 0x0849f = "FBNIC_RPC_CNTR_UNKN_ETYPE" {}
    /// `FBNIC_RPC_CNTR_IPV4_FRAG`.
    pub CNTR_IPV4_FRAG(Bar0) @ 0x084a0 = "FBNIC_RPC_CNTR_IPV4_FRAG" {}
    /// `FBNIC_RPC_CNTR_IPV6_FRAG`.
    pub CNTR_IPV6_FRAG(Bar0) @ 0x084a1 = "FBNIC_RPC_CNTR_IPV6_FRAG" {}
    /// `FBNIC_RPC_CNTR_IPV4_ESP`.
    pub CNTR_IPV4_ESP(Bar0) @ 0x084a2 = "FBNIC_RPC_CNTR_IPV4_ESP" {}
    /// `FBNIC_RPC_CNTR_IPV6_ESP`.
    pub CNTR_IPV6_ESP(Bar0) @ 0x084a3 = "FBNIC_RPC_CNTR_IPV6_ESP" {}
    /// `FBNIC_RPC_CNTR_UNKN_EXT_HDR`.
    pub CNTR_UNKN_EXT_HDR(Bar0) @ 0x084a4 = "FBNIC_RPC_CNTR_UNKN_EXT_HDR" {}
    /// `FBNIC_RPC_CNTR_OUT_OF_HDR_ERR`.
    pub CNTR_OUT_OF_HDR_ERR(Bar0) @ 0x084a5 = "FBNIC_RPC_CNTR_OUT_OF_HDR_ERR" {}
    /// `FBNIC_RPC_CNTR_OVR_SIZE_ERR`.
    pub CNTR_OVR_SIZE_ERR(Bar0) @ 0x084a6 = "FBNIC_RPC_CNTR_OVR_SIZE_ERR" {}
    /// `FBNIC_RPC_TCAM_MACDA_VALIDATE`.
    pub TCAM_MACDA_VALIDATE(Bar0) @ 0x0852d = "FBNIC_RPC_TCAM_MACDA_VALIDATE" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L` (high half at +1).
    pub STAT_RX_PACKET_1519_2047_BYTES_L(Bar0) @ 0x0855f
        = "FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_H`: the high half.
    pub STAT_RX_PACKET_1519_2047_BYTES_H(Bar0) @ 0x08560
        = "FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_H" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L`.
    pub STAT_RX_PACKET_2048_4095_BYTES_L(Bar0) @ 0x08561
        = "FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_H`: the high half.
    pub STAT_RX_PACKET_2048_4095_BYTES_H(Bar0) @ 0x08562
        = "FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_H" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L`.
    pub STAT_RX_PACKET_4096_8191_BYTES_L(Bar0) @ 0x08563
        = "FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_H`: the high half.
    pub STAT_RX_PACKET_4096_8191_BYTES_H(Bar0) @ 0x08564
        = "FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_H" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L`.
    pub STAT_RX_PACKET_8192_9216_BYTES_L(Bar0) @ 0x08565
        = "FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_H`: the high half.
    pub STAT_RX_PACKET_8192_9216_BYTES_H(Bar0) @ 0x08566
        = "FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_H" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L`.
    pub STAT_RX_PACKET_9217_MAX_BYTES_L(Bar0) @ 0x08567
        = "FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L" {}
    /// `FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_H`: the high half.
    pub STAT_RX_PACKET_9217_MAX_BYTES_H(Bar0) @ 0x08568
        = "FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_H" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    RMI_CONFIG::INFO,
    ACT_TBL0_DEFAULT::INFO,
    ACT_TBL1_DEFAULT::INFO,
    RSS_KEY::INFO,
    CNTR_TCP_OPT_ERR::INFO,
    CNTR_UNKN_ETYPE::INFO,
    CNTR_IPV4_FRAG::INFO,
    CNTR_IPV6_FRAG::INFO,
    CNTR_IPV4_ESP::INFO,
    CNTR_IPV6_ESP::INFO,
    CNTR_UNKN_EXT_HDR::INFO,
    CNTR_OUT_OF_HDR_ERR::INFO,
    CNTR_OVR_SIZE_ERR::INFO,
    TCAM_MACDA_VALIDATE::INFO,
    STAT_RX_PACKET_1519_2047_BYTES_L::INFO,
    STAT_RX_PACKET_1519_2047_BYTES_H::INFO,
    STAT_RX_PACKET_2048_4095_BYTES_L::INFO,
    STAT_RX_PACKET_2048_4095_BYTES_H::INFO,
    STAT_RX_PACKET_4096_8191_BYTES_L::INFO,
    STAT_RX_PACKET_4096_8191_BYTES_H::INFO,
    STAT_RX_PACKET_8192_9216_BYTES_L::INFO,
    STAT_RX_PACKET_8192_9216_BYTES_H::INFO,
    STAT_RX_PACKET_9217_MAX_BYTES_L::INFO,
    STAT_RX_PACKET_9217_MAX_BYTES_H::INFO,
];

index! {
    /// An index below `RSS_KEY_DWORD_LEN`.
    pub RssKeyIdx < RSS_KEY_DWORD_LEN;
}
