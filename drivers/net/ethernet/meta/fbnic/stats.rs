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
//! and every counter only grows. A queue pair's counters live in its slot,
//! which outlives its rings; the slots beyond the configured queue counts
//! (`ethtool -L`) make up the base of the per-queue statistics, so that the
//! per-queue sums plus the base stay equal to the interface totals.
//!
//! The device's counters run freely from power-on and are not cleared by
//! the driver. Like the C driver (`fbnic_hw_stats.c`), this one reads each
//! once at probe as its baseline and reports what was counted since.

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

use core::fmt;

use self::counter::{
    assemble,
    since,
    Width, //
};

use crate::{
    hw::{
        csr::{
            mac_stat,
            queue,
            rpc,
            rxb,
            tce, //
        },
        reg::{
            Bar0,
            Io32,
            Loc, //
        },
    },
    kernel_ext::net::ethtool::{
        EthCtrlStats,
        EthMacStats,
        RmonRanges,
        RmonStats,
        StatsData,
        Strings, //
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

/// Where a hardware counter is, and how it is read.
#[derive(Clone, Copy)]
enum Read {
    /// A 32-bit counter.
    C32(Loc<Bar0>),
    /// A 64-bit counter in two registers.
    C64(Pair),
    /// A level, not a counter.
    Gauge(Loc<Bar0>),
}

impl Read {
    /// How the value counts ([`since`]).
    fn width(self) -> Width {
        match self {
            Read::C32(_) => Width::C32,
            Read::C64(_) => Width::C64,
            Read::Gauge(_) => Width::Gauge,
        }
    }
}

/// The name of a statistic: `prefix`, the index if any, `suffix`.
#[derive(Clone, Copy)]
struct Name {
    prefix: &'static str,
    index: Option<u32>,
    suffix: &'static str,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}{}{}", self.prefix, i, self.suffix),
            None => write!(f, "{}{}", self.prefix, self.suffix),
        }
    }
}

/// A device-wide hardware counter of `ethtool -S`.
#[derive(Clone, Copy)]
struct HwStat {
    name: Name,
    read: Read,
}

const fn stat(prefix: &'static str, read: Read) -> HwStat {
    HwStat {
        name: Name {
            prefix,
            index: None,
            suffix: "",
        },
        read,
    }
}

const fn indexed(prefix: &'static str, index: u32, suffix: &'static str, read: Read) -> HwStat {
    HwStat {
        name: Name {
            prefix,
            index: Some(index),
            suffix,
        },
        read,
    }
}

