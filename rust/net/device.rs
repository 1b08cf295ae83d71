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
//! ```ignore
//! use kernel::{device::Bound, device::Device, prelude::*};
//! use kernel_ext::net::{self, skbuff::SkBuff};
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
//!         dev.stop_queues();
//!         dev.carrier_off();
//!         Ok(())
//!     }
//!
//!     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//!         // Hand `skb` to the hardware, or drop it:
//!         skb.consume();
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

use core::{
    marker::PhantomData,
    mem::{align_of, size_of, ManuallyDrop},
    ptr::NonNull,
};
use kernel::{
    device::{self, Bound},
    error::{from_result, to_result, VTABLE_DEFAULT_ERROR},
    prelude::*,
    revocable::Revocable,
    sync::Arc,
    types::Opaque,
};

use super::skbuff::SkBuff;
use crate::kernel_ext::bindings;

/// Length of an Ethernet (MAC) address in bytes.
pub const ETH_ALEN: usize = bindings::ETH_ALEN as usize;

/// Alignment the networking core guarantees for the private area of a
/// `struct net_device` (`NETDEV_ALIGN`).
const NETDEV_ALIGN: usize = 32;

/// Returns the C `struct device` behind `dev`.
///
/// `kernel::device::Device` keeps its raw accessor crate-private; this is the
/// same conversion, relying on the layout it declares: `#[repr(transparent)]`
/// over `Opaque<bindings::device>` (plus a zero-sized context marker).
pub(super) fn raw_device<Ctx: device::DeviceContext>(
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

    /// Returns whether the stack considers the link up
    /// (`netif_carrier_ok()`).
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_carrier_ok(self.as_raw()) }
    }

    /// Returns whether the interface is up (`netif_running()`): between a
    /// successful [`Operations::open`] and the matching
    /// [`Operations::stop`].
    pub fn is_running(&self) -> bool {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_running(self.as_raw()) }
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

    /// Whether the interface receives broadcast frames (`IFF_BROADCAST`,
    /// set for every Ethernet device).
    pub fn is_broadcast(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_BROADCAST != 0
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

    /// Sets the protocol of a received Ethernet frame and strips its
    /// Ethernet header (`eth_type_trans()`), before the frame goes to the
    /// stack.
    pub fn eth_type_trans(&self, skb: &mut SkBuff) {
        let raw = skb.as_raw();
        // SAFETY: `raw` is a valid socket buffer we own holding at least
        // the data the driver put in it, and `self.as_raw()` is a valid
        // device; `eth_type_trans()` checks the length itself.
        let protocol = unsafe { bindings::eth_type_trans(raw, self.as_raw()) };
        // SAFETY: `protocol` is a member of the `headers` group, which
        // bindgen renders as a union field under a generated name; the
        // buffer is valid and ours.
        unsafe { (*raw).__bindgen_anon_4.headers.as_mut().protocol = protocol };
    }

    /// Allows the stack to transmit on all TX queues
    /// (`netif_tx_start_all_queues()`), typically when the device is opened.
    pub fn start_queues(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_tx_start_all_queues(self.as_raw()) }
    }

    /// Stops the stack from transmitting on any TX queue
    /// (`netif_tx_stop_all_queues()`).
    pub fn stop_queues(&self) {
        // SAFETY: By the type invariant, `self.as_raw()` is valid.
        unsafe { bindings::netif_tx_stop_all_queues(self.as_raw()) }
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
        // so the pointer stays valid while the queue refers to it.
        unsafe {
            bindings::netif_queue_set_napi(raw, index, kind as bindings::netdev_queue_type, napi)
        }
    }
}

/// A kind of queue of a network device (`enum netdev_queue_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum QueueType {
    /// A receive queue.
    Rx = bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_RX,
    /// A transmit queue.
    Tx = bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_TX,
}

/// Proof that the current thread holds the RTNL lock, for as long as the
/// value is borrowed.
///
/// The networking core calls configuration callbacks (ethtool operations
/// among them) under RTNL; the abstractions hand such callbacks an `&Rtnl`
/// so that they can call functions that need the lock.
pub struct Rtnl<'a>(PhantomData<(&'a (), *mut ())>);

impl Rtnl<'_> {
    /// Creates the proof.
    ///
    /// # Safety
    ///
    /// The current thread holds RTNL for the lifetime of the value.
    pub(super) unsafe fn new() -> Self {
        Self(PhantomData)
    }
}

/// A set of device features (`netdev_features_t`): offloads a driver
/// advertises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features(u64);

impl Features {
    const fn bit(bit: u32) -> Self {
        Self(1 << bit)
    }

