// SPDX-License-Identifier: GPL-2.0

//! NAPI: interrupt-driven polling of a device's completion queues.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//!
//! A [`Napi`] is a `struct napi_struct` owned by the network device's
//! private data `T`: embedded in it (`T` never moves, it lives inside the
//! `struct net_device` allocation) or in a pinned box `T` owns, one per
//! queue. Either way the NAPI instance is pinned for as long as the device
//! exists. The driver
//!
//! 1. initializes it with [`Napi::new`] as part of `T`,
//! 2. binds it to the device with [`Builder::add_napi`] before
//!    registering, naming the field and the index of its persistent
//!    configuration; the device's [`Poll::poll`] then runs for it,
//! 3. enables it in `open` and disables it in `stop` (what must happen
//!    with it disabled, like filling page pools bound to it, runs in
//!    [`Napi::with_disabled`]),
//! 4. schedules it from its interrupt handler ([`Napi::schedule`]); a
//!    disabled instance ignores that.
//!
//! The device lists the instance (`netif_napi_add_config()`) only while it
//! is enabled, as drivers that allocate their NAPI instances at open do: the
//! core expects every listed instance of a running device to poll (turning
//! threaded polling off waits for each listed instance to go idle, which a
//! disabled one never does). Its settings (NAPI id, threaded mode, IRQ
//! deferral) live in the device's persistent configuration slot `index` in
//! between.
//!
//! Dropping it (with the private data, while the device still exists)
//! takes it off the list if it is still on it (`netif_napi_del()`).
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
//!     Napi,
//!     NapiContext, //
//! };
//! # use kernel_ext::net::skbuff::SkBuff;
//!
//! #[pin_data]
//! struct Port {
//!     #[pin]
//!     napi: Napi,
//! }
//! # #[vtable]
//! # impl net::Operations for Port {
//! #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//! #         drop(skb);
//! #         net::TxResult::Ok
//! #     }
//! # }
//!
//! impl net::Poll for Port {
//!     fn poll(dev: &net::Device<Self>, napi: &NapiContext<'_>, budget: i32) -> i32 {
//!         let done = clean_rings(dev.data(), napi, budget);
//!         if done < budget && napi.complete_done(done) {
//!             // Re-enable the queue's interrupt.
//!         }
//!         done
//!     }
//! }
//!
//! fn clean_rings(_port: &Port, _napi: &NapiContext<'_>, _budget: i32) -> i32 {
//!     // Complete transmissions, receive up to `budget` packets.
//!     0
//! }
//!
//! fn register(parent: &Device<Bound>) -> Result<net::Registration<'_, Port>> {
//!     let port = pin_init!(Port { napi <- Napi::new() });
//!     let mut builder = net::Builder::new(parent, 1, 1, port)?;
//!     builder.add_napi(0, |port| &port.napi)?;
//!     builder.register()
//! }
//! ```
//!
//! [`Builder::add_napi`]: super::Builder::add_napi

use core::{
    marker::PhantomData,
    marker::PhantomPinned,
    ops::Deref, //
};
use kernel::{
    new_mutex,
    prelude::*,
    sync::Mutex,
    types::Opaque, //
};

use super::{
    skbuff::SkBuff,
    Device,
    Operations, //
};
use crate::kernel_ext::{
    bindings,
    pci::IrqVector, //
};

