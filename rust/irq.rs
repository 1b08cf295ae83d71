// SPDX-License-Identifier: GPL-2.0

//! Interrupt handlers that live as long as the device's binding.
//!
//! C header: [`include/linux/interrupt.h`](srctree/include/linux/interrupt.h)
//!
//! `kernel::irq::Registration::new()` is `unsafe`: the registration borrows
//! device resources for a lifetime, and forgetting it would leave the
//! handler installed after those resources are gone. This module offers the
//! device-managed alternative that C drivers get from
//! `devm_request_threaded_irq()`: the handler data is reference counted and
//! `'static`, so it cannot borrow anything that unbinding frees, and the
//! interrupt is freed by the device's resource list at unbind at the latest,
//! whatever the driver does with its own values. A handler reaches device
//! resources through revocable handles (such as `kernel::pci::DevresBar`),
//! which simply fail once the device is gone.
//!
//! # Examples
//!
//! ```ignore
//! use kernel::{irq::{IrqReturn, ThreadedHandler}, prelude::*, sync::Arc};
//!
//! struct Mailbox { /* registers, rings */ }
//!
//! impl ThreadedHandler for Mailbox {
//!     fn handle_threaded(&self) -> IrqReturn {
//!         // Process context: may sleep, take mutexes.
//!         IrqReturn::Handled
//!     }
//! }
//!
//! fn setup(pdev: &pci::Device<Bound>, mbx: Arc<Mailbox>) -> Result {
//!     kernel_ext::pci::alloc_irq_vectors(pdev, 1, 8)?;
//!     kernel_ext::irq::request_threaded(pdev, 0, c"my-mailbox", mbx)
//! }
//! ```

use kernel::{
    bindings,
    device::Bound,
    devres,
    error::to_result,
    irq::{Handler, IrqReturn, ThreadedHandler, ThreadedIrqReturn},
    pci,
    prelude::*,
    sync::Arc,
};

use crate::kernel_ext::pci::as_raw;

/// An installed interrupt handler, freed when dropped.
///
/// # Invariants
///
/// `irq` has a handler installed with `request_threaded_irq()` whose cookie
/// is `Arc::as_ptr(&self.data)`, and `self` holds that reference.
struct Installed<T: Send + Sync + 'static> {
    irq: u32,
    data: Arc<T>,
}

impl<T: Send + Sync + 'static> Drop for Installed<T> {
    fn drop(&mut self) {
        let cookie = Arc::as_ptr(&self.data).cast_mut().cast::<c_void>();

        // SAFETY: By the type invariant the handler is installed with this
        // cookie. `free_irq()` waits for running handlers to finish, so once
        // it returns nothing uses the cookie and `data` may go.
        unsafe { bindings::free_irq(self.irq, cookie) };
    }
}

/// Installs `handler` as the (hard interrupt) handler of the device's
/// interrupt vector `vector`, until the device is unbound. Meant for work
/// that must start at once, such as scheduling NAPI.
pub fn request<T>(
    pdev: &pci::Device<Bound>,
    vector: u32,
    name: &'static CStr,
    handler: Arc<T>,
) -> Result
where
    T: Handler + Send + 'static,
{
    // SAFETY: `pdev` is a valid, bound PCI device.
    let irq = unsafe { bindings::pci_irq_vector(as_raw(pdev), vector) };
    let irq = u32::try_from(irq).map_err(|_| Error::from_errno(irq))?;
    let cookie = Arc::as_ptr(&handler).cast_mut().cast::<c_void>();

    // SAFETY: As in `request_threaded`, with no thread.
    to_result(unsafe {
        bindings::request_threaded_irq(
            irq,
            Some(plain_handler::<T>),
            None,
            0,
            name.as_char_ptr(),
            cookie,
        )
    })?;

    // INVARIANT: Installed just above with this cookie.
    let installed = Installed { irq, data: handler };
    devres::register(pdev.as_ref(), installed, GFP_KERNEL)
}

/// # Safety
///
/// Only for `request()`: `ptr` is the cookie, an `Arc<T>` payload kept
/// alive until the handler is freed.
unsafe extern "C" fn plain_handler<T: Handler>(
    _irq: c_int,
    ptr: *mut c_void,
) -> bindings::irqreturn_t {
    // SAFETY: Per the safety requirement `ptr` points to a live `T`.
    let data = unsafe { &*ptr.cast::<T>() };
    let ret: IrqReturn = T::handle(data);
    bindings::irqreturn_t(ret as c_uint)
}

/// Installs `handler` as the threaded handler of the device's interrupt
/// vector `vector` (a vector allocated with
/// [`alloc_irq_vectors`](crate::kernel_ext::pci::alloc_irq_vectors)), until
/// the device is unbound.
///
/// The hard-interrupt part is [`ThreadedHandler::handle`] (by default, wake
/// the thread); the line stays masked until
/// [`ThreadedHandler::handle_threaded`] returns (`IRQF_ONESHOT`).
pub fn request_threaded<T>(
    pdev: &pci::Device<Bound>,
    vector: u32,
    name: &'static CStr,
    handler: Arc<T>,
) -> Result
where
    T: ThreadedHandler + Send + 'static,
{
    // SAFETY: `pdev` is a valid, bound PCI device.
    let irq = unsafe { bindings::pci_irq_vector(as_raw(pdev), vector) };
    let irq = u32::try_from(irq).map_err(|_| Error::from_errno(irq))?;
    let cookie = Arc::as_ptr(&handler).cast_mut().cast::<c_void>();

    // SAFETY: The callbacks match what `request_threaded_irq()` expects and
    // interpret `cookie` as an `Arc<T>` payload, which stays valid until
    // `free_irq()` in `Installed::drop`. `name` is `'static`.
    to_result(unsafe {
        bindings::request_threaded_irq(
            irq,
            Some(hard_handler::<T>),
            Some(thread_handler::<T>),
            // CAST: IRQ flags are small bit values; `c_ulong` holds them.
            bindings::IRQF_ONESHOT as c_ulong,
            name.as_char_ptr(),
            cookie,
        )
    })?;

    // INVARIANT: Installed just above with this cookie.
    let installed = Installed { irq, data: handler };

    // If this fails, `installed` is dropped on the way out, freeing the
    // interrupt again.
    devres::register(pdev.as_ref(), installed, GFP_KERNEL)
}

/// # Safety
///
/// Only for `request_threaded()`: `ptr` is the cookie, an `Arc<T>` payload
/// kept alive until the handler is freed.
unsafe extern "C" fn hard_handler<T: ThreadedHandler>(
    _irq: c_int,
    ptr: *mut c_void,
) -> bindings::irqreturn_t {
    // SAFETY: Per the safety requirement `ptr` points to a live `T`.
    let data = unsafe { &*ptr.cast::<T>() };
    let ret: ThreadedIrqReturn = T::handle(data);
    bindings::irqreturn_t(ret as c_uint)
}

/// # Safety
///
/// As for [`hard_handler`].
unsafe extern "C" fn thread_handler<T: ThreadedHandler>(
    _irq: c_int,
    ptr: *mut c_void,
) -> bindings::irqreturn_t {
    // SAFETY: Per the safety requirement `ptr` points to a live `T`.
    let data = unsafe { &*ptr.cast::<T>() };
    let ret: IrqReturn = T::handle_threaded(data);
    bindings::irqreturn_t(ret as c_uint)
}
