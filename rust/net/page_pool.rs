// SPDX-License-Identifier: GPL-2.0

//! Page pools: DMA-mapped pages recycled between a receive queue and the
//! networking stack.
//!
//! C header: [`include/net/page_pool/helpers.h`](srctree/include/net/page_pool/helpers.h)
//!
//! A receive queue gives the device whole pages to write packets into and
//! hands those pages to the stack inside socket buffers without copying.
//! When the stack frees such a buffer the page goes back to the pool it
//! came from (still mapped for the device), not to the page allocator.
//!
//! The types here keep the accounting straight:
//!
//! - [`PagePool`] owns a `struct page_pool` and destroys it when dropped.
//!   Pages still out (in socket buffers, or held by the driver) keep the
//!   C object alive until they come back; the core frees it then.
//! - [`RxPage`] is a page the driver owns, typically one posted to a
//!   buffer ring. The device may fill it with several packets, so it
//!   holds a budget of page-pool references ([`RX_PAGE_REFS`]) and gives
//!   one away per piece of data handed on ([`RxPage::take_ref`]). Dropping
//!   it returns the references it still holds; the page goes back to the
//!   pool once the last socket buffer using it is freed too.
//! - [`PageRef`] is one reference to such a page: the head of a new socket
//!   buffer ([`Napi::build_skb`]) or one of its fragments
//!   ([`SkBuff::add_rx_frag`]). Both consume it, so a reference is given to
//!   the stack exactly once; a `PageRef` that is dropped instead returns
//!   its reference to the pool.
//!
//! Socket buffers built this way are marked for page-pool recycling
//! (`skb_mark_for_recycle()`), so however the stack frees them, the pages
//! return to their pool.
//!
//! A pool may be bound to the NAPI instance of its queue
//! ([`PagePool::new_for_napi`], `page_pool_params.napi`), as the C drivers
//! do: the stack then returns pages it frees on the CPU running that
//! instance's poll straight into the pool's lock-free cache instead of its
//! locked ring, and `page-pool-get` reports the instance (`napi-id`). The
//! cache must then only be used from that poll or while the instance is
//! disabled, so [`PagePool::cache`], through which pages are allocated
//! and returned there, takes a [`NapiContext`], which only the poll
//! callback and [`Napi::with_disabled`] hand out.
//!
//! # Examples
//!
//! ```
//! use kernel::prelude::*;
//! use kernel_ext::net::{
//!     self,
//!     page_pool::{
//!         PagePool,
//!         PageSpan,
//!         Params,
//!         RxPage, //
//!     },
//!     Napi,
//!     NapiContext, //
//! };
//! # use kernel_ext::net::skbuff::SkBuff;
//!
//! #[pin_data]
//! struct Port {
//!     #[pin]
//!     napi: Napi,
//! }
//! # #[vtable]
//! # impl net::Operations for Port {
//! #     fn start_xmit(_dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//! #         drop(skb);
//! #         net::TxResult::Ok
//! #     }
//! # }
//!
//! // At open, NAPI still disabled: a pool for RX queue 0, bound to its NAPI
//! // instance, pages mapped for the device to write, the first to post.
//! fn open_queue(dev: &net::Device<Port>) -> Result<(PagePool, RxPage)> {
//!     dev.data()
//!         .napi
//!         .with_disabled(|ctx| -> Result<_> {
//!             let mut pool = PagePool::new_for_napi(dev, &Params::new(256, 0), ctx)?;
//!             let page = pool.cache(ctx).and_then(|mut c| c.alloc()).ok_or(ENOMEM)?;
//!             Ok((pool, page))
//!         })
//!         .ok_or(EBUSY)?
//! }
//!
//! // In the NAPI poll, for a packet of `len` bytes the device wrote at
//! // `start + headroom` in `page`, in a buffer of `size` bytes:
//! fn receive(
//!     napi: &NapiContext<'_>,
//!     page: &mut RxPage,
//!     start: u32,
//!     size: u32,
//!     headroom: u32,
//!     len: u32,
//! ) -> Result {
//!     let span = PageSpan::new(start, size).ok_or(EINVAL)?;
//!     page.sync_span_for_cpu(&span);
//!     let head = page.take_ref().ok_or(EINVAL)?;
//!     let skb = napi.build_skb(head, span, headroom, len).ok_or(ENOMEM)?;
//!     // Payload pages: `skb.add_rx_frag(page_ref, offset, len, truesize)`.
//!     napi.gro_receive(skb);
//!     Ok(())
//! }
//!
//! // When the device has moved past the page in `slot`:
//! fn done(slot: &mut Option<RxPage>, pool: &mut PagePool, napi: &NapiContext<'_>) {
//!     match pool.cache(napi) {
//!         Some(mut cache) => cache.release_slot(slot),
//!         None => *slot = None,
//!     }
//! }
//! ```

