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
//! ```
//! use kernel::{
//!     device::Bound,
//!     irq::{
//!         IrqReturn,
//!         ThreadedHandler, //
//!     },
//!     pci,
//!     prelude::*,
//!     sync::Arc, //
//! };
//! use kernel_ext::{
//!     irq,
//!     pci::alloc_irq_vectors, //
//! };
//!
//! struct Mailbox {
//!     // Registers, rings, ...
//! }
//!
//! impl ThreadedHandler for Mailbox {
//!     fn handle_threaded(&self) -> IrqReturn {
//!         // Process context: may sleep, take mutexes.
//!         IrqReturn::Handled
//!     }
//! }
//!
//! fn setup(pdev: &pci::Device<Bound>, mbx: Arc<Mailbox>) -> Result {
//!     let vectors = alloc_irq_vectors(pdev, 1, 8)?;
//!     irq::request_threaded(vectors.index(0)?, c"my-mailbox", mbx)
//! }
//! ```

use kernel::{
    bindings,
    devres,
    error::to_result,
    irq::{
        Handler,
        IrqReturn,
        ThreadedHandler,
        ThreadedIrqReturn, //
    },
    num::casts::FromSafeCast,
    prelude::*,
    sync::Arc,
    types::Opaque, //
};

use crate::kernel_ext::pci::IrqVector;

/// An installed interrupt handler, freed when dropped.
///
/// # Invariants
///
/// `irq` has a handler installed with `request_threaded_irq()` whose cookie
/// is `Arc::as_ptr(&self.data)`, and `self` holds that reference.
struct Installed<T: Send + Sync + 'static> {
    irq: u32,
    data: Arc<T>,
    /// Keeps a changeable name alive while the handler uses it.
    _name: Option<Arc<IrqName>>,
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

/// Installs `data` with the C handlers `hard` and `thread` on `vector`,
/// until the device is unbound.
///
/// # Safety
///
/// `hard` and `thread` take their cookie for a pointer to a `T`, as
/// `Arc::as_ptr(&data)` is. `name` is a NUL-terminated string valid until
/// the handler is freed: `'static`, or inside `keep_name`.
unsafe fn install<T: Send + Sync + 'static>(
    vector: IrqVector<'_>,
    hard: bindings::irq_handler_t,
    thread: bindings::irq_handler_t,
    flags: c_ulong,
    name: *const c_char,
    keep_name: Option<Arc<IrqName>>,
    data: Arc<T>,
) -> Result {
    let cookie = Arc::as_ptr(&data).cast_mut().cast::<c_void>();

    // SAFETY: `vector` is an allocated interrupt of a bound device (its
    // type invariant). The callbacks interpret `cookie` as a `T` and `name`
    // stays valid (the safety requirements); both live until `free_irq()`
    // in `Installed::drop`, because `Installed` holds `data` and
    // `keep_name`.
    to_result(unsafe {
        bindings::request_threaded_irq(vector.irq(), hard, thread, flags, name, cookie)
    })?;

    // INVARIANT: Installed just above with this cookie.
    let installed = Installed {
        irq: vector.irq(),
        data,
        _name: keep_name,
    };

    // If this fails, `installed` is dropped on the way out, freeing the
    // interrupt again.
    devres::register(vector.device().as_ref(), installed, GFP_KERNEL)
}

