// SPDX-License-Identifier: GPL-2.0

//! The device's own counters, and the list `ethtool -S` reports.
//!
//! The counters run freely from power-on and the driver does not clear
//! them. Like the C driver (`fbnic_hw_stats.c`), this one reads each once
//! at probe as its baseline and reports what was counted since. A 32-bit
//! counter wraps after 2^32 events, at line rate within a minute: each is
//! folded into a 64-bit total ([`Accum`]) whenever it is read, and every
//! second by the service task while the interface is open
//! ([`HwStats::refresh`]), so that none wraps as the stack sees it.

use kernel::{
    new_spinlock,
    prelude::*,
    sync::SpinLock, //
};

use core::fmt;

use super::{
    counter::{
        Accum,
        Width, //
    },
    rd64,
    Pair,
    RxSnapshot,
    TxSnapshot,
    XdpTxSnapshot, //
};

use crate::{
    hw::{
        csr::{
            queue,
            rpc,
            rxb,
            tce,
            tmi, //
        },
        reg::{
            Bar0,
            Io32,
            Loc, //
        },
    },
    kernel_ext::net::ethtool::{
        StatsData,
        Strings, //
    },
    regs::Regs, //
};

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
    /// What the interface statistics count it as, if anything.
    role: Role,
}

/// How a device counter adds to the interface statistics
/// (`fbnic_get_stats64()`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It does not.
    None,
    /// Frames dropped on transmit (`tx_dropped`).
    TxDropped,
    /// Frames to the host dropped for want of room in the RX buffer
    /// (`rx_missed_errors`).
    RxMissed,
}

impl HwStat {
    /// The statistic, counted as `role`.
    const fn counts_as(self, role: Role) -> Self {
        Self { role, ..self }
    }
}

const fn stat(prefix: &'static str, read: Read) -> HwStat {
    HwStat {
        name: Name {
            prefix,
            index: None,
            suffix: "",
        },
        read,
        role: Role::None,
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
        role: Role::None,
    }
}

