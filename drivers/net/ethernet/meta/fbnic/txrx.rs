// SPDX-License-Identifier: GPL-2.0

//! The datapath of a queue pair: a TX work queue (TWQ0) with its
//! completion queue (TCQ), and RX header and payload buffer queues (HPQ,
//! PPQ) with their completion queue (RCQ), all serviced by one NAPI
//! instance on its own MSI-X vector (queue `n` on vector `n + 2`; 0 and 1
//! are the mailbox and the PCS).
//!
//! TX maps the socket buffer's linear part and page fragments for the
//! device (scatter-gather) and asks it to insert checksums and segment TCP
//! (TSO). RX copies: a received packet is copied out of the header and
//! payload buffers the device filled into a fresh socket buffer, after
//! which those buffers go straight back to the device, so no page of the
//! driver's ever reaches the stack; zero-copy receive with page pools is
//! the next step.
//!
//! Every ring lives in coherent DMA memory allocated at probe and reused on
//! every open.

#![forbid(unsafe_code)]

use kernel::{
    device,
    dma::Coherent,
    io::{io_project, io_read, io_write, Io},
    new_spinlock,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        SpinLock,
    },
};

use crate::{
    hw::{
        csr::{intr, queue, tce},
        csum,
        desc::{
            self, done_for_position, L3Type, L4Type, RxAddrLen, RxBufDesc, RxCompletion, TxAddrLen,
            TxCompletion, TxMeta,
        },
    },
    kernel_ext::net::{
        self,
        skbuff::{DropReason, GsoKind, SkBuff, TxOffload, TxSkb, MAX_TX_SEGS},
        Napi,
    },
    netdev::Port,
    regs::Regs,
    rpc,
};

/// MSI-X vector of queue pair 0.
pub(crate) const FIRST_VECTOR: u32 = 2;

/// TWQ0 descriptors; a packet takes a META and one AL per DMA segment.
const TWQ_DESCS: u32 = 1024;
/// Most descriptors one packet takes.
const MAX_PKT_DESCS: u32 = 1 + MAX_TX_SEGS as u32;
/// TCQ descriptors.
const TCQ_DESCS: u32 = 256;
/// Descriptors of each buffer queue.
const BDQ_DESCS: u32 = 256;
/// Buffers of each buffer queue: one fewer than descriptors, so that a
/// full queue differs from an empty one.
const BDQ_BUFS: usize = BDQ_DESCS as usize - 1;
/// RCQ descriptors.
const RCQ_DESCS: u32 = 1024;
/// Bytes of an RX buffer (a BDQ fragment).
const RX_BUF: usize = desc::bd::FRAG_SIZE as usize;
/// Most completion descriptors of one received packet.
const MAX_RX_PKT_DESC: usize = 7;

/// Head room and tail room the device leaves around a packet in a header
/// buffer (`FBNIC_RX_HROOM`, `FBNIC_RX_TROOM`); unused by a copying driver
/// but kept as the C driver programs them.
const RX_HROOM: u32 = 192;
const RX_TROOM: u32 = 320;
/// Most bytes the device puts in a header buffer before it splits
/// (`FBNIC_HDR_BYTES_MIN`).
const MAX_HDR: u32 = 256;
/// Interrupt moderation defaults in microseconds
/// (`FBNIC_RX_USECS_DEFAULT`, `FBNIC_TX_USECS_DEFAULT`).
pub(crate) const RX_USECS: u32 = 30;
pub(crate) const TX_USECS: u32 = 35;
/// Largest moderation timeout the re-arm register holds.
pub(crate) const MAX_USECS: u32 = intr::CQ_REARM_RCQ_TIMEOUT.max();
/// Ring sizes, for `ethtool -g`.
pub(crate) const RING_SIZES: RingSizes = RingSizes {
    twq: TWQ_DESCS,
    hpq: BDQ_DESCS,
    ppq: BDQ_DESCS,
    rcq: RCQ_DESCS,
};