use core::{
    marker::PhantomData,
    mem::ManuallyDrop,
    ptr::NonNull, //
};
use kernel::{
    ffi::c_long,
    num::casts::{
        u32_as_usize,
        usize_into_u32,
        FromSafeCast, //
    },
    prelude::*, //
};

use super::{
    device::raw_device,
    napi::{
        Napi,
        NapiContext, //
    },
    skbuff::SkBuff,
    Device, //
};
use crate::kernel_ext::bindings;

/// Page size of the system (`PAGE_SIZE`).
pub const PAGE_SIZE: u32 = usize_into_u32::<{ kernel::page::PAGE_SIZE }>();

/// References an [`RxPage`] starts with: one per byte of the page, more
/// than the pieces of data a page can be cut into
/// (`FBNIC_PAGECNT_BIAS_MAX` in the C fbnic driver).
pub const RX_PAGE_REFS: u32 = PAGE_SIZE;

/// Room the stack needs behind a packet's data in a buffer that becomes a
/// socket buffer's head: `SKB_DATA_ALIGN(sizeof(struct skb_shared_info))`.
pub const SKB_SHINFO_ROOM: u32 = {
    let size = core::mem::size_of::<bindings::skb_shared_info>();
    let align = u32_as_usize(bindings::SMP_CACHE_BYTES);
    // CAST: a few hundred bytes.
    ((size + align - 1) & !(align - 1)) as u32
};

/// A range of bytes within a pool page: `size` bytes at `start`.
///
/// Checked once when made, so that the calls taking it
/// ([`RxPage::sync_span_for_cpu`], [`Napi::build_skb`],
/// [`xdp::Buff::new`](super::xdp::Buff::new)) need not check or clamp it
/// again.
///
/// # Invariants
///
/// `start + size <= PAGE_SIZE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSpan {
    start: u32,
    size: u32,
}

impl PageSpan {
    /// The bytes from `start` up to (not including) `end`; `None` unless
    /// `start <= end <= PAGE_SIZE`.
    #[inline]
    pub fn between(start: u32, end: u32) -> Option<Self> {
        if start > end || end > PAGE_SIZE {
            return None;
        }
        // INVARIANT: `start + (end - start) == end <= PAGE_SIZE`.
        Some(Self {
            start,
            size: end - start,
        })
    }

    /// `size` bytes at `start`; `None` unless within the page.
    #[inline]
    pub fn new(start: u32, size: u32) -> Option<Self> {
        // Two `u32`s cannot overflow a `u64`.
        if u64::from(start) + u64::from(size) > u64::from(PAGE_SIZE) {
            return None;
        }
        // INVARIANT: checked above.
        Some(Self { start, size })
    }

    /// Where the range starts in the page.
    #[inline]
    pub fn start(&self) -> u32 {
        self.start
    }

    /// Bytes in the range.
    #[inline]
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Whether a packet of `len` bytes `headroom` bytes into the range
    /// fits it with room for a socket buffer's shared info
    /// ([`SKB_SHINFO_ROOM`]) behind it.
    #[inline]
    pub(super) fn holds_head(&self, headroom: u32, len: u32) -> bool {
        // Three `u32`s cannot overflow a `u64`.
        u64::from(headroom) + u64::from(len) + u64::from(SKB_SHINFO_ROOM) <= u64::from(self.size)
    }
}

/// How the pages of a pool are used.
///
/// Pages are always mapped both ways (`DMA_BIDIRECTIONAL`), as the C fbnic
/// driver maps them: the device writes received packets into them, and an
/// XDP program may send a received frame back out from the same page
/// ([`xdp::TxBuf`](super::xdp::TxBuf)). They are synced for the device
/// when recycled.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pool_size: u32,
    queue_idx: u32,
    unreadable: bool,
}

