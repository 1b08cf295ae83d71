// SPDX-License-Identifier: GPL-2.0

//! RPC tables: action TCAM and table, MAC DA TCAM, IP address TCAMs and the
//! RSS indirection tables.
//!
//! TCAM words hold a 16-bit value in bits 15:0 and a 16-bit mask in 31:16
//! whose set bits are "don't care". The word after an entry's match words
//! holds [`TCAM_VALIDATE`]; the driver writes the
//! match words, flushes, then sets it. Addresses are written as big-endian
//! u16s **last half first**: word 0 holds the least significant 16 bits.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x08800;
/// Last dword of the block.
pub const END: u32 = 0x08f1f;

register! {
    /// `FBNIC_RPC_ACT_TBL0(n)`: action of action TCAM entry `n` (layout as
    /// [`super::rpc::ACT_TBL0_DEFAULT`]).
    pub ACT_TBL0(Bar0) @ 0x08800, [ActIdx * 1] = "FBNIC_RPC_ACT_TBL0(n)" {}
    /// `FBNIC_RPC_ACT_TBL1(n)`: RSS field selection of entry `n`.
    pub ACT_TBL1(Bar0) @ 0x08840, [ActIdx * 1] = "FBNIC_RPC_ACT_TBL1(n)" {}
}
/// Entries in the action table and action TCAM.
pub const ACT_TBL_NUM_ENTRIES: u32 = 64;

/// Entry valid (last word of every RX TCAM entry).
pub const TCAM_VALIDATE: u32 = 1 << 31;

/// Match words per action TCAM entry; word 11 is the validate word.
pub const TCAM_ACT_WORD_LEN: u32 = 11;
/// Entries in the action TCAM.
pub const TCAM_ACT_NUM_ENTRIES: u32 = 64;
register! {
    /// `FBNIC_RPC_TCAM_ACT(m, n)`: word `word` of action TCAM entry `entry`.
    pub TCAM_ACT(Bar0) @ 0x08880, [ActIdx * 1, ActWordIdx * 0x40] = "FBNIC_RPC_TCAM_ACT(n, m)" {
        /// Value bits of an action TCAM word.
        VALUE: 15:0 = "FBNIC_RPC_TCAM_ACT_VALUE";
        /// Don't-care bits of an action TCAM word.
        MASK: 31:16 = "FBNIC_RPC_TCAM_ACT_MASK";
    }
}
/// Word 0: index of the matching inner source IP TCAM entry.
pub const TCAM_ACT0_IPSRC_IDX: Field32 = Field32::new(2, 0);
/// Word 0: an inner source IP entry matched.
pub const TCAM_ACT0_IPSRC_VALID: u32 = 1 << 3;
/// Word 0: index of the matching inner destination IP entry.
pub const TCAM_ACT0_IPDST_IDX: Field32 = Field32::new(6, 4);
/// Word 0: an inner destination IP entry matched.
pub const TCAM_ACT0_IPDST_VALID: u32 = 1 << 7;
/// Word 0: index of the matching outer source IP entry.
pub const TCAM_ACT0_OUTER_IPSRC_IDX: Field32 = Field32::new(10, 8);
/// Word 0: an outer source IP entry matched.
pub const TCAM_ACT0_OUTER_IPSRC_VALID: u32 = 1 << 11;
/// Word 0: index of the matching outer destination IP entry.
pub const TCAM_ACT0_OUTER_IPDST_IDX: Field32 = Field32::new(14, 12);
/// Word 0: an outer destination IP entry matched.
pub const TCAM_ACT0_OUTER_IPDST_VALID: u32 = 1 << 15;
/// Word 1: index of the matching MAC DA TCAM entry.
pub const TCAM_ACT1_L2_MACDA_IDX: Field32 = Field32::new(9, 5);
/// Word 1: a MAC DA entry matched.
pub const TCAM_ACT1_L2_MACDA_VALID: u32 = 1 << 10;
/// Word 1: the (inner) IP header is IPv6.
pub const TCAM_ACT1_IP_IS_V6: u32 = 1 << 11;
/// Word 1: there is an IP header.
pub const TCAM_ACT1_IP_VALID: u32 = 1 << 12;
/// Word 1: there is an outer IP header (tunnel).
pub const TCAM_ACT1_OUTER_IP_VALID: u32 = 1 << 13;
/// Word 1: the L4 header is UDP (else TCP).
pub const TCAM_ACT1_L4_IS_UDP: u32 = 1 << 14;
/// Word 1: there is a TCP or UDP header.
pub const TCAM_ACT1_L4_VALID: u32 = 1 << 15;
/// Word holding the L4 source port.
pub const TCAM_ACT_L4_SRC_WORD: u32 = 3;
/// Word holding the L4 destination port.
pub const TCAM_ACT_L4_DST_WORD: u32 = 4;

