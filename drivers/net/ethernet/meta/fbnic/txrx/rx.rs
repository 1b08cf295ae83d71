// SPDX-License-Identifier: GPL-2.0

//! The receive path of a queue pair: the header and payload buffer queues
//! (HPQ, PPQ) with the pages posted on them, the completion queue (RCQ),
//! the header-split setting, and turning completions into socket buffers
//! in the NAPI poll, refilling the buffer queues as it goes.

#![forbid(unsafe_code)]

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device,
    prelude::*,
    sync::{
        atomic::Relaxed,
        Arc, //
    }, //
};

use super::{
    rings::{
        ring,
        wrap,
        RingSizes,
        Rings, //
    },
    xdp::{
        self as rx_xdp,
        XdpPacket, //
    }, //
};
use crate::{
    hw::{
        csr::queue,
        desc::{
            self,
            done_for_position,
            L3Type,
            L4Type,
            RxAddrLen,
            RxBufDesc,
            RxCompletion, //
        },
        reg::{
            Io32,
            RegisterIo, //
        }, //
    },
    kernel_ext::{
        bh,
        dma::DescRing,
        net::{
            self,
            page_pool::{
                self,
                PagePool,
                PageRef,
                PageSpan,
                Params,
                RxPage, //
            },
            skbuff::SkBuff,
            xdp::{
                flush_redirects,
                ProgRef,
                RxQueue, //
            },
            Napi,
            NapiContext, //
        }, //
    },
    regs::Regs,
    stats::RxCounters,
    time::Clock, //
};

/// Pages each RX page pool keeps for reuse, in rings' worth of its
/// buffer queue. Pages come back from the stack in bursts (a socket's
/// receive queue read at once); a pool that holds one ring's worth frees
/// most of them and allocates and maps new ones, which stalled
/// single-stream TCP for up to a second at a time in the lab (bench:
/// 1-stream RX 0.04 Gbit/s with one ring's worth, 0.15 with four).
pub(super) const POOL_RINGS: u32 = 4;
/// Bytes of an RX buffer (a BDQ fragment).
const RX_BUF: u32 = desc::bd::FRAG_SIZE as u32;
/// RX buffers per page (`FBNIC_BD_FRAG_COUNT`): a page is posted as this
/// many consecutive descriptors.
const FRAG_COUNT: u32 = desc::bd::frag_count(page_pool::PAGE_SIZE as u64) as u32;

/// Tail room behind a packet in a header buffer, for the socket buffer's
/// shared info (`FBNIC_RX_TROOM`).
pub(crate) const RX_TROOM: u32 = page_pool::SKB_SHINFO_ROOM;
/// Head room in front of a packet in a header buffer (`FBNIC_RX_HROOM`):
/// at least 128 bytes, sized so that head room plus tail room is a whole
/// number of the device's placement granules ([`desc::bd::ALIGN`]).
pub(crate) const RX_HROOM: u32 = desc::bd::align(RX_TROOM + 128) - RX_TROOM;
/// Largest header-split threshold: the most a header buffer takes
/// (`FBNIC_HDS_THRESH_MAX`).
pub(crate) const HDS_THRESH_MAX: u32 = RX_BUF - RX_HROOM - RX_TROOM;
/// Default header-split threshold (`FBNIC_HDS_THRESH_DEFAULT`): a
/// standard frame fits a header buffer whole.
pub(crate) const HDS_THRESH_DEFAULT: u32 = 1536;
/// Below this threshold the device splits every frame after its headers
/// (`FBNIC_HDR_BYTES_MIN`); it is also the least it is programmed with.
const HDR_BYTES_MIN: u32 = 256;

const _: () = assert!(RingSizes::MIN >= 2 * desc::rcd::MAX_PKT_DESC);
const _: () = assert!(RingSizes::MIN >= 2 * FRAG_COUNT);

/// Pages a buffer queue needs at least to take any frame (and so raise a
/// completion and an interrupt): fewer means it may be stuck without
/// them (the C driver's assumption in `fbnic_napi_depletion_check()`).
const LOW_PAGES: u32 = 4;

/// Which buffer queue.
#[derive(Clone, Copy)]
pub(super) enum Bdq {
    Header,
    Payload,
}

