// SPDX-License-Identifier: GPL-2.0

//! Hardware time stamping configuration (`ndo_hwtstamp_get/set`, the C
//! driver's `fbnic_hwtstamp_set()`) and the flow classes whose received
//! frames the classifier time stamps.
//!
//! The classifier time stamps by flow class, not by PTP message: a PTP
//! filter over UDP time stamps every UDP frame, one over Ethernet every
//! non-IP frame. Requests are widened to what the device does; the
//! configuration then reports the filter applied.
//!
//! Transmit time stamps are on or off (`HWTSTAMP_TX_ON`/`OFF`): when on,
//! every sent packet whose socket asks gets one from the device (see the
//! transmit path's `tstamp`).

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    sync::atomic::Relaxed, //
};

use super::Port;
use crate::{
    classifier,
    kernel_ext::net::{
        self,
        hwtstamp::{
            rx_filter,
            tx_type, //
        },
        HwtstampConfig,
    },
    rpc::FlowClass,
};

/// The receive filters offered, a bit per filter value (`ethtool -T`).
pub(crate) const RX_FILTERS: u32 = 1u32 << rx_filter::NONE
    | 1u32 << rx_filter::PTP_V1_L4_EVENT
    | 1u32 << rx_filter::PTP_V2_L4_EVENT
    | 1u32 << rx_filter::PTP_V2_L2_EVENT
    | 1u32 << rx_filter::PTP_V2_EVENT
    | 1u32 << rx_filter::ALL;

/// The transmit modes offered, a bit per mode.
pub(crate) const TX_TYPES: u32 = 1u32 << tx_type::OFF | 1u32 << tx_type::ON;

/// The configuration in effect.
#[derive(Clone, Copy)]
pub(crate) struct Tstamp {
    flags: i32,
    tx_type: u32,
    rx_filter: u32,
}

impl Tstamp {
    /// Nothing time stamped.
    pub(crate) const OFF: Self = Self {
        flags: 0,
        tx_type: tx_type::OFF,
        rx_filter: rx_filter::NONE,
    };

    /// The flow classes whose frames get a receive time stamp, a bit per
    /// class at `class as usize`.
    pub(crate) fn rx_classes(&self) -> u32 {
        let all = (1 << FlowClass::ALL.len()) - 1;
        let udp = 1 << FlowClass::Udp4 as usize | 1 << FlowClass::Udp6 as usize;
        let ether = 1 << FlowClass::Other as usize;
        match self.rx_filter {
            rx_filter::ALL => all,
            rx_filter::PTP_V2_EVENT => udp | ether,
            rx_filter::PTP_V1_L4_EVENT | rx_filter::PTP_V2_L4_EVENT => udp,
            rx_filter::PTP_V2_L2_EVENT => ether,
            _ => 0,
        }
    }
}

/// The filter the device applies for `requested`: the same or a wider
/// one; `ERANGE` if it has none.
fn widen(requested: u32) -> Result<u32> {
    Ok(match requested {
        rx_filter::NONE
        | rx_filter::ALL
        | rx_filter::PTP_V1_L4_EVENT
        | rx_filter::PTP_V2_L4_EVENT
        | rx_filter::PTP_V2_L2_EVENT
        | rx_filter::PTP_V2_EVENT => requested,
        rx_filter::NTP_ALL => rx_filter::ALL,
        rx_filter::PTP_V1_L4_SYNC | rx_filter::PTP_V1_L4_DELAY_REQ => rx_filter::PTP_V1_L4_EVENT,
        rx_filter::PTP_V2_L4_SYNC | rx_filter::PTP_V2_L4_DELAY_REQ => rx_filter::PTP_V2_L4_EVENT,
        rx_filter::PTP_V2_L2_SYNC | rx_filter::PTP_V2_L2_DELAY_REQ => rx_filter::PTP_V2_L2_EVENT,
        rx_filter::PTP_V2_SYNC | rx_filter::PTP_V2_DELAY_REQ => rx_filter::PTP_V2_EVENT,
        _ => return Err(ERANGE),
    })
}

impl Port {
    /// `ndo_hwtstamp_get`.
    pub(super) fn hwtstamp_get(&self, config: &mut HwtstampConfig) {
        let ts = *self.tstamp.lock();
        config.set(ts.flags, ts.tx_type, ts.rx_filter);
    }

    /// `ndo_hwtstamp_set`, under RTNL: the classifier's rules are
    /// rewritten if the interface is up and the filter changed.
    pub(super) fn hwtstamp_set(
        &self,
        dev: &net::Device<Self>,
        config: &mut HwtstampConfig,
    ) -> Result {
        if !config.source_is_netdev() {
            return Err(EOPNOTSUPP);
        }
        let mut tstamp = self.tstamp.lock();
        let asked = (config.flags(), config.tx_type(), config.rx_filter());
        if asked == (tstamp.flags, tstamp.tx_type, tstamp.rx_filter) {
            // Nothing changes; the answer is the request.
            return Ok(());
        }
        if !matches!(config.tx_type(), tx_type::OFF | tx_type::ON) {
            return Err(ERANGE);
        }
        let new = Tstamp {
            flags: config.flags(),
            tx_type: config.tx_type(),
            rx_filter: widen(config.rx_filter())?,
        };
        let old = core::mem::replace(&mut *tstamp, new);
        drop(tstamp);
        self.tx_tstamp.store(new.tx_type == tx_type::ON, Relaxed);
        if old.rx_filter != new.rx_filter && dev.is_running() {
            let rss = self.rss.lock();
            classifier::write_rss_rules(
                &self.shared.regs,
                &rss,
                &self.rules.lock(),
                new.rx_classes(),
            );
        }
        // The filter is inexact: anything but ALL time stamps some other
        // frames too, which the answer says.
        if new.rx_filter > rx_filter::ALL {
            config.set_rx_filter(rx_filter::SOME);
        } else {
            config.set_rx_filter(new.rx_filter);
        }
        Ok(())
    }
}
