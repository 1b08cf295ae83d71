// SPDX-License-Identifier: GPL-2.0

//! Sending a received frame back out of the device it came in on
//! (`XDP_TX`).
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)
//!
//! After the program returned [`Action::Tx`](super::Action::Tx), the
//! frame's bytes are still in the page-pool pages they were received
//! into: the driver sends them from there, without a copy.
//! [`Buff::into_tx`] takes the frame apart into one [`TxBuf`] per buffer
//! (the head, then each fragment), each holding the page-pool reference
//! the frame held for that buffer, with the bus address and length of the
//! bytes to send, synced for the device. The driver puts them on its TX
//! ring and drops each once the device has sent it, which returns the
//! page to its pool.
//!
//! # Examples
//!
//! ```
//! use kernel_ext::net::xdp::{
//!     Buff,
//!     TxBuf, //
//! };
//!
//! // A ring of `slots`, `free` of them unused from `tail` on.
//! fn send(buff: Buff, slots: &mut [Option<TxBuf>], tail: usize, free: usize) -> bool {
//!     if buff.buffers() > free || slots.is_empty() {
//!         // Dropping the frame returns its pages.
//!         return false;
//!     }
//!     let mut at = tail;
//!     buff.into_tx(|buf| {
//!         // The descriptor: `buf.dma_addr()`, `buf.len()`.
//!         slots[at % slots.len()] = Some(buf);
//!         at += 1;
//!     });
//!     true
//! }
//! ```

use core::mem::ManuallyDrop;
use kernel::num::casts::FromSafeCast;

use super::{
    super::page_pool::{
        PageRef,
        PAGE_SIZE, //
    },
    Buff, //
};
use crate::kernel_ext::bindings;

/// One buffer of a frame being sent: `len` bytes at bus address `dma`, in
/// a page-pool page of which this value holds one reference.
///
/// Dropping it returns the reference (`page_pool_put_full_page()`), so it
/// must live until the device has read the bytes.
///
/// # Invariants
///
/// `dma..dma + len` is within the page of `page`, mapped for the device
/// and synced for it.
pub struct TxBuf {
    /// Held for its reference, which dropping it returns.
    _page: PageRef,
    dma: u64,
    len: u32,
}

impl TxBuf {
    /// Makes `len` bytes at `offset` in `page`'s page a buffer to send,
    /// synced for the device.
    fn new(page: PageRef, offset: u32, len: u32) -> Self {
        let offset = offset.min(PAGE_SIZE);
        let len = len.min(PAGE_SIZE - offset);
        page.sync_for_device(offset, len);
        // INVARIANT: the range was clamped to the page and synced above.
        Self {
            dma: page.dma_addr() + u64::from(offset),
            _page: page,
            len,
        }
    }

    /// The bus address of the bytes to send.
    pub fn dma_addr(&self) -> u64 {
        self.dma
    }

    /// How many bytes.
    pub fn len(&self) -> u32 {
        self.len
    }
}

impl Buff {
    /// How many buffers the frame is in: its head and its fragments.
    pub fn buffers(&self) -> usize {
        if !self.has_frags() {
            return 1;
        }
        // SAFETY: By the type invariant `buff` is set up, with its shared
        // info in the head buffer.
        let nr_frags = unsafe { (*bindings::xdp_get_shared_info_from_buff(&self.buff)).nr_frags };
        1 + usize::from(nr_frags)
    }

    /// Takes the frame apart to send it as the program left it: calls
    /// `push` with the head buffer (from the adjusted start to the adjusted
    /// end), then with each fragment, [`Buff::buffers`] times in all. Each
    /// [`TxBuf`] takes over the frame's reference to its page.
    pub fn into_tx(self, mut push: impl FnMut(TxBuf)) {
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is not used or dropped after its fields are moved
        // out; the fragments' references are taken over below.
        let (head, rxq) = unsafe { (core::ptr::read(&this.head), core::ptr::read(&this.rxq)) };
        let buff = &this.buff;
        // The head buffer is in an order-0 page: the offset of the data in
        // it is that of its address. CAST: below PAGE_SIZE, and the data
        // ends after it starts, within the page.
        let offset = (buff.data as usize & (usize::from_safe_cast(PAGE_SIZE) - 1)) as u32;
        let len = (buff.data_end as usize).saturating_sub(buff.data as usize) as u32;
        push(TxBuf::new(head, offset, len));
        // SAFETY: By the type invariant `buff` is set up; it owns one
        // reference to each fragment's page, a page-pool page, which moves
        // to a `TxBuf` here.
        unsafe {
            if bindings::xdp_buff_has_frags(buff) {
                let shinfo = bindings::xdp_get_shared_info_from_buff(buff);
                for i in 0..usize::from((*shinfo).nr_frags) {
                    let frag = core::ptr::addr_of!((*shinfo).frags[i]);
                    let netmem = bindings::skb_frag_netmem(frag);
                    if let Some(page) = PageRef::from_netmem(netmem) {
                        let off = bindings::skb_frag_off(frag);
                        let size = bindings::skb_frag_size(frag);
                        push(TxBuf::new(page, off, size));
                    }
                }
            }
        }
        drop(rxq);
    }
}
