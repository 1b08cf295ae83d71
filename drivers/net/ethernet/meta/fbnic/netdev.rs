// SPDX-License-Identifier: GPL-2.0

//! The network interface: open and stop (ownership of the NIC, link
//! watching, the service task), carrier from the link, the NAPI poll,
//! transmit, receive mode and MAC address, and per-queue statistics
//! (qstats). The ethtool operations are in [`ethtool`], XDP programs in
//! [`xdp`].
//!
//! The datapath is a set of queue pairs ([`crate::txrx`]), one for each of
//! the device's 128 queues, polled by NAPI instances on the queue vectors
//! the device got at probe (one per CPU). The configured queues
//! (`ethtool -L`) have rings and run, the others stay empty and disabled;
//! which NAPI instance services which queue follows the C driver
//! ([`channels::Layout`]): combined queues share the vectors in turn,
//! RX-only and TX-only queues alone get one each. A NAPI instance is
//! listed on the interface only while it services queues. Changing the
//! ring sizes or the queue counts while the interface is up allocates the
//! new rings first, then stops the datapath, swaps them in and starts it
//! again (see [`Port::reconfigure`]): a request that cannot be met changes
//! nothing.

#![forbid(unsafe_code)]

mod bmc;
mod channels;
mod eeprom;
mod ethtool;
mod hostile;
mod hwtstamp;
mod pm;
mod queues;
mod recovery;
mod selftest;
mod xdp;

pub(crate) use channels::Layout;

use kernel::{
    device::{
        self,
        Bound, //
    },
    irq::{
        Handler,
        IrqReturn,
        ThreadedHandler, //
    },
    new_delayed_work,
    new_mutex,
    new_spinlock,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Full,
            Relaxed,
            Release, //
        },
        rcu,
        Arc,
        Mutex,
        SetOnce,
        SpinLock, //
    },
    time::msecs_to_jiffies,
    workqueue::{
        DelayedWork,
        WorkItem, //
    }, //
};

use crate::{
    classifier,
    devlink::Health,
    hw::fw::LinkConfig,
    kernel_ext::{
        bpf::Prog,
        irq::IrqName,
        net::{
            self,
            netlink::ExtAck,
            qstats,
            skbuff::{
                DropReason,
                SkBuff, //
            },
            xdp::{
                ProgSlot,
                XmitFrames, //
            },
            NapiContext,
            QueueType,
            Rtnl, //
        },
        workqueue::{
            cancel_delayed_sync,
            system_dfl, //
        }, //
    },
    link::{
        Change,
        Link, //
    },
    nfc::Rules,
    rpc::{
        MacFilter,
        Rss, //
    },
    shared::Shared,
    stats::{
        RxSnapshot,
        TxSnapshot,
        XdpTxSnapshot, //
    },
    time,
    txrx::{
        self,
        HeaderSplit,
        QueuePair,
        QueueSetup,
        RingMem,
        RingSizes, //
    }, //
};

/// What `ethtool -G` and `ethtool -L` configure.
#[derive(Clone, Copy)]
pub(crate) struct QueueConfig {
    /// Ring sizes, the same for every queue pair.
    pub(crate) sizes: RingSizes,
    /// RX queues: queue pairs `0..rx` have RX rings.
    pub(crate) rx: u32,
    /// TX queues: queue pairs `0..tx` have TX rings.
    pub(crate) tx: u32,
    /// NAPI instances in use, those of the first `napis` queue vectors.
    pub(crate) napis: u32,
}

impl QueueConfig {
    /// The queue counts and their NAPI instances.
    pub(crate) fn layout(&self) -> Layout {
        Layout {
            rx: self.rx,
            tx: self.tx,
            napis: self.napis,
        }
    }

    /// The queue pairs in use: those with an RX ring, a TX ring or both.
    fn pairs(&self) -> usize {
        self.rx.max(self.tx) as usize
    }
}

/// Service task period (`fbnic_service_task()` runs every second).
const SERVICE_PERIOD_MS: u32 = 1000;

