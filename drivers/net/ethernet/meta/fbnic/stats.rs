// SPDX-License-Identifier: GPL-2.0

//! Statistics: the software counters of each queue pair, the MAC's
//! counters, and the device's other counters ([`hw`]).
//!
//! Queue counters ([`RingStats`]) are plain 64-bit atomics, each with a
//! single writer at a time (the ring's lock holder: NAPI for completions,
//! the transmit path for what it queues), read without locks by the
//! interface statistics (`ndo_get_stats64`), the per-queue statistics
//! (qstats) and `ethtool -S`. On a 64-bit machine that is what the C
//! driver's `u64_stats_sync` amounts to: a reader never sees a torn value,
//! and every counter only grows. A queue pair's counters live in its slot,
//! which outlives its rings; the slots beyond the configured queue counts
//! (`ethtool -L`) make up the base of the per-queue statistics, so that the
//! per-queue sums plus the base stay equal to the interface totals.
//!
//! The device's counters run freely from power-on and are not cleared by
//! the driver. Like the C driver (`fbnic_hw_stats.c`), this one reads each
//! once at probe as its baseline and reports what was counted since. The
//! MAC's are 64 bits wide.

#![forbid(unsafe_code)]

mod counter;
mod phy;

pub(crate) use phy::PhyStats;

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Mutex, //
    }, //
};

use self::counter::assemble;

pub(crate) use self::hw::HwStats;

use crate::{
    hw::{
        csr::mac_stat,
        reg::Io32, //
    },
    kernel_ext::net::ethtool::{
        EthCtrlStats,
        EthMacStats,
        RmonRanges,
        RmonStats, //
    },
    regs::Regs, //
};

/// A 64-bit event counter with one writer at a time.
///
/// Writers are serialized by whoever owns the counter (a ring's lock), so
/// an increment is a plain load and store rather than a locked
/// read-modify-write; readers load it at any time.
pub(crate) struct Counter(Atomic<u64>);

impl Counter {
    pub(crate) const fn new() -> Self {
        Self(Atomic::new(0))
    }

    /// Counts `n` more events. Callers must not race with each other (an
    /// increment could be lost, never torn).
    pub(crate) fn add(&self, n: u64) {
        self.0.store(self.0.load(Relaxed).wrapping_add(n), Relaxed);
    }

    /// Counts one more event.
    pub(crate) fn inc(&self) {
        self.add(1);
    }