/// The number of descriptors of each ring of a queue pair.
pub(crate) struct RingSizes {
    pub(crate) twq: u32,
    pub(crate) hpq: u32,
    pub(crate) ppq: u32,
    pub(crate) rcq: u32,
}

/// TCP header flags (`TCPHDR_*`).
const TCP_FIN: u32 = 0x01;
const TCP_PSH: u32 = 0x08;
const TCP_CWR: u32 = 0x80;

/// Sets up the TX engine's offload behaviour, once at probe (the TCE part
/// of `fbnic_mac_init_regs()`): when segmenting, only the last segment
/// keeps FIN and PSH and only the first keeps CWR, IPv4 IDs increment, and
/// checksum insertion works as the stack expects.
pub(crate) fn init_tx_engine(regs: &Regs) {
    regs.wr32(
        tce::LSO_CTRL,
        tce::LSO_CTRL_IPID_MODE_INC
            | tce::LSO_CTRL_TCPF_CLR_1ST.prep(TCP_PSH | TCP_FIN)
            | tce::LSO_CTRL_TCPF_CLR_MID.prep(TCP_PSH | TCP_CWR | TCP_FIN)
            | tce::LSO_CTRL_TCPF_CLR_END.prep(TCP_CWR),
    );
    regs.wr32(tce::CSO_CTRL, 0);
}

/// `log2(entries)` as the `*_SIZE` registers take it (0 means 64K).
const fn log_size(entries: u32) -> u32 {
    (u32::BITS - (entries - 1).leading_zeros()) & 0xf
}

/// The META descriptor for `skb`, with the checksum and segmentation
/// requests its offloads call for (`fbnic_tx_offloads()`,
/// `fbnic_tx_lso()`). For segmentation this also takes the payload length
/// out of the pseudo-header checksum the stack left in the L4 header: the
/// device adds each segment's own.
fn tx_meta(skb: &mut SkBuff) -> Result<u64> {
    let mut meta = TxMeta {
        dest_mac: true,
        req_completion: true,
        ..Default::default()
    };
    let (c, gso) = match skb.tx_offload() {
        TxOffload::None => return meta.encode().map_err(|_| EINVAL),
        TxOffload::Csum(c) => (c, None),
        TxOffload::Gso(c, g) => (c, Some(g)),
    };
    let l3_len = c.csum_start.checked_sub(c.network_offset).ok_or(EINVAL)?;
    meta.l2_hlen = u16::try_from(c.network_offset)?;
    meta.l3_ihlen = u16::try_from(l3_len)?;
    meta.csum_offset = c.csum_offset;

    match gso {
        None => meta.req_cso = true,
        Some(g) => {
            let payload = skb.len().checked_sub(c.csum_start).ok_or(EINVAL)?;
            let l4 = c.csum_start as usize;
            let head = skb.writable_head()?;
            let field = l4 + usize::from(c.csum_offset);
            let check = head.get(field..field + 2).ok_or(EINVAL)?;
            let check = u16::from_be_bytes([check[0], check[1]]);
            // The length field is 16 bits; a GSO packet's L4 part fits.
            let fixed = csum::remove_from_sum(check, payload as u16);
            head[field..field + 2].copy_from_slice(&fixed.to_be_bytes());

            let (l3_type, l4_type, l4_hlen) = match g.kind {
                GsoKind::Tcp4 | GsoKind::Tcp6 => {
                    // TCP data offset: high nibble of byte 12, in dwords.
                    let doff = head.get(l4 + 12).ok_or(EINVAL)? >> 4;
                    let l3 = if g.kind == GsoKind::Tcp4 {
                        L3Type::Ipv4
                    } else {
                        L3Type::Ipv6
                    };
                    (l3, L4Type::Tcp, u16::from(doff) * 4)
                }
                GsoKind::Udp => {
                    let version = head.get(c.network_offset as usize).ok_or(EINVAL)? >> 4;
                    let l3 = if version == 4 {
                        L3Type::Ipv4
                    } else {
                        L3Type::Ipv6
                    };
                    (l3, L4Type::Udp, 8)
                }
                GsoKind::Other => return Err(EINVAL),
            };
            meta.l3_type = l3_type;
            meta.l4_type = l4_type;
            meta.l4_hlen = l4_hlen;
            meta.mss = g.size;
            meta.req_lso = true;
        }
    }
    meta.encode().map_err(|_| EINVAL)
}

