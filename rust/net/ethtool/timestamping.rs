// SPDX-License-Identifier: GPL-2.0

//! Time stamping capabilities for `ethtool -T` (`struct
//! kernel_ethtool_ts_info`).

use crate::kernel_ext::bindings;

/// What a device can time stamp and with which clock, for `ethtool -T`
/// (`struct kernel_ethtool_ts_info`).
///
/// The core passes it in with no hardware clock (index -1) and no
/// capabilities, and adds software receive time stamps itself afterwards.
#[repr(transparent)]
pub struct TsInfo(bindings::kernel_ethtool_ts_info);

impl TsInfo {
    /// Names the device's PTP hardware clock, `N` of `/dev/ptpN`
    /// (see `kernel_ext::ptp::Registration::index`).
    pub fn set_phc_index(&mut self, index: i32) {
        self.0.phc_index = index;
    }

    /// Sets the `SO_TIMESTAMPING` capabilities, [`so_timestamping`] flags.
    pub fn set_so_timestamping(&mut self, flags: u32) {
        self.0.so_timestamping = flags;
    }

    /// Sets the transmit modes offered, a bit per
    /// [`tx_type`](crate::kernel_ext::net::hwtstamp::tx_type) value.
    pub fn set_tx_types(&mut self, types: u32) {
        self.0.tx_types = types;
    }

    /// Sets the receive filters offered, a bit per
    /// [`rx_filter`](crate::kernel_ext::net::hwtstamp::rx_filter) value.
    pub fn set_rx_filters(&mut self, filters: u32) {
        self.0.rx_filters = filters;
    }
}

/// Time stamping capabilities (`SOF_TIMESTAMPING_*`).
pub mod so_timestamping {
    use crate::kernel_ext::bindings;

    /// Hardware time stamps of received packets.
    pub const RX_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RX_HARDWARE;
    /// Hardware time stamps reported in the device's clock.
    pub const RAW_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RAW_HARDWARE;
}