/// Action TCAM entries reserved for BMC unicast.
pub const ACT_TBL_BMC_OFFSET: u32 = 0;
/// Action TCAM entry for BMC all-multicast.
pub const ACT_TBL_BMC_ALL_MULTI_OFFSET: u32 = 1;
/// First action TCAM entry for ethtool ntuple rules.
pub const ACT_TBL_NFC_OFFSET: u32 = 2;
/// RSS rule kinds at the end of the action TCAM (`FBNIC_RSS_EN_NUM_ENTRIES`).
pub const RSS_EN_NUM_ENTRIES: u32 = 14;
/// First action TCAM entry used for RSS rules.
pub const ACT_TBL_RSS_OFFSET: u32 = ACT_TBL_NUM_ENTRIES - RSS_EN_NUM_ENTRIES;

/// Match words per MAC DA TCAM entry; word 3 is the validate word. Word
/// `w` holds DA bytes `4 - 2w` and `5 - 2w` as a big-endian u16.
pub const TCAM_MACDA_WORD_LEN: u32 = 3;
/// Entries in the MAC DA TCAM.
pub const TCAM_MACDA_NUM_ENTRIES: u32 = 32;
register! {
    /// `FBNIC_RPC_TCAM_MACDA(m, n)`: word `word` of MAC DA entry `entry`.
    pub TCAM_MACDA(Bar0) @ 0x08b80, [MacdaIdx * 1, MacdaWordIdx * 0x20]
        = "FBNIC_RPC_TCAM_MACDA(n, m)" {
        /// Value bits of a MAC DA TCAM word.
        VALUE: 15:0 = "FBNIC_RPC_TCAM_MACDA_VALUE";
        /// Don't-care bits of a MAC DA TCAM word.
        MASK: 31:16 = "FBNIC_RPC_TCAM_MACDA_MASK";
    }
}
/// MAC DA entries 0..4: BMC addresses.
pub const TCAM_MACDA_BMC_ADDR_IDX: u32 = 0;
/// MAC DA entry for broadcast.
pub const TCAM_MACDA_BROADCAST_IDX: u32 = 4;
/// First MAC DA entry for multicast (growing up).
pub const TCAM_MACDA_MULTICAST_IDX: u32 = 5;
/// Default first unicast entry (unicast grows down from `HOST_ADDR_IDX`).
pub const TCAM_MACDA_DEFAULT_BOUNDARY: u32 = 24;
/// MAC DA entry of the device's own address.
pub const TCAM_MACDA_HOST_ADDR_IDX: u32 = 30;
/// MAC DA entry for promiscuous / all-multicast.
pub const TCAM_MACDA_PROMISC_IDX: u32 = 31;