/// Work done for an open interface outside of its callbacks: the link
/// interrupt (vector 1) and the service task.
#[pin_data]
pub(crate) struct Service {
    shared: Arc<Shared>,
    /// Where a firmware crash is reported.
    health: Health,
    #[pin]
    link: Link,
    /// The registered interface, once it is.
    pub(crate) netdev: SetOnce<Arc<net::Handle<Port>>>,
    #[pin]
    work: DelayedWork<Service>,
    /// The datapath reset after a TX timeout ([`recovery`]).
    #[pin]
    reset: DelayedWork<Service, { recovery::RESET_WORK }>,
    /// Interrupts of each queue vector, counted for the MSI-X self-test.
    irqs: [Atomic<u32>; QUEUE_VECTORS],
    /// `irqs` at the last stall check, and the vectors it fired
    /// ([`hostile`]).
    irqs_seen: [Atomic<u32>; QUEUE_VECTORS],
    irq_rearms: Atomic<u64>,
    /// Each TX queue's oldest outstanding descriptor at the last hang
    /// check, and how many checks in a row found it there ([`hostile`]).
    tx_seen: [Atomic<u32>; QUEUE_VECTORS],
    tx_still: [Atomic<u32>; QUEUE_VECTORS],
}

/// Queue vectors at most.
// CAST: 128 fits.
const QUEUE_VECTORS: usize = crate::hw::csr::queue::MAX_QUEUES as usize;

kernel::impl_has_delayed_work! {
    impl HasDelayedWork<Self> for Service { self.work }
}

impl Service {
    /// The service of a port whose link the firmware configured as
    /// `config`.
    pub(crate) fn new(
        shared: Arc<Shared>,
        config: LinkConfig,
        health: Health,
    ) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                shared,
                health,
                link <- Link::new(config),
                netdev: SetOnce::new(),
                work <- new_delayed_work!("fbnic::Service::work"),
                reset <- new_delayed_work!("fbnic::Service::reset"),
                irqs: [const { Atomic::new(0) }; QUEUE_VECTORS],
                irqs_seen: [const { Atomic::new(0) }; QUEUE_VECTORS],
                irq_rearms: Atomic::new(0),
                tx_seen: [const { Atomic::new(0) }; QUEUE_VECTORS],
                tx_still: [const { Atomic::new(0) }; QUEUE_VECTORS],
            }),
            GFP_KERNEL,
        )
    }

    /// Connects the service to the registered interface.
    pub(crate) fn set_netdev(&self, handle: Arc<net::Handle<Port>>) {
        self.netdev.populate(handle);
    }

    /// Reports a link change to the stack, from the interrupt or the
    /// service task.
    fn report(&self, change: Change) {
        if let Some(handle) = self.netdev.as_ref() {
            handle.with(|dev| self.set_carrier(dev, change));
        }
    }

    /// Sets the carrier of `dev` after a link change.
    fn set_carrier(&self, dev: &net::Device<Port>, change: Change) {
        match change {
            Change::Up => {
                // The pause the link came up with decides the drop mode.
                dev.data().apply_drop_mode();
                dev.carrier_on();
                dev_info!(
                    self.shared.dev,
                    "link up, {} Mb/s, full duplex\n",
                    self.link.config().speed_mbps()
                );
            }
            Change::Down => {
                dev.carrier_off();
                dev_info!(self.shared.dev, "link down\n");
            }
            Change::None => (),
        }
    }

    fn schedule(this: Arc<Self>) {
        // Fails only while the item is being cancelled, which is fine.
        let _ = system_dfl().enqueue_delayed::<_, 0>(this, msecs_to_jiffies(SERVICE_PERIOD_MS));
    }
}

/// The link interrupt (vector 1).
impl ThreadedHandler for Service {
    fn handle_threaded(&self) -> IrqReturn {
        let change = self.link.update(&self.shared.regs);
        self.report(change);
        IrqReturn::Handled
    }
}

/// The service task, every second while the interface is open: finishes
/// link training, checks the firmware's heartbeat, folds in the device's
/// 32-bit counters before they can wrap, handles a pause storm, and has
/// RX rings left without pages refilled.
impl WorkItem for Service {
    type Pointer = Arc<Service>;

    fn run(this: Arc<Service>) {
        if !this.link.is_open() || this.device_gone() {
            return;
        }
        let shared = &this.shared;
        let change = this.link.update(&shared.regs);
        this.report(change);
        shared
            .mbx
            .check_heartbeat(&shared.regs, &shared.dev, || this.health.firmware_crashed());
        shared.hw_stats.refresh(&shared.regs);
        if let Some(handle) = this.netdev.as_ref() {
            handle.with(|dev| dev.data().bmc_sync());
        }
        if crate::link::storm_check(&shared.regs) {
            dev_warn!(
                shared.dev,
                "pause storm: the RX buffer stopped pausing the link\n"
            );
        }
        if this.link.is_up() {
            if let Some(handle) = this.netdev.as_ref() {
                handle.with(|dev| dev.data().refill_depleted());
            }
            this.rearm_stalled();
            this.tx_hang_check();
        }
        Service::schedule(this);
    }
}

