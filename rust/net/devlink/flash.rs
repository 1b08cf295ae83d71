// SPDX-License-Identifier: GPL-2.0

//! Flash updates: `devlink dev flash DEV file FILE [component NAME]`.
//!
//! C header: [`include/net/devlink.h`](srctree/include/net/devlink.h)
//!
//! The core loads the file and calls [`Operations::flash_update`] with a
//! [`FlashUpdate`]; it tells user space when the update begins and ends.
//! In between the driver reports progress ([`Devlink::flash_status`],
//! [`Devlink::flash_timeout`]), which `devlink dev flash` prints as it goes
//! and `devlink mon` shows. A component name is accepted by the core only
//! if the driver's `info_get` reports a version of that name as a
//! component ([`InfoRequest::put_stored_component`]).
//!
//! # Examples
//!
//! ```
//! use kernel::prelude::*;
//! use kernel_ext::net::{
//!     devlink::{
//!         self,
//!         flash::FlashUpdate,
//!         Devlink, //
//!     },
//!     netlink::ExtAck, //
//! };
//!
//! struct Nic;
//!
//! #[vtable]
//! impl devlink::Operations for Nic {
//!     fn flash_update(
//!         dl: &Devlink<Self>,
//!         params: &FlashUpdate,
//!         extack: &mut ExtAck<'_>,
//!     ) -> Result {
//!         if params.component().is_some() {
//!             extack.set_message(c"whole packages only");
//!             return Err(EOPNOTSUPP);
//!         }
//!         dl.flash_timeout(c"Erasing", None, 30);
//!         // Hand `params.image()` to what parses it, e.g.
//!         // `kernel_ext::pldmfw::flash_image`, reporting progress.
//!         for done in 1..=4 {
//!             dl.flash_status(c"Flashing", Some(c"fw"), done, 4);
//!         }
//!         Ok(())
//!     }
//! }
//! ```
//!
//! [`Operations::flash_update`]: super::Operations::flash_update

use kernel::{
    prelude::*,
    types::Opaque, //
};

use super::{
    Devlink,
    InfoRequest, //
};
use crate::kernel_ext::{
    bindings,
    firmware::Image, //
};

/// What `devlink dev flash` asked for (`struct devlink_flash_update_params`).
#[repr(transparent)]
pub struct FlashUpdate(Opaque<bindings::devlink_flash_update_params>);

impl FlashUpdate {
    /// Creates a reference from the pointer the core passes.
    ///
    /// # Safety
    ///
    /// `ptr` is valid for reads for `'a`, with a loaded firmware file and a
    /// component name that is NULL or a C string, both valid for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::devlink_flash_update_params) -> &'a Self {
        // SAFETY: `FlashUpdate` is a `#[repr(transparent)]` wrapper, and
        // the caller guarantees validity for `'a`.
        unsafe { &*ptr.cast() }
    }

    fn raw(&self) -> &bindings::devlink_flash_update_params {
        // SAFETY: Valid for reads while `self` is (see `from_raw`).
        unsafe { &*self.0.get() }
    }

    /// The file to flash, loaded by the core.
    pub fn image(&self) -> &Image {
        // SAFETY: The core loaded the file before the call and releases it
        // after (see `from_raw`).
        unsafe { Image::from_raw(self.raw().fw) }
    }

    /// The component the user selected, if any: always one the driver
    /// reported with [`InfoRequest::put_stored_component`].
    pub fn component(&self) -> Option<&CStr> {
        let name = self.raw().component;
        if name.is_null() {
            return None;
        }
        // SAFETY: A non-NULL name is a C string valid while `self` is (see
        // `from_raw`).
        Some(unsafe { CStr::from_char_ptr(name) })
    }
}

/// `name` as a C pointer, NULL for none.
fn opt_ptr(name: Option<&CStr>) -> *const c_char {
    name.map_or(core::ptr::null(), CStr::as_char_ptr)
}

impl<T> Devlink<T> {
    /// Reports the progress of a flash update
    /// (`devlink_flash_update_status_notify()`): what is happening,
    /// to which component, and `done` of `total` units (both 0 for a
    /// message without progress).
    pub fn flash_status(&self, msg: &CStr, component: Option<&CStr>, done: u64, total: u64) {
        // CAST: `unsigned long` is as wide as a pointer, 64 bits on the
        // kernels the driver builds for (`64BIT` in its Kconfig).
        let (done, total) = (done as c_ulong, total as c_ulong);
        // SAFETY: By the type invariant the instance is valid; the strings
        // are only read during the call.
        unsafe {
            bindings::devlink_flash_update_status_notify(
                self.as_raw(),
                msg.as_char_ptr(),
                opt_ptr(component),
                done,
                total,
            )
        }
    }

    /// Reports a step of a flash update that may take up to `seconds`
    /// (`devlink_flash_update_timeout_notify()`).
    pub fn flash_timeout(&self, msg: &CStr, component: Option<&CStr>, seconds: u64) {
        // CAST: As in `flash_status`.
        let seconds = seconds as c_ulong;
        // SAFETY: As in `flash_status`.
        unsafe {
            bindings::devlink_flash_update_timeout_notify(
                self.as_raw(),
                msg.as_char_ptr(),
                opt_ptr(component),
                seconds,
            )
        }
    }
}

impl InfoRequest {
    /// Reports the stored version of component `name`, like
    /// [`InfoRequest::put_stored`], and makes `name` a component that
    /// `devlink dev flash ... component NAME` may select
    /// (`devlink_info_version_stored_put_ext()` with
    /// `DEVLINK_INFO_VERSION_TYPE_COMPONENT`).
    pub fn put_stored_component(&mut self, name: &CStr, value: &CStr) -> Result {
        // SAFETY: `self` is a request the core passed to `info_get`, valid
        // for the call; the core copies the strings.
        kernel::error::to_result(unsafe {
            bindings::devlink_info_version_stored_put_ext(
                self.as_raw(),
                name.as_char_ptr(),
                value.as_char_ptr(),
                bindings::devlink_info_version_type_DEVLINK_INFO_VERSION_TYPE_COMPONENT,
            )
        })
    }
}
