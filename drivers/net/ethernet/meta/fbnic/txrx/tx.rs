// SPDX-License-Identifier: GPL-2.0

//! The transmit path of a queue pair: the TX work queue (TWQ0) and its
//! completion queue (TCQ), the packets in flight on them, queueing a
//! packet (with the TWQ tail doorbell batched while the stack has more)
//! and retiring what the device sent; the TX engine's offload setup; the
//! stack's offload check, made with the [planner](super::plan). The
//! packets' hardware time stamps are [`tstamp`]'s.

#![forbid(unsafe_code)]

mod tstamp;

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device,
    prelude::*, //
};

use super::{
    plan::{
        self,
        plan,
        Offload,
        SegL4,
        TxKind,
        TxPlan,
        Unsupported, //
    },
    rings::{
        ring,
        wrap,
        RingSizes,
        Rings, //
    }, //
};
use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::{
            qm_tx,
            queue,
            tce, //
        },
        csum,
        desc::{
            done_for_position,
            twd,
            TxAddrLen,
            TxCompletion,
            MIN_FRAME_LEN,
            TWQ1_DEFAULT_META, //
        }, //
    },
    kernel_ext::{
        bh,
        dma::DescRing,
        net::{
            self,
            skbuff::{
                DropReason,
                GsoKind,
                SkBuff,
                TxCsum,
                TxOffload,
                TxSkb,
                MAX_TX_SEGS, //
            }, //
        }, //
    },
    regs::Regs,
    time::Clock, //
};

/// Most descriptors one packet takes: a META and one AL per DMA segment.
const MAX_PKT_DESCS: u32 = 1 + MAX_TX_SEGS as u32;

const _: () = assert!(RingSizes::MIN >= 2 * MAX_PKT_DESCS);

/// TCP header flags (`TCPHDR_*`).
const TCP_FIN: u32 = 0x01;
const TCP_PSH: u32 = 0x08;
const TCP_CWR: u32 = 0x80;

/// Sets up the TX engine's offload behaviour, once at probe (the TCE part
/// of `fbnic_mac_init_regs()`): when segmenting, only the last segment
/// keeps FIN and PSH and only the first keeps CWR, IPv4 IDs increment, and
/// checksum insertion works as the stack expects; and the metadata of XDP
/// TX frames ([`TWQ1_DEFAULT_META`]).
pub(crate) fn init_tx_engine(regs: &Regs) {
    regs.write_raw(
        tce::LSO_CTRL::AT,
        tce::LSO_CTRL::IPID_MODE_INC.mask()
            | tce::LSO_CTRL::TCPF_CLR_1ST.prep(TCP_PSH | TCP_FIN)
            | tce::LSO_CTRL::TCPF_CLR_MID.prep(TCP_PSH | TCP_CWR | TCP_FIN)
            | tce::LSO_CTRL::TCPF_CLR_END.prep(TCP_CWR),
    );
    regs.write_raw(tce::CSO_CTRL::AT, 0);
    // What the device assumes for frames on the XDP TX queues (TWQ1).
    // CAST: the halves of a 64-bit descriptor. It encodes: a constant.
    let meta = TWQ1_DEFAULT_META.encode().unwrap_or(0);
    regs.write_raw(qm_tx::TWQ_DEFAULT_META_L::AT, meta as u32);
    regs.write_raw(qm_tx::TWQ_DEFAULT_META_H::AT, (meta >> 32) as u32);
}

/// Works out the META descriptor and accounting of `skb`
/// (`fbnic_tx_offloads()`, `fbnic_tx_lso()`), reading its headers only.
///
/// The device segments TCP and UDP (`SKB_GSO_UDP_L4`) over IPv4 and IPv6,
/// IPv6 tunnelled directly in IPv6 with both headers given, and any tunnel
/// the stack prepared as `SKB_GSO_PARTIAL`, whose headers up to the inner
/// L4 it copies as they are. [`features_check`] makes the same plan
/// before the stack segments ([`plan::check`]: the same decision, without
/// the descriptor; for a checksum-only packet, from its header lengths)
/// and sends anything else to software,
/// so the transmit path drops what still fails here (it should not
/// happen). The headers are thus read twice per packet, as the C driver
/// does too.
pub(crate) fn tx_plan(skb: &SkBuff) -> Result<TxPlan, Unsupported> {
    plan(skb.len(), skb.head(), offload(skb.tx_offload()))
}

