// SPDX-License-Identifier: GPL-2.0

//! A network device whose hardware goes away for a while (system sleep, a
//! reset, PCI error recovery) while the interface stays registered:
//! detaching and attaching it, taking RTNL around the driver's own stop and
//! open, and reprogramming its address filters afterwards.

use super::{
    AddrList,
    Device,
    Operations,
    Registration,
    Rtnl, //
};
use crate::kernel_ext::bindings;

/// Runs `f` with RTNL held (`rtnl_lock()`), e.g. to stop and restart a
/// device from a bus callback the way the stack's own configuration paths
/// do. Sleeps; must not be called with RTNL held.
///
/// # Examples
///
/// ```
/// # use kernel::prelude::*;
/// # use kernel_ext::net::{self, skbuff::SkBuff};
/// # struct Port;
/// # #[vtable]
/// # impl net::Operations for Port {
/// #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
/// #         drop(skb);
/// #         net::TxResult::Ok
/// #     }
/// # }
/// fn suspend(dev: &net::Device<Port>) {
///     net::with_rtnl(|_rtnl| {
///         dev.detach();
///         if dev.is_running() {
///             // Stop the hardware as `stop` would; the interface stays up.
///         }
///     });
/// }
/// ```
pub fn with_rtnl<R>(f: impl FnOnce(&Rtnl<'_>) -> R) -> R {
    // SAFETY: Process context (sleeping is allowed in the callers this is
    // for); RTNL is not recursive, which the documentation states.
    unsafe { bindings::rtnl_lock() };
    // SAFETY: RTNL was taken just above and is released only after `f`
    // returned; the proof cannot escape `f`.
    let rtnl = unsafe { Rtnl::new() };
    let result = f(&rtnl);
    // SAFETY: Taken above by this thread.
    unsafe { bindings::rtnl_unlock() };
    result
}

impl<T: Operations> Device<T> {
    /// Runs `f` with the device's instance lock held if the core holds it
    /// around the device's callbacks (`netdev_lock_ops()`, for a device
    /// with queue management operations), as from a callback: for work
    /// done outside of them (a work item, power management) that calls
    /// what the callbacks call, such as `ndo_open`. Under RTNL, which is
    /// taken before the instance lock. The caller must not hold the
    /// instance lock already.
    pub fn with_ops_lock<R>(&self, _rtnl: &Rtnl<'_>, f: impl FnOnce() -> R) -> R {
        // SAFETY: By the type invariant the device is valid; the caller
        // holds RTNL (proven by `_rtnl`) and not the instance lock, so the
        // lock order RTNL, then instance lock, is kept.
        unsafe { bindings::netdev_lock_ops(self.as_raw()) };
        let r = f();
        // SAFETY: Taken above by this thread.
        unsafe { bindings::netdev_unlock_ops(self.as_raw()) };
        r
    }

    /// Marks the hardware as gone (`netif_device_detach()`): the stack
    /// stops the TX queues of a running device and refuses to open it or
    /// run ethtool operations on it, until [`Device::attach`]. The
    /// interface keeps its configuration and its up/down state.
    pub fn detach(&self) {
        // SAFETY: By the type invariant the device is valid.
        unsafe { bindings::netif_device_detach(self.as_raw()) }
    }

    /// Marks the hardware as there again (`netif_device_attach()`); wakes
    /// the TX queues of a running device.
    pub fn attach(&self) {
        // SAFETY: By the type invariant the device is valid.
        unsafe { bindings::netif_device_attach(self.as_raw()) }
    }

    /// Runs `f` on the device's unicast and multicast address lists as they
    /// are now, under the device's address lock (`netif_addr_lock_bh()`),
    /// for instance to program the receive filters again after the
    /// hardware lost them. `f` runs with bottom halves disabled: it must
    /// not sleep.
    pub fn with_addr_lists<R>(&self, f: impl FnOnce(&AddrList, &AddrList) -> R) -> R {
        let raw = self.as_raw();
        // SAFETY: By the type invariant the device is valid.
        unsafe { bindings::netif_addr_lock_bh(raw) };
        // SAFETY: The lists are part of the device and nothing changes
        // them while the address lock is held, which it is until after
        // the last use of the references (they cannot escape `f`).
        let (uc, mc) = unsafe {
            (
                AddrList::from_raw(core::ptr::addr_of_mut!((*raw).uc)),
                AddrList::from_raw(core::ptr::addr_of_mut!((*raw).mc)),
            )
        };
        let result = f(uc, mc);
        // SAFETY: Taken above by this thread.
        unsafe { bindings::netif_addr_unlock_bh(raw) };
        result
    }
}

impl<T: Operations> Registration<'_, T> {
    /// Returns the registered device, e.g. to stop and restart it from a
    /// bus callback that has the driver's data.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: By the type invariant `self.ndev` is a registered device
        // of `Builder<T>`, with `T` initialized, which stays so while
        // `self` exists.
        unsafe { Device::from_raw(self.raw()) }
    }
}
