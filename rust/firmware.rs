// SPDX-License-Identifier: GPL-2.0

//! A firmware file that the core loaded for a driver and lends it for a
//! call, such as the package of `devlink dev flash`.
//!
//! C header: [`include/linux/firmware.h`](srctree/include/linux/firmware.h)
//!
//! `kernel::firmware::Firmware` owns a file the driver requested itself;
//! [`Image`] is the borrowed form, for a `struct firmware` that someone
//! else requested and releases.
//!
//! The driver passes it on to what parses it, such as
//! [`crate::kernel_ext::pldmfw::flash_image`] (see the example there).

use kernel::types::Opaque;

use crate::kernel_ext::bindings;

/// The contents of a loaded firmware file (`struct firmware`), borrowed.
///
/// # Invariants
///
/// The wrapped `struct firmware` is loaded: its data stays valid and
/// unchanged while a `&Image` exists.
#[repr(transparent)]
pub struct Image(Opaque<bindings::firmware>);

impl Image {
    /// Creates a reference to an [`Image`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` points to a loaded `struct firmware` whose data stays valid
    /// and unchanged for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::firmware) -> &'a Self {
        // SAFETY: `Image` is a `#[repr(transparent)]` wrapper of `struct
        // firmware`; the caller guarantees it stays valid for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// The raw pointer, for the C functions that take the file.
    pub(crate) fn as_raw(&self) -> *const bindings::firmware {
        self.0.get()
    }
}