impl Params {
    /// A pool of order-0 pages for RX queue `queue_idx`, caching up to
    /// `pool_size` pages (capped at the core's limit of 32768), on any NUMA
    /// node.
    pub fn new(pool_size: u32, queue_idx: u32) -> Self {
        Self {
            pool_size: pool_size.min(32768),
            queue_idx,
            unreadable: false,
        }
    }

    /// The same, taking the memory provider bound to RX queue `queue_idx`
    /// of `dev` if its buffers are unreadable (devmem, io_uring zero-copy
    /// receive: `PP_FLAG_ALLOW_UNREADABLE_NETMEM`). Its pieces are then
    /// not CPU memory: only for payload buffers, whose socket buffer
    /// fragments the stack does not read, never for packet heads or XDP.
    /// Such a pool maps for the device only (`DMA_FROM_DEVICE`).
    ///
    /// The caller must hold the device's instance lock, as the device's
    /// callbacks do when it has queue management operations.
    pub fn with_queue_provider<T>(mut self, dev: &Device<T>) -> Self {
        self.unreadable = super::queue_mgmt::has_unreadable_mp(dev, self.queue_idx);
        self
    }
}

/// A page pool (`struct page_pool`).
///
/// Created for the parent device of a network device and listed under that
/// device in the netdev netlink family (`page-pool-get`). Dropping it
/// destroys the pool (`page_pool_destroy()`): cached pages are freed at
/// once, pages still out are freed as they come back.
///
/// # Invariants
///
/// `ptr` is a live page pool created by [`PagePool::new_for_napi`] or
/// [`PagePool::new_unbound`] with `PP_FLAG_DMA_MAP` and order-0 pages
/// ([`PAGE_SIZE`] bytes), whose creation reference this value owns, bound
/// to the NAPI instance `napi` (null: none). Its lock-free allocation
/// cache is only used through `&mut self` with a [`NapiContext`] that owns
/// `napi`.
pub struct PagePool {
    ptr: NonNull<bindings::page_pool>,
    napi: *mut bindings::napi_struct,
}

// SAFETY: The pool may be used and destroyed from any CPU; its lock-free
// cache is only touched through `&mut self` with proof of owning its NAPI
// instance's context (which the stack's direct recycling also requires),
// so never by two CPUs at once.
unsafe impl Send for PagePool {}

impl PagePool {
    /// Creates a pool for RX on `dev` (`page_pool_create()`), with pages
    /// mapped both ways for `dev`'s parent device and synced for it on recycling,
    /// bound to the NAPI instance of `napi` (`page_pool_params.napi`),
    /// which must service the pool's queue:
    /// pages the stack frees while that instance polls on its CPU go
    /// straight back to the pool's lock-free cache. Created with the
    /// instance disabled.
    ///
    /// The instance must stay disabled, or not poll this pool's queue,
    /// when the pool is dropped (the core warns otherwise), and outlive
    /// the pool: keep the pool next to the instance (declared before it, so
    /// dropped first) and drop it when the instance is disabled, as drivers
    /// do when the interface closes.
    pub fn new_for_napi<T>(
        dev: &Device<T>,
        params: &Params,
        napi: &NapiContext<'_>,
    ) -> Result<Self> {
        Self::create(dev, params, napi.as_raw())
    }

    /// Creates a pool as [`PagePool::new_for_napi`] does, but not bound to
    /// a NAPI instance yet: for memory allocated while the instance that is
    /// to service the queue polls others (a queue restart,
    /// [`queue_mgmt`](super::queue_mgmt)). [`PagePool::bind_napi`] binds
    /// it once the instance is disabled; until then it has no lock-free
    /// cache ([`PagePool::cache`]), and may be dropped at any time.
    pub fn new_unbound<T>(dev: &Device<T>, params: &Params) -> Result<Self> {
        Self::create(dev, params, core::ptr::null_mut())
    }