/// Which buffer queue a piece of a received packet is in.
#[derive(Clone, Copy)]
enum Bdq {
    Header,
    Payload,
}

/// A packet on the TX ring.
struct InFlight {
    skb: TxSkb,
    /// Descriptors it took.
    descs: u32,
    /// Bytes accounted to the byte queue limits.
    bytes: u32,
}

/// TX ring positions.
struct TxState {
    /// Next TWQ descriptor to fill (free running).
    tail: u32,
    /// Oldest TWQ descriptor the device has not completed (free running).
    head: u32,
    /// Next TCQ entry, modulo twice its size (for the DONE phase).
    tcq_head: u32,
    /// The packet whose META descriptor is at each ring position.
    pending: KVVec<Option<InFlight>>,
}

impl TxState {
    fn free(&self) -> u32 {
        TWQ_DESCS - 1 - self.tail.wrapping_sub(self.head)
    }
}

/// RX ring positions and the packet being received.
struct RxState {
    /// Next RCQ entry, modulo twice its size.
    rcq_head: u32,
    hpq_tail: u32,
    ppq_tail: u32,
    /// Pieces of the current packet so far.
    pieces: KVec<(Bdq, RxAddrLen)>,
}

/// Packet counters of a queue pair.
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) rx_packets: u64,
    pub(crate) rx_bytes: u64,
    pub(crate) rx_dropped: u64,
    pub(crate) tx_packets: u64,
    pub(crate) tx_bytes: u64,
    pub(crate) tx_dropped: u64,
}

impl Counters {
    /// Adds `other` to these counters.
    pub(crate) fn add(&mut self, other: &Counters) {
        self.rx_packets += other.rx_packets;
        self.rx_bytes += other.rx_bytes;
        self.rx_dropped += other.rx_dropped;
        self.tx_packets += other.tx_packets;
        self.tx_bytes += other.tx_bytes;
        self.tx_dropped += other.tx_dropped;
    }
}

/// A queue pair and the NAPI instance that services it.
#[pin_data]
pub(crate) struct QueuePair {
    #[pin]
    pub(crate) napi: Napi,
    #[pin]
    pub(crate) rings: Rings,
}

impl QueuePair {
    /// Allocates queue pair `index`.
    pub(crate) fn new(dev: &device::Device<device::Bound>, index: u32) -> Result<Pin<KBox<Self>>> {
        let rings = Rings::new(dev, index)?;
        KBox::pin_init(
            try_pin_init!(Self {
                napi <- Napi::new(),
                rings <- rings,
            }? Error),
            GFP_KERNEL,
        )
    }
}

/// The rings of a queue pair and their buffers.
#[pin_data]
pub(crate) struct Rings {
    /// Queue pair number.
    index: u32,
    rx_packets: Atomic<u64>,
    rx_bytes: Atomic<u64>,
    rx_dropped: Atomic<u64>,
    tx_packets: Atomic<u64>,
    tx_bytes: Atomic<u64>,
    tx_dropped: Atomic<u64>,
    twq: Coherent<[u64]>,
    tcq: Coherent<[u64]>,
    hpq: Coherent<[u64]>,
    ppq: Coherent<[u64]>,
    rcq: Coherent<[u64]>,
    hpq_bufs: KVec<Coherent<[u8]>>,
    ppq_bufs: KVec<Coherent<[u8]>>,
    #[pin]
    tx: SpinLock<TxState>,
    #[pin]
    rx: SpinLock<RxState>,
}