    pub(crate) fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Defines a set of counters and its plain snapshot.
macro_rules! counters {
    ($(#[$doc:meta])* $live:ident / $snap:ident { $($(#[$fdoc:meta])* $field:ident,)* }) => {
        $(#[$doc])*
        pub(crate) struct $live {
            $($(#[$fdoc])* pub(crate) $field: Counter,)*
        }

        impl $live {
            pub(crate) const fn new() -> Self {
                Self { $($field: Counter::new(),)* }
            }

            /// The values now.
            pub(crate) fn snapshot(&self) -> $snap {
                $snap { $($field: self.$field.get(),)* }
            }

        }

        /// Values of the counters of the same name, at one point in time.
        #[derive(Clone, Copy, Default)]
        pub(crate) struct $snap {
            $(pub(crate) $field: u64,)*
        }

        impl core::ops::AddAssign for $snap {
            fn add_assign(&mut self, other: Self) {
                $(self.$field = self.$field.wrapping_add(other.$field);)*
            }
        }
    };
}

counters! {
    /// Receive counters of a queue pair.
    RxCounters / RxSnapshot {
        /// Packets handed to the stack.
        packets,
        /// Their bytes.
        bytes,
        /// Packets the device delivered that were dropped: errors the
        /// completion reported, or no buffer for them.
        dropped,
        /// Buffers that could not be allocated.
        alloc_fail,
        /// Frames in several buffers for an XDP program that takes one.
        length_errors,
        /// Packets handed up with `CHECKSUM_UNNECESSARY` (the device
        /// verified the L4 checksum).
        csum_unnecessary,
        /// Packets handed up with `CHECKSUM_COMPLETE`.
        csum_complete,
        /// Packets handed up without checksum information.
        csum_none,
        /// Completions that named a buffer the device does not hold, a
        /// piece beyond its buffer, or pieces out of order: the device
        /// misbehaved, and the packet was dropped.
        desc_err,
    }
}

counters! {
    /// Transmit counters of a queue pair.
    TxCounters / TxSnapshot {
        /// Packets the device completed.
        packets,
        /// Their bytes, as the stack handed them over.
        bytes,
        /// Packets dropped instead of sent.
        dropped,
        /// Packets queued with a checksum request (no segmentation).
        csum_partial,
        /// Packets queued for segmentation (TSO).
        gso_packets,
        /// The frames the device makes of them.
        gso_wire_packets,
        /// Their bytes, with the headers repeated in every frame.
        gso_bytes,
        /// Packets queued without any offload.
        csum_none,
        /// Times the queue was stopped for lack of descriptors.
        stop,
        /// Times it was restarted.
        wake,
        /// Hardware time stamps passed to the packets' sockets.
        ts_packets,
        /// Time stamp requests whose time stamp never came (the packet
        /// was dropped from the ring first).
        ts_lost,
        /// Time stamps the device flagged as failed, or reported for no
        /// packet that waited for one.
        ts_err,
        /// Head completions that pointed past what was posted, ignored.
        desc_err,
    }
}

counters! {
    /// Counters of a queue pair's XDP TX queue (TWQ1), as the C driver
    /// names them in `ethtool -S` (`xdp_tx_queue_<n>_*`).
    XdpTxCounters / XdpTxSnapshot {
        /// Frames the device sent.
        packets,
        /// Their bytes.
        bytes,
        /// Frames dropped: no room on the ring, or still on it when it was
        /// flushed.
        dropped,
    }
}

/// The counters of one queue pair.
pub(crate) struct RingStats {
    pub(crate) rx: RxCounters,
    pub(crate) tx: TxCounters,
    pub(crate) xdp: XdpTxCounters,
}

impl RingStats {
    pub(crate) const fn new() -> Self {
        Self {
            rx: RxCounters::new(),
            tx: TxCounters::new(),
            xdp: XdpTxCounters::new(),
        }
    }
}

/// Where a 64-bit counter's two halves are.
type Pair = mac_stat::Counter64;

/// The [`Pair`] of the counter declared as `<name>_L` and `<name>_H`.
macro_rules! pair {
    ($blk:ident :: $name:ident) => {
        ::kernel::macros::paste! {
            Pair {
                lo: $blk::[<$name _L>]::AT.loc(),
                hi: $blk::[<$name _H>]::AT.loc(),
            }
        }
    };
}

// After `pair!`, which it uses.
mod hw;

/// The MAC counters reported before the RMON histogram, each 64 bits wide;
/// first those of [`EthMac::fill`] in its order, then the MAC Control ones
/// ([`CTRL`]), then RMON's ([`RMON`]).
const MAC_FIXED: [Pair; HIST] = [
    pair!(mac_stat::TX_TRANSMITTED_OK),
    pair!(mac_stat::RX_RECEIVED_OK),
    pair!(mac_stat::RX_PACKET_BAD_FCS),
    pair!(mac_stat::RX_ALIGN_ERROR),
    pair!(mac_stat::TX_BYTE_COUNT),
    pair!(mac_stat::RX_BYTE_COUNT),
    pair!(mac_stat::TX_MULTICAST),
    pair!(mac_stat::TX_BROADCAST),
    pair!(mac_stat::RX_MULTICAST),
    pair!(mac_stat::RX_BROADCAST),
    pair!(mac_stat::RX_TOOLONG),
    pair!(mac_stat::TX_IFOUTERRORS),
    pair!(mac_stat::RX_IFINERRORS),
    // CTRL
    pair!(mac_stat::TX_CONTROL_FRAMES),
    pair!(mac_stat::RX_CONTROL_FRAMES),
    // RMON
    pair!(mac_stat::RX_UNDERSIZE),
    pair!(mac_stat::RX_OVERSIZE),
    pair!(mac_stat::RX_FRAGMENT),
    pair!(mac_stat::RX_JABBER),
];

/// Where the MAC Control counters start in [`MAC_COUNTERS`].
const CTRL: usize = 13;
/// Where the RMON counters start in [`MAC_COUNTERS`].
const RMON: usize = CTRL + 2;
/// Where the RMON histogram starts in [`MAC_COUNTERS`]: the received
/// frames per bucket of [`mac_stat::RMON_BUCKETS`], then the sent ones.
const HIST: usize = RMON + 4;
/// RMON histogram buckets.
const RMON_BUCKETS: usize = mac_stat::RMON_BUCKETS.len();

/// Every MAC counter reported: [`MAC_FIXED`], then the RMON histogram.
const MAC_COUNTERS: [Pair; HIST + 2 * RMON_BUCKETS] = {
    let mut c = [MAC_FIXED[0]; HIST + 2 * RMON_BUCKETS];
    let mut i = 0;
    while i < HIST {
        c[i] = MAC_FIXED[i];
        i += 1;
    }
    let mut b = 0;
    while b < RMON_BUCKETS {
        c[HIST + b] = mac_stat::RMON_BUCKETS[b].rx;
        c[HIST + RMON_BUCKETS + b] = mac_stat::RMON_BUCKETS[b].tx;
        b += 1;
    }
    c
};

/// The RMON size buckets (`fbnic_rmon_ranges`), up to the largest frame.
static RMON_RANGES: RmonRanges = RmonRanges::new({
    let mut r = [(0, 0); RMON_BUCKETS];
    let mut b = 0;
    while b < RMON_BUCKETS {
        r[b] = (mac_stat::RMON_BUCKETS[b].lo, mac_stat::RMON_BUCKETS[b].hi);
        b += 1;
    }
    r
});

/// Reads a 64-bit counter whose high dword may change while the low one
/// is read (`fbnic_stat_rd64()`): high, low, high again ([`assemble`]).
fn rd64(regs: &Regs, c: Pair) -> u64 {
    let before = regs.read32(c.hi);
    let lo = regs.read32(c.lo);
    let hi = regs.read32(c.hi);
    assemble(before, lo, hi)
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
        for (b, &c) in base.iter_mut().zip(MAC_COUNTERS.iter()) {
            *b = rd64(regs, c);
        }
        pin_init!(Self {
            base <- new_mutex!(base),
        })
    }

    /// Keeps the counts across the device going away: called before it
    /// goes, this turns each base into the count so far; called after it
    /// is back, into the base that continues that count from the
    /// counter's value then, whether or not a reset restarted it.
    pub(crate) fn carry_over(&self, regs: &Regs) {
        let mut base = self.base.lock();
        for (b, &c) in base.iter_mut().zip(MAC_COUNTERS.iter()) {
            *b = rd64(regs, c).wrapping_sub(*b);
        }
    }

    /// The counters since probe.
    fn since(&self, regs: &Regs) -> [u64; MAC_COUNTERS.len()] {
        let base = self.base.lock();
        let mut v = [0u64; MAC_COUNTERS.len()];
        for ((v, &c), &b) in v.iter_mut().zip(MAC_COUNTERS.iter()).zip(base.iter()) {
            *v = rd64(regs, c).wrapping_sub(b);
        }
        v
    }

    /// Reports the MAC Control counters since probe.
    pub(crate) fn fill_ctrl(&self, regs: &Regs, stats: &mut EthCtrlStats) {
        let v = self.since(regs);
        stats
            .mac_control_frames_transmitted(v[CTRL])
            .mac_control_frames_received(v[CTRL + 1]);
    }

    /// Reports the RMON counters since probe.
    pub(crate) fn fill_rmon(&self, regs: &Regs, stats: &mut RmonStats<'_>) {
        let v = self.since(regs);
        stats
            .undersize_pkts(v[RMON])
            .oversize_pkts(v[RMON + 1])
            .fragments(v[RMON + 2])
            .jabbers(v[RMON + 3])
            .set_ranges(&RMON_RANGES);
        for i in 0..RMON_BUCKETS {
            stats
                .hist(i, v[HIST + i])
                .hist_tx(i, v[HIST + RMON_BUCKETS + i]);
        }
    }

    /// Reports the IEEE 802.3 MAC counters since probe.
    pub(crate) fn fill(&self, regs: &Regs, stats: &mut EthMacStats) {
        let v = self.since(regs);
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
            .frame_too_long_errors(v[10])
            .frames_lost_due_to_int_mac_xmit_error(v[11])
            .frames_lost_due_to_int_mac_rcv_error(v[12]);
    }
}
