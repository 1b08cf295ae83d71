// SPDX-License-Identifier: GPL-2.0

//! PLDM firmware packages (DMTF DSP0267) and the update they drive.
//!
//! C header: [`include/linux/pldmfw.h`](srctree/include/linux/pldmfw.h)
//!
//! The kernel's PLDM library (`lib/pldmfw`) parses a package, checks its
//! header CRC, finds the first firmware-device record that matches the
//! device and walks the components that record applies to. What the device
//! does with them is the driver's part, a type that implements
//! [`Operations`]:
//!
//! 1. [`Operations::match_record`] for each record until one matches;
//! 2. [`Operations::send_package_data`] with that record's package data;
//! 3. [`Operations::send_component_table`] for each applicable component;
//! 4. [`Operations::flash_component`] for each applicable component;
//! 5. [`Operations::finalize_update`].
//!
//! [`flash_image`] runs them; the first error stops the update and is
//! returned. A package that is not PLDM, or whose header is damaged, fails
//! in the parser before any callback runs (`EINVAL`, `EFAULT`, `EBADMSG`,
//! `EOPNOTSUPP`), one without a matching record with `ENOENT`. Since the
//! component tables all go out before the first component is written, a
//! driver that checks every component in step 3 refuses a package it
//! cannot take whole before it writes anything.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     device::Device,
//!     prelude::*, //
//! };
//! use kernel_ext::{
//!     firmware::Image,
//!     pldmfw::{
//!         self,
//!         Component,
//!         Mode,
//!         Record, //
//!     }, //
//! };
//!
//! struct Flasher;
//!
//! #[vtable]
//! impl pldmfw::Operations for Flasher {
//!     fn match_record(&self, record: &Record<'_>) -> bool {
//!         record.pci_match()
//!     }
//!
//!     fn send_component_table(&self, component: &Component) -> Result {
//!         // Only the components this device has.
//!         match component.identifier() {
//!             0 | 1 => Ok(()),
//!             _ => Err(EINVAL),
//!         }
//!     }
//!
//!     fn flash_component(&self, component: &Component) -> Result {
//!         pr_info!("{} bytes for component {}\n", component.data().len(), component.identifier());
//!         Ok(())
//!     }
//! }
//!
//! fn update(dev: &Device, image: &Image) -> Result {
//!     pldmfw::flash_image(dev, image, Mode::Full, &Flasher)
//! }
//! ```

use core::{
    marker::PhantomData,
    mem::offset_of, //
};
use kernel::{
    device,
    error::{
        from_result,
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    pci,
    prelude::*,
    types::Opaque, //
};

use crate::kernel_ext::{
    bindings,
    firmware::Image,
    net::raw_device, //
};

/// Descriptor types of a firmware-device record (`PLDM_DESC_ID_*`); the
/// PCI ones are [`Record::pci_match`]'s.
pub mod desc {
    /// Vendor-defined: a title string and data, in a vendor's format.
    pub const VENDOR_DEFINED: u16 = 0xffff;
}

/// Which components of a package [`flash_image`] updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every component the matching record applies to.
    Full,
    /// Only the component with this identifier; a package without it
    /// fails with `ENOENT`.
    SingleComponent(u16),
}

/// What a driver does with a PLDM package (`struct pldmfw_ops`).
///
/// The callbacks run in the context of [`flash_image`]'s caller, one at a
/// time; they may sleep if it may.
#[vtable]
pub trait Operations: Sized {
    /// Whether `record` is for this device (`match_record`). Most drivers
    /// start with [`Record::pci_match`].
    fn match_record(&self, record: &Record<'_>) -> bool;

    /// Sends the matching record's package data to the device
    /// (`send_package_data`).
    fn send_package_data(&self, _data: &[u8]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sends the table entry of one applicable component
    /// (`send_component_table`), before any component is flashed. (The
    /// library's transfer flag, where the entry stands in the series, is
    /// left out until a driver needs it.)
    fn send_component_table(&self, _component: &Component) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes one applicable component to the device (`flash_component`).
    fn flash_component(&self, component: &Component) -> Result;

    /// Completes the update once every component is written
    /// (`finalize_update`).
    fn finalize_update(&self) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A descriptor of a firmware-device record: a type ([`desc`]) and its
/// bytes.
#[derive(Clone, Copy, Debug)]
pub struct Descriptor<'a> {
    /// The descriptor type, one of [`desc`] or another DSP0267 type.
    pub kind: u16,
    /// Its value, as long as the package says.
    pub data: &'a [u8],
}

/// A firmware-device record of the package being flashed, for
/// [`Operations::match_record`].
///
/// # Invariants
///
/// `raw` is a record of the package that `ctx`'s update parsed, valid for
/// `'a`; `ctx` is that update's context, whose device is `dev`.
pub struct Record<'a> {
    raw: *mut bindings::pldmfw_record,
    ctx: *mut bindings::pldmfw,
    dev: &'a device::Device,
}

impl<'a> Record<'a> {
    /// Whether the record's PCI descriptors (vendor, device, subsystem
    /// vendor and device; a missing or zero one matches anything) match the
    /// device (`pldmfw_op_pci_match_record()`). `false` if the device is
    /// not a PCI device.
    pub fn pci_match(&self) -> bool {
        if <&pci::Device>::try_from(self.dev).is_err() {
            return false;
        }
        // SAFETY: By the type invariant both pointers are valid, and the
        // context's device is a PCI device (checked above).
        unsafe { bindings::pldmfw_op_pci_match_record(self.ctx, self.raw) }
    }

