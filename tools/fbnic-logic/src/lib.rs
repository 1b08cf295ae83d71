// SPDX-License-Identifier: GPL-2.0

//! Host build of the driver's decision logic.
//!
//! The files live with the kernel driver, next to the code that uses them,
//! and are compiled twice: into the kernel module, and here, so that
//! `cargo test` tests that logic on the host. Like `hw/` they are `core`
//! only: no `kernel` crate, no allocation, no `unsafe`, and bad input gives
//! an error value, never a panic. Each is a module of this crate under its
//! own name (the driver's `txrx::plan` is `plan` here); they refer to
//! nothing of the driver but `crate::hw`, which is the crate `fbnic-hw`
//! here.

#![no_std]
// The items are `pub(crate)`, as the kernel build's `unreachable_pub` lint
// wants them; their users are in the driver, whose build checks for dead
// code. Here only the tests use them, and not all of them.
#![allow(dead_code)]

#[cfg(test)]
extern crate std;

pub use fbnic_hw as hw;

/// The driver's `netdev::channels`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/netdev/channels.rs"]
pub mod channels;
/// The driver's `nfc::class`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/nfc/class.rs"]
pub mod class;
/// The driver's `stats::counter`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/stats/counter.rs"]
pub mod counter;
/// The driver's `link::flow`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/link/flow.rs"]
pub mod flow;
/// The driver's `rpc::flow_class`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/rpc/flow_class.rs"]
pub mod flow_class;
/// The driver's `rpc::indir`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/rpc/indir.rs"]
pub mod indir;
/// The driver's `nfc::ip_tcam`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/nfc/ip_tcam.rs"]
pub mod ip_tcam;
/// The driver's `rpc::macda`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/rpc/macda.rs"]
pub mod macda;
/// The driver's `nfc::placement`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/nfc/placement.rs"]
pub mod placement;
/// The driver's `txrx::plan`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/txrx/plan.rs"]
pub mod plan;
/// The driver's `crate::rpc` as the other modules see it.
mod rpc {
    pub(crate) use crate::flow_class::FlowClass;
}
/// The driver's `txrx::sizes`.
#[path = "../../../drivers/net/ethernet/meta/fbnic/txrx/sizes.rs"]
pub mod sizes;