fn alloc_bufs(
    dev: &device::Device<device::Bound>,
    count: usize,
    len: usize,
) -> Result<KVec<Coherent<[u8]>>> {
    let mut bufs = KVec::with_capacity(count, GFP_KERNEL)?;
    for _ in 0..count {
        bufs.push(
            Coherent::<u8>::zeroed_slice(dev, len, GFP_KERNEL)?,
            GFP_KERNEL,
        )?;
    }
    Ok(bufs)
}

impl Rings {
    /// Allocates the rings and buffers.
    pub(crate) fn new(
        dev: &device::Device<device::Bound>,
        index: u32,
    ) -> Result<impl PinInit<Self, Error>> {
        let ring = |n: u32| Coherent::<u64>::zeroed_slice(dev, n as usize, GFP_KERNEL);
        let twq = ring(TWQ_DESCS)?;
        let tcq = ring(TCQ_DESCS)?;
        let hpq = ring(BDQ_DESCS)?;
        let ppq = ring(BDQ_DESCS)?;
        let rcq = ring(RCQ_DESCS)?;
        let mut pending = KVVec::with_capacity(TWQ_DESCS as usize, GFP_KERNEL)?;
        for _ in 0..TWQ_DESCS {
            pending.push(None, GFP_KERNEL)?;
        }
        let hpq_bufs = alloc_bufs(dev, BDQ_BUFS, RX_BUF)?;
        let ppq_bufs = alloc_bufs(dev, BDQ_BUFS, RX_BUF)?;
        let pieces = KVec::with_capacity(MAX_RX_PKT_DESC, GFP_KERNEL)?;

        Ok(try_pin_init!(Self {
            index,
            rx_packets: Atomic::new(0),
            rx_bytes: Atomic::new(0),
            rx_dropped: Atomic::new(0),
            tx_packets: Atomic::new(0),
            tx_bytes: Atomic::new(0),
            tx_dropped: Atomic::new(0),
            twq,
            tcq,
            hpq,
            ppq,
            rcq,
            hpq_bufs,
            ppq_bufs,
            tx <- new_spinlock!(TxState {
                tail: 0,
                head: 0,
                tcq_head: 0,
                pending,
            }),
            rx <- new_spinlock!(RxState {
                rcq_head: 0,
                hpq_tail: 0,
                ppq_tail: 0,
                pieces,
            }),
        }? Error))
    }

    /// The counters so far.
    pub(crate) fn counters(&self) -> Counters {
        Counters {
            rx_packets: self.rx_packets.load(Relaxed),
            rx_bytes: self.rx_bytes.load(Relaxed),
            rx_dropped: self.rx_dropped.load(Relaxed),
            tx_packets: self.tx_packets.load(Relaxed),
            tx_bytes: self.tx_bytes.load(Relaxed),
            tx_dropped: self.tx_dropped.load(Relaxed),
        }
    }

    fn qreg(&self, offset: u32) -> u32 {
        queue::reg(self.index, offset)
    }

    /// The queue pair's MSI-X vector.
    pub(crate) fn vector(&self) -> u32 {
        FIRST_VECTOR + self.index
    }