/// Match words per IP TCAM entry; word 8 is the validate word, whose bit
/// 0 says the entry is IPv6. Word `w` holds `s6_addr16[7 - w]`, so an
/// IPv4 address sits in words 0 and 1.
pub const TCAM_IP_ADDR_WORD_LEN: u32 = 8;
/// Entries in each IP TCAM.
pub const TCAM_IP_ADDR_NUM_ENTRIES: u32 = 8;
/// Bit 0 of an IP TCAM validate word: the entry matches IPv6.
pub const TCAM_IP_IS_V6: u32 = 1 << 0;
/// Value bits of an IP TCAM word.
pub const TCAM_IP_ADDR_VALUE: Field32 = Field32::new(15, 0);
/// Don't-care bits of an IP TCAM word.
pub const TCAM_IP_ADDR_MASK: Field32 = Field32::new(31, 16);
register! {
    /// `FBNIC_RPC_TCAM_OUTER_IPSRC(m, n)`.
    pub TCAM_OUTER_IPSRC(Bar0) @ 0x08c00, [IpIdx * 1, IpWordIdx * 8]
        = "FBNIC_RPC_TCAM_OUTER_IPSRC(n, m)" {}
    /// `FBNIC_RPC_TCAM_OUTER_IPDST(m, n)`.
    pub TCAM_OUTER_IPDST(Bar0) @ 0x08c48, [IpIdx * 1, IpWordIdx * 8]
        = "FBNIC_RPC_TCAM_OUTER_IPDST(n, m)" {}
    /// `FBNIC_RPC_TCAM_IPSRC(m, n)`.
    pub TCAM_IPSRC(Bar0) @ 0x08c90, [IpIdx * 1, IpWordIdx * 8] = "FBNIC_RPC_TCAM_IPSRC(n, m)" {}
    /// `FBNIC_RPC_TCAM_IPDST(m, n)`.
    pub TCAM_IPDST(Bar0) @ 0x08cd8, [IpIdx * 1, IpWordIdx * 8] = "FBNIC_RPC_TCAM_IPDST(n, m)" {}
    /// `FBNIC_RPC_RSS_TBL(n, m)`: entry `entry` of indirection table `table`;
    /// each entry holds an RX queue number.
    pub RSS_TBL(Bar0) @ 0x08d20, [RssTblIdx * 0x100, RssEntryIdx * 1] = "FBNIC_RPC_RSS_TBL(n, m)" {}
}
/// Indirection tables (RSS contexts).
pub const RSS_TBL_COUNT: u32 = 2;
/// Entries per indirection table.
pub const RSS_TBL_SIZE: u32 = 256;

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    ACT_TBL0::INFO,
    ACT_TBL1::INFO,
    TCAM_ACT::INFO,
    TCAM_MACDA::INFO,
    TCAM_OUTER_IPSRC::INFO,
    TCAM_OUTER_IPDST::INFO,
    TCAM_IPSRC::INFO,
    TCAM_IPDST::INFO,
    RSS_TBL::INFO,
];

index! {
    /// An index below `ACT_TBL_NUM_ENTRIES`.
    pub ActIdx < ACT_TBL_NUM_ENTRIES;
}
index! {
    /// An index below `TCAM_ACT_WORD_LEN + 1`.
    pub ActWordIdx < TCAM_ACT_WORD_LEN + 1;
}
index! {
    /// An index below `TCAM_MACDA_NUM_ENTRIES`.
    pub MacdaIdx < TCAM_MACDA_NUM_ENTRIES;
}
index! {
    /// An index below `TCAM_MACDA_WORD_LEN + 1`.
    pub MacdaWordIdx < TCAM_MACDA_WORD_LEN + 1;
}
index! {
    /// An index below `TCAM_IP_ADDR_NUM_ENTRIES`.
    pub IpIdx < TCAM_IP_ADDR_NUM_ENTRIES;
}
index! {
    /// An index below `TCAM_IP_ADDR_WORD_LEN + 1`.
    pub IpWordIdx < TCAM_IP_ADDR_WORD_LEN + 1;
}
index! {
    /// An index below `RSS_TBL_COUNT`.
    pub RssTblIdx < RSS_TBL_COUNT;
}
index! {
    /// An index below `RSS_TBL_SIZE`.
    pub RssEntryIdx < RSS_TBL_SIZE;
}
