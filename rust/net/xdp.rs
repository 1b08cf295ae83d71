// SPDX-License-Identifier: GPL-2.0

//! XDP: a BPF program that a driver runs on each received frame before the
//! stack sees it.
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)
//!
//! The pieces a driver with page-pool receive needs:
//!
//! - [`ProgSlot`] holds the program the user attached (`ndo_bpf`,
//!   [`Operations::xdp_setup_prog`](super::Operations::xdp_setup_prog)),
//!   swapped under RTNL and read by the receive path under the RCU read
//!   lock ([`ProgSlot::get`]), as C drivers do with `xchg()` and
//!   `READ_ONCE()`.
//! - [`RxQueue`] is a receive queue's registration (`struct xdp_rxq_info`)
//!   with the page-pool memory model, so that the core returns the pages of
//!   a frame to their pool however it frees them.
//! - [`Buff`] is a received frame as the program sees it (`struct
//!   xdp_buff`): built over a buffer in a page-pool page
//!   ([`Buff::new`]), with payload pages as fragments
//!   ([`Buff::add_frag`]); [`Buff::run`] runs the program, and for
//!   [`Action::Pass`], [`Buff::into_skb`] builds the socket buffer from what
//!   the program left (its head and tail adjustments and metadata
//!   included). Dropping a [`Buff`] returns its pages.
//! - [`Features`] are what the device advertises (`xdp_features`).
//! - [`TxBuf`] is a buffer of a frame the program sends back out
//!   ([`Action::Tx`]), from its page-pool page ([`Buff::into_tx`], in
//!   [`tx`]).
//! - [`Buff::redirect`] and [`flush_redirects`] send a frame where the
//!   program's redirect helper said ([`Action::Redirect`], in
//!   [`redirect`]).
//! - [`XmitFrames`] are the frames redirected to the device, for it to
//!   send ([`Operations::xdp_xmit`](super::Operations::xdp_xmit),
//!   `ndo_xdp_xmit`): each an owned [`Frame`], mapped for the device as a
//!   [`TxFrame`], in [`frame`].
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     prelude::*,
//!     sync::{
//!         rcu,
//!         Arc, //
//!     },
//! };
//! use kernel_ext::net::{
//!     page_pool::{
//!         PageRef,
//!         PageSpan, //
//!     },
//!     xdp::{
//!         Action,
//!         Buff,
//!         ProgSlot,
//!         RxQueue, //
//!     },
//!     NapiContext, //
//! };
//!
//! // In the NAPI poll, for a frame of `len` bytes at `start + headroom` in
//! // the page of `head`, in a buffer of `size` bytes:
//! fn receive(
//!     slot: &ProgSlot,
//!     rxq: &Arc<RxQueue>,
//!     napi: &NapiContext<'_>,
//!     head: PageRef,
//!     (start, size, headroom, len): (u32, u32, u32, u32),
//! ) -> Result {
//!     let rcu = rcu::read_lock();
//!     let Some(prog) = slot.get(&rcu) else {
//!         // No program: build the socket buffer as usual.
//!         return Ok(());
//!     };
//!     let span = PageSpan::new(start, size).ok_or(EINVAL)?;
//!     let mut buff = Buff::new(rxq, head, span, headroom, len).map_err(|_| EINVAL)?;
//!     match buff.run(&prog, napi) {
//!         Some(Action::Pass) => {
//!             if let Some(skb) = buff.into_skb() {
//!                 napi.gro_receive(skb);
//!             }
//!         }
//!         // Dropping the buffer returns its pages to their pools.
//!         _ => drop(buff),
//!     }
//!     Ok(())
//! }
//! ```

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    ffi::c_int,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Full, //
        },
        rcu,
        Arc, //
    },
    types::Opaque, //
};

use super::{
    napi::NapiContext,
    page_pool::{
        PagePool,
        PageRef,
        PageSpan, //
    },
    skbuff::SkBuff,
    Device,
    Napi, //
};
use crate::kernel_ext::{
    bindings,
    bpf::Prog, //
};

mod frame;
mod redirect;
mod tx;

pub use frame::{
    Frame,
    TxFrame,
    XmitFrames, //
};
pub use redirect::flush_redirects;
pub use tx::TxBuf;

/// The XDP program of a device, or none.
///
/// Replaced under RTNL (from `ndo_bpf`); read by the receive path under the
/// RCU read lock. The program it gives up is put at once: the core frees a
/// program only an RCU grace period after its last reference is gone, so a
/// poll that found it may finish running it.
///
/// # Invariants
///
/// `ptr` is NULL or a live program of which this value owns a reference.
pub struct ProgSlot {
    ptr: Atomic<*mut bindings::bpf_prog>,
}