    /// The record's descriptors, in package order.
    pub fn descriptors(&self) -> impl Iterator<Item = Descriptor<'a>> + 'a {
        // SAFETY: By the type invariant the record is valid for `'a`.
        let head = unsafe { &raw mut (*self.raw).descs };
        // SAFETY: `head` is the list's valid head.
        let first = unsafe { (*head).next };
        DescIter {
            head,
            next: first,
            _p: PhantomData,
        }
    }
}

/// Walks a record's descriptor list.
///
/// # Invariants
///
/// `head` is the `descs` list head of a record valid for `'a`, and `next`
/// one of its entries or `head`.
struct DescIter<'a> {
    head: *mut bindings::list_head,
    next: *mut bindings::list_head,
    _p: PhantomData<&'a ()>,
}

impl<'a> Iterator for DescIter<'a> {
    type Item = Descriptor<'a>;

    fn next(&mut self) -> Option<Descriptor<'a>> {
        if self.next == self.head {
            return None;
        }
        let desc = self
            .next
            .wrapping_byte_sub(offset_of!(bindings::pldmfw_desc_tlv, entry))
            .cast::<bindings::pldmfw_desc_tlv>();
        // SAFETY: By the type invariant `next` is the `entry` of a
        // `pldmfw_desc_tlv` of the list (not the head), valid for `'a`;
        // the parser checked that its data lies within the package.
        unsafe {
            self.next = (*self.next).next;
            Some(Descriptor {
                kind: (*desc).type_,
                data: bytes((*desc).data, usize::from((*desc).size)),
            })
        }
    }
}

/// A component of the package, for [`Operations::send_component_table`]
/// and [`Operations::flash_component`] (`struct pldmfw_component`).
///
/// # Invariants
///
/// The wrapped component belongs to a package being flashed; its data and
/// version lie within the package, which stays loaded and unchanged while
/// a `&Component` exists.
#[repr(transparent)]
pub struct Component(Opaque<bindings::pldmfw_component>);

impl Component {
    fn raw(&self) -> &bindings::pldmfw_component {
        // SAFETY: By the type invariant the component is valid to read, and
        // the library does not change it during a callback.
        unsafe { &*self.0.get() }
    }

    /// The component's identifier, which the vendor defines.
    pub fn identifier(&self) -> u16 {
        self.raw().identifier
    }

    /// The component's image.
    pub fn data(&self) -> &[u8] {
        let raw = self.raw();
        // SAFETY: By the type invariant the data lies within the loaded
        // package; CAST: a `u32` size fits `usize`.
        unsafe { bytes(raw.component_data, raw.component_size as usize) }
    }
}

/// `len` bytes at `ptr`, or none if `ptr` is NULL.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable bytes that stay valid and
/// unchanged for `'a`.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: Per the safety requirement.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The C context of an update: the library's `struct pldmfw`, first, so
/// that a pointer to it is a pointer to this, and the driver's operations.
#[repr(C)]
struct Context<'a, T> {
    raw: bindings::pldmfw,
    ops: &'a T,
    dev: &'a device::Device,
}

