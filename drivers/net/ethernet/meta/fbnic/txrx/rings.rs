// SPDX-License-Identifier: GPL-2.0

//! A queue pair's slot and its ring memory: the queue pair with its NAPI
//! instance, the slot ([`Rings`]) that outlives the rings, the ring
//! memory ([`RingMem`]) allocated apart and swapped in, the ring sizes,
//! and programming, enabling, disabling and arming the queues of a slot.

#![forbid(unsafe_code)]

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device, new_spinlock,
    prelude::*,
    sync::SpinLock,
    time::{delay::fsleep, Delta, Instant, Monotonic},
};

use super::{
    rx::{Bdq, RxPacket, RxRing, POOL_RINGS},
    tx::TxRing,
    HeaderSplit,
};
use crate::{
    hw::csr::{intr, qm_rx, qm_tx, queue},
    kernel_ext::{
        dma::DescRing,
        net::{
            self,
            page_pool::{PagePool, Params},
            Napi, NapiContext,
        },
    },
    netdev::Port,
    regs::Regs,
    stats::{RingStats, RxSnapshot, TxSnapshot},
};

pub(crate) use super::sizes::{
    wrap,
    RingSizes, //
};

/// MSI-X vector of queue pair 0.
pub(crate) const FIRST_VECTOR: u32 = 2;

/// Interrupt moderation defaults in microseconds
/// (`FBNIC_RX_USECS_DEFAULT`, `FBNIC_TX_USECS_DEFAULT`).
pub(crate) const RX_USECS: u32 = 30;
pub(crate) const TX_USECS: u32 = 35;
/// Largest moderation timeout the re-arm register holds.
pub(crate) const MAX_USECS: u32 = intr::CQ_REARM_RCQ_TIMEOUT.max();

/// How long the queue managers get to finish with disabled rings
/// (`fbnic_wait_all_queues_idle()`: 500 ms).
const IDLE_TIMEOUT: Delta = Delta::from_millis(500);

/// Waits until the TX and RX queue managers report every queue idle (each
/// `*_IDLE` bitmap all ones), after the rings were disabled and before
/// their memory is given back (`fbnic_wait_all_queues_idle()`). Fails with
/// `ETIMEDOUT` if they do not within [`IDLE_TIMEOUT`].
pub(crate) fn wait_all_idle(regs: &Regs) -> Result {
    // Each bitmap: its n-th register, and how many there are.
    type IdleRegs = (fn(u32) -> u32, u32);
    let groups: [IdleRegs; 7] = [
        (qm_tx::twq_idle, qm_tx::TWQ_IDLE_CNT),
        (qm_tx::tqs_idle, qm_tx::TQS_IDLE_CNT),
        (qm_tx::tde_idle, qm_tx::TDE_IDLE_CNT),
        (qm_tx::tcq_idle, qm_tx::TCQ_IDLE_CNT),
        (qm_rx::hpq_idle, qm_rx::HPQ_IDLE_CNT),
        (qm_rx::ppq_idle, qm_rx::PPQ_IDLE_CNT),
        (qm_rx::rcq_idle, qm_rx::RCQ_IDLE_CNT),
    ];
    let idle = || {
        groups
            .iter()
            .all(|&(reg, count)| (0..count).all(|n| regs.rd32(reg(n)) == u32::MAX))
    };
    let start = Instant::<Monotonic>::now();
    while !idle() {
        if start.elapsed() > IDLE_TIMEOUT {
            return Err(ETIMEDOUT);
        }
        fsleep(Delta::from_micros(20));
    }
    Ok(())
}

/// `log2(entries)` as the `*_SIZE` registers take it (0 means 64K).
const fn log_size(entries: u32) -> u32 {
    (u32::BITS - (entries - 1).leading_zeros()) & 0xf
}

/// Ring memory for a queue pair's slot, allocated before it is swapped in
/// with [`Rings::replace`] and freed when dropped (after it was swapped
/// out).
#[derive(Default)]
pub(crate) struct RingMem {
    tx: Option<TxRing>,
    rx: Option<RxRing>,
}

impl RingMem {
    /// Allocates a TX ring if `tx` and an RX ring if `rx`, of the given
    /// sizes.
    pub(crate) fn new(
        dev: &device::Device<device::Bound>,
        sizes: RingSizes,
        tx: bool,
        rx: bool,
    ) -> Result<Self> {
        Ok(Self {
            tx: if tx {
                Some(TxRing::new(dev, sizes.twq)?)
            } else {
                None
            },
            rx: if rx {
                Some(RxRing::new(dev, sizes)?)
            } else {
                None
            },
        })
    }
}

/// A ring of `n` zeroed 8-byte descriptors, `n` a power of two.
pub(super) fn ring(dev: &device::Device<device::Bound>, n: u32) -> Result<DescRing> {
    DescRing::zeroed(dev, n, GFP_KERNEL | __GFP_NOWARN)
}

