// SPDX-License-Identifier: GPL-2.0

//! PTP hardware clocks (PHCs).
//!
//! C header: [`include/linux/ptp_clock_kernel.h`](srctree/include/linux/ptp_clock_kernel.h)
//!
//! A driver describes its clock with an implementation of [`Operations`]
//! and registers it with [`Registration::new`]: the clock then appears as
//! `/dev/ptpN` (and under the parent device's `ptp/` in sysfs), and user
//! space reads, sets and steers it through the POSIX clock calls
//! (`clock_gettime`, `clock_settime`, `clock_adjtime`) and the PTP ioctls.
//! Dropping the [`Registration`] removes the clock; once that returns, no
//! callback runs any more.
//!
//! Times are nanoseconds since the clock's epoch as `i64`, the kernel's
//! `ktime_t`; `struct timespec64` stays inside this module.
//!
//! A clock with [`Operations::do_aux_work`] also gets a worker thread of its
//! own, which the driver arms with [`Registration::schedule_worker`]; it
//! serves periodic reads that extend a narrow hardware counter, for example.
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
//!     sync::atomic::{
//!         Atomic,
//!         Relaxed, //
//!     },
//!     ModuleMetadata, //
//! };
//! use kernel_ext::ptp::{
//!     self,
//!     SystemTimestamps, //
//! };
//!
//! /// A clock kept in software: an offset that `settime` and `adjtime`
//! /// change, over a free-running counter.
//! struct SoftClock {
//!     counter: Atomic<i64>,
//!     offset: Atomic<i64>,
//! }
//!
//! #[vtable]
//! impl ptp::Operations for SoftClock {
//!     const MAX_ADJ: i32 = 0;
//!
//!     fn gettimex64(&self, sts: &mut SystemTimestamps<'_>) -> Result<i64> {
//!         sts.pre();
//!         let now = self.counter.load(Relaxed);
//!         sts.post();
//!         Ok(now + self.offset.load(Relaxed))
//!     }
//!
//!     fn settime64(&self, ns: i64) -> Result {
//!         self.offset.store(ns - self.counter.load(Relaxed), Relaxed);
//!         Ok(())
//!     }
//!
//!     fn adjfine(&self, _scaled_ppm: ptp::ScaledPpm) -> Result {
//!         Err(EOPNOTSUPP)
//!     }
//!
//!     fn adjtime(&self, delta: i64) -> Result {
//!         self.offset.fetch_add(delta, Relaxed);
//!         Ok(())
//!     }
//! }
//!
//! fn probe(dev: &Device<Bound>) -> Result<ptp::Registration<SoftClock>> {
//!     let clock = SoftClock {
//!         counter: Atomic::new(0),
//!         offset: Atomic::new(0),
//!     };
//!     let reg = ptp::Registration::new(
//!         dev,
//!         &LocalModule::THIS_MODULE,
//!         c"soft",
//!         Ok(clock),
//!     )?;
//!     pr_info!("registered /dev/ptp{}\n", reg.index());
//!     Ok(reg)
//! }
//! ```

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    device::{
        Bound,
        Device, //
    },
    error::{
        from_err_ptr,
        from_result,
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    prelude::*,
    time::Jiffies,
    types::Opaque,
    ThisModule, //
};

use crate::kernel_ext::{
    bindings,
    net::raw_device, //
};

/// Nanoseconds in a second.
pub const NSEC_PER_SEC: i64 = 1_000_000_000;

/// A frequency offset in parts per million with a 16-bit binary fraction
/// (`scaled_ppm`, the `freq` of `struct timex`): 65536 is one ppm.
pub type ScaledPpm = c_long;

/// Returns `base` changed by `scaled_ppm` (`adjust_by_scaled_ppm()`): the
/// increment of a counter that, ticking with `base` at nominal rate, runs
/// faster or slower by that much.
pub fn adjust_by_scaled_ppm(base: u64, scaled_ppm: ScaledPpm) -> u64 {
    // SAFETY: A pure computation on its arguments.
    unsafe { bindings::adjust_by_scaled_ppm(base, scaled_ppm) }
}