/// The C operation table of `T` and the callbacks in it.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ctx` is the `raw` field of a live `Context<'_, T>`.
    unsafe fn context<'a>(ctx: *mut bindings::pldmfw) -> &'a Context<'a, T> {
        // SAFETY: `Context` is `#[repr(C)]` with `raw` first, and the
        // caller guarantees that `ctx` is part of one.
        unsafe { &*ctx.cast::<Context<'a, T>>() }
    }

    /// # Safety
    ///
    /// `ctx` is the context of a running [`flash_image`] for `T` and
    /// `record` a record of its package.
    unsafe extern "C" fn match_record(
        ctx: *mut bindings::pldmfw,
        record: *mut bindings::pldmfw_record,
    ) -> bool {
        // SAFETY: Per the safety requirement.
        let context = unsafe { Self::context(ctx) };
        // INVARIANT: Per the safety requirement the record is valid during
        // the call, and `ctx`'s device is `context.dev`.
        let record = Record {
            raw: record,
            ctx,
            dev: context.dev,
        };
        context.ops.match_record(&record)
    }

    /// # Safety
    ///
    /// As for `match_record`; `data` points to `len` bytes of the package.
    unsafe extern "C" fn send_package_data(
        ctx: *mut bindings::pldmfw,
        data: *const u8,
        len: u16,
    ) -> c_int {
        // SAFETY: Per the safety requirement.
        let context = unsafe { Self::context(ctx) };
        // SAFETY: Per the safety requirement the bytes lie in the loaded
        // package.
        let data = unsafe { bytes(data, usize::from(len)) };
        from_result(|| context.ops.send_package_data(data).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `match_record`; `component` is a component of the package.
    unsafe extern "C" fn send_component_table(
        ctx: *mut bindings::pldmfw,
        component: *mut bindings::pldmfw_component,
        _transfer_flag: u8,
    ) -> c_int {
        // SAFETY: Per the safety requirement.
        let context = unsafe { Self::context(ctx) };
        // SAFETY: `Component` is a `#[repr(transparent)]` wrapper, and the
        // component is valid for the call.
        let component = unsafe { &*component.cast::<Component>() };
        from_result(|| context.ops.send_component_table(component).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `send_component_table`.
    unsafe extern "C" fn flash_component(
        ctx: *mut bindings::pldmfw,
        component: *mut bindings::pldmfw_component,
    ) -> c_int {
        // SAFETY: Per the safety requirement.
        let context = unsafe { Self::context(ctx) };
        // SAFETY: As in `send_component_table`.
        let component = unsafe { &*component.cast::<Component>() };
        from_result(|| context.ops.flash_component(component).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `match_record`.
    unsafe extern "C" fn finalize_update(ctx: *mut bindings::pldmfw) -> c_int {
        // SAFETY: Per the safety requirement.
        let context = unsafe { Self::context(ctx) };
        from_result(|| context.ops.finalize_update().map(|()| 0))
    }

    const VTABLE: bindings::pldmfw_ops = bindings::pldmfw_ops {
        match_record: Some(Self::match_record),
        send_package_data: if T::HAS_SEND_PACKAGE_DATA {
            Some(Self::send_package_data)
        } else {
            None
        },
        send_component_table: if T::HAS_SEND_COMPONENT_TABLE {
            Some(Self::send_component_table)
        } else {
            None
        },
        flash_component: Some(Self::flash_component),
        finalize_update: if T::HAS_FINALIZE_UPDATE {
            Some(Self::finalize_update)
        } else {
            None
        },
    };
}

/// Flashes the PLDM package `image` onto `dev` through `ops`
/// (`pldmfw_flash_image()`): the components `mode` selects, of the first
/// record `ops` accepts.
pub fn flash_image<T: Operations>(
    dev: &device::Device,
    image: &Image,
    mode: Mode,
    ops: &T,
) -> Result {
    let (mode, component_identifier) = match mode {
        Mode::Full => (bindings::pldmfw_update_mode_PLDMFW_UPDATE_MODE_FULL, 0),
        Mode::SingleComponent(id) => (
            bindings::pldmfw_update_mode_PLDMFW_UPDATE_MODE_SINGLE_COMPONENT,
            id,
        ),
    };
    let mut context = Context {
        raw: bindings::pldmfw {
            ops: &OpsTable::<T>::VTABLE,
            dev: raw_device(dev),
            component_identifier,
            mode,
        },
        ops,
        dev,
    };
    // SAFETY: The context is valid for the call, its table `'static`, its
    // device valid (borrowed); the callbacks get `&raw mut context.raw`,
    // the first field of a `Context<T>`, as `OpsTable<T>` requires; the
    // image stays loaded (borrowed) for the call.
    to_result(unsafe { bindings::pldmfw_flash_image(&raw mut context.raw, image.as_raw()) })
}
