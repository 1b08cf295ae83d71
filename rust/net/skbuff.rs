// SPDX-License-Identifier: GPL-2.0

//! Socket buffers, the packets of the networking stack.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)
//!
//! A driver receives packets to transmit as owned [`SkBuff`]s. It either
//! hands them back to the stack (see [`TxResult::Busy`]) or frees them, and
//! freeing says what happened: [`TxSkb::complete`] after a successful
//! transmission, [`SkBuff::drop_with_reason`] (or plain `drop`, reason
//! unspecified) for a packet that is lost. The difference shows in drop
//! monitors and tracepoints. Both free from any context
//! (`dev_*_skb_any()`), so they suit transmit, completion and teardown paths
//! alike.
//!
//! # Examples
//!
//! The transmit path: map the packet, describe its segments to the device,
//! keep it until the device has sent it.
//!
//! ```
//! use kernel::prelude::*;
//! use kernel_ext::net::{
//!     self,
//!     skbuff::{
//!         DropReason,
//!         SkBuff,
//!         TxSkb, //
//!     },
//! };
//!
//! struct Port {
//!     // The TX ring: descriptors, and the packets the device still reads.
//! }
//! # fn post(_port: &Port, _addr: u64, _len: u32) {}
//! # fn keep(_port: &Port, _skb: TxSkb) {}
//!
//! #[vtable]
//! impl net::Operations for Port {
//!     fn start_xmit(dev: &net::Device<Self>, skb: SkBuff, _more: bool) -> net::TxResult {
//!         let mapped = match skb.map_for_tx(dev) {
//!             Ok(mapped) => mapped,
//!             Err(skb) => {
//!                 skb.drop_with_reason(DropReason::NoMem);
//!                 return net::TxResult::Ok;
//!             }
//!         };
//!         for seg in mapped.segments() {
//!             post(dev.data(), seg.addr, seg.len);
//!         }
//!         keep(dev.data(), mapped);
//!         net::TxResult::Ok
//!     }
//! }
//!
//! // In the NAPI poll, for each packet the device has sent:
//! fn sent(skb: TxSkb, budget: i32) {
//!     skb.complete(budget);
//! }
//! ```
//!
//! [`TxResult::Busy`]: super::TxResult::Busy

use core::{
    mem::{
        ManuallyDrop,
        MaybeUninit, //
    },
    ptr::NonNull, //
};
use kernel::{
    device,
    error::to_result,
    num::casts::{
        u32_as_usize,
        u32_into_u8,
        FromSafeCast, //
    },
    prelude::*,
    sync::aref::ARef, //
};

use super::device::raw_device;

use crate::kernel_ext::bindings;

mod tstamp;

/// Why a driver drops a packet (`enum skb_drop_reason`, the subset drivers
/// use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// No reason given.
    NotSpecified,
    /// The device cannot send or receive right now, e.g. it is down.
    DevReady,
    /// Memory for the packet (or its mapping) could not be allocated.
    NoMem,
}

