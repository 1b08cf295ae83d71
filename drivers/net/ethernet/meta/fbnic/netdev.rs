// SPDX-License-Identifier: GPL-2.0

//! The network interface: open and stop (ownership of the NIC, link
//! watching, the service task), carrier from the link, and the ethtool
//! view of the driver, firmware and link.
//!
//! The datapath is a set of queue pairs ([`crate::txrx`]), each polled by
//! its own NAPI instance on its own interrupt vector. There is a queue pair
//! and a NAPI instance for every queue vector the device got at probe; the
//! configured number of them (`ethtool -L`) have rings and run, the others
//! stay empty and disabled. Changing the ring sizes or the queue counts
//! while the interface is up allocates the new rings first, then stops the
//! datapath, swaps them in and starts it again (see [`Port::reconfigure`]):
//! a request that cannot be met changes nothing.

#![forbid(unsafe_code)]

use kernel::{
    device::{self, Bound},
    irq::{Handler, IrqReturn, ThreadedHandler},
    new_delayed_work, new_mutex, new_spinlock,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, Mutex, SetOnce, SpinLock,
    },
    time::msecs_to_jiffies,
    workqueue::{DelayedWork, WorkItem},
};

use crate::{
    hw::{
        fw::{Aui, Capabilities, LinkConfig},
        toeplitz,
    },
    kernel_ext::{
        irq::IrqName,
        net::{
            self,
            ethtool::{
                self, coalesce, ring_params, rss_hash, Channels, Coalesce, DrvInfo, EthCtrlStats,
                EthMacStats, ExtAck, FlowRule, KernelRingParam, LinkKsettings, LinkMode, RingParam,
                RmonStats, RuleCount, RxfhContext, RxfhFields, RxfhParam, StatsData, StringSet,
                Strings, TcpDataSplit,
            },
            qstats,
            skbuff::{DropReason, SkBuff},
            NapiContext, QueueType, Rtnl,
        },
        workqueue::{cancel_delayed_sync, system_dfl},
    },
    link::{Change, Link},
    nfc::{Refused, Rules},
    rpc::{self, FlowClass, MacFilter, Rss},
    shared::Shared,
    stats::{EthtoolStats, RxSnapshot, TxSnapshot},
    txrx::{self, HeaderSplit, QueuePair, RingMem, RingSizes},
};

/// MSI-X vectors besides the queues': 0 for the mailbox, 1 for the PCS
/// (`FBNIC_NON_NAPI_VECTORS`), the "other" channels of `ethtool -l`.
pub(crate) const NON_QUEUE_VECTORS: u32 = 2;

/// What `ethtool -G` and `ethtool -L` configure.
#[derive(Clone, Copy)]
pub(crate) struct QueueConfig {
    /// Ring sizes, the same for every queue pair.
    pub(crate) sizes: RingSizes,
    /// RX queues: queue pairs `0..rx` have RX rings.
    pub(crate) rx: u32,
    /// TX queues: queue pairs `0..tx` have TX rings.
    pub(crate) tx: u32,
}

impl QueueConfig {
    /// The queue pairs in use, each with its NAPI instance: those with an
    /// RX ring, a TX ring or both.
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
    #[pin]
    link: Link,
    /// The registered interface, once it is.
    pub(crate) netdev: SetOnce<Arc<net::Handle<Port>>>,
    #[pin]
    work: DelayedWork<Service>,
}

kernel::impl_has_delayed_work! {
    impl HasDelayedWork<Self> for Service { self.work }
}

impl Service {
    /// The service of a port whose link the firmware configured as
    /// `config`.
    pub(crate) fn new(shared: Arc<Shared>, config: LinkConfig) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                shared,
                link <- Link::new(config),
                netdev: SetOnce::new(),
                work <- new_delayed_work!("fbnic::Service::work"),
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
        let _ = system_dfl().enqueue_delayed(this, msecs_to_jiffies(SERVICE_PERIOD_MS));
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
/// link training, checks the firmware's heartbeat.
impl WorkItem for Service {
    type Pointer = Arc<Service>;