    /// No features.
    pub const EMPTY: Self = Self(0);
    /// Scatter-gather: packets may come in page fragments.
    pub const SG: Self = Self::bit(bindings::NETIF_F_SG_BIT);
    /// The device inserts any L4 checksum (`CHECKSUM_PARTIAL`).
    pub const HW_CSUM: Self = Self::bit(bindings::NETIF_F_HW_CSUM_BIT);
    /// TCP segmentation over IPv4.
    pub const TSO: Self = Self::bit(bindings::NETIF_F_TSO_BIT);
    /// TCP segmentation over IPv6.
    pub const TSO6: Self = Self::bit(bindings::NETIF_F_TSO6_BIT);
    /// The device verifies received checksums.
    pub const RXCSUM: Self = Self::bit(bindings::NETIF_F_RXCSUM_BIT);
    /// The device hashes received flows.
    pub const RXHASH: Self = Self::bit(bindings::NETIF_F_RXHASH_BIT);
    /// The device steers flows by rules (`ethtool -N`, "ntuple filters").
    pub const NTUPLE: Self = Self::bit(bindings::NETIF_F_NTUPLE_BIT);
    /// TCP segmentation of packets with ECN's CWR flag set.
    pub const TSO_ECN: Self = Self::bit(bindings::NETIF_F_TSO_ECN_BIT);
    /// TCP segmentation over IPv4 that may repeat or renumber IP IDs.
    pub const TSO_MANGLEID: Self = Self::bit(bindings::NETIF_F_TSO_MANGLEID_BIT);
    /// UDP segmentation by payload (`SKB_GSO_UDP_L4`).
    pub const GSO_UDP_L4: Self = Self::bit(bindings::NETIF_F_GSO_UDP_L4_BIT);
    /// Segmentation of GRE tunnels.
    pub const GSO_GRE: Self = Self::bit(bindings::NETIF_F_GSO_GRE_BIT);
    /// Segmentation of GRE tunnels with a GRE checksum.
    pub const GSO_GRE_CSUM: Self = Self::bit(bindings::NETIF_F_GSO_GRE_CSUM_BIT);
    /// Segmentation of IP tunnels over IPv4 (IPIP, SIT).
    pub const GSO_IPXIP4: Self = Self::bit(bindings::NETIF_F_GSO_IPXIP4_BIT);
    /// Segmentation of IP tunnels over IPv6.
    pub const GSO_IPXIP6: Self = Self::bit(bindings::NETIF_F_GSO_IPXIP6_BIT);
    /// Segmentation of UDP tunnels (VXLAN, GENEVE).
    pub const GSO_UDP_TUNNEL: Self = Self::bit(bindings::NETIF_F_GSO_UDP_TUNNEL_BIT);
    /// Segmentation of UDP tunnels with an outer UDP checksum.
    pub const GSO_UDP_TUNNEL_CSUM: Self = Self::bit(bindings::NETIF_F_GSO_UDP_TUNNEL_CSUM_BIT);
    /// Segmentation in which the stack prepares the outer headers of
    /// every segment and the device segments the innermost L4 only
    /// (`NETIF_F_GSO_PARTIAL`), see [`Builder::set_gso_partial_features`].
    pub const GSO_PARTIAL: Self = Self::bit(bindings::NETIF_F_GSO_PARTIAL_BIT);
    /// Every checksum offload (`NETIF_F_CSUM_MASK`).
    pub const CSUM_MASK: Self = Self(
        Self::bit(bindings::NETIF_F_IP_CSUM_BIT).0
            | Self::bit(bindings::NETIF_F_IPV6_CSUM_BIT).0
            | Self::bit(bindings::NETIF_F_HW_CSUM_BIT).0,
    );
    /// Every segmentation offload (`NETIF_F_GSO_MASK`).
    pub const GSO_MASK: Self = Self(
        (u64::MAX >> (63 - bindings::NETIF_F_GSO_LAST)) & !((1 << bindings::NETIF_F_GSO_SHIFT) - 1),
    );

    /// Both sets.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether all of `other` is in the set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The segmentation features a packet of GSO type `gso_type` (its
    /// `SKB_GSO_*` bits) needs: the same bits, shifted to
    /// `NETIF_F_GSO_SHIFT`.
    pub(super) const fn from_gso_type(gso_type: u32) -> Self {
        Self(((gso_type as u64) << bindings::NETIF_F_GSO_SHIFT) & Self::GSO_MASK.0)
    }

    /// Whether the sets share a feature.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// The set without the features of `other`.
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }
}

impl core::ops::BitOr for Features {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

/// What [`Operations::start_xmit`] did with a packet.
pub enum TxResult {
    /// The driver took the packet: queued it to the hardware, or dropped it
    /// (`NETDEV_TX_OK`).
    Ok,
    /// The queue was full and the packet is handed back, for the stack to
    /// requeue it (`NETDEV_TX_BUSY`). A driver should stop the queue before
    /// it fills up instead, so that this does not happen.
    Busy(SkBuff),
}

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
    /// Sets the number of bad packets received.
    rx_errors;
    /// Sets the number of packets that could not be transmitted.
    tx_errors;
    /// Sets the number of received packets dropped by the driver or the
    /// device although they were fine.
    rx_dropped;
    /// Sets the number of packets dropped on transmit although they were
    /// fine.
    tx_dropped;
    /// Sets the number of multicast packets received.
    multicast;
    /// Sets the number of received packets with a CRC error.
    rx_crc_errors;
    /// Sets the number of packets the device missed for lack of buffers.
    rx_missed_errors;
}