/// The device-wide counters, in `ethtool -S` order: those of the C driver
/// (`fbnic_ethtool.c`) that this one can read, with its names.
///
/// Listed into a vector, once per device: built as one iterator, the list
/// took almost 3 KiB of stack.
#[inline(never)]
fn hw_stats() -> Result<KVec<HwStat>> {
    use Read::*;
    let mut all = KVec::new();
    let fixed = [
        stat("tti_cm_drop_frames", C32(tce::TTI_CM_DROP_PKTS::AT.loc())).counts_as(Role::TxDropped),
        stat("tti_cm_drop_bytes", C64(pair!(tce::TTI_CM_DROP_BYTE))),
        stat(
            "tti_frame_drop_frames",
            C32(tce::TTI_FRAME_DROP_PKTS::AT.loc()),
        )
        .counts_as(Role::TxDropped),
        stat("tti_frame_drop_bytes", C64(pair!(tce::TTI_FRAME_DROP_BYTE))),
        stat("tti_tbi_drop_frames", C32(tce::TBI_DROP_PKTS::AT.loc())).counts_as(Role::TxDropped),
        stat("tti_tbi_drop_bytes", C64(pair!(tce::TBI_DROP_BYTE))),
        stat("ptp_illegal_req", C32(tmi::ILLEGAL_PTP_REQS::AT.loc())),
        stat("ptp_good_ts", C32(tmi::GOOD_PTP_TS::AT.loc())),
        stat("ptp_bad_ts", C32(tmi::BAD_PTP_TS::AT.loc())),
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
    for s in fixed {
        all.push(s, GFP_KERNEL)?;
    }
    let rxb_pair = |lo: Loc<Bar0>, hi: Loc<Bar0>| C64(Pair { lo, hi });
    for i in rxb::EnqueueIdx::all() {
        let n = i.get();
        let enqueue = [
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
        ];
        for s in enqueue {
            all.push(s, GFP_KERNEL)?;
        }
    }
    for i in rxb::FifoIdx::all() {
        let n = i.get();
        let fifo = [
            indexed(
                "rxb_fifo",
                n,
                "_drop",
                C32(rxb::TRANS_DROP_STS::at(i).loc()),
            ),
            // The host FIFOs' drops, not those of the BMC's and the
            // management controller's, which count TCAM misses too.
            indexed(
                "rxb_fifo",
                n,
                "_dropped_frames",
                C32(rxb::DROP_FRMS_STS::at(i).loc()),
            )
            .counts_as(if n == rxb::FIFO_HOST || n == rxb::FIFO_BMC_TO_HOST {
                Role::RxMissed
            } else {
                Role::None
            }),
            indexed("rxb_fifo", n, "_ecn", C32(rxb::TRANS_ECN_STS::at(i).loc())),
            indexed(
                "rxb_fifo",
                n,
                "_level",
                Gauge(rxb::PBUF_FIFO_LEVEL::at(i).loc()),
            ),
        ];
        for s in fifo {
            all.push(s, GFP_KERNEL)?;
        }
    }
    for i in rxb::DequeueIdx::all() {
        let n = i.get();
        let dequeue = [
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
        ];
        for s in dequeue {
            all.push(s, GFP_KERNEL)?;
        }
    }
    Ok(all)
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
const RX_QUEUE_STATS: [&str; 8] = [
    "_packets",
    "_bytes",
    "_dropped",
    "_alloc_fail",
    "_csum_unnecessary",
    "_csum_complete",
    "_csum_none",
    "_desc_err",
];
const TX_QUEUE_STATS: [&str; 11] = [
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
    "_desc_err",
];

/// The C driver's counters of each queue pair's XDP TX queue
/// (`xdp_tx_queue_<n>_*`), after the device's.
const XDP_TX_QUEUE_STATS: [&str; 3] = ["_packets", "_bytes", "_dropped"];

fn xdp_tx_values(c: &XdpTxSnapshot) -> [u64; XDP_TX_QUEUE_STATS.len()] {
    [c.packets, c.bytes, c.dropped]
}

fn rx_values(c: &RxSnapshot) -> [u64; RX_QUEUE_STATS.len()] {
    [
        c.packets,
        c.bytes,
        c.dropped,
        c.alloc_fail,
        c.csum_unnecessary,
        c.csum_complete,
        c.csum_none,
        c.desc_err,
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
        c.desc_err,
    ]
}

/// What the device counted that the interface statistics add
/// (`fbnic_get_stats64()`), since probe.
#[derive(Clone, Copy, Default)]
pub(crate) struct Drops {
    /// Frames the transmit path dropped (`tx_dropped`).
    pub(crate) tx_dropped: u64,
    /// Frames to the host dropped in the RX buffer (`rx_missed_errors`).
    pub(crate) rx_missed: u64,
    /// Frames dropped for want of completion or buffer room, all queues
    /// (`rx_over_errors`).
    pub(crate) rx_over: u64,
    /// Frames the RX DMA engines could not place, all queues
    /// (`rx_errors`).
    pub(crate) rx_errors: u64,
}

/// What one queue's RX DMA engine dropped since probe (the `hw-drops` of
/// the per-queue statistics).
#[derive(Clone, Copy, Default)]
pub(crate) struct QueueDrops {
    /// For want of completion or buffer room (`hw-drop-overruns`).
    pub(crate) overruns: u64,
    /// Every drop: the overruns and the frames it could not place
    /// (`hw-drops`).
    pub(crate) all: u64,
}

/// The totals of the device's counters.
struct Totals {
    /// One per entry of [`HwStats::stats`].
    hw: KVec<Accum>,
    /// One per queue, per entry of [`RDE_STATS`].
    rde: KVec<[Accum; RDE_STATS.len()]>,
    /// The TX MAC interface's drops, which `ethtool -S` does not list.
    tmi_drop: Accum,
}

impl Totals {
    /// Folds in every counter's value now. Nothing while the device is
    /// offline: its all-ones reads are no counts.
    fn update(&mut self, stats: &[HwStat], regs: &Regs) {
        if !regs.present() {
            return;
        }
        for (s, a) in stats.iter().zip(self.hw.iter_mut()) {
            a.update(read(regs, s.read), s.read.width());
        }
        for (q, accs) in queue::QueueIdx::all().zip(self.rde.iter_mut()) {
            for (&(_, at), a) in RDE_STATS.iter().zip(accs.iter_mut()) {
                a.update(u64::from(regs.read32(at(q))), Width::C32);
            }
        }
        let tmi = u64::from(regs.read32(tmi::DROP_PKTS::AT.loc()));
        self.tmi_drop.update(tmi, Width::C32);
    }
}

/// The device's counters: the totals since probe, kept in 64 bits.
#[pin_data]
pub(crate) struct HwStats {
    /// The counters of [`hw_stats`], listed once: on the heap, not on the
    /// stack of each reader (the list takes kilobytes).
    stats: KVec<HwStat>,
    /// Taken by readers in any context (`ndo_get_stats64`), never across
    /// a sleep; register reads are all it guards.
    #[pin]
    totals: SpinLock<Totals>,
}

impl HwStats {
    /// Takes the baseline.
    pub(crate) fn new(regs: &Regs) -> Result<impl PinInit<Self>> {
        let stats = hw_stats()?;
        let mut hw = KVec::with_capacity(stats.len(), GFP_KERNEL)?;
        for s in &stats {
            hw.push(Accum::new(read(regs, s.read)), GFP_KERNEL)?;
        }
        let mut rde = KVec::with_capacity(queue::MAX_QUEUES as usize, GFP_KERNEL)?;
        for q in queue::QueueIdx::all() {
            let mut b = [Accum::new(0); RDE_STATS.len()];
            for (b, &(_, at)) in b.iter_mut().zip(RDE_STATS.iter()) {
                *b = Accum::new(u64::from(regs.read32(at(q))));
            }
            rde.push(b, GFP_KERNEL)?;
        }
        let tmi_drop = Accum::new(u64::from(regs.read32(tmi::DROP_PKTS::AT.loc())));
        let totals = Totals { hw, rde, tmi_drop };
        Ok(pin_init!(Self {
            stats,
            totals <- new_spinlock!(totals),
        }))
    }

    /// Folds in every counter, so that none wraps unseen: at least once
    /// per 2^32 events (the service task's, every second).
    pub(crate) fn refresh(&self, regs: &Regs) {
        self.totals.lock().update(&self.stats, regs);
    }

    /// Takes every counter's value now as its new base, keeping the
    /// totals (`fbnic_reset_hw_stats()`): after the device was away,
    /// whether or not a reset restarted its counters. Fold in the values
    /// before it goes away with [`HwStats::refresh`].
    pub(crate) fn rebase(&self, regs: &Regs) {
        let mut t = self.totals.lock();
        for (s, a) in self.stats.iter().zip(t.hw.iter_mut()) {
            a.rebase(read(regs, s.read));
        }
        for (q, accs) in queue::QueueIdx::all().zip(t.rde.iter_mut()) {
            for (&(_, at), a) in RDE_STATS.iter().zip(accs.iter_mut()) {
                a.rebase(u64::from(regs.read32(at(q))));
            }
        }
        t.tmi_drop
            .rebase(u64::from(regs.read32(tmi::DROP_PKTS::AT.loc())));
    }

    /// What the interface statistics add, counted since probe.
    pub(crate) fn drops(&self, regs: &Regs) -> Drops {
        let mut t = self.totals.lock();
        t.update(&self.stats, regs);
        let mut d = Drops {
            tx_dropped: t.tmi_drop.total(),
            ..Drops::default()
        };
        for (s, a) in self.stats.iter().zip(t.hw.iter()) {
            match s.role {
                Role::TxDropped => d.tx_dropped += a.total(),
                Role::RxMissed => d.rx_missed += a.total(),
                Role::None => {}
            }
        }
        for [err, cq, bdq] in t.rde.iter() {
            d.rx_over += cq.total() + bdq.total();
            d.rx_errors += err.total();
        }
        d
    }

    /// What queue `q`'s RX DMA engine dropped, counted since probe.
    pub(crate) fn queue_drops(&self, regs: &Regs, q: queue::QueueIdx) -> QueueDrops {
        let mut t = self.totals.lock();
        t.update(&self.stats, regs);
        // CAST: a queue index is below 128.
        let Some([err, cq, bdq]) = t.rde.get(q.get() as usize) else {
            return QueueDrops::default();
        };
        let overruns = cq.total() + bdq.total();
        QueueDrops {
            overruns,
            all: overruns + err.total(),
        }
    }

    /// The number of statistics of `ethtool -S` with `queues` queue pairs.
    pub(crate) fn count(&self, queues: usize) -> usize {
        queues
            * (RX_QUEUE_STATS.len()
                + TX_QUEUE_STATS.len()
                + RDE_STATS.len()
                + XDP_TX_QUEUE_STATS.len())
            + self.stats.len()
    }

    /// Lists the names of `ethtool -S`, for `queues` queue pairs: per queue
    /// pair its software counters and its RX DMA engine's, then the
    /// device's counters.
    pub(crate) fn names(&self, queues: usize, out: &mut Strings<'_>) {
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
        for s in &self.stats {
            out.push(format_args!("{}", s.name));
        }
        for q in 0..queues {
            for suffix in XDP_TX_QUEUE_STATS {
                out.push(format_args!("xdp_tx_queue_{q}{suffix}"));
            }
        }
    }

    /// Reports the values of `ethtool -S`, in the order of
    /// [`HwStats::names`], for the queue pairs' counters `queues`.
    pub(crate) fn values(
        &self,
        regs: &Regs,
        queues: impl Iterator<Item = (RxSnapshot, TxSnapshot, XdpTxSnapshot)> + Clone,
        out: &mut StatsData<'_>,
    ) {
        let mut t = self.totals.lock();
        t.update(&self.stats, regs);
        for ((rx, tx, _), accs) in queues.clone().zip(t.rde.iter()) {
            rx_values(&rx).into_iter().for_each(|v| out.push(v));
            tx_values(&tx).into_iter().for_each(|v| out.push(v));
            accs.iter().for_each(|a| out.push(a.total()));
        }
        t.hw.iter().for_each(|a| out.push(a.total()));
        queues.for_each(|(_, _, xdp)| xdp_tx_values(&xdp).into_iter().for_each(|v| out.push(v)));
    }
}