/// A queue vector's interrupt: schedules its NAPI instance, that of queue
/// pair `queue`.
pub(crate) struct NapiIrq {
    pub(crate) service: Arc<Service>,
    pub(crate) queue: usize,
}

impl Handler for NapiIrq {
    fn handle(&self) -> IrqReturn {
        if let Some(count) = self.service.irqs.get(self.queue) {
            count.add(1, Relaxed);
        }
        if let Some(handle) = self.service.netdev.as_ref() {
            handle.with(|dev| {
                if let Some(q) = dev.data().queues.get(self.queue) {
                    q.napi.schedule();
                }
            });
        }
        IrqReturn::Handled
    }
}

/// The private data of the network interface.
#[pin_data]
pub(crate) struct Port {
    shared: Arc<Shared>,
    service: Arc<Service>,
    /// The device's PTP clock, unregistered when the interface goes.
    pub(crate) clock: Arc<time::Registration>,
    /// The queue pairs, queue `n` at index `n`, one per queue of the
    /// device; the first [`QueueConfig::pairs`] are in use. The first
    /// `vectors` hold the NAPI instances of the queue vectors.
    pub(crate) queues: KVec<Pin<KBox<QueuePair>>>,
    /// The queue vectors' interrupts' names.
    irq_names: KVec<Arc<IrqName>>,
    /// Queue vectors the device got, each with a NAPI instance.
    vectors: u32,
    #[pin]
    rss: Mutex<Rss>,
    /// The flow rules (`ethtool -N`). Taken after `rss` where both are.
    #[pin]
    rules: Mutex<Rules>,
    /// Header split (`ethtool -G tcp-data-split/hds-thresh`), applied at
    /// open.
    #[pin]
    split: Mutex<HeaderSplit>,
    /// Hardware time stamping (`SIOCSHWTSTAMP`). Taken after `rss` and
    /// before `rules` where they are.
    #[pin]
    tstamp: Mutex<hwtstamp::Tstamp>,
    /// Whether sent packets get hardware time stamps (`HWTSTAMP_TX_ON`),
    /// read on transmit for the packets that ask.
    tx_tstamp: Atomic<bool>,
    /// The MAC address filter (receive mode).
    #[pin]
    mac_filter: SpinLock<MacFilter>,
    /// Ring sizes and queue counts, changed under RTNL only. Taken before
    /// `rss` where both are.
    #[pin]
    config: Mutex<QueueConfig>,
    /// Interrupt moderation timeouts in microseconds (`ethtool -C`).
    rx_usecs: Atomic<u32>,
    tx_usecs: Atomic<u32>,
    /// Received frames that raise an interrupt, 0 for half a completion
    /// ring (`ethtool -C rx-frames`).
    rx_frames: Atomic<u32>,
    /// Packets dropped on transmit before reaching a queue pair.
    tx_dropped: Atomic<u64>,
    /// RX queues in use, as in `config`, for atomic context.
    rx_queues: Atomic<u32>,
    /// The queue counts and NAPI instances in use ([`Layout::pack`]), as
    /// in `config`, for the NAPI poll and atomic context.
    layout: Atomic<u32>,
    /// TX timeouts so far.
    tx_timeouts: Atomic<u64>,
    /// RX queues restarted with new memory so far ([`queues`]).
    rx_restarts: Atomic<u64>,
    /// The XDP program (`ndo_bpf`), run by the receive path.
    xdp: ProgSlot,
    /// Whether the datapath runs, for `ndo_xdp_xmit`: set once it started,
    /// cleared before it stops, after which the stop waits for the callers
    /// that saw it set (RCU).
    xdp_xmit: Atomic<bool>,
    /// Cancels a queued datapath reset when the interface goes.
    _reset: recovery::ResetGuard,
}