/// The `net_device_ops` callbacks of a network device whose private data is
/// `Self`.
///
/// [`start_xmit`](Operations::start_xmit) is mandatory; every other method
/// the implementation leaves out is left NULL in the C table, and the
/// networking core's default applies.
///
/// The methods are called concurrently with each other, except that
/// [`open`](Operations::open) and [`stop`](Operations::stop) are serialized
/// by RTNL and `start_xmit` runs with the TX queue's lock held, so `Self`
/// gets only shared access and must be [`Sync`].
#[vtable]
pub trait Operations: Sized + Send + Sync {
    /// The interface is brought up (`ndo_open`, under RTNL). Returning an
    /// error keeps it down.
    fn open(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The interface is brought down (`ndo_stop`, under RTNL). The stack
    /// ignores errors: the interface is down afterwards either way.
    fn stop(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits a packet (`ndo_start_xmit`), from process or softirq
    /// context with the TX queue locked.
    ///
    /// `more` is the stack's hint (`netdev_xmit_more()`) that another
    /// packet for the same queue follows at once: the driver may then
    /// defer its doorbell, see [`TxQueue::sent_more`].
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, more: bool) -> TxResult;

    /// Reports the interface statistics (`ndo_get_stats64`), from any
    /// context; it must not sleep.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut Stats64) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs the receive filters (`ndo_set_rx_mode_async`): the device
    /// is to accept frames to its own address ([`Device::mac_address`]),
    /// to broadcast, to the unicast addresses in `uc` and the multicast
    /// addresses in `mc`, or everything with [`Device::is_promisc`], all
    /// multicast with [`Device::is_allmulti`].
    ///
    /// Called in process context under RTNL, with snapshots of the
    /// device's address lists, whenever a list or those flags change while
    /// the interface is up. An error makes the core retry later.
    fn set_rx_mode(_dev: &Device<Self>, _uc: &AddrList, _mc: &AddrList) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the device's MAC address to `addr` (`ndo_set_mac_address`,
    /// under RTNL), for instance in its receive filter if it is up. When
    /// this returns `Ok`, the address of the interface becomes `addr`; on
    /// error nothing changes. The driver checks that `addr` suits it, at
    /// least with [`is_valid_ether_addr`] (`EADDRNOTAVAIL` otherwise).
    fn set_mac_address(_dev: &Device<Self>, _addr: &[u8; ETH_ALEN]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Narrows the offloads the stack may use for `skb`
    /// (`ndo_features_check`), before it is passed to
    /// [`start_xmit`](Operations::start_xmit): what the device cannot do
    /// for this packet (headers too long for its descriptors, a tunnel it
    /// does not parse) the stack then does in software. Returns the
    /// features to keep, at most `features`.
    ///
    /// Called on the transmit path, possibly in softirq context; it must
    /// not sleep. Without this method the core's default applies, which
    /// checks VLAN-tagged packets only.
    fn features_check(_dev: &Device<Self>, _skb: &SkBuff, _features: Features) -> Features {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Whether `addr` is a valid address for an interface of its own
/// (`is_valid_ether_addr()`): neither multicast nor all zeroes.
pub fn is_valid_ether_addr(addr: &[u8; ETH_ALEN]) -> bool {
    // SAFETY: `addr` points to `ETH_ALEN` readable bytes.
    unsafe { bindings::is_valid_ether_addr(addr.as_ptr()) }
}

/// A list of hardware addresses of a device (`struct
/// netdev_hw_addr_list`), such as the snapshots of its unicast and
/// multicast lists that [`Operations::set_rx_mode`] gets.
///
/// # Invariants
///
/// `self.0` is a list whose entries are `struct netdev_hw_addr`, and
/// which does not change while a `&AddrList` exists.
#[repr(transparent)]
pub struct AddrList(Opaque<bindings::netdev_hw_addr_list>);

impl AddrList {
    /// Creates a reference to an [`AddrList`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid address list that nothing changes for
    /// the lifetime `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::netdev_hw_addr_list) -> &'a Self {
        // SAFETY: `AddrList` is a transparent wrapper and the caller
        // guarantees validity for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// The number of addresses in the list.
    pub fn len(&self) -> usize {
        // SAFETY: By the type invariant the list is valid and unchanging.
        let count = unsafe { (*self.0.get()).count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The addresses, in list order (`netdev_hw_addr_list_for_each()`).
    pub fn iter(&self) -> AddrIter<'_> {
        // SAFETY: By the type invariant the list is valid; `list` is its
        // head.
        let head = unsafe { core::ptr::addr_of_mut!((*self.0.get()).list) };
        // SAFETY: `head` is a valid, initialized list head.
        let first = unsafe { (*head).next };
        AddrIter {
            head,
            next: first,
            _p: PhantomData,
        }
    }
}

/// An iterator over the addresses of an [`AddrList`].
///
/// # Invariants
///
/// `head` is the head of a list of `struct netdev_hw_addr` that does not
/// change for `'a`, and `next` is its head or one of its entries' `list`
/// member.
pub struct AddrIter<'a> {
    head: *mut bindings::list_head,
    next: *mut bindings::list_head,
    _p: PhantomData<&'a AddrList>,
}

impl<'a> Iterator for AddrIter<'a> {
    type Item = &'a [u8; ETH_ALEN];

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == self.head || self.next.is_null() {
            return None;
        }
        let offset = core::mem::offset_of!(bindings::netdev_hw_addr, list);
        // SAFETY: By the type invariant `next` is the `list` member of an
        // entry, so going back by its offset gives the entry
        // (`container_of()`).
        let ha = unsafe {
            self.next
                .cast::<u8>()
                .sub(offset)
                .cast::<bindings::netdev_hw_addr>()
        };
        // SAFETY: `ha` is a valid entry that does not change for `'a`; its
        // `addr` holds at least `ETH_ALEN` bytes (`MAX_ADDR_LEN`), and for
        // an Ethernet device the address is its first `ETH_ALEN` bytes.
        let addr = unsafe { &*core::ptr::addr_of!((*ha).addr).cast::<[u8; ETH_ALEN]>() };
        // SAFETY: The entry is valid; its `next` is the following entry or
        // the head.
        self.next = unsafe { (*self.next).next };
        Some(addr)
    }
}

/// The C operation table of `T` and the callbacks in it.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device allocated by [`Builder::new`] for
    /// `T`; the networking core calls this for registered devices only.
    unsafe extern "C" fn open(ndev: *mut bindings::net_device) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, which keeps it and its `T` alive while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        from_result(|| T::open(dev).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`].
    unsafe extern "C" fn stop(ndev: *mut bindings::net_device) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        from_result(|| T::stop(dev).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `skb` must be a valid socket
    /// buffer whose ownership the networking core passes to the driver.
    unsafe extern "C" fn start_xmit(
        skb: *mut bindings::sk_buff,
        ndev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `skb` is valid and ours.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: No requirement; inside `ndo_start_xmit` the flag the stack
        // set for this packet is the one read (per CPU or per task).
        let more = unsafe { bindings::netdev_xmit_more() };

        match T::start_xmit(dev, skb, more) {
            TxResult::Ok => bindings::netdev_tx_NETDEV_TX_OK,
            TxResult::Busy(skb) => {
                // With NETDEV_TX_BUSY the packet goes back to the stack.
                skb.into_raw();
                bindings::netdev_tx_NETDEV_TX_BUSY
            }
        }
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `storage` must be valid for
    /// writes and not accessed by anything else during the call.
    unsafe extern "C" fn get_stats64(
        ndev: *mut bindings::net_device,
        storage: *mut bindings::rtnl_link_stats64,
    ) {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `Stats64` is a `#[repr(transparent)]` wrapper of
        // `rtnl_link_stats64`, and per the safety requirement `storage` is
        // valid and exclusively ours for the call.
        let stats = unsafe { &mut *storage.cast::<Stats64>() };
        T::get_stats64(dev, stats);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `uc` and `mc` must be valid
    /// address lists that nothing changes during the call.
    unsafe extern "C" fn set_rx_mode(
        ndev: *mut bindings::net_device,
        uc: *mut bindings::netdev_hw_addr_list,
        mc: *mut bindings::netdev_hw_addr_list,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement both lists are valid and
        // unchanging for the call (the core's private snapshots).
        let (uc, mc) = unsafe { (AddrList::from_raw(uc), AddrList::from_raw(mc)) };
        from_result(|| T::set_rx_mode(dev, uc, mc).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `addr` must point to a valid
    /// `struct sockaddr`, and the caller must hold RTNL.
    unsafe extern "C" fn set_mac_address(
        ndev: *mut bindings::net_device,
        addr: *mut c_void,
    ) -> c_int {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        let mut mac = [0u8; ETH_ALEN];
        // SAFETY: Per the safety requirement `addr` is a valid `struct
        // sockaddr`, whose `sa_data` holds at least `ETH_ALEN` bytes.
        unsafe {
            let data = core::ptr::addr_of!((*addr.cast::<bindings::sockaddr>()).sa_data);
            core::ptr::copy_nonoverlapping(data.cast::<u8>(), mac.as_mut_ptr(), ETH_ALEN);
        }
        from_result(|| {
            T::set_mac_address(dev, &mac)?;
            // SAFETY: The device is valid, the caller holds RTNL, and `mac`
            // is `ETH_ALEN` bytes.
            unsafe { bindings::eth_hw_addr_set(ndev, mac.as_ptr()) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::open`]; in addition `skb` must be a valid socket
    /// buffer that stays valid and unchanged during the call.
    unsafe extern "C" fn features_check(
        skb: *mut bindings::sk_buff,
        ndev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: As in `open`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `skb` is valid for the call.
        // The stack keeps its ownership: `ManuallyDrop` never frees it,
        // and the driver only gets a shared reference.
        let skb = ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        let kept = T::features_check(dev, &skb, Features(features));
        features & kept.0
    }

    const VTABLE: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: if T::HAS_OPEN { Some(Self::open) } else { None },
        ndo_stop: if T::HAS_STOP { Some(Self::stop) } else { None },
        ndo_start_xmit: Some(Self::start_xmit),
        ndo_get_stats64: if T::HAS_GET_STATS64 {
            Some(Self::get_stats64)
        } else {
            None
        },
        ndo_set_rx_mode_async: if T::HAS_SET_RX_MODE {
            Some(Self::set_rx_mode)
        } else {
            None
        },
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::set_mac_address)
        } else {
            None
        },
        ndo_features_check: if T::HAS_FEATURES_CHECK {
            Some(Self::features_check)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    const fn build() -> &'static bindings::net_device_ops {
        &Self::VTABLE
    }
}

/// An allocated network device that is not registered yet.
///
/// Dropping it drops `T` and frees the device.
///
/// # Invariants
///
/// `ndev` is a `struct net_device` allocated with `alloc_etherdev_mqs()`,
/// not registered, owned by this value, whose private area holds an
/// initialized `T`, whose operation table is `OpsTable<T>`'s and whose
/// parent is bound for `'bound`.
pub struct Builder<'bound, T: Operations> {
    ndev: NonNull<bindings::net_device>,
    _p: PhantomData<(&'bound device::Device<Bound>, T)>,
}

impl<'bound, T: Operations + 'bound> Builder<'bound, T> {
    /// Allocates an Ethernet device with `tx_queues` TX and `rx_queues` RX
    /// queues, child of `parent`, with `data` as its private data.
    ///
    /// The device starts with the defaults of `ether_setup()` (MTU 1500, no
    /// MAC address) and the carrier off, so that it does not look up before
    /// the driver saw the link.
    pub fn new<E>(
        parent: &'bound device::Device<Bound>,
        tx_queues: u32,
        rx_queues: u32,
        data: impl PinInit<T, E>,
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        const {
            assert!(
                align_of::<T>() <= NETDEV_ALIGN,
                "net_device private data must not need more than NETDEV_ALIGN"
            )
        };
        let priv_size = c_int::try_from(size_of::<T>())?;
        if tx_queues == 0 || rx_queues == 0 {
            return Err(EINVAL);
        }

        // SAFETY: `alloc_etherdev_mqs()` has no preconditions beyond valid
        // sizes, checked above.
        let ndev = unsafe { bindings::alloc_etherdev_mqs(priv_size, tx_queues, rx_queues) };
        let ndev = NonNull::new(ndev).ok_or(ENOMEM)?;
        let raw = ndev.as_ptr();

        // SAFETY: `raw` is a valid, unregistered `struct net_device` that
        // nothing else accesses yet. Setting the parent is
        // `SET_NETDEV_DEV()`; `parent` is bound for `'bound` and the device
        // takes a reference to it when registered.
        unsafe {
            (*raw).dev.parent = raw_device(parent);
            (*raw).netdev_ops = OpsTable::<T>::build();
        }

        // SAFETY: `raw` is valid; its private area is `size_of::<T>()`
        // bytes, aligned to `NETDEV_ALIGN` (checked above to be enough for
        // `T`).
        let slot = unsafe { bindings::netdev_priv(raw) }.cast::<T>();

        // SAFETY: `slot` is valid, uninitialized memory for a `T`, never
        // moved (the private area is part of the `struct net_device`
        // allocation) and on error only deallocated.
        if let Err(e) = unsafe { pin_init::raw_try_init(slot, data) } {
            // SAFETY: `raw` was allocated above and is not registered; the
            // failed initializer left nothing to drop.
            unsafe { bindings::free_netdev(raw) };
            return Err(e.into());
        }

        // SAFETY: `raw` is valid and not registered.
        unsafe { bindings::netif_carrier_off(raw) };

        // INVARIANT: Allocated, initialized and set up above.
        Ok(Self {
            ndev,
            _p: PhantomData,
        })
    }

    /// Returns the device, for instance to reach its private data.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: By the type invariant `self.ndev` is a device of
        // `Builder<T>` with `T` initialized, valid while `self` is.
        unsafe { Device::from_raw(self.ndev.as_ptr()) }
    }

    /// Sets the permanent and current MAC address. Fails with
    /// `EADDRNOTAVAIL` for a multicast or all-zeroes address.
    pub fn set_mac_address(&mut self, addr: &[u8; ETH_ALEN]) -> Result {
        // SAFETY: `addr` points to `ETH_ALEN` readable bytes.
        if !unsafe { bindings::is_valid_ether_addr(addr.as_ptr()) } {
            return Err(EADDRNOTAVAIL);
        }

        let raw = self.ndev.as_ptr();
        // SAFETY: By the type invariant `raw` is valid and unregistered, so
        // nothing reads the address concurrently; `addr` is `ETH_ALEN`
        // bytes, as both calls expect.
        unsafe {
            bindings::eth_hw_addr_set(raw, addr.as_ptr());
            core::ptr::copy_nonoverlapping(
                addr.as_ptr(),
                core::ptr::addr_of_mut!((*raw).perm_addr).cast::<u8>(),
                ETH_ALEN,
            );
        }
        Ok(())
    }

    /// Sets the range of MTUs the device accepts. Fails with `EINVAL` if
    /// `min > max` or the default MTU of 1500 is outside the range.
    pub fn set_mtu_range(&mut self, min: u32, max: u32) -> Result {
        let raw = self.ndev.as_ptr();

        // SAFETY: By the type invariant `raw` is valid and unregistered, so
        // nothing accesses these fields concurrently.
        unsafe {
            if min > max || (*raw).mtu < min || (*raw).mtu > max {
                return Err(EINVAL);
            }
            (*raw).min_mtu = min;
            (*raw).max_mtu = max;
        }
        Ok(())
    }

    /// Sets the header-split threshold the device starts with (the
    /// `hds-thresh` that `ethtool -g` reports until the user changes it;
    /// the core keeps it in `dev->cfg`).
    pub fn set_hds_thresh(&mut self, thresh: u32) {
        let raw = self.ndev.as_ptr();
        // SAFETY: By the type invariant `raw` is valid and unregistered, so
        // nothing accesses its configuration concurrently; the core
        // allocates `cfg` with the device.
        unsafe {
            if let Some(cfg) = (*raw).cfg.as_mut() {
                cfg.hds_thresh = thresh;
            }
        }
    }

    /// Registers the device with the networking stack (`register_netdev()`).
    ///
    /// From here on the callbacks of [`Operations`] may run. On failure the
    /// device is freed.
    pub fn register(self) -> Result<Registration<'bound, T>> {
        // Allocated first: once registered, nothing may fail any more.
        let handle = Arc::pin_init(
            pin_init!(Handle {
                dev <- Revocable::new(DevicePtr {
                    ndev: self.ndev,
                    _p: PhantomData,
                }),
            }),
            GFP_KERNEL,
        )?;

        let this = ManuallyDrop::new(self);
        let raw = this.ndev.as_ptr();

        // SAFETY: By the type invariant `raw` is a fully set up, unregistered
        // device.
        if let Err(e) = to_result(unsafe { bindings::register_netdev(raw) }) {
            // SAFETY: Registration failed, so the device is still unregistered
            // and owned by `this`, which is not dropped: drop `T` and free
            // the device exactly once, here.
            unsafe { free::<T>(raw) };
            return Err(e);
        }

        // INVARIANT: `raw` is registered now, and the ownership moves from
        // `this` (not dropped) to the registration.
        Ok(Registration {
            ndev: this.ndev,
            handle,
            _p: PhantomData,
        })
    }
}

impl<T: Operations> Builder<'_, T> {
    /// Advertises `features` as offloads the device does, switched on and
    /// switchable with `ethtool -K` (`hw_features` and `features`, also
    /// for VLAN devices on top).
    pub fn set_features(&mut self, features: Features) {
        let raw = self.ndev.as_ptr();
        // SAFETY: By the type invariant `raw` is valid and unregistered, so
        // nothing reads the features concurrently.
        unsafe {
            (*raw).hw_features |= features.0;
            (*raw).features |= features.0;
            (*raw).vlan_features |= features.0;
        }
    }

    /// Turns `features` on for good: the user cannot switch them off (they
    /// are left out of `hw_features`, and `ethtool -k` reports them
    /// `[fixed]`).
    pub fn set_fixed_features(&mut self, features: Features) {
        let raw = self.ndev.as_ptr();
        // SAFETY: As in `set_features`.
        unsafe { (*raw).features |= features.0 };
    }

    /// Advertises segmentation `features` that the device does only with
    /// the stack's help (`gso_partial_features`): for tunnels whose outer
    /// headers it does not parse, the stack makes those headers right for
    /// one segment and marks the packet `SKB_GSO_PARTIAL`; the device then
    /// copies them to every segment and segments the inner L4 only. The
    /// features are switched on like [`set_features`](Self::set_features)
    /// ones, together with [`Features::GSO_PARTIAL`] that governs them all.
    pub fn set_gso_partial_features(&mut self, features: Features) {
        let raw = self.ndev.as_ptr();
        // SAFETY: As in `set_features`.
        unsafe { (*raw).gso_partial_features |= features.0 };
        self.set_features(features | Features::GSO_PARTIAL);
    }

    /// Advertises `features` as offloads the device also does for the
    /// inner packet of a tunnel (`hw_enc_features`), e.g. the inner L4
    /// checksum.
    pub fn set_encap_features(&mut self, features: Features) {
        let raw = self.ndev.as_ptr();
        // SAFETY: As in `set_features`.
        unsafe { (*raw).hw_enc_features |= features.0 };
    }

    /// Sets the device's per-queue statistics operations to those `T`
    /// implements (`stat_ops`).
    pub fn set_stat_ops(&mut self)
    where
        T: super::qstats::Operations,
    {
        // SAFETY: By the type invariant the device is valid and
        // unregistered; the table is `'static` and only read by the core.
        unsafe {
            (*self.ndev.as_ptr()).stat_ops =
                core::ptr::from_ref(super::qstats::ops_table::<T>()).cast_mut()
        };
    }

    /// Declares that the device filters unicast addresses itself
    /// (`IFF_UNICAST_FLT`), so that extra unicast addresses reach
    /// [`Operations::set_rx_mode`] instead of making the core switch the
    /// device to promiscuous mode.
    pub fn set_unicast_filtering(&mut self) {
        let raw = self.ndev.as_ptr();
        // SAFETY: By the type invariant `raw` is valid and unregistered, so
        // nothing accesses the flags concurrently; `priv_flags` is a
        // bitfield that bindgen renders in an anonymous union.
        unsafe {
            let anon = &mut (*raw).__bindgen_anon_1.__bindgen_anon_1;
            // CAST: a 32-bit flag, widened.
            let flags = anon.priv_flags() | bindings::netdev_priv_flags_IFF_UNICAST_FLT as c_ulong;
            anon.set_priv_flags(flags);
        }
    }

    /// Sets the number of TX and RX queues the stack uses at first
    /// (`netif_set_real_num_queues()`), at most the numbers the device was
    /// allocated with.
    pub fn set_real_num_queues(&mut self, tx: u32, rx: u32) -> Result {
        // SAFETY: By the type invariant the device is valid and
        // unregistered, which needs no lock.
        to_result(unsafe { bindings::netif_set_real_num_queues(self.ndev.as_ptr(), tx, rx) })
    }

    /// Records which NAPI instance services queue `index` of `kind`
    /// (`netif_queue_set_napi()`); see [`Device::set_queue_napi`].
    pub fn set_queue_napi(&self, index: u32, kind: QueueType, napi: Option<&super::Napi>) {
        // SAFETY: The device is not registered (type invariant).
        unsafe { self.device().set_queue_napi_raw(index, kind, napi) }
    }

    /// Sets the device's ethtool operations to those `T` implements.
    pub fn set_ethtool_ops(&mut self)
    where
        T: super::ethtool::Operations,
    {
        // SAFETY: By the type invariant the device is valid and
        // unregistered; the table is `'static`.
        unsafe { (*self.ndev.as_ptr()).ethtool_ops = super::ethtool::ops_table::<T>() };
    }
}

impl<T: Operations> Drop for Builder<'_, T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the device is unregistered and owned
        // by `self`, which is going away.
        unsafe { free::<T>(self.ndev.as_ptr()) };
    }
}

/// Drops the private data of `ndev` and frees it.
///
/// # Safety
///
/// `ndev` must be a device allocated by [`Builder::new`] for `T`, not
/// registered (any more), not referenced by anything else, and not used
/// after this call.
unsafe fn free<T>(ndev: *mut bindings::net_device) {
    // SAFETY: Per the safety requirements, the private area holds an
    // initialized `T` that nothing else uses.
    unsafe { core::ptr::drop_in_place(bindings::netdev_priv(ndev).cast::<T>()) };
    // SAFETY: Per the safety requirements, the device is unregistered and
    // unused.
    unsafe { bindings::free_netdev(ndev) };
}

/// A registered network device, unregistered and freed when dropped.
///
/// # Invariants
///
/// `ndev` is a registered device that [`Builder::register`] made, owned by
/// this value.
pub struct Registration<'bound, T: Operations> {
    ndev: NonNull<bindings::net_device>,
    handle: Arc<Handle<T>>,
    _p: PhantomData<(&'bound device::Device<Bound>, T)>,
}

// SAFETY: The registration can be dropped (unregistering the device) from
// any thread, and hands out `&Device<T>` only, which needs `T: Sync`; `T`
// is dropped by whoever drops the registration, hence `T: Send`.
unsafe impl<T: Operations> Send for Registration<'_, T> {}

// SAFETY: `&Registration` only gives access to `&Device<T>`, which is `Sync`
// because `T: Sync` (required by `Operations`).
unsafe impl<T: Operations> Sync for Registration<'_, T> {}

impl<T: Operations> Registration<'_, T> {
    /// Returns the registered device.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: By the type invariant `self.ndev` is a device of
        // `Builder<T>` with `T` initialized, valid while `self` is.
        unsafe { Device::from_raw(self.ndev.as_ptr()) }
    }

    /// Returns a handle that reaches the device from contexts that cannot
    /// borrow the registration, such as interrupt handlers and work items,
    /// for as long as it stays registered.
    pub fn handle(&self) -> Arc<Handle<T>> {
        self.handle.clone()
    }
}

impl<T: Operations> Drop for Registration<'_, T> {
    fn drop(&mut self) {
        let raw = self.ndev.as_ptr();

        // Cut off the handles first; this waits for those in use.
        self.handle.dev.revoke();

        // SAFETY: By the type invariant `raw` is registered. Once
        // `unregister_netdev()` returns the device is closed (`stop` ran if
        // it was up), no callback runs any more and no other reference to it
        // is left.
        unsafe { bindings::unregister_netdev(raw) };

        // SAFETY: Unregistered above and owned by `self`, which is going
        // away.
        unsafe { free::<T>(raw) };
    }
}

/// The device pointer inside a [`Handle`].
///
/// # Invariants
///
/// `ndev` is a device of `Builder<T>` that stays registered, with `T`
/// initialized, for as long as this value exists (the [`Registration`]
/// revokes it before unregistering).
struct DevicePtr<T> {
    ndev: NonNull<bindings::net_device>,
    _p: PhantomData<T>,
}

// SAFETY: The pointer is only turned into `&Device<T>`, which may be used
// from any thread when `T: Sync`; dropping it does nothing.
unsafe impl<T: Sync> Send for DevicePtr<T> {}

// SAFETY: As for `Send`: shared access only hands out `&Device<T>`.
unsafe impl<T: Sync> Sync for DevicePtr<T> {}

/// A reference-counted, revocable way to reach a registered network
/// device.
///
/// Interrupt handlers and work items are `'static`, while a
/// [`Registration`] borrows the bus device it belongs to, so they cannot
/// hold the registration. They hold a `Handle` instead (from
/// [`Registration::handle`]) and get the device through [`Handle::with`]
/// for as long as it is registered: dropping the registration revokes all
/// its handles, waiting for any user that is inside [`Handle::with`], before
/// it unregisters the device.
///
/// # Examples
///
/// ```ignore
/// // In a link-change interrupt handler:
/// self.netdev.with(|dev| if up { dev.carrier_on() } else { dev.carrier_off() });
/// ```
#[pin_data]
pub struct Handle<T> {
    #[pin]
    dev: Revocable<DevicePtr<T>>,
}

impl<T: Operations> Handle<T> {
    /// Runs `f` on the device if it is still registered, and returns its
    /// result; `None` once the registration is gone.
    ///
    /// `f` runs in an RCU read-side critical section: it must not sleep.
    pub fn with<R>(&self, f: impl FnOnce(&Device<T>) -> R) -> Option<R> {
        self.dev.try_access_with(|p| {
            // SAFETY: By the invariant of `DevicePtr`, which is accessible
            // here (not revoked), the device is registered with `T`
            // initialized until at least the end of this access.
            f(unsafe { Device::from_raw(p.ndev.as_ptr()) })
        })
    }
}

/// A TX queue of a network device (`struct netdev_queue`), with its byte
/// queue limits (BQL).
///
/// # Invariants
///
/// `self.0` is a TX queue of a device that is alive while the reference
/// is.
#[repr(transparent)]
pub struct TxQueue(Opaque<bindings::netdev_queue>);

impl TxQueue {
    fn as_raw(&self) -> *mut bindings::netdev_queue {
        self.0.get()
    }

