// SPDX-License-Identifier: GPL-2.0

//! Devlink health reporters: how a driver tells user space that part of
//! its device failed, and what it says when asked about it
//! (`devlink health`).
//!
//! C header: [`include/net/devlink.h`](srctree/include/net/devlink.h)
//!
//! A reporter is a type `R` that implements [`Operations`]: its name and
//! the callbacks that describe the state of the device ([`Fmsg`]), for
//! `devlink health diagnose` and `devlink health dump`.
//! [`Builder::create_reporter`] creates one on a devlink instance and
//! returns a [`Reporter`], through which the driver reports errors from
//! wherever it detects them ([`Reporter::report`]); the instance destroys
//! its reporters before it is freed, after which reporting does nothing.
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
//!     sync::Arc, //
//! };
//! use kernel_ext::net::{
//!     devlink::{
//!         self,
//!         health::{
//!             self,
//!             Fmsg,
//!             Reporter, //
//!         },
//!         Devlink, //
//!     },
//!     netlink::ExtAck, //
//! };
//!
//! struct Nic;
//! #[vtable]
//! impl devlink::Operations for Nic {}
//!
//! struct Firmware {
//!     uptime_ms: u32,
//! }
//!
//! #[vtable]
//! impl health::Operations for Firmware {
//!     const NAME: &'static CStr = c"fw";
//!
//!     fn diagnose(&self, fmsg: &mut Fmsg, _extack: &mut ExtAck<'_>) -> Result {
//!         fmsg.put_u32(c"uptime_ms", self.uptime_ms);
//!         Ok(())
//!     }
//! }
//!
//! fn probe<'bound>(
//!     dev: &'bound Device<Bound>,
//! ) -> Result<(devlink::Registration<'bound, Nic>, Arc<Reporter<Firmware>>)> {
//!     let mut builder = devlink::Builder::new(dev, Nic)?;
//!     let fw = builder.create_reporter(Firmware { uptime_ms: 0 })?;
//!     Ok((builder.register(), fw))
//! }
//!
//! // Later, from a work item that found the firmware dead:
//! fn firmware_died(fw: &Reporter<Firmware>) {
//!     let _ = fw.report(c"firmware crash detected");
//! }
//! ```

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    error::{
        from_err_ptr,
        from_result,
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    new_mutex,
    prelude::*,
    str::as_char_ptr_in_const_context,
    sync::{
        Arc,
        Mutex, //
    },
    types::Opaque, //
};

use super::{
    Builder,
    Operations as DevlinkOperations, //
};
use crate::kernel_ext::{
    bindings,
    net::netlink::ExtAck, //
};

/// The callbacks of a health reporter whose data is `Self`.
///
/// The core calls them in process context with the devlink instance lock
/// held; they may sleep. [`Operations::dump`] also runs from
/// [`Reporter::report`], so it must not report itself.
#[vtable]
pub trait Operations: Sized + Send + Sync {
    /// The reporter's name, as `devlink health` shows it.
    const NAME: &'static CStr;