/// The planner's view of the offloads the stack asks for.
fn offload(o: TxOffload) -> Offload {
    match o {
        TxOffload::None => Offload::None,
        TxOffload::Csum(c) => Offload::Csum(offload_csum(c)),
        TxOffload::Gso(c, g) => Offload::Gso(
            offload_csum(c),
            plan::Seg {
                size: g.size,
                segs: g.segs,
                l4: match g.kind {
                    GsoKind::Tcp4 | GsoKind::Tcp6 => SegL4::Tcp,
                    GsoKind::Udp => SegL4::Udp,
                    GsoKind::Other => SegL4::Other,
                },
                partial: g.partial,
                inner_network_offset: g.inner_network_offset,
                ipxip6: g.features.intersects(net::Features::GSO_IPXIP6),
            },
        ),
    }
}

/// The checksum insertion the stack asks for, as the planner takes it.
#[inline]
fn offload_csum(c: TxCsum) -> plan::Csum {
    plan::Csum {
        network_offset: c.network_offset,
        csum_start: c.csum_start,
        csum_offset: c.csum_offset,
    }
}

/// The offloads `features` the device can do for `skb`
/// (`fbnic_features_check()`): [`tx_plan`] must succeed for the packet as
/// it will reach the transmit path, or the stack does the part that fails
/// in software.
///
/// The stack asks before it segments: a tunnel other than 6in6 reaches
/// the transmit path as `SKB_GSO_PARTIAL`, with the same header layout,
/// so it is judged as such.
pub(crate) fn features_check(skb: &SkBuff, features: net::Features) -> net::Features {
    let mut features = features;
    let mut offload = match skb.tx_offload() {
        // Nothing to offload: the plan cannot fail.
        TxOffload::None => return features,
        // A checksum only (an ACK, say): the header lengths decide, as
        // they would the plan.
        TxOffload::Csum(c) => {
            return if plan::csum_fits(offload_csum(c)) {
                features
            } else {
                features.without(net::Features::GSO_MASK | net::Features::CSUM_MASK)
            };
        }
        o => offload(o),
    };
    if let Offload::Gso(_, g) = &mut offload {
        if g.inner_network_offset.is_some() && !g.partial {
            // GSO_PARTIAL leaves the inner IPv4 ID the same in every
            // segment; the stack allows that only with MANGLEID.
            if !features.contains(net::Features::TSO_MANGLEID) {
                features = features.without(net::Features::TSO);
            }
            g.partial = !g.ipxip6;
        }
    }
    match plan::check(skb.len(), skb.head(), offload) {
        Ok(()) => features,
        Err(Unsupported::Segmentation) => features.without(net::Features::GSO_MASK),
        Err(Unsupported::Checksum) => {
            features.without(net::Features::GSO_MASK | net::Features::CSUM_MASK)
        }
    }
}

/// Takes `payload` out of the pseudo-header checksum at `field` of a
/// packet to segment (see [`TxPlan::lso_csum`]).
fn fix_lso_csum(skb: &mut SkBuff, (field, payload): (usize, u16)) -> Result {
    let head = skb.writable_head()?;
    let check = head.get_mut(field..field + 2).ok_or(EINVAL)?;
    let fixed = csum::remove_from_sum(u16::from_be_bytes([check[0], check[1]]), payload);
    check.copy_from_slice(&fixed.to_be_bytes());
    Ok(())
}

/// A packet on the TX ring.
pub(super) struct InFlight {
    skb: TxSkb,
    /// Descriptors it took.
    descs: u32,
    /// Frames it makes on the wire.
    packets: u32,
    /// Their bytes, as accounted to the byte queue limits.
    bytes: u32,
    /// It waits for its hardware time stamp, and is not retired before
    /// that came (or the ring is flushed).
    ts: bool,
}

