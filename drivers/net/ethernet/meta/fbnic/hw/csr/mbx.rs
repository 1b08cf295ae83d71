// SPDX-License-Identifier: GPL-2.0

//! BAR4: the firmware mailbox window and OTP status.
//!
//! The window holds 32 mailboxes of 32 dwords from dword 0x6000; fbnic uses two
//! of them as rings of 16 descriptors of 64 bits (two dwords, low dword first):
//! mailbox [`mbx::RX_IDX`](RX_IDX) carries firmware-to-host messages and
//! [`mbx::TX_IDX`](TX_IDX) host-to-firmware ones. The descriptor format is
//! [`MbxDesc`](super::super::desc::MbxDesc).

use super::Field32;

/// Descriptors per mailbox ring (`FBNIC_IPC_MBX_DESC_LEN`).
pub const DESC_LEN: u32 = 16;
/// Mailbox of firmware-to-host messages (`FBNIC_IPC_MBX_RX_IDX`).
pub const RX_IDX: u32 = 0;
/// Mailbox of host-to-firmware messages (`FBNIC_IPC_MBX_TX_IDX`).
pub const TX_IDX: u32 = 1;
/// Mailboxes in use (`FBNIC_IPC_MBX_INDICES`).
pub const INDICES: u32 = 2;
/// First dword of the mailbox window.
pub const START: u32 = 0x6000;

/// `FBNIC_IPC_MBX(mbx, desc)`: low dword of descriptor `desc` of
/// mailbox `mbx`; the high dword follows at +1. The host writes the
/// high dword, flushes, then the low dword, which holds the ownership
/// bits and so commits the descriptor.
pub const fn ipc_mbx(mbx: u32, desc: u32) -> u32 {
    mbx.wrapping_mul(DESC_LEN)
        .wrapping_add(desc)
        .wrapping_mul(2)
        .wrapping_add(START)
}
/// Last dword of the two rings in use.
pub const END: u32 = START + INDICES * DESC_LEN * 2 - 1;

/// The mailbox and descriptor number, and whether the dword is the high
/// half, of BAR4 dword `index`, or `None` outside the two rings.
pub const fn decode(index: u32) -> Option<(u32, u32, bool)> {
    if index < START || index > END {
        return None;
    }
    let rel = index - START;
    Some((rel / (DESC_LEN * 2), (rel / 2) % DESC_LEN, rel % 2 == 1))
}

/// `FBNIC_FW_ZERO_REG`: read to flush BAR4 writes and to tell "device
/// gone" from a real all-ones value, like [`super::master::SPARE_0`].
pub const FW_ZERO_REG: u32 = ipc_mbx(0, 0);

/// `FBNIC_NS_OTP_STATUS`: OTP status written by the CMRT at boot; the
/// driver reports a nonzero value.
pub const NS_OTP_STATUS: u32 = 0x0021d;
/// `FBNIC_NS_OTP_WRITE_STATUS`.
pub const NS_OTP_WRITE_STATUS: u32 = 0x0021e;
/// OTP write data status.
pub const NS_OTP_WRITE_DATA_STATUS_MASK: Field32 = Field32::new(31, 16);
/// OTP write ECC status.
pub const NS_OTP_WRITE_ECC_STATUS_MASK: Field32 = Field32::new(15, 0);
