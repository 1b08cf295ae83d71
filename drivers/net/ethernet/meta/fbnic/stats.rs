// SPDX-License-Identifier: GPL-2.0

//! Statistics: the software counters of each queue pair and the device's
//! hardware counters.
//!
//! Queue counters ([`RingStats`]) are plain 64-bit atomics, each with a
//! single writer at a time (the ring's lock holder: NAPI for completions,
//! the transmit path for what it queues), read without locks by the
//! interface statistics (`ndo_get_stats64`), the per-queue statistics
//! (qstats) and `ethtool -S`. On a 64-bit machine that is what the C
//! driver's `u64_stats_sync` amounts to: a reader never sees a torn value,
//! and every counter only grows. Counters of queues that go away are added
//! to the port's [`Base`] first, so that the per-queue sums plus the base
//! stay equal to the interface totals.
//!
//! The device's counters run freely from power-on and are not cleared by
//! the driver. Like the C driver (`fbnic_hw_stats.c`), this one reads each
//! once at probe as its baseline and reports what was counted since.

#![forbid(unsafe_code)]

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Mutex,
    },
};

use crate::{hw::csr::mac_stat, kernel_ext::net::ethtool::EthMacStats, regs::Regs};

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

            /// Adds what `other` counted to these counters.
            // Used by `Base::retire`.
            #[allow(dead_code)]
            pub(crate) fn absorb(&self, other: &$snap) {
                $(self.$field.add(other.$field);)*
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
        /// Packets handed up with `CHECKSUM_UNNECESSARY` (the device
        /// verified the L4 checksum).
        csum_unnecessary,
        /// Packets handed up with `CHECKSUM_COMPLETE`.
        csum_complete,
        /// Packets handed up without checksum information.
        csum_none,
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
        /// Their bytes.
        gso_bytes,
        /// Packets queued without any offload.
        csum_none,
        /// Times the queue was stopped for lack of descriptors.
        stop,
        /// Times it was restarted.
        wake,
    }
}

/// The counters of one queue pair.
pub(crate) struct RingStats {
    pub(crate) rx: RxCounters,
    pub(crate) tx: TxCounters,
}

impl RingStats {
    pub(crate) const fn new() -> Self {
        Self {
            rx: RxCounters::new(),
            tx: TxCounters::new(),
        }
    }
}

/// What queue pairs that no longer exist counted, and what the port
/// counted outside any queue pair (packets dropped before reaching one).
pub(crate) struct Base {
    pub(crate) rings: RingStats,
}

impl Base {
    pub(crate) const fn new() -> Self {
        Self {
            rings: RingStats::new(),
        }
    }

    /// Keeps the counts of a queue pair that is going away. Called under
    /// RTNL, before the queue pair is freed, so that per-queue sums plus
    /// the base never lose what it counted.
    // For channel changes (`ethtool -L`), which free queue pairs; until
    // then the queue pairs live as long as the port.
    #[allow(dead_code)]
    pub(crate) fn retire(&self, ring: &RingStats) {
        self.rings.rx.absorb(&ring.rx.snapshot());
        self.rings.tx.absorb(&ring.tx.snapshot());
    }
}

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
