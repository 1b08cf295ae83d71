// SPDX-License-Identifier: GPL-2.0

//! Transmit time stamps of socket buffers: the socket's request for a
//! hardware time stamp, the software time stamp taken as the driver hands
//! the packet to the device, and the device's time stamp once it has sent
//! the packet.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)
//!
//! A socket asks with `SO_TIMESTAMPING`; the driver honours the request
//! when hardware transmit time stamping is on for the device (see
//! [`hwtstamp::tx_type`](super::hwtstamp::tx_type)). It then marks the
//! packet as time stamped by the device, asks the device for the time
//! stamp, and passes it on when the device reports it. The time stamp
//! reaches the socket's error queue on a clone of the packet.
//!
//! # Examples
//!
//! ```
//! use kernel_ext::net::skbuff::{
//!     SkBuff,
//!     TxSkb, //
//! };
//!
//! // On transmit, with hardware transmit time stamps on:
//! fn queue(mut skb: SkBuff) -> bool {
//!     let stamp = skb.tx_hwtstamp_requested();
//!     if stamp {
//!         skb.set_tx_hwtstamp_in_progress();
//!     }
//!     // ... map the packet, write its descriptors (asking the device
//!     // for a time stamp if `stamp`), then before the doorbell:
//!     // mapped.tx_timestamp();
//!     stamp
//! }
//!
//! // When the device reports the time stamp, in nanoseconds of its clock:
//! fn stamped(skb: &mut TxSkb, ns: i64) {
//!     skb.tstamp_tx(ns);
//! }
//! ```

use super::{
    SkBuff,
    TxSkb, //
};

use crate::kernel_ext::bindings;

impl SkBuff {
    /// Whether the packet's socket asked for a hardware transmit time
    /// stamp (`SKBTX_HW_TSTAMP` in `skb_shinfo(skb)->tx_flags`).
    ///
    /// A read of the packet's shared info, cheap enough for every packet
    /// on the transmit path.
    pub fn tx_hwtstamp_requested(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid, and so is its
        // shared info; the stack set the flags before handing the packet
        // over.
        let flags = unsafe { (*self.shinfo()).tx_flags };
        flags & bindings::SKBTX_HW_TSTAMP != 0
    }

    /// Marks the packet as time stamped by the device
    /// (`SKBTX_IN_PROGRESS`), so that the stack does not give the socket
    /// a software time stamp in its stead.
    pub fn set_tx_hwtstamp_in_progress(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and ours: on
        // the transmit path the driver updates its flags, as the stack
        // expects (it reads them back only when the packet is done).
        unsafe { (*self.shinfo()).tx_flags |= bindings::SKBTX_IN_PROGRESS };
    }
}

impl TxSkb {
    /// Takes the software transmit time stamp, for a socket that asked
    /// for one, and hands the packet to a PHY that time stamps
    /// (`skb_tx_timestamp()`). Called once the packet's descriptors are
    /// written, just before the device is told about them.
    pub fn tx_timestamp(&mut self) {
        // SAFETY: The packet is valid and ours, and `&mut self` keeps
        // everything else off it during the call; the function takes its
        // own references to whatever it keeps.
        unsafe { bindings::skb_tx_timestamp(self.skb.as_raw()) }
    }

    /// Passes the device's transmit time stamp, `ns` nanoseconds of its
    /// PTP hardware clock, to the packet's socket (`skb_tstamp_tx()`): its
    /// error queue gets a clone of the packet that carries it. The packet
    /// stays the driver's (and mapped).
    pub fn tstamp_tx(&mut self, ns: i64) {
        let mut stamps = bindings::skb_shared_hwtstamps::default();
        stamps.__bindgen_anon_1.hwtstamp = ns;
        // SAFETY: The packet is valid and ours, and `&mut self` keeps
        // everything else off it while it is cloned; `stamps` is valid
        // for the call, which copies it.
        unsafe { bindings::skb_tstamp_tx(self.skb.as_raw(), &mut stamps) }
    }
}