// SAFETY: The slot owns a program reference, which may be used and given
// back from any thread (`Prog` is `Send` and `Sync`); the pointer is only
// accessed atomically.
unsafe impl Send for ProgSlot {}

// SAFETY: As for `Send`.
unsafe impl Sync for ProgSlot {}

impl Default for ProgSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl ProgSlot {
    /// An empty slot.
    pub const fn new() -> Self {
        // INVARIANT: NULL.
        Self {
            ptr: Atomic::new(core::ptr::null_mut()),
        }
    }

    /// Installs `prog` (or none) and returns the program it replaces
    /// (`xchg()`), for the caller to drop, which puts it.
    pub fn replace(&self, prog: Option<Prog>) -> Option<Prog> {
        let new = prog.map_or(core::ptr::null_mut(), Prog::into_raw);
        // INVARIANT: the reference of `new` moves into the slot; the one of
        // the old program moves out.
        let old = self.ptr.xchg(new, Full);
        // SAFETY: The slot owned a reference to `old` (if not NULL), which
        // now goes to the caller.
        unsafe { Prog::from_raw(old) }
    }

    /// The program, for as long as `_rcu` holds the RCU read lock
    /// (`READ_ONCE()` in a C driver's poll).
    pub fn get<'a>(&self, _rcu: &'a rcu::Guard) -> Option<ProgRef<'a>> {
        let ptr = NonNull::new(self.ptr.load(Acquire))?;
        // INVARIANT: the program was live when loaded; a replaced program
        // is freed only after a grace period, which `_rcu` delays.
        Some(ProgRef {
            ptr,
            _rcu: PhantomData,
        })
    }

    /// Whether the installed program takes frames in several buffers
    /// ([`Prog::has_frags`]); `None` without a program.
    pub fn has_frags(&self) -> Option<bool> {
        let rcu = rcu::read_lock();
        self.get(&rcu).map(|prog| prog.has_frags())
    }
}

impl Drop for ProgSlot {
    fn drop(&mut self) {
        drop(self.replace(None));
    }
}

/// A program found in a [`ProgSlot`], valid while the RCU read lock is
/// held.
///
/// # Invariants
///
/// `ptr` is a BPF program that stays allocated for `'a`.
pub struct ProgRef<'a> {
    ptr: NonNull<bindings::bpf_prog>,
    _rcu: PhantomData<&'a rcu::Guard>,
}

impl ProgRef<'_> {
    /// As [`Prog::has_frags`].
    pub fn has_frags(&self) -> bool {
        // SAFETY: By the type invariant the program is allocated; a loaded
        // program has its `aux`, and the flag does not change.
        unsafe { (*(*self.ptr.as_ptr()).aux).xdp_has_frags }
    }
}

/// What the program decided for a frame (`enum xdp_action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// An error in the program (`XDP_ABORTED`): drop the frame and report
    /// it with [`Buff::trace_exception`].
    Aborted,
    /// Drop the frame (`XDP_DROP`).
    Drop,
    /// Give the frame to the stack (`XDP_PASS`).
    Pass,
    /// Send the (possibly rewritten) frame back out of the same device
    /// (`XDP_TX`).
    Tx,
    /// Send the frame where the program's redirect helper said
    /// (`XDP_REDIRECT`).
    Redirect,
    /// A value the kernel does not define: drop the frame, report it with
    /// [`Buff::warn_invalid_action`] and [`Buff::trace_exception`].
    Invalid(u32),
}

impl Action {
    fn from_raw(act: u32) -> Self {
        match act {
            bindings::xdp_action_XDP_ABORTED => Self::Aborted,
            bindings::xdp_action_XDP_DROP => Self::Drop,
            bindings::xdp_action_XDP_PASS => Self::Pass,
            bindings::xdp_action_XDP_TX => Self::Tx,
            bindings::xdp_action_XDP_REDIRECT => Self::Redirect,
            other => Self::Invalid(other),
        }
    }

    fn as_raw(self) -> u32 {
        match self {
            Self::Aborted => bindings::xdp_action_XDP_ABORTED,
            Self::Drop => bindings::xdp_action_XDP_DROP,
            Self::Pass => bindings::xdp_action_XDP_PASS,
            Self::Tx => bindings::xdp_action_XDP_TX,
            Self::Redirect => bindings::xdp_action_XDP_REDIRECT,
            Self::Invalid(act) => act,
        }
    }
}

/// The XDP features a device advertises (`xdp_features`,
/// `NETDEV_XDP_ACT_*`), as `ip link` and the netdev netlink family report
/// them. Only those a driver here carries out are defined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features(u32);