/// A TX work queue (TWQ0) and its completion queue (TCQ), with the
/// positions on them.
pub(super) struct TxRing {
    pub(super) twq: DescRing,
    pub(super) tcq: DescRing,
    /// Descriptors of each of the two.
    pub(super) size: u32,
    /// Next TWQ descriptor to fill (free running).
    pub(super) tail: u32,
    /// The tail last written to the device's doorbell (free running):
    /// behind `tail` while the stack says more packets follow.
    pub(super) rung: u32,
    /// Oldest TWQ descriptor not retired yet (free running).
    pub(super) head: u32,
    /// The TWQ head the device last reported (a ring index): the
    /// packets before it are sent, and retired up to the first that still
    /// waits for its time stamp.
    pub(super) hw_head: u32,
    /// Next TCQ entry, modulo twice its size (for the DONE phase).
    pub(super) tcq_head: u32,
    /// The packet whose META descriptor is at each ring position.
    pub(super) pending: KVVec<Option<InFlight>>,
}

impl TxRing {
    pub(super) fn new(dev: &device::Device<device::Bound>, size: u32) -> Result<Self> {
        let mut pending = KVVec::with_capacity(size as usize, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..size {
            pending.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            twq: ring(dev, size)?,
            tcq: ring(dev, size)?,
            size,
            tail: 0,
            rung: 0,
            head: 0,
            hw_head: 0,
            tcq_head: 0,
            pending,
        })
    }

    fn free(&self) -> u32 {
        self.size
            .saturating_sub(1)
            .saturating_sub(self.tail.wrapping_sub(self.head))
    }
}

impl Rings {
    /// Drops the packets still on the TX ring and the XDP TX ring after
    /// [`Rings::disable`] (`fbnic_flush()`).
    pub(crate) fn flush(&self, txq: &net::TxQueue) {
        // The NAPI poll takes these locks in softirq context.
        let _bh = bh::disable();
        if let Some(tx) = (*self.tx.lock()).as_mut() {
            for slot in tx.pending.iter_mut() {
                if let Some(pkt) = slot.take() {
                    self.stats.tx.dropped.inc();
                    if pkt.ts {
                        self.stats.tx.ts_lost.inc();
                    }
                }
            }
            tx.head = tx.tail;
        }
        if let Some(xdp) = (*self.xdp.lock()).as_mut() {
            xdp.flush(&self.stats.xdp);
        }
        txq.reset();
    }

