// SPDX-License-Identifier: GPL-2.0

//! Allocation, registration and ownership of a network device: the
//! [`Builder`] that sets it up, the [`Registration`] that owns it while the
//! stack sees it, and the [`Handle`]s that reach it from elsewhere.

use core::{
    marker::PhantomData,
    mem::{
        align_of,
        size_of,
        ManuallyDrop, //
    },
    ptr::NonNull, //
};
use kernel::{
    device::{
        self,
        Bound, //
    },
    error::to_result,
    num::casts::FromSafeCast,
    prelude::*,
    revocable::Revocable,
    sync::Arc, //
};

use super::{
    ops::OpsTable,
    raw_device,
    Device,
    Features,
    Operations,
    QueueType,
    Rtnl,
    ETH_ALEN,
    NETDEV_ALIGN, //
};
use crate::kernel_ext::{
    bindings,
    net::{
        ethtool,
        qstats,
        queue_mgmt,
        Napi, //
    },
};

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

    /// Sets the TX and RX queue counts the device starts with
    /// (`netif_set_real_num_queues()`), at most the counts it was allocated
    /// with ([`Builder::new`]), which stay its maximum. Fails with `EINVAL`
    /// for a count of 0 or above the maximum.
    ///
    /// # Examples
    ///
    /// ```
    /// # use kernel::prelude::*;
    /// # use kernel_ext::net;
    /// # fn no_run<'a, T: net::Operations + 'a>(builder: &mut net::Builder<'a, T>) -> Result {
    /// // Allocated with 128 queues each way; 2 in use at first.
    /// builder.set_real_num_queues(2, 2)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_real_num_queues(&mut self, tx: u32, rx: u32) -> Result {
        // SAFETY: By the type invariant the device is valid and not
        // registered, so the function needs no RTNL and only sets the
        // counts after checking them against the allocated ones.
        to_result(unsafe { bindings::netif_set_real_num_queues(self.ndev.as_ptr(), tx, rx) })
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
        T: qstats::Operations,
    {
        // SAFETY: By the type invariant the device is valid and
        // unregistered; the table is `'static` and only read by the core.
        unsafe {
            (*self.ndev.as_ptr()).stat_ops =
                core::ptr::from_ref(qstats::ops_table::<T>()).cast_mut()
        };
    }

    /// Sets the device's queue management operations to those `T`
    /// implements (`queue_mgmt_ops`), which lets memory providers (devmem
    /// TCP, io_uring zero-copy receive) bind to its RX queues. From then on
    /// the core holds the device's instance lock around all of its
    /// callbacks (`netdev_need_ops_lock()`).
    pub fn set_queue_mgmt_ops(&mut self)
    where
        T: queue_mgmt::Operations,
    {
        // SAFETY: By the type invariant the device is valid and
        // unregistered; the table is `'static` and only read by the core.
        unsafe { (*self.ndev.as_ptr()).queue_mgmt_ops = queue_mgmt::ops_table::<T>() };
    }

    /// Declares that the device transmits from memory providers' buffers
    /// (devmem TX, `netmem_tx = NETMEM_TX_DMA`): packet fragments may then
    /// be such buffers, which [`SkBuff::map_for_tx`] takes at the bus
    /// address the provider mapped them at, and never unmaps.
    ///
    /// [`SkBuff::map_for_tx`]: super::super::skbuff::SkBuff::map_for_tx
    pub fn set_netmem_tx(&mut self) {
        let raw = self.ndev.as_ptr();
        // SAFETY: As in `set_unicast_filtering`: `netmem_tx` is a bitfield
        // next to `priv_flags`, nothing accesses it concurrently.
        unsafe {
            let anon = &mut (*raw).__bindgen_anon_1.__bindgen_anon_1;
            anon.set_netmem_tx(c_ulong::from_safe_cast(
                bindings::netmem_tx_mode_NETMEM_TX_DMA,
            ));
        }
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
            let flags = anon.priv_flags()
                | c_ulong::from_safe_cast(bindings::netdev_priv_flags_IFF_UNICAST_FLT);
            anon.set_priv_flags(flags);
        }
    }

    /// Records which NAPI instance services queue `index` of `kind`
    /// (`netif_queue_set_napi()`); see [`Device::set_queue_napi`].
    pub fn set_queue_napi(&self, index: u32, kind: QueueType, napi: Option<&Napi>) {
        // SAFETY: The device is not registered (type invariant).
        unsafe { self.device().set_queue_napi_raw(index, kind, napi) }
    }

    /// Sets the device's ethtool operations to those `T` implements.
    pub fn set_ethtool_ops(&mut self)
    where
        T: ethtool::Operations,
    {
        // SAFETY: By the type invariant the device is valid and
        // unregistered; the table is `'static`.
        unsafe { (*self.ndev.as_ptr()).ethtool_ops = ethtool::ops_table::<T>() };
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
    /// The registered `struct net_device`.
    pub(super) fn raw(&self) -> *mut bindings::net_device {
        self.ndev.as_ptr()
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
/// ```
/// # use kernel::prelude::*;
/// # use kernel_ext::net::{self, skbuff::SkBuff};
/// use kernel_ext::net::Handle;
///
/// # struct Port;
/// # #[vtable]
/// # impl net::Operations for Port {
/// #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
/// #         drop(skb);
/// #         net::TxResult::Ok
/// #     }
/// # }
/// // In a link-change interrupt handler:
/// fn link_changed(netdev: &Handle<Port>, up: bool) {
///     netdev.with(|dev| if up { dev.carrier_on() } else { dev.carrier_off() });
/// }
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

    /// Takes RTNL and runs `f` on the device if it is still registered,
    /// with the proof of the lock; returns its result, or `None` once the
    /// registration is gone. Unlike [`Handle::with`], `f` may sleep: this
    /// is how a work item reconfigures the device, as a callback under
    /// RTNL would. A device whose callbacks run under its instance lock
    /// (see [`Device::with_ops_lock`]) has that lock held too.
    ///
    /// The caller must not hold RTNL, and nothing that waits for the
    /// caller may hold it: a work item calling this must not be cancelled
    /// synchronously under RTNL (from `ndo_stop`, say).
    ///
    /// # Examples
    ///
    /// ```
    /// # use kernel::prelude::*;
    /// # use kernel_ext::net::{self, skbuff::SkBuff};
    /// use kernel_ext::net::Handle;
    ///
    /// # struct Port;
    /// # #[vtable]
    /// # impl net::Operations for Port {
    /// #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
    /// #         drop(skb);
    /// #         net::TxResult::Ok
    /// #     }
    /// # }
    /// // From a work item: close and reopen the interface if it is up.
    /// fn restart(netdev: &Handle<Port>) {
    ///     netdev.with_rtnl(|dev, rtnl| {
    ///         if dev.is_running() {
    ///             dev.close(rtnl);
    ///             let _ = dev.open(rtnl);
    ///         }
    ///     });
    /// }
    /// ```
    pub fn with_rtnl<R>(&self, f: impl FnOnce(&Device<T>, &Rtnl<'_>) -> R) -> Option<R> {
        // SAFETY: No preconditions; the caller does not hold RTNL (see
        // above), so this does not deadlock.
        unsafe { bindings::rtnl_lock() };
        // Whether the device was still registered once we held RTNL.
        let ndev = self.dev.try_access_with(|p| p.ndev);
        let result = ndev.map(|ndev| {
            // SAFETY: This thread holds RTNL until `rtnl_unlock()` below,
            // after the last use of `rtnl`.
            let rtnl = unsafe { Rtnl::new() };
            // SAFETY: The handle was not revoked after we took RTNL, so the
            // `Registration` had not started to unregister the device: it
            // revokes its handles first and then calls
            // `unregister_netdev()`, which takes RTNL and thus waits for us.
            // The device therefore stays registered, with `T` initialized,
            // until RTNL is released below, after `f` returned.
            let dev = unsafe { Device::<T>::from_raw(ndev.as_ptr()) };
            dev.with_ops_lock(&rtnl, || f(dev, &rtnl))
        });
        // SAFETY: Taken above by this thread.
        unsafe { bindings::rtnl_unlock() };
        result
    }
}