    fn run(this: Arc<Service>) {
        if !this.link.is_open() {
            return;
        }
        let shared = &this.shared;
        let change = this.link.update(&shared.regs);
        this.report(change);
        shared.mbx.check_heartbeat(&shared.regs, &shared.dev);
        Service::schedule(this);
    }
}

/// A queue pair's interrupt: schedules its NAPI instance.
pub(crate) struct NapiIrq {
    pub(crate) service: Arc<Service>,
    pub(crate) queue: usize,
}

impl Handler for NapiIrq {
    fn handle(&self) -> IrqReturn {
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
    /// The queue pairs, queue `n` at index `n`, one per queue vector; the
    /// first [`QueueConfig::pairs`] are in use.
    pub(crate) queues: KVec<Pin<KBox<QueuePair>>>,
    /// Their interrupts' names.
    irq_names: KVec<Arc<IrqName>>,
    #[pin]
    rss: Mutex<Rss>,
    /// The flow rules (`ethtool -N`). Taken after `rss` where both are.
    #[pin]
    rules: Mutex<Rules>,
    /// Header split (`ethtool -G tcp-data-split/hds-thresh`), applied at
    /// open.
    #[pin]
    split: Mutex<HeaderSplit>,
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
    /// Packets dropped on transmit before reaching a queue pair.
    tx_dropped: Atomic<u64>,
}

impl Port {
    pub(crate) fn new(
        shared: Arc<Shared>,
        service: Arc<Service>,
        queues: KVec<Pin<KBox<QueuePair>>>,
        irq_names: KVec<Arc<IrqName>>,
        config: QueueConfig,
    ) -> impl PinInit<Self> {
        let rss = Rss::new(config.rx);
        pin_init!(Self {
            shared,
            service,
            queues,
            irq_names,
            rss <- new_mutex!(rss),
            rules <- new_mutex!(Rules::new()),
            split <- new_mutex!(HeaderSplit::default()),
            mac_filter <- new_spinlock!(MacFilter::new()),
            config <- new_mutex!(config),
            rx_usecs: Atomic::new(txrx::RX_USECS),
            tx_usecs: Atomic::new(txrx::TX_USECS),
            tx_dropped: Atomic::new(0),
        })
    }
}

impl Port {
    /// Creates (`new` gives the core's context, for the table in use) or
    /// changes RSS context `context`, the device's table 1: the table the
    /// request has, or one spread over all RX queues for a new context
    /// without one. The context shares the key and hash function of
    /// context 0, so a request for another key or function fails.
    fn set_context(
        dev: &net::Device<Self>,
        context: u32,
        new: Option<&mut RxfhContext>,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        if context != 1 {
            return Err(EINVAL);
        }
        if param.hfunc() != rss_hash::NO_CHANGE && param.hfunc() != rss_hash::TOP {
            extack.set_message(c"fbnic: only the Toeplitz hash is supported");
            return Err(EOPNOTSUPP);
        }
        if param.key().is_some() {
            extack.set_message(c"fbnic: RSS contexts share the key of context 0");
            return Err(EOPNOTSUPP);
        }
        let queues = port.config().rx;
        let mut table = [0u8; rpc::INDIR_ENTRIES as usize];
        match (param.indir(), new) {
            (Some(indir), _) => {
                if indir.len() != table.len() || indir.iter().any(|&q| q >= queues) {
                    return Err(EINVAL);
                }
                for (dst, &q) in table.iter_mut().zip(indir) {
                    // CAST: checked above to be a queue number, below 128.
                    *dst = q as u8;
                }
            }
            (None, Some(ctx)) => {
                for (i, (dst, entry)) in table.iter_mut().zip(ctx.indir_mut()).enumerate() {
                    // CAST: 256 entries, queue numbers below 128.
                    *dst = (i as u32 % queues.max(1)) as u8;
                    *entry = u32::from(*dst);
                }
            }
            (None, None) => return Ok(()),
        }
        let mut rss = port.rss.lock();
        rss.context1 = Some(table);
        if dev.is_running() {
            rpc::write_rss(&port.shared.regs, &rss);
        }
        Ok(())
    }

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
            tx += q.rings.tx_stats();
        }
        (rx, tx)
    }