    /// Programs and enables all rings and gives the device its RX buffers
    /// (`fbnic_enable()`, `fbnic_fill()`). Interrupts stay off until
    /// [`Rings::arm`].
    pub(crate) fn enable(&self, regs: &Regs) -> Result {
        let wr = |offset: u32, value: u32| regs.wr32(self.qreg(offset), value);
        let lo = |addr: u64| addr as u32;
        let hi = |addr: u64| (addr >> 32) as u32;

        // Every ring starts from position 0 with zeroed completions.
        for c in [&self.tcq, &self.rcq] {
            for i in 0..c.len() {
                io_write!(c, [try: i], 0u64);
            }
        }

        {
            let mut tx = self.tx.lock();
            tx.tail = 0;
            tx.head = 0;
            tx.tcq_head = 0;
        }

        wr(queue::TWQ0_CTL, queue::TWQ_CTL_RESET);
        wr(queue::TWQ0_BAL, lo(self.twq.dma_address()));
        wr(queue::TWQ0_BAH, hi(self.twq.dma_address()));
        wr(queue::TWQ0_SIZE, log_size(TWQ_DESCS));
        wr(queue::TWQ0_CTL, queue::TWQ_CTL_ENABLE);

        wr(queue::TCQ_CTL, queue::TCQ_CTL_RESET);
        wr(queue::TCQ_BAL, lo(self.tcq.dma_address()));
        wr(queue::TCQ_BAH, hi(self.tcq.dma_address()));
        wr(queue::TCQ_SIZE, log_size(TCQ_DESCS));
        wr(queue::TIM_CTL, self.vector());
        wr(queue::TIM_THRESHOLD, (TCQ_DESCS - 1) / 2);
        wr(queue::TIM_MASK, 0);
        wr(queue::TCQ_CTL, queue::TCQ_CTL_ENABLE);

        wr(queue::BDQ_CTL, queue::BDQ_CTL_RESET);
        wr(queue::BDQ_HPQ_BAL, lo(self.hpq.dma_address()));
        wr(queue::BDQ_HPQ_BAH, hi(self.hpq.dma_address()));
        wr(queue::BDQ_HPQ_SIZE, log_size(BDQ_DESCS));
        wr(queue::BDQ_PPQ_BAL, lo(self.ppq.dma_address()));
        wr(queue::BDQ_PPQ_BAH, hi(self.ppq.dma_address()));
        wr(queue::BDQ_PPQ_SIZE, log_size(BDQ_DESCS));
        wr(
            queue::BDQ_CTL,
            queue::BDQ_CTL_ENABLE | queue::BDQ_CTL_PPQ_ENABLE,
        );

        wr(
            queue::RDE_CTL0,
            queue::RDE_CTL0_DROP_MODE_MASK.prep(queue::RDE_CTL0_DROP_NEVER)
                | queue::RDE_CTL0_MIN_HROOM_MASK.prep(RX_HROOM)
                | queue::RDE_CTL0_MIN_TROOM_MASK.prep(RX_TROOM),
        );
        wr(queue::RDE_CTL1, queue::RDE_CTL1_MAX_HDR_MASK.prep(MAX_HDR));
        wr(queue::RCQ_CTL, queue::RCQ_CTL_RESET);
        wr(queue::RCQ_BAL, lo(self.rcq.dma_address()));
        wr(queue::RCQ_BAH, hi(self.rcq.dma_address()));
        wr(queue::RCQ_SIZE, log_size(RCQ_DESCS));
        wr(queue::RIM_CTL, self.vector());
        wr(queue::RIM_THRESHOLD, (RCQ_DESCS - 1) / 2);
        wr(queue::RIM_MASK, 0);
        wr(queue::RCQ_CTL, queue::RCQ_CTL_ENABLE);

        // All RX buffers to the device.
        {
            let mut rx = self.rx.lock();
            rx.rcq_head = 0;
            rx.hpq_tail = 0;
            rx.ppq_tail = 0;
            rx.pieces.clear();
            for id in 0..BDQ_BUFS {
                // CAST: BDQ_BUFS < 2^16.
                self.post(&mut rx, Bdq::Header, id as u16)?;
                self.post(&mut rx, Bdq::Payload, id as u16)?;
            }
            wr(queue::BDQ_HPQ_TAIL, rx.hpq_tail);
            wr(queue::BDQ_PPQ_TAIL, rx.ppq_tail);
        }

        regs.wrfl();
        Ok(())
    }