    /// Describes the current state of what the reporter watches
    /// (`diagnose`, for `devlink health diagnose`).
    fn diagnose(&self, _fmsg: &mut Fmsg, _extack: &mut ExtAck<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Collects the data that explains an error (`dump`): at the first
    /// report after the previous dump was cleared, and for
    /// `devlink health dump show` when no dump is stored.
    fn dump(&self, _fmsg: &mut Fmsg, _extack: &mut ExtAck<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A health reporter of a devlink instance, with its data `R`.
///
/// Made by [`Builder::create_reporter`]; the devlink instance keeps it until
/// it is freed, and the driver keeps it as long as it likes, to report.
///
/// # Invariants
///
/// `raw` holds the C reporter while it exists, created with `R`'s
/// operation table and a pointer to this value as its private data; this
/// value is in an [`Arc`], so it does not move, and that `Arc` outlives the
/// C reporter (its instance holds a reference until it destroys it).
#[pin_data]
pub struct Reporter<R> {
    #[pin]
    raw: Mutex<RawReporter>,
    #[pin]
    data: R,
}

/// The C reporter, `None` once destroyed.
struct RawReporter(Option<NonNull<bindings::devlink_health_reporter>>);

// SAFETY: The pointer is only used under the reporter's mutex, with C
// functions that may be called from any thread.
unsafe impl Send for RawReporter {}

impl<R: Operations> Reporter<R> {
    /// A reporter that has no C reporter yet.
    fn new<E>(data: impl PinInit<R, E>) -> impl PinInit<Self, Error>
    where
        Error: From<E>,
    {
        try_pin_init!(Self {
            raw <- new_mutex!(RawReporter(None)),
            data <- data,
        }? Error)
    }

    /// Returns the reporter's data.
    pub fn data(&self) -> &R {
        &self.data
    }

    /// Reports an error described by `msg` (`devlink_health_report()`):
    /// the reporter's error count goes up and its state turns to error; if
    /// the reporter has a dump callback and no dump is stored, it collects
    /// one.
    ///
    /// Sleeps; call it from process context, holding neither the devlink
    /// instance lock nor anything [`Operations::dump`] takes. Fails with
    /// `ENODEV` once the reporter is destroyed.
    pub fn report(&self, msg: &CStr) -> Result {
        let raw = self.raw.lock();
        let reporter = raw.0.ok_or(ENODEV)?;
        // SAFETY: By the type invariant the C reporter exists while `raw`
        // holds it, and it cannot be destroyed while the lock is held
        // (`destroy` takes it). `msg` is only read during the call.
        to_result(unsafe {
            bindings::devlink_health_report(
                reporter.as_ptr(),
                msg.as_char_ptr(),
                core::ptr::null_mut(),
            )
        })
    }
}

/// What the devlink instance does with its reporters before it is freed.
pub(super) trait Destroy: Send + Sync {
    /// Destroys the C reporter, waiting for a report in progress to finish.
    fn destroy(&self);
}

impl<R: Operations> Destroy for Reporter<R> {
    fn destroy(&self) {
        let Some(reporter) = self.raw.lock().0.take() else {
            return;
        };
        // SAFETY: By the type invariant `reporter` is a live C reporter, now
        // taken out of `raw`, so nothing else uses it (`report` only uses it
        // under the lock). The core waits for its callbacks to return.
        unsafe { bindings::devlink_health_reporter_destroy(reporter.as_ptr()) };
    }
}

impl<T: DevlinkOperations> Builder<'_, T> {
    /// Creates a health reporter with `data` on this instance
    /// (`devlink_health_reporter_create()`).
    pub fn create_reporter<R: Operations + 'static, E>(
        &mut self,
        data: impl PinInit<R, E>,
    ) -> Result<Arc<Reporter<R>>>
    where
        Error: From<E>,
    {
        let reporter = Arc::pin_init::<Error>(Reporter::new(data), GFP_KERNEL)?;
        // Room first: once the C reporter exists, nothing may fail.
        self.reporters.reserve(1, GFP_KERNEL)?;

        // SAFETY: The instance is valid (type invariant of `Builder`); the
        // table is `'static`; the private data points to the reporter in
        // its `Arc`, which the instance keeps below until it destroys the C
        // reporter.
        let raw = from_err_ptr(unsafe {
            bindings::devlink_health_reporter_create(
                self.raw.as_ptr(),
                OpsTable::<R>::build(),
                Arc::as_ptr(&reporter).cast_mut().cast(),
            )
        })?;
        // INVARIANT: The C reporter just created, with this reporter's data.
        reporter.raw.lock().0 = NonNull::new(raw);

        let entry: Arc<dyn Destroy> = reporter.clone();
        if let Err(e) = self.reporters.push_within_capacity(entry) {
            // Cannot happen: room was reserved above.
            e.0.destroy();
            return Err(ENOMEM);
        }
        Ok(reporter)
    }
}

/// A message describing the state of a device, built by the reporter
/// callbacks (`struct devlink_fmsg`): named values, nested in pairs and
/// objects, which `devlink health` prints as JSON-like text.
///
/// The core records the first error (out of memory, a misnested message)
/// and fails the request with it, so the methods return nothing.
#[repr(transparent)]
pub struct Fmsg(Opaque<bindings::devlink_fmsg>);

impl Fmsg {
    /// Largest binary value put in one piece. Each piece is an item that
    /// must fit in one netlink message of the dump along with its headers,
    /// a page less the socket buffer's overhead: half a page does.
    const BINARY_CHUNK: usize = 2048;

    fn as_raw(&mut self) -> *mut bindings::devlink_fmsg {
        self.0.get()
    }

    /// Puts a pair named `name` whose value is what `f` puts
    /// (`devlink_fmsg_pair_nest_start()` .. `_end()`).
    pub fn pair(&mut self, name: &CStr, f: impl FnOnce(&mut Self)) {
        // SAFETY: `self` is the message the core passed to the callback,
        // valid for the call; `name` is copied.
        unsafe { bindings::devlink_fmsg_pair_nest_start(self.as_raw(), name.as_char_ptr()) };
        f(self);
        // SAFETY: As above.
        unsafe { bindings::devlink_fmsg_pair_nest_end(self.as_raw()) };
    }

    /// Puts an object whose members are what `f` puts
    /// (`devlink_fmsg_obj_nest_start()` .. `_end()`).
    pub fn object(&mut self, f: impl FnOnce(&mut Self)) {
        // SAFETY: As in `pair`.
        unsafe { bindings::devlink_fmsg_obj_nest_start(self.as_raw()) };
        f(self);
        // SAFETY: As in `pair`.
        unsafe { bindings::devlink_fmsg_obj_nest_end(self.as_raw()) };
    }