/// Installs `handler` as the (hard interrupt) handler of `vector`, until
/// the device is unbound, under a name that can change later, e.g. to
/// follow the name of the network interface the vector serves. Meant for
/// work that must start at once, such as scheduling NAPI.
///
/// # Examples
///
/// ```
/// use kernel::{
///     irq::{
///         Handler,
///         IrqReturn, //
///     },
///     prelude::*,
///     sync::Arc, //
/// };
/// use kernel_ext::{
///     irq::{
///         self,
///         IrqName, //
///     },
///     pci::IrqVector, //
/// };
///
/// struct Queue {
///     // The queue's NAPI instance, ...
/// }
///
/// impl Handler for Queue {
///     fn handle(&self) -> IrqReturn {
///         // Schedule NAPI.
///         IrqReturn::Handled
///     }
/// }
///
/// fn setup(vector: IrqVector<'_>, queue: Arc<Queue>) -> Result<Arc<IrqName>> {
///     let name = IrqName::new(c"my-napi")?;
///     irq::request_named(vector, name.clone(), queue)?;
///     Ok(name)
/// }
///
/// // Once the interface is registered, and whenever it is renamed:
/// fn rename(name: &IrqName, ifname: &str, index: u32) {
///     name.set(format_args!("{ifname}-TxRx-{index}"));
/// }
/// ```
pub fn request_named<T>(vector: IrqVector<'_>, name: Arc<IrqName>, handler: Arc<T>) -> Result
where
    T: Handler + Send + 'static,
{
    let name_ptr = name.as_char_ptr();

    // SAFETY: `plain_handler::<T>` takes its cookie for a `T`; `name_ptr`
    // points into the `IrqName` passed along to be kept, and it is always
    // NUL-terminated (its type invariant).
    unsafe {
        install(
            vector,
            Some(plain_handler::<T>),
            None,
            0,
            name_ptr,
            Some(name),
            handler,
        )
    }
}

/// Bytes of an [`IrqName`], NUL included.
const IRQ_NAME_LEN: usize = 32;

/// An interrupt's name as `/proc/interrupts` shows it, which the driver
/// may change while the handler is installed: the C drivers' practice of
/// naming queue vectors after their interface (`eth0-TxRx-0`), whose name
/// is only known once it is registered and can change.
///
/// # Invariants
///
/// The last byte of `buf` is always 0, so the name is a valid C string
/// whatever a concurrent reader sees.
pub struct IrqName {
    buf: Opaque<[u8; IRQ_NAME_LEN]>,
}

// SAFETY: The buffer is only written byte by byte with volatile stores
// (see `set`) and read by C as a string; sharing it is what it is for.
unsafe impl Sync for IrqName {}

// SAFETY: As for `Sync`.
unsafe impl Send for IrqName {}

impl IrqName {
    /// A name, initially `initial` (truncated to fit).
    pub fn new(initial: &CStr) -> Result<Arc<Self>> {
        let mut bytes = [0u8; IRQ_NAME_LEN];
        let src = initial.to_bytes();
        let n = src.len().min(IRQ_NAME_LEN - 1);
        bytes[..n].copy_from_slice(&src[..n]);
        // INVARIANT: At most `IRQ_NAME_LEN - 1` bytes copied; the last
        // stays 0.
        Ok(Arc::new(
            Self {
                buf: Opaque::new(bytes),
            },
            GFP_KERNEL,
        )?)
    }

    fn as_char_ptr(&self) -> *const c_char {
        self.buf.get().cast()
    }

    /// Changes the name to `args`, truncated to 31 bytes.
    ///
    /// A reader of `/proc/interrupts` at the same moment may see a mix of
    /// the old and the new name, as with the C drivers that do the same.
    pub fn set(&self, args: core::fmt::Arguments<'_>) {
        struct Writer<'a> {
            name: &'a IrqName,
            at: usize,
        }
        impl Writer<'_> {
            fn put(&mut self, b: u8) {
                if self.at < IRQ_NAME_LEN - 1 {
                    // SAFETY: `at` is inside the buffer and not its last
                    // byte (the invariant); a volatile byte store is the
                    // `WRITE_ONCE()` a concurrent C reader tolerates.
                    unsafe {
                        core::ptr::write_volatile(self.name.buf.get().cast::<u8>().add(self.at), b)
                    };
                    self.at += 1;
                }
            }
        }
        impl core::fmt::Write for Writer<'_> {
            fn write_str(&mut self, s: &str) -> core::fmt::Result {
                for b in s.bytes() {
                    self.put(b);
                }
                Ok(())
            }
        }
        let mut w = Writer { name: self, at: 0 };
        // Truncation is the only way this can end early.
        let _ = core::fmt::write(&mut w, args);
        w.put(0);
    }
}

/// # Safety
///
/// Only for [`request_named`]: `ptr` is the cookie, an
/// `Arc<T>` payload kept alive until the handler is freed.
unsafe extern "C" fn plain_handler<T: Handler>(
    _irq: c_int,
    ptr: *mut c_void,
) -> bindings::irqreturn_t {
    // SAFETY: Per the safety requirement `ptr` points to a live `T`.
    let data = unsafe { &*ptr.cast::<T>() };
    let ret: IrqReturn = T::handle(data);
    // CAST: `IrqReturn` is `repr(u32)`, its discriminants are the C values.
    bindings::irqreturn_t(ret as c_uint)
}

/// Installs `handler` as the threaded handler of `vector` (one of the
/// vectors [`alloc_irq_vectors`] allocated), until the device is unbound.
///
/// The hard-interrupt part is [`ThreadedHandler::handle`] (by default, wake
/// the thread); the line stays masked until
/// [`ThreadedHandler::handle_threaded`] returns (`IRQF_ONESHOT`).
///
/// [`alloc_irq_vectors`]: crate::kernel_ext::pci::alloc_irq_vectors
pub fn request_threaded<T>(vector: IrqVector<'_>, name: &'static CStr, handler: Arc<T>) -> Result
where
    T: ThreadedHandler + Send + 'static,
{
    // SAFETY: `hard_handler::<T>` and `thread_handler::<T>` take their
    // cookie for a `T`; `name` is `'static`.
    unsafe {
        install(
            vector,
            Some(hard_handler::<T>),
            Some(thread_handler::<T>),
            usize::from_safe_cast(bindings::IRQF_ONESHOT),
            name.as_char_ptr(),
            None,
            handler,
        )
    }
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
    // CAST: `ThreadedIrqReturn` is `repr(u32)`, its discriminants are the C values.
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
    // CAST: `IrqReturn` is `repr(u32)`, its discriminants are the C values.
    bindings::irqreturn_t(ret as c_uint)
}
