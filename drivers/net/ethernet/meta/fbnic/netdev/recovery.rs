// SPDX-License-Identifier: GPL-2.0

//! Getting the datapath going again: after a transmit queue timed out
//! (`ndo_tx_timeout`), and when an RX ring was left without pages; and the
//! RX queues' drop mode, which follows pause and the number of queues.
//!
//! A TX timeout is the stack's watchdog finding a queue stopped for longer
//! than its timeout (5 s): the device stopped taking descriptors from it
//! or writing their completions. The callback runs from the watchdog
//! timer, so it counts and logs the timeout and leaves the reset to a work
//! item, which takes RTNL and stops and starts the datapath as
//! `ethtool -L` does, the rings kept: every queue is reset (its ring
//! positions zeroed), what was waiting for transmission is dropped, and
//! the stack's queues are woken. (The C driver has no `ndo_tx_timeout`;
//! its stack runs no watchdog and a stuck queue stays stuck until the
//! interface goes down.)
//!
//! An RX ring whose page pool could not allocate is left short; the NAPI
//! poll refills it when it runs, but a ring with no pages left takes no
//! frame and raises no interrupt. The service task therefore fires the
//! interrupt of a ring left with fewer than a few pages, once a second
//! while the link is up (`fbnic_napi_depletion_check()`).

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    sync::{
        atomic::Relaxed,
        Arc, //
    },
    workqueue::WorkItem, //
};

use super::{
    Port,
    Service, //
};
use crate::{
    kernel_ext::{
        net::{
            self,
            Rtnl, //
        },
        workqueue::{
            cancel_delayed_sync,
            system_dfl, //
        },
    },
    link::flow,
    txrx, //
};

/// The ID of the reset work item among [`Service`]'s work items.
pub(super) const RESET_WORK: u64 = 1;

kernel::impl_has_delayed_work! {
    impl HasDelayedWork<Self, RESET_WORK> for Service { self.reset }
}

impl Service {
    /// Queues the reset of the datapath, unless it is queued already.
    fn schedule_reset(this: Arc<Self>) {
        // Fails only if it is queued (or being cancelled): fine either way.
        let _ = system_dfl().enqueue_delayed::<Arc<Self>, RESET_WORK>(this, 0);
    }
}

/// The reset after a TX timeout, in process context.
impl WorkItem<RESET_WORK> for Service {
    type Pointer = Arc<Service>;

    fn run(this: Arc<Service>) {
        let Some(handle) = this.netdev.as_ref() else {
            return;
        };
        handle.with_rtnl(|dev, rtnl| {
            // Closed meanwhile: open starts from scratch anyway.
            if dev.is_running() {
                dev.data().reset_datapath(dev, rtnl);
            }
        });
    }
}

/// Cancels a queued reset when the interface goes away; held by the
/// [`Port`], which is dropped after the interface was unregistered.
pub(super) struct ResetGuard(pub(super) Arc<Service>);

impl Drop for ResetGuard {
    fn drop(&mut self) {
        cancel_delayed_sync::<Service, RESET_WORK>(&self.0);
    }
}

impl Port {
    /// The drop mode of the RX queues with `rx` of them
    /// ([`flow::rx_drop_mode`]), with the pause the link last came up with.
    pub(super) fn drop_mode(&self, rx: u32) -> u32 {
        flow::rx_drop_mode(self.service.link.tx_pause(), rx)
    }

    /// Applies the drop mode to the RX queues in use, when the link came
    /// up (`fbnic_config_drop_mode()`). Does not sleep.
    pub(super) fn apply_drop_mode(&self) {
        let rx = self.rx_queues.load(Relaxed);
        let mode = self.drop_mode(rx);
        for q in self.queues.iter().take(rx as usize) {
            q.rings.set_drop_mode(&self.shared.regs, mode);
        }
    }

    /// Fires the interrupt of every RX ring in use that is short of pages,
    /// so that its NAPI poll refills it. Does not sleep.
    pub(super) fn refill_depleted(&self) {
        let layout = self.layout();
        for (i, q) in self.queues.iter().take(layout.rx as usize).enumerate() {
            // CAST: at most 128 queues.
            let owner = self.napis().get(layout.rx_napi(i as u32) as usize);
            if let (true, Some(owner)) = (q.rings.rx_low(), owner) {
                owner.rings.unmask_and_kick(&self.shared.regs);
            }
        }
    }

    /// A TX queue timed out (`ndo_tx_timeout`, from the watchdog timer):
    /// counts and logs it, and queues the reset.
    pub(super) fn tx_timeout(&self, queue: u32) {
        self.reset_hung_tx(queue, None);
    }

    /// TX queue `queue` made no progress with descriptors outstanding for
    /// `secs` seconds and the stack's watchdog did not report it (the
    /// service task's check, [`Service::tx_hang_check`]): counted, logged
    /// and reset as a TX timeout is.
    pub(super) fn tx_hung(&self, queue: u32, secs: u32) {
        self.reset_hung_tx(queue, Some(secs));
    }

    /// Counts a hung TX queue, logs it with its pointers (rate-limited),
    /// and queues the reset. `no_progress`: the seconds the driver's own
    /// check saw it hang, `None` when the watchdog reported it.
    fn reset_hung_tx(&self, queue: u32, no_progress: Option<u32>) {
        let n = self.tx_timeouts.fetch_add(1, Relaxed) + 1;
        if net::ratelimit() {
            let (twq, tcq) = self
                .queues
                .get(queue as usize)
                .map_or((0, 0), |q| q.rings.tx_hw_ptrs(&self.shared.regs));
            match no_progress {
                None => dev_warn!(
                    self.shared.dev,
                    "TX timeout on queue {} (TWQ0_PTRS {:#x}, TCQ_PTRS {:#x}; {} so far): resetting the queues\n",
                    queue,
                    twq,
                    tcq,
                    n
                ),
                Some(secs) => dev_warn!(
                    self.shared.dev,
                    "TX queue {} hung: descriptors outstanding and no progress for {} s (TWQ0_PTRS {:#x}, TCQ_PTRS {:#x}; {} TX timeouts so far): resetting the queues\n",
                    queue,
                    secs,
                    twq,
                    tcq,
                    n
                ),
            }
        }
        Service::schedule_reset(self.service.clone());
    }

    /// Stops the datapath and starts it again on the same rings, under
    /// RTNL: every queue is reset and what was queued for transmission is
    /// dropped.
    fn reset_datapath(&self, dev: &net::Device<Self>, _rtnl: &Rtnl<'_>) {
        let config = self.config();
        self.stop_datapath(dev, &config);
        if txrx::wait_all_idle(&self.shared.regs).is_err() {
            dev_warn!(self.shared.dev, "queues not idle before the reset\n");
        }
        match self.start_datapath(dev, &config) {
            Ok(()) => {
                dev.wake_queues();
                dev_info!(self.shared.dev, "queues reset\n");
            }
            Err(e) => dev_err!(
                self.shared.dev,
                "restarting the queues after a TX timeout failed: {:?}\n",
                e
            ),
        }
    }
}
