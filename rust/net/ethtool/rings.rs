// SPDX-License-Identifier: GPL-2.0

//! Ring sizes and queue counts: `ethtool -g/-G` (`struct
//! ethtool_ringparam`, `struct kernel_ethtool_ringparam`) and `ethtool
//! -l/-L` (`struct ethtool_channels`).

use crate::kernel_ext::bindings;

/// Ring sizes for `ethtool -g` (`struct ethtool_ringparam`): the largest
/// and the current number of descriptors of each kind of ring.
#[repr(transparent)]
pub struct RingParam(bindings::ethtool_ringparam);

impl RingParam {
    /// Sets the RX completion ring's size and maximum.
    pub fn set_rx(&mut self, pending: u32, max: u32) {
        self.0.rx_pending = pending;
        self.0.rx_max_pending = max;
    }

    /// Sets the size and maximum of the "mini" RX ring (for devices with
    /// header split: the header buffer ring).
    pub fn set_rx_mini(&mut self, pending: u32, max: u32) {
        self.0.rx_mini_pending = pending;
        self.0.rx_mini_max_pending = max;
    }

    /// Sets the size and maximum of the "jumbo" RX ring (with header
    /// split: the payload buffer ring).
    pub fn set_rx_jumbo(&mut self, pending: u32, max: u32) {
        self.0.rx_jumbo_pending = pending;
        self.0.rx_jumbo_max_pending = max;
    }

    /// Sets the TX ring's size and maximum.
    pub fn set_tx(&mut self, pending: u32, max: u32) {
        self.0.tx_pending = pending;
        self.0.tx_max_pending = max;
    }

    /// The requested RX completion ring size (`ethtool -G rx`).
    pub fn rx(&self) -> u32 {
        self.0.rx_pending
    }

    /// The requested "mini" RX ring size (`ethtool -G rx-mini`).
    pub fn rx_mini(&self) -> u32 {
        self.0.rx_mini_pending
    }

    /// The requested "jumbo" RX ring size (`ethtool -G rx-jumbo`).
    pub fn rx_jumbo(&self) -> u32 {
        self.0.rx_jumbo_pending
    }

    /// The requested TX ring size (`ethtool -G tx`).
    pub fn tx(&self) -> u32 {
        self.0.tx_pending
    }
}

/// Whether received TCP frames are split into header and payload buffers
/// (`ETHTOOL_TCP_DATA_SPLIT_*`, `ethtool -G ... tcp-data-split`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpDataSplit {
    /// The driver decides (`auto`, the default).
    Auto,
    /// Never split (`off`).
    Off,
    /// Split (`on`).
    On,
}

/// The ring parameters beyond the sizes (`struct
/// kernel_ethtool_ringparam`): header split and its threshold. The core
/// fills in the configured values (`dev->cfg`) before it asks the driver;
/// a driver reports the limits it has, such as
/// [`KernelRingParam::set_hds_thresh_max`].
#[repr(transparent)]
pub struct KernelRingParam(bindings::kernel_ethtool_ringparam);

impl KernelRingParam {
    /// The header-split mode (requested in `set_ringparam`, configured in
    /// `get_ringparam`).
    pub fn tcp_data_split(&self) -> TcpDataSplit {
        // ETHTOOL_TCP_DATA_SPLIT_UNKNOWN, _DISABLED, _ENABLED in
        // include/uapi/linux/ethtool_netlink_generated.h.
        match self.0.tcp_data_split {
            1 => TcpDataSplit::Off,
            2 => TcpDataSplit::On,
            _ => TcpDataSplit::Auto,
        }
    }

    /// Reports the header-split mode in effect (for `get_ringparam`; the
    /// core passes in the configured one, `auto` by default, which user
    /// space sees as no mode at all).
    pub fn set_tcp_data_split(&mut self, mode: TcpDataSplit) {
        self.0.tcp_data_split = match mode {
            TcpDataSplit::Auto => 0,
            TcpDataSplit::Off => 1,
            TcpDataSplit::On => 2,
        };
    }

    /// The header-split threshold: frames up to this many bytes are not
    /// split (`hds-thresh`).
    pub fn hds_thresh(&self) -> u32 {
        self.0.hds_thresh
    }

    /// Reports the largest header-split threshold the device takes (the
    /// core refuses larger requests before the driver sees them).
    pub fn set_hds_thresh_max(&mut self, max: u32) {
        self.0.hds_thresh_max = max;
    }
}

/// Ring parameters beyond the sizes that a device lets user space set
/// (`ETHTOOL_RING_USE_*`); the core refuses the others before the driver
/// sees them.
pub mod ring_params {
    use crate::kernel_ext::bindings;

    /// `tcp-data-split`.
    pub const TCP_DATA_SPLIT: u32 = bindings::ETHTOOL_RING_USE_TCP_DATA_SPLIT;
    /// `hds-thresh`.
    pub const HDS_THRESH: u32 = bindings::ETHTOOL_RING_USE_HDS_THRS;
}

/// Queue counts for `ethtool -l` (`struct ethtool_channels`).
#[repr(transparent)]
pub struct Channels(bindings::ethtool_channels);

impl Channels {
    /// Sets the number of combined (TX and RX) channels and its maximum.
    pub fn set_combined(&mut self, count: u32, max: u32) {
        self.0.combined_count = count;
        self.0.max_combined = max;
    }

    /// Sets the number of RX-only channels and its maximum.
    pub fn set_rx(&mut self, count: u32, max: u32) {
        self.0.rx_count = count;
        self.0.max_rx = max;
    }

    /// Sets the number of TX-only channels and its maximum.
    pub fn set_tx(&mut self, count: u32, max: u32) {
        self.0.tx_count = count;
        self.0.max_tx = max;
    }

    /// Sets the number of "other" channels (interrupts for anything but
    /// queues, such as link events) and its maximum.
    pub fn set_other(&mut self, count: u32, max: u32) {
        self.0.other_count = count;
        self.0.max_other = max;
    }

    /// The requested number of combined channels (`ethtool -L combined`).
    pub fn combined(&self) -> u32 {
        self.0.combined_count
    }

    /// The requested number of RX-only channels (`ethtool -L rx`).
    pub fn rx(&self) -> u32 {
        self.0.rx_count
    }

    /// The requested number of TX-only channels (`ethtool -L tx`).
    pub fn tx(&self) -> u32 {
        self.0.tx_count
    }

    /// The requested number of other channels (`ethtool -L other`).
    pub fn other(&self) -> u32 {
        self.0.other_count
    }
}