/// The device-wide counters, in `ethtool -S` order: those of the C driver
/// (`fbnic_ethtool.c`) that this one can read, with its names.
fn hw_stats() -> impl Iterator<Item = HwStat> {
    use Read::*;
    let fixed = [
        stat("tti_cm_drop_frames", C32(tce::TTI_CM_DROP_PKTS::AT.loc())),
        stat("tti_cm_drop_bytes", C64(pair!(tce::TTI_CM_DROP_BYTE))),
        stat(
            "tti_frame_drop_frames",
            C32(tce::TTI_FRAME_DROP_PKTS::AT.loc()),
        ),
        stat("tti_frame_drop_bytes", C64(pair!(tce::TTI_FRAME_DROP_BYTE))),
        stat("tti_tbi_drop_frames", C32(tce::TBI_DROP_PKTS::AT.loc())),
        stat("tti_tbi_drop_bytes", C64(pair!(tce::TBI_DROP_BYTE))),
        stat("rpc_unkn_etype", C32(rpc::CNTR_UNKN_ETYPE::AT.loc())),
        stat("rpc_unkn_ext_hdr", C32(rpc::CNTR_UNKN_EXT_HDR::AT.loc())),
        stat("rpc_ipv4_frag", C32(rpc::CNTR_IPV4_FRAG::AT.loc())),
        stat("rpc_ipv6_frag", C32(rpc::CNTR_IPV6_FRAG::AT.loc())),
        stat("rpc_ipv4_esp", C32(rpc::CNTR_IPV4_ESP::AT.loc())),
        stat("rpc_ipv6_esp", C32(rpc::CNTR_IPV6_ESP::AT.loc())),
        stat("rpc_tcp_opt_err", C32(rpc::CNTR_TCP_OPT_ERR::AT.loc())),
        stat(
            "rpc_out_of_hdr_err",
            C32(rpc::CNTR_OUT_OF_HDR_ERR::AT.loc()),
        ),
    ];
    // RXB counters of 64 bits keep their high halves in a register array of
    // their own, four dwords up.
    let rxb_pair = |lo: Loc<Bar0>, hi: Loc<Bar0>| C64(Pair { lo, hi });
    let enqueue = rxb::EnqueueIdx::all().flat_map(move |i| {
        let n = i.get();
        [
            indexed(
                "rxb_integrity_err",
                n,
                "",
                C32(rxb::INTEGRITY_ERR::at(i).loc()),
            ),
            indexed("rxb_mac_err", n, "", C32(rxb::MAC_ERR::at(i).loc())),
            indexed("rxb_parser_err", n, "", C32(rxb::PARSER_ERR::at(i).loc())),
            indexed("rxb_frm_err", n, "", C32(rxb::FRM_ERR::at(i).loc())),
            indexed(
                "rxb_drbo",
                n,
                "_frames",
                C32(rxb::DRBO_FRM_CNT_SRC::at(i).loc()),
            ),
            indexed(
                "rxb_drbo",
                n,
                "_bytes",
                rxb_pair(
                    rxb::DRBO_BYTE_CNT_SRC_L::at(i).loc(),
                    rxb::DRBO_BYTE_CNT_SRC_H::at(i).loc(),
                ),
            ),
        ]
    });
    let fifo = rxb::FifoIdx::all().flat_map(|i| {
        let n = i.get();
        [
            indexed(
                "rxb_fifo",
                n,
                "_drop",
                C32(rxb::TRANS_DROP_STS::at(i).loc()),
            ),
            indexed(
                "rxb_fifo",
                n,
                "_dropped_frames",
                C32(rxb::DROP_FRMS_STS::at(i).loc()),
            ),
            indexed("rxb_fifo", n, "_ecn", C32(rxb::TRANS_ECN_STS::at(i).loc())),
            indexed(
                "rxb_fifo",
                n,
                "_level",
                Gauge(rxb::PBUF_FIFO_LEVEL::at(i).loc()),
            ),
        ]
    });
    let dequeue = rxb::DequeueIdx::all().flat_map(move |i| {
        let n = i.get();
        [
            indexed(
                "rxb_intf",
                n,
                "_frames",
                C32(rxb::INTF_FRM_CNT_DST::at(i).loc()),
            ),
            indexed(
                "rxb_intf",
                n,
                "_bytes",
                rxb_pair(
                    rxb::INTF_BYTE_CNT_DST_L::at(i).loc(),
                    rxb::INTF_BYTE_CNT_DST_H::at(i).loc(),
                ),
            ),
            indexed(
                "rxb_pbuf",
                n,
                "_frames",
                C32(rxb::PBUF_FRM_CNT_DST::at(i).loc()),
            ),
            indexed(
                "rxb_pbuf",
                n,
                "_bytes",
                rxb_pair(
                    rxb::PBUF_BYTE_CNT_DST_L::at(i).loc(),
                    rxb::PBUF_BYTE_CNT_DST_H::at(i).loc(),
                ),
            ),
        ]
    });
    // `Iterator::` spelled out: the prelude's `Init` has a `chain` too.
    let all = Iterator::chain(fixed.into_iter(), enqueue);
    let all = Iterator::chain(all, fifo);
    Iterator::chain(all, dequeue)
}

/// Where a per-queue counter of queue `q` is.
type QueueCounter = fn(queue::QueueIdx) -> Loc<Bar0>;

/// The RX DMA engine's counters of each queue (`rde_<n>_...`).
const RDE_STATS: [(&str, QueueCounter); 3] = [
    ("_pkt_err", |q| queue::RDE_PKT_ERR_CNT::at(q).loc()),
    ("_pkt_cq_drop", |q| queue::RDE_CQ_DROP_CNT::at(q).loc()),
    ("_pkt_bdq_drop", |q| queue::RDE_BDQ_DROP_CNT::at(q).loc()),
];

/// Reads a counter as it is.
fn read(regs: &Regs, read: Read) -> u64 {
    match read {
        Read::C32(reg) | Read::Gauge(reg) => u64::from(regs.read32(reg)),
        Read::C64(pair) => rd64(regs, pair),
    }
}

