// SPDX-License-Identifier: GPL-2.0

//! Interface statistics (`struct rtnl_link_stats64`, `ip -s link`).

use crate::kernel_ext::bindings;

/// Interface statistics, as `ndo_get_stats64` reports them
/// (`struct rtnl_link_stats64`).
///
/// The networking core hands the driver a zeroed structure; the driver sets
/// the counters it keeps.
#[repr(transparent)]
pub struct Stats64(bindings::rtnl_link_stats64);

/// Defines setters for counters of [`Stats64`].
macro_rules! stats64_setters {
    ($($(#[$doc:meta])* $field:ident;)*) => {
        impl Stats64 {
            $(
                $(#[$doc])*
                pub fn $field(&mut self, value: u64) -> &mut Self {
                    self.0.$field = value;
                    self
                }
            )*
        }
    };
}

stats64_setters! {
    /// Sets the number of packets received.
    rx_packets;
    /// Sets the number of packets transmitted.
    tx_packets;
    /// Sets the number of bytes received.
    rx_bytes;
    /// Sets the number of bytes transmitted.
    tx_bytes;
    /// Sets the number of received packets dropped by the driver or the
    /// device although they were fine.
    rx_dropped;
    /// Sets the number of packets dropped on transmit although they were
    /// fine.
    tx_dropped;
    /// Sets the number of bad packets received: every receive error,
    /// including those counted below.
    rx_errors;
    /// Sets the number of received packets dropped for want of room in the
    /// device's receive rings (overruns).
    rx_over_errors;
    /// Sets the number of received packets the device dropped for want of
    /// room in its own buffers before they reached a ring.
    rx_missed_errors;
    /// Sets the number of received packets dropped for a bad length.
    rx_length_errors;
}
