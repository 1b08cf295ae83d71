// SPDX-License-Identifier: GPL-2.0

//! Network devices.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//!
//! A driver describes its network device with a type `T` that implements
//! [`Operations`]. `T` is the device's private data: it lives inside the
//! `struct net_device` allocation (the area `netdev_priv()` returns), is
//! initialized in place (so it may contain pinned types such as locks), and
//! its trait methods are the device's `net_device_ops` callbacks, which get
//! the [`Device`] they are called for and reach `T` through
//! [`Device::data`].
//!
//! [`Builder::new`] allocates an Ethernet device (`alloc_etherdev_mqs()`),
//! makes the bound bus device its parent and initializes `T`. The driver
//! then sets the MAC address and whatever else must be known before the
//! stack sees the device, and [`Builder::register`] registers it. The
//! resulting [`Registration`] unregisters and frees the device when dropped.
//!
//! Both borrow the parent for `'bound`, the lifetime of the parent's binding
//! to the driver (see `kernel::pci::Driver::Data`): a registration can only
//! be kept in the bus driver's per-device data and is therefore torn down at
//! unbind at the latest, while the device resources that `T` may use (such
//! as mapped BARs) are still there.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     device::{
//!         Bound,
//!         Device, //
//!     },
//!     prelude::*, //
//! };
//! use kernel_ext::net::{
//!     self,
//!     skbuff::{
//!         DropReason,
//!         SkBuff, //
//!     },
//! };
//!
//! struct Port {
//!     // Register BARs, rings, counters, ...
//! }
//!
//! #[vtable]
//! impl net::Operations for Port {
//!     fn open(dev: &net::Device<Self>) -> Result {
//!         dev.carrier_on();
//!         dev.start_queues();
//!         Ok(())
//!     }
//!
//!     fn stop(dev: &net::Device<Self>) -> Result {
//!         dev.tx_disable();
//!         dev.carrier_off();
//!         Ok(())
//!     }
//!
//!     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//!         // Hand `skb` to the hardware, or drop it:
//!         skb.drop_with_reason(DropReason::DevReady);
//!         net::TxResult::Ok
//!     }
//! }
//!
//! fn register<'bound>(
//!     parent: &'bound Device<Bound>,
//!     mac: &[u8; net::ETH_ALEN],
//! ) -> Result<net::Registration<'bound, Port>> {
//!     let mut builder = net::Builder::new(parent, 4, 4, Port {})?;
//!     builder.set_mac_address(mac)?;
//!     builder.register()
//! }
//! ```

use core::marker::PhantomData;
use kernel::{
    device::{
        self,
        Bound, //
    },
    error::to_result,
    num::casts::u32_as_usize,
    prelude::*,
    types::Opaque, //
};

use crate::kernel_ext::bindings;

mod addr;
mod features;
pub mod hwtstamp;
mod ops;
mod presence;
mod queue;
mod registration;
mod stats64;

pub use addr::{
    is_valid_ether_addr,
    AddrList, //
};
pub use features::Features;
pub use hwtstamp::HwtstampConfig;
pub use ops::{
    Operations,
    TxResult, //
};
pub use presence::with_rtnl;
pub use queue::{
    QueueType,
    TxQueue, //
};
pub use registration::{
    Builder,
    Handle,
    Registration, //
};
pub use stats64::Stats64;

/// Length of an Ethernet (MAC) address in bytes.
pub const ETH_ALEN: usize = u32_as_usize(bindings::ETH_ALEN);

/// Alignment the networking core guarantees for the private area of a
/// `struct net_device` (`NETDEV_ALIGN`).
const NETDEV_ALIGN: usize = u32_as_usize(bindings::NETDEV_ALIGN);

/// Returns the C `struct device` behind `dev`.
///
/// `kernel::device::Device` keeps its raw accessor crate-private; this is the
/// same conversion, relying on the layout it declares: `#[repr(transparent)]`
/// over `Opaque<bindings::device>` (plus a zero-sized context marker).
pub(crate) fn raw_device<Ctx: device::DeviceContext>(
    dev: &device::Device<Ctx>,
) -> *mut bindings::device {
    core::ptr::from_ref(dev)
        .cast::<bindings::device>()
        .cast_mut()
}

