// SPDX-License-Identifier: GPL-2.0

//! The XDP TX queue of a queue pair: TX work queue 1 (TWQ1) of its
//! register block, which sends the frames its XDP program returns with
//! `XDP_TX` (`fbnic_pkt_tx()`, `fbnic_clean_twq1()` in the C driver).
//!
//! Every queue pair with an RX ring has one, next to its TWQ0 (the stack's
//! TX queue), and both report into the same completion queue (TCQ): a
//! head completion flagged `TWQ1` gives the new TWQ1 head. A frame is sent
//! from the page-pool pages it was received into, as one AL descriptor per
//! buffer (the header buffer, then each payload fragment) with LAST_AL
//! ending it; the device takes its metadata from the default it was given
//! at init ([`TWQ1_DEFAULT_META`](crate::hw::desc::TWQ1_DEFAULT_META)),
//! which asks for a completion per frame. Each descriptor holds its
//! buffer's page reference until the completion, which returns the page to
//! its pool.
//!
//! The receive path queues the frames of a whole poll and writes the TWQ1
//! tail doorbell once at its end ([`XdpRing::ring`]). A frame that finds
//! the ring full is dropped and counted (`xdp_tx_queue_<n>_dropped`, as
//! are the frames still on the ring when it is flushed); sent frames and
//! their bytes are counted at their completion (`_packets`, `_bytes`).
//! They also count as transmitted by the queue pair's TX queue in qstats
//! and in the interface's totals, as in the C driver.
//!
//! The same ring sends the frames XDP programs redirect to the interface
//! (`ndo_xdp_xmit`, which the C driver does not have,
//! [`Rings::xdp_xmit`]): a ring position holds either a buffer of an
//! `XDP_TX` frame, with its page-pool reference, or a redirected frame
//! mapped for the device, which its completion unmaps and returns to
//! where it came from. Those are mapped before the ring's lock is taken,
//! and queued and the doorbell written under it; they are counted in the
//! same counters.

#![forbid(unsafe_code)]

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device,
    prelude::*, //
};

use super::rings::{
    ring,
    wrap,
    Rings, //
};
use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::queue,
        desc::{
            twq1_buffer,
            MIN_FRAME_LEN, //
        }, //
    },
    kernel_ext::{
        dma::DescRing,
        net::{
            self,
            xdp::{
                Buff,
                Frame,
                TxBuf,
                TxFrame,
                XmitFrames, //
            }, //
        },
    },
    regs::Regs,
    stats::XdpTxCounters,
};

/// What a ring position holds until the device has sent it.
enum Held {
    /// A buffer of an `XDP_TX` frame, in a page of the RX queue's pools.
    Page(TxBuf),
    /// A frame redirected to the interface, mapped for the device.
    Frame(TxFrame),
}

impl Held {
    /// The bytes the device sends from it.
    fn len(&self) -> u32 {
        match self {
            Self::Page(buf) => buf.len(),
            Self::Frame(frame) => frame.len(),
        }
    }
}

/// A buffer on the ring, until the device has sent it.
struct Sent {
    buf: Held,
    /// It ends its frame (LAST_AL).
    last: bool,
}

/// Redirected frames mapped per turn before the ring's lock is taken:
/// the core hands them over in bulks of at most that many
/// (`XDP_BULK_QUEUE_SIZE`).
const XMIT_BATCH: usize = 16;

/// A TWQ1 ring with the positions on it and the buffers in flight.
pub(crate) struct XdpRing {
    twq: DescRing,
    /// Descriptors of the ring.
    size: u32,
    /// Next descriptor to fill (free running).
    tail: u32,
    /// The tail last written to the doorbell (free running).
    rung: u32,
    /// Oldest descriptor not retired yet (free running).
    head: u32,
    /// The buffer at each ring position.
    bufs: KVVec<Option<Sent>>,
}

impl XdpRing {
    /// A ring of `size` descriptors, `size` a power of two.
    pub(super) fn new(dev: &device::Device<device::Bound>, size: u32) -> Result<Self> {
        let mut bufs = KVVec::with_capacity(size as usize, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..size {
            bufs.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            twq: ring(dev, size)?,
            size,
            tail: 0,
            rung: 0,
            head: 0,
            bufs,
        })
    }

    /// Descriptors free for new frames.
    pub(super) fn free(&self) -> u32 {
        self.size
            .saturating_sub(1)
            .saturating_sub(self.tail.wrapping_sub(self.head))
    }

