// SPDX-License-Identifier: GPL-2.0

//! Networking: network devices, their ethtool operations, socket buffers
//! and page pools.
//!
//! These complement `kernel::net` (which has PHY drivers only) for a driver
//! of a network interface card: [`Device`] and friends wrap
//! `struct net_device` and `struct net_device_ops`, [`ethtool`] wraps
//! `struct ethtool_ops`, [`devlink`] the device-wide `struct devlink`,
//! [`skbuff`] wraps `struct sk_buff`, [`page_pool`] wraps
//! `struct page_pool` for zero-copy receive, [`xdp`] the XDP programs a
//! driver runs on received frames, [`netlink`] the error message of a
//! configuration request.

mod device;
pub mod devlink;
pub mod ethtool;
mod napi;
pub mod netlink;
pub mod page_pool;
pub mod qstats;
pub mod queue_mgmt;
pub mod skbuff;
pub mod xdp;

pub(crate) use device::raw_device;
pub use device::with_rtnl;
pub use device::{
    hwtstamp,
    is_valid_ether_addr,
    AddrList,
    Builder,
    Device,
    Features,
    Handle,
    HwtstampConfig,
    Operations,
    QueueType,
    Registration,
    Rtnl,
    Stats64,
    TxQueue,
    TxResult,
    ETH_ALEN, //
};
pub use napi::{
    Napi,
    NapiContext,
    Poll, //
};

/// Fills `key` with the system's RSS hash key (`netdev_rss_key_fill()`):
/// one random key shared by all devices, so that a flow hashes the same
/// way on every interface.
pub fn rss_key_fill(key: &mut [u8]) {
    // SAFETY: `key` is valid for writes of its length; the C function
    // clamps the length to the size of the system key.
    unsafe { crate::kernel_ext::bindings::netdev_rss_key_fill(key.as_mut_ptr().cast(), key.len()) }
}

/// Whether a networking message may be printed now (`net_ratelimit()`):
/// false once too many were printed lately, system-wide, so that an event
/// that repeats cannot flood the log.
///
/// # Examples
///
/// ```
/// use kernel_ext::net;
///
/// fn report_timeout(queue: u32) {
///     if net::ratelimit() {
///         kernel::pr_warn!("queue {queue} timed out\n");
///     }
/// }
/// ```
pub fn ratelimit() -> bool {
    // SAFETY: No preconditions; callable from any context.
    unsafe { crate::kernel_ext::bindings::net_ratelimit() != 0 }
}

/// The number of CPUs online (`num_online_cpus()`), e.g. to size a
/// device's queue count.
pub fn num_online_cpus() -> u32 {
    // SAFETY: No preconditions.
    unsafe { crate::kernel_ext::bindings::num_online_cpus() }
}

/// The number of RSS queues a multi-queue device should start with
/// (`netif_get_num_default_rss_queues()`): one per physical core, SMT
/// siblings counted once, at least 1.
///
/// # Examples
///
/// ```
/// use kernel_ext::net;
///
/// // At most one queue per vector the device got.
/// fn initial_queues(vectors: u32) -> u32 {
///     net::num_default_rss_queues().min(vectors)
/// }
/// ```
pub fn num_default_rss_queues() -> u32 {
    // SAFETY: No preconditions; it may sleep (allocates a CPU mask), which
    // callers in process context allow.
    let n = unsafe { crate::kernel_ext::bindings::netif_get_num_default_rss_queues() };
    u32::try_from(n).unwrap_or(1).max(1)
}

/// Waits until every RCU read-side critical section in progress has ended
/// (`synchronize_net()`: an expedited grace period under RTNL), e.g. every
/// [`Operations::xdp_xmit`] call that saw the datapath running before the
/// driver marked it stopped (the core calls it with bottom halves off,
/// which is such a section). Sleeps: process context only.
pub fn synchronize_net() {
    // SAFETY: No preconditions beyond process context, which the caller
    // is in (this function may sleep).
    unsafe { crate::kernel_ext::bindings::synchronize_net() }
}