/// How received frames are split between header and payload buffers
/// (`ethtool -G ... tcp-data-split ... hds-thresh ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeaderSplit {
    /// Split frames after their headers (`tcp-data-split on` or `auto`);
    /// otherwise frames go to the header buffer whole as far as they fit.
    pub(crate) enabled: bool,
    /// Frames up to this many bytes are not split (`hds-thresh`).
    pub(crate) thresh: u32,
}

impl Default for HeaderSplit {
    fn default() -> Self {
        Self {
            enabled: true,
            thresh: HDS_THRESH_DEFAULT,
        }
    }
}

impl HeaderSplit {
    /// `RDE_CTL0.EN_HDR_SPLIT` and `RDE_CTL1.MAX_HDR` for this setting.
    /// As in the C driver, a threshold below [`HDR_BYTES_MIN`] makes the
    /// device split every frame after its headers, and the header limit
    /// never goes below that; without split the whole header buffer may
    /// be used.
    fn registers(&self) -> (bool, u32) {
        if !self.enabled {
            return (false, HDS_THRESH_MAX);
        }
        (
            self.thresh < HDR_BYTES_MIN,
            self.thresh.clamp(HDR_BYTES_MIN, HDS_THRESH_MAX),
        )
    }
}

/// A buffer queue's pages, by page slot, and its positions in slots.
pub(super) struct BufRing {
    /// The page posted at each slot, until the device is done with it.
    pages: KVec<Option<RxPage>>,
    /// Oldest slot still posted.
    head: u32,
    /// Next slot to post.
    tail: u32,
    /// The first slot the device may still report a piece in: the last
    /// one reported, or the one after it once finished. The pages before
    /// it are done with, to give back after each poll.
    next: u32,
    /// Slots minus one (a power of two minus one), kept so that the
    /// per-piece checks do not work it out again.
    mask: u32,
}

impl BufRing {
    fn new(slots: u32) -> Result<Self> {
        let mut pages = KVec::with_capacity(slots as usize, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..slots {
            pages.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            pages,
            head: 0,
            tail: 0,
            next: 0,
            mask: slots.wrapping_sub(1),
        })
    }

    #[inline]
    fn mask(&self) -> u32 {
        self.mask
    }

    /// Gives back the pages of the slots before `to`, which the device has
    /// moved past (`fbnic_clean_bdq()`): into `pool`'s cache when it is
    /// theirs, as from the NAPI poll.
    fn release_until(&mut self, to: u32, pool: Option<&mut PagePool>, napi: &NapiContext<'_>) {
        match pool.and_then(|pool| pool.cache(napi)) {
            Some(mut cache) => self.release_each(to, |slot| cache.release_slot(slot)),
            None => self.release_each(to, |slot| *slot = None),
        }
    }

    /// Runs `release` on the slots from the head up to (not including)
    /// `to`, and moves the head there: the slots as one or two runs of
    /// the page array, across its end, with no check per slot.
    #[inline]
    fn release_each(&mut self, to: u32, mut release: impl FnMut(&mut Option<RxPage>)) {
        let to = to & self.mask();
        let count = to.wrapping_sub(self.head) & self.mask();
        let (first, second) = self.runs_mut(self.head, count);
        first.iter_mut().for_each(&mut release);
        second.iter_mut().for_each(&mut release);
        self.head = to;
    }

    /// The `count` slots from `from` (both below the number of slots), in
    /// ring order, as the one or two runs of the page array they make
    /// across its end: walked with no check per slot.
    #[inline]
    fn runs_mut(
        &mut self,
        from: u32,
        count: u32,
    ) -> (&mut [Option<RxPage>], &mut [Option<RxPage>]) {
        // `pages` has `mask + 1` slots; out-of-range arguments give empty
        // runs rather than a panic.
        let (front, back) = self
            .pages
            .split_at_mut_checked(from as usize)
            .unwrap_or_default();
        let first = back.len().min(count as usize);
        let back = back.get_mut(..first).unwrap_or_default();
        let front = front.get_mut(..count as usize - first).unwrap_or_default();
        (back, front)
    }

