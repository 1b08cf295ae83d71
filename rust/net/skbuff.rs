// SPDX-License-Identifier: GPL-2.0

//! Socket buffers, the packets of the networking stack.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)
//!
//! A driver receives packets to transmit as owned [`SkBuff`]s. It either
//! hands them back to the stack (see [`TxResult::Busy`]) or frees them, and
//! freeing says what happened: [`SkBuff::consume`] after a successful
//! transmission, [`SkBuff::drop_with_reason`] (or plain `drop`, reason
//! unspecified) for a packet that is lost. The difference shows in drop
//! monitors and tracepoints. Both free from any context
//! (`dev_*_skb_any()`), so they suit transmit, completion and teardown paths
//! alike.
//!
//! [`TxResult::Busy`]: super::TxResult::Busy

use core::{mem::ManuallyDrop, ptr::NonNull};
use kernel::prelude::*;

use crate::kernel_ext::bindings;

/// Why a driver drops a packet (`enum skb_drop_reason`, the subset drivers
/// use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// No reason given.
    NotSpecified,
    /// The device cannot send or receive right now, e.g. it is down.
    DevReady,
    /// The ring has no room for the packet.
    FullRing,
    /// Memory for the packet (or its mapping) could not be allocated.
    NoMem,
    /// The packet is larger than the device can handle.
    PktTooBig,
}

impl DropReason {
    fn as_raw(self) -> bindings::skb_drop_reason {
        match self {
            Self::NotSpecified => bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            Self::DevReady => bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
            Self::FullRing => bindings::skb_drop_reason_SKB_DROP_REASON_FULL_RING,
            Self::NoMem => bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM,
            Self::PktTooBig => bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_BIG,
        }
    }
}

/// An owned socket buffer (`struct sk_buff`).
///
/// Dropping it frees the packet as dropped, reason unspecified.
///
/// # Invariants
///
/// `self.0` is a valid `struct sk_buff` whose reference this value owns.
pub struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: An `sk_buff` owned by a driver may be handled and freed on any
// CPU: the `dev_*_skb_any()` functions work from any context.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Takes ownership of a socket buffer.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid `struct sk_buff` whose reference the caller
    /// gives to the new value.
    pub(super) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Self {
        // SAFETY: Per the safety requirements `ptr` is valid, hence not NULL.
        // INVARIANT: Ownership is passed in by the caller.
        Self(unsafe { NonNull::new_unchecked(ptr) })
    }

    pub(super) fn as_raw(&self) -> *mut bindings::sk_buff {
        self.0.as_ptr()
    }

    /// Gives up ownership without freeing, returning the raw pointer.
    pub(super) fn into_raw(self) -> *mut bindings::sk_buff {
        ManuallyDrop::new(self).0.as_ptr()
    }

    /// Returns the length of the packet in bytes, over all its fragments.
    pub fn len(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid, and its length
        // does not change while the driver owns it.
        unsafe { (*self.0.as_ptr()).len }
    }

    /// Returns whether the packet is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the packet's bytes if they are all in the linear data area,
    /// `None` if some are in page fragments.
    pub fn linear_data(&self) -> Option<&[u8]> {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid; a buffer
        // without paged data (`data_len == 0`) holds `len` bytes at `data`,
        // and they do not change while the driver owns the buffer.
        unsafe {
            if (*raw).data_len != 0 {
                return None;
            }
            Some(core::slice::from_raw_parts(
                (*raw).data,
                (*raw).len as usize,
            ))
        }
    }

    /// Appends `len` bytes to the packet's data (`skb_put()`) and returns
    /// them for the driver to fill. Fails with `ENOSPC` if the buffer has
    /// less room than that (where the C function would panic).
    pub fn put(&mut self, len: u32) -> Result<&mut [u8]> {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid and ours.
        if unsafe { bindings::skb_tailroom(raw) } < len as c_int {
            return Err(ENOSPC);
        }
        // SAFETY: There is room for `len` more bytes, which `skb_put()`
        // returns; they belong to this buffer, which `&mut self` borrows
        // exclusively for the lifetime of the slice.
        unsafe {
            let data = bindings::skb_put(raw, len);
            Ok(core::slice::from_raw_parts_mut(
                data.cast::<u8>(),
                len as usize,
            ))
        }
    }

    /// Frees a packet that was handled successfully, e.g. transmitted
    /// (`dev_consume_skb_any()`). It does not count as a drop.
    pub fn consume(self) {
        // SAFETY: By the type invariant we own the buffer, and `into_raw`
        // gives up that ownership so it is freed exactly once.
        unsafe { bindings::dev_consume_skb_any(self.into_raw()) }
    }

    /// Frees a packet that is lost, recording why
    /// (`dev_kfree_skb_any_reason()`).
    pub fn drop_with_reason(self, reason: DropReason) {
        // SAFETY: By the type invariant we own the buffer, and `into_raw`
        // gives up that ownership so it is freed exactly once.
        unsafe { bindings::dev_kfree_skb_any_reason(self.into_raw(), reason.as_raw()) }
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: By the type invariant we own the buffer; it is not used
        // after this.
        unsafe {
            bindings::dev_kfree_skb_any_reason(self.0.as_ptr(), DropReason::NotSpecified.as_raw())
        }
    }
}