/// The poll function of a device's NAPI instances.
pub trait Poll: Operations {
    /// Processes up to `budget` received packets (and any amount of TX
    /// completions) for `napi`, in softirq context, and returns the number
    /// of packets processed. Returning less than `budget` means the work is
    /// done: the driver must then call [`Napi::complete_done`] and, if that
    /// returns `true`, re-enable the interrupt. A budget of 0 asks for TX
    /// completions only (netpoll).
    ///
    /// `napi` derefs to the instance and proves that the caller is its
    /// poll: page pools bound to it may use their lock-free caches through
    /// it.
    fn poll(dev: &Device<Self>, napi: &NapiContext<'_>, budget: i32) -> i32;
}

/// Proof that the current code owns a NAPI instance's context: it runs the
/// instance's poll (in softirq, on the CPU the instance is scheduled on), or
/// the instance is disabled and stays so while the proof lives.
///
/// Nothing else then touches the lock-free caches of page pools bound to the
/// instance: the core recycles pages into them only from the CPU that runs
/// the instance's poll, while it runs. Page pools bound to a NAPI instance
/// require one for their direct operations (see
/// [`PagePool::cache`](super::page_pool::PagePool::cache)).
///
/// Handed out only by the poll callback ([`Poll::poll`]) and by
/// [`Napi::with_disabled`]; bound to the call by its lifetime and not
/// [`Send`], so it cannot be kept or moved to another CPU.
///
/// # Invariants
///
/// While the value lives, either the caller runs `napi`'s poll on this CPU
/// with a non-zero budget, or `napi` is disabled (and its `state` lock is
/// held, so it cannot be enabled); `direct` is false only in a poll with a
/// budget of 0 (netpoll, possibly in hard IRQ context), where the caches
/// must not be used; `in_poll` is true only in a poll with a non-zero
/// budget.
pub struct NapiContext<'a> {
    napi: &'a Napi,
    direct: bool,
    in_poll: bool,
    _not_send: PhantomData<*mut ()>,
}

impl NapiContext<'_> {
    /// Whether this context may use the lock-free cache of a page pool
    /// bound to the NAPI instance at `napi`.
    pub(super) fn owns(&self, napi: *mut bindings::napi_struct) -> bool {
        self.direct && core::ptr::eq(self.napi.as_raw(), napi)
    }

    /// Whether the instance is disabled (this context is not its poll), so
    /// that page pools may be bound to it or unbound from it.
    pub(super) fn may_bind(&self) -> bool {
        self.direct && !self.in_poll
    }

    /// Whether this is the instance's poll with a non-zero budget, in
    /// softirq context with the core's networking context for BPF set up
    /// (where an XDP program may run), rather than a disabled instance or
    /// netpoll.
    pub(super) fn in_poll(&self) -> bool {
        self.in_poll
    }
}

impl Deref for NapiContext<'_> {
    type Target = Napi;

    fn deref(&self) -> &Napi {
        self.napi
    }
}

/// A NAPI instance (`struct napi_struct`).
///
/// # Invariants
///
/// `inner` is zero-initialized (`dev` is null) or was bound to a device by
/// [`Builder::add_napi`](super::Builder::add_napi): then its `dev` and
/// `poll` stay set, `dev` is a `Device<T>` for a `T: Poll` whose private
/// data holds this `Napi`, `poll` is `poll_callback::<T>`, and
/// `state.index` is a valid persistent configuration slot of `dev`.
/// `state.enabled` is true exactly while the instance is enabled (between
/// [`Napi::enable`] and [`Napi::disable`]), which is exactly while it is on
/// the device's NAPI list.
#[pin_data(PinnedDrop)]
pub struct Napi {
    #[pin]
    inner: Opaque<bindings::napi_struct>,
    #[pin]
    state: Mutex<State>,
    #[pin]
    _pin: PhantomPinned,
}

/// What a [`Napi`] keeps while off its device's list.
struct State {
    /// Enabled, and listed.
    enabled: bool,
    /// The persistent configuration slot.
    index: c_int,
    /// The interrupt that schedules the instance, -1 if none.
    irq: c_int,
}

// SAFETY: The NAPI functions used here may be called from any CPU; the
// core serializes polling itself.
unsafe impl Send for Napi {}

// SAFETY: As for `Send`: every method takes `&self` and the C functions
// behind them synchronize internally.
unsafe impl Sync for Napi {}

