// SPDX-License-Identifier: GPL-2.0

//! Hardware transmit time stamps (the C driver's `fbnic_clean_tsq()`).
//!
//! A packet whose socket asked for a time stamp, sent while transmit time
//! stamping is on, goes out with `REQ_TS` in its META descriptor and waits
//! on the ring for it. The device reports each time stamp in a type-1
//! completion, in the order of the packets that asked: the time stamp is
//! the oldest waiting packet's. It carries the low 40 bits of the device's
//! counter, which the [clock](crate::time::Clock) extends and offsets as
//! for received frames. A packet is retired only once its time stamp came,
//! even if the device reported it sent before: the packets after it wait
//! too, which keeps the ring in order. A packet still waiting when the
//! ring is flushed has lost its time stamp.
//!
//! Counted for `ethtool -I -T`: time stamps passed on (`pkts`), lost ones
//! (`lost`), and those the device flagged as failed or reported with no
//! packet waiting (`err`, where the C driver only logs the latter).

#![forbid(unsafe_code)]

use super::TxRing;
use crate::{
    hw::desc::TxCompletion,
    time::Clock,
    txrx::rings::{
        wrap,
        Rings, //
    },
};

impl Rings {
    /// Gives the time stamp of completion `Timestamp { ts, status }` to
    /// the oldest packet waiting for one at or after position `from`
    /// (free running, not before `tx.head`), in `clock`'s time. Returns
    /// where the packet of the next time stamp may be.
    pub(super) fn stamp(
        &self,
        tx: &mut TxRing,
        from: u32,
        clock: &Clock,
        ts: u64,
        status: u16,
    ) -> u32 {
        let counters = &self.stats.tx;
        let in_flight = tx.tail.wrapping_sub(tx.head);
        let mut pos = from;
        let pkt = loop {
            let slot = tx.pending[wrap(pos, tx.size) as usize].as_mut();
            let Some(pkt) = slot.filter(|_| pos.wrapping_sub(tx.head) < in_flight) else {
                // Past the last packet, or off a packet boundary after the
                // device misreported its head: no packet for this one.
                counters.ts_err.inc();
                kernel::pr_warn_once!(
                    "queue {}: TX time stamp without a packet waiting for it\n",
                    self.index
                );
                return pos;
            };
            if pkt.ts {
                break pkt;
            }
            pos = pos.wrapping_add(pkt.descs);
        };

        pkt.ts = false;
        if TxCompletion::ts_failed(status) {
            counters.ts_err.inc();
        } else {
            // CAST: the clock's time as the kernel's signed nanoseconds,
            // as for received frames.
            pkt.skb.tstamp_tx(clock.ts40_to_ns(ts) as i64);
            counters.ts_packets.inc();
        }
        pos.wrapping_add(pkt.descs)
    }
}