    /// Binds a pool from [`PagePool::new_unbound`] to the NAPI instance of
    /// `ctx`, disabled now (`page_pool_enable_direct_recycling()`), with
    /// the rules of [`PagePool::new_for_napi`] from then on. Does nothing
    /// if the pool is bound already.
    pub fn bind_napi(&mut self, ctx: &NapiContext<'_>) {
        if !self.napi.is_null() || !ctx.may_bind() {
            return;
        }
        let napi = ctx.as_raw();
        // SAFETY: By the type invariant the pool is live, and not bound;
        // `napi` is a NAPI instance whose context `ctx` owns, disabled, so
        // nothing recycles into the pool concurrently. The caller keeps
        // the instance for the pool's life (as for `new_for_napi`).
        unsafe { bindings::page_pool_enable_direct_recycling(self.ptr.as_ptr(), napi) };
        // INVARIANT: bound to `napi` now, as if created with it.
        self.napi = napi;
    }

    /// Unbinds the pool from its NAPI instance, disabled now (`ctx`), as
    /// the queue it serves is stopped (`page_pool_disable_direct_recycling()`),
    /// so that it may be dropped once the instance polls again. It has no
    /// lock-free cache ([`PagePool::cache`]) from then on.
    pub fn unbind_napi(&mut self, ctx: &NapiContext<'_>) {
        if !self.owned_by(ctx) || !ctx.may_bind() {
            return;
        }
        // SAFETY: By the type invariant the pool is live; its instance is
        // disabled (`ctx` proves it, checked above), so it is not polling
        // and nothing uses the cache concurrently.
        unsafe { bindings::page_pool_disable_direct_recycling(self.ptr.as_ptr()) };
        // INVARIANT: no instance now; `owned_by` is false for every context.
        self.napi = core::ptr::null_mut();
    }

    fn create<T>(
        dev: &Device<T>,
        params: &Params,
        napi: *mut bindings::napi_struct,
    ) -> Result<Self> {
        let mut p = bindings::page_pool_params::default();
        // The fast and slow parameter groups are unions of a named struct
        // and its fields, as bindgen sees `struct_group_tagged()`; both
        // sides have the same layout, so writing the named one sets them.
        p.__bindgen_anon_1.fast = bindings::page_pool_params__bindgen_ty_1_page_pool_params_fast {
            order: 0,
            pool_size: params.pool_size,
            nid: bindings::NUMA_NO_NODE,
            dev: raw_device(dev.parent()),
            napi,
            dma_dir: if params.unreadable {
                bindings::dma_data_direction::DMA_FROM_DEVICE
            } else {
                bindings::dma_data_direction::DMA_BIDIRECTIONAL
            },
            max_len: PAGE_SIZE,
            offset: 0,
        };
        p.__bindgen_anon_2.slow = bindings::page_pool_params__bindgen_ty_2_page_pool_params_slow {
            netdev: dev.as_raw(),
            queue_idx: params.queue_idx,
            // The pool maps its pages for the device and syncs recycled
            // pages for it.
            flags: bindings::PP_FLAG_DMA_MAP
                | bindings::PP_FLAG_DMA_SYNC_DEV
                | if params.unreadable {
                    bindings::PP_FLAG_ALLOW_UNREADABLE_NETMEM
                } else {
                    0
                },
            ..Default::default()
        };
        // SAFETY: `p` is fully initialized; the parent of a device the
        // driver has in hand is bound to it (as in `SkBuff::map_for_tx`),
        // and the pool does not keep `netdev` beyond its unregistration
        // (the core detaches pools then). `napi` is null or a NAPI
        // instance whose context the caller owns, which the caller keeps
        // for the pool's life (see `new_for_napi`).
        let pool = unsafe { bindings::page_pool_create(&p) };
        let ptr = kernel::error::from_err_ptr(pool)?;
        // INVARIANT: created above with PP_FLAG_DMA_MAP and `napi`; the
        // reference is ours.
        Ok(Self {
            ptr: NonNull::new(ptr).ok_or(ENOMEM)?,
            napi,
        })
    }

    /// Whether `ctx` may use this pool's lock-free cache: if it owns the
    /// context of the pool's NAPI instance.
    #[inline]
    fn owned_by(&self, ctx: &NapiContext<'_>) -> bool {
        ctx.owns(self.napi)
    }

