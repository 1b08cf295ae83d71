// SPDX-License-Identifier: GPL-2.0

//! Devlink: the management interface of a whole device, as opposed to one
//! of its network interfaces.
//!
//! C header: [`include/net/devlink.h`](srctree/include/net/devlink.h)
//!
//! A driver describes its devlink instance with a type `T` that implements
//! [`Operations`]. `T` is the instance's private data: it lives inside the
//! `struct devlink` allocation (the area `devlink_priv()` returns), is
//! initialized in place, and its trait methods are the instance's
//! `devlink_ops` callbacks, which get the [`Devlink`] they are called for
//! and reach `T` through [`Devlink::data`].
//!
//! [`Builder::new`] allocates an instance for a bound bus device
//! (`devlink_alloc()`); the driver adds its [`health`] reporters to it, and
//! [`Builder::register`] makes it visible to user space
//! (`devlink_register()`). The resulting [`Registration`] unregisters the
//! instance, destroys its reporters and frees it when dropped; a
//! [`Builder`] dropped on a failed probe does the same minus the
//! unregistering.
//!
//! Both borrow the bus device for `'bound`, the lifetime of its binding to
//! the driver (see `kernel::pci::Driver::Data`): the instance can only be
//! kept in the bus driver's per-device data and is gone at unbind at the
//! latest, so `T` may use the device's resources.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     device::{
//!         Bound,
//!         Device, //
//!     },
//!     prelude::*,
//!     str::CString, //
//! };
//! use kernel_ext::net::{
//!     devlink::{
//!         self,
//!         version,
//!         Devlink,
//!         InfoRequest, //
//!     },
//!     netlink::ExtAck, //
//! };
//!
//! struct Nic {
//!     serial: u64,
//!     fw: (u8, u8),
//! }
//!
//! #[vtable]
//! impl devlink::Operations for Nic {
//!     fn info_get(dl: &Devlink<Self>, req: &mut InfoRequest, _extack: &mut ExtAck<'_>) -> Result {
//!         let nic = dl.data();
//!         req.put_serial_number(&CString::try_from_fmt(format_args!("{:016x}", nic.serial))?)?;
//!         let fw = CString::try_from_fmt(format_args!("{}.{}", nic.fw.0, nic.fw.1))?;
//!         req.put_running(version::FW, &fw)
//!     }
//! }
//!
//! fn probe<'bound>(dev: &'bound Device<Bound>) -> Result<devlink::Registration<'bound, Nic>> {
//!     let builder = devlink::Builder::new(dev, Nic { serial: 7, fw: (1, 2) })?;
//!     // Add health reporters here.
//!     Ok(builder.register())
//! }
//! ```

use core::{
    marker::PhantomData,
    mem::{
        align_of,
        size_of, //
    },
    ptr::NonNull, //
};
use kernel::{
    device::{
        self,
        Bound, //
    },
    error::{
        from_result,
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    num::casts::u32_as_usize,
    prelude::*,
    sync::Arc,
    types::Opaque, //
};

use super::{
    device::raw_device,
    netlink::ExtAck, //
};
use crate::kernel_ext::bindings;
use flash::FlashUpdate;

pub mod flash;
pub mod health;

/// Alignment of the private area of a `struct devlink` (`NETDEV_ALIGN`).
const PRIV_ALIGN: usize = u32_as_usize(bindings::NETDEV_ALIGN);

/// A devlink instance whose private data is a `T`.
///
/// Drivers see it as `&Devlink<T>` in the [`Operations`] callbacks.
///
/// # Invariants
///
/// `self.0` is a `struct devlink` allocated by [`Builder::new`] for this
/// `T`: its private area holds an initialized `T`, and both stay valid for
/// as long as a `&Devlink<T>` exists.
#[repr(transparent)]
pub struct Devlink<T>(Opaque<bindings::devlink>, PhantomData<T>);

// SAFETY: The methods of `Devlink<T>` may be called from any thread (the C
// functions behind them do their own locking), and the only access to `T`
// they give is `&T`, which may be shared across threads when `T: Sync`.
unsafe impl<T: Sync> Sync for Devlink<T> {}

impl<T> Devlink<T> {
    /// Creates a reference to a [`Devlink`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct devlink` allocated by [`Builder::new`]
    /// for this `T`, whose `T` is initialized, and which stays valid (not
    /// freed, `T` not dropped) for the lifetime `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::devlink) -> &'a Self {
        // SAFETY: `Devlink<T>` is a `#[repr(transparent)]` wrapper of
        // `struct devlink` (plus a zero-sized marker), and the caller
        // guarantees the invariants for `'a`.
        unsafe { &*ptr.cast() }
    }

    fn as_raw(&self) -> *mut bindings::devlink {
        self.0.get()
    }

    /// Returns the driver's private data of this instance.
    pub fn data(&self) -> &T {
        // SAFETY: By the type invariant the instance is valid and its
        // private area holds an initialized `T`, valid while `self` is.
        unsafe { &*bindings::devlink_priv(self.as_raw()).cast::<T>() }
    }
}