/// The system clock readings around a PHC reading (`struct
/// ptp_system_timestamp`), for the `PTP_SYS_OFFSET_EXTENDED` ioctl.
///
/// The driver calls [`SystemTimestamps::pre`] right before the device
/// latches its time and [`SystemTimestamps::post`] right after, so that
/// user space knows the PHC time to within the window between the two. When
/// the caller asked for no system times, both do nothing.
///
/// # Invariants
///
/// `ptr` is NULL or points to a `struct ptp_system_timestamp` that is valid
/// for writes, and ours, for `'a`.
pub struct SystemTimestamps<'a> {
    ptr: *mut bindings::ptp_system_timestamp,
    _p: PhantomData<&'a mut bindings::ptp_system_timestamp>,
}

impl SystemTimestamps<'_> {
    /// Takes the system time before the device reading
    /// (`ptp_read_system_prets()`).
    pub fn pre(&mut self) {
        // SAFETY: By the type invariant `ptr` is NULL, which the function
        // checks, or valid and ours.
        unsafe { bindings::ptp_read_system_prets(self.ptr) }
    }

    /// Takes the system time after the device reading
    /// (`ptp_read_system_postts()`).
    pub fn post(&mut self) {
        // SAFETY: As in `pre`.
        unsafe { bindings::ptp_read_system_postts(self.ptr) }
    }
}

/// The operations of a PTP hardware clock (`struct ptp_clock_info`).
///
/// The PTP core calls them in process context, from any thread and
/// concurrently with each other: an implementation serialises what needs it
/// (a multi-register read or update) itself.
#[vtable]
pub trait Operations: Send + Sync + Sized {
    /// The largest frequency offset, in parts per billion, that
    /// [`Operations::adjfine`] accepts (`max_adj`); the core refuses larger
    /// requests.
    const MAX_ADJ: i32;