impl Napi {
    /// A NAPI instance, not attached to a device yet.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            inner <- Opaque::ffi_init(|slot: *mut bindings::napi_struct| {
                // SAFETY: `slot` is valid for writes of one `napi_struct`;
                // all zeroes is its unattached state.
                unsafe { core::ptr::write_bytes(slot, 0, 1) }
            }),
            state <- new_mutex!(State {
                enabled: false,
                index: 0,
                irq: -1,
            }),
            _pin: PhantomPinned,
        })
    }

    pub(super) fn as_raw(&self) -> *mut bindings::napi_struct {
        self.inner.get()
    }

    /// Creates a reference from a pointer the core handed to a poll
    /// callback.
    ///
    /// # Safety
    ///
    /// `ptr` must point to the `inner` field of a live `Napi`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::napi_struct) -> &'a Self {
        // SAFETY: `Napi` starts with its `inner` field (`Opaque` is
        // `repr(transparent)`, the marker is zero-sized), and the caller
        // guarantees `ptr` is that field of a live `Napi`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// Records the interrupt vector that schedules this instance
    /// (`netif_napi_set_irq()`), reported to user space through the netdev
    /// netlink family (and used for IRQ affinity by the core).
    /// The instance takes it from the next [`Napi::enable`] on.
    pub fn set_irq(&self, vector: &IrqVector<'_>) {
        let Ok(irq) = c_int::try_from(vector.irq()) else {
            return;
        };
        let mut state = self.state.lock();
        state.irq = irq;
        if state.enabled {
            let raw = self.as_raw();
            // SAFETY: By the type invariant an enabled instance is listed on
            // a live device; with `ops_locked`, the caller holds its
            // instance lock (see `enable`).
            unsafe {
                if ops_locked(raw) {
                    bindings::netif_napi_set_irq_locked(raw, irq)
                } else {
                    bindings::netif_napi_set_irq(raw, irq)
                }
            }
        }
    }

    /// Lists the instance on its device (`netif_napi_add_config()`, which
    /// also starts its polling thread if threaded polling is on) and allows
    /// polling (`napi_enable()`), when the interface opens. Does nothing if
    /// the instance is enabled already or was never bound to a device. May
    /// sleep (waits for a running [`Napi::with_disabled`]).
    ///
    /// For a device whose callbacks the core runs under its instance lock
    /// (one with queue management operations), the lock must be held: call
    /// this from the device's callbacks or under
    /// [`Device::with_ops_lock`](super::Device::with_ops_lock). The same
    /// goes for [`Napi::disable`] and [`Napi::set_irq`].
    pub fn enable(&self) {
        let mut state = self.state.lock();
        if state.enabled {
            return;
        }
        let raw = self.as_raw();
        // SAFETY: By the type invariant the instance is valid; `dev` and
        // `poll` are only written when it is listed (in `Builder::add_napi`
        // or below), which the `state` lock excludes now.
        let (dev, poll) = unsafe { ((*raw).dev, (*raw).poll) };
        if dev.is_null() {
            return;
        }
        // SAFETY: Bound (`dev` is set, checked above) to a live device.
        let locked = unsafe { ops_locked(raw) };
        // SAFETY: By the type invariant `dev` is the live device the
        // instance was bound to, `poll` its poll function for it and
        // `index` a valid configuration slot; the instance is off the list
        // (disabled), and pinned in the device's private data. With
        // `locked` the caller holds the instance lock (documented above),
        // which the `_locked` variants need; otherwise they take it.
        unsafe {
            if locked {
                bindings::netif_napi_add_config_locked(dev, raw, poll, state.index);
                if state.irq >= 0 {
                    bindings::netif_napi_set_irq_locked(raw, state.irq);
                }
                bindings::napi_enable_locked(raw);
            } else {
                bindings::netif_napi_add_config(dev, raw, poll, state.index);
                if state.irq >= 0 {
                    bindings::netif_napi_set_irq(raw, state.irq);
                }
                bindings::napi_enable(raw);
            }
        }
        // INVARIANT: enabled and listed now.
        state.enabled = true;
    }

    /// Stops polling and waits for a running poll to finish
    /// (`napi_disable()`), then takes the instance off its device's list
    /// (`netif_napi_del()`, which stops its polling thread), when the
    /// interface closes. Does nothing if the instance is disabled already.
    /// May sleep.
    pub fn disable(&self) {
        let mut state = self.state.lock();
        if state.enabled {
            let raw = self.as_raw();
            // SAFETY: By the type invariant an enabled instance is listed on
            // a live device; with `ops_locked` the caller holds its instance
            // lock (see `enable`). Disabled, it is taken off the list; the
            // RCU grace period (`synchronize_net()`, in `netif_napi_del()`)
            // makes sure no reader of the list still follows the instance
            // when `enable` lists it again.
            unsafe {
                if ops_locked(raw) {
                    bindings::napi_disable_locked(raw);
                    bindings::__netif_napi_del_locked(raw);
                    bindings::synchronize_net();
                } else {
                    bindings::napi_disable(raw);
                    bindings::netif_napi_del(raw);
                }
            }
            // INVARIANT: disabled and off the list now.
            state.enabled = false;
        }
    }

    /// Runs `f` with proof that the instance is disabled and stays so, to
    /// fill or empty page pools bound to it outside the poll (as when the
    /// interface opens or closes). `None`, without running `f`, if the
    /// instance is enabled. May sleep.
    ///
    /// # Examples
    ///
    /// ```
    /// # use kernel::prelude::*;
    /// # use kernel_ext::net::{Napi, NapiContext};
    /// # fn fill_rings(_ctx: &NapiContext<'_>) {}
    /// # fn no_run(napi: &Napi) -> Result {
    /// // At open: fill the rings, then let the instance poll.
    /// napi.with_disabled(|ctx| fill_rings(ctx)).ok_or(EBUSY)?;
    /// napi.enable();
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_disabled<R>(&self, f: impl FnOnce(&NapiContext<'_>) -> R) -> Option<R> {
        let state = self.state.lock();
        if state.enabled {
            return None;
        }
        // INVARIANT: the instance is disabled, and holding its `enabled`
        // lock keeps it so until `ctx` is gone.
        let ctx = NapiContext {
            napi: self,
            direct: true,
            in_poll: false,
            _not_send: PhantomData,
        };
        let ret = f(&ctx);
        drop(state);
        Some(ret)
    }

    /// Schedules a poll (`napi_schedule()`), from the device's interrupt
    /// handler. Does nothing while the instance is disabled or already
    /// scheduled.
    pub fn schedule(&self) {
        // SAFETY: By the type invariant the instance is valid.
        unsafe { bindings::napi_schedule(self.as_raw()) };
    }

    /// Whether a poll is scheduled or running (`napi_is_scheduled()`):
    /// until it completes, the instance, and the interrupt it masked, are
    /// the core's. A snapshot, which may change at once.
    pub fn is_scheduled(&self) -> bool {
        // SAFETY: By the type invariant the instance is valid; the function
        // only reads its state bits.
        unsafe { bindings::napi_is_scheduled(self.as_raw()) }
    }

    /// Reports the end of a poll that did `work_done` (less than its
    /// budget) (`napi_complete_done()`). Returns whether the driver should
    /// re-enable its interrupt: `false` if the core keeps polling.
    pub fn complete_done(&self, work_done: i32) -> bool {
        // SAFETY: By the type invariant the instance is valid; the core
        // calls `poll` only with the instance scheduled, which this
        // requires.
        unsafe { bindings::napi_complete_done(self.as_raw(), work_done) }
    }

    /// Passes a received packet to the stack through GRO
    /// (`napi_gro_receive()`), from the poll function.
    pub fn gro_receive(&self, skb: SkBuff) {
        // SAFETY: By the type invariant the instance is valid; ownership of
        // the packet goes to the stack.
        unsafe { bindings::napi_gro_receive(self.as_raw(), skb.into_raw()) };
    }
}

