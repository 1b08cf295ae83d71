// SPDX-License-Identifier: GPL-2.0

//! Hardware addresses: validity of an Ethernet address and the unicast
//! and multicast address lists of a device (`struct netdev_hw_addr_list`).

use core::marker::PhantomData;
use kernel::types::Opaque;

use super::ETH_ALEN;
use crate::kernel_ext::bindings;

/// Whether `addr` is a valid address for an interface of its own
/// (`is_valid_ether_addr()`): neither multicast nor all zeroes.
pub fn is_valid_ether_addr(addr: &[u8; ETH_ALEN]) -> bool {
    // SAFETY: `addr` points to `ETH_ALEN` readable bytes.
    unsafe { bindings::is_valid_ether_addr(addr.as_ptr()) }
}

/// A list of hardware addresses of a device (`struct
/// netdev_hw_addr_list`), such as the snapshots of its unicast and
/// multicast lists that
/// [`Operations::set_rx_mode`](super::Operations::set_rx_mode) gets.
///
/// # Invariants
///
/// `self.0` is a list whose entries are `struct netdev_hw_addr`, and
/// which does not change while a `&AddrList` exists.
#[repr(transparent)]
pub struct AddrList(Opaque<bindings::netdev_hw_addr_list>);

impl AddrList {
    /// Creates a reference to an [`AddrList`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid address list that nothing changes for
    /// the lifetime `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::netdev_hw_addr_list) -> &'a Self {
        // SAFETY: `AddrList` is a transparent wrapper and the caller
        // guarantees validity for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// The number of addresses in the list.
    pub fn len(&self) -> usize {
        // SAFETY: By the type invariant the list is valid and unchanging.
        let count = unsafe { (*self.0.get()).count };
        usize::try_from(count).unwrap_or(0)
    }

    /// The addresses, in list order (`netdev_hw_addr_list_for_each()`).
    pub fn iter(&self) -> AddrIter<'_> {
        // SAFETY: By the type invariant the list is valid; `list` is its
        // head.
        let head = unsafe { core::ptr::addr_of_mut!((*self.0.get()).list) };
        // SAFETY: `head` is a valid, initialized list head.
        let first = unsafe { (*head).next };
        AddrIter {
            head,
            next: first,
            _p: PhantomData,
        }
    }
}

/// An iterator over the addresses of an [`AddrList`].
///
/// # Invariants
///
/// `head` is the head of a list of `struct netdev_hw_addr` that does not
/// change for `'a`, and `next` is its head or one of its entries' `list`
/// member.
pub struct AddrIter<'a> {
    head: *mut bindings::list_head,
    next: *mut bindings::list_head,
    _p: PhantomData<&'a AddrList>,
}

impl<'a> Iterator for AddrIter<'a> {
    type Item = &'a [u8; ETH_ALEN];

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == self.head || self.next.is_null() {
            return None;
        }
        let offset = core::mem::offset_of!(bindings::netdev_hw_addr, list);
        // SAFETY: By the type invariant `next` is the `list` member of an
        // entry, so going back by its offset gives the entry
        // (`container_of()`).
        let ha = unsafe {
            self.next
                .cast::<u8>()
                .sub(offset)
                .cast::<bindings::netdev_hw_addr>()
        };
        // SAFETY: `ha` is a valid entry that does not change for `'a`; its
        // `addr` holds at least `ETH_ALEN` bytes (`MAX_ADDR_LEN`), and for
        // an Ethernet device the address is its first `ETH_ALEN` bytes.
        let addr = unsafe { &*core::ptr::addr_of!((*ha).addr).cast::<[u8; ETH_ALEN]>() };
        // SAFETY: The entry is valid; its `next` is the following entry or
        // the head.
        self.next = unsafe { (*self.next).next };
        Some(addr)
    }
}
