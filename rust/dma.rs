// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings in coherent DMA memory.
//!
//! C header: [`include/linux/dma-mapping.h`](srctree/include/linux/dma-mapping.h)
//!
//! A NIC's descriptor ring is an array of fixed-size descriptors that the
//! driver and the device both access while it runs, indexed by positions
//! that wrap at the ring's size, a power of two. `kernel::dma::Coherent`
//! with `io_read!`/`io_write!` can hold one, but each access there checks
//! its index against the length and projects a view, an error path the
//! hot loops of a driver (one read per completion, one write per buffer
//! posted) pay for on every descriptor. [`DescRing`] keeps the length a
//! power of two instead and masks positions into range, so an access can
//! never fall outside the ring and costs what it costs in C: a masked index
//! and one volatile load or store.
//!
//! # Examples
//!
//! ```
//! # use kernel::{device::{Bound, Device}, prelude::*};
//! use kernel_ext::dma::DescRing;
//!
//! # fn no_run(dev: &Device<Bound>) -> Result {
//! let rcq = DescRing::zeroed(dev, 1024, GFP_KERNEL)?;
//! // The device gets the ring's bus address:
//! let _base = rcq.dma_address();
//! // In the poll loop, positions run freely and wrap: 1025 reads
//! // descriptor 1.
//! let head: u32 = 1025;
//! let _raw = rcq.read(head);
//! # Ok(())
//! # }
//! ```

use kernel::{
    alloc::Flags,
    device::{
        Bound,
        Device, //
    },
    dma::{
        Coherent,
        DmaAddress, //
    },
    num::casts::FromSafeCast,
    prelude::*, //
};

/// A ring of 64-bit little-endian descriptors in coherent DMA memory.
///
/// # Invariants
///
/// `mem` holds `mask + 1` descriptors, a power of two.
pub struct DescRing {
    mem: Coherent<[u64]>,
    mask: usize,
}

impl DescRing {
    /// Allocates a ring of `len` zeroed descriptors for `dev`. `len` must
    /// be a power of two (`EINVAL` otherwise).
    pub fn zeroed(dev: &Device<Bound>, len: u32, flags: Flags) -> Result<Self> {
        if !len.is_power_of_two() {
            return Err(EINVAL);
        }
        let len = usize::from_safe_cast(len);
        let mem = Coherent::<u64>::zeroed_slice(dev, len, flags)?;
        // INVARIANT: `mem` holds `len` descriptors, a power of two.
        Ok(Self { mem, mask: len - 1 })
    }

    /// Number of descriptors.
    pub fn len(&self) -> u32 {
        // CAST: the length came from a `u32`.
        (self.mask + 1) as u32
    }

    /// Bus address of the first descriptor, for the device.
    pub fn dma_address(&self) -> DmaAddress {
        self.mem.dma_address()
    }

    /// Reads the descriptor at position `pos` modulo the length, as the
    /// device last wrote it (`READ_ONCE()`).
    #[inline]
    pub fn read(&self, pos: u32) -> u64 {
        let i = usize::from_safe_cast(pos) & self.mask;
        // SAFETY: By the type invariant `i` indexes a descriptor of the
        // allocation, which lives as long as `self`; it is aligned for a
        // `u64`. The read is volatile: the device writes the ring at any
        // time.
        let raw = unsafe { self.mem.as_ptr().cast::<u64>().add(i).read_volatile() };
        u64::from_le(raw)
    }

    /// Writes the descriptor at position `pos` modulo the length
    /// (`WRITE_ONCE()`); the device sees it once told through a doorbell.
    #[inline]
    pub fn write(&self, pos: u32, value: u64) {
        let i = usize::from_safe_cast(pos) & self.mask;
        // SAFETY: As for `read`; coherent memory is shared with the device
        // by design, and the caller's ring ownership (`&self` within its
        // lock, like `io_write!`) keeps CPU writers from racing.
        unsafe {
            self.mem
                .as_mut_ptr()
                .cast::<u64>()
                .add(i)
                .write_volatile(value.to_le())
        };
    }

    /// Zeroes every descriptor.
    pub fn clear(&self) {
        for pos in 0..self.len() {
            self.write(pos, 0);
        }
    }
}
