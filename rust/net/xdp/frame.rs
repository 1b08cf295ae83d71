// SPDX-License-Identifier: GPL-2.0

//! Frames redirected to a device for it to send (`ndo_xdp_xmit`).
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)
//!
//! An XDP program on another device (or on this one) that redirects a
//! frame here makes the core convert it into a `struct xdp_frame`, still
//! in the memory it was received into, and hand a bulk of them to
//! [`Operations::xdp_xmit`](super::super::Operations::xdp_xmit) as
//! [`XmitFrames`]. Each [`Frame`] the driver takes from it is the
//! driver's: it puts it on its TX ring, mapped for its device
//! ([`Frame::map_for_tx`], which gives a [`TxFrame`]), and drops it once
//! the device has sent it, which unmaps it and returns its memory to
//! where it came from (`xdp_return_frame()`). The frames the driver does
//! not take are the core's, which returns them itself.
//!
//! # Examples
//!
//! ```
//! use kernel::prelude::*;
//! use kernel_ext::net::{
//!     self,
//!     xdp::{
//!         TxFrame,
//!         XmitFrames, //
//!     },
//! };
//!
//! // Takes frames while the ring has `free` slots; returns how many it
//! // queued. The rest stay with the core.
//! fn xmit<T: net::Operations>(
//!     dev: &net::Device<T>,
//!     frames: &mut XmitFrames<'_>,
//!     ring: &mut KVec<TxFrame>,
//!     free: usize,
//! ) -> usize {
//!     let mut queued = 0;
//!     while queued < free {
//!         let Some(frame) = frames.next() else {
//!             break;
//!         };
//!         // A frame that cannot be mapped is dropped, which returns it.
//!         if let Ok(mapped) = frame.map_for_tx(dev) {
//!             // The descriptor: `mapped.dma_addr()`, `mapped.len()`.
//!             if ring.push(mapped, GFP_ATOMIC).is_ok() {
//!                 queued += 1;
//!             }
//!         }
//!     }
//!     queued
//! }
//! ```

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    device,
    num::casts::FromSafeCast,
    prelude::*,
    sync::aref::ARef, //
};

use super::super::{
    raw_device,
    Device,
    Operations, //
};
use crate::kernel_ext::bindings;

/// A frame redirected to the device (`struct xdp_frame`), owned.
///
/// Dropping it returns its memory (`xdp_return_frame()`): to its page
/// pool, or the page's reference, whatever memory model the device it
/// was received on uses.
///
/// # Invariants
///
/// `ptr` is a frame of which this value is the only owner: its data,
/// `len` bytes at `data`, followed by its tail room up to its shared info,
/// are this value's to read and write.
pub struct Frame {
    ptr: NonNull<bindings::xdp_frame>,
}

// SAFETY: A frame may be sent and returned from any CPU
// (`xdp_return_frame()` takes no per-CPU state).
unsafe impl Send for Frame {}

impl Frame {
    /// Takes ownership of `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid frame whose ownership passes to the new
    /// value (nothing else uses or returns it).
    unsafe fn from_raw(ptr: NonNull<bindings::xdp_frame>) -> Self {
        // INVARIANT: by the safety requirement.
        Self { ptr }
    }

    /// The length of the frame's data in its first buffer (`len`): all of
    /// it unless [`Frame::has_frags`].
    pub fn len(&self) -> u32 {
        // SAFETY: By the type invariant the frame is valid.
        unsafe { (*self.ptr.as_ptr()).len }
    }

    /// Whether the frame has fragments beyond its first buffer
    /// (`xdp_frame_has_frags()`), which the core sends only to devices
    /// that advertise `NETDEV_XDP_ACT_NDO_XMIT_SG`.
    pub fn has_frags(&self) -> bool {
        // SAFETY: By the type invariant the frame is valid.
        unsafe { bindings::xdp_frame_has_frags(self.ptr.as_ptr()) }
    }

    /// Pads the frame with zeros up to `len` bytes, in its tail room, for
    /// a device that does not pad short frames itself. Nothing to do for
    /// a frame that long already; `EMSGSIZE` for one in several buffers or
    /// without that much tail room.
    pub fn pad_to(&mut self, len: u32) -> Result {
        let have = self.len();
        if have >= len {
            return Ok(());
        }
        if self.has_frags() {
            return Err(EMSGSIZE);
        }
        let raw = self.ptr.as_ptr();
        // SAFETY: By the type invariant the frame is valid and its data
        // and tail room are ours; its shared info starts where its tail
        // room ends (`frame_sz` counts from its hard start).
        unsafe {
            let data = (*raw).data.cast::<u8>();
            let end = bindings::xdp_get_shared_info_from_frame(raw).cast::<u8>();
            let tail = data.add(usize::from_safe_cast(have));
            let room = (end as usize).saturating_sub(tail as usize);
            let pad = usize::from_safe_cast(len - have);
            if room < pad {
                return Err(EMSGSIZE);
            }
            core::ptr::write_bytes(tail, 0, pad);
            (*raw).len = len;
        }
        Ok(())
    }