    /// The pool's lock-free cache, to allocate pages from
    /// ([`PoolCache::alloc`]) and return them to
    /// ([`PoolCache::release_slot`]), the context checked once for a run
    /// of such calls; `None` if `ctx` does not own the context of the
    /// pool's NAPI instance.
    #[inline]
    pub fn cache<'a, 'n>(&'a mut self, ctx: &'a NapiContext<'n>) -> Option<PoolCache<'a, 'n>> {
        if !self.owned_by(ctx) {
            return None;
        }
        // INVARIANT: `ctx` owns the context of the pool's instance
        // (checked above).
        Some(PoolCache {
            pool: self,
            _ctx: ctx,
        })
    }
}

/// The lock-free cache of a [`PagePool`], from the context of the NAPI
/// instance the pool is bound to ([`PagePool::cache`]).
///
/// # Invariants
///
/// The borrowed context owns the context of `pool`'s NAPI instance.
pub struct PoolCache<'a, 'n> {
    pool: &'a mut PagePool,
    _ctx: &'a NapiContext<'n>,
}

impl PoolCache<'_, '_> {
    /// Allocates a page for the device to fill
    /// (`page_pool_dev_alloc_netmems()`, as the C driver does: the entry
    /// point that function error injection can make fail, which
    /// `page_pool_dev_alloc_pages()` may reach inlined), holding
    /// [`RX_PAGE_REFS`] references to give out
    /// (`page_pool_fragment_page()`). `None` if memory is short.
    #[inline]
    pub fn alloc(&mut self) -> Option<RxPage> {
        let pool = &mut *self.pool;
        // SAFETY: By the type invariant of `PagePool` the pool is live.
        // `&mut` makes this the only user of its cache besides, for a
        // bound pool, the stack's direct recycling, which happens only in
        // the context of its NAPI instance, the one borrowed here (the
        // type invariant).
        let netmem = unsafe { bindings::page_pool_dev_alloc_netmems(pool.ptr.as_ptr()) };
        if netmem == 0 {
            return None;
        }
        // SAFETY: A freshly allocated piece (a page, or a buffer of the
        // pool's memory provider) has one page-pool reference, which we
        // own; it is split into `RX_PAGE_REFS`, all ours. CAST: a page size
        // fits a `long`.
        unsafe { bindings::page_pool_fragment_netmem(netmem, RX_PAGE_REFS as c_long) };
        // SAFETY: The pool maps its pages (PP_FLAG_DMA_MAP); a memory
        // provider's buffers come mapped.
        let dma = unsafe { bindings::page_pool_get_dma_addr_netmem(netmem) };
        // INVARIANT: a piece of this pool with `RX_PAGE_REFS` references.
        Some(RxPage {
            page: PoolPageRef {
                netmem,
                pool: pool.ptr,
            },
            refs: RX_PAGE_REFS,
            dma,
        })
    }

    /// Returns the page in `slot` (if any) like dropping it does, but
    /// straight into the cache if the page is its last user and belongs to
    /// this pool (`allow_direct`, as a driver does from its NAPI poll).
    /// `slot` is left empty: a ring gives its pages back where they sit,
    /// without moving each out first.
    #[inline]
    pub fn release_slot(&mut self, slot: &mut Option<RxPage>) {
        if let Some(page) = slot.as_ref() {
            // `&mut self` and the borrowed context (the type invariant)
            // make this the only user of the cache, as `release` needs for
            // `direct`.
            page.release(page.page.pool == self.pool.ptr);
            // The page's references went back above.
            core::mem::forget(slot.take());
        }
    }
}

impl PagePool {
    /// The C pool, for other abstractions of this layer (the XDP memory
    /// model).
    pub(super) fn as_raw(&self) -> *mut bindings::page_pool {
        self.ptr.as_ptr()
    }
}

impl Drop for PagePool {
    fn drop(&mut self) {
        // SAFETY: By the type invariant we own the creation reference; the
        // core keeps the object until every page is back.
        unsafe { bindings::page_pool_destroy(self.ptr.as_ptr()) };
    }
}

