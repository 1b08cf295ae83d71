// SPDX-License-Identifier: GPL-2.0

//! XDP on the receive path: with a program attached, a packet's pieces
//! become an XDP frame instead of a socket buffer (the header piece its
//! buffer, payload pieces its fragments), and at the packet's META
//! completion the program decides (`fbnic_run_xdp()`).
//!
//! `XDP_PASS` builds the socket buffer from the frame as the program left
//! it. `XDP_DROP` returns the pages to their pools; `XDP_ABORTED` and
//! actions the kernel does not define do too, reported to the
//! `xdp:xdp_exception` tracepoint. `XDP_TX` frames go to the queue pair's
//! XDP TX queue (TWQ1, [`xdp_tx`](super::xdp_tx)), sent from the pages
//! they were received into, with the doorbell written once at the end of
//! the poll. `XDP_REDIRECT` frames go where the program's redirect helper
//! said (the C driver drops them), with the core's queues flushed once at
//! the end of the poll; one the core refuses is dropped and reported. As
//! in the C driver,
//! every frame the program saw counts as received (qstats `rx-packets`:
//! XDP is the first layer of the stack); a frame in several buffers for
//! a program that does not take them counts as a length error instead.

#![forbid(unsafe_code)]

use kernel::sync::{
    Arc,
    SpinLock, //
};

use super::{
    rx::RxCount,
    xdp_tx::XdpRing, //
};
use crate::kernel_ext::net::{
    self,
    page_pool::{
        PageRef,
        PageSpan, //
    },
    skbuff::SkBuff,
    xdp::{
        Action,
        Buff,
        ProgRef,
        RxQueue, //
    },
    NapiContext, //
};
use crate::stats::XdpTxCounters;

/// A packet being received as an XDP frame.
pub(crate) struct XdpPacket {
    pub(super) buff: Buff,
    /// Its receive time stamp, for the socket buffer if it is passed.
    pub(super) ts: Option<i64>,
}

/// Starts an XDP frame over a packet's header buffer (the XDP half of
/// `fbnic_pkt_prepare()`): `size` bytes at `start` in the page of `head`,
/// the packet's `len` bytes `headroom` bytes into it. `None` if that does
/// not fit the page (the reference goes back to the pool).
pub(super) fn start(
    rxq: &Arc<RxQueue>,
    head: PageRef,
    span: PageSpan,
    headroom: u32,
    len: u32,
) -> Option<XdpPacket> {
    Buff::new(rxq, head, span, headroom, len)
        .ok()
        .map(|buff| XdpPacket { buff, ts: None })
}

/// Runs the program on a complete frame and carries out its decision;
/// returns the socket buffer to hand up for `XDP_PASS` (or without a
/// program, if it went away while the packet arrived), with its queue and
/// protocol set. Counts the frame in `count`. `XDP_TX` frames are queued
/// on `xdp` (the doorbell is the caller's), counted in `xdp_stats` if
/// dropped there.
///
/// The XDP TX ring's lock is taken for the one frame only: the poll hands
/// passed frames to the stack, which may transmit on the same queue pair
/// (a TCP ACK), and the TX completion path takes this lock inside the TX
/// ring's. Held across the delivery, it would close that circle.
pub(super) fn finish<P>(
    pkt: XdpPacket,
    dev: &net::Device<P>,
    prog: Option<&ProgRef<'_>>,
    napi: &NapiContext<'_>,
    count: &mut RxCount,
    (xdp, xdp_stats): (&SpinLock<Option<XdpRing>>, &XdpTxCounters),
) -> Option<SkBuff> {
    let XdpPacket { mut buff, ts } = pkt;
    let len = u64::from(buff.len());
    let Some(prog) = prog else {
        return pass(buff, ts, len, count);
    };
    // Should not happen: attaching the program and changing the MTU or the
    // header-split threshold check that frames fit one buffer
    // (`netdev::xdp`).
    if buff.has_frags() && !prog.has_frags() {
        count.length_errors += 1;
        return None;
    }
    // Not run outside the poll (it is not called there): dropped rather
    // than passed unfiltered.
    let Some(act) = buff.run(prog, napi) else {
        count.dropped += 1;
        return None;
    };
    if act == Action::Pass {
        return pass(buff, ts, len, count);
    }
    count.packets += 1;
    count.bytes += len;
    match act {
        Action::Pass | Action::Drop => {}
        Action::Tx => {
            let mut ring = xdp.lock();
            if let Some(ring) = (*ring).as_mut() {
                ring.queue(buff, xdp_stats);
                return None;
            }
            drop(ring);
            // Not reached: a queue pair with an RX ring has one.
            xdp_stats.dropped.inc();
            buff.trace_exception(dev, prog, act);
            return None;
        }
        Action::Redirect => match buff.redirect(dev, prog, napi) {
            Ok(()) => {
                count.redirected = true;
                return None;
            }
            Err(buff) => buff.trace_exception(dev, prog, act),
        },
        Action::Invalid(_) => {
            buff.warn_invalid_action(dev, prog, act);
            buff.trace_exception(dev, prog, act);
        }
        Action::Aborted => buff.trace_exception(dev, prog, act),
    }
    // Dropping the frame returns its pages to their pools.
    None
}

/// Builds the socket buffer of a passed frame of `len` bytes, with its
/// time stamp; counts it, or its loss if memory is short.
fn pass(buff: Buff, ts: Option<i64>, len: u64, count: &mut RxCount) -> Option<SkBuff> {
    let Some(mut skb) = buff.into_skb() else {
        count.alloc_fail += 1;
        count.dropped += 1;
        return None;
    };
    count.packets += 1;
    count.bytes += len;
    if let Some(ts) = ts {
        skb.set_rx_hwtstamp(ts);
    }
    Some(skb)
}