impl Port {
    pub(crate) fn new(
        shared: Arc<Shared>,
        service: Arc<Service>,
        clock: Arc<time::Registration>,
        queues: KVec<Pin<KBox<QueuePair>>>,
        irq_names: KVec<Arc<IrqName>>,
        config: QueueConfig,
        vectors: u32,
    ) -> impl PinInit<Self, Error> {
        let rss = Rss::new(config.rx);
        let reset = recovery::ResetGuard(service.clone());
        let rx_queues = config.rx;
        let layout = config.layout().pack();
        try_pin_init!(Self {
            shared,
            service,
            clock,
            queues,
            irq_names,
            vectors,
            rss <- new_mutex!(rss),
            rules <- new_mutex!(Rules::new()?),
            split <- new_mutex!(HeaderSplit::default()),
            tstamp <- new_mutex!(hwtstamp::Tstamp::OFF),
            tx_tstamp: Atomic::new(false),
            mac_filter <- new_spinlock!(MacFilter::new()),
            config <- new_mutex!(config),
            rx_usecs: Atomic::new(txrx::RX_USECS),
            tx_usecs: Atomic::new(txrx::TX_USECS),
            rx_frames: Atomic::new(0),
            tx_dropped: Atomic::new(0),
            rx_queues: Atomic::new(rx_queues),
            layout: Atomic::new(layout),
            tx_timeouts: Atomic::new(0),
            rx_restarts: Atomic::new(0),
            xdp: ProgSlot::new(),
            xdp_xmit: Atomic::new(false),
            _reset: reset,
        }? Error)
    }
}

impl Port {
    /// The header split the queues are programmed with at open.
    fn header_split(&self) -> HeaderSplit {
        *self.split.lock()
    }

    /// The counters of the port: the sum over every queue pair's slot.
    fn totals(&self) -> (RxSnapshot, TxSnapshot) {
        let mut rx = RxSnapshot::default();
        let mut tx = TxSnapshot::default();
        for q in &self.queues {
            rx += q.rings.rx_stats();
            tx += with_xdp(q.rings.tx_stats(), &q.rings.xdp_stats());
        }
        (rx, tx)
    }

    /// The queue counts and NAPI instances in use, from atomic context.
    fn layout(&self) -> Layout {
        Layout::unpack(self.layout.load(Relaxed))
    }

    /// The NAPI instances of the queue vectors.
    fn napis(&self) -> &[Pin<KBox<QueuePair>>] {
        self.queues.get(..self.vectors as usize).unwrap_or(&[])
    }

    /// Re-enables the interrupt of the queue vector whose NAPI instance
    /// queue pair `q` holds, with the current moderation.
    fn arm(&self, q: &QueuePair) {
        q.rings.arm(
            &self.shared.regs,
            self.rx_usecs.load(Relaxed),
            self.tx_usecs.load(Relaxed),
        );
    }

    /// The configured ring sizes and queue counts.
    pub(crate) fn config(&self) -> QueueConfig {
        *self.config.lock()
    }

    /// Allocates the ring memory of `config`, one [`RingMem`] per queue
    /// pair (empty for those not in use).
    pub(crate) fn alloc_rings(
        &self,
        parent: &device::Device<Bound>,
        config: &QueueConfig,
    ) -> Result<KVec<RingMem>> {
        let mut mems = KVec::with_capacity(self.queues.len(), GFP_KERNEL)?;
        // CAST: at most 128 queues.
        for i in 0..self.queues.len() as u32 {
            RingMem::push_new(
                &mut mems,
                parent,
                config.sizes,
                i < config.tx,
                i < config.rx,
            )?;
        }
        Ok(mems)
    }

    /// Puts `mems` in use, one per queue pair, and leaves the memory they
    /// replace in their place. The datapath must be stopped.
    pub(crate) fn swap_rings(&self, mems: &mut [RingMem]) {
        for (q, mem) in self.queues.iter().zip(mems.iter_mut()) {
            *mem = q.rings.replace(core::mem::take(mem));
        }
    }

