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

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Mutex,
    },
};

use core::fmt;

use self::counter::{
    assemble,
    since,
    Width, //
};

use crate::{
    hw::csr::{mac_stat, queue, rpc, rxb, tce, tmi},
    kernel_ext::net::ethtool::{
        EthCtrlStats, EthMacStats, RmonRanges, RmonStats, StatsData, Strings,
    },
    regs::Regs,
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

/// The MAC counters reported: the low dword of each 64-bit counter (its
/// high dword follows); first those of [`EthMac::fill`] in its order, then
/// the MAC Control ones ([`CTRL`]), then RMON's ([`RMON`]).
const MAC_COUNTERS: [u32; CTRL + 2 + 4 + 2 * RMON_BUCKETS] = [
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
    mac_stat::TX_IFOUTERRORS_L,
    mac_stat::RX_IFINERRORS_L,
    // CTRL
    mac_stat::TX_CONTROL_FRAMES_L,
    mac_stat::RX_CONTROL_FRAMES_L,
    // RMON
    mac_stat::RX_UNDERSIZE_L,
    mac_stat::RX_OVERSIZE_L,
    mac_stat::RX_FRAGMENT_L,
    mac_stat::RX_JABBER_L,
    // RMON received frames per size bucket of [`RMON_RANGES`]: the MAC
    // counts up to 1518 bytes, the parser beyond.
    mac_stat::RX_PACKET_64_BYTES_L,
    mac_stat::RX_PACKET_65_127_BYTES_L,
    mac_stat::RX_PACKET_128_255_BYTES_L,
    mac_stat::RX_PACKET_256_511_BYTES_L,
    mac_stat::RX_PACKET_512_1023_BYTES_L,
    mac_stat::RX_PACKET_1024_1518_BYTES_L,
    rpc::STAT_RX_PACKET_1519_2047_BYTES_L,
    rpc::STAT_RX_PACKET_2048_4095_BYTES_L,
    rpc::STAT_RX_PACKET_4096_8191_BYTES_L,
    rpc::STAT_RX_PACKET_8192_9216_BYTES_L,
    rpc::STAT_RX_PACKET_9217_MAX_BYTES_L,
    // RMON sent frames: the MAC, then the TX engine beyond 1518 bytes.
    mac_stat::TX_PACKET_64_BYTES_L,
    mac_stat::TX_PACKET_65_127_BYTES_L,
    mac_stat::TX_PACKET_128_255_BYTES_L,
    mac_stat::TX_PACKET_256_511_BYTES_L,
    mac_stat::TX_PACKET_512_1023_BYTES_L,
    mac_stat::TX_PACKET_1024_1518_BYTES_L,
    tmi::STAT_TX_PACKET_1519_2047_BYTES_L,
    tmi::STAT_TX_PACKET_2048_4095_BYTES_L,
    tmi::STAT_TX_PACKET_4096_8191_BYTES_L,
    tmi::STAT_TX_PACKET_8192_9216_BYTES_L,
    tmi::STAT_TX_PACKET_9217_MAX_BYTES_L,
];

/// Where the MAC Control counters start in [`MAC_COUNTERS`].
const CTRL: usize = 13;
/// Where the RMON counters start in [`MAC_COUNTERS`].
const RMON: usize = CTRL + 2;
/// RMON histogram buckets.
const RMON_BUCKETS: usize = 11;

/// The RMON size buckets (`fbnic_rmon_ranges`), up to the largest frame.
static RMON_RANGES: RmonRanges = RmonRanges::new([
    (0, 64),
    (65, 127),
    (128, 255),
    (256, 511),
    (512, 1023),
    (1024, 1518),
    (1519, 2047),
    (2048, 4095),
    (4096, 8191),
    (8192, 9216),
    // CAST: 9742 fits.
    (9217, crate::rpc::MAX_FRAME as u16),
]);

/// Reads a 64-bit counter whose high dword may change while the low one
/// is read (`fbnic_stat_rd64()`): high, low, high again ([`assemble`]).
fn rd64(regs: &Regs, low: u32) -> u64 {
    let before = regs.rd32(low + 1);
    let lo = regs.rd32(low);
    let hi = regs.rd32(low + 1);
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
        for (b, &reg) in base.iter_mut().zip(MAC_COUNTERS.iter()) {
            *b = rd64(regs, reg);
        }
        pin_init!(Self {
            base <- new_mutex!(base),
        })
    }

    /// The counters since probe.
    fn since(&self, regs: &Regs) -> [u64; MAC_COUNTERS.len()] {
        let base = self.base.lock();
        let mut v = [0u64; MAC_COUNTERS.len()];
        for ((v, &reg), &b) in v.iter_mut().zip(MAC_COUNTERS.iter()).zip(base.iter()) {
            *v = rd64(regs, reg).wrapping_sub(b);
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
        let hist = RMON + 4;
        for i in 0..RMON_BUCKETS {
            stats
                .hist(i, v[hist + i])
                .hist_tx(i, v[hist + RMON_BUCKETS + i]);
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
    reg: u32,
    width: Width,
}

const fn stat(prefix: &'static str, reg: u32, width: Width) -> HwStat {
    HwStat {
        name: Name {
            prefix,
            index: None,
            suffix: "",
        },
        reg,
        width,
    }
}

const fn indexed(
    prefix: &'static str,
    index: u32,
    suffix: &'static str,
    reg: u32,
    width: Width,
) -> HwStat {
    HwStat {
        name: Name {
            prefix,
            index: Some(index),
            suffix,
        },
        reg,
        width,
    }
}

/// The device-wide counters, in `ethtool -S` order: those of the C driver
/// (`fbnic_ethtool.c`) that this one can read, with its names.
fn hw_stats() -> impl Iterator<Item = HwStat> {
    use Width::*;
    let fixed = [
        stat("tti_cm_drop_frames", tce::TTI_CM_DROP_PKTS, C32),
        stat("tti_cm_drop_bytes", tce::TTI_CM_DROP_BYTE_L, C64),
        stat("tti_frame_drop_frames", tce::TTI_FRAME_DROP_PKTS, C32),
        stat("tti_frame_drop_bytes", tce::TTI_FRAME_DROP_BYTE_L, C64),
        stat("tti_tbi_drop_frames", tce::TBI_DROP_PKTS, C32),
        stat("tti_tbi_drop_bytes", tce::TBI_DROP_BYTE_L, C64),
        stat("rpc_unkn_etype", rpc::CNTR_UNKN_ETYPE, C32),
        stat("rpc_unkn_ext_hdr", rpc::CNTR_UNKN_EXT_HDR, C32),
        stat("rpc_ipv4_frag", rpc::CNTR_IPV4_FRAG, C32),
        stat("rpc_ipv6_frag", rpc::CNTR_IPV6_FRAG, C32),
        stat("rpc_ipv4_esp", rpc::CNTR_IPV4_ESP, C32),
        stat("rpc_ipv6_esp", rpc::CNTR_IPV6_ESP, C32),
        stat("rpc_tcp_opt_err", rpc::CNTR_TCP_OPT_ERR, C32),
        stat("rpc_out_of_hdr_err", rpc::CNTR_OUT_OF_HDR_ERR, C32),
    ];
    let enqueue = (0..rxb::ENQUEUE_INDICES).flat_map(|i| {
        [
            indexed("rxb_integrity_err", i, "", rxb::integrity_err(i), C32),
            indexed("rxb_mac_err", i, "", rxb::mac_err(i), C32),
            indexed("rxb_parser_err", i, "", rxb::parser_err(i), C32),
            indexed("rxb_frm_err", i, "", rxb::frm_err(i), C32),
            indexed("rxb_drbo", i, "_frames", rxb::drbo_frm_cnt_src(i), C32),
            indexed("rxb_drbo", i, "_bytes", rxb::drbo_byte_cnt_src_l(i), Rxb64),
        ]
    });
    let fifo = (0..rxb::FIFO_INDICES).flat_map(|i| {
        [
            indexed("rxb_fifo", i, "_drop", rxb::trans_drop_sts(i), C32),
            indexed("rxb_fifo", i, "_dropped_frames", rxb::drop_frms_sts(i), C32),
            indexed("rxb_fifo", i, "_ecn", rxb::trans_ecn_sts(i), C32),
            indexed("rxb_fifo", i, "_level", rxb::pbuf_fifo_level(i), Gauge),
        ]
    });
    let dequeue = (0..rxb::DEQUEUE_INDICES).flat_map(|i| {
        [
            indexed("rxb_intf", i, "_frames", rxb::intf_frm_cnt_dst(i), C32),
            indexed("rxb_intf", i, "_bytes", rxb::intf_byte_cnt_dst_l(i), Rxb64),
            indexed("rxb_pbuf", i, "_frames", rxb::pbuf_frm_cnt_dst(i), C32),
            indexed("rxb_pbuf", i, "_bytes", rxb::pbuf_byte_cnt_dst_l(i), Rxb64),
        ]
    });
    // `Iterator::` spelled out: the prelude's `Init` has a `chain` too.
    let all = Iterator::chain(fixed.into_iter(), enqueue);
    let all = Iterator::chain(all, fifo);
    Iterator::chain(all, dequeue)
}

/// The RX DMA engine's counters of each queue (`rde_<n>_...`).
const RDE_STATS: [(&str, u32); 3] = [
    ("_pkt_err", queue::RDE_PKT_ERR_CNT),
    ("_pkt_cq_drop", queue::RDE_CQ_DROP_CNT),
    ("_pkt_bdq_drop", queue::RDE_BDQ_DROP_CNT),
];

/// Reads a counter as it is.
fn read(regs: &Regs, reg: u32, width: Width) -> u64 {
    match width {
        Width::C32 | Width::Gauge => u64::from(regs.rd32(reg)),
        Width::C64 => rd64(regs, reg),
        Width::Rxb64 => {
            let before = regs.rd32(reg + 4);
            let lo = regs.rd32(reg);
            let hi = regs.rd32(reg + 4);
            assemble(before, lo, hi)
        }
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
            hw_base.push(read(regs, s.reg, s.width), GFP_KERNEL)?;
        }
        let mut rde_base = KVec::with_capacity(queue::MAX_QUEUES as usize, GFP_KERNEL)?;
        for q in 0..queue::MAX_QUEUES {
            let mut b = [0; RDE_STATS.len()];
            for (b, &(_, off)) in b.iter_mut().zip(RDE_STATS.iter()) {
                *b = u64::from(regs.rd32(queue::reg(q, off)));
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
        for (q, (rx, tx)) in queues.enumerate() {
            rx_values(&rx).into_iter().for_each(|v| out.push(v));
            tx_values(&tx).into_iter().for_each(|v| out.push(v));
            let base = self.rde_base.get(q).copied().unwrap_or_default();
            for (&(_, off), b) in RDE_STATS.iter().zip(base) {
                // CAST: fewer than 128 queue pairs.
                let now = u64::from(regs.rd32(queue::reg(q as u32, off)));
                out.push(since(now, b, Width::C32));
            }
        }
        for (s, &b) in hw_stats().zip(self.hw_base.iter()) {
            out.push(since(read(regs, s.reg, s.width), b, s.width));
        }
    }
}