/// Whether the device of the bound NAPI instance `napi` has the core hold
/// its instance lock around its callbacks (`netdev_need_ops_lock()`):
/// then the NAPI functions that take that lock themselves must not be
/// called from them, their `_locked` variants instead.
///
/// # Safety
///
/// `napi` must be a NAPI instance bound to a live device.
unsafe fn ops_locked(napi: *mut bindings::napi_struct) -> bool {
    // SAFETY: Per the safety requirement `dev` is set and alive.
    unsafe { bindings::netdev_need_ops_lock((*napi).dev) }
}

#[pinned_drop]
impl PinnedDrop for Napi {
    fn drop(self: Pin<&mut Self>) {
        let raw = self.as_raw();
        // SAFETY: By the type invariant the instance is zeroed or attached;
        // `netif_napi_add()` sets `dev`, which stays valid until after the
        // private data holding this instance is dropped.
        if unsafe { (*raw).dev }.is_null() {
            return;
        }
        // SAFETY: Bound to a live device, which no longer polls it (the
        // device is unregistered or was never registered, and the instance
        // disabled); a no-op if it is off the list already.
        // `netif_napi_del()` also waits for an RCU grace period, so no
        // lookup still sees the instance when its memory goes.
        unsafe { bindings::netif_napi_del(raw) };
    }
}

