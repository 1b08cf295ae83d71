// SPDX-License-Identifier: GPL-2.0

//! System sleep, shutdown, function reset and PCI error recovery, as the C
//! driver's `fbnic_pm_suspend()`, `__fbnic_pm_resume()`,
//! `__fbnic_pm_attach()`, `fbnic_shutdown()` and `fbnic_err_*()` do them.
//!
//! Going away ([`Fbnic::quiesce`]), in the C driver's order: the interface
//! is detached and, if it is up, stopped (datapath, address filter, link,
//! service task with the heartbeat, clock, ownership of the NIC); then the
//! firmware mailbox goes down, which resets both rings and turns the
//! firmware's DMA off, so that the firmware sees a host that left rather
//! than one that died; every interrupt vector is masked; and the registers
//! go offline: nothing touches the device until it is back.
//!
//! Coming back ([`Fbnic::restore`] then [`Fbnic::attach`]): registers
//! online, the TX engine's setup written again, the mailbox started, which
//! reads the firmware's capabilities again, the OTP status checked; then an
//! interface that was up is opened again and its address lists programmed,
//! the device counters take their new values as the base (a reset restarts
//! them), and the interface is attached.
//!
//! Unlike the C driver, the interrupt vectors stay allocated and their
//! handlers installed while the device is away (they are device-managed
//! for the whole binding); the device raises nothing then, as every vector
//! is masked, and the PCI core saves and restores the MSI-X table around
//! the sleep or reset.

#![forbid(unsafe_code)]

use kernel::{
    device::Core,
    pci,
    prelude::*, //
};

use crate::{
    hw::{
        csr::intr,
        reg::RegisterIo, //
    },
    kernel_ext::{
        self, net,
        pci::{
            ChannelState,
            ErsResult,
            Lifecycle, //
        },
    },
    netdev::Port,
    pci::{
        Fbnic,
        FbnicDriver, //
    },
    shared::Shared,
    txrx,
};

impl Fbnic<'_> {
    fn shared(&self) -> &Shared {
        &self.mailbox.0
    }

    /// Takes the device out of service (`fbnic_pm_suspend()`).
    fn quiesce(&self) {
        if let Some(netdev) = &self.netdev {
            let dev = netdev.device();
            net::with_rtnl(|rtnl| {
                dev.detach();
                // As `ndo_stop` runs: under the instance lock too.
                dev.with_ops_lock(rtnl, || Port::suspend(dev, rtnl));
            });
        }

        let shared = self.shared();
        let regs = &shared.regs;
        shared.mbx.stop(regs, &shared.dev);
        for word in intr::BitmapIdx::all() {
            regs.write_raw(intr::MASK_SET::at(word), u32::MAX);
        }
        // The counts so far, before the device goes.
        shared.hw_stats.refresh(regs);
        shared.mac_stats.carry_over(regs);
        shared.phy_stats.carry_over(regs);
        regs.set_online(false);
    }

    /// Puts the device back in service, traffic still stopped
    /// (`__fbnic_pm_resume()`). On failure the device stays offline.
    fn restore(&self) -> Result {
        let shared = self.shared();
        let regs = &shared.regs;
        regs.set_online(true);

        txrx::init_tx_engine(regs);
        if let Err(e) = shared.mbx.start(regs, &shared.dev) {
            dev_err!(shared.dev, "firmware mailbox did not come back: {:?}\n", e);
            regs.set_online(false);
            return Err(e);
        }
        shared.unmask_mailbox();
        // The log lines from before the sleep are still kept: new ones only.
        shared.mbx.enable_log(regs, &shared.dev, false);
        self.health.otp_check(c"error detected after PM resume");

        // Whatever a reset did to the counters, counting continues.
        shared.hw_stats.rebase(regs);
        shared.mac_stats.carry_over(regs);
        shared.phy_stats.carry_over(regs);

        let Some(netdev) = &self.netdev else {
            return Ok(());
        };
        let dev = netdev.device();
        if let Err(e) = net::with_rtnl(|rtnl| dev.with_ops_lock(rtnl, || Port::resume(dev, rtnl))) {
            dev_err!(shared.dev, "reopening the interface failed: {:?}\n", e);
            shared.mbx.stop(regs, &shared.dev);
            regs.set_online(false);
            return Err(e);
        }
        Ok(())
    }

    /// Lets traffic flow again (`__fbnic_pm_attach()`).
    fn attach(&self) {
        if let Some(netdev) = &self.netdev {
            let dev = netdev.device();
            net::with_rtnl(|_| dev.attach());
        }
    }

    /// Whether the device is in service, i.e. not quiesced. A device
    /// found gone from the bus still is, for a reset to quiesce it (with
    /// its register accesses dropped) and bring it back.
    fn in_service(&self) -> bool {
        !self.shared().regs.taken_offline()
    }
}

#[vtable]
impl Lifecycle for FbnicDriver {
    fn suspend<'bound>(_pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) -> Result {
        this.quiesce();
        Ok(())
    }

    fn resume<'bound>(_pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) -> Result {
        this.restore()?;
        this.attach();
        Ok(())
    }

    /// Stops DMA and interrupts before the machine powers off or reboots,
    /// as for a suspend (`fbnic_shutdown()`).
    fn shutdown<'bound>(_pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) {
        if this.in_service() {
            this.quiesce();
        }
    }

    fn error_detected<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Fbnic<'bound>>,
        state: ChannelState,
    ) -> ErsResult {
        dev_warn!(pdev, "PCI error detected, channel {:?}\n", state);
        // The device is gone for good: no register access any more.
        if state == ChannelState::PermFailure {
            return ErsResult::Disconnect;
        }
        if this.in_service() {
            this.quiesce();
        }
        ErsResult::NeedReset
    }

    fn slot_reset<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Fbnic<'bound>>,
    ) -> ErsResult {
        kernel_ext::pci::restore_state(pdev);
        // What `save_state` saved is consumed by the restore; keep a copy
        // for the next recovery.
        kernel_ext::pci::save_state(pdev);
        pdev.set_master();
        match this.restore() {
            Ok(()) => ErsResult::Recovered,
            Err(_) => ErsResult::Disconnect,
        }
    }

    fn error_resume<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) {
        this.attach();
        dev_info!(pdev, "recovered from the PCI error\n");
    }

    fn reset_prepare<'bound>(_pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) {
        if this.in_service() {
            this.quiesce();
        }
    }

    fn reset_done<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Fbnic<'bound>>) {
        match this.restore() {
            Ok(()) => this.attach(),
            Err(e) => dev_err!(
                pdev,
                "the device did not come back from the reset: {:?}\n",
                e
            ),
        }
    }
}