    /// Programs and starts the queue pairs in use (with their page pools),
    /// the classifier and the NAPI instances (`fbnic_up()` without the
    /// link). Stops again what it started on failure.
    fn start_datapath(&self, dev: &net::Device<Self>, config: &QueueConfig) -> Result {
        let regs = &self.shared.regs;
        let active = self.queues.get(..config.pairs()).ok_or(EINVAL)?;
        let napis = self.napis().get(..config.napis as usize).ok_or(EINVAL)?;
        let layout = config.layout();
        for (i, q) in active.iter().enumerate() {
            // CAST: at most 128 queues.
            let index = i as u32;
            let (tcq, rcq) = (layout.tcq_napi(index), layout.rx_napi(index));
            // The NAPI instance of the RX queue, if any, else that of the
            // TX completions.
            let owner = if index < config.rx { rcq } else { tcq };
            let setup = self.queue_setup(config, index);
            // NAPI is still disabled: the rings' page pools are bound to it
            // and filled now.
            let enabled = napis
                .get(owner as usize)
                .and_then(|o| {
                    o.napi
                        .with_disabled(|napi| q.rings.enable(regs, dev, &setup, napi))
                })
                .unwrap_or(Err(EBUSY));
            if let Err(e) = enabled {
                for q in &active[..=i] {
                    q.rings.disable(regs);
                    q.rings.flush_rx();
                }
                return Err(e);
            }
        }
        let rss = self.rss.lock();
        let ts_classes = self.tstamp.lock().rx_classes();
        classifier::enable(regs, &rss, &self.rules.lock(), ts_classes);
        drop(rss);
        for q in napis {
            q.napi.enable();
            self.arm(q);
            q.rings.kick(regs);
        }
        self.xdp_xmit.store(true, Release);
        Ok(())
    }

    /// How queue pair `index` of `config` is programmed.
    fn queue_setup(&self, config: &QueueConfig, index: u32) -> QueueSetup {
        let layout = config.layout();
        QueueSetup {
            split: self.header_split(),
            drop_mode: self.drop_mode(config.rx),
            rx_frames: self.rx_frames.load(Relaxed),
            tcq_vector: txrx::FIRST_VECTOR + layout.tcq_napi(index),
            rcq_vector: txrx::FIRST_VECTOR + layout.rx_napi(index),
        }
    }

    /// Stops the datapath of the queue pairs in use (`fbnic_down()`
    /// without the link): their NAPI instances first, so that no TX
    /// completion wakes a TX queue any more, then the TX queues (waiting
    /// for transmissions in progress), the classifier and the rings; drops
    /// what was still queued for transmission. Afterwards nothing but the
    /// caller touches the rings, and the RX pages are back in their pools,
    /// which are gone.
    fn stop_datapath(&self, dev: &net::Device<Self>, config: &QueueConfig) {
        let regs = &self.shared.regs;
        let active = self.queues.get(..config.pairs()).unwrap_or(&[]);
        // No more redirected frames: those being queued now are on the
        // rings before they are disabled and flushed.
        if self.xdp_xmit.xchg(false, Full) {
            net::synchronize_net();
        }
        // All of them: disabling one that is not enabled does nothing.
        for q in self.napis() {
            q.napi.disable();
        }
        dev.tx_disable();
        classifier::disable(regs, self.has_bmc());
        for (i, q) in active.iter().enumerate() {
            q.rings.disable(regs);
            // CAST: at most 128 queues.
            if let Some(txq) = dev.tx_queue(i as u32) {
                q.rings.flush(txq);
            }
            q.rings.flush_rx();
        }
    }

    /// Tells the stack which NAPI instance services each queue of
    /// `config` (and that the others have none).
    fn set_queue_napis(&self, dev: &net::Device<Self>, rtnl: &Rtnl<'_>, config: &QueueConfig) {
        let layout = config.layout();
        let napi = |n: u32| self.napis().get(n as usize).map(|q| &q.napi);
        for i in 0..self.queues.len() {
            // CAST: at most 128 queues.
            let i = i as u32;
            let tx = (i < config.tx).then(|| napi(layout.tx_napi(i))).flatten();
            let rx = (i < config.rx).then(|| napi(layout.rx_napi(i))).flatten();
            dev.set_queue_napi(rtnl, i, QueueType::Tx, tx);
            dev.set_queue_napi(rtnl, i, QueueType::Rx, rx);
        }
    }