/// A page of a pool and the pool, as the pieces below share them.
///
/// It is `Copy` and has no invariant of its own: [`RxPage`] and [`PageRef`],
/// which hold one, guarantee that `page` came from `pool` and is not back
/// yet, which keeps `pool` allocated (the core frees a destroyed pool only
/// once all its pages have returned). Pools here hand out order-0 pages:
/// every piece is [`PAGE_SIZE`] bytes, a constant the range checks below
/// fold into their code rather than load per packet.
///
/// `netmem` is a page, or, in a pool with a memory provider, a buffer of
/// the provider that the CPU may not read (`net_iov`).
#[derive(Clone, Copy)]
struct PoolPageRef {
    netmem: bindings::netmem_ref,
    pool: NonNull<bindings::page_pool>,
}

impl PoolPageRef {
    /// The page, if `netmem` is one (CPU memory).
    #[inline]
    fn page(&self) -> Option<NonNull<bindings::page>> {
        // SAFETY: `netmem` is a live page-pool reference (see above);
        // telling its kind reads only the reference itself.
        if unsafe { bindings::netmem_is_net_iov(self.netmem) } {
            return None;
        }
        // SAFETY: A page (checked above).
        NonNull::new(unsafe { bindings::netmem_to_page(self.netmem) })
    }
}

/// A page from a [`PagePool`] that the driver owns, e.g. one on the
/// device's buffer ring, with a number of page-pool references to give
/// out.
///
/// Dropping it returns the references it still holds
/// (`page_pool_unref_page()`); if no socket buffer holds one either, the
/// page goes back to its pool (`page_pool_put_unrefed_page()`).
///
/// # Invariants
///
/// `page.netmem` is a piece of the live-while-out pool `page.pool`, mapped at
/// `dma`; this value owns `refs` (at least one) of its page-pool
/// references.
pub struct RxPage {
    page: PoolPageRef,
    refs: u32,
    dma: u64,
}

// SAFETY: The page may be returned to its pool from any CPU (the
// non-direct path takes the pool's ring lock).
unsafe impl Send for RxPage {}

impl RxPage {
    /// The page's bus address, for the device.
    #[inline]
    pub fn dma_addr(&self) -> u64 {
        self.dma
    }

    /// Makes `len` bytes at `offset`, written by the device, visible to the
    /// CPU (`page_pool_dma_sync_netmem_for_cpu()`). Ranges outside the page
    /// are clamped to it. Nothing to do for a memory provider's buffers,
    /// which the CPU does not read.
    #[inline]
    pub fn sync_for_cpu(&self, offset: u32, len: u32) {
        let offset = offset.min(PAGE_SIZE);
        let len = len.min(PAGE_SIZE - offset);
        // SAFETY: By the type invariant the piece belongs to the pool, which
        // is allocated while the piece is out, and the pool maps its pages;
        // the range is within the page. The function skips pools whose
        // memory provider turned CPU syncs off.
        unsafe {
            bindings::page_pool_dma_sync_netmem_for_cpu(
                self.page.pool.as_ptr(),
                self.page.netmem,
                offset,
                len,
            )
        };
    }

    /// Makes the bytes of `span`, written by the device, visible to the
    /// CPU, as [`RxPage::sync_for_cpu`] does; the span is within the page
    /// by its type, so nothing to clamp.
    #[inline]
    pub fn sync_span_for_cpu(&self, span: &PageSpan) {
        // SAFETY: By the type invariant the piece belongs to the pool, which
        // is allocated while the piece is out, and the pool maps its pages;
        // the range is within the page (the invariant of `PageSpan`). The
        // function skips pools whose memory provider turned CPU syncs off.
        unsafe {
            bindings::page_pool_dma_sync_netmem_for_cpu(
                self.page.pool.as_ptr(),
                self.page.netmem,
                span.start,
                span.size,
            )
        };
    }

    /// Takes one of the page's references, to hand a piece of it to the
    /// stack. `None` once all but one are given out: the page keeps one for
    /// itself, so it cannot go back to the pool while the driver has it.
    #[inline]
    pub fn take_ref(&mut self) -> Option<PageRef> {
        if self.refs <= 1 {
            return None;
        }
        self.refs -= 1;
        // INVARIANT: one of the references this page owned moves to the
        // new value.
        Some(PageRef {
            page: self.page,
            _not_sync: PhantomData,
        })
    }