impl<T: Poll> super::Builder<'_, T> {
    /// Binds the NAPI instance that `field` selects in the device's
    /// private data (a field, or a field of a pinned box the private data
    /// owns) to the device, with [`Poll::poll`] as its poll function and
    /// the device's persistent NAPI configuration slot `index` (one per
    /// queue, below the larger of the TX and RX queue counts) for its
    /// settings. [`Napi::enable`] lists it on the device.
    ///
    /// Fails with `EINVAL` if `index` is out of range. Binding the same
    /// instance twice is refused by the core with a warning; do it once per
    /// instance.
    pub fn add_napi(&mut self, index: u32, field: impl FnOnce(&T) -> &Napi) -> Result {
        let dev = self.device();
        let raw_dev = dev.as_raw();
        // SAFETY: `raw_dev` is valid; the count is fixed at allocation.
        let slots = unsafe { (*raw_dev).num_napi_configs };
        if index >= slots {
            return Err(EINVAL);
        }
        let napi = field(dev.data());
        // CAST: below `num_napi_configs`, an `unsigned int` the core
        // indexes with `int`.
        let index = index as c_int;
        // The `state` lock is not held across the calls below: they take
        // the device's instance lock, which `enable` and `disable` run
        // under (the core holds it around the callbacks of an ops-locked
        // device), so holding it here would invert that order. The device
        // is not registered and `&mut self` is the only way to it.
        napi.state.lock().index = index;

        // SAFETY: `raw_dev` is a valid, unregistered device; `napi` is
        // borrowed from its private data, which owns it in place or in a
        // pinned box (`Napi` is `!Unpin` and only reachable by shared
        // reference, so it cannot be moved out), so it stays pinned and
        // valid for as long as the device exists; `Napi::drop` takes it off
        // the list before its memory goes. `index` is in range.
        unsafe {
            bindings::netif_napi_add_config(raw_dev, napi.as_raw(), Some(poll_callback::<T>), index)
        };
        // Off the list again until `Napi::enable`; `dev` and `poll` stay.
        // No grace period is needed: the device is not registered, so no
        // reader walks its list. SAFETY: listed and never enabled.
        // INVARIANT: bound to a `Device<T>` with `T: Poll` whose private
        // data holds it, with `poll_callback::<T>` and a valid slot;
        // disabled and off the list.
        unsafe { bindings::__netif_napi_del(napi.as_raw()) };
        Ok(())
    }
}

/// # Safety
///
/// Only as the poll function of a `Napi` bound by `Builder::<T>::add_napi`:
/// `napi` is a `Napi` in the private data of a `Device<T>`.
unsafe extern "C" fn poll_callback<T: Poll>(
    napi: *mut bindings::napi_struct,
    budget: c_int,
) -> c_int {
    // SAFETY: Per the safety requirement `napi` is the `inner` field of a
    // live `Napi`.
    let napi_ref = unsafe { Napi::from_raw(napi) };
    // SAFETY: `Builder::add_napi` set `napi->dev` to the device, a device
    // of `Builder<T>` that outlives its NAPI instances.
    let dev = unsafe { Device::<T>::from_raw((*napi).dev) };
    // INVARIANT: the core calls this as the instance's poll, on the CPU it
    // is scheduled on; a budget of 0 is netpoll, which must not use the
    // page pools' caches.
    let ctx = NapiContext {
        napi: napi_ref,
        direct: budget > 0,
        in_poll: budget > 0,
        _not_send: PhantomData,
    };
    T::poll(dev, &ctx, budget)
}
