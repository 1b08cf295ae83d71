// SPDX-License-Identifier: GPL-2.0

//! Queue management: restarting one RX queue with new memory while the
//! others keep running (`struct netdev_queue_mgmt_ops`).
//!
//! C header: [`include/net/netdev_queues.h`](srctree/include/net/netdev_queues.h)
//!
//! The core restarts an RX queue when a memory provider (devmem TCP,
//! io_uring zero-copy receive) is bound to it or unbound from it
//! (`netdev_rx_queue_reconfig()`):
//!
//! 1. [`Operations::mem_alloc`] allocates everything the queue needs
//!    (rings, page pools, the latter created with the provider now bound
//!    to the queue), without touching the live queue; the core then
//!    checks that a page pool of the queue took the provider;
//! 2. if the interface is up, [`Operations::stop`] stops the queue and
//!    hands over its memory, and [`Operations::start`] starts it with the
//!    new memory (on failure, once more with the old one);
//! 3. the memory that is not in use goes to [`Operations::mem_free`].
//!
//! The memory is a Rust value, [`Operations::QueueMem`], kept in the
//! per-queue buffer the core allocates (`ndo_queue_mem_size` bytes).
//!
//! A device with these operations has the core hold its instance lock
//! (`netdev_lock()`) around all of its callbacks (`netdev_need_ops_lock()`):
//! `ndo_open`, `ndo_stop`, ethtool operations and these. The callbacks
//! here run with that lock only, not necessarily with RTNL.
//!
//! # Examples
//!
//! ```
//! # use kernel::prelude::*;
//! # use kernel_ext::net::{self, skbuff::SkBuff};
//! use kernel_ext::net::queue_mgmt::{self, QueueConfig};
//!
//! # struct Port;
//! # #[vtable]
//! # impl net::Operations for Port {
//! #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//! #         drop(skb);
//! #         net::TxResult::Ok
//! #     }
//! # }
//! struct Ring;
//!
//! impl queue_mgmt::Operations for Port {
//!     type QueueMem = Option<KBox<Ring>>;
//!
//!     fn mem_alloc(
//!         _dev: &net::Device<Self>,
//!         _qcfg: &QueueConfig,
//!         _idx: u32,
//!     ) -> Result<Self::QueueMem> {
//!         Ok(Some(KBox::new(Ring, GFP_KERNEL)?))
//!     }
//!
//!     fn start(
//!         _dev: &net::Device<Self>,
//!         _qcfg: &QueueConfig,
//!         mem: &mut Self::QueueMem,
//!         _idx: u32,
//!     ) -> Result {
//!         let _ring = mem.take().ok_or(EINVAL)?;
//!         // Program the queue with `_ring` and keep it.
//!         Ok(())
//!     }
//!
//!     fn stop(_dev: &net::Device<Self>, _idx: u32) -> Result<Self::QueueMem> {
//!         // Quiesce the queue and hand over its ring.
//!         Ok(None)
//!     }
//! }
//! ```

use core::marker::PhantomData;
use kernel::{
    error::from_result,
    prelude::*, //
};

use super::Device;
use crate::kernel_ext::bindings;

/// The configuration an RX queue is (re)started with
/// (`struct netdev_queue_config`). It holds nothing a device sees unless
/// it declares support for a parameter (`supported_params`), which this
/// abstraction does not yet: the RX buffer size stays the driver's.
#[repr(transparent)]
pub struct QueueConfig(bindings::netdev_queue_config);

/// The queue management callbacks of a network device whose private data
/// is `Self`. Set them with
/// [`Builder::set_queue_mgmt_ops`](super::Builder::set_queue_mgmt_ops).
///
/// All of them run in process context with the device's instance lock
/// held, and may sleep.
pub trait Operations: super::Operations {
    /// The memory of one RX queue: what [`Operations::mem_alloc`] returns,
    /// what [`Operations::stop`] takes off the live queue and
    /// [`Operations::start`] puts in use. Its alignment may not exceed 8
    /// bytes (the core's buffer is `kvzalloc()`ed); box larger alignments.
    type QueueMem;

    /// Allocates the memory of RX queue `idx` (`ndo_queue_mem_alloc`),
    /// with page pools taking the queue's memory provider if one is bound
    /// now. Also called with the interface down: then the memory is freed
    /// right away, after the core checked the memory provider.
    fn mem_alloc(dev: &Device<Self>, qcfg: &QueueConfig, idx: u32) -> Result<Self::QueueMem>;

    /// Frees memory from [`Operations::mem_alloc`] or [`Operations::stop`]
    /// (`ndo_queue_mem_free`). The default drops it.
    fn mem_free(_dev: &Device<Self>, mem: Self::QueueMem) {
        drop(mem);
    }

    /// Starts RX queue `idx`, stopped by [`Operations::stop`], with `mem`
    /// (`ndo_queue_start`), taking out of it what the queue keeps. On
    /// success what is left in `mem` is dropped; on failure it goes to
    /// [`Operations::mem_free`]. Only called while the interface is up.
    fn start(dev: &Device<Self>, qcfg: &QueueConfig, mem: &mut Self::QueueMem, idx: u32) -> Result;

    /// Stops RX queue `idx` (`ndo_queue_stop`) and returns its memory,
    /// which the device no longer uses; the other queues keep running.
    /// On failure the queue must be running as before. Only called while
    /// the interface is up.
    fn stop(dev: &Device<Self>, idx: u32) -> Result<Self::QueueMem>;
}