    #[inline]
    fn release(&self, direct: bool) {
        let netmem = self.page.netmem;
        // SAFETY: By the type invariant we own `refs` references to the
        // piece. If they were the last (the result is 0), the page is ours
        // alone and goes back to its pool, which is allocated while the
        // page is out. `direct` is only set by `PoolCache::release_slot`,
        // whose `&mut PagePool` and `NapiContext` make this the only user
        // of the pool's cache.
        unsafe {
            // CAST: at most `RX_PAGE_REFS`, a page size, which fits a
            // `long`.
            if bindings::page_pool_unref_netmem(netmem, self.refs as c_long) == 0 {
                bindings::page_pool_put_unrefed_netmem(
                    self.page.pool.as_ptr(),
                    netmem,
                    u32::MAX,
                    direct,
                );
            }
        }
    }
}

impl Drop for RxPage {
    fn drop(&mut self) {
        self.release(false);
    }
}

/// One page-pool reference to a page, to be given to a socket buffer.
///
/// Dropping it returns the reference (`page_pool_put_full_page()`).
///
/// # Invariants
///
/// `page.netmem` is a piece of the pool `page.pool`, and this value owns one
/// of its page-pool references.
pub struct PageRef {
    page: PoolPageRef,
    _not_sync: PhantomData<*mut u8>,
}

// SAFETY: As for `RxPage`.
unsafe impl Send for PageRef {}

impl PageRef {
    /// Gives up the reference without returning it: the caller passed it
    /// to the stack.
    fn into_raw(self) -> PoolPageRef {
        ManuallyDrop::new(self).page
    }
}

impl PageRef {
    /// The page, for other abstractions of this layer; `None` for a
    /// memory provider's buffer, which the CPU may not read.
    pub(super) fn page_ptr(&self) -> Option<NonNull<bindings::page>> {
        self.page.page()
    }

    /// The piece as the core's `netmem_ref`.
    pub(super) fn netmem(&self) -> bindings::netmem_ref {
        self.page.netmem
    }

    /// Whether `offset..offset + len` is within the page.
    #[inline]
    pub(super) fn range_fits(&self, offset: u32, len: u32) -> bool {
        PageSpan::new(offset, len).is_some()
    }

    /// Gives up the reference without returning it: the caller passed it
    /// to the stack or to a structure that returns it itself.
    pub(super) fn forget(self) {
        let _ = self.into_raw();
    }

    /// Takes over the reference a fragment of an XDP frame or socket
    /// buffer holds (`netmem`, a page of a page pool).
    ///
    /// # Safety
    ///
    /// `netmem` must be a page (not unreadable memory) of a page pool, and
    /// the caller must own one of its page-pool references, which moves to
    /// the new value.
    pub(super) unsafe fn from_netmem(netmem: bindings::netmem_ref) -> Option<Self> {
        if netmem == 0 {
            return None;
        }
        // SAFETY: `netmem` is a page-pool page (a requirement of this
        // function), so it has a pool.
        let pool = unsafe { bindings::netmem_get_pp(netmem) };
        // INVARIANT: a page of `pool` whose reference the caller gave us;
        // pools here hand out order-0 pages.
        Some(Self {
            page: PoolPageRef {
                netmem,
                pool: NonNull::new(pool)?,
            },
            _not_sync: PhantomData,
        })
    }

    /// The page's bus address (`page_pool_get_dma_addr()`).
    pub(super) fn dma_addr(&self) -> u64 {
        // SAFETY: By the type invariant the page belongs to a pool, which
        // maps its pages (every pool here has PP_FLAG_DMA_MAP).
        unsafe { bindings::page_pool_get_dma_addr_netmem(self.page.netmem) }
    }

    /// Makes `len` bytes at `offset`, which the CPU may have written, visible
    /// to the device (`dma_sync_single_range_for_device()`), for it to send
    /// them. Ranges outside the page are clamped to it.
    pub(super) fn sync_for_device(&self, offset: u32, len: u32) {
        let offset = offset.min(PAGE_SIZE);
        let len = len.min(PAGE_SIZE - offset);
        // SAFETY: By the type invariant the page belongs to the pool, which
        // is allocated while the page is out and mapped the page both ways
        // (`Params`) for its device `p.dev`; the range is within the page.
        unsafe {
            let dev = (*self.page.pool.as_ptr()).p.dev;
            bindings::dma_sync_single_range_for_device(
                dev,
                self.dma_addr(),
                usize::from_safe_cast(offset),
                usize::from_safe_cast(len),
                bindings::dma_data_direction::DMA_BIDIRECTIONAL,
            );
        }
    }
}

