// SPDX-License-Identifier: GPL-2.0

//! Attaching an XDP program (`ndo_bpf`) and the limits it sets on the MTU
//! and the header-split threshold (`fbnic_bpf()`,
//! `fbnic_check_split_frames()` in the C driver).
//!
//! The receive path runs the program on every frame ([`crate::txrx`]). A
//! frame bigger than the header-split threshold arrives in several buffers:
//! only a program that takes such frames (`xdp.frags`) may then be
//! attached. Attaching a program, changing the MTU and changing the
//! threshold (`ethtool -G hds-thresh`) each refuse a combination that
//! would give a single-buffer program frames in several buffers, as the C
//! driver does. The program is swapped in while the interface runs; a poll
//! that found the old one finishes with it (RCU).
//!
//! Frames XDP programs redirect to the interface (`ndo_xdp_xmit`, which
//! the C driver does not have) go out on the XDP TX queue (TWQ1) of the
//! queue pair the current CPU picks, the CPU number modulo the RX queues
//! (each has one), as other drivers do: several CPUs may share a ring,
//! whose lock serializes them. They are refused (`ENETDOWN`) while the
//! datapath is stopped: stopping it marks it so and waits for the calls
//! that did not see the mark yet (they run with bottom halves off, an RCU
//! read-side section), so no frame lands on a ring being disabled.

#![forbid(unsafe_code)]

use kernel::{
    cpu::CpuId,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Relaxed, //
        },
        rcu,
    }, //
};

use super::Port;
use crate::{
    kernel_ext::{
        bpf::Prog,
        net::{
            self,
            netlink::ExtAck,
            xdp::XmitFrames, //
        },
    },
    txrx::{
        HeaderSplit,
        HDS_THRESH_MAX, //
    },
};

/// Bytes of an Ethernet header (`ETH_HLEN`).
const ETH_HLEN: u32 = 14;

/// Whether frames of an MTU of `mtu` may arrive in several buffers for a
/// program that takes only one (`has_frags` is `Some(false)`; no program
/// is `None`) under the header split `split`: frames longer than its
/// threshold are split (`fbnic_check_split_frames()`). Without header
/// split the device puts frames in the header buffer up to its size.
pub(super) fn split_frames(has_frags: Option<bool>, mtu: u32, split: HeaderSplit) -> bool {
    let thresh = if split.enabled {
        split.thresh
    } else {
        HDS_THRESH_MAX
    };
    has_frags == Some(false) && mtu + ETH_HLEN > thresh
}

/// Checks that `prog` may be attached (the checks of `fbnic_bpf()`).
pub(super) fn check_prog(
    dev: &net::Device<Port>,
    prog: Option<&Prog>,
    extack: &mut ExtAck<'_>,
) -> Result {
    let split = dev.data().header_split();
    if split_frames(prog.map(Prog::has_frags), dev.mtu(), split) {
        extack.set_message(c"MTU too high, or HDS threshold is too low for single buffer XDP");
        return Err(EOPNOTSUPP);
    }
    Ok(())
}

/// Installs `prog`, or removes the program with `None`; the old program
/// is put.
pub(super) fn setup_prog(dev: &net::Device<Port>, prog: Option<Prog>) {
    drop(dev.data().xdp.replace(prog));
}

/// Checks that the MTU may become `mtu` with the program attached
/// (`fbnic_change_mtu()`).
pub(super) fn check_mtu(dev: &net::Device<Port>, mtu: u32) -> Result {
    let port = dev.data();
    let split = port.header_split();
    if split_frames(port.xdp.has_frags(), mtu, split) {
        dev_err!(
            port.shared.dev,
            "MTU {} is larger than HDS threshold {} in XDP mode\n",
            mtu,
            split.thresh
        );
        return Err(EINVAL);
    }
    Ok(())
}

/// Sends frames redirected to the interface (`ndo_xdp_xmit`) on the XDP TX
/// ring of the current CPU's queue pair; `ENETDOWN` if the interface is
/// down or has no RX queue (so no XDP TX ring).
pub(super) fn xmit(dev: &net::Device<Port>, frames: &mut XmitFrames<'_>, flush: bool) -> Result {
    let port = dev.data();
    // Explicit, though the caller has bottom halves off already: what the
    // datapath's stop waits for after clearing the flag.
    let _rcu = rcu::read_lock();
    if !dev.is_running() || !port.xdp_xmit.load(Acquire) {
        return Err(ENETDOWN);
    }
    let rings = port.rx_queues.load(Relaxed);
    if rings == 0 {
        return Err(ENETDOWN);
    }
    // Any CPU's number is fine if the task moves: it only spreads the
    // load.
    let index = CpuId::current().as_u32() % rings;
    let q = port.queues.get(index as usize).ok_or(ENETDOWN)?;
    q.rings.xdp_xmit(&port.shared.regs, dev, frames, flush)
}
