// SPDX-License-Identifier: GPL-2.0

//! Time stamping capabilities and counters for `ethtool -T` (`struct
//! kernel_ethtool_ts_info`, `struct ethtool_ts_stats`).

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

/// Transmit time stamping counters, for `ethtool -I -T` (`struct
/// ethtool_ts_stats`).
///
/// The core presets every counter to "not reported"; the driver sets
/// those it keeps, and the others stay out of the answer.
///
/// # Examples
///
/// ```
/// use kernel_ext::net::ethtool::TsStats;
///
/// fn report(stats: &mut TsStats, stamped: u64, lost: u64) {
///     stats.pkts(stamped).lost(lost);
/// }
/// ```
#[repr(transparent)]
pub struct TsStats(bindings::ethtool_ts_stats);

impl TsStats {
    /// Sets the packets the device time stamped, whose time stamps went
    /// to their sockets.
    pub fn pkts(&mut self, value: u64) -> &mut Self {
        // The union's two members are the same counters (a struct
        // group); writing one is writing both.
        self.0.__bindgen_anon_1.tx_stats.pkts = value;
        self
    }

    /// Sets the time stamp requests whose time stamp never came: the
    /// packet left the queue (e.g. at a reset) before it.
    pub fn lost(&mut self, value: u64) -> &mut Self {
        self.0.__bindgen_anon_1.tx_stats.lost = value;
        self
    }

    /// Sets the time stamp errors the device reported, apart from
    /// [`lost`](Self::lost) ones.
    pub fn err(&mut self, value: u64) -> &mut Self {
        self.0.__bindgen_anon_1.tx_stats.err = value;
        self
    }
}

/// Time stamping capabilities (`SOF_TIMESTAMPING_*`).
pub mod so_timestamping {
    use crate::kernel_ext::bindings;

    /// Hardware time stamps of sent packets.
    pub const TX_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_TX_HARDWARE;
    /// Software time stamps of sent packets, taken as the driver hands
    /// them to the device.
    pub const TX_SOFTWARE: u32 = bindings::SOF_TIMESTAMPING_TX_SOFTWARE;
    /// Hardware time stamps of received packets.
    pub const RX_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RX_HARDWARE;
    /// Hardware time stamps reported in the device's clock.
    pub const RAW_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RAW_HARDWARE;
}