    /// Queues `skb` for transmission (`fbnic_xmit_frame()`), asking the
    /// device for its time stamp if `tstamp`. The TWQ tail doorbell is
    /// deferred while the stack says `more` packets follow and the queue
    /// is running; a packet that is dropped or requeued instead rings it
    /// for those queued before, so none waits for a doorbell that never
    /// comes.
    pub(crate) fn xmit<P: net::Operations>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        txq: &net::TxQueue,
        skb: SkBuff,
        more: bool,
        tstamp: bool,
    ) -> net::TxResult {
        let mut guard = self.tx.lock();
        let Some(tx) = (*guard).as_mut() else {
            // A queue the stack should not use: no TX ring behind it.
            self.stats.tx.dropped.inc();
            skb.drop_with_reason(DropReason::DevReady);
            return net::TxResult::Ok;
        };
        if tx.free() < MAX_PKT_DESCS {
            // Stopped too late: the stack requeues the packet.
            txq.stop();
            self.ring_tx(regs, tx);
            self.stats.tx.stop.inc();
            return net::TxResult::Busy(skb);
        }

        // ARP and other short frames: the device sends what it is given.
        let mut skb = if skb.len() < MIN_FRAME_LEN {
            match skb.put_padto(MIN_FRAME_LEN) {
                Ok(skb) => skb,
                Err(_) => {
                    // The kernel freed the packet.
                    self.stats.tx.dropped.inc();
                    self.ring_tx(regs, tx);
                    return net::TxResult::Ok;
                }
            }
        } else {
            skb
        };
        let plan = tx_plan(&skb).map_err(|_| EINVAL).and_then(|plan| {
            if let Some(at) = plan.lso_csum {
                fix_lso_csum(&mut skb, at)?;
            }
            Ok(plan)
        });
        let Ok(plan) = plan else {
            self.stats.tx.dropped.inc();
            self.ring_tx(regs, tx);
            skb.drop_with_reason(DropReason::NotSpecified);
            return net::TxResult::Ok;
        };
        let bytes = plan.wire_bytes;
        let mut meta = plan.meta;
        if tstamp {
            skb.set_tx_hwtstamp_in_progress();
            meta |= twd::FLAG_REQ_TS;
        }
        let mut pkt = match skb.map_for_tx(dev) {
            Ok(pkt) => pkt,
            Err(skb) => {
                self.stats.tx.dropped.inc();
                self.ring_tx(regs, tx);
                skb.drop_with_reason(DropReason::NoMem);
                return net::TxResult::Ok;
            }
        };

        let size = tx.size;
        let first = tx.tail;
        let segs = pkt.segments();
        let written = (|| -> Result {
            for (i, seg) in segs.iter().enumerate() {
                let al = TxAddrLen {
                    addr: seg.addr,
                    len: u16::try_from(seg.len)?,
                    last: i + 1 == segs.len(),
                }
                .encode()
                .map_err(|_| EINVAL)?;
                // CAST: `i` is below MAX_TX_SEGS.
                tx.twq.write(first.wrapping_add(1 + i as u32), al);
            }
            tx.twq.write(first, meta);
            Ok(())
        })();
        if written.is_err() || segs.is_empty() {
            // Nothing was handed to the device: `pkt` unmaps and frees.
            self.stats.tx.dropped.inc();
            self.ring_tx(regs, tx);
            return net::TxResult::Ok;
        }

        // CAST: at most MAX_TX_SEGS + 1.
        let descs = 1 + segs.len() as u32;
        pkt.tx_timestamp();
        tx.pending[wrap(first, size) as usize] = Some(InFlight {
            skb: pkt,
            descs,
            packets: plan.packets,
            bytes,
            ts: tstamp,
        });
        tx.tail = first.wrapping_add(descs);
        // Stop before accounting, so that `sent_more` sees the stop and
        // asks for the doorbell: no packet may come after this one.
        if tx.free() < MAX_PKT_DESCS {
            txq.stop();
            self.stats.tx.stop.inc();
        }
        if txq.sent_more(bytes, more) {
            self.ring_tx(regs, tx);
        }
        let counters = &self.stats.tx;
        match plan.kind {
            TxKind::Plain => counters.csum_none.inc(),
            TxKind::Csum => counters.csum_partial.inc(),
            TxKind::Gso => {
                counters.gso_packets.inc();
                counters.gso_wire_packets.add(u64::from(plan.packets));
                counters.gso_bytes.add(u64::from(bytes));
            }
        }
        net::TxResult::Ok
    }

    /// Writes the TWQ tail doorbell if descriptors were queued since it
    /// was last written.
    fn ring_tx(&self, regs: &Regs, tx: &mut TxRing) {
        if tx.rung != tx.tail {
            regs.write_raw(queue::TWQ0_TAIL::at(self.queue), wrap(tx.tail, tx.size));
            tx.rung = tx.tail;
        }
    }

    /// Retires what the device sent, on the TX ring and the XDP TX ring,
    /// and passes on the time stamps it took, in `clock`'s time
    /// (`fbnic_clean_tcq()`), from the poll function.
    pub(crate) fn clean_tx<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        txq: &net::TxQueue,
        clock: &Clock,
        budget: i32,
    ) {
        let mut guard = self.tx.lock();
        let Some(tx) = (*guard).as_mut() else {
            return;
        };
        let size = tx.size;
        let (mut packets, mut bytes) = (0u32, 0u32);
        let mut seen = false;
        // Where the packet the next time stamp is for may be: time stamps
        // come in packet order.
        let mut stamp_from = tx.head;
        // Head completions that point past what was posted.
        let mut desc_err = 0u64;
        // The latest head of the XDP TX ring (TWQ1) reported.
        let mut head1 = None;

        loop {
            let raw = tx.tcq.read(tx.tcq_head);
            if TxCompletion::done(raw) != done_for_position(tx.tcq_head, size) {
                break;
            }
            tx.tcq_head = wrap(tx.tcq_head.wrapping_add(1), size << 1);
            seen = true;

            match TxCompletion::decode(raw) {
                Ok(TxCompletion::Head0 { head }) => {
                    // The device's head moves forward, at most to the tail:
                    // a head beyond would retire packets it still reads.
                    let head = wrap(u32::from(head), size);
                    let ahead = |at: u32| at.wrapping_sub(tx.head) & (size - 1);
                    if ahead(head) <= ahead(wrap(tx.tail, size)) {
                        tx.hw_head = head;
                    } else {
                        desc_err += 1;
                    }
                }
                Ok(TxCompletion::Head1 { head }) => head1 = Some(u32::from(head)),
                Ok(TxCompletion::Timestamp { ts, status }) => {
                    stamp_from = self.stamp(tx, stamp_from, clock, ts, status);
                }
                Err(_) => {}
            }
        }

        if seen {
            regs.write_raw(queue::TCQ_HEAD::at(self.queue), wrap(tx.tcq_head, size));
        }
        if let Some(head) = head1 {
            if let Some(xdp) = (*self.xdp.lock()).as_mut() {
                if xdp.complete(head, &self.stats.xdp).is_err() {
                    desc_err += 1;
                }
            }
        }
        if desc_err != 0 {
            self.stats.tx.desc_err.add(desc_err);
            if net::ratelimit() {
                dev_warn!(
                    dev.parent(),
                    "TX queue {}: {} completions past the tail ignored\n",
                    self.index,
                    desc_err
                );
            }
        }
        // Retire whole packets up to the device's head, but none that
        // still waits for its time stamp, nor any after it.
        while wrap(tx.head, size) != tx.hw_head && tx.head != tx.tail {
            let slot = &mut tx.pending[wrap(tx.head, size) as usize];
            if slot.as_ref().is_some_and(|p| p.ts) {
                break;
            }
            let Some(done) = slot.take() else {
                // Not a packet boundary: the device misreported. Give up
                // on what is in flight, retiring nothing ahead of the
                // device's next report.
                tx.head = tx.tail;
                tx.hw_head = wrap(tx.tail, size);
                break;
            };
            packets += done.packets;
            bytes += done.bytes;
            tx.head = tx.head.wrapping_add(done.descs);
            done.skb.complete(budget);
        }
        if packets > 0 {
            self.stats.tx.packets.add(u64::from(packets));
            self.stats.tx.bytes.add(u64::from(bytes));
            txq.completed(packets, bytes);
            if txq.is_stopped() {
                txq.wake();
                self.stats.tx.wake.inc();
            }
        }
    }
}

