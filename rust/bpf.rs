// SPDX-License-Identifier: GPL-2.0

//! BPF programs.
//!
//! C header: [`include/linux/bpf.h`](srctree/include/linux/bpf.h)
//!
//! A [`Prog`] is one reference to a loaded BPF program (`struct bpf_prog`),
//! as the core hands one to a driver, for instance with an XDP program to
//! attach (see [`crate::kernel_ext::net::xdp`]). Dropping it gives the
//! reference back (`bpf_prog_put()`); the program itself is freed once the
//! last reference is gone and an RCU grace period has passed, so code that
//! found it under an RCU read lock may still run it until it unlocks.
//!
//! # Examples
//!
//! ```
//! use kernel_ext::bpf::Prog;
//!
//! // Refuse a program that cannot take frames in several buffers when
//! // frames of `frame_len` bytes would not fit in one of `buf_len`.
//! fn fits(prog: &Prog, frame_len: u32, buf_len: u32) -> bool {
//!     prog.has_frags() || frame_len <= buf_len
//! }
//! ```

use core::ptr::NonNull;

use crate::kernel_ext::bindings;

/// One reference to a BPF program (`struct bpf_prog`).
///
/// # Invariants
///
/// `ptr` is a live BPF program of which this value owns one reference.
pub struct Prog {
    ptr: NonNull<bindings::bpf_prog>,
}

// SAFETY: A program reference may be given back from any thread, and a
// program is immutable once loaded, so it may be read from any thread.
unsafe impl Send for Prog {}

// SAFETY: As for `Send`: `&Prog` only reads the loaded program.
unsafe impl Sync for Prog {}

impl Prog {
    /// Takes over a program reference from C, `None` for NULL.
    ///
    /// # Safety
    ///
    /// `ptr` must be NULL or a live BPF program with a reference that the
    /// caller gives to the result.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::bpf_prog) -> Option<Self> {
        // INVARIANT: Per the safety requirement.
        NonNull::new(ptr).map(|ptr| Self { ptr })
    }

    /// Gives up the reference without returning it, as a raw pointer.
    pub(crate) fn into_raw(self) -> *mut bindings::bpf_prog {
        core::mem::ManuallyDrop::new(self).ptr.as_ptr()
    }

    /// Whether the program was loaded as one that takes frames in several
    /// buffers (an XDP program of section `xdp.frags`, the
    /// `BPF_F_XDP_HAS_FRAGS` flag: `aux->xdp_has_frags`).
    pub fn has_frags(&self) -> bool {
        // SAFETY: By the type invariant the program is live; a loaded
        // program always has its `aux`, and neither changes once loaded.
        unsafe { (*(*self.ptr.as_ptr()).aux).xdp_has_frags }
    }
}

impl Drop for Prog {
    fn drop(&mut self) {
        // SAFETY: By the type invariant we own one reference.
        unsafe { bindings::bpf_prog_put(self.ptr.as_ptr()) };
    }
}
