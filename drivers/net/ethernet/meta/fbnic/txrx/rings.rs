// SPDX-License-Identifier: GPL-2.0

//! A queue pair's slot and its ring memory: the queue pair with its NAPI
//! instance, the slot ([`Rings`]) that outlives the rings, the ring
//! memory ([`RingMem`]) allocated apart and swapped in, the ring sizes,
//! and programming, enabling, disabling and arming the queues of a slot.

#![forbid(unsafe_code)]

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device,
    new_spinlock,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        SpinLock, //
    },
    time::{
        delay::fsleep,
        Delta,
        Instant,
        Monotonic, //
    }, //
};

use super::{
    rx::{
        Bdq,
        RxRing, //
    },
    tx::TxRing,
    xdp_tx::XdpRing,
    HeaderSplit, //
};
use crate::hw::reg::{
    Bar0,
    Io32,
    Loc,
    RegisterIo, //
};
use crate::{
    hw::csr::{
        self,
        intr,
        qm_rx,
        qm_tx,
        queue, //
    },
    kernel_ext::{
        bh,
        dma::DescRing,
        net::{
            self,
            page_pool::PagePool,
            xdp::RxQueue,
            Napi,
            NapiContext, //
        }, //
    },
    regs::Regs,
    stats::{
        RingStats,
        RxSnapshot,
        TxSnapshot,
        XdpTxSnapshot, //
    }, //
};

pub(crate) use super::sizes::{
    wrap,
    RingSizes, //
};

/// MSI-X vector of queue pair 0 ([`csr::queue_vector`]).
pub(crate) const FIRST_VECTOR: u32 = csr::queue_vector(0);

/// Interrupt moderation defaults in microseconds
/// (`FBNIC_RX_USECS_DEFAULT`, `FBNIC_TX_USECS_DEFAULT`).
pub(crate) const RX_USECS: u32 = 30;
pub(crate) const TX_USECS: u32 = 35;
/// Largest moderation timeout the re-arm register holds.
pub(crate) const MAX_USECS: u32 = intr::CQ_REARM::RCQ_TIMEOUT.max();

/// Receive descriptors a frame takes at least, a header and a payload
/// buffer's completion (`FBNIC_MIN_RXD_PER_FRAME`): what a frame counts
/// for in the completion threshold.
const MIN_RXD_PER_FRAME: u32 = 2;
/// The largest `rx-frames` the completion threshold holds.
pub(crate) const MAX_RX_FRAMES: u32 = queue::RIM_THRESHOLD::RCD.max() / MIN_RXD_PER_FRAME;

/// The completion threshold that raises an RX interrupt: `rx_frames`
/// frames' worth, or half the completion ring when none is set
/// (`fbnic_config_rim_threshold()`).
fn rim_threshold(rcq_size: u32, rx_frames: u32) -> u32 {
    match rx_frames * MIN_RXD_PER_FRAME {
        0 => rcq_size.saturating_sub(1) / 2,
        n => n,
    }
}

/// How long the queue managers get to finish with disabled rings
/// (`fbnic_wait_all_queues_idle()`: 500 ms).
const IDLE_TIMEOUT: Delta = Delta::from_millis(500);

/// Waits until the TX and RX queue managers report every queue idle (each
/// `*_IDLE` bitmap all ones), after the rings were disabled and before
/// their memory is given back (`fbnic_wait_all_queues_idle()`). Fails with
/// `ETIMEDOUT` if they do not within [`IDLE_TIMEOUT`].
pub(crate) fn wait_all_idle(regs: &Regs) -> Result {
    let all_ones = |at: Loc<Bar0>| regs.read32(at) == u32::MAX;
    let idle = || {
        qm_tx::TwqIdleIdx::all().all(|n| all_ones(qm_tx::TWQ_IDLE::at(n).loc()))
            && qm_tx::TqsIdleIdx::all().all(|n| all_ones(qm_tx::TQS_IDLE::at(n).loc()))
            && qm_tx::TdeIdleIdx::all().all(|n| all_ones(qm_tx::TDE_IDLE::at(n).loc()))
            && qm_tx::TcqIdleIdx::all().all(|n| all_ones(qm_tx::TCQ_IDLE::at(n).loc()))
            && qm_rx::HpqIdleIdx::all().all(|n| all_ones(qm_rx::HPQ_IDLE::at(n).loc()))
            && qm_rx::PpqIdleIdx::all().all(|n| all_ones(qm_rx::PPQ_IDLE::at(n).loc()))
            && qm_rx::RcqIdleIdx::all().all(|n| all_ones(qm_rx::RCQ_IDLE::at(n).loc()))
    };
    poll_idle(idle)
}