    /// Whether the device may report a piece in `slot` now: the slot is
    /// posted, and not before the last piece it reported (buffers are
    /// filled in order), nor the same once that piece finished its buffer
    /// (`PAGE_FIN`). A slot named outside of that is a malformed
    /// completion: using it would hand out a page the device does not
    /// own, or move the ring's head past its tail.
    #[inline]
    fn holds(&self, slot: u16) -> bool {
        let mask = self.mask();
        let slot = u32::from(slot);
        // `next` is between `head` and `tail`: the slots from `next` up
        // to (not including) `tail` are the ones the device may name.
        let from_next = |s: u32| s.wrapping_sub(self.next) & mask;
        slot <= mask && from_next(slot) < from_next(self.tail)
    }

    /// Notes a piece the device reported in `slot` ([`BufRing::holds`]),
    /// `fin` if it finished the buffer.
    #[inline]
    fn reported(&mut self, slot: u16, fin: bool) {
        self.next = u32::from(slot).wrapping_add(u32::from(fin)) & self.mask();
    }

    /// Pages posted to the device.
    fn posted(&self) -> u32 {
        self.tail.wrapping_sub(self.head) & self.mask()
    }

    /// Gives back every page and starts over from slot 0.
    pub(super) fn clear(&mut self) {
        for slot in self.pages.iter_mut() {
            *slot = None;
        }
        self.head = 0;
        self.tail = 0;
        self.next = 0;
    }
}

/// Whether a buffer piece a completion reports lies within its buffer.
fn fits(al: &RxAddrLen) -> bool {
    u32::from(al.off) + u32::from(al.len) <= RX_BUF
}

/// What one poll received, for the queue's counters: adding it once per
/// poll keeps the per-packet work to plain arithmetic.
#[derive(Default)]
pub(super) struct RxCount {
    pub(super) packets: u64,
    pub(super) bytes: u64,
    csum_unnecessary: u64,
    csum_none: u64,
    pub(super) dropped: u64,
    pub(super) alloc_fail: u64,
    pub(super) length_errors: u64,
    desc_err: u64,
    /// XDP frames went to the core's redirect queues, to be flushed.
    pub(super) redirected: bool,
}

impl RxCount {
    fn add_to(&self, stats: &RxCounters) {
        for (counter, n) in [
            (&stats.packets, self.packets),
            (&stats.bytes, self.bytes),
            (&stats.csum_unnecessary, self.csum_unnecessary),
            (&stats.csum_none, self.csum_none),
            (&stats.dropped, self.dropped),
            (&stats.desc_err, self.desc_err),
            (&stats.alloc_fail, self.alloc_fail),
            (&stats.length_errors, self.length_errors),
        ] {
            if n != 0 {
                counter.add(n);
            }
        }
    }
}

/// The packet being received: its socket buffer, built from the header
/// piece and extended by each payload piece until the META completion.
///
/// It is two words, moved and matched on every completion; the larger XDP
/// frame stays in place in [`RxRing::xdp`].
pub(super) enum RxPacket {
    None,
    Building(SkBuff),
    /// The frame for the XDP program, built the same way, in
    /// [`RxRing::xdp`].
    Xdp,
    /// A piece could not be used: drop the packet at its META.
    Failed,
}

/// What [`RxRing::flush`] leaves to drop: the XDP queue info and the
/// header and payload page pools.
pub(super) type RxTeardown = (Option<Arc<RxQueue>>, Option<PagePool>, Option<PagePool>);

/// The RX buffer queues (HPQ, PPQ) and completion queue (RCQ), with the
/// positions on them, the pages posted, the page pools while the
/// interface is up, and the packet being received.
pub(super) struct RxRing {
    pub(super) hpq_descs: DescRing,
    pub(super) ppq_descs: DescRing,
    pub(super) rcq: DescRing,
    /// Descriptors of the HPQ, the PPQ and the RCQ.
    pub(super) hpq_size: u32,
    pub(super) ppq_size: u32,
    pub(super) rcq_size: u32,
    /// Next RCQ entry, modulo twice its size.
    pub(super) rcq_head: u32,
    pub(super) hpq: BufRing,
    pub(super) ppq: BufRing,
    /// Header pages and payload pages, between enable and flush.
    pub(super) hpq_pool: Option<PagePool>,
    pub(super) ppq_pool: Option<PagePool>,
    /// The queue's XDP registration, between enable and flush.
    pub(super) xdp_rxq: Option<Arc<RxQueue>>,
    pub(super) pkt: RxPacket,
    /// The XDP frame being received while `pkt` is [`RxPacket::Xdp`]
    /// (otherwise `None`, or the frame of a packet that failed, not yet
    /// dropped).
    pub(super) xdp: Option<XdpPacket>,
}