    /// Changes the configuration from `*current` to `new`
    /// (`fbnic_clone_*()` in the C driver's `fbnic_set_ringparam()` and
    /// `fbnic_set_channels()`): allocates the new rings, then, if the
    /// interface is up, stops the datapath, swaps them in and starts it
    /// again. Fails with nothing changed if the new rings or the stack's
    /// new queues cannot be allocated, or the device does not let go of the
    /// old rings in time.
    fn reconfigure(
        &self,
        dev: &net::Device<Self>,
        rtnl: &Rtnl<'_>,
        current: &mut QueueConfig,
        new: QueueConfig,
    ) -> Result {
        let mut mems = self.alloc_rings(dev.bound_parent(), &new)?;

        let running = dev.is_running();
        if running {
            self.stop_datapath(dev, current);
        }
        // The device must be done with the old rings before they go, and
        // with the queues before they are programmed anew.
        let ready = if running {
            txrx::wait_all_idle(&self.shared.regs).inspect_err(|_| {
                dev_err!(
                    self.shared.dev,
                    "queues did not go idle; keeping the old rings\n"
                )
            })
        } else {
            Ok(())
        };
        if let Err(e) = ready.and_then(|()| dev.set_real_num_queues(rtnl, new.tx, new.rx)) {
            if running {
                // The old rings are still in place.
                if self.start_datapath(dev, current).is_ok() {
                    dev.wake_queues();
                }
            }
            return Err(e);
        }

        // Nothing fails from here on.
        self.swap_rings(&mut mems);
        if new.rx != current.rx && !dev.is_rxfh_configured() {
            self.rss.lock().spread(new.rx);
        }
        *current = new;
        self.rx_queues.store(new.rx, Relaxed);
        self.layout.store(new.layout().pack(), Relaxed);
        self.set_queue_napis(dev, rtnl, &new);
        if running {
            if let Err(e) = self.start_datapath(dev, &new) {
                dev_err!(self.shared.dev, "restarting the queues failed: {:?}\n", e);
                return Err(e);
            }
            // Wake rather than start: packets may wait in the qdisc.
            dev.wake_queues();
        }
        // The old rings go now, after the device stopped using them.
        drop(mems);
        Ok(())
    }
}

impl net::Poll for Port {
    fn poll(dev: &net::Device<Self>, napi: &NapiContext<'_>, budget: i32) -> i32 {
        let port = dev.data();
        let regs = &port.shared.regs;
        let Some((index, owner)) = port
            .napis()
            .iter()
            .enumerate()
            .find(|(_, q)| core::ptr::eq(&q.napi, &**napi))
        else {
            return 0;
        };
        // CAST: at most 128 vectors.
        let index = index as u32;
        let layout = port.layout();
        let pairs = port.queues.iter().take(layout.pairs() as usize);
        // The TX completions of every queue pair this instance services
        // first, then its RX queues, each with the whole budget
        // (`fbnic_poll()`).
        for (i, q) in pairs.clone().enumerate() {
            // CAST: at most 128 queues.
            let i = i as u32;
            if layout.tcq_napi(i) == index {
                if let Some(txq) = dev.tx_queue(i) {
                    q.rings.clean_tx(regs, dev, txq, port.clock.data(), budget);
                }
            }
        }
        let rcu = rcu::read_lock();
        let prog = port.xdp.get(&rcu);
        let mut done = 0i32;
        for (i, q) in pairs.enumerate().take(layout.rx as usize) {
            // CAST: at most 128 queues.
            if layout.rx_napi(i as u32) == index {
                let d = q
                    .rings
                    .clean_rx(regs, dev, napi, port.clock.data(), budget, prog.as_ref());
                done = done.saturating_add(d);
            }
        }
        drop(rcu);
        if done >= budget {
            return budget;
        }
        if napi.complete_done(done) {
            port.arm(owner);
        }
        done
    }
}

#[vtable]
impl net::Operations for Port {
    fn open(dev: &net::Device<Self>) -> Result {
        let port = dev.data();
        let shared = &port.shared;
        let regs = &shared.regs;

        shared.mbx.set_ownership(regs, true).inspect_err(|e| {
            dev_warn!(shared.dev, "error {:?} sending the ownership request\n", e)
        })?;
        if let Err(e) = shared.mbx.wait_ownership(regs) {
            dev_err!(
                shared.dev,
                "firmware did not answer the ownership request\n"
            );
            let _ = shared.mbx.set_ownership(regs, false);
            return Err(e);
        }

        if let Err(e) = time::Clock::start(&port.clock) {
            let _ = shared.mbx.set_ownership(regs, false);
            return Err(e);
        }

        // Queue vectors are named after the interface, as C drivers do.
        let ifname = dev.name().to_str().unwrap_or("fbnic");
        for (i, name) in port.irq_names.iter().enumerate() {
            name.set(format_args!("{ifname}-TxRx-{i}"));
        }
        port.bmc_open();
        if let Err(e) = port.start_datapath(dev, &port.config()) {
            time::Clock::stop(&port.clock);
            let _ = shared.mbx.set_ownership(regs, false);
            return Err(e);
        }
        // Our address and broadcast now; the address lists follow when the
        // core calls `set_rx_mode` right after open.
        port.mac_filter.lock().reset(regs, &dev.mac_address());

        let change = port.service.link.start(regs);
        port.service.set_carrier(dev, change);
        Service::schedule(port.service.clone());
        dev.start_queues();
        Ok(())
    }

