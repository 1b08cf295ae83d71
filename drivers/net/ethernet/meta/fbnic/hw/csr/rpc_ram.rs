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

/// A match word of any of the RX TCAMs (action, MAC DA, IP): the key
/// bits `value` in 15:0 and `dont_care` in 31:16, where a set bit matches
/// either key bit (`FBNIC_RPC_TCAM_*_VALUE` / `_MASK`).
pub const fn tcam_word(value: u16, dont_care: u16) -> u32 {
    // CAST: u16 to u32 widens.
    TCAM_ACT::VALUE.prep(value as u32) | TCAM_ACT::MASK.prep(dont_care as u32)
}

/// Whether key word `key` matches TCAM word `word` ([`tcam_word`]).
pub const fn tcam_word_matches(word: u32, key: u16) -> bool {
    let care = !TCAM_ACT::MASK.get(word) & TCAM_ACT::VALUE.max();
    // CAST: u16 to u32 widens.
    (key as u32 ^ TCAM_ACT::VALUE.get(word)) & care == 0
}

/// The MAC DA TCAM key of address `da`: word `w` holds bytes `4 - 2w` and
/// `5 - 2w`, most significant first, so word 0 is the address's last two
/// bytes (`fbnic_write_macda_entry()` walks `addr16[]` backwards).
pub const fn macda_key(da: [u8; 6]) -> [u16; 3] {
    [
        u16::from_be_bytes([da[4], da[5]]),
        u16::from_be_bytes([da[2], da[3]]),
        u16::from_be_bytes([da[0], da[1]]),
    ]
}

/// The match words 0..3 of a MAC DA TCAM entry for `addr`, the bits set in
/// `dont_care` ignored; word [`TCAM_MACDA_WORD_LEN`] is [`TCAM_VALIDATE`].
pub const fn macda_words(addr: [u8; 6], dont_care: [u8; 6]) -> [u32; 3] {
    let (v, m) = (macda_key(addr), macda_key(dont_care));
    [
        tcam_word(v[0], m[0]),
        tcam_word(v[1], m[1]),
        tcam_word(v[2], m[2]),
    ]
}

/// An IPv4 address as the IP TCAMs hold it: in the last four of 16 bytes
/// (`s6_addr32[3]` of `__fbnic_ip4_sync()`).
pub const fn ip4_in_16(addr: [u8; 4]) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[12] = addr[0];
    a[13] = addr[1];
    a[14] = addr[2];
    a[15] = addr[3];
    a
}

/// The IP TCAM key of the 16-byte address `addr` ([`ip4_in_16`] for
/// IPv4): word `w` holds the 16-bit group `7 - w` (`s6_addr16[7 - w]`),
/// most significant byte first.
pub const fn ip_key(addr: [u8; 16]) -> [u16; 8] {
    let mut k = [0u16; 8];
    let mut w = 0;
    while w < 8 {
        let i = (7 - w) * 2;
        k[w] = u16::from_be_bytes([addr[i], addr[i + 1]]);
        w += 1;
    }
    k
}

/// The match words 0..8 of an IP TCAM entry for `addr`, the bits set in
/// `dont_care` ignored; word [`TCAM_IP_ADDR_WORD_LEN`] is
/// [`ip_validate_word`].
pub const fn ip_words(addr: [u8; 16], dont_care: [u8; 16]) -> [u32; 8] {
    let (v, m) = (ip_key(addr), ip_key(dont_care));
    let mut words = [0u32; 8];
    let mut w = 0;
    while w < 8 {
        words[w] = tcam_word(v[w], m[w]);
        w += 1;
    }
    words
}

/// The last word of a valid IP TCAM entry: [`TCAM_VALIDATE`], and
/// [`TCAM_IP_IS_V6`] for an IPv6 entry (`fbnic_write_ip_src_entry()`).
pub const fn ip_validate_word(v6: bool) -> u32 {
    if v6 {
        TCAM_VALIDATE | TCAM_IP_IS_V6
    } else {
        TCAM_VALIDATE
    }
}

/// An RSS rule of the action TCAM (`fbnic_rss_reinit()`): the parser
/// flags of key word 1 that a frame of its flow class has, and the hash
/// input (`ACT_TBL1_RSS_ENA_*`) the C driver gives the class by default
/// (`fbnic_rss_init_en_mask()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RssRule {
    /// `TCAM_ACT1_*` flags of the class.
    pub flags: u32,
    /// Default hash input of the class.
    pub default_hash: u32,
}

impl RssRule {
    /// Key word 1 of the rule as a TCAM word: a MAC DA entry matched and
    /// the class's flags set; every other bit don't care. The rules rely
    /// on their order, a more specific class first.
    pub const fn tcam_word1(&self) -> u32 {
        let value = TCAM_ACT1_L2_MACDA_VALID | self.flags;
        // CAST: word 1's flags are in bits 15:0.
        tcam_word(value as u16, !value as u16)
    }
}

/// Hash the IP addresses (`RX_HASH_OPT_L3`).
const HASH_L3: u32 = super::rpc::ACT_TBL1_RSS_ENA_IP_SRC | super::rpc::ACT_TBL1_RSS_ENA_IP_DST;
/// Hash the IP addresses and ports (`RX_HASH_OPT_L4`).
const HASH_L4: u32 =
    HASH_L3 | super::rpc::ACT_TBL1_RSS_ENA_L4_SRC | super::rpc::ACT_TBL1_RSS_ENA_L4_DST;

/// The RSS rules in action TCAM order (`act1_value[]` of
/// `fbnic_rss_reinit()`): UDP6, UDP4, TCP6, TCP4, IP6, IP4, other.
pub const RSS_RULES: [RssRule; 7] = [
    RssRule {
        flags: TCAM_ACT1_L4_VALID | TCAM_ACT1_L4_IS_UDP | TCAM_ACT1_IP_VALID | TCAM_ACT1_IP_IS_V6,
        default_hash: HASH_L3,
    },
    RssRule {
        flags: TCAM_ACT1_L4_VALID | TCAM_ACT1_L4_IS_UDP | TCAM_ACT1_IP_VALID,
        default_hash: HASH_L3,
    },
    RssRule {
        flags: TCAM_ACT1_L4_VALID | TCAM_ACT1_IP_VALID | TCAM_ACT1_IP_IS_V6,
        default_hash: HASH_L4,
    },
    RssRule {
        flags: TCAM_ACT1_L4_VALID | TCAM_ACT1_IP_VALID,
        default_hash: HASH_L4,
    },
    RssRule {
        flags: TCAM_ACT1_IP_VALID | TCAM_ACT1_IP_IS_V6,
        default_hash: HASH_L3,
    },
    RssRule {
        flags: TCAM_ACT1_IP_VALID,
        default_hash: HASH_L3,
    },
    RssRule {
        flags: 0,
        default_hash: super::rpc::ACT_TBL1_RSS_ENA_L2_DA,
    },
];

/// Action TCAM entry of the first RSS rule without a BMC: the rules take
/// the top entries (`FBNIC_RPC_ACT_TBL_RSS_OFFSET` plus the unicast rules'
/// `FBNIC_RSS_EN_NUM_UNICAST`).
// CAST: seven rules.
pub const RSS_RULES_FIRST: u32 = TCAM_ACT_NUM_ENTRIES - RSS_RULES.len() as u32;

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
