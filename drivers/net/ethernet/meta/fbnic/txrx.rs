// SPDX-License-Identifier: GPL-2.0

//! The datapath of one queue pair: a TX work queue (TWQ0) with its
//! completion queue (TCQ), and RX header and payload buffer queues (HPQ,
//! PPQ) with their completion queue (RCQ), all serviced by one NAPI
//! instance on MSI-X vector 2.
//!
//! This first datapath copies: a packet to send is copied into a DMA buffer
//! of its TX slot, and a received packet is copied out of the header and
//! payload buffers the device filled into a fresh socket buffer, after
//! which those buffers go straight back to the device. No page of the
//! driver's ever reaches the stack, which keeps the buffer lifetimes
//! simple; zero-copy (streaming DMA of the socket buffers, page pools for
//! the buffer queues) comes next.
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
        csr::{intr, queue, rpc},
        desc::{
            self, done_for_position, RxAddrLen, RxBufDesc, RxCompletion, TxAddrLen, TxCompletion,
            TxMeta,
        },
    },
    kernel_ext::net::{self, skbuff::SkBuff, Napi},
    netdev::Port,
    regs::Regs,
};

/// The queue pair's index.
const QUEUE: u32 = 0;
/// Its MSI-X vector (0 and 1 are the mailbox and the PCS).
pub(crate) const VECTOR: u32 = 2;

/// TWQ0 descriptors; a packet takes two (META, LAST_AL).
const TWQ_DESCS: u32 = 256;
/// Packets in flight at most, one TX buffer each.
const TX_SLOTS: usize = (TWQ_DESCS / 2) as usize;
/// Bytes of a TX buffer: the largest frame the MAC takes, rounded up.
const TX_BUF: usize = 10 * 1024;
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
const RX_USECS: u32 = 30;
const TX_USECS: u32 = 35;
/// Largest frame the MAC and parser take (`FBNIC_MAX_JUMBO_FRAME_SIZE`).
const MAX_FRAME: u32 = 9742;

/// `log2(entries)` as the `*_SIZE` registers take it (0 means 64K).
const fn log_size(entries: u32) -> u32 {
    (u32::BITS - (entries - 1).leading_zeros()) & 0xf
}

/// Which buffer queue a piece of a received packet is in.
#[derive(Clone, Copy)]
enum Bdq {
    Header,
    Payload,
}