impl Drop for PageRef {
    fn drop(&mut self) {
        // SAFETY: By the type invariant we own one reference to a page of
        // the pool, which is allocated while the page is out.
        unsafe {
            bindings::page_pool_put_full_netmem(self.page.pool.as_ptr(), self.page.netmem, false)
        };
    }
}

impl Napi {
    /// Builds a socket buffer for a received packet around a buffer in a
    /// pool page (`napi_build_skb()`, `skb_mark_for_recycle()`), from the
    /// poll function.
    ///
    /// The buffer is `span` in `head`'s page; the packet's `len` bytes
    /// start `headroom` bytes into it, and the buffer has room for the
    /// socket buffer's shared info ([`SKB_SHINFO_ROOM`]) behind them. The
    /// page reference goes to the socket buffer; `None` if the packet does
    /// not fit the buffer or memory is short (the reference is returned to
    /// the pool then).
    #[inline]
    pub fn build_skb(
        &self,
        head: PageRef,
        span: PageSpan,
        headroom: u32,
        len: u32,
    ) -> Option<SkBuff> {
        if !span.holds_head(headroom, len) {
            return None;
        }
        let page = head.page.page()?.as_ptr();
        // SAFETY: The page is a pool page (lowmem, so it has an address)
        // and `span` is within it (the invariant of `PageSpan`). The
        // buffer is ours: the device wrote it and the caller synced it, and
        // our page reference keeps the page. On success the socket buffer
        // takes that reference (its head is in the page; marked for
        // recycling it returns it with `page_pool_put_full_page()` when
        // freed).
        let skb = unsafe {
            let data = bindings::lowmem_page_address(page)
                .cast::<u8>()
                .add(usize::from_safe_cast(span.start));
            bindings::napi_build_skb(data.cast(), span.size)
        };
        if skb.is_null() {
            return None;
        }
        let _ = head.into_raw();
        // SAFETY: `skb` is a new socket buffer, ours; `headroom + len`
        // bytes plus the shared info fit in its `span.size` bytes (checked
        // above).
        unsafe {
            // CAST: within a page (checked above), which fits an `int`.
            bindings::skb_reserve(skb, headroom as c_int);
            bindings::__skb_put(skb, len);
            bindings::skb_mark_for_recycle(skb);
            Some(SkBuff::from_raw(skb))
        }
    }
}

impl SkBuff {
    /// Appends `len` bytes at `offset` in `frag`'s page to the packet as a
    /// page fragment (`skb_add_rx_frag()`), accounting `truesize` bytes of
    /// memory to it, and marks the packet for page-pool recycling. The
    /// reference goes to the socket buffer.
    /// Gives the reference back if the range is outside the page or the
    /// packet has no room for another fragment.
    pub fn add_rx_frag(
        &mut self,
        frag: PageRef,
        offset: u32,
        len: u32,
        truesize: u32,
    ) -> Result<(), PageRef> {
        let in_page = frag.range_fits(offset, len.max(truesize));
        let raw = self.as_raw();
        // SAFETY: By the type invariant of `SkBuff` the buffer is valid and
        // ours, and so is its shared info. Marking it for recycling makes
        // the stack return page-pool pages to their pool when it frees
        // them (other pages are still freed normally).
        let nr_frags = unsafe {
            bindings::skb_mark_for_recycle(raw);
            (*bindings::skb_end_pointer(raw).cast::<bindings::skb_shared_info>()).nr_frags
        };
        if !in_page || u32::from(nr_frags) >= bindings::MAX_SKB_FRAGS {
            return Err(frag);
        }
        let page = frag.into_raw();
        // SAFETY: Slot `nr_frags` is free (below MAX_SKB_FRAGS), the range
        // is within the page, and the socket buffer takes our reference
        // to it; a memory provider's buffer makes the packet unreadable,
        // which the core handles. CAST: `offset` and `len` are within the
        // page (checked above), which fits an `int`.
        unsafe {
            bindings::skb_add_rx_frag_netmem(
                raw,
                c_int::from(nr_frags),
                page.netmem,
                offset as c_int,
                len as c_int,
                truesize,
            )
        };
        Ok(())
    }
}
