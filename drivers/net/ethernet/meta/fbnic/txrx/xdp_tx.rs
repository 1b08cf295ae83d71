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

#![forbid(unsafe_code)]

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device,
    prelude::*, //
};

use super::rings::{
    ring,
    wrap, //
};
use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::queue,
        desc::twq1_buffer, //
    },
    kernel_ext::{
        dma::DescRing,
        net::xdp::{
            Buff,
            TxBuf, //
        },
    },
    regs::Regs,
    stats::XdpTxCounters,
};

/// A buffer on the ring, until the device has sent it.
struct Sent {
    buf: TxBuf,
    /// It ends its frame (LAST_AL).
    last: bool,
}

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
    fn free(&self) -> u32 {
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
            self.bufs[wrap(at, size) as usize] = Some(Sent { buf, last });
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