impl core::ops::BitOr for Features {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl Features {
    /// The basic actions, `XDP_ABORTED`, `XDP_DROP`, `XDP_PASS` and
    /// `XDP_TX` (`NETDEV_XDP_ACT_BASIC`).
    pub const BASIC: Self = Self(bindings::netdev_xdp_act_NETDEV_XDP_ACT_BASIC);

    /// `XDP_REDIRECT` of received frames (`NETDEV_XDP_ACT_REDIRECT`).
    pub const REDIRECT: Self = Self(bindings::netdev_xdp_act_NETDEV_XDP_ACT_REDIRECT);

    /// Frames in several buffers on receive, for programs that take them
    /// (`NETDEV_XDP_ACT_RX_SG`).
    pub const RX_SG: Self = Self(bindings::netdev_xdp_act_NETDEV_XDP_ACT_RX_SG);

    /// Frames redirected to the device, in one buffer, are sent
    /// (`NETDEV_XDP_ACT_NDO_XMIT`, [`Operations::xdp_xmit`]): the core
    /// redirects to devices that advertise it only.
    ///
    /// [`Operations::xdp_xmit`]: super::Operations::xdp_xmit
    pub const NDO_XMIT: Self = Self(bindings::netdev_xdp_act_NETDEV_XDP_ACT_NDO_XMIT);
}

impl<T> Device<T> {
    /// Sets the XDP features the device advertises
    /// (`xdp_set_features_flag()`), notifying listeners if it is
    /// registered. Called in process context, without the device's
    /// instance lock held (the function takes it).
    pub fn set_xdp_features(&self, features: Features) {
        // SAFETY: The device is valid; the function takes the instance
        // lock itself and may sleep, which the caller allows.
        unsafe { bindings::xdp_set_features_flag(self.as_raw(), features.0) };
    }
}

/// A receive queue's XDP registration (`struct xdp_rxq_info`), with the
/// page-pool memory model.
///
/// Frames built with [`Buff::new`] point at it; they hold an [`Arc`] of it,
/// so it stays registered until the last of them is gone. Dropping the last
/// reference unregisters it (`xdp_rxq_info_unreg()`, which also releases
/// the memory model's hold on the page pool).
///
/// # Invariants
///
/// `inner` is registered for a device that outlives this value (see
/// [`RxQueue::new`]), with `MEM_TYPE_PAGE_POOL`, or it is in its initial,
/// unregistered state.
#[pin_data(PinnedDrop)]
pub struct RxQueue {
    #[pin]
    inner: Opaque<bindings::xdp_rxq_info>,
}

// SAFETY: The registration may be dropped from any thread; frames only
// read it.
unsafe impl Send for RxQueue {}

// SAFETY: Shared access only reads the structure (the program and the core
// read its device, queue index and memory type).
unsafe impl Sync for RxQueue {}

impl RxQueue {
    /// Registers RX queue `queue_index` of `dev`, serviced by `napi`, whose
    /// frames are in pages of `pool` and of pools like it
    /// (`xdp_rxq_info_reg()`, `xdp_rxq_info_reg_mem_model()`).
    ///
    /// As a page pool of the device, the registration must be dropped
    /// before the device is unregistered: keep it with the queue's pools
    /// and drop it when the interface closes.
    pub fn new<T>(
        dev: &Device<T>,
        queue_index: u32,
        napi: &Napi,
        pool: &PagePool,
    ) -> Result<Arc<Self>> {
        let this = Arc::pin_init(
            pin_init!(Self {
                inner <- Opaque::ffi_init(|slot: *mut bindings::xdp_rxq_info| {
                    // SAFETY: `slot` is valid for writes; all zeroes is the
                    // initial, unregistered state.
                    unsafe { core::ptr::write_bytes(slot, 0, 1) }
                }),
            }),
            GFP_KERNEL,
        )?;
        let raw = this.inner.get();
        // SAFETY: `raw` is a pinned, unregistered `xdp_rxq_info`; `dev` is
        // valid and outlives the registration (a requirement of this
        // function). Reading the NAPI id: the instance is valid.
        kernel::error::to_result(unsafe {
            bindings::__xdp_rxq_info_reg(
                raw,
                dev.as_raw(),
                queue_index,
                (*napi.as_raw()).napi_id,
                0,
            )
        })?;
        // SAFETY: `raw` is registered; the pool is live, and the memory
        // model takes its own hold on it (released at unregistration).
        let ret = unsafe {
            bindings::xdp_rxq_info_reg_mem_model(
                raw,
                bindings::xdp_mem_type_MEM_TYPE_PAGE_POOL,
                pool.as_raw().cast(),
            )
        };
        // On failure `this` is dropped, which unregisters it.
        kernel::error::to_result(ret)?;
        // INVARIANT: registered with the page-pool memory model.
        Ok(this)
    }