/// Polls `idle` every 20 us until it holds, or fails with `ETIMEDOUT`
/// after [`IDLE_TIMEOUT`].
fn poll_idle(idle: impl Fn() -> bool) -> Result {
    let start = Instant::<Monotonic>::now();
    while !idle() {
        if start.elapsed() > IDLE_TIMEOUT {
            return Err(ETIMEDOUT);
        }
        fsleep(Delta::from_micros(20));
    }
    Ok(())
}

/// Waits until the RX queue manager reports the buffer and completion
/// queues of queue `q` idle, after they were disabled and before their
/// memory goes (`fbnic_wait_queue_idle()` for RX). Fails with `ETIMEDOUT`
/// if it does not within [`IDLE_TIMEOUT`].
fn wait_rx_idle(regs: &Regs, q: queue::QueueIdx) -> Result {
    let word = q.get() / 32;
    let bit = 1u32 << (q.get() % 32);
    let set = |at: Option<Loc<Bar0>>| at.is_some_and(|at| regs.read32(at) & bit != 0);
    let idle = || {
        set(qm_rx::HpqIdleIdx::new(word).map(|n| qm_rx::HPQ_IDLE::at(n).loc()))
            && set(qm_rx::PpqIdleIdx::new(word).map(|n| qm_rx::PPQ_IDLE::at(n).loc()))
            && set(qm_rx::RcqIdleIdx::new(word).map(|n| qm_rx::RCQ_IDLE::at(n).loc()))
    };
    poll_idle(idle)
}

/// The RX memory of one queue pair for a restart of its RX queue
/// (queue management, `netdev_queue_mgmt_ops`): a ring with its page
/// pools, from [`Rings::alloc_rx`] or [`Rings::stop_rx`] until
/// [`Rings::start_rx`] puts it in use or it is dropped. Dropping it gives
/// back its pages, then its XDP queue info, then its pools.
#[derive(Default)]
pub(crate) struct RxMem(Option<RxRing>);

impl Drop for RxMem {
    fn drop(&mut self) {
        if let Some(rx) = self.0.as_mut() {
            let gone = rx.flush();
            drop(gone);
        }
    }
}

/// Ring memory for a queue pair's slot, allocated before it is swapped in
/// with [`Rings::replace`] and freed when dropped (after it was swapped
/// out).
#[derive(Default)]
pub(crate) struct RingMem {
    tx: Option<TxRing>,
    rx: Option<RxRing>,
    xdp: Option<XdpRing>,
}

impl RingMem {
    /// Allocates a TX ring if `tx` and an RX ring if `rx`, of the given
    /// sizes. With an RX ring come an XDP TX ring (TWQ1) of the TX ring's
    /// size and, for its completions, a TX ring even if `tx` is not set
    /// (its TWQ0 then stays idle), as the C driver gives every vector with
    /// an RX queue a TX queue triad.
    pub(crate) fn new(
        dev: &device::Device<device::Bound>,
        sizes: RingSizes,
        tx: bool,
        rx: bool,
    ) -> Result<Self> {
        Ok(Self {
            tx: if tx || rx {
                Some(TxRing::new(dev, sizes.twq)?)
            } else {
                None
            },
            rx: if rx {
                Some(RxRing::new(dev, sizes)?)
            } else {
                None
            },
            xdp: if rx {
                Some(XdpRing::new(dev, sizes.twq)?)
            } else {
                None
            },
        })
    }
}

