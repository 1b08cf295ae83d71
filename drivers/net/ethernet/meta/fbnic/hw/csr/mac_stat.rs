// SPDX-License-Identifier: GPL-2.0

//! MAC statistics (IEEE 802.3 / RMON counters), each a 64-bit counter with
//! the low half at the listed dword and the high half at +1.

use super::super::reg::{
    register,
    Bar0,
    Loc,
    RegInfo, //
};
use super::{
    rpc,
    tmi, //
};

/// First dword of the block.
pub const START: u32 = 0x11a00;
/// Last dword the driver reads (the high half of `TX_CONTROL_FRAMES`);
/// fbnic_csr.h has no end delimiter for this block.
pub const END: u32 = 0x11a5f;

register! {
    /// `FBNIC_MAC_STAT_RX_XOFF_STB_L`: pause frames received.
    pub RX_XOFF_STB_L(Bar0) @ 0x11a00 = "FBNIC_MAC_STAT_RX_XOFF_STB_L" {}
    /// `FBNIC_MAC_STAT_RX_XOFF_STB_H`: the high half.
    pub RX_XOFF_STB_H(Bar0) @ 0x11a01 = "FBNIC_MAC_STAT_RX_XOFF_STB_H" {}
    /// `FBNIC_MAC_STAT_TX_XOFF_STB_L`: pause frames sent.
    pub TX_XOFF_STB_L(Bar0) @ 0x11a04 = "FBNIC_MAC_STAT_TX_XOFF_STB_L" {}
    /// `FBNIC_MAC_STAT_TX_XOFF_STB_H`: the high half.
    pub TX_XOFF_STB_H(Bar0) @ 0x11a05 = "FBNIC_MAC_STAT_TX_XOFF_STB_H" {}
    /// `FBNIC_MAC_STAT_RX_BYTE_COUNT_L`.
    pub RX_BYTE_COUNT_L(Bar0) @ 0x11a08 = "FBNIC_MAC_STAT_RX_BYTE_COUNT_L" {}
    /// `FBNIC_MAC_STAT_RX_BYTE_COUNT_H`: the high half.
    pub RX_BYTE_COUNT_H(Bar0) @ 0x11a09 = "FBNIC_MAC_STAT_RX_BYTE_COUNT_H" {}
    /// `FBNIC_MAC_STAT_RX_ALIGN_ERROR_L`.
    pub RX_ALIGN_ERROR_L(Bar0) @ 0x11a0a = "FBNIC_MAC_STAT_RX_ALIGN_ERROR_L" {}
    /// `FBNIC_MAC_STAT_RX_ALIGN_ERROR_H`: the high half.
    pub RX_ALIGN_ERROR_H(Bar0) @ 0x11a0b = "FBNIC_MAC_STAT_RX_ALIGN_ERROR_H" {}
    /// `FBNIC_MAC_STAT_RX_TOOLONG_L`.
    pub RX_TOOLONG_L(Bar0) @ 0x11a0e = "FBNIC_MAC_STAT_RX_TOOLONG_L" {}
    /// `FBNIC_MAC_STAT_RX_TOOLONG_H`: the high half.
    pub RX_TOOLONG_H(Bar0) @ 0x11a0f = "FBNIC_MAC_STAT_RX_TOOLONG_H" {}
    /// `FBNIC_MAC_STAT_RX_RECEIVED_OK_L`.
    pub RX_RECEIVED_OK_L(Bar0) @ 0x11a12 = "FBNIC_MAC_STAT_RX_RECEIVED_OK_L" {}
    /// `FBNIC_MAC_STAT_RX_RECEIVED_OK_H`: the high half.
    pub RX_RECEIVED_OK_H(Bar0) @ 0x11a13 = "FBNIC_MAC_STAT_RX_RECEIVED_OK_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L`.
    pub RX_PACKET_BAD_FCS_L(Bar0) @ 0x11a14 = "FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_H`: the high half.
    pub RX_PACKET_BAD_FCS_H(Bar0) @ 0x11a15 = "FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_H" {}
    /// `FBNIC_MAC_STAT_RX_IFINERRORS_L`.
    pub RX_IFINERRORS_L(Bar0) @ 0x11a18 = "FBNIC_MAC_STAT_RX_IFINERRORS_L" {}
    /// `FBNIC_MAC_STAT_RX_IFINERRORS_H`: the high half.
    pub RX_IFINERRORS_H(Bar0) @ 0x11a19 = "FBNIC_MAC_STAT_RX_IFINERRORS_H" {}
    /// `FBNIC_MAC_STAT_RX_MULTICAST_L`.
    pub RX_MULTICAST_L(Bar0) @ 0x11a1c = "FBNIC_MAC_STAT_RX_MULTICAST_L" {}
    /// `FBNIC_MAC_STAT_RX_MULTICAST_H`: the high half.
    pub RX_MULTICAST_H(Bar0) @ 0x11a1d = "FBNIC_MAC_STAT_RX_MULTICAST_H" {}
    /// `FBNIC_MAC_STAT_RX_BROADCAST_L`.
    pub RX_BROADCAST_L(Bar0) @ 0x11a1e = "FBNIC_MAC_STAT_RX_BROADCAST_L" {}
    /// `FBNIC_MAC_STAT_RX_BROADCAST_H`: the high half.
    pub RX_BROADCAST_H(Bar0) @ 0x11a1f = "FBNIC_MAC_STAT_RX_BROADCAST_H" {}
    /// `FBNIC_MAC_STAT_RX_UNDERSIZE_L`.
    pub RX_UNDERSIZE_L(Bar0) @ 0x11a24 = "FBNIC_MAC_STAT_RX_UNDERSIZE_L" {}
    /// `FBNIC_MAC_STAT_RX_UNDERSIZE_H`: the high half.
    pub RX_UNDERSIZE_H(Bar0) @ 0x11a25 = "FBNIC_MAC_STAT_RX_UNDERSIZE_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_64_BYTES_L`.
    pub RX_PACKET_64_BYTES_L(Bar0) @ 0x11a26 = "FBNIC_MAC_STAT_RX_PACKET_64_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_64_BYTES_H`: the high half.
    pub RX_PACKET_64_BYTES_H(Bar0) @ 0x11a27 = "FBNIC_MAC_STAT_RX_PACKET_64_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_L`.
    pub RX_PACKET_65_127_BYTES_L(Bar0) @ 0x11a28 = "FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_H`: the high half.
    pub RX_PACKET_65_127_BYTES_H(Bar0) @ 0x11a29 = "FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_L`.
    pub RX_PACKET_128_255_BYTES_L(Bar0) @ 0x11a2a = "FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_H`: the high half.
    pub RX_PACKET_128_255_BYTES_H(Bar0) @ 0x11a2b = "FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_L`.
    pub RX_PACKET_256_511_BYTES_L(Bar0) @ 0x11a2c = "FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_H`: the high half.
    pub RX_PACKET_256_511_BYTES_H(Bar0) @ 0x11a2d = "FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_L`.
    pub RX_PACKET_512_1023_BYTES_L(Bar0) @ 0x11a2e = "FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_H`: the high half.
    pub RX_PACKET_512_1023_BYTES_H(Bar0) @ 0x11a2f = "FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_L`.
    pub RX_PACKET_1024_1518_BYTES_L(Bar0) @ 0x11a30
        = "FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_H`: the high half.
    pub RX_PACKET_1024_1518_BYTES_H(Bar0) @ 0x11a31
        = "FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_L`.
    pub RX_PACKET_1519_MAX_BYTES_L(Bar0) @ 0x11a32 = "FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_L" {}
    /// `FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_H`: the high half.
    pub RX_PACKET_1519_MAX_BYTES_H(Bar0) @ 0x11a33 = "FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_H" {}
    /// `FBNIC_MAC_STAT_RX_OVERSIZE_L` (the C high half is spelled
    /// `..._OVERSSIZE_H`).
    pub RX_OVERSIZE_L(Bar0) @ 0x11a34 = "FBNIC_MAC_STAT_RX_OVERSIZE_L" {}
    /// The high half of `RX_OVERSIZE_L` (no C macro of its own).
    pub RX_OVERSIZE_H(Bar0) @ 0x11a35 = "FBNIC_MAC_STAT_RX_OVERSIZE_L + 1" {}
    /// `FBNIC_MAC_STAT_RX_JABBER_L`.
    pub RX_JABBER_L(Bar0) @ 0x11a36 = "FBNIC_MAC_STAT_RX_JABBER_L" {}
    /// `FBNIC_MAC_STAT_RX_JABBER_H`: the high half.
    pub RX_JABBER_H(Bar0) @ 0x11a37 = "FBNIC_MAC_STAT_RX_JABBER_H" {}
    /// `FBNIC_MAC_STAT_RX_FRAGMENT_L`.
    pub RX_FRAGMENT_L(Bar0) @ 0x11a38 = "FBNIC_MAC_STAT_RX_FRAGMENT_L" {}
    /// `FBNIC_MAC_STAT_RX_FRAGMENT_H`: the high half.
    pub RX_FRAGMENT_H(Bar0) @ 0x11a39 = "FBNIC_MAC_STAT_RX_FRAGMENT_H" {}
    /// `FBNIC_MAC_STAT_RX_CONTROL_FRAMES_L`.
    pub RX_CONTROL_FRAMES_L(Bar0) @ 0x11a3c = "FBNIC_MAC_STAT_RX_CONTROL_FRAMES_L" {}
    /// `FBNIC_MAC_STAT_RX_CONTROL_FRAMES_H`: the high half.
    pub RX_CONTROL_FRAMES_H(Bar0) @ 0x11a3d = "FBNIC_MAC_STAT_RX_CONTROL_FRAMES_H" {}
    /// `FBNIC_MAC_STAT_TX_BYTE_COUNT_L`.
    pub TX_BYTE_COUNT_L(Bar0) @ 0x11a3e = "FBNIC_MAC_STAT_TX_BYTE_COUNT_L" {}
    /// `FBNIC_MAC_STAT_TX_BYTE_COUNT_H`: the high half.
    pub TX_BYTE_COUNT_H(Bar0) @ 0x11a3f = "FBNIC_MAC_STAT_TX_BYTE_COUNT_H" {}
    /// `FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L`.
    pub TX_TRANSMITTED_OK_L(Bar0) @ 0x11a42 = "FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L" {}
    /// `FBNIC_MAC_STAT_TX_TRANSMITTED_OK_H`: the high half.
    pub TX_TRANSMITTED_OK_H(Bar0) @ 0x11a43 = "FBNIC_MAC_STAT_TX_TRANSMITTED_OK_H" {}
    /// `FBNIC_MAC_STAT_TX_IFOUTERRORS_L`.
    pub TX_IFOUTERRORS_L(Bar0) @ 0x11a46 = "FBNIC_MAC_STAT_TX_IFOUTERRORS_L" {}
    /// `FBNIC_MAC_STAT_TX_IFOUTERRORS_H`: the high half.
    pub TX_IFOUTERRORS_H(Bar0) @ 0x11a47 = "FBNIC_MAC_STAT_TX_IFOUTERRORS_H" {}
    /// `FBNIC_MAC_STAT_TX_MULTICAST_L`.
    pub TX_MULTICAST_L(Bar0) @ 0x11a4a = "FBNIC_MAC_STAT_TX_MULTICAST_L" {}
    /// `FBNIC_MAC_STAT_TX_MULTICAST_H`: the high half.
    pub TX_MULTICAST_H(Bar0) @ 0x11a4b = "FBNIC_MAC_STAT_TX_MULTICAST_H" {}
    /// `FBNIC_MAC_STAT_TX_BROADCAST_L`.
    pub TX_BROADCAST_L(Bar0) @ 0x11a4c = "FBNIC_MAC_STAT_TX_BROADCAST_L" {}
    /// `FBNIC_MAC_STAT_TX_BROADCAST_H`: the high half.
    pub TX_BROADCAST_H(Bar0) @ 0x11a4d = "FBNIC_MAC_STAT_TX_BROADCAST_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_64_BYTES_L`.
    pub TX_PACKET_64_BYTES_L(Bar0) @ 0x11a4e = "FBNIC_MAC_STAT_TX_PACKET_64_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_64_BYTES_H`: the high half.
    pub TX_PACKET_64_BYTES_H(Bar0) @ 0x11a4f = "FBNIC_MAC_STAT_TX_PACKET_64_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_L`.
    pub TX_PACKET_65_127_BYTES_L(Bar0) @ 0x11a50 = "FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_H`: the high half.
    pub TX_PACKET_65_127_BYTES_H(Bar0) @ 0x11a51 = "FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_L`.
    pub TX_PACKET_128_255_BYTES_L(Bar0) @ 0x11a52 = "FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_H`: the high half.
    pub TX_PACKET_128_255_BYTES_H(Bar0) @ 0x11a53 = "FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_L`.
    pub TX_PACKET_256_511_BYTES_L(Bar0) @ 0x11a54 = "FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_H`: the high half.
    pub TX_PACKET_256_511_BYTES_H(Bar0) @ 0x11a55 = "FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_L`.
    pub TX_PACKET_512_1023_BYTES_L(Bar0) @ 0x11a56 = "FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_H`: the high half.
    pub TX_PACKET_512_1023_BYTES_H(Bar0) @ 0x11a57 = "FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_L`.
    pub TX_PACKET_1024_1518_BYTES_L(Bar0) @ 0x11a58
        = "FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_H`: the high half.
    pub TX_PACKET_1024_1518_BYTES_H(Bar0) @ 0x11a59
        = "FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_L`.
    pub TX_PACKET_1519_MAX_BYTES_L(Bar0) @ 0x11a5a = "FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_L" {}
    /// `FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_H`: the high half.
    pub TX_PACKET_1519_MAX_BYTES_H(Bar0) @ 0x11a5b = "FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_H" {}
    /// `FBNIC_MAC_STAT_TX_CONTROL_FRAMES_L`.
    pub TX_CONTROL_FRAMES_L(Bar0) @ 0x11a5e = "FBNIC_MAC_STAT_TX_CONTROL_FRAMES_L" {}
    /// `FBNIC_MAC_STAT_TX_CONTROL_FRAMES_H`: the high half.
    pub TX_CONTROL_FRAMES_H(Bar0) @ 0x11a5f = "FBNIC_MAC_STAT_TX_CONTROL_FRAMES_H" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    RX_XOFF_STB_L::INFO,
    RX_XOFF_STB_H::INFO,
    TX_XOFF_STB_L::INFO,
    TX_XOFF_STB_H::INFO,
    RX_BYTE_COUNT_L::INFO,
    RX_BYTE_COUNT_H::INFO,
    RX_ALIGN_ERROR_L::INFO,
    RX_ALIGN_ERROR_H::INFO,
    RX_TOOLONG_L::INFO,
    RX_TOOLONG_H::INFO,
    RX_RECEIVED_OK_L::INFO,
    RX_RECEIVED_OK_H::INFO,
    RX_PACKET_BAD_FCS_L::INFO,
    RX_PACKET_BAD_FCS_H::INFO,
    RX_IFINERRORS_L::INFO,
    RX_IFINERRORS_H::INFO,
    RX_MULTICAST_L::INFO,
    RX_MULTICAST_H::INFO,
    RX_BROADCAST_L::INFO,
    RX_BROADCAST_H::INFO,
    RX_UNDERSIZE_L::INFO,
    RX_UNDERSIZE_H::INFO,
    RX_PACKET_64_BYTES_L::INFO,
    RX_PACKET_64_BYTES_H::INFO,
    RX_PACKET_65_127_BYTES_L::INFO,
    RX_PACKET_65_127_BYTES_H::INFO,
    RX_PACKET_128_255_BYTES_L::INFO,
    RX_PACKET_128_255_BYTES_H::INFO,
    RX_PACKET_256_511_BYTES_L::INFO,
    RX_PACKET_256_511_BYTES_H::INFO,
    RX_PACKET_512_1023_BYTES_L::INFO,
    RX_PACKET_512_1023_BYTES_H::INFO,
    RX_PACKET_1024_1518_BYTES_L::INFO,
    RX_PACKET_1024_1518_BYTES_H::INFO,
    RX_PACKET_1519_MAX_BYTES_L::INFO,
    RX_PACKET_1519_MAX_BYTES_H::INFO,
    RX_OVERSIZE_L::INFO,
    RX_OVERSIZE_H::INFO,
    RX_JABBER_L::INFO,
    RX_JABBER_H::INFO,
    RX_FRAGMENT_L::INFO,
    RX_FRAGMENT_H::INFO,
    RX_CONTROL_FRAMES_L::INFO,
    RX_CONTROL_FRAMES_H::INFO,
    TX_BYTE_COUNT_L::INFO,
    TX_BYTE_COUNT_H::INFO,
    TX_TRANSMITTED_OK_L::INFO,
    TX_TRANSMITTED_OK_H::INFO,
    TX_IFOUTERRORS_L::INFO,
    TX_IFOUTERRORS_H::INFO,
    TX_MULTICAST_L::INFO,
    TX_MULTICAST_H::INFO,
    TX_BROADCAST_L::INFO,
    TX_BROADCAST_H::INFO,
    TX_PACKET_64_BYTES_L::INFO,
    TX_PACKET_64_BYTES_H::INFO,
    TX_PACKET_65_127_BYTES_L::INFO,
    TX_PACKET_65_127_BYTES_H::INFO,
    TX_PACKET_128_255_BYTES_L::INFO,
    TX_PACKET_128_255_BYTES_H::INFO,
    TX_PACKET_256_511_BYTES_L::INFO,
    TX_PACKET_256_511_BYTES_H::INFO,
    TX_PACKET_512_1023_BYTES_L::INFO,
    TX_PACKET_512_1023_BYTES_H::INFO,
    TX_PACKET_1024_1518_BYTES_L::INFO,
    TX_PACKET_1024_1518_BYTES_H::INFO,
    TX_PACKET_1519_MAX_BYTES_L::INFO,
    TX_PACKET_1519_MAX_BYTES_H::INFO,
    TX_CONTROL_FRAMES_L::INFO,
    TX_CONTROL_FRAMES_H::INFO,
];