    /// Programs and enables TWQ1 of `q`, starting from position 0
    /// (`fbnic_enable_twq1()`). The TCQ is the TX ring's.
    pub(super) fn enable(&mut self, regs: &Regs, q: queue::QueueIdx) {
        self.tail = 0;
        self.rung = 0;
        self.head = 0;
        let addr = self.twq.dma_address();
        regs.write_raw(queue::TWQ1_CTL::at(q), queue::TWQ1_CTL::RESET.mask());
        // CAST: the halves of the ring's bus address.
        regs.write_raw(queue::TWQ1_BAL::at(q), addr as u32);
        regs.write_raw(queue::TWQ1_BAH::at(q), (addr >> 32) as u32);
        regs.write_raw(queue::TWQ1_SIZE::at(q), queue::size_reg(self.size));
        regs.write_raw(queue::TWQ1_CTL::at(q), queue::TWQ1_CTL::ENABLE.mask());
    }

    /// Queues `buff` for transmission, without ringing the doorbell.
    /// Returns whether it was queued: a frame the ring has no room for, or
    /// with a buffer that cannot be described (an empty one), is dropped,
    /// which returns its pages, and counted in `stats`.
    pub(super) fn queue(&mut self, buff: Buff, stats: &XdpTxCounters) -> bool {
        let n = buff.buffers();
        // CAST: at most 1 + MAX_SKB_FRAGS.
        if self.free() < n as u32 {
            stats.dropped.inc();
            return false;
        }
        let (size, first) = (self.size, self.tail);
        let mut at = first;
        let mut failed = false;
        let mut i = 0;
        buff.into_tx(|buf| {
            i += 1;
            let last = i == n;
            match twq1_buffer(buf.dma_addr(), buf.len(), last) {
                Ok(desc) => self.twq.write(at, desc),
                Err(_) => failed = true,
            }
            self.bufs[wrap(at, size) as usize] = Some(Sent {
                buf: Held::Page(buf),
                last,
            });
            at = at.wrapping_add(1);
        });
        if failed || i != n || i == 0 {
            // Nothing handed to the device: the buffers go back (dropping
            // them returns their pages).
            let mut pos = first;
            while pos != at {
                self.bufs[wrap(pos, size) as usize] = None;
                pos = pos.wrapping_add(1);
            }
            stats.dropped.inc();
            return false;
        }
        self.tail = at;
        true
    }

    /// Queues a redirected frame, mapped, for transmission, without
    /// ringing the doorbell; gives it back if the ring has no room or its
    /// length cannot be described (more than 65535 bytes), for the caller
    /// to drop (which unmaps and returns it) once the lock is released.
    fn queue_frame(&mut self, frame: TxFrame) -> Result<(), TxFrame> {
        if self.free() == 0 {
            return Err(frame);
        }
        let Ok(desc) = twq1_buffer(frame.dma_addr(), frame.len(), true) else {
            return Err(frame);
        };
        let at = self.tail;
        self.twq.write(at, desc);
        self.bufs[wrap(at, self.size) as usize] = Some(Sent {
            buf: Held::Frame(frame),
            last: true,
        });
        self.tail = at.wrapping_add(1);
        Ok(())
    }

    /// Writes the doorbell if frames were queued since it was last written
    /// (`fbnic_pkt_commit_tail()`, once per poll).
    pub(super) fn ring(&mut self, regs: &Regs, q: queue::QueueIdx) {
        if self.rung != self.tail {
            regs.write_raw(queue::TWQ1_TAIL::at(q), wrap(self.tail, self.size));
            self.rung = self.tail;
        }
    }

    /// Retires what the device sent, up to its head `hw_head` (a ring
    /// index from a TWQ1 head completion), returning the pages and counting
    /// the frames in `stats`. A head that points past what was queued is
    /// ignored and returned as an error.
    pub(super) fn complete(&mut self, hw_head: u32, stats: &XdpTxCounters) -> Result {
        let size = self.size;
        let head = wrap(hw_head, size);
        let ahead = |at: u32| at.wrapping_sub(self.head) & (size - 1);
        if ahead(head) > ahead(wrap(self.tail, size)) {
            return Err(EINVAL);
        }
        let (mut packets, mut bytes) = (0u64, 0u64);
        while wrap(self.head, size) != head {
            if let Some(sent) = self.bufs[wrap(self.head, size) as usize].take() {
                packets += u64::from(sent.last);
                bytes += u64::from(sent.buf.len());
            }
            self.head = self.head.wrapping_add(1);
        }
        if packets != 0 {
            stats.packets.add(packets);
            stats.bytes.add(bytes);
        }
        Ok(())
    }

