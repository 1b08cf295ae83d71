// SPDX-License-Identifier: GPL-2.0

//! Bottom halves (softirqs) held off on the local CPU.
//!
//! C header: [`include/linux/bottom_half.h`](srctree/include/linux/bottom_half.h)
//!
//! A lock that a softirq takes (a NAPI poll's ring lock, say) must be
//! taken with bottom halves disabled everywhere else: otherwise a softirq
//! that runs on the same CPU while the lock is held, on the way out of an
//! interrupt, spins on it forever. [`disable`] returns a guard under which
//! no softirq runs on this CPU; it is the `spin_lock_bh()` of a
//! [`kernel::sync::SpinLock`] when taken first.
//!
//! # Examples
//!
//! ```
//! use kernel::sync::SpinLock;
//! use kernel_ext::bh;
//!
//! // `count` is also taken by a NAPI poll, in softirq context.
//! fn reset(count: &SpinLock<u64>) {
//!     let _bh = bh::disable();
//!     *count.lock() = 0;
//! }
//! ```

use core::marker::PhantomData;

use crate::kernel_ext::bindings;

/// Bottom halves disabled on the local CPU until it is dropped.
///
/// # Invariants
///
/// Made by one `local_bh_disable()` that no `local_bh_enable()` has
/// matched yet. It stays with the task that made it (not [`Send`]): the
/// count it raised is that CPU's.
#[must_use = "bottom halves are enabled again when the guard is dropped"]
pub struct BhGuard {
    _not_send: PhantomData<*mut ()>,
}

/// Disables bottom halves on the local CPU (`local_bh_disable()`); they
/// are enabled again, and pending softirqs run, when the guard is
/// dropped. Guards nest. Must not be called with hard interrupts
/// disabled.
#[inline]
pub fn disable() -> BhGuard {
    // SAFETY: Raising the local CPU's softirq-disable count is always
    // allowed in task or softirq context; the guard's drop lowers it.
    unsafe { bindings::local_bh_disable() };
    // INVARIANT: The count was raised just now.
    BhGuard {
        _not_send: PhantomData,
    }
}

impl Drop for BhGuard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariant this matches the
        // `local_bh_disable()` that made the guard, on the same CPU.
        unsafe { bindings::local_bh_enable() };
    }
}