    fn stop(dev: &net::Device<Self>) -> Result {
        let port = dev.data();
        let shared = &port.shared;

        port.stop_datapath(dev, &port.config());
        port.mac_filter.lock().clear(&shared.regs);
        let change = port.service.link.stop(&shared.regs, port.has_bmc());
        cancel_delayed_sync::<_, 0>(&port.service);
        port.service.set_carrier(dev, change);
        dev.carrier_off();
        time::Clock::stop(&port.clock);
        // The interface is down either way; a firmware that does not hear
        // it keeps its own timeout.
        if shared.mbx.set_ownership(&shared.regs, false).is_err() {
            dev_warn!(shared.dev, "could not release ownership of the NIC\n");
        }
        Ok(())
    }

    fn start_xmit(dev: &net::Device<Self>, skb: SkBuff, more: bool) -> net::TxResult {
        let port = dev.data();
        let index = skb.queue_mapping();
        let (Some(q), Some(txq)) = (
            port.queues.get(usize::from(index)),
            dev.tx_queue(u32::from(index)),
        ) else {
            port.tx_dropped.add(1, Relaxed);
            skb.drop_with_reason(DropReason::DevReady);
            return net::TxResult::Ok;
        };
        // The flag is read only for the packets that ask.
        let tstamp = skb.tx_hwtstamp_requested() && port.tx_tstamp.load(Relaxed);
        q.rings.xmit(&port.shared.regs, dev, txq, skb, more, tstamp)
    }

    fn get_stats64(dev: &net::Device<Self>, stats: &mut net::Stats64) {
        let port = dev.data();
        let (rx, tx) = port.totals();
        let hw = port.shared.hw_stats.drops(&port.shared.regs);
        stats
            .rx_packets(rx.packets)
            .rx_bytes(rx.bytes)
            .tx_packets(tx.packets)
            .tx_bytes(tx.bytes)
            .rx_dropped(rx.dropped)
            .tx_dropped(port.tx_dropped.load(Relaxed) + tx.dropped + hw.tx_dropped)
            .rx_errors(hw.rx_errors + rx.length_errors)
            .rx_length_errors(rx.length_errors)
            .rx_over_errors(hw.rx_over)
            .rx_missed_errors(hw.rx_missed);
    }

    fn set_rx_mode(dev: &net::Device<Self>, uc: &net::AddrList, mc: &net::AddrList) -> Result {
        if !dev.is_running() {
            return Ok(());
        }
        let port = dev.data();
        let mode = port.mac_filter.lock().sync(
            &port.shared.regs,
            &dev.mac_address(),
            uc,
            mc,
            dev.is_promisc(),
            dev.is_allmulti(),
        );
        if (mode.promisc && !dev.is_promisc()) || (mode.allmulti && !dev.is_allmulti()) {
            dev_dbg!(
                port.shared.dev,
                "address filter full ({} unicast, {} multicast): promiscuous {}, all-multicast {}\n",
                uc.len(),
                mc.len(),
                mode.promisc,
                mode.allmulti
            );
        }
        Ok(())
    }

    fn set_mac_address(dev: &net::Device<Self>, addr: &[u8; net::ETH_ALEN]) -> Result {
        if !net::is_valid_ether_addr(addr) {
            return Err(EADDRNOTAVAIL);
        }
        if dev.is_running() {
            let port = dev.data();
            port.mac_filter.lock().set_host(&port.shared.regs, addr);
        }
        Ok(())
    }

    fn tx_timeout(dev: &net::Device<Self>, queue: u32) {
        dev.data().tx_timeout(queue);
    }