    /// Re-enables queue pair `q`'s interrupt with the current moderation.
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
        for i in 0..self.queues.len() {
            // CAST: at most 128 queues.
            let i = i as u32;
            let mem = RingMem::new(parent, config.sizes, i < config.tx, i < config.rx)?;
            mems.push(mem, GFP_KERNEL)?;
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
        let active = &self.queues[..config.pairs()];
        let split = self.header_split();
        for (i, q) in active.iter().enumerate() {
            // NAPI is still disabled: the rings' page pools are bound to it
            // and filled now.
            let enabled = q
                .napi
                .with_disabled(|napi| q.rings.enable(regs, dev, split, napi))
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
        rpc::enable(regs, &rss, &self.rules.lock());
        drop(rss);
        for q in active {
            q.napi.enable();
            self.arm(q);
            q.rings.kick(regs);
        }
        Ok(())
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
        let active = &self.queues[..config.pairs()];
        for q in active {
            q.napi.disable();
        }
        dev.tx_disable();
        rpc::disable(regs);
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
        for (i, q) in self.queues.iter().enumerate() {
            // CAST: at most 128 queues.
            let i = i as u32;
            let napi = |n: u32| (i < n).then_some(&q.napi);
            dev.set_queue_napi(rtnl, i, QueueType::Tx, napi(config.tx));
            dev.set_queue_napi(rtnl, i, QueueType::Rx, napi(config.rx));
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
        let Some((index, q)) = port
            .queues
            .iter()
            .enumerate()
            .find(|(_, q)| core::ptr::eq(&q.napi, &**napi))
        else {
            return 0;
        };
        // CAST: at most 128 queues.
        if let Some(txq) = dev.tx_queue(index as u32) {
            q.rings.clean_tx(regs, txq, budget);
        }
        let done = q.rings.clean_rx(regs, dev, napi, budget);
        if done < budget && napi.complete_done(done) {
            port.arm(q);
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

        // Queue vectors are named after the interface, as C drivers do.
        let ifname = dev.name().to_str().unwrap_or("fbnic");
        for (i, name) in port.irq_names.iter().enumerate() {
            name.set(format_args!("{ifname}-TxRx-{i}"));
        }
        if let Err(e) = port.start_datapath(dev, &port.config()) {
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
        let change = port.service.link.stop(&shared.regs);
        cancel_delayed_sync(&port.service);
        port.service.set_carrier(dev, change);
        dev.carrier_off();
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
        q.rings.xmit(&port.shared.regs, dev, txq, skb, more)
    }

    fn get_stats64(dev: &net::Device<Self>, stats: &mut net::Stats64) {
        let port = dev.data();
        let (rx, tx) = port.totals();
        stats
            .rx_packets(rx.packets)
            .rx_bytes(rx.bytes)
            .tx_packets(tx.packets)
            .tx_bytes(tx.bytes)
            .rx_dropped(rx.dropped)
            .tx_dropped(port.tx_dropped.load(Relaxed) + tx.dropped);
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

    /// Leaves to software what the META descriptor cannot express for
    /// `skb` (see [`txrx::features_check`]).
    fn features_check(
        _dev: &net::Device<Self>,
        skb: &SkBuff,
        features: net::Features,
    ) -> net::Features {
        txrx::features_check(skb, features)
    }
}

#[vtable]
impl ethtool::Operations for Port {
    fn get_drvinfo(dev: &net::Device<Self>, info: &mut DrvInfo) {
        let shared = &dev.data().shared;
        info.set_driver(c"fbnic");
        info.set_bus_info(shared.dev.name());
        if let Some(Capabilities { running, .. }) = shared.mbx.caps() {
            info.set_fw_version(format_args!("{running}"));
        }
    }

    fn get_ringparam(
        dev: &net::Device<Self>,
        ring: &mut RingParam,
        kernel_ring: &mut KernelRingParam,
    ) {
        let port = dev.data();
        let s = port.config().sizes;
        ring.set_rx(s.rcq, RingSizes::MAX);
        ring.set_rx_mini(s.hpq, RingSizes::MAX);
        ring.set_rx_jumbo(s.ppq, RingSizes::MAX);
        ring.set_tx(s.twq, RingSizes::MAX);
        // The mode in effect (auto splits, as the C driver always does);
        // the core reports the configured hds-thresh.
        let split = port.header_split();
        kernel_ring.set_tcp_data_split(if split.enabled {
            TcpDataSplit::On
        } else {
            TcpDataSplit::Off
        });
        kernel_ring.set_hds_thresh_max(txrx::HDS_THRESH_MAX);
    }

    const SUPPORTED_RING_PARAMS: u32 = ring_params::TCP_DATA_SPLIT | ring_params::HDS_THRESH;

    fn set_ringparam(
        dev: &net::Device<Self>,
        rtnl: &Rtnl<'_>,
        ring: &RingParam,
        kernel_ring: &KernelRingParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        // Check everything before changing anything. Sizes round up to a
        // power of two, as in the C driver (0 stays 0 and is refused).
        let pow2 = |n: u32| if n == 0 { 0 } else { n.next_power_of_two() };
        let sizes = RingSizes {
            twq: pow2(ring.tx()),
            hpq: pow2(ring.rx_mini()),
            ppq: pow2(ring.rx_jumbo()),
            rcq: pow2(ring.rx()),
        };
        let all = [sizes.twq, sizes.hpq, sizes.ppq, sizes.rcq];
        if all.iter().any(|&n| n < RingSizes::MIN) {
            extack.set_message(c"fbnic: requested ring size too small (64 at least)");
            return Err(EINVAL);
        }
        if all.iter().any(|&n| n > RingSizes::MAX) {
            extack.set_message(c"fbnic: requested ring size too large (65536 at most)");
            return Err(EINVAL);
        }
        let thresh = kernel_ring.hds_thresh();
        if thresh > txrx::HDS_THRESH_MAX {
            extack.set_message(c"hds-thresh is larger than a header buffer");
            return Err(EINVAL);
        }
        let split = HeaderSplit {
            enabled: kernel_ring.tcp_data_split() != TcpDataSplit::Off,
            thresh,
        };

        // New ring sizes first: the only part that can fail.
        {
            let mut config = port.config.lock();
            if sizes != config.sizes {
                let new = QueueConfig { sizes, ..*config };
                port.reconfigure(dev, rtnl, &mut config, new)
                    .inspect_err(|e| {
                        if *e == ENOMEM {
                            extack.set_message(c"fbnic: no memory for rings of that size");
                        }
                    })?;
            }
        }

        let mut cur = port.split.lock();
        if *cur == split {
            return Ok(());
        }
        *cur = split;
        if dev.is_running() {
            for q in &port.queues {
                q.rings.set_header_split(&port.shared.regs, split);
            }
        }
        Ok(())
    }

    fn get_channels(dev: &net::Device<Self>, channels: &mut Channels) {
        let port = dev.data();
        let config = port.config();
        // CAST: at most 128 queues.
        let max = port.queues.len() as u32;
        let combined = config.rx.min(config.tx);
        channels.set_combined(combined, max);
        channels.set_rx(config.rx - combined, max);
        channels.set_tx(config.tx - combined, max);
        channels.set_other(NON_QUEUE_VECTORS, NON_QUEUE_VECTORS);
    }

    fn set_channels(dev: &net::Device<Self>, rtnl: &Rtnl<'_>, ch: &Channels) -> Result {
        let port = dev.data();
        // CAST: at most 128 queues.
        let max = port.queues.len() as u32;
        // The rules of `fbnic_set_channels()`, except that a TX or RX
        // queue without the other needs a combined one to share a vector
        // with: RX-only and TX-only vectors are not supported.
        if ch.other() != NON_QUEUE_VECTORS {
            dev_err!(
                port.shared.dev,
                "the other channels are fixed at {}\n",
                NON_QUEUE_VECTORS
            );
            return Err(EINVAL);
        }
        if ch.rx() != 0 && ch.tx() != 0 {
            dev_err!(
                port.shared.dev,
                "RX-only and TX-only channels together are not supported\n"
            );
            return Err(EINVAL);
        }
        let (rx, tx) = (ch.rx() + ch.combined(), ch.tx() + ch.combined());
        if rx == 0 || tx == 0 || ch.combined() == 0 || rx > max || tx > max {
            dev_err!(
                port.shared.dev,
                "channels must be 1 to {} combined, plus RX-only or TX-only ones up to {} queues\n",
                max,
                max
            );
            return Err(EINVAL);
        }

        let mut config = port.config.lock();
        if rx == config.rx && tx == config.tx {
            return Ok(());
        }
        let new = QueueConfig { rx, tx, ..*config };
        port.reconfigure(dev, rtnl, &mut config, new)
    }

    const SUPPORTED_COALESCE: u32 = coalesce::RX_USECS | coalesce::TX_USECS;

    fn get_coalesce(dev: &net::Device<Self>, c: &mut Coalesce) -> Result {
        let port = dev.data();
        c.set_rx_usecs(port.rx_usecs.load(Relaxed));
        c.set_tx_usecs(port.tx_usecs.load(Relaxed));
        Ok(())
    }

    fn set_coalesce(dev: &net::Device<Self>, c: &Coalesce) -> Result {
        let port = dev.data();
        if c.rx_usecs() > txrx::MAX_USECS || c.tx_usecs() > txrx::MAX_USECS {
            dev_err!(
                port.shared.dev,
                "coalescing timeouts above {} us are not supported\n",
                txrx::MAX_USECS
            );
            return Err(EINVAL);
        }
        // Takes effect at each queue's next interrupt re-arm.
        port.rx_usecs.store(c.rx_usecs(), Relaxed);
        port.tx_usecs.store(c.tx_usecs(), Relaxed);
        Ok(())
    }

    fn get_rx_ring_count(dev: &net::Device<Self>) -> u32 {
        dev.data().config().rx
    }

    fn get_rxfh_indir_size(_dev: &net::Device<Self>) -> u32 {
        rpc::INDIR_ENTRIES
    }

    fn get_rxfh_key_size(_dev: &net::Device<Self>) -> u32 {
        // CAST: 40 bytes.
        toeplitz::KEY_LEN as u32
    }

    fn get_rxfh(dev: &net::Device<Self>, param: &mut RxfhParam) -> Result {
        let rss = dev.data().rss.lock();
        param.set_hfunc(rss_hash::TOP);
        if let Some(indir) = param.indir_mut() {
            for (dst, &q) in indir.iter_mut().zip(rss.table.iter()) {
                *dst = u32::from(q);
            }
        }
        if let Some(key) = param.key_mut() {
            let n = key.len().min(rss.key.len());
            key[..n].copy_from_slice(&rss.key[..n]);
        }
        Ok(())
    }

    fn set_rxfh(dev: &net::Device<Self>, param: &RxfhParam) -> Result {
        let port = dev.data();
        if param.rss_context() != 0 {
            return Err(EOPNOTSUPP);
        }
        if param.hfunc() != rss_hash::NO_CHANGE && param.hfunc() != rss_hash::TOP {
            dev_err!(port.shared.dev, "only the Toeplitz hash is supported\n");
            return Err(EOPNOTSUPP);
        }
        // Check everything before changing anything.
        let queues = port.config().rx as usize;
        if let Some(indir) = param.indir() {
            if indir.len() != rpc::INDIR_ENTRIES as usize
                || indir.iter().any(|&q| q as usize >= queues)
            {
                return Err(EINVAL);
            }
        }
        let key: Option<&[u8; toeplitz::KEY_LEN]> = match param.key() {
            Some(key) => Some(key.try_into().map_err(|_| EINVAL)?),
            None => None,
        };

        let mut rss = port.rss.lock();
        if let Some(indir) = param.indir() {
            for (dst, &q) in rss.table.iter_mut().zip(indir) {
                // CAST: checked above to be a queue number, below 128.
                *dst = q as u8;
            }
        }
        if let Some(key) = key {
            rss.key = *key;
        }
        if dev.is_running() {
            rpc::write_rss(&port.shared.regs, &rss);
        }
        Ok(())
    }

    fn get_rxfh_fields(dev: &net::Device<Self>, fields: &mut RxfhFields) -> Result {
        let class = FlowClass::of_flow_type(fields.flow_type()).ok_or(EINVAL)?;
        fields.set_fields(dev.data().rss.lock().fields(class));
        Ok(())
    }

    fn set_rxfh_fields(
        dev: &net::Device<Self>,
        fields: &RxfhFields,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        let Some(class) = FlowClass::of_flow_type(fields.flow_type()) else {
            extack.set_message(c"fbnic: no RSS hash setting for this flow type");
            return Err(EINVAL);
        };
        // One set of fields per class for all contexts (the core asks for
        // others only of drivers that declare per-context fields).
        if fields.rss_context() != 0 {
            return Err(EOPNOTSUPP);
        }
        let mut rss = port.rss.lock();
        rss.set_fields(class, fields.fields()).inspect_err(|_| {
            extack.set_message(c"fbnic: cannot hash this flow type over those fields");
        })?;
        if dev.is_running() {
            rpc::write_rss_rules(&port.shared.regs, &rss);
            // Flow rules that spread by RSS hash as their class does.
            port.rules.lock().write(&port.shared.regs, &rss);
        }
        Ok(())
    }

    fn get_rule_count(dev: &net::Device<Self>) -> Result<RuleCount> {
        Ok(dev.data().rules.lock().count())
    }

    fn get_rule(dev: &net::Device<Self>, location: u32) -> Result<FlowRule> {
        dev.data().rules.lock().get(location)
    }

    fn get_rule_locations(dev: &net::Device<Self>, locations: &mut [u32]) -> Result<u32> {
        dev.data().rules.lock().locations(locations)
    }

    fn insert_rule(dev: &net::Device<Self>, rule: &FlowRule) -> Result<u32> {
        let port = dev.data();
        let rx_queues = port.config().rx;
        let rss = port.rss.lock();
        let regs = dev.is_running().then_some(&port.shared.regs);
        port.rules
            .lock()
            .insert(rule, rx_queues, &rss, regs)
            .map_err(|Refused(e, why)| {
                dev_info!(port.shared.dev, "flow rule refused: {}\n", why);
                e
            })
    }

    fn delete_rule(dev: &net::Device<Self>, location: u32) -> Result {
        let port = dev.data();
        let rss = port.rss.lock();
        let regs = dev.is_running().then_some(&port.shared.regs);
        port.rules.lock().delete(location, &rss, regs)
    }

    const RXFH_MAX_CONTEXTS: u32 = rpc::RSS_CONTEXTS;

    fn create_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        ctx: &mut RxfhContext,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        ctx.set_hfunc(rss_hash::TOP);
        Self::set_context(dev, context, Some(ctx), param, extack)
    }

    fn modify_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        _ctx: &mut RxfhContext,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        Self::set_context(dev, context, None, param, extack)
    }

    fn remove_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        if context != 1 {
            return Err(EINVAL);
        }
        // The table stays in the device: no rule points at it any more.
        dev.data().rss.lock().context1 = None;
        Ok(())
    }

    fn get_eth_mac_stats(dev: &net::Device<Self>, stats: &mut EthMacStats) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill(&shared.regs, stats);
    }

    fn get_eth_ctrl_stats(dev: &net::Device<Self>, stats: &mut EthCtrlStats) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill_ctrl(&shared.regs, stats);
    }