    fn as_raw(&self) -> *mut bindings::xdp_rxq_info {
        self.inner.get()
    }
}

#[pinned_drop]
impl PinnedDrop for RxQueue {
    fn drop(self: Pin<&mut Self>) {
        let raw = self.inner.get();
        // SAFETY: `raw` is valid; if registered (by `new`), nothing uses it
        // any more (frames hold a reference), so it may be unregistered.
        unsafe {
            if bindings::xdp_rxq_info_is_reg(raw) {
                bindings::xdp_rxq_info_unreg(raw);
            }
        }
    }
}

/// A received frame for an XDP program (`struct xdp_buff`): a buffer in a
/// page-pool page, with payload pages as fragments.
///
/// It owns one page-pool reference for its head page and one per
/// fragment. [`Buff::into_skb`] gives them to a socket buffer; dropping
/// the frame returns them to their pools.
///
/// # Invariants
///
/// `buff` was set up by [`Buff::new`] for `rxq` over the page of `head`
/// (its data between `data_hard_start` and the shared info at the end of
/// its `frame_sz` bytes, within that page); its fragments, if it has any,
/// are page-pool pages of which this value owns one reference each.
pub struct Buff {
    buff: bindings::xdp_buff,
    head: PageRef,
    rxq: Arc<RxQueue>,
}

// SAFETY: The frame's memory is owned (page references that may be
// returned from any CPU); the raw pointers in `buff` are into it and to
// `rxq`, which is `Sync`.
unsafe impl Send for Buff {}

impl Buff {
    /// Sets up a frame over a buffer (`xdp_init_buff()`,
    /// `xdp_prepare_buff()`): `span` in the page of `head`, the frame's
    /// `len` bytes `headroom` bytes into it, room for the shared info
    /// ([`SKB_SHINFO_ROOM`](super::page_pool::SKB_SHINFO_ROOM)) behind
    /// them. Metadata may be put in front of the data. Gives `head` back if
    /// the frame does not fit the buffer.
    pub fn new(
        rxq: &Arc<RxQueue>,
        head: PageRef,
        span: PageSpan,
        headroom: u32,
        len: u32,
    ) -> Result<Self, PageRef> {
        if !span.holds_head(headroom, len) {
            return Err(head);
        }
        let (start, size) = (span.start(), span.size());
        // A memory provider's buffer has no address for the program.
        let Some(page) = head.page_ptr() else {
            return Err(head);
        };
        let mut buff = bindings::xdp_buff::default();
        // SAFETY: The page is a pool page (lowmem, so it has an address)
        // and `start..start + size` is within it (the invariant of
        // `PageSpan`), as are
        // `headroom + len` bytes and the shared info. `rxq` is pinned in
        // its `Arc`, which the frame keeps. CAST: within a page, which fits
        // an `int`.
        unsafe {
            let hard_start = bindings::lowmem_page_address(page.as_ptr())
                .cast::<u8>()
                .add(start as usize);
            bindings::xdp_init_buff(&mut buff, size, rxq.as_raw());
            bindings::xdp_prepare_buff(
                &mut buff,
                hard_start,
                headroom as c_int,
                len as c_int,
                true,
            );
        }
        // INVARIANT: set up above over `head`'s page, without fragments.
        Ok(Self {
            buff,
            head,
            rxq: rxq.clone(),
        })
    }

    /// Appends `len` bytes at `offset` in `frag`'s page as a fragment
    /// (`xdp_buff_add_frag()`), accounting `truesize` bytes of memory to
    /// it. The reference goes to the frame; it is given back if the range
    /// is outside the page or the frame has no room for another fragment.
    pub fn add_frag(
        &mut self,
        frag: PageRef,
        offset: u32,
        len: u32,
        truesize: u32,
    ) -> Result<(), PageRef> {
        // The program may read every fragment: CPU memory only.
        if !frag.range_fits(offset, len.max(truesize)) || frag.page_ptr().is_none() {
            return Err(frag);
        }
        // SAFETY: By the type invariant `buff` is set up with its shared
        // info in the head buffer, which the frame owns; the fragment's
        // range is within its page, and on success the frame takes the
        // reference (merged into the previous fragment if contiguous in the
        // same page, in which case the function gives back one reference,
        // never the page's last: the previous fragment holds one).
        let added = unsafe {
            bindings::xdp_buff_add_frag(&mut self.buff, frag.netmem(), offset, len, truesize)
        };
        if !added {
            return Err(frag);
        }
        frag.forget();
        Ok(())
    }