impl RxRing {
    pub(super) fn new(dev: &device::Device<device::Bound>, sizes: RingSizes) -> Result<Self> {
        Ok(Self {
            hpq_descs: ring(dev, sizes.hpq)?,
            ppq_descs: ring(dev, sizes.ppq)?,
            rcq: ring(dev, sizes.rcq)?,
            hpq_size: sizes.hpq,
            ppq_size: sizes.ppq,
            rcq_size: sizes.rcq,
            rcq_head: 0,
            hpq: BufRing::new(sizes.hpq / FRAG_COUNT)?,
            ppq: BufRing::new(sizes.ppq / FRAG_COUNT)?,
            hpq_pool: None,
            ppq_pool: None,
            xdp_rxq: None,
            pkt: RxPacket::None,
            xdp: None,
        })
    }

    /// The header and payload page pools of RX queue `index`, caching
    /// [`POOL_RINGS`] rings' worth of `hpq` and `ppq` buffers, bound to the
    /// NAPI instance of `napi` if given (else by
    /// [`PagePool::bind_napi`] later). The payload pool takes the memory
    /// provider bound to the queue, if any (`fbnic_alloc_qt_page_pools()`):
    /// its buffers may then be unreadable, which only payload buffers may
    /// be.
    pub(super) fn new_pools<P>(
        dev: &net::Device<P>,
        index: u32,
        hpq: u32,
        ppq: u32,
        napi: Option<&NapiContext<'_>>,
    ) -> Result<(PagePool, PagePool)> {
        let hpq_params = Params::new(POOL_RINGS * hpq, index);
        let ppq_params = Params::new(POOL_RINGS * ppq, index).with_queue_provider(dev);
        Ok(match napi {
            Some(napi) => (
                PagePool::new_for_napi(dev, &hpq_params, napi)?,
                PagePool::new_for_napi(dev, &ppq_params, napi)?,
            ),
            None => (
                PagePool::new_unbound(dev, &hpq_params)?,
                PagePool::new_unbound(dev, &ppq_params)?,
            ),
        })
    }

    /// Drops the packet being received, if any, with its pages.
    pub(super) fn drop_pkt(&mut self) {
        self.pkt = RxPacket::None;
        self.xdp = None;
    }

    /// Gives back every page and the packet being received; returns the
    /// XDP queue info and the page pools, for the caller to drop where it
    /// may sleep (in this order: the queue info, then the pools).
    pub(super) fn flush(&mut self) -> RxTeardown {
        self.drop_pkt();
        self.hpq.clear();
        self.ppq.clear();
        (
            self.xdp_rxq.take(),
            self.hpq_pool.take(),
            self.ppq_pool.take(),
        )
    }
}

impl Rings {
    /// Programs how the RX DMA engine places frames (`RDE_CTL0/1`, as in
    /// `fbnic_enable_rcq()`): head and tail room in header buffers, the
    /// header-split setting, and what to do with a frame when no buffer is
    /// posted (`drop_mode`, [`crate::link::flow::rx_drop_mode`]). May be
    /// called while the queue runs: it applies from the next frame on, and
    /// the header page layout the driver relies on does not change.
    pub(crate) fn set_header_split(&self, regs: &Regs, split: HeaderSplit, drop_mode: u32) {
        let (hdr_split, max_hdr) = split.registers();
        regs.write_raw(
            queue::RDE_CTL0::at(self.queue),
            queue::RDE_CTL0::DROP_MODE.prep(drop_mode)
                | queue::RDE_CTL0::MIN_HROOM.prep(RX_HROOM)
                | queue::RDE_CTL0::MIN_TROOM.prep(RX_TROOM)
                | if hdr_split {
                    queue::RDE_CTL0::EN_HDR_SPLIT.mask()
                } else {
                    0
                },
        );
        regs.write_raw(
            queue::RDE_CTL1::at(self.queue),
            queue::RDE_CTL1::MAX_HDR.prep(max_hdr),
        );
    }