/// The software counters of each queue pair in `ethtool -S`, with their
/// names: `rx_queue_<n>_<name>`, `tx_queue_<n>_<name>`.
const RX_QUEUE_STATS: [&str; 7] = [
    "_packets",
    "_bytes",
    "_dropped",
    "_alloc_fail",
    "_csum_unnecessary",
    "_csum_complete",
    "_csum_none",
];
const TX_QUEUE_STATS: [&str; 10] = [
    "_packets",
    "_bytes",
    "_dropped",
    "_csum_partial",
    "_gso_packets",
    "_gso_wire_packets",
    "_gso_bytes",
    "_csum_none",
    "_stop",
    "_wake",
];

fn rx_values(c: &RxSnapshot) -> [u64; RX_QUEUE_STATS.len()] {
    [
        c.packets,
        c.bytes,
        c.dropped,
        c.alloc_fail,
        c.csum_unnecessary,
        c.csum_complete,
        c.csum_none,
    ]
}

fn tx_values(c: &TxSnapshot) -> [u64; TX_QUEUE_STATS.len()] {
    [
        c.packets,
        c.bytes,
        c.dropped,
        c.csum_partial,
        c.gso_packets,
        c.gso_wire_packets,
        c.gso_bytes,
        c.csum_none,
        c.stop,
        c.wake,
    ]
}

/// The statistics of `ethtool -S`: per queue pair its software counters
/// and its RX DMA engine's, then the device's hardware counters.
///
/// Hardware counters are reported relative to their values at probe, read
/// once here; 32-bit ones wrap after 2^32 events.
pub(crate) struct EthtoolStats {
    /// Values of [`hw_stats`] at probe.
    hw_base: KVec<u64>,
    /// Values of [`RDE_STATS`] of every queue at probe.
    rde_base: KVec<[u64; RDE_STATS.len()]>,
}

impl EthtoolStats {
    /// Takes the baseline.
    pub(crate) fn new(regs: &Regs) -> Result<Self> {
        let mut hw_base = KVec::new();
        for s in hw_stats() {
            hw_base.push(read(regs, s.read), GFP_KERNEL)?;
        }
        let mut rde_base = KVec::with_capacity(queue::MAX_QUEUES as usize, GFP_KERNEL)?;
        for q in queue::QueueIdx::all() {
            let mut b = [0; RDE_STATS.len()];
            for (b, &(_, at)) in b.iter_mut().zip(RDE_STATS.iter()) {
                *b = u64::from(regs.read32(at(q)));
            }
            rde_base.push(b, GFP_KERNEL)?;
        }
        Ok(Self { hw_base, rde_base })
    }

    /// The number of statistics with `queues` queue pairs.
    pub(crate) fn count(queues: usize) -> usize {
        queues * (RX_QUEUE_STATS.len() + TX_QUEUE_STATS.len() + RDE_STATS.len())
            + hw_stats().count()
    }

    /// Lists the names, for `queues` queue pairs.
    pub(crate) fn names(queues: usize, out: &mut Strings<'_>) {
        for q in 0..queues {
            for suffix in RX_QUEUE_STATS {
                out.push(format_args!("rx_queue_{q}{suffix}"));
            }
            for suffix in TX_QUEUE_STATS {
                out.push(format_args!("tx_queue_{q}{suffix}"));
            }
            for (suffix, _) in RDE_STATS {
                out.push(format_args!("rde_{q}{suffix}"));
            }
        }
        for s in hw_stats() {
            out.push(format_args!("{}", s.name));
        }
    }

    /// Reports the values, in the order of [`EthtoolStats::names`], for
    /// the queue pairs' counters `queues`.
    pub(crate) fn values(
        &self,
        regs: &Regs,
        queues: impl Iterator<Item = (RxSnapshot, TxSnapshot)>,
        out: &mut StatsData<'_>,
    ) {
        for (q, (rx, tx)) in queue::QueueIdx::all().zip(queues) {
            rx_values(&rx).into_iter().for_each(|v| out.push(v));
            tx_values(&tx).into_iter().for_each(|v| out.push(v));
            // CAST: a queue index is below 128.
            let base = self
                .rde_base
                .get(q.get() as usize)
                .copied()
                .unwrap_or_default();
            for (&(_, at), b) in RDE_STATS.iter().zip(base) {
                let now = u64::from(regs.read32(at(q)));
                out.push(since(now, b, Width::C32));
            }
        }
        for (s, &b) in hw_stats().zip(self.hw_base.iter()) {
            out.push(since(read(regs, s.read), b, s.read.width()));
        }
    }
}
