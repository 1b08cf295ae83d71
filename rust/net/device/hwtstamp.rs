// SPDX-License-Identifier: GPL-2.0

//! Hardware time stamping configuration (`struct kernel_hwtstamp_config`),
//! what `ndo_hwtstamp_get` reports and `ndo_hwtstamp_set` applies (the
//! `SIOCGHWTSTAMP`/`SIOCSHWTSTAMP` ioctls and ethtool's tsconfig).

use crate::kernel_ext::bindings;

/// A hardware time stamping configuration: which transmitted packets get a
/// time stamp ([`tx_type`]) and which received ones ([`rx_filter`]).
#[repr(transparent)]
pub struct HwtstampConfig(bindings::kernel_hwtstamp_config);

impl HwtstampConfig {
    /// The configuration's flags (`HWTSTAMP_FLAG_*`).
    pub fn flags(&self) -> i32 {
        self.0.flags
    }

    /// Which transmitted packets to time stamp, a [`tx_type`] value
    /// (`u32::MAX` for a value no mode has).
    pub fn tx_type(&self) -> u32 {
        u32::try_from(self.0.tx_type).unwrap_or(u32::MAX)
    }

    /// Which received packets to time stamp, an [`rx_filter`] value
    /// (`u32::MAX` for a value no filter has).
    pub fn rx_filter(&self) -> u32 {
        u32::try_from(self.0.rx_filter).unwrap_or(u32::MAX)
    }

    /// Whether the request is for the device's own time stamps (the
    /// default), rather than a PHY's.
    pub fn source_is_netdev(&self) -> bool {
        self.0.source == bindings::hwtstamp_source_HWTSTAMP_SOURCE_NETDEV
    }

    /// Sets everything `ndo_hwtstamp_get` reports.
    pub fn set(&mut self, flags: i32, tx_type: u32, rx_filter: u32) {
        self.0.flags = flags;
        self.0.tx_type = enum_value(tx_type);
        self.0.rx_filter = enum_value(rx_filter);
    }

    /// Reports back the receive filter actually applied, when the device
    /// time stamps more than asked.
    pub fn set_rx_filter(&mut self, rx_filter: u32) {
        self.0.rx_filter = enum_value(rx_filter);
    }
}

/// A mode or filter value as the C enum field holds it; the values are
/// small, a value that is not one becomes -1, which is none either.
fn enum_value(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(-1)
}

/// Transmit time stamping modes (`enum hwtstamp_tx_types`).
pub mod tx_type {
    use crate::kernel_ext::bindings;

    /// No transmit time stamps.
    pub const OFF: u32 = bindings::hwtstamp_tx_types_HWTSTAMP_TX_OFF;
    /// Hardware time stamps of the sent packets whose sockets ask for
    /// them.
    pub const ON: u32 = bindings::hwtstamp_tx_types_HWTSTAMP_TX_ON;
}

/// Receive time stamping filters (`enum hwtstamp_rx_filters`).
pub mod rx_filter {
    use crate::kernel_ext::bindings;

    /// No receive time stamps.
    pub const NONE: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_NONE;
    /// Some packets, more than asked for (what a driver reports back when
    /// its filter is wider than the request).
    pub const SOME: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_SOME;
    /// Every packet.
    pub const ALL: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_ALL;
    /// PTPv1 over UDP, any event packet.
    pub const PTP_V1_L4_EVENT: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V1_L4_EVENT;
    /// PTPv1 over UDP, Sync.
    pub const PTP_V1_L4_SYNC: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V1_L4_SYNC;
    /// PTPv1 over UDP, Delay_req.
    pub const PTP_V1_L4_DELAY_REQ: u32 =
        bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ;
    /// PTPv2 over UDP, any event packet.
    pub const PTP_V2_L4_EVENT: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L4_EVENT;
    /// PTPv2 over UDP, Sync.
    pub const PTP_V2_L4_SYNC: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L4_SYNC;
    /// PTPv2 over UDP, Delay_req.
    pub const PTP_V2_L4_DELAY_REQ: u32 =
        bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ;
    /// PTPv2 over Ethernet, any event packet.
    pub const PTP_V2_L2_EVENT: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L2_EVENT;
    /// PTPv2 over Ethernet, Sync.
    pub const PTP_V2_L2_SYNC: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L2_SYNC;
    /// PTPv2 over Ethernet, Delay_req.
    pub const PTP_V2_L2_DELAY_REQ: u32 =
        bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ;
    /// PTPv2 over any transport, any event packet.
    pub const PTP_V2_EVENT: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_EVENT;
    /// PTPv2 over any transport, Sync.
    pub const PTP_V2_SYNC: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_SYNC;
    /// PTPv2 over any transport, Delay_req.
    pub const PTP_V2_DELAY_REQ: u32 =
        bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_PTP_V2_DELAY_REQ;
    /// NTP, every packet.
    pub const NTP_ALL: u32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_NTP_ALL;
}
