// SPDX-License-Identifier: GPL-2.0

//! The physical layer's counters: pause frames and pause storms, FEC
//! codewords and PCS symbol errors (`ethtool -I -a`, `ethtool -I
//! --show-fec`, the eth-phy group of `ethtool -S`).
//!
//! The pause counters run freely and are reported since probe, like the
//! MAC's. The RS-FEC and PCS counters are 32 bits in two 16-bit registers
//! that clear when read (low half first): the driver clears them at probe
//! and adds up what each read returns (`fbnic_pcs_rsfec_stat_rd32()`).

#![forbid(unsafe_code)]

use kernel::{
    new_mutex,
    prelude::*,
    sync::Mutex, //
};

use super::{
    counter::{
        since,
        Width, //
    },
    rd64,
    Pair, //
};
use crate::{
    hw::{
        csr::{
            mac_stat,
            pcs,
            rxb, //
        },
        reg::{
            Bar0,
            Io32,
            Loc, //
        },
    },
    kernel_ext::net::ethtool::{
        EthPhyStats,
        FecStats,
        PauseStats, //
    },
    regs::Regs, //
};

/// Pause frames sent and received.
const PAUSE: [Pair; 2] = [
    Pair {
        lo: mac_stat::TX_XOFF_STB_L::AT.loc(),
        hi: mac_stat::TX_XOFF_STB_H::AT.loc(),
    },
    Pair {
        lo: mac_stat::RX_XOFF_STB_L::AT.loc(),
        hi: mac_stat::RX_XOFF_STB_H::AT.loc(),
    },
];

/// The pause storms of the network interface (`RXB_INTR_PS_COUNT`).
fn storm_counter() -> Option<Loc<Bar0>> {
    Some(rxb::INTR_PS_COUNT::at(rxb::EnqueueIdx::new(rxb::INTF_NET)?).loc())
}

/// A clear-on-read counter of two 16-bit halves: what it counted since
/// the last read. The low half must be read first.
fn take16x2(regs: &Regs, c: Pair) -> u64 {
    let low = regs.read32(c.lo) & 0xffff;
    let high = regs.read32(c.hi) & 0xffff;
    u64::from(high << 16 | low)
}

/// The RS-FEC counters (engine 0, the one in use), corrected then
/// uncorrectable codewords.
fn fec_counters() -> Option<[Pair; 2]> {
    let n = pcs::RsfecIdx::new(0)?;
    Some([
        Pair {
            lo: pcs::RSFEC_CCW_LO::at(n).loc(),
            hi: pcs::RSFEC_CCW_HI::at(n).loc(),
        },
        Pair {
            lo: pcs::RSFEC_NCCW_LO::at(n).loc(),
            hi: pcs::RSFEC_NCCW_HI::at(n).loc(),
        },
    ])
}

/// What the driver adds up.
struct Sums {
    /// Corrected and uncorrectable codewords.
    fec: [u64; 2],
    /// Symbol errors per PCS lane.
    symbols: [u64; pcs::MAX_LANES as usize],
    /// The pause counters at probe, then the storm counter.
    pause_base: [u64; 3],
}

/// The physical layer's counters of a port.
#[pin_data]
pub(crate) struct PhyStats {
    #[pin]
    sums: Mutex<Sums>,
}

impl PhyStats {
    /// Takes the baselines and clears the clear-on-read counters.
    pub(crate) fn new(regs: &Regs) -> impl PinInit<Self> {
        let mut sums = Sums {
            fec: [0; 2],
            symbols: [0; pcs::MAX_LANES as usize],
            pause_base: [0; 3],
        };
        Self::read_into(regs, &mut sums);
        sums.fec = [0; 2];
        sums.symbols = [0; pcs::MAX_LANES as usize];
        sums.pause_base[0] = rd64(regs, PAUSE[0]);
        sums.pause_base[1] = rd64(regs, PAUSE[1]);
        sums.pause_base[2] = storm_counter().map_or(0, |c| u64::from(regs.read32(c)));
        pin_init!(Self {
            sums <- new_mutex!(sums),
        })
    }

    /// Adds what the clear-on-read counters counted since the last read;
    /// nothing while the device is offline.
    fn read_into(regs: &Regs, sums: &mut Sums) {
        if !regs.present() {
            return;
        }
        if let Some(fec) = fec_counters() {
            for (sum, &c) in sums.fec.iter_mut().zip(fec.iter()) {
                *sum += take16x2(regs, c);
            }
        }
        for (sum, lane) in sums.symbols.iter_mut().zip(pcs::LaneIdx::all()) {
            let c = Pair {
                lo: pcs::SYMBLERR_LO::at(lane).loc(),
                hi: pcs::SYMBLERR_HI::at(lane).loc(),
            };
            *sum += take16x2(regs, c);
        }
    }

    /// Keeps the pause counts across the device going away, as
    /// [`EthMac::carry_over`](super::EthMac::carry_over) does; also
    /// collects what the clear-on-read counters counted before it goes.
    pub(crate) fn carry_over(&self, regs: &Regs) {
        let mut sums = self.sums.lock();
        Self::read_into(regs, &mut sums);
        sums.pause_base[0] = rd64(regs, PAUSE[0]).wrapping_sub(sums.pause_base[0]);
        sums.pause_base[1] = rd64(regs, PAUSE[1]).wrapping_sub(sums.pause_base[1]);
        if let Some(c) = storm_counter() {
            sums.pause_base[2] = u64::from(regs.read32(c)).wrapping_sub(sums.pause_base[2]);
        }
    }

    /// Reports the FEC counters.
    pub(crate) fn fill_fec(&self, regs: &Regs, stats: &mut FecStats) {
        let mut sums = self.sums.lock();
        Self::read_into(regs, &mut sums);
        stats
            .corrected_blocks(sums.fec[0])
            .uncorrectable_blocks(sums.fec[1]);
    }

    /// Reports the PHY counters: the symbol errors of all lanes.
    pub(crate) fn fill_phy(&self, regs: &Regs, stats: &mut EthPhyStats) {
        let mut sums = self.sums.lock();
        Self::read_into(regs, &mut sums);
        stats.symbol_error_during_carrier(sums.symbols.iter().sum());
    }

    /// Reports the pause counters since probe.
    pub(crate) fn fill_pause(&self, regs: &Regs, stats: &mut PauseStats) {
        let sums = self.sums.lock();
        let tx = rd64(regs, PAUSE[0]).wrapping_sub(sums.pause_base[0]);
        let rx = rd64(regs, PAUSE[1]).wrapping_sub(sums.pause_base[1]);
        stats.tx_pause_frames(tx).rx_pause_frames(rx);
        if let Some(c) = storm_counter() {
            let now = u64::from(regs.read32(c));
            stats.tx_pause_storm_events(since(now, sums.pause_base[2], Width::C32));
        }
    }
}
