// SPDX-License-Identifier: GPL-2.0

//! BAR4: the firmware mailbox window and OTP status.
//!
//! The window holds 32 mailboxes of 32 dwords from dword 0x6000; fbnic uses two
//! of them as rings of 16 descriptors of 64 bits (two dwords, low dword first):
//! mailbox [`mbx::RX_IDX`](RX_IDX) carries firmware-to-host messages and
//! [`mbx::TX_IDX`](TX_IDX) host-to-firmware ones. The descriptor format is
//! [`MbxDesc`](super::super::desc::MbxDesc).

use super::super::reg::{
    index,
    register,
    RegInfo, //
};

/// Descriptors per mailbox ring (`FBNIC_IPC_MBX_DESC_LEN`).
pub const DESC_LEN: u32 = 16;
/// Bytes of a mailbox buffer, and so the largest message, either way
/// (`FBNIC_RX_PAGE_SIZE` with 4 KiB pages, which the firmware assumes).
pub const PAGE_SIZE: u32 = 4096;

// The descriptor's length field (`FBNIC_MBX_MAX_PAGE_SIZE`) holds a page.
const _: () = assert!(PAGE_SIZE as u64 <= super::super::desc::mbx_desc::LEN_MASK.max());
/// Mailbox of firmware-to-host messages (`FBNIC_IPC_MBX_RX_IDX`).
pub const RX_IDX: MbxIdx = MbxIdx::new_const::<0>();
/// Mailbox of host-to-firmware messages (`FBNIC_IPC_MBX_TX_IDX`).
pub const TX_IDX: MbxIdx = MbxIdx::new_const::<1>();
/// Mailboxes in use (`FBNIC_IPC_MBX_INDICES`).
pub const INDICES: u32 = 2;
/// First dword of the mailbox window.
pub const START: u32 = 0x6000;
/// Last dword of the two rings in use.
pub const END: u32 = START + INDICES * DESC_LEN * 2 - 1;

index! {
    /// A mailbox in use: [`RX_IDX`] or [`TX_IDX`].
    pub MbxIdx < INDICES;
}
index! {
    /// A descriptor slot of a mailbox ring.
    pub DescIdx < DESC_LEN;
}

register! {
    /// `FBNIC_IPC_MBX(mbx, desc)`: low dword of descriptor `m` of mailbox
    /// `n`. The host writes the high dword, flushes, then the low dword,
    /// which holds the ownership bits and so commits the descriptor.
    pub IPC_MBX(Bar4) @ 0x6000, [MbxIdx * 32, DescIdx * 2] = "FBNIC_IPC_MBX(n, m)" {}
    /// The high dword of descriptor `m` of mailbox `n`.
    pub IPC_MBX_HI(Bar4) @ 0x6001, [MbxIdx * 32, DescIdx * 2] = "FBNIC_IPC_MBX(n, m) + 1" {}
    /// `FBNIC_FW_ZERO_REG`: read to flush BAR4 writes and to tell "device
    /// gone" from a real all-ones value, like [`super::master::SPARE_0`]. It
    /// is the low dword of descriptor 0 of the RX mailbox.
    pub FW_ZERO_REG(Bar4) @ 0x6000 = "FBNIC_FW_ZERO_REG" {}
    /// `FBNIC_NS_OTP_STATUS`: OTP status written by the CMRT at boot; the
    /// driver reports a nonzero value.
    pub NS_OTP_STATUS(Bar4) @ 0x0021d = "FBNIC_NS_OTP_STATUS" {}
    /// `FBNIC_NS_OTP_WRITE_STATUS`.
    pub NS_OTP_WRITE_STATUS(Bar4) @ 0x0021e = "FBNIC_NS_OTP_WRITE_STATUS" {
        /// OTP write data status.
        DATA_STATUS_MASK: 31:16 = "FBNIC_NS_OTP_WRITE_DATA_STATUS_MASK";
        /// OTP write ECC status.
        ECC_STATUS_MASK: 15:0 = "FBNIC_NS_OTP_WRITE_ECC_STATUS_MASK";
    }
}

/// The mailbox and descriptor, and whether the dword is the high half, of
/// BAR4 dword `index`, or `None` outside the two rings.
pub const fn decode(index: u32) -> Option<(MbxIdx, DescIdx, bool)> {
    if let Some((m, d)) = IPC_MBX::decode(index) {
        return Some((m, d, false));
    }
    match IPC_MBX_HI::decode(index) {
        Some((m, d)) => Some((m, d, true)),
        None => None,
    }
}

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    IPC_MBX::INFO,
    IPC_MBX_HI::INFO,
    FW_ZERO_REG::INFO,
    NS_OTP_STATUS::INFO,
    NS_OTP_WRITE_STATUS::INFO,
];
