// SPDX-License-Identifier: GPL-2.0

//! A BMC sharing the port: what the interface does for it (the C driver's
//! `fbnic_bmc_rpc_init()` at open, `fbnic_bmc_rpc_check()` in the service
//! task). The classifier's part is [`crate::rpc::bmc`].
//!
//! At open the BMC the firmware reported in its capabilities goes into the
//! MAC filter and the RSS rules; they keep its entries and rules when the
//! interface goes down, so that its traffic flows on, and the MAC stays on
//! for it. Whenever the host's filters change, the service task tells the
//! firmware the host's addresses (`RPC_MAC_SYNC_REQ`).

#![forbid(unsafe_code)]

use kernel::prelude::*;

use super::Port;
use crate::{
    hw::tlv::{
        msg,
        rpc_mac_sync, //
    },
    rpc::{
        Bmc,
        HostSync, //
    },
};

impl Port {
    /// Takes the BMC of the firmware's capabilities, if one shares the
    /// port, into the filter and the rules (before they are written, at
    /// open).
    pub(super) fn bmc_open(&self) {
        let regs = &self.shared.regs;
        let bmc = self
            .shared
            .mbx
            .caps()
            .filter(|caps| caps.bmc_present)
            .map(|caps| {
                let addrs = caps.bmc_addrs.get(..caps.bmc_addr_count);
                Bmc::new(addrs.unwrap_or_default(), caps.bmc_all_multi)
            });
        self.rss.lock().bmc = bmc.is_some();
        self.mac_filter.lock().set_bmc(regs, bmc);
    }

    /// Whether a BMC shares the port: its rules and entries stay, and the
    /// MAC stays on, while the interface is down.
    pub(super) fn has_bmc(&self) -> bool {
        self.mac_filter.lock().has_bmc()
    }

    /// Tells the firmware the host's addresses if they changed since it
    /// last heard (from the service task).
    pub(super) fn bmc_sync(&self) {
        let Some(sync) = self.mac_filter.lock().take_sync() else {
            return;
        };
        if let Err(e) = send_sync(self, &sync) {
            dev_warn!(
                self.shared.dev,
                "writing the MAC DA table to the firmware failed: {:?}\n",
                e
            );
        }
    }
}

/// Sends `RPC_MAC_SYNC_REQ` with `sync`.
fn send_sync(port: &Port, sync: &HostSync) -> Result {
    let uc = sync.uc.iter().take(sync.uc_len);
    let mc = sync.mc.iter().take(sync.mc_len);
    port.shared
        .mbx
        .send(&port.shared.regs, msg::RPC_MAC_SYNC_REQ, |b| {
            for (array, mut addrs) in [(rpc_mac_sync::UC_ARRAY, uc), (rpc_mac_sync::MC_ARRAY, mc)] {
                b.nested(array, |n| {
                    addrs.try_for_each(|a| n.put_mac(rpc_mac_sync::MAC_ADDR, a))
                })?;
            }
            b.put_u32(rpc_mac_sync::RX_FLAGS, sync.flags)
        })
}
