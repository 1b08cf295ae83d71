// SPDX-License-Identifier: GPL-2.0

//! Sending a received frame where the program's redirect helper said
//! (`XDP_REDIRECT`): another device, a CPU map, an `AF_XDP` socket.
//!
//! C header: [`include/linux/filter.h`](srctree/include/linux/filter.h)
//!
//! After the program returned [`Action::Redirect`](super::Action::Redirect),
//! [`Buff::redirect`] hands the frame to the core (`xdp_do_redirect()`),
//! which queues it for its target; on success its pages are the core's,
//! which returns them to their pools through the queue's memory model
//! ([`RxQueue`](super::RxQueue)). The core sends what it queued when the
//! driver calls [`flush_redirects`] (`xdp_do_flush()`), once per NAPI
//! poll, before the poll returns.
//!
//! # Examples
//!
//! ```
//! use kernel_ext::net::{
//!     self,
//!     xdp::{
//!         flush_redirects,
//!         Buff,
//!         ProgRef, //
//!     },
//!     NapiContext, //
//! };
//!
//! // In the poll, for frames the program returned XDP_REDIRECT for:
//! fn redirect<T>(
//!     dev: &net::Device<T>,
//!     prog: &ProgRef<'_>,
//!     napi: &NapiContext<'_>,
//!     frames: impl Iterator<Item = Buff>,
//! ) {
//!     let mut any = false;
//!     for buff in frames {
//!         // A frame the core refused comes back; dropping it returns its
//!         // pages.
//!         any |= buff.redirect(dev, prog, napi).is_ok();
//!     }
//!     if any {
//!         flush_redirects(napi);
//!     }
//! }
//! ```

use core::mem::ManuallyDrop;

use super::{
    super::{
        napi::NapiContext,
        Device, //
    },
    Buff,
    ProgRef, //
};
use crate::kernel_ext::bindings;

impl Buff {
    /// Hands the frame to the target `prog`'s redirect helper chose, from
    /// the NAPI poll in which `prog` just ran on it (`xdp_do_redirect()`).
    /// On success the core owns the frame (its pages come back to their
    /// pools when it is done); on failure, or outside a poll, the frame is
    /// given back, for the caller to drop.
    pub fn redirect<T>(
        self,
        dev: &Device<T>,
        prog: &ProgRef<'_>,
        napi: &NapiContext<'_>,
    ) -> Result<(), Self> {
        if !napi.in_poll() {
            return Err(self);
        }
        let mut this = ManuallyDrop::new(self);
        // SAFETY: By the type invariant `buff` is set up, for a registered
        // queue with the page-pool memory model, and the frame owns its
        // pages; `prog` ran on it in this poll (a requirement of this
        // function, and the poll set up the networking context that holds
        // the helper's target). On success the core takes the pages.
        let ret =
            unsafe { bindings::xdp_do_redirect(dev.as_raw(), &mut this.buff, prog.ptr.as_ptr()) };
        if ret != 0 {
            return Err(ManuallyDrop::into_inner(this));
        }
        // SAFETY: `this` is not used or dropped after its fields are moved
        // out; the references they held went to the core above.
        let (head, rxq) = unsafe { (core::ptr::read(&this.head), core::ptr::read(&this.rxq)) };
        head.forget();
        drop(rxq);
        Ok(())
    }
}

/// Sends the frames redirected in this NAPI poll (`xdp_do_flush()`); to be
/// called before the poll returns if [`Buff::redirect`] succeeded in it.
pub fn flush_redirects(napi: &NapiContext<'_>) {
    if napi.in_poll() {
        // SAFETY: In a NAPI poll, on the CPU that redirected the frames,
        // with bottom halves disabled, as the function requires.
        unsafe { bindings::xdp_do_flush() };
    }
}