    /// Changes the drop mode of the queue's RX DMA engine (`RDE_CTL0`, the
    /// rest kept), as `fbnic_config_drop_mode()` does when the link comes
    /// up. A queue without RX ring is reprogrammed when it gets one.
    pub(crate) fn set_drop_mode(&self, regs: &Regs, drop_mode: u32) {
        regs.rmw_raw(
            queue::RDE_CTL0::at(self.queue),
            queue::RDE_CTL0::DROP_MODE.mask(),
            queue::RDE_CTL0::DROP_MODE.prep(drop_mode),
        );
    }

    /// Whether a buffer queue of the RX ring was left with fewer than
    /// [`LOW_PAGES`] pages posted after the last refill (pages could not
    /// be allocated): then the device may receive nothing more, raise no
    /// interrupt, and the ring be refilled by nobody but the service task
    /// ([`super::Rings::kick`]).
    pub(crate) fn rx_low(&self) -> bool {
        self.rx_low.load(Relaxed)
    }

    /// Records whether `rx` is short of pages, for [`Rings::rx_low`].
    pub(super) fn note_rx_low(&self, rx: &RxRing) {
        let low = rx.hpq.posted() < LOW_PAGES || rx.ppq.posted() < LOW_PAGES;
        self.rx_low.store(low, Relaxed);
    }

    /// Gives back every RX page and destroys the page pools, after
    /// [`Rings::disable`] with NAPI disabled (the RX part of
    /// `fbnic_flush()`, `fbnic_free_qt_page_pools()`). Pages still in
    /// socket buffers go back to the destroyed pools' memory as the stack
    /// frees them.
    pub(crate) fn flush_rx(&self) {
        // Destroying the pools and unregistering the queue info take
        // mutexes: after the ring's lock is released.
        let gone = {
            // The NAPI poll takes the lock in softirq context.
            let _bh = bh::disable();
            // Bound here, so the lock goes before bottom halves come back
            // (a block's last expression outlives its variables).
            let gone = (*self.rx.lock()).as_mut().map(RxRing::flush);
            gone
        };
        drop(gone);
    }