impl DropReason {
    fn as_raw(self) -> bindings::skb_drop_reason {
        match self {
            Self::NotSpecified => bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            Self::DevReady => bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
            Self::NoMem => bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM,
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

    /// Returns the TX queue the stack picked for the packet
    /// (`skb_get_queue_mapping()`).
    pub fn queue_mapping(&self) -> u16 {
        // SAFETY: By the type invariant the buffer is valid.
        unsafe { bindings::skb_get_queue_mapping(self.0.as_ptr()) }
    }

    /// Returns the packet's linear data (`skb_headlen()` bytes at
    /// `data`), where its headers are.
    pub fn head(&self) -> &[u8] {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid; its linear
        // data is `headlen` bytes at `data`, which nobody changes while
        // the shared borrow lasts (a driver gets `&mut` for that, through
        // `writable_head`).
        unsafe {
            core::slice::from_raw_parts(
                (*raw).data,
                usize::from_safe_cast(bindings::skb_headlen(raw)),
            )
        }
    }

    /// The packet's shared info (`skb_shinfo()`).
    fn shinfo(&self) -> *mut bindings::skb_shared_info {
        // SAFETY: By the type invariant the buffer is valid; its shared
        // info starts at its end pointer.
        unsafe { bindings::skb_end_pointer(self.0.as_ptr()).cast() }
    }

    /// Returns what the stack asks the device to do for this packet on
    /// transmit: nothing, insert the L4 checksum, or also segment it.
    pub fn tx_offload(&self) -> TxOffload {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid and ours.
        // `ip_summed`, `csum_start` and `csum_offset` live in the `headers`
        // group and an anonymous union, which bindgen names generically;
        // the union holds `csum_start`/`csum_offset` when `ip_summed` is
        // `CHECKSUM_PARTIAL`.
        let (ip_summed, csum_offset) = unsafe {
            let headers = (*raw).__bindgen_anon_4.headers.as_ref();
            (
                headers.ip_summed(),
                headers.__bindgen_anon_1.__bindgen_anon_1.csum_offset,
            )
        };
        if u32::from(ip_summed) != bindings::CHECKSUM_PARTIAL {
            return TxOffload::None;
        }

        // SAFETY: The buffer is valid and has a checksum start
        // (CHECKSUM_PARTIAL), within its linear data.
        let (csum_start, network_offset) = unsafe {
            (
                bindings::skb_checksum_start_offset(raw),
                bindings::skb_network_offset(raw),
            )
        };
        let csum = TxCsum {
            network_offset: u32::try_from(network_offset).unwrap_or(0),
            csum_start: u32::try_from(csum_start).unwrap_or(0),
            csum_offset,
        };

        // SAFETY: The shared info of a valid buffer is valid.
        let (gso_size, gso_segs, gso_type) = unsafe {
            let sh = self.shinfo();
            ((*sh).gso_size, (*sh).gso_segs, (*sh).gso_type)
        };
        if gso_size == 0 {
            return TxOffload::Csum(csum);
        }
        // CAST: the `SKB_GSO_*` flags are small positive bit values.
        let has = |flag: c_int| gso_type & flag as c_uint != 0;
        // SAFETY: The buffer is valid; `encapsulation` is a bitfield of
        // the `headers` group (see above), and the inner network header
        // offset is meaningful when it is set.
        let inner_network_offset = unsafe {
            if (*raw).__bindgen_anon_4.headers.as_ref().encapsulation() != 0 {
                u32::try_from(bindings::skb_inner_network_offset(raw)).ok()
            } else {
                None
            }
        };
        let kind = if has(bindings::SKB_GSO_TCPV4) {
            GsoKind::Tcp4
        } else if has(bindings::SKB_GSO_TCPV6) {
            GsoKind::Tcp6
        } else if has(bindings::SKB_GSO_UDP_L4) {
            GsoKind::Udp
        } else {
            GsoKind::Other
        };
        TxOffload::Gso(
            csum,
            Gso {
                size: gso_size,
                segs: gso_segs,
                kind,
                partial: has(bindings::SKB_GSO_PARTIAL),
                inner_network_offset,
                features: super::Features::from_gso_type(gso_type),
            },
        )
    }

    /// Marks a received packet's L4 checksum as verified by the device
    /// (`CHECKSUM_UNNECESSARY`).
    pub fn set_checksum_unnecessary(&mut self) {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid and ours;
        // `ip_summed` is a bitfield in the `headers` group (see
        // `tx_offload`).
        unsafe {
            (*raw)
                .__bindgen_anon_4
                .headers
                .as_mut()
                .set_ip_summed(u32_into_u8::<{ bindings::CHECKSUM_UNNECESSARY }>())
        };
    }

    /// Records the flow hash the device computed for a received packet
    /// (`skb_set_hash()`); `l4` says whether it covers the ports.
    pub fn set_hash(&mut self, hash: u32, l4: bool) {
        let kind = if l4 {
            bindings::pkt_hash_types_PKT_HASH_TYPE_L4
        } else {
            bindings::pkt_hash_types_PKT_HASH_TYPE_L3
        };
        // SAFETY: By the type invariant the buffer is valid and ours.
        unsafe { bindings::skb_set_hash(self.0.as_ptr(), hash, kind) };
    }

    /// Records when the device received the packet, in nanoseconds of its
    /// PTP hardware clock (`skb_hwtstamps(skb)->hwtstamp`), for sockets
    /// that asked for hardware receive time stamps.
    pub fn set_rx_hwtstamp(&mut self, ns: i64) {
        // SAFETY: By the type invariant the buffer is valid and ours; its
        // shared info is too, and nothing else writes its time stamp now.
        unsafe {
            (*bindings::skb_hwtstamps(self.0.as_ptr()))
                .__bindgen_anon_1
                .hwtstamp = ns
        };
    }

    /// Records the RX queue the packet arrived on (`skb_record_rx_queue()`),
    /// for receive flow steering and queue-aware sockets.
    pub fn record_rx_queue(&mut self, queue: u16) {
        // SAFETY: By the type invariant the buffer is valid and ours.
        unsafe { bindings::skb_record_rx_queue(self.0.as_ptr(), queue) };
    }

    /// Makes the packet's headers private to the driver
    /// (`skb_cow_head()`) and returns its linear data for editing, e.g. to
    /// adjust a checksum the device completes.
    pub fn writable_head(&mut self) -> Result<&mut [u8]> {
        let raw = self.0.as_ptr();
        // SAFETY: By the type invariant the buffer is valid and ours.
        to_result(unsafe { bindings::skb_cow_head(raw, 0) })?;
        // SAFETY: After `skb_cow_head()` the linear data (`headlen` bytes
        // at `data`) belongs to this buffer alone, and `&mut self`
        // borrows it exclusively for the lifetime of the slice.
        unsafe {
            let len = usize::from_safe_cast(bindings::skb_headlen(raw));
            Ok(core::slice::from_raw_parts_mut((*raw).data, len))
        }
    }

    /// Pads the packet with zero bytes to at least `len` bytes
    /// (`skb_put_padto()`), for a device that does not send shorter frames.
    ///
    /// On failure the packet is gone: the kernel frees it (as dropped for
    /// lack of memory) and only the error comes back.
    pub fn put_padto(self, len: u32) -> Result<Self> {
        let raw = self.into_raw();
        // SAFETY: `into_raw` handed us the only reference to a valid buffer;
        // `skb_put_padto()` either keeps it valid or frees it on failure.
        to_result(unsafe { bindings::skb_put_padto(raw, len) })?;
        // SAFETY: On success the buffer is still valid and its reference is
        // still ours; it goes back into an owning value.
        Ok(unsafe { Self::from_raw(raw) })
    }

    /// Sets the protocol of a received Ethernet frame and strips its
    /// Ethernet header (`eth_type_trans()`), before the frame goes to the
    /// stack of `ndev`, the device it arrived on.
    pub fn eth_type_trans<T>(&mut self, ndev: &super::Device<T>) {
        let raw = self.as_raw();
        // SAFETY: `raw` is a valid socket buffer we own holding at least
        // the data the driver put in it, and `ndev.as_raw()` is a valid
        // device; `eth_type_trans()` checks the length itself.
        let protocol = unsafe { bindings::eth_type_trans(raw, ndev.as_raw()) };
        // SAFETY: `protocol` is a member of the `headers` group, which
        // bindgen renders as a union field under a generated name; the
        // buffer is valid and ours.
        unsafe { (*raw).__bindgen_anon_4.headers.as_mut().protocol = protocol };
    }

    /// Maps the packet's data (linear part and page fragments) for the
    /// parent (bus) device of `ndev` to read (`dma_map_single()`,
    /// `skb_frag_dma_map()`), from `ndev`'s transmit path. On failure the
    /// packet is handed back with nothing mapped.
    pub fn map_for_tx<T: super::Operations>(
        self,
        ndev: &super::Device<T>,
    ) -> Result<TxSkb, SkBuff> {
        let raw = self.0.as_ptr();
        // The parent of a registered network device is bound to its driver
        // (the registration borrows the binding), so it may do DMA.
        let dev = ndev.parent();
        let ddev = raw_device(dev);
        let mut mapped = TxSkb {
            skb: ManuallyDrop::new(self),
            dev: dev.into(),
            // Filled as the segments are mapped: a packet has a few, and
            // zeroing all of them cost more than the rest of this function.
            segs: [MaybeUninit::uninit(); MAX_TX_SEGS],
            nsegs: 0,
        };

        // SAFETY: `raw` is valid and ours, `ddev` a bound device; the
        // linear data is `headlen` bytes at `data`.
        let (head_len, nr_frags) = unsafe {
            (
                bindings::skb_headlen(raw),
                usize::from((*mapped.skb.shinfo()).nr_frags),
            )
        };
        if nr_frags + 1 > MAX_TX_SEGS {
            return Err(mapped.unmap_into_skb());
        }
        if head_len > 0 {
            // SAFETY: As above; the mapping is undone in `unmap`.
            let addr = unsafe {
                bindings::dma_map_single_attrs(
                    ddev,
                    (*raw).data.cast(),
                    usize::from_safe_cast(head_len),
                    bindings::dma_data_direction::DMA_TO_DEVICE,
                    0,
                )
            };
            // SAFETY: `addr` came from mapping for `ddev`.
            if unsafe { bindings::dma_mapping_error(ddev, addr) } != 0 {
                return Err(mapped.unmap_into_skb());
            }
            mapped.segs[0] = MaybeUninit::new(TxSeg {
                addr,
                len: head_len,
                mapped: true,
            });
            mapped.nsegs = 1;
        }
        for i in 0..nr_frags {
            // SAFETY: `i` is below `nr_frags`, so the fragment is valid: a
            // page, which `__skb_frag_dma_map` maps, or, on a device that
            // declared netmem TX, a memory provider's buffer, whose bus
            // address it returns (mapped by the provider for this device).
            let (addr, len, niov) = unsafe {
                let frag = core::ptr::addr_of!((*mapped.skb.shinfo()).frags[i]);
                let len = bindings::skb_frag_size(frag);
                let addr = bindings::__skb_frag_dma_map(
                    ddev,
                    frag,
                    0,
                    usize::from_safe_cast(len),
                    bindings::dma_data_direction::DMA_TO_DEVICE,
                );
                (addr, len, bindings::skb_frag_is_net_iov(frag))
            };
            // SAFETY: `addr` came from mapping for `ddev`.
            if !niov && unsafe { bindings::dma_mapping_error(ddev, addr) } != 0 {
                return Err(mapped.unmap_into_skb());
            }
            mapped.segs[mapped.nsegs] = MaybeUninit::new(TxSeg {
                addr,
                len,
                mapped: !niov,
            });
            mapped.nsegs += 1;
        }
        Ok(mapped)
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

/// Most DMA segments of a packet to transmit: its linear part and
/// `MAX_SKB_FRAGS` page fragments.
pub const MAX_TX_SEGS: usize = 1 + u32_as_usize(bindings::MAX_SKB_FRAGS);

/// Checksum insertion the stack asks for (`CHECKSUM_PARTIAL`). Offsets are
/// from the start of the packet's data (the Ethernet header).
#[derive(Clone, Copy, Debug)]
pub struct TxCsum {
    /// Where the network (L3) header starts.
    pub network_offset: u32,
    /// Where the checksummed data (the L4 header) starts.
    pub csum_start: u32,
    /// Where the checksum field is, relative to `csum_start`.
    pub csum_offset: u16,
}

/// What kind of segmentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GsoKind {
    /// TCP over IPv4.
    Tcp4,
    /// TCP over IPv6.
    Tcp6,
    /// UDP (fragmentation by payload, `SKB_GSO_UDP_L4`).
    Udp,
    /// Something a driver without tunnel offloads does not advertise.
    Other,
}

/// Segmentation the stack asks for.
#[derive(Clone, Copy, Debug)]
pub struct Gso {
    /// Payload bytes per segment.
    pub size: u16,
    /// Number of segments.
    pub segs: u16,
    /// What to segment: the innermost L4 protocol and, for TCP, the IP
    /// version around it.
    pub kind: GsoKind,
    /// The stack prepared the headers before the innermost L4 header for
    /// every segment (`SKB_GSO_PARTIAL`): the device is to copy them as
    /// they are.
    pub partial: bool,
    /// Where the inner network header starts, for a tunnelled packet
    /// (`skb->encapsulation`).
    pub inner_network_offset: Option<u32>,
    /// The segmentation features this packet calls for (its `gso_type`
    /// as `NETIF_F_GSO_*` bits), e.g. [`Features::GSO_UDP_TUNNEL`] and
    /// [`Features::TSO`] for TCP over IPv4 in VXLAN.
    ///
    /// [`Features::GSO_UDP_TUNNEL`]: super::Features::GSO_UDP_TUNNEL
    /// [`Features::TSO`]: super::Features::TSO
    pub features: super::Features,
}

/// A packet's transmit offloads ([`SkBuff::tx_offload`]).
#[derive(Clone, Copy, Debug)]
pub enum TxOffload {
    /// None: the packet is complete as it is.
    None,
    /// Insert the L4 checksum.
    Csum(TxCsum),
    /// Segment, inserting every segment's checksum.
    Gso(TxCsum, Gso),
}

/// A mapped DMA segment.
#[derive(Clone, Copy, Debug)]
pub struct TxSeg {
    /// Bus address.
    pub addr: u64,
    /// Length in bytes.
    pub len: u32,
    /// Mapped by [`SkBuff::map_for_tx`], to be unmapped; not a memory
    /// provider's buffer, which comes mapped.
    mapped: bool,
}

/// A packet to transmit, with its data mapped for the device.
///
/// It keeps the packet until the device has read it: dropping it (for
/// instance when the ring is flushed at stop) unmaps the data and frees the
/// packet as dropped; [`TxSkb::complete`] does the same for a packet the
/// device sent.
///
/// # Invariants
///
/// `segs[..nsegs]` are initialized, `nsegs` is at most [`MAX_TX_SEGS`],
/// and they are the packet's data for `dev`: the first one the linear
/// part if it is not empty (mapped with `dma_map_single()`), the others
/// page fragments (mapped as pages) or, not `mapped`, memory provider
/// buffers at their provider's mapping; `skb` is owned.
pub struct TxSkb {
    skb: ManuallyDrop<SkBuff>,
    dev: ARef<device::Device>,
    segs: [MaybeUninit<TxSeg>; MAX_TX_SEGS],
    nsegs: usize,
}

impl TxSkb {
    /// The mapped segments, in packet order.
    #[inline]
    pub fn segments(&self) -> &[TxSeg] {
        // SAFETY: By the type invariant the first `nsegs` (at most the
        // array's length) are initialized; `MaybeUninit<TxSeg>` has the
        // layout of `TxSeg`.
        unsafe { core::slice::from_raw_parts(self.segs.as_ptr().cast::<TxSeg>(), self.nsegs) }
    }

    /// Unmaps everything and returns the packet.
    fn unmap_into_skb(mut self) -> SkBuff {
        self.unmap();
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is not dropped, so the packet is taken exactly
        // once; `dev` still needs dropping.
        unsafe {
            core::ptr::drop_in_place(&mut this.dev);
            ManuallyDrop::take(&mut this.skb)
        }
    }

    fn unmap(&mut self) {
        let dev = raw_device(&self.dev);
        let raw = self.skb.0.as_ptr();
        // SAFETY: The packet is valid and ours.
        let head_len = unsafe { bindings::skb_headlen(raw) };
        for (i, seg) in self.segments().iter().enumerate() {
            if !seg.mapped {
                continue;
            }
            // SAFETY: By the type invariant each segment is a live mapping
            // for `dev`; the first is the linear part's if that is not
            // empty, mapped with `dma_map_single()`, the rest are pages.
            unsafe {
                if i == 0 && head_len > 0 {
                    bindings::dma_unmap_single_attrs(
                        dev,
                        seg.addr,
                        usize::from_safe_cast(seg.len),
                        bindings::dma_data_direction::DMA_TO_DEVICE,
                        0,
                    );
                } else {
                    bindings::dma_unmap_page_attrs(
                        dev,
                        seg.addr,
                        usize::from_safe_cast(seg.len),
                        bindings::dma_data_direction::DMA_TO_DEVICE,
                        0,
                    );
                }
            }
        }
        self.nsegs = 0;
    }

    /// Releases a packet the device sent, from a NAPI poll with the given
    /// budget (`napi_consume_skb()`: a budget of 0 means "not from NAPI").
    pub fn complete(self, budget: i32) {
        let skb = self.unmap_into_skb();
        // SAFETY: We own the packet and give it up here.
        unsafe { bindings::napi_consume_skb(skb.into_raw(), budget) };
    }
}

// SAFETY: The packet and its mappings may be released from any CPU.
unsafe impl Send for TxSkb {}

// SAFETY: `&TxSkb` only reads the segment list and the length.
unsafe impl Sync for TxSkb {}

impl Drop for TxSkb {
    fn drop(&mut self) {
        self.unmap();
        // SAFETY: The packet is owned and dropped exactly once, here.
        unsafe { ManuallyDrop::drop(&mut self.skb) };
    }
}