impl RingMem {
    /// Allocates as [`RingMem::new`] does, onto the end of `mems`.
    ///
    /// Not inlined: the rings are built on this function's stack frame,
    /// not on that of the loop that allocates every queue's, where the
    /// compiler would keep a copy per unrolled step.
    #[inline(never)]
    pub(crate) fn push_new(
        mems: &mut KVec<RingMem>,
        dev: &device::Device<device::Bound>,
        sizes: RingSizes,
        tx: bool,
        rx: bool,
    ) -> Result {
        mems.push(Self::new(dev, sizes, tx, rx)?, GFP_KERNEL)?;
        Ok(())
    }
}

/// A ring of `n` zeroed 8-byte descriptors, `n` a power of two.
pub(super) fn ring(dev: &device::Device<device::Bound>, n: u32) -> Result<DescRing> {
    DescRing::zeroed(dev, n, GFP_KERNEL | __GFP_NOWARN)
}

/// How [`Rings::enable`] programs a queue pair.
#[derive(Clone, Copy)]
pub(crate) struct QueueSetup {
    /// Header split.
    pub(crate) split: HeaderSplit,
    /// The RX queues' drop mode.
    pub(crate) drop_mode: u32,
    /// `ethtool -C rx-frames`.
    pub(crate) rx_frames: u32,
    /// The MSI-X vector of the TX completions.
    pub(crate) tcq_vector: u32,
    /// The MSI-X vector of the RX completions.
    pub(crate) rcq_vector: u32,
}

/// A queue pair, and the NAPI instance of a queue vector if its index is
/// one of a queue vector (see `netdev`).
#[pin_data]
pub(crate) struct QueuePair {
    // The rings come first so that their page pools, bound to `napi`,
    // are dropped before it.
    #[pin]
    pub(crate) rings: Rings,
    #[pin]
    pub(crate) napi: Napi,
}

impl QueuePair {
    /// Allocates queue pair `index`, without rings.
    pub(crate) fn new(index: u32) -> Result<Pin<KBox<Self>>> {
        // The device has register blocks for `MAX_QUEUES` queues and
        // interrupt registers for 256 vectors; a slot outside either has
        // no registers to program.
        let queue = queue::QueueIdx::new(index).ok_or(EINVAL)?;
        let vector = intr::VectorIdx::new(csr::queue_vector(index)).ok_or(EINVAL)?;
        KBox::pin_init(
            pin_init!(Self {
                rings <- Rings::new(index, queue, vector),
                napi <- Napi::new(),
            }),
            GFP_KERNEL,
        )
    }
}

/// A queue pair's slot: its hardware queue number, its counters (which
/// outlive the rings), and the rings in use, if any.
///
/// The rings are reached under the `tx` and `rx` locks, from the datapath
/// (transmit, with bottom halves off, and the NAPI poll) and, with the
/// datapath stopped, from process context.
#[pin_data]
pub(crate) struct Rings {
    /// Queue pair number.
    pub(super) index: u32,
    /// The same, as the index of its register block.
    pub(super) queue: queue::QueueIdx,
    /// The MSI-X vector of the NAPI instance the queue pair holds, if it
    /// does (see `netdev`), as the index of its interrupt registers.
    pub(super) irq: intr::VectorIdx,
    /// Its counters, which outlive the rings.
    pub(crate) stats: RingStats,
    /// Whether the RX ring was short of pages after its last refill
    /// ([`Rings::rx_low`]).
    pub(super) rx_low: Atomic<bool>,
    #[pin]
    pub(super) tx: SpinLock<Option<TxRing>>,
    #[pin]
    pub(super) rx: SpinLock<Option<RxRing>>,
    /// The XDP TX ring, reached from the NAPI poll (under `rx` when
    /// queueing, under `tx` when retiring) and, with the datapath
    /// stopped, from process context. It is innermost: nothing is locked
    /// or called into the stack while it is held.
    #[pin]
    pub(super) xdp: SpinLock<Option<XdpRing>>,
}

impl Rings {
    /// An empty slot for queue pair `index`.
    fn new(index: u32, queue: queue::QueueIdx, irq: intr::VectorIdx) -> impl PinInit<Self> {
        pin_init!(Self {
            index,
            queue,
            irq,
            stats: RingStats::new(),
            rx_low: Atomic::new(false),
            tx <- new_spinlock!(None),
            rx <- new_spinlock!(None),
            xdp <- new_spinlock!(None),
        })
    }

