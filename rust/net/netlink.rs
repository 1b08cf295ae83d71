// SPDX-License-Identifier: GPL-2.0

//! Netlink's extended acknowledgment: the message a configuration request
//! that fails sends back to user space with its error.
//!
//! C header: [`include/linux/netlink.h`](srctree/include/linux/netlink.h)

use core::{
    fmt,
    marker::PhantomData, //
};
use kernel::prelude::*;

use crate::kernel_ext::{
    bindings,
    str::format_str, //
};

/// Where a configuration request reports a failure to user space
/// (`struct netlink_ext_ack`), for the callbacks that have one.
///
/// # Examples
///
/// ```
/// # use kernel::prelude::*;
/// use kernel_ext::net::netlink::ExtAck;
///
/// fn check_size(size: usize, extack: &mut ExtAck<'_>) -> Result {
///     if size == 0 {
///         extack.set_message(c"empty image");
///         return Err(EINVAL);
///     }
///     if size > 4096 {
///         extack.set_message_fmt(format_args!("image of {size} bytes, at most 4096"));
///         return Err(EFBIG);
///     }
///     Ok(())
/// }
/// ```
///
/// # Invariants
///
/// `ptr` is NULL or a `struct netlink_ext_ack` valid for writes for `'a`
/// that nothing else accesses during that time.
pub struct ExtAck<'a> {
    ptr: *mut bindings::netlink_ext_ack,
    _p: PhantomData<&'a mut bindings::netlink_ext_ack>,
}

impl ExtAck<'_> {
    /// # Safety
    ///
    /// `ptr` is NULL or valid for writes and not accessed by anything else
    /// for the lifetime of the result.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::netlink_ext_ack) -> Self {
        // INVARIANT: Per the safety requirement.
        Self {
            ptr,
            _p: PhantomData,
        }
    }

    /// Sets the message user space gets with the error
    /// (`NL_SET_ERR_MSG()`); the driver returns the error itself. Requests
    /// made over the old ioctl interface carry no message, so a driver
    /// that wants the reason in the kernel log too logs it as well.
    pub fn set_message(&mut self, msg: &'static CStr) {
        if self.ptr.is_null() {
            return;
        }
        // SAFETY: By the type invariant `ptr` is valid for writes; `msg`
        // is NUL-terminated and `'static`, as the core needs it to stay
        // until it sends the reply.
        unsafe { (*self.ptr)._msg = msg.as_char_ptr() };
    }

    /// Sets a formatted message (`NL_SET_ERR_MSG_FMT()`), cut short at
    /// the 80 bytes the structure has room for.
    pub fn set_message_fmt(&mut self, args: fmt::Arguments<'_>) {
        if self.ptr.is_null() {
            return;
        }
        // SAFETY: By the type invariant `ptr` is valid for writes and ours
        // for `'a`, so the buffer may be borrowed mutably meanwhile.
        let buf = unsafe { &mut (*self.ptr)._msg_buf };
        format_str(buf, args);
        // SAFETY: As above; `_msg_buf` is part of the structure, which the
        // core keeps until it sends the reply, and `format_str` left it
        // NUL-terminated.
        unsafe { (*self.ptr)._msg = (*self.ptr)._msg_buf.as_ptr() };
    }
}
