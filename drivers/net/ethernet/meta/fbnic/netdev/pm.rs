// SPDX-License-Identifier: GPL-2.0

//! The interface while the device goes away for a while (system sleep, a
//! function reset, PCI error recovery) and comes back: what the C driver's
//! `fbnic_pm_suspend()` and `__fbnic_pm_resume()` do to its netdev.
//!
//! The interface stays registered and keeps its up/down state. An
//! interface that is up is stopped as `ndo_stop` stops it (datapath,
//! address filter, link, service task, clock, ownership of the NIC), and
//! opened again as `ndo_open` opens it, which programs the device from
//! what the driver keeps: rings and queue counts, RSS, flow rules, header
//! split, time stamping, interrupt moderation. The address lists that the
//! core would hand to `set_rx_mode` after an open are programmed here.

#![forbid(unsafe_code)]

use kernel::prelude::*;

use super::Port;
use crate::kernel_ext::net::{
    self,
    Rtnl, //
};

impl Port {
    /// Stops a running interface for the device to go away (`ndo_stop`
    /// without the core's part).
    pub(crate) fn suspend(dev: &net::Device<Self>, _rtnl: &Rtnl<'_>) {
        if dev.is_running() {
            // Cannot fail; see `stop`.
            let _ = <Self as net::Operations>::stop(dev);
        }
    }

    /// Restarts the interface after [`Port::suspend`] if it is up, and
    /// programs its address lists. The device must be back.
    pub(crate) fn resume(dev: &net::Device<Self>, _rtnl: &Rtnl<'_>) -> Result {
        if !dev.is_running() {
            return Ok(());
        }
        <Self as net::Operations>::open(dev)?;
        dev.with_addr_lists(|uc, mc| <Self as net::Operations>::set_rx_mode(dev, uc, mc))
    }
}