    fn hwtstamp_get(dev: &net::Device<Self>, config: &mut net::HwtstampConfig) -> Result {
        dev.data().hwtstamp_get(config);
        Ok(())
    }

    fn hwtstamp_set(dev: &net::Device<Self>, config: &mut net::HwtstampConfig) -> Result {
        dev.data().hwtstamp_set(dev, config)
    }

    /// Leaves to software what the META descriptor cannot express for
    /// `skb` (see [`txrx::features_check`]).
    fn features_check(
        _dev: &net::Device<Self>,
        skb: &SkBuff,
        features: net::Features,
    ) -> net::Features {
        txrx::features_check(skb, features)
    }

    fn xdp_check_prog(
        dev: &net::Device<Self>,
        prog: Option<&Prog>,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        xdp::check_prog(dev, prog, extack)
    }

    fn xdp_setup_prog(dev: &net::Device<Self>, prog: Option<Prog>) {
        xdp::setup_prog(dev, prog)
    }

    fn change_mtu(dev: &net::Device<Self>, mtu: u32) -> Result {
        xdp::check_mtu(dev, mtu)
    }

    fn xdp_xmit(dev: &net::Device<Self>, frames: &mut XmitFrames<'_>, flush: bool) -> Result {
        xdp::xmit(dev, frames, flush)
    }
}

/// The transmit counters of a queue pair with those of its XDP TX queue
/// added, as the C driver reports them for the TX queue of the same index
/// (qstats) and in the interface's totals.
fn with_xdp(mut tx: TxSnapshot, xdp: &XdpTxSnapshot) -> TxSnapshot {
    tx.packets += xdp.packets;
    tx.bytes += xdp.bytes;
    tx.dropped += xdp.dropped;
    tx
}

/// Fills per-queue (or base) receive statistics from `c`.
fn report_rx(rx: &mut qstats::Rx, c: &RxSnapshot) {
    rx.packets(c.packets)
        .bytes(c.bytes)
        .alloc_fail(c.alloc_fail)
        .csum_unnecessary(c.csum_unnecessary)
        .csum_complete(c.csum_complete)
        .csum_none(c.csum_none);
}

/// Fills per-queue (or base) transmit statistics from `c`.
fn report_tx(tx: &mut qstats::Tx, c: &TxSnapshot) {
    tx.packets(c.packets)
        .bytes(c.bytes)
        .needs_csum(c.csum_partial + c.gso_packets)
        .csum_none(c.csum_none)
        .hw_gso_packets(c.gso_packets)
        .hw_gso_wire_packets(c.gso_wire_packets)
        .hw_gso_bytes(c.gso_bytes)
        .stop(c.stop)
        .wake(c.wake);
}

#[vtable]
impl qstats::Operations for Port {
    fn get_queue_stats_rx(dev: &net::Device<Self>, index: u32, rx: &mut qstats::Rx) {
        let port = dev.data();
        if let Some(q) = port.queues.get(index as usize) {
            report_rx(rx, &q.rings.rx_stats());
            let hw = port
                .shared
                .hw_stats
                .queue_drops(&port.shared.regs, q.rings.queue());
            rx.hw_drops(hw.all).hw_drop_overruns(hw.overruns);
        }
    }

    fn get_queue_stats_tx(dev: &net::Device<Self>, index: u32, tx: &mut qstats::Tx) {
        if let Some(q) = dev.data().queues.get(index as usize) {
            report_tx(tx, &with_xdp(q.rings.tx_stats(), &q.rings.xdp_stats()));
        }
    }

    fn get_base_stats(dev: &net::Device<Self>, rx: &mut qstats::Rx, tx: &mut qstats::Tx) {
        let port = dev.data();
        let (mut rx_sum, mut tx_sum) = (RxSnapshot::default(), TxSnapshot::default());
        // Queue pairs beyond the configured counts keep what they counted
        // while they were in use; the stack no longer asks for them.
        let config = port.config();
        for (i, q) in port.queues.iter().enumerate() {
            // CAST: at most 128 queues.
            let i = i as u32;
            if i >= config.rx {
                rx_sum += q.rings.rx_stats();
            }
            if i >= config.tx {
                tx_sum += with_xdp(q.rings.tx_stats(), &q.rings.xdp_stats());
            }
        }
        report_rx(rx, &rx_sum);
        report_tx(tx, &tx_sum);
    }
}
