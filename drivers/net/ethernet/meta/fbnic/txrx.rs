// SPDX-License-Identifier: GPL-2.0

//! The datapath of a queue pair: a TX work queue (TWQ0) and an XDP TX work
//! queue (TWQ1) with their completion queue (TCQ), and RX header and payload buffer queues (HPQ,
//! PPQ) with their completion queue (RCQ), serviced by the NAPI instances
//! of the queue vectors (vectors 2 and up; 0 and 1 are the mailbox and the
//! PCS), which several queue pairs may share (see `netdev::channels`).
//!
//! TX maps the socket buffer's linear part and page fragments for the
//! device (scatter-gather) and asks it to insert checksums and segment TCP
//! (TSO).
//!
//! RX is zero-copy, with header split. The header buffer queue (HPQ) and
//! the payload buffer queue (PPQ) are fed whole pages from two page pools
//! per queue, created at open and destroyed at stop. The device packs the
//! headers of several packets into one header page, each with head room
//! in front and tail room behind ([`rx::RX_HROOM`], [`rx::RX_TROOM`]), and
//! puts what does not fit below the header-split threshold into payload
//! pages.
//! The completions of a packet (`HDR_AL`, `PAY_AL`s, `META`) become one
//! socket buffer: its head is built around the packet's piece of the
//! header page, payload pieces are attached as page fragments, and every
//! piece carries one page-pool reference taken from the page's budget
//! (`pagecnt_bias` in the C driver). A page is given back once the device
//! has moved on to the next one; it returns to its pool when the stack has
//! freed the last socket buffer using it. Refilling happens in the NAPI
//! poll.
//!
//! A queue pair's slot ([`rings::Rings`]) lives as long as the interface;
//! its descriptor rings (coherent DMA) are allocated separately, as a
//! [`RingMem`], and swapped in. Resizing (`ethtool -G`) or changing the
//! number of queues (`ethtool -L`) allocates the new rings first, then
//! swaps them in while the datapath is stopped, so a failed allocation
//! changes nothing. A slot may have no TX ring or no RX ring (more RX than
//! TX queues or the other way round), or neither (a queue pair beyond the
//! configured count).
//!
//! The modules: [`rings`] (the queue pair, its slot and ring memory, and
//! programming the queues), [`sizes`] (ring sizes and positions), [`tx`]
//! (the transmit path), [`plan`] (the TX planner, which works out a
//! packet's META descriptor from its headers), [`rx`] (the receive
//! path), [`xdp`] (XDP programs on the receive path) and [`xdp_tx`] (the
//! XDP TX queue, TWQ1, for the frames they send back out).

#![forbid(unsafe_code)]

mod plan;
mod rings;
mod rx;
mod sizes;
mod stall;
mod tx;
mod xdp;
mod xdp_tx;

pub(crate) use rings::{
    wait_all_idle,
    QueuePair,
    QueueSetup,
    RingMem,
    RingSizes,
    RxMem,
    FIRST_VECTOR,
    MAX_RX_FRAMES,
    MAX_USECS,
    RX_USECS,
    TX_USECS, //
};
pub(crate) use rx::{
    HeaderSplit,
    HDS_THRESH_DEFAULT,
    HDS_THRESH_MAX, //
};
pub(crate) use sizes::SizeError;
pub(crate) use tx::{
    features_check,
    init_tx_engine, //
};