    fn get_rmon_stats(dev: &net::Device<Self>, stats: &mut RmonStats<'_>) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill_rmon(&shared.regs, stats);
    }

    fn get_sset_count(dev: &net::Device<Self>, set: StringSet) -> Result<u32> {
        match set {
            // CAST: a few thousand at most.
            StringSet::Stats => Ok(EthtoolStats::count(dev.data().queues.len()) as u32),
            StringSet::Other(_) => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(dev: &net::Device<Self>, set: StringSet, strings: &mut Strings<'_>) {
        if set == StringSet::Stats {
            EthtoolStats::names(dev.data().queues.len(), strings);
        }
    }

    fn get_ethtool_stats(dev: &net::Device<Self>, data: &mut StatsData<'_>) {
        let port = dev.data();
        let shared = &port.shared;
        let queues = port
            .queues
            .iter()
            .map(|q| (q.rings.rx_stats(), q.rings.tx_stats()));
        shared.ethtool_stats.values(&shared.regs, queues, data);
    }

    fn get_link_ksettings(dev: &net::Device<Self>, settings: &mut LinkKsettings) -> Result {
        let link = &dev.data().service.link;
        let config = link.config();
        let mode = match config.aui {
            Aui::Gaui25 => LinkMode::Base25000CrFull,
            Aui::Laui2 => LinkMode::Base50000Cr2Full,
            Aui::Gaui50x1 => LinkMode::Base50000CrFull,
            Aui::Gaui100x2 => LinkMode::Base100000Cr2Full,
        };
        settings.add_supported(mode);
        settings.add_advertising(mode);
        settings.add_supported(LinkMode::Fibre);
        settings.set_port_direct_attach();
        if link.is_up() {
            settings.set_speed_full_duplex(config.speed_mbps());
            settings.set_lanes(config.lanes());
        } else {
            settings.set_unknown_speed();
        }
        Ok(())
    }
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
        if let Some(q) = dev.data().queues.get(index as usize) {
            report_rx(rx, &q.rings.rx_stats());
        }
    }

    fn get_queue_stats_tx(dev: &net::Device<Self>, index: u32, tx: &mut qstats::Tx) {
        if let Some(q) = dev.data().queues.get(index as usize) {
            report_tx(tx, &q.rings.tx_stats());
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
                tx_sum += q.rings.tx_stats();
            }
        }
        report_rx(rx, &rx_sum);
        report_tx(tx, &tx_sum);
    }
}
