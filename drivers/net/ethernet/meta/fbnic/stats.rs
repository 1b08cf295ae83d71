// SPDX-License-Identifier: GPL-2.0

//! Hardware statistics: the MAC's IEEE 802.3 counters.
//!
//! The device's counters run freely from power-on and are not cleared by
//! the driver. Like the C driver (`fbnic_hw_stats.c`), this one reads each
//! once at probe as its baseline and reports what was counted since.

#![forbid(unsafe_code)]

use kernel::{new_mutex, prelude::*, sync::Mutex};

use crate::{hw::csr::mac_stat, kernel_ext::net::ethtool::EthMacStats, regs::Regs};

/// The MAC counters reported, in [`EthMac::fill`]'s order: the low dword
/// of each 64-bit counter (its high dword follows).
const MAC_COUNTERS: [u32; 11] = [
    mac_stat::TX_TRANSMITTED_OK_L,
    mac_stat::RX_RECEIVED_OK_L,
    mac_stat::RX_PACKET_BAD_FCS_L,
    mac_stat::RX_ALIGN_ERROR_L,
    mac_stat::TX_BYTE_COUNT_L,
    mac_stat::RX_BYTE_COUNT_L,
    mac_stat::TX_MULTICAST_L,
    mac_stat::TX_BROADCAST_L,
    mac_stat::RX_MULTICAST_L,
    mac_stat::RX_BROADCAST_L,
    mac_stat::RX_TOOLONG_L,
];

/// Reads a 64-bit counter whose high dword may change while the low one
/// is read (`fbnic_stat_rd64()`): high, low, high again; if the high dword
/// moved, the low one is not trusted and only the high part counts.
fn rd64(regs: &Regs, low: u32) -> u64 {
    let before = regs.rd32(low + 1);
    let lo = regs.rd32(low);
    let hi = regs.rd32(low + 1);
    if before == hi {
        u64::from(hi) << 32 | u64::from(lo)
    } else {
        u64::from(hi) << 32
    }
}

/// The MAC counters of a port, relative to their values at probe.
#[pin_data]
pub(crate) struct EthMac {
    #[pin]
    base: Mutex<[u64; MAC_COUNTERS.len()]>,
}

impl EthMac {
    /// Takes the baseline.
    pub(crate) fn new(regs: &Regs) -> impl PinInit<Self> {
        let mut base = [0; MAC_COUNTERS.len()];
        for (b, &reg) in base.iter_mut().zip(MAC_COUNTERS.iter()) {
            *b = rd64(regs, reg);
        }
        pin_init!(Self {
            base <- new_mutex!(base),
        })
    }

    /// Reports the counters since probe.
    pub(crate) fn fill(&self, regs: &Regs, stats: &mut EthMacStats) {
        let base = self.base.lock();
        let mut v = [0u64; MAC_COUNTERS.len()];
        for ((v, &reg), &b) in v.iter_mut().zip(MAC_COUNTERS.iter()).zip(base.iter()) {
            *v = rd64(regs, reg).wrapping_sub(b);
        }
        stats
            .frames_transmitted_ok(v[0])
            .frames_received_ok(v[1])
            .frame_check_sequence_errors(v[2])
            .alignment_errors(v[3])
            .octets_transmitted_ok(v[4])
            .octets_received_ok(v[5])
            .multicast_frames_xmitted_ok(v[6])
            .broadcast_frames_xmitted_ok(v[7])
            .multicast_frames_received_ok(v[8])
            .broadcast_frames_received_ok(v[9])
            .frame_too_long_errors(v[10]);
    }
}