/// The conversion from the socket buffer's offload request to the
/// planner's, run by KUnit when the module loads (a kernel with KUnit).
#[kunit_tests(fbnic_rs_tx_offload)]
mod tests {
    use super::*;

    fn csum() -> TxCsum {
        TxCsum {
            network_offset: 14,
            csum_start: 34,
            csum_offset: 16,
        }
    }

    fn gso(kind: GsoKind, features: net::Features) -> net::skbuff::Gso {
        net::skbuff::Gso {
            size: 1448,
            segs: 3,
            kind,
            partial: true,
            inner_network_offset: Some(38),
            features,
        }
    }

    #[test]
    fn no_offload_and_checksum() {
        assert!(matches!(offload(TxOffload::None), Offload::None));
        assert!(matches!(
            offload(TxOffload::Csum(csum())),
            Offload::Csum(c) if (c.network_offset, c.csum_start, c.csum_offset) == (14, 34, 16)
        ));
    }

    #[test]
    fn segmentation_kinds() {
        for (kind, l4) in [
            (GsoKind::Tcp4, SegL4::Tcp),
            (GsoKind::Tcp6, SegL4::Tcp),
            (GsoKind::Udp, SegL4::Udp),
            (GsoKind::Other, SegL4::Other),
        ] {
            let o = offload(TxOffload::Gso(csum(), gso(kind, net::Features::TSO)));
            assert!(matches!(
                o,
                Offload::Gso(c, g) if c.csum_start == 34
                    && g.l4 == l4
                    && (g.size, g.segs) == (1448, 3)
                    && g.partial
                    && g.inner_network_offset == Some(38)
                    && !g.ipxip6
            ));
        }
    }

    #[test]
    fn ipxip6_from_the_features() {
        let features = net::Features::TSO6 | net::Features::GSO_IPXIP6;
        let o = offload(TxOffload::Gso(csum(), gso(GsoKind::Tcp6, features)));
        assert!(matches!(o, Offload::Gso(_, g) if g.ipxip6));
    }
}