    /// Reads the clock (`gettimex64`), in nanoseconds, calling
    /// [`SystemTimestamps::pre`] and [`SystemTimestamps::post`] around
    /// the device access that determines the time.
    fn gettimex64(&self, sts: &mut SystemTimestamps<'_>) -> Result<i64>;

    /// Sets the clock to `ns` (`settime64`). The core has checked that the
    /// time is valid (not negative).
    fn settime64(&self, ns: i64) -> Result;

    /// Changes the clock's rate by `scaled_ppm` from nominal (`adjfine`);
    /// the core has checked it against [`Operations::MAX_ADJ`].
    fn adjfine(&self, scaled_ppm: ScaledPpm) -> Result;

    /// Moves the clock by `delta` nanoseconds (`adjtime`).
    fn adjtime(&self, delta: i64) -> Result;

    /// The periodic work of the clock's worker (`do_aux_work`); returns
    /// when to run again, in jiffies from now, or `None` to stop until
    /// [`Registration::schedule_worker`] is called again.
    fn do_aux_work(&self) -> Option<Jiffies> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The clock description the core keeps a pointer to, and the driver's
/// data next to it.
#[pin_data]
struct Clock<T> {
    #[pin]
    info: Opaque<bindings::ptp_clock_info>,
    #[pin]
    data: T,
}

impl<T: Operations> Clock<T> {
    /// # Safety
    ///
    /// `info` must be the `info` field of a live `Clock<T>`.
    unsafe fn from_info<'a>(info: *mut bindings::ptp_clock_info) -> &'a T {
        let info = info.cast::<Opaque<bindings::ptp_clock_info>>();
        // SAFETY: `Opaque<T>` is a transparent wrapper, and per the safety
        // requirement `info` is the `info` field of a `Clock<T>`.
        let clock = unsafe { kernel::container_of!(info, Clock<T>, info) };
        // SAFETY: The `Clock<T>` is alive (safety requirement); the core
        // calls back only between registration and unregistration, which
        // the `Registration` that owns it brackets.
        unsafe { &(*clock).data }
    }

    /// # Safety
    ///
    /// `info` as for [`Clock::from_info`]; `ts` valid for writes and ours
    /// for the call; `sts` NULL or valid for writes and ours for the call.
    unsafe extern "C" fn gettimex64(
        info: *mut bindings::ptp_clock_info,
        ts: *mut bindings::timespec64,
        sts: *mut bindings::ptp_system_timestamp,
    ) -> c_int {
        // SAFETY: The core passes the `info` it was registered with.
        let data = unsafe { Self::from_info(info) };
        // INVARIANT: `sts` is NULL or valid and ours for the call.
        let mut sts = SystemTimestamps {
            ptr: sts,
            _p: PhantomData,
        };
        from_result(|| {
            let ns = data.gettimex64(&mut sts)?;
            // SAFETY: `ts` is valid for writes (safety requirement).
            unsafe { ts.write(ns_to_timespec64(ns)) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// `info` as for [`Clock::from_info`]; `ts` valid for reads.
    unsafe extern "C" fn settime64(
        info: *mut bindings::ptp_clock_info,
        ts: *const bindings::timespec64,
    ) -> c_int {
        // SAFETY: The core passes the `info` it was registered with.
        let data = unsafe { Self::from_info(info) };
        // SAFETY: `ts` is valid for reads (safety requirement).
        let ns = timespec64_to_ns(unsafe { &*ts });
        from_result(|| data.settime64(ns).map(|()| 0))
    }

    /// # Safety
    ///
    /// `info` as for [`Clock::from_info`].
    unsafe extern "C" fn adjfine(info: *mut bindings::ptp_clock_info, scaled_ppm: c_long) -> c_int {
        // SAFETY: The core passes the `info` it was registered with.
        let data = unsafe { Self::from_info(info) };
        from_result(|| data.adjfine(scaled_ppm).map(|()| 0))
    }

    /// # Safety
    ///
    /// `info` as for [`Clock::from_info`].
    unsafe extern "C" fn adjtime(info: *mut bindings::ptp_clock_info, delta: i64) -> c_int {
        // SAFETY: The core passes the `info` it was registered with.
        let data = unsafe { Self::from_info(info) };
        from_result(|| data.adjtime(delta).map(|()| 0))
    }

    /// # Safety
    ///
    /// `info` as for [`Clock::from_info`].
    unsafe extern "C" fn do_aux_work(info: *mut bindings::ptp_clock_info) -> c_long {
        // SAFETY: The core passes the `info` it was registered with.
        let data = unsafe { Self::from_info(info) };
        // A negative delay stops the worker.
        data.do_aux_work()
            .and_then(|delay| c_long::try_from(delay).ok())
            .unwrap_or(-1)
    }

    /// The callbacks of `T`'s clock; `owner` and `name` are set at
    /// registration. (A constant, so that the absent `do_aux_work` is
    /// never referenced.)
    const INFO: bindings::ptp_clock_info = bindings::ptp_clock_info {
        max_adj: T::MAX_ADJ,
        gettimex64: Some(Self::gettimex64),
        settime64: Some(Self::settime64),
        adjfine: Some(Self::adjfine),
        adjtime: Some(Self::adjtime),
        do_aux_work: if T::HAS_DO_AUX_WORK {
            Some(Self::do_aux_work)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    /// The description of `T`'s clock, owned by `module`, named `name`
    /// (truncated to what fits).
    fn info(module: &ThisModule, name: &CStr) -> bindings::ptp_clock_info {
        let mut info = Self::INFO;
        info.owner = module.as_ptr().cast();
        // Keep the last byte for the terminating NUL (the field is zeroed).
        let len = name.to_bytes().len().min(info.name.len() - 1);
        for (dst, &src) in info.name.iter_mut().zip(&name.to_bytes()[..len]) {
            *dst = src;
        }
        info
    }
}

/// The timespec of `ns` nanoseconds (`ns_to_timespec64()`).
fn ns_to_timespec64(ns: i64) -> bindings::timespec64 {
    bindings::timespec64 {
        tv_sec: ns.div_euclid(NSEC_PER_SEC),
        // CAST: below 10^9, which fits in a C long.
        tv_nsec: ns.rem_euclid(NSEC_PER_SEC) as c_long,
    }
}

/// The nanoseconds of `ts` (`timespec64_to_ns()`), saturating at the
/// limits of `i64` as the C helper does at `KTIME_MAX`.
fn timespec64_to_ns(ts: &bindings::timespec64) -> i64 {
    ts.tv_sec
        .saturating_mul(NSEC_PER_SEC)
        // CAST: a C long is 64 bits wide on the 64-bit kernels this
        // layer builds for.
        .saturating_add(ts.tv_nsec as i64)
}

/// A registered PTP hardware clock, removed when dropped.
///
/// # Invariants
///
/// `ptp` is the clock that `ptp_clock_register()` returned for
/// `clock.info`; it stays registered until `drop`.
pub struct Registration<T: Operations> {
    clock: Pin<KBox<Clock<T>>>,
    ptp: NonNull<bindings::ptp_clock>,
}

// SAFETY: The `ptp_clock` functions a `Registration` calls may run on any
// thread, and `T` itself is `Send + Sync`.
unsafe impl<T: Operations> Send for Registration<T> {}

// SAFETY: As for `Send`: the functions taking `&self` may run concurrently.
unsafe impl<T: Operations> Sync for Registration<T> {}

impl<T: Operations> Registration<T> {
    /// Registers a clock of `T` with data `data`, named `name`, under
    /// `parent` (`ptp_clock_register()`). `module` is the driver's, which
    /// the core pins while the clock's device is open.
    pub fn new(
        parent: &Device<Bound>,
        module: &ThisModule,
        name: &CStr,
        data: impl PinInit<T, Error>,
    ) -> Result<Self> {
        let clock = KBox::pin_init(
            try_pin_init!(Clock::<T> {
                info: Opaque::new(Clock::<T>::info(module, name)),
                data <- data,
            }? Error),
            GFP_KERNEL,
        )?;
        // SAFETY: `clock.info` is a valid description whose callbacks
        // expect it inside a `Clock<T>`, which it is; it is pinned and
        // outlives the registration (both end in `drop`, unregistration
        // first). `parent` is a valid, bound device.
        let ptp = from_err_ptr(unsafe {
            bindings::ptp_clock_register(clock.info.get(), raw_device(parent))
        })?;
        // A kernel built without PHC support returns NULL.
        let ptp = NonNull::new(ptp).ok_or(EOPNOTSUPP)?;
        // INVARIANT: `ptp` was just registered for `clock.info`.
        Ok(Self { clock, ptp })
    }

    /// The driver's data.
    pub fn data(&self) -> &T {
        &self.clock.data
    }

    /// The index of the clock, `N` of `/dev/ptpN` (`ptp_clock_index()`),
    /// what `ethtool -T` reports as the device's hardware clock.
    pub fn index(&self) -> i32 {
        // SAFETY: By the type invariant `ptp` is registered.
        unsafe { bindings::ptp_clock_index(self.ptp.as_ptr()) }
    }

    /// Runs [`Operations::do_aux_work`] on the clock's worker after `delay`
    /// jiffies (`ptp_schedule_worker()`), or sooner if already scheduled
    /// sooner. `EOPNOTSUPP` if `T` has no such work.
    pub fn schedule_worker(&self, delay: Jiffies) -> Result {
        if !T::HAS_DO_AUX_WORK {
            return Err(EOPNOTSUPP);
        }
        // SAFETY: `ptp` is registered (type invariant) and, since its
        // description has `do_aux_work`, has a worker.
        to_result(unsafe { bindings::ptp_schedule_worker(self.ptp.as_ptr(), delay) })
    }

    /// Cancels the worker's pending work and waits for a running one to
    /// finish (`ptp_cancel_worker_sync()`). Work that re-arms itself by
    /// its return value stays cancelled.
    pub fn cancel_worker_sync(&self) {
        if !T::HAS_DO_AUX_WORK {
            return;
        }
        // SAFETY: As in `schedule_worker`.
        unsafe { bindings::ptp_cancel_worker_sync(self.ptp.as_ptr()) }
    }
}

impl<T: Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant `ptp` is registered, and it is not
        // used after this. Once this returns, the core calls no callback
        // any more and its worker is gone, so `clock` can go.
        unsafe { bindings::ptp_clock_unregister(self.ptp.as_ptr()) };
    }
}