/// The names of the versions devlink knows (`DEVLINK_INFO_VERSION_GENERIC_*`),
/// for [`InfoRequest`]. A component's commit goes under its name plus
/// `.commit`, by convention.
pub mod version {
    use kernel::prelude::*;

    use crate::kernel_ext::bindings;

    const fn name(bytes: &'static [u8]) -> &'static CStr {
        match CStr::from_bytes_with_nul(bytes) {
            Ok(name) => name,
            Err(_) => panic!("not a C string"),
        }
    }

    /// The device's main firmware (`fw`).
    pub const FW: &CStr = name(bindings::DEVLINK_INFO_VERSION_GENERIC_FW);
    /// Its bootloader (`fw.bootloader`).
    pub const FW_BOOTLOADER: &CStr = name(bindings::DEVLINK_INFO_VERSION_GENERIC_FW_BOOTLOADER);
    /// The UEFI driver (UNDI) the device carries for the host's firmware
    /// (`fw.undi`).
    pub const FW_UNDI: &CStr = name(bindings::DEVLINK_INFO_VERSION_GENERIC_FW_UNDI);
}

/// What `devlink dev info` reports (`struct devlink_info_req`), filled in
/// by [`Operations::info_get`]. The core adds the driver's name itself.
#[repr(transparent)]
pub struct InfoRequest(Opaque<bindings::devlink_info_req>);

impl InfoRequest {
    fn as_raw(&mut self) -> *mut bindings::devlink_info_req {
        self.0.get()
    }

    /// Reports the device's serial number (`devlink_info_serial_number_put()`).
    pub fn put_serial_number(&mut self, serial: &CStr) -> Result {
        // SAFETY: `self` is a request the core passed to `info_get`, valid
        // for the call; the core copies the string.
        to_result(unsafe {
            bindings::devlink_info_serial_number_put(self.as_raw(), serial.as_char_ptr())
        })
    }

    /// Reports the version of component `name` that the device runs
    /// (`devlink_info_version_running_put()`), e.g. [`version::FW`].
    pub fn put_running(&mut self, name: &CStr, value: &CStr) -> Result {
        // SAFETY: As in `put_serial_number`; both strings are copied.
        to_result(unsafe {
            bindings::devlink_info_version_running_put(
                self.as_raw(),
                name.as_char_ptr(),
                value.as_char_ptr(),
            )
        })
    }