    /// Stops the stack from handing this queue packets
    /// (`netif_tx_stop_queue()`), when the ring is nearly full.
    pub fn stop(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped queue (`netif_tx_wake_queue()`), when the ring
    /// has room again.
    pub fn wake(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_wake_queue(self.as_raw()) }
    }

    /// Returns whether the queue is stopped (`netif_tx_queue_stopped()`).
    pub fn is_stopped(&self) -> bool {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_queue_stopped(self.as_raw()) }
    }

    /// Accounts `bytes` handed to the hardware (`netdev_tx_sent_queue()`).
    pub fn sent(&self, bytes: u32) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netdev_tx_sent_queue(self.as_raw(), bytes) }
    }

    /// Accounts `bytes` handed to the hardware, with the stack's
    /// `more` hint from [`Operations::start_xmit`]
    /// (`__netdev_tx_sent_queue()`), and returns whether the driver must
    /// write its doorbell now.
    ///
    /// It returns `true` when no packet follows (`more` is false) or when
    /// the queue is stopped (by the driver for a full ring, or by the byte
    /// queue limits): then no further packet would come to ring the
    /// doorbell for this one. A driver stops the queue before calling
    /// this, so that the stop is seen.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// if txq.sent_more(bytes, more) {
    ///     regs.wr32(TAIL, tail);
    /// }
    /// ```
    pub fn sent_more(&self, bytes: u32, more: bool) -> bool {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::__netdev_tx_sent_queue(self.as_raw(), bytes, more) }
    }

    /// Accounts `packets` and `bytes` the hardware completed
    /// (`netdev_tx_completed_queue()`); may restart the queue.
    pub fn completed(&self, packets: u32, bytes: u32) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netdev_tx_completed_queue(self.as_raw(), packets, bytes) }
    }

    /// Forgets what was in flight (`netdev_tx_reset_queue()`), after the
    /// ring was emptied without completions, e.g. at stop.
    pub fn reset(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netdev_tx_reset_queue(self.as_raw()) }
    }
}