/// TX ring positions.
struct TxState {
    /// Next TWQ descriptor to fill.
    tail: u32,
    /// Oldest TWQ descriptor the device has not completed.
    head: u32,
    /// Next TCQ entry, modulo twice its size (for the DONE phase).
    tcq_head: u32,
    /// Frame length of each slot's packet, for byte accounting.
    len: [u32; TX_SLOTS],
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

/// Packet counters of the queue pair.
pub(crate) struct Counters {
    pub(crate) rx_packets: u64,
    pub(crate) rx_bytes: u64,
    pub(crate) rx_dropped: u64,
    pub(crate) tx_packets: u64,
    pub(crate) tx_bytes: u64,
    pub(crate) tx_dropped: u64,
}

/// The rings of the queue pair and their buffers.
#[pin_data]
pub(crate) struct Rings {
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
    tx_bufs: KVec<Coherent<[u8]>>,
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
    pub(crate) fn new(dev: &device::Device<device::Bound>) -> Result<impl PinInit<Self, Error>> {
        let ring = |n: u32| Coherent::<u64>::zeroed_slice(dev, n as usize, GFP_KERNEL);
        let twq = ring(TWQ_DESCS)?;
        let tcq = ring(TCQ_DESCS)?;
        let hpq = ring(BDQ_DESCS)?;
        let ppq = ring(BDQ_DESCS)?;
        let rcq = ring(RCQ_DESCS)?;
        let tx_bufs = alloc_bufs(dev, TX_SLOTS, TX_BUF)?;
        let hpq_bufs = alloc_bufs(dev, BDQ_BUFS, RX_BUF)?;
        let ppq_bufs = alloc_bufs(dev, BDQ_BUFS, RX_BUF)?;
        let pieces = KVec::with_capacity(MAX_RX_PKT_DESC, GFP_KERNEL)?;

        Ok(try_pin_init!(Self {
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
            tx_bufs,
            hpq_bufs,
            ppq_bufs,
            tx <- new_spinlock!(TxState {
                tail: 0,
                head: 0,
                tcq_head: 0,
                len: [0; TX_SLOTS],
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

    fn qreg(offset: u32) -> u32 {
        queue::reg(QUEUE, offset)
    }

    /// Programs and enables all rings, gives the device its RX buffers and
    /// opens the classifier (`fbnic_enable()`, `fbnic_fill()`,
    /// `fbnic_rss_reinit_hw()`). Interrupts stay off until
    /// [`Rings::arm`].
    pub(crate) fn enable(&self, regs: &Regs) -> Result {
        let wr = |offset: u32, value: u32| regs.wr32(Self::qreg(offset), value);
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
        wr(queue::TIM_CTL, VECTOR);
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
        wr(queue::RIM_CTL, VECTOR);
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

        // Everything the parser accepts goes to this queue.
        regs.wr32(
            rpc::ACT_TBL0_DEFAULT,
            rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST)
                | rpc::ACT_TBL0_Q_SEL
                | rpc::ACT_TBL0_Q_ID.prep(QUEUE),
        );
        regs.wr32(
            rpc::RMI_CONFIG,
            rpc::RMI_CONFIG_MTU.prep(MAX_FRAME)
                | rpc::RMI_CONFIG_OH_BYTES.prep(20)
                | rpc::RMI_CONFIG_ENABLE,
        );
        regs.wrfl();
        Ok(())
    }

    /// Stops the classifier and all rings (`fbnic_disable()`,
    /// `fbnic_rpc_reset_valid_entries()`).
    pub(crate) fn disable(&self, regs: &Regs) {
        let wr = |offset: u32, value: u32| regs.wr32(Self::qreg(offset), value);

        regs.wr32(rpc::RMI_CONFIG, rpc::RMI_CONFIG_OH_BYTES.prep(20));
        regs.wr32(rpc::ACT_TBL0_DEFAULT, rpc::ACT_TBL0_DROP);

        regs.rmw32(Self::qreg(queue::TWQ0_CTL), queue::TWQ_CTL_ENABLE, 0);
        wr(queue::TCQ_CTL, 0);
        wr(queue::TIM_MASK, queue::TIM_MASK_MASK);
        regs.rmw32(Self::qreg(queue::BDQ_CTL), queue::BDQ_CTL_ENABLE, 0);
        wr(queue::RCQ_CTL, 0);
        wr(queue::RIM_MASK, queue::RIM_MASK_MASK);
        regs.wrfl();
    }

    /// Unmasks the queue pair's interrupt, with the default moderation
    /// (`fbnic_config_txrx_usecs()`).
    pub(crate) fn arm(&self, regs: &Regs) {
        regs.wr32(
            intr::cq_rearm(VECTOR),
            intr::CQ_REARM_INTR_UNMASK
                | intr::CQ_REARM_RCQ_TIMEOUT.prep(RX_USECS)
                | intr::CQ_REARM_RCQ_TIMEOUT_UPD_EN
                | intr::CQ_REARM_TCQ_TIMEOUT.prep(TX_USECS)
                | intr::CQ_REARM_TCQ_TIMEOUT_UPD_EN,
        );
    }

    /// Fires the queue pair's interrupt once, so that anything that
    /// arrived during bring-up is seen (`fbnic_napi_enable()`).
    pub(crate) fn kick(&self, regs: &Regs) {
        regs.wr32(intr::set(VECTOR / 32), 1 << (VECTOR % 32));
        regs.wrfl();
    }

    /// Forgets the packets still in flight after [`Rings::disable`]
    /// (`fbnic_flush()`): their bytes were copied, so nothing but the byte
    /// queue limits' count has to go.
    pub(crate) fn flush(&self, txq: &net::TxQueue) {
        let mut tx = self.tx.lock();
        tx.head = tx.tail;
        txq.reset();
    }

    /// Queues `skb` for transmission (`fbnic_xmit_frame()`); the packet is
    /// copied, so `skb` is freed here.
    pub(crate) fn xmit(&self, regs: &Regs, txq: &net::TxQueue, skb: SkBuff) -> net::TxResult {
        let Some(data) = skb.linear_data() else {
            // The device does not advertise scatter-gather yet.
            self.tx_dropped.add(1, Relaxed);
            skb.drop_with_reason(net::skbuff::DropReason::NotSpecified);
            return net::TxResult::Ok;
        };
        if data.len() > TX_BUF {
            self.tx_dropped.add(1, Relaxed);
            skb.drop_with_reason(net::skbuff::DropReason::PktTooBig);
            return net::TxResult::Ok;
        }

        let mut tx = self.tx.lock();
        let used = tx.tail.wrapping_sub(tx.head) % TWQ_DESCS;
        if TWQ_DESCS - 1 - used < 2 {
            txq.stop();
            return net::TxResult::Busy(skb);
        }

        let slot = (tx.tail / 2) as usize % TX_SLOTS;
        let buf = &self.tx_bufs[slot];
        let copied = (|| -> Result {
            io_project!(buf, [try: 0..data.len()]).copy_from_slice(data);
            Ok(())
        })();
        // CAST: at most TX_BUF, checked above.
        let len = data.len() as u32;
        skb.consume();
        if copied.is_err() {
            return net::TxResult::Ok;
        }

        let meta = TxMeta {
            dest_mac: true,
            req_completion: true,
            ..Default::default()
        }
        .encode();
        let al = TxAddrLen {
            addr: buf.dma_address(),
            len: len as u16,
            last: true,
        }
        .encode();
        let (Ok(meta), Ok(al)) = (meta, al) else {
            return net::TxResult::Ok;
        };

        let first = tx.tail % TWQ_DESCS;
        if (|| -> Result {
            io_write!(&self.twq, [try: first as usize + 1], al);
            io_write!(&self.twq, [try: first as usize], meta);
            Ok(())
        })()
        .is_err()
        {
            return net::TxResult::Ok;
        }
        tx.len[slot] = len;
        tx.tail = tx.tail.wrapping_add(2);
        txq.sent(len);
        regs.wr32(Self::qreg(queue::TWQ0_TAIL), tx.tail % TWQ_DESCS);

        if TWQ_DESCS - 1 - (used + 2) < 2 {
            txq.stop();
        }
        net::TxResult::Ok
    }

    /// Retires what the device sent (`fbnic_clean_tcq()`), from the poll
    /// function.
    pub(crate) fn clean_tx(&self, regs: &Regs, txq: &net::TxQueue) {
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
                let slot = (tx.head / 2) as usize % TX_SLOTS;
                packets += 1;
                bytes += tx.len[slot];
                tx.head = tx.head.wrapping_add(2);
            }
        }

        if seen {
            regs.wr32(Self::qreg(queue::TCQ_HEAD), tx.tcq_head % TCQ_DESCS);
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
            regs.wr32(Self::qreg(queue::RCQ_HEAD), rx.rcq_head % RCQ_DESCS);
        }
        if hpq_posted {
            regs.wr32(Self::qreg(queue::BDQ_HPQ_TAIL), rx.hpq_tail);
        }
        if ppq_posted {
            regs.wr32(Self::qreg(queue::BDQ_PPQ_TAIL), rx.ppq_tail);
        }
        done
    }

    /// Copies the pieces of a packet into a new socket buffer.
    fn build_skb(&self, pieces: &[(Bdq, RxAddrLen)], napi: &Napi) -> Option<SkBuff> {
        let total: u32 = pieces.iter().map(|(_, al)| u32::from(al.len)).sum();
        if total == 0 || total > MAX_FRAME {
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
