// SPDX-License-Identifier: GPL-2.0

//! Interrupt moderation for `ethtool -c/-C` (`struct ethtool_coalesce`).

use crate::kernel_ext::bindings;

/// Interrupt moderation for `ethtool -c` / `-C` (`struct
/// ethtool_coalesce`), the parameters a driver opts into with
/// [`Operations::SUPPORTED_COALESCE`](super::Operations::SUPPORTED_COALESCE);
/// the core rejects requests for others before the driver sees them.
#[repr(transparent)]
pub struct Coalesce(bindings::ethtool_coalesce);

impl Coalesce {
    /// `rx-usecs`: how long after a receive completion to interrupt.
    pub fn rx_usecs(&self) -> u32 {
        self.0.rx_coalesce_usecs
    }

    /// `tx-usecs`: how long after a transmit completion to interrupt.
    pub fn tx_usecs(&self) -> u32 {
        self.0.tx_coalesce_usecs
    }

    /// `rx-frames`: how many received frames to interrupt after at most.
    pub fn rx_max_frames(&self) -> u32 {
        self.0.rx_max_coalesced_frames
    }

    /// Sets `rx-frames`.
    pub fn set_rx_max_frames(&mut self, frames: u32) {
        self.0.rx_max_coalesced_frames = frames;
    }

    /// Sets `rx-usecs`.
    pub fn set_rx_usecs(&mut self, usecs: u32) {
        self.0.rx_coalesce_usecs = usecs;
    }

    /// Sets `tx-usecs`.
    pub fn set_tx_usecs(&mut self, usecs: u32) {
        self.0.tx_coalesce_usecs = usecs;
    }
}

/// Coalescing parameters a device supports (`ETHTOOL_COALESCE_*` in
/// `include/linux/ethtool.h`).
pub mod coalesce {
    use crate::kernel_ext::bindings;

    /// `rx-usecs`.
    pub const RX_USECS: u32 = bindings::ETHTOOL_COALESCE_RX_USECS;
    /// `tx-usecs`.
    pub const TX_USECS: u32 = bindings::ETHTOOL_COALESCE_TX_USECS;
    /// `rx-frames`.
    pub const RX_MAX_FRAMES: u32 = bindings::ETHTOOL_COALESCE_RX_MAX_FRAMES;
}