/// A network device whose private data is a `T`.
///
/// Drivers see it as `&Device<T>`: in the [`Operations`] callbacks, and
/// through [`Builder::device`] and [`Registration::device`].
///
/// # Invariants
///
/// `self.0` is a `struct net_device` allocated by [`Builder::new`] for this
/// `T`: its private area holds an initialized `T`, and both stay valid for
/// as long as a `&Device<T>` exists.
#[repr(transparent)]
pub struct Device<T>(Opaque<bindings::net_device>, PhantomData<T>);

// SAFETY: The methods of `Device<T>` may be called from any thread (the C
// functions behind them do their own synchronization), and the only access
// to `T` they give is `&T`, which is fine to share across threads when `T`
// is `Sync`.
unsafe impl<T: Sync> Sync for Device<T> {}

impl<T> Device<T> {
    /// Creates a reference to a [`Device`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct net_device` allocated by
    /// [`Builder::new`] for this `T`, whose `T` is initialized and which
    /// stays valid (not freed, `T` not dropped) for the lifetime `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Device<T>` is a `#[repr(transparent)]` wrapper of
        // `struct net_device` (plus a zero-sized marker), and the caller
        // guarantees the invariants for `'a`.
        unsafe { &*ptr.cast() }
    }

    pub(super) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// Returns the driver's private data of this device.
    pub fn data(&self) -> &T {
        // SAFETY: By the type invariant, `self.as_raw()` is a valid
        // `struct net_device` whose private area holds an initialized `T`
        // that is valid while `self` is.
        unsafe { &*bindings::netdev_priv(self.as_raw()).cast::<T>() }
    }

    /// Returns the interface name (e.g. `eth0`); before registration, the
    /// pattern the name will be made from (`eth%d`).
    pub fn name(&self) -> &CStr {
        // SAFETY: By the type invariant the device is valid; `name` is a
        // NUL-terminated array the core keeps terminated, changed only under
        // RTNL by renames, which callers of this method hold or tolerate.
        unsafe { CStr::from_char_ptr((*self.as_raw()).name.as_ptr().cast()) }
    }

    /// Returns the bus device this network device belongs to.
    pub fn parent(&self) -> &device::Device {
        // SAFETY: By the type invariant the `struct net_device` is valid;
        // `dev.parent` was set by `Builder::new` and never changes.
        let parent = unsafe { (*self.as_raw()).dev.parent };

        // SAFETY: `parent` is a valid device: the `struct net_device`
        // holds a reference to its parent for as long as it exists.
        unsafe { device::Device::from_raw(parent) }
    }

    /// Tells the stack that the link is up (`netif_carrier_on()`).
    pub fn carrier_on(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_carrier_on(self.as_raw()) }
    }

    /// Tells the stack that the link is down (`netif_carrier_off()`).
    pub fn carrier_off(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_carrier_off(self.as_raw()) }
    }

    /// Returns whether the interface is up (`netif_running()`): between a
    /// successful [`Operations::open`] and the matching
    /// [`Operations::stop`].
    pub fn is_running(&self) -> bool {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_running(self.as_raw()) }
    }

    /// The current MTU (`mtu`).
    pub fn mtu(&self) -> u32 {
        // SAFETY: By the type invariant, `self.as_raw()` is valid; the MTU
        // changes under RTNL, and is read as `READ_ONCE()` does.
        unsafe { core::ptr::read_volatile(core::ptr::addr_of!((*self.as_raw()).mtu)) }
    }

    /// Returns the current MAC address (`dev_addr`).
    pub fn mac_address(&self) -> [u8; ETH_ALEN] {
        let mut addr = [0u8; ETH_ALEN];
        // SAFETY: By the type invariant the device is valid; `dev_addr`
        // points to its `ETH_ALEN`-byte address (set up by
        // `alloc_etherdev_mqs()`), changed only under RTNL by whole-address
        // copies: a reader without RTNL may see a mix during a change,
        // which it has to tolerate like C readers do.
        unsafe {
            core::ptr::copy_nonoverlapping((*self.as_raw()).dev_addr, addr.as_mut_ptr(), ETH_ALEN)
        };
        addr
    }

    fn flags(&self) -> u32 {
        // SAFETY: By the type invariant the device is valid; the field is a
        // plain word, read once.
        unsafe { core::ptr::read_volatile(core::ptr::addr_of!((*self.as_raw()).flags)) }
    }

    /// Whether the interface is promiscuous (`IFF_PROMISC`): it is to
    /// receive every frame.
    pub fn is_promisc(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_PROMISC != 0
    }

    /// Whether the interface is to receive all multicast frames
    /// (`IFF_ALLMULTI`).
    pub fn is_allmulti(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_ALLMULTI != 0
    }

    /// Returns the features currently switched on.
    pub fn features(&self) -> Features {
        // SAFETY: By the type invariant, `self.as_raw()` is valid; the
        // field is a plain word, read once.
        Features(unsafe {
            core::ptr::read_volatile(core::ptr::addr_of!((*self.as_raw()).features))
        })
    }

    /// Returns TX queue `index`, or `None` if the device has fewer queues.
    pub fn tx_queue(&self, index: u32) -> Option<&TxQueue> {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        if index >= unsafe { (*self.as_raw()).num_tx_queues } {
            return None;
        }
        // SAFETY: `index` is below the number of queues, which are
        // allocated with the device and live as long as it does.
        let txq = unsafe { bindings::netdev_get_tx_queue(self.as_raw(), index) };
        // SAFETY: `txq` is a valid queue of this device, alive while `self`
        // is; `TxQueue` is a transparent wrapper of it.
        Some(unsafe { &*txq.cast::<TxQueue>() })
    }

    /// Allows the stack to transmit on all TX queues
    /// (`netif_tx_start_all_queues()`), typically when the device is opened.
    pub fn start_queues(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_tx_start_all_queues(self.as_raw()) }
    }

    /// Restarts all TX queues stopped for lack of space
    /// (`netif_tx_wake_all_queues()`), rescheduling their pending packets.
    pub fn wake_queues(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_tx_wake_all_queues(self.as_raw()) }
    }

    /// Stops the stack from transmitting on any TX queue and waits for
    /// transmissions in progress to finish (`netif_tx_disable()`): once it
    /// returns, [`Operations::start_xmit`] is not running and is not called
    /// again until the queues are started or woken. It takes each TX
    /// queue's lock, so calling it from `start_xmit` deadlocks.
    pub fn tx_disable(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_tx_disable(self.as_raw()) }
    }

    /// Returns the bus device this network device belongs to, bound to its
    /// driver.
    ///
    /// A `Device<T>` is only reachable while its parent is bound: through a
    /// [`Builder`] or a [`Registration`], which borrow the bound parent, or
    /// from a callback or a [`Handle`], which run only while the device is
    /// registered. So the parent's device resources (for instance DMA
    /// allocations) may be used.
    pub fn bound_parent(&self) -> &device::Device<Bound> {
        // SAFETY: As explained above, the parent stays bound for as long as
        // `self` is borrowed.
        unsafe { self.parent().as_bound() }
    }

    /// Returns whether the user set the RSS indirection table
    /// (`netif_is_rxfh_configured()`): a driver keeps it then when the
    /// number of RX queues changes, rather than spreading it anew.
    pub fn is_rxfh_configured(&self) -> bool {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_is_rxfh_configured(self.as_raw()) }
    }

    /// Takes the interface down as `ip link set down` does
    /// (`netif_close()`): the stack stops it and calls
    /// [`Operations::stop`]. Nothing happens if it is not up.
    pub fn close(&self, _rtnl: &Rtnl<'_>) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid, and the
        // caller holds RTNL (proven by `_rtnl`), which the function needs.
        unsafe { bindings::netif_close(self.as_raw()) }
    }

    /// Brings the interface up as `ip link set up` does (`netif_open()`):
    /// the stack calls [`Operations::open`]. Nothing happens if it is up.
    pub fn open(&self, _rtnl: &Rtnl<'_>) -> Result {
        // SAFETY: By the type invariant, `self.as_raw()` is valid, and the
        // caller holds RTNL (proven by `_rtnl`); a NULL extack is allowed.
        to_result(unsafe { bindings::netif_open(self.as_raw(), core::ptr::null_mut()) })
    }

    /// Sets the number of TX and RX queues the stack uses
    /// (`netif_set_real_num_queues()`), at most the numbers the device was
    /// allocated with. Fails, with the counts unchanged, if the core cannot
    /// allocate what the new queues need.
    pub fn set_real_num_queues(&self, _rtnl: &Rtnl<'_>, tx: u32, rx: u32) -> Result {
        // SAFETY: By the type invariant, `self.as_raw()` is valid, and the
        // caller holds RTNL (proven by `_rtnl`), which the function needs
        // for a registered device.
        to_result(unsafe { bindings::netif_set_real_num_queues(self.as_raw(), tx, rx) })
    }

    /// Records which NAPI instance services queue `index` of `kind`
    /// (`netif_queue_set_napi()`), as the netdev netlink family reports it;
    /// `None` clears it. Queues beyond the allocated count, and NAPI
    /// instances not attached to this device, are ignored.
    pub fn set_queue_napi(
        &self,
        _rtnl: &Rtnl<'_>,
        index: u32,
        kind: QueueType,
        napi: Option<&super::Napi>,
    ) {
        // SAFETY: Under RTNL (proven by `_rtnl`).
        unsafe { self.set_queue_napi_raw(index, kind, napi) }
    }

    /// # Safety
    ///
    /// The caller holds RTNL, or the device is not registered.
    unsafe fn set_queue_napi_raw(&self, index: u32, kind: QueueType, napi: Option<&super::Napi>) {
        let raw = self.as_raw();
        // SAFETY: By the type invariant `raw` is valid.
        let (num_tx, num_rx) = unsafe { ((*raw).num_tx_queues, (*raw).num_rx_queues) };
        let limit = match kind {
            QueueType::Rx => num_rx,
            QueueType::Tx => num_tx,
        };
        if index >= limit {
            return;
        }
        let napi = match napi {
            None => core::ptr::null_mut(),
            // SAFETY: `n` is a valid NAPI instance; `dev` is set once, when
            // it is attached.
            Some(n) if unsafe { (*n.as_raw()).dev } == raw => n.as_raw(),
            Some(_) => return,
        };
        // SAFETY: `raw` is valid and `index` below the allocated count of
        // `kind` queues; the caller guarantees the locking. The NAPI
        // instance is attached to this device (checked above), which it
        // stays attached to for as long as the device exists (see `Napi`),
        // so the pointer stays valid while the queue refers to it. CAST:
        // `QueueType` is `repr(u32)`, its discriminants are the C values.
        unsafe {
            bindings::netif_queue_set_napi(raw, index, kind as bindings::netdev_queue_type, napi)
        }
    }
}

/// Proof that the current thread holds the RTNL lock, for as long as the
/// value is borrowed.
///
/// The networking core calls configuration callbacks (ethtool operations
/// among them) under RTNL; the abstractions hand such callbacks an `&Rtnl`
/// so that they can call functions that need the lock.
///
/// # Invariants
///
/// The current thread holds RTNL for `'a`. (The raw pointer in the marker
/// keeps the value on the thread: it is neither `Send` nor `Sync`.)
pub struct Rtnl<'a>(PhantomData<(&'a (), *mut ())>);

impl Rtnl<'_> {
    /// Creates the proof.
    ///
    /// # Safety
    ///
    /// The current thread holds RTNL for the lifetime of the value.
    pub(super) unsafe fn new() -> Self {
        // INVARIANT: The caller guarantees it.
        Self(PhantomData)
    }
}