    /// Stops all rings (`fbnic_disable()`).
    pub(crate) fn disable(&self, regs: &Regs) {
        let wr = |offset: u32, value: u32| regs.wr32(self.qreg(offset), value);

        regs.rmw32(self.qreg(queue::TWQ0_CTL), queue::TWQ_CTL_ENABLE, 0);
        wr(queue::TCQ_CTL, 0);
        wr(queue::TIM_MASK, queue::TIM_MASK_MASK);
        regs.rmw32(self.qreg(queue::BDQ_CTL), queue::BDQ_CTL_ENABLE, 0);
        wr(queue::RCQ_CTL, 0);
        wr(queue::RIM_MASK, queue::RIM_MASK_MASK);
        regs.wrfl();
    }

    /// Unmasks the queue pair's interrupt, with the given moderation
    /// timeouts in microseconds (`fbnic_config_txrx_usecs()`).
    pub(crate) fn arm(&self, regs: &Regs, rx_usecs: u32, tx_usecs: u32) {
        regs.wr32(
            intr::cq_rearm(self.vector()),
            intr::CQ_REARM_INTR_UNMASK
                | intr::CQ_REARM_RCQ_TIMEOUT.prep(rx_usecs)
                | intr::CQ_REARM_RCQ_TIMEOUT_UPD_EN
                | intr::CQ_REARM_TCQ_TIMEOUT.prep(tx_usecs)
                | intr::CQ_REARM_TCQ_TIMEOUT_UPD_EN,
        );
    }

    /// Fires the queue pair's interrupt once, so that anything that
    /// arrived during bring-up is seen (`fbnic_napi_enable()`).
    pub(crate) fn kick(&self, regs: &Regs) {
        let v = self.vector();
        regs.wr32(intr::set(v / 32), 1 << (v % 32));
        regs.wrfl();
    }

    /// Drops the packets still on the TX ring after [`Rings::disable`]
    /// (`fbnic_flush()`).
    pub(crate) fn flush(&self, txq: &net::TxQueue) {
        let mut tx = self.tx.lock();
        for slot in tx.pending.iter_mut() {
            if slot.take().is_some() {
                self.tx_dropped.add(1, Relaxed);
            }
        }
        tx.head = tx.tail;
        txq.reset();
    }

