// SPDX-License-Identifier: GPL-2.0

//! Cancelling delayed work items, and the default system workqueue.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h)
//!
//! `kernel::workqueue` can queue an `Arc`-owned [`DelayedWork`] item but
//! not cancel it. A driver needs that to stop a periodic task, such as a
//! service task that re-queues itself every second, before the device goes
//! down or the module goes away: otherwise the item may still run (module
//! code, device state) afterwards.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     prelude::*,
//!     sync::Arc,
//!     time::msecs_to_jiffies,
//!     workqueue::{
//!         impl_has_delayed_work,
//!         new_delayed_work,
//!         DelayedWork,
//!         WorkItem, //
//!     },
//! };
//! use kernel_ext::workqueue::{
//!     cancel_delayed_sync,
//!     system_dfl, //
//! };
//!
//! #[pin_data]
//! struct Service {
//!     #[pin]
//!     work: DelayedWork<Service>,
//! }
//!
//! impl_has_delayed_work! {
//!     impl HasDelayedWork<Self> for Service { self.work }
//! }
//!
//! impl WorkItem for Service {
//!     type Pointer = Arc<Service>;
//!
//!     fn run(this: Arc<Service>) {
//!         // Do the periodic work, and run again in a second.
//!         let _ = system_dfl().enqueue_delayed(this, msecs_to_jiffies(1000));
//!     }
//! }
//!
//! fn start() -> Result<Arc<Service>> {
//!     let service = Arc::pin_init(
//!         pin_init!(Service {
//!             work <- new_delayed_work!("Service::work"),
//!         }),
//!         GFP_KERNEL,
//!     )?;
//!     let _ = system_dfl().enqueue_delayed(service.clone(), msecs_to_jiffies(1000));
//!     Ok(service)
//! }
//!
//! fn stop(service: &Arc<Service>) {
//!     // Once this returns, `run` is neither running nor queued.
//!     cancel_delayed_sync(service);
//! }
//! ```
//!
//! [`DelayedWork`]: kernel::workqueue::DelayedWork

use kernel::{
    bindings,
    sync::Arc,
    workqueue::{
        HasDelayedWork,
        Queue,
        Work,
        WorkItem, //
    }, //
};

/// Returns the system's default unbound workqueue (`system_dfl_wq`).
///
/// This is where work without CPU affinity belongs. (`kernel::workqueue`
/// offers only the older `system_wq`, which Linux 7.3 warns about as
/// deprecated when work is queued on it.)
pub fn system_dfl() -> &'static Queue {
    // SAFETY: `system_dfl_wq` is created during boot, before any module
    // can run, and never destroyed; reading the pointer races with nothing.
    unsafe { Queue::from_raw(bindings::system_dfl_wq) }
}

/// Cancels the delayed work item of `this` and waits for a running instance
/// to finish (`cancel_delayed_work_sync()`). Returns whether it was pending.
///
/// A work item that re-queues itself is cancelled too: the workqueue core
/// refuses to queue it while the cancellation is in progress. The reference
/// that the queued item held is released here.
pub fn cancel_delayed_sync<T, const ID: u64>(this: &Arc<T>) -> bool
where
    T: WorkItem<ID, Pointer = Arc<T>> + HasDelayedWork<T, ID>,
{
    let ptr = Arc::as_ptr(this).cast_mut();

    // SAFETY: `ptr` points to a live `T` (we hold a reference).
    let work: *mut Work<T, ID> = unsafe { T::raw_get_work(ptr) };
    // SAFETY: `work` points to the `Work` field of a live `T`.
    let work = unsafe { Work::raw_get(work) };
    // SAFETY: By `HasDelayedWork`, this `work_struct` is the `work` field of
    // a `struct delayed_work`.
    let dwork = unsafe { kernel::container_of!(work, bindings::delayed_work, work) };

    // SAFETY: `dwork` is a valid, initialized delayed work item.
    let was_pending = unsafe { bindings::cancel_delayed_work_sync(dwork) };
    if was_pending {
        // SAFETY: Queueing an `Arc<T>` work item leaks one reference with
        // `Arc::into_raw()`, which its `run` takes back. The item was
        // cancelled before it ran, so that reference is still leaked, and
        // is dropped here exactly once.
        drop(unsafe { Arc::from_raw(Arc::as_ptr(this)) });
    }
    was_pending
}