/// A queue pair and the NAPI instance that services it.
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
        KBox::pin_init(
            pin_init!(Self {
                rings <- Rings::new(index),
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
    /// Its counters, which outlive the rings.
    pub(crate) stats: RingStats,
    #[pin]
    pub(super) tx: SpinLock<Option<TxRing>>,
    #[pin]
    pub(super) rx: SpinLock<Option<RxRing>>,
}

impl Rings {
    /// An empty slot for queue pair `index`.
    fn new(index: u32) -> impl PinInit<Self> {
        pin_init!(Self {
            index,
            stats: RingStats::new(),
            tx <- new_spinlock!(None),
            rx <- new_spinlock!(None),
        })
    }

    /// Puts `mem` in use and returns the rings it replaces.
    ///
    /// The datapath must be stopped: NAPI disabled, TX queues disabled,
    /// rings disabled ([`Rings::disable`]) and flushed, or never started.
    pub(crate) fn replace(&self, mut mem: RingMem) -> RingMem {
        core::mem::swap(&mut *self.tx.lock(), &mut mem.tx);
        core::mem::swap(&mut *self.rx.lock(), &mut mem.rx);
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

    pub(super) fn qreg(&self, offset: u32) -> u32 {
        queue::reg(self.index, offset)
    }

    /// The queue pair's MSI-X vector.
    pub(crate) fn vector(&self) -> u32 {
        FIRST_VECTOR + self.index
    }

    /// Creates the RX page pools, programs and enables the rings in use
    /// and gives the device its RX buffers (`fbnic_alloc_qt_page_pools()`,
    /// `fbnic_enable()`, `fbnic_fill()`), with NAPI still disabled.
    /// Interrupts stay off until [`Rings::arm`].
    pub(crate) fn enable(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        split: HeaderSplit,
        napi: &NapiContext<'_>,
    ) -> Result {
        let wr = |offset: u32, value: u32| regs.wr32(self.qreg(offset), value);
        let lo = |addr: u64| addr as u32;
        let hi = |addr: u64| (addr >> 32) as u32;

        if let Some(tx) = (*self.tx.lock()).as_mut() {
            // Every ring starts from position 0 with zeroed completions.
            tx.tcq.clear();
            tx.tail = 0;
            tx.rung = 0;
            tx.head = 0;
            tx.tcq_head = 0;

            wr(queue::TWQ0_CTL, queue::TWQ_CTL_RESET);
            wr(queue::TWQ0_BAL, lo(tx.twq.dma_address()));
            wr(queue::TWQ0_BAH, hi(tx.twq.dma_address()));
            wr(queue::TWQ0_SIZE, log_size(tx.size));
            wr(queue::TWQ0_CTL, queue::TWQ_CTL_ENABLE);

            wr(queue::TCQ_CTL, queue::TCQ_CTL_RESET);
            wr(queue::TCQ_BAL, lo(tx.tcq.dma_address()));
            wr(queue::TCQ_BAH, hi(tx.tcq.dma_address()));
            wr(queue::TCQ_SIZE, log_size(tx.size));
            wr(queue::TIM_CTL, self.vector());
            wr(queue::TIM_THRESHOLD, tx.size.saturating_sub(1) / 2);
            wr(queue::TIM_MASK, 0);
            wr(queue::TCQ_CTL, queue::TCQ_CTL_ENABLE);
        }

        let mut guard = self.rx.lock();
        if let Some(rx) = (*guard).as_mut() {
            rx.rcq.clear();

            wr(queue::BDQ_CTL, queue::BDQ_CTL_RESET);
            wr(queue::BDQ_HPQ_BAL, lo(rx.hpq_descs.dma_address()));
            wr(queue::BDQ_HPQ_BAH, hi(rx.hpq_descs.dma_address()));
            wr(queue::BDQ_HPQ_SIZE, log_size(rx.hpq_size));
            wr(queue::BDQ_PPQ_BAL, lo(rx.ppq_descs.dma_address()));
            wr(queue::BDQ_PPQ_BAH, hi(rx.ppq_descs.dma_address()));
            wr(queue::BDQ_PPQ_SIZE, log_size(rx.ppq_size));
            wr(
                queue::BDQ_CTL,
                queue::BDQ_CTL_ENABLE | queue::BDQ_CTL_PPQ_ENABLE,
            );

            self.set_header_split(regs, split);
            wr(queue::RCQ_CTL, queue::RCQ_CTL_RESET);
            wr(queue::RCQ_BAL, lo(rx.rcq.dma_address()));
            wr(queue::RCQ_BAH, hi(rx.rcq.dma_address()));
            wr(queue::RCQ_SIZE, log_size(rx.rcq_size));
            wr(queue::RIM_CTL, self.vector());
            wr(queue::RIM_THRESHOLD, rx.rcq_size.saturating_sub(1) / 2);
            wr(queue::RIM_MASK, 0);
            wr(queue::RCQ_CTL, queue::RCQ_CTL_ENABLE);

            // Page pools, and pages for every buffer to the device.
            rx.rcq_head = 0;
            rx.pkt = RxPacket::None;
            rx.hpq.clear();
            rx.ppq.clear();
            // Bound to the queue's NAPI instance, so that pages the stack
            // frees during the poll go straight back to the pools' caches.
            rx.hpq_pool = Some(PagePool::new_for_napi(
                dev,
                &Params::new(POOL_RINGS * rx.hpq_size, self.index),
                napi,
            )?);
            rx.ppq_pool = Some(PagePool::new_for_napi(
                dev,
                &Params::new(POOL_RINGS * rx.ppq_size, self.index),
                napi,
            )?);
            if !self.fill(
                regs,
                Bdq::Header,
                &rx.hpq_descs,
                &mut rx.hpq,
                rx.hpq_pool.as_mut(),
                napi,
            ) || !self.fill(
                regs,
                Bdq::Payload,
                &rx.ppq_descs,
                &mut rx.ppq,
                rx.ppq_pool.as_mut(),
                napi,
            ) {
                rx.flush();
                return Err(ENOMEM);
            }
        }

        regs.wrfl();
        Ok(())
    }

    /// Stops all rings of the slot, in use or not (`fbnic_disable()`).
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
}