    /// Queues `skb` for transmission (`fbnic_xmit_frame()`).
    pub(crate) fn xmit(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        txq: &net::TxQueue,
        mut skb: SkBuff,
    ) -> net::TxResult {
        let mut tx = self.tx.lock();
        if tx.free() < MAX_PKT_DESCS {
            // Stopped too late: the stack requeues the packet.
            txq.stop();
            return net::TxResult::Busy(skb);
        }

        let Ok(meta) = tx_meta(&mut skb) else {
            self.tx_dropped.add(1, Relaxed);
            skb.drop_with_reason(DropReason::NotSpecified);
            return net::TxResult::Ok;
        };
        let bytes = skb.len();
        let pkt = match skb.map_for_tx(dev) {
            Ok(pkt) => pkt,
            Err(skb) => {
                self.tx_dropped.add(1, Relaxed);
                skb.drop_with_reason(DropReason::NoMem);
                return net::TxResult::Ok;
            }
        };

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
                let pos = first.wrapping_add(1 + i as u32) % TWQ_DESCS;
                io_write!(&self.twq, [try: pos as usize], al);
            }
            io_write!(&self.twq, [try: (first % TWQ_DESCS) as usize], meta);
            Ok(())
        })();
        if written.is_err() || segs.is_empty() {
            // Nothing was handed to the device: `pkt` unmaps and frees.
            self.tx_dropped.add(1, Relaxed);
            return net::TxResult::Ok;
        }

        // CAST: at most MAX_TX_SEGS + 1.
        let descs = 1 + segs.len() as u32;
        tx.pending[(first % TWQ_DESCS) as usize] = Some(InFlight {
            skb: pkt,
            descs,
            bytes,
        });
        tx.tail = first.wrapping_add(descs);
        txq.sent(bytes);
        regs.wr32(self.qreg(queue::TWQ0_TAIL), tx.tail % TWQ_DESCS);

        if tx.free() < MAX_PKT_DESCS {
            txq.stop();
        }
        net::TxResult::Ok
    }

    /// Retires what the device sent (`fbnic_clean_tcq()`), from the poll
    /// function.
    pub(crate) fn clean_tx(&self, regs: &Regs, txq: &net::TxQueue, budget: i32) {
        let mut tx = self.tx.lock();
        let (mut packets, mut bytes) = (0u32, 0u32);
        let mut seen = false;

        loop {
            let idx = (tx.tcq_head % TCQ_DESCS) as usize;
            let Ok(raw) = (|| -> Result<u64> { Ok(io_read!(&self.tcq, [try: idx])) })() else {
                break;
            };
            if TxCompletion::done(raw) != done_for_position(tx.tcq_head, TCQ_DESCS) {
                break;
            }
            tx.tcq_head = (tx.tcq_head + 1) % (2 * TCQ_DESCS);
            seen = true;

            let Ok(TxCompletion::Head0 { head }) = TxCompletion::decode(raw) else {
                continue;
            };
            // Retire whole packets up to the device's new head.
            let head = u32::from(head) % TWQ_DESCS;
            while tx.head % TWQ_DESCS != head && tx.head != tx.tail {
                let pos = (tx.head % TWQ_DESCS) as usize;
                let Some(done) = tx.pending[pos].take() else {
                    // Not a packet boundary: the device misreported.
                    tx.head = tx.tail;
                    break;
                };
                packets += 1;
                bytes += done.bytes;
                tx.head = tx.head.wrapping_add(done.descs);
                done.skb.complete(budget);
            }
        }

        if seen {
            regs.wr32(self.qreg(queue::TCQ_HEAD), tx.tcq_head % TCQ_DESCS);
        }
        if packets > 0 {
            self.tx_packets.add(u64::from(packets), Relaxed);
            self.tx_bytes.add(u64::from(bytes), Relaxed);
            txq.completed(packets, bytes);
            if txq.is_stopped() {
                txq.wake();
            }
        }
    }

    /// Posts buffer `id` of a buffer queue at its tail.
    fn post(&self, rx: &mut RxState, which: Bdq, id: u16) -> Result {
        let (ring, bufs, tail) = match which {
            Bdq::Header => (&self.hpq, &self.hpq_bufs, &mut rx.hpq_tail),
            Bdq::Payload => (&self.ppq, &self.ppq_bufs, &mut rx.ppq_tail),
        };
        let buf = bufs.get(usize::from(id)).ok_or(EINVAL)?;
        let desc = RxBufDesc::fragment(buf.dma_address(), id, 0, 1)
            .encode()
            .map_err(|_| EINVAL)?;
        io_write!(ring, [try: *tail as usize], desc);
        *tail = (*tail + 1) % BDQ_DESCS;
        Ok(())
    }

    /// Receives up to `budget` packets (`fbnic_clean_rcq()`), from the poll
    /// function. Returns how many.
    pub(crate) fn clean_rx(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        napi: &Napi,
        budget: i32,
    ) -> i32 {
        let mut rx = self.rx.lock();
        let mut done = 0;
        let mut seen = false;
        let (mut hpq_posted, mut ppq_posted) = (false, false);

        while done < budget {
            let idx = (rx.rcq_head % RCQ_DESCS) as usize;
            let Ok(raw) = (|| -> Result<u64> { Ok(io_read!(&self.rcq, [try: idx])) })() else {
                break;
            };
            if RxCompletion::done(raw) != done_for_position(rx.rcq_head, RCQ_DESCS) {
                break;
            }
            rx.rcq_head = (rx.rcq_head + 1) % (2 * RCQ_DESCS);
            seen = true;

            match RxCompletion::decode(raw) {
                RxCompletion::HdrAl(al) => {
                    // A header starts a packet; a previous one without its
                    // META is lost.
                    self.recycle(&mut rx, &mut hpq_posted, &mut ppq_posted);
                    let _ = rx.pieces.push((Bdq::Header, al), GFP_ATOMIC);
                }
                RxCompletion::PayAl(al) => {
                    if rx.pieces.len() < MAX_RX_PKT_DESC {
                        let _ = rx.pieces.push((Bdq::Payload, al), GFP_ATOMIC);
                    }
                }
                RxCompletion::OptMeta(_) => (),
                RxCompletion::Meta(meta) => {
                    let skb = if meta.uncorrectable() {
                        None
                    } else {
                        self.build_skb(&rx.pieces, napi)
                    };
                    if let Some(mut skb) = skb {
                        self.rx_packets.add(1, Relaxed);
                        self.rx_bytes.add(u64::from(skb.len()), Relaxed);
                        let features = dev.features();
                        if features.contains(net::Features::RXCSUM) && meta.l4_csum_unnecessary {
                            skb.set_checksum_unnecessary();
                        }
                        if features.contains(net::Features::RXHASH) && meta.l3_type != L3Type::Other
                        {
                            skb.set_hash(meta.rss_hash, meta.l4_type != L4Type::Other);
                        }
                        dev.eth_type_trans(&mut skb);
                        napi.gro_receive(skb);
                    } else {
                        self.rx_dropped.add(1, Relaxed);
                    }
                    self.recycle(&mut rx, &mut hpq_posted, &mut ppq_posted);
                    done += 1;
                }
            }
        }

        if seen {
            regs.wr32(self.qreg(queue::RCQ_HEAD), rx.rcq_head % RCQ_DESCS);
        }
        if hpq_posted {
            regs.wr32(self.qreg(queue::BDQ_HPQ_TAIL), rx.hpq_tail);
        }
        if ppq_posted {
            regs.wr32(self.qreg(queue::BDQ_PPQ_TAIL), rx.ppq_tail);
        }
        done
    }

    /// Copies the pieces of a packet into a new socket buffer.
    fn build_skb(&self, pieces: &[(Bdq, RxAddrLen)], napi: &Napi) -> Option<SkBuff> {
        let total: u32 = pieces.iter().map(|(_, al)| u32::from(al.len)).sum();
        if total == 0 || total > rpc::MAX_FRAME {
            return None;
        }
        let mut skb = napi.alloc_skb(total)?;
        let mut dst = skb.put(total).ok()?;
        for (which, al) in pieces {
            let bufs = match which {
                Bdq::Header => &self.hpq_bufs,
                Bdq::Payload => &self.ppq_bufs,
            };
            let buf = bufs.get(usize::from(al.buff_id))?;
            let (off, len) = (usize::from(al.off), usize::from(al.len));
            let (chunk, rest) = dst.split_at_mut(len);
            (|| -> Result {
                io_project!(buf, [try: off..off + len]).copy_to_slice(chunk);
                Ok(())
            })()
            .ok()?;
            dst = rest;
        }
        Some(skb)
    }

    /// Gives the buffers the device finished with (`PAGE_FIN`) back to it
    /// and starts a new packet.
    fn recycle(&self, rx: &mut RxState, hpq_posted: &mut bool, ppq_posted: &mut bool) {
        let mut pieces = core::mem::take(&mut rx.pieces);
        for (which, al) in pieces.iter() {
            if al.page_fin && usize::from(al.buff_id) < BDQ_BUFS {
                if self.post(rx, *which, al.buff_id).is_ok() {
                    match which {
                        Bdq::Header => *hpq_posted = true,
                        Bdq::Payload => *ppq_posted = true,
                    }
                }
            }
        }
        pieces.clear();
        rx.pieces = pieces;
    }
}
