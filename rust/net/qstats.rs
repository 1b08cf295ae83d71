// SPDX-License-Identifier: GPL-2.0

//! Per-queue statistics of network devices (`struct netdev_stat_ops`).
//!
//! C header: [`include/net/netdev_queues.h`](srctree/include/net/netdev_queues.h)
//!
//! A device that keeps its counters per queue reports them through the
//! netdev netlink family (`ynl --family netdev --dump qstats-get`), queue
//! by queue, and the core sums them up for the device-wide view. Queues
//! come and go (the interface goes down, the number of channels changes),
//! so the device also reports a *base*: what the queues that no longer
//! exist counted. Per-queue sums plus the base must add up to the
//! interface statistics (`ndo_get_stats64`) for every counter both have.
//!
//! The private data type of the device implements [`Operations`] next to
//! [`net::Operations`](super::Operations) and installs the table with
//! [`Builder::set_stat_ops`](super::Builder::set_stat_ops) before
//! registering the device.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     num::casts::FromSafeCast,
//!     prelude::*, //
//! };
//! use kernel_ext::net::{
//!     self,
//!     qstats, //
//! };
//! # use kernel_ext::net::skbuff::SkBuff;
//!
//! struct Counters {
//!     packets: u64,
//!     bytes: u64,
//! }
//!
//! struct Port {
//!     rx: KVec<Counters>,
//!     tx: KVec<Counters>,
//! }
//! # #[vtable]
//! # impl net::Operations for Port {
//! #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//! #         drop(skb);
//! #         net::TxResult::Ok
//! #     }
//! # }
//!
//! #[vtable]
//! impl qstats::Operations for Port {
//!     fn get_queue_stats_rx(dev: &net::Device<Self>, index: u32, rx: &mut qstats::Rx) {
//!         if let Some(q) = dev.data().rx.get(usize::from_safe_cast(index)) {
//!             rx.packets(q.packets).bytes(q.bytes);
//!         }
//!     }
//!
//!     fn get_queue_stats_tx(dev: &net::Device<Self>, index: u32, tx: &mut qstats::Tx) {
//!         if let Some(q) = dev.data().tx.get(usize::from_safe_cast(index)) {
//!             tx.packets(q.packets).bytes(q.bytes);
//!         }
//!     }
//!
//!     fn get_base_stats(_dev: &net::Device<Self>, rx: &mut qstats::Rx, tx: &mut qstats::Tx) {
//!         // Nothing counted outside the live queues.
//!         rx.packets(0).bytes(0);
//!         tx.packets(0).bytes(0);
//!     }
//! }
//! ```

use core::marker::PhantomData;
use kernel::{
    error::VTABLE_DEFAULT_ERROR,
    prelude::*, //
};

use super::Device;
use crate::kernel_ext::bindings;

/// Receive counters of one queue or the base (`struct
/// netdev_queue_stats_rx`).
///
/// The core hands them in with every counter marked "not collected"; the
/// driver sets those it keeps and leaves the others alone. In
/// [`Operations::get_base_stats`], setting a counter (even to zero) also
/// says that the device-wide sum of it is complete.
#[repr(transparent)]
pub struct Rx(bindings::netdev_queue_stats_rx);

/// Transmit counters of one queue or the base (`struct
/// netdev_queue_stats_tx`), set like [`Rx`].
#[repr(transparent)]
pub struct Tx(bindings::netdev_queue_stats_tx);

