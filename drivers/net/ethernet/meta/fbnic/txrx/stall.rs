// SPDX-License-Identifier: GPL-2.0

//! Whether a queue pair has completions its NAPI poll has not seen: the
//! sign of an interrupt that never came (a lost MSI-X message), which
//! the service task looks for ([`crate::netdev`]'s stall check); and
//! where a TX ring's oldest outstanding descriptor is, for its check of
//! a device that stopped sending.

#![forbid(unsafe_code)]

use super::rings::Rings;
use crate::hw::desc::{
    done_for_position,
    RxCompletion,
    TxCompletion, //
};
use crate::kernel_ext::bh;

impl Rings {
    /// Whether the device wrote a TX or RX completion at the position the
    /// NAPI poll reads next. Does not wait: a ring whose lock is held is
    /// being polled, and counts as not waiting.
    pub(crate) fn completions_waiting(&self) -> bool {
        // The NAPI poll takes the locks in softirq context: it must not
        // run on this CPU while one is held here.
        let _bh = bh::disable();
        let tx = self.tx.try_lock().is_some_and(|guard| {
            (*guard).as_ref().is_some_and(|tx| {
                let raw = tx.tcq.read(tx.tcq_head);
                TxCompletion::done(raw) == done_for_position(tx.tcq_head, tx.size)
            })
        });
        tx || self.rx.try_lock().is_some_and(|guard| {
            (*guard).as_ref().is_some_and(|rx| {
                let raw = rx.rcq.read(rx.rcq_head);
                RxCompletion::done(raw) == done_for_position(rx.rcq_head, rx.rcq_size)
            })
        })
    }

    /// The TX ring's oldest descriptor not retired yet (free running), if
    /// the device was given descriptors it has not finished: `None` for
    /// an idle ring, one not set up, or one being polled (whose lock is
    /// held).
    pub(crate) fn tx_outstanding(&self) -> Option<u32> {
        let _bh = bh::disable();
        let guard = self.tx.try_lock()?;
        let tx = (*guard).as_ref()?;
        let head = tx.head;
        (tx.rung != head).then_some(head)
    }
}