    /// The frame's length, fragments included (`xdp_get_buff_len()`).
    pub fn len(&self) -> u32 {
        // SAFETY: By the type invariant `buff` is set up.
        unsafe { bindings::xdp_get_buff_len(&self.buff) }
    }

    /// Whether the frame has fragments (`xdp_buff_has_frags()`).
    pub fn has_frags(&self) -> bool {
        // SAFETY: By the type invariant `buff` is set up.
        unsafe { bindings::xdp_buff_has_frags(&self.buff) }
    }

    /// Runs `prog` on the frame (`bpf_prog_run_xdp()`) from the NAPI poll
    /// of the frame's queue, and returns its decision. The program may
    /// change the frame's data, move its start and end, and put metadata
    /// in front of it. `None`, without running it, if `napi` is not a poll
    /// (the program's helpers need the poll's networking context).
    pub fn run(&mut self, prog: &ProgRef<'_>, napi: &NapiContext<'_>) -> Option<Action> {
        if !napi.in_poll() {
            return None;
        }
        // SAFETY: By the type invariant `buff` is set up; the program is
        // allocated while `prog` lives. In a NAPI poll the core has set up
        // the networking context the program's helpers use, and bottom
        // halves are disabled (the RCU protection its maps need).
        let act = unsafe { bindings::bpf_prog_run_xdp(prog.ptr.as_ptr(), &mut self.buff) };
        Some(Action::from_raw(act))
    }

    /// Reports a dropped frame's action to the `xdp:xdp_exception`
    /// tracepoint (`trace_xdp_exception()`), as drivers do for
    /// [`Action::Aborted`], invalid actions and actions they cannot carry
    /// out.
    pub fn trace_exception<T>(&self, dev: &Device<T>, prog: &ProgRef<'_>, act: Action) {
        // SAFETY: The device and program are valid for the call.
        unsafe { bindings::trace_xdp_exception(dev.as_raw(), prog.ptr.as_ptr(), act.as_raw()) };
    }

    /// Warns once that `prog` returned an action the device does not know
    /// (`bpf_warn_invalid_xdp_action()`).
    pub fn warn_invalid_action<T>(&self, dev: &Device<T>, prog: &ProgRef<'_>, act: Action) {
        // SAFETY: The device and program are valid for the call.
        unsafe {
            bindings::bpf_warn_invalid_xdp_action(dev.as_raw(), prog.ptr.as_ptr(), act.as_raw())
        };
    }

    /// Builds a socket buffer from the frame as the program left it
    /// (`xdp_build_skb_from_buff()`): its data between the adjusted start
    /// and end, metadata, fragments, marked for page-pool recycling, with
    /// the RX queue recorded and the protocol set. `None` if memory is
    /// short; the pages go back then.
    pub fn into_skb(self) -> Option<SkBuff> {
        // SAFETY: By the type invariant `buff` is set up for a registered
        // `rxq` with the page-pool memory model; on success the socket
        // buffer takes the page references (its head is the buffer).
        let skb = unsafe { bindings::xdp_build_skb_from_buff(&self.buff) };
        if skb.is_null() {
            return None;
        }
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is not used or dropped after its fields are moved
        // out; its references went to `skb` above.
        let (head, rxq) = unsafe { (core::ptr::read(&this.head), core::ptr::read(&this.rxq)) };
        head.forget();
        drop(rxq);
        // SAFETY: `skb` is a new socket buffer, ours.
        Some(unsafe { SkBuff::from_raw(skb) })
    }
}

impl Drop for Buff {
    fn drop(&mut self) {
        // Returns the fragments' references here; `head` returns its own.
        // Not into the pools' lock-free caches: a frame may be dropped
        // outside its queue's poll.
        //
        // SAFETY: By the type invariant `buff` is set up and this value
        // owns one reference per fragment, to page-pool pages (whose pools
        // stay allocated while the pages are out).
        unsafe {
            if !bindings::xdp_buff_has_frags(&self.buff) {
                return;
            }
            let shinfo = bindings::xdp_get_shared_info_from_buff(&self.buff);
            for i in 0..usize::from((*shinfo).nr_frags) {
                let frag = core::ptr::addr_of!((*shinfo).frags[i]);
                let netmem = bindings::skb_frag_netmem(frag);
                bindings::page_pool_put_full_netmem(bindings::netmem_get_pp(netmem), netmem, false);
            }
        }
    }
}