    /// Puts the pair `name: value` (`devlink_fmsg_u32_pair_put()`).
    pub fn put_u32(&mut self, name: &CStr, value: u32) {
        // SAFETY: As in `pair`.
        unsafe { bindings::devlink_fmsg_u32_pair_put(self.as_raw(), name.as_char_ptr(), value) };
    }

    /// Puts a pair named `name` whose value is binary data, the pieces of
    /// `data` that `f` hands to the [`BinaryValue`] in turn
    /// (`devlink_fmsg_binary_pair_nest_start()` .. `_end()`).
    pub fn binary_pair(&mut self, name: &CStr, f: impl FnOnce(&mut BinaryValue<'_>)) {
        // SAFETY: As in `pair`.
        unsafe { bindings::devlink_fmsg_binary_pair_nest_start(self.as_raw(), name.as_char_ptr()) };
        f(&mut BinaryValue { fmsg: self });
        // SAFETY: As in `pair`.
        unsafe { bindings::devlink_fmsg_binary_pair_nest_end(self.as_raw()) };
    }
}

/// The binary value of a pair being put by [`Fmsg::binary_pair`].
pub struct BinaryValue<'a> {
    fmsg: &'a mut Fmsg,
}

impl BinaryValue<'_> {
    /// Appends `data` (`devlink_fmsg_binary_put()`), in pieces small enough
    /// for a netlink attribute.
    pub fn put(&mut self, data: &[u8]) {
        for piece in data.chunks(Fmsg::BINARY_CHUNK) {
            // CAST: A piece is at most `BINARY_CHUNK` bytes.
            let len = piece.len() as u16;
            // SAFETY: As in `Fmsg::pair`; `piece` is readable for `len`
            // bytes and copied.
            unsafe {
                bindings::devlink_fmsg_binary_put(self.fmsg.as_raw(), piece.as_ptr().cast(), len)
            };
        }
    }
}

/// The C operation table of `R` and the callbacks in it.
struct OpsTable<R>(PhantomData<R>);

impl<R: Operations> OpsTable<R> {
    /// Returns the reporter whose C reporter `reporter` is.
    ///
    /// # Safety
    ///
    /// `reporter` must be a C reporter that [`Builder::create_reporter`]
    /// created for `R` and that is not destroyed yet.
    unsafe fn reporter<'a>(reporter: *mut bindings::devlink_health_reporter) -> &'a Reporter<R> {
        // SAFETY: Per the safety requirement, the private data is the
        // `Reporter<R>` that outlives the C reporter (type invariant of
        // `Reporter`).
        unsafe { &*bindings::devlink_health_reporter_priv(reporter).cast::<Reporter<R>>() }
    }

    /// # Safety
    ///
    /// `reporter` must be a live C reporter of [`Builder::create_reporter`]
    /// for `R`, `fmsg` a valid message and `extack` NULL or valid for
    /// writes, both ours for the call.
    unsafe extern "C" fn diagnose(
        reporter: *mut bindings::devlink_health_reporter,
        fmsg: *mut bindings::devlink_fmsg,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: Per the safety requirement.
        let this = unsafe { Self::reporter(reporter) };
        // SAFETY: `Fmsg` is a transparent wrapper; `fmsg` is ours for the
        // call.
        let fmsg = unsafe { &mut *fmsg.cast::<Fmsg>() };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| this.data.diagnose(fmsg, &mut extack).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`OpsTable::diagnose`].
    unsafe extern "C" fn dump(
        reporter: *mut bindings::devlink_health_reporter,
        fmsg: *mut bindings::devlink_fmsg,
        _priv_ctx: *mut c_void,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: Per the safety requirement.
        let this = unsafe { Self::reporter(reporter) };
        // SAFETY: As in `diagnose`.
        let fmsg = unsafe { &mut *fmsg.cast::<Fmsg>() };
        // SAFETY: Per the safety requirement.
        let mut extack = unsafe { ExtAck::from_raw(extack) };
        from_result(|| this.data.dump(fmsg, &mut extack).map(|()| 0))
    }

    const VTABLE: bindings::devlink_health_reporter_ops = bindings::devlink_health_reporter_ops {
        // The core never writes through it.
        name: as_char_ptr_in_const_context(R::NAME).cast_mut(),
        diagnose: if R::HAS_DIAGNOSE {
            Some(Self::diagnose)
        } else {
            None
        },
        dump: if R::HAS_DUMP { Some(Self::dump) } else { None },
        ..pin_init::zeroed()
    };

    const fn build() -> &'static bindings::devlink_health_reporter_ops {
        &Self::VTABLE
    }
}