/// Defines setters for counters of a statistics wrapper.
macro_rules! setters {
    ($ty:ident { $($(#[$doc:meta])* $field:ident;)* }) => {
        impl $ty {
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

setters!(Rx {
    /// Sets the number of bytes received (`rx-bytes`), as handed to the
    /// stack.
    bytes;
    /// Sets the number of packets received (`rx-packets`).
    packets;
    /// Sets how often a buffer could not be allocated (`rx-alloc-fail`).
    alloc_fail;
    /// Sets the packets received with `CHECKSUM_COMPLETE`
    /// (`rx-csum-complete`).
    csum_complete;
    /// Sets the packets received with `CHECKSUM_UNNECESSARY`
    /// (`rx-csum-unnecessary`).
    csum_unnecessary;
    /// Sets the packets received without checksum information
    /// (`rx-csum-none`).
    csum_none;
    /// Sets the packets the device dropped, for any reason
    /// (`rx-hw-drops`).
    hw_drops;
    /// Sets those of them dropped for want of room in the ring
    /// (`rx-hw-drop-overruns`).
    hw_drop_overruns;
});

setters!(Tx {
    /// Sets the number of bytes transmitted (`tx-bytes`), as the stack
    /// handed them over.
    bytes;
    /// Sets the number of packets transmitted (`tx-packets`).
    packets;
    /// Sets the packets sent without a checksum request (`tx-csum-none`).
    csum_none;
    /// Sets the packets the device inserted a checksum into
    /// (`tx-needs-csum`).
    needs_csum;
    /// Sets the packets the device segmented (`tx-hw-gso-packets`).
    hw_gso_packets;
    /// Sets the bytes of the packets the device segmented
    /// (`tx-hw-gso-bytes`).
    hw_gso_bytes;
    /// Sets the segments the device made of them (`tx-hw-gso-wire-packets`).
    hw_gso_wire_packets;
    /// Sets how often the queue was stopped for lack of room (`tx-stop`).
    stop;
    /// Sets how often it was restarted (`tx-wake`).
    wake;
});

/// The `netdev_stat_ops` callbacks of a network device whose private data
/// is `Self`.
///
/// The core calls them under RTNL (or the device's instance lock), the
/// per-queue ones only for queues that currently exist (`index` below the
/// number of real RX or TX queues). When it sums up a whole device it
/// calls [`get_base_stats`](Operations::get_base_stats) and then every
/// queue without dropping the lock in between.
#[vtable]
pub trait Operations: super::Operations {
    /// Reports the receive counters of RX queue `index`
    /// (`get_queue_stats_rx`).
    fn get_queue_stats_rx(_dev: &Device<Self>, _index: u32, _rx: &mut Rx) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the transmit counters of TX queue `index`
    /// (`get_queue_stats_tx`).
    fn get_queue_stats_tx(_dev: &Device<Self>, _index: u32, _tx: &mut Tx) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports what is not counted by any live queue (`get_base_stats`):
    /// the history of queues that were freed.
    fn get_base_stats(_dev: &Device<Self>, _rx: &mut Rx, _tx: &mut Tx) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C operation table of `T` and the callbacks in it.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>` (the core calls this
    /// for registered devices only), and `rx` valid for writes and not
    /// accessed by anything else during the call.
    unsafe extern "C" fn get_queue_stats_rx(
        ndev: *mut bindings::net_device,
        idx: c_int,
        rx: *mut bindings::netdev_queue_stats_rx,
    ) {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Rx` is a `#[repr(transparent)]` wrapper of
        // `netdev_queue_stats_rx`; `rx` is valid and ours for the call.
        let rx = unsafe { &mut *rx.cast::<Rx>() };
        if let Ok(index) = u32::try_from(idx) {
            T::get_queue_stats_rx(dev, index, rx);
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_queue_stats_rx`], with `tx` in place of `rx`.
    unsafe extern "C" fn get_queue_stats_tx(
        ndev: *mut bindings::net_device,
        idx: c_int,
        tx: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: As in `get_queue_stats_rx`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Tx` is a transparent wrapper; `tx` is valid and ours for
        // the call.
        let tx = unsafe { &mut *tx.cast::<Tx>() };
        if let Ok(index) = u32::try_from(idx) {
            T::get_queue_stats_tx(dev, index, tx);
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_queue_stats_rx`], for both `rx` and `tx`.
    unsafe extern "C" fn get_base_stats(
        ndev: *mut bindings::net_device,
        rx: *mut bindings::netdev_queue_stats_rx,
        tx: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: As in `get_queue_stats_rx`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Transparent wrappers; both are valid, distinct and ours
        // for the call.
        let (rx, tx) = unsafe { (&mut *rx.cast::<Rx>(), &mut *tx.cast::<Tx>()) };
        T::get_base_stats(dev, rx, tx);
    }

    const VTABLE: bindings::netdev_stat_ops = bindings::netdev_stat_ops {
        get_queue_stats_rx: if T::HAS_GET_QUEUE_STATS_RX {
            Some(Self::get_queue_stats_rx)
        } else {
            None
        },
        get_queue_stats_tx: if T::HAS_GET_QUEUE_STATS_TX {
            Some(Self::get_queue_stats_tx)
        } else {
            None
        },
        get_base_stats: if T::HAS_GET_BASE_STATS {
            Some(Self::get_base_stats)
        } else {
            None
        },
    };
}

/// Returns the statistics operation table of `T`.
pub(super) const fn ops_table<T: Operations>() -> &'static bindings::netdev_stat_ops {
    &OpsTable::<T>::VTABLE
}