/// A 64-bit counter: the locations of its two halves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter64 {
    /// The low half (`_L`).
    pub lo: Loc<Bar0>,
    /// The high half (`_H`).
    pub hi: Loc<Bar0>,
}

impl Counter64 {
    const fn new(lo: Loc<Bar0>, hi: Loc<Bar0>) -> Self {
        Self { lo, hi }
    }
}

/// An RMON frame-size bucket (`fbnic_rmon_ranges`): frames of `lo..=hi`
/// bytes, FCS included, and the counters of those received and sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RmonBucket {
    /// Smallest frame.
    pub lo: u16,
    /// Largest frame.
    pub hi: u16,
    /// Frames received.
    pub rx: Counter64,
    /// Frames sent.
    pub tx: Counter64,
}

/// Largest frame the MAC's own buckets count; the RX parser (RPC) and the
/// TX engine (TMI) keep the buckets above, the MAC only its
/// `*_PACKET_1519_MAX_BYTES`.
pub const RMON_MAC_MAX: u16 = 1518;

/// The RMON buckets, smallest first, as the C driver reports them; the
/// last ends at the largest frame
/// ([`MAX_JUMBO_FRAME_SIZE`](super::MAX_JUMBO_FRAME_SIZE)).
pub const RMON_BUCKETS: [RmonBucket; 11] = [
    RmonBucket {
        lo: 0,
        hi: 64,
        rx: Counter64::new(
            RX_PACKET_64_BYTES_L::AT.loc(),
            RX_PACKET_64_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_64_BYTES_L::AT.loc(),
            TX_PACKET_64_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 65,
        hi: 127,
        rx: Counter64::new(
            RX_PACKET_65_127_BYTES_L::AT.loc(),
            RX_PACKET_65_127_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_65_127_BYTES_L::AT.loc(),
            TX_PACKET_65_127_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 128,
        hi: 255,
        rx: Counter64::new(
            RX_PACKET_128_255_BYTES_L::AT.loc(),
            RX_PACKET_128_255_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_128_255_BYTES_L::AT.loc(),
            TX_PACKET_128_255_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 256,
        hi: 511,
        rx: Counter64::new(
            RX_PACKET_256_511_BYTES_L::AT.loc(),
            RX_PACKET_256_511_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_256_511_BYTES_L::AT.loc(),
            TX_PACKET_256_511_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 512,
        hi: 1023,
        rx: Counter64::new(
            RX_PACKET_512_1023_BYTES_L::AT.loc(),
            RX_PACKET_512_1023_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_512_1023_BYTES_L::AT.loc(),
            TX_PACKET_512_1023_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 1024,
        hi: 1518,
        rx: Counter64::new(
            RX_PACKET_1024_1518_BYTES_L::AT.loc(),
            RX_PACKET_1024_1518_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            TX_PACKET_1024_1518_BYTES_L::AT.loc(),
            TX_PACKET_1024_1518_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 1519,
        hi: 2047,
        rx: Counter64::new(
            rpc::STAT_RX_PACKET_1519_2047_BYTES_L::AT.loc(),
            rpc::STAT_RX_PACKET_1519_2047_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            tmi::STAT_TX_PACKET_1519_2047_BYTES_L::AT.loc(),
            tmi::STAT_TX_PACKET_1519_2047_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 2048,
        hi: 4095,
        rx: Counter64::new(
            rpc::STAT_RX_PACKET_2048_4095_BYTES_L::AT.loc(),
            rpc::STAT_RX_PACKET_2048_4095_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            tmi::STAT_TX_PACKET_2048_4095_BYTES_L::AT.loc(),
            tmi::STAT_TX_PACKET_2048_4095_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 4096,
        hi: 8191,
        rx: Counter64::new(
            rpc::STAT_RX_PACKET_4096_8191_BYTES_L::AT.loc(),
            rpc::STAT_RX_PACKET_4096_8191_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            tmi::STAT_TX_PACKET_4096_8191_BYTES_L::AT.loc(),
            tmi::STAT_TX_PACKET_4096_8191_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 8192,
        hi: 9216,
        rx: Counter64::new(
            rpc::STAT_RX_PACKET_8192_9216_BYTES_L::AT.loc(),
            rpc::STAT_RX_PACKET_8192_9216_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            tmi::STAT_TX_PACKET_8192_9216_BYTES_L::AT.loc(),
            tmi::STAT_TX_PACKET_8192_9216_BYTES_H::AT.loc(),
        ),
    },
    RmonBucket {
        lo: 9217,
        // CAST: 9742 fits.
        hi: super::MAX_JUMBO_FRAME_SIZE as u16,
        rx: Counter64::new(
            rpc::STAT_RX_PACKET_9217_MAX_BYTES_L::AT.loc(),
            rpc::STAT_RX_PACKET_9217_MAX_BYTES_H::AT.loc(),
        ),
        tx: Counter64::new(
            tmi::STAT_TX_PACKET_9217_MAX_BYTES_L::AT.loc(),
            tmi::STAT_TX_PACKET_9217_MAX_BYTES_H::AT.loc(),
        ),
    },
];

/// The bucket of a frame of `len` bytes, FCS included: an index into
/// [`RMON_BUCKETS`], the last one for anything longer.
pub const fn rmon_bucket(len: u32) -> usize {
    let mut i = 0;
    while i + 1 < RMON_BUCKETS.len() {
        // CAST: u16 to u32 widens.
        if len <= RMON_BUCKETS[i].hi as u32 {
            return i;
        }
        i += 1;
    }
    i
}
