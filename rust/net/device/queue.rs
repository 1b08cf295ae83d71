// SPDX-License-Identifier: GPL-2.0

//! The queues of a network device: their kinds, and the TX queues with
//! their flow control and byte queue limits.

use kernel::types::Opaque;

use crate::kernel_ext::bindings;

/// A kind of queue of a network device (`enum netdev_queue_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum QueueType {
    /// A receive queue.
    Rx = bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_RX,
    /// A transmit queue.
    Tx = bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_TX,
}

/// A TX queue of a network device (`struct netdev_queue`), with its byte
/// queue limits (BQL).
///
/// # Invariants
///
/// `self.0` is a TX queue of a device that is alive while the reference
/// is.
#[repr(transparent)]
pub struct TxQueue(Opaque<bindings::netdev_queue>);

impl TxQueue {
    fn as_raw(&self) -> *mut bindings::netdev_queue {
        self.0.get()
    }

    /// Stops the stack from handing this queue packets
    /// (`netif_tx_stop_queue()`), when the ring is nearly full.
    pub fn stop(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped queue (`netif_tx_wake_queue()`), when the ring
    /// has room again.
    pub fn wake(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_wake_queue(self.as_raw()) }
    }

    /// Returns whether the queue is stopped (`netif_tx_queue_stopped()`).
    pub fn is_stopped(&self) -> bool {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netif_tx_queue_stopped(self.as_raw()) }
    }

    /// Accounts `bytes` handed to the hardware, with the stack's
    /// `more` hint from
    /// [`Operations::start_xmit`](super::Operations::start_xmit)
    /// (`__netdev_tx_sent_queue()`), and returns whether the driver must
    /// write its doorbell now.
    ///
    /// It returns `true` when no packet follows (`more` is false) or when
    /// the queue is stopped (by the driver for a full ring, or by the byte
    /// queue limits): then no further packet would come to ring the
    /// doorbell for this one. A driver stops the queue before calling
    /// this, so that the stop is seen.
    ///
    /// # Examples
    ///
    /// ```
    /// use kernel_ext::net::TxQueue;
    ///
    /// # fn ring_doorbell(_tail: u32) {}
    /// fn queued(txq: &TxQueue, bytes: u32, more: bool, tail: u32) {
    ///     if txq.sent_more(bytes, more) {
    ///         ring_doorbell(tail);
    ///     }
    /// }
    /// ```
    pub fn sent_more(&self, bytes: u32, more: bool) -> bool {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::__netdev_tx_sent_queue(self.as_raw(), bytes, more) }
    }

    /// Accounts `packets` and `bytes` the hardware completed
    /// (`netdev_tx_completed_queue()`); may restart the queue.
    pub fn completed(&self, packets: u32, bytes: u32) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netdev_tx_completed_queue(self.as_raw(), packets, bytes) }
    }

    /// Forgets what was in flight (`netdev_tx_reset_queue()`), after the
    /// ring was emptied without completions, e.g. at stop.
    pub fn reset(&self) {
        // SAFETY: By the type invariant the queue is valid.
        unsafe { bindings::netdev_tx_reset_queue(self.as_raw()) }
    }
}