    /// Reports the version of component `name` stored in flash, the one
    /// the device runs after its next reset
    /// (`devlink_info_version_stored_put()`).
    pub fn put_stored(&mut self, name: &CStr, value: &CStr) -> Result {
        // SAFETY: As in `put_serial_number`; both strings are copied.
        to_result(unsafe {
            bindings::devlink_info_version_stored_put(
                self.as_raw(),
                name.as_char_ptr(),
                value.as_char_ptr(),
            )
        })
    }
}

/// The `devlink_ops` callbacks of an instance whose private data is `Self`.
///
/// Every method the implementation leaves out is left NULL in the C table.
/// The core calls them with the instance lock held, in process context, so
/// they may sleep; they run for a registered instance only.
#[vtable]
pub trait Operations: Sized + Send + Sync {
    /// Reports the device's serial number and versions (`info_get`, for
    /// `devlink dev info`).
    fn info_get(_dl: &Devlink<Self>, _req: &mut InfoRequest, _extack: &mut ExtAck<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the file the user gave to the device's flash
    /// (`flash_update`, for `devlink dev flash`), reporting progress
    /// through [`Devlink::flash_status`]; see [`flash`].
    fn flash_update(
        _dl: &Devlink<Self>,
        _params: &FlashUpdate,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C operation table of `T` and the callbacks in it.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `devlink` must be an instance allocated by [`Builder::new`] for `T`
    /// (the core calls this for registered instances only), `req` a valid
    /// request and `extack` NULL or valid for writes, both ours for the
    /// call.
    unsafe extern "C" fn info_get(
        devlink: *mut bindings::devlink,
        req: *mut bindings::devlink_info_req,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: Per the safety requirement `devlink` is an instance of
        // `Builder<T>`, alive with `T` initialized while registered.
        let dl = unsafe { Devlink::<T>::from_raw(devlink) };
        // SAFETY: `InfoRequest` is a `#[repr(transparent)]` wrapper of
        // `devlink_info_req`, and `req` is valid and ours for the call.
        let req = unsafe { &mut *req.cast::<InfoRequest>() };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| T::info_get(dl, req, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `info_get`; `params` is valid for the call, with a loaded
    /// file and a component name that is NULL or a C string.
    unsafe extern "C" fn flash_update(
        devlink: *mut bindings::devlink,
        params: *mut bindings::devlink_flash_update_params,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `info_get`.
        let dl = unsafe { Devlink::<T>::from_raw(devlink) };
        // SAFETY: Per the safety requirement.
        let params = unsafe { FlashUpdate::from_raw(params) };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| T::flash_update(dl, params, &mut extack).map(|()| 0))
    }

    const VTABLE: bindings::devlink_ops = bindings::devlink_ops {
        info_get: if T::HAS_INFO_GET {
            Some(Self::info_get)
        } else {
            None
        },
        flash_update: if T::HAS_FLASH_UPDATE {
            Some(Self::flash_update)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    const fn build() -> &'static bindings::devlink_ops {
        &Self::VTABLE
    }
}

/// An allocated devlink instance that is not registered yet.
///
/// Dropping it destroys its health reporters, drops `T` and frees the
/// instance.
///
/// # Invariants
///
/// `raw` is a `struct devlink` allocated with `devlink_alloc()`, not
/// registered, owned by this value, whose private area holds an initialized
/// `T`, whose operation table is `OpsTable<T>`'s and whose device is bound
/// for `'bound`. `reporters` are the health reporters created on it that
/// are not destroyed yet.
pub struct Builder<'bound, T: Operations> {
    raw: NonNull<bindings::devlink>,
    reporters: KVec<Arc<dyn health::Destroy>>,
    _p: PhantomData<(&'bound device::Device<Bound>, T)>,
}

impl<'bound, T: Operations + 'bound> Builder<'bound, T> {
    /// Allocates a devlink instance for `dev` with `data` as its private
    /// data (`devlink_alloc()`).
    pub fn new<E>(dev: &'bound device::Device<Bound>, data: impl PinInit<T, E>) -> Result<Self>
    where
        Error: From<E>,
    {
        const {
            assert!(
                align_of::<T>() <= PRIV_ALIGN,
                "devlink private data must not need more than NETDEV_ALIGN"
            )
        };

        // SAFETY: The table is `'static`; `dev` is a valid, bound device,
        // of which the instance takes a reference.
        let raw = unsafe {
            bindings::devlink_alloc(OpsTable::<T>::build(), size_of::<T>(), raw_device(dev))
        };
        let raw = NonNull::new(raw).ok_or(ENOMEM)?;

        // SAFETY: `raw` is a valid instance; its private area is
        // `size_of::<T>()` bytes aligned to `NETDEV_ALIGN`, enough for `T`
        // (checked above).
        let slot = unsafe { bindings::devlink_priv(raw.as_ptr()) }.cast::<T>();

        // SAFETY: `slot` is valid, uninitialized memory for a `T` that never
        // moves (it is part of the instance's allocation) and on error is
        // only deallocated.
        if let Err(e) = unsafe { pin_init::raw_try_init(slot, data) } {
            // SAFETY: `raw` was allocated above, is not registered, and the
            // failed initializer left nothing to drop.
            unsafe { bindings::devlink_free(raw.as_ptr()) };
            return Err(e.into());
        }

        // INVARIANT: Allocated and initialized above, with no reporter yet.
        Ok(Self {
            raw,
            reporters: KVec::new(),
            _p: PhantomData,
        })
    }

    /// Registers the instance (`devlink_register()`): user space sees it
    /// from here on and the [`Operations`] callbacks may run.
    pub fn register(self) -> Registration<'bound, T> {
        // SAFETY: By the type invariant the instance is valid, fully set up
        // and not registered.
        unsafe { bindings::devlink_register(self.raw.as_ptr()) };

        // INVARIANT: Registered above; the registration owns the builder.
        Registration { builder: self }
    }
}

impl<T: Operations> Drop for Builder<'_, T> {
    fn drop(&mut self) {
        // The core wants every reporter gone before the instance is freed.
        for reporter in self.reporters.drain_all() {
            reporter.destroy();
        }
        let raw = self.raw.as_ptr();
        // SAFETY: By the type invariant the private area holds an
        // initialized `T`; the instance is not registered (any more), so no
        // callback uses it, and its reporters are destroyed.
        unsafe { core::ptr::drop_in_place(bindings::devlink_priv(raw).cast::<T>()) };
        // SAFETY: Owned by `self`, unregistered, without reporters, and not
        // used after this.
        unsafe { bindings::devlink_free(raw) };
    }
}

/// A registered devlink instance: unregistered, its reporters destroyed and
/// freed when dropped.
///
/// # Invariants
///
/// `builder`'s instance is registered.
pub struct Registration<'bound, T: Operations> {
    builder: Builder<'bound, T>,
}

impl<T: Operations> Drop for Registration<'_, T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the instance is registered. Once
        // `devlink_unregister()` returns, no callback runs any more; the
        // builder, dropped next, then frees it.
        unsafe { bindings::devlink_unregister(self.builder.raw.as_ptr()) };
    }
}

// SAFETY: An instance may be registered, unregistered and freed from any
// thread. A builder hands out `&Devlink<T>` only, which needs `T: Sync`;
// `T` is dropped by whoever drops it, hence `T: Send` (both required by
// `Operations`). Its reporters are `Send + Sync` (`health::Destroy`).
unsafe impl<T: Operations> Send for Builder<'_, T> {}

// SAFETY: `&Builder` only gives access to `&Devlink<T>`, which is `Sync`
// because `T: Sync`.
unsafe impl<T: Operations> Sync for Builder<'_, T> {}