    /// The index of the queue pair's register block.
    pub(crate) fn queue(&self) -> queue::QueueIdx {
        self.queue
    }

    /// Puts `mem` in use and returns the rings it replaces.
    ///
    /// The datapath must be stopped: NAPI disabled, TX queues disabled,
    /// rings disabled ([`Rings::disable`]) and flushed, or never started.
    pub(crate) fn replace(&self, mut mem: RingMem) -> RingMem {
        // The NAPI poll takes these locks in softirq context.
        let _bh = bh::disable();
        core::mem::swap(&mut *self.tx.lock(), &mut mem.tx);
        core::mem::swap(&mut *self.rx.lock(), &mut mem.rx);
        core::mem::swap(&mut *self.xdp.lock(), &mut mem.xdp);
        mem
    }

    /// The receive counters so far.
    pub(crate) fn rx_stats(&self) -> RxSnapshot {
        self.stats.rx.snapshot()
    }

    /// The transmit counters so far.
    pub(crate) fn tx_stats(&self) -> TxSnapshot {
        self.stats.tx.snapshot()
    }

    /// The counters of the XDP TX queue so far.
    pub(crate) fn xdp_stats(&self) -> XdpTxSnapshot {
        self.stats.xdp.snapshot()
    }

    /// Creates the RX page pools, programs and enables the rings in use
    /// and gives the device its RX buffers (`fbnic_alloc_qt_page_pools()`,
    /// `fbnic_enable()`, `fbnic_fill()`), with NAPI still disabled.
    /// `napi` is the RX queue's NAPI instance, the page pools' owner.
    /// Interrupts stay off until [`Rings::arm`].
    pub(crate) fn enable<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        setup: &QueueSetup,
        napi: &NapiContext<'_>,
    ) -> Result {
        let q = self.queue;
        let tcq_vector = setup.tcq_vector;
        let lo = |addr: u64| addr as u32;
        let hi = |addr: u64| (addr >> 32) as u32;

        // The ring locks are the NAPI poll's too, taken in softirq
        // context: here with bottom halves off.
        let tx_bh = bh::disable();
        if let Some(tx) = (*self.tx.lock()).as_mut() {
            // Every ring starts from position 0 with zeroed completions.
            tx.tcq.clear();
            tx.tail = 0;
            tx.rung = 0;
            tx.head = 0;
            tx.hw_head = 0;
            tx.tcq_head = 0;

            regs.write_raw(queue::TWQ0_CTL::at(q), queue::TWQ0_CTL::RESET.mask());
            regs.write_raw(queue::TWQ0_BAL::at(q), lo(tx.twq.dma_address()));
            regs.write_raw(queue::TWQ0_BAH::at(q), hi(tx.twq.dma_address()));
            regs.write_raw(queue::TWQ0_SIZE::at(q), queue::size_reg(tx.size));
            regs.write_raw(queue::TWQ0_CTL::at(q), queue::TWQ0_CTL::ENABLE.mask());
            if let Some(xdp) = (*self.xdp.lock()).as_mut() {
                xdp.enable(regs, q);
            }

            regs.write_raw(queue::TCQ_CTL::at(q), queue::TCQ_CTL::RESET.mask());
            regs.write_raw(queue::TCQ_BAL::at(q), lo(tx.tcq.dma_address()));
            regs.write_raw(queue::TCQ_BAH::at(q), hi(tx.tcq.dma_address()));
            regs.write_raw(queue::TCQ_SIZE::at(q), queue::size_reg(tx.size));
            regs.write_raw(queue::TIM_CTL::at(q), tcq_vector);
            regs.write_raw(queue::TIM_THRESHOLD::at(q), tx.size.saturating_sub(1) / 2);
            regs.write_raw(queue::TIM_MASK::at(q), 0);
            regs.write_raw(queue::TCQ_CTL::at(q), queue::TCQ_CTL::ENABLE.mask());
        }
        drop(tx_bh);

        // Page pools for a ring that has none (at open; a restarted queue's
        // come with its memory): creating them allocates and takes
        // mutexes, so not under the ring's lock.
        let sizes = {
            let _bh = bh::disable();
            // Bound here, so the lock goes before bottom halves come back
            // (a block's last expression outlives its variables).
            let sizes = (*self.rx.lock())
                .as_ref()
                .filter(|rx| rx.hpq_pool.is_none())
                .map(|rx| (rx.hpq_size, rx.ppq_size));
            sizes
        };
        let pools = match sizes {
            Some((hpq, ppq)) => Some(RxRing::new_pools(dev, self.index, hpq, ppq, Some(napi))?),
            None => None,
        };
        self.enable_rx(regs, dev, setup, pools, napi)?;
        regs.wrfl();
        Ok(())
    }

    /// Programs and enables the RX ring in use, if any, with `pools` or,
    /// if `None`, the page pools it has, bound to the NAPI instance of
    /// `napi` (disabled), and gives the device its buffers
    /// (`fbnic_enable_bdq()`, `fbnic_enable_rcq()`, `fbnic_fill()`).
    fn enable_rx<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        setup: &QueueSetup,
        pools: Option<(PagePool, PagePool)>,
        napi: &NapiContext<'_>,
    ) -> Result {
        let q = self.queue;
        let lo = |addr: u64| addr as u32;
        let hi = |addr: u64| (addr >> 32) as u32;
        // The ring's own pools and XDP queue info are taken out while the
        // new queue info is registered, which may sleep.
        let (pools, old_rxq) = match pools {
            Some(p) => (Some(p), None),
            None => {
                let _bh = bh::disable();
                let mut guard = self.rx.lock();
                let taken = (*guard).as_mut().map(|rx| {
                    let pools = rx.hpq_pool.take().zip(rx.ppq_pool.take());
                    (pools, rx.xdp_rxq.take())
                });
                drop(guard);
                taken.unwrap_or((None, None))
            }
        };
        drop(old_rxq);
        let Some((mut hpq_pool, mut ppq_pool)) = pools else {
            return Ok(());
        };
        // Bound to the queue's NAPI instance so that pages the stack frees
        // during the poll go straight back to their caches.
        hpq_pool.bind_napi(napi);
        ppq_pool.bind_napi(napi);
        // For XDP programs: frames are in pages of the header pool.
        let rxq = RxQueue::new(dev, self.index, napi, &hpq_pool)?;

        let _bh = bh::disable();
        let mut guard = self.rx.lock();
        if let Some(rx) = (*guard).as_mut() {
            rx.rcq.clear();

            regs.write_raw(queue::BDQ_CTL::at(q), queue::BDQ_CTL::RESET.mask());
            regs.write_raw(queue::BDQ_HPQ_BAL::at(q), lo(rx.hpq_descs.dma_address()));
            regs.write_raw(queue::BDQ_HPQ_BAH::at(q), hi(rx.hpq_descs.dma_address()));
            regs.write_raw(queue::BDQ_HPQ_SIZE::at(q), queue::size_reg(rx.hpq_size));
            regs.write_raw(queue::BDQ_PPQ_BAL::at(q), lo(rx.ppq_descs.dma_address()));
            regs.write_raw(queue::BDQ_PPQ_BAH::at(q), hi(rx.ppq_descs.dma_address()));
            regs.write_raw(queue::BDQ_PPQ_SIZE::at(q), queue::size_reg(rx.ppq_size));
            regs.write_raw(
                queue::BDQ_CTL::at(q),
                queue::BDQ_CTL::ENABLE.mask() | queue::BDQ_CTL::PPQ_ENABLE.mask(),
            );

            self.set_header_split(regs, setup.split, setup.drop_mode);
            regs.write_raw(queue::RCQ_CTL::at(q), queue::RCQ_CTL::RESET.mask());
            regs.write_raw(queue::RCQ_BAL::at(q), lo(rx.rcq.dma_address()));
            regs.write_raw(queue::RCQ_BAH::at(q), hi(rx.rcq.dma_address()));
            regs.write_raw(queue::RCQ_SIZE::at(q), queue::size_reg(rx.rcq_size));
            regs.write_raw(queue::RIM_CTL::at(q), setup.rcq_vector);
            regs.write_raw(
                queue::RIM_THRESHOLD::at(q),
                rim_threshold(rx.rcq_size, setup.rx_frames),
            );
            regs.write_raw(queue::RIM_MASK::at(q), 0);
            regs.write_raw(queue::RCQ_CTL::at(q), queue::RCQ_CTL::ENABLE.mask());

            // The page pools, and pages for every buffer to the device.
            rx.rcq_head = 0;
            rx.drop_pkt();
            rx.hpq.clear();
            rx.ppq.clear();
            rx.hpq_pool = Some(hpq_pool);
            rx.ppq_pool = Some(ppq_pool);
            rx.xdp_rxq = Some(rxq);
            // A queue that could not be filled whole (short of memory)
            // starts anyway, as in the C driver: the NAPI poll refills it,
            // and the service task polls a queue left without pages
            // (`rx_low`).
            self.fill(
                regs,
                Bdq::Header,
                &rx.hpq_descs,
                &mut rx.hpq,
                rx.hpq_pool.as_mut(),
                napi,
            );
            self.fill(
                regs,
                Bdq::Payload,
                &rx.ppq_descs,
                &mut rx.ppq,
                rx.ppq_pool.as_mut(),
                napi,
            );
            self.note_rx_low(rx);
        }
        Ok(())
    }

    /// Allocates RX memory for a restart of this queue pair's RX queue
    /// (`ndo_queue_mem_alloc`): a ring of `sizes` and its page pools, the
    /// payload pool taking the memory provider bound to the queue, if any.
    /// The live ring is not touched; the pools are bound to the NAPI
    /// instance by [`Rings::start_rx`].
    pub(crate) fn alloc_rx<P>(
        &self,
        dev: &net::Device<P>,
        parent: &device::Device<device::Bound>,
        sizes: RingSizes,
    ) -> Result<RxMem> {
        let mut rx = RxRing::new(parent, sizes)?;
        let (hpq, ppq) = RxRing::new_pools(dev, self.index, sizes.hpq, sizes.ppq, None)?;
        rx.hpq_pool = Some(hpq);
        rx.ppq_pool = Some(ppq);
        Ok(RxMem(Some(rx)))
    }

    /// Stops the RX queue alone (`ndo_queue_stop`): disables its buffer and
    /// completion queues, waits for the device to be done with them and
    /// returns the ring with its pages and pools, unbound from the NAPI
    /// instance of `napi`, which the caller disabled. The TX rings keep
    /// running. If the device does not let go in time the ring stays in
    /// place, stopped, and the caller restarts it with
    /// [`Rings::restart_rx`].
    pub(crate) fn stop_rx(&self, regs: &Regs, napi: &NapiContext<'_>) -> Result<RxMem> {
        let q = self.queue;
        regs.rmw_raw(queue::BDQ_CTL::at(q), queue::BDQ_CTL::ENABLE.mask(), 0);
        regs.write_raw(queue::RCQ_CTL::at(q), 0);
        regs.write_raw(queue::RIM_MASK::at(q), queue::RIM_MASK::MASK.mask());
        regs.wrfl();
        wait_rx_idle(regs, q)?;
        let mut rx = {
            let _bh = bh::disable();
            let rx = self.rx.lock().take();
            rx
        };
        if let Some(rx) = rx.as_mut() {
            // Their pages may come back while the instance polls again.
            for pool in [rx.hpq_pool.as_mut(), rx.ppq_pool.as_mut()]
                .into_iter()
                .flatten()
            {
                pool.unbind_napi(napi);
            }
        }
        self.rx_low.store(false, Relaxed);
        Ok(RxMem(rx))
    }

    /// Starts the RX queue with the ring in `mem` (`ndo_queue_start`),
    /// after [`Rings::stop_rx`], with the NAPI instance of `napi` still
    /// disabled. On failure the ring is back in `mem`.
    pub(crate) fn start_rx<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        setup: &QueueSetup,
        mem: &mut RxMem,
        napi: &NapiContext<'_>,
    ) -> Result {
        {
            let _bh = bh::disable();
            let mut guard = self.rx.lock();
            if guard.is_some() {
                return Err(EBUSY);
            }
            *guard = mem.0.take();
        }
        let started = self.enable_rx(regs, dev, setup, None, napi);
        if started.is_err() {
            let _bh = bh::disable();
            mem.0 = self.rx.lock().take();
        }
        regs.wrfl();
        started
    }

    /// Programs and enables the RX ring in place again after a
    /// [`Rings::stop_rx`] that failed.
    pub(crate) fn restart_rx<P>(
        &self,
        regs: &Regs,
        dev: &net::Device<P>,
        setup: &QueueSetup,
        napi: &NapiContext<'_>,
    ) -> Result {
        let started = self.enable_rx(regs, dev, setup, None, napi);
        regs.wrfl();
        started
    }

    /// Stops all rings of the slot, in use or not (`fbnic_disable()`).
    pub(crate) fn disable(&self, regs: &Regs) {
        let q = self.queue;

        regs.rmw_raw(queue::TWQ0_CTL::at(q), queue::TWQ0_CTL::ENABLE.mask(), 0);
        regs.rmw_raw(queue::TWQ1_CTL::at(q), queue::TWQ1_CTL::ENABLE.mask(), 0);
        regs.write_raw(queue::TCQ_CTL::at(q), 0);
        regs.write_raw(queue::TIM_MASK::at(q), queue::TIM_MASK::MASK.mask());
        regs.rmw_raw(queue::BDQ_CTL::at(q), queue::BDQ_CTL::ENABLE.mask(), 0);
        regs.write_raw(queue::RCQ_CTL::at(q), 0);
        regs.write_raw(queue::RIM_MASK::at(q), queue::RIM_MASK::MASK.mask());
        regs.wrfl();
    }

    /// Sets the RX completion threshold for `rx_frames` (`ethtool -C
    /// rx-frames`) on the ring, if it is in use (`fbnic_config_rx_frames()`).
    pub(crate) fn set_rx_frames(&self, regs: &Regs, rx_frames: u32) {
        // The NAPI poll holds the lock in softirq context. The guard is a
        // variable, dropped before `_bh`: as the temporary of the body's
        // last expression it would outlive it, and bottom halves would
        // come back with the lock held.
        let _bh = bh::disable();
        let guard = self.rx.lock();
        if let Some(rx) = (*guard).as_ref() {
            regs.write_raw(
                queue::RIM_THRESHOLD::at(self.queue),
                rim_threshold(rx.rcq_size, rx_frames),
            );
        }
    }

    /// Unmasks the queue pair's interrupt, with the given moderation
    /// timeouts in microseconds (`fbnic_config_txrx_usecs()`).
    pub(crate) fn arm(&self, regs: &Regs, rx_usecs: u32, tx_usecs: u32) {
        regs.write(
            intr::CQ_REARM::at(self.irq),
            intr::CQ_REARM::zeroed()
                .set(intr::CQ_REARM::INTR_UNMASK)
                .with(intr::CQ_REARM::RCQ_TIMEOUT, rx_usecs)
                .set(intr::CQ_REARM::RCQ_TIMEOUT_UPD_EN)
                .with(intr::CQ_REARM::TCQ_TIMEOUT, tx_usecs)
                .set(intr::CQ_REARM::TCQ_TIMEOUT_UPD_EN),
        );
    }

    /// Fires the queue pair's interrupt once, so that anything that
    /// arrived during bring-up is seen (`fbnic_napi_enable()`).
    pub(crate) fn kick(&self, regs: &Regs) {
        let (word, bit) = intr::vector_bit(self.irq);
        regs.write_raw(intr::SET::at(word), bit);
        regs.wrfl();
    }

    /// The device's positions on the TX ring and its completion ring
    /// (`TWQ0_PTRS`, `TCQ_PTRS`), for a report.
    pub(crate) fn tx_hw_ptrs(&self, regs: &Regs) -> (u32, u32) {
        (
            regs.read_raw(queue::TWQ0_PTRS::at(self.queue)),
            regs.read_raw(queue::TCQ_PTRS::at(self.queue)),
        )
    }

    /// Unmasks and fires the queue pair's interrupt, so that its NAPI poll
    /// runs and refills an RX ring left short of pages
    /// (`fbnic_napi_depletion_check()`).
    pub(crate) fn unmask_and_kick(&self, regs: &Regs) {
        let (word, bit) = intr::vector_bit(self.irq);
        regs.write_raw(intr::MASK_CLEAR::at(word), bit);
        self.kick(regs);
    }
}