    /// Posts fresh pages at the free slots of a buffer queue and tells the
    /// device (`fbnic_fill_bdq()`). Returns whether the queue is full (the
    /// pool may be short of memory; the next poll tries again).
    pub(super) fn fill(
        &self,
        regs: &Regs,
        which: Bdq,
        descs: &DescRing,
        ring: &mut BufRing,
        pool: Option<&mut PagePool>,
        napi: &NapiContext<'_>,
    ) -> bool {
        let Some(pool) = pool else {
            return false;
        };
        let tail_reg = match which {
            Bdq::Header => queue::BDQ_HPQ_TAIL::at(self.queue).loc(),
            Bdq::Payload => queue::BDQ_PPQ_TAIL::at(self.queue).loc(),
        };
        let mask = ring.mask();
        let start = ring.tail;
        // Kept in a register while posting, stored once at the end.
        let mut tail = start;
        let mut full = true;
        // The free slots, counted once: the device does not move the head
        // while we post.
        let free = ring.head.wrapping_sub(start).wrapping_sub(1) & mask;
        if free == 0 {
            return true;
        }
        // Not the context of the pool's NAPI instance: no page to be had.
        let Some(mut cache) = pool.cache(napi) else {
            self.stats.rx.alloc_fail.inc();
            return false;
        };
        // The free slots in ring order (`start` is masked, `free` below the
        // number of slots).
        let (first, second) = ring.runs_mut(start, free);
        'post: for run in [first, second] {
            for entry in run.iter_mut() {
                let Some(page) = cache.alloc() else {
                    self.stats.rx.alloc_fail.inc();
                    full = false;
                    break 'post;
                };
                let slot = tail;
                let posted = (0..FRAG_COUNT).all(|frag| {
                    // CAST: slots and fragments number below 2^16.
                    let desc = RxBufDesc::fragment(
                        page.dma_addr(),
                        slot as u16,
                        frag as u16,
                        FRAG_COUNT as u16,
                    );
                    desc.encode()
                        .map(|raw| descs.write(slot * FRAG_COUNT + frag, raw))
                        .is_ok()
                });
                if !posted {
                    full = false;
                    break 'post;
                }
                *entry = Some(page);
                tail = slot.wrapping_add(1) & mask;
            }
        }
        ring.tail = tail;
        if tail != start {
            regs.write32(tail_reg, tail * FRAG_COUNT);
        }
        full
    }

    /// Starts a packet at its header piece (`fbnic_pkt_prepare()`): the
    /// socket buffer's head (or, with an XDP program, the frame's buffer)
    /// is the packet's part of the header page, with the head room the
    /// device left in front and the tail room behind.
    fn rx_header(rx: &mut RxRing, al: &RxAddrLen, napi: &Napi, xdp: bool) -> RxPacket {
        let (slot, frag) = al.page_and_frag(FRAG_COUNT as u16);
        let Some(page) = rx
            .hpq
            .pages
            .get_mut(usize::from(slot))
            .and_then(Option::as_mut)
        else {
            return RxPacket::Failed;
        };
        let (off, len) = (u32::from(al.off), u32::from(al.len));
        // The first header of a buffer starts at the head room rounded up
        // to the granule: its buffer starts at 0. The others start a head
        // room before their data.
        let start = if off == desc::bd::hdr_first_off(RX_HROOM) {
            0
        } else {
            off.saturating_sub(RX_HROOM)
        };
        // The buffer ends where the next header's would start (minus its
        // head room), or at the end of the buffer once it is finished.
        let end = if al.page_fin {
            RX_BUF
        } else {
            desc::bd::hdr_next_off(off, len, RX_HROOM, RX_TROOM) - RX_HROOM
        };
        // Checked once here for the page: the sync and the socket buffer
        // (or XDP frame) take it as it is.
        let base = u32::from(frag) * RX_BUF;
        let Some(span) = PageSpan::between(base + start, base.saturating_add(end)) else {
            return RxPacket::Failed;
        };
        let headroom = off - start;
        page.sync_span_for_cpu(&span);
        let Some(head) = page.take_ref() else {
            return RxPacket::Failed;
        };
        if let (true, Some(rxq)) = (xdp, rx.xdp_rxq.as_ref()) {
            rx.xdp = rx_xdp::start(rxq, head, span, headroom, len);
            return match rx.xdp {
                Some(_) => RxPacket::Xdp,
                None => RxPacket::Failed,
            };
        }
        match napi.build_skb(head, span, headroom, len) {
            Some(skb) => RxPacket::Building(skb),
            None => RxPacket::Failed,
        }
    }

    /// Adds a payload piece to the packet (`fbnic_add_rx_frag()`). A piece
    /// that finishes its buffer owns the rest of it; otherwise it takes
    /// whole granules.
    fn rx_payload(rx: &mut RxRing, pkt: &mut RxPacket, al: &RxAddrLen) {
        if !matches!(pkt, RxPacket::Building(_) | RxPacket::Xdp) {
            return;
        }
        let (slot, frag) = al.page_and_frag(FRAG_COUNT as u16);
        let (off, len) = (u32::from(al.off), u32::from(al.len));
        let truesize = if al.page_fin {
            RX_BUF.saturating_sub(off)
        } else {
            desc::bd::align(len)
        };
        let off = off + u32::from(frag) * RX_BUF;
        let added = match rx
            .ppq
            .pages
            .get_mut(usize::from(slot))
            .and_then(Option::as_mut)
        {
            Some(page) => {
                page.sync_for_cpu(off, truesize);
                page.take_ref()
                    .is_some_and(|r| Self::add_frag(pkt, &mut rx.xdp, r, off, len, truesize))
            }
            None => false,
        };
        if !added {
            *pkt = RxPacket::Failed;
        }
    }

    /// Adds a payload piece to the socket buffer or XDP frame being built.
    fn add_frag(
        pkt: &mut RxPacket,
        xdp: &mut Option<XdpPacket>,
        r: PageRef,
        off: u32,
        len: u32,
        truesize: u32,
    ) -> bool {
        match (pkt, xdp) {
            (RxPacket::Building(skb), _) => skb.add_rx_frag(r, off, len, truesize).is_ok(),
            (RxPacket::Xdp, Some(x)) => x.buff.add_frag(r, off, len, truesize).is_ok(),
            _ => false,
        }
    }

    /// Receives up to `budget` packets (`fbnic_clean_rcq()`), from the poll
    /// function, then gives back the pages the device is done with and
    /// refills both buffer queues. Returns how many packets. With an XDP
    /// program (`prog`), it runs on each frame before a socket buffer is
    /// built.
    pub(crate) fn clean_rx<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        napi: &NapiContext<'_>,
        clock: &Clock,
        budget: i32,
        prog: Option<&ProgRef<'_>>,
    ) -> i32 {
        let mut guard = self.rx.lock();
        let Some(rx) = (*guard).as_mut() else {
            return 0;
        };
        let size = rx.rcq_size;
        let mut done = 0;
        let mut seen = false;
        let features = dev.features();
        // Counted here and added to the queue's counters once per poll.
        let mut count = RxCount::default();

        // The head stays in a register for the whole walk (the calls into
        // the stack would otherwise make it a load and a store per
        // completion), and goes back to the ring once, after it.
        let mut head = rx.rcq_head;
        // The packet being received, likewise: a local during the walk
        // (no store and drop check in memory per completion), back in
        // the ring after it, as it may go on in the next poll.
        let mut pkt = core::mem::replace(&mut rx.pkt, RxPacket::None);
        while done < budget {
            let raw = rx.rcq.read(head);
            if RxCompletion::done(raw) != done_for_position(head, size) {
                break;
            }
            head = wrap(head.wrapping_add(1), size << 1);
            seen = true;

            match RxCompletion::decode(raw) {
                RxCompletion::HdrAl(al) => {
                    // A header starts a packet; a previous one without its
                    // META is dropped (with its pages) here.
                    if !matches!(pkt, RxPacket::None) {
                        count.dropped += 1;
                        drop(core::mem::replace(&mut pkt, RxPacket::None));
                        rx.xdp = None;
                    }
                    let slot = al.page_and_frag(FRAG_COUNT as u16).0;
                    if rx.hpq.holds(slot) && fits(&al) {
                        rx.hpq.reported(slot, al.page_fin);
                        pkt = Self::rx_header(rx, &al, napi, prog.is_some());
                    } else {
                        count.desc_err += 1;
                        pkt = RxPacket::Failed;
                    }
                }
                RxCompletion::PayAl(al) => {
                    let slot = al.page_and_frag(FRAG_COUNT as u16).0;
                    // A payload piece follows its packet's header piece.
                    if !matches!(pkt, RxPacket::None) && rx.ppq.holds(slot) && fits(&al) {
                        rx.ppq.reported(slot, al.page_fin);
                        Self::rx_payload(rx, &mut pkt, &al);
                    } else {
                        count.desc_err += 1;
                        pkt = RxPacket::Failed;
                    }
                }
                RxCompletion::OptMeta(opt) => {
                    // The receive time stamp of the packet being built.
                    // CAST: the clock's time as the kernel's signed
                    // nanoseconds, as the C driver's ns_to_ktime().
                    match (opt.ts, &mut pkt, &mut rx.xdp) {
                        (Some(ts), RxPacket::Building(skb), _) => {
                            skb.set_rx_hwtstamp(clock.ts40_to_ns(ts) as i64)
                        }
                        (Some(ts), RxPacket::Xdp, Some(x)) => {
                            x.ts = Some(clock.ts40_to_ns(ts) as i64)
                        }
                        _ => {}
                    }
                }
                RxCompletion::Meta(meta) => {
                    let skb = match core::mem::replace(&mut pkt, RxPacket::None) {
                        RxPacket::Building(mut skb) if !meta.uncorrectable() => {
                            count.packets = count.packets.wrapping_add(1);
                            count.bytes = count.bytes.wrapping_add(u64::from(skb.len()));
                            // CAST: at most 128 queues.
                            skb.record_rx_queue(self.index as u16);
                            skb.eth_type_trans(dev);
                            Some(skb)
                        }
                        RxPacket::None => {
                            // A packet's end with no start.
                            count.desc_err += 1;
                            count.dropped += 1;
                            None
                        }
                        // Counted there; passed with its queue and protocol
                        // set, or consumed.
                        RxPacket::Xdp if !meta.uncorrectable() => match rx.xdp.take() {
                            Some(x) => {
                                let tx = (&self.xdp, &self.stats.xdp);
                                rx_xdp::finish(x, dev, prog, napi, &mut count, tx)
                            }
                            None => {
                                count.dropped += 1;
                                None
                            }
                        },
                        // With the frame of a packet that failed, and its
                        // pages (a socket buffer's packet has none).
                        _ => {
                            count.dropped += 1;
                            rx.xdp = None;
                            None
                        }
                    };
                    if let Some(mut skb) = skb {
                        if features.contains(net::Features::RXCSUM) && meta.l4_csum_unnecessary {
                            skb.set_checksum_unnecessary();
                            count.csum_unnecessary = count.csum_unnecessary.wrapping_add(1);
                        } else {
                            count.csum_none = count.csum_none.wrapping_add(1);
                        }
                        if features.contains(net::Features::RXHASH) && meta.l3_type != L3Type::Other
                        {
                            skb.set_hash(meta.rss_hash, meta.l4_type != L4Type::Other);
                        }
                        napi.gro_receive(skb);
                    }
                    done = done.wrapping_add(1);
                }
            }
        }
        rx.rcq_head = head;
        rx.pkt = pkt;
        count.add_to(&self.stats.rx);
        // The XDP_TX frames of the whole poll go with one doorbell, and
        // the redirected ones with one flush.
        if prog.is_some() {
            let mut xdp = self.xdp.lock();
            if let Some(ring) = (*xdp).as_mut() {
                ring.ring(regs, self.queue);
            }
        }
        if count.redirected {
            flush_redirects(napi);
        }
        if count.desc_err != 0 && net::ratelimit() {
            dev_warn!(
                dev.parent(),
                "RX queue {}: {} malformed completions, their packets dropped\n",
                self.index,
                count.desc_err
            );
        }

        if seen {
            regs.write_raw(queue::RCQ_HEAD::at(self.queue), wrap(rx.rcq_head, size));
        }
        // Pages before the first slot the device may still report a piece
        // in are finished: it moved on, or finished the buffer.
        if seen {
            let at = rx.hpq.next;
            rx.hpq.release_until(at, rx.hpq_pool.as_mut(), napi);
        }
        self.fill(
            regs,
            Bdq::Header,
            &rx.hpq_descs,
            &mut rx.hpq,
            rx.hpq_pool.as_mut(),
            napi,
        );
        if seen {
            let at = rx.ppq.next;
            rx.ppq.release_until(at, rx.ppq_pool.as_mut(), napi);
        }
        self.fill(
            regs,
            Bdq::Payload,
            &rx.ppq_descs,
            &mut rx.ppq,
            rx.ppq_pool.as_mut(),
            napi,
        );
        self.note_rx_low(rx);
        done
    }
}