    /// Drops the frames still on the ring after the queue pair was
    /// disabled, counting them as dropped (`fbnic_clean_twq1()` when
    /// discarding).
    pub(super) fn flush(&mut self, stats: &XdpTxCounters) {
        let mut dropped = 0u64;
        for slot in self.bufs.iter_mut() {
            if let Some(sent) = slot.take() {
                dropped += u64::from(sent.last);
            }
        }
        self.head = self.tail;
        if dropped != 0 {
            stats.dropped.add(dropped);
        }
    }
}

/// Makes a redirected frame ready for the device: padded to the least it
/// sends (it does not pad by itself) and mapped. `None` if that fails; the
/// frame is returned then.
fn prepare<P: net::Operations>(dev: &net::Device<P>, mut frame: Frame) -> Option<TxFrame> {
    if frame.has_frags() {
        // Not advertised (`NETDEV_XDP_ACT_NDO_XMIT_SG`): the core sends
        // none.
        if net::ratelimit() {
            dev_warn!(
                dev.parent(),
                "XDP frame in several buffers redirected: dropped\n"
            );
        }
        return None;
    }
    if frame.pad_to(MIN_FRAME_LEN).is_err() {
        if net::ratelimit() {
            dev_warn!(
                dev.parent(),
                "XDP frame of {} bytes without room to pad it: dropped\n",
                frame.len()
            );
        }
        return None;
    }
    match frame.map_for_tx(dev) {
        Ok(mapped) => Some(mapped),
        Err(_) => {
            if net::ratelimit() {
                dev_warn!(dev.parent(), "XDP frame DMA mapping failed: dropped\n");
            }
            None
        }
    }
}

impl Rings {
    /// Sends frames redirected to the interface on the XDP TX ring
    /// (`ndo_xdp_xmit`), writing the doorbell if `flush`. Takes frames
    /// while the ring has room; those it cannot take stay with the core,
    /// which returns them, and count as dropped here, as do those that
    /// cannot be padded or mapped. `ENETDOWN` without a ring.
    ///
    /// The frames are mapped with the ring's lock released, up to
    /// [`XMIT_BATCH`] at a time for the room the ring had, then queued
    /// under it; the doorbell is written with the last of them.
    pub(crate) fn xdp_xmit<P: net::Operations>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        frames: &mut XmitFrames<'_>,
        flush: bool,
    ) -> Result {
        let stats = &self.stats.xdp;
        let mut batch: [Option<TxFrame>; XMIT_BATCH] = [const { None }; XMIT_BATCH];
        // Counted under the lock, which serializes the counters' writers.
        let mut dropped = 0u64;
        loop {
            // The room now: others may queue meanwhile, so queueing checks
            // again.
            let room = {
                let ring = self.xdp.lock();
                let room = (*ring).as_ref().map(XdpRing::free);
                room
            };
            let Some(room) = room else {
                return Err(ENETDOWN);
            };
            let want = (room as usize).min(XMIT_BATCH);
            let mut n = 0;
            while n < want {
                let Some(frame) = frames.next() else {
                    break;
                };
                match prepare(dev, frame) {
                    Some(mapped) => {
                        batch[n] = Some(mapped);
                        n += 1;
                    }
                    None => dropped += 1,
                }
            }
            let mut refused = 0u64;
            let mut guard = self.xdp.lock();
            if let Some(ring) = (*guard).as_mut() {
                for slot in batch[..n].iter_mut() {
                    if let Some(frame) = slot.take() {
                        // Given back on failure: dropped below, unlocked.
                        if let Err(frame) = ring.queue_frame(frame) {
                            *slot = Some(frame);
                            refused += 1;
                        }
                    }
                }
            } else {
                // The ring went away in between (not while the interface
                // runs): everything is dropped. CAST: at most XMIT_BATCH.
                refused += n as u64;
            }
            let more = n == want && want != 0 && refused == 0 && frames.remaining() != 0;
            if !more {
                // The frames left are the core's to return. CAST: at most
                // the `int` the core gave.
                dropped += frames.remaining() as u64;
            }
            if dropped + refused != 0 {
                stats.dropped.add(dropped + refused);
                dropped = 0;
            }
            if let (false, true, Some(ring)) = (more, flush, (*guard).as_mut()) {
                ring.ring(regs, self.queue);
            }
            drop(guard);
            // Unmaps and returns what the ring did not take.
            for slot in batch[..n].iter_mut() {
                drop(slot.take());
            }
            if !more {
                return Ok(());
            }
        }
    }
}