/// The C operation table of `T` and the callbacks in it.
///
/// The core's per-queue buffer (`per_queue_mem`) holds a `T::QueueMem`
/// exactly between a successful `mem_alloc` or `stop` that wrote it and
/// the `start` that consumes it or the `mem_free` that drops it: the core
/// passes each buffer it got filled to exactly one of those
/// (`netdev_rx_queue_reconfig()`), and a buffer `start` failed on to
/// `mem_free`.
struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    /// The queue index as the trait has it, if valid.
    fn index(idx: c_int) -> Result<u32> {
        u32::try_from(idx).map_err(|_| EINVAL)
    }

    /// # Safety
    ///
    /// `ndev` must be a device of `Builder<T>` and `qmem` the core's
    /// per-queue buffer of `size_of::<T::QueueMem>()` bytes, not holding a
    /// value, valid for writes, aligned to 8 bytes.
    unsafe extern "C" fn mem_alloc(
        ndev: *mut bindings::net_device,
        qcfg: *mut bindings::netdev_queue_config,
        qmem: *mut c_void,
        idx: c_int,
    ) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive with `T` initialized during the callback.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: `QueueConfig` is a transparent wrapper; the core passes a
        // valid configuration for the call.
        let qcfg = unsafe { &*qcfg.cast::<QueueConfig>() };
        from_result(|| {
            let mem = T::mem_alloc(dev, qcfg, Self::index(idx)?)?;
            // SAFETY: Per the safety requirement the buffer is large and
            // aligned enough (`ALIGN_OK`) and holds no value to overwrite.
            unsafe { qmem.cast::<T::QueueMem>().write(mem) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// `ndev` must be a device of `Builder<T>` and `qmem` a per-queue buffer
    /// holding a `T::QueueMem` that nothing else uses.
    unsafe extern "C" fn mem_free(ndev: *mut bindings::net_device, qmem: *mut c_void) {
        // SAFETY: As in `mem_alloc`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement the buffer holds a value; the
        // core frees the buffer next without reading it, so the value moves
        // out.
        let mem = unsafe { qmem.cast::<T::QueueMem>().read() };
        T::mem_free(dev, mem);
    }

    /// # Safety
    ///
    /// As for [`OpsTable::mem_free`]; `qcfg` valid for the call.
    unsafe extern "C" fn start(
        ndev: *mut bindings::net_device,
        qcfg: *mut bindings::netdev_queue_config,
        qmem: *mut c_void,
        idx: c_int,
    ) -> c_int {
        // SAFETY: As in `mem_alloc`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: As in `mem_alloc`.
        let qcfg = unsafe { &*qcfg.cast::<QueueConfig>() };
        let mem = qmem.cast::<T::QueueMem>();
        from_result(|| {
            // SAFETY: Per the safety requirement the buffer holds a value
            // that is ours for the call.
            <T as Operations>::start(dev, qcfg, unsafe { &mut *mem }, Self::index(idx)?)?;
            // SAFETY: Started: the core frees the buffer without reading
            // it, so what is left is dropped here, once.
            unsafe { core::ptr::drop_in_place(mem) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// As for [`OpsTable::mem_alloc`].
    unsafe extern "C" fn stop(
        ndev: *mut bindings::net_device,
        qmem: *mut c_void,
        idx: c_int,
    ) -> c_int {
        // SAFETY: As in `mem_alloc`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        from_result(|| {
            let mem = <T as Operations>::stop(dev, Self::index(idx)?)?;
            // SAFETY: As in `mem_alloc`.
            unsafe { qmem.cast::<T::QueueMem>().write(mem) };
            Ok(0)
        })
    }

    /// Whether the core's buffer is aligned enough for `T::QueueMem`:
    /// `kvzalloc()` aligns to at least 8 bytes.
    const ALIGN_OK: () = assert!(core::mem::align_of::<T::QueueMem>() <= 8);

    const VTABLE: bindings::netdev_queue_mgmt_ops = {
        // Fails the build for a memory type aligned beyond the buffer.
        let () = Self::ALIGN_OK;
        bindings::netdev_queue_mgmt_ops {
            ndo_queue_mem_size: core::mem::size_of::<T::QueueMem>(),
            ndo_queue_mem_alloc: Some(Self::mem_alloc),
            ndo_queue_mem_free: Some(Self::mem_free),
            ndo_queue_start: Some(Self::start),
            ndo_queue_stop: Some(Self::stop),
            ndo_default_qcfg: None,
            ndo_validate_qcfg: None,
            ndo_queue_get_dma_dev: None,
            ndo_queue_create: None,
            supported_params: 0,
        }
    };
}

/// Returns the queue management operation table of `T`.
pub(super) const fn ops_table<T: Operations>() -> &'static bindings::netdev_queue_mgmt_ops {
    &OpsTable::<T>::VTABLE
}

/// Whether RX queue `idx` of `dev` has a memory provider bound whose
/// buffers the CPU may not read (`netif_rxq_has_unreadable_mp()`): its
/// page pools must then be created to take it.
pub fn has_unreadable_mp<T>(dev: &Device<T>, idx: u32) -> bool {
    // SAFETY: The device is valid; the function checks the index.
    unsafe { bindings::netif_rxq_has_unreadable_mp(dev.as_raw(), idx) }
}