/// The check of the buffer slots a completion names, run by KUnit when
/// the module loads (a kernel with KUnit).
#[kunit_tests(fbnic_rs_rx_slots)]
mod tests {
    use super::*;

    #[test]
    fn slots_the_device_may_name() -> Result {
        let mut ring = BufRing::new(8)?;
        assert!(!ring.holds(0));
        // Slots 6, 7, 0 and 1 posted, across the end of the ring.
        ring.head = 6;
        ring.next = 6;
        ring.tail = 2;
        for slot in [6, 7, 0, 1] {
            assert!(ring.holds(slot));
        }
        for slot in [2, 5, 8, u16::MAX] {
            assert!(!ring.holds(slot));
        }
        // Pieces come in order: none before the last one reported, and
        // none in a buffer the device finished.
        ring.reported(7, false);
        assert!(ring.holds(7) && ring.holds(0) && !ring.holds(6));
        ring.reported(7, true);
        assert!(!ring.holds(7) && ring.holds(0));
        Ok(())
    }

    #[test]
    fn slots_in_ring_order_across_the_end() -> Result {
        let mut ring = BufRing::new(8)?;
        let lens = |(a, b): (&mut [Option<RxPage>], &mut [Option<RxPage>])| (a.len(), b.len());
        assert_eq!(lens(ring.runs_mut(6, 4)), (2, 2));
        assert_eq!(lens(ring.runs_mut(2, 3)), (3, 0));
        assert_eq!(lens(ring.runs_mut(0, 8)), (8, 0));
        assert_eq!(lens(ring.runs_mut(7, 0)), (0, 0));
        // Out of range: nothing, and no panic.
        assert_eq!(lens(ring.runs_mut(9, 4)), (0, 0));
        Ok(())
    }

    #[test]
    fn pieces_within_their_buffer() {
        let piece = |off, len| RxAddrLen {
            off,
            len,
            ..Default::default()
        };
        assert!(fits(&piece(0, 4096)) && fits(&piece(4000, 96)));
        assert!(!fits(&piece(4000, 97)) && !fits(&piece(256, 8191)));
    }
}