    /// Maps the frame's data for the parent (bus) device of `ndev` to read
    /// (`dma_map_single()`), to send it from `ndev`'s transmit path. The
    /// frame is given back if it has fragments (only its first buffer
    /// would be mapped), is empty, or cannot be mapped.
    pub fn map_for_tx<T: Operations>(self, ndev: &Device<T>) -> Result<TxFrame, Frame> {
        let len = self.len();
        if len == 0 || self.has_frags() {
            return Err(self);
        }
        // The parent of a registered network device is bound to its driver
        // (the registration borrows the binding), so it may do DMA.
        let dev = ndev.parent();
        let ddev = raw_device(dev);
        // SAFETY: By the type invariant the frame's `len` bytes at `data`
        // are valid and ours; `ddev` is a bound device. The mapping is
        // undone when the `TxFrame` is dropped.
        let dma = unsafe {
            bindings::dma_map_single_attrs(
                ddev,
                (*self.ptr.as_ptr()).data,
                usize::from_safe_cast(len),
                bindings::dma_data_direction::DMA_TO_DEVICE,
                0,
            )
        };
        // SAFETY: `dma` came from mapping for `ddev`.
        if unsafe { bindings::dma_mapping_error(ddev, dma) } != 0 {
            return Err(self);
        }
        // INVARIANT: mapped above, for `dev`, with the frame's length.
        Ok(TxFrame {
            _frame: self,
            dev: dev.into(),
            dma,
            len,
        })
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        // Not `xdp_return_frame_rx_napi()`: the frame may come from
        // another device's page pool, whose NAPI instance this is not.
        //
        // SAFETY: By the type invariant the frame is ours; it is not used
        // after this.
        unsafe { bindings::xdp_return_frame(self.ptr.as_ptr()) };
    }
}

/// A redirected frame mapped for the device to send: `len` bytes at bus
/// address `dma`.
///
/// Dropping it unmaps the data (`dma_unmap_single()`) and returns the
/// frame, so it must live until the device has read the bytes.
///
/// # Invariants
///
/// `dma` is a mapping of the frame's `len` bytes of data for `dev`, made
/// with `dma_map_single()` for the device to read.
pub struct TxFrame {
    /// Held to be returned when this value is dropped, after the unmap.
    _frame: Frame,
    dev: ARef<device::Device>,
    dma: u64,
    len: u32,
}

impl TxFrame {
    /// The bus address of the bytes to send.
    pub fn dma_addr(&self) -> u64 {
        self.dma
    }

    /// How many bytes.
    pub fn len(&self) -> u32 {
        self.len
    }
}

impl Drop for TxFrame {
    fn drop(&mut self) {
        // SAFETY: By the type invariant `dma` is a live mapping of `len`
        // bytes for `dev`, undone once, here; the frame is returned after
        // this, when its field is dropped.
        unsafe {
            bindings::dma_unmap_single_attrs(
                raw_device(&self.dev),
                self.dma,
                usize::from_safe_cast(self.len),
                bindings::dma_data_direction::DMA_TO_DEVICE,
                0,
            )
        };
    }
}

/// The frames one `ndo_xdp_xmit` call hands the driver, in order.
///
/// Each [`Frame`] the iterator yields is the driver's; the ones it does
/// not take are the core's. A driver takes frames while it has room for
/// them and leaves the rest: what the callback returns to the core is how
/// many it took.
///
/// # Invariants
///
/// `frames[taken..n]` are valid frames the caller of `ndo_xdp_xmit`
/// owns, for `'a`; `frames[..taken]` were passed on as [`Frame`]s.
pub struct XmitFrames<'a> {
    frames: *mut *mut bindings::xdp_frame,
    n: usize,
    taken: usize,
    _call: PhantomData<&'a mut [*mut bindings::xdp_frame]>,
}

impl XmitFrames<'_> {
    /// The `n` frames at `frames`.
    ///
    /// # Safety
    ///
    /// `frames` must point to `n` valid frames whose ownership the caller
    /// passes to the driver one by one as they are taken, for as long as
    /// the new value lives (`ndo_xdp_xmit`'s arguments, for its call).
    pub(crate) unsafe fn from_raw(frames: *mut *mut bindings::xdp_frame, n: usize) -> Self {
        // INVARIANT: by the safety requirement; none taken yet.
        Self {
            frames,
            n,
            taken: 0,
            _call: PhantomData,
        }
    }

    /// How many frames the driver took.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// How many frames are left.
    pub fn remaining(&self) -> usize {
        self.n - self.taken
    }
}

impl Iterator for XmitFrames<'_> {
    type Item = Frame;

    fn next(&mut self) -> Option<Frame> {
        if self.taken >= self.n {
            return None;
        }
        // SAFETY: By the type invariant `frames[taken]` is valid to read.
        let raw = unsafe { *self.frames.add(self.taken) };
        let ptr = NonNull::new(raw)?;
        // INVARIANT: the frame is passed on below, once.
        self.taken += 1;
        // SAFETY: By the type invariant the frame is valid and the caller's
        // to pass on; it is the driver's from now on.
        Some(unsafe { Frame::from_raw(ptr) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining()))
    }
}
